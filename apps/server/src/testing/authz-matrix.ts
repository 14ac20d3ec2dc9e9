/**
 * The authorization matrix: who may call each route, written down once more, by hand, apart
 * from the routes themselves. authz.test.ts checks that every route's declared access equals
 * its entry here (a permission change needs both edits, so it is never an accident), that a new
 * route without an entry fails the suite, and probes each route as every role, from inside and
 * outside its org subtree, and anonymously.
 */
import { AUDIT_READERS, ORG_ADMINS, RECORD_KEEPERS, RECORD_READERS, type Role } from '@xianfeng/shared';

export type Allowed = 'public' | 'any' | readonly Role[];


export const AUTHZ_MATRIX: Record<string, Allowed> = {
  'GET /api/openapi.json': 'public',
  'GET /api/health': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'any',
  'POST /api/v1/auth/password': 'any',
  'GET /api/v1/me': 'any',
  'PATCH /api/v1/me/prefs': 'any',
  'GET /api/v1/me/personal-data': 'any',

  'POST /api/v1/orgs': ORG_ADMINS,
  'GET /api/v1/orgs/:id': 'any',
  'GET /api/v1/orgs': 'any',
  'GET /api/v1/orgs/search': 'any',
  'PATCH /api/v1/orgs/:id': ORG_ADMINS,
  'POST /api/v1/orgs/:id/move': ORG_ADMINS,
  'POST /api/v1/orgs/:id/dissolve': ORG_ADMINS,
  'GET /api/v1/orgs/:id/committee': 'any',
  'POST /api/v1/orgs/:id/terms': RECORD_KEEPERS,
  'POST /api/v1/orgs/:id/elections': RECORD_KEEPERS,
  'GET /api/v1/orgs/:id/warnings': RECORD_READERS,

  'POST /api/v1/users': ORG_ADMINS,
  'GET /api/v1/users': ORG_ADMINS,
  'GET /api/v1/audit': AUDIT_READERS,
  'GET /api/v1/audit/verify': AUDIT_READERS,
  'GET /api/v1/jobs/:id': 'any',

  'POST /api/v1/members': RECORD_KEEPERS,
  'GET /api/v1/members': RECORD_READERS,
  'GET /api/v1/members/import-template': RECORD_KEEPERS,
  'GET /api/v1/members/export': RECORD_READERS,
  'POST /api/v1/members/import': RECORD_KEEPERS,
  'GET /api/v1/members/:id': RECORD_READERS,
  'GET /api/v1/members/me': 'any',
  'PATCH /api/v1/members/:id': RECORD_KEEPERS,
  'POST /api/v1/members/:id/transfers': RECORD_KEEPERS,
  'GET /api/v1/transfers': RECORD_READERS,
  'POST /api/v1/transfers/:id/decision': RECORD_KEEPERS,
  'GET /api/v1/transfers/:id/letter': RECORD_READERS,
  'POST /api/v1/members/:id/flow': RECORD_KEEPERS,
  'POST /api/v1/members/:id/flow/contact': RECORD_KEEPERS,
  'GET /api/v1/flowing': RECORD_READERS,
  'POST /api/v1/members/:id/exit': RECORD_KEEPERS,
  'GET /api/v1/members/stats': RECORD_READERS,
  'GET /api/v1/dashboard': RECORD_READERS,
  'POST /api/v1/members/accounts': RECORD_KEEPERS,

  'POST /api/v1/meetings': RECORD_KEEPERS,
  'GET /api/v1/meetings': RECORD_READERS,
  'GET /api/v1/meetings/:id': RECORD_READERS,
  'PATCH /api/v1/meetings/:id': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/cancel': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/publish': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/invitees': RECORD_READERS,
  'POST /api/v1/orgs/:id/meeting-plan': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/attendance': RECORD_READERS,
  // Members sign themselves in with the QR token; {memberId} (by a secretary) is checked in the service.
  'POST /api/v1/meetings/:id/checkin': 'any',
  'GET /api/v1/meetings/:id/checkin-qr': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/minutes': RECORD_READERS,
  'PUT /api/v1/meetings/:id/minutes': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/files': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/files': RECORD_READERS,
  'GET /api/v1/meeting-files/:id': 'any',
  'DELETE /api/v1/meeting-files/:id': RECORD_KEEPERS,
  // Invitations belong to the invited member's org; non-managers reach only their own (service check).
  'GET /api/v1/meeting-invitations/mine': 'any',
  'GET /api/v1/meeting-invitations/:id': 'any',
  'POST /api/v1/meeting-invitations/:id/respond': 'any',
  'POST /api/v1/meeting-invitations/:id/makeup': 'any',
  'GET /api/v1/meeting-invitations/:id/files/:fileId': 'any',
  'GET /api/v1/members/:id/meetings': RECORD_READERS,
  'GET /api/v1/members/me/meetings': 'any',
  'POST /api/v1/talks': RECORD_KEEPERS,
  'GET /api/v1/talks': RECORD_READERS,
  'GET /api/v1/orgs/:id/compliance': RECORD_READERS,
  'GET /api/v1/orgs/:id/compliance/rollup': RECORD_READERS,
  'GET /api/v1/orgs/:id/meeting-ledger': RECORD_READERS,

  'GET /api/v1/develop/persons': RECORD_READERS,
  'POST /api/v1/develop/persons': RECORD_KEEPERS,
  'GET /api/v1/develop/persons/:id': RECORD_READERS,
  'POST /api/v1/develop/persons/:id/steps': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/assessments': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/close': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/files': RECORD_KEEPERS,
  'GET /api/v1/develop/persons/:id/files/:fileId': RECORD_READERS,
  'GET /api/v1/develop/persons/:id/document': RECORD_READERS,
  'GET /api/v1/orgs/:id/develop-board': RECORD_READERS,
  'PUT /api/v1/orgs/:id/develop-plan': ORG_ADMINS,
  'GET /api/v1/develop/todo': RECORD_KEEPERS,

  'POST /api/v1/dues/quote': 'any',
  'GET /api/v1/dues/settings': 'any',
  'PUT /api/v1/dues/settings': ['admin'],
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
  'GET /api/v1/dues/me/payments': 'any',
  'GET /api/v1/dues/me/bases': 'any',
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

  // 学习教育. Content, exams and questions are read through the caller's line (published above them);
  // attempts through the learner's org, and then only the learner or a reader of that org (service check).
  'GET /api/v1/learn/search': 'any',
  'GET /api/v1/learn/items': 'any',
  'POST /api/v1/learn/items': RECORD_KEEPERS,
  'GET /api/v1/learn-items/:id': 'any',
  'PATCH /api/v1/learn-items/:id': RECORD_KEEPERS,
  'POST /api/v1/learn-items/:id/files': RECORD_KEEPERS,
  'GET /api/v1/learn-items/:id/files/:fileId': 'any',
  'POST /api/v1/learn-items/:id/progress': 'any',
  'GET /api/v1/learn/me/records': 'any',
  'GET /api/v1/learn/me/points': 'any',
  'GET /api/v1/learn/me/todo': 'any',
  'GET /api/v1/learn/questions': RECORD_READERS,
  'POST /api/v1/learn/questions': RECORD_KEEPERS,
  'POST /api/v1/learn-questions/:id/retire': RECORD_KEEPERS,
  'GET /api/v1/learn/exams': 'any',
  'POST /api/v1/learn/exams': RECORD_KEEPERS,
  'GET /api/v1/learn-exams/:id': 'any',
  'POST /api/v1/learn-exams/:id/attempts': 'any',
  'GET /api/v1/learn-exams/:id/results': RECORD_READERS,
  'POST /api/v1/learn/daily': 'any',
  'GET /api/v1/learn-attempts/:id': 'any',
  'POST /api/v1/learn-attempts/:id/submit': 'any',
  'GET /api/v1/learn/participation': RECORD_READERS,
  'GET /api/v1/learn/settings': 'any',
  'PUT /api/v1/learn/settings': ['admin'],
  'GET /api/v1/members/:id/learning': RECORD_READERS,
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

/**
 * Routes that check a 身份证号 for duplicates across the tenant (security review #14, finding 2).
 * Each must answer a number of a member outside the caller's scope without saying where or who,
 * charge it to the caller's daily budget and audit it (member/idcheck.ts). authz.test.ts probes
 * each with a foreign member's number, and fails when a route whose body takes `idCardNo` is
 * missing here.
 */
export const ID_NUMBER_ROUTES = [
  'POST /api/v1/members',
  'PATCH /api/v1/members/:id',
  'POST /api/v1/members/import',
  'POST /api/v1/develop/persons',
] as const;

/**
 * Body fields that name orgs besides the route's own target (security review #14, finding 1: a
 * joint activity naming the committee above reached every member under it). Each must be within
 * the caller's authority; authz.test.ts probes each with an org of another subtree (403), and
 * fails when the OpenAPI document shows an org field that is neither the route's target, listed
 * here, nor in ANY_ORG_FIELDS with the reason any org of the tenant is right.
 */
export const SECONDARY_ORG_FIELDS: Record<string, string> = {
  'POST /api/v1/meetings': 'jointOrgIds',
  'PATCH /api/v1/meetings/:id': 'jointOrgIds',
  'POST /api/v1/users': 'roles[].orgId',
};
export const ANY_ORG_FIELDS: Record<string, string> = {
  // 组织关系转接 goes to any org of the tenant; the receiving org confirms it (transfers/:id/decision).
  'POST /api/v1/members/:id/transfers': 'toOrgId',
};
