/**
 * One database handle for the whole server: embedded PGlite in XF_DATA_DIR by default,
 * real PostgreSQL (pg pool) when DATABASE_URL is set. Both speak the same SQL, run the
 * same migrations and are used through the same Drizzle API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { and, eq, sql, type Column, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { Bus, registerBus } from './bus';
import { listenPglite, listenPostgres, shareFeed, startChangeFeed } from './cache';
import { replicaRouter } from './replica';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

/**
 * A join on a key inside one tenant: `t.id = key and t.tenant_id = from.tenant_id`. The tenant half changes no
 * answer (a key points inside its tenant) but lets Citus run the join on one shard (docs/scale-out.md);
 * platform/tenant-sql.test.ts fails on a new key join without it.
 */
export const onKey = (t: { id: Column; tenantId: Column }, key: Column, from: { tenantId: Column }): SQL =>
  and(eq(t.tenantId, from.tenantId), eq(t.id, key))!;

/** A row by its key inside one tenant: `t.tenant_id = tenantId and t.id = id` (a look-up Citus routes to one shard). */
export const byKey = (t: { id: Column; tenantId: Column }, tenantId: string, id: string): SQL =>
  and(eq(t.tenantId, tenantId), eq(t.id, id))!;

/** Conditions on a tenant table, inside one tenant: `t.tenant_id = tenantId and …`. */
export const inTenant = (t: { tenantId: Column }, tenantId: string, ...conds: (SQL | undefined)[]): SQL =>
  and(eq(t.tenantId, tenantId), ...conds)!;

/**
 * Independent reads for a function that runs on the pool and inside transactions alike: at once on the pool, one
 * after another in a transaction. A transaction is one connection, and node-postgres must not be given a query while
 * that client still runs one (pg 8 warns "client.query() when the client is already executing a query"; pg 9
 * refuses). Pass functions, so nothing starts before its turn.
 */
export async function readAll<const T extends readonly (() => PromiseLike<unknown>)[]>(
  db: Queryable,
  reads: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (!(db instanceof PgTransaction)) return Promise.all(reads.map((read) => read())) as never;
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as never;
}

/**
 * A subtree-wide aggregate (statistics over a whole tenant) with settings local to its transaction: room for the
 * hash aggregates of a large tenant, and no JIT (on PostgreSQL, compiling these queries took seconds and saved
 * nothing). `hashOnly`: no merge joins and no sorts — for statements whose look-ups come from aggregates the planner
 * cannot size, so that it expects hundreds of millions of rows and sorts a million-row roster to merge-join and
 * group them (member/annual.ts at 1M: seconds per sort); hash joins on small look-ups are always right there.
 */
export async function analytic<T>(
  db: Queryable,
  run: (q: Queryable) => Promise<T>,
  opts: { hashOnly?: boolean } = {},
): Promise<T> {
  return (db as Db).transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`set local jit = off`);
    if (opts.hashOnly) {
      await tx.execute(sql`set local enable_mergejoin = off`);
      await tx.execute(sql`set local enable_sort = off`);
    }
    return run(tx);
  });
}

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /**
   * PGlite only: a consistent tarball of the whole data directory — gzipped for backups; uncompressed for the test
   * seed, which every test app loads and gunzipping 60 MB cost each of them about a second.
   */
  dumpDataDir?: (compression?: 'gzip' | 'none') => Promise<Blob>;
  /**
   * PostgreSQL opened with `holdStartupLock`: lets the next process start (see openDatabase). A no-op
   * otherwise, and after the first call.
   */
  startupDone?: () => Promise<void>;
};

/** The session-level advisory lock that serializes the start of server processes on one PostgreSQL. */
export const STARTUP_LOCK_SQL = `select pg_advisory_lock(hashtextextended('xianfeng.startup', 0))`;

// A function, not a constant: drizzle-kit loads the schema files (and what they import) as CommonJS, where
// import.meta.dirname is undefined — `npm run db:generate` must be able to load this file.
const migrationsFolder = () => path.resolve(import.meta.dirname, '../../migrations');

