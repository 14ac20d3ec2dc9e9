/**
 * Crash safety of the dues module, on the real server process (testing/serverProcess.ts):
 * - the monthly bill run is SIGKILLed after its first chunk committed; after the restart the
 *   requeued job finishes: every eligible member has exactly one bill for the month at the right
 *   amount, a second run finds nothing to create, no other month changed, the audit chain holds;
 * - a WeChat Pay notification is SIGKILLed twice while being handled — once with everything
 *   written but not committed, once committed but not yet acknowledged — and the provider retries
 *   the same notification each time: the bill is paid once, one payment, one audit entry, one receipt.
 * The kill points are the test-only hold points of platform/holdpoint.ts (XF_TEST_HOLD), so the
 * kill lands at a known step every time. Runs on the embedded database and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteDues } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { DEMO_PASSWORD } from '../../demo/seed';
import { useAuditKeys, verifyAuditChain } from '../../platform/audit';
import { loadSecretMaterial } from '../../platform/crypto';
import { openDatabase, queryRows, type Db } from '../../platform/db';
import {
  api,
  crashTargets,
  login,
  startServer,
  waitForJob,
  type ServerEnv as Env,
  type ServerProcess,
} from '../../testing/serverProcess';
import { startFakePayProvider, type Delivery } from './fake/provider';
import { addMonths, billPartition, currentMonth, monthStart } from './service';

const SEEDED = 3000;
const BASE_FEN = 500_000; // 5,000 元 a month: 1% → 50 元
const EXPECTED_FEN = quoteDues('employed', BASE_FEN).monthlyFen;

/** Opens the server's database in this process while the server is down. */
async function withDb<T>(env: Env, fn: (db: Db) => Promise<T>): Promise<T> {
  const d = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.XF_DATA_DIR });
  // The server's audit key (its installation secret), to verify and extend its chain here.
  useAuditKeys(loadSecretMaterial(env.XF_SECRET_KEY, env.XF_DATA_DIR ?? null));
  try {
    return await fn(d.db);
  } finally {
    await d.close();
  }
}

const one = async <T>(db: Db, q: ReturnType<typeof sql>) => (await queryRows<T>(db, q))[0]!;

/** Adds SEEDED employed members with a 5,000 元 base, spread over the demo's branches. */
async function seedMembers(db: Db) {
  // Every stored column, whatever the member table has grown (generated ones are computed by the database).
  const cols = (
    await queryRows<{ c: string }>(
      db,
      sql`select column_name as c from information_schema.columns where table_name = 'member' and table_schema = current_schema() and is_generated = 'NEVER' order by ordinal_position`,
    )
  )
    .map((r) => `"${r.c}"`)
    .join(', ');
  await db.execute(sql`
    with src as (select * from member where left_at is null and user_id is null and joined_at < '2000-01-01' order by id limit 1),
    branches as (select id, row_number() over (order by path) - 1 as k, count(*) over () as n from org where kind = 'branch'),
    gs as (select g from generate_series(1, ${SEEDED}) g)
    insert into member (${sql.raw(cols)})
    select ${sql.raw(cols)} from (select (jsonb_populate_record(null::member, to_jsonb(src) || jsonb_build_object(
      'id', gen_random_uuid(), 'org_id', b.id, 'name', '压测党员' || g, 'id_card_idx', md5('crash-seed-' || g),
      'dues_category', 'employed', 'user_id', null))).*
    from src cross join gs join branches b on b.k = g % b.n) x`);
  const q = quoteDues('employed', BASE_FEN);
  await db.execute(sql`
    insert into dues_base (tenant_id, org_id, member_id, effective_from, category, monthly_base_fen, rate_bp, monthly_fen, source)
    select tenant_id, org_id, id, '2000-01-01', 'employed', ${BASE_FEN}, ${q.rateBp}, ${q.monthlyFen}, 'manual' from member where name like '压测党员%'`);
}

/** A fingerprint of every bill outside `month`: must not change. */
const otherBills = (db: Db, month: string) =>
  one<{ h: string; n: number }>(
    db,
    sql`select md5(coalesce(string_agg(id::text || status || due_fen || coalesce(payment_id::text, ''), ',' order by id), '')) as h, count(*)::int as n
      from dues_bill where month <> ${monthStart(month)}::date`,
  );

