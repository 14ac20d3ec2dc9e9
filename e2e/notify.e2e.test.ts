/**
 * Issue 17 in the browser: a member's phone (390 px) is open on the 工作台; the branch secretary
 * publishes a meeting notice on the desktop; without a reload the member's bell counts it (pushed over
 * the SSE stream, asserted within 2 s of the publication's answer), the member opens the inbox, follows
 * the notice to the meeting and it is marked read. The inbox and the settings are photographed at 1280
 * and 390 px, and at 390 px in 大字模式.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiGet, choicesAtLeast, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const bellCount = async (page: Page) => Number(await page.locator('.xf-bell').getAttribute('data-unread'));

describe('e2e: notices — bell, inbox, link', () => {
  let e: E2e;
  let secretary: Page;
  let phone: Page;
  let meetingId = '';
  const title = `通知演示主题党日 ${nowMs() % 100000}`;
  const test = itWithShots(() => e, 'notify');

  before(async () => {
    e = await startE2e();
    secretary = await e.page(1280);
    phone = await e.page(390);
    await e.login(secretary, 'shuji');
    await e.login(phone, 'dangyuan');
  });
  after(async () => {
    assert.deepEqual(e.pageErrors, []);
    await e.close();
  });

  test("the secretary publishes a meeting; the member's open phone shows the bell count within 2 s, no reload", async () => {
    await phone.locator('.xf-bell').waitFor();
    // The stream is open once the bell knows the count (its hello event).
    await phone.waitForFunction(() => document.querySelector('.xf-bell')?.getAttribute('data-unread') !== null);
    const before = await bellCount(phone);

    const branch = await apiGet<{ items: { id: string; name: string }[] }>(
      secretary,
      '/orgs/search?q=第一发电厂党支部',
    );
    const orgId = branch.items.find((o) => o.name === '第一发电厂党支部')!.id;
    const starts = new Date(nowMs() + 2 * 86_400_000);
    const created = await secretary.evaluate(
      async (body) => {
        const r = await fetch('/api/v1/meetings', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: (await r.json()) as { id: string } };
      },
      {
        orgId,
        kind: 'theme_day',
        title,
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 90 * 60_000).toISOString(),
        location: '党员活动室',
      },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    meetingId = created.body.id;
    await secretary.goto(`/meetings/${meetingId}`);
    await secretary.getByRole('button', { name: /发布通知/ }).click();
    const answered = secretary.waitForResponse((r) => r.url().endsWith(`/meetings/${meetingId}/publish`));
    await secretary
      .getByRole('dialog')
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await answered;
    const published = Date.now();
    await phone.waitForFunction(
      (n) => Number(document.querySelector('.xf-bell')?.getAttribute('data-unread')) === n,
      before + 1,
      { timeout: 10_000 },
    );
    const latency = Date.now() - published;
    assert.ok(latency < 2000, `the bell changed ${latency} ms after the publication answered`);
    assert.equal(await phone.locator('.xf-bell').getAttribute('aria-label'), `通知，${before + 1} 条未读`);
    await noOverflow(phone, 'the 工作台 with the bell');
    await e.shot(phone, 'notify-bell-390');
  });

  test('the member opens the inbox, follows the notice to the meeting, and it is read', async () => {
    await phone.locator('.xf-bell').click();
    await phone.waitForURL('**/notifications');
    const notice = phone.locator('.xf-notice-unread', { hasText: title });
    await notice.waitFor();
    await notice.getByText('第一发电厂党支部定于').waitFor();
    await noOverflow(phone, 'the inbox');
    await e.shot(phone, 'notify-inbox-390');
    const before = await bellCount(phone);
    await notice.getByRole('link', { name: `【会议通知】${title}` }).click();
    await phone.waitForURL((u) => u.pathname === '/my/meetings' && u.searchParams.get('meeting') === meetingId);
    await phone.getByText(title).first().waitFor();
    await phone.waitForFunction(
      (n) => Number(document.querySelector('.xf-bell')?.getAttribute('data-unread')) === n,
      before - 1,
    );
    const box = await apiGet<{ items: { title: string; readAt: string | null }[] }>(phone, '/notifications');
    assert.ok(box.items.find((n) => n.title.includes(title))!.readAt, 'opening the notice marked it read');
    await e.shot(phone, 'notify-link-390');
  });

  test('inbox and settings at 1280, and at 390 in 大字模式', async () => {
    // The secretary reminds the members in arrears (党费): from three months unpaid the secretary hears too.
    const reminded = await secretary.evaluate(async () => {
      const r = await fetch('/api/v1/dues/arrears/reminders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ minMonths: 1 }),
      });
      return r.status;
    });
    assert.equal(reminded, 200);
    await secretary.goto('/notifications');
    await secretary.getByText('我的通知').first().waitFor();
    await secretary.locator('.xf-notice').first().waitFor();
    await e.shot(secretary, 'notify-inbox-1280');
    assert.ok((await bellCount(secretary)) > 0);
    await secretary.getByRole('button', { name: /全部标为已读/ }).click();
    await secretary.getByText(/已将 \d+ 条通知标为已读/).waitFor();
    await secretary.waitForFunction(() => document.querySelector('.xf-bell')?.getAttribute('data-unread') === '0');
    assert.equal(await secretary.locator('.xf-notice-unread').count(), 0);
    await secretary.goto('/notifications/settings');
    await secretary.getByText('接收的通知类型', { exact: true }).waitFor();
    await e.shot(secretary, 'notify-settings-1280');

    await phone.getByRole('switch', { name: '大字模式' }).click();
    await phone.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    await phone.goto('/notifications');
    await phone.locator('.xf-notice', { hasText: title }).waitFor();
    await noOverflow(phone, 'the inbox in 大字模式');
    await e.shot(phone, 'notify-inbox-390-large');
    // Everything is read: nothing to mark.
    assert.ok(await phone.getByRole('button', { name: /全部标为已读/ }).isDisabled());
    await phone.goto('/notifications/settings');
    await phone.getByText('接收的通知类型', { exact: true }).waitFor();
    await noOverflow(phone, 'the settings in 大字模式');
    await choicesAtLeast(phone.getByRole('group', { name: '接收的通知类型' }), 48);
    await e.shot(phone, 'notify-settings-390-large');
    await phone.getByRole('switch', { name: '大字模式' }).click();
  });
});
