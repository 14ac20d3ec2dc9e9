/**
 * How heavy and how fast the web app's first screen is for a member on a phone: the real server and the
 * built web app, Debian's chromium through playwright-core, the network throttled with the DevTools
 * protocol (Network.emulateNetworkConditions). Counts the bytes that crossed the network (compressed
 * bodies and headers, as the browser received them) and the time from navigation to the member home
 * showing the member's record (React has rendered it, so its controls answer).
 *
 *   npm run bench -- --web [--runs 3] [--profiles slow4g,fast4g]
 *
 * Also used by e2e/load-budget.e2e.test.ts (unthrottled) to hold the byte budget.
 * Page code is passed as strings: this file is type-checked without the DOM library.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export type NetProfile = { key: string; label: string; downKbps: number; upKbps: number; latencyMs: number };

/** Chrome DevTools' presets of the same names (Lighthouse's mobile profile is the first). */
export const PROFILES: Record<string, NetProfile> = {
  slow4g: { key: 'slow4g', label: 'Slow 4G — 1.6 Mbps / 150 ms', downKbps: 1600, upKbps: 750, latencyMs: 150 },
  fast4g: { key: 'fast4g', label: '4G — 9 Mbps / 60 ms', downKbps: 9000, upKbps: 1500, latencyMs: 60 },
};

export type Transfer = { url: string; status: number; bytes: number; cached: boolean; fromServiceWorker: boolean };

export type LoadResult = {
  /** Bytes received by the page over the network (headers + encoded bodies); cache hits count 0. */
  bytes: number;
  /** Bytes the service worker fetched for itself (precaching the shell) during the measurement. */
  serviceWorkerBytes: number;
  requests: Transfer[];
  /** Navigation start → first contentful paint (the splash), ms. */
  firstPaintMs: number | null;
  /** Navigation start → the ready condition held (member home rendered with the member's record), ms. */
  readyMs: number;
  /** Navigation start → the last response of the page ended (all home cards loaded), ms. */
  settledMs: number;
  /** Each resource the page fetched: start and end of its response, ms after navigation start. */
  timeline: { url: string; start: number; end: number }[];
};

/**
 * A ready check runs in the page: it answers `performance.now()` once the page is ready, else false. A function,
 * not a string: the app's Content-Security-Policy forbids evaluating strings. No DOM types here, hence `any`.
 */
export type ReadyCheck = () => number | false;

/** The member home, once the record card shows the member's data (and the splash is gone). */
export const memberHomeReady: ReadyCheck = () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const g = globalThis as any;
  const t: string = g.document.body ? g.document.body.innerText : '';
  return t.includes('您好') && t.includes('政治生日') && !g.document.querySelector('.xf-splash')
    ? g.performance.now()
    : false;
};

/** The sign-in form, shown and answering. */
export const loginReady: ReadyCheck = () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const g = globalThis as any;
  return g.document.querySelector('input[autocomplete=username]') && !g.document.querySelector('.xf-splash')
    ? g.performance.now()
    : false;
};

/**
 * Loads `url` in `page` under `profile` (none: unthrottled) and waits for `ready`.
 * The page's context should be new for a first load; call again on the same page for a repeat load.
 */
export async function measureLoad(
  page: Page,
  url: string,
  ready: ReadyCheck,
  profile?: NetProfile,
): Promise<LoadResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  if (profile)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latencyMs,
      downloadThroughput: (profile.downKbps * 1000) / 8,
      uploadThroughput: (profile.upKbps * 1000) / 8,
    });
  const seen = new Map<string, Transfer>();
  // Memory-cache hits are announced before their response.
  const fromCache = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e) => {
    fromCache.add(e.requestId);
    const t = seen.get(e.requestId);
    if (t) t.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    seen.set(e.requestId, {
      url: e.response.url,
      status: e.response.status,
      bytes: 0,
      cached: Boolean(fromCache.has(e.requestId) || e.response.fromDiskCache || e.response.fromPrefetchCache),
      fromServiceWorker: Boolean(e.response.fromServiceWorker),
    });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const t = seen.get(e.requestId);
    if (t && !t.cached && !t.fromServiceWorker) t.bytes = e.encodedDataLength;
  });
  let serviceWorkerBytes = 0;
  const onSwRequest = (req: import('playwright-core').Request) => {
    if (!req.serviceWorker()) return;
    void req
      .sizes()
      .then((s) => (serviceWorkerBytes += s.responseBodySize + s.responseHeadersSize))
      .catch(() => undefined);
  };
  page.context().on('requestfinished', onSwRequest);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(ready, undefined, { timeout: 90_000, polling: 50 });
    const readyMs = Math.round(Number(await handle.jsonValue()));
    await page.waitForLoadState('networkidle', { timeout: 90_000 });
    const timing = await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const perf = (globalThis as any).performance;
      const fcp = perf.getEntriesByName('first-contentful-paint')[0];
      const entries: { name: string; startTime: number; responseEnd: number }[] = [
        ...perf.getEntriesByType('navigation'),
        ...perf.getEntriesByType('resource'),
      ];
      return {
        fcp: fcp ? (fcp.startTime as number) : null,
        last: Math.max(0, ...entries.map((r) => r.responseEnd)),
        timeline: entries.map((r) => ({ url: r.name, start: Math.round(r.startTime), end: Math.round(r.responseEnd) })),
      };
    });
    // Let the last loadingFinished events arrive.
    await new Promise((r) => setTimeout(r, 300));
    const requests = [...seen.values()];
    return {
      bytes: requests.reduce((s, t) => s + t.bytes, 0),
      serviceWorkerBytes,
      requests,
      firstPaintMs: timing.fcp === null ? null : Math.round(timing.fcp),
      readyMs,
      settledMs: Math.round(Math.max(readyMs, timing.last)),
      timeline: timing.timeline,
    };
  } finally {
    page.context().off('requestfinished', onSwRequest);
    if (profile)
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    await cdp.detach().catch(() => undefined);
  }
}

/** A context for a phone (390 × 844) already signed in with `token` (the session cookie), with an empty cache. */
export async function phoneContext(
  browser: Browser,
  baseURL: string,
  token: string,
  serviceWorkers: 'allow' | 'block' = 'allow',
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers,
  });
  await ctx.addCookies([{ name: 'xf_session', value: token, url: baseURL }]);
  return ctx;
}

/** Signs in through the API and answers the session token. */
export async function apiLogin(baseURL: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
