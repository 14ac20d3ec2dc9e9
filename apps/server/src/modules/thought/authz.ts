/**
 * Who may call each route of the thought module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const thoughtMatrix: RouteMatrix = {
  'GET /api/v1/thought/me': 'any',
  'POST /api/v1/thought/reports': 'any',
  'GET /api/v1/thought/reports/mine': 'any',
  'GET /api/v1/thought/queue': RECORD_KEEPERS,
  'GET /api/v1/thought/overdue': RECORD_READERS,
  'POST /api/v1/thought/reminders': RECORD_KEEPERS,
  'GET /api/v1/thought/overview': RECORD_READERS,
  'GET /api/v1/thought/settings': RECORD_READERS,
  'PUT /api/v1/thought/settings': RECORD_KEEPERS,
  'GET /api/v1/thought-reports/:id': 'any',
  'POST /api/v1/thought-reports/:id/comment': RECORD_KEEPERS,
  // Written reports of 入党积极分子 / 发展对象 (development records without accounts): the keepers of the record's branch.
  'POST /api/v1/members/:id/thought-reports': RECORD_KEEPERS,
  'POST /api/v1/thought-persons/:id/reports': RECORD_KEEPERS,
  'GET /api/v1/thought-persons/:id/reports': RECORD_KEEPERS,
};
