/**
 * The member's first load on a phone stays light (issue 24, "a fast first load"): bytes, not time — a busy test
 * machine changes the time, never the bytes. tools/bench/web-load.ts measures both under throttling for
 * docs/benchmarks.md; this test holds the budget.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiLogin, kb, measureLoad, memberHomeReady, phoneContext } from '../tools/bench/web-load';
import { DEMO_PASSWORD, startE2e, type E2e } from './harness';

/** Bytes over the network (compressed bodies and headers) for the member home with an empty cache. */
const FIRST_LOAD_BUDGET = 400 * 1024;
/** Chunks of pages a member never opens from the home page: managers' pages, the charts, the PDF reader (pdf.js). */
const NOT_ON_MEMBER_HOME =
  /\/assets\/(echarts|DashboardPage|MembersPage|OrgsPage|DevelopBoardPage|DuesPage|MeetingsPage|AuditPage|ManagePage|ThoughtManagePage|AdminPage|RectifyPage|PlanPage|CompliancePage|LoginPage|pages|PdfReader|pdf\.worker)[-.]/;

describe('the member’s first load on a phone', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('has ECharts and the PDF reader in chunks of their own in the build, so the check below can see them', () => {
    const assets = fs.readdirSync(
      path.join(process.env.XF_WEB_DIST ?? path.resolve(import.meta.dirname, '../apps/web/dist'), 'assets'),
    );
    assert.ok(
      assets.some((f) => /^echarts-.*\.js$/.test(f)),
      'no assets/echarts-*.js: apps/web/vite.config.ts must keep ECharts in its own named chunk',
    );
    assert.ok(
      assets.some((f) => /^PdfReader-.*\.js$/.test(f)) && assets.some((f) => /^pdf\.worker\.min-.*\.mjs$/.test(f)),
      'no assets/PdfReader-*.js or pdf.worker: learn/PdfView.tsx must load the PDF reader lazily',
    );
  });

  it(`loads the member home in at most ${kb(FIRST_LOAD_BUDGET)}, compressed, without charts or managers’ pages`, async () => {
    const token = await apiLogin(e.server.url, 'dangyuan', DEMO_PASSWORD);
    const ctx = await phoneContext(e.browser, e.server.url, token, 'block');
    try {
      const page = await ctx.newPage();
      const first = await measureLoad(page, '/', memberHomeReady);
      const list = first.requests
        .map((t) => `${kb(t.bytes).padStart(7)} ${t.url.replace(e.server.url, '')}`)
        .join('\n');
      const heavy = first.requests.filter((t) => NOT_ON_MEMBER_HOME.test(t.url)).map((t) => t.url);
      assert.deepEqual(heavy, [], `the member home loaded code it does not use:\n${list}`);
      assert.ok(first.bytes <= FIRST_LOAD_BUDGET, `first load ${kb(first.bytes)} > ${kb(FIRST_LOAD_BUDGET)}:\n${list}`);
      const scripts = first.requests.filter((t) => /\/assets\/.*\.js$/.test(t.url));
      assert.ok(scripts.length > 0, `no script was counted:\n${list}`);
      for (const s of scripts)
        assert.ok(s.bytes > 0 && s.bytes < 350 * 1024, `${s.url}: ${kb(s.bytes)} — sent uncompressed?`);
      await e.shot(page, 'load-member-home-390');

      // Coming back: the code is cached (immutable), only the page and the data travel again.
      const repeat = await measureLoad(page, '/', memberHomeReady);
      const again = repeat.requests
        .filter((t) => /\/assets\//.test(t.url) && !t.cached && !t.fromServiceWorker)
        .map((t) => t.url);
      assert.deepEqual(again, [], 'assets fetched again on a repeat load');
      assert.ok(repeat.bytes < 60 * 1024, `repeat load ${kb(repeat.bytes)}`);
    } finally {
      await ctx.close();
    }
  });

  it('loads a member page’s code when it is opened, and still no charts', async () => {
    const token = await apiLogin(e.server.url, 'dangyuan', DEMO_PASSWORD);
    const ctx = await phoneContext(e.browser, e.server.url, token, 'block');
    try {
      const page = await ctx.newPage();
      const urls: string[] = [];
      page.on('request', (r) => urls.push(r.url()));
      await page.goto('/');
      await page.getByText('政治生日').waitFor();
      await page.getByRole('button', { name: '打开菜单' }).click();
      await page.getByRole('menuitem', { name: '我的会议' }).click();
      await page.waitForURL('**/my/meetings');
      await page.locator('.xf-my-meetings').getByText('我的会议').first().waitFor();
      assert.ok(
        urls.some((u) => /\/assets\/MyMeetingsPage-/.test(u)),
        'the page came without its own chunk',
      );
      assert.deepEqual(
        urls.filter((u) => /\/assets\/echarts-/.test(u)),
        [],
      );
    } finally {
      await ctx.close();
    }
  });
});
