/**
 * 下级组织对比 (GET /api/v1/stats/children): each direct child's row is the figure the child's own 驾驶舱 shows, so a
 * leader who clicks a bar lands on the same number; a branch has no rows; the caller's own subtree only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('驾驶舱 下级组织对比 (stats/children)', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());
  const get = (url: string, token = admin) => t.request({ method: 'GET', url: `/api/v1${url}`, token });

  it('answers each direct child with the figures of its own 驾驶舱, in pages', async () => {
    const top = await t.orgId('华夏能源集团党委');
    const r = await get(`/stats/children?orgId=${top}&pageSize=200`);
    assert.equal(r.status, 200, r.raw);
    const c = r.body;
    const kids = (await get(`/orgs?parentId=${top}&pageSize=200`)).body;
    assert.equal(c.total, kids.total);
    assert.deepEqual(
      c.rows.map((x: { orgId: string }) => x.orgId).sort(),
      kids.items.map((x: { id: string }) => x.id).sort(),
    );
    const company = c.rows.find((x: { orgName: string }) => x.orgName === '华夏电力有限公司党委');
    assert.ok(company && company.childCount > 0 && company.members > 0, JSON.stringify(company));
    for (const row of c.rows) {
      const d = (await get(`/dashboard?orgId=${row.orgId}`)).body;
      assert.deepEqual(
        [row.members, row.full, row.probationary, row.developOpen],
        [d.members.total, d.members.full, d.members.probationary, d.develop.open],
        row.orgName,
      );
      assert.deepEqual([row.meetingsUnits, row.meetingsOnTrack], [d.meetings.units, d.meetings.onTrack], row.orgName);
      assert.equal(c.duesMonth, d.dues.lastMonth.month);
      assert.deepEqual(
        [row.duesBills, row.duesPaidBills, row.duesBilledFen, row.duesPaidFen],
        [d.dues.lastMonth.bills, d.dues.lastMonth.paidBills, d.dues.lastMonth.billedFen, d.dues.lastMonth.paidFen],
        row.orgName,
      );
    }
    // The children together are the parent's members (the parent's own members are on no child).
    const whole = (await get(`/dashboard?orgId=${top}`)).body;
    assert.ok(c.rows.reduce((s: number, x: { members: number }) => s + x.members, 0) <= whole.members.total);
    assert.match(c.note, /口径与驾驶舱的数字卡片相同/);
    // The list behind 党员总数 (the members list without 停止党籍) counts the same; those left out are listed apart.
    const roster = (f: string) => get(`/members?orgId=${company.orgId}&pageSize=1&${f}`);
    const d = (await get(`/dashboard?orgId=${company.orgId}`)).body;
    assert.equal((await roster('suspended=false')).body.total, d.members.total);
    const all = (await roster('')).body.total;
    assert.equal((await roster('suspended=true')).body.total, all - d.members.total);

    const first = (await get(`/stats/children?orgId=${top}&pageSize=1`)).body;
    const second = (await get(`/stats/children?orgId=${top}&pageSize=1&page=2`)).body;
    assert.equal(first.rows.length, 1);
    assert.equal(first.total, c.total);
    assert.notEqual(first.rows[0].orgId, second.rows[0]?.orgId);
  });

  it('answers a branch with its 党小组 and a group with nothing, keeps to the caller’s subtree, answers bad input in Chinese', async () => {
    const branch = await t.orgId('第一发电厂党支部');
    const b = await get(`/stats/children?orgId=${branch}`);
    assert.equal(b.status, 200, b.raw);
    assert.equal(b.body.org.orgKind, 'branch');
    assert.ok(b.body.rows.length > 0);
    assert.ok(
      b.body.rows.every((x: { orgKind: string; childCount: number }) => x.orgKind === 'group' && x.childCount === 0),
    );
    const g = await get(`/stats/children?orgId=${b.body.rows[0].orgId}`);
    assert.deepEqual([g.body.org.orgKind, g.body.rows, g.body.total], ['group', [], 0]);
    const shuji = await t.login('shuji');
    assert.equal((await get(`/stats/children?orgId=${await t.orgId('华夏能源集团党委')}`, shuji)).status, 403);
    assert.equal((await get('/stats/children', shuji)).body.org.orgName, '第一发电厂党支部');
    assert.equal((await get('/stats/children', await t.login('dangyuan'))).status, 403);
    const bad = await get('/stats/children?orgId=nope');
    assert.equal(bad.status, 400);
    assert.match(bad.raw, /编号格式不正确/);
    const big = await get('/stats/children?pageSize=1000');
    assert.equal(big.status, 400);
    assert.match(big.raw, /每页最多 200 条/);
  });
});
