/**
 * 困难帮扶 in the browser (issue 22): the 书记 张建国 (shuji) reads the 年度复核汇总 at 1280px and on a 390px phone — the
 * demo's case, never reviewed, is in the year's not-reviewed list and opens from it; at 1280px he opens the branch's
 * case, reads the situation, logs a visit and closes it by a review; 陈志远 (dangyuan), a member, has no such menu on
 * his 390px phone and the page's data is refused to him; another branch's 书记 does not see the case.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, startE2e, type E2e } from './harness';

describe('困难帮扶 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'hardship');

  // First, while the demo's case is open and has never been reviewed (the next test closes it).
  it('the 书记 reads the 年度复核汇总 at 1280px and on a 390px phone: the demo case is not reviewed this year and opens from the list', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /困难帮扶/ }).click();
    await page.waitForURL('**/hardship');
    await page.getByRole('tab', { name: '年度复核汇总' }).click();
    await page.waitForURL('**/hardship?tab=summary');
    // The demo case's line (a table row at 1280, a card at 390): the figures, no situation text, and the case opens.
    const seesSummary = async (p: Page, line: Locator, shot: string) => {
      await line.waitFor();
      await p.getByText('本年未复核（户）').waitFor();
      const panel = await p.locator('.xf-hardship-summary').innerText();
      assert.match(panel, /比较困难/);
      assert.ok(!panel.includes('住院'), 'no situation text in the summary');
      await noOverflow(p, `the 年度复核汇总 (${shot})`);
      await e.shot(p, shot);
      await line.locator('a').first().click();
      await p
        .locator('.ant-drawer-content')
        .getByText(/配偶患重病长期住院/)
        .waitFor();
      await noOverflow(p, `the case drawer (${shot})`);
    };
    await seesSummary(page, page.getByRole('row').filter({ hasText: '从未复核' }).first(), 'hardship-summary-1280');

    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto('/hardship?tab=summary');
    await seesSummary(
      phone,
      phone.locator('.xf-hardship-summary .ant-list-item').filter({ hasText: '从未复核' }).first(),
      'hardship-summary-390',
    );
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 书记 opens the branch’s case at 1280px and logs a visit', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /困难帮扶/ }).click();
    await page.waitForURL('**/hardship');
    const row = page.getByRole('row').filter({ hasText: '比较困难' }).first();
    await row.waitFor();
    assert.ok(!(await page.locator('.ant-table').innerText()).includes('住院'), 'no situation in the list');
    await e.shot(page, 'hardship-list-1280');
    await row.click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByText(/配偶患重病长期住院/).waitFor();
    await drawer.getByLabel('走访人').fill('张建国');
    await drawer.getByLabel('帮扶内容').fill('春节前走访慰问');
    await drawer.getByLabel('金额（元，可不填）').fill('500');
    await drawer.getByRole('button', { name: '登记走访' }).click();
    await page.getByText('走访记录已登记').waitFor();
    await drawer.getByRole('cell', { name: '春节前走访慰问' }).waitFor();
    await drawer.getByText('2500.00 元').waitFor();
    await e.shot(page, 'hardship-case-1280');
    // 复核: the case is closed (脱困); the entry shows in its record list and the drawer says 已结案.
    await drawer.getByRole('checkbox', { name: '结案（已脱困）' }).check();
    await drawer.getByLabel('复核情况').fill('配偶康复出院，家庭收入恢复正常。');
    await drawer.getByRole('button', { name: '登记复核' }).click();
    await page.getByText('复核已登记').waitFor();
    await drawer.getByRole('cell', { name: '复核：结案（已脱困）' }).waitFor();
    await drawer.getByText('已结案').first().waitFor();
    await e.shot(page, 'hardship-review-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('a member has no 困难帮扶 menu on a 390px phone and is refused its data; another branch’s 书记 sees no case', async () => {
    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.getByRole('button', { name: '打开菜单' }).click();
    await phone.getByRole('menuitem', { name: /我的志愿服务/ }).waitFor();
    assert.equal(await phone.getByRole('menuitem', { name: /困难帮扶/ }).count(), 0);
    await noOverflow(phone, 'the menu at 390px');
    await e.shot(phone, 'hardship-member-menu-390');
    await assert.rejects(apiGet(phone, '/hardship/cases'), /403|角色无权/);
    const other = await e.page(1280);
    await e.login(other, 'shuji2');
    const list = await apiGet<{ total: number }>(other, '/hardship/cases');
    assert.equal(list.total, 0);
  });
});
