/**
 * 驾驶舱: GET /api/v1/dashboard?orgId= — the subtree's figures for those who oversee it
 * (admin, org_admin, secretary, auditor; members have their own pages).
 */
import {
  AnnualReport,
  ATTENTION_CODES,
  ATTENTION_SORTS,
  type AttentionCode,
  AttentionList,
  Dashboard,
  DashboardChildren,
  MeetingsHeatmap,
  ORG_ADMINS,
  Paging,
  RECORD_READERS,
  todayInChina,
  Uuid,
} from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition } from '../../platform/files';
import { scopeOf } from '../../platform/http';
import { declared, optionalOrg } from '../../platform/route';
import { readDb } from '../../platform/db';
import type { ServerModule } from '../../platform/module';
import type { Services } from '../../platform/services';
import { monthlyStanding } from '../meeting/service';
import { annualReport } from './annual';
import { attentionList } from './attention';
import { annualWorkbook } from './annual-xlsx';
import { officialWorkbook } from './official';
import { dashboardChildren } from './children';
import { boundParts, dashboard } from './service';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const statsRoutes =
  (sources: readonly ServerModule[]) =>
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, fieldCrypto } = services;
    // The heavy read-only queries (statistics, exports, roll-ups) may run on a read replica (platform/replica.ts).
    const rdb = readDb(db);
    // The modules' 驾驶舱 parts, bound to the services once.
    const parts = boundParts(sources, (p) => p.compute(services));
    app.get(
      '/dashboard',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['stats'],
        summary:
          '驾驶舱：本组织及下级的党员、发展党员、组织生活、党费、预警与近 12 个月趋势（每项注明统计口径与统计时间）',
        querystring: z.object({ orgId: Uuid.optional() }),
        response: { 200: Dashboard },
      }),
      async (req) => dashboard(rdb, fieldCrypto, scopeOf(req), parts),
    );

    app.get(
      '/stats/meetings-heatmap',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['stats'],
        summary:
          '组织生活月度达标热力图：本组织的各直属下级组织（本组织是党支部时即本支部）每月开展了全部每月规定会议的党支部数；分页',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          year: z.coerce.number().int('年份不正确').min(2000, '年份不正确').max(2100, '年份不正确').optional(),
        }),
        response: { 200: MeetingsHeatmap },
      }),
      async (req) => {
        const { tenantId, org } = scopeOf(req);
        const today = todayInChina();
        const year = req.query.year ?? Number(today.slice(0, 4));
        const { page, pageSize } = req.query;
        const h = await monthlyStanding(rdb, tenantId, org, year, { page, pageSize }, today);
        return { org: { orgId: org.id, orgName: org.name }, ...h };
      },
    );

    app.get(
      '/stats/children',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['stats'],
        summary:
          '下级组织对比：本组织的各直属下级组织（各按本身及全部下级计）的在册党员、在培养的发展党员、组织生活达标的党支部、上月党费收缴，口径同驾驶舱；分页',
        querystring: Paging.extend({ orgId: Uuid.optional() }),
        response: { 200: DashboardChildren },
      }),
      async (req) =>
        dashboardChildren(rdb, fieldCrypto, scopeOf(req), { page: req.query.page, pageSize: req.query.pageSize }),
    );

    app.get(
      '/stats/attention',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['stats'],
        summary:
          '决策参考：本组织及下级中需要关注的党支部（组织生活未按期开展、党费欠缴、整改逾期、党员失联、正式党员不足 3 人、换届到期、必学内容完成率低），每项注明依据和处理入口，并标出与上月末相比新增或加重的问题（sort=new 时新增的在前；code= 只列有该项问题的党组织，counts 为各项问题涉及的党组织数，即薄弱环节排行）；分页',
        querystring: Paging.extend({
          orgId: Uuid.optional(),
          sort: z.enum(ATTENTION_SORTS, 'sort 须为 severity（按严重程度）或 new（新增的在前）').default('severity'),
          code: z
            .enum(
              ATTENTION_CODES as [AttentionCode, ...AttentionCode[]],
              `code 须为以下之一：${ATTENTION_CODES.join('、')}`,
            )
            .optional(),
        }),
        response: { 200: AttentionList },
      }),
      async (req) =>
        attentionList(rdb, scopeOf(req), req.query.page, req.query.pageSize, req.query.sort, req.query.code),
    );

    app.get(
      '/stats/annual-report',
      declared({
        access: { roles: RECORD_READERS, target: optionalOrg },
        tags: ['stats'],
        summary:
          '党内统计年报：截至某日（默认今年 12 月 31 日）本组织及下级的统计表与核对结果；format=xlsx 导出官方样式的工作簿',
        querystring: z.object({
          orgId: Uuid.optional(),
          date: z.string().max(20, '统计日期须为 YYYY-MM-DD 格式的有效日期').optional(),
          format: z.enum(['json', 'xlsx'], 'format 须为 json 或 xlsx').optional(),
        }),
        response: { 200: AnnualReport },
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const report = await annualReport(rdb, scope, req.query.date);
        if (req.query.format !== 'xlsx') return report;
        const name = `党内统计年报-${scope.org.name}-${report.date}.xlsx`;
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition(name))
          .send((await annualWorkbook(report)) as unknown as AnnualReport); // a Buffer is sent as it is, never serialized
      },
    );

    app.post(
      '/stats/official-export',
      declared({
        access: { roles: ORG_ADMINS, target: optionalOrg },
        tags: ['stats'],
        summary:
          '导出全国党员管理信息系统批量导入用的党员信息和党组织信息（.xlsx，含完整身份证号；组织部管理员；记审计日志，故为 POST）',
        querystring: z.object({ orgId: Uuid.optional() }),
      }),
      async (req, reply) => {
        const scope = scopeOf(req);
        const { file, members } = await officialWorkbook(rdb, fieldCrypto, scope);
        const name = `全国党员管理信息系统导入-${scope.org.name}.xlsx`;
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', contentDisposition(name))
          .header('x-members', String(members))
          .send(file);
      },
    );
  };
