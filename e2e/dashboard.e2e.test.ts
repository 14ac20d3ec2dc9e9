/**
 * 驾驶舱 in the browser: the group's org admin opens it from the menu on a 1280px desktop and
 * sees the figures the API computes (members, collection rate, branches on track, the two
 * branches overdue for 换届), each with what it counts and 统计时间; the 换届 warning leads to
 * the org page that fixes it. On a 390px phone the cards stack without sideways scrolling, also
 * in 大字模式, and another org is chosen through the address.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Dashboard } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, startE2e, type E2e } from './harness';

/** Waits until no antd spinner turns and no animation runs, so a screenshot shows the loaded page. */
async function settled(page: Page) {
  await page.waitForFunction(
    () => document.querySelectorAll('.ant-spin-spinning, .ant-skeleton').length === 0 && document.getAnimations().every((a) => a.playState !== 'running'),
  );
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

describe('驾驶舱 in the browser', () => {
  let e: E2e;
  const it = itWithShots(() => e, 'dashboard');
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('shows the org admin the group’s real figures with what they count, and leads from a warning to the page that fixes it', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.getByRole('menuitem', { name: /驾驶舱/ }).click();
    await page.waitForURL('**/dashboard');
    await page.getByTestId('dash-members').waitFor();
    const d = await apiGet<Dashboard>(page, '/dashboard');
    assert.equal(d.org.orgName, '华夏能源集团党委');
    assert.ok(d.members.total > 100);
    const members = page.getByTestId('dash-members');
    assert.match(await members.innerText(), new RegExp(`党员总数\\s*${d.members.total}`));
    assert.match(await members.innerText(), new RegExp(`正式党员 ${d.members.full} 人，预备党员 ${d.members.probationary} 人`));
    assert.match(await members.innerText(), /在册党员/, 'the figure says what it counts');
    assert.ok((await page.getByTestId('dash-dues').innerText()).includes(pct(d.dues.collectionRate)));
    assert.ok((await page.getByTestId('dash-meetings').innerText()).includes(`${d.meetings.onTrack} / ${d.meetings.units} 个党支部达标`));
    assert.match(await page.getByTestId('dash-arrears').innerText(), new RegExp(`${d.dues.arrears3Members}\\s*人`));
    await page.getByTestId('dash-asof').getByText(/统计时间：\d{4}\/\d{1,2}\/\d{1,2}/).waitFor();
    const warnings = page.getByTestId('dash-warnings');
    await warnings.getByRole('link', { name: '2 个党组织换届逾期（任期已届满未换届）' }).waitFor();
    await warnings.getByRole('link', { name: '检修公司党支部' }).first().waitFor();
    await page.locator('.xf-dash-chart canvas').first().waitFor();
    await settled(page);
    await e.shot(page, 'dashboard-1280');

    await warnings.getByRole('link', { name: '海外项目部党支部' }).first().click();
    await page.waitForURL(/\/orgs\?org=/);
    await page.getByText('海外项目部党支部').first().waitFor();
    assert.deepEqual(e.pageErrors, []);
  });

  it('stacks the cards on a 390px phone without sideways scrolling, also in 大字模式, for another org in scope', async () => {
    const page = await e.page(390);
    await e.login(page, 'zuzhibu');
    await page.goto('/dashboard');
    await page.getByTestId('dash-members').waitFor();
    await page.locator('.xf-dash-chart canvas').first().waitFor();
    await settled(page);
    await noOverflow(page, '驾驶舱 at 390px');
    const [a, b] = [await page.getByTestId('dash-members').boundingBox(), await page.getByTestId('dash-develop').boundingBox()];
    assert.ok(a && b && b.y >= a.y + a.height, 'the figure cards stack one under another');
    await e.shot(page, 'dashboard-390');

    const top = (await apiGet<Dashboard>(page, '/dashboard')).org.orgId;
    const children = await apiGet<{ items: { id: string; name: string }[] }>(page, `/orgs?parentId=${top}&pageSize=200`);
    const orgId = children.items.find((o) => o.name === '华夏电力有限公司党委')!.id;
    await page.goto(`/dashboard?orgId=${orgId}`);
    await page.getByText('驾驶舱 · 华夏电力有限公司党委').waitFor();
    const d = await apiGet<Dashboard>(page, `/dashboard?orgId=${orgId}`);
    assert.match(await page.getByTestId('dash-members').innerText(), new RegExp(`党员总数\\s*${d.members.total}`));
    await page.getByRole('switch', { name: '大字模式' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    await settled(page);
    await noOverflow(page, '驾驶舱 in 大字模式 at 390px');
    await e.shot(page, 'dashboard-large-390');
    await page.getByRole('switch', { name: '大字模式' }).click();
    assert.deepEqual(e.pageErrors, []);
  });
});
