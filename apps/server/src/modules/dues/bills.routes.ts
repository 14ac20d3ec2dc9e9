/** 党费 routes: bills, payments, receipts and the (public, signature-verified) provider callbacks. */
import {
  DUES_BILL_STATUSES,
  DuesBill,
  DuesMonth,
  DuesPayment,
  OfflinePaymentBody,
  Page,
  Paging,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  PayBody,
  PayReply,
  Receipt,
  Uuid,
  AUDIT_READERS,
  RECORD_KEEPERS,
  RECORD_READERS,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActingScope } from '../../platform/access';
import { notFound } from '../../platform/errors';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
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
import { getBill, isManager, listBills, orgOfBill, selfMember } from './service';
import { tags, orgQuery } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];

export async function billsRoutes(app: App, services: Services) {
  const { db, jobs } = services;

  // ---------- bills ----------

  app.post(
    '/dues/bills/generate',
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId', optional: true } },
      tags,
      summary: '生成某月党费账单（后台任务，可重复执行，不会重复生成）',
      body: z.strictObject({ orgId: Uuid.optional(), month: DuesMonth }),
      response: { 202: z.object({ jobId: z.string() }) },
    }),
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
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
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
    }),
    async (req) => {
      const { page, pageSize, orgId: _o, ...f } = req.query;
      return listBills(db, scopeOf(req).tenantId, scopeOf(req).org.path, f, page, pageSize);
    },
  );

  app.get(
    '/dues-bills/:id',
    onRecord({
      access: { roles: 'any', target: recordOrg(orgOfBill) },
      tags,
      summary: '党费账单详情（党员仅限本人）',
      response: { 200: DuesBill },
    }),
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
    onRecord({
      access: { roles: 'any', target: recordOrg(orgOfBill) },
      tags,
      summary: '在线缴纳本人党费（微信支付 JSAPI/H5 或支付宝手机网站支付；可补交、预交、自愿多交）',
      body: PayBody,
      response: { 200: PayReply },
    }),
    async (req) => createOnlinePayment(db, services.config.payment, scopeOf(req), req.params.id, req.body, req.ip),
  );

  app.post(
    '/dues-bills/:id/offline-payment',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfBill) },
      tags,
      summary: '登记线下缴纳（现金/转账），立即出具收据',
      body: OfflinePaymentBody,
      response: { 201: DuesPayment },
    }),
    async (req, reply) => reply.status(201).send(await recordOfflinePayment(db, scopeOf(req), req.params.id, req.body)),
  );

  // ---------- payments ----------

  app.get(
    '/dues/payments',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
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
    }),
    async (req) => {
      const { page, pageSize, orgId: _o, ...f } = req.query;
      return listPayments(db, scopeOf(req).tenantId, scopeOf(req).org.path, f, page, pageSize);
    },
  );

  app.get(
    '/dues-payments/:id',
    onRecord({
      access: { roles: 'any', target: recordOrg(orgOfPayment) },
      tags,
      summary: '缴费详情（党员仅限本人；在线支付完成前为待支付）',
      response: { 200: DuesPayment },
    }),
    async (req) => getPayment(db, scopeOf(req), req.params.id),
  );

  app.get(
    '/dues-payments/:id/receipt',
    onRecord({
      access: { roles: 'any', target: recordOrg(orgOfPayment) },
      tags,
      summary: '党费收据（党员仅限本人）',
      response: { 200: Receipt },
    }),
    async (req) => receipt(db, scopeOf(req), req.params.id),
  );

  app.get(
    '/dues/notify-log',
    declared({
      access: { roles: AUDIT_READERS },
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
    }),
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
    // Not the public limit: a provider retries and bursts, and behind a proxy shares one address.
    const notifyLimit = { max: services.config.payNotifyRatePerMin, timeWindow: 60_000 };
    pub.post(
      '/dues/notify/wechat',
      {
        schema: { tags, summary: '微信支付回调（验签 + AES-256-GCM 解密；重复通知不重复入账）' },
        config: { access: { public: true }, rateLimit: notifyLimit },
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
        config: { access: { public: true }, rateLimit: notifyLimit },
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
}
