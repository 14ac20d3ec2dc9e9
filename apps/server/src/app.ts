/** Assembles the HTTP app: platform first, then each business module as a prefixed plugin. */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createHttp } from './platform/http';
import type { Services } from './platform/services';
import { auditRoutes } from './modules/audit/routes';
import { developRoutes } from './modules/develop/routes';
import { authRoutes } from './modules/auth/routes';
import { duesRoutes } from './modules/dues/routes';
import { jobRoutes } from './modules/job/routes';
import { learnRoutes } from './modules/learn/routes';
import { meetingRoutes } from './modules/meeting/routes';
import { memberRoutes } from './modules/member/routes';
import { notifyRoutes } from './modules/notify/routes';
import { orgRoutes } from './modules/org/routes';
import { privacyRoutes } from './modules/privacy/routes';
import { statsRoutes } from './modules/stats/routes';
import { userRoutes } from './modules/user/routes';
import { voiceRoutes } from './modules/voice/routes';

/** Every business module, in one list: adding a module is adding a line here. */
const modules = [authRoutes, orgRoutes, userRoutes, auditRoutes, jobRoutes, memberRoutes, meetingRoutes, developRoutes, duesRoutes, learnRoutes, privacyRoutes, statsRoutes, notifyRoutes, voiceRoutes];

export async function buildApp(
  services: Services,
  opts: { logStream?: NodeJS.WritableStream } = {},
): Promise<FastifyInstance> {
  const app = await createHttp({
    db: services.db,
    sessionPolicy: services.sessionPolicy,
    logLevel: services.config.logLevel,
    webDist: services.config.webDist,
    publicRatePerMin: services.config.publicRatePerMin,
    trustedProxies: services.config.trustedProxies,
    logStream: opts.logStream,
  });
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary: '健康检查',
        response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }) },
      },
      config: { access: { public: true } },
    },
    async () => {
      await services.db.execute(sql`select 1`);
      return { status: 'ok' as const, db: services.dbKind };
    },
  );
  for (const mod of modules) await app.register(mod(services), { prefix: '/api/v1' });
  return app;
}
