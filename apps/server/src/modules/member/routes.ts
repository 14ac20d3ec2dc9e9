import multipart from '@fastify/multipart';
import { AGE_BANDS, DUES_CATEGORIES, EDUCATIONS, GENDERS, Member, MEMBER_STATUSES, MemberInput, Page, Paging, Uuid } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../platform/errors';
import { scopeOf } from '../../platform/http';
import type { Services } from '../../platform/services';
import { exportWorkbook, importMembers, templateWorkbook, XLSX_MIME } from './excel';
import { createMember, getMember, listMembers, orgOfMember } from './service';

const MANAGERS = ['admin', 'org_admin', 'secretary'] as const;
const READERS = ['admin', 'org_admin', 'secretary', 'auditor'] as const;

const ListQuery = Paging.extend({
  orgId: Uuid.optional(),
  q: z.string().trim().max(50).optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  gender: z.enum(GENDERS).optional(),
  education: z.enum(EDUCATIONS).optional(),
  duesCategory: z.enum(DUES_CATEGORIES).optional(),
  ageBand: z.enum(AGE_BANDS.map((b) => b.key) as [string, ...string[]]).optional(),
  flowing: z.stringbool().optional(),
});

const contentDisposition = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

export const memberRoutes =
  ({ db, fieldCrypto: fc }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });

    app.post(
      '/members',
      {
        schema: { tags: ['member'], summary: '新增党员', body: MemberInput, response: { 201: Member } },
        config: { access: { roles: MANAGERS, target: { from: 'body', key: 'orgId' } } },
      },
      async (req, reply) => reply.status(201).send(await createMember(db, fc, scopeOf(req), req.body)),
    );

    app.get(
      '/members',
      {
        schema: { tags: ['member'], summary: '党员花名册（组织及下级）', querystring: ListQuery, response: { 200: Page(Member) } },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => {
        const { page, pageSize, orgId: _o, ...filter } = req.query;
        return listMembers(db, fc, scopeOf(req), filter, page, pageSize);
      },
    );

    app.get(
      '/members/import-template',
      {
        schema: { tags: ['member'], summary: '党员导入模板（.xlsx）' },
        config: { access: { roles: MANAGERS } },
      },
      async (_req, reply) =>
        reply.header('content-type', XLSX_MIME).header('content-disposition', contentDisposition('党员导入模板.xlsx')).send(await templateWorkbook()),
    );

    app.get(
      '/members/export',
      {
        schema: { tags: ['member'], summary: '导出党员花名册（.xlsx，敏感信息脱敏）', querystring: ListQuery.omit({ page: true, pageSize: true }) },
        config: { access: { roles: READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req, reply) => {
        const scope = scopeOf(req);
        const { orgId: _o, ...filter } = req.query;
        async function* pages() {
          for (let page = 1; ; page++) {
            const { items } = await listMembers(db, fc, scope, filter, page, 1000);
            if (items.length === 0) return;
            yield items;
          }
        }
        const file = await exportWorkbook(pages());
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition(`党员花名册-${scope.org.name}.xlsx`))
          .send(file);
      },
    );

    app.post(
      '/members/import',
      {
        schema: {
          tags: ['member'],
          summary: '从 Excel 导入党员（全部成功或全部不导入）',
          querystring: z.object({ orgId: Uuid.optional() }),
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ imported: z.number() }) },
        },
        config: { access: { roles: MANAGERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => {
        if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件（字段名 file）', undefined, 'FILE_REQUIRED');
        const file = await req.file();
        if (!file || file.fieldname !== 'file') throw badRequest('请上传文件（字段名 file）', undefined, 'FILE_REQUIRED');
        const buffer = await file.toBuffer();
        return importMembers(db, fc, scopeOf(req), buffer, file.filename);
      },
    );

    app.get(
      '/members/:id',
      {
        schema: { tags: ['member'], summary: '党员详情', params: z.object({ id: Uuid }), response: { 200: Member } },
        config: { access: { roles: READERS, target: { from: 'params', key: 'id', lookup: orgOfMember } } },
      },
      async (req) => getMember(db, fc, scopeOf(req), req.params.id),
    );
  };
