/** 党费 automation (issue #17): the monthly bill run day and the automatic arrears reminders. */
import { DuesAutomation, DuesAutomationInput, RECORD_READERS } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf } from '../../platform/http';
import { declared } from '../../platform/route';
import type { Services } from '../../platform/services';
import { getAutomation, putAutomation } from './automation';
import { tags } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];

export async function automationRoutes(app: App, services: Services) {
  const { db, jobs } = services;

  app.get(
    '/dues/automation',
    declared({
      access: { roles: RECORD_READERS },
      tags,
      summary: '党费自动任务：每月自动生成账单的日期、自动欠缴提醒（1/3/6 个月）',
      response: { 200: DuesAutomation },
    }),
    async (req) => getAutomation(db, scopeOf(req).tenantId),
  );

  app.put(
    '/dues/automation',
    declared({
      access: { roles: ['admin'] },
      tags,
      summary: '修改党费自动任务',
      body: DuesAutomationInput,
      response: { 200: DuesAutomation },
    }),
    async (req) => putAutomation(db, jobs, scopeOf(req), req.body),
  );
}
