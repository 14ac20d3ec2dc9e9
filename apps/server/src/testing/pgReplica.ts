/**
 * A throwaway PostgreSQL primary with a streaming replica on loopback (replica.test.ts): Debian's binaries
 * (testing/pgServer.ts), the primary with wal_level=replica, `pg_basebackup -R` into a temp folder, the standby
 * started on another port. Both log every statement with the client's application_name, so a test can see
 * which server ran what. Answers null when the binaries are missing.
 */
import { freePort } from './pgbouncer';
import { pgCluster, postgresBin as binWith } from './pgServer';

/** The newest installed PostgreSQL's bin folder with pg_basebackup, or null. */
export const postgresBin = () => binWith('pg_basebackup');

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
  const c = pgCluster(bin, 'xf-replica-');
  const [pport, sport] = [await freePort(), await freePort()];
  c.init('primary', [
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    "log_statement = 'all'",
    "log_line_prefix = '%a|'",
  ]);
  try {
    c.start('primary', pport);
    // -R: standby.signal and primary_conninfo, so the copy starts as a streaming standby of the primary.
    c.run(
      [
        `${bin}/pg_basebackup`,
        '-h',
        '127.0.0.1',
        '-p',
        String(pport),
        '-U',
        'postgres',
        '-D',
        `${c.root}/standby`,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
      ],
      'pg_basebackup',
    );
    c.start('standby', sport);
  } catch (e) {
    c.remove();
    throw e;
  }
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${pport}/postgres`,
    standbyUrl: `postgres://postgres@127.0.0.1:${sport}/postgres`,
    standbyLog: () => c.log('standby'),
    primaryLog: () => c.log('primary'),
    stopStandby: () => c.stop('standby', 'immediate'),
    startStandby: () => c.start('standby', sport),
    stop() {
      c.stop('standby', 'immediate');
      c.stop('primary', 'fast');
      c.remove();
    },
  };
}
