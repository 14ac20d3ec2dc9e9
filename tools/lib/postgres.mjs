// A throwaway local PostgreSQL for tests and benchmarks: found in /usr/lib/postgresql/*/bin,
// initialised in a temp folder (as user postgres when we run as root), trust auth, fsync off.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest installed PostgreSQL's bin folder, or null. */
export function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

/**
 * Starts a PostgreSQL on a free-ish port, or answers DATABASE_URL's when given.
 * Returns `{ url, stop() }`, or null when no binaries are installed (or start failed).
 * `opts.settings` are extra `-c name=value` server settings (e.g. shared_buffers for benchmarks).
 */
export function startPostgres(opts = {}) {
  const log = opts.log ?? console.log;
  if (process.env.DATABASE_URL && !opts.ignoreEnv) return { url: process.env.DATABASE_URL, stop() {} };
  const bin = findPostgresBin();
  if (!bin) {
    log('PostgreSQL not found under /usr/lib/postgresql (set DATABASE_URL to use one).');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(opts.parentDir ?? os.tmpdir(), 'xf-pg-'));
  const port = String(opts.port ?? 55000 + (process.pid % 1000));
  const asRoot = process.getuid?.() === 0;
  const as = (cmd) => (asRoot ? ['runuser', ['-u', 'postgres', '--', ...cmd]] : [cmd[0], cmd.slice(1)]);
  if (asRoot) spawnSync('chown', ['postgres', dir]);
  const init = spawnSync(
    ...as([`${bin}/initdb`, '-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']),
    { stdio: 'ignore' },
  );
  if (init.status !== 0) return null;
  const settings = ['listen_addresses=127.0.0.1', 'fsync=off', ...(opts.settings ?? [])]
    .map((s) => `-c ${s}`)
    .join(' ');
  const start = spawnSync(
    ...as([
      `${bin}/pg_ctl`,
      '-D',
      dir,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} ${settings}`,
      'start',
    ]),
    {
      stdio: opts.quiet ? 'ignore' : 'inherit',
    },
  );
  if (start.status !== 0) return null;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    stop() {
      spawnSync(...as([`${bin}/pg_ctl`, '-D', dir, '-m', 'fast', 'stop']), { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
