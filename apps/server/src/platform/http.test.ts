import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../testing/harness';
import { z } from 'zod';
import { createHttp } from './http';

describe('HTTP platform: bad input never yields 5xx', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  it('answers malformed JSON with 400 INVALID_JSON in Chinese', async () => {
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/orgs',
      token: admin,
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'INVALID_JSON');
    assert.match(r.body.error.message, /JSON/);
  });

  it('answers an oversized body with 413 and writes nothing', async () => {
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/orgs',
      token: admin,
      body: JSON.stringify({ parentId: t.rootOrgId, name: 'x'.repeat(2 * 1024 * 1024), kind: 'branch' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.message, '请求内容过大');
  });

  it('lists validation problems field by field, including unknown fields', async () => {
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/orgs',
      token: admin,
      body: { parentId: 'nope', name: '', kind: 'club', extra: 1 },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    const fields = r.body.error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['extra', 'kind', 'name', 'parentId']);
    for (const d of r.body.error.details)
      assert.match(d.message, /[\u4e00-\u9fa5]/, `message in Chinese: ${d.message}`);
  });

  it('stores SQL and HTML in strings literally, as data', async () => {
    const name = `'); drop table org; -- <script>alert(1)</script>`;
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/orgs',
      token: admin,
      body: { parentId: t.rootOrgId, name, kind: 'branch' },
    });
    assert.equal(r.status, 201);
    const got = await t.request({ method: 'GET', url: `/api/v1/orgs/${r.body.id}`, token: admin });
    assert.equal(got.body.name, name);
    assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
  });

  it('answers unknown API paths with a JSON 404 and carries a request id', async () => {
    const r = await t.request({ method: 'GET', url: '/api/v1/nothing-here', token: admin });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.message, '接口不存在');
    assert.ok(r.headers['x-request-id']);
  });

  it('refuses to start when a route declares no access', async () => {
    const app = await createHttp({ db: t.services.db, sessionPolicy: t.services.sessionPolicy, logLevel: 'silent' });
    assert.throws(() => app.get('/api/v1/forgotten', async () => 'open'), /declares no access/);
    await app.close();
  });

  it("sends only the fields of the response schema: an extra field in a handler's return value never leaves", async () => {
    // The response serializer parses the value with the route's zod schema before writing it: whatever a handler
    // returns beyond its schema — top level, nested, in array items, in a nullable or union branch — is dropped,
    // and a missing required field is an error, not a partial answer. A faster serializer must keep this
    // (issue 25: fast-json-stringify was measured and not taken, docs/benchmarks.md).
    const app = await createHttp({ db: t.services.db, sessionPolicy: t.services.sessionPolicy, logLevel: 'silent' });
    const Row = z.object({ id: z.string(), phone: z.string() });
    const Out = z.object({
      name: z.string(),
      at: z.date(),
      row: Row,
      rows: z.array(Row),
      maybe: Row.nullable(),
      tag: z.union([z.object({ kind: z.literal('a'), a: z.number() }), z.object({ kind: z.literal('b') })]),
    });
    const leak = { idCardNo: '110101199001011234', passwordHash: '$argon2id$secret' };
    app.get(
      '/api/v1/leaky',
      { config: { access: { public: true } }, schema: { response: { 200: Out } } },
      async () =>
        ({
          name: '张三',
          at: new Date('2026-01-02T03:04:05.000Z'),
          row: { id: 'r1', phone: '138****5678', ...leak },
          rows: [{ id: 'r2', phone: '139****0000', ...leak }],
          maybe: { id: 'r3', phone: '137****1111', ...leak },
          tag: { kind: 'a', a: 1, ...leak },
          ...leak,
        }) as z.infer<typeof Out>,
    );
    app.get(
      '/api/v1/partial',
      { config: { access: { public: true } }, schema: { response: { 200: Row } } },
      async () => ({ id: 'x', idCardNo: '110101199001011234' }) as unknown as z.infer<typeof Row>,
    );
    await app.ready();
    const r = await app.inject({ method: 'GET', url: '/api/v1/leaky' });
    assert.equal(r.statusCode, 200);
    assert.doesNotMatch(r.body, /idCardNo|110101199001011234|passwordHash|argon2/);
    assert.deepEqual(r.json(), {
      name: '张三',
      at: '2026-01-02T03:04:05.000Z',
      row: { id: 'r1', phone: '138****5678' },
      rows: [{ id: 'r2', phone: '139****0000' }],
      maybe: { id: 'r3', phone: '137****1111' },
      tag: { kind: 'a', a: 1 },
    });
    const partial = await app.inject({ method: 'GET', url: '/api/v1/partial' });
    assert.equal(partial.statusCode, 500);
    assert.doesNotMatch(partial.body, /110101199001011234/);
    await app.close();
  });

  it('limits each address on public routes with 429 in Chinese, and leaves health alone', async () => {
    const app = await createHttp({
      db: t.services.db,
      sessionPolicy: t.services.sessionPolicy,
      logLevel: 'silent',
      publicRatePerMin: 3,
    });
    app.post('/api/v1/open', { config: { access: { public: true } } }, async () => ({ ok: true }));
    app.get('/api/health', { config: { access: { public: true } } }, async () => ({ ok: true }));
    await app.ready();
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ method: 'POST', url: '/api/v1/open', payload: {} })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 429]);
    const limited = await app.inject({ method: 'POST', url: '/api/v1/open', payload: {} });
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
    assert.match(limited.json().error.message, /请求过于频繁/);
    for (let i = 0; i < 5; i++) assert.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
    await app.close();
  });

  it('sends a same-origin Content-Security-Policy and the other security headers', async () => {
    const r = await t.request({ method: 'GET', url: '/api/health' });
    assert.match(
      String(r.headers['content-security-policy']),
      /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/,
    );
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY');
  });

  it('publishes an OpenAPI document in which every route is present', async () => {
    const r = await t.request({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi.startsWith('3'), true);
    for (const p of [
      '/api/health',
      '/api/v1/auth/login',
      '/api/v1/orgs',
      '/api/v1/orgs/{id}',
      '/api/v1/users',
      '/api/v1/audit/verify',
    ])
      assert.ok(r.body.paths[p], `missing ${p}`);
  });

  it('reports health with the database kind', async () => {
    const r = await t.request({ method: 'GET', url: '/api/health' });
    assert.deepEqual(r.body, { status: 'ok', db: t.services.dbKind });
  });
});
