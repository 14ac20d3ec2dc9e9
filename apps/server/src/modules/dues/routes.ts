/**
 * 党费 routes. Who may call each and which org it touches is declared here (config.access);
 * members reach only their own bills, payments and receipts (lookup to the record's org, then
 * an ownership check in the service). Provider callbacks are public but signature-verified.
 */
import {
  APPROVAL_STATUSES,
  CorrectionInput,
  Decision,
  DUES_BILL_STATUSES,
  DuesBase,
  DuesBill,
  DuesMonth,
  DuesPayment,
  ExemptionInput,
  MonthlyBaseFen,
  OfflinePaymentBody,
  Page,
  Paging,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  PayBody,
  PayReply,
  QuoteBody,
  QuoteReply,
  quoteDues,
  Receipt,
  RemittanceInput,
  SettingsInput,
  UsageInput,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActingScope } from '../../platform/access';
import { notFound } from '../../platform/errors';
import { readUpload } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import type { Services } from '../../platform/services';
import { orgOfMember } from '../member/service';
import { baseTemplate, exportWorkbook, importBases, XLSX_MIME } from './excel';
import {
  arrears,
  decideUsage,
  ledger,
  listRemittances,
  listUsages,
  myReminders,
  orgOfUsage,
  publicLedger,
  reconciliation,
  recordRemittance,
  requestUsage,
  sendReminders,
  todo,
} from './ledger';
import {
  createOnlinePayment,
  getPayment,
  handleAlipayNotify,
  handleWechatNotify,
  listNotifyLog,
  listPayments,
  orgOfPayment,
  receipt,
  recordOfflinePayment,
} from './payments';
import {
  baseHistory,
  baseInForce,
  currentMonth,
  decideCorrection,
  decideExemption,
  getBill,
  getSettings,
  isManager,
  listBases,
  listBills,
  listCorrections,
  listExemptions,
  MANAGERS,
  orgOfBill,
  orgOfCorrection,
  orgOfExemption,
  putSettings,
  READERS,
  requestCorrection,
  requestExemption,
  runBillGeneration,
  selfMember,
  setBase,
} from './service';

const tags = ['dues'];
const byId = { params: z.object({ id: Uuid }) };
const orgQuery = { orgId: Uuid.optional() };
const Year = z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确');
const contentDisposition = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
const thisYear = () => Number(currentMonth().slice(0, 4));

const BaseRow = z.object({
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  memberCategory: z.string(),
  base: DuesBase.nullable(),
});
const Approval = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  status: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});
const Correction = Approval.extend({ proposedBaseFen: z.number(), reason: z.string() });
const Exemption = Approval.extend({
  fromMonth: z.string(),
  toMonth: z.string(),
  reducedFen: z.number(),
  reason: z.string(),
  requestedBy: z.string().nullable(),
  billsChanged: z.number().optional(),
});
const Usage = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  spentOn: z.string(),
  amountFen: z.number(),
  purpose: z.string(),
  note: z.string().nullable(),
  status: z.string(),
  requestedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});
const Remittance = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  toOrgId: z.string().nullable(),
  toOrgName: z.string().nullable(),
  periodMonth: z.string(),
  amountFen: z.number(),
  remittedOn: z.string(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
});
const ArrearsItem = z.object({
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  unpaidMonths: z.number(),
  consecutiveMonths: z.number(),
  oldestUnpaidMonth: z.string(),
  owedFen: z.number(),
  level: z.enum(['notice', 'warning', 'critical']),
  message: z.string(),
});

