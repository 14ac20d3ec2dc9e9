/**
 * Throwaway PostgreSQL servers of a test's own, on loopback, from Debian's binaries (/usr/lib/postgresql/N/bin):
 * `initdb` into a temp folder with trust auth and fsync off, settings written to postgresql.conf (not on pg_ctl's
 * command line: a shell runs that, and a log prefix may hold a `|`), started and stopped with `pg_ctl`. Run as user
 * postgres when we are root (as tools/lib/postgres.mjs does for the suite's shared server). Used by the replica pair
 * (testing/pgReplica.ts) and the statement-logging server of the tenant-scope test (platform/tenant-sql.test.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest installed PostgreSQL's bin folder that also has each of `tools` (e.g. pg_basebackup), or null. */
export function postgresBin(...tools: string[]): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const found = fs
    .readdirSync(base)
    .filter((v) => ['postgres', ...tools].every((t) => fs.existsSync(path.join(base, v, 'bin', t))))
    .sort((a, b) => Number(b) - Number(a));
  return found.length ? path.join(base, found[0]!, 'bin') : null;
}

/** A temp folder holding one or more data directories (`name`), each with its log `name.log`. */
export type PgCluster = {
  root: string;
  bin: string;
  /** Runs a PostgreSQL tool (as postgres when root); throws with its output when it fails. */
  run(cmd: string[], what: string): void;
  /** initdb into root/name and appends `conf` lines to its postgresql.conf; answers the data directory. */
  init(name: string, conf: string[]): string;
  start(name: string, port: number): void;
  stop(name: string, mode: 'fast' | 'immediate'): void;
  /** The server's stderr log so far (pg_ctl -l). */
  log(name: string): string;
  /** Stops every server still running and removes the folder. */
  remove(): void;
};

export function pgCluster(bin: string, prefix = 'xf-pg-'): PgCluster {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync('chown', ['postgres', root]);
  const started = new Set<string>();
  const dir = (name: string) => path.join(root, name);
  const cluster: PgCluster = {
    root,
    bin,
    run(cmd, what) {
      const r = asRoot
        ? spawnSync('runuser', ['-u', 'postgres', '--', ...cmd], { encoding: 'utf8' })
        : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr || r.stdout}`);
    },
    init(name, conf) {
      cluster.run(
        [`${bin}/initdb`, '-D', dir(name), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'],
        'initdb',
      );
      const base = ["listen_addresses = '127.0.0.1'", 'fsync = off'];
      fs.appendFileSync(path.join(dir(name), 'postgresql.conf'), ['', ...base, ...conf, ''].join('\n'));
      return dir(name);
    },
    start(name, port) {
      const logFile = path.join(root, `${name}.log`);
      cluster.run(
        [`${bin}/pg_ctl`, '-D', dir(name), '-l', logFile, '-w', '-o', `-p ${port} -k ${dir(name)}`, 'start'],
        `start ${name}`,
      );
      started.add(name);
    },
    stop(name, mode) {
      if (fs.existsSync(path.join(dir(name), 'postmaster.pid')))
        cluster.run([`${bin}/pg_ctl`, '-D', dir(name), '-m', mode, '-w', 'stop'], `stop ${name}`);
    },
    log(name) {
      const f = path.join(root, `${name}.log`);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
    },
    remove() {
      for (const name of started) {
        try {
          cluster.stop(name, 'immediate');
        } catch {
          // Already gone: nothing to stop.
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** One statement as the server logged it (`log_statement = all`, jsonlog). */
export type LoggedStatement = { app: string; session: string; text: string };

export type LoggedPostgres = {
  url: string;
  /** Every statement logged from the `from`-th on (a count of earlier `statements()`), in order. */
  statements(from?: number): LoggedStatement[];
  stop(): void;
};

/**
 * A PostgreSQL that logs every statement as JSON lines (jsonlog: a statement's newlines stay inside its line, and
 * the client's application_name and session come as fields). Answers null without the binaries.
 */
export async function startLoggedPostgres(port: number): Promise<LoggedPostgres | null> {
  const bin = postgresBin();
  if (!bin) return null;
  const cluster = pgCluster(bin, 'xf-pglog-');
  try {
    const data = cluster.init('data', [
      "log_destination = 'jsonlog'",
      'logging_collector = on',
      "log_directory = 'log'",
      "log_filename = 'statements'",
      'log_rotation_age = 0',
      'log_rotation_size = 0',
      "log_statement = 'all'",
    ]);
    cluster.start('data', port);
    const file = path.join(data, 'log', 'statements.json');
    // The log folder belongs to postgres (mode 0700); root reads it anyway, another user is postgres itself.
    const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      statements(from = 0) {
        const out: LoggedStatement[] = [];
        for (const line of read().split('\n')) {
          if (!line.startsWith('{')) continue;
          const e = JSON.parse(line) as { message?: string; application_name?: string; session_id?: string };
          // Simple protocol: `statement: …`; extended: `execute <name>: …` (parse and bind are not logged).
          const m = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(e.message ?? '');
          if (m) out.push({ app: e.application_name ?? '', session: e.session_id ?? '', text: m[1]! });
        }
        return out.slice(from);
      },
      stop: () => cluster.remove(),
    };
  } catch (e) {
    cluster.remove();
    throw e;
  }
}
