/**
 * 决策参考 in the browser (issue 23): the group's org admin opens it from the menu on a 1280px desktop, sees the
 * branches the API lists with their reasons, reads a reason's source and follows its link to the page that fixes
 * it; it ticks 「新增的在前」 and the orgs with something new since the end of last month come first, tagged 新增/加重.
 * 薄弱环节 ranks the reasons by how many orgs they touch; choosing the weakest lists only its orgs, 全部 brings all back.
 * On a 390px phone the list does not scroll sideways and the ranking still filters
 * (that a member cannot read it is proved by the API test, stats/attention.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { AttentionList } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, startE2e, type E2e } from './harness';

async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-spin-spinning, .ant-skeleton').length === 0 &&
      document.getAnimations().every((a) => a.playState !== 'running'),
  );
}

/** Checks the ranking's order against the API's counts, chooses the weakest reason, and sees only its orgs. */
async function weakest(page: Page, l: AttentionList) {
  const ranked = l.rules.filter((x) => l.counts[x.code]).sort((a, b) => l.counts[b.code]! - l.counts[a.code]!);
  const tags = page.getByTestId('attention-weakest').locator('.ant-tag-checkable');
  assert.deepEqual(
    (await tags.allTextContents()).slice(1),
    ranked.map((x) => `${x.label} ${l.counts[x.code]}`),
  );
  const top = ranked[0]!;
  await tags.nth(1).click();
  await page.waitForURL((u) => u.searchParams.get('code') === top.code);
  const only = await apiGet<AttentionList>(page, `/stats/attention?code=${top.code}`);
  assert.equal(only.total, l.counts[top.code]);
  await page.getByTestId('attention-summary').getByText(`${only.total} 个党组织有「${top.label}」问题`).waitFor();
  await page.getByTestId('attention-item').first().getByText(only.items[0]!.orgName, { exact: true }).waitFor();
  assert.equal(await page.getByTestId('attention-item').count(), Math.min(only.total, 20));
  await settled(page);
}

describe('决策参考 in the browser', () => {
  let e: E2e;
  const it = itWithShots(() => e, 'attention');
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('shows the org admin the branches needing attention, each reason with its source and a link that leads to the fix', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.getByRole('menuitem', { name: /决策参考/ }).click();
    await page.waitForURL('**/stats/attention');
    await page.getByTestId('attention-summary').waitFor();
    const l = await apiGet<AttentionList>(page, '/stats/attention');
    assert.equal(l.org.orgName, '华夏能源集团党委');
    assert.ok(l.total > 0, 'the demo has branches needing attention');
    await page.getByTestId('attention-summary').getByText(`${l.total} 个党组织需要关注`).waitFor();
    const first = l.items[0]!;
    const item = page.getByTestId('attention-item').first();
    await item.getByText(first.orgName, { exact: true }).waitFor();
    const reason = first.reasons[0]!;
    await item.getByRole('link', { name: reason.message }).waitFor();
    await settled(page);
    await e.shot(page, 'attention-1280');

    // What got worse since the end of last month: the count, then 新增的在前 (the order and the tags the API gives).
    await page
      .getByTestId('attention-new-summary')
      .getByText(`与上月末（${l.previous}）相比：${l.newOrgs} 个党组织有新增或加重的问题，新增 ${l.newReasons} 项`)
      .waitFor();
    await page.getByRole('checkbox', { name: '新增的在前' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'new');
    const n = await apiGet<AttentionList>(page, '/stats/attention?sort=new');
    assert.equal(n.total, l.total);
    const top = n.items[0]!;
    const topItem = page.getByTestId('attention-item').first();
    await topItem.getByText(top.orgName, { exact: true }).waitFor();
    const topNew = top.reasons.filter((x) => x.new).length;
    if (topNew > 0) assert.equal(await topItem.getByTestId('attention-new').count(), topNew);
    await settled(page);
    await e.shot(page, 'attention-new-1280');
    await page.getByRole('checkbox', { name: '新增的在前' }).click();
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    await item.getByText(first.orgName, { exact: true }).waitFor();

    // 薄弱环节: the reasons in the order of how many orgs they touch; the weakest lists only its orgs.
    await weakest(page, l);
    await e.shot(page, 'attention-weakest-1280');
    await page.getByTestId('attention-weakest').getByText('全部', { exact: true }).click();
    await page.waitForURL((u) => !u.searchParams.has('code'));
    await page.getByTestId('attention-summary').getByText(`${l.total} 个党组织需要关注`).waitFor();

    await item.getByText('依据').first().hover();
    await page.locator('.ant-popover').getByText(reason.citation.slice(0, 12)).first().waitFor();
    await item.getByRole('link', { name: reason.message }).click();
    await page.waitForURL((u) => `${u.pathname}${u.search}` === reason.link);
    assert.deepEqual(e.pageErrors, []);
  });

  it('fits a 390px phone', async () => {
    const page = await e.page(390);
    await e.login(page, 'zuzhibu');
    await page.goto('/stats/attention');
    await page.getByTestId('attention-item').first().waitFor();
    await settled(page);
    await noOverflow(page, '决策参考');
    await e.shot(page, 'attention-390');
    await weakest(page, await apiGet<AttentionList>(page, '/stats/attention'));
    await noOverflow(page, '决策参考（薄弱环节）');
    await e.shot(page, 'attention-weakest-390');

    assert.deepEqual(e.pageErrors, []);
  });
});
