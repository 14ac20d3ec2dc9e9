/**
 * PostgreSQL read replica (issue 26): with DATABASE_READ_URL, the heavy read-only queries — 驾驶舱 and the other
 * statistics, exports, compliance roll-ups — run on a streaming replica instead of the primary. The routes of
 * those reads pass `readDb(db)` (platform/db.ts) instead of `db`; everything else stays on the primary.
 *
 * Freshness guard: a statement runs on the replica only once the replica has replayed the primary's WAL up to
 * the position the primary reported when the statement was about to run (`pg_current_wal_lsn()` on the primary,
 * `pg_last_wal_replay_lsn()` on the replica, compared on the very connection that then runs the statement).
 * So the replica answers exactly what the primary would have answered at that moment: a session's own writes,
 * every other session's and every other process's committed writes. Chosen over the usual "this session reads
 * from the primary for N seconds after its write" because:
 *  - the result caches (platform/cache.ts) are shared by all sessions and are exact: a value computed on a
 *    lagging replica would be stored under the *new* data versions and served as fresh to everyone until the
 *    next change — a time window per session cannot prevent that, a position comparison does;
 *  - a window is a guess about lag (a replica that is 20 s behind after a vacuum or a network hiccup breaks
 *    it); the comparison is exact whatever the lag, and needs no per-session state shared between processes.
 * Cost: one tiny query on the primary and one on the replica per routed statement (sub-millisecond on a LAN);
 * when the replica is behind, the router waits for it up to XF_READ_WAIT_MS (default 250 ms, polling with
 * back-off) and otherwise runs the statement on the primary.
 *
 * Not routed (always the primary): anything that is not a plain SELECT/WITH … (writes, locking reads, sequence
 * and advisory-lock functions), and transactions (drizzle takes a client with `connect()`, which is the
 * primary's). A replica that cannot be reached, is not in recovery, or cancels a statement (a recovery
 * conflict) sends the statement to the primary and logs one warning; it is tried again after RETRY_MS.
 */
import pg from 'pg';
import { METRICS } from './counters';

/** How long after a failure the replica is left alone before it is tried again. */
export const REPLICA_RETRY_MS = 5_000;

export type ReplicaRouter = {
  /** A pg.Pool look-alike for drizzle: `query` routes, `connect` (transactions) is the primary's. */
  pool: pg.Pool;
  replica: pg.Pool;
  close(): Promise<void>;
};

const READ_ONLY = /^\s*(?:select|with)\b/i;
// In a read: anything that writes, locks or has effects outside the statement stays on the primary.
const NOT_ON_REPLICA =
  /\b(?:insert|update|delete|merge)\s|\bfor\s+(?:update|share|no\s+key\s+update|key\s+share)\b|\b(?:nextval|setval|pg_advisory\w*|pg_try_advisory\w*|pg_notify|set_config|txid_current|pg_current_xact_id)\s*\(/i;

/** Whether a statement may run on a replica. */
export const routable = (text: string): boolean => READ_ONLY.test(text) && !NOT_ON_REPLICA.test(text);

/** An error the replica caused (connection, shut down, recovery conflict, too many connections): retry on the primary. */
const replicaFault = (e: unknown): boolean => {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return true; // network errors (ECONNREFUSED …) and pg's "Connection terminated"
  return (
    code.startsWith('08') || // connection exceptions
    code.startsWith('57P') || // admin/crash shutdown, cannot connect now
    code === '53300' || // too many connections
    code === '40001' || // canceling statement due to conflict with recovery
    code === '25006' || // read-only transaction: a write slipped through `routable`
    /^E[A-Z]+$/.test(code) // node socket errors carry their errno as code
  );
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function replicaRouter(opts: {
  primary: pg.Pool;
  readUrl: string;
  poolMax: number;
  /** How long a statement waits for the replica to catch up before it goes to the primary. */
  waitMs: number;
  warn: (msg: string) => void;
}): ReplicaRouter {
  const { primary, waitMs, warn } = opts;
  const replica = new pg.Pool({
    connectionString: opts.readUrl,
    max: opts.poolMax,
    // An unreachable host must not hold a request for the OS's connect timeout.
    connectionTimeoutMillis: 3_000,
    application_name: 'xianfeng-read',
  });
  replica.on('error', () => {}); // an idle replica connection lost: the pool replaces it on next use
  let downUntil = 0;
  let down = false;

  const fail = (why: string) => {
    downUntil = Date.now() + REPLICA_RETRY_MS;
    if (!down)
      warn(
        `PostgreSQL read replica (DATABASE_READ_URL) not usable (${why}); heavy reads go to the primary, trying the replica again every ${REPLICA_RETRY_MS / 1000} s`,
      );
    down = true;
  };
  const onPrimary = (reason: string, config: unknown, values: unknown) => {
    METRICS.replicaReads.inc({ to: 'primary', reason });
    return primary.query(config as never, values as never);
  };

  const route = async (config: string | pg.QueryConfig, values?: unknown[]) => {
    const text = typeof config === 'string' ? config : config.text;
    if (!routable(text)) return onPrimary('not_read_only', config, values);
    if (Date.now() < downUntil) return onPrimary('replica_down', config, values);
    // The primary's position now: everything committed before this statement is at or before it.
    const target = (await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
    let client: pg.PoolClient;
    try {
      client = await replica.connect();
    } catch (e) {
      fail((e as Error).message);
      return onPrimary('replica_down', config, values);
    }
    let broken: Error | undefined;
    try {
      // Same connection for the check and the statement: behind a load balancer of replicas, another
      // connection could be another replica.
      let waited = 0;
      for (let pause = 2; ; pause *= 2) {
        const r = await client.query<{ ok: boolean | null }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [
          target,
        ]);
        const ok = r.rows[0]!.ok;
        if (ok === null) {
          // Not in recovery: a promoted former replica (or the primary itself) — never read a fork.
          fail('the server is not a standby: pg_is_in_recovery() is false');
          return onPrimary('replica_down', config, values);
        }
        if (ok) break;
        if (waited >= waitMs) return onPrimary('replica_behind', config, values);
        const step = Math.min(pause, waitMs - waited);
        await sleep(step);
        waited += step;
      }
      const res = await client.query(config as never, values as never);
      if (down) warn('PostgreSQL read replica (DATABASE_READ_URL) answers again; heavy reads go to it');
      down = false;
      METRICS.replicaReads.inc({ to: 'replica', reason: 'fresh' });
      return res;
    } catch (e) {
      if (!replicaFault(e)) throw e;
      broken = e as Error;
      const code = (e as { code?: string }).code;
      // A write that slipped through, or a recovery conflict, says nothing about the replica's health.
      if (code === '25006') warn(`a write reached the read path and was sent to the primary: ${text.slice(0, 80)}`);
      else if (code !== '40001') fail((e as Error).message);
      return onPrimary(
        code === '40001' ? 'replica_conflict' : code === '25006' ? 'not_read_only' : 'replica_down',
        config,
        values,
      );
    } finally {
      // A connection that failed is not given back to the pool.
      client.release(broken && !(broken as { code?: string }).code?.match(/^(25006|40001)$/) ? broken : undefined);
    }
  };

  // drizzle's node-postgres session calls `query(config, values)` for statements and `connect()` for
  // transactions, and treats a pg.Pool specially (releases the client after a transaction).
  const pool = new pg.Pool({ max: 1 });
  pool.query = route as never;
  pool.connect = (() => primary.connect()) as never;
  return {
    pool,
    replica,
    close: async () => {
      await replica.end();
    },
  };
}
