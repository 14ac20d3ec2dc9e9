/**
 * 学习积分排行 in the browser: off by default; with the tenant's points on, the secretary turns the branch's
 * ranking on in 管理, and member `dangyuan` then sees the branch's ranking (and only it) under 我的学习.
 * Photographed at 1280 and 390.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { now, setClock } from '@xianfeng/shared';
import { apiCall, changeAdminPassword, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

describe('学习积分排行 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    setClock(null);
    await e.close();
  });
  const it = itWithShots(() => e, 'learn-ranking');
  const login = async (username: string, password = DEMO_PASSWORD) =>
    (await apiCall(e, 'POST', '/auth/login', null, { username, password })).token as string;

  it('shows no ranking until the branch turns it on, then the branch’s own to its member', async () => {
    const dangyuan = await login('dangyuan');
    // Off by default: no ranking, even with points on.
    assert.equal((await apiCall(e, 'GET', '/learn/ranking', dangyuan)).enabled, false);
    await changeAdminPassword(e, 'Ranking@2026x');
    const admin = await login('admin', 'Ranking@2026x');
    await apiCall(e, 'PUT', '/learn/settings', admin, { pointsEnabled: true });
    // 陈志远 reads an entry for 70 s (the server's clock moves): one point.
    const entry = (await apiCall(e, 'GET', `/learn/search?q=${encodeURIComponent('主题党日')}`, dangyuan)).items[0];
    await apiCall(e, 'POST', `/learn-items/${entry.id}/progress`, dangyuan, { seconds: 0 });
    setClock(new Date(now().getTime() + 70_000));
    const done = await apiCall(e, 'POST', `/learn-items/${entry.id}/progress`, dangyuan, { seconds: 70 });
    assert.equal(done.points, 1, JSON.stringify(done));

    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'shuji');
      await page.goto('/learn?tab=manage');
      const card = page.getByTestId('learn-ranking-switch');
      const toggle = card.getByRole('switch', { name: '开启本支部积分排行' });
      if (width === 1280) {
        await card.getByText('未开启（默认）').waitFor();
        assert.equal(await toggle.isChecked(), false, 'off by default');
        await toggle.click();
      }
      await card.getByText('已开启').waitFor();
      await card.scrollIntoViewIfNeeded();
      await e.shot(page, `learn-ranking-switch-${width}`);
    }

    for (const width of [1280, 390]) {
      const page = await e.page(width);
      await e.login(page, 'dangyuan');
      await page.goto('/learn?tab=mine');
      const card = page.getByTestId('learn-ranking');
      await card.getByText('第一发电厂党支部学习积分排行', { exact: false }).waitFor();
      await card.getByText(/第 1 名 · 陈志远/).waitFor();
      await card.getByText('我', { exact: true }).waitFor();
      if (width === 390) await noOverflow(page, 'the ranking at 390px');
      await e.shot(page, `learn-ranking-${width}`);
    }
    assert.deepEqual(e.pageErrors, []);
  });
});
