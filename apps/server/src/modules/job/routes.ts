import { Uuid } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../platform/http';
import { declared } from '../../platform/route';
import { getJobFor } from '../../platform/jobs';
import type { Services } from '../../platform/services';

export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'dead']),
  progress: z.number(),
  total: z.number(),
  result: z.unknown(),
  error: z.unknown(),
  createdAt: z.string(),
});

export const jobRoutes =
  ({ db }: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/jobs/:id',
      declared({
        access: { roles: 'any' },
        tags: ['platform'],
        summary: '后台任务进度与结果',
        params: z.object({ id: Uuid }),
        response: { 200: JobView },
      }),
      async (req) => {
        const scope = scopeOf(req);
        const isAdmin = scope.principal.bindings.some((b) => b.role === 'admin');
        const { createdBy: _c, ...view } = await getJobFor(
          db,
          scope.tenantId,
          scope.principal.user.id,
          isAdmin,
          req.params.id,
        );
        return { ...view, status: view.status as 'queued' | 'running' | 'done' | 'failed' | 'dead' };
      },
    );
  };
