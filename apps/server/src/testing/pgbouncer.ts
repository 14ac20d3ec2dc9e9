/**
 * A throwaway PgBouncer in transaction mode on loopback, in front of the test PostgreSQL (Debian's `pgbouncer`).
 * Every database name is passed through (`* =`), so a test database made by `freshPostgres` is reachable by the
 * same name on the bouncer's port. Answers null when the binary is not installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

export type PgBouncer = { port: number; dir: string; log(): string; stop(): Promise<void> };

/** A port nobody listens on now (loopback). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** `poolSize` server connections per database: small, so the app's clients must share them between transactions. */
export async function startPgBouncer(target: URL, poolSize = 3): Promise<PgBouncer | null> {
  if (!fs.existsSync(PGBOUNCER_BIN)) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-pgbouncer-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${target.username || 'postgres'}" ""\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${dir}/users.txt`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 200',
      `admin_users = ${target.username || 'postgres'}`,
      // node-postgres sends no extra startup parameters by default; keep the bouncer strict otherwise.
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${dir}/pgbouncer.log`,
      `pidfile = ${dir}/pgbouncer.pid`,
      'log_connections = 0',
      'log_disconnections = 0',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: run it as the postgres user the test PostgreSQL runs as.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync('chown', ['-R', 'postgres', dir]);
  // Daemonized (-d), stopped through its pid file: a signal to `runuser` would not reach it.
  const args = [PGBOUNCER_BIN, '-d', path.join(dir, 'pgbouncer.ini')];
  const started = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', ...args]) : spawnSync(args[0]!, args.slice(1));
  const log = () =>
    fs.existsSync(path.join(dir, 'pgbouncer.log')) ? fs.readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8') : '';
  if (started.status !== 0) throw new Error(`pgbouncer did not start: ${String(started.stderr)} ${log().slice(-1000)}`);
  const pid = () => Number(fs.readFileSync(path.join(dir, 'pgbouncer.pid'), 'utf8').trim());
  const alive = () => {
    try {
      process.kill(pid(), 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), r(true)));
      c.on('error', () => r(false));
    });
    if (up) break;
    if (i > 10 && !alive()) throw new Error(`pgbouncer did not start: ${log().slice(-1000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    dir,
    log,
    async stop() {
      if (alive()) process.kill(pid(), 'SIGINT');
      for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
