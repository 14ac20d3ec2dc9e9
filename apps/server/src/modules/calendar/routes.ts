import { HolidayYearInput, HolidayYearView, Page, Paging } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { pageOf } from '../../platform/paging';
import { declared } from '../../platform/route';
import type { Services } from '../../platform/services';
import { deleteHolidayYear, listHolidayYears, putHolidayYear, YEAR_RANGE } from './service';

const tags = ['calendar'];
const byYear = {
  params: z.object({
    year: z.coerce
      .number('年份须为数字')
      .int('年份须为整数')
      .min(YEAR_RANGE.min, `年份须在 ${YEAR_RANGE.min}–${YEAR_RANGE.max} 之间`)
      .max(YEAR_RANGE.max, `年份须在 ${YEAR_RANGE.min}–${YEAR_RANGE.max} 之间`),
  }),
};

export const calendarRoutes =
  ({ db }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    // Everyone signed in reads it: the pages that show a 公示 end date count working days with it.
    app.get(
      '/calendar/years',
      declared({
        access: { roles: 'any' },
        tags,
        summary: '节假日安排（内置年份与系统管理员录入的年份）',
        querystring: Paging,
        response: { 200: Page(HolidayYearView) },
      }),
      async (req) => {
        const all = await listHolidayYears(db, scopeOf(req).tenantId);
        const { page, pageSize } = req.query;
        return pageOf(all, page, pageSize);
      },
    );

    app.put(
      '/calendar/years/:year',
      declared({
        access: { roles: ['admin'] },
        tags,
        summary: '录入或更正一年的节假日安排（最上级党组织的系统管理员）',
        ...byYear,
        body: HolidayYearInput,
        response: { 200: HolidayYearView },
      }),
      async (req) => putHolidayYear(db, scopeOf(req), req.params.year, req.body),
    );

    app.delete(
      '/calendar/years/:year',
      declared({ access: { roles: ['admin'] }, tags, summary: '删除录入的年份（恢复内置数据或按估算）', ...byYear }),
      async (req, reply) => {
        await deleteHolidayYear(db, scopeOf(req), req.params.year);
        return reply.status(204).send();
      },
    );
  };
