/**
 * A survey's results by branch: responses and response rate against the audience accounts of each
 * branch, averages per question, paging, the .xlsx export, and small-group suppression of anonymous
 * surveys (a branch below VOICE_RULES.minBreakdownGroup shows counts only, and the next smallest branch
 * is hidden too so that the total minus the shown branches gives nothing away).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { now, setClock, suppressSmallGroups, VOICE_RULES } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { download, memberAccounts, xlsxText } from './test-helpers';

const iso = (offsetMs: number) => new Date(now().getTime() + offsetMs).toISOString();
const HOUR = 3600_000;

describe('suppressSmallGroups', () => {
  it('hides small groups, then the smallest shown ones until the hidden total reaches the minimum', () => {
    assert.deepEqual(suppressSmallGroups([7, 5, 3], 5), [false, true, true]);
    assert.deepEqual(suppressSmallGroups([10, 4], 5), [true, true], 'the total minus 10 would give the 4 away');
    assert.deepEqual(suppressSmallGroups([0, 2, 9, 9], 5), [false, true, true, false]);
    assert.deepEqual(suppressSmallGroups([5, 5, 0], 5), [false, false, false]);
    assert.deepEqual(
      suppressSmallGroups([2, 2, 2, 8], 5),
      [true, true, true, false],
      'three small ones together reach 6',
    );
    assert.deepEqual(suppressSmallGroups([3], 5), [true]);
    assert.deepEqual(suppressSmallGroups([], 5), []);
    assert.equal(VOICE_RULES.minBreakdownGroup.value, 5);
    assert.equal(VOICE_RULES.minBreakdownGroup.confirmed, false);
  });
});

describe('survey results by branch API', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let dianli: string, shuji: string, shuji2: string, dangyuan: string;
  let power: string, plantId: string, repairId: string, salesId: string, groupId: string;
  const questions = [
    { id: 'q1', type: 'rating', title: '组织生活质量', required: true, weight: 60 },
    { id: 'q2', type: 'rating', title: '联系服务群众', required: true, weight: 40 },
    { id: 'q3', type: 'single', title: '最需要改进', required: true, options: ['学习形式', '活动时间'] },
    { id: 'q4', type: 'text', title: '其他建议', required: false },
  ];
  const answers = (a: number, b: number, c: number) => [
    { q: 'q1', score: a },
    { q: 'q2', score: b },
    { q: 'q3', choice: c },
    { q: 'q4', text: `建议${a}${b}${c}` },
  ];
  /** Audience accounts (member role, enabled) bound in a branch's subtree, counted straight from the tables. */
  const invitedIn = async (branchId: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(distinct r.user_id)::int as n from user_role r join org o on o.id = r.org_id join app_user u on u.id = r.user_id
            where r.role = 'member' and not u.disabled and o.path like (select path from org where id = ${branchId}) || '%'`,
      )
    )[0]!.n;
  let id: string;

  before(async () => {
    t = await startTestApp();
    [dianli, shuji, shuji2, dangyuan] = await signIn(t, 'dianli', 'shuji', 'shuji2', 'dangyuan');
    power = await t.orgId('华夏电力有限公司党委');
    plantId = await t.orgId('第一发电厂党支部');
    repairId = await t.orgId('检修公司党支部');
    salesId = await t.orgId('电力营销党支部');
    groupId = (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from org where parent_id = ${plantId} and kind = 'group' order by path limit 1`,
      )
    )[0]!.id;
  });
  after(() => {
    setClock(null);
    return t.close();
  });

  it('counts responses and rates by branch, averages per question, hides small branches of an anonymous survey', async () => {
    const made = await post('/voice/surveys', dianli, {
      orgId: power,
      kind: 'satisfaction',
      title: '电力公司党建工作满意度测评',
      anonymous: true,
      audienceRoles: ['member'],
      allowCodes: true,
      opensAt: iso(-HOUR),
      closesAt: iso(24 * HOUR),
      questions,
    });
    assert.equal(made.status, 201, made.raw);
    id = made.body.id;
    assert.equal((await post(`/voice-surveys/${id}/publish`, dianli)).status, 200);

    const plant = await memberAccounts(t, '第一发电厂党支部', 'bdA', [], 5);
    const inGroup = await memberAccounts(t, { id: groupId }, 'bdG', [], 1);
    const repair = await memberAccounts(t, '检修公司党支部', 'bdB', [], 5);
    const sales = await memberAccounts(t, '电力营销党支部', 'bdC', [], 3);
    // 第一发电厂 (7, a 党小组 member among them): q1 5 4 3 5 4 2 5 → 4; q2 4 4 5 5 3 4 5 → 4.29; q3 four 0, three 1.
    const plantAnswers: [string, number, number, number][] = [
      [dangyuan, 5, 4, 0],
      [plant[0]!.token, 4, 4, 0],
      [plant[1]!.token, 3, 5, 1],
      [plant[2]!.token, 5, 5, 0],
      [plant[3]!.token, 4, 3, 1],
      [plant[4]!.token, 2, 4, 0],
      [inGroup[0]!.token, 5, 5, 1],
    ];
    for (const [token, a, b, c] of plantAnswers) {
      const r = await post(`/voice-surveys/${id}/responses`, token, { answers: answers(a, b, c) });
      assert.equal(r.status, 201, r.raw);
    }
    for (const [i, v] of repair.entries())
      assert.equal(
        (await post(`/voice-surveys/${id}/responses`, v.token, { answers: answers(1 + i, 2, 0) })).status,
        201,
      );
    for (const v of sales.slice(0, 2))
      assert.equal((await post(`/voice-surveys/${id}/responses`, v.token, { answers: answers(1, 1, 1) })).status, 201);
    // An employee's code handed out by 电力营销党支部 counts to that branch.
    const codes = await post('/voice/code-batches', dianli, {
      orgId: salesId,
      purpose: 'survey',
      surveyId: id,
      count: 1,
    });
    assert.equal(codes.status, 201, codes.raw);
    const byCode = await post(`/public/voice/surveys/${id}/responses`, undefined, {
      orgId: salesId,
      code: codes.body.codes[0],
      answers: answers(2, 2, 1),
    });
    assert.equal(byCode.status, 201, byCode.raw);

    const early = await get(`/voice-surveys/${id}/breakdown`, dianli);
    assert.equal(early.status, 409, 'an anonymous survey shows no results while it runs');
    assert.match(early.body.error.message, /结束后才公布结果/);
    assert.equal((await post(`/voice-surveys/${id}/close`, dianli)).status, 200);

    const res = await get(`/voice-surveys/${id}/breakdown`, dianli);
    assert.equal(res.status, 200, res.raw);
    const b = res.body;
    assert.equal(b.minGroup, 5);
    assert.deepEqual(
      b.items.map((x: { orgId: string }) => x.orgId),
      [plantId, repairId, salesId],
      'one row per branch in tree order; the 党小组 member counts to 第一发电厂党支部',
    );
    assert.equal(b.total, 3);
    assert.equal(b.responses, 15);
    const [p, r, s] = b.items;
    assert.equal(p.responses, 7);
    assert.equal(p.invited, await invitedIn(plantId));
    assert.equal(p.rate, Math.round((7 / p.invited) * 1000) / 1000);
    assert.equal(p.suppressed, false);
    assert.deepEqual(p.cells, [
      { q: 'q1', average: 4 },
      { q: 'q2', average: 4.29 },
      { q: 'q3', counts: [4, 3] },
    ]);
    assert.equal(p.score, 82.3, '(60·4/5 + 40·4.29/5) / 100');
    // 电力营销 has 3 responses (< 5): hidden. Then 检修公司 (5) is hidden too: with it shown, the overall result
    // minus the two shown branches would be exactly 电力营销's three answers.
    assert.equal(s.responses, 3);
    assert.equal(s.viaCode, 1);
    assert.equal(s.invited, 3);
    assert.equal(s.rate, 0.667, 'two of three accounts; the code is not an invited account');
    assert.equal(s.suppressed, true);
    assert.equal(r.responses, 5);
    assert.equal(r.rate, 1);
    assert.equal(r.suppressed, true, 'secondary suppression');
    for (const x of [r, s]) {
      assert.deepEqual(x.cells, [], 'a hidden branch carries no answers');
      assert.equal(x.score, null, 'nor a score');
    }
    assert.equal(b.suppressedBranches, 2);
    assert.ok(!res.raw.includes('建议'), 'no text answers by branch');
    assert.match(b.note, /少于 5 份的支部/);

    const page2 = await get(`/voice-surveys/${id}/breakdown?page=2&pageSize=2`, dianli);
    assert.equal(page2.status, 200, page2.raw);
    assert.deepEqual(
      page2.body.items.map((x: { orgId: string }) => x.orgId),
      [salesId],
    );
    assert.equal(page2.body.items[0].suppressed, true, 'suppression is decided over all branches, not per page');
    assert.equal(page2.body.total, 3);

    const file = await download(t, `/api/v1/voice-surveys/${id}/breakdown/export`, dianli);
    assert.equal(file.status, 200);
    const sheet = await xlsxText(file.body);
    assert.match(sheet, /第一发电厂党支部/);
    assert.match(sheet, /学习形式 4；活动时间 3/);
    assert.match(sheet, /检修公司党支部/);
    assert.ok(
      !sheet.includes('学习形式 5') && !sheet.includes('建议'),
      'the hidden branches’ options and texts are not exported',
    );
    assert.equal(
      (sheet.match(/不显示）/g) ?? []).length,
      2 * 4,
      'score and three question cells of each hidden branch',
    );
  });

  it('declares who reads it and refuses bad paging in Chinese', async () => {
    assert.ok(id, 'needs the survey of the previous test');
    assert.equal(
      (await get(`/voice-surveys/${id}/breakdown`, dangyuan)).status,
      403,
      'a member of the audience does not read results',
    );
    assert.equal(
      (await get(`/voice-surveys/${id}/breakdown`, shuji)).status,
      404,
      'a branch secretary does not read the committee’s survey',
    );
    assert.equal((await get(`/voice-surveys/${id}/breakdown/export`, shuji2)).status, 404);
    const bad = await get(`/voice-surveys/${id}/breakdown?pageSize=500`, dianli);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message + JSON.stringify(bad.body.error.details ?? ''), /每页最多 200 条/);
    const badPage = await get(`/voice-surveys/${id}/breakdown?page=0`, dianli);
    assert.equal(badPage.status, 400);
    assert.match(JSON.stringify(badPage.body.error), /页码从 1 开始/);
    const badId = await get(`/voice-surveys/not-a-uuid/breakdown`, dianli);
    assert.ok(badId.status >= 400 && badId.status < 500, `a malformed id is a 4xx: ${badId.status}`);
    assert.match(badId.body.error.message, /[\u4e00-\u9fa5]/, 'in Chinese');
  });

  it('shows every branch of a named survey, however small', async () => {
    const made = await post('/voice/surveys', dianli, {
      orgId: power,
      kind: 'survey',
      title: '实名学习需求调查',
      anonymous: false,
      audienceRoles: ['member'],
      allowCodes: false,
      opensAt: iso(-HOUR),
      closesAt: iso(HOUR),
      questions,
    });
    await post(`/voice-surveys/${made.body.id}/publish`, dianli);
    assert.equal(
      (await post(`/voice-surveys/${made.body.id}/responses`, dangyuan, { answers: answers(3, 4, 1) })).status,
      201,
    );
    // A named survey's results are readable while it runs.
    const res = await get(`/voice-surveys/${made.body.id}/breakdown`, dianli);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.minGroup, null);
    const plant = res.body.items.find((x: { orgId: string }) => x.orgId === plantId);
    assert.equal(plant.responses, 1);
    assert.equal(plant.suppressed, false);
    assert.deepEqual(plant.cells[0], { q: 'q1', average: 3 });
    assert.equal(plant.score, null, 'a plain survey has no score');
  });
});
