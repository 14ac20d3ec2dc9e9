import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { member } from '../modules/member/schema';
import { MODULES } from '../modules';
import { createFieldCrypto, freshIv, maskIdCard, maskPhone, resealFields } from './crypto';
import { queryRows } from './db';
import { startTestApp, type TestApp } from '../testing/harness';

/** The first ciphertext format, written the way the code before security review #14 finding 11 wrote it. */
function sealV1(master: Buffer, plain: string): string {
  const key = Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'xianfeng/field-encryption/v1', 32));
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

describe('sensitive fields', () => {
  const fc = createFieldCrypto(crypto.randomBytes(32));
  const rowA = crypto.randomUUID();
  const rowB = crypto.randomUUID();

  it('round-trips an ID number through AES-256-GCM with a fresh IV each time', () => {
    const a = fc.encrypt('110101199003071234', member.idCardEnc, rowA);
    const b = fc.encrypt('110101199003071234', member.idCardEnc, rowA);
    assert.notEqual(a, b);
    assert.ok(a.startsWith('v2.'));
    assert.equal(fc.decrypt(a, member.idCardEnc, rowA), '110101199003071234');
    assert.ok(!a.includes('1101011990'));
  });

  it('draws GCM IVs from a pooled CSPRNG: every one unique across pool refills, none predictable from the others', () => {
    // 3 refills of the 4,096-IV pool and then some; the IV is the first 12 bytes after `v2.`.
    const ivs = Array.from({ length: 3 * 4096 + 7 }, () =>
      Buffer.from(fc.encrypt('13800000000', member.phoneEnc, rowA).slice(3), 'base64').subarray(0, 12),
    );
    const hex = ivs.map((iv) => iv.toString('hex'));
    assert.equal(new Set(hex).size, ivs.length, 'an IV repeated');
    // Not a counter or a reused pool: no two share even their first 8 bytes, nor their last 8.
    assert.equal(new Set(hex.map((h) => h.slice(0, 16))).size, ivs.length);
    assert.equal(new Set(hex.map((h) => h.slice(-16))).size, ivs.length);
    // Random bits: about half of them ones (1.2M bits, ±0.5 % is > 20 standard deviations), and every byte value
    // turns up in every one of the 12 positions.
    let ones = 0;
    for (const iv of ivs) for (const byte of iv) for (let b = byte; b; b >>= 1) ones += b & 1;
    const share = ones / (ivs.length * 96);
    assert.ok(share > 0.495 && share < 0.505, `share of one bits ${share}`);
    for (let pos = 0; pos < 12; pos++) assert.equal(new Set(ivs.map((iv) => iv[pos])).size, 256);
    assert.equal(freshIv().length, 12);
  });

  it('refuses a ciphertext that was tampered with', () => {
    const sealed = fc.encrypt('13812345678', member.phoneEnc, rowA);
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    assert.throws(() => fc.decrypt(`v2.${raw.toString('base64')}`, member.phoneEnc, rowA));
  });

  // Security review #14, finding 11: someone with database write access must not be able to move a member's
  // number into another member's row (or into another column) and have the application show it there.
  it('binds each ciphertext to its row and column: copied to another row or column it does not open', () => {
    const sealed = fc.encrypt('110101199003071234', member.idCardEnc, rowA);
    assert.throws(() => fc.decrypt(sealed, member.idCardEnc, rowB), /authenticate/);
    assert.throws(() => fc.decrypt(sealed, member.phoneEnc, rowA), /authenticate/);
  });

  it('derives the v2 key from the installation secret by HKDF, apart from the legacy key', () => {
    const material = crypto.randomBytes(32);
    const legacy = crypto.randomBytes(32);
    const sealed = createFieldCrypto(material, legacy).encrypt('13812345678', member.phoneEnc, rowA);
    assert.equal(
      createFieldCrypto(material, crypto.randomBytes(32)).decrypt(sealed, member.phoneEnc, rowA),
      '13812345678',
    );
    assert.throws(() => createFieldCrypto(legacy, legacy).decrypt(sealed, member.phoneEnc, rowA));
  });

  it('still opens a value of the first format (no place bound), with the legacy key', () => {
    const master = crypto.randomBytes(32);
    const old = sealV1(master, '13812345678');
    assert.equal(createFieldCrypto(crypto.randomBytes(32), master).decrypt(old, member.phoneEnc, rowB), '13812345678');
  });

  it('seals bytes (a file) with the same key and place binding: opens only in its own place, tampering refused', () => {
    const file = crypto.randomBytes(70_000);
    const sealed = fc.sealBytes(file, member.idCardEnc, rowA);
    assert.equal(sealed.subarray(0, 3).toString(), 'v2.', 'sealed bytes carry the v2 prefix');
    assert.equal(sealed.length, file.length + 3 + 28, 'no base64: the sealed file is the plain size plus 31 bytes');
    assert.ok(fc.openBytes(sealed, member.idCardEnc, rowA).equals(file), 'opens in its place');
    assert.ok(!sealed.includes(file.subarray(0, 32)), 'the plain bytes do not appear');
    assert.throws(() => fc.openBytes(sealed, member.idCardEnc, rowB), 'another row');
    assert.throws(() => fc.openBytes(sealed, member.phoneEnc, rowA), 'another column');
    const bad = Buffer.from(sealed);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    assert.throws(() => fc.openBytes(bad, member.idCardEnc, rowA), 'tampered');
    assert.throws(
      () => createFieldCrypto(crypto.randomBytes(32)).openBytes(sealed, member.idCardEnc, rowA),
      'another installation',
    );
    const text = fc.encrypt('身份证', member.idCardEnc, rowA);
    assert.equal(fc.decrypt(text, member.idCardEnc, rowA), '身份证', 'text sealing unchanged');
  });

  it('refuses the field-encryption purposes as a subkey', () => {
    assert.throws(() => fc.subkey('xianfeng/field-encryption/v2'), /reserved/);
    assert.equal(fc.subkey('xianfeng/meeting-checkin-token/v1').length, 32);
  });

  it('gives the same blind index for the same value (case-insensitive x) and differs by key', () => {
    assert.equal(fc.blindIndex('11010119900307123x'), fc.blindIndex('11010119900307123X'));
    assert.notEqual(fc.blindIndex('13812345678'), fc.blindIndex('13812345679'));
    assert.notEqual(createFieldCrypto(crypto.randomBytes(32)).blindIndex('13812345678'), fc.blindIndex('13812345678'));
  });

  it('masks an ID number as 110***********1234 and a phone as 138****5678', () => {
    assert.equal(maskIdCard('110101199003071234'), '110***********1234');
    assert.equal(maskPhone('13812345678'), '138****5678');
  });
});

