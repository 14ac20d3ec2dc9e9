// @fixed-days: "learned" is this Beijing month's learning; the totals are compared with 学习参与率 of the same day.
/**
 * The list behind 学习参与率 (issue #23) through the HTTP stack on the demo enterprise: for the group and for a branch,
 * the members who learned this month number exactly 学习参与率's learners (and the 驾驶舱's), the others the members
 * less the learners; the pages walk the whole list in roster order with no one twice; a member who does 每日一练
 * moves from the one list to the other; nothing but name, org, learned and the day is answered; readers of another
 * subtree and members are refused, and bad input is a Chinese 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setClock, todayInChina, type Attempt, type ParticipationMembers } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp } from '../../testing/harness';
import { wrongAnswer } from './test-helpers';

describe('学习参与率 members list', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let zuzhibu: string; // org_admin at the group committee
  let shuji: string; // secretary, 第一发电厂党支部
  let shuji2: string; // secretary, 研发中心党支部 (another company)
  let dangyuan: string; // member, 第一发电厂党支部
  let top: string;
  let company: string;
  let branch: string;

  before(async () => {
    t = await startTestApp();
    zuzhibu = await t.login('zuzhibu');
    shuji = await t.login('shuji');
    shuji2 = await t.login('shuji2');
    dangyuan = await t.login('dangyuan');
    top = await t.orgId('华夏能源集团党委');
    company = await t.orgId('华夏电力有限公司党委');
    branch = await t.orgId('第一发电厂党支部');
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  const list = async (token: string, query: string): Promise<ParticipationMembers> => {
    const r = await get(`/learn/participation/members?${query}`, token);
    assert.equal(r.status, 200, r.raw);
    return r.body;
  };
  /** Every page of the list, `size` at a time. */
  const all = async (token: string, query: string, size = 7) => {
    const items: ParticipationMembers['items'] = [];
    for (let page = 1; ; page++) {
      const p = await list(token, `${query}&page=${page}&pageSize=${size}`);
      items.push(...p.items);
      if (p.items.length < size) return { items, total: p.total };
    }
  };

  for (const [label, who, org] of [
    ['the group', () => zuzhibu, () => top],
    ['a company', () => zuzhibu, () => company],
    ['a branch', () => shuji, () => branch],
  ] as const) {
    it(`counts exactly 学习参与率's learners as learned, and the other members as not, for ${label}`, async () => {
      const p = (await get(`/learn/participation?orgId=${org()}`, who())).body;
      assert.ok(p.learners > 0 && p.learners < p.members, JSON.stringify(p));
      const yes = await list(who(), `orgId=${org()}&learned=yes`);
      const no = await list(who(), `orgId=${org()}&learned=no`);
      const both = await list(who(), `orgId=${org()}`);
      assert.equal(yes.total, p.learners);
      assert.equal(no.total, p.members - p.learners);
      assert.equal(both.total, p.members);
      for (const x of [yes, no, both]) {
        assert.equal(x.month, p.month);
        assert.equal(x.members, p.members);
        assert.equal(x.learners, p.learners);
      }
      // The 驾驶舱's figure is the same count.
      const d = (await get(`/dashboard?orgId=${org()}`, who())).body;
      assert.equal(d.learning.learners, yes.total);
      assert.equal(d.learning.members, both.total);
    });
  }

  it('pages through the whole list in roster order (org path, then name), each member once', async () => {
    const no = await all(shuji, `orgId=${branch}&learned=no`);
    const yes = await all(shuji, `orgId=${branch}&learned=yes`, 3);
    assert.equal(no.items.length, no.total);
    assert.equal(yes.items.length, yes.total);
    assert.ok(no.items.every((m) => !m.learned && m.lastDay === null));
    const month = todayInChina().slice(0, 7);
    assert.ok(yes.items.every((m) => m.learned && m.lastDay!.startsWith(month) && m.lastDay! <= todayInChina()));
    const ids = [...no.items, ...yes.items].map((m) => m.memberId);
    assert.equal(new Set(ids).size, ids.length, 'no member on both lists or twice on one');
    // The order the roster gives them (member_roster_idx): org path, then name, code-point order.
    const roster = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join org o on o.tenant_id = m.tenant_id and o.id = ${branch}
          where m.org_path like o.path || '%' and m.left_at is null and m.suspended_on is null
          order by m.org_path collate "C", m.name collate "C", m.id`,
    );
    const noIds = new Set(no.items.map((m) => m.memberId));
    assert.deepEqual(
      no.items.map((m) => m.memberId),
      roster.map((r) => r.id).filter((id) => noIds.has(id)),
    );
  });

  it('answers only name, org, learned and the day: no phone, no 身份证号', async () => {
    const r = await get(`/learn/participation/members?orgId=${branch}&pageSize=200`, shuji);
    assert.equal(r.status, 200);
    for (const m of r.body.items)
      assert.deepEqual(Object.keys(m).sort(), [
        'branchName',
        'lastDay',
        'learned',
        'memberId',
        'name',
        'orgId',
        'orgName',
      ]);
    assert.ok(!/phone|idCard|1[3-9]\d{9}|\d{17}[\dX]/.test(r.raw), r.raw.slice(0, 300));
    // A 党小组 names its branch (every branch may have a 第一党小组); the branch's own members have none.
    const items: ParticipationMembers['items'] = r.body.items;
    assert.ok(items.some((m) => m.orgName === '第一党小组'));
    for (const m of items)
      assert.equal(m.branchName, m.orgName === '第一发电厂党支部' ? null : '第一发电厂党支部', JSON.stringify(m));
  });

  it('moves a member who does 每日一练 from the not-learned list to the learned one', async () => {
    const [me] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join app_user u on u.tenant_id = m.tenant_id and u.id = m.user_id
          where u.username = 'dangyuan'`,
    );
    const before = await all(shuji, `orgId=${branch}&learned=no`, 200);
    // The demo member's own learning starts empty (learn/demo.ts).
    assert.ok(before.items.some((m) => m.memberId === me!.id));
    const learnersBefore = (await get(`/learn/participation?orgId=${branch}`, shuji)).body.learners;
    const daily: Attempt = (await t.request({ method: 'POST', url: '/api/v1/learn/daily', token: dangyuan })).body;
    const answers = Object.fromEntries(daily.questions.map((q) => [q.id, wrongAnswer(q)]));
    const s = await post(`/learn-attempts/${daily.id}/submit`, dangyuan, { answers });
    assert.equal(s.status, 200, s.raw);
    const after = await all(shuji, `orgId=${branch}&learned=no`, 200);
    assert.equal(after.total, before.total - 1);
    assert.ok(!after.items.some((m) => m.memberId === me!.id));
    const yes = await all(shuji, `orgId=${branch}&learned=yes`, 200);
    const mine = yes.items.find((m) => m.memberId === me!.id);
    assert.equal(mine?.lastDay, todayInChina());
    const p = (await get(`/learn/participation?orgId=${branch}`, shuji)).body;
    assert.equal(p.learners, learnersBefore + 1);
    assert.equal(yes.total, p.learners);
  });

  it('refuses members, and readers of another subtree, as 学习参与率 does; without orgId it is the caller’s org', async () => {
    assert.equal((await get(`/learn/participation/members?orgId=${branch}`, dangyuan)).status, 403);
    assert.equal((await get(`/learn/participation/members`, dangyuan)).status, 403);
    const foreign = await get(`/learn/participation/members?orgId=${branch}`, shuji2);
    assert.equal(foreign.status, 403);
    assert.equal((await get(`/learn/participation/members?orgId=${company}`, shuji)).status, 403);
    const own = await list(shuji, '');
    assert.equal(own.orgId, branch);
    assert.equal(own.orgName, '第一发电厂党支部');
  });

  it('answers bad input with a Chinese 400', async () => {
    for (const q of [`learned=maybe`, `orgId=abc`, `pageSize=500`, `page=0`]) {
      const r = await get(`/learn/participation/members?${q}`, shuji);
      assert.equal(r.status, 400, `${q}: ${r.raw}`);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/, r.raw);
    }
    const r = await get(`/learn/participation/members?learned=maybe`, shuji);
    assert.match(r.raw, /本月已参加学习/);
  });
});
