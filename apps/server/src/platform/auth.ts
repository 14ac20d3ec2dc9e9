/**
 * Authentication: argon2id password hashes, opaque session tokens stored as SHA-256,
 * absolute expiry plus idle timeout, and lockout after repeated failures.
 */
import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { passwordProblems } from '@xianfeng/shared';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { loadBindings, type Principal } from './access';
import { writeAudit, type Actor } from './audit';
import { exactCache, type ExactCache } from './cache';
import { sha256 } from './crypto';
import type { Db, Queryable } from './db';
import { AppError, unauthorized, unprocessable } from './errors';
import { appUser, loginAttempt, session } from './schema';

// Algorithm.Argon2id is a const enum in the typings; isolatedModules forbids importing it.
const ARGON2ID = 2;
export const hashPassword = (password: string) =>
  argonHash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
export const verifyPassword = (hash: string, password: string) => argonVerify(hash, password).catch(() => false);

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

export function assertPasswordPolicy(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0)
    throw unprocessable(
      `密码不符合要求：${problems.join('；')}`,
      problems.map((message) => ({ field: 'newPassword', message })),
      'WEAK_PASSWORD',
    );
}

export const newToken = () => crypto.randomBytes(32).toString('base64url');

export type SessionPolicy = { ttlMs: number; idleMs: number };

// A dummy hash so unknown usernames cost the same time as known ones (no user enumeration by timing).
let dummyHash: Promise<string> | undefined;

const locked = () =>
  new AppError(423, 'ACCOUNT_LOCKED', '连续登录失败次数过多，账号已锁定 15 分钟，请稍后再试或联系管理员');

/**
 * Reserves one password attempt for `key` atomically (security review #14, finding 3): under a
 * per-key transaction lock it counts the failures since the last success inside the window —
 * including attempts still being checked — and, below the limit, records this attempt as a
 * failure before the password is verified. So parallel guesses cannot all pass the count before
 * any is written: at most LOCKOUT_FAILURES of them reach the hash check. Returns the attempt's
 * id for `attemptSucceeded`; throws 423 at the limit.
 */
