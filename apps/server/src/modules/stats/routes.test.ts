// @fixed-days: this month and 党龄 bands in the 驾驶舱 (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idCardCheckChar, todayInChina, nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { adminToken, startTestApp, type TestApp } from '../../testing/harness';

const idFor = (birth: string, seq: string) => {
  const first17 = `110101${birth.replace(/-/g, '')}${seq}`;
  return first17 + idCardCheckChar(first17);
};

describe('驾驶舱 (dashboard)', () => {
  let t: TestApp;
  let admin: string;
  let top: string;
  let topPath: string;
  let branchA: string;
  const month = todayInChina().slice(0, 7);
  const get = (token: string, orgId?: string) =>
    t.request({ method: 'GET', url: `/api/v1/dashboard${orgId ? `?orgId=${orgId}` : ''}`, token });

  /** Counted straight from the tables, apart from the services the dashboard uses. */
  const expected = async (path: string) => {
    const [m] = await queryRows<{ total: number; full: number; prob: number }>(
      t.services.db,
      sql`select count(*)::int as total, (count(*) filter (where m.status = 'full'))::int as full, (count(*) filter (where m.status = 'probationary'))::int as prob
          from member m join org o on o.id = m.org_id where o.path like ${`${path}%`} and m.left_at is null and m.suspended_on is null`,
    );
    const [b] = await queryRows<{ bills: number; paid_bills: number; billed: number; paid: number }>(
      t.services.db,
      sql`select count(*)::int as bills, (count(*) filter (where b.status = 'paid'))::int as paid_bills,
            coalesce(sum(b.due_fen), 0)::int as billed, coalesce(sum(b.due_fen) filter (where b.status = 'paid'), 0)::int as paid
          from dues_bill b join org o on o.id = b.org_id where o.path like ${`${path}%`} and b.month = ${`${month}-01`}::date`,
    );
    const [d] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from develop_person p join org o on o.id = p.org_id where o.path like ${`${path}%`} and p.closed_at is null`,
    );
    return { members: m!, bills: b!, developOpen: d!.n };
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    top = await t.orgId('华夏能源集团党委');
    branchA = await t.orgId('第一发电厂党支部');
    [{ path: topPath }] = (await queryRows<{ path: string }>(
      t.services.db,
      sql`select path from org where id = ${top}`,
    )) as [{ path: string }];
  });
  after(() => t.close());

  it('answers the top org’s figures as counted from the tables, each with what it counts and 统计时间', async () => {
    const r = await get(admin, top);
    assert.equal(r.status, 200, r.raw);
    const d = r.body;
    const want = await expected(topPath);
    assert.equal(d.org.orgName, '华夏能源集团党委');
    assert.ok(want.members.total > 100, 'the demo has members');
    assert.deepEqual(
      [d.members.total, d.members.full, d.members.probationary],
      [want.members.total, want.members.full, want.members.prob],
    );
    assert.deepEqual(
      [d.dues.bills, d.dues.paidBills, d.dues.billedFen, d.dues.paidFen],
      [want.bills.bills, want.bills.paid_bills, want.bills.billed, want.bills.paid],
    );
    assert.equal(d.develop.open, want.developOpen);
    assert.equal(
      Object.values(d.develop.counts as Record<string, number>).reduce((s, n) => s + n, 0),
      want.developOpen,
    );
    assert.equal(d.dues.month, month);
    assert.equal(d.trend.months.length, 12);
    assert.equal(d.trend.months[11], month);
    assert.ok(
      d.trend.meetingsHeld.some((n: number) => n > 0),
      'the demo held meetings in the last 12 months',
    );
    for (const part of ['members', 'develop', 'meetings', 'dues', 'trend'])
      assert.ok(d[part].note.length > 10, `${part} says what it counts`);
    assert.ok(Math.abs(Date.parse(d.asOf) - nowMs()) < 5 * 60_000, 'asOf is a time, now-ish');
  });

  it('warns of the demo’s two branches overdue for 换届 and links each to the org page that fixes it', async () => {
    const d = (await get(admin, top)).body;
    const w = d.warnings.find((x: { kind: string }) => x.kind === 'term_overdue');
    assert.ok(w, JSON.stringify(d.warnings));
    assert.equal(w.count, 2);
    assert.deepEqual(
      w.orgs.map((o: { orgName: string }) => o.orgName).sort(),
      ['检修公司党支部', '海外项目部党支部'].sort(),
    );
    for (const o of w.orgs) assert.equal(o.link, `/orgs?org=${o.orgId}`);
    const arrears = d.warnings.find((x: { kind: string }) => x.kind === 'arrears');
    assert.equal(arrears?.count, d.dues.arrears3Members);
    assert.equal(arrears?.link, '/dues?tab=arrears');
  });

  it('agrees with the compliance roll-up on the branches bound, and counts as behind only what ended periods show', async () => {
    const d = (await get(admin, top)).body;
    // The dashboard checks the year through the end of the last complete month (#16 item 9).
    const year = d.meetings.year;
    const all = await t.request({
      method: 'GET',
      url: `/api/v1/orgs/${top}/compliance/rollup?year=${year}&pageSize=1`,
      token: admin,
    });
    const behind = await t.request({
      method: 'GET',
      url: `/api/v1/orgs/${top}/compliance/rollup?year=${year}&pageSize=1&behindOnly=true`,
      token: admin,
    });
    assert.equal(d.meetings.units, all.body.total);
    if (year < Number(todayInChina().slice(0, 4))) {
      // In January the dashboard checks last year, wholly ended: exactly the roll-up of that year.
      assert.equal(d.meetings.units - d.meetings.onTrack, behind.body.total);
      assert.equal(d.meetings.worst[0]?.orgId, behind.body.items[0]?.orgId);
    } else {
      // The roll-up also asks for the periods still running; a branch behind on ended ones is behind there too.
      assert.ok(d.meetings.units - d.meetings.onTrack <= behind.body.total);
    }
  });

  it('counts a newly registered member, and a bill paid today in this month’s collection and trend', async () => {
    const before = (await get(admin, top)).body;
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: admin,
      body: {
        orgId: branchA,
        name: '驾驶舱测试',
        gender: 'female',
        birthDate: '1990-03-01',
        idCardNo: idFor('1990-03-01', '062'),
        phone: '13912340001',
        joinedAt: '2015-07-01',
        status: 'probationary',
      },
    });
    assert.equal(created.status, 201, created.raw);
    const [bill] = await queryRows<{ id: string; due_fen: number }>(
      t.services.db,
      sql`select b.id, b.due_fen::int as due_fen from dues_bill b join org o on o.id = b.org_id
          where o.path like ${`${topPath}%`} and b.month = ${`${month}-01`}::date and b.status = 'unpaid' and b.due_fen > 0 limit 1`,
    );
    assert.ok(bill, 'the demo has an unpaid bill this month');
    const paid = await t.request({
      method: 'POST',
      url: `/api/v1/dues-bills/${bill.id}/offline-payment`,
      token: admin,
      body: { method: 'cash', paidOn: todayInChina() },
    });
    assert.equal(paid.status, 201, paid.raw);
    // An expensive part may be served stale once while it is recomputed (platform/cache.ts): ask until it moves.
    let after = (await get(admin, top)).body;
    for (
      let i = 0;
      i < 60 &&
      (after.members.total === before.members.total ||
        after.dues.paidBills === before.dues.paidBills ||
        after.trend.duesCollectedFen[11] === before.trend.duesCollectedFen[11]);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 500));
      after = (await get(admin, top)).body;
    }
    assert.equal(after.members.total, before.members.total + 1);
    assert.equal(after.members.probationary, before.members.probationary + 1);
    assert.equal(after.dues.paidBills, before.dues.paidBills + 1);
    assert.equal(after.dues.paidFen, before.dues.paidFen + bill.due_fen);
    assert.equal(after.dues.collectionRate, Math.round((after.dues.paidFen / after.dues.billedFen) * 1000) / 1000);
    assert.equal(after.trend.duesCollectedFen[11], before.trend.duesCollectedFen[11] + bill.due_fen);
    assert.ok(Date.parse(after.asOf) >= Date.parse(before.asOf));
  });

  it('shows a branch secretary their own branch, and refuses other orgs and plain members', async () => {
    const shuji = await t.login('shuji');
    const own = await get(shuji);
    assert.equal(own.status, 200, own.raw);
    assert.equal(own.body.org.orgId, branchA);
    const [{ path }] = (await queryRows<{ path: string }>(
      t.services.db,
      sql`select path from org where id = ${branchA}`,
    )) as [{ path: string }];
    assert.equal(own.body.members.total, (await expected(path)).members.total);
    const upward = await get(shuji, top);
    assert.equal(upward.status, 403);
    assert.match(upward.body.error.message, /[\u4e00-\u9fa5]/);
    assert.equal((await get(await t.login('dangyuan'))).status, 403);
    assert.equal((await get(admin, 'not-a-uuid')).status, 400);
  });
});
