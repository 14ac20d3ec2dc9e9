import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('org tree and data scope', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  let branchA: string; // 第一发电厂党支部 (shuji's branch)
  let branchB: string; // 研发中心党支部 (shuji2's branch, another subsidiary)
  let power: string; // 华夏电力有限公司党委
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
    power = await t.orgId('华夏电力有限公司党委');
  });
  after(() => t.close());

  it('lets a branch secretary read their own branch and its party groups', async () => {
    const token = await t.login('shuji');
    assert.equal((await get(`/orgs/${branchA}`, token)).status, 200);
    const groups = await get(`/orgs?parentId=${branchA}`, token);
    assert.equal(groups.status, 200);
    assert.equal(groups.body.total, 2);
  });

  it('answers 404 to a branch secretary asking for another branch, and 403 for its children list', async () => {
    const token = await t.login('shuji');
    const r = await get(`/orgs/${branchB}`, token);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.message, '记录不存在或无权查看');
    assert.equal((await get(`/orgs?parentId=${branchB}`, token)).status, 403);
    // Going up the tree is out of scope too.
    assert.equal((await get(`/orgs/${power}`, token)).status, 404);
  });

  it('forbids a secretary to create orgs (role), and a subsidiary org admin outside its subtree (scope)', async () => {
    const sec = await t.login('shuji');
    const r1 = await post('/orgs', sec, { parentId: branchA, name: '第三党小组', kind: 'group' });
    assert.equal(r1.status, 403);
    const dianli = await t.login('dianli');
    const r2 = await post('/orgs', dianli, { parentId: branchB, name: '新党小组', kind: 'group' });
    assert.equal(r2.status, 403);
    const r3 = await post('/orgs', dianli, { parentId: branchA, name: '第三党小组', kind: 'group' });
    assert.equal(r3.status, 201);
    assert.equal(r3.body.path.startsWith((await get(`/orgs/${branchA}`, admin)).body.path), true);
  });

  it('writes the audit entry in the same transaction as the org', async () => {
    const r = await post('/orgs', admin, { parentId: power, name: '储能项目部党支部', kind: 'branch' });
    assert.equal(r.status, 201);
    const rows = await queryRows<{ actor_name: string; after: { name: string } }>(
      t.services.db,
      sql`select actor_name, after from audit_log where entity_type = 'org' and entity_id = ${r.body.id} and action = 'org.create'`,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_name, 'admin');
    assert.equal(rows[0]!.after.name, '储能项目部党支部');
  });

  it('rejects a kind that cannot sit under the parent and a duplicate sibling name', async () => {
    const r = await post('/orgs', admin, { parentId: branchA, name: '下级支部', kind: 'branch' });
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /党支部.*下不能设立/);
    const dup = await post('/orgs', admin, { parentId: power, name: '电力营销党支部', kind: 'branch' });
    assert.equal(dup.status, 409);
  });

  it('finds a subtree with one indexed range query on the materialized path', async () => {
    const [p] = await queryRows<{ path: string }>(t.services.db, sql`select path from org where id = ${power}`);
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from org where path like ${p!.path + '%'}`,
    );
    // The committee itself, 1 general branch, 7 branches and their 6 groups, plus orgs created above.
    assert.ok(n!.n >= 15, `subtree size ${n!.n}`);
    const plan = await queryRows<Record<string, string>>(
      t.services.db,
      sql`explain select id from org where path like ${p!.path + '%'}`,
    );
    assert.match(JSON.stringify(plan), /org_path_uq|Seq Scan/);
  });

  it('pages the children list', async () => {
    const r = await get(`/orgs?parentId=${t.rootOrgId}&page=2&pageSize=2`, admin);
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 2);
    assert.ok(r.body.total >= 6);
    assert.equal((await get(`/orgs?parentId=${t.rootOrgId}&pageSize=500`, admin)).status, 400);
  });
});