async function killDuringBillRun(env: Env) {
  const month = addMonths(currentMonth(), 1);
  // First start seeds the demo; stop it, add the bulk members, start again with the hold point.
  await (await startServer(env)).stop();
  const before = await withDb(env, async (db) => {
    await seedMembers(db);
    return otherBills(db, month);
  });

  let server = await startServer({ ...env, XF_TEST_HOLD: 'dues.generate.chunk' });
  let token = await login(server.url, 'zuzhibu', DEMO_PASSWORD);
  const started = await api(server.url, token, '/dues/bills/generate', {
    method: 'POST',
    body: JSON.stringify({ month }),
  });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const jobId = started.body.jobId as string;
  await server.waitForLine(/^XF-HOLD dues\.generate\.chunk$/);
  const running = (await api(server.url, token, `/jobs/${jobId}`)).body;
  await server.kill();
  assert.equal(running.status, 'running', 'the server was killed while the bill run was running');

  // A new month is loaded into its own table, attached when the run ends (migration 0073): count there.
  const partial = await withDb(env, (db) =>
    one<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(billPartition(month))}`),
  );
  const visible = await withDb(env, (db) =>
    one<{ n: number }>(db, sql`select count(*)::int as n from dues_bill where month = ${monthStart(month)}::date`),
  );
  assert.equal(visible.n, 0, 'no bill of the half-loaded month is visible before the run ends');
  assert.ok(
    partial.n > 0,
    'the first chunk was committed before the kill (the rest is checked below: the rerun had more to do)',
  );

  server = await startServer(env);
  try {
    token = await login(server.url, 'zuzhibu', DEMO_PASSWORD);
    const job = await waitForJob(server.url, token, jobId);
    assert.equal(job.status, 'done', `the interrupted run finishes after the restart: ${JSON.stringify(job)}`);
    assert.ok(job.result.bills > partial.n, 'the rerun created the rest');
    assert.equal(
      job.result.created,
      job.result.bills - partial.n,
      'the rerun created exactly what the first attempt had not',
    );
    // Nothing missing: running the month again creates nothing.
    const again = await api(server.url, token, '/dues/bills/generate', {
      method: 'POST',
      body: JSON.stringify({ month }),
    });
    const second = await waitForJob(server.url, token, again.body.jobId);
    assert.equal(second.status, 'done');
    assert.equal(second.result.created, 0, 'a second run finds every bill already there');
    assert.equal(second.result.bills, job.result.bills);
  } finally {
    await server.stop();
  }

  await withDb(env, async (db) => {
    const seeded = await one<{ members: number; bills: number; right: number; dup: number }>(
      db,
      sql`select count(distinct m.id)::int as members, count(b.id)::int as bills, count(b.id) filter (where b.due_fen = ${EXPECTED_FEN} and b.status = 'unpaid')::int as right,
        (select count(*)::int from (select member_id from dues_bill where month = ${monthStart(month)}::date group by member_id having count(*) > 1) d) as dup
        from member m left join dues_bill b on b.member_id = m.id and b.month = ${monthStart(month)}::date where m.name like '压测党员%'`,
    );
    assert.deepEqual(
      seeded,
      { members: SEEDED, bills: SEEDED, right: SEEDED, dup: 0 },
      'each bulk member: one bill, 50 元',
    );
    assert.deepEqual(await otherBills(db, month), before, 'no bill of another month changed');
    const audits = await queryRows<{ after: { created: number; bills: number } }>(
      db,
      sql`select after from audit_log where action = 'dues.bills.generate' order by id`,
    );
    assert.equal(audits.length, 2, 'one audit entry per completed run (the killed attempt wrote none)');
    const chain = await verifyAuditChain(db);
    assert.ok(chain.ok, `audit chain verifies: ${JSON.stringify(chain)}`);
  });
}

async function killDuringPaymentCallback(env: Env) {
  const fake = await startFakePayProvider();
  let server: ServerProcess | null = null;
  // The provider posts to wherever the merchant currently runs; an unanswered post counts as not acknowledged.
  fake.deliver = async (d: Delivery) => {
    const res = await fetch(`${server!.url}${new URL(d.url).pathname}`, {
      method: 'POST',
      headers: d.headers,
      body: d.body,
    });
    return { status: res.status, body: await res.text() };
  };
  const payEnv = { ...env, ...fake.env('https://dangjian.example.com') };
  try {
    server = await startServer({ ...payEnv, XF_TEST_HOLD: 'dues.settle.in-tx' });
    const member = await login(server.url, 'dangyuan', DEMO_PASSWORD);
    const bills = (await api(server.url, member, '/dues/me/bills?status=unpaid')).body.items as {
      id: string;
      month: string;
      dueFen: number;
    }[];
    const bill = bills.find((b) => b.month === currentMonth())!;
    assert.ok(bill, 'the demo member has this month’s bill open');
    const ordered = await api(server.url, member, `/dues-bills/${bill.id}/pay`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'wechat', tradeType: 'h5' }),
    });
    assert.equal(ordered.status, 200, JSON.stringify(ordered.body));
    const { outTradeNo, id: paymentId } = ordered.body.payment as { outTradeNo: string; id: string };
    // WeChat Pay resends the same notification until it gets a 2xx.
    const notification = fake.wechatNotification(outTradeNo);

    // 1. Killed with the bill, the payment and the audit entry written but not committed.
    const first = fake.deliver(notification).then(
      (r) => r.status,
      () => 'no answer',
    );
    await server.waitForLine(/^XF-HOLD dues\.settle\.in-tx$/);
    await server.kill();
    assert.equal(await first, 'no answer');

    // 2. The retry commits, and the server is killed before it answers.
    server = await startServer({ ...payEnv, XF_TEST_HOLD: 'dues.settle.committed' });
    const second = fake.deliver(notification).then(
      (r) => r.status,
      () => 'no answer',
    );
    await server.waitForLine(/^XF-HOLD dues\.settle\.committed$/);
    await server.kill();
    assert.equal(await second, 'no answer');

    // 3. The next retry is acknowledged as a replay; once more changes nothing either.
    server = await startServer(payEnv);
    assert.equal((await fake.deliver(notification)).status, 204);
    assert.equal((await fake.deliver(notification)).status, 204);
    const me = await login(server.url, 'dangyuan', DEMO_PASSWORD);
    const receipt = await api(server.url, me, `/dues-payments/${paymentId}/receipt`);
    assert.equal(receipt.status, 200, 'the receipt is issued');
    assert.equal(receipt.body.amountFen, bill.dueFen);
    await server.stop();
    server = null;

    await withDb(env, async (db) => {
      const state = await one<{
        bill_status: string;
        bill_payment: string;
        paid: number;
        audits: number;
        verdicts: string;
      }>(
        db,
        sql`select (select status from dues_bill where id = ${bill.id}) as bill_status, (select payment_id::text from dues_bill where id = ${bill.id}) as bill_payment,
          (select count(*)::int from dues_payment p join dues_payment_bill pb on pb.payment_id = p.id where pb.bill_id = ${bill.id} and p.status = 'paid') as paid,
          (select count(*)::int from audit_log where action = 'dues.payment.paid' and entity_id = ${paymentId}) as audits,
          (select string_agg(verdict, ',' order by received_at, id) from dues_notify_log where out_trade_no = ${outTradeNo}) as verdicts`,
      );
      assert.deepEqual(
        state,
        { bill_status: 'paid', bill_payment: paymentId, paid: 1, audits: 1, verdicts: 'replay,replay' },
        'paid exactly once',
      );
      const chain = await verifyAuditChain(db);
      assert.ok(chain.ok, `audit chain verifies: ${JSON.stringify(chain)}`);
    });
  } finally {
    await server?.stop();
    await fake.close();
  }
}

describe('dues crash safety', () => {
  const on = crashTargets('xf-crash-dues-');
  it(
    'bill run killed after its first chunk resumes to exactly one bill per member (embedded database)',
    { skip: on.noEmbedded },
    () => on.embedded(killDuringBillRun),
  );
  it(
    'bill run killed after its first chunk resumes to exactly one bill per member (PostgreSQL)',
    { skip: on.noPostgres },
    () => on.postgres(killDuringBillRun),
  );
  it(
    'payment notification killed before and after commit is paid exactly once on retry (embedded database)',
    { skip: on.noEmbedded },
    () => on.embedded(killDuringPaymentCallback),
  );
  it(
    'payment notification killed before and after commit is paid exactly once on retry (PostgreSQL)',
    { skip: on.noPostgres },
    () => on.postgres(killDuringPaymentCallback),
  );
});
