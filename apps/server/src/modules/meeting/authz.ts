/**
 * Who may call each route of the meeting module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const meetingMatrix: RouteMatrix = {
  'POST /api/v1/meetings': RECORD_KEEPERS,
  'GET /api/v1/meetings': RECORD_READERS,
  'GET /api/v1/meetings/:id': RECORD_READERS,
  'PATCH /api/v1/meetings/:id': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/cancel': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/publish': RECORD_KEEPERS,
  // 提醒未回复: the meeting's record keepers; at most once per person per day (notify dedupe key).
  'POST /api/v1/meetings/:id/reminders': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/invitees': RECORD_READERS,
  'POST /api/v1/orgs/:id/meeting-plan': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/attendance': RECORD_READERS,
  // Members sign themselves in with the QR token; {memberId} (by a secretary) is checked in the service.
  'POST /api/v1/meetings/:id/checkin': 'any',
  'GET /api/v1/meetings/:id/checkin-qr': RECORD_KEEPERS,
  // 网上过组织生活 (issue #27): the host's code, who left early and the votes are the meeting's keepers'; a
  // member's remote sign-in, page, statements and ballots are their own part (lookup: their own org).
  'GET /api/v1/meetings/:id/remote-code': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/remote-checkin': 'any',
  'GET /api/v1/meetings/:id/room': 'any',
  'POST /api/v1/meetings/:id/left-early': RECORD_KEEPERS,
  // 举手: a member raises or lowers only their own hand (no member id in the body); the queue and calling on or
  // clearing a hand are the host's (a member of the branch → 403, hands.test).
  'POST /api/v1/meetings/:id/hand': 'any',
  'GET /api/v1/meetings/:id/hands': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/hands/:memberId': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/statements': 'any',
  'POST /api/v1/meetings/:id/statements': 'any',
  'POST /api/v1/meetings/:id/motions': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/motions/:motionId/close': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/motions/:motionId/ballots': 'any',
  'GET /api/v1/meetings/:id/minutes': RECORD_READERS,
  'PUT /api/v1/meetings/:id/minutes': RECORD_KEEPERS,
  'POST /api/v1/meetings/:id/files': RECORD_KEEPERS,
  'GET /api/v1/meetings/:id/files': RECORD_READERS,
  'GET /api/v1/meeting-files/:id': 'any',
  'DELETE /api/v1/meeting-files/:id': RECORD_KEEPERS,
  // Invitations belong to the invited member's org; non-managers reach only their own (service check).
  'GET /api/v1/meeting-invitations/mine': 'any',
  'GET /api/v1/meeting-invitations/:id': 'any',
  'POST /api/v1/meeting-invitations/:id/respond': 'any',
  'POST /api/v1/meeting-invitations/:id/makeup': 'any',
  'POST /api/v1/meetings/:id/makeup': RECORD_KEEPERS,
  'GET /api/v1/meeting-invitations/:id/files/:fileId': 'any',
  'GET /api/v1/members/:id/meetings': RECORD_READERS,
  'GET /api/v1/members/me/meetings': 'any',
  'POST /api/v1/talks': RECORD_KEEPERS,
  'GET /api/v1/talks': RECORD_READERS,
  'GET /api/v1/orgs/:id/talk-coverage': RECORD_READERS,
  'POST /api/v1/orgs/:id/talk-reminders': RECORD_KEEPERS,
  'GET /api/v1/orgs/:id/compliance': RECORD_READERS,
  'GET /api/v1/orgs/:id/compliance/rollup': RECORD_READERS,
  'GET /api/v1/orgs/:id/meeting-ledger': RECORD_READERS,
};
