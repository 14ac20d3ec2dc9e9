/**
 * Who may call each route of the assess module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { ORG_ADMINS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const assessMatrix: RouteMatrix = {
  // 考核: plans managed by their org's keepers; an assessed org's own keepers self-assess and appeal, the keepers
  // above review and answer (the service tells the two apart); readers see what their scope covers.
  'GET /api/v1/assess/sources': RECORD_READERS,
  'GET /api/v1/assess/indicators': RECORD_READERS,
  'POST /api/v1/assess/indicators': ORG_ADMINS,
  'GET /api/v1/assess/plans': RECORD_READERS,
  'POST /api/v1/assess/plans': RECORD_KEEPERS,
  'GET /api/v1/assess-plans/:id': RECORD_READERS,
  'PATCH /api/v1/assess-plans/:id': RECORD_KEEPERS,
  'GET /api/v1/assess-plans/:id/units': RECORD_READERS,
  'POST /api/v1/assess-plans/:id/kpi': RECORD_KEEPERS,
  'GET /api/v1/assess-plans/:id/kpi-template': RECORD_KEEPERS,
  'POST /api/v1/assess-plans/:id/kpi/import': RECORD_KEEPERS,
  'POST /api/v1/assess-plans/:id/publish': RECORD_KEEPERS,
  'POST /api/v1/assess-plans/:id/close': RECORD_KEEPERS,
  'GET /api/v1/assess-units/:id': RECORD_READERS,
  'PUT /api/v1/assess-units/:id/self': RECORD_KEEPERS,
  'PUT /api/v1/assess-units/:id/review': RECORD_KEEPERS,
  'POST /api/v1/assess-units/:id/files': RECORD_KEEPERS,
  'GET /api/v1/assess-units/:id/files/:fileId': RECORD_READERS,
  'POST /api/v1/assess-units/:id/appeal': RECORD_KEEPERS,
  'POST /api/v1/assess-units/:id/appeal-answer': RECORD_KEEPERS,
  'POST /api/v1/assess-units/:id/rectifications': RECORD_KEEPERS,
  'POST /api/v1/assess-units/:id/reopen-self': RECORD_KEEPERS,
};
