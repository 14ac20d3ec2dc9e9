/**
 * Who may call each route of the learn module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const learnMatrix: RouteMatrix = {
  'GET /api/v1/learn/search': 'any',
  'GET /api/v1/learn/items': 'any',
  'POST /api/v1/learn/items': RECORD_KEEPERS,
  'GET /api/v1/learn-items/:id': 'any',
  'PATCH /api/v1/learn-items/:id': RECORD_KEEPERS,
  'POST /api/v1/learn-items/:id/files': RECORD_KEEPERS,
  'GET /api/v1/learn-items/:id/files/:fileId': 'any',
  'POST /api/v1/learn-items/:id/progress': 'any',
  // 课时: members read a course's lessons and report their own progress (no route names another learner);
  // the keepers of the course's org add, edit, order and retire them.
  'GET /api/v1/learn-items/:id/lessons': 'any',
  'POST /api/v1/learn-items/:id/lessons': RECORD_KEEPERS,
  'PUT /api/v1/learn-items/:id/lessons/order': RECORD_KEEPERS,
  'PATCH /api/v1/learn-items/:id/lessons/:lessonId': RECORD_KEEPERS,
  'POST /api/v1/learn-items/:id/lessons/:lessonId/progress': 'any',
  'GET /api/v1/learn/me/records': 'any',
  'GET /api/v1/learn/me/points': 'any',
  'GET /api/v1/learn/me/todo': 'any',
  'GET /api/v1/learn/questions': RECORD_READERS,
  'GET /api/v1/learn/questions/counts': RECORD_READERS,
  'POST /api/v1/learn/questions': RECORD_KEEPERS,
  // 题库导入: into the bank of the caller's org (or a lower one named by orgId, the one scope mechanism); no id.
  'GET /api/v1/learn/questions/import-template': RECORD_KEEPERS,
  'POST /api/v1/learn/questions/import': RECORD_KEEPERS,
  // 题库: editing a question, by the keepers over the question's org (its id → its org, the one scope mechanism); a
  // member is refused by role (the member probe), another subtree's keeper gets 404 (FOREIGN learn-questions).
  'PATCH /api/v1/learn-questions/:id': RECORD_KEEPERS,
  'POST /api/v1/learn-questions/:id/retire': RECORD_KEEPERS,
  'GET /api/v1/learn/exams': 'any',
  'POST /api/v1/learn/exams': RECORD_KEEPERS,
  'GET /api/v1/learn-exams/:id': 'any',
  'POST /api/v1/learn-exams/:id/attempts': 'any',
  'GET /api/v1/learn-exams/:id/results': RECORD_READERS,
  'POST /api/v1/learn/daily': 'any',
  'GET /api/v1/learn-attempts/:id': 'any',
  'POST /api/v1/learn-attempts/:id/submit': 'any',
  'GET /api/v1/learn/participation': RECORD_READERS,
  // Its list: the org from the query (the one scope mechanism: another subtree's orgId is 403); no id, so no member
  // reaches another member's record through it, and members are refused by role.
  'GET /api/v1/learn/participation/members': RECORD_READERS,
  // 学习完成情况: reached like reading the item or exam, readers of that org; reminding is for keepers.
  'GET /api/v1/learn-items/:id/completion': RECORD_READERS,
  'GET /api/v1/learn-items/:id/behind': RECORD_READERS,
  'POST /api/v1/learn-items/:id/remind': RECORD_KEEPERS,
  'POST /api/v1/learn-items/:id/offline': RECORD_KEEPERS,
  'POST /api/v1/learn-items/:id/completion/export': RECORD_READERS,
  'GET /api/v1/learn-exams/:id/completion': RECORD_READERS,
  'GET /api/v1/learn-exams/:id/behind': RECORD_READERS,
  'POST /api/v1/learn-exams/:id/remind': RECORD_KEEPERS,
  'POST /api/v1/learn-exams/:id/completion/export': RECORD_READERS,
  'GET /api/v1/learn/settings': 'any',
  'PUT /api/v1/learn/settings': ['admin'],
  // 积分排行: the caller's own 党支部 only (no parameter names another); the switch is the branch's keepers'.
  'GET /api/v1/learn/ranking': 'any',
  // 每日一练的题目范围: everyone reads their own org's (what their practice draws from); keepers set it for their
  // subtree (body orgId, the one scope mechanism). No id: no member reaches another member's record through it.
  'GET /api/v1/learn/practice-setting': 'any',
  'PUT /api/v1/learn/practice-setting': RECORD_KEEPERS,
  'GET /api/v1/learn/ranking-setting': RECORD_READERS,
  'PUT /api/v1/learn/ranking-setting': RECORD_KEEPERS,
  'GET /api/v1/members/:id/learning': RECORD_READERS,
};
