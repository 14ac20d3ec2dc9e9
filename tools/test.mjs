// `npm test`: type check, lint, unit + API tests (PGlite, and PostgreSQL when available),
// then browser e2e against the built app. Ends with one line: `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findPostgresBin, startPostgres } from './lib/postgres.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const want = (stage) => !only || only === stage;
let passed = 0;
let failed = 0;
const failures = [];
/** How long each stage took, printed at the very end (CI keeps the tail of the output): the run must fit its budget. */
const stageTimes = [];
const timed = (name, t0) => stageTimes.push(`${name} ${((performance.now() - t0) / 60_000).toFixed(1)} min`);

function run(cmd, cmdArgs, opts = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
}

/** A whole command counted as one test (type check, lint, build). */
function step(name, cmd, cmdArgs, opts = {}) {
  const t0 = performance.now();
  const r = run(cmd, cmdArgs, opts);
  timed(name, t0);
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
    else if (entry.name.endsWith(suffix) && !(suffix === '.test.ts' && entry.name.endsWith('.e2e.test.ts')))
      out.push(p);
  }
  return out.sort();
}

/** Reads a TAP file's closing counts: `count('pass')`, `count('fail')`… (0 when the file or the line is missing). */
function tapCounter(tap) {
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  return (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)`, 'm'))?.[1] ?? 0);
}

/**
 * Test files grouped several to a process (tools/lib/test-files.mjs): each group is a generated file importing its
 * members. Biggest files first, dealt round-robin, so the groups take about as long as each other. `--per-file`
 * runs every file in its own process, as node's runner does by default (to rule grouping out when a test fails).
 */
const FILES_PER_GROUP = args.includes('--per-file') ? 1 : 8;
function groupFiles(name, files) {
  if (FILES_PER_GROUP === 1) return files;
  const dir = path.join(root, '.tmp', 'test-groups');
  fs.mkdirSync(dir, { recursive: true });
  const bySize = [...files].sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  const groups = Array.from({ length: Math.ceil(files.length / FILES_PER_GROUP) }, () => []);
  bySize.forEach((f, i) => groups[i % groups.length].push(f));
  const lib = path.join(root, 'tools', 'lib', 'test-files.mjs');
  return groups.map((members, i) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '_')}-${i + 1}.mjs`);
    const body = `import { testFiles } from ${JSON.stringify(lib)};\nawait testFiles(${JSON.stringify(members, null, 2)});\n`;
    fs.writeFileSync(file, body);
    return file;
  });
}

/** Runs node's test runner; counts come from its TAP summary. */
function nodeTests(name, files, env = {}, { concurrency = 2, grouped = true } = {}) {
  if (files.length === 0) return;
  const tap = path.join(os.tmpdir(), `xf-tap-${process.pid}-${name.replace(/\W/g, '_')}.txt`);
  const t0 = performance.now();
  const r = run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...(grouped ? groupFiles(name, files) : files),
    ],
    { env },
  );
  timed(`${name} (${files.length} files)`, t0);
  const count = tapCounter(tap);
  const p = count('pass');
  const f = count('fail') + count('cancelled');
  passed += p;
  failed += f;
  if (f > 0 || r.status !== 0) failures.push(name);
  if (r.status !== 0 && f === 0) failed += 1; // the runner itself failed (crash, no summary)
}

/** One test file in its own runner process; its output is printed whole when it ends, so files do not interleave. */
function runFile(file, env, label) {
  const tap = path.join(os.tmpdir(), `xf-tap-${process.pid}-${path.basename(file)}-${label}.txt`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        file,
      ],
      { cwd: root, env: { ...process.env, ...env } },
    );
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (status) => {
      const printed = Buffer.concat(out).toString();
      console.log(`\n$ e2e ${path.relative(root, file)} (${label})\n${printed}`);
      const count = tapCounter(tap);
      const failedHere =
        count('fail') + count('cancelled') + (status !== 0 && count('fail') + count('cancelled') === 0 ? 1 : 0);
      // The spec reporter's closing list of failures, repeated at the very end of the run (CI shows the tail).
      const at = printed.lastIndexOf('failing tests:');
      const failing = at >= 0 ? printed.slice(at).trim() : printed.slice(-3000);
      resolve({ passed: count('pass'), failed: failedHere, failing });
    });
  });
}

