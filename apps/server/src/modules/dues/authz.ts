/**
 * Who may call each route of the dues module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { AUDIT_READERS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const duesMatrix: RouteMatrix = {
  'POST /api/v1/dues/quote': 'any',
  'GET /api/v1/dues/settings': 'any',
  'PUT /api/v1/dues/settings': ['admin'],
  'GET /api/v1/dues/automation': RECORD_READERS,
  'PUT /api/v1/dues/automation': ['admin'],
  'GET /api/v1/dues/bases': RECORD_READERS,
  'POST /api/v1/members/:id/dues-bases': RECORD_KEEPERS,
  'GET /api/v1/members/:id/dues-bases': RECORD_READERS,
  'GET /api/v1/dues/bases/import-template': RECORD_KEEPERS,
  'POST /api/v1/dues/bases/import': RECORD_KEEPERS,
  'GET /api/v1/dues/corrections': RECORD_READERS,
  'POST /api/v1/dues-corrections/:id/decision': RECORD_KEEPERS,
  // Members' own dues: the service finds the caller's member record; nothing else is reachable.
  'GET /api/v1/dues/me': 'any',
  'GET /api/v1/dues/me/bills': 'any',
  'GET /api/v1/dues/me/pay-options': 'any',
  'GET /api/v1/dues/offline-info': RECORD_READERS,
  'PUT /api/v1/dues/offline-info': RECORD_KEEPERS,
  'GET /api/v1/dues/me/payments': 'any',
  'GET /api/v1/dues/me/bases': 'any',
  'POST /api/v1/dues/me/reminders/read': 'any',
  'POST /api/v1/dues/me/corrections': 'any',
  'GET /api/v1/dues/todo': 'any',
  'POST /api/v1/dues/bills/generate': RECORD_KEEPERS,
  'GET /api/v1/dues/bills': RECORD_READERS,
  // Bills and payments by id: scope by the record's org, then non-managers only their own (service check).
  'GET /api/v1/dues-bills/:id': 'any',
  'POST /api/v1/dues-bills/:id/pay': 'any',
  'POST /api/v1/dues-bills/:id/offline-payment': RECORD_KEEPERS,
  'GET /api/v1/dues/payments': RECORD_READERS,
  'GET /api/v1/dues-payments/:id': 'any',
  'GET /api/v1/dues-payments/:id/receipt': 'any',
  'GET /api/v1/dues/notify-log': AUDIT_READERS,
  // Provider callbacks: public, verified by signature.
  'POST /api/v1/dues/notify/wechat': 'public',
  'POST /api/v1/dues/notify/alipay': 'public',
  'POST /api/v1/members/:id/dues-exemptions': RECORD_KEEPERS,
  'GET /api/v1/dues/exemptions': RECORD_READERS,
  'POST /api/v1/dues-exemptions/:id/decision': RECORD_KEEPERS,
  'GET /api/v1/dues/arrears': RECORD_READERS,
  'POST /api/v1/dues/arrears/export': RECORD_READERS,
  'POST /api/v1/dues/arrears/reminders': RECORD_KEEPERS,
  'GET /api/v1/dues/ledger': RECORD_READERS,
  'GET /api/v1/dues/public-ledger': 'any',
  'GET /api/v1/dues/reconciliation': RECORD_READERS,
  'GET /api/v1/dues/export': RECORD_READERS,
  'POST /api/v1/dues/remittances': RECORD_KEEPERS,
  'GET /api/v1/dues/remittances': RECORD_READERS,
  'POST /api/v1/dues/usages': RECORD_KEEPERS,
  'GET /api/v1/dues/usages': RECORD_READERS,
  'POST /api/v1/dues-usages/:id/decision': RECORD_KEEPERS,
};
