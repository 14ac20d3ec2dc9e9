// @fixed-days: the 年度复核汇总 counts by Beijing year (tools/test.mjs runs this file under each fixed clock).
/**
 * 困难帮扶 through the real HTTP stack on the demo enterprise: the branch 书记 opens a case for a member of the branch
 * (situation sealed at rest), logs visits with help and amounts; bad input answers in Chinese; lists carry no
 * situation text; the demo has a case with two visits; the 年度复核汇总 counts a case, its visits, reviews and closing
 * in its Beijing year only, pages its not-reviewed list and is refused to everyone but the keepers. Who may see a
 * case at all is in platform/authz.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, todayInChina, type HardshipSummary } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

const SITUATION = '本人突发疾病住院，家庭收入骤减，需要组织关心帮助。';

describe('hardship cases (困难帮扶)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let branchId: string;
  let caseId: string;

  before(async () => {
    t = await startTestApp();
    shuji = await t.login('shuji');
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  it('has the demo’s case of the branch with two visits, listed without its situation', async () => {
    const list = await get(`/hardship/cases?orgId=${branchId}&pageSize=200`, shuji);
    assert.equal(list.status, 200, list.raw);
    const demo = list.body.items.find(
      (c: { visits: number; amountFen: number }) => c.visits === 2 && c.amountFen === 200000,
    );
    assert.ok(demo, list.raw);
    assert.ok(!list.raw.includes('住院'), 'no situation text in the list');
    const detail = await get(`/hardship-cases/${demo.id}`, shuji);
    assert.match(detail.body.situation, /住院/);
    const visits = await get(`/hardship-cases/${demo.id}/visits?pageSize=1`, shuji);
    assert.equal(visits.body.total, 2);
    assert.equal(visits.body.items.length, 1, 'visits page');
  });

  it('opens a case for a member of the branch, sealed at rest, and refuses bad input in Chinese', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.id = m.org_id where o.path like (select path from org where id = ${branchId}) || '%'
          and m.left_at is null and not exists (select 1 from hardship_case c where c.member_id = m.id) order by m.name, m.id limit 1`,
    );
    const [outsider] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.id = m.org_id where o.name = '研发中心党支部' and m.left_at is null limit 1`,
    );
    const badLevel = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: m!.id,
      level: 'huge',
      situation: SITUATION,
    });
    assert.equal(badLevel.status, 400);
    assert.match(badLevel.raw, /困难程度须为/);
    const short = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: m!.id,
      level: 'general',
      situation: '困难',
    });
    assert.equal(short.status, 400);
    assert.match(short.raw, /请填写困难情况/);
    const foreign = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: outsider!.id,
      level: 'general',
      situation: SITUATION,
    });
    assert.equal(foreign.status, 422, foreign.raw);
    assert.match(foreign.body.error.message, /不属于所选组织/);
    const ok = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: m!.id,
      level: 'serious',
      situation: SITUATION,
    });
    assert.equal(ok.status, 201, ok.raw);
    assert.equal(ok.body.situation, SITUATION);
    assert.equal(ok.body.createdBy, '张建国（书记）');
    caseId = ok.body.id;
    const [row] = await queryRows<{ situation_enc: string }>(
      t.services.db,
      sql`select situation_enc from hardship_case where id = ${caseId}`,
    );
    assert.ok(row!.situation_enc.startsWith('v2.') && !row!.situation_enc.includes('住院'));
    const twice = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: m!.id,
      level: 'general',
      situation: SITUATION,
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'HARDSHIP_CASE_OPEN');
    const [audit] = await queryRows<{ after: unknown }>(
      t.services.db,
      sql`select after from audit_log where action = 'hardship.case.open' and entity_id = ${caseId}`,
    );
    assert.ok(audit && !JSON.stringify(audit.after).includes('住院'), 'the audit entry has no situation');
  });

  it('logs visits with help and amounts, never on a day after today', async () => {
    const today = todayInChina();
    const future = await post(`/hardship-cases/${caseId}/visits`, shuji, {
      visitedOn: addDays(today, 1),
      visitors: '张建国',
      help: '慰问',
      amountFen: 0,
    });
    assert.equal(future.status, 422, future.raw);
    assert.match(future.body.error.message, /不能晚于今天/);
    const negative = await post(`/hardship-cases/${caseId}/visits`, shuji, {
      visitedOn: today,
      visitors: '张建国',
      help: '慰问',
      amountFen: -1,
    });
    assert.equal(negative.status, 400);
    assert.match(negative.raw, /金额不能为负/);
    const v1 = await post(`/hardship-cases/${caseId}/visits`, shuji, {
      visitedOn: addDays(today, -3),
      visitors: '张建国',
      help: '送去慰问金',
      amountFen: 50000,
      note: '病情好转，已出院。',
    });
    assert.equal(v1.status, 201, v1.raw);
    assert.equal(v1.body.note, '病情好转，已出院。');
    const v2 = await post(`/hardship-cases/${caseId}/visits`, shuji, {
      visitedOn: today,
      visitors: '张建国、组织委员',
      help: '电话回访',
    });
    assert.equal(v2.status, 201, v2.raw);
    const detail = await get(`/hardship-cases/${caseId}`, shuji);
    assert.equal(detail.body.visits, 2);
    assert.equal(detail.body.amountFen, 50000);
    assert.equal(detail.body.lastVisitOn, today);
    const visits = await get(`/hardship-cases/${caseId}/visits`, shuji);
    assert.deepEqual(
      visits.body.items.map((v: { help: string }) => v.help),
      ['电话回访', '送去慰问金'],
    );
    const [sealed] = await queryRows<{ note_enc: string }>(
      t.services.db,
      sql`select note_enc from hardship_visit where id = ${v1.body.id}`,
    );
    assert.ok(!sealed!.note_enc.includes('出院'));
  });

  it('reviews a case: a new level, closing it (脱困) and taking it up again, kept in its record list with the reason sealed', async () => {
    const bad = await post(`/hardship-cases/${caseId}/review`, shuji, { reason: '复核' });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.raw, /请选择新的困难程度或结案/);
    const before = (await get(`/hardship-cases/${caseId}`, shuji)).body;
    const same = await post(`/hardship-cases/${caseId}/review`, shuji, {
      level: before.level,
      reason: '情况没有变化',
    });
    assert.equal(same.status, 422, same.raw);
    assert.equal(same.body.error.code, 'HARDSHIP_NO_CHANGE');
    const up = await post(`/hardship-cases/${caseId}/review`, shuji, {
      level: 'special',
      reason: '复诊发现病情加重，医疗费用增加。',
    });
    assert.equal(up.status, 200, up.raw);
    assert.equal(up.body.level, 'special');
    const closed = await post(`/hardship-cases/${caseId}/review`, shuji, {
      status: 'closed',
      reason: '配偶康复出院，家庭收入恢复正常。',
    });
    assert.equal(closed.status, 200, closed.raw);
    assert.equal(closed.body.status, 'closed');
    const visits = (await get(`/hardship-cases/${caseId}/visits`, shuji)).body.items as {
      help: string;
      note: string;
      amountFen: number;
    }[];
    assert.equal(visits[0]!.help, '复核：结案（已脱困）');
    assert.equal(visits[0]!.note, '配偶康复出院，家庭收入恢复正常。');
    assert.match(visits[1]!.help, /困难程度由.*调整为特别困难/);
    const [audit] = await queryRows<{ before: unknown; after: unknown }>(
      t.services.db,
      sql`select before, after from audit_log where action = 'hardship.case.review' and entity_id = ${caseId} order by at desc limit 1`,
    );
    assert.ok(audit && !JSON.stringify(audit).includes('康复'), 'the audit entry has no reason');
    // Closed, a new case may be opened for the member; then the old one cannot be reopened.
    const fresh = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: before.memberId,
      level: 'general',
      situation: '再次因病致困，需要帮扶。',
    });
    assert.equal(fresh.status, 201, fresh.raw);
    const reopen = await post(`/hardship-cases/${caseId}/review`, shuji, { status: 'open', reason: '重新纳入帮扶' });
    assert.equal(reopen.status, 409, reopen.raw);
    assert.equal(reopen.body.error.code, 'HARDSHIP_CASE_OPEN');
  });

  // ---- 年度复核汇总 (counted as differences from the demo's own figures, so any clock day works)
  const year = () => Number(todayInChina().slice(0, 4));
  const summary = async (
    y = year(),
    token = shuji,
    org: string | null = branchId,
    query = 'pageSize=200',
  ): Promise<HardshipSummary> => {
    const res = await get(`/hardship/summary?year=${y}&${query}${org ? `&orgId=${org}` : ''}`, token);
    assert.equal(res.status, 200, res.raw);
    assert.ok(
      !/住院|入不敷出|康复|慰问金/.test(res.raw),
      `no situation, visit or review text in the summary: ${res.raw.slice(0, 300)}`,
    );
    return res.body as HardshipSummary;
  };
  const level = (s: HardshipSummary, l: string) => s.byLevel.find((x) => x.level === l)!;

  it('年度复核汇总: counts a new case, its visits and money, its review and its closing in the Beijing year, and no other year', async () => {
    const s0 = await summary();
    const prev0 = await summary(year() - 1);
    const [m] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select m.id, m.name from member m join org o on o.id = m.org_id where o.path like (select path from org where id = ${branchId}) || '%'
          and m.left_at is null and not exists (select 1 from hardship_case c where c.member_id = m.id) order by m.name, m.id limit 1`,
    );
    const opened = await post('/hardship/cases', shuji, {
      orgId: branchId,
      memberId: m!.id,
      level: 'general',
      situation: '子女患重病，长期治疗，家庭入不敷出。',
    });
    assert.equal(opened.status, 201, opened.raw);
    const id = opened.body.id as string;
    const today = todayInChina();
    const s1 = await summary();
    assert.deepEqual(
      [s1.cases, s1.open, s1.opened, s1.notReviewed.total],
      [s0.cases + 1, s0.open + 1, s0.opened + 1, s0.notReviewed.total + 1],
    );
    assert.equal(level(s1, 'general').open, level(s0, 'general').open + 1);
    assert.deepEqual(
      s1.notReviewed.items.find((i) => i.caseId === id),
      {
        caseId: id,
        memberName: m!.name,
        orgName: opened.body.orgName,
        level: 'general',
        openedOn: today,
        lastReviewOn: null,
        lastVisitOn: null,
      },
    );

    // A visit may not pass itself off as a review (the summary tells them apart by the 复核 entry's text).
    const fake = await post(`/hardship-cases/${id}/visits`, shuji, {
      visitedOn: today,
      visitors: '张建国',
      help: '复核：结案（已脱困）',
    });
    assert.equal(fake.status, 422, fake.raw);
    assert.equal(fake.body.error.code, 'VISIT_LOOKS_LIKE_REVIEW');
    assert.match(fake.body.error.message, /复核/);
    const v1 = await post(`/hardship-cases/${id}/visits`, shuji, {
      visitedOn: today,
      visitors: '张建国',
      help: '送去慰问金',
      amountFen: 30000,
      note: '孩子在住院治疗。',
    });
    assert.equal(v1.status, 201, v1.raw);
    assert.equal(
      (await post(`/hardship-cases/${id}/visits`, shuji, { visitedOn: today, visitors: '张建国', help: '电话回访' }))
        .status,
      201,
    );
    const s2 = await summary();
    assert.deepEqual(
      [s2.visits, s2.visitsWithMoney, s2.amountFen, s2.membersVisited, s2.reviewed],
      [s0.visits + 2, s0.visitsWithMoney + 1, s0.amountFen + 30000, s0.membersVisited + 1, s0.reviewed],
    );
    assert.equal(s2.notReviewed.items.find((i) => i.caseId === id)!.lastVisitOn, today);

    const up = await post(`/hardship-cases/${id}/review`, shuji, { level: 'serious', reason: '治疗费用继续增加。' });
    assert.equal(up.status, 200, up.raw);
    const s3 = await summary();
    assert.equal(s3.reviewed, s0.reviewed + 1);
    assert.equal(s3.notReviewed.total, s0.notReviewed.total, 'reviewed this year: off the not-reviewed list');
    assert.ok(!s3.notReviewed.items.some((i) => i.caseId === id));
    assert.deepEqual(
      [level(s3, 'general').open, level(s3, 'serious').open],
      [level(s0, 'general').open, level(s0, 'serious').open + 1],
    );
    assert.deepEqual(
      [s3.visits, s3.amountFen, s3.closedInYear],
      [s2.visits, s2.amountFen, s0.closedInYear],
      'a review is no visit and no closing',
    );

    assert.equal(
      (await post(`/hardship-cases/${id}/review`, shuji, { status: 'closed', reason: '孩子康复，家庭情况好转。' }))
        .status,
      200,
    );
    const s4 = await summary();
    assert.deepEqual(
      [s4.cases, s4.open, s4.closed, s4.closedInYear, s4.reviewed, level(s4, 'serious').closed],
      [s0.cases + 1, s0.open, s0.closed + 1, s0.closedInYear + 1, s0.reviewed + 1, level(s0, 'serious').closed + 1],
      'closed this year: still on record this year, reviewed once as a case',
    );

    // Another year: last year's summary is as it was; next year's has no case closed before it began.
    const prev = await summary(year() - 1);
    assert.deepEqual(
      [prev.cases, prev.opened, prev.visits, prev.amountFen, prev.reviewed, prev.closedInYear, prev.notReviewed.total],
      [
        prev0.cases,
        prev0.opened,
        prev0.visits,
        prev0.amountFen,
        prev0.reviewed,
        prev0.closedInYear,
        prev0.notReviewed.total,
      ],
      'opened this year: not in last year’s summary',
    );
    const next = await summary(year() + 1);
    assert.deepEqual([next.closed, next.visits, next.reviewed, next.opened], [0, 0, 0, 0]);
    assert.equal(next.notReviewed.total, next.open, 'next year: every open case still to review');
  });

  it('年度复核汇总: the org department above sees its subtree, the list pages, bad input is refused in Chinese', async () => {
    const zuzhibu = await t.login('zuzhibu');
    const branch = await summary();
    const top = await summary(year(), zuzhibu, null);
    assert.ok(
      top.cases >= branch.cases &&
        top.amountFen >= branch.amountFen &&
        top.notReviewed.total >= branch.notReviewed.total,
      'the subtree above counts the branch',
    );
    assert.ok(
      branch.notReviewed.total >= 2,
      `the demo case and the reopened one are not reviewed: ${JSON.stringify(branch.notReviewed)}`,
    );
    const [p1, p2] = [
      await summary(year(), shuji, branchId, 'page=1&pageSize=1'),
      await summary(year(), shuji, branchId, 'page=2&pageSize=1'),
    ];
    assert.equal(p1.notReviewed.items.length, 1);
    assert.equal(p1.notReviewed.total, branch.notReviewed.total);
    assert.deepEqual(
      [p1.notReviewed.items[0]!.caseId, p2.notReviewed.items[0]!.caseId],
      branch.notReviewed.items.slice(0, 2).map((i) => i.caseId),
    );
    assert.ok(
      branch.notReviewed.items.every(
        (i, n, all) =>
          n === 0 ||
          ['special', 'serious', 'general'].indexOf(all[n - 1]!.level) <=
            ['special', 'serious', 'general'].indexOf(i.level),
      ),
      'the most serious first',
    );
    for (const [query, text] of [
      ['year=1999', /年份不正确/],
      ['year=abc', /year/],
      ['pageSize=500', /每页最多 200 条/],
      ['page=0', /页码从 1 开始/],
      ['orgId=nope', /编号格式不正确/],
    ] as const) {
      const bad = await get(`/hardship/summary?${query}`, shuji);
      assert.equal(bad.status, 400, `${query}: ${bad.raw}`);
      assert.match(bad.raw, text, query);
      assert.match(bad.body.error.message, /[\u4e00-\u9fff]/, `${query}: a Chinese message`);
    }
  });

  it('年度复核汇总: only the keepers see it — a member, the 审计员, the 系统管理员 and another branch’s 书记 are refused', async () => {
    const shuji2 = await t.login('shuji2');
    for (const [who, token] of [
      ['a member of the branch', await t.login('dangyuan')],
      ['the 审计员', await t.login('shenji')],
      ['the 系统管理员', await adminToken(t)],
      ['another branch’s 书记', shuji2],
    ] as const) {
      const res = await get(`/hardship/summary?orgId=${branchId}`, token);
      assert.equal(res.status, 403, `${who}: ${res.raw}`);
    }
    const mine = await summary();
    const own = await summary(year(), shuji2, null);
    assert.ok(mine.notReviewed.items.length > 0);
    assert.ok(
      !own.notReviewed.items.some((i) => mine.notReviewed.items.some((x) => x.caseId === i.caseId)),
      'another branch’s 书记 sees none of this branch’s cases',
    );
    assert.deepEqual(
      [own.cases, own.visits, own.amountFen],
      [0, 0, 0],
      'the demo has no case in 研发中心党支部: none of this branch’s figures',
    );
  });
});
