/**
 * 驾驶舱 in the browser: the group's org admin opens it from the menu on a 1280px desktop and
 * sees the figures the API computes (members, collection rate, branches on track, the two
 * branches overdue for 换届), each with what it counts and 统计时间; the 换届 warning leads to
 * the org page that fixes it. On a 390px phone the cards stack without sideways scrolling, also
 * in 大字模式, and another org is chosen through the address.
 * On 1 July (#16 item 9) the leader sees June — the last complete month — beside July for meeting
 * compliance and dues collection, and picks the org through the labelled 统计范围 selector by typing.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs, setClock, type Dashboard } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, startE2e, type E2e } from './harness';

/** Waits until no antd spinner turns and no animation runs, so a screenshot shows the loaded page. */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-spin-spinning, .ant-skeleton').length === 0 &&
      document.getAnimations().every((a) => a.playState !== 'running'),
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
    assert.match(
      await members.innerText(),
      new RegExp(`正式党员 ${d.members.full} 人，预备党员 ${d.members.probationary} 人`),
    );
    assert.match(await members.innerText(), /在册党员/, 'the figure says what it counts');
    assert.ok((await page.getByTestId('dash-dues').innerText()).includes(pct(d.dues.collectionRate)));
    assert.ok(
      (await page.getByTestId('dash-meetings').innerText()).includes(
        `${d.meetings.onTrack} / ${d.meetings.units} 个党支部达标`,
      ),
    );
    assert.match(await page.getByTestId('dash-arrears').innerText(), new RegExp(`${d.dues.arrears3Members}\\s*人`));
    await page
      .getByTestId('dash-asof')
      .getByText(/统计时间：\d{4}\/\d{1,2}\/\d{1,2}/)
      .waitFor();
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

  it('on 1 July shows June beside July for compliance and dues, and the labelled org selector finds 电力 by typing', async () => {
    const offset = nowMs() - Date.now();
    setClock('2026-07-01');
    try {
      for (const width of [1280, 390]) {
        const page = await e.page(width);
        await e.login(page, 'zuzhibu');
        await page.goto('/dashboard');
        const meetings = page.getByTestId('dash-meetings');
        await meetings.getByText('2026 年截至 2026 年 6 月底').waitFor();
        await meetings.getByText('2026 年 7 月（进行中）已开展').waitFor();
        const dues = page.getByTestId('dash-dues');
        await dues.getByText('2026 年 6 月（上月）').waitFor();
        await dues.getByText('2026 年 7 月（进行中）').waitFor();
        const d = await apiGet<Dashboard>(page, '/dashboard');
        assert.equal(d.meetings.through, '2026-06-30');
        assert.ok((await page.getByTestId('dash-meetings-done').innerText()).includes(pct(d.meetings.onTrackRate)));
        assert.ok((await page.getByTestId('dash-meetings-running').innerText()).includes(pct(d.meetings.current.rate)));
        assert.ok(
          (await page.getByTestId('dash-dues-done').innerText()).includes(pct(d.dues.lastMonth.collectionRate)),
        );
        assert.ok((await page.getByTestId('dash-dues-running').innerText()).includes(pct(d.dues.collectionRate)));
        assert.ok((await meetings.innerText()).includes(`${d.meetings.onTrack} / ${d.meetings.units} 个党支部达标`));
        await settled(page);
        if (width === 390) await noOverflow(page, '驾驶舱 on 1 July at 390px');
        await e.shot(page, `dashboard-july1-${width}`);
        if (width === 1280) {
          // The selector is labelled: found by its label, searched by typing.
          await page.getByLabel('统计范围（组织）').focus();
          await page.keyboard.type('电力');
          await page
            .locator('.ant-select-dropdown:visible .xf-org-hit')
            .filter({ has: page.locator('.xf-org-hit-name', { hasText: /^华夏电力有限公司党委（/ }) })
            .click();
          await page.getByText('驾驶舱 · 华夏电力有限公司党委').waitFor();
          await page.getByTestId('dash-meetings').getByText('2026 年截至 2026 年 6 月底').waitFor();
        }
      }
    } finally {
      setClock(new Date(Date.now() + offset));
    }
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
    const [a, b] = [
      await page.getByTestId('dash-members').boundingBox(),
      await page.getByTestId('dash-develop').boundingBox(),
    ];
    assert.ok(a && b && b.y >= a.y + a.height, 'the figure cards stack one under another');
    await e.shot(page, 'dashboard-390');

    const top = (await apiGet<Dashboard>(page, '/dashboard')).org.orgId;
    const children = await apiGet<{ items: { id: string; name: string }[] }>(
      page,
      `/orgs?parentId=${top}&pageSize=200`,
    );
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
