/**
 * Who may call each route of the media module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { ORG_ADMINS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const mediaMatrix: RouteMatrix = {
  // 学习教育. Content, exams and questions are read through the caller's line (published above them);
  // attempts through the learner's org, and then only the learner or a reader of that org (service check).
  // 宣传: reading through the caller's line, editing through the article's org, reviewing through the org
  // above it (the review org); the portal is public and shows published public articles only.
  'GET /api/v1/media/channels': 'any',
  'POST /api/v1/media/channels': ORG_ADMINS,
  'GET /api/v1/media/articles': 'any',
  'POST /api/v1/media/articles': RECORD_KEEPERS,
  'GET /api/v1/media/manage': RECORD_READERS,
  'GET /api/v1/media/review-queue': RECORD_KEEPERS,
  'GET /api/v1/media/brands': 'any',
  'GET /api/v1/members/:id/media-honors': RECORD_READERS,
  // Only the caller's own (no member in the path), published stories only.
  'GET /api/v1/media/me/honors': 'any',
  'GET /api/v1/media/me/todo': 'any',
  'GET /api/v1/media-articles/:id': 'any',
  'PATCH /api/v1/media-articles/:id': RECORD_KEEPERS,
  'POST /api/v1/media-articles/:id/submit': RECORD_KEEPERS,
  'POST /api/v1/media-articles/:id/withdraw': RECORD_KEEPERS,
  'POST /api/v1/media-articles/:id/review': RECORD_KEEPERS,
  'POST /api/v1/media-articles/:id/read': 'any',
  'GET /api/v1/media-articles/:id/unread': RECORD_READERS,
  'POST /api/v1/media-articles/:id/files': RECORD_KEEPERS,
  'GET /api/v1/media-articles/:id/files/:fileId': 'any',
  'GET /api/v1/media-articles/:id/comments': 'any',
  'POST /api/v1/media-articles/:id/comments': 'any',
  'GET /api/v1/media/comment-queue': RECORD_KEEPERS,
  'POST /api/v1/media-comments/:id/decide': RECORD_KEEPERS,
  'DELETE /api/v1/media-comments/:id': 'any',
  'GET /api/v1/media-lectures/:id/comments': 'any',
  'POST /api/v1/media-lectures/:id/comments': 'any',
  'GET /api/v1/media-contest-entries/:id/comments': 'any',
  'POST /api/v1/media-contest-entries/:id/comments': 'any',
  'GET /api/v1/media/sensitive-words': ORG_ADMINS,
  'POST /api/v1/media/sensitive-words': ORG_ADMINS,
  'GET /api/v1/media/lectures': 'any',
  'POST /api/v1/media/lectures': RECORD_KEEPERS,
  'GET /api/v1/media-lectures/:id': 'any',
  'PATCH /api/v1/media-lectures/:id': RECORD_KEEPERS,
  'POST /api/v1/media-lectures/:id/publish': RECORD_KEEPERS,
  'POST /api/v1/media-lectures/:id/video': RECORD_KEEPERS,
  'GET /api/v1/media-lectures/:id/video': 'any',
  'POST /api/v1/media-lectures/:id/join': 'any',
  'GET /api/v1/media-lectures/:id/questions': 'any',
  'POST /api/v1/media-lectures/:id/questions': 'any',
  'GET /api/v1/media-lectures/:id/stream': 'any',
  'POST /api/v1/media-lecture-questions/:id/decide': RECORD_KEEPERS,
  // 微视频征集: taking part is 'any' (the lookups reach a campaign only through the caller's own org below its org);
  // the services check membership of the subtree, the judge list and the results' seal.
  'GET /api/v1/media/contests': 'any',
  'POST /api/v1/media/contests': RECORD_KEEPERS,
  'GET /api/v1/media-contests/:id': 'any',
  'GET /api/v1/media-contests/:id/entries': 'any',
  'POST /api/v1/media-contests/:id/entries': 'any',
  'GET /api/v1/media-contests/:id/results': 'any',
  'POST /api/v1/media-contests/:id/publish': RECORD_KEEPERS,
  'POST /api/v1/media-contests/:id/remind-judges': RECORD_KEEPERS,
  'PATCH /api/v1/media-contests/:id': RECORD_KEEPERS,
  'POST /api/v1/media-contests/:id/withdraw': RECORD_KEEPERS,
  'GET /api/v1/media-contest-entries/:id/video': 'any',
  'POST /api/v1/media-contest-entries/:id/vote': 'any',
  'GET /api/v1/media-contest-entries/:id/scores': 'any',
  'POST /api/v1/media-contest-entries/:id/scores': 'any',
  'PUT /api/v1/media-contest-entries/:id/scores': 'any',
  'GET /api/v1/public/articles': 'public',
  'GET /api/v1/public/portal': 'public',
  'GET /api/v1/public/articles/:id': 'public',
  'GET /api/v1/public/articles/:id/files/:fileId': 'public',
};
