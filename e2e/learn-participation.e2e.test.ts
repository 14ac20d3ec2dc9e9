/**
 * 学习参与率 opens the list behind it (issue #23), at 1280 and 390 px: the group's org admin drills the 驾驶舱 down to
 * a company (through 下级组织对比's links, as a keyboard user), opens the 学习参与率 figure, and lands on the learning
 * Manage tab for that company — not their own org — with 「本月未参加学习的党员」 listed; the list's 共 N 人 is the
 * figure's members less its learners, and the 已参加 switch lists exactly its learners, both kept in the address.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Dashboard, DashboardChildren } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, settled, startE2e, type E2e } from './harness';

/** The number in the list's 「共 N 人」 once the list for `learned` has loaded. */
async function listTotal(page: Page) {
  const card = page.getByTestId('learn-participation-members');
  await card.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  const t = card.getByTestId('learn-participation-total');
  await t.waitFor();
  return Number((await t.innerText()).replace(/\D/g, ''));
}

describe('学习参与率 → the members behind it', () => {
  let e: E2e;
  const it = itWithShots(() => e, 'learn-participation');
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('leads from a company’s 学习参与率 on the 驾驶舱 to that company’s members who have not learned this month, at 1280 and 390', async () => {
    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'zuzhibu');
      await page.goto('/dashboard');
      const top = (await apiGet<Dashboard>(page, '/dashboard')).org.orgId;
      const c = await apiGet<DashboardChildren>(page, `/stats/children?orgId=${top}&pageSize=10`);
      const company = c.rows.find((r) => r.orgName === '华夏电力有限公司党委')!;
      // Drill down: the chart's bars are links for the keyboard too.
      const link = page.getByTestId('dash-children').getByRole('link', { name: /^华夏电力有限公司党委：/ });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.getByText('驾驶舱 · 华夏电力有限公司党委').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('orgId'), company.orgId);

      const d = await apiGet<Dashboard>(page, `/dashboard?orgId=${company.orgId}`);
      const { learners, members } = d.learning;
      assert.ok(learners > 0 && learners < members, JSON.stringify(d.learning));
      const figure = page.getByTestId('dash-learning');
      await figure.scrollIntoViewIfNeeded();
      assert.match(await figure.innerText(), new RegExp(`本月参加学习的党员 ${learners} / ${members} 人`));
      if (width < 768) await page.getByTestId('dash-learning-link').tap();
      else await page.getByTestId('dash-learning-link').click();

      await page.waitForURL((u) => u.pathname === '/learn');
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('tab'), 'manage');
      assert.equal(url.searchParams.get('orgId'), company.orgId);
      assert.equal(url.searchParams.get('learned'), 'no');
      const part = page.getByTestId('learn-participation');
      await part.getByText(`/ ${members}`).waitFor();
      await page
        .getByTestId('learn-participation-members')
        .getByText('华夏电力有限公司党委及下级组织本月未参加学习的党员')
        .waitFor();
      assert.equal(
        await listTotal(page),
        members - learners,
        'the list counts the members the figure says did not learn',
      );
      const rows = page.getByTestId('learn-participation-members').locator('tbody tr.ant-table-row');
      assert.equal(await rows.count(), Math.min(20, members - learners));
      assert.match(await rows.first().innerText(), /未参加/);
      await settled(page);
      if (width === 390) await noOverflow(page, '学习参与率 list at 390px');
      await e.shot(page, `learn-participation-no-${width}`);

      // The switch: those who did learn, as many as the figure's learners, each with their latest day this month.
      await page
        .getByTestId('learn-participation-members')
        .locator('.ant-segmented-item', { hasText: '已参加' })
        .click();
      await page.waitForURL((u) => u.searchParams.get('learned') === 'yes');
      // The address changes before the list is asked again: wait for the rows only 已参加 has, then read its total.
      await rows
        .filter({ hasText: /最近 \d\d-\d\d/ })
        .first()
        .waitFor();
      assert.equal(await listTotal(page), learners);
      assert.match(await rows.first().innerText(), /最近 \d\d-\d\d/);
      await settled(page);
      await e.shot(page, `learn-participation-yes-${width}`);
      await page.close();
    }
    assert.deepEqual(e.pageErrors, []);
  });
});
