/**
 * Issue 17, the administrator's 通知管理 page: a template is edited with a live preview, an unknown
 * placeholder is refused in Chinese, the saved text is what the next notice says; a branch's group robot is
 * chosen with the org picker, added, edited (renamed and stopped, its other settings kept) and deleted; the
 * delivery log is filtered by channel, status and dates on the server; the webhooks and dead-letter tabs
 * open. At 1280 and 390 px, photographed.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { queryRows } from '../apps/server/src/platform/db';
import {
  apiGet,
  changeAdminPassword,
  chooseOption,
  confirmPop,
  itWithShots,
  noOverflow,
  startE2e,
  type E2e,
} from './harness';

const orgHit = (page: Page, name: string) =>
  page
    .locator('.ant-select-dropdown:visible .xf-org-hit')
    .filter({ has: page.locator('.xf-org-hit-name', { hasText: new RegExp(`^${name}（`) }) });

const NEW_PASSWORD = 'Notices-Pass-2027';

describe('e2e: 通知管理 (administrator)', () => {
  let e: E2e;
  const test = itWithShots(() => e, 'notify-admin');

  before(async () => {
    e = await startE2e();
    await changeAdminPassword(e, NEW_PASSWORD);
    // Deliveries of the log on three Beijing days of March 2026 (the filter test's own, by title).
    const db = e.server.services.db;
    const [{ id: tenantId }] = (await queryRows<{ id: string }>(db, sql`select id from tenant limit 1`)) as [
      { id: string },
    ];
    for (const [i, [channel, status, at]] of [
      ['email', 'sent', '2026-03-10T02:00:00Z'],
      ['sms', 'failed', '2026-03-11T03:00:00Z'],
      ['sms', 'sent', '2026-03-11T04:00:00Z'],
      ['wecom', 'failed', '2026-03-12T05:00:00Z'],
    ].entries())
      await db.execute(
        sql`insert into notify_delivery (tenant_id, channel, kind, target, title, payload, dedupe_key, status, created_at)
            values (${tenantId}, ${channel}, 'notify.test', 'e2e', ${`筛选测试 ${i}`}, '{}'::jsonb, ${`e2e-filter:${i}`}, ${status}, ${at}::timestamptz)`,
      );
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

  /** 群机器人: the branch chosen in the org picker; a robot added, renamed and stopped, then deleted. */
  const robots = async (p: Page, width: number) => {
    const name = `支部工作群${width}`;
    await p.getByRole('tab', { name: '群机器人' }).click();
    const pane = p.locator('.ant-tabs-tabpane-active');
    await pane.getByRole('button', { name: '添加群机器人' }).waitFor();
    await pane.locator('.xf-org-filter .ant-select').click();
    await p.keyboard.type('第一发电厂');
    await orgHit(p, '第一发电厂党支部').click();
    await pane.locator('.xf-org-filter .ant-select-selection-item', { hasText: '第一发电厂党支部' }).waitFor();
    await pane.getByRole('button', { name: '添加群机器人' }).click();
    const add = p.getByRole('dialog', { name: '添加群机器人' });
    await add.getByLabel('名称').fill(name);
    await add.getByLabel('Webhook 地址').fill(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=e2e-${width}`);
    await chooseOption(p, add.getByRole('combobox', { name: '推送的通知类型' }), '会议通知');
    await p.keyboard.press('Escape');
    await add.getByRole('button', { name: /保\s*存/ }).click();
    await add.waitFor({ state: 'hidden' });
    const row = pane.locator('.ant-table-row', { hasText: name });
    await row.getByText('启用').waitFor();
    await noOverflow(p, `群机器人 at ${width}`);
    await e.shot(p, `notify-admin-robots-${width}`);

    await row.getByRole('button', { name: /编\s*辑/ }).click();
    const edit = p.getByRole('dialog', { name: `编辑群机器人：${name}` });
    await edit.getByLabel('名称').fill(`${name}（新）`);
    await edit.getByRole('switch', { name: '启用' }).click();
    await e.shot(p, `notify-admin-robot-edit-${width}`);
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await edit.waitFor({ state: 'hidden' });
    const renamed = pane.locator('.ant-table-row', { hasText: `${name}（新）` });
    await renamed.getByText('停用').waitFor();
    const org = await apiGet<{ items: { id: string; name: string }[] }>(p, '/orgs/search?q=第一发电厂党支部');
    const branch = org.items.find((o) => o.name === '第一发电厂党支部')!;
    const saved = await apiGet<{ items: { name: string; enabled: boolean; kinds: string[]; quietHours: unknown }[] }>(
      p,
      `/orgs/${branch.id}/robots`,
    );
    const mine = saved.items.find((r) => r.name === `${name}（新）`)!;
    assert.deepEqual(
      [mine.enabled, mine.kinds, mine.quietHours],
      [false, ['meeting.notice'], { start: '22:00', end: '07:00' }],
    );

    await confirmPop(p, renamed.getByRole('button', { name: /删\s*除/ }), /删\s*除/);
    await renamed.waitFor({ state: 'detached' });
  };

  /** 发送记录: channel 短信, status 失败, from 2026-03-11 to 2026-03-11 → the one row, paged by the server. */
  const deliveryLog = async (p: Page, width: number) => {
    await p.getByRole('tab', { name: '发送记录' }).click();
    const pane = p.locator('.ant-tabs-tabpane-active');
    await chooseOption(p, pane.getByRole('combobox', { name: '渠道' }), '短信');
    await chooseOption(p, pane.getByRole('combobox', { name: '状态' }), '失败');
    for (const [label, day] of [
      ['开始日期', '2026-03-11'],
      ['结束日期', '2026-03-11'],
    ] as const) {
      const input = pane.getByPlaceholder(label);
      await input.click();
      await input.fill(day);
      await input.press('Enter');
    }
    await pane.locator('.ant-pagination-total-text', { hasText: '共 1 条' }).waitFor();
    const rows = pane.locator('.ant-table-row');
    assert.equal(await rows.count(), 1);
    await rows.first().getByText('2026-03-11 11:00').waitFor();
    await noOverflow(p, `发送记录 filtered at ${width}`);
    await e.shot(p, `notify-admin-log-filtered-${width}`);
    // Status cleared: both 短信 of the day.
    const status = pane.locator('.ant-select', { has: p.getByRole('combobox', { name: '状态' }) });
    await status.hover();
    await status.locator('.ant-select-clear').click();
    await pane.locator('.ant-pagination-total-text', { hasText: '共 2 条' }).waitFor();
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

  test('at 1280 px: a branch robot is added, edited and deleted; the delivery log is filtered', async () => {
    const p = await e.page(1280);
    await e.login(p, 'admin', NEW_PASSWORD);
    await p.goto('/notify/admin');
    await robots(p, 1280);
    await deliveryLog(p, 1280);
  });

  test('at 390 px the page fits: templates and every tab', async () => {
    const p = await e.page(390);
    await e.login(p, 'admin', NEW_PASSWORD);
    await p.goto('/notify/admin');
    await p.locator('.ant-table-row', { hasText: '会议取消' }).waitFor();
    await noOverflow(p, '通知管理 at 390');
    await e.shot(p, 'notify-admin-templates-390');
    // Left to right: the phone's tab bar scrolls, a tab out of view to the left cannot be clicked.
    await robots(p, 390);
    await tabs(p, 390);
    await p.getByRole('tab', { name: '发送记录' }).click();
    await e.shot(p, 'notify-admin-deliveries-390');
    await deliveryLog(p, 390);
  });
});
