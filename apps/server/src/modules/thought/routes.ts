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
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
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
const OrgQuery = z.object({ orgId: Uuid.optional() });

export const thoughtRoutes =
  ({ db, fieldCrypto }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/thought/me',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的思想汇报要求（是否应交、本期期次、是否已交）',
        response: { 200: ThoughtMe },
      }),
      async (req) => meOf(db, scopeOf(req)),
    );
    app.post(
      '/thought/reports',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '提交思想汇报（只能以本人身份提交）',
        body: ThoughtReportInput,
        response: { 201: ThoughtReportDetail },
      }),
      async (req, reply) => reply.status(201).send(await submitReport(db, fieldCrypto, scopeOf(req), req.body)),
    );
    app.get(
      '/thought/reports/mine',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '我的思想汇报及批阅意见',
        querystring: Paging,
        response: { 200: Page(ThoughtReportDetail) },
      }),
      async (req) => myReports(db, fieldCrypto, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/thought/queue',
      declared({
        access: { roles: RECORD_KEEPERS, target: optionalOrg },
        tags,
        summary: '思想汇报批阅（本组织及下级党员提交的；未批阅的在前；列表不含正文）',
        querystring: Paging.extend(OrgQuery.shape).extend({
          status: z.enum(['pending', 'commented', 'all'], '状态须为 pending、commented 或 all').default('all'),
          period: z.string().trim().regex(PERIOD_RE, '期次格式应为 2026-Q4、2026-H2 或 2026-11').optional(),
        }),
        response: { 200: Page(ThoughtReportBrief) },
      }),
      async (req) => {
        const { page, pageSize, status, period } = req.query;
        return queue(db, scopeOf(req), { status, period }, page, pageSize);
      },
    );
    app.get(
      '/thought/overdue',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '本期应交未交思想汇报的人员（预备党员、入党积极分子、发展对象、流动党员）',
        querystring: Paging.extend(OrgQuery.shape),
        response: { 200: Page(ThoughtOverdueRow) },
      }),
      async (req) => overdue(db, scopeOf(req), req.query.page, req.query.pageSize),
    );
    app.post(
      '/thought/reminders',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '提醒未交思想汇报的党员（站内通知；每人每天最多一次）',
        body: ThoughtRemindInput,
        response: { 200: ThoughtRemindReply },
      }),
      async (req) => remind(db, scopeOf(req), req.body.memberIds),
    );
    app.get(
      '/thought/overview',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '思想动态：本期应交人数、已交人数和提交率（不含汇报内容）',
        querystring: OrgQuery,
        response: { 200: ThoughtOverview },
      }),
      async (req) => overview(db, scopeOf(req)),
    );
    app.get(
      '/thought/settings',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags,
        summary: '思想汇报周期（流动党员的周期由支部设定）及依据',
        querystring: OrgQuery,
        response: { 200: ThoughtSettings },
      }),
      async (req) => settingsAt(db, scopeOf(req)),
    );
    app.put(
      '/thought/settings',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags,
        summary: '设定本组织流动党员的思想汇报周期',
        body: ThoughtSettingsInput,
        response: { 200: ThoughtSettings },
      }),
      async (req) => setSettings(db, scopeOf(req), req.body.flowingCadence),
    );
    // 代为填写 (issue 24): a member without a phone dictates or hands in a report; the branch enters it for them.
    app.post(
      '/members/:id/thought-reports',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfMember) },
        tags,
        summary: '代为填写思想汇报：党员口述或交来书面汇报，由书记代为录入（记录和审计中标明代为填写及原因）',
        body: ProxyReportInput,
        response: { 201: ThoughtReportDetail },
      }),
      async (req, reply) =>
        reply.status(201).send(await recordReportFor(db, fieldCrypto, scopeOf(req), req.params.id, req.body)),
    );
    // 入党积极分子 and 发展对象 (development records, no account): written reports recorded by the branch, and the
    // reports of one record for its 考察.
    const person = recordOrg(orgOfPersonForThought);
    app.post(
      '/thought-persons/:id/reports',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: person },
        tags,
        summary: '登记入党积极分子、发展对象交来的书面思想汇报',
        body: PaperReportInput,
        response: { 201: ThoughtReportDetail },
      }),
      async (req, reply) =>
        reply.status(201).send(await recordPaperReport(db, fieldCrypto, scopeOf(req), req.params.id, req.body)),
    );
    app.get(
      '/thought-persons/:id/reports',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: person },
        tags,
        summary: '一名发展对象的思想汇报（书面登记的和转为预备党员后本人提交的），供培养考察',
        querystring: Paging,
        response: { 200: Page(ThoughtReportDetail) },
      }),
      async (req) => reportsOfPerson(db, fieldCrypto, scopeOf(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.get(
      '/thought-reports/:id',
      onRecord({
        access: { roles: 'any', target: recordOrg(orgOfReportForReader) },
        tags,
        summary: '思想汇报详情（本人，或本组织及上级的书记、管理员）',
        response: { 200: ThoughtReportDetail },
      }),
      async (req) => getReport(db, fieldCrypto, scopeOf(req), req.params.id),
    );
    app.post(
      '/thought-reports/:id/comment',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfReport) },
        tags,
        summary: '批阅思想汇报：结果（已阅/优秀/需改进）和意见，通知本人',
        body: ThoughtCommentInput,
        response: { 200: ThoughtReportDetail },
      }),
      async (req) => commentReport(db, fieldCrypto, scopeOf(req), req.params.id, req.body),
    );
  };
