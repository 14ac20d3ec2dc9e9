// `npm test`: type check, lint, unit + API tests (PGlite, and PostgreSQL when available),
// then browser e2e against the built app. Ends with one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const want = (stage) => !only || only === stage;
let passed = 0;
let failed = 0;
const failures = [];

function run(cmd, cmdArgs, opts = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
}

/** A whole command counted as one test (type check, lint, build). */
function step(name, cmd, cmdArgs) {
  const r = run(cmd, cmdArgs);
  if (r.status === 0) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
  return r.status === 0;
}

function findTests(dir, suffix) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p, suffix));
    else if (entry.name.endsWith(suffix) && !(suffix === '.test.ts' && entry.name.endsWith('.e2e.test.ts'))) out.push(p);
  }
  return out.sort();
}

/** Runs node's test runner; counts come from its TAP summary. */
function nodeTests(name, files, env = {}) {
  if (files.length === 0) return;
  const tap = path.join(os.tmpdir(), `xf-tap-${process.pid}-${name.replace(/\W/g, '_')}.txt`);
  const r = run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { env },
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)`, 'm'))?.[1] ?? 0);
  const p = count('pass');
  const f = count('fail') + count('cancelled');
  passed += p;
  failed += f;
  if (f > 0 || r.status !== 0) failures.push(name);
  if (r.status !== 0 && f === 0) failed += 1; // the runner itself failed (crash, no summary)
}

function ensureBrowser() {
  const haveFont = spawnSync('sh', ['-c', 'fc-list :lang=zh | grep -q .']).status === 0;
  if (fs.existsSync('/usr/bin/chromium') && haveFont) return;
  console.log('Installing chromium and fonts-noto-cjk with apt-get…');
  run('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk']);
}

/** A throwaway local PostgreSQL when the binaries exist and DATABASE_URL is not given. */
function startPostgres() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop() {} };
  const bin = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) => fs.existsSync(path.join(d, 'postgres')));
  if (!bin) {
    console.log('PostgreSQL not found: API tests run on PGlite only (set DATABASE_URL to add a PostgreSQL run).');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-pg-'));
  const port = String(55000 + (process.pid % 1000));
  const asRoot = process.getuid?.() === 0;
  const as = (cmd) => (asRoot ? ['runuser', ['-u', 'postgres', '--', ...cmd]] : [cmd[0], cmd.slice(1)]);
  if (asRoot) spawnSync('chown', ['postgres', dir]);
  const init = spawnSync(...as([`${bin}/initdb`, '-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']), { stdio: 'ignore' });
  if (init.status !== 0) return null;
  const start = spawnSync(...as([`${bin}/pg_ctl`, '-D', dir, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']), { stdio: 'inherit' });
  if (start.status !== 0) return null;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      spawnSync(...as([`${bin}/pg_ctl`, '-D', dir, '-m', 'fast', 'stop']), { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (want('static')) {
  step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  step('lint', 'npx', ['eslint', '.']);
}
if (want('unit')) {
  const files = [...findTests(path.join(root, 'apps'), '.test.ts'), ...findTests(path.join(root, 'packages'), '.test.ts'), ...findTests(path.join(root, 'tools'), '.test.ts')];
  nodeTests('unit+api (PGlite)', files);
  const pgServer = startPostgres();
  if (pgServer) {
    try {
      nodeTests('api (PostgreSQL)', files.filter((f) => !f.includes('/web/')), { XF_TEST_PG_URL: pgServer.url });
    } finally {
      pgServer.stop();
    }
  }
}
if (want('e2e')) {
  ensureBrowser();
  if (step('web build', 'npm', ['run', 'build', '-w', 'apps/web'])) nodeTests('e2e', findTests(path.join(root, 'e2e'), '.e2e.test.ts'));
}

console.log(failures.length ? `\nFailed stages: ${failures.join(', ')}` : '\nAll stages green.');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
