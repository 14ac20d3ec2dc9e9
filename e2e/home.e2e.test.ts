/**
 * The member home on a phone (issue 24): 「现在要办」 first, then the branch's news, then 我的记录 — at 390 px in normal
 * and 大字模式 and at 1280; and from it, at 390 × 844, each main task within 3 taps, counted by the harness's
 * `tapCounter` (every trusted click in the browser; opening the sign-in link counts as the scan): confirming a
 * meeting, signing in by QR, reading a required notice, paying the month's dues (to the local fake provider's
 * cashier), starting the assigned course. A path of 4 taps fails the count. A manager keeps the 工作台 and
 * switches to the member view of their own record.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { startFakePayProvider, type FakePayProvider } from '../apps/server/src/modules/dues/fake/provider';
import {
  apiCall,
  itWithShots,
  noOverflow,
  secretaryOf,
  settled,
  startE2e,
  tapCounter,
  type E2e,
  type TapCounter,
} from './harness';

const stamp = Date.now() % 100000;
const LATER = `支部党员大会：学习全会精神（${stamp}）`;
const NOW = `主题党日：重温入党誓词（${stamp}）`;

describe('the member home on a phone', () => {
  let e: E2e;
  let fake: FakePayProvider;
  let phone: Page;
  let taps: TapCounter;
  let shuji = '';
  let signinUrl = '';
  const it = itWithShots(() => e, 'home');
  const nowItem = (text: string | RegExp) => phone.getByTestId('now-item').filter({ hasText: text });
  const homeReady = () => phone.locator('.xf-now-card .ant-card-head').getByText('现在要办').waitFor();

  before(async () => {
    e = await startE2e();
    fake = await startFakePayProvider();
    e.server.services.config.payment = fake.paymentConfig(e.server.url);
    const secretary = await secretaryOf(e, 'shuji');
    shuji = secretary.token;
    const orgId = secretary.orgId;
    // One meeting in two days to answer, and one that began ten minutes ago (sign-in open).
    const at = (ms: number) => new Date(Math.floor((nowMs() + ms) / 300_000) * 300_000).toISOString();
    for (const [title, kind, start] of [
      [LATER, 'party_congress', 2 * 86400_000],
      [NOW, 'theme_day', -10 * 60_000],
    ] as const) {
      const m = await apiCall(e, 'POST', '/meetings', shuji, {
        orgId,
        kind,
        title,
        startsAt: at(start),
        endsAt: at(start + 2 * 3600_000),
        location: '第一发电厂党员活动室',
      });
      await apiCall(e, 'POST', `/meetings/${m.id}/publish`, shuji, {});
      if (title === NOW) signinUrl = (await apiCall(e, 'GET', `/meetings/${m.id}/checkin-qr`, shuji)).url;
    }
    phone = await e.page(390);
    taps = await tapCounter(phone);
    await e.login(phone, 'dangyuan');
  });
  after(async () => {
    await e.close();
    await fake.close();
  });

  it('shows 现在要办 first, then the news, then my records — at 390 in both modes and at 1280', async () => {
    const asked: string[] = [];
    const ask = (r: { url(): string }) => asked.push(new URL(r.url()).pathname);
    // Off the page the sign-in left loading first: its requests must not be counted as this load's.
    await phone.goto('about:blank');
    phone.on('request', ask);
    await phone.goto('/');
    await homeReady();
    await nowItem(LATER).waitFor();
    await nowItem(`正在签到：${NOW}`).waitFor();
    await nowItem(/^.*本月党费 .* 元待交纳/).waitFor();
    await nowItem('必读：').first().waitFor();
    await phone.getByText('政治生日').waitFor();
    await phone.locator('.xf-record-value', { hasText: '笔' }).waitFor();
    // 我的荣誉: the demo's published 先锋岗 story of 陈志远, one tap from home.
    const honour = phone.getByRole('navigation', { name: '我的荣誉' }).getByRole('link').first();
    await honour.waitFor();
    assert.match((await honour.getAttribute('href')) ?? '', /^\/media\/articles\/[0-9a-f-]{36}$/);
    // In that order down the phone's one column.
    const top = async (sel: string) => (await phone.locator(sel).first().boundingBox())!.y;
    const now = await top('.xf-now-card');
    const news = await top('.xf-home-card:has-text("新闻动态")');
    const records = await top('.xf-records-card');
    assert.ok(now < news && news < records, `现在要办 ${now}, 新闻动态 ${news}, 我的记录 ${records}`);
    // Something happening now before something to answer later.
    const order = await phone.getByTestId('now-item').allInnerTexts();
    assert.ok(order.findIndex((t) => t.includes(NOW)) < order.findIndex((t) => t.includes(LATER)), order.join(' | '));
    await noOverflow(phone, 'the member home');
    await settled(phone);
    await e.shot(phone, 'home-member-390');
    // One round trip for the cards' reads (GET /me/home): none of them was asked on its own.
    phone.off('request', ask);
    assert.equal(asked.filter((p) => p === '/api/v1/me/home').length, 1, asked.join(' '));
    for (const own of [
      '/api/v1/members/me',
      '/api/v1/dues/todo',
      '/api/v1/meeting-invitations/mine',
      '/api/v1/media/articles',
    ])
      assert.ok(!asked.includes(own), `${own} asked on its own: ${asked.join(' ')}`);

    const toggle = phone.getByRole('switch', { name: '大字模式' });
    await toggle.click();
    await phone.waitForFunction(() => document.documentElement.classList.contains('xf-large'));
    try {
      await homeReady();
      await noOverflow(phone, 'the member home in 大字模式');
      // Every row of 现在要办 is one target of at least 48 px.
      for (const box of await phone
        .getByTestId('now-item')
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height)))
        assert.ok(box >= 48, `a 现在要办 row is ${box}px high`);
      await settled(phone);
      await e.shot(phone, 'home-member-large-390');
    } finally {
      await toggle.click();
      await phone.waitForFunction(() => !document.documentElement.classList.contains('xf-large'));
    }

    const desk = await e.page(1280);
    await e.login(desk, 'dangyuan');
    await desk.locator('.xf-now-card').getByText('现在要办').waitFor();
    await desk.getByText('政治生日').waitFor();
    // A member's home is 首页 in the menu; 工作台 is the managers' word.
    await desk.getByRole('menuitem', { name: /首页/ }).waitFor();
    assert.equal(await desk.getByRole('menuitem', { name: /工作台/ }).count(), 0);
    await settled(desk);
    await e.shot(desk, 'home-member-1280');
    await desk.close();
  });

  it('confirms a meeting within 3 taps', async () => {
    await taps.fromHome(homeReady);
    await nowItem(LATER).click();
    const card = phone.getByTestId('invitation').filter({ hasText: LATER });
    await card.getByRole('button', { name: /^参\s*加$/ }).click();
    await card.getByRole('button', { name: '已确认参加' }).waitFor();
    taps.atMost(3, 'confirming a meeting');
    // Answered: it leaves 现在要办.
    await phone.goto('/');
    await phone.locator('.xf-now-card[aria-busy=false]').waitFor();
    assert.equal(await nowItem(LATER).count(), 0);
  });

  it('signs in by QR within 3 taps (opening the link is the scan)', async () => {
    await taps.fromHome(homeReady);
    await nowItem(`正在签到：${NOW}`).waitFor();
    await taps.scan(signinUrl);
    await phone.getByRole('button', { name: /^签\s*到$/ }).click();
    await phone.getByText('签到成功').waitFor();
    taps.atMost(3, 'signing in by QR');
  });

  it('reads a required notice within 3 taps', async () => {
    await taps.fromHome(homeReady);
    const item = nowItem('必读：').first();
    const title = (await item.locator('.xf-now-title').innerText()).replace(/^必读：/, '');
    await item.click();
    await phone.getByRole('heading', { name: title }).waitFor();
    await phone.getByText('本通知为必读通知', { exact: false }).waitFor();
    taps.atMost(3, 'reading a required notice');
    await phone.waitForLoadState('networkidle');
    await phone.goto('/');
    await phone.locator('.xf-now-card[aria-busy=false]').waitFor();
    assert.equal(await nowItem(`必读：${title}`).count(), 0, 'a notice read leaves 现在要办');
  });

  it("pays the month's dues within 3 taps, to the provider's cashier", async () => {
    await taps.fromHome(homeReady);
    await nowItem(/本月党费 .* 元待交纳/).click();
    await phone.getByRole('button', { name: /确认缴费/ }).click();
    await phone.waitForURL((u) => u.href.startsWith(`${fake.baseUrl}/h5pay`));
    await phone.getByRole('button', { name: '确认支付' }).waitFor();
    taps.atMost(3, "paying the month's dues");
  });

  it('the count fails a task that takes 4 taps', async () => {
    await taps.fromHome(homeReady);
    // The long way to the same cashier: menu, 我的党费, 去缴费, 确认缴费.
    await phone.getByRole('button', { name: '打开菜单' }).click();
    await phone.getByRole('menuitem', { name: /我的党费/ }).click();
    await phone.getByRole('button', { name: /去缴费/ }).click();
    await phone.getByRole('button', { name: /确认缴费/ }).click();
    await phone.waitForURL((u) => u.href.startsWith(`${fake.baseUrl}/h5pay`));
    assert.equal(taps.count(), 4, taps.taps().join(' → '));
    assert.throws(() => taps.atMost(3, 'the long way'), /the long way: 4 taps \(at most 3\)/);
  });

  it('starts the assigned course within 3 taps', async () => {
    await taps.fromHome(homeReady);
    const item = nowItem('必修：').first();
    const title = (await item.locator('.xf-now-title').innerText()).replace(/^必修：/, '');
    await item.click();
    await phone.getByText(title).first().waitFor();
    await phone.getByRole('progressbar').first().waitFor();
    taps.atMost(3, 'starting the assigned course');
    await e.shot(phone, 'home-course-390');
  });

  it('a secretary keeps the 工作台 and switches to the member view of their own record', async () => {
    const desk = await e.page(1280);
    await e.login(desk, 'shuji');
    await desk.getByText('组织设置预警').waitFor();
    await desk.getByText('党员视图').click();
    await desk.locator('.xf-now-card').getByText('现在要办').waitFor();
    await desk.getByText('政治生日').waitFor();
    await settled(desk);
    await e.shot(desk, 'home-secretary-member-view-1280');
    // Kept on this device.
    await desk.reload();
    await desk.locator('.xf-now-card').waitFor();
    await desk.getByText('工作台', { exact: true }).last().click();
    await desk.getByText('组织设置预警').waitFor();
    assert.equal(await desk.locator('.xf-now-card').count(), 0);
    await desk.close();
  });
});
