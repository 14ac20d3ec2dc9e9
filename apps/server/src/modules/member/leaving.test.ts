// @fixed-days: exit dates against join dates (tools/test.mjs runs this file under each fixed clock).
/**
 * Security review #14, finding 9: a member who leaves (出党, transfer out of the enterprise) keeps
 * no account, session or role; one transferred inside the tenant keeps no member role at the old
 * branch. Ended in the same transaction as the leaving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('leaving ends the account, its sessions and its roles (security finding 9)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  let branchA: string;
  let branchB: string;
  let n = 0;
  /** A member of branch A with their own signed-in account (role `member` at branch A). */
  const memberWithAccount = async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branchA} and left_at is null and user_id is null order by id limit 1 offset ${n}`,
    );
    const username = `leaver${++n}`;
    const u = await post('/users', admin, {
      username,
      password: 'Strong-Pass-1',
      roles: [{ role: 'member', orgId: branchA }],
    });
    assert.equal(u.status, 201, u.raw);
    await t.services.db.execute(sql`update member set user_id = ${u.body.id} where id = ${m!.id}`);
    const token = await t.login(username, 'Strong-Pass-1');
    return { memberId: m!.id, userId: u.body.id as string, username, token };
  };
  const roles = async (userId: string) =>
    queryRows<{ role: string; org_id: string }>(
      t.services.db,
      sql`select role, org_id from user_role where user_id = ${userId}`,
    );
  const assertEnded = async (p: Awaited<ReturnType<typeof memberWithAccount>>) => {
    assert.equal((await get('/me', p.token)).status, 401, 'the session ended');
    const again = await post('/auth/login', undefined, { username: p.username, password: 'Strong-Pass-1' });
    assert.equal(again.status, 401, 'cannot sign in again');
    assert.deepEqual(await roles(p.userId), [], 'no role left');
    const [s] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from session where user_id = ${p.userId}`,
    );
    assert.equal(s!.n, 0);
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
  });
  after(() => t.close());

  it('ends them when the member is expelled (出党)', async () => {
    const p = await memberWithAccount();
    assert.equal((await get('/me', p.token)).status, 200);
    const r = await post(`/members/${p.memberId}/exit`, admin, {
      reason: 'expelled',
      date: todayInChina(),
      note: '开除党籍',
    });
    assert.equal(r.status, 200, r.raw);
    await assertEnded(p);
    const [a] = await queryRows<{ after: { accessEnded?: { roles: number } } }>(
      t.services.db,
      sql`select after from audit_log where action = 'member.exit' and entity_id = ${p.memberId}`,
    );
    assert.equal(a!.after.accessEnded?.roles, 1, 'audited with the leaving');
  });

  it('ends them when the member is transferred out of the enterprise', async () => {
    const p = await memberWithAccount();
    const r = await post(`/members/${p.memberId}/transfers`, admin, {
      direction: 'out',
      destination: '某市委组织部',
      letterNo: '（2026）第 9 号',
      reason: '工作调动',
    });
    assert.equal(r.status, 201, r.raw);
    await assertEnded(p);
  });

  it('moves the member role with a transfer inside the tenant: none left at the old branch', async () => {
    const p = await memberWithAccount();
    const r = await post(`/members/${p.memberId}/transfers`, admin, {
      direction: 'internal',
      toOrgId: branchB,
      reason: '调动',
    });
    assert.equal(r.status, 201, r.raw);
    const ok = await post(`/transfers/${r.body.id}/decision`, admin, { accept: true });
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual(await roles(p.userId), [{ role: 'member', org_id: branchB }]);
  });
});
