/**
 * The authorization matrix: who may call each route, written down once more, by hand, apart
 * from the routes themselves. authz.test.ts checks that every route's declared access equals
 * its entry here (a permission change needs both edits, so it is never an accident), that a new
 * route without an entry fails the suite, and probes each route as every role, from inside and
 * outside its org subtree, and anonymously.
 */
import type { Role } from '@xianfeng/shared';

export type Allowed = 'public' | 'any' | readonly Role[];

const ADMINS = ['admin', 'org_admin'] as const;
const MANAGERS = ['admin', 'org_admin', 'secretary'] as const;
const READERS = ['admin', 'org_admin', 'secretary', 'auditor'] as const;
const AUDIT = ['admin', 'auditor'] as const;

export const AUTHZ_MATRIX: Record<string, Allowed> = {
  'GET /api/openapi.json': 'public',
  'GET /api/health': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'any',
  'POST /api/v1/auth/password': 'any',
  'GET /api/v1/me': 'any',
  'PATCH /api/v1/me/prefs': 'any',
  'GET /api/v1/me/personal-data': 'any',

  'POST /api/v1/orgs': ADMINS,
  'GET /api/v1/orgs/:id': 'any',
  'GET /api/v1/orgs': 'any',
  'GET /api/v1/orgs/search': 'any',
  'PATCH /api/v1/orgs/:id': ADMINS,
  'POST /api/v1/orgs/:id/move': ADMINS,
  'POST /api/v1/orgs/:id/dissolve': ADMINS,
  'GET /api/v1/orgs/:id/committee': 'any',
  'POST /api/v1/orgs/:id/terms': MANAGERS,
  'POST /api/v1/orgs/:id/elections': MANAGERS,
  'GET /api/v1/orgs/:id/warnings': READERS,

  'POST /api/v1/users': ADMINS,
  'GET /api/v1/users': ADMINS,
  'GET /api/v1/audit': AUDIT,
  'GET /api/v1/audit/verify': AUDIT,
  'GET /api/v1/jobs/:id': 'any',

  'POST /api/v1/members': MANAGERS,
  'GET /api/v1/members': READERS,
  'GET /api/v1/members/import-template': MANAGERS,
  'GET /api/v1/members/export': READERS,
  'POST /api/v1/members/import': MANAGERS,
  'GET /api/v1/members/:id': READERS,
  'GET /api/v1/members/me': 'any',
  'PATCH /api/v1/members/:id': MANAGERS,
  'POST /api/v1/members/:id/transfers': MANAGERS,
  'GET /api/v1/transfers': READERS,
  'POST /api/v1/transfers/:id/decision': MANAGERS,
  'GET /api/v1/transfers/:id/letter': READERS,
  'POST /api/v1/members/:id/flow': MANAGERS,
  'POST /api/v1/members/:id/flow/contact': MANAGERS,
  'GET /api/v1/flowing': READERS,
  'POST /api/v1/members/:id/exit': MANAGERS,
  'GET /api/v1/members/stats': READERS,
  'GET /api/v1/dashboard': READERS,
  'POST /api/v1/members/accounts': MANAGERS,

  'POST /api/v1/meetings': MANAGERS,
  'GET /api/v1/meetings': READERS,
  'GET /api/v1/meetings/:id': READERS,
  'PATCH /api/v1/meetings/:id': MANAGERS,
  'POST /api/v1/meetings/:id/cancel': MANAGERS,
  'POST /api/v1/meetings/:id/publish': MANAGERS,
  'POST /api/v1/orgs/:id/meeting-plan': MANAGERS,
  'GET /api/v1/meetings/:id/attendance': READERS,
  // Members sign themselves in with the QR token; {memberId} (by a secretary) is checked in the service.
  'POST /api/v1/meetings/:id/checkin': 'any',
  'GET /api/v1/meetings/:id/checkin-qr': MANAGERS,
  'GET /api/v1/meetings/:id/minutes': READERS,
  'PUT /api/v1/meetings/:id/minutes': MANAGERS,
  'POST /api/v1/meetings/:id/files': MANAGERS,
  'GET /api/v1/meetings/:id/files': READERS,
  'GET /api/v1/meeting-files/:id': 'any',
  // Invitations belong to the invited member's org; non-managers reach only their own (service check).
  'GET /api/v1/meeting-invitations/mine': 'any',
  'GET /api/v1/meeting-invitations/:id': 'any',
  'POST /api/v1/meeting-invitations/:id/respond': 'any',
  'POST /api/v1/meeting-invitations/:id/makeup': 'any',
  'GET /api/v1/meeting-invitations/:id/files/:fileId': 'any',
  'GET /api/v1/members/:id/meetings': READERS,
  'GET /api/v1/members/me/meetings': 'any',
  'POST /api/v1/talks': MANAGERS,
  'GET /api/v1/talks': READERS,
  'GET /api/v1/orgs/:id/compliance': READERS,
  'GET /api/v1/orgs/:id/compliance/rollup': READERS,
  'GET /api/v1/orgs/:id/meeting-ledger': READERS,

  'GET /api/v1/develop/persons': READERS,
  'POST /api/v1/develop/persons': MANAGERS,
  'GET /api/v1/develop/persons/:id': READERS,
  'POST /api/v1/develop/persons/:id/steps': MANAGERS,
  'POST /api/v1/develop/persons/:id/assessments': MANAGERS,
  'POST /api/v1/develop/persons/:id/close': MANAGERS,
  'POST /api/v1/develop/persons/:id/files': MANAGERS,
  'GET /api/v1/develop/persons/:id/files/:fileId': READERS,
  'GET /api/v1/develop/persons/:id/document': READERS,
  'GET /api/v1/orgs/:id/develop-board': READERS,
  'PUT /api/v1/orgs/:id/develop-plan': ADMINS,
  'GET /api/v1/develop/todo': MANAGERS,

  'POST /api/v1/dues/quote': 'any',
  'GET /api/v1/dues/settings': 'any',
  'PUT /api/v1/dues/settings': ['admin'],
  'GET /api/v1/dues/bases': READERS,
  'POST /api/v1/members/:id/dues-bases': MANAGERS,
  'GET /api/v1/members/:id/dues-bases': READERS,
  'GET /api/v1/dues/bases/import-template': MANAGERS,
  'POST /api/v1/dues/bases/import': MANAGERS,
  'GET /api/v1/dues/corrections': READERS,
  'POST /api/v1/dues-corrections/:id/decision': MANAGERS,
  // Members' own dues: the service finds the caller's member record; nothing else is reachable.
  'GET /api/v1/dues/me': 'any',
  'GET /api/v1/dues/me/bills': 'any',
  'GET /api/v1/dues/me/payments': 'any',
  'GET /api/v1/dues/me/bases': 'any',
  'POST /api/v1/dues/me/corrections': 'any',
  'GET /api/v1/dues/todo': 'any',
  'POST /api/v1/dues/bills/generate': MANAGERS,
  'GET /api/v1/dues/bills': READERS,
  // Bills and payments by id: scope by the record's org, then non-managers only their own (service check).
  'GET /api/v1/dues-bills/:id': 'any',
  'POST /api/v1/dues-bills/:id/pay': 'any',
  'POST /api/v1/dues-bills/:id/offline-payment': MANAGERS,
  'GET /api/v1/dues/payments': READERS,
  'GET /api/v1/dues-payments/:id': 'any',
  'GET /api/v1/dues-payments/:id/receipt': 'any',
  'GET /api/v1/dues/notify-log': ['admin', 'auditor'],
  // Provider callbacks: public, verified by signature.
  'POST /api/v1/dues/notify/wechat': 'public',
  'POST /api/v1/dues/notify/alipay': 'public',
  'POST /api/v1/members/:id/dues-exemptions': MANAGERS,
  'GET /api/v1/dues/exemptions': READERS,
  'POST /api/v1/dues-exemptions/:id/decision': MANAGERS,
  'GET /api/v1/dues/arrears': READERS,
  'POST /api/v1/dues/arrears/reminders': MANAGERS,
  'GET /api/v1/dues/ledger': READERS,
  'GET /api/v1/dues/public-ledger': 'any',
  'GET /api/v1/dues/reconciliation': READERS,
  'GET /api/v1/dues/export': READERS,
  'POST /api/v1/dues/remittances': MANAGERS,
  'GET /api/v1/dues/remittances': READERS,
  'POST /api/v1/dues/usages': MANAGERS,
  'GET /api/v1/dues/usages': READERS,
  'POST /api/v1/dues-usages/:id/decision': MANAGERS,

  // 学习教育. Content, exams and questions are read through the caller's line (published above them);
  // attempts through the learner's org, and then only the learner or a reader of that org (service check).
  'GET /api/v1/learn/search': 'any',
  'GET /api/v1/learn/items': 'any',
  'POST /api/v1/learn/items': MANAGERS,
  'GET /api/v1/learn-items/:id': 'any',
  'PATCH /api/v1/learn-items/:id': MANAGERS,
  'POST /api/v1/learn-items/:id/files': MANAGERS,
  'GET /api/v1/learn-items/:id/files/:fileId': 'any',
  'POST /api/v1/learn-items/:id/progress': 'any',
  'GET /api/v1/learn/me/records': 'any',
  'GET /api/v1/learn/me/points': 'any',
  'GET /api/v1/learn/me/todo': 'any',
  'GET /api/v1/learn/questions': READERS,
  'POST /api/v1/learn/questions': MANAGERS,
  'POST /api/v1/learn-questions/:id/retire': MANAGERS,
  'GET /api/v1/learn/exams': 'any',
  'POST /api/v1/learn/exams': MANAGERS,
  'GET /api/v1/learn-exams/:id': 'any',
  'POST /api/v1/learn-exams/:id/attempts': 'any',
  'GET /api/v1/learn-exams/:id/results': READERS,
  'POST /api/v1/learn/daily': 'any',
  'GET /api/v1/learn-attempts/:id': 'any',
  'POST /api/v1/learn-attempts/:id/submit': 'any',
  'GET /api/v1/learn/participation': READERS,
  'GET /api/v1/learn/settings': 'any',
  'PUT /api/v1/learn/settings': ['admin'],
  'GET /api/v1/members/:id/learning': READERS,
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
