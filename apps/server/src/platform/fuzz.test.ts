/**
 * Property-based fuzzing of every route (fast-check): generated path ids, query strings, JSON
 * bodies built from each route's own field names with wrong-typed or hostile values, and random
 * file uploads. Whatever arrives, the answer is never a 5xx, an error never carries a stack trace
 * or SQL text, and a rejected request writes nothing (every write leaves an audit entry).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { queryRows } from './db';
import { adminToken, lightSweep, multipartFile, startTestApp, type TestApp } from '../testing/harness';
import { bombOf } from '../testing/zipbomb';

/** Routes that end the probing session or are not data routes. */
const SKIP = new Set(['POST /api/v1/auth/logout', 'GET /api/openapi.json']);
// Fewer runs in the PostgreSQL pass (lightSweep): the generated input is about the app's code, run in full on PGlite.
const RUNS = Number(process.env.XF_FUZZ_RUNS ?? (lightSweep ? 3 : 12));
const LEAKS = [
  /\n\s+at .+\(.+:\d+:\d+\)/,
  /\b(select|insert into|update|delete from)\b[\s\S]*\b(from|set|where|values)\b/i,
  /syntax error|violates|duplicate key|relation "/i,
  /node_modules|\.ts:\d+/,
];

const hostile = fc.oneof(
  fc.constantFrom(
    "' or 1=1 --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '\u0000',
    '𠮷'.repeat(300),
    '-1',
    '1e309',
    'NaN',
    '2026-02-30',
    '9999-99-99',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

describe('fuzzing every route with generated input', () => {
  let t: TestApp;
  let token: string;
  let paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
        parameters?: { name: string; in: string }[];
      }
    >
  >;
  const auditCount = async () =>
    (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from audit_log`))[0]!.n;

  before(async () => {
    t = await startTestApp();
    token = await adminToken(t);
    paths = (await t.request({ method: 'GET', url: '/api/openapi.json' })).body.paths;
  });
  after(() => t.close());

  it('never answers 5xx, never leaks internals, and writes nothing when it rejects', async () => {
    const problems: string[] = [];
    const routes = t.app.routeTable.filter((r) => !SKIP.has(`${r.method} ${r.url}`));
    for (const r of routes) {
      const op = paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const bodyKeys = Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      const queryKeys = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const multipart = /import/.test(r.url) && r.method === 'POST';
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.uuid(), fc.string({ maxLength: 20 }), fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', '1')),
          fc.dictionary(fc.constantFrom(...queryKeys, 'x'), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
          fc.oneof(
            fc.dictionary(fc.constantFrom(...bodyKeys, 'extra'), hostile, { maxKeys: 6 }),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          fc.uint8Array({ maxLength: 2048 }),
          async (id, query, body, bytes) => {
            const url = `${r.url.replace(/:[A-Za-z]+/g, encodeURIComponent(id))}?${new URLSearchParams(query).toString()}`;
            const before = await auditCount();
            const res = multipart
              ? await t.request({ method: 'POST', url, token, ...multipartFile(bytes) })
              : await t.request({
                  method: r.method as 'GET',
                  url,
                  token,
                  body: r.method === 'GET' ? undefined : (body as object),
                });
            const where = `${r.method} ${url} ${r.method === 'GET' ? '' : JSON.stringify(body).slice(0, 200)}`;
            if (res.status >= 500) problems.push(`${where} → ${res.status} ${res.raw.slice(0, 300)}`);
            if (res.status >= 400) {
              for (const re of LEAKS)
                if (re.test(res.raw)) problems.push(`${where} → leaks ${re}: ${res.raw.slice(0, 300)}`);
              if (!res.body?.error?.message) problems.push(`${where} → ${res.status} without the error shape`);
              if ((await auditCount()) !== before)
                problems.push(`${where} → rejected with ${res.status} but wrote to the audit log`);
            }
            return true;
          },
        ),
        { numRuns: RUNS, seed: 20261124 },
      );
      if (problems.length > 20) break;
    }
    assert.deepEqual(problems, []);
  });

  it('refuses a decompression bomb on every import route with a Chinese 4xx, writing nothing, /api/health answering during and after (security finding 14.5)', async () => {
    // The routes the generated bytes above go to as multipart uploads: every import, present and future.
    const imports = t.app.routeTable.filter(
      (r) => r.method === 'POST' && /import/.test(r.url) && !SKIP.has(`${r.method} ${r.url}`),
    );
    assert.ok(imports.length >= 2, `import routes: ${imports.map((r) => r.url).join(', ')}`);
    const template = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/members/import-template',
        headers: { authorization: `Bearer ${token}` },
      })
    ).rawPayload;
    const bomb = await bombOf(template, 300);
    const problems: string[] = [];
    for (const r of imports) {
      const before = await auditCount();
      const upload = t.request({
        method: 'POST',
        url: r.url.replace(/:[A-Za-z]+/g, '00000000-0000-0000-0000-000000000000'),
        token,
        ...multipartFile(bomb),
      });
      const during = await t.request({ method: 'GET', url: '/api/health' });
      const res = await upload;
      if (during.status !== 200) problems.push(`${r.url}: /api/health answered ${during.status} during the upload`);
      if (res.status < 400 || res.status >= 500 || !/[\u4e00-\u9fff]/.test(res.body?.error?.message ?? ''))
        problems.push(`${r.url} → ${res.status} ${res.raw.slice(0, 200)}`);
      if ((await auditCount()) !== before) problems.push(`${r.url} wrote to the audit log`);
    }
    assert.equal((await t.request({ method: 'GET', url: '/api/health' })).status, 200);
    assert.deepEqual(problems, []);
  });
});
