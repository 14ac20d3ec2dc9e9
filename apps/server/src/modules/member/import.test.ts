import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { adminToken, multipartFile, startTestApp, type TestApp } from '../../testing/harness';
import { memberSheet } from '../../testing/memberSheet';

/** A 5,000-row sheet made the way a user would: from the template's headers. */
async function bigSheet(t: TestApp, token: string, n: number, breakRow?: number, seed?: number) {
  const tpl = await t.app.inject({
    method: 'GET',
    url: '/api/v1/members/import-template',
    headers: { authorization: `Bearer ${token}` },
  });
  return memberSheet(tpl.rawPayload, n, { breakRow, ...(seed ? { seed } : {}) });
}

async function postImport(t: TestApp, token: string, file: Buffer, query = '') {
  const { body: payload, headers } = multipartFile(file);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/members/import${query}`,
    payload,
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
}

const memberCount = async (t: TestApp) =>
  (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from member`))[0]!.n;

describe('importing 5,000 members from the template', () => {
  let t: TestApp;
  let admin: string;
  const count = () => memberCount(t);
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  it('writes nothing when one row in 5,000 has a wrong ID check digit, and names that row', async () => {
    const before = await count();
    const file = await bigSheet(t, admin, 5000, 3001);
    const { body: payload, headers } = multipartFile(file);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/import',
      payload,
      headers: { ...headers, authorization: `Bearer ${admin}` },
    });
    assert.equal(r.statusCode, 422, r.body);
    const body = JSON.parse(r.body);
    assert.deepEqual(body.error.details, [{ row: 3001, field: '身份证号', message: '身份证号校验位不正确' }]);
    assert.equal(await count(), before);
  });

  it('imports all 5,000 as a background job whose progress can be followed', async () => {
    const before = await count();
    const r = await postImport(t, admin, await bigSheet(t, admin, 5000), '?async=true');
    assert.equal(r.statusCode, 202, r.body);
    const { jobId } = JSON.parse(r.body);
    let job;
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      job = (await t.request({ method: 'GET', url: `/api/v1/jobs/${jobId}`, token: admin })).body;
      seen.add(job.status);
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.deepEqual(job.result, { imported: 5000 });
    assert.equal(job.progress, 5000);
    assert.equal(await count(), before + 5000);
    // Someone else cannot look at this job.
    assert.equal(
      (await t.request({ method: 'GET', url: `/api/v1/jobs/${jobId}`, token: await t.login('shuji') })).status,
      404,
    );
    // Found again at once by exact ID through the blind index.
    const sec = await t.login('zuzhibu');
    const list = await t.request({
      method: 'GET',
      url: '/api/v1/members?pageSize=1&q=' + encodeURIComponent('13'),
      token: sec,
    });
    assert.equal(list.status, 200);
  });

  const post = (file: Buffer, query = '') => postImport(t, admin, file, query);

  it('reads all 20,000 rows before deciding: a bad very last row imports nothing and is named', async () => {
    const before = await count();
    const r = await post(await bigSheet(t, admin, 20_000, 20_001, 2001));
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(JSON.parse(r.body).error.details, [
      { row: 20_001, field: '身份证号', message: '身份证号校验位不正确' },
    ]);
    assert.equal(await count(), before);
  });

  it('names a 身份证号 that appears twice in the file, and writes nothing', async () => {
    const before = await count();
    const tpl = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/import-template',
      headers: { authorization: `Bearer ${admin}` },
    });
    let third = '';
    const file = await memberSheet(tpl.rawPayload, 300, {
      seed: 31,
      edit: (row, m) => {
        if (row === 3) third = m.idCardNo;
        // Row 250 is someone with row 3's number (birth date and gender made to agree with it).
        return row === 250
          ? {
              ...m,
              idCardNo: third,
              birthDate: third.slice(6, 10) + '-' + third.slice(10, 12) + '-' + third.slice(12, 14),
              gender: Number(third[16]) % 2 ? 'male' : 'female',
            }
          : m;
      },
    });
    const r = await post(file);
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(JSON.parse(r.body).error.details, [
      { row: 250, field: '身份证号', message: '与第 3 行的身份证号重复' },
    ]);
    assert.equal(await count(), before);
  });

  it('names the rows whose 身份证号 is already in the database, and writes none of the others', async () => {
    const tpl = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/import-template',
      headers: { authorization: `Bearer ${admin}` },
    });
    const first = await post(await memberSheet(tpl.rawPayload, 3, { seed: 57 }));
    assert.equal(first.statusCode, 200, first.body);
    const before = await count();
    // The same seed again, longer: its first three rows are the members just imported.
    const r = await post(await memberSheet(tpl.rawPayload, 8, { seed: 57 }));
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(
      JSON.parse(r.body).error.details,
      [2, 3, 4].map((row) => ({ row, field: '身份证号', message: '该身份证号的党员已在系统中' })),
    );
    assert.equal(await count(), before);
  });

  it('refuses a 25 MB upload with 413 and a Chinese message', async () => {
    const { body: payload, headers } = multipartFile(Buffer.alloc(25 * 1024 * 1024, 1));
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/import',
      payload,
      headers: { ...headers, authorization: `Bearer ${admin}` },
    });
    assert.equal(r.statusCode, 413);
    assert.equal(JSON.parse(r.body).error.message, '文件过大：每个文件不能超过 20 MB');
  });
});

// On its own database: 20,000 random ID numbers would now and then meet one imported above.
describe('a big background import', () => {
  const s = { t: undefined as unknown as TestApp, admin: '' };
  before(async () => {
    s.t = await startTestApp();
    s.admin = await adminToken(s.t);
  });
  after(() => s.t.close());

  it("shows a big import's progress going up through intermediate values", async () => {
    const { t, admin } = s;
    const count = () => memberCount(t);
    const before = await count();
    const r = await postImport(t, admin, await bigSheet(t, admin, 20_000, undefined, 2002), '?async=true');
    assert.equal(r.statusCode, 202, r.body);
    const { jobId } = JSON.parse(r.body);
    const seen: number[] = [];
    let job;
    for (let i = 0; i < 3000; i++) {
      job = (await t.request({ method: 'GET', url: `/api/v1/jobs/${jobId}`, token: admin })).body;
      if (job.status === 'running') seen.push(job.progress);
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.equal(job.total, 20_000);
    const between = [...new Set(seen.filter((p) => p > 0 && p < 20_000))];
    assert.ok(between.length >= 2, `progress seen while running: ${[...new Set(seen)].join(', ')}`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      'progress never goes back',
    );
    assert.equal(await count(), before + 20_000);
  });
});
