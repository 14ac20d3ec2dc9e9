/**
 * Browser e2e harness: boots the real server (embedded database in a temp folder, the demo
 * enterprise, the built web app) on a free port, and drives Debian's chromium with
 * playwright-core. Screenshots land in e2e/screenshots/ for people to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { boot, type Running } from '../apps/server/src/boot';
import { DEMO_PASSWORD } from '../apps/server/src/demo/seed';
import { readSeed, SEED_ADMIN_PASSWORD } from '../apps/server/src/testing/seed';

export { DEMO_PASSWORD };
export const ADMIN_PASSWORD = SEED_ADMIN_PASSWORD;
export const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

export type E2e = {
  server: Running;
  browser: Browser;
  /**
   * A new page at the given viewport width (390 = a phone). Without the service worker unless asked for: the
   * tests of pages see every request on the page itself (pwa.e2e.test.ts tests the worker).
   */
  page(width?: number, opts?: { serviceWorkers?: 'allow' | 'block' }): Promise<Page>;
  /** Signs in through the login form and waits for the shell. */
  login(page: Page, username: string, password?: string): Promise<void>;
  shot(page: Page, name: string): Promise<void>;
  /** Uncaught page errors and CSP violations seen so far in any page (expected 4xx answers are not errors). */
  pageErrors: string[];
  close(): Promise<void>;
};

