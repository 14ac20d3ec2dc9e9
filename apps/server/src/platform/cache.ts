/**
 * Read caches with exact invalidation, driven by a change feed from the database.
 *
 * The feed: migration 0012 keeps `data_version(topic, shard, version)`; statement-level triggers bump a topic's
 * version in the writing transaction and NOTIFY `xf_data_version` with `topic/shard:version` (delivered at
 * commit). The shard is the writing backend's (0067), so concurrent writers of a topic do not queue on one row;
 * a topic's version is the sum of its shards' versions. Each open database has one ChangeFeed that LISTENs (PGlite: `pg.listen`; PostgreSQL: a
 * dedicated client that reconnects) and keeps the versions in memory. A cached value remembers the
 * versions of its topics from *before* it was computed and is served only while they are unchanged.
 *
 * Consistency:
 * - another process/connection: a change is seen as soon as its notification arrives;
 * - this process: after every state-changing HTTP request (and every job), `afterLocalWrite` reads
 *   the versions back with one SQL before the answer goes out, so the writer's next request never
 *   depends on when the notification arrives;
 * - while the LISTEN connection is down nothing counts as fresh, and on (re)connect everything is stale.
 *
 * API (small on purpose):
 *   TOPICS / Topic                       the topics; adding one = a trigger line in a migration + a name here
 *   cached(db, key, topics, compute)     versioned result cache → { value, asOf, stale }; see below
 *   exactCache(db, name, topics, opts)   an LRU of exact entries (principals, org refs) for platform code
 *   afterLocalWrite(db)                  re-read versions after a write this process committed
 *   startChangeFeed / feedOf             wiring (platform/db.ts)
 *
 * `cached`: single-flight per key and versions; bounded (LRU). An entry whose last computation was cheap
 * (< SLOW_MS) is always exact. An expensive one whose topics changed is served stale while one background
 * recompute per key runs, for at most MAX_STALE_MS after it was computed; after that the caller waits.
 * `asOf` is when the served value's computation started: show it to people (统计时间).
 * Keys must include everything the value depends on besides the topics (tenant, org, the date, …).
 * On a transaction handle (no feed) nothing is cached: the value is computed and returned.
 */
import { nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { BUS_CHANNELS, type Bus } from './bus';
import { METRICS } from './counters';
// Types only: db.ts starts the feed, so a value import would be circular.
import type { Db, Queryable } from './db';

/** Topics of the change feed; each must have triggers in a migration (see 0012_data_version.sql). */
export const TOPICS = [
  'auth',
  'org',
  'member',
  'meeting',
  'dues',
  'develop',
  'learn',
  'supervise',
  'assess',
  'thought',
  'activity',
] as const;
export type Topic = (typeof TOPICS)[number];

export const NOTIFY_CHANNEL = 'xf_data_version';
/** An entry that took at least this long to compute may be served stale while it is recomputed. */
export const SLOW_MS = 200;
/** The oldest stale value served; older ones make the caller wait for the recompute. */
export const MAX_STALE_MS = 60_000;

/** A size-bounded map that forgets the least recently used entry first. */
export class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}

type ResultEntry = { value: unknown; stamp: string | null; asOf: number; ms: number };
export type Cached<T> = { value: T; asOf: Date; stale: boolean };

export class ChangeFeed {
  /** The highest version seen per `topic/shard`, and their sum per topic (what stamps compare). */
  private versions = new Map<string, number>();
  private sums = new Map<string, number>();
  /** Bumped on every (re)connect and lost connection: values from before are never fresh again. */
  private epoch = 0;
  private live = false;
  readonly results = new Lru<ResultEntry>(1000);
  readonly inflight = new Map<string, { stamp: string | null; promise: Promise<ResultEntry> }>();
  readonly caches = new Map<string, ExactCache<unknown>>();
  /** Counts computations; tests read it to prove a hit did not compute. */
  computations = 0;
  /**
   * Entries that took at least this long may be served stale (SLOW_MS). API tests that check figures right
   * after writing them set it to Infinity (testing/harness.ts): on a loaded 2-core machine any computation can
   * pass 200 ms, and a test of a rule must not depend on the machine's load. cache.test.ts keeps SLOW_MS.
   */
  staleAfterMs = SLOW_MS;

  constructor(readonly db: Db) {}

  /** Whether the LISTEN connection is up (metrics). */
  isLive(): boolean {
    return this.live;
  }

  /** The versions of `topics` now, or null when nothing can be trusted (LISTEN connection down). */
  stamp(topics: readonly Topic[]): string | null {
    if (!this.live) return null;
    let s = String(this.epoch);
    for (const t of topics) s += `:${this.sums.get(t) ?? 0}`;
    return s;
  }

