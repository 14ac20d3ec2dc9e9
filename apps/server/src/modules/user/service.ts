/** Accounts and their role bindings. Accounts an admin creates must change password at first login. */
import { ORG_ADMINS, type Role } from '@xianfeng/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { assertCoversAll, inSubtree, type Scope } from '../../platform/access';
import { writeAudit, type Actor } from '../../platform/audit';
import { assertPasswordPolicy, hashPassword } from '../../platform/auth';
import { onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { maskPhonesIn } from '../../platform/crypto';
import { conflict, forbidden, unprocessable } from '../../platform/errors';
import { appUser, org, session, userRole } from '../../platform/schema';
import { countFrom, pageWhere } from '../../platform/paging';

export type NewUser = {
  username: string;
  password: string;
  displayName?: string | undefined;
  roles: { role: Role; orgId: string }[];
  mustChangePassword?: boolean;
};

/** Inserts a user and its bindings; callers have already checked scope. */
export async function insertUser(tx: Tx, actor: Actor, tenantId: string, u: NewUser, passwordHash: string) {
  // Security review #14, finding 6: a username is shown unmasked (account lists, audit actor names).
  if (maskPhonesIn(u.username) !== u.username)
    throw unprocessable(
      '用户名不能含手机号（手机号属于个人信息）；党员可直接用手机号登录',
      undefined,
      'USERNAME_IS_PHONE',
    );
  const [taken] = await tx
    .select({ id: appUser.id })
    .from(appUser)
    .where(sql`lower(${appUser.username}) = lower(${u.username})`);
  if (taken) throw conflict(`用户名「${u.username}」已被使用`, 'USERNAME_TAKEN');
  const [row] = await tx
    .insert(appUser)
    .values({
      tenantId,
      username: u.username,
      displayName: u.displayName ?? '',
      passwordHash,
      mustChangePassword: u.mustChangePassword ?? true,
    })
    .returning();
  const user = row!;
  const roles = [...new Map(u.roles.map((r) => [`${r.role}:${r.orgId}`, r])).values()];
  await tx.insert(userRole).values(roles.map((r) => ({ tenantId, userId: user.id, role: r.role, orgId: r.orgId })));
  await writeAudit(tx, actor, {
    action: 'user.create',
    entityType: 'user',
    entityId: user.id,
    after: { username: user.username, displayName: user.displayName, roles },
  });
  return user;
}

export async function createUser(db: Db, scope: Scope, u: NewUser) {
  // Only an admin makes admins; an org department admin manages accounts inside its subtree.
  if (u.roles.some((r) => r.role === 'admin') && scope.role !== 'admin')
    throw forbidden('只有系统管理员可以授予系统管理员角色');
  await assertCoversAll(
    db,
    scope,
    ORG_ADMINS,
    u.roles.map((r) => r.orgId),
  );
  assertPasswordPolicy(u.password, u.username);
  const passwordHash = await hashPassword(u.password);
  const user = await db.transaction((tx) =>
    insertUser(tx, scope.actor, scope.tenantId, { ...u, mustChangePassword: true }, passwordHash),
  );
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    mustChangePassword: user.mustChangePassword,
  };
}

/** Users holding any role inside the acting org's subtree. */
export async function listUsers(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const usersInScope = db
    .selectDistinct({ id: userRole.userId })
    .from(userRole)
    .innerJoin(org, onKey(org, userRole.orgId, userRole))
    .where(and(eq(userRole.tenantId, scope.tenantId), inSubtree(org.path, scope.org.path)));
  const where = and(eq(appUser.tenantId, scope.tenantId), inArray(appUser.id, usersInScope));
  const { items: users, total } = await pageWhere(
    db
      .select({
        id: appUser.id,
        username: appUser.username,
        displayName: appUser.displayName,
        mustChangePassword: appUser.mustChangePassword,
      })
      .from(appUser)
      .$dynamic(),
    countFrom(db, appUser),
    where,
    [asc(appUser.username)],
    page,
    pageSize,
  );
  const ids = users.map((u) => u.id);
  const roles = ids.length
    ? await db
        .select({ userId: userRole.userId, role: userRole.role, orgId: org.id, orgName: org.name })
        .from(userRole)
        .innerJoin(org, onKey(org, userRole.orgId, userRole))
        .where(and(eq(userRole.tenantId, scope.tenantId), inArray(userRole.userId, ids)))
    : [];
  return {
    items: users.map((u) => ({
      ...u,
      // Accounts named by a phone before finding 6 (not linked to a member, so not renamed at start): masked.
      username: maskPhonesIn(u.username),
      roles: roles
        .filter((r) => r.userId === u.id)
        .map(({ role, orgId, orgName }) => ({ role: role as Role, orgId, orgName })),
    })),
    total,
  };
}

/**
 * Ends a person's access when they leave the party (出党, transfer out of the enterprise): the
 * account is disabled, its sessions deleted and its role bindings removed, in the caller's
 * transaction (security review #14, finding 9). Returns what was ended, for the audit entry.
 */
export async function endAccess(
  tx: Tx,
  tenantId: string,
  userId: string,
): Promise<{ userId: string; roles: number; sessions: number }> {
  await tx
    .update(appUser)
    .set({ disabled: true })
    .where(and(eq(appUser.tenantId, tenantId), eq(appUser.id, userId)));
  const roles = await tx
    .delete(userRole)
    .where(and(eq(userRole.tenantId, tenantId), eq(userRole.userId, userId)))
    .returning({ id: userRole.userId });
  const sessions = await tx.delete(session).where(eq(session.userId, userId)).returning({ id: session.userId });
  return { userId, roles: roles.length, sessions: sessions.length };
}

/** Moves a member's `member` role binding along with an accepted transfer inside the tenant. */
export async function moveMemberBinding(
  tx: Tx,
  tenantId: string,
  userId: string,
  fromOrgId: string,
  toOrgId: string,
): Promise<number> {
  const moved = await tx
    .update(userRole)
    .set({ orgId: toOrgId })
    .where(
      and(
        eq(userRole.tenantId, tenantId),
        eq(userRole.userId, userId),
        eq(userRole.role, 'member'),
        eq(userRole.orgId, fromOrgId),
      ),
    )
    .returning({ id: userRole.userId });
  return moved.length;
}
