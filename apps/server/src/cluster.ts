/**
 * `XF_WORKERS=N npm start` (issue 26): N server processes on one machine through node:cluster, sharing one port —
 * the primary accepts connections and hands them to the workers in turn. Every worker is a whole server (boot.ts);
 * what must hold across processes already does (docs/operations.md, "Several server processes"): the first worker
 * migrates and seeds under the start-up lock, the others wait for it. Only with PostgreSQL: the embedded database
 * is a folder one process owns.
 *
 * The primary runs no server itself. It restarts a worker that dies, unless workers keep dying right after their
 * start (a configuration error: restarting would only repeat it), and on SIGTERM/SIGINT it stops the workers
 * cleanly (each finishes its requests) and exits when they are gone.
 */
import cluster, { type Worker } from 'node:cluster';

/** A worker that dies within this long of its start counts as a failed start. */
const QUICK_DEATH_MS = 10_000;
/** Failed starts in a row after which the primary gives up. */
const MAX_FAILED_STARTS = 3;

/** The number of workers asked for: XF_WORKERS, 1 when unset. Throws, saying why, on a value that cannot work. */
export function workersWanted(env: NodeJS.ProcessEnv): number {
  const raw = env.XF_WORKERS ?? '1';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error(`XF_WORKERS 须为 1 到 64 的整数，现在是「${raw}」 (XF_WORKERS must be an integer from 1 to 64)`);
  if (n > 1 && !env.DATABASE_URL)
    throw new Error(
      'XF_WORKERS > 1 需要 PostgreSQL（设置 DATABASE_URL）：内嵌数据库只能由一个进程使用 ' +
        '(several workers need PostgreSQL: the embedded database belongs to one process)',
    );
  return n;
}

export function superviseWorkers(n: number): void {
  let stopping = false;
  let failedStarts = 0;
  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork(), Date.now());

  cluster.on('listening', (w) => {
    failedStarts = 0;
    console.log(`  工作进程 Worker ${w.id}: pid ${w.process.pid} 已就绪 listening`);
  });
  cluster.on('exit', (w, code, signal) => {
    const lived = Date.now() - (startedAt.get(w) ?? 0);
    startedAt.delete(w);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    failedStarts = lived < QUICK_DEATH_MS ? failedStarts + 1 : 0;
    if (failedStarts >= MAX_FAILED_STARTS) {
      console.error(`工作进程连续 ${failedStarts} 次启动后即退出，停止重启 (workers keep dying at start; giving up)`);
      stopping = true;
      for (const other of startedAt.keys()) other.process.kill('SIGTERM');
      if (startedAt.size === 0) process.exit(1);
      return;
    }
    console.log(
      `  工作进程 Worker ${w.id}: pid ${w.process.pid} 已退出（${signal ?? `code ${code}`}），正在重启 restarting`,
    );
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const w of startedAt.keys()) w.process.kill('SIGTERM');
      if (startedAt.size === 0) process.exit(0);
    });

  console.log(`  先锋 Xianfeng: ${n} 个工作进程共用一个端口 (${n} workers, one port, PostgreSQL)`);
  for (let i = 0; i < n; i++) fork();
}
