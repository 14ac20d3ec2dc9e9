import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { boot } from '../boot';
import { embeddedRunsElsewhere, freshPostgres } from '../testing/harness';
import { checkpointFile, readCheckpoints, verifyAuditChain } from './audit';
import { backup, restore } from './backup';
import { loadConfig } from './config';
import { openDatabase } from './db';

const temp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `xf-${name}-`));

/** Starts and stops a real server once so the data folder holds the demo enterprise, plus one uploaded file. */
async function populated(env: Record<string, string>) {
  const running = await boot({
    PORT: '0',
    XF_LOG_LEVEL: 'silent',
    XF_WEB_DIST: '/nonexistent',
    XF_ADMIN_PASSWORD: 'Backup-Test-1',
    ...env,
  });
  await running.close();
  const photo = path.join(env.XF_DATA_DIR!, 'files', 'meeting', 'photo.jpg');
  fs.mkdirSync(path.dirname(photo), { recursive: true });
  fs.writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  return loadConfig(env);
}

describe('backup and restore', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = (name: string) => {
    const d = temp(name);
    dirs.push(d);
    return d;
  };

  it(
    'round-trips the embedded database, files and key: same row counts, same file hashes, intact audit chain',
    { skip: embeddedRunsElsewhere },
    async () => {
      const source = await populated({ XF_DATA_DIR: tmp('src') });
      const out = path.join(tmp('bak'), 'b1');
      const manifest = await backup(source, out);
      assert.ok(manifest.tables.member! > 100, 'the demo members are in the backup');
      // The photo, the audit chain's signed checkpoints (security #14.4: a backup carries the anchor), and the PDFs
      // of the demo's four e-library books (learn/demo.ts).
      const files = Object.keys(manifest.files).sort();
      assert.deepEqual(
        files.filter((f) => !f.startsWith('learn/')),
        ['audit/checkpoints.jsonl', 'meeting/photo.jpg'],
      );
      assert.equal(files.filter((f) => /^learn\/[^/]+\/[^/]+\.pdf$/.test(f)).length, 4, 'the demo books’ PDFs');

      const target = loadConfig({ XF_DATA_DIR: tmp('dst') });
      const { problems } = await restore(target, out);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        fs.readFileSync(path.join(target.dataDir, 'secret.key')),
        fs.readFileSync(path.join(source.dataDir, 'secret.key')),
      );
      const db = await openDatabase({ dataDir: target.dataDir });
      const verified = await verifyAuditChain(db.db, readCheckpoints(checkpointFile(target.dataDir)));
      assert.equal(verified.ok, true, verified.reason ?? '');
      assert.ok(verified.checkpoints! >= 1);
      await db.close();

      // A second restore onto data that is there now is refused unless forced.
      await assert.rejects(restore(target, out), /已有/);
    },
  );

  it('refuses to back up the embedded database while a server holds it', { skip: embeddedRunsElsewhere }, async () => {
    // The lock is all this is about: a migrated, empty data folder will do (no demo server to boot).
    const source = loadConfig({ XF_DATA_DIR: tmp('busy') });
    const held = await openDatabase({ dataDir: source.dataDir });
    // The lock is per process; pretend the holder is another, live process (our parent).
    fs.writeFileSync(path.join(source.dataDir, 'xianfeng.pid'), String(process.ppid));
    await assert.rejects(backup(source, path.join(tmp('bak'), 'b2')), /正被另一个进程/);
    fs.writeFileSync(path.join(source.dataDir, 'xianfeng.pid'), String(process.pid));
    await held.close();
  });

  it(
    'round-trips PostgreSQL with pg_dump / pg_restore',
    { skip: !process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run' },
    async () => {
      const from = (await freshPostgres())!;
      const to = (await freshPostgres())!;
      try {
        const dataDir = tmp('pgsrc');
        await populated({ XF_DATA_DIR: dataDir, DATABASE_URL: from.url });
        // DATABASE_URL as a PgBouncer in transaction mode would be (here: a port nobody answers): pg_dump and
        // pg_restore must use DATABASE_DIRECT_URL, since their session settings would stay on a pooled connection.
        const bouncer = 'postgres://xianfeng@127.0.0.1:1/xianfeng';
        const source = loadConfig({ XF_DATA_DIR: dataDir, DATABASE_URL: bouncer, DATABASE_DIRECT_URL: from.url });
        const out = path.join(tmp('pgbak'), 'b');
        const manifest = await backup(source, out);
        assert.equal(manifest.kind, 'postgres');
        assert.equal(fs.statSync(out).mode & 0o777, 0o700, 'only the owner reads a backup');
        const target = { XF_DATA_DIR: tmp('pgdst'), DATABASE_URL: bouncer, DATABASE_DIRECT_URL: to.url };
        const { problems } = await restore(loadConfig(target), out);
        assert.deepEqual(problems, []);
      } finally {
        await from.drop();
        await to.drop();
      }
    },
  );
});