// Dates come back as JS Dates from both drivers; bigint ids as numbers via Drizzle's mode.
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  /**
   * PostgreSQL: a direct connection (not through PgBouncer in transaction mode) for what needs a session of
   * its own: migrations, the start-up lock and the LISTEN of the change feed and bus. Default: databaseUrl.
   */
  directUrl?: string | undefined;
  /** PostgreSQL: the pool's size (default 10; also the read replica's pool). */
  poolMax?: number;
  /**
   * PostgreSQL: a streaming read replica for the heavy read-only queries (`readDb`, platform/replica.ts).
   * Unset: they run on the primary like everything else.
   */
  readUrl?: string | undefined;
  /** How long a heavy read waits for the replica to catch up before it runs on the primary (default 250 ms). */
  readWaitMs?: number;
  /** Warnings about the replica (unreachable, behind, back again); default console.warn. */
  warn?: (msg: string) => void;
  /**
   * PostgreSQL: hold the start-up lock until `startupDone()` (boot: over migrations, bootstrap and demo
   * seeding), so processes started together on an empty database do not migrate or seed twice. Without it
   * the lock is held over the migrations only.
   */
  holdStartupLock?: boolean;
  dataDir?: string | null;
  onIdleError?: (err: Error) => void;
  loadDataDir?: Blob;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const directUrl = opts.directUrl ?? opts.databaseUrl;
    // Several processes may start at once (an orchestrator starting replicas, a rolling upgrade): each waits
    // for this lock, so exactly one migrates (and bootstraps) an empty or older database at a time. The lock
    // belongs to this connection's session, so it needs a direct one; it is released when the work is done
    // or, if the process dies, when its connection closes.
    const lock = new pg.Client({ connectionString: directUrl });
    await lock.connect();
    lock.on('error', () => {});
    await lock.query(STARTUP_LOCK_SQL);
    let locked = true;
    const startupDone = async () => {
      if (!locked) return;
      locked = false;
      await lock.end().catch(() => {});
    };
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax ?? 10 });
    // An idle client whose server connection drops (restart, admin termination) emits 'error' on
    // the pool; unhandled, that would crash the process. The pool replaces the client on next use.
    pool.on(
      'error',
      opts.onIdleError ??
        ((err) => console.warn(`PostgreSQL: idle connection lost (${err.message}); it is replaced on next use`)),
    );
    const db = drizzlePg(pool) as unknown as Db;
    try {
      // Migrations on the direct connection: DDL and drizzle's migration transaction need one session.
      await migratePg(drizzlePg(lock) as never, { migrationsFolder: migrationsFolder() });
    } catch (err) {
      await startupDone();
      await pool.end();
      throw err;
    }
    if (!opts.holdStartupLock) await startupDone();
    poolStats.set(db, pool);
    const bus = new Bus();
    registerBus(db, bus);
    const stopFeed = await startChangeFeed(
      db,
      listenPostgres(directUrl, (m) => console.warn(m), bus),
    );
    const router = opts.readUrl
      ? replicaRouter({
          primary: pool,
          readUrl: opts.readUrl,
          poolMax: opts.poolMax ?? 10,
          waitMs: opts.readWaitMs ?? 250,
          warn: opts.warn ?? ((m) => console.warn(m)),
        })
      : null;
    if (router) {
      const read = drizzlePg(router.pool) as unknown as Db;
      reads.set(db, read);
      shareFeed(db, read);
    }
    return {
      db,
      kind: 'postgres',
      startupDone,
      close: async () => {
        await startupDone();
        await stopFeed();
        await router?.close();
        await pool.end();
      },
    };
  }
  let dir: string | undefined;
  let releaseLock = () => {};
  if (opts.dataDir) {
    dir = path.join(opts.dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
    releaseLock = lockDataDir(opts.dataDir);
  }
  // No dataDir means an in-memory database (tests). A restore, or a test copying the run's seeded
  // database, starts from a dump.
  const load = opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {};
  const client = dir ? new PGlite(dir, load) : new PGlite(load);
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
  const bus = new Bus();
  registerBus(db, bus);
  const stopFeed = await startChangeFeed(db, listenPglite(client, bus));
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await stopFeed();
      await client.close();
      releaseLock();
    },
    dumpDataDir: (compression = 'gzip') => client.dumpDataDir(compression),
    startupDone: async () => {},
  };
}

const poolStats = new WeakMap<object, pg.Pool>();
const reads = new WeakMap<object, Db>();