  /** A notification payload `topic/shard:version` (`topic:version` is shard 0). */
  notify(payload: string): void {
    const i = payload.lastIndexOf(':');
    const v = Number(payload.slice(i + 1));
    if (!Number.isFinite(v)) {
      this.epoch++;
      return;
    }
    const [topic = '', shard = '0'] = payload.slice(0, i).split('/');
    const key = `${topic}/${shard}`;
    // One shard's versions commit in order (the trigger locks its row) and notifications arrive in commit order;
    // shards are independent, so each is kept on its own and the topic's sum grows with any of them.
    const seen = this.versions.get(key) ?? 0;
    if (v <= seen) return;
    this.versions.set(key, v);
    this.sums.set(topic, (this.sums.get(topic) ?? 0) + v - seen);
  }

  async sync(): Promise<void> {
    const res = (await this.db.execute(sql`select topic, shard, version from data_version`)) as unknown as {
      rows: { topic: string; shard: number; version: string | number | bigint }[];
    };
    for (const r of res.rows) this.notify(`${r.topic}/${r.shard}:${String(r.version)}`);
  }

  /** The LISTEN is active: read the versions (nothing is missed, LISTEN came first), then trust them. */
  async connected(): Promise<void> {
    await this.sync();
    this.epoch++;
    this.live = true;
  }

  disconnected(): void {
    this.live = false;
    this.epoch++;
  }
}

/** One exact cache (no stale serving): an LRU whose entries carry the versions they were loaded under. */
export class ExactCache<V> {
  private lru: Lru<{ value: V; stamp: string; at: number }>;
  constructor(
    private readonly feed: ChangeFeed,
    private readonly topics: readonly Topic[],
    opts: { max: number; ttlMs: number },
    private readonly name = 'exact',
  ) {
    this.lru = new Lru(opts.max);
    this.ttlMs = opts.ttlMs;
  }
  private readonly ttlMs: number;
  /** This cache's hit counter, kept: a hit is the hot path of every signed-in request. */
  private hits: { value: number } | undefined;

  /** The value if it is still exact (versions unchanged, younger than the TTL). */
  get(key: string): V | undefined {
    const e = this.lru.get(key);
    if (!e) return miss(this.name);
    if (e.stamp !== this.feed.stamp(this.topics) || Date.now() - e.at > this.ttlMs) {
      this.lru.delete(key);
      return miss(this.name);
    }
    (this.hits ??= METRICS.cache.series({ cache: this.name, result: 'hit' })).value += 1;
    return e.value;
  }

  /** Loads (not single-flight: these loads are cheap) and keeps the value under the versions seen before loading. */
  async load(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const stamp = this.feed.stamp(this.topics);
    const at = Date.now();
    const value = await load();
    if (value !== null && stamp !== null) this.lru.set(key, { value, stamp, at });
    return value;
  }

  delete(key: string): void {
    this.lru.delete(key);
  }
}

const miss = (cache: string): undefined => {
  METRICS.cache.inc({ cache, result: 'miss' });
  return undefined;
};

const feeds = new WeakMap<object, ChangeFeed>();

/** The feed of a database handle; undefined for a transaction (nothing is cached inside one). */
export const feedOf = (db: Queryable): ChangeFeed | undefined => feeds.get(db);

/**
 * Another handle on the same database (the read-replica router, platform/replica.ts) uses this database's feed:
 * one set of caches and versions whichever handle computes a value.
 */
export function shareFeed(from: Db, to: Db): void {
  const feed = feeds.get(from);
  if (feed) feeds.set(to, feed);
}

/** The named exact cache of this database (created on first use), or undefined on a transaction. */
export function exactCache<V>(
  db: Queryable,
  name: string,
  topics: readonly Topic[],
  opts: { max: number; ttlMs: number },
): ExactCache<V> | undefined {
  const feed = feedOf(db);
  if (!feed) return undefined;
  let c = feed.caches.get(name);
  if (!c) {
    c = new ExactCache<unknown>(feed, topics, opts, name);
    feed.caches.set(name, c);
  }
  return c as ExactCache<V>;
}

/**
 * After a write this process committed: read the versions back so its next read is exact whatever
 * the notification does. If that fails, everything becomes stale instead.
 */
export async function afterLocalWrite(db: Queryable): Promise<void> {
  const feed = feedOf(db);
  if (!feed) return;
  try {
    await feed.sync();
  } catch {
    feed.notify('*:NaN');
  }
}

/** Entries age on the real clock; the 统计时间 people see is on the business clock (packages/shared clock.ts). */
const onClock = (realMs: number) => new Date(realMs + (nowMs() - Date.now()));

/**
 * `compute`'s value under `key`, exact while `topics` are unchanged. A slow entry whose topics changed is served stale
 * while one recount runs (see "Staleness bound" in docs/architecture.md) — unless `neverStale`: then callers wait for
 * the recount, for values cheap enough to always be exact (member statistics from the tally, member/stats.ts).
 */
