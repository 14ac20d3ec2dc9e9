/**
 * 宣传 comments (under /media-articles|media-lectures|media-contest-entries/:id/comments, decisions under
 * /media-comments/:id) and the tenant's
 * sensitive-word list (/media/sensitive-words). Every route's `config.access` names the org the platform's one
 * scope check tests: the subject's reading org for commenting, the subject's own org for moderating.
 */
import {
  COMMENT_STATUSES,
  CommentDecision,
  CommentInput,
  CommentView,
  ORG_ADMINS,
  Page,
  Paging,
  QueuedComment,
  RECORD_KEEPERS,
  SensitiveWordRow,
  SensitiveWordsEdit,
  SensitiveWordsMeta,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import {
  commentQueue,
  decideComment,
  deleteComment,
  editWords,
  listComments,
  listWords,
  ownerOrgOfComment,
  postComment,
  readOrgOfComment,
} from './comments';
import { orgOfEntry } from './contests';
import { orgOfLecture } from './lectures';
import { orgOfArticle } from './service';

const tags = ['media'];
const moderate = recordOrg(ownerOrgOfComment);

export function commentRoutes(r: Parameters<FastifyPluginAsyncZod>[0], { db }: Services): void {
  // The same two routes on each kind of subject, each reached through its own reading lookup.
  const subjects = [
    { kind: 'article', path: '/media-articles/:id/comments', lookup: orgOfArticle, name: '文章' },
    { kind: 'lecture', path: '/media-lectures/:id/comments', lookup: orgOfLecture, name: '讲座（录像）' },
    { kind: 'entry', path: '/media-contest-entries/:id/comments', lookup: orgOfEntry, name: '微视频作品' },
  ] as const;
  for (const s of subjects) {
    const read = recordOrg(s.lookup);
    r.get(
      s.path,
      onRecord({
        access: { roles: 'any', target: read },
        tags,
        summary: `${s.name}评论（已显示的及本人的；审核人看全部），新的在前`,
        querystring: Paging,
        response: { 200: Page(CommentView) },
      }),
      async (req) =>
        listComments(db, scopeOf(req), { kind: s.kind, id: req.params.id }, req.query.page, req.query.pageSize),
    );
    r.post(
      s.path,
      onRecord({
        access: { roles: 'any', target: read },
        tags,
        summary: `评论${s.name}（含敏感词的先审后发，作者可见“待审核”）`,
        body: CommentInput,
        response: { 201: CommentView },
      }),
      async (req, reply) =>
        reply.status(201).send(await postComment(db, scopeOf(req), { kind: s.kind, id: req.params.id }, req.body.text)),
    );
  }
  r.get(
    '/media/comment-queue',
    declared({
      access: { roles: RECORD_KEEPERS, target: optionalOrg },
      tags,
      summary: '评论审核（本组织及下级的文章、讲座、微视频作品的评论；默认待审核的）',
      querystring: Paging.extend({
        orgId: Uuid.optional(),
        status: z.enum(COMMENT_STATUSES, '状态须为 shown、held 或 rejected').default('held'),
      }),
      response: { 200: Page(QueuedComment) },
    }),
    async (req) => commentQueue(db, scopeOf(req), req.query.status, req.query.page, req.query.pageSize),
  );
  r.post(
    '/media-comments/:id/decide',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: moderate },
      tags,
      summary: '审核评论：通过（显示）或拒绝（须写理由）；评论对象所属组织的书记和管理员',
      body: CommentDecision,
      response: { 200: CommentView },
    }),
    async (req) => decideComment(db, scopeOf(req), req.params.id, req.body),
  );
  r.delete(
    '/media-comments/:id',
    onRecord({
      access: { roles: 'any', target: recordOrg(readOrgOfComment) },
      tags,
      summary: '删除自己的评论（内容随即清除）',
      response: { 204: z.null() },
    }),
    async (req, reply) => {
      await deleteComment(db, scopeOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/media/sensitive-words',
    declared({
      access: { roles: ORG_ADMINS },
      tags,
      summary: '敏感词表（全单位共用；未维护时为默认词表）',
      querystring: Paging.extend({ q: z.string().trim().max(20, '搜索词不能超过 20 字').optional() }),
      response: { 200: Page(SensitiveWordRow).extend(SensitiveWordsMeta.shape) },
    }),
    async (req) => listWords(db, scopeOf(req), req.query.q || undefined, req.query.page, req.query.pageSize),
  );
  r.post(
    '/media/sensitive-words',
    declared({
      access: { roles: ORG_ADMINS },
      tags,
      summary: '添加/删除敏感词（批量导入即添加文件中的各行）；最上级党组织的管理员',
      body: SensitiveWordsEdit,
      response: { 200: z.object({ added: z.number(), removed: z.number(), total: z.number(), version: z.number() }) },
    }),
    async (req) => editWords(db, scopeOf(req), req.body),
  );
}
