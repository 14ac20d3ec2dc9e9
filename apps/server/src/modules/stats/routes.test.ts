// @fixed-days: this month and 党龄 bands in the 驾驶舱 (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, idCardCheckChar, todayInChina, nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

const idFor = (birth: string, seq: string) => {
  const first17 = `110101${birth.replace(/-/g, '')}${seq}`;
  return first17 + idCardCheckChar(first17);
};

describe('驾驶舱 (dashboard)', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let admin: string;
  let top: string;
  let topPath: string;
  let branchA: string;
  const month = todayInChina().slice(0, 7);
  const dashboard = (token: string, orgId?: string) => get(`/dashboard${orgId ? `?orgId=${orgId}` : ''}`, token);

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
    const r = await dashboard(admin, top);
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
    const d = (await dashboard(admin, top)).body;
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
    assert.equal(arrears?.link, `/dues?tab=arrears&orgId=${d.org.orgId}&minMonths=3`);
  });

  it('agrees with the compliance roll-up on the branches bound, and counts as behind only what ended periods show', async () => {
    const d = (await dashboard(admin, top)).body;
    // The dashboard checks the year through the end of the last complete month (#16 item 9).
    const year = d.meetings.year;
    const all = await get(`/orgs/${top}/compliance/rollup?year=${year}&pageSize=1`, admin);
    const behind = await get(`/orgs/${top}/compliance/rollup?year=${year}&pageSize=1&behindOnly=true`, admin);
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
    const before = (await dashboard(admin, top)).body;
    const created = await post('/members', admin, {
      orgId: branchA,
      name: '驾驶舱测试',
      gender: 'female',
      birthDate: '1990-03-01',
      idCardNo: idFor('1990-03-01', '062'),
      phone: '13912340001',
      joinedAt: '2015-07-01',
      status: 'probationary',
    });
    assert.equal(created.status, 201, created.raw);
    const [bill] = await queryRows<{ id: string; due_fen: number }>(
      t.services.db,
      sql`select b.id, b.due_fen::int as due_fen from dues_bill b join org o on o.id = b.org_id
          where o.path like ${`${topPath}%`} and b.month = ${`${month}-01`}::date and b.status = 'unpaid' and b.due_fen > 0 limit 1`,
    );
    assert.ok(bill, 'the demo has an unpaid bill this month');
    const paid = await post(`/dues-bills/${bill.id}/offline-payment`, admin, {
      method: 'cash',
      paidOn: todayInChina(),
    });
    assert.equal(paid.status, 201, paid.raw);
    // An expensive part may be served stale once while it is recomputed (platform/cache.ts): ask until it moves.
    let after = (await dashboard(admin, top)).body;
    for (
      let i = 0;
      i < 60 &&
      (after.members.total === before.members.total ||
        after.dues.paidBills === before.dues.paidBills ||
        after.trend.duesCollectedFen[11] === before.trend.duesCollectedFen[11]);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 500));
      after = (await dashboard(admin, top)).body;
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
    const own = await dashboard(shuji);
    assert.equal(own.status, 200, own.raw);
    assert.equal(own.body.org.orgId, branchA);
    const [{ path }] = (await queryRows<{ path: string }>(
      t.services.db,
      sql`select path from org where id = ${branchA}`,
    )) as [{ path: string }];
    assert.equal(own.body.members.total, (await expected(path)).members.total);
    assert.deepEqual(own.body.trail, [], 'nothing above the branch is the secretary’s to oversee');
    // The way back up after a drill-down: every org above, top first, for one who oversees them.
    const drilled = await dashboard(admin, branchA);
    const above = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select id, name from org where ${path} like path || '%' and id <> ${branchA} order by depth`,
    );
    assert.ok(above.length >= 2);
    assert.deepEqual(
      drilled.body.trail,
      above.map((o) => ({ orgId: o.id, orgName: o.name })),
    );
    const upward = await dashboard(shuji, top);
    assert.equal(upward.status, 403);
    assert.match(upward.body.error.message, /[\u4e00-\u9fa5]/);
    assert.equal((await dashboard(await t.login('dangyuan'))).status, 403);
    assert.equal((await dashboard(admin, 'not-a-uuid')).status, 400);
  });
  it('counts a thought report in the 思想汇报 figure at once (its own change-feed topic), for its subtree only', async () => {
    const shuji = await t.login('shuji');
    const shuji2 = await t.login('shuji2');
    const before = (await dashboard(shuji)).body.thought;
    const otherBefore = (await dashboard(shuji2)).body.thought;
    assert.ok(before.lastQuarter.asOf < todayInChina() && before.note.includes('预备党员'), JSON.stringify(before));
    // An 入党积极分子 of the branch hands in a written report this period; the branch records it.
    const overdue = await get('/thought/overdue?pageSize=100', shuji);
    assert.equal(overdue.status, 200, overdue.raw);
    const row = (overdue.body.items as { kind: string; id: string; period: string }[]).find(
      (r) => r.kind === 'develop',
    );
    assert.ok(row, `an activist expected this period: ${overdue.raw}`);
    const sub = await post(`/thought-persons/${row.id}/reports`, shuji, {
      title: '本期书面思想汇报',
      period: row.period,
      receivedOn: todayInChina(),
    });
    assert.equal(sub.status, 201, sub.raw);
    const after = (await dashboard(shuji)).body.thought;
    assert.equal(after.current.submitted, before.current.submitted + 1);
    assert.equal(after.current.expected, before.current.expected);
    assert.deepEqual((await dashboard(shuji2)).body.thought, otherBefore, 'another branch’s figure does not move');
  });

  it('shows a new 整改 item of the subtree at once and as overdue once its deadline passes, to its own subtree only', async () => {
    const shuji = await t.login('shuji');
    const shuji2 = await t.login('shuji2');
    const today = todayInChina();
    const before = (await dashboard(shuji)).body.supervise;
    const topBefore = (await dashboard(admin, top)).body.supervise;
    const otherBefore = (await dashboard(shuji2)).body.supervise;
    const [ids] = await queryRows<{ owner: string; verifier: string }>(
      t.services.db,
      sql`select (select m.id from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan') as owner,
                 (select id from app_user where username = 'dianli') as verifier`,
    );
    const made = await post('/supervise/rectifications', shuji, {
      orgId: branchA,
      sourceKind: 'inspection',
      sourceRef: '驾驶舱测试巡察反馈第 1 条',
      title: '驾驶舱测试：台账未及时归档',
      finding: '支部会议记录未及时归档。',
      measures: '每次会议后一周内归档。',
      ownerMemberId: ids!.owner,
      deadline: addDays(today, 2),
      verifierUserId: ids!.verifier,
    });
    assert.equal(made.status, 201, made.raw);
    const now1 = (await dashboard(shuji)).body;
    assert.equal(now1.supervise.open, before.open + 1, 'the new item counts at once');
    assert.equal(now1.supervise.total, before.total + 1);
    assert.equal(now1.supervise.overdue, before.overdue, 'not overdue before its deadline');
    assert.ok(now1.supervise.note.length > 10);
    assert.equal((await dashboard(admin, top)).body.supervise.open, topBefore.open + 1, 'and in the subtree above');
    assert.deepEqual((await dashboard(shuji2)).body.supervise, otherBefore, 'another branch does not see it');
    assert.equal((await dashboard(shuji2, branchA)).status, 403);
    assert.equal((await dashboard(await t.login('dangyuan'), branchA)).status, 403);
    // Three days on, the deadline has passed: overdue now, with a warning that links to the ledger's overdue items.
    const at = nowMs();
    try {
      setClock(new Date(`${addDays(today, 3)}T12:00:00+08:00`));
      const later = (await dashboard(shuji)).body;
      assert.equal(later.supervise.overdue, before.overdue + 1);
      const w = later.warnings.find((x: { kind: string }) => x.kind === 'rectify_overdue');
      assert.equal(w?.count, later.supervise.overdue);
      assert.equal(w?.link, `/supervise/rectify?tab=ledger&org=${branchA}&status=overdue`);
    } finally {
      setClock(new Date(at));
    }
  });

  it('shows the latest published 考核’s results within the subtree: count per band, average, the best with their rank', async () => {
    const zuzhibu = await t.login('zuzhibu');
    const dianli = await t.login('dianli');
    const shuji = await t.login('shuji');
    const shuji2 = await t.login('shuji2');
    const general = await t.orgId('发电运营党总支');
    const otherBefore = (await dashboard(shuji2)).body.assess;
    const lib = (await get(`/assess/indicators?orgId=${general}&pageSize=200`, zuzhibu)).body.items as {
      id: string;
      name: string;
    }[];
    const brand = lib.find((i) => i.name === '党建品牌与特色工作')!;
    const today = todayInChina();
    const made = await post('/assess/plans', zuzhibu, {
      orgId: general,
      title: '驾驶舱测试考核',
      year: Number(today.slice(0, 4)),
      quarter: Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1,
      items: [{ indicatorId: brand.id, weight: 100 }],
    });
    assert.equal(made.status, 201, made.raw);
    const plan = made.body;
    const key = plan.items[0].key;
    const units = (await get(`/assess-plans/${plan.id}/units?pageSize=200`, zuzhibu)).body.items as {
      id: string;
      orgName: string;
    }[];
    const score: Record<string, number> = { 第一发电厂党支部: 9, 第二发电厂党支部: 8, 检修公司党支部: 5 };
    for (const u of units) {
      const r = await put(`/assess-units/${u.id}/review`, dianli, {
        scores: [{ key, score: score[u.orgName] }],
      });
      assert.equal(r.status, 200, r.raw);
    }
    assert.notEqual((await dashboard(admin, general)).body.assess.plan?.planId, plan.id, 'an open plan is not shown');
    const pub = await post(`/assess-plans/${plan.id}/publish`, zuzhibu);
    assert.equal(pub.status, 200, pub.raw);
    const a = (await dashboard(admin, general)).body.assess;
    assert.equal(a.plan.planId, plan.id);
    assert.equal(a.plan.title, '驾驶舱测试考核');
    assert.equal(a.units, 3);
    assert.equal(a.scored, 3);
    assert.deepEqual(
      a.bands.map((b: { count: number }) => b.count),
      [1, 1, 0, 1],
    );
    assert.equal(a.average, 73.3);
    assert.deepEqual([a.highest, a.lowest], [90, 50]);
    assert.deepEqual(
      a.top.map((x: { orgName: string; total: number; rank: number }) => [x.orgName, x.total, x.rank]),
      [
        ['第一发电厂党支部', 90, 1],
        ['第二发电厂党支部', 80, 2],
        ['检修公司党支部', 50, 3],
      ],
    );
    // The secretary of one of them sees their own branch's line; another subtree's secretary sees none of it.
    const own = (await dashboard(shuji)).body.assess;
    assert.equal(own.plan.planId, plan.id);
    assert.deepEqual([own.units, own.average, own.top[0].orgName], [1, 90, '第一发电厂党支部']);
    assert.deepEqual((await dashboard(shuji2)).body.assess, otherBefore);
  });
});
