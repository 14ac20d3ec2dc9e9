import {
  AGE_BANDS,
  DUES_CATEGORIES,
  EDUCATIONS,
  ExitBody,
  LostBody,
  LostFoundBody,
  LostRecord,
  SuspectedLost,
  LostRemoveBody,
  LostSearchBody,
  RestoreBody,
  SuspendBody,
  FlowBody,
  FlowCheckinBody,
  FlowSettings,
  FlowSettingsInput,
  FlowHostBody,
  GENDERS,
  Member,
  MEMBER_STATUSES,
  MemberInput,
  MemberPatch,
  MemberStats,
  Page,
  Paging,
  PHONE_REVEALERS,
  RECORD_KEEPERS,
  RECORD_READERS,
  TransferBody,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, unprocessable } from '../../platform/errors';
import { getOrg } from '../org/service';
import type { ActingScope, Scope } from '../../platform/access';
import { readDb, type Db } from '../../platform/db';
import { contentDisposition, readUpload } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { flowSettingsAt, setFlowSettings } from './flowcontact';
import { flowCheckin, myFlow } from './flowself';
import { exportWorkbook, importMembers, templateWorkbook, XLSX_MIME } from './excel';
import {
  decideTransfer,
  exitParty,
  listFlowing,
  listTransfers,
  receivingOrgOfTransfer,
  recordFlowContact,
  registerFlow,
  requestTransfer,
  setFlowHost,
  transferLetterHtml,
  updateMember,
} from './lifecycle';
import { accountsWorkbook, createMemberAccounts } from './accounts';
import { memberStats } from './stats';
import { listSuspectedLost } from './activity';
import { addLostSearch, foundLost, listLost, markLost, removeLostMember, restoreMember, suspendMember } from './lost';
import {
  createMember,
  getMember,
  listMembers,
  memberOfUser,
  orgOfMember,
  revealPhone,
  rosterPages,
  toView,
} from './service';

const ListQuery = Paging.extend({
  orgId: Uuid.optional(),
  q: z.string().trim().max(50).optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  gender: z.enum(GENDERS).optional(),
  education: z.enum(EDUCATIONS).optional(),
  duesCategory: z.enum(DUES_CATEGORIES).optional(),
  ageBand: z.enum(AGE_BANDS.map((b) => b.key) as [string, ...string[]]).optional(),
  flowing: z.stringbool().optional(),
  suspended: z.stringbool().optional(),
});