/**
 * Browser e2e, two files at a time. A file that fails is run once more, alone, on a fresh server from the same
 * seed, and its second run is what counts — CI's loaded 2-core machine makes a browser wait time out now and
 * then, and one red test sinks the whole run. A real bug fails both runs. Every file that needed the second run
 * is named at the end (with the first run's failure printed above it): a flaky test is still a bug to fix.
 */
async function e2eTests(files, env) {
  const t0 = performance.now();
  const first = new Map();
  const queue = [...files];
  await Promise.all(
    [0, 1].map(async () => {
      for (let f = queue.shift(); f; f = queue.shift()) first.set(f, await runFile(f, env, 'run 1'));
    }),
  );
  const retried = [];
  for (const f of files) {
    let r = first.get(f);
    if (r.failed > 0) {
      const name = path.relative(root, f);
      const again = await runFile(f, env, 'run 2, alone');
      retried.push(`${name}: ${again.failed > 0 ? 'failed again' : 'passed on the second run (flaky)'}`);
      retried.push(`  run 1 ${r.failing.replace(/\n/g, '\n    ')}`);
      if (again.failed > 0) retried.push(`  run 2 ${again.failing.replace(/\n/g, '\n    ')}`);
      r = again;
    }
    passed += r.passed;
    failed += r.failed;
    if (r.failed > 0 && !failures.includes('e2e')) failures.push('e2e');
  }
  timed(`e2e (${files.length} files)`, t0);
  if (retried.length) console.log(`\ne2e files run a second time:\n${retried.map((l) => `  ${l}`).join('\n')}`);
  else console.log('\nNo e2e file needed a second run.');
}

/** The PgBouncer test (platform/pgbouncer.test.ts) needs Debian's pgbouncer beside PostgreSQL; it skips without it. */
function ensurePgBouncer() {
  if (!findPostgresBin() || fs.existsSync('/usr/sbin/pgbouncer') || process.getuid?.() !== 0) return;
  console.log('Installing pgbouncer with apt-get…');
  run('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer']);
}

/** The learn module's video renditions (learn/media.test.ts, learn-rendition.e2e) use Debian's ffmpeg; they skip without it. */
function ensureFfmpeg() {
  if (fs.existsSync('/usr/bin/ffmpeg') || process.getuid?.() !== 0) return;
  console.log('Installing ffmpeg with apt-get…');
  run('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ffmpeg']);
}

function ensureBrowser() {
  const haveFont = spawnSync('sh', ['-c', 'fc-list :lang=zh | grep -q .']).status === 0;
  if (fs.existsSync('/usr/bin/chromium') && haveFont) return;
  console.log('Installing chromium and fonts-noto-cjk with apt-get…');
  run('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk']);
}

if (want('static')) {
  step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  step('lint', 'npx', ['eslint', '.']);
  // One formatting for everyone (.prettierrc.json): `npm run format` fixes what this finds.
  step('format', 'npm', ['run', '--silent', 'format:check']);
}
/**
 * The fixed days (XF_NOW, the one clock in packages/shared): month ends, the year end, a leap day. The PGlite pass
 * runs every file on the first of them and the PostgreSQL pass every server file on the second — a clocked pass is
 * the same on every day CI runs, and it finds code that reads the real time instead of the clock, the real day
 * being another. A test file is date-bound when it says so on a line `// @fixed-days: <why>` (its answers turn on
 * months, quarters, years and deadlines); those files run again on the remaining days on PGlite.
 * `npm test -- --dates all` runs the date-bound files under every day on both databases. The e2e run on the first
 * day as well: its seed, every server its harness starts (in the test file's own process, so the same XF_NOW) and,
 * through the servers' answers (`x-xf-now`, apps/web/src/platform/api.ts), the pages. `--e2e-day <day>` runs them
 * on another day (proving the browser tests do not turn on the day); `--files a,b` runs only those e2e files.
 */
const FIXED_DAYS = ['2026-11-30', '2026-12-31', '2027-01-31', '2028-02-29'];
const allDates = args.includes('--dates') && args[args.indexOf('--dates') + 1] === 'all';
const tmpRoot = path.join(root, '.tmp');

/** The run's seeded test database for one clock (apps/server/src/testing/seed.ts): made once, copied by every test. */
function makeSeed(name, env = {}) {
  const dir = path.join(tmpRoot, `test-seed-${name}`);
  const ok = step(`seed (${name})`, process.execPath, ['--import', 'tsx', 'apps/server/src/testing/seed.ts', dir], {
    env,
  });
  return ok ? dir : '';
}

