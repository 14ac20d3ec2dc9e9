/**
 * Issue 24, sign-in without passwords from 企业微信 / 钉钉, end to end in chromium against the local fake of both
 * services (apps/server/src/modules/auth/fake/providers.ts): the admin fills in the WeCom app on 登录方式; a member
 * signs in with their phone number and password, binds WeCom on 绑定企业微信/钉钉 (the browser goes to the fake's
 * authorisation page and back), signs out and signs in with the 「企业微信登录」 button; a second member does the
 * same with DingTalk on a phone; opened inside WeCom (user agent `wxwork`) the login page signs in by itself; the
 * same answer page opened again is refused in Chinese. At 1280 and 390 px, photographed.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { queryRows } from '../apps/server/src/platform/db';
import { startFakeSso, type FakeSso } from '../apps/server/src/modules/auth/fake/providers';
import { member } from '../apps/server/src/modules/member/service';
import { apiCall, changeAdminPassword, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

const NEW_PASSWORD = 'Login-Ways-Pass-2027';
const CORP = 'wwe2e0000000000001';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('e2e: 企业微信/钉钉 sign-in and phone + password', () => {
  let e: E2e;
  let fake: FakeSso;
  const test = itWithShots(() => e, 'sso');
  let corp: { secret: string; agentId: string };

  before(async () => {
    fake = await startFakeSso();
    corp = fake.corp(CORP, ['chenzhiyuan']);
    // The providers send the browser back to XF_PUBLIC_URL: the port is chosen first.
    const port = await freePort();
    e = await startE2e({ env: { ...fake.env, PORT: String(port), XF_PUBLIC_URL: `http://127.0.0.1:${port}` } });
    await changeAdminPassword(e, NEW_PASSWORD);
  });
  after(async () => {
    assert.deepEqual(e.pageErrors, []);
    await e.close();
    await fake.close();
  });

  const phoneOf = async (username: string) => {
    const [row] = await queryRows<{ id: string; phone_enc: string }>(
      e.server.services.db,
      sql`select m.id, m.phone_enc from member m join app_user u on u.id = m.user_id where u.username = ${username}`,
    );
    return e.server.services.fieldCrypto.decrypt(row!.phone_enc, member.phoneEnc, row!.id);
  };
  const signOut = async (p: Page) => {
    await p.getByRole('button', { name: '用户菜单' }).click();
    await p.getByRole('menuitem', { name: '退出登录' }).click();
    await p
      .getByRole('button', { name: /登\s*录/ })
      .first()
      .waitFor();
  };
  const signInWithPhone = async (p: Page, username: string) => {
    await p.goto('/login');
    await p.getByLabel('用户名或手机号').fill(await phoneOf(username));
    await p.getByLabel('密码').fill(DEMO_PASSWORD);
    await p.getByRole('button', { name: /^登\s*录$/ }).click();
    await p.getByRole('button', { name: '用户菜单' }).waitFor();
  };

  test('the admin sets up the WeCom app on 登录方式 (secret shown masked, the callback address to copy)', async () => {
    const p = await e.page(1280);
    await e.login(p, 'admin', NEW_PASSWORD);
    await p.goto('/admin/sso');
    const card = p.locator('.ant-card').filter({ hasText: '企业微信登录' });
    await card.getByLabel('企业ID（corpid）').fill(CORP);
    await card.getByLabel('应用 AgentId').fill(corp.agentId);
    await card.getByLabel('应用 Secret').fill(corp.secret);
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await card.getByText(`****${corp.secret.slice(-4)}`).waitFor();
    await card.getByText('/login/sso/wecom').waitFor();
    await noOverflow(p, '登录方式 at 1280');
    await e.shot(p, 'sso-admin-1280');
    // DingTalk through the API (the same form).
    const { token } = await apiCall(e, 'POST', '/auth/login', null, { username: 'admin', password: NEW_PASSWORD });
    const ding = fake.dingApp('dinge2eclient0001');
    await apiCall(e, 'PUT', '/sso/apps/dingtalk', token, { appId: ding.clientId, secret: ding.secret });
    const phone = await e.page(390);
    await e.login(phone, 'admin', NEW_PASSWORD);
    await phone.goto('/admin/sso');
    await phone.locator('.ant-card').filter({ hasText: '钉钉登录' }).getByText('/login/sso/dingtalk').waitFor();
    await noOverflow(phone, '登录方式 at 390');
    await e.shot(phone, 'sso-admin-390');
  });

  for (const [width, username, provider, person, label] of [
    [1280, 'dangyuan', 'wecom', 'chenzhiyuan', '企业微信'],
    [390, 'jijian', 'dingtalk', 'union-jijian', '钉钉'],
  ] as const) {
    test(`${width} px: phone + password, bind ${label} once, sign out, sign in with 「${label}登录」`, async () => {
      fake.signIn(provider, person);
      const p = await e.page(width);
      await signInWithPhone(p, username);

      await p.getByRole('button', { name: '用户菜单' }).click();
      await p.getByRole('menuitem', { name: '绑定企业微信/钉钉' }).click();
      await p.getByRole('button', { name: `绑定${label}` }).click();
      // To the fake's authorisation page and back to 绑定 with the account bound.
      await p.getByText('绑定成功，以后可以直接用它登录').waitFor();
      await p.getByText(`已绑定（${person}）`).waitFor();
      await noOverflow(p, `绑定 at ${width}`);
      await e.shot(p, `sso-bound-${width}`);

      await signOut(p);
      await p.getByRole('button', { name: `${label}登录` }).waitFor();
      await noOverflow(p, `login at ${width}`);
      await e.shot(p, `sso-login-${width}`);
      await p.getByRole('button', { name: `${label}登录` }).click();
      await p.waitForURL((u) => u.pathname === '/');
      await p.getByRole('button', { name: '用户菜单' }).waitFor();
      const me = await p.evaluate(async () => (await fetch('/api/v1/me')).json());
      assert.equal(me.username, username);

      // The same answer (code and state) brought back later: refused in Chinese, nothing signed in.
      const returned = fake.calls.filter(
        (c) => c.path === (provider === 'wecom' ? '/wwlogin/sso/login' : '/oauth2/auth'),
      );
      assert.ok(returned.length >= 2);
      await signOut(p);
      const replay = p;
      const last = returned.at(-1)!;
      const again = new URL(`/login/sso/${provider}`, e.server.url);
      again.searchParams.set('state', last.query.state!);
      again.searchParams.set(provider === 'wecom' ? 'code' : 'authCode', 'used-or-forged-code');
      await replay.goto(again.toString());
      await replay.getByText('没有登录成功').waitFor();
      await replay.getByText(/登录请求与当前浏览器不匹配|授权码无效或已使用/).waitFor();
      await noOverflow(replay, `refused at ${width}`);
      await e.shot(replay, `sso-refused-${width}`);
    });
  }

  test('opened inside WeCom (user agent wxwork), the login page signs in by itself', async () => {
    fake.signIn('wecom', 'chenzhiyuan');
    const ctx = await e.browser.newContext({
      baseURL: e.server.url,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      userAgent:
        'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1',
    });
    const p = await ctx.newPage();
    p.on('pageerror', (err) => e.pageErrors.push(`${p.url()}: ${err.message}`));
    await p.goto('/');
    await p.getByRole('button', { name: '用户菜单' }).waitFor({ timeout: 30_000 });
    assert.equal(new URL(p.url()).pathname, '/');
    const inApp = fake.calls.filter((c) => c.path === '/connect/oauth2/authorize');
    assert.equal(inApp.length, 1, 'inside WeCom: its in-app authorisation, not the QR page');
    await e.shot(p, 'sso-inapp-390');
    await ctx.close();
  });
});
