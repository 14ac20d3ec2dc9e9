/** 党费 routes: 特殊困难减免 and arrears with their reminders. */
import {
  APPROVAL_STATUSES,
  Decision,
  DuesMonth,
  ExemptionInput,
  Page,
  Paging,
  RECORD_KEEPERS,
  RECORD_READERS,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { orgOfMember } from '../member/service';
import { arrearsWorkbook, XLSX_MIME } from './excel';
import { arrears, sendReminders } from './ledger';
import { decideExemption, listExemptions, orgOfExemption, requestExemption } from './service';
import { tags, orgQuery, Exemption, ArrearsItem, contentDisposition } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];

export async function exemptionsRoutes(app: App, services: Services) {
  const { db, fieldCrypto: fc } = services;

  // ---------- exemptions (特殊困难减免) ----------

  app.post(
    '/members/:id/dues-exemptions',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfMember) },
      tags,
      summary: '申请特殊困难减免（支部研究后报上级党委批准）',
      body: ExemptionInput.omit({ memberId: true }),
      response: { 201: Exemption },
    }),
    async (req, reply) => reply.status(201).send(await requestExemption(db, scopeOf(req), req.params.id, req.body)),
  );

  app.get(
    '/dues/exemptions',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '特殊困难减免申请',
      querystring: Paging.extend({ ...orgQuery, status: z.enum(APPROVAL_STATUSES).optional() }),
      response: { 200: Page(Exemption) },
    }),
    async (req) => listExemptions(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
  );

  app.post(
    '/dues-exemptions/:id/decision',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfExemption) },
      tags,
      summary: '上级党委审批减免（批准后相应月份账单即按减免后金额）',
      body: Decision,
      response: { 200: Exemption },
    }),
    async (req) => decideExemption(db, scopeOf(req), req.params.id, req.body),
  );

  // ---------- arrears ----------

  app.get(
    '/dues/arrears',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
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
    }),
    async (req) => arrears(db, fc, scopeOf(req), req.query, req.query.page, req.query.pageSize),
  );

  // A POST: the export writes the reveal of full numbers to the audit log, and no GET may write (14.14).
  app.post(
    '/dues/arrears/export',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '导出欠缴名单（.xlsx，含手机号：支部书记、组织部为完整号码并留痕，其他角色脱敏）',
      querystring: z.object({ ...orgQuery, minMonths: z.coerce.number().int().min(1).max(120).default(1) }),
    }),
    async (req, reply) => {
      const scope = scopeOf(req);
      const { file } = await arrearsWorkbook(db, fc, scope, req.query.minMonths);
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', contentDisposition(`欠缴名单-${scope.org.name}.xlsx`))
        .send(file);
    },
  );

  app.post(
    '/dues/arrears/reminders',
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId', optional: true } },
      tags,
      summary: '向欠缴党员发送提醒（每人每天至多一次）',
      body: z.strictObject({ orgId: Uuid.optional(), minMonths: z.number().int().min(1).max(120).default(1) }),
      response: { 200: z.object({ reminded: z.number() }) },
    }),
    async (req) => sendReminders(db, scopeOf(req), req.body.minMonths),
  );
}
