/**
 * Who may call each route of the org module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { ORG_ADMINS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const orgMatrix: RouteMatrix = {
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
  // Declared as the keepers; the service also requires a binding strictly above the org (approval from above).
  'POST /api/v1/orgs/:id/term/postpone': RECORD_KEEPERS,
  'GET /api/v1/orgs/:id/warnings': RECORD_READERS,
};
