/**
 * A throwaway PostgreSQL primary with a streaming replica on loopback (replica.test.ts): Debian's binaries
 * (/usr/lib/postgresql/N/bin), `initdb` with wal_level=replica, `pg_basebackup -R` into a temp folder, the standby
 * started on another port. Both log every statement with the client's application_name, so a test can see
 * which server ran what. Run as user postgres when we are root (as tools/lib/postgres.mjs does).
 * Answers null when the binaries are missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './pgbouncer';

/** The newest installed PostgreSQL's bin folder with pg_basebackup, or null. */
export function postgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const found = fs
    .readdirSync(base)
    .filter(
      (v) =>
        fs.existsSync(path.join(base, v, 'bin', 'postgres')) &&
        fs.existsSync(path.join(base, v, 'bin', 'pg_basebackup')),
    )
    .sort((a, b) => Number(b) - Number(a));
  return found.length ? path.join(base, found[0]!, 'bin') : null;
}

export type ReplicaPair = {
  primaryUrl: string;
  standbyUrl: string;
  /** The standby's log so far (every statement, prefixed with `application_name|`). */
  standbyLog(): string;
  primaryLog(): string;
  stopStandby(): void;
  startStandby(): void;
  stop(): void;
};

export async function startReplicaPair(): Promise<ReplicaPair | null> {
  const bin = postgresBin();
  if (!bin) return null;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-replica-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync('chown', ['postgres', root]);
  const run = (cmd: string[], what: string) => {
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', ...cmd], { encoding: 'utf8' })
      : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr || r.stdout}`);
  };
  const primary = path.join(root, 'primary');
  const standby = path.join(root, 'standby');
  const [pport, sport] = [await freePort(), await freePort()];
  run([`${bin}/initdb`, '-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], 'initdb');
  // In the configuration file, not on pg_ctl's command line (a shell runs that): the `|` of the prefix.
  fs.appendFileSync(
    path.join(primary, 'postgresql.conf'),
    [
      '',
      "listen_addresses = '127.0.0.1'",
      'fsync = off',
      'wal_level = replica',
      'max_wal_senders = 4',
      'hot_standby = on',
      "log_statement = 'all'",
      "log_line_prefix = '%a|'",
      '',
    ].join('\n'),
  );
  const start = (dir: string, port: number) =>
    run(
      [
        `${bin}/pg_ctl`,
        '-D',
        dir,
        '-l',
        path.join(root, `${path.basename(dir)}.log`),
        '-w',
        '-o',
        `-p ${port} -k ${dir}`,
        'start',
      ],
      `start ${path.basename(dir)}`,
    );
  const stop = (dir: string, mode: 'fast' | 'immediate') => {
    if (fs.existsSync(path.join(dir, 'postmaster.pid')))
      run([`${bin}/pg_ctl`, '-D', dir, '-m', mode, '-w', 'stop'], `stop ${path.basename(dir)}`);
  };
  try {
    start(primary, pport);
    // -R: standby.signal and primary_conninfo, so the copy starts as a streaming standby of the primary.
    run(
      [
        `${bin}/pg_basebackup`,
        '-h',
        '127.0.0.1',
        '-p',
        String(pport),
        '-U',
        'postgres',
        '-D',
        standby,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
      ],
      'pg_basebackup',
    );
    start(standby, sport);
  } catch (e) {
    stop(standby, 'immediate');
    stop(primary, 'immediate');
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
  const read = (name: string) => {
    const f = path.join(root, `${name}.log`);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  };
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${pport}/postgres`,
    standbyUrl: `postgres://postgres@127.0.0.1:${sport}/postgres`,
    standbyLog: () => read('standby'),
    primaryLog: () => read('primary'),
    stopStandby: () => stop(standby, 'immediate'),
    startStandby: () => start(standby, sport),
    stop() {
      stop(standby, 'immediate');
      stop(primary, 'fast');
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