/** `env`: further environment for the server (e.g. XF_MAP_TILE_URL pointing at a loopback tile server). */
export async function startE2e(opts: { env?: Record<string, string> } = {}): Promise<E2e> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-e2e-'));
  // The run's seeded data folder (apps/server/src/testing/seed.ts), copied: the server finds its
  // database made and does not seed the demo again.
  const seed = readSeed(undefined, false);
  if (seed) fs.cpSync(seed.dataDir, dataDir, { recursive: true });
  const server = await boot({
    PORT: '0',
    HOST: '127.0.0.1',
    XF_DATA_DIR: dataDir,
    XF_ADMIN_PASSWORD: ADMIN_PASSWORD,
    XF_DEMO: '1',
    XF_DEMO_PASSWORD: DEMO_PASSWORD,
    XF_LOG_LEVEL: 'warn',
    // A web build elsewhere than apps/web/dist (to test one build while making the next).
    XF_WEB_DIST: process.env.XF_WEB_DIST,
    ...opts.env,
  });
  const browser = await chromium.launch({
    executablePath: process.env.XF_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    pageErrors,
    server,
    browser,
    async page(width = 1280, opts = {}) {
      const phone = width < 768;
      const ctx = await browser.newContext({
        baseURL: server.url,
        viewport: { width, height: phone ? 844 : 800 },
        deviceScaleFactor: 1,
        isMobile: phone,
        hasTouch: phone,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        acceptDownloads: true,
        serviceWorkers: opts.serviceWorkers ?? 'block',
      });
      ctx.setDefaultTimeout(15_000);
      contexts.push(ctx);
      const page = await ctx.newPage();
      watchNetwork(page);
      page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|Refused to/.test(msg.text()))
          pageErrors.push(`${page.url()}: ${msg.text()}`);
      });
      return page;
    },
    async login(page, username, password = username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) {
      await page.goto('/login');
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      // Exactly 登录: the 企业微信登录 / 钉钉登录 buttons are there too when those are set up.
      await page.getByRole('button', { name: /^登\s*录$/ }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    },
    async shot(page, name) {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The page is controlled by the service worker (the first visit registers it; it controls from the next load). */
export async function underWorker(page: Page, ready: () => Promise<unknown>) {
  const controlled = () =>
    page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await controlled().catch(async () => {
    await page.reload();
    await ready();
    await controlled();
  });
}

/** Fails when the page scrolls sideways: at 390px a phone user would have to pan. */
export async function noOverflow(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the page`);
}

/** Per page, the last API answers that were not 2xx/3xx and the requests that never got an answer. */
const networkTrouble = new WeakMap<Page, string[]>();

function watchNetwork(page: Page) {
  const log: string[] = [];
  networkTrouble.set(page, log);
  const note = (line: string) => {
    log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (log.length > 12) log.shift();
  };
  page.on('response', (res) => {
    if (res.status() < 400 || !res.url().includes('/api/')) return;
    const what = `${res.request().method()} ${new URL(res.url()).pathname} → ${res.status()}`;
    res.text().then(
      (body) => note(`${what} ${body.slice(0, 300)}`),
      () => note(what),
    );
  });
  page.on('requestfailed', (req) => {
    if (req.url().includes('/api/'))
      note(`${req.method()} ${new URL(req.url()).pathname} failed: ${req.failure()?.errorText}`);
  });
}

/**
 * What a page showed, in words, for a failure message: its address, the dialogs, alerts and messages on it, the
 * start of its text, and its API trouble. CI keeps only the test output; a screenshot on its disk is lost.
 */
async function describePage(page: Page): Promise<string> {
  // A string, not a function: tsx would wrap a named arrow inside in its `__name` helper, unknown in the page.
  const shown = await page
    .evaluate<{ boxes: string[]; body: string }>(
      `(() => {
        const text = (el) => el.innerText.replace(/\\s+/g, ' ').trim().slice(0, 400);
        const sel = '.ant-modal, .ant-alert, .ant-message, .ant-result, .ant-notification, [role=alert]';
        return { boxes: [...document.querySelectorAll(sel)].map(text).filter(Boolean), body: text(document.body).slice(0, 600) };
      })()`,
    )
    .catch((e: Error) => ({ boxes: [], body: `(could not read the page: ${e.message})` }));
  return [
    `page ${page.url()}`,
    ...shown.boxes.map((b) => `  shown: ${b}`),
    `  text: ${shown.body}`,
    ...(networkTrouble.get(page) ?? []).map((l) => `  api: ${l}`),
  ].join('\n');
}

/**
 * `it` that, when the test fails, photographs every open page and adds to the error what each page showed (see
 * describePage), so a failure in CI can be understood from its output alone.
 */
export function itWithShots(getE2e: () => E2e, prefix: string) {
  return (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (err) {
        const pages = getE2e()
          .browser.contexts()
          .flatMap((c) => c.pages());
        const seen: string[] = [];
        for (const [i, p] of pages.entries()) {
          await p
            .screenshot({ path: path.join(SCREENSHOTS, `${prefix}-failed-${i}.png`), fullPage: true })
            .catch(() => undefined);
          seen.push(await describePage(p));
        }
        if (err instanceof Error) {
          const shown = `\n--- what the open pages showed ---\n${seen.join('\n')}`;
          err.message += shown;
          // The test reporter prints `stack`. Playwright's errors carry one written with the message as it was, so
          // the pages' description never reached CI's output (none in this session's failures); a plain Error
          // writes its stack when first read, with the message as it is now, and has it already.
          if (err.stack && !err.stack.includes(shown)) err.stack += shown;
        }
        throw err;
      }
    });
}

/**
 * Calls the API (under /api/v1) straight from the test, outside any page, with a bearer token (null: none) — for the
 * set-up a test does not walk through by clicking. Fails on an answer that is not 2xx; returns the parsed body.
 */
export async function apiCall(e: E2e, method: string, url: string, token: string | null, body?: unknown) {
  const r = await fetch(`${e.server.url}/api/v1${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${url}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Signs `username` in over the API and finds the branch they are the secretary of (the demo's `shuji`, `shuji2`):
 * the bearer token and that branch's id, for the set-up a test does as the secretary.
 */
export async function secretaryOf(e: E2e, username: string) {
  const token = (await apiCall(e, 'POST', '/auth/login', null, { username, password: DEMO_PASSWORD })).token as string;
  const me = await apiCall(e, 'GET', '/me', token);
  const branch = (me.roles as { role: string; orgId: string }[]).find((b) => b.role === 'secretary');
  assert.ok(branch, `${username} is a branch secretary`);
  return { token, orgId: branch.orgId };
}

/** GET an API path (under /api/v1) with the page's session, as the page itself would. */
export const apiGet = <T>(page: Page, url: string): Promise<T> =>
  page.evaluate(async (u) => {
    const r = await fetch(`/api/v1${u}`);
    if (!r.ok) throw new Error(`${u}: ${r.status} ${await r.text()}`);
    return r.json();
  }, url) as Promise<T>;

/**
 * Waits until no finite animation is running (a dialog zooming in, a dropdown sliding): a click on a
 * moving element is lost or refused. Endless ones (spinners) are not waited for; a page that keeps
 * animating past `timeout` is left as it is — the caller's own wait decides.
 */
export async function settled(page: Page, timeout = 5000): Promise<void> {
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
      undefined,
      { timeout },
    )
    .catch(() => undefined);
}

/**
 * Fails when a choice of a checklist (apps/web platform/CheckList, found by its group) is a smaller tap target than
 * `min` px either way: on a phone 44, in 大字模式 48 (issue 24; many members are over 60).
 */
export async function choicesAtLeast(group: Locator, min: number): Promise<void> {
  const sizes = await group.locator('.ant-checkbox-wrapper').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { text: (el as HTMLElement).innerText.trim(), w: r.width, h: r.height };
    }),
  );
  assert.ok(sizes.length > 0, 'the checklist shows its choices');
  const small = sizes
    .filter((c) => c.w + 0.5 < min || c.h + 0.5 < min)
    .map((c) => `「${c.text}」 ${Math.round(c.w)}×${Math.round(c.h)}`);
  assert.deepEqual(small, [], `choices smaller than ${min} px`);
}

/**
 * Clicks `trigger`, then the button `ok` of the antd Popconfirm it opens, and waits until the Popconfirm has taken
 * the click: it closes once its action has run (a slow action shows the button loading first, and is waited for).
 * antd can align a Popconfirm again after it has appeared (seen in notify-admin: placed above the 删除 button,
 * moved below it ~150 ms after its zoom ended). Playwright checks only that the press lands on the button; when
 * the popup moves between the press and the release, the release lands elsewhere, the browser sends `click` to an
 * element around both and the button never sees it — the Popconfirm stays open, nothing is sent, and the row the
 * test waits to see go stays. A real user clicks 删除 again; so does this, up to three times.
 */
export async function confirmPop(page: Page, trigger: Locator, ok: RegExp): Promise<void> {
  const pop = page.locator('.ant-popconfirm:visible');
  const button = pop.getByRole('button', { name: ok });
  for (let attempt = 1; ; attempt += 1) {
    if (!(await pop.count())) await trigger.click();
    await button.waitFor();
    await settled(page);
    await button.click();
    const taken = await Promise.race([
      pop.waitFor({ state: 'hidden', timeout: 4000 }).then(() => 'closed'),
      pop
        .locator('.ant-btn-loading')
        .waitFor({ timeout: 4000 })
        .then(() => 'busy'),
    ]).catch(() => 'lost');
    if (taken === 'busy') await pop.waitFor({ state: 'hidden' });
    if (taken !== 'lost') return;
    if (attempt >= 3) throw new Error(`the Popconfirm did not take the click on ${ok} after ${attempt} tries`);
    // Said in the output: a lost click is still worth counting (docs/notes/2026-12-04d/e2e-flakes.md).
    console.log(`confirmPop: the click on ${ok} was lost (try ${attempt}), clicking again`);
  }
}

/**
 * Makes a choice in an antd picker and waits until the picker shows it. On a busy machine a click
 * can land while the dialog or dropdown is still moving, on a lazily loaded tree level that is still
 * loading, or on an option a phone's viewport cuts off — and is then lost. The state is what a test
 * needs, so the whole choice is made again (with short waits) until the picker holds it, and fails
 * loudly after the third try.
 */
async function chooseUntilShown(
  page: Page,
  what: string,
  chosen: Locator,
  choose: (attempt: number) => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // A slow first try may have taken after all; choosing again would toggle a multiple select off.
      if (attempt > 1 && (await chosen.isVisible())) return;
      await settled(page);
      await choose(attempt);
      await chosen.waitFor({ timeout: 3000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw new Error(`${what} after ${attempt} tries`, { cause: err });
    }
  }
}

/** Opens a TreeSelect org picker, walks down the tree by names and chooses the last one. */
export async function pickOrg(page: Page, picker: Locator, names: string[]): Promise<void> {
  const last = names[names.length - 1]!;
  // Only a tree's dropdown: another select's list may still be fading out.
  const dropdown = page.locator('.ant-select-dropdown:visible').filter({ has: page.locator('.ant-select-tree') });
  const chosen = picker.locator('.ant-select-selection-item', { hasText: last });
  await chooseUntilShown(page, `the org picker did not take 「${last}」`, chosen, async () => {
    if (!(await dropdown.count())) await picker.click({ timeout: 5000 });
    await dropdown.first().waitFor({ timeout: 5000 });
    for (const [i, name] of names.entries()) {
      const node = dropdown.locator('.ant-select-tree-treenode', { hasText: name }).first();
      await node.waitFor({ timeout: 5000 });
      if (i < names.length - 1) {
        const switcher = node.locator('.ant-select-tree-switcher_close');
        if (await switcher.count()) await switcher.click({ timeout: 5000 });
      } else await node.locator('.ant-select-tree-node-content-wrapper').click({ timeout: 5000 });
    }
  });
}

/**
 * Chooses `option` in an antd Select (single or multiple) and waits until the select shows it. When the
 * pointer cannot reach the option (cut off at phone width, or the list still moving) the option's own
 * click handler is fired instead, which is what the pointer would have done.
 */
export async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  const root = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", @class, " "), " ant-select ")][1]');
  const chosen = root.locator('.ant-select-selection-item', { hasText: option });
  const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first();
  await chooseUntilShown(page, `the select did not take 「${option}」`, chosen, async (attempt) => {
    if (!(await page.locator('.ant-select-dropdown:visible').count()))
      await root.locator('.ant-select-selector').click({ timeout: 5000 });
    await item.waitFor({ timeout: 5000 });
    await settled(page);
    if (attempt === 1) await item.click({ timeout: 5000 });
    else await item.dispatchEvent('click');
  });
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** "YYYY-MM-DD HH:mm" in China time, as the antd date-time pickers show it. */
export const chinaText = (at: number | Date) => {
  const c = new Date((typeof at === 'number' ? at : at.getTime()) + 8 * 3600_000);
  return `${c.getUTCFullYear()}-${pad2(c.getUTCMonth() + 1)}-${pad2(c.getUTCDate())} ${pad2(c.getUTCHours())}:${pad2(c.getUTCMinutes())}`;
};

/**
 * Types a date or date-time into an antd DatePicker labelled `label` (within a page or a dialog) and confirms it.
 * `Enter` confirms a date-time; in a plain form it also submits the form, so `Tab` (leaving the field) confirms there.
 */
export async function pickDateTime(
  scope: Page | Locator,
  label: string,
  value: string,
  confirm: 'Enter' | 'Tab' = 'Enter',
): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press(confirm);
  assert.equal(await input.inputValue(), value);
}

