/**
 * `npm start`: boot, print where to go and how to log in, stop cleanly on SIGTERM/SIGINT. With XF_WORKERS=N (and
 * PostgreSQL) this process supervises N such servers on one port instead (cluster.ts).
 */
import cluster from 'node:cluster';
import { clockIsSet, now, ROLE_LABELS, type Role } from '@xianfeng/shared';
import { boot } from './boot';
import { superviseWorkers, workersWanted } from './cluster';

let workers = 1;
try {
  workers = workersWanted(process.env);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
if (cluster.isPrimary && workers > 1) superviseWorkers(workers);
else await serve();

async function serve() {
  const running = await boot(process.env);
  const lines = [
    '',
    '  先锋 Xianfeng 智慧党建平台已启动',
    `  访问地址 URL: ${running.url}`,
    `  数据库 DB:    ${running.services.dbKind}${running.services.dbKind === 'pglite' ? ` (${running.services.config.dataDir})` : ''}`,
    ...(clockIsSet()
      ? [`  时钟 Clock:   XF_NOW — 系统时间设为 ${now().toISOString()}（仅用于测试与演示 test/demo only）`]
      : []),
    ...(running.services.config.demo
      ? ['  演示模式 DEMO: 演示企业与演示账号，仅供试用，勿存放真实党员数据（XF_DEMO=0 关闭）']
      : []),
    '  登录账号 Logins:',
    ...running.logins.map(
      (l) =>
        `    ${l.username.padEnd(10)} ${l.password.padEnd(18)} ${ROLE_LABELS[l.role as Role] ?? l.role}${l.note ? ` · ${l.note}` : ''}`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = () => {
    stopping = true;
    // In-flight requests finish; the database closes after the server stops accepting.
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stop();
    });
  // A worker whose primary is gone gets no more connections: it stops too.
  if (cluster.isWorker)
    process.on('disconnect', () => {
      if (!stopping) stop();
    });
}
