/**
 * 党内统计年报 in the browser (issue 23): the group's org admin opens 党内统计 from the menu on a 1280px desktop,
 * sees the checks first and the tables the API computes (合计 of 党统 1 表), exports the .xlsx, and follows the
 * check of a full member without 转正时间 to that member's record, opened for editing. On a 390px phone the page
 * does not scroll sideways (the wide tables scroll inside themselves).
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { randomMember, seededRandom } from '../apps/server/src/demo/people';
import { addYears, todayInChina, type AnnualReport } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { DOWNLOAD_WAIT, apiCall, apiGet, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-spin-spinning, .ant-skeleton').length === 0 &&
      document.getAnimations().every((a) => a.playState !== 'running'),
  );
}

describe('党内统计年报 in the browser', () => {
  let e: E2e;
  const it = itWithShots(() => e, 'annual');
  let brokenId = '';
  before(async () => {
    e = await startE2e();
    // A demo-like record with a gap the tables need filled: a full member without 转正时间.
    const { token } = await apiCall(e, 'POST', '/auth/login', null, { username: 'zuzhibu', password: DEMO_PASSWORD });
    const branches = await apiCall(e, 'GET', '/orgs/search?q=研发中心党支部', token);
    const orgId = (branches.items as { id: string; name: string }[]).find((o) => o.name === '研发中心党支部')!.id;
    const base = randomMember(seededRandom(2303), orgId, { today: todayInChina() });
    const created = await apiCall(e, 'POST', '/members', token, {
      ...base,
      name: '缺转正测试',
      status: 'full',
      joinedAt: addYears(base.birthDate, 25),
      fullAt: null,
    });
    brokenId = created.id;
  });
  after(() => e.close());

  it('shows the org admin the checks and the tables, exports them, and leads from a problem to the record that fixes it', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.getByRole('menuitem', { name: /党内统计/ }).click();
    await page.waitForURL('**/stats/annual');
    await page.getByTestId('annual-checks').waitFor();
    const r = await apiGet<AnnualReport>(page, '/stats/annual-report');
    assert.equal(r.org.orgName, '华夏能源集团党委');
    await page.getByTestId('annual-asof').getByText(`截至 ${r.date}`).waitFor();
    const t1 = r.tables[0]!;
    const total = page.getByTestId(`annual-table-${t1.code}`).locator('tr.xf-annual-total');
    assert.equal(
      (await total.locator('td').allInnerTexts()).map((s) => s.trim()).join(' '),
      ['合计', ...t1.rows[0]!.values].join(' '),
    );
    const check = r.checks.find((c) => c.code === 'missing_full_at')!;
    assert.equal(check.ok, false);
    await page.getByTestId('annual-checks').getByText(check.message).click();
    await page.getByTestId('annual-check-missing_full_at').getByRole('link', { name: '缺转正测试' }).waitFor();
    await page.getByRole('tab', { name: '党员基本情况' }).click();
    await page.getByTestId('annual-table-basic').waitFor();
    await settled(page);
    await e.shot(page, 'annual-1280');

    const [download] = await Promise.all([
      page.waitForEvent('download', DOWNLOAD_WAIT),
      page.getByRole('button', { name: /导出 Excel/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^党内统计年报-华夏能源集团党委-\d{4}-12-31\.xlsx$/);

    await page.getByTestId('annual-check-missing_full_at').getByRole('link', { name: '缺转正测试' }).click();
    await page.waitForURL(new RegExp(`/members/${brokenId}\\?edit=fullAt`));
    await page.getByRole('button', { name: /保\s*存/ }).waitFor();
    assert.deepEqual(e.pageErrors, []);
  });

  it('fits a 390px phone: checks and tables without sideways scrolling', async () => {
    const page = await e.page(390);
    await e.login(page, 'zuzhibu');
    await page.goto('/stats/annual?table=age');
    await page.getByTestId('annual-checks').waitFor();
    await page.getByTestId('annual-table-age').waitFor();
    await settled(page);
    await noOverflow(page, '党内统计年报');
    await e.shot(page, 'annual-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