export async function cached<T>(
  db: Queryable,
  key: string,
  topics: readonly Topic[],
  compute: () => Promise<T>,
  opts: { neverStale?: boolean } = {},
): Promise<Cached<T>> {
  const feed = feedOf(db);
  if (!feed) return { value: await compute(), asOf: onClock(Date.now()), stale: false };
  const stamp = feed.stamp(topics);
  const e = feed.results.get(key);
  // The cache's name in metrics: the key up to its first colon (`member.stats`, `org.index`, …).
  const name = key.split(':', 1)[0]!;
  if (e && stamp !== null && e.stamp === stamp) {
    METRICS.cache.inc({ cache: name, result: 'hit' });
    return answer<T>(e, false);
  }
  if (e && !opts.neverStale && e.ms >= feed.staleAfterMs && Date.now() - e.asOf < MAX_STALE_MS) {
    // Expensive and changed: answer what we have, recompute once in the background.
    if (!feed.inflight.has(key)) run(feed, key, stamp, compute).catch(() => {});
    METRICS.cache.inc({ cache: name, result: 'stale' });
    return answer<T>(e, true);
  }
  METRICS.cache.inc({ cache: name, result: 'miss' });
  return answer<T>(await run(feed, key, stamp, compute), false);
}

// At module level: a closure made per call costs a name-setting call per read under tsx (its keepNames).
const answer = <T>(x: ResultEntry, stale: boolean): Cached<T> => ({
  value: x.value as T,
  asOf: onClock(x.asOf),
  stale,
});

/** Single flight: callers wanting the same key under the same versions share one computation. */
function run<T>(feed: ChangeFeed, key: string, stamp: string | null, compute: () => Promise<T>): Promise<ResultEntry> {
  const flying = feed.inflight.get(key);
  if (flying && stamp !== null && flying.stamp === stamp) return flying.promise;
  // The closure compares against its own promise, which exists only once this statement completes.
  const self: { promise?: Promise<ResultEntry> } = {};
  const promise = (async () => {
    const asOf = Date.now();
    feed.computations++;
    try {
      const value = await compute();
      const entry: ResultEntry = { value, stamp, asOf, ms: Date.now() - asOf };
      const prev = feed.results.get(key);
      // A slower, older computation must not overwrite a newer result.
      if (!prev || prev.asOf <= asOf) feed.results.set(key, entry);
      return entry;
    } finally {
      if (feed.inflight.get(key)?.promise === self.promise) feed.inflight.delete(key);
    }
  })();
  self.promise = promise;
  feed.inflight.set(key, { stamp, promise });
  return promise;
}

/** Registers the feed of a database and starts listening; `listen` resolves once LISTEN is active. */
export async function startChangeFeed(
  db: Db,
  listen: (feed: ChangeFeed) => Promise<() => Promise<void>>,
): Promise<() => Promise<void>> {
  const feed = new ChangeFeed(db);
  feeds.set(db, feed);
  const stop = await listen(feed);
  return async () => {
    feed.disconnected();
    await stop();
  };
}

/**
 * PostgreSQL: LISTEN on a dedicated client (a pooled one would be handed to other queries). A lost
 * connection makes everything stale at once and reconnects with backoff (0.5 s doubling to 30 s).
 * The same client listens to the bus's channels (platform/bus.ts) and hands those signals to `bus`.
 */
export function listenPostgres(connectionString: string, warn: (msg: string) => void, bus?: Bus) {
  return async (feed: ChangeFeed): Promise<() => Promise<void>> => {
    let current: pg.Client | null = null;
    let stopped = false;
    let delay = 500;
    let timer: NodeJS.Timeout | undefined;
    const connect = async () => {
      const c = new pg.Client({ connectionString });
      let dead = false;
      const lost = (err?: Error) => {
        if (dead) return;
        dead = true;
        feed.disconnected();
        c.end().catch(() => {});
        if (current === c) current = null;
        if (stopped) return;
        warn(
          `PostgreSQL: change feed connection lost (${err?.message ?? 'closed'}); caches bypassed until it reconnects`,
        );
        timer = setTimeout(() => void connect(), delay);
        delay = Math.min(delay * 2, 30_000);
      };
      c.on('error', lost);
      c.on('end', () => lost());
      c.on('notification', (m) => {
        if (m.channel === NOTIFY_CHANNEL && m.payload) feed.notify(m.payload);
        else bus?.emit(m.channel, m.payload ?? '');
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
        if (bus) for (const ch of BUS_CHANNELS) await c.query(`LISTEN ${ch}`);
        if (stopped) return void (await c.end());
        current = c;
        await feed.connected();
        bus?.reconnected();
        delay = 500;
      } catch (e) {
        lost(e as Error);
      }
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await current?.end().catch(() => {});
    };
  };
}

/** PGlite: one connection, notifications come through `listen` (the feed's channel and the bus's). */
export function listenPglite(
  client: { listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>> },
  bus?: Bus,
) {
  return async (feed: ChangeFeed): Promise<() => Promise<void>> => {
    const unlisten = [await client.listen(NOTIFY_CHANNEL, (payload) => feed.notify(payload))];
    if (bus) for (const ch of BUS_CHANNELS) unlisten.push(await client.listen(ch, (payload) => bus.emit(ch, payload)));
    await feed.connected();
    return async () => {
      for (const u of unlisten) await u().catch(() => {});
    };
  };
}
