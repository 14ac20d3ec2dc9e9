import { ChangePasswordBody, LoginBody, LoginReply, MeReply, PrefsBody } from '@xianfeng/shared';
import { eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../platform/audit';
import { changePassword, login, logout } from '../../platform/auth';
import { SESSION_COOKIE, scopeOf } from '../../platform/http';
import { appUser } from '../../platform/schema';
import { userIdByPhone } from '../member/service';
import type { Services } from '../../platform/services';

export const authRoutes =
  ({ db, sessionPolicy, fieldCrypto }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: 'auto' as const,
      maxAge: Math.floor(sessionPolicy.ttlMs / 1000),
    };

    app.post(
      '/auth/login',
      {
        schema: { tags: ['auth'], summary: '登录', body: LoginBody, response: { 200: LoginReply } },
        config: { access: { public: true } },
      },
      async (req, reply) => {
        // Members may type their phone instead of their login name (found through the blind index).
        const { token, user } = await login(
          db,
          sessionPolicy,
          { ...req.body, ip: req.ip, requestId: req.id },
          (typed) => userIdByPhone(db, fieldCrypto, typed),
        );
        reply.setCookie(SESSION_COOKIE, token, cookieOptions);
        return { token, user: { id: user.id, username: user.username, mustChangePassword: user.mustChangePassword } };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: { tags: ['auth'], summary: '退出登录' },
        config: { access: { roles: 'any', duringPasswordChange: true } },
      },
      async (req, reply) => {
        await logout(db, scopeOf(req).principal.tokenHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    app.post(
      '/auth/password',
      {
        schema: { tags: ['auth'], summary: '修改密码', body: ChangePasswordBody },
        config: { access: { roles: 'any', duringPasswordChange: true } },
      },
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
      {
        schema: { tags: ['auth'], summary: '当前用户', response: { 200: MeReply } },
        config: { access: { roles: 'any', duringPasswordChange: true } },
      },
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
      {
        schema: { tags: ['auth'], summary: '个人偏好（大字模式）', body: PrefsBody },
        config: { access: { roles: 'any', duringPasswordChange: true } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const before = scope.principal.user.prefs;
        const after = { ...before, ...req.body };
        await db.transaction(async (tx) => {
          await tx
            .update(appUser)
            .set({ prefs: sql`${JSON.stringify(after)}::jsonb` })
            .where(eq(appUser.id, scope.principal.user.id));
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
  };
