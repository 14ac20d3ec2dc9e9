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

  'POST /api/v1/orgs': ADMINS,
  'GET /api/v1/orgs/:id': 'any',
  'GET /api/v1/orgs': 'any',
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
};
