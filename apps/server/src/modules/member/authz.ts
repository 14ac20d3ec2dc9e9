/**
 * Who may call each route of the member module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const memberMatrix: RouteMatrix = {
  'POST /api/v1/members': RECORD_KEEPERS,
  'GET /api/v1/members': RECORD_READERS,
  'GET /api/v1/members/import-template': RECORD_KEEPERS,
  'GET /api/v1/members/export': RECORD_READERS,
  'POST /api/v1/members/import': RECORD_KEEPERS,
  'GET /api/v1/members/:id': RECORD_READERS,
  'GET /api/v1/members/me': 'any',
  'PATCH /api/v1/members/:id': RECORD_KEEPERS,
  'POST /api/v1/members/:id/phone': ['org_admin', 'secretary'],
  'POST /api/v1/members/:id/transfers': RECORD_KEEPERS,
  'GET /api/v1/transfers': RECORD_READERS,
  'POST /api/v1/transfers/:id/decision': RECORD_KEEPERS,
  'GET /api/v1/transfers/:id/letter': RECORD_READERS,
  'POST /api/v1/members/:id/flow': RECORD_KEEPERS,
  'POST /api/v1/members/:id/flow/contact': RECORD_KEEPERS,
  'POST /api/v1/members/:id/flow/host': RECORD_KEEPERS,
  'GET /api/v1/flowing': RECORD_READERS,
  'GET /api/v1/flowing/settings': RECORD_READERS,
  'PUT /api/v1/flowing/settings': RECORD_KEEPERS,
  'GET /api/v1/me/flow': 'any',
  'POST /api/v1/me/flow/checkin': 'any',
  'POST /api/v1/members/:id/exit': RECORD_KEEPERS,
  // 失联 → 停止党籍 → 恢复党籍 / 除名: the keepers of the member's org, as for 出党.
  'GET /api/v1/lost-members': RECORD_READERS,
  // 疑似失联: read-only, the same readers as the 失联 list (a member is refused: it lists other members).
  'GET /api/v1/lost-members/suspected': RECORD_READERS,
  'POST /api/v1/members/:id/lost': RECORD_KEEPERS,
  'POST /api/v1/members/:id/lost/searches': RECORD_KEEPERS,
  'POST /api/v1/members/:id/lost/found': RECORD_KEEPERS,
  'POST /api/v1/members/:id/suspend': RECORD_KEEPERS,
  'POST /api/v1/members/:id/restore': RECORD_KEEPERS,
  'POST /api/v1/members/:id/lost/remove': RECORD_KEEPERS,
  'GET /api/v1/members/stats': RECORD_READERS,
  'POST /api/v1/members/accounts': RECORD_KEEPERS,
};
