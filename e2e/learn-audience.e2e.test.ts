/**
 * 必修对象 in the browser (issue #18): the demo's course for 预备党员 is marked 「预备党员必修」, not 必修, for a full
 * member (陈志远) on a phone; the secretary publishes a required item for 预备党员 through the form, sees the
 * activists' course counted over the branch's 入党积极分子 and 发展对象, and registers one's offline study.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { itWithShots, noOverflow, startE2e, type E2e } from './harness';

const FOR_PROBATIONERS = '预备党员必修：入党誓词与党员的权利义务';
const FOR_ACTIVISTS = '入党积极分子培训：党的基本知识';

describe('学习 required for a member category in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(async () => e.close());
  const it = itWithShots(() => e, 'learn-audience');

  it('marks a 预备党员 course as theirs, not as required, for a full member', async () => {
    for (const width of [390, 1280]) {
      const page = await e.page(width);
      await e.login(page, 'dangyuan');
      await page.goto('/learn');
      const row = page.locator('.xf-learn-item').filter({ hasText: FOR_PROBATIONERS });
      await row.getByText('预备党员必修', { exact: true }).waitFor();
      assert.equal(await row.getByText(/^必修/).count(), 0, 'not 必修 for him');
      const own = page.locator('.xf-learn-item').filter({ hasText: '《中国共产党章程》逐章导读' });
      await own.getByText(/^必修/).waitFor();
      if (width === 390) await noOverflow(page, 'the library at 390px');
      await row.scrollIntoViewIfNeeded();
      await e.shot(page, `learn-audience-member-${width}`);
    }
    assert.deepEqual(e.pageErrors, []);
  });

  it('lets the secretary publish for 预备党员 and register an activist’s offline study', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto('/learn?tab=manage');
    await page.getByRole('button', { name: '发布学习内容' }).click();
    const dialog = page.getByRole('dialog', { name: '发布学习内容' });
    await dialog.getByLabel('标题').fill('预备党员转正前必读');
    await dialog.getByLabel('必修截止日期（留空为选学）').fill('2099-12-31');
    await dialog
      .locator('.ant-select')
      .filter({ has: page.getByRole('combobox', { name: '必修对象' }) })
      .click();
    await page.locator('.ant-select-item-option').filter({ hasText: '预备党员' }).first().click();
    await e.shot(page, 'learn-audience-form-1280');
    await dialog.getByRole('button', { name: /发\s*布/ }).click();
    await page.waitForURL(/\/learn\/items\//);
    await page.getByText('预备党员必修', { exact: true }).first().waitFor();

    await page.goto('/learn?tab=manage');
    const required = page.getByTestId('learn-required');
    await required.getByRole('link', { name: new RegExp(FOR_ACTIVISTS) }).click();
    await page.waitForURL(/\/learn\/completion\/items\//);
    const view = page.getByTestId('learn-completion');
    await view.getByText('面向入党积极分子和发展对象').waitFor();
    const title = view.getByText(/未完成的入党积极分子和发展对象（(\d+) 人）/);
    await title.waitFor();
    const before = Number((await title.innerText()).match(/（(\d+) 人）/)![1]);
    assert.ok(before >= 1);
    await e.shot(page, 'learn-audience-activists-1280');
    await view.getByRole('button', { name: '登记线下学习' }).first().click();
    await page.getByText(/已登记 .+ 完成学习/).waitFor();
    await view.getByText(`未完成的入党积极分子和发展对象（${before - 1} 人）`).waitFor();
    assert.equal(
      (await page.getByTestId('completion-done').locator('.ant-statistic-content-value').innerText()).trim(),
      '1',
    );

    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto(page.url().replace(/^https?:\/\/[^/]+/, ''));
    await phone.getByTestId('learn-completion').getByText('面向入党积极分子和发展对象').waitFor();
    await phone.getByText(`未完成的入党积极分子和发展对象（${before - 1} 人）`).waitFor();
    await noOverflow(phone, 'the activists’ completion at 390px');
    await e.shot(phone, 'learn-audience-activists-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
