/**
 * Who may call each route of the stats module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { ORG_ADMINS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const statsMatrix: RouteMatrix = {
  'GET /api/v1/dashboard': RECORD_READERS,
  'GET /api/v1/stats/annual-report': RECORD_READERS,
  'GET /api/v1/stats/attention': RECORD_READERS,
  'GET /api/v1/stats/children': RECORD_READERS,
  'GET /api/v1/stats/meetings-heatmap': RECORD_READERS,
  // Full 身份证号 and phone numbers for the official system's import: org admins only, audited.
  'POST /api/v1/stats/official-export': ORG_ADMINS,
};
