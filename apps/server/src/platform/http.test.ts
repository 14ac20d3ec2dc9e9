import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { api, adminToken, startTestApp, type TestApp } from '../testing/harness';
import { z } from 'zod';
import { createHttp } from './http';

describe('HTTP platform: bad input never yields 5xx', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
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
    const r = await post('/orgs', admin, { parentId: 'nope', name: '', kind: 'club', extra: 1 });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    const fields = r.body.error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['extra', 'kind', 'name', 'parentId']);
    for (const d of r.body.error.details)
      assert.match(d.message, /[\u4e00-\u9fa5]/, `message in Chinese: ${d.message}`);
  });

  it('stores SQL and HTML in strings literally, as data', async () => {
    const name = `'); drop table org; -- <script>alert(1)</script>`;
    const r = await post('/orgs', admin, { parentId: t.rootOrgId, name, kind: 'branch' });
    assert.equal(r.status, 201);
    const got = await get(`/orgs/${r.body.id}`, admin);
    assert.equal(got.body.name, name);
    assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
  });

  it('answers unknown API paths with a JSON 404 and carries a request id', async () => {
    const r = await get('/nothing-here', admin);
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

  it('answers a request that reaches a stopping server with 503 in Chinese, its request id and Connection: close', async () => {
    // A real server on loopback. Request 1 is held in its handler; close() begins (the listening socket is closed
    // at once: a new connection is refused); request 2 then arrives on request 1's keep-alive connection, as on a
    // load balancer's pooled connection in a rolling restart. Nothing here depends on timing: each step waits
    // for the event it needs.
    const app = await createHttp({ db: t.services.db, sessionPolicy: t.services.sessionPolicy, logLevel: 'silent' });
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.get('/api/v1/held', { config: { access: { public: true } } }, async () => {
      entered();
      await gate;
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    let requests = 0;
    let secondArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (secondArrived = resolve));
    app.server.on('request', () => ++requests === 2 && secondArrived());

    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    const socketClosed = once(socket, 'close');
    await once(socket, 'connect');
    socket.write('GET /api/v1/held HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    await inHandler;

    const closed = app.close();
    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    const refused = net.connect(port, '127.0.0.1');
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    assert.equal(err.code, 'ECONNREFUSED');

    socket.write('GET /api/v1/held HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: restart-probe-0001\r\n\r\n');
    await arrived;
    release();
    await socketClosed; // the server ends the connection after the 503
    await closed;

    const responses = parseResponses(Buffer.concat(chunks));
    assert.equal(responses.length, 2);
    assert.equal(responses[0]?.status, 200, 'the request in flight is finished');
    assert.deepEqual(JSON.parse(responses[0]?.body ?? ''), { ok: true });
    const refusal = responses[1];
    assert.equal(refusal?.status, 503);
    assert.equal(refusal?.headers['connection'], 'close');
    assert.equal(refusal?.headers['x-request-id'], 'restart-probe-0001');
    assert.match(String(refusal?.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(refusal?.body ?? ''), {
      error: { code: 'RESTARTING', message: '服务正在重启，请稍后重试', details: { requestId: 'restart-probe-0001' } },
    });
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

/** HTTP/1.1 responses as they came over one connection (bodies with Content-Length, as this server sends them). */
function parseResponses(raw: Buffer) {
  const out: { status: number; headers: Record<string, string>; body: string }[] = [];
  let at = 0;
  while (at < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', at);
    if (headEnd < 0) break;
    const [statusLine = '', ...lines] = raw.subarray(at, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    out.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: raw.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8'),
    });
    at = headEnd + 4 + length;
  }
  return out;
}
