/**
 * The installable app (issue 24): the manifest of the outside contract, its icons, the service worker that keeps
 * the app shell, and the prompt that offers a new version. The server here serves a copy of the build, so the
 * test can "deploy" a new service worker without touching apps/web/dist.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startE2e, type E2e } from './harness';

const built = process.env.XF_WEB_DIST ?? path.resolve(import.meta.dirname, '../apps/web/dist');
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-pwa-dist-'));

/** Width and height of a PNG, from its IHDR chunk. */
const pngSize = (b: Buffer) => ({ w: b.readUInt32BE(16), h: b.readUInt32BE(20) });

async function workerReady(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

describe('the installable app (PWA)', () => {
  let e: E2e;
  before(async () => {
    fs.cpSync(built, dist, { recursive: true });
    process.env.XF_WEB_DIST = dist;
    e = await startE2e();
  });
  after(async () => {
    await e.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves /manifest.webmanifest with the name, start page, colours and icons, and links it from every page', async () => {
    const r = await fetch(`${e.server.url}/manifest.webmanifest`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/manifest\+json/);
    const m = (await r.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      scope: string;
      display: string;
      lang: string;
      theme_color: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    assert.equal(m.name, '先锋 · 智慧党建平台');
    assert.equal(m.short_name, '先锋党建');
    assert.equal(m.start_url, '/');
    assert.equal(m.scope, '/');
    assert.equal(m.display, 'standalone');
    assert.equal(m.lang, 'zh-CN');
    assert.equal(m.theme_color, '#c8161d');
    for (const size of ['192x192', '512x512'])
      assert.ok(
        m.icons.some((i) => i.sizes === size && (i.purpose ?? 'any').includes('any')),
        `an icon of ${size}`,
      );
    assert.ok(
      m.icons.some((i) => i.purpose === 'maskable'),
      'a maskable icon',
    );
    for (const icon of m.icons) {
      const got = await fetch(new URL(icon.src, e.server.url));
      assert.equal(got.status, 200, icon.src);
      assert.equal(got.headers.get('content-type'), icon.type, icon.src);
      const { w, h } = pngSize(Buffer.from(await got.arrayBuffer()));
      assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    }
    for (const url of ['/', '/login', '/my/meetings']) {
      const html = await (await fetch(`${e.server.url}${url}`)).text();
      assert.match(html, /<link rel="manifest" href="\/manifest\.webmanifest"/, url);
    }
  });

  it('keeps the app shell in the service worker: the start page opens with the network off', async () => {
    const page = await e.page(390, { serviceWorkers: 'allow' });
    await e.login(page, 'dangyuan');
    await page.getByText('政治生日').waitFor();
    await workerReady(page).catch(async () => {
      // The first visit registers the worker after the page loaded; it controls the page from the next load on.
      await page.reload();
      await workerReady(page);
    });
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(fs.readFileSync(path.join(dist, 'index.html'), 'utf8'))![1]!;
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    for (const url of ['/index.html', entry, '/manifest.webmanifest', '/icons/icon-192.png'])
      assert.ok(cached.includes(url), `${url} is not cached (cached: ${cached.join(', ')})`);
    assert.ok(!cached.some((u) => u.startsWith('/api/')), 'API answers must not be in the shell cache');

    await page.context().setOffline(true);
    try {
      const res = await page.goto('/my/meetings');
      assert.ok(res, 'no answer offline');
      assert.equal(res.status(), 200);
      assert.ok(res.fromServiceWorker(), 'the page did not come from the service worker');
      await page.waitForFunction(() => document.title.includes('先锋'));
      await e.shot(page, 'pwa-offline-shell-390');
    } finally {
      await page.context().setOffline(false);
    }
  });

  it('offers a new version in Chinese when one is deployed, and switches to it on one tap', async () => {
    const page = await e.page(390, { serviceWorkers: 'allow' });
    await e.login(page, 'dangyuan');
    await page.getByText('政治生日').waitFor();
    await workerReady(page).catch(async () => {
      await page.reload();
      await workerReady(page);
    });
    await page.getByText('政治生日').waitFor();
    const before = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);

    // "Deploy": a changed service worker (the compressed copies of the old one removed, so the new one is sent).
    const sw = path.join(dist, 'sw.js');
    fs.appendFileSync(sw, `\n// deployed ${Date.now()}\n`);
    for (const ext of ['.br', '.gz']) fs.rmSync(`${sw}${ext}`, { force: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());

    const prompt = page.locator('.ant-notification-notice', { hasText: '先锋有新版本' });
    await prompt.waitFor({ timeout: 30_000 });
    await prompt.getByText('正在填写的内容请先保存').waitFor();
    await e.shot(page, 'pwa-update-prompt-390');
    const reloaded = page.waitForEvent('framenavigated', { timeout: 30_000 });
    await prompt.getByRole('button', { name: '立即更新' }).click();
    await reloaded;
    await page.getByText('政治生日').waitFor();
    const state = await page.evaluate(async () => {
      const reg = (await navigator.serviceWorker.getRegistration())!;
      return { waiting: reg.waiting !== null, controller: navigator.serviceWorker.controller?.scriptURL ?? null };
    });
    assert.equal(state.waiting, false, 'the new version is still waiting');
    assert.equal(state.controller, before);
  });
});
