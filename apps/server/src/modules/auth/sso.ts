/**
 * Sign-in through 企业微信 / 钉钉 (issue 24): the tenant's app settings, the `state` that ties a provider's answer
 * to the browser that asked, the sign-in of a bound account, and binding / unbinding.
 *
 * The state is `purpose.payload.signature`: the payload names the provider, tenant, (for a binding) the user, a
 * random nonce and the expiry (10 minutes); the signature is HMAC-SHA256 under a key of its own. The nonce is also
 * put in an httpOnly cookie when the sign-in starts, and the answer is accepted only from the browser holding that
 * cookie (a link with someone else's code and state, forwarded or planted, fails: CSRF / login fixation); the
 * cookie is cleared at the answer, and the provider's code is good once.
 */
import crypto from 'node:crypto';
import type { SsoAppBody, SsoBindingView, SsoProvider } from '@xianfeng/shared';
import { SSO_LABEL, SSO_PROVIDERS } from '@xianfeng/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit, type Actor } from '../../platform/audit';
import { openSession } from '../../platform/auth';
import { onKey, type Db } from '../../platform/db';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors';
import { appUser } from '../../platform/schema';
import type { Services } from '../../platform/services';
import { authorizeUrl, exchangeCode, type ExternalIdentity, type SsoApp } from './sso-providers';
import { ssoApp, ssoBinding } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

export const SSO_COOKIE = 'xf_sso';
export const STATE_TTL_MS = 10 * 60_000;
type Purpose = 'login' | 'bind';
type StatePayload = { p: SsoProvider; t: string; u?: string; n: string; e: number };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const stateKey = (s: Services) => s.fieldCrypto.subkey('xianfeng/sso-state/v1');
const sign = (s: Services, data: string) => b64(crypto.createHmac('sha256', stateKey(s)).update(data).digest());

export const redirectUri = (s: Services, provider: SsoProvider) => `${s.config.notify.publicUrl}/login/sso/${provider}`;

function newState(s: Services, purpose: Purpose, payload: Omit<StatePayload, 'n' | 'e'>) {
  const nonce = b64(crypto.randomBytes(18));
  const body = `${purpose}.${b64(JSON.stringify({ ...payload, n: nonce, e: Date.now() + STATE_TTL_MS }))}`;
  return { state: `${body}.${sign(s, body)}`, nonce };
}

const stateMismatch = () =>
  new AppError(
    400,
    'SSO_STATE_MISMATCH',
    '登录请求与当前浏览器不匹配（链接可能被转发、已经用过或在别的浏览器打开），请回到登录页重新点击登录',
  );

/** Checks a state against its signature, the purpose, the provider, the browser's cookie and the clock. */
export function readState(
  s: Services,
  raw: string,
  purpose: Purpose,
  provider: SsoProvider,
  cookieNonce: string | undefined,
): StatePayload {
  const parts = raw.split('.');
  if (parts.length !== 3 || parts[0] !== purpose) throw stateMismatch();
  const body = `${parts[0]}.${parts[1]}`;
  const expected = Buffer.from(sign(s, body));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) throw stateMismatch();
  let payload: StatePayload;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as StatePayload;
  } catch {
    throw stateMismatch();
  }
  if (payload.p !== provider) throw stateMismatch();
  if (payload.e < Date.now())
    throw new AppError(400, 'SSO_STATE_EXPIRED', '登录请求已过期（10 分钟内有效），请回到登录页重新点击登录');
  if (!cookieNonce || cookieNonce !== payload.n) throw stateMismatch();
  return payload;
}

// ---------- the apps ----------

const mask = (v: string) => (v.length <= 4 ? '****' : `****${v.slice(-4)}`);

async function appRow(db: Db, tenantId: string, provider: SsoProvider) {
  const [row] = await db
    .select()
    .from(ssoApp)
    .where(and(eq(ssoApp.tenantId, tenantId), eq(ssoApp.provider, provider)));
  return row ?? null;
}

