import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { notifyRoutes } from './routes';
import { notifyRobot, webhookEndpoint } from './schema';
import { getMySettings, listNotifications } from './service';

export const notifyModule: ServerModule = {
  name: 'notify',
  routes: notifyRoutes,
  sealed: [{ column: notifyRobot.urlEnc }, { column: notifyRobot.secretEnc }, { column: webhookEndpoint.secretEnc }],
  personalData: {
    // 通知提醒: every notice of the inbox (read or not) and the account's channel settings.
    ofAccount: async ({ db, config }, { scope }) => ({
      notifications: {
        inbox: await allPages((page, pageSize) =>
          listNotifications(db, scope.principal.user.id, { page, pageSize, unreadOnly: false }),
        ),
        settings: await getMySettings(db, config.notify, scope.tenantId, scope.principal.user.id),
      },
    }),
  },
};
