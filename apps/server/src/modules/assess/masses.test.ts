/**
 * 下考上 in the assessment (issues 20 and 21): a 党支部's members rate the branch's leadership in a 下考上 round (voice
 * module); an assessment plan with the automatic indicator 群众评议（下考上）得分率 reads that round's score through
 * voice's service function. A branch nobody rated gets the no-data rule, and a round outside the period is not read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTO_SOURCES, nowMs, todayInChina, type UnitBrief, type UnitDetail } from '@xianfeng/shared';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { memberAccounts } from '../voice/test-helpers';

const HOUR = 3600_000;
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

describe('下考上 results read by the assessment (群众评议 indicator)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let zuzhibu: string;
  let shuji: string;
  let general: string;
  let plant: string;
  let survey: { id: string; title: string; score: number };
  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;

  before(async () => {
    t = await startTestApp();
    [zuzhibu, shuji] = await signIn(t, 'zuzhibu', 'shuji');
    general = await t.orgId('发电运营党总支');
    plant = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  it('has 群众评议（下考上） among the automatic sources, with its service function and an unconfirmed citation', async () => {
    const r = await get('/assess/sources', zuzhibu);
    assert.equal(r.status, 200, r.raw);
    const s = (r.body.items as { key: string; module: string; serviceFunction: string; confirmed: boolean }[]).find(
      (i) => i.key === 'masses_rating',
    );
    assert.ok(s, `masses_rating is listed: ${r.raw.slice(0, 300)}`);
    assert.equal(s.module, 'voice');
    assert.match(s.serviceFunction, /ratingUpResults/);
    assert.equal(s.confirmed, false);
    assert.equal(AUTO_SOURCES.masses_rating.label, '群众评议（下考上）得分率');
  });

  it('scores a branch by the 下考上 round that rated it, and gives the no-data rule to a branch nobody rated', async () => {
    // The branch's members rate its leadership; the secretary runs the round and closes it.
    const made = await post('/voice/surveys', shuji, {
      orgId: plant,
      kind: 'rating_up',
      title: '下考上：党员评议第一发电厂党支部支委会',
      anonymous: true,
      audienceRoles: ['member'],
      allowCodes: false,
      opensAt: iso(-HOUR),
      closesAt: iso(24 * HOUR),
      questions: [
        { id: 'q1', type: 'rating', title: '带头作用', required: true, weight: 60 },
        { id: 'q2', type: 'rating', title: '联系群众', required: true, weight: 40 },
      ],
    });
    assert.equal(made.status, 201, made.raw);
    const id = made.body.id as string;
    assert.equal((await post(`/voice-surveys/${id}/publish`, shuji)).status, 200);
    const raters = await memberAccounts(t, '第一发电厂党支部', 'xks', [], 5);
    const scores: [number, number][] = [
      [5, 4],
      [4, 4],
      [3, 5],
      [5, 5],
      [2, 3],
    ];
    for (const [i, r] of raters.entries()) {
      const a = await post(`/voice-surveys/${id}/responses`, r.token, {
        answers: [
          { q: 'q1', score: scores[i]![0] },
          { q: 'q2', score: scores[i]![1] },
        ],
      });
      assert.equal(a.status, 201, a.raw);
    }
    assert.equal((await post(`/voice-surveys/${id}/close`, shuji)).status, 200);
    const results = await get(`/voice-surveys/${id}/results`, shuji);
    assert.equal(results.status, 200, results.raw);
    survey = { id, title: made.body.title, score: results.body.score };
    assert.ok(survey.score > 0 && survey.score < 100, `a score out of 100 (${survey.score})`);

    // The 党总支 assesses its 党支部 on the one automatic indicator.
    const indicator = await post('/assess/indicators', zuzhibu, {
      orgId: general,
      name: '群众评议',
      category: 'party',
      method: 'auto',
      source: 'masses_rating',
      maxScore: 100,
    });
    assert.equal(indicator.status, 201, indicator.raw);
    const plan = await post('/assess/plans', zuzhibu, {
      orgId: general,
      title: '群众评议考核',
      year,
      quarter,
      items: [{ indicatorId: indicator.body.id, weight: 100 }],
    });
    assert.equal(plan.status, 201, plan.raw);
    assert.equal((await post(`/assess-plans/${plan.body.id}/publish`, zuzhibu)).status, 200);
    const units = (await get(`/assess-plans/${plan.body.id}/units?pageSize=200`, zuzhibu)).body.items as UnitBrief[];
    const lineOf = async (orgName: string) => {
      const u = units.find((x) => x.orgName === orgName);
      assert.ok(u, `${orgName} is assessed`);
      const d = (await get(`/assess-units/${u.id}`, zuzhibu)).body as UnitDetail;
      return d.lines.find((l) => l.name === '群众评议')!;
    };
    const rated = await lineOf('第一发电厂党支部');
    assert.equal(
      rated.ratio,
      Math.round((survey.score / 100) * 10_000) / 10_000,
      `the round's score: ${JSON.stringify(rated)}`,
    );
    assert.equal(rated.points, Math.round(rated.ratio! * 100 * 100) / 100, 'the weight times the ratio');
    assert.ok(rated.basis.includes(survey.title), rated.basis);
    assert.ok(rated.basis.includes('5 份'), rated.basis);
    const unrated = await lineOf('第二发电厂党支部');
    assert.equal(unrated.ratio, 1, 'no round: full marks under the no-data rule');
    assert.match(unrated.basis, /没有评议本组织的下考上测评，按满分计/);
  });
});