/**
 * Does the admin's forced first password change through the API (the shell test walks it in the browser), so a
 * test can sign in as admin with `newPassword`.
 */
export async function changeAdminPassword(e: E2e, newPassword: string): Promise<void> {
  const api = (path: string, init: RequestInit) => fetch(`${e.server.url}/api/v1${path}`, init);
  const login = await api('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const changed = await api('/auth/password', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ oldPassword: ADMIN_PASSWORD, newPassword }),
  });
  assert.equal(changed.status, 204);
}

/**
 * How long to wait for a download: 台账, rosters and exports are generated by the server when asked, which on a loaded
 * 2-core CI machine has taken longer than the default 15 s wait (lecture.e2e's Word 台账, 2026-12-02).
 */
export const DOWNLOAD_WAIT = { timeout: 90_000 };

/**
 * Counts a member's taps (issue 24, "≤ 3 taps from home"): every trusted click the page receives — a tap on a
 * phone ends in one, a test's `locator.click()`/`tap()` too — in any page of the context, across navigations
 * and origins (a payment provider's page included), plus `scan(url)`, which opens what a phone's camera opens
 * from a QR code and counts as one tap. `fromHome()` opens the home page and starts at 0; `atMost(n, task)`
 * fails the test when the task took more.
 */
export type TapCounter = {
  /** Opens `/` and waits for `ready` (something only the home page shows), then counts from 0. */
  fromHome(ready: () => Promise<unknown>): Promise<void>;
  /** A QR code scanned with the phone's camera: the page it encodes opens; one tap. */
  scan(url: string): Promise<void>;
  /** Taps so far, and what each hit. */
  count(): number;
  taps(): string[];
  /** Fails when more than `max` taps were needed since `fromHome`. */
  atMost(max: number, task: string): void;
};

