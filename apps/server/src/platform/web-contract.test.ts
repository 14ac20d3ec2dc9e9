// @one-database: the web client's calls against the OpenAPI document (tools/test.mjs leaves it out of the PostgreSQL pass).
/**
 * The web client is checked against the OpenAPI document: every `api.get('/…')`-style call in
 * apps/web/src must name a route the server publishes, with that method. A renamed or removed
 * route fails here instead of in a user's browser.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../testing/harness';

const webSrc = path.resolve(import.meta.dirname, '../../../web/src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

type Call = { file: string; method: string; path: string };

/** `api.get<T>('/members/${id}', …)` → GET /api/v1/members/{*}. */
function clientCalls(): Call[] {
  const re = /\bapi\.(get|post|patch|put|delete|download)\s*(?:<[^(]*?>)?\(\s*(['"`])(\/[^'"`]*)\2(?:\s*,\s*([^)]*))?/g;
  const calls: Call[] = [];
  for (const file of sourceFiles(webSrc)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) {
      const [, verb, , raw, rest] = m;
      const method = verb === 'download' ? (/['"]POST['"]/.test(rest ?? '') ? 'POST' : 'GET') : verb!.toUpperCase();
      calls.push({ file: path.relative(webSrc, file), method, path: `/api/v1${raw!.split('?')[0]}` });
    }
  }
  return calls;
}

const segmentsMatch = (call: string, route: string) => {
  const a = call.split('/');
  const b = route.split('/');
  return a.length === b.length && a.every((s, i) => s === b[i] || (s.includes('${') && /^\{.+\}$/.test(b[i]!)));
};

describe('web client against the OpenAPI document', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: false });
  });
  after(() => t.close());

  it('calls only routes the server publishes, with their methods', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const calls = clientCalls();
    assert.ok(calls.length >= 5, `found only ${calls.length} API calls in apps/web/src — is the pattern still right?`);
    const missing = calls.filter(
      (c) => !Object.entries(doc.paths).some(([p, ops]) => segmentsMatch(c.path, p) && c.method.toLowerCase() in ops),
    );
    assert.deepEqual(
      missing.map((c) => `${c.method} ${c.path} (${c.file})`),
      [],
    );
  });
});
