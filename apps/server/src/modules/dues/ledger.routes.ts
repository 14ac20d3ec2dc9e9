/** 党费 routes: the ledger, the public ledger, reconciliation, export, remittances and usages. */
import {
  APPROVAL_STATUSES,
  Decision,
  DuesMonth,
  Page,
  Paging,
  RECORD_KEEPERS,
  RECORD_READERS,
  RemittanceInput,
  UsageInput,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { exportWorkbook, XLSX_MIME } from './excel';
import {
  decideUsage,
  ledger,
  listRemittances,
  listUsages,
  memberLedgerOrg,
  orgOfUsage,
  publicLedger,
  reconciliation,
  recordRemittance,
  requestUsage,
} from './ledger';
import { isManager, selfMember } from './service';
import { tags, orgQuery, Year, contentDisposition, thisYear, Usage, Remittance } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];

export async function ledgerRoutes(app: App, services: Services) {
  const { db } = services;

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
    centralFen: z.number(),
    centralHeldFen: z.number(),
    usableFen: z.number(),
  });
  app.get(
    '/dues/ledger',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '党费台账：按月收缴、上缴、使用与结余（组织及下级）',
      querystring: z.object({ ...orgQuery, year: Year.optional() }),
      response: {
        200: Page(LedgerItem).extend({
          org: z.object({ id: z.string(), name: z.string() }),
          year: z.number(),
          openingFen: z.number(),
          totals: z.record(z.string(), z.number()),
          centralRule: z.string(),
        }),
      },
    }),
    async (req) => ledger(db, scopeOf(req), req.query.year ?? thisYear()),
  );

  app.get(
    '/dues/public-ledger',
    declared({
      access: { roles: 'any', target: optionalOrg },
      tags,
      summary: '党费收缴使用公开（本组织党员可见，不含个人明细）',
      querystring: z.object({ ...orgQuery, year: Year.optional() }),
    }),
    async (req) => {
      const scope = scopeOf(req);
      // A member's widest binding may be above their branch; without orgId they see their own branch.
      if (!req.query.orgId && !isManager(scope) && scope.role !== 'auditor') {
        const self = await selfMember(db, scope).catch(() => null);
        if (self) {
          const home = await memberLedgerOrg(db, scope.tenantId, self.orgId);
          if (home) return publicLedger(db, { tenantId: scope.tenantId, org: home }, req.query.year ?? thisYear());
        }
      }
      return publicLedger(db, scope, req.query.year ?? thisYear());
    },
  );

  app.get(
    '/dues/reconciliation',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '党费对账报表（各组织明细、合计与勾稽检查）',
      querystring: Paging.extend({ ...orgQuery, from: DuesMonth, to: DuesMonth }),
    }),
    async (req) => reconciliation(db, scopeOf(req), req.query.from, req.query.to, req.query.page, req.query.pageSize),
  );

  app.get(
    '/dues/export',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '导出党费台账、账单、缴费、上缴、使用与对账（.xlsx）',
      querystring: z.object({ ...orgQuery, year: Year.optional() }),
    }),
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
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
      tags,
      summary: '登记党费上缴（上缴至上级党组织）',
      body: RemittanceInput,
      response: { 201: Remittance },
    }),
    async (req, reply) => reply.status(201).send(await recordRemittance(db, scopeOf(req), req.body)),
  );

  app.get(
    '/dues/remittances',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '党费上缴记录（本组织上缴及收到的上缴）',
      querystring: Paging.extend({ ...orgQuery, year: Year.optional() }),
      response: { 200: Page(Remittance) },
    }),
    async (req) => listRemittances(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
  );

  app.post(
    '/dues/usages',
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
      tags,
      summary: '登记党费使用（待审批，批准后计入台账并公开）',
      body: UsageInput,
      response: { 201: Usage },
    }),
    async (req, reply) => reply.status(201).send(await requestUsage(db, scopeOf(req), req.body)),
  );

  app.get(
    '/dues/usages',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '党费使用记录',
      querystring: Paging.extend({
        ...orgQuery,
        status: z.enum(APPROVAL_STATUSES).optional(),
        year: Year.optional(),
      }),
      response: { 200: Page(Usage) },
    }),
    async (req) => listUsages(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
  );

  app.post(
    '/dues-usages/:id/decision',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfUsage) },
      tags,
      summary: '审批党费使用（不能审批本人提交的）',
      body: Decision,
      response: { 200: Usage },
    }),
    async (req) => decideUsage(db, scopeOf(req), req.params.id, req.body),
  );
}