export const duesRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, jobs, fieldCrypto: fc } = services;

    jobs.register('dues.generate', async ({ job, progress }) => {
      const p = job.payload as { scope: ActingScope; month: string };
      return runBillGeneration(db, p.scope, p.month, progress);
    });

    // ---------- rate quote (DESIGN.md contract) and settings ----------

    app.post(
      '/dues/quote',
      {
        schema: {
          tags,
          summary: '按规定测算月交党费（比例适用于全部基数，上限含本数，四舍五入到分）',
          body: QuoteBody,
          response: { 200: QuoteReply },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) =>
        quoteDues(req.body.category, req.body.monthlyBaseFen, await getSettings(db, scopeOf(req).tenantId)),
    );

    app.get(
      '/dues/settings',
      {
        schema: {
          tags,
          summary: '党费设置（农民党员月交额、预交上限、离退休基数口径）',
          response: { 200: SettingsInput },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => getSettings(db, scopeOf(req).tenantId),
    );

    app.put(
      '/dues/settings',
      {
        schema: { tags, summary: '修改党费设置', body: SettingsInput, response: { 200: SettingsInput } },
        config: { access: { roles: ['admin'] } },
      },
      async (req) => putSettings(db, scopeOf(req), req.body),
    );

    // ---------- bases (核定基数) ----------

    app.get(
      '/dues/bases',
      {
        schema: {
          tags,
          summary: '党员党费基数（某月适用的基数；missing=true 只看未设置的）',
          querystring: Paging.extend({
            ...orgQuery,
            month: DuesMonth.optional(),
            q: z.string().trim().max(50).optional(),
            missing: z.stringbool().optional(),
          }),
          response: { 200: Page(BaseRow) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => listBases(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
    );

    app.post(
      '/members/:id/dues-bases',
      {
        schema: {
          tags,
          summary: '核定党员党费基数（自某月起适用；同月再设为更正）',
          ...byId,
          body: z.strictObject({
            monthlyBaseFen: MonthlyBaseFen,
            effectiveFrom: DuesMonth,
            category: QuoteBody.shape.category.optional(),
            note: z.string().trim().max(200).optional(),
          }),
          response: { 201: DuesBase },
        },
        config: { access: { roles: MANAGERS, target: { from: 'params', key: 'id', lookup: orgOfMember } } },
      },
      async (req, reply) => reply.status(201).send(await setBase(db, scopeOf(req), req.params.id, req.body)),
    );

    app.get(
      '/members/:id/dues-bases',
      {
        schema: { tags, summary: '党员党费基数历史', ...byId, querystring: Paging, response: { 200: Page(DuesBase) } },
        config: { access: { roles: READERS, target: { from: 'params', key: 'id', lookup: orgOfMember } } },
      },
      async (req) => baseHistory(db, scopeOf(req).tenantId, req.params.id, req.query.page, req.query.pageSize),
    );

    app.get(
      '/dues/bases/import-template',
      {
        schema: { tags, summary: '党费基数导入模板（.xlsx，可由工资表整理）' },
        config: { access: { roles: MANAGERS } },
      },
      async (_req, reply) =>
        reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition('党费基数导入模板.xlsx'))
          .send(await baseTemplate()),
    );

    app.post(
      '/dues/bases/import',
      {
        schema: {
          tags,
          summary: '从工资表导入党费基数（全部成功或全部不导入）',
          querystring: z.object(orgQuery),
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ imported: z.number() }) },
        },
        config: { access: { roles: MANAGERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => {
        const { data, fileName } = await readUpload(req);
        return importBases(db, fc, scopeOf(req), data, fileName);
      },
    );

    // ---------- corrections ----------

    app.get(
      '/dues/corrections',
      {
        schema: {
          tags,
          summary: '党费基数更正申请',
          querystring: Paging.extend({ ...orgQuery, status: z.enum(APPROVAL_STATUSES).optional() }),
          response: { 200: Page(Correction) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => listCorrections(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
    );

    app.post(
      '/dues-corrections/:id/decision',
      {
        schema: {
          tags,
          summary: '处理基数更正申请（同意即按申请基数自指定月份起生效）',
          ...byId,
          body: Decision.extend({ effectiveFrom: DuesMonth.optional() }),
          response: { 200: Correction },
        },
        config: { access: { roles: MANAGERS, target: { from: 'params', key: 'id', lookup: orgOfCorrection } } },
      },
      async (req) => decideCorrection(db, scopeOf(req), req.params.id, req.body),
    );

    // ---------- member self-service ----------

    app.get(
      '/dues/me',
      {
        schema: {
          tags,
          summary: '我的党费：基数、月交金额、欠缴与提醒',
          response: {
            200: z.object({
              member: z.object({ id: z.string(), name: z.string(), orgId: z.string(), category: z.string() }),
              base: DuesBase.nullable(),
              unpaidCount: z.number(),
              owedFen: z.number(),
              reminders: z.array(
                z.object({
                  id: z.string(),
                  sentOn: z.string(),
                  unpaidMonths: z.number(),
                  owedFen: z.number(),
                  level: z.string(),
                  sentBy: z.string().nullable(),
                }),
              ),
              corrections: z.array(Correction),
            }),
          },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => {
        const scope = scopeOf(req);
        const self = await selfMember(db, scope);
        const unpaid = await listBills(db, scope.tenantId, '/', { memberId: self.id, status: 'unpaid' }, 1, 200);
        return {
          member: { id: self.id, name: self.name, orgId: self.orgId, category: self.duesCategory },
          base: await baseInForce(db, scope.tenantId, self.id),
          unpaidCount: unpaid.total,
          owedFen: unpaid.items.reduce((s, b) => s + b.dueFen, 0),
          reminders: await myReminders(db, scope, self.id),
          corrections: (
            await listCorrections(db, { ...scope, org: { ...scope.org, path: '/' } }, { memberId: self.id }, 1, 10)
          ).items,
        };
      },
    );

    app.get(
      '/dues/me/bills',
      {
        schema: {
          tags,
          summary: '我的党费账单',
          querystring: Paging.extend({ status: z.enum(DUES_BILL_STATUSES).optional() }),
          response: { 200: Page(DuesBill) },
        },
        config: { access: { roles: 'any' } },
      },
      async (req) => {
        const scope = scopeOf(req);
        const self = await selfMember(db, scope);
        return listBills(
          db,
          scope.tenantId,
          '/',
          { memberId: self.id, status: req.query.status },
          req.query.page,
          req.query.pageSize,
        );
      },
    );

    app.get(
      '/dues/me/payments',
      {
        schema: { tags, summary: '我的缴费记录', querystring: Paging, response: { 200: Page(DuesPayment) } },
        config: { access: { roles: 'any' } },
      },
      async (req) => {
        const scope = scopeOf(req);
        const self = await selfMember(db, scope);
        return listPayments(db, scope.tenantId, '/', { memberId: self.id }, req.query.page, req.query.pageSize);
      },
    );

    app.get(
      '/dues/me/bases',
      {
        schema: { tags, summary: '我的党费基数历史', querystring: Paging, response: { 200: Page(DuesBase) } },
        config: { access: { roles: 'any' } },
      },
      async (req) => {
        const scope = scopeOf(req);
        const self = await selfMember(db, scope);
        return baseHistory(db, scope.tenantId, self.id, req.query.page, req.query.pageSize);
      },
    );

    app.post(
      '/dues/me/corrections',
      {
        schema: { tags, summary: '申请更正我的党费基数', body: CorrectionInput, response: { 201: Correction } },
        config: { access: { roles: 'any' } },
      },
      async (req, reply) => reply.status(201).send(await requestCorrection(db, scopeOf(req), req.body)),
    );

    app.get(
      '/dues/todo',
      {
        schema: {
          tags,
          summary: '党费待办（党员：本人待交与提醒；书记及以上：欠缴预警与待审批）',
          querystring: z.object(orgQuery),
          response: {
            200: Page(
              z.object({
                kind: z.string(),
                level: z.enum(['info', 'warning', 'critical']),
                count: z.number(),
                message: z.string(),
              }),
            ),
          },
        },
        config: { access: { roles: 'any', target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => todo(db, scopeOf(req)),
    );

    // ---------- bills ----------

    app.post(
      '/dues/bills/generate',
      {
        schema: {
          tags,
          summary: '生成某月党费账单（后台任务，可重复执行，不会重复生成）',
          body: z.strictObject({ orgId: Uuid.optional(), month: DuesMonth }),
          response: { 202: z.object({ jobId: z.string() }) },
        },
        config: { access: { roles: MANAGERS, target: { from: 'body', key: 'orgId', optional: true } } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const acting: ActingScope = { tenantId: scope.tenantId, org: scope.org, actor: scope.actor };
        const jobId = await jobs.enqueue({
          tenantId: scope.tenantId,
          kind: 'dues.generate',
          payload: { scope: acting, month: req.body.month },
          createdBy: scope.principal.user.id,
        });
        return reply.status(202).send({ jobId });
      },
    );

    app.get(
      '/dues/bills',
      {
        schema: {
          tags,
          summary: '党费账单（组织及下级）',
          querystring: Paging.extend({
            ...orgQuery,
            month: DuesMonth.optional(),
            status: z.enum(DUES_BILL_STATUSES).optional(),
            memberId: Uuid.optional(),
            q: z.string().trim().max(50).optional(),
          }),
          response: { 200: Page(DuesBill) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => {
        const { page, pageSize, orgId: _o, ...f } = req.query;
        return listBills(db, scopeOf(req).tenantId, scopeOf(req).org.path, f, page, pageSize);
      },
    );

    app.get(
      '/dues-bills/:id',
      {
        schema: { tags, summary: '党费账单详情（党员仅限本人）', ...byId, response: { 200: DuesBill } },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfBill } } },
      },
      async (req) => {
        const scope = scopeOf(req);
        const bill = await getBill(db, scope.tenantId, req.params.id);
        if (!isManager(scope) && scope.role !== 'auditor' && (await selfMember(db, scope)).id !== bill.memberId)
          throw notFound();
        return bill;
      },
    );

    app.post(
      '/dues-bills/:id/pay',
      {
        schema: {
          tags,
          summary: '在线缴纳本人党费（微信支付 JSAPI/H5 或支付宝手机网站支付；可补交、预交、自愿多交）',
          ...byId,
          body: PayBody,
          response: { 200: PayReply },
        },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfBill } } },
      },
      async (req) => createOnlinePayment(db, services.config.payment, scopeOf(req), req.params.id, req.body, req.ip),
    );

    app.post(
      '/dues-bills/:id/offline-payment',
      {
        schema: {
          tags,
          summary: '登记线下缴纳（现金/转账），立即出具收据',
          ...byId,
          body: OfflinePaymentBody,
          response: { 201: DuesPayment },
        },
        config: { access: { roles: MANAGERS, target: { from: 'params', key: 'id', lookup: orgOfBill } } },
      },
      async (req, reply) =>
        reply.status(201).send(await recordOfflinePayment(db, scopeOf(req), req.params.id, req.body)),
    );

    // ---------- payments ----------

    app.get(
      '/dues/payments',
      {
        schema: {
          tags,
          summary: '缴费记录（组织及下级）',
          querystring: Paging.extend({
            ...orgQuery,
            status: z.enum(PAYMENT_STATUSES).optional(),
            channel: z.enum(PAYMENT_CHANNELS).optional(),
            month: DuesMonth.optional(),
            memberId: Uuid.optional(),
          }),
          response: { 200: Page(DuesPayment) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => {
        const { page, pageSize, orgId: _o, ...f } = req.query;
        return listPayments(db, scopeOf(req).tenantId, scopeOf(req).org.path, f, page, pageSize);
      },
    );

    app.get(
      '/dues-payments/:id',
      {
        schema: {
          tags,
          summary: '缴费详情（党员仅限本人；在线支付完成前为待支付）',
          ...byId,
          response: { 200: DuesPayment },
        },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfPayment } } },
      },
      async (req) => getPayment(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/dues-payments/:id/receipt',
      {
        schema: { tags, summary: '党费收据（党员仅限本人）', ...byId, response: { 200: Receipt } },
        config: { access: { roles: 'any', target: { from: 'params', key: 'id', lookup: orgOfPayment } } },
      },
      async (req) => receipt(db, scopeOf(req), req.params.id),
    );

    app.get(
      '/dues/notify-log',
      {
        schema: {
          tags,
          summary: '支付回调日志（含验签失败、金额不符、重复通知）',
          querystring: Paging,
          response: {
            200: Page(
              z.object({
                id: z.string(),
                provider: z.string(),
                outTradeNo: z.string().nullable(),
                verdict: z.string(),
                detail: z.string().nullable(),
                amountFen: z.number().nullable(),
                remoteAddress: z.string().nullable(),
                receivedAt: z.string(),
              }),
            ),
          },
        },
        config: { access: { roles: ['admin', 'auditor'] } },
      },
      async (req) => listNotifyLog(db, scopeOf(req).tenantId, req.query.page, req.query.pageSize),
    );

    // Provider callbacks: public, raw bodies (signatures cover the exact bytes).
    await app.register(async (pub) => {
      pub.removeContentTypeParser('application/json');
      pub.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
      pub.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 64 * 1024 },
        (_req, body, done) => done(null, body),
      );
      pub.post(
        '/dues/notify/wechat',
        {
          schema: { tags, summary: '微信支付回调（验签 + AES-256-GCM 解密；重复通知不重复入账）' },
          config: { access: { public: true } },
        },
        async (req, reply) => {
          const raw = typeof req.body === 'string' ? req.body : '';
          const verdict = await handleWechatNotify(db, services.config.payment, raw, req.headers, req.ip);
          req.log.info({ verdict }, 'wechat pay notification');
          return reply.status(204).send();
        },
      );
      pub.post(
        '/dues/notify/alipay',
        {
          schema: { tags, summary: '支付宝异步通知（RSA2 验签；重复通知不重复入账）' },
          config: { access: { public: true } },
        },
        async (req, reply) => {
          const raw = typeof req.body === 'string' ? req.body : '';
          const params = Object.fromEntries(new URLSearchParams(raw));
          const verdict = await handleAlipayNotify(db, services.config.payment, params, req.ip);
          req.log.info({ verdict }, 'alipay notification');
          return reply.type('text/plain').send('success');
        },
      );
    });

    // ---------- exemptions (特殊困难减免) ----------

    app.post(
      '/members/:id/dues-exemptions',
      {
        schema: {
          tags,
          summary: '申请特殊困难减免（支部研究后报上级党委批准）',
          ...byId,
          body: ExemptionInput.omit({ memberId: true }),
          response: { 201: Exemption },
        },
        config: { access: { roles: MANAGERS, target: { from: 'params', key: 'id', lookup: orgOfMember } } },
      },
      async (req, reply) => reply.status(201).send(await requestExemption(db, scopeOf(req), req.params.id, req.body)),
    );

    app.get(
      '/dues/exemptions',
      {
        schema: {
          tags,
          summary: '特殊困难减免申请',
          querystring: Paging.extend({ ...orgQuery, status: z.enum(APPROVAL_STATUSES).optional() }),
          response: { 200: Page(Exemption) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => listExemptions(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
    );

    app.post(
      '/dues-exemptions/:id/decision',
      {
        schema: {
          tags,
          summary: '上级党委审批减免（批准后相应月份账单即按减免后金额）',
          ...byId,
          body: Decision,
          response: { 200: Exemption },
        },
        config: { access: { roles: MANAGERS, target: { from: 'params', key: 'id', lookup: orgOfExemption } } },
      },
      async (req) => decideExemption(db, scopeOf(req), req.params.id, req.body),
    );

    // ---------- arrears ----------

    app.get(
      '/dues/arrears',
      {
        schema: {
          tags,
          summary: '欠缴党员（1/3/6 个月；3 个月起预警，连续 6 个月按党章第九条处理）',
          querystring: Paging.extend({
            ...orgQuery,
            minMonths: z.coerce.number().int().min(1).max(120).default(1),
            asOf: DuesMonth.optional(),
          }),
          response: {
            200: Page(ArrearsItem).extend({
              asOf: z.string(),
              owedFen: z.number(),
              summary: z.object({ notice: z.number(), warning: z.number(), critical: z.number() }),
              levels: z.array(z.object({ level: z.string(), fromMonths: z.number(), label: z.string() })),
            }),
          },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => arrears(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
    );

    app.post(
      '/dues/arrears/reminders',
      {
        schema: {
          tags,
          summary: '向欠缴党员发送提醒（每人每天至多一次）',
          body: z.strictObject({ orgId: Uuid.optional(), minMonths: z.number().int().min(1).max(120).default(1) }),
          response: { 200: z.object({ reminded: z.number() }) },
        },
        config: { access: { roles: MANAGERS, target: { from: 'body', key: 'orgId', optional: true } } },
      },
      async (req) => sendReminders(db, scopeOf(req), req.body.minMonths),
    );

    // ---------- ledger ----------

    const LedgerItem = z.object({
      month: z.string(),
      billedFen: z.number(),
      paidBillsFen: z.number(),
      unpaidFen: z.number(),
      collectedFen: z.number(),
      extraFen: z.number(),
      remittedFen: z.number(),
      usedFen: z.number(),
      netFen: z.number(),
      balanceFen: z.number(),
    });
    app.get(
      '/dues/ledger',
      {
        schema: {
          tags,
          summary: '党费台账：按月收缴、上缴、使用与结余（组织及下级）',
          querystring: z.object({ ...orgQuery, year: Year.optional() }),
          response: {
            200: Page(LedgerItem).extend({
              org: z.object({ id: z.string(), name: z.string() }),
              year: z.number(),
              openingFen: z.number(),
              totals: z.record(z.string(), z.number()),
            }),
          },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => ledger(db, scopeOf(req), req.query.year ?? thisYear()),
    );

    app.get(
      '/dues/public-ledger',
      {
        schema: {
          tags,
          summary: '党费收缴使用公开（本组织党员可见，不含个人明细）',
          querystring: z.object({ ...orgQuery, year: Year.optional() }),
        },
        config: { access: { roles: 'any', target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => {
        const scope = scopeOf(req);
        // A member's widest binding may be above their branch; without orgId they see their own branch.
        if (!req.query.orgId && !isManager(scope) && scope.role !== 'auditor') {
          const self = await selfMember(db, scope).catch(() => null);
          if (self) {
            const { loadOrgRef } = await import('../../platform/access');
            const home = await loadOrgRef(db, scope.tenantId, self.orgId);
            if (home) return publicLedger(db, { tenantId: scope.tenantId, org: home }, req.query.year ?? thisYear());
          }
        }
        return publicLedger(db, scope, req.query.year ?? thisYear());
      },
    );

    app.get(
      '/dues/reconciliation',
      {
        schema: {
          tags,
          summary: '党费对账报表（各组织明细、合计与勾稽检查）',
          querystring: Paging.extend({ ...orgQuery, from: DuesMonth, to: DuesMonth }),
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => reconciliation(db, scopeOf(req), req.query.from, req.query.to, req.query.page, req.query.pageSize),
    );

    app.get(
      '/dues/export',
      {
        schema: {
          tags,
          summary: '导出党费台账、账单、缴费、上缴、使用与对账（.xlsx）',
          querystring: z.object({ ...orgQuery, year: Year.optional() }),
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const year = req.query.year ?? thisYear();
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition(`党费台账-${scope.org.name}-${year}.xlsx`))
          .send(await exportWorkbook(db, scope, year));
      },
    );

    app.post(
      '/dues/remittances',
      {
        schema: {
          tags,
          summary: '登记党费上缴（上缴至上级党组织）',
          body: RemittanceInput,
          response: { 201: Remittance },
        },
        config: { access: { roles: MANAGERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req, reply) => reply.status(201).send(await recordRemittance(db, scopeOf(req), req.body)),
    );

    app.get(
      '/dues/remittances',
      {
        schema: {
          tags,
          summary: '党费上缴记录（本组织上缴及收到的上缴）',
          querystring: Paging.extend({ ...orgQuery, year: Year.optional() }),
          response: { 200: Page(Remittance) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => listRemittances(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
    );

    app.post(
      '/dues/usages',
      {
        schema: {
          tags,
          summary: '登记党费使用（待审批，批准后计入台账并公开）',
          body: UsageInput,
          response: { 201: Usage },
        },
        config: { access: { roles: MANAGERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req, reply) => reply.status(201).send(await requestUsage(db, scopeOf(req), req.body)),
    );

    app.get(
      '/dues/usages',
      {
        schema: {
          tags,
          summary: '党费使用记录',
          querystring: Paging.extend({
            ...orgQuery,
            status: z.enum(APPROVAL_STATUSES).optional(),
            year: Year.optional(),
          }),
          response: { 200: Page(Usage) },
        },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => listUsages(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
    );

    app.post(
      '/dues-usages/:id/decision',
      {
        schema: {
          tags,
          summary: '审批党费使用（不能审批本人提交的）',
          ...byId,
          body: Decision,
          response: { 200: Usage },
        },
        config: { access: { roles: MANAGERS, target: { from: 'params', key: 'id', lookup: orgOfUsage } } },
      },
      async (req) => decideUsage(db, scopeOf(req), req.params.id, req.body),
    );
  };
