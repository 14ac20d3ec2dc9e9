/**
 * Security finding 14.5: a decompression-bomb .xlsx. A small upload whose xl/sharedStrings.xml unpacks
 * to hundreds of megabytes of tiny strings used to be cached string by string by ExcelJS (the member
 * import) or loaded whole (the dues-base import) until the heap ran out and the server died. Now every
 * entry is unpacked and measured once, keeping nothing, before a parser sees the file — and both happen
 * in a worker thread with its own heap and time limits, so what gets past the measuring ends the worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEMBER_IMPORT_LIMITS } from '../modules/member/excel';
import { adminToken, multipartFile, startTestApp, type TestApp } from '../testing/harness';
import { memberSheet } from '../testing/memberSheet';
import { bombOf } from '../testing/zipbomb';
import { assertUnpacksWithin, streamImportSheet, type ImportLimits } from './sheets';

describe('decompression bombs are refused before parsing, and the server stays up (security finding 14.5)', () => {
  let t: TestApp;
  let admin: string;
  let memberTemplate: Buffer;
  let baseTemplate: Buffer;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    const get = async (url: string) =>
      Buffer.from(
        (await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } })).rawPayload,
      );
    memberTemplate = await get('/api/v1/members/import-template');
    baseTemplate = await get('/api/v1/dues/bases/import-template');
  });
  after(() => t.close());

  it('refuses a 300 KB member import whose shared strings unpack to 300 MB, answering /api/health during and after', async () => {
    const bomb = await bombOf(memberTemplate, 300);
    assert.ok(bomb.length < 1024 * 1024, `the bomb is small: ${bomb.length} bytes`);
    const upload = t.request({ method: 'POST', url: '/api/v1/members/import', token: admin, ...multipartFile(bomb) });
    const during = await t.request({ method: 'GET', url: '/api/health' });
    const r = await upload;
    assert.equal(during.status, 200);
    assert.equal(r.status, 422, r.raw);
    assert.equal(r.body.error.code, 'IMPORT_TOO_LARGE');
    assert.match(r.body.error.message, /解压后过大/);
    assert.equal((await t.request({ method: 'GET', url: '/api/health' })).status, 200);
  });

  it('refuses the same shape in the dues-base import, which reads the whole workbook', async () => {
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/dues/bases/import',
      token: admin,
      ...multipartFile(await bombOf(baseTemplate, 40)),
    });
    assert.equal(r.status, 422, r.raw);
    assert.equal(r.body.error.code, 'IMPORT_TOO_LARGE');
    assert.equal((await t.request({ method: 'GET', url: '/api/health' })).status, 200);
  });

  it('measures what the entries unpack to, not what their headers claim, and passes a real template', async () => {
    const limits = { entries: 64, sheet: 1 << 20, sharedStrings: 1 << 20, other: 1 << 20, total: 4 << 20 };
    await assertUnpacksWithin(memberTemplate, limits);
    // The bomb's headers claim the real size; shrink the claim to one byte: still refused.
    const bomb = await bombOf(memberTemplate, 8);
    const lying = Buffer.from(bomb);
    for (
      let p = lying.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
      p >= 0;
      p = lying.indexOf(Buffer.from('PK\x01\x02', 'latin1'), p + 4)
    )
      if (lying.toString('utf8', p + 46, p + 46 + lying.readUInt16LE(p + 28)) === 'xl/sharedStrings.xml')
        lying.writeUInt32LE(1, p + 24);
    await assert.rejects(assertUnpacksWithin(lying, limits), (e: { code?: string }) => e.code === 'IMPORT_TOO_LARGE');
    await assert.rejects(assertUnpacksWithin(bomb, limits), (e: { code?: string }) => e.code === 'IMPORT_TOO_LARGE');
  });
  it('parses in a worker: with the unpack limits lifted, its memory limit ends a bomb — 422, /api/health answering during and after — and the next import works', async () => {
    const saved = { ...MEMBER_IMPORT_LIMITS };
    // Let the bomb past the measuring, as a file that slips under the limits would be; only the worker's heap stops it.
    Object.assign(MEMBER_IMPORT_LIMITS, { sharedStrings: 1024 * 1024 * 1024, total: 2048 * 1024 * 1024, heapMb: 64 });
    try {
      const bomb = await bombOf(memberTemplate, 200);
      const heapBefore = process.memoryUsage().heapUsed;
      const upload = t.request({ method: 'POST', url: '/api/v1/members/import', token: admin, ...multipartFile(bomb) });
      const during = await t.request({ method: 'GET', url: '/api/health' });
      const r = await upload;
      assert.equal(during.status, 200);
      assert.equal(r.status, 422, r.raw);
      assert.equal(r.body.error.code, 'IMPORT_TOO_LARGE');
      assert.match(r.body.error.message, /文件过大或格式异常，无法解析/);
      assert.ok(
        process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024,
        "the strings were never in the server's heap",
      );
      assert.equal((await t.request({ method: 'GET', url: '/api/health' })).status, 200);
    } finally {
      Object.assign(MEMBER_IMPORT_LIMITS, saved);
    }
    const ok = await t.request({
      method: 'POST',
      url: '/api/v1/members/import',
      token: admin,
      ...multipartFile(await memberSheet(memberTemplate, 3, { seed: 1405 })),
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual(ok.body, { imported: 3 });
  });

  it('ends a parser that runs past its time, with the same 422', async () => {
    const file = await memberSheet(memberTemplate, 2000, { seed: 1406 });
    const limits: ImportLimits = { ...MEMBER_IMPORT_LIMITS, parseSeconds: 0.001 };
    const columns = [{ header: '姓名', key: 'name', required: true }] as const;
    await assert.rejects(
      (async () => {
        const sheet = await streamImportSheet(file, columns, 10_000, limits);
        for await (const _ of sheet.rows);
      })(),
      (e: { status?: number; code?: string; message?: string }) =>
        e.status === 422 && e.code === 'IMPORT_TOO_LARGE' && /无法解析/.test(e.message ?? ''),
    );
    // The same file with time to spare is read to its last row.
    const sheet = await streamImportSheet(file, columns, 10_000, MEMBER_IMPORT_LIMITS);
    let n = 0;
    for await (const _ of sheet.rows) n++;
    assert.equal(n, 2000);
    assert.equal(sheet.rowsHint, 2000);
  });
});
