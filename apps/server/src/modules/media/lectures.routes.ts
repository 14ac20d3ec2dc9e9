/**
 * 网上课堂/讲座 routes (lectures.ts says who may do what). Lectures addressed by id sit under
 * /media-lectures/:id, questions under /media-lecture-questions/:id; each route's `config.access` names the
 * org the platform's one scope check tests: the caller's own org on the line for watching a published
 * lecture, the hosting org for editing and moderating.
 */
import {
  JoinReply,
  LectureInput,
  LecturePatch,
  LectureView,
  MediaFile,
  Page,
  Paging,
  LectureQuestionDecision,
  LectureQuestionInput,
  LectureQuestion,
  RECORD_KEEPERS,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { contentDisposition, MAX_VIDEO_BYTES, type FileStore } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import {
  askQuestion,
  createLecture,
  decideQuestion,
  getLecture,
  hostOrgOfLecture,
  hostOrgOfQuestion,
  joinLecture,
  lectureVideo,
  listLectures,
  listQuestions,
  orgOfLecture,
  publishLecture,
  setLectureVideo,
  updateLecture,
} from './lectures';
import { LectureHub } from './lectures-stream';

const tags = ['media'];
const watch = recordOrg(orgOfLecture);
const host = recordOrg(hostOrgOfLecture);
const moderate = recordOrg(hostOrgOfQuestion);

/** Registered by mediaRoutes (one plugin per module). */
export function lectureRoutes(
  r: Parameters<FastifyPluginAsyncZod>[0],
  { db, sessionPolicy }: Services,
  store: FileStore,
) {
  const hub = new LectureHub(db, sessionPolicy);
  // Open rooms would hold the server open: end them before it closes.
  r.addHook('preClose', async () => hub.close());

  r.get(
    '/media/lectures',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '网上课堂：讲座列表（本组织及上级举办的；进行中和即将开始的在前）',
      querystring: Paging,
      response: { 200: Page(LectureView) },
    }),
    async (req) => listLectures(db, scopeOf(req), req.query.page, req.query.pageSize),
  );
  r.post(
    '/media/lectures',
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
      tags,
      summary: '新建讲座（草稿；主办组织的书记和管理员）',
      body: LectureInput,
      response: { 201: LectureView },
    }),
    async (req, reply) => reply.status(201).send(await createLecture(db, scopeOf(req), req.body)),
  );
  r.get(
    '/media-lectures/:id',
    onRecord({ access: { roles: 'any', target: watch }, tags, summary: '讲座详情', response: { 200: LectureView } }),
    async (req) => getLecture(db, scopeOf(req), req.params.id),
  );
  r.patch(
    '/media-lectures/:id',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary: '修改讲座',
      body: LecturePatch,
      response: { 200: LectureView },
    }),
    async (req) => updateLecture(db, scopeOf(req), req.params.id, req.body),
  );
  r.post(
    '/media-lectures/:id/publish',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary: '发布讲座（通知主办组织及下级的党员）',
      response: { 200: LectureView },
    }),
    async (req) => publishLecture(db, scopeOf(req), req.params.id),
  );
  r.post(
    '/media-lectures/:id/video',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: host },
      tags,
      summary: `上传讲座视频（MP4/WebM，不超过 ${MAX_VIDEO_BYTES / 1024 / 1024} MB）；multipart 字段 file`,
      consumes: ['multipart/form-data'],
      response: { 201: MediaFile },
    }),
    async (req, reply) => {
      const scope = scopeOf(req);
      const lecture = await getLecture(db, scope, req.params.id);
      const view = await store.upload(
        req,
        'video',
        'media',
        scope.tenantId,
        (file) => setLectureVideo(db, scope, lecture.id, file),
        { maxBytes: MAX_VIDEO_BYTES },
      );
      return reply.status(201).send(view);
    },
  );
  r.get(
    '/media-lectures/:id/video',
    onRecord({ access: { roles: 'any', target: watch }, tags, summary: '播放讲座视频（支持 Range 分段）' }),
    async (req, reply) => {
      const f = await lectureVideo(db, scopeOf(req), req.params.id);
      return store.serve(req, reply, f, contentDisposition(f.fileName, true));
    },
  );
  r.post(
    '/media-lectures/:id/join',
    onRecord({
      access: { roles: 'any', target: watch },
      tags,
      summary: '进入课堂（讲座进行中：记一次参学，计入本人所在组织的党课）',
      response: { 200: JoinReply },
    }),
    async (req) => joinLecture(db, scopeOf(req), req.params.id),
  );
  r.get(
    '/media-lectures/:id/questions',
    onRecord({
      access: { roles: 'any', target: watch },
      tags,
      summary: '讲座提问（已通过的，及本人的；主持人看全部）',
      querystring: Paging,
      response: { 200: Page(LectureQuestion) },
    }),
    async (req) => listQuestions(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
  );
  r.post(
    '/media-lectures/:id/questions',
    onRecord({
      access: { roles: 'any', target: watch },
      tags,
      summary: '提问（讲座进行中；主持人通过后其他人可见）',
      body: LectureQuestionInput,
      response: { 201: LectureQuestion },
    }),
    async (req, reply) => reply.status(201).send(await askQuestion(db, scopeOf(req), req.params.id, req.body.text)),
  );
  r.get(
    '/media-lectures/:id/stream',
    onRecord({
      access: { roles: 'any', target: watch },
      tags,
      summary: '讲座提问实时推送（text/event-stream：hello、question 事件）',
      response: { 200: z.string().describe('text/event-stream') },
    }),
    async (req, reply) => {
      if (!String(req.headers.accept ?? '').includes('text/event-stream'))
        throw new AppError(406, 'NOT_EVENT_STREAM', '实时提问需以 EventSource 连接（Accept: text/event-stream）');
      const scope = scopeOf(req);
      const lecture = await getLecture(db, scope, req.params.id);
      await hub.serve(reply, lecture.id, scope.principal.user.id, scope.principal.tokenHash, lecture.canModerate);
    },
  );
  r.post(
    '/media-lecture-questions/:id/decide',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: moderate },
      tags,
      summary: '审核提问：通过（所有人可见）或拒绝（主办组织的书记和管理员）',
      body: LectureQuestionDecision,
      response: { 200: LectureQuestion },
    }),
    async (req) => decideQuestion(db, scopeOf(req), req.params.id, req.body.approve),
  );
}
