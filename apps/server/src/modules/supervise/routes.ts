/**
 * 监督 routes. 整改 lists and the roll-up take `orgId` (optional: the caller's own binding org; the subtree is the
 * scope mechanism's). An item addressed by id has its own first path segment (supervise-rectifications): its
 * 责任人 and 验收人 reach it through their own part in it, record readers through its org, everyone else 404.
 */
import {
  CommitBrief,
  CommitCreateInput,
  CommitDetail,
  CommitProgressInput,
  CommitReviewInput,
  Page,
  Paging,
  RECORD_KEEPERS,
  RECORD_READERS,
  RECTIFY_SOURCES,
  RECTIFY_STATUSES,
  RectifyActionInput,
  RectifyBrief,
  RectifyCreateInput,
  RectifyDetail,
  RectifyFile,
  RectifyRollup,
  RectifyUpdateInput,
  RectifyVerifier,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileStore } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import { readDb } from '../../platform/db';
import type { Services } from '../../platform/services';
import {
  addCommitmentFile,
  createCommitment,
  getCommitment,
  listCommitments,
  loadCommitmentFile,
  orgOfCommitment,
  reportProgress,
  reviewCommitment,
} from './commitments';
import {
  act,
  addFile,
  createItem,
  getItem,
  listItems,
  loadFile,
  myItems,
  orgOfItem,
  orgOfItemForParty,
  rollup,
  updateItem,
  verifiersOf,
} from './service';

const tags = ['supervise'];
const OrgQuery = z.object({ orgId: Uuid.optional() });
const party = recordOrg(orgOfItemForParty);
const commitmentTarget = recordOrg(orgOfCommitment);

