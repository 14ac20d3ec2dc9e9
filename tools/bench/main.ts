/**
 * `npm run bench [-- --quick] [--members N] [--orgs N] [--pglite-only] [--iterations N] [--bill-months N] [--only latency,http,import,bills] [--bills-attached]`
 * `npm run bench -- --load [--members N] [--seconds N] [--connections N] [--rate N] [--postgres]`: the load test (load.ts).
 * `npm run bench -- --attention [--members N] [--orgs N] [--runs N] [--pglite-only|--postgres-only]`: 决策参考 (attention.ts).
 * `npm run bench -- --writes [--clients 200] [--rounds 3]`: concurrent payments with the change feed's bumps on and off (writes.ts).
 * `npm run bench -- --web [--runs N] [--profiles slow4g,fast4g]`: the member's phone home, first and repeat load, throttled (web.ts).
 * Generates (or reuses, under .tmp/bench/) a synthetic tenant and measures it on PGlite, then on
 * PostgreSQL when one is available (DATABASE_URL, or a throwaway server from
 * /usr/lib/postgresql/*\/bin). Prints a table and writes .tmp/bench/<kind>-<members>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '../../apps/server/src/platform/crypto';
import { readArgs } from '../lib/args';
import { startPostgres } from '../lib/postgres.mjs';
import { markdownReport } from './report';
import { loadReport, runLoad, tempDataDir } from './load';
import { runBench, type BenchOptions, type BenchResult } from './run';
import { runWebCli } from './web';
import { runAttentionCli } from './attention';
import { runWritesCli } from './writes';

const args = readArgs(process.argv.slice(2));
if (args.has('web')) {
  await runWebCli(args);
  process.exit(0);
}
if (args.has('attention')) {
  await runAttentionCli(args);
  process.exit(0);
}
if (args.has('writes')) {
  await runWritesCli(args);
  process.exit(0);
}
if (args.has('load')) {
  await runLoadCli(args);
  process.exit(0);
}
const quick = args.has('quick');
const members = args.num('members', quick ? 20_000 : 1_000_000);
const orgs = args.num('orgs', Math.max(50, Math.round(members / 20)));
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, '.tmp', 'bench');
fs.mkdirSync(outDir, { recursive: true });

const base: Omit<BenchOptions, 'kind' | 'dataDir' | 'databaseUrl'> = {
  members,
  orgs,
  seed: args.num('seed', 1),
  billMonths: args.num('bill-months', 12),
  quick,
  importRows: args.num('import-rows', quick ? 2_000 : 100_000),
  iterations: args.num('iterations', quick ? 10 : 30),
  httpSeconds: args.num('http-seconds', quick ? 3 : 10),
  log: (l) => console.log(l),
  showProgress: true,
  only: args.has('only') ? new Set((args.str('only') ?? '').split(',')) : undefined,
  billsAttached: args.has('bills-attached'),
};

const results: BenchResult[] = [];
const save = (r: BenchResult) => {
  results.push(r);
  fs.writeFileSync(path.join(outDir, `${r.kind}-${r.members}.json`), JSON.stringify(r, null, 2));
};

if (!args.has('postgres-only')) {
  console.log(`\n== PGlite, ${members} members ==`);
  save(
    await runBench({ ...base, kind: 'pglite', dataDir: path.join(outDir, `pglite-${members}-${orgs}-s${base.seed}`) }),
  );
}
if (!args.has('pglite-only')) {
  const server = startPostgres({
    quiet: true,
    settings: ['shared_buffers=512MB', 'work_mem=32MB', 'maintenance_work_mem=256MB', 'max_wal_size=4GB'],
  });
  if (!server) console.log('\nPostgreSQL not available: PGlite only.');
  else {
    try {
      console.log(`\n== PostgreSQL, ${members} members ==`);
      // A given DATABASE_URL keeps its data between runs, so its field key must be kept too.
      const dataDir = path.join(
        outDir,
        `postgres-key-${process.env.DATABASE_URL ? sha256(process.env.DATABASE_URL).slice(0, 8) : process.pid}`,
      );
      save(await runBench({ ...base, kind: 'postgres', dataDir, databaseUrl: server.url }));
      if (!process.env.DATABASE_URL) fs.rmSync(dataDir, { recursive: true, force: true });
    } finally {
      server.stop();
    }
  }
}
console.log(`\n${markdownReport(results)}`);

async function runLoadCli(a: ReturnType<typeof readArgs>) {
  const server = a.has('postgres') ? startPostgres({ quiet: true, settings: ['shared_buffers=256MB'] }) : null;
  if (a.has('postgres') && !server) throw new Error('--postgres: no PostgreSQL found (install it or set DATABASE_URL)');
  const dataDir = tempDataDir();
  try {
    const r = await runLoad({
      members: a.num('members', 1000),
      seconds: a.num('seconds', 60),
      connections: a.num('connections', 50),
      rate: a.num('rate', 0),
      dataDir,
      databaseUrl: server?.url,
      seed: a.num('seed', 1),
      log: (l) => console.log(l),
    });
    const out = path.resolve(import.meta.dirname, '../../.tmp/bench');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      path.join(out, `load-${r.database}-${r.members}-c${r.connections}-r${r.rate}.json`),
      JSON.stringify(r, null, 2),
    );
    console.log(`\n${loadReport(r)}`);
  } finally {
    server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
