import type { ServerModule } from '../../platform/module';
import { warmAttention } from './attention';
import { statsMatrix } from './authz';
import { statsRoutes } from './routes';

/**
 * 驾驶舱, 决策参考 and 党内统计. The dashboard shows, besides its own core figures, the `dashboard` part of every
 * module of `sources` (platform/module.ts).
 */
export const statsModule = (sources: readonly ServerModule[]): ServerModule => ({
  name: 'stats',
  routes: statsRoutes(sources),
  authz: statsMatrix,
  background: ({ db }) => ({
    jobs: [
      // 决策参考 of every root org, computed before anyone asks for the day's (attention.ts warmAttention).
      { kind: 'stats.warm-attention', cron: '5 0 * * *', run: () => warmAttention(db) },
    ],
  }),
});
