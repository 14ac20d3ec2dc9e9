/**
 * Who may call each route of the supervise module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const superviseMatrix: RouteMatrix = {
  // 思想汇报: a member submits only as themself (checked in the service: another member's id → 403) and reads
  // their own; a report by id is 'any' because its writer reaches it — its lookup answers 404 to everyone
  // but the writer and the record keepers covering the report's org (no 审计员, no other member).
  'GET /api/v1/supervise/rectifications': RECORD_READERS,
  'GET /api/v1/supervise/rectifications/mine': 'any',
  'GET /api/v1/supervise/rectifications/rollup': RECORD_READERS,
  'GET /api/v1/supervise/verifiers': RECORD_KEEPERS,
  'POST /api/v1/supervise/rectifications': RECORD_KEEPERS,
  'GET /api/v1/supervise-rectifications/:id': 'any',
  'PATCH /api/v1/supervise-rectifications/:id': RECORD_KEEPERS,
  'POST /api/v1/supervise-rectifications/:id/actions': 'any',
  'POST /api/v1/supervise-rectifications/:id/files': 'any',
  'GET /api/v1/supervise-rectifications/:id/files/:fileId': 'any',
  'GET /api/v1/supervise/commitments': 'any',
  'POST /api/v1/supervise/commitments': 'any',
  'GET /api/v1/supervise-commitments/:id': 'any',
  'POST /api/v1/supervise-commitments/:id/progress': 'any',
  'POST /api/v1/supervise-commitments/:id/files': 'any',
  'GET /api/v1/supervise-commitments/:id/files/:fileId': 'any',
  'POST /api/v1/supervise-commitments/:id/review': RECORD_KEEPERS,
};
