/**
 * Who may call each route of the notify module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { AUDIT_READERS, RECORD_KEEPERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const notifyMatrix: RouteMatrix = {
  // 通知提醒: each user's own inbox and settings (the service finds the caller's rows; another's is 404).
  'GET /api/v1/notifications': 'any',
  'GET /api/v1/notifications/stream': 'any',
  'POST /api/v1/notifications/:id/read': 'any',
  'POST /api/v1/notifications/read-all': 'any',
  'GET /api/v1/me/notify-settings': 'any',
  'PUT /api/v1/me/notify-settings': 'any',
  'GET /api/v1/notify/templates': ['admin'],
  'PUT /api/v1/notify/templates/:kind': ['admin'],
  'DELETE /api/v1/notify/templates/:kind': ['admin'],
  'POST /api/v1/notify/templates/preview': ['admin'],
  'GET /api/v1/orgs/:id/robots': RECORD_KEEPERS,
  'POST /api/v1/orgs/:id/robots': RECORD_KEEPERS,
  'PATCH /api/v1/notify-robots/:id': RECORD_KEEPERS,
  'DELETE /api/v1/notify-robots/:id': RECORD_KEEPERS,
  'POST /api/v1/notify-robots/:id/test': RECORD_KEEPERS,
  'GET /api/v1/notify/webhooks': ['admin'],
  'POST /api/v1/notify/webhooks': ['admin'],
  'PATCH /api/v1/notify/webhooks/:id': ['admin'],
  'DELETE /api/v1/notify/webhooks/:id': ['admin'],
  'POST /api/v1/notify/webhooks/:id/test': ['admin'],
  'GET /api/v1/notify/deliveries': AUDIT_READERS,
  'GET /api/v1/notify/stats': AUDIT_READERS,
  'GET /api/v1/notify/dead-letters': ['admin'],
  'POST /api/v1/notify/dead-letters/:id/resend': ['admin'],
};
