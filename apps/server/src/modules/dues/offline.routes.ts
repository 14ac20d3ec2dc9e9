/** 党费 routes: offline payment instructions per org, and the member's ways to pay (issue 28 item 7). */
import { OfflineInfo, OfflineInfoInput, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared, optionalOrg } from '../../platform/route';
import type { Services } from '../../platform/services';
import { offlineInfoOf, payOptions, putOfflineInfo } from './offline';
import { orgQuery, tags } from './route-shapes';

type App = Parameters<FastifyPluginAsyncZod>[0];
const OfflineReply = z.object({ own: OfflineInfo.nullable(), effective: OfflineInfo.nullable() });

export async function offlineRoutes(app: App, services: Services) {
  const { db } = services;

  app.get(
    '/dues/offline-info',
    declared({
      access: { roles: RECORD_READERS, target: optionalOrg },
      tags,
      summary: '线下缴费方式（本组织设置的，及实际生效的：本组织未设置时沿用最近的上级组织）',
      querystring: z.object(orgQuery),
      response: { 200: OfflineReply },
    }),
    async (req) => {
      const scope = scopeOf(req);
      return offlineInfoOf(db, scope.tenantId, scope.org);
    },
  );

  app.put(
    '/dues/offline-info',
    declared({
      access: { roles: RECORD_KEEPERS, target: { from: 'body', key: 'orgId' } },
      tags,
      summary: '设置本组织的线下缴费方式（收缴人、地点、时间、说明）',
      body: OfflineInfoInput,
      response: { 200: OfflineReply },
    }),
    async (req) => putOfflineInfo(db, scopeOf(req), req.body),
  );

  app.get(
    '/dues/me/pay-options',
    declared({
      access: { roles: 'any' },
      tags,
      summary: '我能用的缴费方式：已配置的在线支付渠道，及本支部的线下缴费方式',
      response: {
        200: z.object({
          online: z.object({ wechat: z.boolean(), alipay: z.boolean() }),
          offline: OfflineInfo.nullable(),
        }),
      },
    }),
    // Payment settings are read at request time, like the pay route.
    async (req) => payOptions(db, services.config.payment, scopeOf(req)),
  );
}
