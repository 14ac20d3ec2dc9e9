/**
 * 思想汇报 routes. A report addressed by id has its own first path segment (thought-reports): reading resolves
 * through the writer's own binding or a record keeper's covering the report's org (everyone else: 404);
 * commenting through the report's org. Lists of an org take `orgId` (optional: the caller's own binding).
 */
import {
  Page,
  PaperReportInput,
  Paging,
  ProxyReportInput,
  PERIOD_RE,
  RECORD_KEEPERS,
  RECORD_READERS,
  ThoughtCommentInput,
  ThoughtMe,
  ThoughtOverdueRow,
  ThoughtOverview,
  ThoughtRemindInput,
  ThoughtRemindReply,
  ThoughtReportBrief,
  ThoughtReportDetail,
  ThoughtReportInput,
  ThoughtSettings,
  ThoughtSettingsInput,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import type { Services } from '../../platform/services';
import { orgOfMember } from '../member/service';
import {
  commentReport,
  getReport,
  meOf,
  myReports,
  orgOfReport,
  orgOfPersonForThought,
  orgOfReportForReader,
  overdue,
  overview,
  queue,
  recordPaperReport,
  recordReportFor,
  remind,
  reportsOfPerson,
  setSettings,
  settingsAt,
  submitReport,
} from './service';

const tags = ['thought'];
const byId = { params: z.object({ id: Uuid }) };
const optionalOrg = { from: 'query' as const, key: 'orgId', optional: true };
const OrgQuery = z.object({ orgId: Uuid.optional() });

export const thoughtRoutes =
  ({ db, fieldCrypto }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/thought/me',
      {
        schema: { tags, summary: '我的思想汇报要求（是否应交、本期期次、是否已交）', response: { 200: ThoughtMe } },
        config: { access: { roles: 'any' } },
      },
      async (req) => meOf(db, scopeOf(req)),
    );
    app.post(
      '/thought/reports',
      {
        schema: {
          tags,
          summary: '提交思想汇报（只能以本人身份提交）',
          body: ThoughtReportInput,
          response: { 201: ThoughtReportDetail },
        },
        config: { access: { roles: 'any' } },
      },
      async (req, reply) => reply.status(201).send(await submitReport(db, fieldCrypto, scopeOf(req), req.body)),
    );
    app.get(
      '/thought/reports/mine',
      {
        schema: {
          tags,
          summary: '我的思想汇报及批阅意见',
          querystring: Paging,
          response: { 200: Page(ThoughtReportDetail) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => myReports(db, fieldCrypto, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/thought/queue',
      {
        schema: {
          tags,
          summary: '思想汇报批阅（本组织及下级党员提交的；未批阅的在前；列表不含正文）',
          querystring: Paging.extend(OrgQuery.shape).extend({
            status: z.enum(['pending', 'commented', 'all'], '状态须为 pending、commented 或 all').default('all'),
            period: z.string().trim().regex(PERIOD_RE, '期次格式应为 2026-Q4、2026-H2 或 2026-11').optional(),
          }),
          response: { 200: Page(ThoughtReportBrief) },
        },
        config: { access: { roles: RECORD_KEEPERS, target: optionalOrg } },
      },
      async (req) => {
        const { page, pageSize, status, period } = req.query;
        return queue(db, scopeOf(req), { status, period }, page, pageSize);
      },
    );
    app.get(
      '/thought/overdue',
      {
        schema: {
          tags,
          summary: '本期应交未交思想汇报的人员（预备党员、入党积极分子、发展对象、流动党员）',
          querystring: Paging.extend(OrgQuery.shape),
          response: { 200: Page(ThoughtOverdueRow) },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => overdue(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.post(
      '/thought/reminders',
      {
        schema: {
          tags,
          summary: '提醒未交思想汇报的党员（站内通知；每人每天最多一次）',
          body: ThoughtRemindInput,
          response: { 200: ThoughtRemindReply },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req) => remind(db, scopeOf(req), req.body.memberIds),
    );
    app.get(
      '/thought/overview',
      {
        schema: {
          tags,
          summary: '思想动态：本期应交人数、已交人数和提交率（不含汇报内容）',
          querystring: OrgQuery,
          response: { 200: ThoughtOverview },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => overview(db, scopeOf(req)),
    );
    app.get(
      '/thought/settings',
      {
        schema: {
          tags,
          summary: '思想汇报周期（流动党员的周期由支部设定）及依据',
          querystring: OrgQuery,
          response: { 200: ThoughtSettings },
        },
        config: { access: { roles: RECORD_READERS, target: optionalOrg } },
      },
      async (req) => settingsAt(db, scopeOf(req)),
    );
    app.put(
      '/thought/settings',
      {
        schema: {
          tags,
          summary: '设定本组织流动党员的思想汇报周期',
          body: ThoughtSettingsInput,
          response: { 200: ThoughtSettings },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req) => setSettings(db, scopeOf(req), req.body.flowingCadence),
    );
    // 代为填写 (issue 24): a member without a phone dictates or hands in a report; the branch enters it for them.
    app.post(
      '/members/:id/thought-reports',
      {
        schema: {
          tags,
          summary: '代为填写思想汇报：党员口述或交来书面汇报，由书记代为录入（记录和审计中标明代为填写及原因）',
          ...byId,
          body: ProxyReportInput,
          response: { 201: ThoughtReportDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id', lookup: orgOfMember } } },
      },
      async (req, reply) =>
        reply.status(201).send(await recordReportFor(db, fieldCrypto, scopeOf(req), req.params.id, req.body)),
    );
    // 入党积极分子 and 发展对象 (development records, no account): written reports recorded by the branch, and the
    // reports of one record for its 考察.
    const person = { from: 'params' as const, key: 'id', lookup: orgOfPersonForThought };
    app.post(
      '/thought-persons/:id/reports',
      {
        schema: {
          tags,
          summary: '登记入党积极分子、发展对象交来的书面思想汇报',
          ...byId,
          body: PaperReportInput,
          response: { 201: ThoughtReportDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: person } },
      },
      async (req, reply) =>
        reply.status(201).send(await recordPaperReport(db, fieldCrypto, scopeOf(req), req.params.id, req.body)),
    );
    app.get(
      '/thought-persons/:id/reports',
      {
        schema: {
          tags,
          summary: '一名发展对象的思想汇报（书面登记的和转为预备党员后本人提交的），供培养考察',
          ...byId,
          querystring: Paging,
          response: { 200: Page(ThoughtReportDetail) },
        },
        config: { access: { roles: RECORD_KEEPERS, target: person } },
      },
      async (req) => reportsOfPerson(db, fieldCrypto, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.get(
      '/thought-reports/:id',
      {
        schema: {
          tags,
          summary: '思想汇报详情（本人，或本组织及上级的书记、管理员）',
          ...byId,
          response: { 200: ThoughtReportDetail },
        },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfReportForReader } } },
      },
      async (req) => getReport(db, fieldCrypto, scopeOf(req), req.params.id),
    );
    app.post(
      '/thought-reports/:id/comment',
      {
        schema: {
          tags,
          summary: '批阅思想汇报：结果（已阅/优秀/需改进）和意见，通知本人',
          ...byId,
          body: ThoughtCommentInput,
          response: { 200: ThoughtReportDetail },
        },
        config: { access: { roles: RECORD_KEEPERS, target: { from: 'params', key: 'id', lookup: orgOfReport } } },
      },
      async (req) => commentReport(db, fieldCrypto, scopeOf(req), req.params.id, req.body),
    );
  };
