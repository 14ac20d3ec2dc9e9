// @fixed-days: monthly, quarterly and yearly cadence periods (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { randomMember, seededRandom } from '../../demo/people';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

const CONTENT = '集中学习了上级文件精神，党员逐一交流发言，讨论了下一步工作安排。';

/** A fresh branch (no demo meetings) checked for 2025, a year that is wholly past. */
describe('compliance with the 三会一课 cadence', () => {
  let t: TestApp;
  const { get, put } = api(() => t);
  let admin: string;
  let branch: string; // 8 full members: has a committee
  let small: string; // 3 members: no committee
  let parent: string;
  const members: string[] = [];

  const post = (url: string, body: unknown) => t.request({ method: 'POST', url, token: admin, body });
  const held = async (orgId: string, kind: string, startsAt: string, minutes: Record<string, unknown> = {}) => {
    const end = new Date(new Date(startsAt).getTime() + 3600_000).toISOString();
    const m = await post('/api/v1/meetings', {
      orgId,
      kind,
      title: `${kind} ${startsAt}`,
      startsAt,
      endsAt: end,
      location: '党员活动室',
    });
    assert.equal(m.status, 201, m.raw);
    // Held = minutes of what happened and someone present (here from the paper sign-in sheet).
    const [present] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${orgId} order by name limit 1`,
    );
    const r = await put(`/meetings/${m.body.id}/minutes`, admin, {
      host: '书记',
      recorder: '委员',
      content: CONTENT,
      attendees: [present!.id],
      ...minutes,
    });
    assert.equal(r.status, 200, r.raw);
    return m.body.id as string;
  };
  const check = async (orgId: string, query: string) => {
    const r = await get(`/orgs/${orgId}/compliance?${query}`, admin);
    assert.equal(r.status, 200, r.raw);
    return Object.fromEntries(
      (r.body.items as { rule: string; required: number; actual: number; ok: boolean }[]).map((i) => [i.rule, i]),
    );
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    parent = await t.orgId('华夏新材料有限公司党委');
    const rng = seededRandom(7);
    const mk = async (name: string, n: number) => {
      const o = await post('/api/v1/orgs', { parentId: parent, name, kind: 'branch' });
      assert.equal(o.status, 201, o.raw);
      for (let i = 0; i < n; i++) {
        const input = randomMember(rng, o.body.id, { today: '2024-06-01' });
        const r = await post('/api/v1/members', { ...input, status: 'full', fullAt: null });
        assert.equal(r.status, 201, r.raw);
        if (name === '合规测试党支部') members.push(r.body.id);
      }
      return o.body.id as string;
    };
    branch = await mk('合规测试党支部', 8);
    small = await mk('小支部测试', 3);
  });
  after(() => t.close());

  it('counts a theme day held late on 31 March (Beijing time) for March and one just after midnight for April', async () => {
    await held(branch, 'theme_day', '2025-03-31T23:00:00+08:00');
    await held(branch, 'theme_day', '2025-04-01T00:30:00+08:00');
    assert.deepEqual((await check(branch, 'year=2025&month=3')).theme_day_monthly, {
      ...(await check(branch, 'year=2025&month=3')).theme_day_monthly,
      required: 1,
      actual: 1,
      ok: true,
    });
    assert.equal((await check(branch, 'year=2025&month=4')).theme_day_monthly!.ok, true);
    assert.equal((await check(branch, 'year=2025&month=5')).theme_day_monthly!.ok, false);
  });

  it('counts two theme days in one month once, and asks for twelve in a past year', async () => {
    await held(branch, 'theme_day', '2025-03-05T14:30:00+08:00');
    const year = await check(branch, 'year=2025');
    assert.equal(year.theme_day_monthly!.required, 12);
    assert.equal(year.theme_day_monthly!.actual, 2);
    assert.equal(year.theme_day_monthly!.ok, false);
  });

  it('does not count a meeting that was only announced or was cancelled', async () => {
    const m = await post('/api/v1/meetings', {
      orgId: branch,
      kind: 'theme_day',
      title: '五月主题党日',
      startsAt: '2025-05-15T14:30:00+08:00',
      endsAt: '2025-05-15T16:30:00+08:00',
      location: '活动室',
    });
    const c = await post('/api/v1/meetings', {
      orgId: branch,
      kind: 'theme_day',
      title: '五月主题党日（改期）',
      startsAt: '2025-05-20T14:30:00+08:00',
      endsAt: '2025-05-20T16:30:00+08:00',
      location: '活动室',
    });
    assert.equal((await post(`/api/v1/meetings/${c.body.id}/cancel`, { reason: '改期' })).status, 200);
    assert.equal(m.status, 201);
    assert.equal((await check(branch, 'year=2025&month=5')).theme_day_monthly!.actual, 0);
    // Minutes cannot be written for a cancelled meeting.
    const r = await put(`/meetings/${c.body.id}/minutes`, admin, { host: '甲', recorder: '乙', content: '内容' });
    assert.equal(r.status, 409);
  });

  it('checks the general meeting per quarter at the quarter boundary', async () => {
    await held(branch, 'party_congress', '2025-03-31T20:00:00+08:00');
    assert.equal((await check(branch, 'year=2025&quarter=1')).party_congress_quarterly!.ok, true);
    const q2 = await check(branch, 'year=2025&quarter=2');
    assert.deepEqual(
      [q2.party_congress_quarterly!.required, q2.party_congress_quarterly!.actual, q2.party_congress_quarterly!.ok],
      [1, 0, false],
    );
    // A month view checks the quarter the month is in.
    assert.equal((await check(branch, 'year=2025&month=2')).party_congress_quarterly!.ok, true);
    const y = await check(branch, 'year=2025');
    assert.deepEqual([y.party_congress_quarterly!.required, y.party_congress_quarterly!.actual], [4, 1]);
  });

  it("counts only the secretary's own lecture for the yearly secretary's lecture, following corrected minutes", async () => {
    const id = await held(branch, 'lecture', '2025-07-01T09:00:00+08:00', {
      speaker: '上级党委委员',
      topic: '专题党课',
    });
    assert.equal((await check(branch, 'year=2025&includeLocal=true')).secretary_lecture_yearly!.actual, 0);
    const saveMinutes = (speakerIsSecretary: boolean) =>
      put(`/meetings/${id}/minutes`, admin, {
        host: '书记',
        recorder: '委员',
        content: CONTENT,
        speaker: '书记',
        speakerIsSecretary,
      });
    assert.equal((await saveMinutes(true)).status, 200);
    assert.equal((await check(branch, 'year=2025&includeLocal=true')).secretary_lecture_yearly!.ok, true);
    assert.equal((await saveMinutes(false)).status, 200);
    assert.equal((await check(branch, 'year=2025&includeLocal=true')).secretary_lecture_yearly!.actual, 0);
    // Only lectures can be marked as the secretary's.
    const other = await held(branch, 'committee', '2025-07-05T16:00:00+08:00');
    const bad = await put(`/meetings/${other}/minutes`, admin, {
      host: '甲',
      recorder: '乙',
      content: '内容',
      speakerIsSecretary: true,
    });
    assert.equal(bad.status, 422);
  });

  it('asks a yearly talk with every member and counts each member once', async () => {
    const talk = (memberId: string, heldOn: string) =>
      post('/api/v1/talks', { orgId: branch, memberId, talker: '书记', heldOn, topic: '思想工作情况' });
    assert.equal((await talk(members[0]!, '2025-02-01')).status, 201);
    assert.equal((await talk(members[0]!, '2025-09-01')).status, 201);
    assert.equal((await talk(members[1]!, '2025-12-31')).status, 201);
    const y = await check(branch, 'year=2025');
    assert.deepEqual([y.talk_yearly!.required, y.talk_yearly!.actual, y.talk_yearly!.ok], [8, 2, false]);
    const other = await t.orgId('研发中心党支部');
    const [outsider] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${other} limit 1`,
    );
    const r = await talk(outsider!.id, '2025-03-01');
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'MEMBER_NOT_IN_ORG');
  });

  it('leaves the committee rule out for a branch too small to have a committee', async () => {
    const items = await check(small, 'year=2025');
    assert.equal(items.committee_monthly, undefined);
    assert.ok(items.theme_day_monthly);
    assert.ok((await check(branch, 'year=2025')).committee_monthly);
  });

  it('adds the local quarterly-lecture rule only when asked, marked as local', async () => {
    assert.equal((await check(branch, 'year=2025')).lecture_quarterly_local, undefined);
    const r = await get(`/orgs/${branch}/compliance?year=2025&includeLocal=true`, admin);
    const local = r.body.items.find((i: { rule: string }) => i.rule === 'lecture_quarterly_local');
    assert.equal(local.local, true);
    assert.match(local.citation, /地方规定/);
  });

  it('rolls the subtree up: the committee is fine only if every branch is, and branches behind come first', async () => {
    const up = await check(parent, 'year=2025');
    assert.equal(up.theme_day_monthly!.ok, false);
    const r = await get(`/orgs/${parent}/compliance/rollup?year=2025&behindOnly=true&pageSize=50`, admin);
    assert.equal(r.status, 200, r.raw);
    const names = r.body.items.map((i: { orgName: string }) => i.orgName);
    assert.ok(names.includes('合规测试党支部') && names.includes('小支部测试'));
    const behind = r.body.items.map((i: { behind: number }) => i.behind);
    assert.deepEqual(
      behind,
      [...behind].sort((a: number, b: number) => b - a),
    );
    assert.equal(r.body.total, r.body.items.length);
    const page2 = await get(`/orgs/${parent}/compliance/rollup?year=2025&pageSize=2&page=2`, admin);
    assert.equal(page2.body.items.length, 2);
    assert.equal(page2.body.total, r.body.total);
  });

  it('fills the 驾驶舱 heatmap per org below and month: a month turns green only when every monthly rule was met', async () => {
    const heat = async (orgId: string, paging = 'pageSize=100') => {
      const r = await get(`/stats/meetings-heatmap?orgId=${orgId}&year=2025&${paging}`, admin);
      assert.equal(r.status, 200, r.raw);
      return r.body as {
        rows: { orgId: string; orgName: string; units: number; ok: (number | null)[] }[];
        total: number;
        runningMonth: number | null;
      };
    };
    const row = (h: Awaited<ReturnType<typeof heat>>, id: string) => h.rows.find((x) => x.orgId === id)!;
    const before = await heat(parent);
    assert.equal(before.runningMonth, null, '2025 is over on every clock of the suite');
    assert.deepEqual(
      [row(before, small).units, row(before, branch).units],
      [1, 1],
      'each new branch is a row of its own below the 党委',
    );
    // 小支部 (no committee): a theme day in October is all October asks of it.
    await held(small, 'theme_day', '2025-10-15T14:30:00+08:00');
    // 合规测试党支部 (a committee): a theme day alone leaves October short of its 支委会 …
    await held(branch, 'theme_day', '2025-10-16T14:30:00+08:00');
    const mid = await heat(parent);
    assert.equal(row(mid, small).ok[9], row(before, small).ok[9]! + 1);
    assert.equal(row(mid, branch).ok[9], row(before, branch).ok[9], 'no 支委会 yet: not met');
    // … until it holds one in October (a November one does not count for October).
    await held(branch, 'committee', '2025-11-02T09:00:00+08:00');
    assert.equal(row(await heat(parent), branch).ok[9], row(before, branch).ok[9]);
    await held(branch, 'committee', '2025-10-30T19:00:00+08:00');
    const after = await heat(parent);
    assert.equal(row(after, branch).ok[9], 1);
    for (const r of after.rows)
      if (r.orgId !== small && r.orgId !== branch) assert.deepEqual(r.ok, row(before, r.orgId).ok, r.orgName);
    // A branch asked for itself is its own single row; pages are pages.
    const own = await heat(small);
    assert.deepEqual(
      own.rows.map((r) => [r.orgId, r.units]),
      [[small, 1]],
    );
    const first = await heat(parent, 'page=1&pageSize=1');
    const second = await heat(parent, 'page=2&pageSize=1');
    assert.equal(first.total, after.total);
    assert.deepEqual([first.rows.length, second.rows[0]?.orgId], [1, after.rows[1]?.orgId]);
    const bad = await get(`/stats/meetings-heatmap?orgId=${parent}&year=1999`, admin);
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.body.error.message, /年份不正确/);
  });

  it('answers the contract shape {items:[{rule,required,actual,ok,citation}]} and refuses a bad period', async () => {
    const r = await get(`/orgs/${branch}/compliance?year=2025`, admin);
    for (const i of r.body.items)
      for (const k of ['rule', 'required', 'actual', 'ok', 'citation']) assert.ok(k in i, k);
    assert.equal((await get(`/orgs/${branch}/compliance?year=2025&month=13`, admin)).status, 400);
    assert.equal((await get(`/orgs/${branch}/compliance`, admin)).status, 400);
  });

  it("hides another branch's compliance from a branch secretary", async () => {
    const shuji = await t.login('shuji');
    assert.equal((await get(`/orgs/${branch}/compliance?year=2025`, shuji)).status, 404);
    const own = await t.orgId('第一发电厂党支部');
    assert.equal((await get(`/orgs/${own}/compliance?year=2025`, shuji)).status, 200);
  });
});
