/**
 * The background job runner: a queue, recurring schedules and the event outbox, all on the database,
 * the same on PGlite and on PostgreSQL with several server processes.
 *
 * Jobs are rows. A worker claims the oldest due one (`run_at` ≤ now) with FOR UPDATE SKIP LOCKED and
 * holds a lease on it (`lease_until`, extended while the handler runs). A job whose lease ran out —
 * its process died — is queued again by whichever runner sees it first (on the embedded database,
 * which one process owns, at once on start). A handler must be all-or-nothing or idempotent: a rerun
 * after a crash runs it again.
 *
 * Outcomes: done; failed (an AppError: the user's Chinese error, e.g. a bad import file); or, for kinds
 * registered with a retry policy, queued again after a backoff and finally `dead` — the dead-letter
 * list an admin inspects and resends (`listDeadJobs`, `resendJob`). A kind without a policy reruns
 * only after crashes, at most 3 attempts.
 *
 * Lanes: long jobs (imports, bill runs) run in the `bulk` lane, short ones (event processors,
 * notifications, deliveries) in the `quick` lane, so a ten-minute import never delays a reminder.
 *
 * Schedules (`recurring`, `upsertSchedule`): the runner that locks a due schedule row enqueues that
 * occurrence's job with the dedupe key `name@occurrence` and moves `next_at` on in the same
 * transaction, so every occurrence is enqueued exactly once however many processes run; occurrences
 * missed while no server ran are run once, for the latest of them.
 *
 * Outbox (`onEvent`): `writeAudit` writes a domain event beside each audit entry (platform/audit.ts).
 * One cursor walks the events in id order (ids become visible in commit order: the audit head
 * serializes them) and turns each event into one job per processor subscribed to its kind
 * (dedupe key `event:<processor>:<id>`), in the cursor's transaction: each processor sees each event
 * exactly once, with the job's retries and dead letters.
 *
 * "Now" is the runner's clock (`now` option): tests move it to a schedule's day.
 */