export async function tapCounter(page: Page): Promise<TapCounter> {
  let log: string[] = [];
  const ctx = page.context();
  await ctx.exposeBinding('__xfTap', (_source, what: string) => {
    log.push(what);
  });
  // A string, not a function: tsx would wrap a named arrow inside in its `__name` helper, unknown in the page.
  await ctx.addInitScript(`
    document.addEventListener('click', (e) => {
      if (!e.isTrusted) return;
      const el = e.target instanceof Element ? e.target.closest('a,button,[role],label,input') || e.target : null;
      const text = el ? (el.getAttribute('aria-label') || el.textContent || el.tagName).replace(/\\s+/g, ' ').trim() : '?';
      window.__xfTap(location.pathname + ' ' + text.slice(0, 40));
    }, true);
  `);
  return {
    async fromHome(ready) {
      await page.goto('/');
      await ready();
      await page.waitForLoadState('networkidle');
      log = [];
    },
    async scan(url) {
      log.push(`scan ${new URL(url, 'http://x').pathname}`);
      await page.goto(url);
    },
    count: () => log.length,
    taps: () => [...log],
    atMost(max, task) {
      assert.ok(log.length <= max, `${task}: ${log.length} taps (at most ${max}): ${log.join(' → ')}`);
    },
  };
}

/**
 * 每日一练 as the logged-in member: starts today's practice, answers every question (the first option; 「不知道」 in
 * each blank) and hands it in; resolves once the score shows. The page is left on the result.
 */
export async function answerDailyPractice(page: Page, shot?: () => Promise<void>): Promise<void> {
  await page.goto('/learn?tab=practice');
  await page.getByRole('button', { name: '开始今天的练习' }).click();
  await page.waitForURL(/\/learn\/attempts\//);
  const groups = page.locator('.xf-learn-question');
  await groups.first().waitFor();
  for (let i = 0; i < (await groups.count()); i++) {
    const blanks = groups.nth(i).getByRole('textbox');
    if ((await blanks.count()) > 0) for (const b of await blanks.all()) await b.fill('不知道');
    else await groups.nth(i).locator('.ant-radio-wrapper, .ant-checkbox-wrapper').first().click();
  }
  await shot?.();
  await page.getByRole('button', { name: /交\s*卷/ }).click();
  await page.getByText(/得分 \d+/).waitFor();
}
