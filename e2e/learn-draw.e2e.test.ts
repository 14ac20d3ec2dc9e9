/**
 * 随机组卷 in the browser: the secretary defines an exam as counts per type drawn from 党史 and 理论 (the form
 * shows how many the bank holds and refuses more), a member takes it on a 390px phone and a reload shows the
 * same paper; the exam list says every learner gets their own paper. Photographed at 1280 and 390.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { setClock } from '@xianfeng/shared';
import { apiCall, choicesAtLeast, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const TITLE = '支部随机小测';

describe('随机组卷 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    setClock(null);
    await e.close();
  });
  const it = itWithShots(() => e, 'learn-draw');

  it('lets the secretary define a random paper by categories and counts per type', async () => {
    for (const width of [390, 1280]) {
      const page = await e.page(width);
      await e.login(page, 'shuji');
      await page.goto('/learn?tab=manage');
      const bank = page.getByTestId('learn-bank');
      await bank.getByRole('button', { name: '随机组卷' }).click();
      const dialog = page.getByRole('dialog', { name: /随机组卷/ });
      await dialog.getByLabel('考试名称').fill(TITLE);
      await dialog.getByRole('checkbox', { name: '党史' }).check();
      await dialog.getByRole('checkbox', { name: '理论' }).check();
      // The demo's group bank: 党史 and 理论 hold 4 single-choice, 1 multiple-choice and 2 true/false questions.
      await dialog.getByText('单选题（可抽 4 道）').waitFor();
      await dialog.getByText('判断题（可抽 2 道）').waitFor();
      await dialog.getByLabel('单选题数量').fill('5');
      await dialog.getByLabel('判断题数量').fill('2');
      await dialog.getByRole('button', { name: '发布考试' }).click();
      await dialog.getByText('最多 4 道').waitFor();
      await dialog.getByLabel('单选题数量').fill('3');
      await dialog.getByText('最多 4 道').waitFor({ state: 'detached' });
      await e.shot(page, `learn-draw-form-${width}`);
      if (width === 390) {
        // By difficulty: of the demo's 党史 and 理论 questions one single choice is 难, one fill-in 易.
        await dialog.getByRole('checkbox', { name: '难', exact: true }).check();
        await dialog.getByText('单选题（可抽 1 道）').waitFor();
        await dialog.getByText('填空题（可抽 0 道）').waitFor();
        await dialog.getByRole('checkbox', { name: '难', exact: true }).uncheck();
        await dialog.getByText('填空题（可抽 1 道）').waitFor();
        await noOverflow(page, 'the random-paper form at 390px');
        await choicesAtLeast(dialog.getByRole('group', { name: '抽题分类' }), 44);
        await choicesAtLeast(dialog.getByRole('group', { name: '难度' }), 44);
        await dialog.getByRole('button', { name: '取 消' }).click();
        continue;
      }
      await dialog.getByRole('button', { name: '发布考试' }).click();
      await page.getByText(`考试「${TITLE}」已发布，共 5 题`).waitFor();
    }
    const shuji = (await apiCall(e, 'POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD }))
      .token as string;
    const exams = await apiCall(e, 'GET', '/learn/exams?pageSize=50', shuji);
    const made = exams.items.filter((x: { title: string }) => x.title === TITLE);
    assert.equal(made.length, 1, 'one exam published (the 390 form was cancelled)');
    assert.deepEqual(made[0].draw, {
      categories: ['党史', '理论'],
      counts: { single: 3, multi: 0, judge: 2, fill: 0 },
    });
  });

  it('gives the member their own paper, the same after a reload, on a phone', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.goto('/learn?tab=practice');
    const row = page.getByRole('listitem').filter({ hasText: TITLE });
    await row.getByText('5 题（每人随机抽题）', { exact: false }).waitFor();
    await row.getByRole('button', { name: /开始考试/ }).click();
    await page.waitForURL(/\/learn\/attempts\//);
    const questions = page.locator('.xf-learn-question');
    await questions.first().waitFor();
    assert.equal(await questions.count(), 5);
    const stems = await questions.locator('.ant-typography strong').allInnerTexts();
    assert.deepEqual(
      stems.map((s) => s.replace(/^\d+\. \[(.+?)\].*$/, '$1')),
      ['单选题', '单选题', '单选题', '判断题', '判断题'],
      'singles first, then true/false',
    );
    await noOverflow(page, 'the random paper at 390px');
    await e.shot(page, 'learn-draw-paper-390');
    await page.reload();
    await questions.first().waitFor();
    assert.deepEqual(
      await questions.locator('.ant-typography strong').allInnerTexts(),
      stems,
      'a reload shows the same paper',
    );
    for (let i = 0; i < 5; i++) await questions.nth(i).locator('.ant-radio-wrapper').first().click();
    await page.getByRole('button', { name: /交\s*卷/ }).click();
    await page.getByText(/得分 \d+/).waitFor();
    assert.equal(await page.locator('.xf-learn-right, .xf-learn-wrong').count(), 5);
    await e.shot(page, 'learn-draw-result-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('lists the random exam at 1280 for the member', async () => {
    const page = await e.page(1280);
    await e.login(page, 'dangyuan');
    await page.goto('/learn?tab=practice');
    const row = page.getByRole('listitem').filter({ hasText: TITLE });
    await row.getByText('已考 1/3 次', { exact: false }).waitFor();
    await e.shot(page, 'learn-draw-exams-1280');
  });
});
