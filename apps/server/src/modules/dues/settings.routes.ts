/** 党费 routes: the rate quote (DESIGN.md contract), settings, 核定基数 and base corrections. */
import {
  APPROVAL_STATUSES,
  Decision,
  DuesBase,
  DuesMonth,
  MonthlyBaseFen,
  Page,
  Paging,
  QuoteBody,
  QuoteReply,
  quoteDues,
  SettingsInput,
  RECORD_KEEPERS,
  RECORD_READERS,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readUpload } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, onRecord, optionalOrg, recordOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { orgOfMember } from '../member/service';
import { baseTemplate, importBases, XLSX_MIME } from './excel';
import {
  baseHistory,
  decideCorrection,
  getSettings,
  listBases,
  listCorrections,
  orgOfCorrection,
  putSettings,
  setBase,
} from './service';
import { tags, orgQuery, contentDisposition, BaseRow, Correction } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];

export async function settingsRoutes(app: App, services: Services) {
  const { db, fieldCrypto: fc } = services;

  // ---------- rate quote (DESIGN.md contract) and settings ----------

  app.post(
    '/dues/quote',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '按规定测算月交党费（比例适用于全部基数，上限含本数，四舍五入到分）',
      body: QuoteBody,
      response: { 200: QuoteReply },
    }),
    async (req) => quoteDues(req.body.category, req.body.monthlyBaseFen, await getSettings(db, scopeOf(req).tenantId)),
  );

  app.get(
    '/dues/settings',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '党费设置（农民党员月交额、预交上限、离退休基数口径）',
      response: { 200: SettingsInput },
    }),
    async (req) => getSettings(db, scopeOf(req).tenantId),
  );

  app.put(
    '/dues/settings',
    declared({
      access: { roles: ['admin'] },
      tags,
      summary: '修改党费设置',
      body: SettingsInput,
      response: { 200: SettingsInput },
    }),
    async (req) => putSettings(db, scopeOf(req), req.body),
  );

  // ---------- bases (核定基数) ----------

  app.get(
    '/dues/bases',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '党员党费基数（某月适用的基数；missing=true 只看未设置的）',
      querystring: Paging.extend({
        ...orgQuery,
        month: DuesMonth.optional(),
        q: z.string().trim().max(50).optional(),
        missing: z.stringbool().optional(),
      }),
      response: { 200: Page(BaseRow) },
    }),
    async (req) => listBases(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
  );

  app.post(
    '/members/:id/dues-bases',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfMember) },
      tags,
      summary: '核定党员党费基数（自某月起适用；同月再设为更正）',
      body: z.strictObject({
        monthlyBaseFen: MonthlyBaseFen,
        effectiveFrom: DuesMonth,
        category: QuoteBody.shape.category.optional(),
        note: z.string().trim().max(200).optional(),
      }),
      response: { 201: DuesBase },
    }),
    async (req, reply) => reply.status(201).send(await setBase(db, scopeOf(req), req.params.id, req.body)),
  );

  app.get(
    '/members/:id/dues-bases',
    onRecord({
      access: { roles: RECORD_READERS, target: recordOrg(orgOfMember) },
      tags,
      summary: '党员党费基数历史',
      querystring: Paging,
      response: { 200: Page(DuesBase) },
    }),
    async (req) => baseHistory(db, scopeOf(req).tenantId, req.params.id, req.query.page, req.query.pageSize),
  );

  app.get(
    '/dues/bases/import-template',
    declared({ access: { roles: RECORD_KEEPERS }, tags, summary: '党费基数导入模板（.xlsx，可由工资表整理）' }),
    async (_req, reply) =>
      reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', contentDisposition('党费基数导入模板.xlsx'))
        .send(await baseTemplate()),
  );

  app.post(
    '/dues/bases/import',
    declared({
      access: { roles: RECORD_KEEPERS, target: optionalOrg },
      tags,
      summary: '从工资表导入党费基数（全部成功或全部不导入）',
      querystring: z.object(orgQuery),
      consumes: ['multipart/form-data'],
      response: { 200: z.object({ imported: z.number() }) },
    }),
    async (req) => {
      const { data, fileName } = await readUpload(req);
      return importBases(db, fc, scopeOf(req), data, fileName);
    },
  );

  // ---------- corrections ----------

  app.get(
    '/dues/corrections',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '党费基数更正申请',
      querystring: Paging.extend({ ...orgQuery, status: z.enum(APPROVAL_STATUSES).optional() }),
      response: { 200: Page(Correction) },
    }),
    async (req) => listCorrections(db, scopeOf(req), req.query, req.query.page, req.query.pageSize),
  );

  app.post(
    '/dues-corrections/:id/decision',
    onRecord({
      access: { roles: RECORD_KEEPERS, target: recordOrg(orgOfCorrection) },
      tags,
      summary: '处理基数更正申请（同意即按申请基数自指定月份起生效）',
      body: Decision.extend({ effectiveFrom: DuesMonth.optional() }),
      response: { 200: Correction },
    }),
    async (req) => decideCorrection(db, scopeOf(req), req.params.id, req.body),
  );
}
