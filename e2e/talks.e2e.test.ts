/**
 * 谈心谈话 in the browser (issue 22): the 书记 张建国 (shuji) at 1280px opens the branch's yearly coverage, records a
 * talk with a member he has not talked with and sees his seat's count go up, then reminds the seats behind; at 390px
 * the page fits the phone; a member (dangyuan) has no such menu.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { apiGet, itWithShots, noOverflow, startE2e, type E2e } from './harness';

type Seat = { memberId: string; name: string; covered: number; due: number };
type Coverage = { seats: Seat[]; items: { memberId: string; name: string; bySeat: Record<string, string> }[] };

/** Picks the option `option` of the antd Select labelled `label`, typing `search` first when given; waits until it holds it. */
async function choose(page: Page, label: string, option: string, search?: string) {
  const dialog = page.locator('.ant-modal-content');
  const select = dialog.locator('.ant-select').filter({ has: page.getByLabel(label, { exact: true }) });
  const chosen = select.locator('.ant-select-selection-item', { hasText: option });
  for (let attempt = 1; ; attempt += 1) {
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    if (!(await page.locator('.ant-select-dropdown:visible').count()))
      await select.locator('.ant-select-selector').click();
    if (search) await page.getByLabel(label, { exact: true }).fill(search);
    const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first();
    await item.waitFor();
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await item.click();
    try {
      await chosen.waitFor({ timeout: 3000 });
      return;
    } catch (err) {
      if (attempt >= 3)
        throw new Error(`the select 「${label}」 did not take 「${option}」 after ${attempt} choices`, { cause: err });
    }
  }
}

describe('谈心谈话 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'talks');

  it('the 书记 sees the year’s coverage at 1280px, records a talk and his seat’s count goes up, then reminds the seats', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /谈心谈话/ }).click();
    await page.waitForURL('**/talks');
    await page.getByText('委员—党员覆盖').waitFor();
    const orgs = await apiGet<{ items: { id: string; name: string }[] }>(page, '/orgs/search?q=第一发电厂党支部');
    const branch = orgs.items.find((o) => o.name === '第一发电厂党支部');
    assert.ok(branch, 'the demo branch');
    const cov = await apiGet<Coverage>(page, `/orgs/${branch.id}/talk-coverage?pageSize=200`);
    const me = cov.seats.find((s) => s.name === '张建国');
    assert.ok(me, `张建国 holds a seat: ${JSON.stringify(cov.seats)}`);
    const target = cov.items.find((i) => i.memberId !== me.memberId && !i.bySeat[me.memberId]);
    assert.ok(target, 'a member 张建国 has not talked with');
    const card = page.locator('.xf-talk-seats .ant-card').filter({ hasText: '张建国' });
    await card.getByText(`已谈 ${me.covered} / ${me.due} 人`).waitFor();
    await page.getByRole('cell', { name: '未谈' }).first().waitFor();
    await e.shot(page, 'talks-coverage-1280');

    await page.getByRole('button', { name: '登记谈话' }).click();
    await page.locator('.ant-modal-content').getByText('登记谈心谈话').waitFor();
    await choose(page, '谈话对象', target.name, target.name);
    await choose(page, '谈话人', '张建国');
    await page.getByLabel('谈话要点', { exact: true }).fill('了解了近期工作和家庭情况。');
    await e.shot(page, 'talks-record-1280');
    await page
      .getByRole('button', { name: '登 记' })
      .or(page.getByRole('button', { name: '登记', exact: true }))
      .click();
    await page.getByText('已登记').first().waitFor();
    await card.getByText(`已谈 ${me.covered + 1} / ${me.due} 人`).waitFor();

    await page.getByRole('button', { name: '提醒委员' }).click();
    await page
      .getByText(/已提醒 \d+ 名委员|今天已提醒过/)
      .first()
      .waitFor();

    await page.getByRole('tab', { name: '谈话记录' }).click();
    await page.getByRole('cell', { name: target.name }).first().waitFor();
    await e.shot(page, 'talks-records-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('fits a 390px phone for the 书记; a member has no 谈心谈话 menu and is refused the coverage', async () => {
    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto('/talks');
    await phone.getByText('委员—党员覆盖').waitFor();
    await phone.getByRole('cell', { name: '未谈' }).first().waitFor();
    await noOverflow(phone, 'the coverage at 390px');
    await e.shot(phone, 'talks-coverage-390');

    const member = await e.page(390);
    await e.login(member, 'dangyuan');
    await member.getByRole('button', { name: '打开菜单' }).click();
    await member.getByRole('menuitem', { name: /我的志愿服务/ }).waitFor();
    assert.equal(await member.getByRole('menuitem', { name: /谈心谈话/ }).count(), 0);
    const orgs = await apiGet<{ items: { id: string; name: string }[] }>(phone, '/orgs/search?q=第一发电厂党支部');
    const branch = orgs.items.find((o) => o.name === '第一发电厂党支部')!;
    await assert.rejects(apiGet(member, `/orgs/${branch.id}/talk-coverage`), /403|角色无权/);
    assert.deepEqual(e.pageErrors, []);
  });
});