export const superviseRoutes =
  ({ db, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // The heavy read-only queries (statistics, exports, roll-ups) may run on a read replica (platform/replica.ts).
    const rdb = readDb(db);
    const store = fileStore(() => config.dataDir, config.s3);

    app.get(
      '/supervise/rectifications',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '整改事项（本组织及下级；未销号的在前，按期限排序）',
        querystring: Paging.extend(OrgQuery.shape).extend({
          status: z.enum(RECTIFY_STATUSES, `状态须为：${RECTIFY_STATUSES.join('、')}`).optional(),
          sourceKind: z.enum(RECTIFY_SOURCES, `来源须为：${RECTIFY_SOURCES.join('、')}`).optional(),
          overdue: z.enum(['true', 'false'], 'overdue 须为 true 或 false').optional(),
        }),
        response: { 200: Page(RectifyBrief) },
      }),
      async (req) => {
        const { page, pageSize, status, sourceKind, overdue } = req.query;
        return listItems(db, scopeOf(req), { status, sourceKind, overdue: overdue === 'true' }, page, pageSize);
      },
    );
    app.get(
      '/supervise/rectifications/mine',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我负责或由我验收的整改事项',
        querystring: Paging,
        response: { 200: Page(RectifyBrief) },
      }),
      async (req) => myItems(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/supervise/rectifications/rollup',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '整改汇总：本组织及下级各状态数量、逾期数和销号率',
        querystring: OrgQuery,
        response: { 200: RectifyRollup },
      }),
      async (req) => rollup(rdb, scopeOf(req)),
    );
    app.get(
      '/supervise/verifiers',
      declared({
        access: { roles: RECORD_KEEPERS, target: optionalOrg },
        tags,
        summary: '可为本组织整改事项验收的人员（上级党组织的管理员、书记，本组织支委会成员）及依据',
        querystring: OrgQuery,
        response: {
          200: Page(RectifyVerifier).extend({ rule: z.string(), citation: z.string(), confirmed: z.boolean() }),
        },
      }),
      async (req) => verifiersOf(db, scopeOf(req)),
    );
    app.post(
      '/supervise/rectifications',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新建整改事项（责任组织、责任人、期限、措施、验收人），通知责任人',
        body: RectifyCreateInput,
        response: { 201: RectifyDetail },
      }),
      async (req, reply) => reply.status(201).send(await createItem(db, scopeOf(req), req.body)),
    );
    app.get(
      '/supervise-rectifications/:id',
      onRecord({
        access: { roles: 'any', target: party },
        tags,
        summary: '整改事项详情：措施、佐证材料、办理过程，以及当前用户可做的操作',
        response: { 200: RectifyDetail },
      }),
      async (req) => getItem(db, scopeOf(req), req.params.id),
    );
    app.patch(
      '/supervise-rectifications/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfItem) },
        tags,
        summary: '修改整改事项（已销号的不能修改）',
        body: RectifyUpdateInput,
        response: { 200: RectifyDetail },
      }),
      async (req) => updateItem(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/supervise-rectifications/:id/actions',
      onRecord({
        access: { roles: 'any', target: party },
        tags,
        summary: '办理整改事项：开始整改、提交验收（责任人）；验收销号、退回整改（验收人）',
        body: RectifyActionInput,
        response: { 200: RectifyDetail },
      }),
      async (req) => act(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/supervise-rectifications/:id/files',
      onRecord({
        access: { roles: 'any', target: party },
        tags,
        summary: '上传整改佐证材料（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB）',
        consumes: ['multipart/form-data'],
        response: { 201: RectifyFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        return reply
          .status(201)
          .send(
            await store.upload(req, 'attachment', 'supervise', scope.tenantId, (f) =>
              addFile(db, scope, req.params.id, f),
            ),
          );
      },
    );
    app.get(
      '/supervise-rectifications/:id/files/:fileId',
      declared({
        access: { roles: 'any', target: party },
        tags,
        summary: '下载整改佐证材料',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => {
        const f = await loadFile(db, scopeOf(req), req.params.id, req.params.fileId);
        return store.serve(req, reply, f);
      },
    );

    // ---------------------------------------------------------------- 承诺践诺
    app.get(
      '/supervise/commitments',
      declared({
        access: { roles: 'any', target: optionalOrg },
        tags,
        summary: '承诺践诺公示：本组织（及下级）党组织和党员某年的承诺及完成进度',
        querystring: Paging.extend(OrgQuery.shape).extend({
          year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确'),
        }),
        response: { 200: Page(CommitBrief) },
      }),
      async (req) => listCommitments(db, scopeOf(req), req.query.year, req.query.page, req.query.pageSize),
    );
    app.post(
      '/supervise/commitments',
      declared({
        access: { roles: 'any', target: { from: 'body', key: 'orgId', optional: true } },
        tags,
        summary: '作出年度承诺：不带 orgId 为党员本人的承诺，带 orgId 为该党组织的承诺（书记、管理员）',
        body: CommitCreateInput,
        response: { 201: CommitDetail },
      }),
      async (req, reply) => reply.status(201).send(await createCommitment(db, scopeOf(req), req.body)),
    );
    app.get(
      '/supervise-commitments/:id',
      onRecord({
        access: { roles: 'any', target: commitmentTarget },
        tags,
        summary: '承诺详情：承诺事项、进展、佐证材料和年终评议（本组织党员可见）',
        response: { 200: CommitDetail },
      }),
      async (req) => getCommitment(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/supervise-commitments/:id/progress',
      onRecord({
        access: { roles: 'any', target: commitmentTarget },
        tags,
        summary: '报告践诺进展（承诺人本人；党组织的承诺由本组织书记、管理员）',
        body: CommitProgressInput,
        response: { 200: CommitDetail },
      }),
      async (req) => reportProgress(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/supervise-commitments/:id/files',
      onRecord({
        access: { roles: 'any', target: commitmentTarget },
        tags,
        summary: '上传践诺佐证材料（multipart 字段 file；图片、PDF 或 Office 文件）',
        consumes: ['multipart/form-data'],
        response: { 201: RectifyFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        return reply
          .status(201)
          .send(
            await store.upload(req, 'attachment', 'supervise', scope.tenantId, (f) =>
              addCommitmentFile(db, scope, req.params.id, f),
            ),
          );
      },
    );
    app.get(
      '/supervise-commitments/:id/files/:fileId',
      declared({
        access: { roles: 'any', target: commitmentTarget },
        tags,
        summary: '下载践诺佐证材料',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => {
        const f = await loadCommitmentFile(db, scopeOf(req), req.params.id, req.params.fileId);
        return store.serve(req, reply, f);
      },
    );
    app.post(
      '/supervise-commitments/:id/review',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: commitmentTarget },
        tags,
        summary: '年终评议：评定等次并写评议意见（党员的承诺由所在组织，党组织的由上级组织）',
        body: CommitReviewInput,
        response: { 200: CommitDetail },
      }),
      async (req) => reviewCommitment(db, scopeOf(req), req.params.id, req.body),
    );
  };
