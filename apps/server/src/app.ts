/** Assembles the HTTP app: platform first, then each business module as a prefixed plugin. */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createHttp } from './platform/http';
import { registerMemberHome } from './platform/member-home';
import { registerMetrics } from './platform/metrics';
import type { Services } from './platform/services';
import { MODULES } from './modules';

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
    sharedRateLimits: Boolean(services.config.databaseUrl),
    trustedProxies: services.config.trustedProxies,
    imgOrigins: services.config.map.tileUrl
      ? [new URL(services.config.map.tileUrl.replace(/\{[a-z]\}/g, '0')).origin]
      : [],
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
  registerMetrics(app, services.db, {
    token: services.config.metricsToken,
    ratePerMin: services.config.publicRatePerMin,
  });
  for (const m of MODULES) if (m.background) services.jobs.declare(m.background(services));
  for (const m of MODULES) {
    const before = app.routeTable.length;
    await app.register(m.routes(services), { prefix: '/api/v1' });
    // Which module declared each route: authz.test.ts holds each module to its own matrix (its manifest's `authz`).
    for (const r of app.routeTable.slice(before)) r.module = m.name;
  }
  registerMemberHome(app);
  return app;
}
