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
import { contentDisposition, fileStore } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
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
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An Excel workbook as a download named `name`. */
const sendWorkbook = (reply: FastifyReply, name: string, data: Buffer) =>
  reply.header('content-type', XLSX).header('content-disposition', contentDisposition(name)).send(data);

const opinionTarget = recordOrg(orgOfOpinion);
const letterTarget = recordOrg(orgOfLetter);
const threadTarget = recordOrg(orgOfThread);
const postTarget = recordOrg(orgOfPost);
const attachmentTarget = recordOrg(orgOfAttachment);
const surveyTarget = recordOrg(orgOfSurvey);
const voteTarget = recordOrg(orgOfVote);

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
    // ---- 意见建议 -------------------------------------------------------------------

    app.get(
      '/voice/opinion-targets',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我可以提交意见建议的党组织（本人所在组织及其上级）和各自的匿名方式',
        response: { 200: z.object({ items: z.array(OpinionTarget) }) },
      }),
      async (req) => ({ items: await opinionTargets(db, scopeOf(req).principal) }),
    );

    app.post(
      '/voice/opinions',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '提交意见建议（可匿名；匿名时返回一次性显示的查询码）',
        body: OpinionInput,
        response: { 201: OpinionReceipt },
      }),
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
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '意见建议办理台（组织及下级）',
        querystring: OpinionFilter,
        response: { 200: Page(Opinion) },
      }),
      async (req) => {
        const { page, pageSize, orgId: _o, ...f } = req.query;
        return listOpinions(db, scopeOf(req), f, page, pageSize);
      },
    );

    app.get(
      '/voice/opinions/export',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '导出意见建议（Excel；匿名者显示为「匿名」）',
        querystring: OpinionFilter.omit({ page: true, pageSize: true }),
      }),
      async (req, reply) => {
        const { orgId: _o, ...f } = req.query;
        const data = await exportOpinions(rdb, scopeOf(req), f);
        return sendWorkbook(reply, `意见建议-${todayInChina()}.xlsx`, data);
      },
    );

    app.get(
      '/voice/opinions/mine',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我实名提交的意见建议',
        querystring: Paging,
        response: { 200: Page(Opinion) },
      }),
      async (req) => myOpinions(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/board',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '公开答复栏：提交人同意公开并已答复的意见建议（不显示提交人）',
        querystring: Paging,
        response: { 200: Page(Opinion) },
      }),
      async (req) => board(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/handlers',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'query', key: 'orgId' } },
        tags,
        summary: '可以承办某党组织意见建议的人（覆盖该组织的管理员和书记）',
        querystring: z.object({ orgId: Uuid }),
        response: { 200: z.object({ items: z.array(z.object({ userId: z.string(), name: z.string() })) }) },
      }),
      async (req) => ({ items: await handlers(db, scopeOf(req).tenantId, scopeOf(req).org) }),
    );

    app.get(
      '/voice-opinions/:id',
      onRecord({
        access: { roles: 'any', target: opinionTarget },
        tags,
        summary: '意见建议详情与办理经过',
        response: { 200: OpinionDetail },
      }),
      async (req) => getOpinion(db, fc, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-opinions/:id/assign',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: opinionTarget },
        tags,
        summary: '交办给承办人',
        body: z.strictObject({ userId: Uuid, note: z.string().trim().max(500).optional() }),
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await assignOpinion(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/transfer',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: opinionTarget },
        tags,
        summary: '转办到本人管辖的另一个党组织',
        body: z.strictObject({ orgId: Uuid, note: z.string().trim().max(500).optional() }),
        response: { 200: Ok },
      }),
      async (req) => {
        await transferOpinion(db, scopeOf(req), req.params.id, req.body);
        return ok;
      },
    );

    app.post(
      '/voice-opinions/:id/answer',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: opinionTarget },
        tags,
        summary: '答复（提交人同意公开时可同时公开到公开答复栏）',
        body: z.strictObject({
          answer: z.string().trim().min(2, '请填写答复内容').max(5000, '答复不能超过 5000 字'),
          publish: z.boolean().optional(),
        }),
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await answerOpinion(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/publish',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: opinionTarget },
        tags,
        summary: '公开或撤回公开答复',
        body: z.strictObject({ published: z.boolean() }),
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await publishOpinion(db, scopeOf(req), req.params.id, req.body.published);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/close',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: opinionTarget },
        tags,
        summary: '办结（已答复的）',
        body: Note,
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await closeOpinion(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/withdraw',
      onRecord({
        access: { roles: 'any', target: opinionTarget },
        tags,
        summary: '提交人撤回自己的意见建议（答复前）',
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await withdrawMine(db, scopeOf(req), req.params.id);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/rate',
      onRecord({
        access: { roles: 'any', target: opinionTarget },
        tags,
        summary: '提交人评价答复（1–5），评价后办结',
        body: RatingInput,
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await rateMine(db, scopeOf(req), req.params.id, req.body);
        return getOpinion(db, fc, scopeOf(req), req.params.id);
      },
    );

    app.post(
      '/voice-opinions/:id/identity',
      onRecord({
        access: { roles: AUDITORS, target: opinionTarget },
        tags,
        summary: '审计员按事由查阅匿名意见建议的封存身份（每次查阅记入审计日志）',
        body: z.strictObject({ reason: z.string().trim().min(5, '请写明查阅事由（至少 5 个字）').max(200) }),
        response: { 200: z.object({ name: z.string(), username: z.string().nullable(), reason: z.string() }) },
      }),
      async (req) => revealIdentity(db, fc, scopeOf(req), req.params.id, req.body.reason),
    );

    app.get(
      '/voice/settings',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '意见建议设置（匿名方式、答复期限；未设置时沿用上级或默认）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: VoiceSettings },
      }),
      async (req) => settingsFor(db, scopeOf(req).tenantId, scopeOf(req).org),
    );

    app.put(
      '/voice/settings',
      declared({
        access: { roles: ORG_ADMINS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '设置本组织的匿名方式和答复期限',
        body: VoiceSettingsInput,
        response: { 200: VoiceSettings },
      }),
      async (req) => putSettings(db, scopeOf(req), { anonymity: req.body.anonymity, answerDays: req.body.answerDays }),
    );

    app.get(
      '/voice/overview',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '互动概况：待办和逾期的意见建议、答复满意度、最近一次满意度/下考上得分',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: VoiceOverview },
      }),
      async (req) => voiceOverview(db, scopeOf(req).tenantId, scopeOf(req).org),
    );

    app.get(
      '/voice/rating-up',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '下考上测评结果（已结束的，组织及下级；供考核使用）',
        querystring: z.object({
          orgId: Uuid.optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
        }),
        response: { 200: z.object({ items: z.array(RatingUpResult) }) },
      }),
      async (req) => ({
        items: await ratingUpResults(db, scopeOf(req).tenantId, scopeOf(req).org.path, { year: req.query.year }),
      }),
    );

    // ---- 党务信箱 -------------------------------------------------------------------

    app.get(
      '/voice/letter-targets',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我可以写信的收信人（本人所在组织及其上级的书记、纪检委员）',
        response: { 200: z.object({ items: z.array(LetterTarget) }) },
      }),
      async (req) => ({ items: await letterTargets(db, scopeOf(req)) }),
    );

    app.post(
      '/voice/letters',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '给书记或纪检委员写信（只有收信人能看到内容）',
        body: LetterInput,
        response: { 201: LetterDetail },
      }),
      async (req, reply) => reply.status(201).send(await sendLetter(db, fc, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/letters/sent',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我写的信',
        querystring: Paging,
        response: { 200: Page(Letter) },
      }),
      async (req) => sentLetters(db, fc, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/letters/inbox',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '写给我（作为书记或纪检委员）的信',
        querystring: Paging.extend({ status: z.enum(LETTER_STATUSES).optional() }),
        response: { 200: Page(Letter).extend({ unread: z.number() }) },
      }),
      async (req) => inbox(db, fc, scopeOf(req), req.query.page, req.query.pageSize, req.query.status),
    );

    app.get(
      '/voice-letters/:id',
      onRecord({
        access: { roles: 'any', target: letterTarget },
        tags,
        summary: '信件（仅写信人和收信人）',
        response: { 200: LetterDetail },
      }),
      async (req) => getLetter(db, fc, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-letters/:id/messages',
      onRecord({
        access: { roles: 'any', target: letterTarget },
        tags,
        summary: '回复或补充（仅写信人和收信人）',
        body: MessageInput,
        response: { 200: LetterDetail },
      }),
      async (req) => addMessage(db, fc, scopeOf(req), req.params.id, req.body.body),
    );

    const candidateTarget = recordOrg(orgOfCandidate);
    app.post(
      '/voice-candidates/:id/photo',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: candidateTarget },
        tags,
        summary: '上传或更换候选照片（multipart 字段 file；JPEG、PNG、GIF 或 WebP 图片，不超过 10 MB；投票发布前）',
        consumes: ['multipart/form-data'],
        response: { 200: Candidate },
      }),
      async (req) => {
        const scope = scopeOf(req);
        const c = await checkCandidatePhoto(db, scope, req.params.id);
        const done = await store.upload(req, 'photo', 'voice', scope.tenantId, (file) =>
          setCandidatePhoto(db, scope, c.id, file),
        );
        // The replaced photo's bytes go once the new one is recorded (a failure leaves an orphan file, not a lost photo).
        if (done.replaced) await store.remove(done.replaced).catch(() => {});
        return done.view;
      },
    );

    app.get(
      '/voice-candidates/:id/photo',
      onRecord({ access: { roles: 'any', target: candidateTarget }, tags, summary: '候选照片（能看到该投票的人）' }),
      async (req, reply) => store.send(reply, await candidatePhoto(db, scopeOf(req), req.params.id)),
    );

    app.post(
      '/voice-letter-messages/:id/files',
      onRecord({
        access: { roles: 'any', target: recordOrg(orgOfLetterMessage) },
        tags,
        summary: `为自己写的信或回复添加附件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB，每条最多 ${LETTER_FILE_MAX} 个；办结前；与信件一样加密保存，仅写信人和收信人可下载）`,
        consumes: ['multipart/form-data'],
        response: { 201: LetterFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const at = await checkLetterFile(db, scope, req.params.id);
        const view = await store.upload(
          req,
          'attachment',
          'voice',
          scope.tenantId,
          (file) => insertLetterFile(db, fc, scope, at, file),
          { seal: sealLetterFile(fc) },
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/voice-letter-files/:id',
      onRecord({
        access: { roles: 'any', target: recordOrg(orgOfLetterFile) },
        tags,
        summary: '下载信件附件（仅写信人和收信人）',
      }),
      async (req, reply) => {
        const f = await loadLetterFile(db, fc, scopeOf(req), req.params.id);
        return store.send(reply, f, (sealed) => openLetterFile(fc, f.id, sealed));
      },
    );

    app.post(
      '/voice-letters/:id/close',
      onRecord({
        access: { roles: 'any', target: letterTarget },
        tags,
        summary: '收信人办结信件',
        response: { 200: LetterDetail },
      }),
      async (req) => closeLetter(db, fc, scopeOf(req), req.params.id),
    );

    // ---- 支部在线 -------------------------------------------------------------------

    const forumQuery = { from: 'query' as const, key: 'orgId', lookup: orgOfForum };

    app.get(
      '/voice/forums',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我所在的支部在线（本人支部，党小组成员为其所在支部）',
        response: { 200: z.object({ items: z.array(z.object({ orgId: z.string(), orgName: z.string() })) }) },
      }),
      async (req) => ({ items: await myForums(db, scopeOf(req).principal) }),
    );

    app.get(
      '/voice/threads',
      declared({
        access: { roles: 'any', target: forumQuery },
        tags,
        summary: '支部在线的话题（置顶在前）',
        querystring: Paging.extend({ orgId: Uuid }),
        response: {
          200: Page(ForumThread).extend({
            forum: z.object({ orgId: z.string(), orgName: z.string(), moderator: z.boolean() }),
          }),
        },
      }),
      async (req) => listThreads(db, scopeOf(req), req.query.orgId, req.query.page, req.query.pageSize),
    );

    app.post(
      '/voice/threads',
      declared({
        access: { roles: 'any', target: { from: 'body', key: 'orgId', lookup: orgOfForum } },
        tags,
        summary: '发起话题（可 @ 本支部的人）',
        body: ThreadInput,
        response: { 201: ForumThreadDetail },
      }),
      async (req, reply) => reply.status(201).send(await createThread(db, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/mentionable',
      declared({
        access: { roles: 'any', target: forumQuery },
        tags,
        summary: '本支部可以 @ 的人',
        querystring: z.object({ orgId: Uuid }),
        response: { 200: z.object({ items: z.array(Mentionable) }) },
      }),
      async (req) => ({ items: await mentionableFor(db, scopeOf(req), req.query.orgId) }),
    );

    app.get(
      '/voice-threads/:id',
      onRecord({
        access: { roles: 'any', target: threadTarget },
        tags,
        summary: '话题与回复',
        querystring: Paging,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => getThread(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.post(
      '/voice-threads/:id/posts',
      onRecord({
        access: { roles: 'any', target: threadTarget },
        tags,
        summary: '回复话题',
        body: PostInput,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => addPost(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-threads/:id/moderate',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: threadTarget },
        tags,
        summary: '置顶、锁定或隐藏话题（隐藏须写明原因）',
        body: ThreadModeration,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => moderateThread(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-posts/:id/moderate',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: postTarget },
        tags,
        summary: '隐藏或恢复回复',
        body: PostModeration,
        response: { 200: z.object({ id: z.string(), hidden: z.boolean() }) },
      }),
      async (req) => moderatePost(db, scopeOf(req), req.params.id, req.body),
    );

    app.put(
      '/voice-threads/:id',
      onRecord({
        access: { roles: 'any', target: threadTarget },
        tags,
        summary: `作者修改自己的话题（发出后 ${VOICE_RULES.editMinutes.value} 分钟内；显示「已编辑」，审计日志保留修改前后）`,
        body: ThreadEdit,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => editThread(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-threads/:id/withdraw',
      onRecord({
        access: { roles: 'any', target: threadTarget },
        tags,
        summary: `作者撤回自己的话题（发出后 ${VOICE_RULES.editMinutes.value} 分钟内）`,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => withdrawThread(db, scopeOf(req), req.params.id),
    );

    app.put(
      '/voice-posts/:id',
      onRecord({
        access: { roles: 'any', target: postTarget },
        tags,
        summary: `作者修改自己的回复（发出后 ${VOICE_RULES.editMinutes.value} 分钟内；显示「已编辑」，审计日志保留修改前后）`,
        body: PostEdit,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => editPost(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-posts/:id/withdraw',
      onRecord({
        access: { roles: 'any', target: postTarget },
        tags,
        summary: `作者撤回自己的回复（发出后 ${VOICE_RULES.editMinutes.value} 分钟内）`,
        response: { 200: ForumThreadDetail },
      }),
      async (req) => withdrawPost(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-opinions/:id/files',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: opinionTarget },
        tags,
        summary: `为意见建议的答复上传附件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB，每条最多 ${OPINION_FILE_MAX} 个；办结前）`,
        consumes: ['multipart/form-data'],
        response: { 201: OpinionFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const r = await checkAnswerFile(db, scope, req.params.id);
        const view = await store.upload(req, 'attachment', 'voice', scope.tenantId, (file) =>
          insertAnswerFile(db, scope, r, file),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/voice-opinion-files/:id',
      onRecord({
        access: { roles: 'any', target: recordOrg(orgOfOpinionFile) },
        tags,
        summary: '下载答复附件（能看到该意见建议的人；提交人在答复后）',
      }),
      async (req, reply) => store.send(reply, await loadAnswerFile(db, scopeOf(req), req.params.id)),
    );

    app.post(
      '/voice-threads/:id/attachments',
      onRecord({
        access: { roles: 'any', target: threadTarget },
        tags,
        summary: '为话题上传附件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB，每个话题最多 9 个）',
        consumes: ['multipart/form-data'],
        response: { 201: Attachment },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const { thread, forum } = await checkAttach(db, scope, req.params.id);
        const view = await store.upload(req, 'attachment', 'voice', scope.tenantId, (file) =>
          insertAttachment(db, scope, thread, forum, file),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/voice-attachments/:id',
      onRecord({ access: { roles: 'any', target: attachmentTarget }, tags, summary: '下载话题附件' }),
      async (req, reply) => {
        return store.send(reply, await loadAttachment(db, scopeOf(req), req.params.id));
      },
    );

    // ---- surveys, 满意度测评, 下考上 ----------------------------------------------------

    app.post(
      '/voice/surveys',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新建问卷、满意度测评或下考上测评（草稿）',
        body: SurveyInput,
        response: { 201: Survey },
      }),
      async (req, reply) => reply.status(201).send(await createSurvey(db, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/surveys',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '问卷与测评（组织及下级）',
        querystring: Paging.extend({ orgId: Uuid.optional(), kind: z.enum(SURVEY_KINDS).optional() }),
        response: { 200: Page(Survey) },
      }),
      async (req) => listSurveys(db, scopeOf(req), { kind: req.query.kind }, req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/surveys/open',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '请我参加的问卷与测评（进行中和未开始的）',
        querystring: Paging,
        response: { 200: Page(Survey) },
      }),
      async (req) => openSurveys(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice-surveys/:id',
      onRecord({
        access: { roles: 'any', target: surveyTarget },
        tags,
        summary: '问卷（题目、时间、我是否已答）',
        response: { 200: Survey },
      }),
      async (req) => getSurvey(db, scopeOf(req), req.params.id),
    );

    app.put(
      '/voice-surveys/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: surveyTarget },
        tags,
        summary: '修改问卷草稿（所属党组织不变）',
        body: SurveyEditInput,
        response: { 200: Survey },
      }),
      async (req) => updateSurvey(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/voice-surveys/:id/publish',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: surveyTarget },
        tags,
        summary: '发布问卷（发布后题目不能再改）',
        response: { 200: Survey },
      }),
      async (req) => publishSurvey(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-surveys/:id/close',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: surveyTarget },
        tags,
        summary: '提前结束问卷',
        response: { 200: Survey },
      }),
      async (req) => closeSurvey(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-surveys/:id/responses',
      onRecord({
        access: { roles: 'any', target: surveyTarget },
        tags,
        summary: '提交答卷（每人一次）',
        body: ResponseInput,
        response: { 201: Ok },
      }),
      async (req, reply) => {
        await respond(db, scopeOf(req), req.params.id, req.body.answers);
        return reply.status(201).send(ok);
      },
    );

    app.get(
      '/voice-surveys/:id/results',
      onRecord({
        access: { roles: RECORD_READERS, target: surveyTarget },
        tags,
        summary: '问卷结果（匿名问卷结束后可看）',
        response: { 200: SurveyResults },
      }),
      async (req) => surveyResults(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/voice-surveys/:id/export',
      onRecord({
        access: { roles: RECORD_READERS, target: surveyTarget },
        tags,
        summary: '导出问卷结果和答卷（Excel；匿名问卷不含姓名和时间）',
      }),
      async (req, reply) => {
        const { name, data } = await exportSurvey(rdb, scopeOf(req), req.params.id);
        return sendWorkbook(reply, name, data);
      },
    );

    app.get(
      '/voice-surveys/:id/breakdown',
      onRecord({
        access: { roles: RECORD_READERS, target: surveyTarget },
        tags,
        summary: '问卷结果按支部分列（参与人数、参与率、各题平均分；匿名问卷人数过少的支部不显示得分）',
        querystring: Paging,
        response: { 200: SurveyBreakdown },
      }),
      async (req) => surveyBreakdown(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice-surveys/:id/breakdown/export',
      onRecord({
        access: { roles: RECORD_READERS, target: surveyTarget },
        tags,
        summary: '导出按支部分列的问卷结果（Excel；与页面相同的隐藏规则）',
      }),
      async (req, reply) => {
        const { name, data } = await exportBreakdown(rdb, scopeOf(req), req.params.id);
        return sendWorkbook(reply, name, data);
      },
    );

    // ---- votes ---------------------------------------------------------------------

    app.post(
      '/voice/votes',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新建投票（亮点工程评选、评先评优；草稿）',
        body: VoteCreateInput,
        response: { 201: Vote },
      }),
      async (req, reply) => reply.status(201).send(await createVote(db, scopeOf(req), req.body)),
    );

    app.get(
      '/voice/votes',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '投票（组织及下级）',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: Page(Vote) },
      }),
      async (req) => listVotes(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice/votes/open',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '请我参加的投票（进行中和 30 天内结束的）',
        querystring: Paging,
        response: { 200: Page(Vote) },
      }),
      async (req) => openVotes(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/voice-votes/:id',
      onRecord({
        access: { roles: 'any', target: voteTarget },
        tags,
        summary: '投票与候选介绍',
        response: { 200: Vote },
      }),
      async (req) => getVote(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-votes/:id/publish',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: voteTarget },
        tags,
        summary: '发布投票',
        response: { 200: Vote },
      }),
      async (req) => publishVote(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-votes/:id/close',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: voteTarget },
        tags,
        summary: '提前结束投票',
        response: { 200: Vote },
      }),
      async (req) => closeVote(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/voice-votes/:id/ballots',
      onRecord({
        access: { roles: 'any', target: voteTarget },
        tags,
        summary: '投票（无记名；每人一次）',
        body: BallotInput,
        response: { 201: Vote },
      }),
      async (req, reply) => reply.status(201).send(await castBallot(db, scopeOf(req), req.params.id, req.body.choices)),
    );

    app.get(
      '/voice-votes/:id/results',
      onRecord({
        access: { roles: 'any', target: voteTarget },
        tags,
        summary: '投票结果（按投票设置的公布时机）',
        response: { 200: VoteResults },
      }),
      async (req) => voteResults(db, scopeOf(req), req.params.id),
    );

    // ---- one-time codes -----------------------------------------------------------------

    app.post(
      '/voice/code-batches',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
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
      }),
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
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '本组织的职工参与链接和二维码（张贴用；提交仍需参与码）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: z.object({ url: z.string(), dataUrl: z.string() }) },
      }),
      async (req) => {
        const url = publicLink(req, scopeOf(req).org.id);
        return { url, dataUrl: await qrDataUrl(url, 360) };
      },
    );

    app.get(
      '/voice/code-batches',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '参与码批次与使用情况',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: Page(CodeBatch) },
      }),
      async (req) => listBatches(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    // ---- public: employees with a one-time code, anyone with a 查询码 -------------------------

    const PublicOrg = z.object({ id: z.string(), name: z.string() });
    app.get(
      '/public/voice/orgs/:id',
      onRecord({ access: PUBLIC, tags, summary: '党组织的职工参与链接（无需登录）', response: { 200: PublicOrg } }),
      async (req) => {
        const o = await publicOrg(db, req.params.id);
        return { id: o.id, name: o.name };
      },
    );

    app.post(
      '/public/voice/code',
      declared({
        access: PUBLIC,
        tags,
        summary: '查看参与码可以做什么（不消耗参与码；无需登录）',
        body: z.strictObject({ orgId: Uuid, code: z.string().trim().min(1, '请输入参与码').max(40) }),
        response: { 200: CodeInfo },
      }),
      async (req) => codeInfo(db, req.body.orgId, req.body.code),
    );

    app.post(
      '/public/voice/opinions',
      declared({
        access: PUBLIC,
        tags,
        summary: '职工凭参与码提交意见建议（参与码随即作废；返回查询码；无需登录）',
        body: PublicOpinionInput,
        response: { 201: OpinionReceipt },
      }),
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
      onRecord({
        access: PUBLIC,
        tags,
        summary: '职工凭参与码提交问卷或测评（参与码随即作废；无需登录）',
        body: PublicResponseInput.extend({ orgId: Uuid }),
        response: { 201: Ok },
      }),
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
      declared({
        access: PUBLIC,
        tags,
        summary: '凭查询码查看意见建议的办理和答复（无需登录）',
        body: Receipt,
        response: { 200: OpinionDetail },
      }),
      async (req) => opinionByReceipt(db, req.body.receipt),
    );

    app.post(
      '/public/voice/receipt/files/:id',
      onRecord({ access: PUBLIC, tags, summary: '凭查询码下载答复附件（无需登录；答复后可下载）', body: Receipt }),
      async (req, reply) => store.send(reply, await answerFileByReceipt(db, req.body.receipt, req.params.id)),
    );

    app.post(
      '/public/voice/receipt/withdraw',
      declared({
        access: PUBLIC,
        tags,
        summary: '凭查询码撤回意见建议（无需登录；答复前）',
        body: Receipt,
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        await withdrawByReceipt(db, req.body.receipt);
        return opinionByReceipt(db, req.body.receipt);
      },
    );

    app.post(
      '/public/voice/receipt/rate',
      declared({
        access: PUBLIC,
        tags,
        summary: '凭查询码评价答复（无需登录）',
        body: Receipt.extend(RatingInput.shape),
        response: { 200: OpinionDetail },
      }),
      async (req) => {
        const { receipt, ...rating } = req.body;
        await rateByReceipt(db, receipt, rating);
        return opinionByReceipt(db, receipt);
      },
    );
  };
