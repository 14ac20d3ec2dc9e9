/**
 * 个人信息查阅与复制 (PIPL art. 45): a signed-in person downloads everything the platform holds
 * about them — account, member record with full numbers, transfers and 流动 history, the 发展党员 record that
 * led to their admission, meetings, dues, learning, 互动, the inbox and notification settings — as one JSON file. Each module contributes its section through
 * the `personalData` of its manifest (platform/module.ts); the export itself is audited.
 */
import { todayInChina, now } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../platform/audit';
import { contentDisposition } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared } from '../../platform/route';
import type { Services } from '../../platform/services';
import type { ServerModule } from '../../platform/module';
import { userIdByPhone, memberOfUser, memberPhone } from '../member/service';

/** The personal-data copy, assembled from the `personalData` sections of the given modules' manifests. */
export const privacyRoutes =
  (modules: readonly ServerModule[]) =>
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // POST, not GET: the copy is audited (a write), and a GET must change nothing — a cross-site link
    // would carry the member's cookie (SameSite=Lax) and write an export entry (issue 14 item 14).
    app.post(
      '/me/personal-data',
      declared({ access: { roles: 'any' }, tags: ['auth'], summary: '下载本人在平台上的全部个人信息（JSON）' }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const { user, bindings } = scope.principal;
        const row = await memberOfUser(services.db, scope.tenantId, user.id);
        const merged = (parts: (Record<string, unknown> | undefined)[]) =>
          Object.assign({}, ...parts) as Record<string, unknown>;
        const ofMember = async (memberId: string) =>
          merged(await Promise.all(modules.map((m) => m.personalData?.ofMember?.(services, { scope, memberId }))));
        const ofAccount = async () =>
          merged(
            await Promise.all(
              modules.map((m) => m.personalData?.ofAccount?.(services, { scope, memberId: row?.id ?? null })),
            ),
          );
        const data = {
          exportedAt: now().toISOString(),
          account: {
            username: user.username,
            // Members may also sign in with their own phone (security review #14, finding 6).
            signInWithPhone: row
              ? (await userIdByPhone(services.db, services.fieldCrypto, memberPhone(services.fieldCrypto, row))) ===
                user.id
              : false,
            displayName: user.displayName,
            createdAt: user.createdAt,
            roles: bindings.map((b) => ({ role: b.role, org: b.org.name })),
            prefs: user.prefs,
          },
          member: row ? await ofMember(row.id) : null,
          ...(await ofAccount()),
        };
        await services.db.transaction((tx) =>
          writeAudit(tx, scope.actor, { action: 'privacy.export', entityType: 'user', entityId: user.id }),
        );
        const name = `我的个人信息-${row?.name ?? user.username}-${todayInChina()}.json`;
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', contentDisposition(name))
          .send(JSON.stringify(data, null, 2));
      },
    );
  };
