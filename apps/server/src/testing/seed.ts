/**
 * The seeded test database, made once per test run (tools/test.mjs) instead of by every test file:
 * a data folder with the demo enterprise (bootstrap + every module's demo seeder, under the run's
 * clock), its PGlite tarball for in-memory copies, and — when XF_TEST_PG_URL names a PostgreSQL —
 * a template database that each test copies with CREATE DATABASE … TEMPLATE.
 *
 *   node --import tsx apps/server/src/testing/seed.ts <dir>      # then XF_TEST_SEED=<dir> for the tests
 *
 * Without XF_TEST_SEED (a single test file run by hand) the harnesses seed as before.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { todayInChina } from '@xianfeng/shared';
import pg from 'pg';
import pino from 'pino';
import { seedDemo } from '../demo/seed';
import { demoSeeders } from '../demo/seeders';
import { bootstrap } from '../platform/bootstrap';
import { loadConfig } from '../platform/config';
import { createFieldCrypto, loadMasterKey } from '../platform/crypto';
import { useAuditKeys } from '../platform/audit';
import { openDatabase } from '../platform/db';
import { JobRunner } from '../platform/jobs';
import type { Services } from '../platform/services';

/** The admin password of every seeded test database (API tests, e2e and server processes). */
/**
 * The installation secret every test app and seed keys its audit chain with: the chain key is one per
 * process (platform/audit.ts useAuditKeys), so seeded and fresh test apps of one file must agree.
 */
export const TEST_AUDIT_SECRET = Buffer.from('xianfeng-test-audit-secret');

export const SEED_ADMIN_PASSWORD = 'Initial-Pass-1';

export type Seed = {
  dir: string;
  /** An XF_DATA_DIR to copy: pglite/ and secret.key. */
  dataDir: string;
  /** The same database as a PGlite tarball, for in-memory copies. */
  tarball: string;
  masterKey: Buffer;
  tenantId: string;
  rootOrgId: string;
  /** The day the demo was seeded for; a test run under another clock needs another seed. */
  today: string;
  /** A PostgreSQL database to use as a template, when the seed was made with XF_TEST_PG_URL. */
  pgTemplate: string | null;
};

/** The seed's database as an uncompressed PGlite tarball (each test app loads it; gunzipping cost ~1 s each). */
const TARBALL = 'pglite.tar';

type SeedFile = Omit<Seed, 'dir' | 'dataDir' | 'tarball' | 'masterKey'>;

async function seedInto(databaseUrl: string | undefined, dataDir: string | null, masterKey: Buffer) {
  const database = await openDatabase({ databaseUrl, dataDir, onIdleError: () => {} });
  useAuditKeys(TEST_AUDIT_SECRET);
  const config = loadConfig({
    XF_WEB_DIST: '/nonexistent',
    XF_DATA_DIR: dataDir ?? '/nonexistent',
    XF_LOG_LEVEL: 'silent',
  });
  const services: Services = {
    db: database.db,
    dbKind: database.kind,
    config: { ...config, databaseUrl },
    fieldCrypto: createFieldCrypto(masterKey),
    sessionPolicy: { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs },
    jobs: new JobRunner(database.db, pino({ level: 'silent' })),
  };
  const first = await bootstrap(database.db, {
    adminPassword: SEED_ADMIN_PASSWORD,
    tenantName: '测试企业',
    rootName: '党委',
  });
  await seedDemo(database.db, first.tenantId, first.rootOrgId, demoSeeders(services));
  return { database, first };
}

export async function makeSeed(dir: string, pgUrl = process.env.XF_TEST_PG_URL): Promise<Seed> {
  fs.rmSync(dir, { recursive: true, force: true });
  const dataDir = path.join(dir, 'data');
  // The seed's installation secret is the test secret its audit chain is keyed with: a server booted on a copy of
  // this folder (the e2e) reads it from secret.key, and refuses a database whose newest audit entry its key cannot
  // verify (issue 26). Its sealed fields are sealed with the same secret.
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'secret.key'), TEST_AUDIT_SECRET.toString('base64'), { mode: 0o600 });
  const masterKey = loadMasterKey(undefined, dataDir);
  const { database, first } = await seedInto(undefined, dataDir, masterKey);
  const tarball = path.join(dir, TARBALL);
  fs.writeFileSync(tarball, Buffer.from(await (await database.dumpDataDir!('none')).arrayBuffer()));
  await database.close();
  let pgTemplate: string | null = null;
  if (pgUrl) {
    pgTemplate = `xf_seed_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${pgTemplate}`);
    await admin.end();
    const url = new URL(pgUrl);
    url.pathname = `/${pgTemplate}`;
    // Same key as the PGlite seed; ids differ, so the PostgreSQL seed keeps its own tenant and root.
    const pgSeed = await seedInto(url.toString(), null, masterKey);
    await pgSeed.database.close();
    const file: SeedFile = { tenantId: first.tenantId, rootOrgId: first.rootOrgId, today: todayInChina(), pgTemplate };
    fs.writeFileSync(
      path.join(dir, 'seed.json'),
      JSON.stringify({ ...file, pg: { tenantId: pgSeed.first.tenantId, rootOrgId: pgSeed.first.rootOrgId } }),
    );
  } else {
    const file: SeedFile = { tenantId: first.tenantId, rootOrgId: first.rootOrgId, today: todayInChina(), pgTemplate };
    fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(file));
  }
  return readSeed(dir, false)!;
}

/** The run's seed named by XF_TEST_SEED, when it was made for today's clock; otherwise null. */
export function readSeed(
  dir = process.env.XF_TEST_SEED,
  forPostgres = Boolean(process.env.XF_TEST_PG_URL),
): Seed | null {
  if (!dir || !fs.existsSync(path.join(dir, 'seed.json'))) return null;
  const file = JSON.parse(fs.readFileSync(path.join(dir, 'seed.json'), 'utf8')) as SeedFile & {
    pg?: { tenantId: string; rootOrgId: string };
  };
  if (file.today !== todayInChina()) return null;
  if (forPostgres && !file.pgTemplate) return null;
  const dataDir = path.join(dir, 'data');
  return {
    ...file,
    ...(forPostgres && file.pg ? file.pg : {}),
    dir,
    dataDir,
    tarball: path.join(dir, TARBALL),
    masterKey: loadMasterKey(undefined, dataDir),
  };
}

/** Drops the PostgreSQL template of a seed (end of the run). */
export async function dropSeedTemplate(dir: string, pgUrl: string): Promise<void> {
  const seed = readSeed(dir, true);
  if (!seed?.pgTemplate) return;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${seed.pgTemplate} with (force)`);
  await admin.end();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? '.tmp/test-seed');
  const t0 = Date.now();
  await makeSeed(dir);
  console.log(`seeded test database in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
