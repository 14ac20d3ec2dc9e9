import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DOWNLOAD_WAIT, ADMIN_PASSWORD, DEMO_PASSWORD, startE2e, type E2e } from './harness';

describe('web shell', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());

  it('refuses a wrong password with a Chinese message on the login page', async () => {
    const page = await e.page();
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByLabel('用户名').fill('shuji');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('用户名或密码错误').waitFor();
    await e.shot(page, 'login-error-1280');
  });

  it('makes admin change the initial password, then shows the shell; large-font mode sticks; logout', async () => {
    const page = await e.page();
    await e.login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL('**/password');
    await page.getByText('首次登录或密码已被重置').waitFor();
    await e.shot(page, 'password-forced-1280');
    await page.getByLabel('原密码').fill(ADMIN_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('确认新密码').fill('short');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.getByText('密码长度至少 8 位').waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('Brand-New-Pass-9');
    await page.getByLabel('确认新密码').fill('Brand-New-Pass-9');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByText('党员总数').waitFor();
    await page.getByRole('menuitem', { name: /审计日志/ }).waitFor();
    await e.shot(page, 'shell-admin-1280');

    // 大字模式 is stored on the account: it survives a reload.
    const before = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    await page.getByRole('switch', { name: '大字模式' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    await page.reload();
    await page.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    const afterSize = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    assert.ok(parseFloat(afterSize) > parseFloat(before), `large font ${afterSize} should exceed ${before}`);
    await e.shot(page, 'shell-admin-large-1280');
    await page.getByRole('switch', { name: '大字模式' }).click();
    await page.waitForFunction(() => !document.documentElement.classList.contains('xf-large'));

    await page.getByRole('button', { name: '用户菜单' }).click();
    await page.getByText('退出登录').click();
    await page.waitForURL('**/login');
    // The session is gone on the server too: the API answers 401.
    const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(status, 401);
  });

  it('shows a member only the menu a member may use, and works at phone width', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.getByText('我的党员档案').waitFor();
    // The member home: 现在要办 gathers the modules' to-dos (issue 24).
    await page.locator('.xf-now-card').getByText('现在要办').waitFor();
    await page.getByRole('button', { name: '打开菜单' }).click();
    const items = await page.getByRole('menuitem').allInnerTexts();
    assert.ok(
      !items.some((t) => t.includes('审计日志')),
      `member menu must not offer the audit log: ${items.join(',')}`,
    );
    await page.keyboard.press('Escape');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await e.shot(page, 'shell-member-390');

    // PIPL: the member downloads everything held about them from the user menu.
    await page.getByRole('button', { name: '用户菜单' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download', DOWNLOAD_WAIT),
      page.getByText('下载我的个人信息').click(),
    ]);
    assert.match(download.suggestedFilename(), /^我的个人信息-陈志远-.*\.json$/);
    const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(data.member.profile.name, '陈志远');
  });

  it('returns to the page asked for, query included, after signing in (a scanned QR link)', async () => {
    const page = await e.page(390);
    await page.goto('/my/meetings?from=qr');
    await page.waitForURL('**/login');
    await page.getByLabel('用户名').fill('dangyuan');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((u) => u.pathname === '/my/meetings' && u.search === '?from=qr');
  });

  it('answers an unknown page with the 404 page inside the shell', async () => {
    const page = await e.page();
    await e.login(page, 'shuji');
    // A secretary's 工作台 gathers the modules' to-dos.
    await page.getByText('发展党员待办').waitFor();
    await page.getByText(/年组织生活未达标/).waitFor();
    await e.shot(page, 'home-secretary-1280');
    await page.goto('/no-such-page');
    await page.getByText('页面不存在', { exact: true }).waitFor();
    await page.getByRole('button', { name: '返回首页' }).click();
    await page.waitForURL((u) => u.pathname === '/');
  });

  it('ran every page without script errors or Content-Security-Policy violations', () => {
    assert.deepEqual(e.pageErrors, []);
  });
});
