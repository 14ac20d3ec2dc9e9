/**
 * 个人信息查阅与复制 (PIPL art. 45): a signed-in person downloads everything the platform holds
 * about them — account, member record with full numbers, transfers and 流动 history, the 发展党员 record that
 * led to their admission, meetings, dues, learning, the notices of their inbox and their notification settings —
 * as one JSON file. Each module contributes through its own service functions; the
 * export itself is audited.
 */
import { todayInChina, now } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../platform/audit';
import { scopeOf } from '../../platform/http';
import type { Services } from '../../platform/services';
import { developRecordOfMember } from '../develop/service';
import { memberLearning, pointsOfUser } from '../learn/service';
import { baseHistory } from '../dues/service';
import { listBills } from '../dues/service';
import { listPayments } from '../dues/payments';
import { invitationsOf } from '../meeting/service';
import { lifecycleHistory } from '../member/lifecycle';
import { memberOfUser, toView } from '../member/service';
import { getMySettings, listNotifications } from '../notify/service';
import { getOrg } from '../org/service';
import { voiceDataOfUser } from '../voice/service';

/** Every item of a paged service call. */
async function allPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await fetchPage(page, 200);
    out.push(...items);
    if (items.length < 200 || out.length >= total) return out;
  }
}

export const privacyRoutes =
  ({ db, fieldCrypto, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/me/personal-data',
      {
        schema: { tags: ['auth'], summary: '下载本人在平台上的全部个人信息（JSON）' },
        config: { access: { roles: 'any' } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const { user, bindings } = scope.principal;
        const row = await memberOfUser(db, scope.tenantId, user.id);
        const memberPart = row
          ? {
              profile: toView(fieldCrypto, row, (await getOrg(db, scope.tenantId, row.orgId)).name, true),
              ...(await lifecycleHistory(db, scope.tenantId, row.id)),
              meetings: await allPages((p, s) => invitationsOf(db, scope.tenantId, row.id, 'all', undefined, p, s)),
              development: await developRecordOfMember(db, fieldCrypto, scope, row.id),
              dues: {
                bases: await allPages((p, s) => baseHistory(db, scope.tenantId, row.id, p, s)),
                bills: await allPages((p, s) => listBills(db, scope.tenantId, '/', { memberId: row.id }, p, s)),
                payments: await allPages((p, s) => listPayments(db, scope.tenantId, '/', { memberId: row.id }, p, s)),
              },
            }
          : null;
        const data = {
          exportedAt: now().toISOString(),
          account: {
            username: user.username,
            displayName: user.displayName,
            createdAt: user.createdAt,
            roles: bindings.map((b) => ({ role: b.role, org: b.org.name })),
            prefs: user.prefs,
          },
          member: memberPart,
          // 学习教育: records and answers of the member record, points of the account (own only; no rankings exist).
          learning: {
            ...(row ? await memberLearning(db, scope.tenantId, row.id) : { records: [], attempts: [] }),
            points: await pointsOfUser(db, scope.tenantId, user.id),
          },
          // 通知提醒: every notice of the inbox (read or not) and the account's channel settings.
          notifications: {
            inbox: await allPages((page, pageSize) =>
              listNotifications(db, user.id, { page, pageSize, unreadOnly: false }),
            ),
            settings: await getMySettings(db, config.notify, scope.tenantId, user.id),
          },
          voice: await voiceDataOfUser(db, fieldCrypto, scope.tenantId, user.id),
        };
        await db.transaction((tx) =>
          writeAudit(tx, scope.actor, { action: 'privacy.export', entityType: 'user', entityId: user.id }),
        );
        const name = `我的个人信息-${row?.name ?? user.username}-${todayInChina()}.json`;
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
          .send(JSON.stringify(data, null, 2));
      },
    );
  };
