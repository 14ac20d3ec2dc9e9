/**
 * The scheduler, retries, dead letters and the event outbox of the job runner (platform/jobs.ts), on
 * one database with runners whose clock the test moves. The same rules across real processes are in
 * scheduler.process.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { startTestApp, type TestApp } from '../testing/harness';
import { systemActor, writeAudit } from './audit';
import { latestOccurrence, nextOccurrence, parseCron } from './cron';
import { openDatabase, queryRows } from './db';
import { AppError, badRequest } from './errors';
import { getSchedule, JobRunner, listDeadJobs, resendJob, upsertSchedule, type OutboxEvent } from './jobs';
import { job, schedule } from './schema';

const silent = pino({ level: 'silent' });
const at = (iso: string) => new Date(iso);

/** A runner with a clock the test sets; `exclusive` as on the embedded database. */
function runnerAt(t: TestApp, clock: { now: Date }, opts: { exclusive?: boolean } = {}) {
  return new JobRunner(t.services.db, silent, { now: () => clock.now, exclusive: opts.exclusive ?? true });
}

describe('cron expressions', () => {
  it('reads schedules in Beijing time: "0 9 1 * *" is 09:00 on the 1st in China (01:00 UTC)', () => {
    assert.equal(nextOccurrence('0 9 1 * *', at('2026-01-01T00:00:00Z'))!.toISOString(), '2026-01-01T01:00:00.000Z');
    assert.equal(nextOccurrence('0 9 1 * *', at('2026-01-01T01:00:00Z'))!.toISOString(), '2026-02-01T01:00:00.000Z');
    assert.equal(latestOccurrence('0 9 1 * *', at('2026-03-05T00:00:00Z'))!.toISOString(), '2026-03-01T01:00:00.000Z');
    assert.equal(
      latestOccurrence('0 9 1 * *', at('2026-03-01T01:00:00Z'))!.toISOString(),
      '2026-03-01T01:00:00.000Z',
      'an occurrence exactly now counts',
    );
  });

  it('rejects an expression that does not parse, or never fires, with a Chinese 400', () => {
    for (const bad of ['bad', '61 * * * *', '* * *', '0 0 30 2 *']) {
      assert.throws(
        () => parseCron(bad),
        (e: unknown) =>
          e instanceof AppError && e.status === 400 && e.code === 'BAD_CRON' && /定时表达式/.test(e.message),
        bad,
      );
    }
    assert.doesNotThrow(() => parseCron('*/10 * * * * *'), 'six fields: seconds first');
  });
});

