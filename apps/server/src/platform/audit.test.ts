import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { adminToken, startTestApp, type TestApp } from '../testing/harness';
import {
  canonicalJson,
  checkpointFile,
  entryHash,
  GENESIS_HASH,
  readCheckpoints,
  redact,
  systemActor,
  upgradeAuditChain,
  verifyAuditChain,
  writeAudit,
  writeCheckpoint,
  type Checkpoint,
} from './audit';
import { queryRows, type Db } from './db';
import { auditLog } from './schema';

describe('audit log', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('redacts secrets but keeps flags that merely mention them', () => {
    assert.deepEqual(redact({ password: 'x', idCardNo: '1', mustChangePassword: true, nested: [{ phone: '2' }] }), {
      password: '[已脱敏]',
      idCardNo: '[已脱敏]',
      mustChangePassword: true,
      nested: [{ phone: '[已脱敏]' }],
    });
  });

  it('hashes the same content the same way whatever the key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('verifies an intact chain written by the demo seed and concurrent writers', async () => {
    const { db } = t.services;
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        db.transaction((tx) =>
          writeAudit(tx, systemActor(t.tenantId), { action: 'test.write', entityType: 'test', entityId: String(i) }),
        ),
      ),
    );
    const r = await verifyAuditChain(db);
    assert.equal(r.ok, true);
    assert.ok(r.checked > 50);
  });

  it('names the tampered row when an entry is edited in the database', async () => {
    const { db } = t.services;
    const victim = 7;
    await db.execute(sql`update audit_log set action = 'org.delete' where id = ${victim}`);
    const r = await verifyAuditChain(db);
    assert.equal(r.ok, false);
    assert.equal(r.firstBrokenId, victim);
    assert.match(r.reason!, /篡改/);
  });

  it('names the gap when an entry is deleted', async () => {
    const { db } = t.services;
    await db.execute(sql`delete from audit_log where id = 3`);
    const r = await verifyAuditChain(db);
    assert.equal(r.firstBrokenId, 3);
    assert.match(r.reason!, /缺少/);
  });
});

/**
 * Security review #14, finding 4: someone who can write the database edited an entry and recomputed
 * the rest of the chain, or deleted the newest entries and set the head back — and the old, unkeyed
 * chain still verified. Now the hash is keyed with a secret outside the database, and signed checkpoints
 * outside it anchor the head. Before the fix the first two tests failed (the recomputed and the
 * truncated chains verified as intact); `upgradeAuditChain` and checkpoints did not exist.
 */
