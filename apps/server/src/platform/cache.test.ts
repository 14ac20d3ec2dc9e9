/**
 * The read caches and their revocation guarantees, on PGlite and (with XF_TEST_PG_URL) PostgreSQL.
 * Changes made through the API must show on the very next request; changes made by raw SQL outside
 * the request path must show once their notification arrives (polled for up to 2 s).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { cached, feedOf, MAX_STALE_MS, SLOW_MS, TOPICS } from './cache';
import { sha256 } from './crypto';
import { queryRows } from './db';
import { api, adminToken, DEMO_PASSWORD, startTestApp, type TestApp } from '../testing/harness';

/** Retries `check` until it passes or 2 s pass (the notification delay of another connection). */
async function eventually(check: () => Promise<void>): Promise<void> {
  const until = Date.now() + 2000;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > until) throw e;
      await sleep(25);
    }
  }
}

describe('read caches', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  /** Raw SQL outside the app: another connection on PostgreSQL; on PGlite (one connection) the app's handle, bypassing HTTP. */
  let raw: (q: string, params?: unknown[]) => Promise<void>;
  let other: pg.Client | null = null;
  before(async () => {
    t = await startTestApp({ staleReads: true });
    if (t.services.dbKind === 'postgres') {
      other = new pg.Client({ connectionString: t.services.config.databaseUrl });
      await other.connect();
      raw = async (q, params) => void (await other!.query(q, params));
    } else {
      raw = async (q, params) => {
        let i = 0;
        const parts = q.split(/\$\d+/);
        await t.services.db.execute(
          sql.join(parts.map((p, k) => (k < parts.length - 1 ? sql`${sql.raw(p)}${params![i++]}` : sql.raw(p)))),
        );
      };
    }
  });
  after(async () => {
    await other?.end();
    await t.close();
  });

  const me = (token: string) => get('/me', token);
  const userId = async (username: string) =>
    (await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = ${username}`))[0]!.id;

  it('serves a signed-in request without looking the session up again, and a logged-out token fails on the next request', async () => {
    const token = await t.login('dangyuan');
    const other = await t.login('dangyuan');
    assert.equal((await me(token)).status, 200);
    assert.equal((await me(other)).status, 200);
    // Proof the principal is cached: with triggers off (no change feed) a deleted session still works...
    const id = await userId('dangyuan');
    await t.services.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from session where user_id = ${id} and token_hash <> ${sha256(token)}`);
    });
    assert.equal((await me(other)).status, 200);
    // ...and with the feed on, logging out revokes on the very next request.
    assert.equal((await t.request({ method: 'POST', url: '/api/v1/auth/logout', token })).status, 204);
    assert.equal((await me(token)).status, 401);
    // The logout's change (auth topic) also dropped the other cached principal, whose row is gone.
    assert.equal((await me(other)).status, 401);
  });

  it("ends the user's other sessions on the very next request after a password change", async () => {
    const a = await t.login('shuji2');
    const b = await t.login('shuji2');
    assert.equal((await me(b)).status, 200);
    const r = await post('/auth/password', a, { oldPassword: DEMO_PASSWORD, newPassword: 'Another-Pass-9' });
    assert.equal(r.status, 204);
    assert.equal((await me(b)).status, 401);
    assert.equal((await me(a)).status, 200);
  });

  it('locks out a user disabled by raw SQL on another connection', async () => {
    const token = await t.login('shenji');
    assert.equal((await me(token)).status, 200);
    await raw('update app_user set disabled = true where id = $1', [await userId('shenji')]);
    await eventually(async () => assert.equal((await me(token)).status, 401));
  });

  it('drops a role removed by raw SQL on another connection', async () => {
    const token = await t.login('shuji');
    const statsUrl = '/api/v1/members/stats';
    assert.equal((await t.request({ method: 'GET', url: statsUrl, token })).status, 200);
    await raw('delete from user_role where user_id = $1', [await userId('shuji')]);
    await eventually(async () => assert.equal((await t.request({ method: 'GET', url: statsUrl, token })).status, 403));
  });

  it('moves the scope with the org at once: a branch moved away leaves its old committee on the next request', async () => {
    const admin = await adminToken(t);
    const dianli = await t.login('dianli');
    const branch = await t.orgId('第二发电厂党支部');
    const url = `/api/v1/members/stats?orgId=${branch}`;
    assert.equal((await t.request({ method: 'GET', url, token: dianli })).status, 200);
    const dest = await t.orgId('华夏新材料有限公司党委');
    const moved = await post(`/orgs/${branch}/move`, admin, { parentId: dest });
    assert.equal(moved.status, 200, moved.raw);
    assert.equal((await t.request({ method: 'GET', url, token: dianli })).status, 403);
  });

  it('answers member stats from the cache until members change, then recounts', async () => {
    const token = await t.login('zuzhibu');
    const url = '/api/v1/members/stats';
    const feed = feedOf(t.services.db)!;
    const first = await t.request({ method: 'GET', url, token });
    assert.equal(first.status, 200);
    const n = feed.computations;
    const second = await t.request({ method: 'GET', url, token });
    assert.equal(feed.computations, n, 'second read computed again');
    assert.deepEqual(second.body, first.body);
    assert.ok(Date.parse(first.body.asOf) <= nowMs(), 'asOf is on the business clock, not ahead of it');
    // A member leaves by raw SQL: the next count (once the notification is in) has one fewer.
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where left_at is null and tenant_id = ${t.tenantId} limit 1`,
    );
    await raw('update member set left_at = current_date where id = $1', [m!.id]);
    await eventually(async () => {
      const r = await t.request({ method: 'GET', url, token });
      assert.equal(r.body.total, first.body.total - 1);
    });
  });

  it('has a data_version row and a trigger for every topic of the feed', async () => {
    const rows = await queryRows<{ topic: string }>(t.services.db, sql`select topic from data_version`);
    const triggers = await queryRows<{ arg: string }>(
      t.services.db,
      sql`select distinct encode(tgargs, 'escape') as arg from pg_trigger where tgname like '%data_version'`,
    );
    for (const topic of TOPICS) {
      assert.ok(
        rows.some((r) => r.topic === topic),
        `no data_version row for ${topic}`,
      );
      assert.ok(
        triggers.some((r) => r.arg.startsWith(topic)),
        `no trigger bumps ${topic}`,
      );
    }
  });

  it(
    'lets two connections bump one topic at once (sharded counters), and a commit that lands last still invalidates',
    { skip: !process.env.XF_TEST_PG_URL && 'one connection on the embedded database: nothing to queue behind' },
    async () => {
      // Two connections whose backends fall on different shards (pid mod 16, migration 0067).
      const clients: pg.Client[] = [];
      const shard = async (c: pg.Client) => Number((await c.query('select pg_backend_pid() % 16 as s')).rows[0].s);
      try {
        for (let i = 0; i < 20 && clients.length < 2; i++) {
          const c = new pg.Client({ connectionString: t.services.config.databaseUrl });
          await c.connect();
          if (clients.length && (await shard(clients[0]!)) === (await shard(c))) await c.end();
          else clients.push(c);
        }
        const [a, b] = clients as [pg.Client, pg.Client];
        const feed = feedOf(t.services.db)!;
        const before = feed.stamp(['dues']);
        // A statement trigger fires for a statement that changes no row: each transaction bumps `dues`.
        const bump = 'update dues_bill set status = status where false';
        await a.query('begin');
        await a.query(bump);
        await b.query('begin');
        await b.query(`set local lock_timeout = '2s'`);
        await b.query(bump); // with one row per topic this waited for A's commit and failed after 2 s
        await b.query('commit');
        await eventually(async () => assert.notEqual(feed.stamp(['dues']), before, "B's commit is seen"));
        const afterB = feed.stamp(['dues']);
        await a.query('commit');
        await eventually(async () =>
          assert.notEqual(feed.stamp(['dues']), afterB, "A's lower version, committed last, is seen too"),
        );
      } finally {
        for (const c of clients) await c.end();
      }
    },
  );

  it('single-flights concurrent misses and keeps cheap entries exact', async () => {
    let runs = 0;
    const compute = async () => {
      runs++;
      await sleep(20);
      return runs;
    };
    const got = await Promise.all([1, 2, 3, 4].map(() => cached(t.services.db, 'test.flight', ['member'], compute)));
    assert.deepEqual(
      got.map((g) => g.value),
      [1, 1, 1, 1],
    );
    await raw('update member set left_at = left_at where false');
    await eventually(async () => {
      const r = await cached(t.services.db, 'test.flight', ['member'], compute);
      assert.equal(r.stale, false);
      assert.equal(r.value, 2);
    });
  });

  it('serves an expensive entry stale while one background recount runs, and says so', async () => {
    let runs = 0;
    const compute = async () => {
      runs++;
      await sleep(SLOW_MS + 50);
      return runs;
    };
    const first = await cached(t.services.db, 'test.slow', ['org'], compute);
    assert.equal(first.value, 1);
    await raw('update org set name = name where false');
    await eventually(async () => {
      const r = await cached(t.services.db, 'test.slow', ['org'], compute);
      assert.equal(r.stale, true);
      assert.equal(r.value, 1);
      assert.equal(r.asOf.getTime(), first.asOf.getTime());
    });
    // Many stale reads meanwhile start no second recount.
    await Promise.all([1, 2, 3].map(() => cached(t.services.db, 'test.slow', ['org'], compute)));
    await eventually(async () => {
      const r = await cached(t.services.db, 'test.slow', ['org'], compute);
      assert.equal(r.stale, false);
      assert.equal(r.value, 2);
    });
    assert.equal(runs, 2);
    assert.ok(MAX_STALE_MS <= 60_000);
  });

  it('treats everything as stale while the change feed is down and after it reconnects', async () => {
    const feed = feedOf(t.services.db)!;
    let runs = 0;
    const compute = async () => ++runs;
    await cached(t.services.db, 'test.reconnect', ['member'], compute);
    assert.equal((await cached(t.services.db, 'test.reconnect', ['member'], compute)).value, 1);
    if (t.services.dbKind === 'postgres') {
      // Kill the LISTEN connection (its last statement is one of its LISTENs: the feed's or the bus's):
      // the feed must distrust everything until it is back.
      await raw(
        "select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN xf%' and datname = current_database()",
      );
      await eventually(async () => assert.equal(feed.stamp(['member']), null));
      assert.equal((await cached(t.services.db, 'test.reconnect', ['member'], compute)).value, 2);
      await eventually(async () => assert.notEqual(feed.stamp(['member']), null));
    } else {
      feed.disconnected();
      assert.equal((await cached(t.services.db, 'test.reconnect', ['member'], compute)).value, 2);
      await feed.connected();
    }
    // Back: the value computed while down is not trusted either; the next one is, and is kept.
    const back = await cached(t.services.db, 'test.reconnect', ['member'], compute);
    assert.equal(back.value, 3);
    assert.equal((await cached(t.services.db, 'test.reconnect', ['member'], compute)).value, 3);
  });
});
