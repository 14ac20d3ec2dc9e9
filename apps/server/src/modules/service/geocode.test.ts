/**
 * 云地图 地址解析 (issue 22): an address becomes a GCJ-02 point through the Tencent LBS WebService geocoder when a key is
 * configured. Tested only against a fake provider on 127.0.0.1 that checks the key and the `sig` as the provider
 * documents it (parameters sorted, raw values, path + '?' + query + SK, MD5 lower-case hex); without a key the route
 * says address lookup is not configured and nothing leaves the server.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../testing/harness';
import { FAKE_TENCENT_KEY as KEY, FAKE_TENCENT_SK as SK, startFakeTencent, type FakeTencent } from './fake/tencent';
import { GEOCODER_PATH, tencentSig } from './geocode';

describe('云地图 address lookup (地址解析, Tencent LBS geocoder)', () => {
  let fake: FakeTencent;
  let t: TestApp;
  before(async () => {
    fake = await startFakeTencent();
    t = await startTestApp({ env: fake.env() });
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });
  const look = async (app: TestApp, body: unknown, who = 'dangyuan') =>
    app.request({ method: 'POST', url: '/api/v1/service/geocode', token: await app.login(who), body });

  it('signs as documented: the worked example of the signature rule', () => {
    // Raw values, sorted names, path + '?' + query + SK (a Chinese address is signed as typed, not URL-encoded).
    const sig = tencentSig('/ws/geocoder/v1', { key: 'K', address: '北京市西城区金融大街 1 号' }, 'S');
    assert.equal(
      sig,
      crypto.createHash('md5').update('/ws/geocoder/v1?address=北京市西城区金融大街 1 号&key=KS').digest('hex'),
    );
    assert.match(sig, /^[0-9a-f]{32}$/);
  });

  it('turns an address into a GCJ-02 point through the signed request, and says whether it is reliable', async () => {
    const cfg = await t.request({ method: 'GET', url: '/api/v1/service/map-config', token: await t.login('dangyuan') });
    assert.equal(cfg.body.geocoder, true, 'the page is told address lookup is on');
    const r = await look(t, { address: '北京市西城区金融大街 1 号', region: '北京市' });
    assert.equal(r.status, 200, r.raw);
    assert.deepEqual(r.body, {
      lng: 116.358,
      lat: 39.916,
      title: '金融大街',
      reliability: 7,
      level: 9,
      provider: 'tencent',
    });
    const last = fake.seen.at(-1)!;
    assert.equal(last.path, GEOCODER_PATH);
    assert.deepEqual(Object.keys(last.params).sort(), ['address', 'key', 'region', 'sig']);
    assert.equal(
      last.params.address,
      '北京市西城区金融大街 1 号',
      'the address arrives as typed (URL-decoded by the provider)',
    );
    assert.ok(
      !r.raw.includes(KEY) && !r.raw.includes(SK) && !r.raw.includes(last.params.sig!),
      'neither key, SK nor signature is shown',
    );
  });

  it('answers the provider’s refusals and bad input with clear Chinese errors', async () => {
    const wrong: string[] = [];
    const expect = async (what: string, body: unknown, status: number, message: RegExp) => {
      const r = await look(t, body);
      if (r.status !== status || !message.test(r.body?.error?.message ?? ''))
        wrong.push(`${what} → ${r.status} ${r.raw.slice(0, 160)}`);
    };
    await expect('no address', {}, 400, /请填写地址/);
    await expect('one character', { address: '京' }, 400, /至少 2 个字/);
    await expect('81 characters', { address: '北'.repeat(81) }, 400, /最多 80 个字/);
    await expect('an unknown field', { address: '金融大街', lng: 1 }, 400, /.+/);
    await expect('no result', { address: '不存在的地方' }, 404, /没有找到这个地址/);
    await expect('the daily quota', { address: '调用太多' }, 502, /调用次数已达上限/);
    assert.deepEqual(wrong, []);
    // A wrong SK: the provider refuses the signature, the operator is told to check it (the SK never shown).
    const badSk = await startTestApp({
      env: { ...fake.env(), XF_GEOCODER_TENCENT_SK: 'not-the-sk' },
    });
    try {
      const r = await look(badSk, { address: '金融大街' });
      assert.equal(r.status, 502, r.raw);
      assert.match(r.body.error.message, /腾讯位置服务 111：签名验证失败.*检查密钥和签名设置/);
      assert.ok(!r.raw.includes('not-the-sk'));
    } finally {
      await badSk.close();
    }
  });

  it('without a key: the page is told it is off, the route says so, nothing is requested', async () => {
    const plain = await startTestApp();
    try {
      const before = fake.seen.length;
      const cfg = await plain.request({
        method: 'GET',
        url: '/api/v1/service/map-config',
        token: await plain.login('dangyuan'),
      });
      assert.equal(cfg.body.geocoder, false);
      const r = await look(plain, { address: '北京市西城区金融大街 1 号' });
      assert.equal(r.status, 422, r.raw);
      assert.equal(r.body.error.code, 'GEOCODER_NOT_CONFIGURED');
      assert.match(r.body.error.message, /没有配置地址解析服务/);
      assert.equal(fake.seen.length, before, 'no request to any provider');
    } finally {
      await plain.close();
    }
  });

  it('limits each user to 20 lookups a minute (the provider’s quota is the installation’s)', async () => {
    const token = await t.login('shuji');
    const codes: number[] = [];
    for (let i = 0; i < 21; i++)
      codes.push(
        (await t.request({ method: 'POST', url: '/api/v1/service/geocode', token, body: { address: '金融大街' } }))
          .status,
      );
    assert.deepEqual(codes.slice(0, 20), Array(20).fill(200));
    assert.equal(codes[20], 429);
    // Another user is not held back by shuji's count.
    assert.equal((await look(t, { address: '金融大街' }, 'shuji2')).status, 200);
  });
});