describe('audit chain against database write access (security #14.4)', () => {
  let t: TestApp;
  let dataDir: string;
  before(async () => {
    t = await startTestApp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-audit-'));
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** What an attacker without the key does: edit an entry and recompute every hash from it on as the code did. */
  async function editAndRecompute(
    db: Db,
    victim: number,
    recompute: (prev: string, fields: Parameters<typeof entryHash>[1]) => string,
  ) {
    await db.execute(sql`update audit_log set action = 'org.delete' where id = ${victim}`);
    const rows = await queryRows<{ id: string }>(db, sql`select id from audit_log where id >= ${victim} order by id`);
    const [prev] = await queryRows<{ hash: string }>(db, sql`select hash from audit_log where id = ${victim - 1}`);
    let prevHash = prev!.hash;
    for (const { id } of rows) {
      const [row] = await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.id, Number(id)));
      const { prevHash: _p, hash: _h, ...fields } = row!;
      const hash = recompute(prevHash, fields);
      await db.execute(sql`update audit_log set prev_hash = ${prevHash}, hash = ${hash} where id = ${Number(id)}`);
      prevHash = hash;
    }
    await db.execute(sql`update audit_head set last_hash = ${prevHash} where id = 1`);
  }

  it('detects an entry edited and the chain recomputed without the key (unkeyed SHA-256, as before)', async () => {
    const { db } = t.services;
    assert.equal((await verifyAuditChain(db)).ok, true);
    const victim = 5;
    await editAndRecompute(db, victim, (prev, fields) => entryHash(prev, fields, 1));
    const r = await verifyAuditChain(db);
    assert.equal(r.ok, false, 'a recomputed unkeyed chain must not verify');
    assert.equal(r.firstBrokenId, victim);
    // Setting the head back to version 1 as well does not help once checkpoints exist.
    await db.execute(sql`update audit_head set version = 1 where id = 1`);
    const cp: Checkpoint = { v: 1, at: '2026-12-01T00:00:00.000Z', lastId: 1, lastHash: 'x', sig: '0'.repeat(64) };
    assert.equal((await verifyAuditChain(db, [cp])).ok, false);
  });

  it('detects the newest entries deleted and the head set back, through a signed checkpoint kept outside the database', async () => {
    const fresh = await startTestApp({ demo: false });
    try {
      const { db } = fresh.services;
      for (let i = 0; i < 10; i++)
        await db.transaction((tx) =>
          writeAudit(tx, systemActor(fresh.tenantId), {
            action: 'test.write',
            entityType: 'test',
            entityId: String(i),
          }),
        );
      const { written } = await writeCheckpoint(db, dataDir);
      assert.ok(written);
      assert.equal((await writeCheckpoint(db, dataDir)).written, false, 'an unchanged head is not written twice');
      const checkpoints = readCheckpoints(checkpointFile(dataDir));
      assert.equal(checkpoints.length, 1);
      assert.equal((await verifyAuditChain(db, checkpoints)).ok, true);

      // Truncate the last three entries and set the head back to the new last one: the chain links.
      const [{ n }] = (await queryRows<{ n: number }>(db, sql`select max(id)::int as n from audit_log`)) as [
        { n: number },
      ];
      await db.execute(sql`delete from outbox_event where id > ${n - 3}`);
      await db.execute(sql`delete from audit_log where id > ${n - 3}`);
      await db.execute(
        sql`update audit_head set last_id = ${n - 3}, last_hash = (select hash from audit_log where id = ${n - 3}) where id = 1`,
      );
      assert.equal((await verifyAuditChain(db)).ok, true, 'without the anchor a truncation is invisible');
      const r = await verifyAuditChain(db, checkpoints);
      assert.equal(r.ok, false);
      assert.equal(r.firstBrokenId, n - 2);
      assert.match(r.reason!, /检查点/);

      // A checkpoint edited to match (without the key) does not pass its signature.
      const forged = { ...checkpoints[0]!, lastId: n - 3 };
      const f = await verifyAuditChain(db, [forged]);
      assert.equal(f.ok, false);
      assert.match(f.reason!, /签名无效/);
    } finally {
      await fresh.close();
    }
  });

  it('GET /audit/verify reads the configured logs as the CLI does: a cut behind a log-only checkpoint and a row edited after it are reported', async () => {
    const fresh = await startTestApp({ demo: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-audit-route-'));
    try {
      const { db, config } = fresh.services;
      const write = (n: number) =>
        Promise.all(
          Array.from({ length: n }, (_, i) =>
            db.transaction((tx) =>
              writeAudit(tx, systemActor(fresh.tenantId), {
                action: 'test.write',
                entityType: 'test',
                entityId: String(i),
              }),
            ),
          ),
        );
      await write(5);
      // The files area's checkpoint is older; the newest one reached only the log (shipped elsewhere).
      await writeCheckpoint(db, dir);
      await write(5);
      const { checkpoint } = await writeCheckpoint(db, path.join(dir, 'elsewhere'));
      const log = path.join(dir, 'server.log');
      fs.writeFileSync(log, `${JSON.stringify({ level: 30, msg: 'audit checkpoint', auditCheckpoint: checkpoint })}\n`);
      config.dataDir = dir;
      config.auditLogs = [log];
      const token = await adminToken(fresh);
      const verify = async () =>
        (await fresh.request({ method: 'GET', url: '/api/v1/audit/verify', token })).body as {
          ok: boolean;
          firstBrokenId: number | null;
          reason: string | null;
          anchoredTo?: number | null;
        };
      const intact = await verify();
      assert.equal(intact.ok, true, intact.reason ?? '');
      const n = checkpoint.lastId;
      assert.equal(intact.anchoredTo, n, "the log's checkpoint anchors the route's answer");

      // An entry edited after the newest checkpoint: the keyed hash names it.
      await write(3);
      const [{ action }] = (await queryRows<{ action: string }>(
        db,
        sql`select action from audit_log where id = ${n + 2}`,
      )) as [{ action: string }];
      await db.execute(sql`update audit_log set action = 'org.delete' where id = ${n + 2}`);
      const edited = await verify();
      assert.equal(edited.ok, false);
      assert.equal(edited.firstBrokenId, n + 2);
      await db.execute(sql`update audit_log set action = ${action} where id = ${n + 2}`);
      assert.equal((await verify()).ok, true);

      // Cut everything after entry n - 3 (after the file's checkpoint, before the log's) and set the head back.
      await db.execute(sql`delete from outbox_event where id > ${n - 3}`);
      await db.execute(sql`delete from audit_log where id > ${n - 3}`);
      await db.execute(
        sql`update audit_head set last_id = ${n - 3}, last_hash = (select hash from audit_log where id = ${n - 3}) where id = 1`,
      );
      const cut = await verify();
      assert.equal(cut.ok, false, "the route must see the log's checkpoint, as npm run audit:verify does");
      assert.equal(cut.firstBrokenId, n - 2);
    } finally {
      await fresh.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads checkpoints from a server log too, and re-keys an old unkeyed chain once (keeping it verifiable)', async () => {
    const fresh = await startTestApp({ demo: false });
    try {
      const { db } = fresh.services;
      // An old database: version-1 head, an unkeyed chain.
      await db.execute(sql`delete from outbox_event`);
      await db.execute(sql`delete from audit_log`);
      await db.execute(sql`update audit_head set last_id = 0, last_hash = ${GENESIS_HASH}, version = 1 where id = 1`);
      for (let i = 0; i < 5; i++)
        await db.transaction((tx) =>
          writeAudit(tx, systemActor(fresh.tenantId), { action: 'test.old', entityType: 'test', entityId: String(i) }),
        );
      const [old] = await queryRows<{ hash: string }>(db, sql`select hash from audit_log where id = 5`);
      const { hash: _h, prevHash: _p, ...fields5 } = (await db.select().from(auditLog).where(eq(auditLog.id, 5)))[0]!;
      assert.equal(
        entryHash(
          (await queryRows<{ p: string }>(db, sql`select prev_hash as p from audit_log where id = 5`))[0]!.p,
          fields5,
          1,
        ),
        old!.hash,
        'written unkeyed',
      );
      assert.equal((await verifyAuditChain(db)).version, 1);

      assert.equal(await upgradeAuditChain(db), 'upgraded');
      assert.equal(await upgradeAuditChain(db), 'current');
      const r = await verifyAuditChain(db);
      assert.equal(r.ok, true, r.reason ?? '');
      assert.equal(r.version, 2);
      assert.equal(r.checked, 6, 'five old entries and the audit.rekey entry');

      // A checkpoint that reached the log (pino line), not the file.
      const { checkpoint } = await writeCheckpoint(db, path.join(dataDir, 'other'));
      const log = path.join(dataDir, 'server.log');
      fs.writeFileSync(
        log,
        `not json\n${JSON.stringify({ level: 30, msg: 'audit checkpoint', auditCheckpoint: checkpoint })}\n`,
      );
      const fromLog = readCheckpoints(log);
      assert.equal(fromLog.length, 1);
      assert.equal((await verifyAuditChain(db, fromLog)).anchoredTo, 6);

      // A keyed chain with checkpoints is never "upgraded" again after its head is set back to version 1.
      await db.execute(sql`update audit_head set version = 1 where id = 1`);
      assert.equal(await upgradeAuditChain(db, fromLog), 'downgraded');
    } finally {
      await fresh.close();
    }
  });
});
