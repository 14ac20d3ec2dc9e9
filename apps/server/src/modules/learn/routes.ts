/**
 * 学习教育 routes. Records addressed by id have their own first path segment (learn-items,
 * learn-exams, learn-questions, learn-attempts): reading resolves through the caller's line
 * (content published above them), editing through the record's own org, and an attempt through
 * the learner's org with the service admitting only the learner and readers of that org.
 */
import {
  AnswersBody,
  Attempt,
  BankCount,
  BehindRow,
  Completion,
  RemindReply,
  Exam,
  ExamInput,
  ExamResultRow,
  ItemBrief,
  ItemDetail,
  ItemInput,
  ItemPatch,
  LEARN_KINDS,
  LearnFile,
  LearnRecord,
  LearnSettings,
  LearnTodo,
  Lesson,
  LessonInput,
  LessonOrder,
  LessonPage,
  LessonPatch,
  LessonProgressReply,
  MAX_LESSONS,
  MyPoints,
  OfflineBody,
  OfflineReply,
  Page,
  Paging,
  Participation,
  ParticipationMembers,
  ParticipationMembersQuery,
  PracticeSetting,
  PracticeSettingBody,
  ProgressBody,
  ProgressReply,
  Question,
  QuestionEdit,
  QuestionInput,
  Ranking,
  RankingSetting,
  RECORD_KEEPERS,
  RECORD_READERS,
  SearchHit,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActingScope } from '../../platform/access';
import { unprocessable } from '../../platform/errors';
import { contentDisposition, fileStore, MAX_FILE_BYTES, MAX_VIDEO_BYTES, readUpload } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { memberStats, orgOfMember } from '../member/service';
import { detectFfmpeg, NO_RENDITION, RENDER_JOB, setRenderJob } from './media';
import { importQuestions, questionTemplate } from './bankimport';
import { participationMembers } from './participation';
import { behind, completion, completionWorkbook, remindBehind, type What } from './completion';
import {
  addLesson,
  listLessons,
  orderLessons,
  reportItemProgress,
  reportLessonProgress,
  updateLesson,
} from './lessons';
import {
  bankCounts,
  createExam,
  createItem,
  createQuestion,
  examResults,
  getAttempt,
  getExam,
  getItem,
  getPracticeSetting,
  getRankingSetting,
  getSettings,
  insertFile,
  listExams,
  listItems,
  listQuestions,
  loadFile,
  memberLearning,
  myPoints,
  myRecords,
  myTodo,
  orgOfAttempt,
  orgOfExam,
  orgOfItem,
  orgOfQuestion,
  ownerOrgOfItem,
  participation,
  putPracticeSetting,
  putRankingSetting,
  putSettings,
  ranking,
  registerOffline,
  retireQuestion,
  updateQuestion,
  search,
  startDaily,
  startExam,
  submitAttempt,
  updateItem,
} from './service';

