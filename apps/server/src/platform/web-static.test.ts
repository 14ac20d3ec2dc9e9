// @one-database: serving the web build (tools/test.mjs leaves it out of the PostgreSQL pass).
/**
 * How the web build is served (issue 24, "a fast first load"): compressed copies made at build time go to
 * browsers that accept them, hashed assets are cached for a year and never revalidated, the pages that keep
 * their name (index.html, the service worker, the manifest) are revalidated on every use, and a missing asset
 * is a 404 rather than the index page.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startTestApp, type TestApp } from '../testing/harness';
import { createHttp, webCacheControl } from './http';

describe('serving the web build', () => {
  const web = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-web-'));
  const html = `<!doctype html><title>xf</title>${'<p>先锋</p>'.repeat(200)}`;
  const js = `console.log(${JSON.stringify('x'.repeat(5000))});`;
  let t: TestApp;
  let app: FastifyInstance;
  before(async () => {
    fs.mkdirSync(path.join(web, 'assets'));
    const write = (rel: string, body: string) => {
      fs.writeFileSync(path.join(web, rel), body);
      fs.writeFileSync(path.join(web, `${rel}.br`), zlib.brotliCompressSync(body));
      fs.writeFileSync(path.join(web, `${rel}.gz`), zlib.gzipSync(body));
    };
    write('index.html', html);
    write('assets/index-AbC123xy.js', js);
    fs.writeFileSync(path.join(web, 'manifest.webmanifest'), JSON.stringify({ name: '先锋' }));
    t = await startTestApp({ demo: false });
    app = await createHttp({
      db: t.services.db,
      sessionPolicy: t.services.sessionPolicy,
      logLevel: 'silent',
      webDist: web,
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await t.close();
    fs.rmSync(web, { recursive: true, force: true });
  });

  it('sends the brotli copy to a browser that accepts it, gzip to one that accepts only gzip, plain otherwise', async () => {
    const br = await app.inject({
      method: 'GET',
      url: '/assets/index-AbC123xy.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), js);
    assert.ok(br.rawPayload.length < js.length / 10, `brotli copy is ${br.rawPayload.length} bytes`);

    const gz = await app.inject({
      method: 'GET',
      url: '/assets/index-AbC123xy.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), js);

    const plain = await app.inject({
      method: 'GET',
      url: '/assets/index-AbC123xy.js',
      headers: { 'accept-encoding': 'identity' },
    });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, js);
  });

  it('lets the browser keep hashed assets for a year without asking again, and revalidates the index page', async () => {
    const asset = await app.inject({
      method: 'GET',
      url: '/assets/index-AbC123xy.js',
      headers: { 'accept-encoding': 'br' },
    });
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const url of ['/', '/index.html', '/my/meetings', '/manifest.webmanifest']) {
      const r = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      assert.equal(r.statusCode, 200, url);
      assert.equal(r.headers['cache-control'], 'no-cache', url);
    }
  });

  it('answers a client-side route with the compressed index page', async () => {
    const r = await app.inject({ method: 'GET', url: '/my/meetings', headers: { 'accept-encoding': 'br' } });
    assert.equal(r.headers['content-encoding'], 'br');
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.equal(zlib.brotliDecompressSync(r.rawPayload).toString(), html);
  });

  it('answers an asset of an older build with 404, not with the index page', async () => {
    const r = await app.inject({ method: 'GET', url: '/assets/MeetingsPage-Old12345.js' });
    assert.equal(r.statusCode, 404);
    assert.doesNotMatch(r.body, /<title>/);
    assert.equal(r.json().error.message, '页面不存在');
  });

  it('does not serve the compressed copies under their own names', async () => {
    const r = await app.inject({ method: 'GET', url: '/assets/index-AbC123xy.js.br' });
    assert.equal(r.statusCode, 404);
  });

  it('serves the manifest with its media type', async () => {
    const r = await app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    assert.match(String(r.headers['content-type']), /application\/manifest\+json/);
  });

  it('chooses the cache rule by the file, whichever copy is sent', () => {
    assert.equal(webCacheControl('assets/a-123.js.br'), 'public, max-age=31536000, immutable');
    assert.equal(webCacheControl(path.join('assets', 'a-123.css')), 'public, max-age=31536000, immutable');
    assert.equal(webCacheControl('index.html.gz'), 'no-cache');
    assert.equal(webCacheControl('sw.js'), 'no-cache');
  });
});
