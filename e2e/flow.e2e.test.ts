/**
 * 流动党员 kept in touch in the browser (issue 22): 陈志远 (dangyuan), registered as a 流动党员 with his last contact two
 * months back, sees 「流动党员报到」 on his 390px 工作台, reports in with where he is now, and the card says so; the
 * 组织部 (zuzhibu) at 1280px sees the demo's 流动党员 7 months without contact flagged 「失联未登记」, follows the
 * escalation into the 失联 path with the last contact filled in, and the list then shows 「已登记失联」.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { addMonths, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../apps/server/src/platform/cache';
import { apiCall, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

describe('流动党员 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
    const call = (method: string, url: string, token: string | null, body?: unknown) =>
      apiCall(e, method, url, token, body);
    const shuji = (await call('POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token;
    const dangyuan = (await call('POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD })).token;
    const me = await call('GET', '/members/me', dangyuan);
    const today = todayInChina();
    await call('POST', `/members/${me.id}/flow`, shuji, {
      location: '广东省深圳市',
      since: addMonths(today, -7),
      expectedUntil: addMonths(today, 5),
      contact: '微信',
    });
    // His last contact two months back: a report-in is due.
    await e.server.services.db.execute(
      sql`update member_flow set last_contact_on = ${addMonths(today, -2)} where member_id = ${me.id} and ended_on is null`,
    );
    await afterLocalWrite(e.server.services.db);
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'flow');

  it('a 流动党员 reports in from a 390px phone', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    const card = page.locator('.ant-card').filter({ hasText: '流动党员报到' });
    await card.getByText(/应向第一发电厂党支部报到/).waitFor();
    await e.shot(page, 'flow-home-390');
    await card.getByRole('link').first().click();
    await page.waitForURL('**/my/flow');
    await page.getByText('下次应联系').waitFor();
    await page.getByText(/应向第一发电厂党支部报到了/).waitFor();
    await noOverflow(page, 'the report-in page at 390px');
    await page.getByLabel('现在所在地').fill('广东省东莞市');
    await page.getByLabel('近况').fill('在项目部工作顺利，参加了当地党组织的主题党日。');
    await e.shot(page, 'flow-form-390');
    await page.getByRole('button', { name: /向支部报到/ }).click();
    await page.getByText('已向支部报到，支部书记会收到通知').waitFor();
    await page.getByText('今天已报到').waitFor();
    await page.getByText('广东省东莞市').first().waitFor();
    await noOverflow(page, 'after reporting in');
    await e.shot(page, 'flow-done-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 组织部 follows a 流动党员 7 months without contact into the 失联 path at 1280px', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.goto('/flowing');
    const row = page.getByRole('row').filter({ hasText: '失联未登记' }).first();
    await row.waitFor();
    await e.shot(page, 'flow-list-1280');
    await row.getByRole('link').first().click();
    await page.waitForURL(/\/members\/[^/]+\?tab=flow/);
    await page.getByRole('link', { name: /转入失联处理/ }).click();
    await page.waitForURL(/tab=lost/);
    const form = page.locator('.ant-card').filter({ hasText: '登记失联' });
    await form.getByText(/最后联系日期按流动党员记录预填/).waitFor();
    assert.ok(
      (await form.getByLabel('失联情况').inputValue()).includes('新疆哈密'),
      'the circumstances are prefilled from the flow',
    );
    await e.shot(page, 'flow-escalate-1280');
    await form.getByRole('button', { name: '登记失联' }).click();
    await page.getByText('已登记失联').first().waitFor();
    await page.goto('/flowing');
    await page.getByRole('row').filter({ hasText: '已登记失联' }).first().waitFor();
    await e.shot(page, 'flow-list-after-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('a 书记 sets the branch’s contact interval on the 流动党员 page at 390px', async () => {
    const page = await e.page(390);
    await e.login(page, 'shuji');
    await page.goto('/flowing');
    const setting = page.getByTestId('flow-contact-setting');
    await setting.getByText('每 1 个月').waitFor();
    await setting.getByText('（默认）').waitFor();
    await setting.getByLabel('联系周期（月）').fill('3');
    await setting.getByRole('button', { name: /设\s?定/ }).click();
    await page.getByText('联系周期已设为每 3 个月').waitFor();
    await setting.getByText('每 3 个月').waitFor();
    await setting.getByText('（本组织设定）').waitFor();
    await noOverflow(page, 'the contact interval at 390px');
    await e.shot(page, 'flow-interval-390');
    // Back to monthly, through the page as well (the other tests of the run keep the default).
    await setting.getByLabel('联系周期（月）').fill('1');
    await setting.getByRole('button', { name: /设\s?定/ }).click();
    await setting.getByText('每 1 个月').waitFor();
    assert.deepEqual(e.pageErrors, []);
  });
});
