/**
 * 学习教育 in the browser: member `dangyuan` searches by pinyin initials (shyk → 三会一课), opens the
 * entry (its study time starts), does the day's practice and sees the keys and explanations; the
 * page fits a 390px phone; the secretary sees the branch's participation. Photographed at 1280 and 390.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { itWithShots, noOverflow, startE2e, type E2e } from './harness';

describe('学习教育 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'learn');

  it('finds 三会一课 by its pinyin initials and opens it', async () => {
    const page = await e.page(1280);
    await e.login(page, 'dangyuan');
    await page.getByRole('menuitem', { name: /学习教育/ }).click();
    await page.waitForURL('**/learn');
    await page.getByText('《中国共产党章程》逐章导读').first().waitFor();
    await e.shot(page, 'learn-library-1280');
    await page.getByLabel('搜索学习内容').fill('shyk');
    await page.getByLabel('搜索学习内容').press('Enter');
    await page.getByRole('link', { name: '三会一课', exact: true }).click();
    await page.waitForURL(/\/learn\/items\//);
    await page.getByText('党员大会一般每季度召开一次', { exact: false }).waitFor();
    await e.shot(page, 'learn-item-1280');
  });

  it('does the day’s practice and shows each answer with its explanation', async () => {
    const page = await e.page(1280);
    await e.login(page, 'dangyuan');
    await page.goto('/learn?tab=practice');
    await page.getByRole('button', { name: '开始今天的练习' }).click();
    await page.waitForURL(/\/learn\/attempts\//);
    const groups = page.locator('.xf-learn-question');
    await groups.first().waitFor();
    const n = await groups.count();
    assert.equal(n, 5);
    for (let i = 0; i < n; i++) await groups.nth(i).locator('.ant-radio-wrapper, .ant-checkbox-wrapper').first().click();
    await e.shot(page, 'learn-practice-1280');
    await page.getByRole('button', { name: /交\s*卷/ }).click();
    await page.getByText(/得分 \d+/).waitFor();
    assert.equal(await page.locator('.xf-learn-right, .xf-learn-wrong').count(), 5);
    await e.shot(page, 'learn-practice-result-1280');
  });

  it('fits a phone, and shows the secretary the participation', async () => {
    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto('/learn');
    await phone.getByText('《中国共产党章程》逐章导读').first().waitFor();
    await noOverflow(phone, 'the learn page at 390px');
    await e.shot(phone, 'learn-library-390');
    const page = await e.page(390);
    await e.login(page, 'shuji');
    await page.goto('/learn?tab=manage');
    await page.getByText('参与学习的党员').waitFor();
    await noOverflow(page, 'the manage tab at 390px');
    await e.shot(page, 'learn-manage-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
