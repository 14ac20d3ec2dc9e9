/**
 * 微视频征集 routes (contests.ts says who may do what). Campaigns addressed by id sit under /media-contests/:id,
 * entries under /media-contest-entries/:id; each route's `config.access` names the org the platform's one scope
 * check tests: the caller's own org below the campaign's org for taking part, the campaign's org for publishing.
 */
import {
  ContestInput,
  ContestPatch,
  ContestResults,
  ContestView,
  ContestWithdraw,
  EntryQuery,
  EntryScores,
  EntryView,
  Page,
  Paging,
  RECORD_KEEPERS,
  ScoreInput,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, MAX_VIDEO_BYTES, type FileStore } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import {
  checkCanSubmit,
  contestResults,
  createContest,
  entryScores,
  entryVideo,
  getContest,
  hostOrgOfContest,
  listContests,
  listEntries,
  orgOfContest,
  orgOfEntry,
  publishContest,
  remindJudges,
  updateContest,
  withdrawContest,
  scoreEntry,
  submitEntry,
  voteFor,
} from './contests';

const tags = ['media'];
const takePart = recordOrg(orgOfContest);
const host = recordOrg(hostOrgOfContest);
const entry = recordOrg(orgOfEntry);

/** Registered by mediaRoutes (one plugin per module). */
export function contestRoutes(r: Parameters<FastifyPluginAsyncZod>[0], { db }: Services, store: FileStore) {
  r.get(
    '/media/contests',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '微视频征集：征集活动列表（本组织及上级的；管理员另见下级的）',
      querystring: Paging,
      response: { 200: Page(ContestView) },
    }),
    async (req) => listContests(db, scopeOf(req), req.query.page, req.query.pageSize),
  );
  r.post(
    '/media/contests',
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
      tags,
      summary: '新建微视频征集（征集组织的书记和管理员；评分细则、去掉最高/最低分、网络投票、评委）',
      body: ContestInput,
      response: { 201: ContestView },
    }),
    async (req, reply) => reply.status(201).send(await createContest(db, scopeOf(req), req.body)),
  );
  r.get(
    '/media-contests/:id',
    onRecord({
      access: { roles: 'any', target: takePart },
      tags,
      summary: '征集活动详情',
      response: { 200: ContestView },
    }),
    async (req) => getContest(db, scopeOf(req), req.params.id),
  );
  r.get(
    '/media-contests/:id/entries',
    onRecord({
      access: { roles: 'any', target: takePart },
      tags,
      summary: '参赛作品（评委另见本人的评分，看不到其他评委的）',
      querystring: Paging,
      response: { 200: Page(EntryView) },
    }),
    async (req) => listEntries(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
  );
  r.post(
    '/media-contests/:id/entries',
    onRecord({
      access: { roles: 'any', target: takePart },
      tags,
      summary: `提交参赛作品（征集时间内，本组织及下级在册党员，每人 1 件；MP4/WebM 视频不超过 ${MAX_VIDEO_BYTES / 1024 / 1024} MB，multipart 字段 file；名称、简介、时长在查询参数中）`,
      querystring: EntryQuery,
      consumes: ['multipart/form-data'],
      response: { 201: EntryView },
    }),
    async (req, reply) => {
      const scope = scopeOf(req);
      // Refuse before reading and storing the bytes (window, membership, one entry each); checked again on insert.
      await checkCanSubmit(db, scope, req.params.id);
      const view = await store.upload(
        req,
        'video',
        'media',
        scope.tenantId,
        (file) => submitEntry(db, scope, req.params.id, req.query, file),
        { maxBytes: MAX_VIDEO_BYTES },
      );
      return reply.status(201).send(view);
    },
  );
  r.get(
    '/media-contests/:id/results',
    onRecord({
      access: { roles: 'any', target: takePart },
      tags,
      summary: '评审结果（征集组织的管理员随时可看，其他人在公布后）',
      querystring: Paging,
      response: { 200: ContestResults },
    }),
    async (req) => contestResults(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
  );
  r.post(
    '/media-contests/:id/publish',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary: '公布结果并发布到学习：排名靠前的获奖作品一步发布为学习内容（微视频）',
      response: { 200: ContestResults },
    }),
    async (req) => publishContest(db, scopeOf(req), req.params.id),
  );
  r.patch(
    '/media-contests/:id',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary:
        '修改征集（标题、规则、日期、评分细则、评委等）；已评分后不能改评分细则和计分方法，已评分的评委不能移出；结果公布或撤销后不能改',
      body: ContestPatch,
      response: { 200: ContestView },
    }),
    async (req) => updateContest(db, scopeOf(req), req.params.id, req.body),
  );
  r.post(
    '/media-contests/:id/withdraw',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary: '撤销征集（结果公布前；须写理由，通知本组织及下级党员）',
      body: ContestWithdraw,
      response: { 200: ContestView },
    }),
    async (req) => withdrawContest(db, scopeOf(req), req.params.id, req.body.reason),
  );
  r.post(
    '/media-contests/:id/remind-judges',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary: '提醒评委：向尚有作品未评分的评委发通知（每位评委每天至多一次）',
      response: { 200: z.object({ reminded: z.number() }) },
    }),
    async (req) => remindJudges(db, scopeOf(req), req.params.id),
  );
  r.get(
    '/media-contest-entries/:id/video',
    onRecord({ access: { roles: 'any', target: entry }, tags, summary: '播放参赛作品（支持 Range 分段）' }),
    async (req, reply) => {
      const f = await entryVideo(db, scopeOf(req), req.params.id);
      return store.serve(req, reply, f, contentDisposition(f.fileName, true));
    },
  );
  r.post(
    '/media-contest-entries/:id/vote',
    onRecord({
      access: { roles: 'any', target: entry },
      tags,
      summary: '网络投票（每人每天每个征集活动限 1 票）',
      response: { 200: EntryView },
    }),
    async (req) => voteFor(db, scopeOf(req), req.params.id),
  );
  r.get(
    '/media-contest-entries/:id/scores',
    onRecord({
      access: { roles: 'any', target: entry },
      tags,
      summary: '作品的各评委评分（评委提交本人评分后可见）',
      response: { 200: EntryScores },
    }),
    async (req) => entryScores(db, scopeOf(req), req.params.id),
  );
  r.post(
    '/media-contest-entries/:id/scores',
    onRecord({
      access: { roles: 'any', target: entry },
      tags,
      summary: '评委评分（按评分细则逐项；每件作品只评一次）',
      body: ScoreInput,
      response: { 201: EntryScores },
    }),
    async (req, reply) =>
      reply.status(201).send(await scoreEntry(db, scopeOf(req), req.params.id, req.body.scores, 'create')),
  );
  r.put(
    '/media-contest-entries/:id/scores',
    onRecord({
      access: { roles: 'any', target: entry },
      tags,
      summary: '修改本人的评分（结果公布前）',
      body: ScoreInput,
      response: { 200: EntryScores },
    }),
    async (req) => scoreEntry(db, scopeOf(req), req.params.id, req.body.scores, 'update'),
  );
}
