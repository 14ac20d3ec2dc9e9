import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { createFieldCrypto, maskIdCard, maskPhone } from './crypto';

describe('sensitive fields', () => {
  const fc = createFieldCrypto(crypto.randomBytes(32));

  it('round-trips an ID number through AES-256-GCM with a fresh IV each time', () => {
    const a = fc.encrypt('110101199003071234');
    const b = fc.encrypt('110101199003071234');
    assert.notEqual(a, b);
    assert.equal(fc.decrypt(a), '110101199003071234');
    assert.ok(!a.includes('1101011990'));
  });

  it('refuses a ciphertext that was tampered with', () => {
    const sealed = fc.encrypt('13812345678');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    assert.throws(() => fc.decrypt(`v1.${raw.toString('base64')}`));
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