import { now } from '@xianfeng/shared';
import { and, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { busOf } from './bus';
import { afterLocalWrite } from './cache';
import { METRICS } from './counters';
import { latestOccurrence, nextOccurrence, parseCron, CHINA_TZ } from './cron';
import { queryRows, type Db, type Queryable, type Tx } from './db';
import { AppError, notFound } from './errors';
import { job, outboxCursor, outboxEvent, schedule } from './schema';
import { countFrom, pageWhere } from './paging';

export type JobRow = typeof job.$inferSelect;
export type JobContext = {
  job: JobRow;
  progress(done: number, total: number): Promise<void>;
  /** The runner's clock. */
  now(): Date;
  /** The runner's logger (the server's). */
  log: Pick<FastifyBaseLogger, 'error' | 'info' | 'warn'>;
};
export type JobHandler = (ctx: JobContext) => Promise<unknown>;
export type Lane = 'bulk' | 'quick';
export type RetryPolicy = {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before try n+1 after try n failed (n from 1). */
  backoffMs(attempt: number): number;
};
export type KindOptions = { lane?: Lane; retry?: RetryPolicy };

export type OutboxEvent = typeof outboxEvent.$inferSelect;
export type EventHandler = (event: OutboxEvent, ctx: JobContext) => Promise<unknown>;
/** Narrows a batch of events to those worth a job (one query per batch, e.g. "has this tenant a webhook?"). */
export type EventSelect = (q: Queryable, events: OutboxEvent[]) => Promise<OutboxEvent[]>;
/** Applies a batch of events in the outbox cursor's own transaction: exactly once, no job per event. */
export type EventTap = (tx: Tx, events: OutboxEvent[]) => Promise<void>;

export type ScheduleDef = {
  name: string;
  kind: string;
  cron: string;
  tenantId?: string | null;
  timezone?: string;
  payload?: Record<string, unknown>;
  enabled?: boolean;
};

/**
 * A kind of job a module runs (its manifest's `background`): `run` does one job of the kind; with `cron` the kind
 * also runs on that recurring schedule (Asia/Shanghai), named after the kind.
 */
export type JobDecl = KindOptions & { kind: string; run: JobHandler; cron?: string };
/**
 * A module's reaction to domain events (audit actions, e.g. 'meeting.publish'; '*' for all): either `handle`, one
 * retried quick-lane job per event (`onEvent`), or `tap`, one statement per batch in the outbox cursor's
 * transaction (`onEventBatch`).
 */
export type EventDecl = { name: string; kinds: readonly string[] | '*' } & (
  { handle: EventHandler; retry?: RetryPolicy; select?: EventSelect } | { tap: EventTap }
);
/** What a module gives the job runner: its job kinds (with their schedules) and its event processors. */
export type Background = { jobs?: JobDecl[]; events?: EventDecl[] };

export type EnqueueInput = {
  tenantId: string | null;
  kind: string;
  payload?: Record<string, unknown>;
  input?: Buffer;
  createdBy?: string | null;
  /** Not before (default: now). */
  runAt?: Date;
  /** At most one job per key, ever: a second enqueue with the key returns the first job's id. */
  dedupeKey?: string;
};

/** Crash reruns of a kind without a retry policy. */
const MAX_ATTEMPTS = 3;
/** Retries for event processors unless they say otherwise: 6 tries over about 20 minutes. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  backoffMs: (n) => Math.min(15_000 * 2 ** (n - 1), 10 * 60_000),
};
const OUTBOX_CURSOR = 'jobs';
const OUTBOX_BATCH = 200;

/**
 * An uploaded file as a bytea value, sent as base64 text: PGlite binds a Buffer parameter byte by
 * byte in JavaScript (a 10 MB import file took 20 s to queue and 7 s to read back), while base64
 * text goes through as one string. Read back the same way, with encode(…, 'base64').
 */
const viaBase64 = (data: Buffer) => sql`decode(${data.toString('base64')}, 'base64')`;

/** Inserts a job (inside the caller's transaction when given one); with a dedupe key, at most once. */
export async function enqueueJob(q: Queryable, input: EnqueueInput, now: Date): Promise<string> {
  const [row] = await q
    .insert(job)
    .values({
      tenantId: input.tenantId,
      kind: input.kind,
      payload: input.payload ?? {},
      input: input.input ? viaBase64(input.input) : null,
      createdBy: input.createdBy ?? null,
      runAt: input.runAt ?? now,
      dedupeKey: input.dedupeKey ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: job.id });
  if (row) return row.id;
  const [existing] = await q.select({ id: job.id }).from(job).where(eq(job.dedupeKey, input.dedupeKey!));
  return existing!.id;
}

/** Many jobs in one statement (inside the caller's transaction); duplicates by dedupe key are skipped. */
export async function enqueueJobs(q: Queryable, inputs: EnqueueInput[], now: Date): Promise<void> {
  for (let i = 0; i < inputs.length; i += 500) {
    const chunk = inputs.slice(i, i + 500);
    await q
      .insert(job)
      .values(
        chunk.map((input) => ({
          tenantId: input.tenantId,
          kind: input.kind,
          payload: input.payload ?? {},
          createdBy: input.createdBy ?? null,
          runAt: input.runAt ?? now,
          dedupeKey: input.dedupeKey ?? null,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
  }
}

/**
 * Creates or updates a recurring schedule (checks the cron expression: a bad one is a Chinese 400).
 * The next occurrence is recomputed only when the expression or time zone changed, so a schedule
 * that came due while no server ran keeps its missed occurrence.
 */
export async function upsertSchedule(q: Queryable, def: ScheduleDef, now: Date): Promise<void> {
  const timezone = def.timezone ?? CHINA_TZ;
  parseCron(def.cron, timezone);
  const nextAt = nextOccurrence(def.cron, now, timezone)!;
  const values = {
    name: def.name,
    tenantId: def.tenantId ?? null,
    kind: def.kind,
    cron: def.cron.trim(),
    timezone,
    payload: def.payload ?? {},
    enabled: def.enabled ?? true,
    nextAt,
    updatedAt: now,
  };
  await q
    .insert(schedule)
    .values(values)
    .onConflictDoUpdate({
      target: schedule.name,
      set: {
        tenantId: values.tenantId,
        kind: values.kind,
        payload: values.payload,
        enabled: values.enabled,
        cron: values.cron,
        timezone,
        nextAt: sql`case when ${schedule.cron} <> ${values.cron} or ${schedule.timezone} <> ${timezone} or not ${schedule.enabled} then ${nextAt} else ${schedule.nextAt} end`,
        updatedAt: now,
      },
    });
}

export async function deleteSchedule(q: Queryable, name: string): Promise<void> {
  await q.delete(schedule).where(eq(schedule.name, name));
}

export async function getSchedule(q: Queryable, name: string) {
  const [row] = await q.select().from(schedule).where(eq(schedule.name, name));
  return row ?? null;
}

type Registered = { handler: JobHandler; lane: Lane; retry: RetryPolicy | null };

export class JobRunner {
  private kinds = new Map<string, Registered>();
  private processors = new Map<string, { kinds: Set<string> | '*'; kind: string; select?: EventSelect }>();
  private taps = new Map<string, { kinds: Set<string> | '*'; apply: EventTap }>();
  private recurringDefs: ScheduleDef[] = [];
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private loops: Record<Lane, Promise<void> | null> = { bulk: null, quick: null };
  private again: Record<Lane, boolean> = { bulk: false, quick: false };
  private stopped = false;
  private started = false;
  /** The runner's clock when start() began: a schedule due before it fell due while this process was not running. */
  private startedAt: Date | null = null;
  readonly now: () => Date;
  private readonly exclusive: boolean;
  private readonly leaseMs: number;

  constructor(
    private readonly db: Db,
    private readonly log: Pick<FastifyBaseLogger, 'error' | 'info' | 'warn'>,
    opts: {
      /** The clock for run_at, schedules and leases (default: the one clock of packages/shared). */
      now?: () => Date;
      /** This process owns the database (embedded PGlite): running jobs at start are orphans. */
      exclusive?: boolean;
      /** How long a claim holds without a heartbeat (default 20 s). */
      leaseMs?: number;
    } = {},
  ) {
    this.now = opts.now ?? now;
    this.exclusive = opts.exclusive ?? false;
    this.leaseMs = opts.leaseMs ?? 20_000;
    this.register('platform.prune', () => prune(this.db, this.now()));
    this.recurring({ name: 'platform.prune', kind: 'platform.prune', cron: '30 3 * * *' });
  }

  register(kind: string, handler: JobHandler, opts: KindOptions = {}): void {
    this.kinds.set(kind, { handler, lane: opts.lane ?? (opts.retry ? 'quick' : 'bulk'), retry: opts.retry ?? null });
  }

  /**
   * A processor of domain events: `handle` runs once per event whose kind is in `kinds` (audit
   * actions, e.g. 'meeting.publish'; '*' for all), as a quick-lane job with retries (default
   * DEFAULT_RETRY) and a dead letter at the end.
   */
  onEvent(
    name: string,
    kinds: readonly string[] | '*',
    handle: EventHandler,
    opts: { retry?: RetryPolicy; select?: EventSelect } = {},
  ): void {
    const kind = `event:${name}`;
    this.processors.set(name, {
      kinds: kinds === '*' ? '*' : new Set(kinds),
      kind,
      ...(opts.select ? { select: opts.select } : {}),
    });
    this.register(kind, (ctx) => handle((ctx.job.payload as { event: OutboxEvent }).event, ctx), {
      lane: 'quick',
      retry: opts.retry ?? DEFAULT_RETRY,
    });
  }

  /**
   * A tap on domain events: `apply` gets each batch of matching events inside the transaction that moves the outbox
   * cursor, so every event is applied exactly once, without a job per event. For cheap bookkeeping done in one
   * statement per batch (e.g. a member's last activity); anything slow or failing belongs in `onEvent`, since a tap's
   * failure holds the cursor back for every processor.
   */
  onEventBatch(name: string, kinds: readonly string[] | '*', apply: EventTap): void {
    this.taps.set(name, { kinds: kinds === '*' ? '*' : new Set(kinds), apply });
  }

  /** A schedule that exists as long as the code does; written to the database at start. */
  recurring(def: ScheduleDef): void {
    parseCron(def.cron, def.timezone);
    this.recurringDefs.push(def);
  }

  /** Registers a module's declared background work (platform/module.ts `background`). */
  declare({ jobs = [], events = [] }: Background): void {
    for (const { kind, run, cron, ...opts } of jobs) {
      this.register(kind, run, opts);
      if (cron) this.recurring({ name: kind, kind, cron });
    }
    for (const e of events)
      if ('tap' in e) this.onEventBatch(e.name, e.kinds, e.tap);
      else this.onEvent(e.name, e.kinds, e.handle, { retry: e.retry, select: e.select });
  }

  async enqueue(input: EnqueueInput): Promise<string> {
    const id = await enqueueJob(this.db, input, this.now());
    this.kick();
    return id;
  }

  async start(pollMs = 1000): Promise<void> {
    this.stopped = false;
    const now = this.now();
    this.startedAt = now;
    if (this.exclusive) {
      // Nobody else can be running these: whatever was running when the process died starts over.
      await this.db
        .update(job)
        .set({ status: 'queued', leaseUntil: null, runAt: now, updatedAt: now })
        .where(eq(job.status, 'running'));
    }
    await this.recoverExpired();
    for (const def of this.recurringDefs) await upsertSchedule(this.db, def, now);
    // A new cursor starts at the newest event: events from before the processors existed are history.
    await this.db.execute(
      sql`insert into outbox_cursor (name, last_id) select ${OUTBOX_CURSOR}, coalesce(max(id), 0) from outbox_event on conflict do nothing`,
    );
    this.started = true;
    // A committed event wakes the runner at once (every process hears it); the poll is the fallback.
    this.unlisten = busOf(this.db)?.on('xf_outbox', () => this.kick()) ?? null;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unlisten?.();
    this.unlisten = null;
    await Promise.all([this.loops.bulk, this.loops.quick]);
  }

  /** Runs what is due in both lanes; a kick while a lane is busy makes it look once more before it rests. */
  kick(): void {
    if (this.stopped || !this.started) return;
    for (const lane of ['quick', 'bulk'] as const) {
      if (this.loops[lane]) {
        this.again[lane] = true;
        continue;
      }
      this.loops[lane] = (async () => {
        try {
          let more = true;
          while ((more || this.again[lane]) && !this.stopped) {
            this.again[lane] = false;
            more = false;
            if (lane === 'quick') {
              more = await this.recoverExpired();
              while (!this.stopped && (await this.pumpOutbox())) more = true;
              if (!this.stopped && (await this.tickSchedules())) more = true;
              while (!this.stopped && (await this.runOne('quick'))) more = true;
              // What the quick lane enqueued or recovered may be bulk work.
              if (more) this.kickLane('bulk');
            } else {
              while (!this.stopped && (await this.runOne('bulk'))) more = true;
              more = false;
            }
          }
        } catch (err) {
          // The database may be briefly unreachable; the next poll tries again.
          this.log.error({ err, lane }, 'job runner pass failed');
        } finally {
          this.loops[lane] = null;
        }
      })();
    }
  }

  private kickLane(lane: Lane): void {
    if (this.loops[lane]) this.again[lane] = true;
    else this.kick();
  }

  /** Waits until both lanes are idle (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.loops.bulk || this.loops.quick) await Promise.all([this.loops.bulk, this.loops.quick]);
  }

  /** Kicks and waits until nothing due is left (tests). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      this.kick();
      await this.drain();
    }
  }

  private quickKinds(): string[] {
    return [...this.kinds].filter(([, r]) => r.lane === 'quick').map(([k]) => k);
  }

  /** Jobs whose claim lapsed (their process died) are queued again; true when there were any. */
  private async recoverExpired(): Promise<boolean> {
    const now = this.now();
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`update job set status = 'queued', lease_until = null, run_at = ${now}, updated_at = ${now}
      where status = 'running' and (lease_until is null or lease_until < ${now}) returning id`,
    );
    return rows.length > 0;
  }

  /** Moves the outbox cursor over a batch of events, enqueuing one job per (event, processor). */
  private async pumpOutbox(): Promise<boolean> {
    if (this.processors.size === 0 && this.taps.size === 0) return false;
    const now = this.now();
    const moved = await this.db.transaction(async (tx) => {
      const [cur] = await queryRows<{ last_id: string | number }>(
        tx,
        sql`select last_id from outbox_cursor where name = ${OUTBOX_CURSOR} for update skip locked`,
      );
      if (!cur) return false;
      const events = await tx
        .select()
        .from(outboxEvent)
        .where(sql`${outboxEvent.id} > ${Number(cur.last_id)}`)
        .orderBy(outboxEvent.id)
        .limit(OUTBOX_BATCH);
      if (events.length === 0) return false;
      const values = [];
      for (const [name, p] of this.processors) {
        let mine = events.filter((ev) => p.kinds === '*' || p.kinds.has(ev.kind));
        if (p.select && mine.length) mine = await p.select(tx, mine);
        for (const ev of mine)
          values.push({
            tenantId: ev.tenantId,
            kind: p.kind,
            payload: { event: { ...ev, at: ev.at.toISOString() } },
            runAt: now,
            dedupeKey: `event:${name}:${ev.id}`,
            createdAt: now,
            updatedAt: now,
          });
      }
      if (values.length) await tx.insert(job).values(values).onConflictDoNothing();
      for (const t of this.taps.values()) {
        const mine = events.filter((ev) => t.kinds === '*' || t.kinds.has(ev.kind));
        if (mine.length) await t.apply(tx, mine);
      }
      await tx
        .update(outboxCursor)
        .set({ lastId: events[events.length - 1]!.id, updatedAt: now })
        .where(eq(outboxCursor.name, OUTBOX_CURSOR));
      return true;
    });
    return moved;
  }

  /** Enqueues the occurrence of every due schedule and moves each to its next occurrence. */
  private async tickSchedules(): Promise<boolean> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(schedule)
        .where(and(eq(schedule.enabled, true), sql`${schedule.nextAt} <= ${now}`))
        .orderBy(schedule.nextAt)
        .limit(20)
        .for('update', { skipLocked: true });
      for (const s of due) {
        let occurrence: Date = s.nextAt;
        try {
          const latest = latestOccurrence(s.cron, now, s.timezone);
          if (latest && latest > occurrence) occurrence = latest;
        } catch {
          // An expression that no longer parses (edited by hand): run the due one, then stop.
        }
        const iso = occurrence.toISOString();
        // Said once per schedule and start, so an operator can tell why a reminder went out late (or only once).
        if (this.startedAt && s.nextAt < this.startedAt)
          this.log.warn(
            { schedule: s.name, dueSince: s.nextAt.toISOString(), occurrence: iso },
            'a schedule fell due before this process started: run once, for its latest occurrence',
          );
        await enqueueJob(
          tx,
          {
            tenantId: s.tenantId,
            kind: s.kind,
            payload: { ...s.payload, schedule: s.name, occurrence: iso },
            runAt: occurrence,
            dedupeKey: `${s.name}@${iso}`,
          },
          now,
        );
        let next: Date | null = null;
        try {
          next = nextOccurrence(s.cron, now, s.timezone);
        } catch {
          next = null;
        }
        await tx
          .update(schedule)
          .set(
            next
              ? { nextAt: next, lastAt: occurrence, updatedAt: now }
              : { enabled: false, lastAt: occurrence, updatedAt: now },
          )
          .where(eq(schedule.name, s.name));
      }
      return due.length > 0;
    });
  }

  private async runOne(lane: Lane): Promise<boolean> {
    const quick = this.quickKinds();
    if (lane === 'quick' && quick.length === 0) return false;
    const list = sql.join(
      quick.map((k) => sql`${k}`),
      sql`, `,
    );
    const laneFilter: SQL =
      lane === 'quick' ? sql`kind in (${list})` : quick.length ? sql`kind not in (${list})` : sql`true`;
    const now = this.now();
    const claimed = await queryRows<{ id: string }>(
      this.db,
      sql`update job set status = 'running', attempts = attempts + 1, lease_until = ${new Date(now.getTime() + this.leaseMs)}, updated_at = ${now}
      where id = (select id from job where status = 'queued' and run_at <= ${now} and ${laneFilter}
                  order by run_at, created_at for update skip locked limit 1)
      returning id`,
    );
    const id = claimed[0]?.id;
    if (!id) return false;
    const { input: _input, ...columns } = getTableColumns(job);
    const [found] = await this.db
      .select({ ...columns, input64: sql<string | null>`encode(${job.input}, 'base64')` })
      .from(job)
      .where(eq(job.id, id));
    const { input64, ...rest } = found!;
    const row: JobRow = { ...rest, input: input64 === null ? null : Buffer.from(input64, 'base64') };
    const reg = this.kinds.get(row.kind);
    const maxAttempts = reg?.retry?.attempts ?? MAX_ATTEMPTS;
    if (row.attempts > maxAttempts) {
      // Interrupted too often (crashes mid-run): stop instead of crashing forever.
      await this.finish(id, reg?.retry ? 'dead' : 'failed', {
        error: { code: 'INTERRUPTED', message: '任务多次中断，已停止执行' },
      });
      return true;
    }
    let last = 0;
    const ctx: JobContext = {
      job: row,
      now: this.now,
      log: this.log,
      progress: async (done, total) => {
        const t = Date.now();
        if (t - last < 250 && done < total) return; // a progress bar, not a write per row
        last = t;
        await this.db.update(job).set({ progress: done, total, updatedAt: this.now() }).where(eq(job.id, id));
      },
    };
    // The claim holds while the handler runs; if this process dies, it lapses and another runner takes over.
    const heartbeat = setInterval(
      () => {
        const n = this.now();
        this.db
          .update(job)
          .set({ leaseUntil: new Date(n.getTime() + this.leaseMs) })
          .where(and(eq(job.id, id), eq(job.status, 'running')))
          .catch(() => {});
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      if (!reg) throw new AppError(500, 'UNKNOWN_JOB', `未知的任务类型 ${row.kind}`);
      const result = await reg.handler(ctx);
      clearInterval(heartbeat);
      // Like a write request (platform/http.ts): the read caches see the job's writes before anyone
      // can see the job as done.
      await afterLocalWrite(this.db);
      await this.finish(id, 'done', { result: result ?? null });
      METRICS.jobs.inc({ kind: row.kind, outcome: 'done' });
    } catch (err) {
      clearInterval(heartbeat);
      const error =
        err instanceof AppError
          ? { code: err.code, message: err.message, details: err.details }
          : {
              code: 'INTERNAL',
              message: reg?.retry
                ? `执行出错：${(err as Error)?.message ?? String(err)}`
                : '任务执行出错，请联系管理员',
            };
      const permanent = err instanceof AppError && err.status < 500;
      if (!reg?.retry) {
        if (!(err instanceof AppError)) this.log.error({ err, jobId: id }, 'job failed');
        await this.finish(id, 'failed', { error });
        METRICS.jobs.inc({ kind: row.kind, outcome: 'failed' });
      } else if (!permanent && row.attempts < reg.retry.attempts) {
        const runAt = new Date(this.now().getTime() + reg.retry.backoffMs(row.attempts));
        this.log.warn(
          { jobId: id, kind: row.kind, attempt: row.attempts, error: error.message },
          'job will be retried',
        );
        await this.db
          .update(job)
          .set({ status: 'queued', error, runAt, leaseUntil: null, updatedAt: this.now() })
          .where(eq(job.id, id));
        METRICS.jobs.inc({ kind: row.kind, outcome: 'retry' });
      } else {
        this.log.warn(
          { jobId: id, kind: row.kind, attempt: row.attempts, error: error.message },
          'job moved to the dead letters',
        );
        await this.finish(id, 'dead', { error });
        METRICS.jobs.inc({ kind: row.kind, outcome: 'dead' });
      }
    }
    return true;
  }

  private async finish(id: string, status: 'done' | 'failed' | 'dead', fields: { result?: unknown; error?: unknown }) {
    await this.db
      .update(job)
      .set({
        status,
        ...(status === 'done'
          ? { result: fields.result ?? null, progress: sql`greatest(${job.total}, 1)`, error: null }
          : { error: fields.error }),
        // The uploaded file is not kept once the job is over (a dead letter keeps its payload only).
        input: null,
        leaseUntil: null,
        updatedAt: this.now(),
      })
      .where(eq(job.id, id));
  }
}

/**
 * Housekeeping, nightly: events every processor has passed (older than a week) and finished event and
 * schedule jobs older than 30 days. Dead letters and user-visible jobs (imports, exports) stay.
 */
async function prune(db: Db, now: Date) {
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const events = await queryRows<{ n: number }>(
    db,
    sql`with d as (delete from outbox_event where at < ${weekAgo} and id <= (select min(last_id) from outbox_cursor) returning 1) select count(*)::int as n from d`,
  );
  const jobs = await queryRows<{ n: number }>(
    db,
    sql`with d as (delete from job where status = 'done' and dedupe_key is not null and updated_at < ${monthAgo} returning 1) select count(*)::int as n from d`,
  );
  return { events: events[0]?.n ?? 0, jobs: jobs[0]?.n ?? 0 };
}

/** A job's state as the API shows it; only its creator (or an admin of the tenant) may see it. */
export async function getJobFor(db: Db, tenantId: string, userId: string, isAdmin: boolean, id: string) {
  const [row] = await db
    .select({
      id: job.id,
      kind: job.kind,
      status: job.status,
      progress: job.progress,
      total: job.total,
      result: job.result,
      error: job.error,
      createdBy: job.createdBy,
      createdAt: job.createdAt,
    })
    .from(job)
    .where(and(eq(job.tenantId, tenantId), eq(job.id, id)));
  if (!row || (!isAdmin && row.createdBy !== userId)) throw notFound('任务不存在');
  return { ...row, createdAt: row.createdAt.toISOString() };
}

/** The dead letters of a tenant (newest first), optionally of some kinds only. */
export async function listDeadJobs(
  db: Queryable,
  tenantId: string,
  opts: { kinds?: string[]; page: number; pageSize: number },
) {
  const where = and(
    eq(job.tenantId, tenantId),
    eq(job.status, 'dead'),
    opts.kinds ? inArray(job.kind, opts.kinds) : undefined,
  );
  const { items, total } = await pageWhere(
    db
      .select({
        id: job.id,
        kind: job.kind,
        payload: job.payload,
        error: job.error,
        attempts: job.attempts,
        updatedAt: job.updatedAt,
        createdAt: job.createdAt,
      })
      .from(job)
      .$dynamic(),
    countFrom(db, job),
    where,
    [desc(job.updatedAt)],
    opts.page,
    opts.pageSize,
  );
  return { items, total };
}

/** Queues a dead letter again with fresh attempts; answers false when there is no such dead job. */
export async function resendJob(q: Queryable, tenantId: string, id: string, now: Date): Promise<boolean> {
  const rows = await q
    .update(job)
    .set({ status: 'queued', attempts: 0, runAt: now, error: null, leaseUntil: null, updatedAt: now })
    .where(and(eq(job.tenantId, tenantId), eq(job.id, id), eq(job.status, 'dead')))
    .returning({ id: job.id });
  return rows.length > 0;
}
