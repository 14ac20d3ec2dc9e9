/**
 * 学习积分排行: off by default; a 党支部 may turn it on for its own members only. Members see their own
 * points always, a ranking only of their own branch when both the tenant's points and the branch's ranking
 * are on, and never the names of another branch (no parameter names one). Only branches can turn it on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { accountFor } from '../../testing/accounts';

describe('learn: points ranking, opt-in per branch', () => {
  let t: TestApp;
  let admin: string;
  let member: string; // dangyuan, 第一发电厂党支部
  let peer: string; // another member of the same branch
  let other: string; // a member of 第二发电厂党支部
  let secretary: string; // shuji, 第一发电厂党支部
  let secretary2: string; // shuji2, 研发中心党支部 (another subsidiary)
  let zuzhibu: string;
  let branchId: string;
  const names: Record<string, string> = {};

  const { get, put } = api(() => t);
  /** Gives a member of `orgId` without an account the account `username`, and them `points` this year. */
  const account = async (username: string, orgName: string, points: number) => {
    const orgId = await t.orgId(orgName);
    const [m] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select id, name from member where org_id = ${orgId} and user_id is null and left_at is null and suspended_on is null order by id limit 1`,
    );
    const { token, userId } = await accountFor(t, admin, m!.id, username);
    await givePoints(userId, points);
    names[username] = m!.name;
    return token;
  };
  const givePoints = async (userId: string, points: number) => {
    if (points === 0) return;
    await t.services.db.execute(
      sql`insert into learn_point (tenant_id, user_id, on_date, reason, ref_id, title, points)
          values (${t.tenantId}, ${userId}, ${todayInChina()}, 'exam_pass', gen_random_uuid(), '测试积分', ${points})`,
    );
    await afterLocalWrite(t.services.db);
  };

  before(async () => {
    t = await startTestApp();
    [admin, member, secretary, secretary2, zuzhibu] = await signIn(
      t,
      'admin',
      'dangyuan',
      'shuji',
      'shuji2',
      'zuzhibu',
    );
    branchId = await t.orgId('第一发电厂党支部');
    const [me] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select u.id, m.name from app_user u join member m on m.user_id = u.id where u.username = 'dangyuan'`,
    );
    names.dangyuan = me!.name;
    await givePoints(me!.id, 5);
    peer = await account('peer1', '第一发电厂党支部', 7);
    await account('zero1', '第一发电厂党支部', 0);
    other = await account('other1', '第二发电厂党支部', 20);
  });
  after(async () => {
    await t.close();
  });

  it('is off by default: a member sees only their own points', async () => {
    const r = await get('/learn/ranking', member);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.enabled, false);
    assert.deepEqual(r.body.items, []);
    assert.equal(r.body.mine.points, 5);
    assert.equal(r.body.orgName, '第一发电厂党支部');
    assert.match(r.body.note, /指尖上的形式主义/);
    assert.match(r.body.note, /出处待核对/, 'the citation is marked unconfirmed');
    const s = await get(`/learn/ranking-setting?orgId=${branchId}`, secretary);
    assert.equal(s.status, 200, s.raw);
    assert.equal(s.body.rankingEnabled, false);
  });

  it('lets only the branch (or its keepers above) switch it, and only a 党支部', async () => {
    assert.equal(
      (await put('/learn/ranking-setting', member, { orgId: branchId, rankingEnabled: true })).status,
      403,
      'a member cannot',
    );
    assert.equal((await get(`/learn/ranking-setting?orgId=${branchId}`, member)).status, 403, 'nor read the switch');
    const far = await put('/learn/ranking-setting', secretary2, { orgId: branchId, rankingEnabled: true });
    assert.ok(far.status === 403 || far.status === 404, `another subsidiary's secretary is refused (${far.status})`);
    const top = await put('/learn/ranking-setting', zuzhibu, { orgId: t.rootOrgId, rankingEnabled: true });
    assert.equal(top.status, 422, top.raw);
    assert.match(top.body.error.message, /只能由党支部/);
    const on = await put('/learn/ranking-setting', secretary, { orgId: branchId, rankingEnabled: true });
    assert.equal(on.status, 200, on.raw);
    assert.equal(on.body.rankingEnabled, true);
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'learn.ranking.setting' and entity_id = ${branchId}`,
    );
    assert.equal(audit!.n, 1, 'the switch is audited');
  });

  it('shows nothing while the tenant has points off, even with the branch ranking on', async () => {
    const r = await get('/learn/ranking', member);
    assert.equal(r.body.pointsEnabled, false);
    assert.equal(r.body.enabled, false);
    assert.deepEqual(r.body.items, []);
  });

  it('ranks the members of the own branch only, with points only, once points are on', async () => {
    assert.equal((await put('/learn/settings', admin, { pointsEnabled: true })).status, 200);
    const r = await get('/learn/ranking', member);
    assert.equal(r.body.enabled, true, r.raw);
    assert.deepEqual(
      r.body.items.map((x: { rank: number; name: string; points: number; me: boolean }) => [
        x.rank,
        x.name,
        x.points,
        x.me,
      ]),
      [
        [1, names.peer1, 7, false],
        [2, names.dangyuan, 5, true],
      ],
    );
    assert.equal(r.body.total, 2, 'a member without points is not listed');
    assert.deepEqual(r.body.mine, { rank: 2, points: 5 });
    assert.ok(!r.raw.includes(names.other1!), 'no one from another branch');
    const p = await get('/learn/ranking', peer);
    assert.equal(p.body.items[0].me, true);
  });

  it("never shows a branch's ranking to a member of another branch", async () => {
    const r = await get('/learn/ranking', other);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.orgName, '第二发电厂党支部');
    assert.equal(r.body.enabled, false, 'their own branch did not turn it on');
    assert.deepEqual(r.body.items, []);
    assert.equal(r.body.mine.points, 20);
    for (const n of [names.dangyuan!, names.peer1!]) assert.ok(!r.raw.includes(n), 'no name of the other branch');
    const named = await get(`/learn/ranking?orgId=${branchId}`, other);
    assert.ok(!named.raw.includes(names.peer1!), 'naming the other branch reaches nothing');
  });

  it('is gone again when the branch turns it off', async () => {
    assert.equal(
      (await put('/learn/ranking-setting', secretary, { orgId: branchId, rankingEnabled: false })).status,
      200,
    );
    const r = await get('/learn/ranking', member);
    assert.equal(r.body.enabled, false);
    assert.deepEqual(r.body.items, []);
  });
});
