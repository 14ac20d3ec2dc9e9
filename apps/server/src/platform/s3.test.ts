/**
 * S3-compatible file storage (issue 26): the SigV4 signature against AWS's published examples, the client against a
 * fake S3 server on loopback that verifies every signature, and uploads and range downloads through the app with
 * XF_S3_* set (the local folder is not used: the test app's data folder does not exist).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from './config';
import { moveFiles, movePlan } from './files-move';
import { S3Client, S3Error, sigV4, uriEncode, EMPTY_SHA256 } from './s3';
import { startFakeS3, type FakeS3 } from '../testing/fakeS3';
import { api, multipartFile, startTestApp, type TestApp } from '../testing/harness';

// The example credentials of AWS's Signature Version 4 documentation for S3.
const AWS_EXAMPLE = { region: 'us-east-1', service: 's3', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('SigV4: the examples of the S3 documentation', () => {
  it('GET Object with a Range header', () => {
    const { signature, signedHeaders } = sigV4({
      ...AWS_EXAMPLE,
      method: 'GET',
      path: '/test.txt',
      query: [],
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: EMPTY_SHA256,
      amzDate: '20130524T000000Z',
    });
    assert.equal(signedHeaders, 'host;range;x-amz-content-sha256;x-amz-date');
    assert.equal(signature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('PUT Object with a $ in the key, a Date and a storage-class header', () => {
    const payloadHash = '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072'; // "Welcome to Amazon S3."
    const { signature, signedHeaders } = sigV4({
      ...AWS_EXAMPLE,
      method: 'PUT',
      path: `/${uriEncode('test$file.text', true)}`,
      query: [],
      headers: {
        Date: 'Fri, 24 May 2013 00:00:00 GMT',
        Host: 'examplebucket.s3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': payloadHash,
      },
      payloadHash,
      amzDate: '20130524T000000Z',
    });
    assert.equal(signedHeaders, 'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class');
    assert.equal(signature, '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('GET Bucket lifecycle (a query parameter without value) and list-objects with max-keys and prefix', () => {
    const sign = (query: [string, string][]) =>
      sigV4({
        ...AWS_EXAMPLE,
        method: 'GET',
        path: '/',
        query,
        headers: {
          Host: 'examplebucket.s3.amazonaws.com',
          'x-amz-content-sha256': EMPTY_SHA256,
          'x-amz-date': '20130524T000000Z',
        },
        payloadHash: EMPTY_SHA256,
        amzDate: '20130524T000000Z',
      }).signature;
    assert.equal(sign([['lifecycle', '']]), 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
    assert.equal(
      sign([
        ['max-keys', '2'],
        ['prefix', 'J'],
      ]),
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    );
  });
});

describe('the S3 client against a fake S3 that checks signatures', () => {
  let s3: FakeS3;
  let client: S3Client;
  before(async () => {
    s3 = await startFakeS3();
    client = new S3Client({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      prefix: 'xf/',
      pathStyle: true,
    });
  });
  after(() => s3.close());

  it('puts, reads whole and in ranges, sizes, lists page by page and deletes', async () => {
    const data = Buffer.from('0123456789abcdefghij');
    // Keys as the app makes them, plus characters that must be encoded in the signed path.
    const keys = ['meeting/t1/a.jpg', 'meeting/t1/b c+d(1).pdf', 'meeting/t1/党员照片.png'];
    for (const k of keys) await client.put(k, data, 'image/png');
    assert.deepEqual([...s3.objects.keys()].sort(), keys.map((k) => `xf/${k}`).sort());
    assert.equal((await client.get(keys[2]!)).toString(), data.toString());
    assert.equal(await client.size(keys[1]!), 20);
    const chunks: Buffer[] = [];
    for await (const c of client.stream(keys[0]!, 5, 9)) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), '56789');
    const listed = [];
    for await (const o of client.list('meeting/')) listed.push(o.key);
    assert.deepEqual(listed.sort(), [...keys].sort(), 'three keys over two pages');
    await client.remove(keys[0]!);
    await assert.rejects(client.size(keys[0]!), (e: S3Error) => e.status === 404);
    assert.ok(
      s3.log.every((l) => !l.refused),
      `no request refused: ${JSON.stringify(s3.log.filter((l) => l.refused))}`,
    );
  });

  it('is refused with a wrong secret, and the fake names the signature', async () => {
    const wrong = new S3Client({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: 'not-the-secret',
      prefix: '',
      pathStyle: true,
    });
    await assert.rejects(
      wrong.put('x.bin', Buffer.from('x')),
      (e: S3Error) => e.status === 403 && e.code === 'SignatureDoesNotMatch',
    );
    assert.ok(!s3.objects.has('x.bin'), 'nothing stored');
  });

  it('refuses a body changed on the way (the payload hash is signed)', async () => {
    const res = await client.request('PUT', 'y.bin', { body: Buffer.from('original') });
    assert.equal(res.status, 200);
    const raw = await fetch(`${s3.endpoint}/${s3.bucket}/xf/y.bin`, {
      method: 'PUT',
      headers: {
        'x-amz-date': '20990101T000000Z',
        'x-amz-content-sha256': EMPTY_SHA256,
        authorization:
          'AWS4-HMAC-SHA256 Credential=x/20990101/cn-north-1/s3/aws4_request, SignedHeaders=host, Signature=' +
          '0'.repeat(64),
      },
      body: 'tampered',
    });
    assert.equal(raw.status, 403);
    assert.equal(s3.objects.get('xf/y.bin')?.data.toString(), 'original');
  });
});

describe('configuration of S3 storage', () => {
  it('is off without XF_S3_BUCKET, and needs the endpoint and both keys with it', () => {
    assert.equal(loadConfig({}).s3, null);
    assert.throws(
      () => loadConfig({ XF_S3_BUCKET: 'xianfeng' }),
      /XF_S3_ENDPOINT, XF_S3_ACCESS_KEY_ID, XF_S3_SECRET_ACCESS_KEY must be set/,
    );
    const c = loadConfig({
      XF_S3_BUCKET: 'xianfeng',
      XF_S3_ENDPOINT: 'http://127.0.0.1:9000/',
      XF_S3_ACCESS_KEY_ID: 'a',
      XF_S3_SECRET_ACCESS_KEY: 'b',
      XF_S3_PREFIX: 'prod/',
    });
    assert.deepEqual(c.s3, {
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'xianfeng',
      region: 'us-east-1',
      accessKeyId: 'a',
      secretAccessKey: 'b',
      prefix: 'prod/',
      pathStyle: true,
    });
    assert.throws(() => loadConfig({ XF_S3_BUCKET: 'Bad_Bucket' }), /XF_S3_BUCKET/);
    assert.throws(() => loadConfig({ XF_S3_PREFIX: 'no-slash' }), /XF_S3_PREFIX/);
  });
});

describe('uploads and downloads through the app with S3 storage', () => {
  let s3: FakeS3;
  let t: TestApp;
  const { get, post } = api(() => t);
  const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(2000, 7)]);
  let fileUrl = '';
  before(async () => {
    s3 = await startFakeS3();
    // XF_DATA_DIR stays /nonexistent: a file reaching the local store would fail.
    t = await startTestApp({
      env: {
        XF_S3_ENDPOINT: s3.endpoint,
        XF_S3_BUCKET: s3.bucket,
        XF_S3_REGION: s3.region,
        XF_S3_ACCESS_KEY_ID: s3.accessKeyId,
        XF_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
    });
  });
  after(async () => {
    await t?.close();
    await s3?.close();
  });

  it('stores an uploaded video in the bucket and serves it whole and in ranges (a video seeks)', async () => {
    const secretary = await t.login('shuji');
    const member = await t.login('dangyuan');
    const me = (await get('/me', secretary)).body as {
      roles: { role: string; orgId: string }[];
    };
    const branchId = me.roles.find((r) => r.role === 'secretary')!.orgId;
    const item = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'video',
      title: '存储在对象存储的视频',
    });
    assert.equal(item.status, 201, item.raw);
    const up = await t.request({
      method: 'POST',
      url: `/api/v1/learn-items/${item.body.id}/files?role=video`,
      token: secretary,
      ...multipartFile(MP4, 'clip.mp4'),
    });
    assert.equal(up.status, 201, up.raw);
    const stored = [...s3.objects.entries()].filter(([k]) => k.endsWith('.mp4'));
    assert.equal(stored.length, 1, `one object in the bucket: ${[...s3.objects.keys()].join(', ')}`);
    assert.equal(stored[0]![1].contentType, 'video/mp4');
    assert.ok(stored[0]![1].data.equals(MP4), 'the bytes as uploaded');
    const url = `/api/v1/learn-items/${item.body.id}/files/${up.body.id}`;
    fileUrl = url;
    const part = await t.request({ method: 'GET', url, token: member, headers: { range: 'bytes=4-11' } });
    assert.equal(part.status, 206, part.raw);
    assert.equal(part.headers['content-range'], `bytes 4-11/${MP4.length}`);
    assert.equal(part.raw, 'ftypmp42');
    const whole = await t.request({ method: 'GET', url, token: member });
    assert.equal(whole.status, 200);
    assert.equal(Number(whole.headers['content-length']), MP4.length);
    assert.equal(
      (await t.request({ method: 'GET', url, token: member, headers: { range: 'bytes=99999-' } })).status,
      416,
    );
    assert.ok(
      s3.log.length >= 4 && s3.log.every((l) => !l.refused),
      `every request signed correctly: ${JSON.stringify(s3.log.slice(-5))}`,
    );
  });

  it('answers 503 in Chinese, not "file lost", while the bucket refuses', async () => {
    const secretary = await t.login('shuji');
    assert.ok(fileUrl, 'the video uploaded by the previous test');
    const saved = s3.secretAccessKey;
    s3.secretAccessKey = 'rotated-elsewhere';
    try {
      const r = await t.request({ method: 'GET', url: fileUrl, token: secretary });
      assert.equal(r.status, 503, r.raw);
      assert.equal(r.body.error.code, 'FILE_STORE_UNAVAILABLE');
    } finally {
      s3.secretAccessKey = saved;
    }
  });
});

describe('npm run files:move: the local folder to the bucket and back', () => {
  let s3: FakeS3;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-move-'));
    dirs.push(d);
    return d;
  };
  before(async () => {
    s3 = await startFakeS3();
  });
  after(async () => {
    await s3.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('copies every upload, skips what is already there, leaves the audit checkpoints local, and copies back', async () => {
    const a = tmp();
    const files: Record<string, string> = {
      'meeting/t1/a.jpg': 'AAA',
      'learn/t1/v.mp4': 'video-bytes',
      'supervise/t2/e.pdf': '%PDF-1',
    };
    for (const [k, v] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(a, 'files', k)), { recursive: true });
      fs.writeFileSync(path.join(a, 'files', k), v);
    }
    fs.mkdirSync(path.join(a, 'files', 'audit'), { recursive: true });
    fs.writeFileSync(path.join(a, 'files', 'audit', 'checkpoints.jsonl'), '{}\n');
    const env = {
      ...process.env,
      XF_DATA_DIR: a,
      XF_S3_ENDPOINT: s3.endpoint,
      XF_S3_BUCKET: s3.bucket,
      XF_S3_REGION: s3.region,
      XF_S3_ACCESS_KEY_ID: s3.accessKeyId,
      XF_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      XF_S3_PREFIX: 'p/',
    };
    // The command itself, as an operator runs it.
    // Not spawnSync: the fake S3 answers from this process's event loop.
    const run = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.resolve(import.meta.dirname, '../cli/files-move.ts'), '--to', 's3'],
      { env, encoding: 'utf8' },
    );
    assert.match(run.stdout, /已复制 3 个/);
    assert.deepEqual(
      [...s3.objects.keys()].sort(),
      Object.keys(files)
        .map((k) => `p/${k}`)
        .sort(),
    );
    const cfg = loadConfig(env).s3!;
    let plan = movePlan('s3', a, cfg);
    const again = await moveFiles(plan.keys, plan.from, plan.to);
    assert.deepEqual([again.copied, again.skipped, again.failed.length], [0, 3, 0], 'a second run copies nothing');
    const b = tmp();
    plan = movePlan('local', b, cfg);
    const down = await moveFiles(plan.keys, plan.from, plan.to);
    assert.deepEqual([down.copied, down.failed.length], [3, 0], 'three back, over two list pages');
    for (const [k, v] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(b, 'files', k), 'utf8'), v, k);
    assert.ok(!fs.existsSync(path.join(b, 'files', 'audit')), 'the checkpoints were not moved');
  });
});
