/**
 * Backup and restore of everything Xianfeng keeps: the database (PGlite: a consistent tarball
 * of its data folder, taken with the server stopped — the data-folder lock enforces that;
 * PostgreSQL: pg_dump, which is consistent while the server runs), the uploaded files, and the
 * field-encryption key file (which also keys the audit chain — keep backups as safe as the key). The files
 * include the audit chain's signed checkpoints, one written just before the copy. A backup is a folder with a manifest of row counts per table and
 * a SHA-256 per file; a restore checks the result against it.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from './config';
import { openDatabase, queryRows, type Database, type Queryable } from './db';
import { useAuditKeys, writeCheckpoint } from './audit';
import { loadSecretMaterial } from './crypto';

export type Manifest = {
  createdAt: string;
  kind: 'pglite' | 'postgres';
  tables: Record<string, number>;
  files: Record<string, string>;
  hasKeyFile: boolean;
};

const DB_FILE = { pglite: 'database.tar.gz', postgres: 'database.pgdump' } as const;

/** Row counts of every table of the application schema. */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables)
    out[name] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(name)}`))[0]!.n;
  return out;
}

/** SHA-256 of every file under a folder, by path relative to it. */
export function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(root)) return out;
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

/** pg_dump/pg_restore from PATH, or from the newest Debian PostgreSQL install. */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  if (spawnSync(name, ['--version']).status === 0) return name;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(base, v, 'bin', name)).find((p) => fs.existsSync(p));
  if (!found) throw new Error(`未找到 ${name}，请安装 PostgreSQL 客户端（apt-get install postgresql-client）`);
  return found;
}

/**
 * The connection for pg_dump, pg_restore and the checks: DATABASE_DIRECT_URL when set. Behind PgBouncer in
 * transaction mode, pg_dump and pg_restore set `search_path` to '' for their session; through the bouncer that
 * setting stays on a pooled server connection, and the server processes' next queries on it fail ("relation does
 * not exist") — seen in the operations walk-through (docs/operations.md).
 */
const sessionUrl = (config: Config) => config.databaseDirectUrl ?? config.databaseUrl;

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} 失败：${r.stderr || r.error?.message}`);
}

export async function backup(config: Config, outDir: string): Promise<Manifest> {
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) throw new Error(`备份目录 ${outDir} 不为空`);
  // Only the server's user reads a backup: it holds the whole database and, without XF_SECRET_KEY, the key file.
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase({ databaseUrl: sessionUrl(config), dataDir: config.dataDir });
  let tables: Record<string, number>;
  try {
    // A signed checkpoint of the audit chain as it is in this backup, carried in its files (security #14.4).
    useAuditKeys(loadSecretMaterial(config.secretKey, config.dataDir));
    await writeCheckpoint(database.db, config.dataDir);
    tables = await tableCounts(database.db);
    if (database.kind === 'pglite')
      fs.writeFileSync(
        path.join(outDir, DB_FILE.pglite),
        Buffer.from(await (await database.dumpDataDir!()).arrayBuffer()),
      );
    else
      run(pgTool('pg_dump'), [
        '--format=custom',
        '--no-owner',
        `--file=${path.join(outDir, DB_FILE.postgres)}`,
        sessionUrl(config)!,
      ]);
  } finally {
    await database.close();
  }
  const filesDir = path.join(config.dataDir, 'files');
  if (fs.existsSync(filesDir)) fs.cpSync(filesDir, path.join(outDir, 'files'), { recursive: true });
  const keyFile = path.join(config.dataDir, 'secret.key');
  const hasKeyFile = fs.existsSync(keyFile);
  if (hasKeyFile) fs.copyFileSync(keyFile, path.join(outDir, 'secret.key'));
  const manifest: Manifest = {
    createdAt: new Date().toISOString(),
    kind: database.kind,
    tables,
    files: hashTree(path.join(outDir, 'files')),
    hasKeyFile,
  };
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Differences between a manifest and what is now in place; empty when the restore is faithful. */
export async function compareWithManifest(database: Database, config: Config, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  const counts = await tableCounts(database.db);
  for (const [table, n] of Object.entries(manifest.tables))
    if (counts[table] !== n) problems.push(`表 ${table}：备份 ${n} 行，恢复后 ${counts[table] ?? '缺失'}`);
  const files = hashTree(path.join(config.dataDir, 'files'));
  for (const [file, hash] of Object.entries(manifest.files))
    if (files[file] !== hash) problems.push(`文件 ${file}：${files[file] ? '内容不一致' : '缺失'}`);
  return problems;
}

/**
 * Restores a backup folder into the configured data folder / database. Refuses to overwrite
 * existing data unless `force` (then the old PGlite folder is kept aside, not deleted).
 */
export async function restore(
  config: Config,
  fromDir: string,
  opts: { force?: boolean } = {},
): Promise<{ problems: string[]; manifest: Manifest }> {
  const manifestFile = path.join(fromDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${fromDir} 不是先锋备份目录（缺少 manifest.json）`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const target = config.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.kind !== target)
    throw new Error(`备份来自 ${manifest.kind}，当前配置为 ${target}：请使用相同类型的数据库恢复`);
  fs.mkdirSync(config.dataDir, { recursive: true });

  const keyFile = path.join(config.dataDir, 'secret.key');
  if (manifest.hasKeyFile) {
    const saved = fs.readFileSync(path.join(fromDir, 'secret.key'));
    if (fs.existsSync(keyFile) && !fs.readFileSync(keyFile).equals(saved) && !opts.force)
      throw new Error('数据目录中已有不同的密钥文件 secret.key：确认要覆盖时加 --force');
    fs.writeFileSync(keyFile, saved, { mode: 0o600 });
  }

  let database: Database;
  if (target === 'pglite') {
    const dir = path.join(config.dataDir, 'pglite');
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      if (!opts.force) throw new Error(`数据目录 ${dir} 已有数据：确认要覆盖时加 --force（原数据会改名保留）`);
      fs.renameSync(dir, `${dir}.before-restore-${Date.now()}`);
    }
    const dump = new Blob([fs.readFileSync(path.join(fromDir, DB_FILE.pglite))]);
    database = await openDatabase({ dataDir: config.dataDir, loadDataDir: dump });
  } else {
    run(pgTool('pg_restore'), [
      '--clean',
      '--if-exists',
      '--no-owner',
      `--dbname=${sessionUrl(config)}`,
      path.join(fromDir, DB_FILE.postgres),
    ]);
    database = await openDatabase({ databaseUrl: sessionUrl(config) });
  }
  const files = path.join(fromDir, 'files');
  if (fs.existsSync(files)) fs.cpSync(files, path.join(config.dataDir, 'files'), { recursive: true, force: true });
  try {
    return { problems: await compareWithManifest(database, config, manifest), manifest };
  } finally {
    await database.close();
  }
}