export async function reserveAttempt(db: Db, key: string, ip: string | null): Promise<number> {
  const since = new Date(Date.now() - LOCKOUT_WINDOW_MS);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(lower(${key}), 7714))`);
    const [recent] = await tx
      .select({
        failures: sql<number>`count(*) filter (where not ${loginAttempt.success} and ${loginAttempt.at} > coalesce((select max(a2.at) from login_attempt a2 where lower(a2.username) = lower(${key}) and a2.success), '-infinity'::timestamptz))::int`,
      })
      .from(loginAttempt)
      .where(and(sql`lower(${loginAttempt.username}) = lower(${key})`, gt(loginAttempt.at, since)));
    if ((recent?.failures ?? 0) >= LOCKOUT_FAILURES) throw locked();
    const [row] = await tx
      .insert(loginAttempt)
      .values({ username: key, success: false, ip, at: new Date() })
      .returning({ id: loginAttempt.id });
    return row!.id;
  });
}

/** Marks a reserved attempt as a success, which resets the failure count. */
export async function attemptSucceeded(db: Queryable, id: number): Promise<void> {
  await db.update(loginAttempt).set({ success: true }).where(eq(loginAttempt.id, id));
}

export async function login(
  db: Db,
  policy: SessionPolicy,
  input: { username: string; password: string; ip: string | null; requestId: string },
  /**
   * Other names for accounts (a member's phone, security review #14 finding 6): → the user ids it names. One: that
   * account; several (a shared phone): refused with a clear message once the password fits one of them.
   */
  alias?: (typed: string) => Promise<string[]>,
): Promise<{ token: string; user: typeof appUser.$inferSelect }> {
  const name = input.username.trim();
  let [user] = await db
    .select()
    .from(appUser)
    .where(sql`lower(${appUser.username}) = lower(${name})`);
  const aliased = !user && alias ? await alias(name) : [];
  if (aliased.length === 1) [user] = await db.select().from(appUser).where(eq(appUser.id, aliased[0]!));
  // One lockout count per account, whichever name was typed (phone or login name); unknown and shared names by
  // themselves.
  const attempt = await reserveAttempt(db, user ? user.username : name, input.ip);

  dummyHash ??= hashPassword(crypto.randomUUID());
  if (aliased.length > 1) {
    // Only someone who knows the password of one of them learns that the phone is shared.
    const users = await db.select().from(appUser).where(inArray(appUser.id, aliased));
    for (const u of users)
      if (!u.disabled && (await verifyPassword(u.passwordHash, input.password)))
        throw new AppError(
          409,
          'PHONE_AMBIGUOUS',
          '这个手机号登记在多个账号下，不能用手机号登录，请改用登录名（账号通知单上 dy 开头的名字）登录',
        );
    throw unauthorized('用户名或密码错误', 'INVALID_CREDENTIALS');
  }
  let ok = false;
  if (user && !user.disabled) ok = await verifyPassword(user.passwordHash, input.password);
  else await verifyPassword(await dummyHash, input.password);
  if (!ok || !user) throw unauthorized('用户名或密码错误', 'INVALID_CREDENTIALS');
  await attemptSucceeded(db, attempt);
  const token = await openSession(db, policy, user, { ip: input.ip, requestId: input.requestId });
  return { token, user };
}

/**
 * Opens a session for a user whose identity is established (a password, or an external sign-in through
 * 企业微信/钉钉 — `via`), audited as `auth.login`. Answers the token.
 */
export async function openSession(
  db: Db,
  policy: SessionPolicy,
  user: typeof appUser.$inferSelect,
  meta: { ip: string | null; requestId: string; via?: string },
): Promise<string> {
  const token = newToken();
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx
      .insert(session)
      .values({ tokenHash: sha256(token), userId: user.id, expiresAt: new Date(now + policy.ttlMs) });
    const actor: Actor = {
      tenantId: user.tenantId,
      userId: user.id,
      username: user.username,
      requestId: meta.requestId,
    };
    await writeAudit(tx, actor, {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      after: meta.via ? { ip: meta.ip, via: meta.via } : { ip: meta.ip },
    });
  });
  return token;
}

/** Resolves a session (by its token's hash) to its user, enforcing expiry and idle timeout. */
async function resolveSession(db: Queryable, policy: SessionPolicy, tokenHash: string) {
  const [row] = await db
    .select({ s: session, u: appUser })
    .from(session)
    .innerJoin(appUser, eq(appUser.id, session.userId))
    .where(eq(session.tokenHash, tokenHash));
  if (!row) return null;
  const now = Date.now();
  if (row.s.expiresAt.getTime() <= now || row.s.lastSeenAt.getTime() + policy.idleMs <= now || row.u.disabled) {
    await db.delete(session).where(eq(session.tokenHash, tokenHash));
    return null;
  }
  let lastSeenAt = row.s.lastSeenAt.getTime();
  if (now - lastSeenAt > TOUCH_MS) lastSeenAt = await touch(db, tokenHash, now);
  return { user: row.u, expiresAt: row.s.expiresAt.getTime(), lastSeenAt };
}

// Touch at most once a minute: an idle clock, not a write per request (and no cache flush: the
// change feed ignores session updates).
const TOUCH_MS = 60_000;
async function touch(db: Queryable, tokenHash: string, now: number): Promise<number> {
  await db
    .update(session)
    .set({ lastSeenAt: new Date(now) })
    .where(eq(session.tokenHash, tokenHash));
  return now;
}

/** How long a cached principal is trusted without looking at the database even if no change arrives. */
export const PRINCIPAL_TTL_MS = 30_000;
type CachedPrincipal = { principal: Principal; expiresAt: number; lastSeenAt: number };

/**
 * A presented token → the signed-in user with role bindings, or null. Cached by token hash until the
 * `auth` or `org` topic changes (logout, password change, user disabled/changed, role change, org move:
 * see platform/cache.ts) or PRINCIPAL_TTL_MS pass. Expiry, idle timeout and the disabled flag are still
 * checked on every request; when memory says a session is over, the database decides (and deletes it).
 */
export function resolvePrincipal(
  db: Db,
  policy: SessionPolicy,
  token: string,
): Principal | null | Promise<Principal | null> {
  const tokenHash = sha256(token);
  const cache = exactCache<CachedPrincipal>(db, 'principal', ['auth', 'org'], { max: 10_000, ttlMs: PRINCIPAL_TTL_MS });
  const now = Date.now();
  const hit = cache?.get(tokenHash);
  if (hit && hit.expiresAt > now && hit.lastSeenAt + policy.idleMs > now && !hit.principal.user.disabled) {
    // The common case answers without a promise (the access hook then runs synchronously): nothing to wait for.
    if (now - hit.lastSeenAt <= TOUCH_MS) return hit.principal;
    return touch(db, tokenHash, now).then((at) => {
      hit.lastSeenAt = at;
      return hit.principal;
    });
  }
  return loadPrincipal(db, policy, tokenHash, cache);
}

async function loadPrincipal(
  db: Db,
  policy: SessionPolicy,
  tokenHash: string,
  cache: ExactCache<CachedPrincipal> | undefined,
): Promise<Principal | null> {
  const loaded = cache
    ? await cache.load(tokenHash, () => sessionPrincipal(db, policy, tokenHash))
    : await sessionPrincipal(db, policy, tokenHash);
  if (!loaded) cache?.delete(tokenHash);
  return loaded?.principal ?? null;
}

async function sessionPrincipal(db: Db, policy: SessionPolicy, tokenHash: string): Promise<CachedPrincipal | null> {
  const s = await resolveSession(db, policy, tokenHash);
  if (!s) return null;
  const principal = { user: s.user, tokenHash, bindings: await loadBindings(db, s.user.tenantId, s.user.id) };
  return { principal, expiresAt: s.expiresAt, lastSeenAt: s.lastSeenAt };
}

export async function logout(db: Queryable, tokenHash: string): Promise<void> {
  await db.delete(session).where(eq(session.tokenHash, tokenHash));
}

export async function changePassword(
  db: Db,
  actor: Actor,
  user: typeof appUser.$inferSelect,
  currentTokenHash: string | null,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  // Guessing the old password through a session is limited like login, on its own key (so it
  // cannot lock the owner out of signing in).
  const attempt = await reserveAttempt(db, `password-change:${user.id}`, null);
  if (!(await verifyPassword(user.passwordHash, oldPassword)))
    throw new AppError(400, 'WRONG_OLD_PASSWORD', '原密码不正确');
  await attemptSucceeded(db, attempt);
  assertPasswordPolicy(newPassword, user.username);
  if (await verifyPassword(user.passwordHash, newPassword))
    throw unprocessable(
      '新密码不能与原密码相同',
      [{ field: 'newPassword', message: '新密码不能与原密码相同' }],
      'WEAK_PASSWORD',
    );
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx.update(appUser).set({ passwordHash, mustChangePassword: false }).where(eq(appUser.id, user.id));
    // Other sessions of this user end: a changed password must lock out whoever had the old one.
    await tx
      .delete(session)
      .where(
        and(
          eq(session.userId, user.id),
          currentTokenHash ? sql`${session.tokenHash} <> ${currentTokenHash}` : undefined,
        ),
      );
    await writeAudit(tx, actor, {
      action: 'auth.password_change',
      entityType: 'user',
      entityId: user.id,
      after: { mustChangePassword: false },
    });
  });
}
