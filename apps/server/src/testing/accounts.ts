/** Accounts for demo members who have none, made the way an administrator makes them. */
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { queryRows } from '../platform/db';
import type { TestApp } from './harness';

/** The password of every account `accountFor` makes. */
export const MEMBER_ACCOUNT_PASSWORD = 'Xianfeng@2026';

/**
 * Gives the member record `memberId` a member account `username` in its own org through `POST /api/v1/users` (as the
 * administrator `admin`), links the record to it, marks the first-login password change done, and signs it in.
 */
export async function accountFor(
  t: TestApp,
  admin: string,
  memberId: string,
  username: string,
): Promise<{ token: string; userId: string }> {
  const [m] = await queryRows<{ orgId: string }>(
    t.services.db,
    sql`select org_id as "orgId" from member where id = ${memberId}`,
  );
  assert.ok(m, `no member record ${memberId}`);
  const made = await t.request({
    method: 'POST',
    url: '/api/v1/users',
    token: admin,
    body: { username, password: MEMBER_ACCOUNT_PASSWORD, roles: [{ role: 'member', orgId: m.orgId }] },
  });
  assert.equal(made.status, 201, made.raw);
  const userId = made.body.id as string;
  await t.services.db.execute(sql`update member set user_id = ${userId} where id = ${memberId}`);
  await t.services.db.execute(sql`update app_user set must_change_password = false where id = ${userId}`);
  return { token: await t.login(username, MEMBER_ACCOUNT_PASSWORD), userId };
}
