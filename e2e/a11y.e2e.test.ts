/**
 * Accessibility in the e2e browser (issue 24): axe-core (npm `axe-core`, read from node_modules — no network)
 * on the member's main phone pages at 390 px in normal and 大字模式, and on the main desktop pages at 1280 (the
 * login page, 工作台, 驾驶舱, 党员管理). No serious or critical violation may be left. One server, the pages
 * visited in a row, every finding gathered before the one assertion, so a failure lists them all.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { itWithShots, startE2e, type E2e } from './harness';

/** axe's source, run in the page through the debugger protocol: a script tag would be refused by the app's CSP. */
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Finding = { id: string; impact: string; help: string; nodes: string[] };

/** Runs axe on the page as it is now; the serious and critical violations, each with up to 3 of its elements. */
async function seriousViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  // A string, not a function: tsx would wrap a named arrow inside in its `__name` helper, unknown in the page.
  return page.evaluate<Finding[]>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160)),
        })),
    )
  `);
}

/** The member's main phone pages, and what shows each one has loaded. */
const PHONE: { url: string; ready: string }[] = [
  { url: '/', ready: '政治生日' },
  { url: '/my/meetings', ready: '待参加' },
  { url: '/my/dues', ready: '待交党费' },
  { url: '/learn', ready: '学习内容' },
  { url: '/me/profile', ready: '我的党员档案' },
];

const DESK: { url: string; ready: (p: Page) => Promise<unknown> }[] = [
  { url: '/', ready: (p) => p.getByText('组织设置预警').waitFor() },
  { url: '/dashboard', ready: (p) => p.getByTestId('dash-members').waitFor() },
  { url: '/members', ready: (p) => p.getByRole('columnheader', { name: '姓名' }).first().waitFor() },
];

describe('accessibility (axe-core)', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'a11y');

  it('finds no serious or critical violation on the main phone pages (both modes) and desktop pages', async () => {
    const found: string[] = [];
    const check = async (page: Page, where: string) => {
      await page.waitForLoadState('networkidle');
      // Wait for spinners and transitions to end: a half-faded text has a contrast of its own.
      await page.waitForFunction(
        () =>
          document.querySelectorAll('.ant-spin-spinning, .ant-skeleton-active').length === 0 &&
          document
            .getAnimations()
            .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
      );
      for (const v of await seriousViolations(page))
        found.push(`${where}: [${v.impact}] ${v.id} — ${v.help}\n    ${v.nodes.join('\n    ')}`);
    };

    const login = await e.page(1280);
    await login.goto('/login');
    await login.getByLabel('密码').waitFor();
    await check(login, 'login 1280');
    await login.close();

    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    const toggle = phone.getByRole('switch', { name: '大字模式' });
    for (const large of [false, true]) {
      if (large) {
        await toggle.click();
        await phone.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
      }
      for (const p of PHONE) {
        await phone.goto(p.url);
        await phone.getByText(p.ready).first().waitFor();
        await check(phone, `${p.url} 390${large ? ' 大字模式' : ''}`);
      }
    }
    await phone.getByRole('switch', { name: '大字模式' }).click();
    await phone.waitForFunction(() => !document.documentElement.classList.contains('xf-large'));

    const desk = await e.page(1280);
    await e.login(desk, 'shuji');
    for (const p of DESK) {
      await desk.goto(p.url);
      await p.ready(desk);
      await check(desk, `${p.url} 1280`);
    }
    assert.deepEqual(found, [], `axe found ${found.length} serious or critical violations:\n${found.join('\n')}`);
  });
});