/**
 * The handle for heavy read-only queries (statistics, 驾驶舱, exports, roll-ups): with a read replica
 * (DATABASE_READ_URL) a handle that runs each plain SELECT on the replica once it has caught up with the primary
 * (platform/replica.ts), everything else on the primary; otherwise `db` itself. Shares `db`'s caches.
 */
export const readDb = (db: Db): Db => reads.get(db) ?? db;

/** The PostgreSQL pool's use (metrics), or null on the embedded database. */
export function poolUse(db: Db): { total: number; idle: number; waiting: number; max: number } | null {
  const p = poolStats.get(db);
  return p ? { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, max: p.options.max ?? 10 } : null;
}

/**
 * The embedded database is one process's: a second server, or a backup while the server runs,
 * would corrupt it. A pid file in the data folder claims it; a stale one (dead process) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'xianfeng.pid');
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder))
      throw new Error(
        `数据目录 ${dataDir} 正被另一个进程（PID ${holder}）使用：请先停止它。The data folder is in use by process ${holder}.`,
      );
    fs.writeFileSync(file, String(process.pid));
  }
  return () => fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One value as a field of COPY … (format csv): NULL is an empty field, the empty string is quoted. */
export const csvField = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return s === '' || /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Raw SQL returning rows; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/**
 * Every tenant's id, for a background sweep that then works tenant by tenant (each of its statements names its
 * tenant, as docs/scale-out.md requires). The one statement that lists tenants; tenant-sql.test.ts allows it.
 */
export async function tenantIds(db: Queryable): Promise<string[]> {
  return (await queryRows<{ id: string }>(db, sql`select id from tenant order by id`)).map((r) => r.id);
}

/** A transaction written while its caller still reads and checks what to write (feedTransaction). */
export type FedTransaction = {
  /** Queue a step; on PostgreSQL it runs as soon as the steps before it have. */
  add(step: (tx: Tx) => Promise<unknown>): void;
  /** Run the queued steps (if not run yet) and `last`, and commit; rejects with a failed step's error. */
  commit<T>(last: (tx: Tx) => Promise<T>): Promise<T>;
  /** Roll back whatever ran (a no-op after commit): call it in a `finally`. */
  abandon(): Promise<void>;
};

const ABANDONED = new Error('transaction abandoned');

/**
 * One transaction fed step by step while its caller goes on working — an import writing the rows already checked while
 * its worker parses and checks the next ones, so the database and the parser use the two cores at once instead of one
 * after the other. On PostgreSQL the steps run at once on a connection of their own (nothing is visible to others
 * before commit, nothing at all after `abandon`). The embedded database has one connection: a transaction held open
 * there would block the caller's own reads (PGlite runs every query behind the open transaction), so its steps are
 * kept and run at commit — the same all-or-nothing write, without the overlap.
 */
export function feedTransaction(db: Db): FedTransaction {
  const steps: ((tx: Tx) => Promise<unknown>)[] = [];
  let end: ((tx: Tx) => Promise<unknown>) | 'abandon' | null = null;
  if (!poolStats.has(db)) {
    return {
      add: (step) => void steps.push(step),
      commit: (last) =>
        db.transaction(async (tx) => {
          for (const step of steps.splice(0)) await step(tx);
          return last(tx);
        }),
      abandon: async () => void steps.splice(0),
    };
  }
  let wake: () => void = () => {};
  // Begun with the first step or the commit, so an import refused before anything is written never takes a connection.
  let run: Promise<unknown> | null = null;
  const begin = () => {
    if (run) return run;
    run = db.transaction(async (tx) => {
      for (;;) {
        for (let step = steps.shift(); step; step = steps.shift()) await step(tx);
        if (end === 'abandon') throw ABANDONED;
        if (end) return end(tx);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    });
    // A failed step is answered at commit; until then its rejection is expected, not unhandled.
    run.catch(() => {});
    return run;
  };
  return {
    add(step) {
      steps.push(step);
      begin();
      wake();
    },
    async commit(last) {
      if (end) throw new Error('feedTransaction: commit after commit or abandon');
      end = last;
      wake();
      return (await begin()) as Awaited<ReturnType<typeof last>>;
    },
    async abandon() {
      if (end) return;
      end = 'abandon';
      steps.length = 0;
      wake();
      await run?.catch(() => {});
    },
  };
}
