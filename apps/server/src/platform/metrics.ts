/**
 * Prometheus metrics (issue 26): `GET /metrics` in the text exposition format (version 0.0.4), answering only
 * with `Authorization: Bearer $XF_METRICS_TOKEN` (the outside contract in shared/DESIGN.md).
 *
 * Access, and why: the scraper is a machine, not a person, so it has no session and no role binding; it presents
 * the one token the operator configured, compared in constant time. Without XF_METRICS_TOKEN the endpoint does
 * not exist (404). It is not public: route names with their rates, the job queue and the pool tell an outsider
 * when the organisation is busy and which features it uses. It is not an admin session either: a Prometheus
 * configuration holding a user's long-lived session would be a credential with far more power than reading
 * counters. A user's session token presented here is refused like any wrong token.
 *
 * Per process: every server process keeps its own counters (request counts and latency, cache hits, deliveries);
 * scrape each process. The gauges read from the database (job queue, scheduler lag) are the same from every
 * process: aggregate them with max(), not sum().
 *
 * Hand-written, no client library: counters and histograms with fixed label sets are a few lines, and the text
 * format is stable and small.
 */
import crypto from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { feedOf } from './cache';
import { poolUse, queryRows, type Db } from './db';
import { METRICS, labelText, num, streamCounts, type Labels } from './counters';
import { AppError } from './errors';

const gauge = (name: string, help: string, rows: { labels?: Labels; value: number }[]) =>
  [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...rows.map((r) => `${name}${labelText(r.labels ?? {})} ${num(r.value)}`),
  ].join('\n');

const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();

/** The route label of a request: its route template (never the raw URL, whose ids would explode the series). */
export function routeLabel(req: FastifyRequest): string {
  const url = req.routeOptions.url;
  if (!url) return 'unmatched';
  if (url.startsWith('/api/') || url === '/metrics') return url;
  return 'static';
}

/** The whole exposition: this process's counters, then gauges read now (pool, queue, scheduler, feed, process). */
export async function renderMetrics(db: Db): Promise<string> {
  // Every counter and histogram of METRICS, so one added there is never left out of the scrape (the read-replica
  // counter was, until the operations walk-through looked for it).
  const parts = Object.values(METRICS).map((m) => m.render());
  const pool = poolUse(db);
  if (pool)
    parts.push(
      gauge('xf_db_pool_connections', 'PostgreSQL pool connections of this process, by state.', [
        { labels: { state: 'total' }, value: pool.total },
        { labels: { state: 'idle' }, value: pool.idle },
        { labels: { state: 'waiting_clients' }, value: pool.waiting },
      ]),
      gauge('xf_db_pool_max', 'Configured size of the PostgreSQL pool (XF_DB_POOL_MAX).', [{ value: pool.max }]),
    );
  // "Now" is the runners' clock (packages/shared), which run_at and next_at are written on.
  const at = now();
  const queue = await queryRows<{ status: string; n: number; oldest: number | null }>(
    db,
    sql`select status, count(*)::int as n,
          extract(epoch from (${at}::timestamptz - min(run_at) filter (where status = 'queued' and run_at <= ${at}::timestamptz)))::float8 as oldest
        from job where status in ('queued', 'running', 'dead') group by status`,
  );
  const byStatus = new Map(queue.map((r) => [r.status, r]));
  parts.push(
    gauge(
      'xf_job_queue_jobs',
      'Jobs in the database queue by status (queued includes not-yet-due ones); the same from every process.',
      ['queued', 'running', 'dead'].map((s) => ({ labels: { status: s }, value: byStatus.get(s)?.n ?? 0 })),
    ),
    gauge('xf_job_queue_oldest_due_seconds', 'Age of the oldest due, unclaimed job (0 when none).', [
      { value: Math.max(0, byStatus.get('queued')?.oldest ?? 0) },
    ]),
  );
  const [lag] = await queryRows<{ lag: number | null }>(
    db,
    sql`select extract(epoch from (${at}::timestamptz - min(next_at)))::float8 as lag from schedule where enabled and next_at <= ${at}::timestamptz`,
  );
  parts.push(
    gauge('xf_scheduler_lag_seconds', 'How late the most overdue recurring schedule is (0 when none is due).', [
      { value: Math.max(0, lag?.lag ?? 0) },
    ]),
  );
  const feed = feedOf(db);
  parts.push(
    gauge(
      'xf_change_feed_up',
      'Whether this process listens to the database change feed (1) or bypasses its caches (0).',
      [{ value: feed?.isLive() ? 1 : 0 }],
    ),
  );
  const streams = new Map<string, number>();
  for (const h of streamCounts) streams.set(h.kind, (streams.get(h.kind) ?? 0) + h.size);
  parts.push(
    gauge(
      'xf_sse_streams',
      'Open live streams (server-sent events) of this process, by kind.',
      [...streams].map(([kind, value]) => ({ labels: { kind }, value })),
    ),
  );
  const mem = process.memoryUsage();
  parts.push(
    gauge('process_resident_memory_bytes', 'Resident memory of this process.', [{ value: mem.rss }]),
    gauge('nodejs_heap_used_bytes', 'V8 heap in use.', [{ value: mem.heapUsed }]),
    gauge('process_uptime_seconds', 'Seconds since this process started.', [{ value: Math.round(process.uptime()) }]),
    gauge('nodejs_eventloop_delay_p99_seconds', 'Event loop delay, 99th percentile since the last scrape.', [
      { value: loopDelay.percentile(99) / 1e9 },
    ]),
  );
  loopDelay.reset();
  return `${parts.join('\n')}\n`;
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function tokenMatches(req: FastifyRequest, token: string): boolean {
  const auth = req.headers.authorization ?? '';
  const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '');
  const want = Buffer.from(token);
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(want).digest();
  return crypto.timingSafeEqual(a, b) && given.length > 0;
}

/**
 * Registers GET /metrics. Access is declared in the route's config (`metricsToken`) and enforced here, before
 * anything is read; outside /api/ it is not part of the user access matrix (testing/authz-matrix.ts).
 */
export function registerMetrics(
  app: FastifyInstance,
  db: Db,
  opts: { token: string | undefined; ratePerMin: number },
): void {
  app.get(
    '/metrics',
    {
      schema: { hide: true },
      config: { metricsToken: true, rateLimit: { max: opts.ratePerMin, timeWindow: 60_000 } },
    },
    async (req: FastifyRequest, reply: FastifyReply) => {
      if (!opts.token) throw new AppError(404, 'NOT_FOUND', '接口不存在');
      if (!tokenMatches(req, opts.token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError(
          401,
          'METRICS_TOKEN_REQUIRED',
          '需要有效的监控令牌（Authorization: Bearer XF_METRICS_TOKEN）',
        );
      }
      const text = await renderMetrics(db);
      return reply
        .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(text);
    },
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** GET /metrics: a machine caller with XF_METRICS_TOKEN, no user session (platform/metrics.ts). */
    metricsToken?: boolean;
  }
}
