/**
 * Issue 17, the administrator's 通知管理 page: a template is edited with a live preview, an unknown
 * placeholder is refused in Chinese, the saved text is what the next notice says; the robots, webhooks,
 * delivery log and dead-letter tabs open. Photographed at 1280 and 390 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { changeAdminPassword, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const NEW_PASSWORD = 'Notices-Pass-2027';

describe('e2e: 通知管理 (administrator)', () => {
  let e: E2e;
  const test = itWithShots(() => e, 'notify-admin');

  before(async () => {
    e = await startE2e();
    await changeAdminPassword(e, NEW_PASSWORD);
  });
  after(async () => {
    assert.deepEqual(e.pageErrors, []);
    await e.close();
  });

  const tabs = async (p: Page, width: number) => {
    for (const [tab, text] of [
      ['群机器人', '添加群机器人'],
      ['对外推送', '登记推送地址'],
      ['发送记录', '时间'],
      ['发送失败', '时间'],
    ] as const) {
      await p.getByRole('tab', { name: tab }).click();
      await p.locator('.ant-tabs-tabpane-active').getByText(text).first().waitFor();
      await noOverflow(p, `通知管理 ${tab} at ${width}`);
    }
  };

  test('edits the 会议取消 template with a live preview; an unknown placeholder is refused; the other tabs open', async () => {
    const p = await e.page(1280);
    await e.login(p, 'admin', NEW_PASSWORD);
    await p.goto('/notify/admin');
    const row = p.locator('.ant-table-row', { hasText: '会议取消' });
    await row.waitFor();
    await e.shot(p, 'notify-admin-templates-1280');
    await row.getByRole('button', { name: /编\s*辑/ }).click();
    const body = p.getByLabel('模板正文');
    await body.fill('{{title}}（原定 {{startsAt}}）取消了。{{reason}}请留意后续通知。');
    await p.locator('.xf-notify-preview').getByText('3月主题党日活动（原定 3月5日（周四）14:30）取消了。').waitFor();
    await e.shot(p, 'notify-admin-preview-1280');
    await body.fill('{{title}} 取消了 {{nosuch}}');
    await p.locator('.ant-modal .ant-alert-error').getByText('nosuch').waitFor();
    await body.fill('{{title}}（原定 {{startsAt}}）取消了。{{reason}}请留意后续通知。');
    await p.locator('.xf-notify-preview').waitFor();
    await p.getByRole('button', { name: /保\s*存/ }).click();
    await row.getByText('已修改').waitFor();
    await tabs(p, 1280);
    await e.shot(p, 'notify-admin-dead-1280');
  });

  test('at 390 px the page fits: templates and every tab', async () => {
    const p = await e.page(390);
    await e.login(p, 'admin', NEW_PASSWORD);
    await p.goto('/notify/admin');
    await p.locator('.ant-table-row', { hasText: '会议取消' }).waitFor();
    await noOverflow(p, '通知管理 at 390');
    await e.shot(p, 'notify-admin-templates-390');
    await tabs(p, 390);
    await p.getByRole('tab', { name: '发送记录' }).click();
    await e.shot(p, 'notify-admin-deliveries-390');
  });
});
