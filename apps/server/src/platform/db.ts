/**
 * One database handle for the whole server: embedded PGlite in XF_DATA_DIR by default,
 * real PostgreSQL (pg pool) when DATABASE_URL is set. Both speak the same SQL, run the
 * same migrations and are used through the same Drizzle API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { Bus, registerBus } from './bus';
import { listenPglite, listenPostgres, startChangeFeed } from './cache';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PGlite only: a consistent gzipped tarball of the whole data directory (backups). */
  dumpDataDir?: () => Promise<Blob>;
};

const migrationsFolder = path.resolve(import.meta.dirname, '../../migrations');

// Dates come back as JS Dates from both drivers; bigint ids as numbers via Drizzle's mode.
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string | null;
  onIdleError?: (err: Error) => void;
  loadDataDir?: Blob;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle client whose server connection drops (restart, admin termination) emits 'error' on
    // the pool; unhandled, that would crash the process. The pool replaces the client on next use.
    pool.on(
      'error',
      opts.onIdleError ??
        ((err) => console.warn(`PostgreSQL: idle connection lost (${err.message}); it is replaced on next use`)),
    );
    const db = drizzlePg(pool) as unknown as Db;
    await migratePg(db as never, { migrationsFolder });
    const bus = new Bus();
    registerBus(db, bus);
    const stopFeed = await startChangeFeed(db, listenPostgres(opts.databaseUrl, (m) => console.warn(m), bus));
    return {
      db,
      kind: 'postgres',
      close: async () => {
        await stopFeed();
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
  await migratePglite(db as never, { migrationsFolder });
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
    dumpDataDir: () => client.dumpDataDir('gzip'),
  };
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