function openApp(s: Services, row: typeof ssoApp.$inferSelect): SsoApp {
  return {
    provider: row.provider as SsoProvider,
    appId: row.appId,
    agentId: row.agentId,
    corpId: row.corpId,
    secret: s.fieldCrypto.decrypt(row.secretEnc, ssoApp.secretEnc, row.id),
  };
}

function appView(s: Services, row: typeof ssoApp.$inferSelect) {
  const app = openApp(s, row);
  return {
    provider: app.provider,
    appId: app.appId,
    agentId: app.agentId,
    corpId: app.corpId,
    secretMasked: mask(app.secret),
    enabled: row.enabled,
    updatedAt: row.updatedAt.toISOString(),
    redirectUri: redirectUri(s, app.provider),
  };
}

export async function listApps(s: Services, scope: Scope) {
  const rows = await s.db.select().from(ssoApp).where(eq(ssoApp.tenantId, scope.tenantId)).orderBy(ssoApp.provider);
  return { items: rows.map((r) => appView(s, r)) };
}

export async function saveApp(s: Services, scope: Scope, provider: SsoProvider, input: SsoAppBody) {
  if (provider === 'wecom' && !input.agentId)
    throw badRequest('请填写企业微信应用的 AgentId', [{ field: 'agentId', message: '请填写 AgentId' }]);
  const before = await appRow(s.db, scope.tenantId, provider);
  if (!before && !input.secret)
    throw badRequest(`请填写${SSO_LABEL[provider]}应用的 Secret`, [{ field: 'secret', message: '请填写 Secret' }]);
  const id = before?.id ?? crypto.randomUUID();
  const secretEnc = input.secret ? s.fieldCrypto.encrypt(input.secret, ssoApp.secretEnc, id) : before!.secretEnc;
  const values = {
    appId: input.appId,
    agentId: provider === 'wecom' ? input.agentId : null,
    corpId: provider === 'dingtalk' ? input.corpId : null,
    secretEnc,
    enabled: input.enabled,
    updatedBy: scope.principal.user.id,
    updatedAt: new Date(),
  };
  return s.db.transaction(async (tx) => {
    const [row] = before
      ? await tx.update(ssoApp).set(values).where(eq(ssoApp.id, id)).returning()
      : await tx
          .insert(ssoApp)
          .values({ id, tenantId: scope.tenantId, provider, ...values })
          .returning();
    const view = appView(s, row!);
    const audited = (v: ReturnType<typeof appView> | null) =>
      v && { appId: v.appId, agentId: v.agentId, corpId: v.corpId, secretMasked: v.secretMasked, enabled: v.enabled };
    await writeAudit(tx, scope.actor, {
      action: 'auth.sso.app.save',
      entityType: 'sso_app',
      entityId: id,
      before: audited(before ? appView(s, before) : null),
      after: audited(view),
    });
    return view;
  });
}

export async function deleteApp(s: Services, scope: Scope, provider: SsoProvider) {
  const row = await appRow(s.db, scope.tenantId, provider);
  if (!row) throw notFound(`尚未配置${SSO_LABEL[provider]}登录`);
  await s.db.transaction(async (tx) => {
    await tx.delete(ssoApp).where(eq(ssoApp.id, row.id));
    await writeAudit(tx, scope.actor, {
      action: 'auth.sso.app.delete',
      entityType: 'sso_app',
      entityId: row.id,
      before: { provider, appId: row.appId },
    });
  });
}

/** Providers with an enabled app in some tenant (the login page shows their buttons). */
export async function configuredProviders(db: Db, tenantId?: string): Promise<SsoProvider[]> {
  const rows = await db
    .selectDistinct({ provider: ssoApp.provider })
    .from(ssoApp)
    .where(and(eq(ssoApp.enabled, true), tenantId ? eq(ssoApp.tenantId, tenantId) : undefined));
  return SSO_PROVIDERS.filter((p) => rows.some((r) => r.provider === p));
}

const notConfigured = (provider: SsoProvider) =>
  new AppError(404, 'SSO_NOT_CONFIGURED', `本系统未开启${SSO_LABEL[provider]}登录，请用用户名或手机号登录`);

