/**
 * Who may call each route of the voice module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { ORG_ADMINS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const voiceMatrix: RouteMatrix = {
  // 互动 (voice). Records reached through one's own part (an opinion one wrote, a letter one sent or
  // is addressed to, a survey or vote one is asked into, a branch forum one belongs to) are 'any':
  // their lookups answer 404 to everyone else, and the services check the part again.
  'GET /api/v1/voice/opinion-targets': 'any',
  'POST /api/v1/voice/opinions': 'any',
  'GET /api/v1/voice/opinions': RECORD_READERS,
  'GET /api/v1/voice/opinions/export': RECORD_READERS,
  'GET /api/v1/voice/opinions/mine': 'any',
  'GET /api/v1/voice/board': 'any',
  'GET /api/v1/voice/handlers': RECORD_KEEPERS,
  'GET /api/v1/voice-opinions/:id': 'any',
  'POST /api/v1/voice-opinions/:id/assign': RECORD_KEEPERS,
  'POST /api/v1/voice-opinions/:id/files': RECORD_KEEPERS,
  'GET /api/v1/voice-opinion-files/:id': 'any',
  'POST /api/v1/voice-opinions/:id/transfer': RECORD_KEEPERS,
  'POST /api/v1/voice-opinions/:id/answer': RECORD_KEEPERS,
  'POST /api/v1/voice-opinions/:id/publish': RECORD_KEEPERS,
  'POST /api/v1/voice-opinions/:id/close': RECORD_KEEPERS,
  'POST /api/v1/voice-opinions/:id/rate': 'any',
  // The submitter only (the service checks the author; a handling manager gets 403, anyone else 404).
  'POST /api/v1/voice-opinions/:id/withdraw': 'any',
  // The sealed identity behind an anonymous opinion: the auditor only, with a reason, audited.
  'POST /api/v1/voice-opinions/:id/identity': ['auditor'],
  'GET /api/v1/voice/settings': RECORD_READERS,
  'PUT /api/v1/voice/settings': ORG_ADMINS,
  'GET /api/v1/voice/overview': RECORD_READERS,
  'GET /api/v1/voice/rating-up': RECORD_READERS,
  'GET /api/v1/voice/letter-targets': 'any',
  'POST /api/v1/voice/letters': 'any',
  'GET /api/v1/voice/letters/sent': 'any',
  'GET /api/v1/voice/letters/inbox': 'any',
  'GET /api/v1/voice-letters/:id': 'any',
  'POST /api/v1/voice-letters/:id/messages': 'any',
  'POST /api/v1/voice-letters/:id/close': 'any',
  // Files on letters: the lookup answers only for the letter's writer and its addressees (everyone else 404);
  // the service lets only a message's author attach to it.
  'POST /api/v1/voice-letter-messages/:id/files': 'any',
  'GET /api/v1/voice-letter-files/:id': 'any',
  'GET /api/v1/voice/forums': 'any',
  'GET /api/v1/voice/threads': 'any',
  'POST /api/v1/voice/threads': 'any',
  'GET /api/v1/voice/mentionable': 'any',
  'GET /api/v1/voice-threads/:id': 'any',
  'POST /api/v1/voice-threads/:id/posts': 'any',
  'POST /api/v1/voice-threads/:id/moderate': RECORD_KEEPERS,
  'POST /api/v1/voice-posts/:id/moderate': RECORD_KEEPERS,
  'PUT /api/v1/voice-threads/:id': 'any',
  'POST /api/v1/voice-threads/:id/withdraw': 'any',
  'PUT /api/v1/voice-posts/:id': 'any',
  'POST /api/v1/voice-posts/:id/withdraw': 'any',
  'POST /api/v1/voice-threads/:id/attachments': 'any',
  'GET /api/v1/voice-attachments/:id': 'any',
  'POST /api/v1/voice/surveys': RECORD_KEEPERS,
  'GET /api/v1/voice/surveys': RECORD_READERS,
  'GET /api/v1/voice/surveys/open': 'any',
  'GET /api/v1/voice-surveys/:id': 'any',
  'PUT /api/v1/voice-surveys/:id': RECORD_KEEPERS,
  'POST /api/v1/voice-surveys/:id/publish': RECORD_KEEPERS,
  'POST /api/v1/voice-surveys/:id/close': RECORD_KEEPERS,
  'POST /api/v1/voice-surveys/:id/responses': 'any',
  'GET /api/v1/voice-surveys/:id/results': RECORD_READERS,
  'GET /api/v1/voice-surveys/:id/export': RECORD_READERS,
  'GET /api/v1/voice-surveys/:id/breakdown': RECORD_READERS,
  'GET /api/v1/voice-surveys/:id/breakdown/export': RECORD_READERS,
  'POST /api/v1/voice/votes': RECORD_KEEPERS,
  'GET /api/v1/voice/votes': RECORD_READERS,
  'GET /api/v1/voice/votes/open': 'any',
  'GET /api/v1/voice-votes/:id': 'any',
  'POST /api/v1/voice-candidates/:id/photo': RECORD_KEEPERS,
  'GET /api/v1/voice-candidates/:id/photo': 'any',
  'POST /api/v1/voice-votes/:id/publish': RECORD_KEEPERS,
  'POST /api/v1/voice-votes/:id/close': RECORD_KEEPERS,
  'POST /api/v1/voice-votes/:id/ballots': 'any',
  'GET /api/v1/voice-votes/:id/results': 'any',
  'POST /api/v1/voice/code-batches': RECORD_KEEPERS,
  'GET /api/v1/voice/code-batches': RECORD_READERS,
  'GET /api/v1/voice/public-link': RECORD_READERS,
  // Employees without accounts, with a one-time code from a paper slip, and anyone holding a 查询码:
  // rate-limited per address by the platform; codes are ~59-bit random and used up once.
  'GET /api/v1/public/voice/orgs/:id': 'public',
  'POST /api/v1/public/voice/code': 'public',
  'POST /api/v1/public/voice/opinions': 'public',
  'POST /api/v1/public/voice/surveys/:id/responses': 'public',
  'POST /api/v1/public/voice/receipt': 'public',
  'POST /api/v1/public/voice/receipt/rate': 'public',
  'POST /api/v1/public/voice/receipt/withdraw': 'public',
  'POST /api/v1/public/voice/receipt/files/:id': 'public',
};