export const memberRoutes =
  ({ db, fieldCrypto: fc, jobs }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // The heavy read-only queries (statistics, exports, roll-ups) may run on a read replica (platform/replica.ts).
    const rdb = readDb(db);

    app.post(
      '/members',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags: ['member'],
        summary: '新增党员',
        body: MemberInput,
        response: { 201: Member },
      }),
      async (req, reply) => reply.status(201).send(await createMember(db, fc, scopeOf(req), req.body)),
    );

    app.get(
      '/members',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '党员花名册（组织及下级）',
        querystring: ListQuery,
        response: { 200: Page(Member) },
      }),
      async (req) => {
        const { page, pageSize, orgId: _o, ...filter } = req.query;
        return listMembers(db, fc, scopeOf(req), filter, page, pageSize);
      },
    );

    app.get(
      '/members/import-template',
      declared({ access: { roles: RECORD_KEEPERS }, tags: ['member'], summary: '党员导入模板（.xlsx）' }),
      async (_req, reply) =>
        reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition('党员导入模板.xlsx'))
          .send(await templateWorkbook()),
    );

    app.get(
      '/members/export',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '导出党员花名册（.xlsx，敏感信息脱敏）',
        querystring: ListQuery.omit({ page: true, pageSize: true }),
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const { orgId: _o, ...filter } = req.query;
        const file = await exportWorkbook(rosterPages(rdb, fc, scope, filter, 1000));
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition(`党员花名册-${scope.org.name}.xlsx`))
          .send(file);
      },
    );

    app.post(
      '/members/import',
      declared({
        access: { roles: RECORD_KEEPERS, target: optionalOrg },
        tags: ['member'],
        summary: '从 Excel 导入党员（全部成功或全部不导入）',
        querystring: z.object({ orgId: Uuid.optional(), async: z.stringbool().default(false) }),
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ imported: z.number() }), 202: z.object({ jobId: z.string() }) },
      }),
      async (req, reply) => {
        // Whole-company rosters run to tens of thousands of rows: a larger limit than photos.
        const { data: buffer, fileName } = await readUpload(req, 20 * 1024 * 1024);
        const scope = scopeOf(req);
        if (!req.query.async) return importMembers(db, fc, scope, buffer, fileName);
        // With async=true the answer is a job to poll at /api/v1/jobs/:id (progress bar in the web app).
        const acting: ActingScope = { tenantId: scope.tenantId, org: scope.org, actor: scope.actor };
        const jobId = await jobs.enqueue({
          tenantId: scope.tenantId,
          kind: 'member.import',
          payload: { scope: acting, fileName: fileName },
          input: buffer,
          createdBy: scope.principal.user.id,
        });
        return reply.status(202).send({ jobId });
      },
    );

    app.get(
      '/members/:id',
      declared({
        access: { roles: RECORD_READERS, target: recordOrg(orgOfMember) },
        tags: ['member'],
        summary: '党员详情',
        params: z.object({ id: Uuid }),
        response: { 200: Member },
      }),
      async (req) => getMember(db, fc, scopeOf(req), req.params.id),
    );

    const manageMember = { roles: RECORD_KEEPERS, target: recordOrg(orgOfMember) };

    app.get(
      '/members/me',
      declared({
        access: { roles: 'any' },
        tags: ['member'],
        summary: '我的党员信息（本人可见完整号码）',
        response: { 200: Member },
      }),
      async (req) => {
        const scope = scopeOf(req);
        const row = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
        if (!row) throw notFound('您的账号未关联党员信息');
        return toView(fc, row, (await getOrg(db, scope.tenantId, row.orgId)).name, true);
      },
    );

    app.post(
      '/members/:id/phone',
      onRecord({
        access: { roles: PHONE_REVEALERS, target: recordOrg(orgOfMember) },
        tags: ['member'],
        summary: '查看党员完整手机号（支部书记、组织部，限本范围，逐次留痕）',
        body: z.strictObject({ purpose: z.string().trim().max(100).optional() }).nullish(),
        response: { 200: z.object({ memberId: z.string(), name: z.string(), phone: z.string() }) },
      }),
      async (req) => revealPhone(db, fc, scopeOf(req), req.params.id, req.body?.purpose || undefined),
    );

    app.patch(
      '/members/:id',
      onRecord({
        access: manageMember,
        tags: ['member'],
        summary: '修改党员信息',
        body: MemberPatch,
        response: { 200: Member },
      }),
      async (req) => updateMember(db, fc, scopeOf(req), req.params.id, req.body),
    );

    app.post(
      '/members/:id/transfers',
      onRecord({
        access: manageMember,
        tags: ['member'],
        summary: '组织关系转接：系统内转出（待接收方确认）或转出系统（开具介绍信）',
        body: TransferBody,
      }),
      async (req, reply) => reply.status(201).send(await requestTransfer(db, scopeOf(req), req.params.id, req.body)),
    );

    app.get(
      '/transfers',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '组织关系转接记录（转入与转出）',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          status: z.enum(['pending', 'done', 'rejected', 'cancelled']).optional(),
        }),
      }),
      async (req) => listTransfers(db, scopeOf(req), req.query.status, req.query.page, req.query.pageSize),
    );

    app.post(
      '/transfers/:id/decision',
      onRecord({
        access: { roles: RECORD_KEEPERS, target: recordOrg(receivingOrgOfTransfer) },
        tags: ['member'],
        summary: '接收方确认或退回转接',
        body: z.strictObject({ accept: z.boolean(), note: z.string().trim().max(200).default('') }),
      }),
      async (req) => decideTransfer(db, scopeOf(req), req.params.id, req.body.accept, req.body.note),
    );

    app.get(
      '/transfers/:id/letter',
      onRecord({ access: { roles: RECORD_READERS }, tags: ['member'], summary: '打印组织关系介绍信（HTML）' }),
      async (req, reply) =>
        reply.type('text/html; charset=utf-8').send(await transferLetterHtml(db, scopeOf(req), req.params.id)),
    );

    app.post(
      '/members/:id/flow',
      onRecord({ access: manageMember, tags: ['member'], summary: '登记流动党员', body: FlowBody }),
      async (req, reply) => reply.status(201).send(await registerFlow(db, scopeOf(req), req.params.id, req.body)),
    );

    app.post(
      '/members/:id/flow/contact',
      onRecord({
        access: manageMember,
        tags: ['member'],
        summary: '流动党员联系记录（或结束流动）',
        body: z.strictObject({ on: z.iso.date('日期须为 YYYY-MM-DD'), ended: z.boolean().default(false) }),
      }),
      async (req) => recordFlowContact(db, scopeOf(req), req.params.id, req.body.on, req.body.ended),
    );

    app.post(
      '/members/:id/flow/host',
      onRecord({
        access: manageMember,
        tags: ['member'],
        summary: '流动党员的流入地党组织（一方隶属、参加多重组织生活：参加其组织生活，到会计入本支部）',
        body: FlowHostBody,
      }),
      async (req) => setFlowHost(db, scopeOf(req), req.params.id, req.body.hostOrgId),
    );

    // 流动党员 on their own phone (flowself.ts): their flow and 「向支部报到」, always as themself.
    app.get(
      '/me/flow',
      declared({
        access: { roles: 'any' },
        tags: ['member'],
        summary: '我的流动党员登记（上次联系、下次应联系、失联日期）',
      }),
      async (req) => {
        const scope = scopeOf(req);
        const row = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
        return { flow: row ? await myFlow(db, scope.tenantId, row.id) : null };
      },
    );

    app.post(
      '/me/flow/checkin',
      declared({
        access: { roles: 'any' },
        tags: ['member'],
        summary: '流动党员向支部报到（本人，重新计算失联期限并通知支部书记）',
        body: FlowCheckinBody,
      }),
      async (req) => {
        const scope = scopeOf(req);
        const row = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
        if (!row) throw unprocessable('您的账号未关联党员信息，不能报到', undefined, 'NO_MEMBER_RECORD');
        return flowCheckin(db, scope, row.id, req.body);
      },
    );

    app.get(
      '/flowing',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '流动党员（含失联标记）',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
      }),
      async (req) => listFlowing(db, scopeOf(req), req.query.page, req.query.pageSize),
    );

    // The 流动党员 contact interval (flowcontact.ts): read by who reads the 流动党员 list, set by the org's keepers.
    app.get(
      '/flowing/settings',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '流动党员联系周期（本组织或上级设定，未设定时为每月）及依据',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: FlowSettings },
      }),
      async (req) => flowSettingsAt(db, scopeOf(req)),
    );
    app.put(
      '/flowing/settings',
      declared({
        access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
        tags: ['member'],
        summary: '设定本组织（及下级）流动党员的联系周期',
        body: FlowSettingsInput,
        response: { 200: FlowSettings },
      }),
      async (req) => setFlowSettings(db, scopeOf(req), req.body.contactEveryMonths),
    );

    // 失联 → 停止党籍 → 恢复党籍 / 除名 (lost.ts): the same keepers as 出党, on the member's org.
    app.get(
      '/lost-members',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '失联党员与停止党籍（组织及下级）',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          state: z.enum(['open', 'closed', 'all']).default('open'),
          memberId: Uuid.optional(),
        }),
        response: { 200: Page(LostRecord) },
      }),
      async (req) => listLost(db, scopeOf(req), req.query),
    );
    app.get(
      '/lost-members/suspected',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '疑似失联：连续 6 个月没有活动记录、尚未登记失联的党员（组织及下级），供党支部核实',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: Page(SuspectedLost).extend({ silentBefore: z.string() }) },
      }),
      async (req) => listSuspectedLost(db, scopeOf(req), req.query),
    );
    type LostStep<B> = (db: Db, scope: Scope, memberId: string, body: B) => Promise<unknown>;
    const lostStep = <B extends z.ZodType>(path: string, summary: string, body: B, run: LostStep<z.infer<B>>) =>
      app.post(
        `/members/:id/${path}`,
        onRecord({ access: manageMember, tags: ['member'], summary, body }),
        async (req) => run(db, scopeOf(req), req.params.id, req.body as z.infer<B>),
      );
    lostStep('lost', '登记失联（任何党员，不限流动党员）', LostBody, markLost);
    lostStep('lost/searches', '失联党员查找记录', LostSearchBody, addLostSearch);
    lostStep('lost/found', '失联党员已取得联系（停止党籍前）', LostFoundBody, foundLost);
    lostStep('suspend', '停止党籍（失联满 6 个月，经查找仍无联系；上级批准）', SuspendBody, suspendMember);
    lostStep('restore', '恢复党籍（支部大会讨论，上级批准）', RestoreBody, restoreMember);
    lostStep('lost/remove', '停止党籍满 2 年仍无联系：除名', LostRemoveBody, removeLostMember);

    app.post(
      '/members/:id/exit',
      onRecord({ access: manageMember, tags: ['member'], summary: '出党登记（记录保留，不删除）', body: ExitBody }),
      async (req) => exitParty(db, scopeOf(req), req.params.id, req.body),
    );

    app.get(
      '/members/stats',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['member'],
        summary: '党员统计（组织及下级）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: MemberStats },
      }),
      async (req) => memberStats(rdb, scopeOf(req)),
    );

    app.post(
      '/members/accounts',
      declared({
        access: { roles: RECORD_KEEPERS, target: optionalOrg },
        tags: ['member'],
        summary: '为尚无账号的党员批量开通账号（生成登录名，也可用手机号登录；返回含初始密码的 .xlsx，仅此一次）',
        querystring: z.object({ orgId: Uuid.optional() }),
      }),
      async (req, reply) => {
        const result = await createMemberAccounts(db, scopeOf(req));
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition('党员账号及初始密码.xlsx'))
          .header('x-created', String(result.created.length))
          .header('x-skipped', String(result.skipped.length))
          .send(await accountsWorkbook(result));
      },
    );
  };
