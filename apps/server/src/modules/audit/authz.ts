/**
 * Who may call each route of the audit module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { AUDIT_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const auditMatrix: RouteMatrix = {
  'GET /api/v1/audit': AUDIT_READERS,
  'GET /api/v1/audit/verify': AUDIT_READERS,
};
