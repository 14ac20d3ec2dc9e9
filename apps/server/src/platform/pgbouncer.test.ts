/**
 * Behind PgBouncer in transaction mode (issue 26): two real server processes whose pooled queries go through a
 * PgBouncer with two server connections, and whose session needs (migrations, the start-up lock, LISTEN) use
 * DATABASE_DIRECT_URL. In transaction mode a server connection is handed to another client after every
 * transaction, so anything that relies on session state between statements — a session advisory lock, a plain
 * SET, LISTEN on a pooled client, named prepared statements — breaks here.
 *
 * Needs PostgreSQL (XF_TEST_PG_URL) and Debian's pgbouncer (tools/test.mjs installs it when PostgreSQL is there);
 * skipped with a message otherwise.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { DEMO_PASSWORD } from '../demo/seed';
import { freshPostgres } from '../testing/harness';
import { PGBOUNCER_BIN, startPgBouncer, type PgBouncer } from '../testing/pgbouncer';
import {
  writeSeenFreshAcross,
  api,
  login,
  publishMeeting,
  schedulerTicks,
  secretaryOrg,
  startServer,
  within,
  type ServerProcess,
} from '../testing/serverProcess';

const SECRET = 'pgbouncer-test-secret-0123456789abc';
const METRICS_TOKEN = 'pgbouncer-metrics-token-012345678';

const skip =
  (!process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run (set XF_TEST_PG_URL)') ||
  (!fs.existsSync(PGBOUNCER_BIN) && `no PgBouncer at ${PGBOUNCER_BIN} (apt-get install pgbouncer)`);

// A start that hangs (a session lock through the bouncer) fails the suite instead of holding the run.
describe('two server processes behind PgBouncer in transaction mode', { skip, timeout: 600_000 }, () => {
  let db: { url: string; drop(): Promise<void> };
  let bouncer: PgBouncer;
  let pooledUrl: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const dirs: string[] = [];
  const env = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-bouncer-'));
    dirs.push(d);
    return {
      DATABASE_URL: pooledUrl,
      DATABASE_DIRECT_URL: db.url,
      XF_DB_POOL_MAX: '4',
      XF_DATA_DIR: d,
      XF_SECRET_KEY: SECRET,
      XF_DEMO: '1',
      XF_TEST_TICK: '* * * * * *',
      XF_JOB_POLL_MS: '50',
      XF_METRICS_TOKEN: METRICS_TOKEN,
    };
  };
  /** The bouncer's own counters for the test database (its admin console speaks the simple query protocol only). */
  const bouncerStats = async () => {
    const admin = new pg.Client({
      host: '127.0.0.1',
      port: bouncer.port,
      user: new URL(db.url).username || 'postgres',
      database: 'pgbouncer',
    });
    await admin.connect();
    try {
      const name = new URL(db.url).pathname.slice(1);
      const stats = (await admin.query('SHOW STATS')).rows.find((r: { database: string }) => r.database === name);
      const pools = (await admin.query('SHOW POOLS')).rows.filter((r: { database: string }) => r.database === name);
      return { xacts: Number(stats?.total_xact_count ?? 0), pools };
    } finally {
      await admin.end();
    }
  };

  /**
   * What the database and the bouncer were doing, for a step that hung: a wait on a lock, or every server
   * connection held by an open transaction while another query of the same request waits for one.
   */
  const diagnose = async () => {
    const direct = new pg.Client({ connectionString: db.url });
    await direct.connect();
    try {
      const activity = await direct.query(
        `select pid, state, wait_event_type, wait_event, now() - xact_start as in_xact, left(query, 160) as query
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      const { pools } = await bouncerStats().catch(() => ({ pools: [] }));
      return [
        `pg_stat_activity: ${JSON.stringify(activity.rows, null, 1)}`,
        `bouncer pools: ${JSON.stringify(pools)}`,
        `bouncer log: ${bouncer.log().slice(-1500)}`,
        `A: ${a.output().slice(-1500)}`,
        `B: ${b.output().slice(-1500)}`,
      ].join('\n');
    } finally {
      await direct.end();
    }
  };
  /** A step that has not finished in 150 s fails with `diagnose()` instead of waiting for the suite's timeout. */
  const guarded = (fn: () => Promise<void>) => async () => {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, fail) => {
      timer = setTimeout(() => void diagnose().then((d) => fail(new Error(`hung for 150 s:\n${d}`)), fail), 150_000);
    });
    try {
      await Promise.race([fn(), hung]);
    } finally {
      clearTimeout(timer);
    }
  };

  before(async () => {
    db = (await freshPostgres())!;
    bouncer = (await startPgBouncer(new URL(db.url), 2))!;
    const u = new URL(db.url);
    u.port = String(bouncer.port);
    pooledUrl = u.toString();
    [a, b] = await Promise.all([startServer(env()), startServer(env())]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await bouncer?.stop();
    await db?.drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it(
    'both start at once on an empty database (one migrates and seeds) and serve the demo, the queries through the bouncer',
    guarded(async () => {
      assert.ok(a && b, 'both servers are listening');
      const token = await login(a.url, 'zuzhibu', DEMO_PASSWORD);
      const orgs = await api(b.url, token, '/orgs');
      assert.equal(orgs.status, 200, JSON.stringify(orgs.body));
      const roots = (orgs.body as { items: { name: string }[] }).items.filter((o) => o.name === '华夏能源集团党委');
      assert.equal(roots.length, 1, 'one demo enterprise, not two');
      const { xacts, pools } = await bouncerStats();
      assert.ok(xacts > 100, `the seeding and the requests went through the bouncer (${xacts} transactions)`);
      assert.ok(pools.length > 0, 'the bouncer has a pool for the test database');
    }),
  );

  it(
    'answers many requests of several users at once over two server connections',
    guarded(async () => {
      const users = ['zuzhibu', 'shuji', 'dangyuan', 'dianli'];
      const tokens = await Promise.all(users.map((u) => login(users.indexOf(u) % 2 ? b.url : a.url, u, DEMO_PASSWORD)));
      const paths = [
        '/me',
        '/orgs',
        '/members?pageSize=20',
        '/meetings?pageSize=20',
        '/notifications?pageSize=20',
        '/dues/bills?pageSize=20',
      ];
      const before = (await bouncerStats()).xacts;
      const answers = await Promise.all(
        tokens.flatMap((t, i) =>
          paths.map((p, j) =>
            api((i + j) % 2 ? a.url : b.url, t, p).then((r) => ({ p, user: users[i], status: r.status, body: r.body })),
          ),
        ),
      );
      const bad = answers.filter((r) => r.status >= 500);
      assert.deepEqual(bad, [], 'no request failed on the server');
      assert.ok(
        answers.filter((r) => r.status === 200).length >= tokens.length * 3,
        `most answered 200: ${answers.map((r) => `${r.user} ${r.p} ${r.status}`).join(', ')}`,
      );
      assert.ok((await bouncerStats()).xacts > before, 'through the bouncer');
    }),
  );

  it(
    'a write through A is seen fresh by B’s cache: the change feed LISTENs on the direct connection',
    guarded(async () => {
      await writeSeenFreshAcross(a.url, b.url, '连接池', '11010519800101456');
      const metrics = await fetch(`${b.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.match(await metrics.text(), /^xf_change_feed_up 1$/m, 'B’s change feed is up');
    }),
  );

  it(
    'publishes a meeting (a transaction with notices and an advisory lock) and runs each scheduled occurrence once',
    guarded(async () => {
      const secretary = await login(a.url, 'shuji', DEMO_PASSWORD);
      await publishMeeting(a.url, secretary, await secretaryOrg(a.url, secretary), '连接池测试', b.url);
      const member = await login(b.url, 'dangyuan', DEMO_PASSWORD);
      const told = await within(10_000, async () =>
        JSON.stringify((await api(a.url, member, '/notifications?pageSize=50')).body).includes('连接池测试'),
      );
      assert.ok(told >= 0, 'the member’s notice was delivered');
      // The scheduler's occurrences are claimed in transactions through the bouncer: each second once, not twice.
      assert.ok(
        (await within(10_000, async () => schedulerTicks(a).length + schedulerTicks(b).length >= 3)) >= 0,
        'occurrences ran',
      );
      const all = [...schedulerTicks(a), ...schedulerTicks(b)];
      assert.equal(new Set(all).size, all.length, `each occurrence once: ${all.join(' ')}`);
    }),
  );
});
