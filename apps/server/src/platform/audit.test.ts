import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../testing/harness';
import { canonicalJson, redact, verifyAuditChain, writeAudit, systemActor } from './audit';

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
        db.transaction((tx) => writeAudit(tx, systemActor(t.tenantId), { action: 'test.write', entityType: 'test', entityId: String(i) })),
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
