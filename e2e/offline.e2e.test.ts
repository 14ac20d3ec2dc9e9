/**
 * The member's phone with no network (issue 24, offline-tolerant slice): a network failure is not a sign-out, the
 * member's own pages show what was last read under a plain banner, a write says it cannot be sent and keeps what
 * was typed, and signing out leaves nothing behind for the next person holding the phone.
 *
 * The network is switched off with playwright's context.setOffline (navigator.onLine false, every request fails);
 * the service worker is allowed, as on a real phone, so the page itself can be reloaded offline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { settled, startE2e, underWorker, type E2e } from './harness';

const BANNER = '当前离线，显示的是上次同步的内容';
const MEETING = '主题党日：重温入党誓词，走访慰问老党员';

/** What this app keeps in localStorage for offline use (keys), and the pending sign-out flag. */
const kept = (page: Page) =>
  page.evaluate(() => ({
    keys: Object.keys(localStorage).filter((k) => k.startsWith('xf.offline.')),
    logoutPending: localStorage.getItem('xf.logoutPending'),
  }));

/** Signs in as the demo member and reads the home and 我的会议 online, under the worker. */
async function memberReadOnline(e: E2e, width: number): Promise<Page> {
  const page = await e.page(width, { serviceWorkers: 'allow' });
  await e.login(page, 'dangyuan');
  const home = () => page.getByText('政治生日').waitFor();
  await home();
  // The service worker's register chunk is asked for only after the page has loaded (off the first screen's path).
  const { registerAt, loadedAt } = await page
    .waitForFunction(() => {
      const reg = performance.getEntriesByType('resource').find((r) => r.name.includes('/assets/virtual_pwa-register'));
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return reg && nav ? { registerAt: reg.startTime, loadedAt: nav.loadEventStart } : null;
    })
    .then(async (h) => (await h.jsonValue())!);
  assert.ok(
    registerAt >= loadedAt,
    `the register chunk was asked for at ${registerAt} ms, before load at ${loadedAt} ms`,
  );
  await underWorker(page, home);
  await page.goto('/my/meetings');
  await page.getByTestId('invitation').filter({ hasText: MEETING }).waitFor();
  await page.goto('/');
  await home();
  await page.waitForLoadState('networkidle');
  return page;
}

describe('the member’s phone offline', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('reloads offline as the same member: home and 我的会议 from the last sync, under a banner; a write says it cannot be sent and keeps the input', async () => {
    const page = await memberReadOnline(e, 390);
    assert.equal(await page.getByText(BANNER).count(), 0, 'the offline banner shows while online');
    const online = await kept(page);
    assert.ok(
      online.keys.includes('xf.offline.me') && online.keys.some((k) => k.includes('/meeting-invitations/mine')),
      `the member's answers were not kept: ${online.keys.join(', ')}`,
    );
    assert.ok(
      !online.keys.some((k) => k.includes('/thought')),
      `a sealed 思想汇报 answer was kept: ${online.keys.join(', ')}`,
    );

    await page.context().setOffline(true);
    try {
      await page.reload();
      await page.getByText(BANNER).waitFor();
      assert.ok(!page.url().includes('/login'), `offline reload went to ${page.url()}`);
      await page.getByText('政治生日').waitFor();
      await page.getByText('陈志远，您好').waitFor();
      await e.shot(page, 'offline-home-390');

      await page.goto('/my/meetings');
      await page.getByText(BANNER).waitFor();
      const card = page.getByTestId('invitation').filter({ hasText: MEETING });
      await card.waitFor();
      await e.shot(page, 'offline-my-meetings-390');

      // A write: 请假 with a reason, offline.
      await card.getByRole('button', { name: /请\s*假/ }).click();
      const leave = page.getByRole('dialog', { name: '请假' });
      await leave.waitFor();
      await settled(page); // the dialog clears its reason when its opening animation ends
      const reason = '在外地出差，无法按时参加';
      await leave.getByLabel('请假事由').fill(reason);
      await leave.getByRole('button', { name: /提交请假/ }).click();
      await leave.getByText('离线时无法提交，请联网后重试').waitFor();
      assert.equal(await leave.getByLabel('请假事由').inputValue(), reason, 'the reason typed was lost');
      await e.shot(page, 'offline-write-390');
    } finally {
      await page.context().setOffline(false);
    }

    // Back online: the banner goes, and the same request now goes through.
    await page.getByText(BANNER).waitFor({ state: 'hidden' });
    const leave = page.getByRole('dialog', { name: '请假' });
    await leave.getByRole('button', { name: /提交请假/ }).click();
    await leave.waitFor({ state: 'hidden' });
    await page
      .getByTestId('invitation')
      .filter({ hasText: MEETING })
      .locator('.ant-tag', { hasText: '请假' })
      .waitFor();
  });

  it('at 1280: 我的会议 offline from the last sync; after signing out, offline shows the login page and nothing kept', async () => {
    const page = await memberReadOnline(e, 1280);
    await page.context().setOffline(true);
    try {
      await page.goto('/my/meetings');
      await page.getByText(BANNER).waitFor();
      await page.getByTestId('invitation').filter({ hasText: MEETING }).waitFor();
      await e.shot(page, 'offline-my-meetings-1280');
    } finally {
      await page.context().setOffline(false);
    }

    await page.goto('/');
    await page.getByText('政治生日').waitFor();
    await page.getByRole('button', { name: '用户菜单' }).click();
    await page.getByText('退出登录').click();
    await page.waitForURL(/\/login/);
    assert.deepEqual(await kept(page), { keys: [], logoutPending: null }, 'something was left after signing out');

    await page.context().setOffline(true);
    try {
      for (const url of ['/', '/my/meetings']) {
        await page.goto(url);
        await page.waitForURL(/\/login/);
        await page.getByRole('button', { name: /登\s*录/ }).waitFor();
        assert.equal(await page.getByText(MEETING).count(), 0, `${url}: the last member's meeting shows`);
        assert.equal(await page.getByText(BANNER).count(), 0, `${url}: the banner shows on the login page`);
      }
      await e.shot(page, 'offline-after-logout-1280');
    } finally {
      await page.context().setOffline(false);
    }
  });

  it('signing out offline forgets everything at once and ends the session on the server when the network returns', async () => {
    const page = await memberReadOnline(e, 390);
    await page.context().setOffline(true);
    try {
      await page.reload();
      await page.getByText(BANNER).waitFor();
      await page.getByRole('button', { name: '用户菜单' }).click();
      await page.getByText('退出登录').click();
      await page.waitForURL(/\/login/);
      assert.deepEqual(await kept(page), { keys: [], logoutPending: '1' }, 'offline sign-out');
    } catch (err) {
      await page.context().setOffline(false);
      throw err;
    }
    // Online again, the session cookie is still there; the app tells the server as soon as it is back (the
    // 'online' event), so nobody is signed in.
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await page.context().setOffline(false);
    assert.equal((await loggedOut).status() < 300, true, 'the pending sign-out was not accepted');
    await page.goto('/');
    await page.waitForURL(/\/login/);
    assert.equal((await kept(page)).logoutPending, null, 'the sign-out is still pending');
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401, 'the session still works on the server after the sign-out');
  });
});