describe('resealing the first format at start (security review #14, finding 11)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('rewrites every v1 value of the modules’ sealed columns as v2 bound to its row, in batches, and is idempotent', async () => {
    const master = crypto.randomBytes(32);
    const fc = createFieldCrypto(crypto.randomBytes(32), master);
    const branch = await t.orgId('第一发电厂党支部');
    const old = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branch} and left_at is null order by id limit 5`,
    );
    assert.equal(old.length, 5);
    const phones = old.map((_, i) => `1390000000${i}`);
    for (const [i, r] of old.entries())
      await t.services.db.execute(
        sql`update member set phone_enc = ${sealV1(master, phones[i]!)}, id_card_enc = ${sealV1(master, `11010119900307000${i}`)} where id = ${r.id}`,
      );
    const columns = MODULES.flatMap((m) => m.sealed ?? []);
    assert.ok(columns.some((c) => c.column === member.phoneEnc) && columns.some((c) => c.column === member.idCardEnc));

    const seen: string[] = [];
    // Only the rows changed above are v1 (the rest were sealed by the app's own key as v2 and are left alone).
    assert.equal(
      await resealFields(t.services.db, fc, columns, (column, done) => seen.push(`${column}:${done}`), 2),
      10,
    );
    assert.deepEqual(seen, [
      'member.id_card_enc:2',
      'member.id_card_enc:4',
      'member.id_card_enc:5',
      'member.phone_enc:2',
      'member.phone_enc:4',
      'member.phone_enc:5',
    ]);
    const after = await queryRows<{ id: string; phone_enc: string; id_card_enc: string }>(
      t.services.db,
      sql`select id, phone_enc, id_card_enc from member where id = any(${sql.param(old.map((r) => r.id))}::uuid[])`,
    );
    for (const r of after) {
      const i = old.findIndex((o) => o.id === r.id);
      assert.ok(r.phone_enc.startsWith('v2.') && r.id_card_enc.startsWith('v2.'));
      assert.equal(fc.decrypt(r.phone_enc, member.phoneEnc, r.id), phones[i]);
      assert.equal(fc.decrypt(r.id_card_enc, member.idCardEnc, r.id), `11010119900307000${i}`);
    }
    assert.equal(await resealFields(t.services.db, fc, columns), 0, 'nothing left to do on the next start');
    const [left] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member where phone_enc like 'v1.%' or id_card_enc like 'v1.%'`,
    );
    assert.equal(left!.n, 0);
  });
});
