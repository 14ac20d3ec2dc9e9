/**
 * 考核 routes. A plan addressed by id (assess-plans) is managed by its org's record keepers and read by readers
 * covering it or bound inside it; an assessed org of a plan (assess-units) resolves to that org, so its own
 * 书记 self-assesses and appeals and the keepers above review (the service tells the two sides apart).
 */
import {
  AppealAnswerInput,
  AppealInput,
  AssessFile,
  Indicator,
  IndicatorInput,
  KpiValuesInput,
  ORG_ADMINS,
  RectifyFromResultInput,
  ReopenSelfInput,
  Page,
  Paging,
  AssessPlan,
  AssessPlanInput,
  AssessPlanPatch,
  RECORD_KEEPERS,
  RECORD_READERS,
  ScoresInput,
  UnitBrief,
  UnitDetail,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, fileStore, readUpload } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { importKpi, kpiTemplate, XLSX_MIME } from './excel';
import {
  addFile,
  answerAppeal,
  appeal,
  closePlan,
  createIndicator,
  createPlan,
  getPlan,
  getUnit,
  listIndicators,
  listPlans,
  listUnits,
  loadFile,
  orgOfPlan,
  orgOfPlanForReader,
  orgOfUnit,
  publish,
  rectifyFromResult,
  reopenSelf,
  review,
  selfAssess,
  sources,
  updatePlan,
  writeKpi,
} from './service';

const tags = ['assess'];
const OrgQuery = z.object({ orgId: Uuid.optional() });
const planManaged = recordOrg(orgOfPlan);
const planRead = recordOrg(orgOfPlanForReader);
const unitTarget = recordOrg(orgOfUnit);

