/** 党费 routes of the member's own side: my dues, bills, payments, bases, corrections; the 工作台 to-do. */
import { CorrectionInput, DUES_BILL_STATUSES, DuesBase, DuesBill, DuesPayment, Page, Paging } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, optionalOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { markRemindersRead, myReminders, todo } from './ledger';
import { listPayments } from './payments';
import { baseHistory, baseInForce, listBills, listCorrections, requestCorrection, selfMember } from './service';
import { tags, orgQuery, Correction } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];

export async function meRoutes(app: App, services: Services) {
  const { db } = services;

  // ---------- member self-service ----------

  app.get(
    '/dues/me',
    declared({
      access: { roles: 'any' },
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
              read: z.boolean(),
            }),
          ),
          corrections: z.array(Correction),
        }),
      },
    }),
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

  app.post(
    '/dues/me/reminders/read',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '我已看过支部的党费提醒（标记为已读）',
      response: { 200: z.object({ marked: z.number() }) },
    }),
    async (req) => {
      const scope = scopeOf(req);
      const self = await selfMember(db, scope);
      return { marked: await markRemindersRead(db, scope, self.id) };
    },
  );

  app.get(
    '/dues/me/bills',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '我的党费账单',
      querystring: Paging.extend({ status: z.enum(DUES_BILL_STATUSES).optional() }),
      response: { 200: Page(DuesBill) },
    }),
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
    declared({
      access: { roles: 'any' },
      tags,
      summary: '我的缴费记录',
      querystring: Paging,
      response: { 200: Page(DuesPayment) },
    }),
    async (req) => {
      const scope = scopeOf(req);
      const self = await selfMember(db, scope);
      return listPayments(db, scope.tenantId, '/', { memberId: self.id }, req.query.page, req.query.pageSize);
    },
  );

  app.get(
    '/dues/me/bases',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '我的党费基数历史',
      querystring: Paging,
      response: { 200: Page(DuesBase) },
    }),
    async (req) => {
      const scope = scopeOf(req);
      const self = await selfMember(db, scope);
      return baseHistory(db, scope.tenantId, self.id, req.query.page, req.query.pageSize);
    },
  );

  app.post(
    '/dues/me/corrections',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '申请更正我的党费基数',
      body: CorrectionInput,
      response: { 201: Correction },
    }),
    async (req, reply) => reply.status(201).send(await requestCorrection(db, scopeOf(req), req.body)),
  );

  app.get(
    '/dues/todo',
    declared({
      access: { roles: 'any', target: optionalOrg },
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
    }),
    async (req) => todo(db, scopeOf(req)),
  );
}