/** The enabled app of a provider: the tenant's, or (login, tenant not known yet) the only one there is. */
async function enabledApp(s: Services, provider: SsoProvider, tenantId?: string) {
  const rows = await s.db
    .select()
    .from(ssoApp)
    .where(
      and(
        eq(ssoApp.provider, provider),
        eq(ssoApp.enabled, true),
        tenantId ? eq(ssoApp.tenantId, tenantId) : undefined,
      ),
    )
    .limit(2);
  if (rows.length === 0) throw notConfigured(provider);
  if (rows.length > 1)
    throw badRequest(
      `有多个单位开启了${SSO_LABEL[provider]}登录，请从本单位的应用入口进入`,
      undefined,
      'SSO_TENANT_AMBIGUOUS',
    );
  return rows[0]!;
}

// ---------- sign-in ----------

export async function startSignIn(s: Services, provider: SsoProvider, inApp: boolean, tenantId?: string) {
  const row = await enabledApp(s, provider, tenantId);
  const { state, nonce } = newState(s, 'login', { p: provider, t: row.tenantId });
  return { url: authorizeUrl(s.config, openApp(s, row), redirectUri(s, provider), state, inApp), nonce };
}

export async function startBinding(s: Services, scope: Scope, provider: SsoProvider, inApp: boolean) {
  const row = await enabledApp(s, provider, scope.tenantId);
  const { state, nonce } = newState(s, 'bind', { p: provider, t: row.tenantId, u: scope.principal.user.id });
  return { url: authorizeUrl(s.config, openApp(s, row), redirectUri(s, provider), state, inApp), nonce };
}

async function identify(s: Services, provider: SsoProvider, tenantId: string, code: string) {
  const row = await enabledApp(s, provider, tenantId);
  return exchangeCode(s.config, openApp(s, row), code);
}

/** The binding of one external account (a provider's account within its issuer, in a tenant). */
const sameAccount = (tenantId: string, provider: SsoProvider, who: ExternalIdentity) =>
  and(
    eq(ssoBinding.tenantId, tenantId),
    eq(ssoBinding.provider, provider),
    eq(ssoBinding.issuer, who.issuer),
    eq(ssoBinding.externalId, who.externalId),
  );

export async function finishSignIn(
  s: Services,
  provider: SsoProvider,
  input: { code: string; state: string; nonce: string | undefined; ip: string | null; requestId: string },
) {
  const st = readState(s, input.state, 'login', provider, input.nonce);
  const who = await identify(s, provider, st.t, input.code);
  const [row] = await s.db
    .select({ b: ssoBinding, u: appUser })
    .from(ssoBinding)
    .innerJoin(appUser, onKey(appUser, ssoBinding.userId, ssoBinding))
    .where(sameAccount(st.t, provider, who));
  if (!row)
    return {
      status: 'unbound' as const,
      provider,
      message: `这个${SSO_LABEL[provider]}账号还没有绑定先锋账号。请先用用户名或手机号和密码登录，在「个人设置 → 绑定${SSO_LABEL[provider]}」中绑定一次，以后就可以直接登录`,
    };
  if (row.u.disabled || row.u.tenantId !== st.t)
    throw new AppError(403, 'ACCOUNT_DISABLED', '绑定的账号已停用，请联系管理员');
  const token = await openSession(s.db, s.sessionPolicy, row.u, {
    ip: input.ip,
    requestId: input.requestId,
    via: provider,
  });
  await s.db.update(ssoBinding).set({ lastSignInAt: new Date() }).where(eq(ssoBinding.id, row.b.id));
  return {
    status: 'signedIn' as const,
    token,
    user: { id: row.u.id, username: row.u.username, mustChangePassword: row.u.mustChangePassword },
  };
}

// ---------- bindings ----------

const bindingView = (b: typeof ssoBinding.$inferSelect): SsoBindingView => ({
  id: b.id,
  provider: b.provider as SsoProvider,
  externalId: b.externalId,
  createdAt: b.createdAt.toISOString(),
  lastSignInAt: b.lastSignInAt?.toISOString() ?? null,
});

