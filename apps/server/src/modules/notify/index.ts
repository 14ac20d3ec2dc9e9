import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { notifyMatrix } from './authz';
import { notifyRoutes } from './routes';
import { notifyRobot, webhookEndpoint } from './schema';
import { WEBHOOK_EVENTS } from '@xianfeng/shared';
import { deliver, DELIVERY_RETRY, onWebhookEvent, selectWebhookEvents } from './delivery';
import { DELIVER_JOB, getMySettings, listNotifications } from './service';

export const notifyModule: ServerModule = {
  name: 'notify',
  routes: notifyRoutes,
  authz: notifyMatrix,
  background: (services) => ({
    // One delivery of a notice over e-mail, SMS or a group robot, retried with backoff, then a dead letter.
    jobs: [
      {
        kind: DELIVER_JOB,
        run: (ctx) => deliver(services, String((ctx.job.payload as { deliveryId: string }).deliveryId), ctx),
        lane: 'quick',
        retry: DELIVERY_RETRY,
      },
    ],
    // Integrators' webhooks: the catalogued kinds, and only events of tenants that have a matching endpoint.
    events: [
      {
        name: 'webhooks',
        kinds: Object.keys(WEBHOOK_EVENTS),
        handle: (event) => onWebhookEvent(services.db, event),
        select: selectWebhookEvents,
      },
    ],
  }),
  sealed: [{ column: notifyRobot.urlEnc }, { column: notifyRobot.secretEnc }, { column: webhookEndpoint.secretEnc }],
  personalData: {
    // 通知提醒: every notice of the inbox (read or not) and the account's channel settings.
    ofAccount: async ({ db, config }, { scope }) => ({
      notifications: {
        inbox: await allPages((page, pageSize) =>
          listNotifications(db, scope.tenantId, scope.principal.user.id, { page, pageSize, unreadOnly: false }),
        ),
        settings: await getMySettings(db, config.notify, scope.tenantId, scope.principal.user.id),
      },
    }),
  },
};
