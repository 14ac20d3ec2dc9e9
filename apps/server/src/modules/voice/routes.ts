/**
 * 互动 routes. Collections hang off /voice; records by id have their own first segment
 * (/voice-opinions/:id, /voice-letters/:id, …) whose lookup finds the org that decides the scope —
 * for a person's own part in a record (their letter, their opinion, a survey they are asked to
 * answer) the lookup answers with the caller's own org, so nobody else reaches it.
 * Public routes (no login) for employees with one-time codes and 查询码 are under /public/voice.
 */
import {
  BallotInput,
  CodeBatch,
  CodeBatchInput,
  CodeInfo,
  ForumThread,
  ForumThreadDetail,
  Letter,
  LetterDetail,
  LetterFile,
  LETTER_FILE_MAX,
  LetterInput,
  LETTER_STATUSES,
  LetterTarget,
  Mentionable,
  MessageInput,
  Opinion,
  OPINION_CATEGORIES,
  OPINION_STATUSES,
  OpinionDetail,
  OpinionInput,
  OpinionReceipt,
  OpinionTarget,
  Page,
  Paging,
  OPINION_FILE_MAX,
  OpinionFile,
  PostEdit,
  SurveyBreakdown,
  ThreadEdit,
  VOICE_RULES,
  PostInput,
  PostModeration,
  PublicOpinionInput,
  PublicResponseInput,
  RatingInput,
  RatingUpResult,
  ResponseInput,
  Survey,
  SURVEY_KINDS,
  SurveyEditInput,
  SurveyInput,
  SurveyResults,
  ThreadInput,
  ThreadModeration,
  todayInChina,
  Uuid,
  Vote,
  Candidate,
  VoteCreateInput,
  VoiceOverview,
  VoiceSettings,
  VoiceSettingsInput,
  VoteResults,
  Attachment,
  ORG_ADMINS,
  RECORD_KEEPERS,
  RECORD_READERS,
} from '@xianfeng/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../platform/errors';
import { checkUpload, fileStore, readUpload } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { readDb } from '../../platform/db';
import type { Services } from '../../platform/services';
import { qrDataUrl } from '../../platform/qr-token';
import { AUDITORS } from './common';
import { codeInfo, createBatch, listBatches, publicOrg, useCode } from './codes';
import {
  addPost,
  checkAttach,
  createThread,
  editPost,
  editThread,
  getThread,
  insertAttachment,
  listThreads,
  loadAttachment,
  mentionableFor,
  moderatePost,
  moderateThread,
  myForums,
  orgOfAttachment,
  orgOfForum,
  orgOfPost,
  orgOfThread,
  withdrawPost,
  withdrawThread,
} from './forum';
import {
  addMessage,
  checkLetterFile,
  closeLetter,
  getLetter,
  inbox,
  insertLetterFile,
  letterTargets,
  loadLetterFile,
  openLetterFile,
  orgOfLetter,
  orgOfLetterFile,
  orgOfLetterMessage,
  sealLetterFile,
  sendLetter,
  sentLetters,
} from './letters';
import {
  answerOpinion,
  assignOpinion,
  board,
  closeOpinion,
  exportOpinions,
  getOpinion,
  handlers,
  listOpinions,
  myOpinions,
  opinionByReceipt,
  opinionTargets,
  orgOfOpinion,
  publishOpinion,
  putSettings,
  rateByReceipt,
  rateMine,
  revealIdentity,
  settingsFor,
  submitCodeOpinion,
  submitOpinion,
  transferOpinion,
  withdrawByReceipt,
  withdrawMine,
  checkAnswerFile,
  insertAnswerFile,
  loadAnswerFile,
  answerFileByReceipt,
  orgOfOpinionFile,
} from './opinions';
import { ratingUpResults, voiceOverview } from './service';
import {
  closeSurvey,
  createSurvey,
  exportSurvey,
  exportBreakdown,
  surveyBreakdown,
  getSurvey,
  listSurveys,
  openSurveys,
  orgOfSurvey,
  publishSurvey,
  respond,
  respondWithCode,
  surveyResults,
  updateSurvey,
} from './surveys';
import {
  candidatePhoto,
  castBallot,
  checkCandidatePhoto,
  closeVote,
  createVote,
  getVote,
  listVotes,
  openVotes,
  orgOfCandidate,
  orgOfVote,
  publishVote,
  setCandidatePhoto,
  voteResults,
} from './votes';

const tags = ['voice'];
const byId = { params: z.object({ id: Uuid }) };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string, inline = false) =>
  `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`;

const opinionTarget = { from: 'params' as const, key: 'id', lookup: orgOfOpinion };
const letterTarget = { from: 'params' as const, key: 'id', lookup: orgOfLetter };
const threadTarget = { from: 'params' as const, key: 'id', lookup: orgOfThread };
const postTarget = { from: 'params' as const, key: 'id', lookup: orgOfPost };
const attachmentTarget = { from: 'params' as const, key: 'id', lookup: orgOfAttachment };
const surveyTarget = { from: 'params' as const, key: 'id', lookup: orgOfSurvey };
const voteTarget = { from: 'params' as const, key: 'id', lookup: orgOfVote };
const optionalOrg = { from: 'query' as const, key: 'orgId', optional: true };