export async function myBindings(db: Db, tenantId: string, userId: string) {
  const rows = await db
    .select()
    .from(ssoBinding)
    .where(and(eq(ssoBinding.tenantId, tenantId), eq(ssoBinding.userId, userId)))
    .orderBy(ssoBinding.provider);
  return rows.map(bindingView);
}

export async function finishBinding(
  s: Services,
  scope: Scope,
  provider: SsoProvider,
  input: { code: string; state: string; nonce: string | undefined },
) {
  const st = readState(s, input.state, 'bind', provider, input.nonce);
  if (st.u !== scope.principal.user.id || st.t !== scope.tenantId) throw stateMismatch();
  const who = await identify(s, provider, st.t, input.code);
  const label = SSO_LABEL[provider];
  return s.db.transaction(async (tx) => {
    // One binder at a time per external account and per user: the checks below then hold until commit.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${st.t}|${provider}|${who.issuer}|${who.externalId}`}, 9124))`,
    );
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${scope.principal.user.id}|${provider}`}, 9125))`,
    );
    const [taken] = await tx
      .select()
      .from(ssoBinding)
      .where(sameAccount(st.t, provider, who));
    if (taken && taken.userId === scope.principal.user.id) return bindingView(taken);
    if (taken)
      throw conflict(
        `这个${label}账号已绑定其他用户，不能再绑定；如需换绑，请原用户先解除绑定或联系管理员`,
        'SSO_ALREADY_BOUND',
      );
    const [mine] = await tx
      .select()
      .from(ssoBinding)
      .where(and(eq(ssoBinding.userId, scope.principal.user.id), eq(ssoBinding.provider, provider)));
    if (mine) throw conflict(`你已绑定了另一个${label}账号；如需更换，请先解除绑定`, 'SSO_USER_ALREADY_BOUND');
    const [row] = await tx
      .insert(ssoBinding)
      .values({
        tenantId: st.t,
        userId: scope.principal.user.id,
        provider,
        issuer: who.issuer,
        externalId: who.externalId,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'auth.sso.bind',
      entityType: 'user',
      entityId: scope.principal.user.id,
      after: { provider, issuer: who.issuer, externalId: who.externalId },
    });
    return bindingView(row!);
  });
}

async function removeBinding(db: Db, actor: Actor, b: typeof ssoBinding.$inferSelect, by: 'self' | 'admin') {
  await db.transaction(async (tx) => {
    await tx.delete(ssoBinding).where(eq(ssoBinding.id, b.id));
    await writeAudit(tx, actor, {
      action: 'auth.sso.unbind',
      entityType: 'user',
      entityId: b.userId,
      before: { provider: b.provider, issuer: b.issuer, externalId: b.externalId },
      after: { by },
    });
  });
}

export async function unbindMine(db: Db, scope: Scope, provider: SsoProvider) {
  const [b] = await db
    .select()
    .from(ssoBinding)
    .where(and(eq(ssoBinding.userId, scope.principal.user.id), eq(ssoBinding.provider, provider)));
  if (!b) throw notFound(`你没有绑定${SSO_LABEL[provider]}`);
  await removeBinding(db, scope.actor, b, 'self');
}

export async function listBindings(db: Db, scope: Scope, page: number, pageSize: number) {
  const where = eq(ssoBinding.tenantId, scope.tenantId);
  const { items: rows, total } = await pageWhere(
    db
      .select({ b: ssoBinding, username: appUser.username })
      .from(ssoBinding)
      .innerJoin(appUser, onKey(appUser, ssoBinding.userId, ssoBinding))
      .$dynamic(),
    countFrom(db, ssoBinding),
    where,
    [desc(ssoBinding.createdAt), ssoBinding.id],
    page,
    pageSize,
  );
  return {
    items: rows.map((r) => ({ ...bindingView(r.b), userId: r.b.userId, username: r.username })),
    total,
  };
}

export async function unbindById(db: Db, scope: Scope, id: string) {
  const [b] = await db
    .select()
    .from(ssoBinding)
    .where(and(eq(ssoBinding.tenantId, scope.tenantId), eq(ssoBinding.id, id)));
  if (!b) throw notFound();
  await removeBinding(db, scope.actor, b, 'admin');
}
