/**
 * Issue 13 item 14 in the browser: the 系统管理员 sees that next year's holidays are missing, pastes the State
 * Council's notice, checks the dates read from it and saves the year; a text that is not a notice is refused
 * with what could not be read; the year can be removed again. Photographed at 1280 and 390 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { BUILTIN_CALENDAR, todayInChina } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { changeAdminPassword, confirmPop, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const NEW_PASSWORD = 'Calendar-Pass-2027';

async function openCalendar(page: Page) {
  if ((page.viewportSize()?.width ?? 1280) < 768) {
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menuitem', { name: /节假日安排/ }).click();
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  } else await page.getByRole('menuitem', { name: /节假日安排/ }).click();
  await page.locator('.ant-card-head-title', { hasText: /^节假日安排$/ }).waitFor();
}

describe('e2e: 节假日安排', () => {
  let e: E2e;
  const test = itWithShots(() => e, 'calendar');
  const year = Number(todayInChina().slice(0, 4)) + 1;

  before(async () => {
    e = await startE2e();
    await changeAdminPassword(e, NEW_PASSWORD);
  });
  after(async () => {
    assert.deepEqual(e.pageErrors, []);
    await e.close();
  });

  test('the 系统管理员 enters next year from the notice, checks the dates, saves and removes it', async () => {
    const p = await e.page(1280);
    await e.login(p, 'admin', NEW_PASSWORD);
    await openCalendar(p);
    await p.locator('.ant-table-row', { hasText: '2026' }).waitFor();
    if (!BUILTIN_CALENDAR.years.has(year)) await p.getByText(`${year} 年的节假日安排尚未录入`).waitFor();
    await e.shot(p, 'calendar-1280');

    // Not a notice: says what it could not read, and offers no save.
    await p.getByLabel('通知正文').fill('今天天气很好');
    await p.getByRole('button', { name: '识别日期' }).click();
    await p.getByText(/没有找到放假安排/).waitFor();
    assert.equal(await p.getByRole('button', { name: `保存 ${year} 年` }).isDisabled(), true);

    await p
      .getByLabel('通知正文')
      .fill(
        '一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。\n二、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。',
      );
    await p.getByRole('button', { name: '识别日期' }).click();
    const preview = p.locator('.xf-calendar-preview');
    await preview.getByText('放假（8 天）：01-01、01-02、01-03、05-01、05-02、05-03、05-04、05-05').waitFor();
    await preview.getByText('调休上班（1 天）：05-08').waitFor();
    await e.shot(p, 'calendar-preview-1280');
    await p.getByRole('button', { name: `保存 ${year} 年` }).click();
    await p.getByText(`已保存 ${year} 年的节假日安排`).waitFor();
    const row = p.locator('.ant-table-row', { hasText: String(year) });
    await row.getByText('已录入').waitFor();
    await row.getByText('8 天').waitFor();
    assert.equal(await p.getByText(`${year} 年的节假日安排尚未录入`).count(), 0);

    await confirmPop(p, row.getByRole('button', { name: /删\s*除/ }), /删\s*除/);
    await p.getByText(`已删除 ${year} 年的录入数据`).waitFor();
    await row.waitFor({ state: BUILTIN_CALENDAR.years.has(year) ? 'visible' : 'detached' });
    await p.close();
  });

  test('works on a 390 px phone without sideways scrolling', async () => {
    const p = await e.page(390);
    await e.login(p, 'admin', NEW_PASSWORD);
    await openCalendar(p);
    await p.locator('.ant-table-row', { hasText: '2026' }).waitFor();
    await p.getByLabel('通知正文').fill('一、元旦：1月1日（周五）放假1天。');
    await p.getByRole('button', { name: '识别日期' }).click();
    await p.locator('.xf-calendar-preview').getByText('放假（1 天）：01-01').waitFor();
    await noOverflow(p, 'the holiday calendar');
    await e.shot(p, 'calendar-390');
    await p.close();
  });
});
