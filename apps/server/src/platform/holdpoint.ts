/**
 * Test-only pause points for the crash tests (platform/crash.test.ts, dues/crash.test.ts): when
 * the environment variable XF_TEST_HOLD names a point, the process prints `XF-HOLD <name>` on
 * stdout when it reaches it and then waits there forever — its transaction still open — so the
 * test can SIGKILL it at a known step instead of guessing with timers.
 *
 * Inert in production: XF_TEST_HOLD is read once at start, is unset in any real deployment, and
 * is ignored altogether when NODE_ENV=production. An unset variable makes holdPoint return at once.
 */
const wanted = process.env.NODE_ENV === 'production' ? '' : (process.env.XF_TEST_HOLD ?? '');

export async function holdPoint(name: string): Promise<void> {
  if (wanted !== name) return;
  process.stdout.write(`XF-HOLD ${name}\n`);
  await new Promise<never>(() => {});
}

/**
 * Test-only recurring tick for the scheduler's process tests (platform/scheduler.test.ts): when
 * XF_TEST_TICK holds a cron expression, the runner gets a schedule `test.tick` whose job prints
 * `XF-TICK <occurrence> <pid>` on stdout, so a test can count each occurrence's runs across several
 * processes. Inert unless set, and ignored when NODE_ENV=production.
 */
export function registerTestTick(jobs: {
  register(kind: string, handler: (ctx: { job: { payload: Record<string, unknown> } }) => Promise<unknown>): void;
  recurring(def: { name: string; kind: string; cron: string }): void;
}): void {
  const cron = process.env.NODE_ENV === 'production' ? '' : (process.env.XF_TEST_TICK ?? '');
  if (!cron) return;
  jobs.register('test.tick', async ({ job }) => {
    process.stdout.write(`XF-TICK ${String(job.payload.occurrence)} ${process.pid}\n`);
    return { pid: process.pid };
  });
  jobs.recurring({ name: 'test.tick', kind: 'test.tick', cron });
}