export const assessRoutes =
  ({ db, config }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const store = fileStore(() => config.dataDir, config.s3);

    app.get(
      '/assess/sources',
      declared({
        access: { roles: RECORD_READERS },
        tags,
        summary: '自动取数来源（读取哪个模块的记录、计算口径、依据）和计分规则',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                label: z.string(),
                module: z.string(),
                serviceFunction: z.string(),
                formula: z.string(),
                citation: z.string(),
                confirmed: z.boolean(),
              }),
            ),
            rules: z.array(
              z.object({ key: z.string(), text: z.string(), citation: z.string(), confirmed: z.boolean() }),
            ),
          }),
        },
      }),
      async () => sources(),
    );
    app.get(
      '/assess/indicators',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '考核指标库：本组织、上级组织和下级组织的指标',
        querystring: Paging.extend(OrgQuery.shape),
        response: { 200: Page(Indicator) },
      }),
      async (req) => listIndicators(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.post(
      '/assess/indicators',
      declared({
        access: { roles: ORG_ADMINS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新增考核指标（党建或业务指标；自动取数、人工评分、业务指标值、加分、减分）',
        body: IndicatorInput,
        response: { 201: Indicator },
      }),
      async (req, reply) => reply.status(201).send(await createIndicator(db, scopeOf(req), req.body)),
    );
    app.get(
      '/assess/plans',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '考核：本组织开展的、下级开展的和考核本组织的',
        querystring: Paging.extend(OrgQuery.shape),
        response: { 200: Page(AssessPlan) },
      }),
      async (req) => listPlans(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.post(
      '/assess/plans',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '新建考核：考核期、被考核的党支部（所选组织下的全部党支部）、指标和权重（权重之和须为 100）',
        body: AssessPlanInput,
        response: { 201: AssessPlan },
      }),
      async (req, reply) => reply.status(201).send(await createPlan(db, scopeOf(req), req.body)),
    );
    app.get(
      '/assess-plans/:id',
      onRecord({
        access: { roles: RECORD_READERS, target: planRead },
        tags,
        summary: '考核详情：考核期、指标和权重、进度',
        response: { 200: AssessPlan },
      }),
      async (req) => getPlan(db, scopeOf(req), req.params.id),
    );
    app.patch(
      '/assess-plans/:id',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: planManaged },
        tags,
        summary: '修改考核（公布结果前）',
        body: AssessPlanPatch,
        response: { 200: AssessPlan },
      }),
      async (req) => updatePlan(db, scopeOf(req), req.params.id, req.body),
    );
    app.get(
      '/assess-plans/:id/units',
      onRecord({
        access: { roles: RECORD_READERS, target: planRead },
        tags,
        summary: '被考核的党支部：进度、得分和在所属上级组织内的排名（本人范围内的）',
        querystring: Paging,
        response: { 200: Page(UnitBrief) },
      }),
      async (req) => listUnits(db, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.post(
      '/assess-plans/:id/kpi',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: planManaged },
        tags,
        summary: '录入业务指标值（全部成功或全部不写入）',
        body: KpiValuesInput,
        response: { 200: z.object({ written: z.number() }) },
      }),
      async (req) => writeKpi(db, scopeOf(req), req.params.id, req.body.values, 'entry'),
    );
    app.get(
      '/assess-plans/:id/kpi-template',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: planManaged },
        tags,
        summary: '业务指标导入模板（.xlsx，每个党支部每项业务指标一行）',
      }),
      async (req, reply) =>
        reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition('业务指标导入模板.xlsx'))
          .send(await kpiTemplate(db, scopeOf(req).tenantId, req.params.id)),
    );
    app.post(
      '/assess-plans/:id/kpi/import',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: planManaged },
        tags,
        summary: '从 Excel 导入业务指标值（一行有误则全部不导入，按行列出错误）',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ imported: z.number() }) },
      }),
      async (req) => {
        const { data, fileName } = await readUpload(req);
        return importKpi(db, scopeOf(req), req.params.id, data, fileName);
      },
    );
    app.post(
      '/assess-plans/:id/publish',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: planManaged },
        tags,
        summary: '公布结果：按记录自动取数并固定，计算总分和排名（须全部评分完成）',
        response: { 200: AssessPlan },
      }),
      async (req) => publish(db, scopeOf(req), req.params.id),
    );
    app.post(
      '/assess-plans/:id/close',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: planManaged },
        tags,
        summary: '关闭考核（申诉全部答复后）；关闭后不能再修改',
        response: { 200: AssessPlan },
      }),
      async (req) => closePlan(db, scopeOf(req), req.params.id),
    );
    app.get(
      '/assess-units/:id',
      onRecord({
        access: { roles: RECORD_READERS, target: unitTarget },
        tags,
        summary: '党支部的考核明细：逐项得分、依据、佐证材料、排名和申诉',
        response: { 200: UnitDetail },
      }),
      async (req) => getUnit(db, scopeOf(req), req.params.id),
    );
    app.put(
      '/assess-units/:id/self',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '自评（被考核党支部）：人工评分、加分、减分项，人工评分和加分项须有佐证材料',
        body: ScoresInput,
        response: { 200: UnitDetail },
      }),
      async (req) => selfAssess(db, scopeOf(req), req.params.id, req.body),
    );
    app.put(
      '/assess-units/:id/review',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '上级评分（上级党组织的书记、管理员）',
        body: ScoresInput,
        response: { 200: UnitDetail },
      }),
      async (req) => review(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/assess-units/:id/files',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '上传自评佐证材料（multipart 字段 file；图片、PDF 或 Office 文件，不超过 10 MB）',
        querystring: z.object({ key: z.string().min(1, '请指明指标').max(40, '指标不正确') }),
        consumes: ['multipart/form-data'],
        response: { 201: AssessFile },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        return reply
          .status(201)
          .send(
            await store.upload(req, 'attachment', 'assess', scope.tenantId, (f) =>
              addFile(db, scope, req.params.id, req.query.key, f),
            ),
          );
      },
    );
    app.get(
      '/assess-units/:id/files/:fileId',
      declared({
        access: { roles: RECORD_READERS, target: unitTarget },
        tags,
        summary: '下载考核佐证材料',
        params: z.object({ id: Uuid, fileId: Uuid }),
      }),
      async (req, reply) => {
        const f = await loadFile(db, scopeOf(req), req.params.id, req.params.fileId);
        return store.serve(req, reply, f);
      },
    );
    app.post(
      '/assess-units/:id/appeal',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '申诉（被考核党支部，结果公布后、关闭前，一次）',
        body: AppealInput,
        response: { 200: UnitDetail },
      }),
      async (req) => appeal(db, scopeOf(req), req.params.id, req.body.reason),
    );
    app.post(
      '/assess-units/:id/reopen-self',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '自评截止后为该党支部重新开放自评至指定日期（上级党组织），并通知党支部书记',
        body: ReopenSelfInput,
        response: { 200: UnitDetail },
      }),
      async (req) => reopenSelf(db, scopeOf(req), req.params.id, req.body),
    );
    app.post(
      '/assess-units/:id/rectifications',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '根据考核结果下达整改（上级党组织，结果公布后）：失分指标或减分项转为该党支部的整改事项',
        body: RectifyFromResultInput,
        response: { 201: UnitDetail },
      }),
      async (req, reply) => reply.status(201).send(await rectifyFromResult(db, scopeOf(req), req.params.id, req.body)),
    );
    app.post(
      '/assess-units/:id/appeal-answer',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: unitTarget },
        tags,
        summary: '答复申诉（上级党组织），可同时更正评分',
        body: AppealAnswerInput,
        response: { 200: UnitDetail },
      }),
      async (req) => answerAppeal(db, scopeOf(req), req.params.id, req.body),
    );
  };