describe('job runner: schedules, retries, dead letters, outbox', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: false });
    // The app's own runner would race these tests' runners for the same rows.
    await t.services.jobs.stop();
  });
  after(() => t.close());

  it('runs a job scheduled before a restart exactly once, when its time comes after the restart', async () => {
    const clock = { now: at('2026-05-10T00:00:00Z') };
    let runs = 0;
    const first = runnerAt(t, clock);
    first.register('test.later', async () => ++runs);
    await first.start(60_000);
    const id = await first.enqueue({
      tenantId: t.tenantId,
      kind: 'test.later',
      runAt: at('2026-05-10T01:00:00Z'),
      dedupeKey: 'later-1',
    });
    assert.equal(
      await first.enqueue({
        tenantId: t.tenantId,
        kind: 'test.later',
        runAt: at('2026-05-10T01:00:00Z'),
        dedupeKey: 'later-1',
      }),
      id,
      'the same key is the same job',
    );
    await first.settle();
    assert.equal(runs, 0, 'not before its time');
    await first.stop();

    clock.now = at('2026-05-10T01:00:01Z');
    const second = runnerAt(t, clock);
    second.register('test.later', async () => ++runs);
    await second.start(60_000);
    await second.settle();
    await second.settle();
    await second.stop();
    assert.equal(runs, 1);
    const [row] = await t.services.db.select().from(job).where(eq(job.id, id));
    assert.equal(row!.status, 'done');
    assert.equal(row!.attempts, 1);
  });

  it('runs each occurrence of a recurring schedule once, and one run for the occurrences missed while no server ran', async () => {
    const clock = { now: at('2026-06-01T00:00:00Z') }; // 08:00 in Beijing
    const seen: string[] = [];
    const make = () => {
      const r = runnerAt(t, clock);
      r.register('test.daily', async ({ job: j }) => seen.push(String(j.payload.occurrence)));
      r.recurring({
        name: 'test.daily',
        kind: 'test.daily',
        cron: '0 9 * * *',
        tenantId: t.tenantId,
        payload: { what: 'daily' },
      });
      return r;
    };
    let r = make();
    await r.start(60_000);
    await r.settle();
    assert.deepEqual(seen, []);
    assert.equal((await getSchedule(t.services.db, 'test.daily'))!.nextAt.toISOString(), '2026-06-01T01:00:00.000Z');

    clock.now = at('2026-06-01T01:00:05Z');
    await r.settle();
    await r.settle();
    assert.deepEqual(seen, ['2026-06-01T01:00:00.000Z'], 'once, however often the runner passes');
    await r.stop();

    // Down for three days: the 2nd, 3rd and 4th were missed; one run, for the latest.
    clock.now = at('2026-06-04T02:00:00Z');
    r = make();
    await r.start(60_000);
    await r.settle();
    await r.stop();
    assert.deepEqual(seen, ['2026-06-01T01:00:00.000Z', '2026-06-04T01:00:00.000Z']);
    const s = (await getSchedule(t.services.db, 'test.daily'))!;
    assert.equal(s.nextAt.toISOString(), '2026-06-05T01:00:00.000Z');
    assert.equal(s.lastAt!.toISOString(), '2026-06-04T01:00:00.000Z');
    const [j] = await queryRows<{ payload: Record<string, unknown> }>(
      t.services.db,
      sql`select payload from job where kind = 'test.daily' order by run_at desc limit 1`,
    );
    assert.equal(j!.payload.what, 'daily', 'the schedule payload reaches the job');
  });

  it("recomputes the next occurrence when a schedule's expression changes, and keeps it otherwise", async () => {
    const db = t.services.db;
    /** The schedule's next occurrence after (re)declaring it with `cron` at `now`. */
    const nextAt = async (cron: string, now: string) => {
      await upsertSchedule(db, { name: 'test.bill', kind: 'test.none', cron, tenantId: t.tenantId }, at(now));
      return (await getSchedule(db, 'test.bill'))!.nextAt.toISOString();
    };
    assert.equal(
      await nextAt('0 6 5 * *', '2026-03-01T00:00:00Z'),
      '2026-03-04T22:00:00.000Z',
      'the 5th, 06:00 in Beijing',
    );
    assert.equal(
      await nextAt('0 6 5 * *', '2026-03-20T00:00:00Z'),
      '2026-03-04T22:00:00.000Z',
      'unchanged: the missed occurrence is kept',
    );
    assert.equal(await nextAt('0 6 10 * *', '2026-03-20T00:00:00Z'), '2026-04-09T22:00:00.000Z');
    await assert.rejects(
      upsertSchedule(db, { name: 'test.bill', kind: 'test.none', cron: '0 6 31 2 *' }, at('2026-03-20T00:00:00Z')),
      /永远不会触发/,
    );
    await db.delete(schedule).where(eq(schedule.name, 'test.bill'));
  });

  it('retries a failing job with growing waits, then moves it to the dead letters, from where an admin resends it', async () => {
    const clock = { now: at('2026-07-01T00:00:00Z') };
    let fail = true;
    let runs = 0;
    const r = runnerAt(t, clock);
    r.register(
      'test.flaky',
      async () => {
        runs++;
        if (fail) throw new Error('对端超时');
        return { ok: true };
      },
      { retry: { attempts: 3, backoffMs: (n) => n * 60_000 } },
    );
    await r.start(60_000);
    const id = await r.enqueue({ tenantId: t.tenantId, kind: 'test.flaky' });
    await r.settle();
    const row = async () => (await t.services.db.select().from(job).where(eq(job.id, id)))[0]!;
    assert.equal(runs, 1);
    assert.equal((await row()).status, 'queued');
    assert.equal((await row()).runAt.toISOString(), '2026-07-01T00:01:00.000Z', 'first wait: 1 minute');
    assert.match(JSON.stringify((await row()).error), /对端超时/, 'the last error is kept for the log');

    clock.now = at('2026-07-01T00:00:59Z');
    await r.settle();
    assert.equal(runs, 1, 'not before the backoff is over');
    clock.now = at('2026-07-01T00:01:00Z');
    await r.settle();
    assert.equal(runs, 2);
    assert.equal((await row()).runAt.toISOString(), '2026-07-01T00:03:00.000Z', 'second wait: 2 minutes');
    clock.now = at('2026-07-01T00:03:00Z');
    await r.settle();
    assert.equal(runs, 3);
    assert.equal((await row()).status, 'dead', 'three tries, then the dead letters');
    clock.now = at('2026-07-02T00:00:00Z');
    await r.settle();
    assert.equal(runs, 3, 'a dead letter is not retried by itself');

    const dead = await listDeadJobs(t.services.db, t.tenantId, { page: 1, pageSize: 20 });
    assert.ok(dead.items.some((d) => d.id === id && d.kind === 'test.flaky' && d.attempts === 3));
    fail = false;
    assert.equal(await resendJob(t.services.db, t.tenantId, id, clock.now), true);
    assert.equal(await resendJob(t.services.db, t.tenantId, id, clock.now), false, 'only a dead job can be resent');
    await r.settle();
    await r.stop();
    assert.equal(runs, 4);
    assert.equal((await row()).status, 'done');
  });

  it('sends a permanent error (4xx) to the dead letters at once, without retrying', async () => {
    const clock = { now: at('2026-07-05T00:00:00Z') };
    let runs = 0;
    const r = runnerAt(t, clock);
    r.register(
      'test.rejected',
      async () => {
        runs++;
        throw badRequest('机器人地址无效');
      },
      { retry: { attempts: 5, backoffMs: () => 1000 } },
    );
    await r.start(60_000);
    const id = await r.enqueue({ tenantId: t.tenantId, kind: 'test.rejected' });
    await r.settle();
    clock.now = at('2026-07-05T01:00:00Z');
    await r.settle();
    await r.stop();
    assert.equal(runs, 1);
    const [row] = await t.services.db.select().from(job).where(eq(job.id, id));
    assert.equal(row!.status, 'dead');
    assert.deepEqual(row!.error, { code: 'BAD_REQUEST', message: '机器人地址无效' });
  });

  it('takes over a job whose claim lapsed (its process died), but not one whose claim is alive', async () => {
    const clock = { now: at('2026-07-10T00:00:00Z') };
    const db = t.services.db;
    const [dead] = await db
      .insert(job)
      .values({
        tenantId: t.tenantId,
        kind: 'test.lease',
        status: 'running',
        attempts: 1,
        leaseUntil: at('2026-07-09T23:59:00Z'),
        payload: { n: 1 },
      })
      .returning();
    const [alive] = await db
      .insert(job)
      .values({
        tenantId: t.tenantId,
        kind: 'test.lease',
        status: 'running',
        attempts: 1,
        leaseUntil: at('2026-07-10T00:00:30Z'),
        payload: { n: 2 },
      })
      .returning();
    const ran: number[] = [];
    // Not exclusive: another process may hold the live claim, as on PostgreSQL.
    const r = runnerAt(t, clock, { exclusive: false });
    r.register('test.lease', async ({ job: j }) => ran.push((j.payload as { n: number }).n));
    await r.start(60_000);
    await r.settle();
    assert.deepEqual(ran, [1]);
    clock.now = at('2026-07-10T00:00:31Z');
    await r.settle();
    await r.stop();
    assert.deepEqual(ran, [1, 2], 'once its holder stopped renewing it');
    for (const j of [dead, alive])
      assert.equal((await db.select().from(job).where(eq(job.id, j!.id)))[0]!.status, 'done');
  });

  it('hands each committed domain event to every processor that subscribes to its kind, exactly once and in order', async () => {
    const clock = { now: at('2026-08-01T00:00:00Z') };
    const db = t.services.db;
    const got: Record<string, string[]> = { meetings: [], all: [] };
    const make = () => {
      const r = runnerAt(t, clock);
      r.onEvent('meetings', ['test.meeting.publish'], async (e: OutboxEvent) =>
        got.meetings!.push(`${e.kind}:${e.entityId}:${String(e.data.title)}`),
      );
      r.onEvent('all', '*', async (e: OutboxEvent) => got.all!.push(`${e.kind}:${e.entityId}`));
      return r;
    };
    let r = make();
    await r.start(60_000);
    const actor = systemActor(t.tenantId);
    await db.transaction(async (tx) => {
      await writeAudit(tx, actor, {
        action: 'test.meeting.publish',
        entityType: 'meeting',
        entityId: 'm1',
        after: { title: '主题党日', phone: '13800000000' },
      });
      await writeAudit(tx, actor, {
        action: 'test.member.update',
        entityType: 'member',
        entityId: 'p1',
        after: { name: '张三' },
      });
    });
    // A rolled-back change leaves no event behind.
    await assert.rejects(
      db.transaction(async (tx) => {
        await writeAudit(tx, actor, {
          action: 'test.meeting.publish',
          entityType: 'meeting',
          entityId: 'rolled-back',
          after: {},
        });
        throw new Error('rollback');
      }),
    );
    await r.settle();
    await r.stop();
    // A restart does not hand them out again.
    r = make();
    await r.start(60_000);
    await db.transaction((tx) =>
      writeAudit(tx, actor, {
        action: 'test.meeting.publish',
        entityType: 'meeting',
        entityId: 'm2',
        after: { title: '党课' },
        event: { data: { title: '党课（事件）' } },
      }),
    );
    await r.settle();
    await r.settle();
    await r.stop();
    assert.deepEqual(got.meetings, ['test.meeting.publish:m1:主题党日', 'test.meeting.publish:m2:党课（事件）']);
    assert.deepEqual(got.all, ['test.meeting.publish:m1', 'test.member.update:p1', 'test.meeting.publish:m2']);
    const [ev] = await queryRows<{ data: Record<string, unknown> }>(
      db,
      sql`select data from outbox_event where entity_id = 'm1'`,
    );
    assert.equal(ev!.data.phone, '[已脱敏]', 'events are redacted like audit entries');
  });

  it("registers a module's declared background: job kinds (lane, retry, cron schedule), event processors and taps", async () => {
    const clock = { now: at('2026-08-02T00:00:00Z') };
    const db = t.services.db;
    const ran: string[] = [];
    const r = runnerAt(t, clock);
    r.declare({
      jobs: [
        { kind: 'test.decl.sweep', run: async ({ job: j }) => ran.push(`sweep:${j.id === null}`), cron: '15 9 * * *' },
        {
          kind: 'test.decl.flaky',
          run: async () => {
            ran.push('flaky');
            throw new Error('boom');
          },
          retry: { attempts: 2, backoffMs: () => 0 },
        },
      ],
      events: [
        { name: 'test.decl.handle', kinds: ['test.decl.event'], handle: async (e) => ran.push(`handle:${e.entityId}`) },
        {
          name: 'test.decl.tap',
          kinds: ['test.decl.event'],
          tap: async (_tx, es) => void ran.push(`tap:${es.length}`),
        },
      ],
    });
    await r.start(60_000);
    // The cron of a declared kind is a schedule named after it (Beijing time: 09:15 is 01:15 UTC).
    const sched = await getSchedule(db, 'test.decl.sweep');
    assert.equal(sched?.cron, '15 9 * * *');
    assert.equal(sched?.kind, 'test.decl.sweep');
    assert.equal(sched?.nextAt.toISOString(), '2026-08-02T01:15:00.000Z');
    assert.equal(await getSchedule(db, 'test.decl.flaky'), null, 'a kind without cron has no schedule');
    // A declared kind runs when queued; its retry policy holds (two tries, then a dead letter).
    const flaky = await r.enqueue({ tenantId: t.tenantId, kind: 'test.decl.flaky' });
    await db.transaction((tx) =>
      writeAudit(tx, systemActor(t.tenantId), { action: 'test.decl.event', entityType: 'x', entityId: 'd1' }),
    );
    await r.settle();
    await r.settle();
    await r.stop();
    const [dead] = await db.select().from(job).where(eq(job.id, flaky));
    assert.equal(dead!.status, 'dead');
    assert.deepEqual(
      ran.filter((x) => x !== 'sweep:true').sort(),
      ['flaky', 'flaky', 'handle:d1', 'tap:1'],
      'both tries of the flaky kind, the processor once, the tap once',
    );
  });

  it(
    'two runners on one PostgreSQL never enqueue or run an occurrence or an event twice',
    { skip: !process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run' },
    async () => {
      // Two pools on the same database: two workers as two processes would be (the process test does it for real).
      const second = await openDatabase({
        databaseUrl: t.services.config.databaseUrl,
        dataDir: null,
        onIdleError: () => {},
      });
      try {
        const clock = { now: at('2026-09-01T00:00:00Z') };
        const runs: string[] = [];
        const events: string[] = [];
        const make = (db: typeof t.services.db) => {
          const r = new JobRunner(db, silent, { now: () => clock.now });
          r.register('test.race', async ({ job: j }) => {
            runs.push(String(j.payload.occurrence));
            await new Promise((res) => setTimeout(res, 5));
          });
          r.recurring({ name: 'test.race', kind: 'test.race', cron: '* * * * * *', tenantId: t.tenantId });
          r.onEvent('race', ['test.race.event'], async (e) => {
            events.push(String(e.entityId));
          });
          return r;
        };
        const a = make(t.services.db);
        const b = make(second.db);
        await a.start(60_000);
        await b.start(60_000);
        for (let i = 0; i < 30; i++) {
          clock.now = new Date(clock.now.getTime() + 1000);
          await t.services.db.transaction((tx) =>
            writeAudit(tx, systemActor(t.tenantId), { action: 'test.race.event', entityType: 'x', entityId: `e${i}` }),
          );
          await Promise.all([a.settle(), b.settle()]);
        }
        await Promise.all([a.stop(), b.stop()]);
        assert.equal(runs.length, 30, 'one run per second of the clock');
        assert.equal(new Set(runs).size, 30, 'no occurrence twice');
        assert.deepEqual([...events].sort(), Array.from({ length: 30 }, (_, i) => `e${i}`).sort(), 'each event once');
      } finally {
        await second.close();
      }
    },
  );
});
