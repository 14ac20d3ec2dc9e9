/**
 * PostgreSQL read replica (issue 26, platform/replica.ts): a real primary and streaming standby started from
 * Debian's binaries on loopback (testing/pgReplica.ts), the app on the primary with DATABASE_READ_URL on the
 * standby. Proves: the heavy reads run on the standby (its own statement log, and pg_is_in_recovery() through
 * the read handle); a write is read back at once although the standby has stopped replaying (freshness guard);
 * with the standby down the app answers from the primary and warns once; it uses the standby again when it is back.
 *
 * Runs in the PostgreSQL stage of `npm test` (XF_TEST_PG_URL set) where the binaries are; skipped with a message
 * otherwise.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from './config';
import { METRICS } from './counters';
import { queryRows, readDb } from './db';
import { routable } from './replica';
import { api, adminToken, startTestApp, type TestApp } from '../testing/harness';
import { postgresBin, startReplicaPair, type ReplicaPair } from '../testing/pgReplica';
import { memberBody } from '../testing/serverProcess';

const skip =
  (!process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run (set XF_TEST_PG_URL)') ||
  (!postgresBin() &&
    'no PostgreSQL binaries with pg_basebackup under /usr/lib/postgresql (apt-get install postgresql)');

describe('DATABASE_READ_URL settings', () => {
  it('needs DATABASE_URL, and XF_READ_WAIT_MS is bounded', () => {
    assert.throws(
      () => loadConfig({ DATABASE_READ_URL: 'postgres://127.0.0.1/x' }),
      /DATABASE_READ_URL: a read replica needs DATABASE_URL/,
    );
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://a/x', XF_READ_WAIT_MS: '60000' }), /XF_READ_WAIT_MS/);
    const c = loadConfig({ DATABASE_URL: 'postgres://a/x', DATABASE_READ_URL: 'postgres://b/x' });
    assert.deepEqual([c.databaseReadUrl, c.readWaitMs], ['postgres://b/x', 250]);
    assert.equal(loadConfig({}).databaseReadUrl, undefined, 'without it nothing changes');
  });
});

describe('routable statements', () => {
  it('sends only plain reads to the replica', () => {
    for (const q of [
      'select 1',
      '  WITH x as (select 1) select * from x',
      'select count(*) from "member" where "updated_at" > $1',
    ])
      assert.equal(routable(q), true, q);
    for (const q of [
      'insert into member values (1)',
      'update member set name = $1',
      'with d as (delete from job returning id) select * from d',
      'select * from job for update skip locked',
      'select pg_advisory_xact_lock(1)',
      "select nextval('s')",
      'begin',
      'set local statement_timeout = 1000',
    ])
      assert.equal(routable(q), false, q);
  });
});

describe('a streaming read replica (DATABASE_READ_URL)', { skip, timeout: 120_000 }, () => {
  let pair: ReplicaPair;
  let t: TestApp;
  const { get, post } = api(() => t);
  let token: string;
  let branch: string;
  const warnings: string[] = [];
  let seq = 0;

  const reads = (to: string, reason: string) => METRICS.replicaReads.get({ to, reason });
  const standby = async (q: string) => {
    const c = new pg.Client({ connectionString: pair.standbyUrl });
    await c.connect();
    try {
      return (await c.query(q)).rows;
    } finally {
      await c.end();
    }
  };
  /**
   * Each statement the server ran (with the app name `app`), after `from` characters of its log: one entry per log
   * record — a multi-line statement's later lines carry no `app|` prefix and stay with its first.
   */
  const statements = (log: string, from: number, app?: string) =>
    log
      .slice(from)
      .split(/\n(?=[\w.-]*\|)/)
      .filter((l) => (app === undefined || l.startsWith(`${app}|`)) && /(execute [^:]*|statement): /.test(l))
      .map((l) => l.replace(/^.*?(execute [^:]*|statement): /, ''));
  /** Waits until the standby has replayed everything the primary has written so far (a loaded machine may lag). */
  const caughtUp = async () => {
    const [{ lsn }] = (await queryRows<{ lsn: string }>(
      t.services.db,
      sql`select pg_current_wal_lsn()::text as lsn`,
    )) as [{ lsn: string }];
    for (let i = 0; i < 200; i++) {
      const [row] = await standby(`select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as ok`);
      if (row.ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('the standby did not catch up within 10 s');
  };
  const addMember = async (name: string) => {
    const first17 = `1101051980010${String(1000 + seq++).slice(-4)}`;
    const r = await post('/members', token, memberBody(branch, name, first17));
    assert.equal(r.status, 201, r.raw);
  };
  const memberTotal = async () => {
    const r = await get(`/members/stats?orgId=${branch}`, token);
    assert.equal(r.status, 200, r.raw);
    return r.body.total as number;
  };

  before(async () => {
    pair = (await startReplicaPair())!;
    t = await startTestApp({
      demo: false,
      postgres: { url: pair.primaryUrl, readUrl: pair.standbyUrl, readWaitMs: 100, warn: (m) => warnings.push(m) },
    });
    token = await adminToken(t);
    const r = await post('/orgs', token, { parentId: t.rootOrgId, name: '第一党支部', kind: 'branch' });
    assert.equal(r.status, 201, r.raw);
    branch = r.body.id;
    await addMember('张三');
  });
  after(async () => {
    await t?.close();
    pair?.stop();
  });

  it('runs the 驾驶舱 and other statistics on the standby, not on the primary', async () => {
    await caughtUp();
    const [onRead] = await queryRows<{ r: boolean }>(readDb(t.services.db), sql`select pg_is_in_recovery() as r`);
    const [onPrimary] = await queryRows<{ r: boolean }>(t.services.db, sql`select pg_is_in_recovery() as r`);
    assert.deepEqual(
      [onRead?.r, onPrimary?.r],
      [true, false],
      'the read handle reaches the standby, the ordinary one the primary',
    );

    const [s0, p0, fresh0] = [pair.standbyLog().length, pair.primaryLog().length, reads('replica', 'fresh')];
    const r = await get(`/dashboard?orgId=${t.rootOrgId}`, token);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.members.total, 1, JSON.stringify(r.body.members));
    const onStandby = statements(pair.standbyLog(), s0, 'xianfeng-read').filter(
      (q) => !q.includes('pg_last_wal_replay_lsn'),
    );
    assert.ok(
      onStandby.length >= 5,
      `the dashboard's queries ran on the standby (${onStandby.length}): ${onStandby.join('\n')}`,
    );
    assert.ok(
      onStandby.some((q) => /from "?member"?/.test(q)),
      'the member figures among them',
    );
    // The log is written a moment after the statement: the primary's log of the same request, then compare.
    const onPrimaryLog = new Set(statements(pair.primaryLog(), p0));
    const both = onStandby.filter((q) => onPrimaryLog.has(q));
    assert.deepEqual(both, [], 'none of them also ran on the primary');
    assert.ok(reads('replica', 'fresh') - fresh0 >= onStandby.length, 'counted in xf_db_read_statements_total');

    // 决策参考 reads as much as the 驾驶舱 (every branch's cadence, dues, 整改, terms): the standby too.
    const s1 = pair.standbyLog().length;
    const a = await get(`/stats/attention?orgId=${t.rootOrgId}`, token);
    assert.equal(a.status, 200, a.raw);
    const attention = statements(pair.standbyLog(), s1, 'xianfeng-read').filter(
      (q) => !q.includes('pg_last_wal_replay_lsn'),
    );
    assert.ok(
      attention.some((q) => /from member_lost/.test(q)) && attention.some((q) => /"learn_item"/.test(q)),
      `the attention list's queries ran on the standby: ${attention.join('\n')}`,
    );
  });

  it('reads a write back at once while the standby has stopped replaying (freshness guard)', async () => {
    const before = await memberTotal();
    await standby('select pg_wal_replay_pause()');
    try {
      const behind0 = reads('primary', 'replica_behind');
      await addMember('李四');
      // The standby does not have the new member; the guard sees that and asks the primary.
      assert.equal(await memberTotal(), before + 1, 'the writer sees its own new member');
      assert.ok(
        reads('primary', 'replica_behind') > behind0,
        'the statistics went to the primary because the standby is behind',
      );
      const [lagging] = await standby(`select count(*)::int as n from member where name = '李四'`);
      assert.equal(lagging.n, 0, 'the standby indeed does not have it yet');
    } finally {
      await standby('select pg_wal_replay_resume()');
    }
    // Caught up: the next recomputation runs on the standby again and counts the member.
    await caughtUp();
    const fresh0 = reads('replica', 'fresh');
    const r = await get(`/dashboard?orgId=${t.rootOrgId}`, token);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.members.total, before + 1);
    assert.ok(reads('replica', 'fresh') > fresh0, 'back on the standby');
  });

  it('keeps answering from the primary while the standby is down, warns once, and uses it again when it is back', async () => {
    const before = await memberTotal();
    pair.stopStandby();
    const down0 = reads('primary', 'replica_down');
    await addMember('王五');
    assert.equal(await memberTotal(), before + 1, 'statistics answered from the primary');
    const r = await get(`/dashboard?orgId=${t.rootOrgId}`, token);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.members.total, before + 1);
    assert.ok(reads('primary', 'replica_down') > down0, 'counted as replica_down');
    const told = warnings.filter((w) => w.includes('read replica (DATABASE_READ_URL) not usable'));
    assert.equal(told.length, 1, `one warning for the outage: ${warnings.join(' / ')}`);

    pair.startStandby();
    const t0 = Date.now();
    let back = false;
    while (!back && Date.now() - t0 < 20_000) {
      const [row] = await queryRows<{ r: boolean }>(readDb(t.services.db), sql`select pg_is_in_recovery() as r`);
      back = row?.r === true;
      if (!back) await new Promise((res) => setTimeout(res, 250));
    }
    assert.ok(back, 'the read handle reaches the standby again after it restarts');
    assert.ok(
      warnings.some((w) => w.includes('answers again')),
      'and says so',
    );
  });
});
