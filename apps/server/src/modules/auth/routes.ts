import {
  ChangePasswordBody,
  LoginBody,
  LoginReply,
  MeReply,
  MySsoReply,
  Paging,
  PrefsBody,
  SsoAppBody,
  SsoAppView,
  SsoBindingAdminView,
  SsoBindingView,
  SsoCallbackBody,
  SsoCallbackReply,
  SsoProviderParams,
  SsoProvidersReply,
  SsoStartBody,
  SsoStartReply,
  Uuid,
} from '@xianfeng/shared';
import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../platform/audit';
import { changePassword, login, logout } from '../../platform/auth';
import { SESSION_COOKIE, scopeOf } from '../../platform/http';
import { declared } from '../../platform/route';
import { appUser } from '../../platform/schema';
import { userIdsByPhone } from '../member/service';
import type { Services } from '../../platform/services';
import {
  configuredProviders,
  deleteApp,
  finishBinding,
  finishSignIn,
  listApps,
  listBindings,
  myBindings,
  saveApp,
  SSO_COOKIE,
  startBinding,
  startSignIn,
  STATE_TTL_MS,
  unbindById,
  unbindMine,
} from './sso';

export const authRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, sessionPolicy, fieldCrypto } = services;
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: 'auto' as const,
      maxAge: Math.floor(sessionPolicy.ttlMs / 1000),
    };

    app.post(
      '/auth/login',
      declared({
        access: { public: true },
        tags: ['auth'],
        summary: '登录',
        body: LoginBody,
        response: { 200: LoginReply },
      }),
      async (req, reply) => {
        // Members may type their phone instead of their login name (found through the blind index).
        const { token, user } = await login(
          db,
          sessionPolicy,
          { ...req.body, ip: req.ip, requestId: req.id },
          (typed) => userIdsByPhone(db, fieldCrypto, typed),
        );
        reply.setCookie(SESSION_COOKIE, token, cookieOptions);
        return { token, user: { id: user.id, username: user.username, mustChangePassword: user.mustChangePassword } };
      },
    );

    app.post(
      '/auth/logout',
      declared({ access: { roles: 'any', duringPasswordChange: true }, tags: ['auth'], summary: '退出登录' }),
      async (req, reply) => {
        await logout(db, scopeOf(req).principal.tokenHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    app.post(
      '/auth/password',
      declared({
        access: { roles: 'any', duringPasswordChange: true },
        tags: ['auth'],
        summary: '修改密码',
        body: ChangePasswordBody,
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        await changePassword(
          db,
          scope.actor,
          scope.principal.user,
          scope.principal.tokenHash,
          req.body.oldPassword,
          req.body.newPassword,
        );
        return reply.status(204).send();
      },
    );

    app.get(
      '/me',
      declared({
        access: { roles: 'any', duringPasswordChange: true },
        tags: ['auth'],
        summary: '当前用户',
        response: { 200: MeReply },
      }),
      async (req) => {
        const { user, bindings } = scopeOf(req).principal;
        return {
          id: user.id,
          username: user.username,
          displayName: user.displayName || user.username,
          mustChangePassword: user.mustChangePassword,
          roles: bindings.map((b) => ({ role: b.role, orgId: b.org.id, orgName: b.org.name })),
          prefs: { largeFont: Boolean(user.prefs.largeFont) },
        };
      },
    );

    app.patch(
      '/me/prefs',
      declared({
        access: { roles: 'any', duringPasswordChange: true },
        tags: ['auth'],
        summary: '个人偏好（大字模式）',
        body: PrefsBody,
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const before = scope.principal.user.prefs;
        const after = { ...before, ...req.body };
        await db.transaction(async (tx) => {
          await tx
            .update(appUser)
            .set({ prefs: sql`${JSON.stringify(after)}::jsonb` })
            .where(and(eq(appUser.tenantId, scope.tenantId), eq(appUser.id, scope.principal.user.id)));
          await writeAudit(tx, scope.actor, {
            action: 'user.prefs',
            entityType: 'user',
            entityId: scope.principal.user.id,
            before,
            after,
          });
        });
        return reply.status(204).send();
      },
    );

    // ---------- sign-in through 企业微信 / 钉钉 (issue 24; modules/auth/sso.ts) ----------

    const tags = ['auth'];
    // The state's nonce, tied to this browser; only the answer page's API call needs it.
    const stateCookie = { path: '/api/v1', httpOnly: true, sameSite: 'lax' as const, secure: 'auto' as const };
    const setNonce = (reply: { setCookie: (n: string, v: string, o: object) => unknown }, nonce: string) =>
      reply.setCookie(SSO_COOKIE, nonce, { ...stateCookie, maxAge: Math.floor(STATE_TTL_MS / 1000) });

    app.get(
      '/auth/sso/providers',
      declared({
        access: { public: true },
        tags,
        summary: '已开启的第三方登录方式（企业微信、钉钉）',
        response: { 200: SsoProvidersReply },
      }),
      async () => ({ providers: await configuredProviders(db) }),
    );

    app.post(
      '/auth/sso/:provider/start',
      declared({
        access: { public: true },
        tags,
        summary: '开始企业微信/钉钉登录：返回授权页地址（state 与本浏览器绑定）',
        params: SsoProviderParams,
        querystring: z.object({ tenant: Uuid.optional() }),
        body: SsoStartBody,
        response: { 200: SsoStartReply },
      }),
      async (req, reply) => {
        const { url, nonce } = await startSignIn(services, req.params.provider, req.body.inApp, req.query.tenant);
        setNonce(reply, nonce);
        return { url };
      },
    );

    app.post(
      '/auth/sso/:provider/callback',
      declared({
        access: { public: true },
        tags,
        summary: '企业微信/钉钉登录回调：用授权码登录已绑定的账号',
        params: SsoProviderParams,
        body: SsoCallbackBody,
        response: { 200: SsoCallbackReply },
      }),
      async (req, reply) => {
        const nonce = req.cookies[SSO_COOKIE];
        reply.clearCookie(SSO_COOKIE, { path: stateCookie.path });
        const out = await finishSignIn(services, req.params.provider, {
          ...req.body,
          nonce,
          ip: req.ip,
          requestId: req.id,
        });
        if (out.status === 'signedIn') reply.setCookie(SESSION_COOKIE, out.token, cookieOptions);
        return out;
      },
    );

    app.get(
      '/me/sso',
      declared({ access: { roles: 'any' }, tags, summary: '我的企业微信/钉钉绑定', response: { 200: MySsoReply } }),
      async (req) => {
        const scope = scopeOf(req);
        return {
          providers: await configuredProviders(db, scope.tenantId),
          bindings: await myBindings(db, scope.tenantId, scope.principal.user.id),
        };
      },
    );

    app.post(
      '/me/sso/start',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '开始绑定企业微信/钉钉：返回授权页地址',
        body: SsoStartBody.extend(SsoProviderParams.shape),
        response: { 200: SsoStartReply },
      }),
      async (req, reply) => {
        const { url, nonce } = await startBinding(services, scopeOf(req), req.body.provider, req.body.inApp);
        setNonce(reply, nonce);
        return { url };
      },
    );

    app.post(
      '/me/sso/bind',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '绑定企业微信/钉钉账号（一个外部账号只能绑定一个用户）',
        body: SsoCallbackBody.extend(SsoProviderParams.shape),
        response: { 200: SsoBindingView },
      }),
      async (req, reply) => {
        const nonce = req.cookies[SSO_COOKIE];
        reply.clearCookie(SSO_COOKIE, { path: stateCookie.path });
        const { provider, code, state } = req.body;
        return finishBinding(services, scopeOf(req), provider, { code, state, nonce });
      },
    );

    app.post(
      '/me/sso/unbind',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '解除我的企业微信/钉钉绑定',
        body: z.strictObject(SsoProviderParams.shape),
      }),
      async (req, reply) => {
        await unbindMine(db, scopeOf(req), req.body.provider);
        return reply.status(204).send();
      },
    );

    app.get(
      '/sso/apps',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '企业微信/钉钉登录的应用设置',
        response: { 200: z.object({ items: z.array(SsoAppView) }) },
      }),
      async (req) => listApps(services, scopeOf(req)),
    );

    app.put(
      '/sso/apps/:provider',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '保存企业微信/钉钉登录的应用设置（Secret 加密保存，留空则不改）',
        params: SsoProviderParams,
        body: SsoAppBody,
        response: { 200: SsoAppView },
      }),
      async (req) => saveApp(services, scopeOf(req), req.params.provider, req.body),
    );

    app.delete(
      '/sso/apps/:provider',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '关闭并删除企业微信/钉钉登录的应用设置',
        params: SsoProviderParams,
      }),
      async (req, reply) => {
        await deleteApp(services, scopeOf(req), req.params.provider);
        return reply.status(204).send();
      },
    );

    app.get(
      '/sso/bindings',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '用户的企业微信/钉钉绑定',
        querystring: Paging,
        response: { 200: z.object({ items: z.array(SsoBindingAdminView), total: z.number() }) },
      }),
      async (req) => listBindings(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.delete(
      '/sso/bindings/:id',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '管理员解除某用户的企业微信/钉钉绑定',
        params: z.object({ id: Uuid }),
      }),
      async (req, reply) => {
        await unbindById(db, scopeOf(req), req.params.id);
        return reply.status(204).send();
      },
    );
  };