if (want('unit')) {
  const all = [
    ...findTests(path.join(root, 'apps'), '.test.ts'),
    ...findTests(path.join(root, 'packages'), '.test.ts'),
    ...findTests(path.join(root, 'tools'), '.test.ts'),
  ];
  const isBench = (f) => f.includes(`${path.sep}bench${path.sep}`);
  const files = all.filter((f) => !isBench(f));
  /** Whether a test file sets a mark on a line of its own: `// @<mark>: <why>`. */
  const marked = (f, mark) => new RegExp(`^// @${mark}:`, 'm').test(fs.readFileSync(f, 'utf8'));
  const dateBound = files.filter((f) => marked(f, 'fixed-days'));
  // The PostgreSQL pass: the server's tests that touch the database (packages/ holds pure functions, and a file
  // marked `// @one-database: <why>` does not use one) — run once on PGlite and on the days.
  const serverFiles = files.filter(
    (f) => f.includes(`${path.sep}apps${path.sep}server${path.sep}`) && !marked(f, 'one-database'),
  );
  const firstDay = FIXED_DAYS[0];
  const firstClock = `${firstDay}@${Date.now()}`;
  const firstSeed = makeSeed(firstDay, { XF_NOW: firstClock });
  ensureFfmpeg();
  // The PDFs (certificates, 台账) are drawn with a CJK font and answer 503 without one: install it before the API
  // tests, or on a fresh machine they would test only the 503 (and chromium comes with it, for the e2e later).
  ensureBrowser();
  nodeTests(`unit+api (PGlite, ${firstDay})`, files, { XF_NOW: firstClock, XF_TEST_SEED: firstSeed });
  ensurePgBouncer();
  const pgServer = startPostgres({ log: (m) => console.log(`${m} API tests run on PGlite only.`) });
  const pgDays = allDates ? FIXED_DAYS : [FIXED_DAYS[1]];
  // Without PostgreSQL, the PGlite pass takes its days too.
  const pgliteDays = FIXED_DAYS.filter((d) => d !== firstDay && (allDates || !pgDays.includes(d) || !pgServer));
  if (pgServer) {
    try {
      for (const day of pgDays) {
        // XF_TEST_SWEEP=light: the fuzz and every-role sweeps ran in full on PGlite (testing/harness.ts lightSweep).
        const env = { XF_NOW: `${day}@${Date.now()}`, XF_TEST_PG_URL: pgServer.url, XF_TEST_SWEEP: 'light' };
        const seed = makeSeed(`pg-${day}`, env);
        nodeTests(`api (PostgreSQL, ${day})`, allDates && day !== pgDays[0] ? dateBound : serverFiles, {
          ...env,
          XF_TEST_SEED: seed,
        });
      }
    } finally {
      pgServer.stop();
    }
  }
  for (const day of pgliteDays) {
    const clock = `${day}@${Date.now()}`;
    const seed = makeSeed(day, { XF_NOW: clock });
    nodeTests(`modules on ${day} (PGlite)`, dateBound, { XF_NOW: clock, XF_TEST_SEED: seed });
  }
  // Speed ratios are measured alone, not beside other test files competing for the same two cores, each bench in a
  // fresh process (memory figures).
  nodeTests('bench (quick)', all.filter(isBench), {}, { concurrency: 1, grouped: false });
}
if (want('e2e')) {
  ensureBrowser();
  ensureFfmpeg();
  if (step('web build', 'npm', ['run', 'build', '-w', 'apps/web'])) {
    const day = args.includes('--e2e-day') ? args[args.indexOf('--e2e-day') + 1] : FIXED_DAYS[0];
    const clock = `${day}@${Date.now()}`;
    const seed = makeSeed(`e2e-${day}`, { XF_NOW: clock });
    const pick = args.includes('--files') ? args[args.indexOf('--files') + 1].split(',') : null;
    const files = findTests(path.join(root, 'e2e'), '.e2e.test.ts').filter(
      (f) => !pick || pick.some((p) => path.basename(f).startsWith(`${p}.e2e`)),
    );
    await e2eTests(files, { XF_NOW: clock, XF_TEST_SEED: seed });
  }
}

console.log(`\nStage times: ${stageTimes.join('; ')}`);
console.log(failures.length ? `\nFailed stages: ${failures.join(', ')}` : '\nAll stages green.');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
