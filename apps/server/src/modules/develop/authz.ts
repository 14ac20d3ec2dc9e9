/**
 * Who may call each route of the develop module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { ORG_ADMINS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const developMatrix: RouteMatrix = {
  'GET /api/v1/develop/persons': RECORD_READERS,
  'POST /api/v1/develop/persons': RECORD_KEEPERS,
  'GET /api/v1/develop/persons/:id': RECORD_READERS,
  'POST /api/v1/develop/persons/:id/steps': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/assessments': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/close': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/probation': RECORD_KEEPERS,
  'POST /api/v1/develop/persons/:id/files': RECORD_KEEPERS,
  'GET /api/v1/develop/persons/:id/files/:fileId': RECORD_READERS,
  'GET /api/v1/develop/persons/:id/document': RECORD_READERS,
  'GET /api/v1/orgs/:id/develop-board': RECORD_READERS,
  'PUT /api/v1/orgs/:id/develop-plan': ORG_ADMINS,
  'GET /api/v1/develop/todo': RECORD_KEEPERS,
};
