// @one-database: configuration parsing and key formats, no database (tools/test.mjs leaves it out of the PostgreSQL pass).
/**
 * Payment keys in the formats people have them (issue 28 item 3): PEM, bare base64 as the
 * providers' key tools write it (Alipay's 密钥工具 gives PKCS#1 or PKCS#8 private keys without PEM
 * armour, which its SDK accepts), or a file path. A key that is none of these fails start-up with
 * the variable's name and never with the key itself — not in the error, not on stderr.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './config';

const pair = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const bare = (der: Buffer) => der.toString('base64');
const works = (privatePem: string, publicPem: string) =>
  crypto.verify('sha256', Buffer.from('x'), publicPem, crypto.sign('sha256', Buffer.from('x'), privatePem));
const alipayEnv = (priv: string, pub: string) => ({
  XF_ALIPAY_APP_ID: '2021000000000001',
  XF_ALIPAY_SELLER_ID: '2088000000000001',
  XF_ALIPAY_PRIVATE_KEY: priv,
  XF_ALIPAY_PUBLIC_KEY: pub,
});
/** Every 24-character run of the secret: none may appear in what was printed. */
const leaks = (text: string, secret: string) => {
  const s = secret.replace(/-----[^-]+-----|\s/g, '');
  for (let i = 0; i + 24 <= s.length; i += 12) if (text.includes(s.slice(i, i + 24))) return true;
  return false;
};

describe('payment keys in every format the providers’ tools write (issue 28 item 3)', () => {
  const app = pair();
  const alipay = pair();
  const pkcs8 = bare(app.privateKey.export({ type: 'pkcs8', format: 'der' }));
  const pkcs1 = bare(app.privateKey.export({ type: 'pkcs1', format: 'der' }));
  const spki = bare(alipay.publicKey.export({ type: 'spki', format: 'der' }));
  const appPublic = app.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('accepts bare base64 PKCS#8 and PKCS#1 private keys and a bare base64 public key (Alipay’s key tool output)', () => {
    for (const priv of [pkcs8, pkcs1]) {
      const c = loadConfig(alipayEnv(priv, spki)).payment.alipay!;
      assert.ok(works(c.privateKeyPem, appPublic), 'the private key signs');
      assert.match(c.alipayPublicKeyPem, /BEGIN PUBLIC KEY/);
    }
  });

  it('accepts PEM inline (with literal \\n, as an env file holds it) and a file path', () => {
    const pem = app.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const c = loadConfig(
      alipayEnv(pem.replace(/\n/g, '\\n'), alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ).payment.alipay!;
    assert.ok(works(c.privateKeyPem, appPublic));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-keys-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.pem'), pem);
      fs.writeFileSync(path.join(dir, 'app.txt'), `${pkcs1}\n`);
      for (const f of ['app.pem', 'app.txt'])
        assert.ok(works(loadConfig(alipayEnv(path.join(dir, f), spki)).payment.alipay!.privateKeyPem, appPublic), f);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('refuses a damaged key naming the variable, never printing the key', () => {
    const damaged = pkcs8.slice(0, 600) + pkcs8.slice(700); // a paste that lost a line
    for (const [value, name] of [
      [damaged, 'XF_ALIPAY_PRIVATE_KEY'],
      [`-----BEGIN PRIVATE KEY-----\n${damaged}\n-----END PRIVATE KEY-----`, 'XF_ALIPAY_PRIVATE_KEY'],
      [`${pkcs8.slice(0, 40)} not a key`, 'XF_ALIPAY_PRIVATE_KEY'],
    ] as const) {
      assert.throws(
        () => loadConfig(alipayEnv(value, spki)),
        (err: Error) =>
          err.message.includes(name) && !leaks(err.message, value) && !err.message.includes(value.slice(0, 40)),
      );
    }
  });

  it('a server started with a damaged key exits without the key on stderr or stdout', () => {
    const damaged = pkcs1.slice(0, 500) + pkcs1.slice(600);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../main.ts')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        XF_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'xf-cfg-')),
        ...alipayEnv(damaged, spki),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.notEqual(r.status, 0, 'start-up fails');
    assert.match(r.stderr, /XF_ALIPAY_PRIVATE_KEY/);
    assert.equal(leaks(r.stderr + r.stdout, damaged), false, 'the key is not printed');
  });

  it('refuses Alipay without the merchant PID its notifications are checked against, or with a malformed one (issue 28 item 5)', () => {
    const { XF_ALIPAY_SELLER_ID: _pid, ...withoutPid } = alipayEnv(pkcs8, spki);
    assert.throws(() => loadConfig(withoutPid), /XF_ALIPAY_SELLER_ID must be set/);
    assert.throws(() => loadConfig({ ...withoutPid, XF_ALIPAY_SELLER_ID: '2021000000000001' }), /XF_ALIPAY_SELLER_ID/);
    assert.equal(loadConfig(alipayEnv(pkcs8, spki)).payment.alipay!.sellerId, '2088000000000001');
  });
});