const tags = ['learn'];
const itemRead = recordOrg(orgOfItem);
const itemEdit = recordOrg(ownerOrgOfItem);
const examRead = recordOrg(orgOfExam);
const attemptTarget = recordOrg(orgOfAttempt);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const learnRoutes =
  ({ db, config, jobs }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const store = fileStore(() => config.dataDir, config.s3);
    // 手机版和封面 of uploaded videos, when the server has ffmpeg (found once, here at start-up).
    const ffmpeg = detectFfmpeg(config.ffmpeg);

    app.get(
      '/learn/search',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '搜索学习内容（中文词语或拼音首字母；多个词用空格分开，按相关度排序）',
        querystring: Paging.extend({
          q: z.string().trim().min(1, '请输入搜索词').max(50, '搜索词不能超过 50 字'),
          kind: z.enum(LEARN_KINDS, '类型须为 course、video、article 或 book').optional(),
        }),
        response: { 200: Page(SearchHit) },
      }),
      async (req) => search(db, scopeOf(req), req.query.q, req.query.kind, req.query.page, req.query.pageSize),
    );

    app.get(
      '/learn/items',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '学习内容列表（本组织及上级发布的；管理员另见下级发布的和草稿）',
        querystring: Paging.extend({
          kind: z.enum(LEARN_KINDS, '类型须为 course、video、article 或 book').optional(),
          required: z.stringbool().optional(),
        }),
        response: { 200: Page(ItemBrief) },
      }),
      async (req) => {
        const { page, pageSize, ...f } = req.query;
        return listItems(db, scopeOf(req), f, page, pageSize);
      },
    );

    app.post(
      '/learn/items',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '发布学习内容（课程、微视频、党建百科、电子书）',
        body: ItemInput,
        response: { 201: ItemDetail },
      }),
      async (req, reply) => reply.status(201).send(await createItem(db, scopeOf(req), req.body)),
    );

    app.get(
      '/learn-items/:id',
      onRecord({
        access: { roles: 'any', target: itemRead },
        tags,
        summary: '学习内容详情（含本人学习进度）',
        response: { 200: ItemDetail },
      }),
      async (req) => ({ ...(await getItem(db, scopeOf(req), req.params.id)), transcoder: ffmpeg !== null }),
    );

    app.patch(
      '/learn-items/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: itemEdit },
        tags,
        summary: '修改、发布、下架学习内容（发布组织的管理员）',
        body: ItemPatch,
        response: { 200: ItemDetail },
      }),
      async (req) => updateItem(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/learn-items/:id/files',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: itemEdit },
        tags,
        summary: `上传视频（MP4/WebM）或课程的音频（MP3/M4A/OGG/WAV），不超过 ${MAX_VIDEO_BYTES / 1024 / 1024} MB；封面图片或电子书、课时文档（PDF 等），不超过 ${MAX_FILE_BYTES / 1024 / 1024} MB；multipart 字段 file`,
        querystring: z.object({
          role: z.enum(['video', 'audio', 'cover', 'document'], '文件用途须为 video、audio、cover 或 document'),
        }),
        consumes: ['multipart/form-data'],
        response: { 201: LearnFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const item = await getItem(db, scope, req.params.id);
        const role = req.query.role;
        if (role === 'video' && item.kind !== 'video' && item.kind !== 'course')
          throw unprocessable('只有课程和微视频可以上传视频', undefined, 'VIDEO_NOT_ALLOWED');
        if (role === 'audio' && item.kind !== 'course')
          throw unprocessable('只有课程的课时可以上传音频', undefined, 'AUDIO_NOT_ALLOWED');
        const media = role === 'video' || role === 'audio';
        const view = await store.upload(
          req,
          media ? role : role === 'cover' ? 'photo' : 'attachment',
          'learn',
          scope.tenantId,
          (file) => insertFile(db, scope, item.id, { ...file, role, uploadedBy: scope.actor.username }),
          { maxBytes: media ? MAX_VIDEO_BYTES : MAX_FILE_BYTES },
        );
        if (role !== 'video') return reply.status(201).send(view);
        // A video: its phone rendition and poster are made in the background when the server has ffmpeg.
        if (!ffmpeg) return reply.status(201).send({ ...view, media: { ...NO_RENDITION, state: 'original' as const } });
        const jobId = await jobs.enqueue({
          tenantId: scope.tenantId,
          kind: RENDER_JOB,
          payload: { fileId: view.id, itemId: item.id },
          createdBy: scope.principal.user.id,
          dedupeKey: `${RENDER_JOB}:${view.id}`,
        });
        await setRenderJob(db, view.id, jobId);
        return reply.status(201).send({ ...view, media: { ...NO_RENDITION, state: 'queued' as const } });
      },
    );

    app.get(
      '/learn-items/:id/files/:fileId',
      declared({
        access: { roles: 'any', target: itemRead },
        tags,
        summary: '播放或下载学习内容的文件（视频支持 Range 分段）',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => {
        const f = await loadFile(db, scopeOf(req), req.params.id, req.params.fileId);
        return store.serve(
          req,
          reply,
          f,
          contentDisposition(f.fileName, f.role !== 'document' || f.mime === 'application/pdf'),
        );
      },
    );

    app.post(
      '/learn-items/:id/progress',
      onRecord({
        access: { roles: 'any', target: itemRead },
        tags,
        summary: '上报学习进度（观看或阅读的秒数；按实际经过的时间累计，达到要求即完成）',
        body: ProgressBody,
        response: { 200: ProgressReply },
      }),
      async (req) => reportItemProgress(db, scopeOf(req), req.params.id, req.body),
    );

    // 课时: read like the course (through the caller's line), edited by the keepers of the course's own org.
    const byLesson = { params: z.object({ id: Uuid, lessonId: Uuid }) };
    app.get(
      '/learn-items/:id/lessons',
      onRecord({
        access: { roles: 'any', target: itemRead },
        tags,
        summary: '课程的课时（按顺序，含本人每个课时的学习进度；管理员可含已停用的）',
        querystring: Paging.extend({ includeRetired: z.stringbool().default(false) }),
        response: { 200: LessonPage },
      }),
      async (req) =>
        listLessons(db, scopeOf(req), req.params.id, req.query.includeRetired, req.query.page, req.query.pageSize),
    );

    app.post(
      '/learn-items/:id/lessons',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: itemEdit },
        tags,
        summary: `添加课时（图文、PDF、音频或视频；文件先上传到课程；每门课程最多 ${MAX_LESSONS} 个）`,
        body: LessonInput,
        response: { 201: Lesson },
      }),
      async (req, reply) => reply.status(201).send(await addLesson(db, scopeOf(req), req.params.id, req.body)),
    );

    app.put(
      '/learn-items/:id/lessons/order',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: itemEdit },
        tags,
        summary: '调整课时顺序（列出全部未停用的课时）',
        body: LessonOrder,
        response: { 200: LessonPage },
      }),
      async (req) => orderLessons(db, scopeOf(req), req.params.id, req.body.lessonIds),
    );

    app.patch(
      '/learn-items/:id/lessons/:lessonId',
      declared({
        access: { roles: RECORD_KEEPERS, target: itemEdit },
        tags,
        summary: '修改、停用或恢复课时（停用的课时保留学习记录，不再计入课程）',
        ...byLesson,
        body: LessonPatch,
        response: { 200: Lesson },
      }),
      async (req) => updateLesson(db, scopeOf(req), req.params.id, req.params.lessonId, req.body),
    );

    app.post(
      '/learn-items/:id/lessons/:lessonId/progress',
      declared({
        access: { roles: 'any', target: itemRead },
        tags,
        summary: '上报本人一个课时的学习进度（按实际经过的时间累计；课时都学完即学完课程）',
        ...byLesson,
        body: ProgressBody,
        response: { 200: LessonProgressReply },
      }),
      async (req) => reportLessonProgress(db, scopeOf(req), req.params.id, req.params.lessonId, req.body),
    );

    app.post(
      '/learn-items/:id/offline',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: itemRead },
        tags,
        summary: '登记入党积极分子、发展对象的线下学习（面向入党积极分子的必修内容；本组织的书记、管理员）',
        body: OfflineBody,
        response: { 200: OfflineReply },
      }),
      async (req) => registerOffline(db, scopeOf(req), req.params.id, req.body.personIds),
    );

    app.get(
      '/learn/me/records',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的学习记录',
        querystring: Paging,
        response: { 200: Page(LearnRecord) },
      }),
      async (req) => myRecords(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/learn/me/points',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的学习积分（只看本人；不排名）',
        response: { 200: MyPoints },
      }),
      async (req) => myPoints(db, scopeOf(req)),
    );

    app.get(
      '/learn/me/todo',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的必修待办：未学完的必修内容和未通过的必考考试',
        response: { 200: Page(LearnTodo) },
      }),
      async (req) => myTodo(db, scopeOf(req)),
    );

    app.get(
      '/learn/questions',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '题库（本组织、上级和下级的题目）',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          q: z.string().trim().max(50).optional(),
          includeRetired: z.stringbool().default(false),
        }),
        response: { 200: Page(Question) },
      }),
      async (req) =>
        listQuestions(db, scopeOf(req), req.query.q, req.query.includeRetired, req.query.page, req.query.pageSize),
    );

    app.get(
      '/learn/questions/counts',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '题库中可供随机抽题的题目数（本组织及上级的题目，按分类和题型）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: z.object({ items: z.array(BankCount), total: z.number() }) },
      }),
      async (req) => {
        const scope = scopeOf(req);
        const items = await bankCounts(db, scope.tenantId, scope.org);
        return { items, total: items.length };
      },
    );

    app.post(
      '/learn/questions',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新增题目（单选、多选、判断）',
        body: QuestionInput,
        response: { 201: Question },
      }),
      async (req, reply) => reply.status(201).send(await createQuestion(db, scopeOf(req), req.body)),
    );

    app.get(
      '/learn/questions/import-template',
      declared({ access: { roles: RECORD_KEEPERS }, tags, summary: '题目导入模板（.xlsx）' }),
      async (_req, reply) =>
        reply
          .header('content-type', XLSX)
          .header('content-disposition', contentDisposition('题目导入模板.xlsx'))
          .send(await questionTemplate()),
    );

    app.post(
      '/learn/questions/import',
      declared({
        access: { roles: RECORD_KEEPERS, target: optionalOrg },
        tags,
        summary: '从 Excel 导入题目到本组织题库（全部成功或全部不导入；题干重复的列出）',
        querystring: z.object({ orgId: Uuid.optional(), async: z.stringbool().default(false) }),
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ imported: z.number() }), 202: z.object({ jobId: z.string() }) },
      }),
      async (req, reply) => {
        const { data: buffer, fileName } = await readUpload(req, 10 * 1024 * 1024);
        const scope = scopeOf(req);
        if (!req.query.async) return importQuestions(db, scope, buffer, fileName);
        // With async=true the answer is a job to poll at /api/v1/jobs/:id (the web shows its progress).
        const acting: ActingScope = { tenantId: scope.tenantId, org: scope.org, actor: scope.actor };
        const jobId = await jobs.enqueue({
          tenantId: scope.tenantId,
          kind: 'learn.question.import',
          payload: { scope: acting, fileName },
          input: buffer,
          createdBy: scope.principal.user.id,
        });
        return reply.status(202).send({ jobId });
      },
    );

    app.patch(
      '/learn-questions/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfQuestion) },
        tags,
        summary: '修改题目（与新增同样的校验；已有人作答的题目只能改解析、出处、分类和难度）',
        body: QuestionEdit,
        response: { 200: Question },
      }),
      async (req) => updateQuestion(db, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/learn-questions/:id/retire',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfQuestion) },
        tags,
        summary: '停用题目（保留，已作答的记录不受影响）',
        response: { 200: Question },
      }),
      async (req) => retireQuestion(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/learn/exams',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '考试列表（本组织及上级发布的；管理员另见下级的），含本人成绩',
        querystring: Paging,
        response: { 200: Page(Exam) },
      }),
      async (req) => listExams(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.post(
      '/learn/exams',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '发布考试（从题库选题）',
        body: ExamInput,
        response: { 201: Exam },
      }),
      async (req, reply) => reply.status(201).send(await createExam(db, scopeOf(req), req.body)),
    );

    app.get(
      '/learn-exams/:id',
      onRecord({
        access: { roles: 'any', target: examRead },
        tags,
        summary: '考试详情（含本人成绩）',
        response: { 200: Exam },
      }),
      async (req) => getExam(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/learn-exams/:id/attempts',
      onRecord({
        access: { roles: 'any', target: examRead },
        tags,
        summary: '开始考试（作答中的一次会继续）',
        response: { 200: Attempt },
      }),
      async (req) => startExam(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/learn-exams/:id/results',
      onRecord({
        access: { roles: RECORD_READERS, target: examRead },
        tags,
        summary: '考试成绩（本组织及下级党员的作答）',
        querystring: Paging,
        response: { 200: Page(ExamResultRow) },
      }),
      async (req) => examResults(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.post(
      '/learn/daily',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '每日一练：今天的题目（同一天内不变）',
        response: { 200: Attempt },
      }),
      async (req) => startDaily(db, scopeOf(req)),
    );

    app.get(
      '/learn-attempts/:id',
      onRecord({
        access: { roles: 'any', target: attemptTarget },
        tags,
        summary: '一次作答（本人，或学员所在组织的管理员）',
        response: { 200: Attempt },
      }),
      async (req) => getAttempt(db, scopeOf(req), req.params.id),
    );

    app.post(
      '/learn-attempts/:id/submit',
      onRecord({
        access: { roles: 'any', target: attemptTarget },
        tags,
        summary: '交卷（只能本人，一次）',
        body: AnswersBody,
        response: { 200: Attempt },
      }),
      async (req) => submitAttempt(db, scopeOf(req), req.params.id, req.body.answers),
    );

    app.get(
      '/learn/participation',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '学习参与率（本组织及下级，本月）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: Participation },
      }),
      async (req) => {
        const scope = scopeOf(req);
        return participation(db, scope, (await memberStats(db, scope)).total);
      },
    );

    // The members behind 学习参与率 (learn/participation.ts): who of the subtree learned this month, or did not.
    app.get(
      '/learn/participation/members',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '学习参与率的名单：本组织及下级在册党员本月是否参加学习（learned=yes|no 筛选）',
        querystring: ParticipationMembersQuery,
        response: { 200: ParticipationMembers },
      }),
      async (req) => participationMembers(db, scopeOf(req), req.query),
    );

    // 组织部门的学习完成情况: reached like reading the item (through the caller's line), readers only; `orgId`
    // narrows to a lower org of the caller's (checked in completion.ts).
    const views: [What, string, string, typeof itemRead][] = [
      ['item', 'learn-items', '学习内容', itemRead],
      ['exam', 'learn-exams', '考试', examRead],
    ];
    for (const [what, segment, label, target] of views) {
      const done = what === 'item' ? '完成' : '通过';
      app.get(
        `/${segment}/:id/completion`,
        onRecord({
          access: { roles: RECORD_READERS, target },
          tags,
          summary: `${label}的${done}情况：本组织及各直属下级组织的应${what === 'item' ? '学' : '考'}人数、已${done}人数和${done}率`,
          querystring: Paging.extend({ orgId: Uuid.optional() }),
          response: { 200: Completion },
        }),
        async (req) =>
          completion(db, scopeOf(req), what, req.params.id, req.query.orgId, req.query.page, req.query.pageSize),
      );
      app.get(
        `/${segment}/:id/behind`,
        onRecord({
          access: { roles: RECORD_READERS, target },
          tags,
          summary: `${label}未${done}的党员名单（本组织及下级，按组织排序）`,
          querystring: Paging.extend({ orgId: Uuid.optional() }),
          response: { 200: Page(BehindRow) },
        }),
        async (req) =>
          behind(db, scopeOf(req), what, req.params.id, req.query.orgId, req.query.page, req.query.pageSize),
      );
      app.post(
        `/${segment}/:id/remind`,
        onRecord({
          access: { roles: RECORD_KEEPERS, target },
          tags,
          summary: `提醒未${done}的党员（站内通知，每人每天至多一次；仅必修、必考）`,
          querystring: z.object({ orgId: Uuid.optional() }),
          response: { 200: RemindReply },
        }),
        async (req) => remindBehind(db, scopeOf(req), what, req.params.id, req.query.orgId),
      );
      app.post(
        `/${segment}/:id/completion/export`,
        onRecord({
          access: { roles: RECORD_READERS, target },
          tags,
          summary: `导出${label}的${done}情况和未${done}名单（Excel，留痕）`,
          querystring: z.object({ orgId: Uuid.optional() }),
        }),
        async (req, reply) => {
          const file = await completionWorkbook(db, scopeOf(req), what, req.params.id, req.query.orgId);
          return reply
            .header('content-type', XLSX)
            .header('content-disposition', contentDisposition(`${label}完成情况.xlsx`))
            .send(file);
        },
      );
    }

    app.get(
      '/learn/settings',
      declared({ access: { roles: 'any' }, tags, summary: '学习积分设置', response: { 200: LearnSettings } }),
      async (req) => getSettings(db, scopeOf(req).tenantId),
    );

    app.put(
      '/learn/settings',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '开启或关闭学习积分（系统管理员）',
        body: LearnSettings,
        response: { 200: LearnSettings },
      }),
      async (req) => putSettings(db, scopeOf(req), req.body),
    );

    app.get(
      '/learn/ranking',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '本支部学习积分排行（默认关闭；党支部开启后仅本支部党员可见，不向其他支部公开）',
        querystring: Paging,
        response: { 200: Ranking },
      }),
      async (req) => ranking(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/learn/practice-setting',
      declared({
        access: { roles: 'any', target: optionalOrg },
        tags,
        summary: '每日一练的题目范围：本组织选定的分类，以及本组织党员实际抽题的分类（最近的上级选定）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: PracticeSetting },
      }),
      async (req) => getPracticeSetting(db, scopeOf(req)),
    );

    app.put(
      '/learn/practice-setting',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '书记、组织管理员为本组织及下级选定每日一练的分类（null 为清除，按上级）',
        body: PracticeSettingBody,
        response: { 200: PracticeSetting },
      }),
      async (req) => putPracticeSetting(db, scopeOf(req), req.body.categories),
    );

    app.get(
      '/learn/ranking-setting',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '本支部是否开启学习积分排行',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: {
          200: RankingSetting.extend({ pointsEnabled: z.boolean(), isBranch: z.boolean(), note: z.string() }),
        },
      }),
      async (req) => getRankingSetting(db, scopeOf(req)),
    );

    app.put(
      '/learn/ranking-setting',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '党支部开启或关闭本支部的学习积分排行（默认关闭）',
        body: RankingSetting.extend({ orgId: Uuid }).strict(),
        response: {
          200: RankingSetting.extend({ pointsEnabled: z.boolean(), isBranch: z.boolean(), note: z.string() }),
        },
      }),
      async (req) => putRankingSetting(db, scopeOf(req), { rankingEnabled: req.body.rankingEnabled }),
    );

    app.get(
      '/members/:id/learning',
      onRecord({
        access: { roles: RECORD_READERS, target: recordOrg(orgOfMember) },
        tags,
        summary: '党员的学习记录和作答（所在组织的管理员）',
      }),
      async (req) => memberLearning(db, scopeOf(req).tenantId, req.params.id),
    );
  };
