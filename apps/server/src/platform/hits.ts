/**
 * Hit counters that every server process shares (issue 26): how often a key was hit in its current window, kept in
 * the database (`rate_hit`) because with several processes behind a load balancer a counter in one process's memory
 * lets an address or a guesser try N times as often. Used for the public routes' rate limits on PostgreSQL
 * ({@link sharedRateLimitStore}) and for wrong meeting sign-in codes (meeting/remote.ts).
 *
 * One row per key: `hits` in the window that ends at `expires_at`. The first hit after a window ended starts a
 * new one (one atomic upsert, so parallel hits on several processes are all counted). Expired rows are swept by
 * the counting itself now and then, so no job is needed.
 */
import { now as clockNow } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Queryable } from './db';

export type HitCount = { hits: number; resetInMs: number };

/** Every this many hits a process deletes the windows that ended. */
const SWEEP_EVERY = 500;
let sinceSweep = 0;

type Row = { hits: number; ends_ms: number };
const counted = (r: Row | undefined, at: Date): HitCount =>
  r ? { hits: Number(r.hits), resetInMs: Math.max(0, Number(r.ends_ms) - at.getTime()) } : { hits: 0, resetInMs: 0 };

/** Counts one hit of `key`; a window of `windowMs` starts with the first hit after the previous window ended. */
export async function hit(db: Queryable, key: string, windowMs: number, at: Date = clockNow()): Promise<HitCount> {
  const t = at.toISOString();
  const ends = new Date(at.getTime() + windowMs).toISOString();
  const [r] = await queryRows<Row>(
    db,
    sql`insert into rate_hit (key, hits, expires_at) values (${key}, 1, ${ends}::timestamptz)
        on conflict (key) do update set
          hits = case when rate_hit.expires_at <= ${t}::timestamptz then 1 else rate_hit.hits + 1 end,
          expires_at = case when rate_hit.expires_at <= ${t}::timestamptz then excluded.expires_at else rate_hit.expires_at end
        returning hits, (extract(epoch from expires_at) * 1000)::float8 as ends_ms`,
  );
  if (++sinceSweep >= SWEEP_EVERY) {
    sinceSweep = 0;
    await db.execute(sql`delete from rate_hit where expires_at < ${t}::timestamptz`);
  }
  return counted(r, at);
}

/** The hits of `key` in its current window (0 when it has none or the window ended), without counting one. */
export async function hitsOf(db: Queryable, key: string, at: Date = clockNow()): Promise<HitCount> {
  const [r] = await queryRows<Row>(
    db,
    sql`select hits, (extract(epoch from expires_at) * 1000)::float8 as ends_ms from rate_hit
        where key = ${key} and expires_at > ${at.toISOString()}::timestamptz`,
  );
  return counted(r, at);
}

export async function clearHits(db: Queryable, key: string): Promise<void> {
  await db.execute(sql`delete from rate_hit where key = ${key}`);
}

type RateLimitResult = { current: number; ttl: number };
type RouteParams = { routeInfo?: { method?: string | string[]; url?: string } };

/**
 * A store for @fastify/rate-limit that counts in `rate_hit`, so N processes allow an address the limit once, not N
 * times. The plugin makes one child per limited route; the route is part of the key, as in its own memory store.
 */
export function sharedRateLimitStore(db: Db) {
  return class SharedRateLimitStore {
    readonly route: string;
    // The plugin passes its merged options, which carry the route as `routeInfo` (its typings say otherwise).
    constructor(params: object = {}) {
      const info = (params as RouteParams).routeInfo;
      this.route = info?.url ? `${[info.method ?? ''].flat().join(',')} ${info.url}` : 'global';
    }
    incr(key: string, done: (err: Error | null, res?: RateLimitResult) => void, timeWindow: number): void {
      hit(db, `rate:${this.route}:${key}`, timeWindow).then(
        (r) => done(null, { current: r.hits, ttl: r.resetInMs }),
        (e: Error) => done(e),
      );
    }
    child(params: object): SharedRateLimitStore {
      return new SharedRateLimitStore(params);
    }
  };
}