const Ok = z.object({ ok: z.literal(true) });
const ok = { ok: true as const };
const Note = z.strictObject({ note: z.string().trim().max(500, '说明不能超过 500 字').optional() });

/**
 * Why these routes are public: employees who are not members have no account; they reach their
 * org's public link with a one-time code from a paper slip, and follow their item with a 查询码.
 * Every public route is rate-limited per address by the platform (http.ts); codes are not guessable
 * (~59 bits) and are used up in the transaction that uses them.
 */
const PUBLIC = { public: true } as const;

/** The web page of an org's public link (apps/web modules/voice PublicPage). */
const publicLink = (req: FastifyRequest, orgId: string) => `${req.protocol}://${req.host}/v/${orgId}`;

export const voiceRoutes =
  ({ db, fieldCrypto: fc, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // The heavy read-only queries (statistics, exports, roll-ups) may run on a read replica (platform/replica.ts).
    const rdb = readDb(db);
    const store = fileStore(() => config.dataDir, config.s3);
    /** A stored file to the browser: images and PDF shown inline, everything else downloaded. */
    /** Sends a stored file whole; `open` unseals bytes kept sealed (letter files). */
    const sendStored = async (
      reply: FastifyReply,
      a: { storageKey: string; mime: string; fileName: string },
      open?: (sealed: Buffer) => Buffer,
    ) => {
      let data: Buffer;
      try {
        data = await store.get(a.storageKey);
      } catch {
        throw notFound('文件已丢失，请重新上传', 'FILE_MISSING');
      }
      if (open) data = open(data);
      return reply
        .header('content-type', a.mime)
        .header(
          'content-disposition',
          attachment(a.fileName, a.mime.startsWith('image/') || a.mime === 'application/pdf'),
        )
        .header('cache-control', 'private, max-age=3600')
        .send(data);
    };

    // ---- 意见建议 -------------------------------------------------------------------

    app.get(
      '/voice/opinion-targets',
      {
        schema: {
          tags,
          summary: '我可以提交意见建议的党组织（本人所在组织及其上级）和各自的匿名方式',
          response: { 200: z.object({ items: z.array(OpinionTarget) }) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => ({ items: await opinionTargets(db, scopeOf(req).principal) }),
    );

    app.post(
      '/voice/opinions',
      {
        schema: {
          tags,
          summary: '提交意见建议（可匿名；匿名时返回一次性显示的查询码）',
          body: OpinionInput,
          response: { 201: OpinionReceipt },
        },
        config: { access: { roles: 'any' } },
      },
      async (req, reply) => reply.status(201).send(await submitOpinion(db, fc, scopeOf(req), req.body)),
    );

    const OpinionFilter = Paging.extend({
      orgId: Uuid.optional(),
      status: z.enum(OPINION_STATUSES).optional(),
      category: z.enum(OPINION_CATEGORIES).optional(),
      overdue: z.stringbool().optional(),
      q: z.string().trim().max(50).optional(),
    });

    app.get(
      '/voice/opinions',
      {
        schema: {
          tags,
          summary: '意见建议办理台（组织及下级）',
          querystring: OpinionFilter,
          response: { 200: Page(Opinion) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => {
        const { page, pageSize, orgId: _o, ...f } = req.query;
        return listOpinions(db, scopeOf(req), f, page, pageSize);
      },
    );

    app.get(
      '/voice/opinions/export',
      {
        schema: {
          tags,
          summary: '导出意见建议（Excel；匿名者显示为「匿名」）',
          querystring: OpinionFilter.omit({ page: true, pageSize: true }),
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req, reply) => {
        const { orgId: _o, ...f } = req.query;
        const data = await exportOpinions(rdb, scopeOf(req), f);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`意见建议-${todayInChina()}.xlsx`))
          .send(data);
      },
    );

    app.get(
      '/voice/opinions/mine',
      {
        schema: { tags, summary: '我实名提交的意见建议', querystring: Paging, response: { 200: Page(Opinion) } },
        config: { access: { roles: 'any' } },
      },
      async (req) => myOpinions(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/board',
      {
        schema: {
          tags,
          summary: '公开答复栏：提交人同意公开并已答复的意见建议（不显示提交人）',
          querystring: Paging,
          response: { 200: Page(Opinion) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => board(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/handlers',
      {
        schema: {
          tags,
          summary: '可以承办某党组织意见建议的人（覆盖该组织的管理员和书记）',
          querystring: z.object({ orgId: Uuid }),
          response: { 200: z.object({ items: z.array(z.object({ userId: z.string(), name: z.string() })) }) },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'query', key: 'orgId' } } },
      },
      async (req) => ({ items: await handlers(db, scopeOf(req).tenantId, scopeOf(req).org) }),
    );

    app.get(
      '/voice-opinions/:id',
      {
        schema: { tags, summary: '意见建议详情与办理经过', ...byId, response: { 200: OpinionDetail } },
        config: { access: { roles: 'any', target: opinionTarget } },
      },
      async (req) => getOpinion(db, fc, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-opinions/:id/assign',
      {
        schema: {
          tags,
          summary: '交办给承办人',
          ...byId,
          body: z.strictObject({ userId: Uuid, note: z.string().trim().max(500).optional() }),
          response: { 200: OpinionDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: opinionTarget } },
      },
      async (req) => {
        await assignOpinion(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/transfer',
      {
        schema: {
          tags,
          summary: '转办到本人管辖的另一个党组织',
          ...byId,
          body: z.strictObject({ orgId: Uuid, note: z.string().trim().max(500).optional() }),
          response: { 200: Ok },
        },
        config: { access: { roles: RECORD_KEEPERS, target: opinionTarget } },
      },
      async (req) => {
        await transferOpinion(db, scopeOf(req), req.params.id, req.body);
        return ok;
      },
    );

    app.post(
      '/voice-opinions/:id/answer',
      {
        schema: {
          tags,
          summary: '答复（提交人同意公开时可同时公开到公开答复栏）',
          ...byId,
          body: z.strictObject({
            answer: z.string().trim().min(2, '请填写答复内容').max(5000, '答复不能超过 5000 字'),
            publish: z.boolean().optional(),
          }),
          response: { 200: OpinionDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: opinionTarget } },
      },
      async (req) => {
        await answerOpinion(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/publish',
      {
        schema: {
          tags,
          summary: '公开或撤回公开答复',
          ...byId,
          body: z.strictObject({ published: z.boolean() }),
          response: { 200: OpinionDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: opinionTarget } },
      },
      async (req) => {
        await publishOpinion(db, scopeOf(req), req.params.id, req.body.published);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/close',
      {
        schema: { tags, summary: '办结（已答复的）', ...byId, body: Note, response: { 200: OpinionDetail } },
        config: { access: { roles: RECORD_KEEPERS, target: opinionTarget } },
      },
      async (req) => {
        await closeOpinion(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/withdraw',
      {
        schema: { tags, summary: '提交人撤回自己的意见建议（答复前）', ...byId, response: { 200: OpinionDetail } },
        config: { access: { roles: 'any', target: opinionTarget } },
      },
      async (req) => {
        await withdrawMine(db, scopeOf(req), req.params.id);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/rate',
      {
        schema: {
          tags,
          summary: '提交人评价答复（1–5），评价后办结',
          ...byId,
          body: RatingInput,
          response: { 200: OpinionDetail },
        },
        config: { access: { roles: 'any', target: opinionTarget } },
      },
      async (req) => {
        await rateMine(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/identity',
      {
        schema: {
          tags,
          summary: '审计员按事由查阅匿名意见建议的封存身份（每次查阅记入审计日志）',
          ...byId,
          body: z.strictObject({ reason: z.string().trim().min(5, '请写明查阅事由（至少 5 个字）').max(200) }),
          response: { 200: z.object({ name: z.string(), username: z.string().nullable(), reason: z.string() }) },
        },
        config: { access: { roles: AUDITORS, target: opinionTarget } },
      },
      async (req) => revealIdentity(db, fc, scopeOf(req), req.params.id, req.body.reason),
    );

    app.get(
      '/voice/settings',
      {
        schema: {
          tags,
          summary: '意见建议设置（匿名方式、答复期限；未设置时沿用上级或默认）',
          querystring: z.object({ orgId: Uuid.optional() }),
          response: { 200: VoiceSettings },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => settingsFor(db, scopeOf(req).tenantId, scopeOf(req).org),
    );

    app.put(
      '/voice/settings',
      {
        schema: {
          tags,
          summary: '设置本组织的匿名方式和答复期限',
          body: VoiceSettingsInput,
          response: { 200: VoiceSettings },
        },
        config: { access: { roles: ORG_ADMINS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req) => putSettings(db, scopeOf(req), { anonymity: req.body.anonymity, answerDays: req.body.answerDays }),
    );

    app.get(
      '/voice/overview',
      {
        schema: {
          tags,
          summary: '互动概况：待办和逾期的意见建议、答复满意度、最近一次满意度/下考上得分',
          querystring: z.object({ orgId: Uuid.optional() }),
          response: { 200: VoiceOverview },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => voiceOverview(db, scopeOf(req).tenantId, scopeOf(req).org),
    );

    app.get(
      '/voice/rating-up',
      {
        schema: {
          tags,
          summary: '下考上测评结果（已结束的，组织及下级；供考核使用）',
          querystring: z.object({
            orgId: Uuid.optional(),
            year: z.coerce.number().int().min(2000).max(2100).optional(),
          }),
          response: { 200: z.object({ items: z.array(RatingUpResult) }) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => ({
        items: await ratingUpResults(db, scopeOf(req).tenantId, scopeOf(req).org.path, { year: req.query.year }),
      }),
    );

    // ---- 党务信箱 -------------------------------------------------------------------

    app.get(
      '/voice/letter-targets',
      {
        schema: {
          tags,
          summary: '我可以写信的收信人（本人所在组织及其上级的书记、纪检委员）',
          response: { 200: z.object({ items: z.array(LetterTarget) }) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => ({ items: await letterTargets(db, scopeOf(req)) }),
    );

    app.post(
      '/voice/letters',
      {
        schema: {
          tags,
          summary: '给书记或纪检委员写信（只有收信人能看到内容）',
          body: LetterInput,
          response: { 201: LetterDetail },
        },
        config: { access: { roles: 'any' } },
      },
      async (req, reply) => reply.status(201).send(await sendLetter(db, fc, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/letters/sent',
      {
        schema: { tags, summary: '我写的信', querystring: Paging, response: { 200: Page(Letter) } },
        config: { access: { roles: 'any' } },
      },
      async (req) => sentLetters(db, fc, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/letters/inbox',
      {
        schema: {
          tags,
          summary: '写给我（作为书记或纪检委员）的信',
          querystring: Paging.extend({ status: z.enum(LETTER_STATUSES).optional() }),
          response: { 200: Page(Letter).extend({ unread: z.number() }) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => inbox(db, fc, scopeOf(req), req.query.page, req.query.pageSize, req.query.status),
    );

    app.get(
      '/voice-letters/:id',
      {
        schema: { tags, summary: '信件（仅写信人和收信人）', ...byId, response: { 200: LetterDetail } },
        config: { access: { roles: 'any', target: letterTarget } },
      },
      async (req) => getLetter(db, fc, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-letters/:id/messages',
      {
        schema: {
          tags,
          summary: '回复或补充（仅写信人和收信人）',
          ...byId,
          body: MessageInput,
          response: { 200: LetterDetail },
        },
        config: { access: { roles: 'any', target: letterTarget } },
      },
      async (req) => addMessage(db, fc, scopeOf(req), req.params.id, req.body.body),
    );

    const candidateTarget = { from: 'params' as const, key: 'id', lookup: orgOfCandidate };
    app.post(
      '/voice-candidates/:id/photo',
      {
        schema: {
          tags,
          summary: '上传或更换候选照片（multipart 字段 file；JPEG、PNG、GIF 或 WebP 图片，不超过 10 MB；投票发布前）',
          ...byId,
          consumes: ['multipart/form-data'],
          response: { 200: Candidate },
        },
        config: { access: { roles: RECORD_KEEPERS, target: candidateTarget } },
      },
      async (req) => {
        const scope = scopeOf(req);
        const c = await checkCandidatePhoto(db, scope, req.params.id);
        const { data, fileName } = await readUpload(req);
        const sniffed = checkUpload('photo', data, fileName);
        const done = await store.keep('voice', scope.tenantId, { data, fileName }, sniffed, (file) =>
          setCandidatePhoto(db, scope, c.id, file),
        );
        // The replaced photo's bytes go once the new one is recorded (a failure leaves an orphan file, not a lost photo).
        if (done.replaced) await store.remove(done.replaced).catch(() => {});
        return done.view;
      },
    );

    app.get(
      '/voice-candidates/:id/photo',
      {
        schema: { tags, summary: '候选照片（能看到该投票的人）', ...byId },
        config: { access: { roles: 'any', target: candidateTarget } },
      },
      async (req, reply) => sendStored(reply, await candidatePhoto(db, scopeOf(req), req.params.id)),
    );

    app.post(
      '/voice-letter-messages/:id/files',
      {
        schema: {
          tags,
          summary: `为自己写的信或回复添加附件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB，每条最多 ${LETTER_FILE_MAX} 个；办结前；与信件一样加密保存，仅写信人和收信人可下载）`,
          ...byId,
          consumes: ['multipart/form-data'],
          response: { 201: LetterFile },
        },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfLetterMessage } } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const at = await checkLetterFile(db, scope, req.params.id);
        const { data, fileName } = await readUpload(req);
        const sniffed = checkUpload('attachment', data, fileName);
        const view = await store.keep(
          'voice',
          scope.tenantId,
          { data, fileName },
          sniffed,
          (file) => insertLetterFile(db, fc, scope, at, file),
          sealLetterFile(fc),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/voice-letter-files/:id',
      {
        schema: { tags, summary: '下载信件附件（仅写信人和收信人）', ...byId },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfLetterFile } } },
      },
      async (req, reply) => {
        const f = await loadLetterFile(db, fc, scopeOf(req), req.params.id);
        return sendStored(reply, f, (sealed) => openLetterFile(fc, f.id, sealed));
      },
    );

    app.post(
      '/voice-letters/:id/close',
      {
        schema: { tags, summary: '收信人办结信件', ...byId, response: { 200: LetterDetail } },
        config: { access: { roles: 'any', target: letterTarget } },
      },
      async (req) => closeLetter(db, fc, scopeOf(req), req.params.id),
    );

    // ---- 支部在线 -------------------------------------------------------------------

    const forumQuery = { from: 'query' as const, key: 'orgId', lookup: orgOfForum };

    app.get(
      '/voice/forums',
      {
        schema: {
          tags,
          summary: '我所在的支部在线（本人支部，党小组成员为其所在支部）',
          response: { 200: z.object({ items: z.array(z.object({ orgId: z.string(), orgName: z.string() })) }) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => ({ items: await myForums(db, scopeOf(req).principal) }),
    );

    app.get(
      '/voice/threads',
      {
        schema: {
          tags,
          summary: '支部在线的话题（置顶在前）',
          querystring: Paging.extend({ orgId: Uuid }),
          response: {
            200: Page(ForumThread).extend({
              forum: z.object({ orgId: z.string(), orgName: z.string(), moderator: z.boolean() }),
            }),
          },
        },
        config: { access: { roles: 'any', target: forumQuery } },
      },
      async (req) => listThreads(db, scopeOf(req), req.query.orgId, req.query.page, req.query.pageSize),
    );

    app.post(
      '/voice/threads',
      {
        schema: {
          tags,
          summary: '发起话题（可 @ 本支部的人）',
          body: ThreadInput,
          response: { 201: ForumThreadDetail },
        },
        config: { access: { roles: 'any', target: { from: 'body', key: 'orgId', lookup: orgOfForum } } },
      },
      async (req, reply) => reply.status(201).send(await createThread(db, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/mentionable',
      {
        schema: {
          tags,
          summary: '本支部可以 @ 的人',
          querystring: z.object({ orgId: Uuid }),
          response: { 200: z.object({ items: z.array(Mentionable) }) },
        },
        config: { access: { roles: 'any', target: forumQuery } },
      },
      async (req) => ({ items: await mentionableFor(db, scopeOf(req), req.query.orgId) }),
    );

    app.get(
      '/voice-threads/:id',
      {
        schema: { tags, summary: '话题与回复', ...byId, querystring: Paging, response: { 200: ForumThreadDetail } },
        config: { access: { roles: 'any', target: threadTarget } },
      },
      async (req) => getThread(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.post(
      '/voice-threads/:id/posts',
      {
        schema: { tags, summary: '回复话题', ...byId, body: PostInput, response: { 200: ForumThreadDetail } },
        config: { access: { roles: 'any', target: threadTarget } },
      },
      async (req) => addPost(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-threads/:id/moderate',
      {
        schema: {
          tags,
          summary: '置顶、锁定或隐藏话题（隐藏须写明原因）',
          ...byId,
          body: ThreadModeration,
          response: { 200: ForumThreadDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: threadTarget } },
      },
      async (req) => moderateThread(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-posts/:id/moderate',
      {
        schema: {
          tags,
          summary: '隐藏或恢复回复',
          ...byId,
          body: PostModeration,
          response: { 200: z.object({ id: z.string(), hidden: z.boolean() }) },
        },
        config: { access: { roles: RECORD_KEEPERS, target: postTarget } },
      },
      async (req) => moderatePost(db, scopeOf(req), req.params.id, req.body),
    );

    app.put(
      '/voice-threads/:id',
      {
        schema: {
          tags,
          summary: `作者修改自己的话题（发出后 ${VOICE_RULES.editMinutes.value} 分钟内；显示「已编辑」，审计日志保留修改前后）`,
          ...byId,
          body: ThreadEdit,
          response: { 200: ForumThreadDetail },
        },
        config: { access: { roles: 'any', target: threadTarget } },
      },
      async (req) => editThread(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-threads/:id/withdraw',
      {
        schema: {
          tags,
          summary: `作者撤回自己的话题（发出后 ${VOICE_RULES.editMinutes.value} 分钟内）`,
          ...byId,
          response: { 200: ForumThreadDetail },
        },
        config: { access: { roles: 'any', target: threadTarget } },
      },
      async (req) => withdrawThread(db, scopeOf(req), req.params.id),
    );

    app.put(
      '/voice-posts/:id',
      {
        schema: {
          tags,
          summary: `作者修改自己的回复（发出后 ${VOICE_RULES.editMinutes.value} 分钟内；显示「已编辑」，审计日志保留修改前后）`,
          ...byId,
          body: PostEdit,
          response: { 200: ForumThreadDetail },
        },
        config: { access: { roles: 'any', target: postTarget } },
      },
      async (req) => editPost(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-posts/:id/withdraw',
      {
        schema: {
          tags,
          summary: `作者撤回自己的回复（发出后 ${VOICE_RULES.editMinutes.value} 分钟内）`,
          ...byId,
          response: { 200: ForumThreadDetail },
        },
        config: { access: { roles: 'any', target: postTarget } },
      },
      async (req) => withdrawPost(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-opinions/:id/files',
      {
        schema: {
          tags,
          summary: `为意见建议的答复上传附件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB，每条最多 ${OPINION_FILE_MAX} 个；办结前）`,
          ...byId,
          consumes: ['multipart/form-data'],
          response: { 201: OpinionFile },
        },
        config: { access: { roles: RECORD_KEEPERS, target: opinionTarget } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const r = await checkAnswerFile(db, scope, req.params.id);
        const { data, fileName } = await readUpload(req);
        const sniffed = checkUpload('attachment', data, fileName);
        const view = await store.keep('voice', scope.tenantId, { data, fileName }, sniffed, (file) =>
          insertAnswerFile(db, scope, r, file),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/voice-opinion-files/:id',
      {
        schema: { tags, summary: '下载答复附件（能看到该意见建议的人；提交人在答复后）', ...byId },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfOpinionFile } } },
      },
      async (req, reply) => sendStored(reply, await loadAnswerFile(db, scopeOf(req), req.params.id)),
    );

    app.post(
      '/voice-threads/:id/attachments',
      {
        schema: {
          tags,
          summary: '为话题上传附件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB，每个话题最多 9 个）',
          ...byId,
          consumes: ['multipart/form-data'],
          response: { 201: Attachment },
        },
        config: { access: { roles: 'any', target: threadTarget } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const { thread, forum } = await checkAttach(db, scope, req.params.id);
        const { data, fileName } = await readUpload(req);
        const sniffed = checkUpload('attachment', data, fileName);
        const view = await store.keep('voice', scope.tenantId, { data, fileName }, sniffed, (file) =>
          insertAttachment(db, scope, thread, forum, file),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/voice-attachments/:id',
      {
        schema: { tags, summary: '下载话题附件', ...byId },
        config: { access: { roles: 'any', target: attachmentTarget } },
      },
      async (req, reply) => {
        const a = await loadAttachment(db, scopeOf(req), req.params.id);
        let data: Buffer;
        try {
          data = await store.get(a.storageKey);
        } catch {
          throw notFound('文件已丢失，请重新上传', 'FILE_MISSING');
        }
        return reply
          .header('content-type', a.mime)
          .header(
            'content-disposition',
            attachment(a.fileName, a.mime.startsWith('image/') || a.mime === 'application/pdf'),
          )
          .header('cache-control', 'private, max-age=3600')
          .send(data);
      },
    );

    // ---- surveys, 满意度测评, 下考上 ----------------------------------------------------

    app.post(
      '/voice/surveys',
      {
        schema: {
          tags,
          summary: '新建问卷、满意度测评或下考上测评（草稿）',
          body: SurveyInput,
          response: { 201: Survey },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req, reply) => reply.status(201).send(await createSurvey(db, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/surveys',
      {
        schema: {
          tags,
          summary: '问卷与测评（组织及下级）',
          querystring: Paging.extend({ orgId: Uuid.optional(), kind: z.enum(SURVEY_KINDS).optional() }),
          response: { 200: Page(Survey) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => listSurveys(db, scopeOf(req), { kind: req.query.kind }, req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/surveys/open',
      {
        schema: {
          tags,
          summary: '请我参加的问卷与测评（进行中和未开始的）',
          querystring: Paging,
          response: { 200: Page(Survey) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => openSurveys(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice-surveys/:id',
      {
        schema: { tags, summary: '问卷（题目、时间、我是否已答）', ...byId, response: { 200: Survey } },
        config: { access: { roles: 'any', target: surveyTarget } },
      },
      async (req) => getSurvey(db, scopeOf(req), req.params.id),
    );

    app.put(
      '/voice-surveys/:id',
      {
        schema: {
          tags,
          summary: '修改问卷草稿（所属党组织不变）',
          ...byId,
          body: SurveyEditInput,
          response: { 200: Survey },
        },
        config: { access: { roles: RECORD_KEEPERS, target: surveyTarget } },
      },
      async (req) => updateSurvey(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-surveys/:id/publish',
      {
        schema: { tags, summary: '发布问卷（发布后题目不能再改）', ...byId, response: { 200: Survey } },
        config: { access: { roles: RECORD_KEEPERS, target: surveyTarget } },
      },
      async (req) => publishSurvey(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-surveys/:id/close',
      {
        schema: { tags, summary: '提前结束问卷', ...byId, response: { 200: Survey } },
        config: { access: { roles: RECORD_KEEPERS, target: surveyTarget } },
      },
      async (req) => closeSurvey(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-surveys/:id/responses',
      {
        schema: { tags, summary: '提交答卷（每人一次）', ...byId, body: ResponseInput, response: { 201: Ok } },
        config: { access: { roles: 'any', target: surveyTarget } },
      },
      async (req, reply) => {
        await respond(db, scopeOf(req), req.params.id, req.body.answers);
        return reply.status(201).send(ok);
      },
    );

    app.get(
      '/voice-surveys/:id/results',
      {
        schema: { tags, summary: '问卷结果（匿名问卷结束后可看）', ...byId, response: { 200: SurveyResults } },
        config: { access: { roles: RECORD_READERS, target: surveyTarget } },
      },
      async (req) => surveyResults(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/voice-surveys/:id/export',
      {
        schema: { tags, summary: '导出问卷结果和答卷（Excel；匿名问卷不含姓名和时间）', ...byId },
        config: { access: { roles: RECORD_READERS, target: surveyTarget } },
      },
      async (req, reply) => {
        const { name, data } = await exportSurvey(rdb, scopeOf(req), req.params.id);
        return reply.header('content-type', XLSX).header('content-disposition', attachment(name)).send(data);
      },
    );

    app.get(
      '/voice-surveys/:id/breakdown',
      {
        schema: {
          tags,
          summary: '问卷结果按支部分列（参与人数、参与率、各题平均分；匿名问卷人数过少的支部不显示得分）',
          ...byId,
          querystring: Paging,
          response: { 200: SurveyBreakdown },
        },
        config: { access: { roles: RECORD_READERS, target: surveyTarget } },
      },
      async (req) => surveyBreakdown(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice-surveys/:id/breakdown/export',
      {
        schema: { tags, summary: '导出按支部分列的问卷结果（Excel；与页面相同的隐藏规则）', ...byId },
        config: { access: { roles: RECORD_READERS, target: surveyTarget } },
      },
      async (req, reply) => {
        const { name, data } = await exportBreakdown(rdb, scopeOf(req), req.params.id);
        return reply.header('content-type', XLSX).header('content-disposition', attachment(name)).send(data);
      },
    );

    // ---- votes ---------------------------------------------------------------------

    app.post(
      '/voice/votes',
      {
        schema: {
          tags,
          summary: '新建投票（亮点工程评选、评先评优；草稿）',
          body: VoteCreateInput,
          response: { 201: Vote },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req, reply) => reply.status(201).send(await createVote(db, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/votes',
      {
        schema: {
          tags,
          summary: '投票（组织及下级）',
          querystring: Paging.extend({ orgId: Uuid.optional() }),
          response: { 200: Page(Vote) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => listVotes(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/votes/open',
      {
        schema: {
          tags,
          summary: '请我参加的投票（进行中和 30 天内结束的）',
          querystring: Paging,
          response: { 200: Page(Vote) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => openVotes(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice-votes/:id',
      {
        schema: { tags, summary: '投票与候选介绍', ...byId, response: { 200: Vote } },
        config: { access: { roles: 'any', target: voteTarget } },
      },
      async (req) => getVote(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-votes/:id/publish',
      {
        schema: { tags, summary: '发布投票', ...byId, response: { 200: Vote } },
        config: { access: { roles: RECORD_KEEPERS, target: voteTarget } },
      },
      async (req) => publishVote(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-votes/:id/close',
      {
        schema: { tags, summary: '提前结束投票', ...byId, response: { 200: Vote } },
        config: { access: { roles: RECORD_KEEPERS, target: voteTarget } },
      },
      async (req) => closeVote(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-votes/:id/ballots',
      {
        schema: { tags, summary: '投票（无记名；每人一次）', ...byId, body: BallotInput, response: { 201: Vote } },
        config: { access: { roles: 'any', target: voteTarget } },
      },
      async (req, reply) => reply.status(201).send(await castBallot(db, scopeOf(req), req.params.id, req.body.choices)),
    );

    app.get(
      '/voice-votes/:id/results',
      {
        schema: { tags, summary: '投票结果（按投票设置的公布时机）', ...byId, response: { 200: VoteResults } },
        config: { access: { roles: 'any', target: voteTarget } },
      },
      async (req) => voteResults(db, scopeOf(req), req.params.id),
    );

    // ---- one-time codes -----------------------------------------------------------------

    app.post(
      '/voice/code-batches',
      {
        schema: {
          tags,
          summary: '生成一批职工参与码（只显示这一次，请打印发放；每张纸条的二维码直达本组织的参与链接）',
          body: CodeBatchInput,
          response: {
            201: z.object({
              batch: CodeBatch,
              codes: z.array(z.string()),
              link: z.string(),
              slips: z.array(z.object({ code: z.string(), qr: z.string() })),
            }),
          },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req, reply) => {
        const made = await createBatch(db, scopeOf(req), req.body);
        const link = publicLink(req, req.body.orgId);
        // The code rides in the query: the server logs paths only (http.ts), and the page reads it.
        const slips = await Promise.all(
          made.codes.map(async (code) => ({
            code,
            qr: await qrDataUrl(`${link}?c=${code.replace(/-/g, '')}`, 160),
          })),
        );
        return reply.status(201).send({ ...made, link, slips });
      },
    );

    app.get(
      '/voice/public-link',
      {
        schema: {
          tags,
          summary: '本组织的职工参与链接和二维码（张贴用；提交仍需参与码）',
          querystring: z.object({ orgId: Uuid.optional() }),
          response: { 200: z.object({ url: z.string(), dataUrl: z.string() }) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => {
        const url = publicLink(req, scopeOf(req).org.id);
        return { url, dataUrl: await qrDataUrl(url, 360) };
      },
    );

    app.get(
      '/voice/code-batches',
      {
        schema: {
          tags,
          summary: '参与码批次与使用情况',
          querystring: Paging.extend({ orgId: Uuid.optional() }),
          response: { 200: Page(CodeBatch) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => listBatches(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    // ---- public: employees with a one-time code, anyone with a 查询码 -------------------------

    const PublicOrg = z.object({ id: z.string(), name: z.string() });
    app.get(
      '/public/voice/orgs/:id',
      {
        schema: { tags, summary: '党组织的职工参与链接（无需登录）', ...byId, response: { 200: PublicOrg } },
        config: { access: PUBLIC },
      },
      async (req) => {
        const o = await publicOrg(db, req.params.id);
        return { id: o.id, name: o.name };
      },
    );

    app.post(
      '/public/voice/code',
      {
        schema: {
          tags,
          summary: '查看参与码可以做什么（不消耗参与码；无需登录）',
          body: z.strictObject({ orgId: Uuid, code: z.string().trim().min(1, '请输入参与码').max(40) }),
          response: { 200: CodeInfo },
        },
        config: { access: PUBLIC },
      },
      async (req) => codeInfo(db, req.body.orgId, req.body.code),
    );

    app.post(
      '/public/voice/opinions',
      {
        schema: {
          tags,
          summary: '职工凭参与码提交意见建议（参与码随即作废；返回查询码；无需登录）',
          body: PublicOpinionInput,
          response: { 201: OpinionReceipt },
        },
        config: { access: PUBLIC },
      },
      async (req, reply) => {
        const { code, ...input } = req.body;
        const receipt = await db.transaction(async (tx) => {
          const target = await useCode(tx, input.orgId, code, 'opinion');
          return submitCodeOpinion(tx, fc, target.tenantId, target, input);
        });
        return reply.status(201).send(receipt);
      },
    );

    app.post(
      '/public/voice/surveys/:id/responses',
      {
        schema: {
          tags,
          summary: '职工凭参与码提交问卷或测评（参与码随即作废；无需登录）',
          ...byId,
          body: PublicResponseInput.extend({ orgId: Uuid }),
          response: { 201: Ok },
        },
        config: { access: PUBLIC },
      },
      async (req, reply) => {
        await db.transaction(async (tx) => {
          const target = await useCode(tx, req.body.orgId, req.body.code, 'survey', req.params.id);
          await respondWithCode(tx, target, req.params.id, req.body.answers);
        });
        return reply.status(201).send(ok);
      },
    );

    const Receipt = z.strictObject({ receipt: z.string().trim().min(1, '请输入查询码').max(40) });
    app.post(
      '/public/voice/receipt',
      {
        schema: {
          tags,
          summary: '凭查询码查看意见建议的办理和答复（无需登录）',
          body: Receipt,
          response: { 200: OpinionDetail },
        },
        config: { access: PUBLIC },
      },
      async (req) => opinionByReceipt(db, req.body.receipt),
    );

    app.post(
      '/public/voice/receipt/files/:id',
      {
        schema: { tags, summary: '凭查询码下载答复附件（无需登录；答复后可下载）', ...byId, body: Receipt },
        config: { access: PUBLIC },
      },
      async (req, reply) => sendStored(reply, await answerFileByReceipt(db, req.body.receipt, req.params.id)),
    );

    app.post(
      '/public/voice/receipt/withdraw',
      {
        schema: {
          tags,
          summary: '凭查询码撤回意见建议（无需登录；答复前）',
          body: Receipt,
          response: { 200: OpinionDetail },
        },
        config: { access: PUBLIC },
      },
      async (req) => {
        await withdrawByReceipt(db, req.body.receipt);
        return opinionByReceipt(db, req.body.receipt);
      },
    );

    app.post(
      '/public/voice/receipt/rate',
      {
        schema: {
          tags,
          summary: '凭查询码评价答复（无需登录）',
          body: Receipt.extend(RatingInput.shape),
          response: { 200: OpinionDetail },
        },
        config: { access: PUBLIC },
      },
      async (req) => {
        const { receipt, ...rating } = req.body;
        await rateByReceipt(db, receipt, rating);
        return opinionByReceipt(db, receipt);
      },
    );
  };
