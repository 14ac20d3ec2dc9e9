import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { adminToken, multipartFile, startTestApp, type TestApp } from '../../testing/harness';
import { memberSheet } from '../../testing/memberSheet';

/** A 5,000-row sheet made the way a user would: from the template's headers. */
async function bigSheet(t: TestApp, token: string, n: number, breakRow?: number) {
  const tpl = await t.app.inject({
    method: 'GET',
    url: '/api/v1/members/import-template',
    headers: { authorization: `Bearer ${token}` },
  });
  return memberSheet(tpl.rawPayload, n, { breakRow });
}

describe('importing 5,000 members from the template', () => {
  let t: TestApp;
  let admin: string;
  const count = async () =>
    (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from member`))[0]!.n;
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
    const { body: payload, headers } = multipartFile(await bigSheet(t, admin, 5000));
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/import?async=true',
      payload,
      headers: { ...headers, authorization: `Bearer ${admin}` },
    });
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
