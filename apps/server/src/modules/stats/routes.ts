/**
 * 驾驶舱: GET /api/v1/dashboard?orgId= — the subtree's figures for those who oversee it
 * (admin, org_admin, secretary, auditor; members have their own pages).
 */
import { Dashboard, RECORD_READERS, Uuid } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import type { Services } from '../../platform/services';
import { dashboard } from './service';


export const statsRoutes =
  ({ db, fieldCrypto }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dashboard',
      {
        schema: {
          tags: ['stats'],
          summary: '驾驶舱：本组织及下级的党员、发展党员、组织生活、党费、预警与近 12 个月趋势（每项注明统计口径与统计时间）',
          querystring: z.object({ orgId: Uuid.optional() }),
          response: { 200: Dashboard },
        },
        config: { access: { roles: RECORD_READERS, target: { from: 'query', key: 'orgId', optional: true } } },
      },
      async (req) => dashboard(db, fieldCrypto, scopeOf(req)),
    );
  };
