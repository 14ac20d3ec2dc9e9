/**
 * The scheduler across real server processes (main.ts as child processes, testing/serverProcess.ts):
 * a recurring schedule keeps its occurrences across a restart, and two servers on one PostgreSQL run
 * each occurrence exactly once. The servers get the test-only schedule `test.tick`
 * (platform/holdpoint.ts, XF_TEST_TICK), whose job prints `XF-TICK <occurrence> <pid>`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { crashTargets, startServer, type ServerEnv, type ServerProcess } from '../testing/serverProcess';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The occurrences a process ran, in the order it printed them. */
const ticks = (server: ServerProcess): string[] =>
  [...server.output().matchAll(/^XF-TICK (\S+) (\d+)$/gm)].map((m) => m[1]!);

async function waitForTicks(server: ServerProcess, n: number, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (ticks(server).length < n) {
    if (Date.now() > until) throw new Error(`only ${ticks(server).length} ticks within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const dupes = (list: string[]) => list.filter((x, i) => list.indexOf(x) !== i);

async function restartKeepsSchedule(env: ServerEnv) {
  // At warn, the runner's word on a catch-up reaches stdout.
  const tickEnv = { ...env, XF_DEMO: '0', XF_TEST_TICK: '*/2 * * * * *', XF_LOG_LEVEL: 'warn' };
  let server = await startServer(tickEnv);
  await waitForTicks(server, 2);
  await server.stop();
  const first = ticks(server);
  await sleep(2500); // at least one occurrence falls due while no server runs
  server = await startServer(tickEnv);
  try {
    await waitForTicks(server, 2);
  } finally {
    await server.stop();
  }
  const second = ticks(server);
  const all = [...first, ...second];
  assert.deepEqual(dupes(all), [], `no occurrence runs twice: ${all.join(' ')}`);
  const lastBefore = Math.max(...first.map((o) => Date.parse(o)));
  const firstAfter = Date.parse(second[0]!);
  assert.ok(firstAfter > lastBefore, 'the restarted server goes on after the last occurrence it ran');
  // Occurrences due while no server ran (or while it booted) are run once, for the latest of them: the
  // restarted server's first run is that catch-up, as its runner says (a clock comparison made here would
  // race the runner's first poll under load).
  const caughtUp = server
    .output()
    .split('\n')
    .filter((l) => l.includes('fell due before this process started'))
    .map((l) => JSON.parse(l) as { schedule: string; occurrence: string })
    .filter((c) => c.schedule === 'test.tick'); // the installation's own schedules may catch up too
  assert.deepEqual(
    caughtUp.map((c) => [c.schedule, c.occurrence]),
    [['test.tick', second[0]]],
    `the restarted server catches up at once: ${server.output().slice(-1500)}`,
  );
}

async function twoServersOneDatabase(env: ServerEnv) {
  // Both poll every 20 ms: they reach each due occurrence at nearly the same moment.
  // One installation secret for both, as every process on one database must have (boot refuses another key).
  const tickEnv = {
    ...env,
    XF_DEMO: '0',
    XF_TEST_TICK: '* * * * * *',
    XF_JOB_POLL_MS: '20',
    XF_SECRET_KEY: 'scheduler-test-secret-0123456789',
  };
  // The first start migrates and bootstraps; the second joins the same database.
  const a = await startServer(tickEnv);
  const bDir = `${env.XF_DATA_DIR}-b`;
  const b = await startServer({ ...tickEnv, XF_DATA_DIR: bDir });
  try {
    await sleep(8000);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    fs.rmSync(bDir, { recursive: true, force: true });
  }
  const fromA = ticks(a);
  const fromB = ticks(b);
  const all = [...fromA, ...fromB];
  assert.deepEqual(dupes(all), [], `each occurrence on one server only: A ${fromA.join(' ')} | B ${fromB.join(' ')}`);
  assert.ok(all.length >= 5, `the schedule kept running (${all.length} occurrences in 8 s)`);
}

describe('scheduler across processes', () => {
  const on = crashTargets('xf-sched-');
  it(
    'keeps a schedule across a restart of the embedded server: each occurrence once, the missed one after the restart',
    { skip: on.noEmbedded },
    () => on.embedded(restartKeepsSchedule),
  );
  it('keeps a schedule across a restart on PostgreSQL', { skip: on.noPostgres }, () =>
    on.postgres(restartKeepsSchedule),
  );
  it('runs each occurrence exactly once with two servers on one PostgreSQL', { skip: on.noPostgres }, () =>
    on.postgres(twoServersOneDatabase),
  );
});
