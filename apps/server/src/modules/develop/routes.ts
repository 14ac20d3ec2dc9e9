/**
 * 发展党员 routes. Every `:id` under /develop is a person record (its org decides the scope);
 * board, plan and to-do hang off the org.
 */
import {
  AssessmentInput,
  DEVELOP_STATUSES,
  DevelopBoard,
  DevelopFile,
  DevelopPerson,
  DevelopPersonDetail,
  Deadline,
  Page,
  Paging,
  PersonInput,
  PlanInput,
  PlanUsage,
  ProbationDecisionInput,
  StepInput,
  todayInChina,
  Uuid,
  ORG_ADMINS,
  RECORD_KEEPERS,
  RECORD_READERS,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
// The meeting module's upload helpers: magic-byte sniffing, the size limit and the local file store.
import { contentDisposition, fileStore } from '../../platform/files';
import { DOCUMENT_KINDS, developDocument } from './documents';
import {
  addAssessment,
  board,
  closePerson,
  createPerson,
  decideProbation,
  getPerson,
  insertFile,
  listPersons,
  loadFile,
  orgOfPerson,
  recordStep,
  setPlan,
  todo,
} from './service';

const tags = ['develop'];
const personTarget = recordOrg(orgOfPerson);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const developRoutes =
  ({ db, fieldCrypto: fc, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const store = fileStore(() => config.dataDir, config.s3);

    app.get(
      '/develop/persons',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '发展党员名册（组织及下级）',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          status: z.enum(DEVELOP_STATUSES).optional(),
          q: z.string().trim().max(50).optional(),
          includeClosed: z.stringbool().optional(),
        }),
        response: { 200: Page(DevelopPerson) },
      }),
      async (req) => {
        const { page, pageSize, orgId: _o, ...filter } = req.query;
        return listPersons(db, fc, scopeOf(req), filter, page, pageSize);
      },
    );

    app.post(
      '/develop/persons',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '登记入党申请人（第 1 步：递交入党申请书）',
        body: PersonInput,
        response: { 201: DevelopPersonDetail },
      }),
      async (req, reply) => reply.status(201).send(await createPerson(db, fc, scopeOf(req), req.body)),
    );

    app.get(
      '/develop/persons/:id',
      onRecord({
        access: { roles: RECORD_READERS, target: personTarget },
        tags,
        summary: '发展党员详情：25 个步骤的记录、考察、材料和期限',
        response: { 200: DevelopPersonDetail },
      }),
      async (req) => getPerson(db, fc, scopeOf(req), req.params.id),
    );

    app.post(
      '/develop/persons/:id/steps',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: personTarget },
        tags,
        summary: '办理下一个步骤（按顺序；违反时间规则时拒绝，组织管理员可写明理由越权通过）',
        body: StepInput,
        response: { 200: DevelopPersonDetail },
      }),
      async (req) => recordStep(db, fc, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/develop/persons/:id/assessments',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: personTarget },
        tags,
        summary: '登记入党积极分子半年考察',
        body: AssessmentInput,
        response: { 200: DevelopPersonDetail },
      }),
      async (req) => addAssessment(db, fc, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/develop/persons/:id/close',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: personTarget },
        tags,
        summary: '终止发展（记录保留）',
        body: z.strictObject({
          date: z.iso.date('日期须为 YYYY-MM-DD'),
          reason: z.string().trim().min(2, '请填写终止原因').max(200),
        }),
        response: { 200: DevelopPersonDetail },
      }),
      async (req) => closePerson(db, fc, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/develop/persons/:id/probation',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: personTarget },
        tags,
        summary: '登记延长预备期或取消预备党员资格（支部大会决议与上级党委批准）',
        body: ProbationDecisionInput,
        response: { 200: DevelopPersonDetail },
      }),
      async (req) => decideProbation(db, fc, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/develop/persons/:id/files',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: personTarget },
        tags,
        summary: '上传某一步骤的材料扫描件（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB）',
        querystring: z.object({ step: z.coerce.number().int().min(1).max(25, '步骤编号须为 1–25') }),
        consumes: ['multipart/form-data'],
        response: { 201: DevelopFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const view = await store.upload(req, 'attachment', 'develop', scope.tenantId, (file) =>
          insertFile(db, scope, req.params.id, { ...file, step: req.query.step, uploadedBy: scope.actor.username }),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/develop/persons/:id/files/:fileId',
      declared({
        access: { roles: RECORD_READERS, target: personTarget },
        tags,
        summary: '下载材料扫描件',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => {
        return store.send(reply, await loadFile(db, scopeOf(req).tenantId, req.params.id, req.params.fileId));
      },
    );

    app.get(
      '/develop/persons/:id/document',
      onRecord({
        access: { roles: RECORD_READERS, target: personTarget },
        tags,
        summary: '生成文书（.docx）：发展公示、转正公示、各阶段登记表',
        querystring: z.object({ kind: z.enum(DOCUMENT_KINDS, `文书类型须为：${DOCUMENT_KINDS.join('、')}`) }),
      }),
      async (req, reply) => {
        const p = await getPerson(db, fc, scopeOf(req), req.params.id);
        const { file, fileName } = await developDocument(p, req.query.kind);
        return reply
          .header('content-type', DOCX)
          .header('content-disposition', contentDisposition(fileName))
          .send(file);
      },
    );

    app.get(
      '/orgs/:id/develop-board',
      onRecord({
        access: { roles: RECORD_READERS, target: { from: 'params', key: 'id' } },
        tags,
        summary: '发展党员看板：各阶段人数、逾期与即将到期事项、年度计划使用情况',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: DevelopBoard },
      }),
      async (req) => board(db, fc, scopeOf(req), req.query.year ?? Number(todayInChina().slice(0, 4))),
    );

    app.put(
      '/orgs/:id/develop-plan',
      onRecord({
        access: { roles: ORG_ADMINS, target: { from: 'params', key: 'id' } },
        tags,
        summary: '设置年度发展计划（名额）',
        body: PlanInput,
        response: { 200: PlanUsage },
      }),
      async (req) => setPlan(db, scopeOf(req), req.body),
    );

    app.get(
      '/develop/todo',
      declared({
        access: { roles: RECORD_KEEPERS, target: optionalOrg },
        tags,
        summary: '发展党员待办：逾期和即将到期的事项',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: Page(Deadline) },
      }),
      async (req) => todo(db, fc, scopeOf(req)),
    );
  };
