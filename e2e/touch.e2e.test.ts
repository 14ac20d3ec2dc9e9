/**
 * Touch targets on the member's phone pages (issue 24): at 390 px every control a member can tap is at least
 * 44 × 44 px, and at least 48 × 48 px in 大字模式; the 大字模式 switch says what it does. Measured in the browser,
 * page by page, in both modes.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { itWithShots, startE2e, type E2e } from './harness';

/** The member's pages reached from the phone menu, and what shows each one is there. */
const PAGES: { url: string; ready: string; name: string }[] = [
  { url: '/', ready: '政治生日', name: 'home' },
  { url: '/my/meetings', ready: '我的会议', name: 'my-meetings' },
  { url: '/my/dues', ready: '我的党费', name: 'my-dues' },
  { url: '/learn', ready: '学习', name: 'learn' },
  { url: '/me/profile', ready: '我的党员档案', name: 'profile' },
  { url: '/notifications', ready: '通知', name: 'notifications' },
];

type Small = { what: string; w: number; h: number };

/**
 * Every visible control smaller than `min` in either direction. A control inside a label or a list row that is
 * itself the tap target is measured by that target. Links inside running text (an article's body) are exempt, as
 * WCAG 2.5.8 exempts inline targets.
 */
async function smallTargets(page: Page, min: number): Promise<Small[]> {
  return page.evaluate((minSize) => {
    const selector = [
      'a[href]',
      'button',
      '[role=button]',
      '[role=switch]',
      '[role=tab]',
      '[role=menuitem]',
      '[role=checkbox]',
      '[role=radio]',
      'input:not([type=hidden])',
      'textarea',
      '.ant-select-selector',
      '.ant-pagination-item',
    ].join(',');
    const out: { what: string; w: number; h: number }[] = [];
    // An open drawer covers the page: only what is on it can be tapped.
    const root: ParentNode = document.querySelector('.ant-drawer-open .ant-drawer-content') ?? document;
    for (const el of Array.from(root.querySelectorAll<HTMLElement>(selector))) {
      if (el.closest('.xf-article-body, .ant-notification')) continue;
      // What the finger hits: the label of a switch or radio, the whole tab, the input's frame.
      const target =
        (el.closest('label, .ant-tabs-tab, .ant-input-affix-wrapper, .ant-select-selector') as HTMLElement | null) ??
        el;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      // antd's radio and checkbox inputs are invisible; their label is the target.
      if (el instanceof HTMLInputElement && ['radio', 'checkbox'].includes(el.type) && target === el) continue;
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right <= 0 || r.left >= window.innerWidth) continue;
      if (r.width + 0.5 < minSize || r.height + 0.5 < minSize) {
        const label = (el.getAttribute('aria-label') ?? el.innerText ?? el.getAttribute('placeholder') ?? '')
          .trim()
          .slice(0, 30);
        out.push({
          what: `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''} 「${label}」`,
          w: Math.round(r.width),
          h: Math.round(r.height),
        });
      }
    }
    return out;
  }, min);
}

describe('touch targets on the member’s phone pages', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'touch');

  for (const large of [false, true]) {
    const min = large ? 48 : 44;
    it(`${large ? '大字模式' : 'normal mode'}: every control on the member’s pages is at least ${min} px, and the switch says what it does`, async () => {
      const page = await e.page(390);
      await e.login(page, 'dangyuan');
      await page.getByText('政治生日').waitFor();
      const toggle = page.getByRole('switch', { name: '大字模式' });
      // The switch is labelled in words on the page, not only for screen readers.
      await page.locator('.xf-large-toggle').getByText('大字模式').waitFor();
      if ((await toggle.getAttribute('aria-checked')) !== String(large)) {
        await toggle.click();
        await page.waitForFunction((on) => document.documentElement.classList.contains('xf-large') === on, large);
      }
      const problems: string[] = [];
      try {
        for (const p of PAGES) {
          await page.goto(p.url);
          await page.getByText(p.ready).first().waitFor();
          await page.waitForLoadState('networkidle');
          for (const s of await smallTargets(page, min)) problems.push(`${p.url}: ${s.what} ${s.w}×${s.h}`);
          await e.shot(page, `touch-${p.name}-${large ? 'large-' : ''}390`);
        }
        await page.goto('/');
        await page.getByText('政治生日').waitFor();
        await page.getByRole('button', { name: '打开菜单' }).click();
        await page.locator('.ant-drawer-content-wrapper').waitFor();
        // The drawer slides in: measure it where it stops.
        await page.waitForFunction(() => !document.querySelector('.ant-drawer [class*="motion"][class*="-active"]'));
        for (const s of await smallTargets(page, min)) problems.push(`menu: ${s.what} ${s.w}×${s.h}`);
        await e.shot(page, `touch-menu-${large ? 'large-' : ''}390`);
      } finally {
        // Leave the account as it was for the other tests.
        if (large) {
          await page.goto('/');
          const sw = page.getByRole('switch', { name: '大字模式' });
          if ((await sw.getAttribute('aria-checked')) === 'true') await sw.click();
          await page.waitForFunction(() => !document.documentElement.classList.contains('xf-large'));
        }
      }
      assert.deepEqual(problems, [], `controls smaller than ${min} px:\n${problems.join('\n')}`);
    });
  }
});
