/**
 * 志愿服务 in the browser (issue 22): the 书记 张建国 (shuji) publishes an activity at 1280px and opens the QR screen of
 * the demo's activity under way; 陈志远 (dangyuan) on his 390px phone signs up for the coming activity, then checks
 * in and out by the QR code's link; the 书记 corrects his hours with a reason, and they appear on his profile
 * (member detail, 志愿服务 tab) and on his phone.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import {
  apiCall,
  chinaText,
  DEMO_PASSWORD,
  itWithShots,
  noOverflow,
  pickDateTime,
  startE2e,
  type E2e,
} from './harness';

const ONGOING = '社区用电安全义务检查';
const COMING = '“学雷锋”便民服务日';
const NEW = '厂区职工子女暑期课业辅导';
const REASON = '按现场签到表，实际服务 2 小时';

describe('志愿服务 in the browser', () => {
  let e: E2e;
  let shuji: string;
  let ongoingId: string;
  before(async () => {
    e = await startE2e();
    shuji = (await apiCall(e, 'POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token;
    const list = await apiCall(e, 'GET', '/volunteer/activities?pageSize=50', shuji);
    ongoingId = list.items.find((a: { title: string }) => a.title === ONGOING).id;
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'volunteer');

  it('the 书记 publishes an activity at 1280px and opens the QR screen of the one under way', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /(^|\s)志愿服务$/ }).click();
    await page.waitForURL('**/volunteer');
    await page.getByRole('cell', { name: ONGOING }).waitFor();
    await e.shot(page, 'volunteer-list-1280');
    await page.getByRole('button', { name: '发布活动' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('活动名称').fill(NEW);
    await dialog.getByLabel('地点').fill('职工之家二楼活动室');
    const start = Math.ceil((nowMs() + 5 * 86_400_000) / 3_600_000) * 3_600_000;
    await pickDateTime(dialog, '开始时间', chinaText(start));
    await pickDateTime(dialog, '结束时间', chinaText(start + 3 * 3_600_000));
    await dialog.getByLabel('名额（人）').fill('6');
    await dialog.getByLabel('技能要求（可不填）').fill('中小学教学经验');
    await e.shot(page, 'volunteer-create-1280');
    await dialog.getByRole('button', { name: /^发\s?布$/ }).click();
    await page.getByText('活动已发布').waitFor();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByText('职工之家二楼活动室').waitFor();
    // Closed by a click on the mask: the confirmation toast may sit over the drawer's close button.
    await page.locator('.ant-drawer-mask').click({ position: { x: 100, y: 400 } });
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: ONGOING }).click();
    await drawer.getByRole('cell', { name: '陈志远' }).waitFor();
    await e.shot(page, 'volunteer-activity-1280');
    await drawer.getByRole('button', { name: '打开现场签到屏' }).click();
    await page.waitForURL(`**/volunteer/${ongoingId}/qr`);
    await page.locator('img.xf-qr-img').waitFor();
    assert.match((await page.locator('img.xf-qr-img').getAttribute('data-token')) ?? '', /^v1\./);
    await e.shot(page, 'volunteer-qr-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('陈志远 signs up on his 390px phone and checks in and out by the QR code', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menuitem', { name: /我的志愿服务/ }).click();
    await page.waitForURL('**/my/volunteer');
    const coming = page.locator('.xf-vol-card', { hasText: COMING });
    await coming.waitFor();
    await noOverflow(page, 'my volunteer page at 390px');
    await coming.getByRole('button', { name: /^报\s?名$/ }).click();
    await page.getByText('报名成功，活动当天请到现场扫码签到').waitFor();
    await coming.getByText('已报名').waitFor();
    await coming.getByRole('button', { name: '取消报名' }).waitFor();
    await e.shot(page, 'volunteer-signed-up-390');
    // What the screen's QR code encodes: the scan page with a fresh token.
    const { url } = await apiCall(e, 'GET', `/volunteer-activities/${ongoingId}/qr`, shuji);
    await page.goto(new URL(url).pathname + new URL(url).search);
    await page.getByRole('heading', { name: ONGOING }).waitFor();
    await noOverflow(page, 'the scan page at 390px');
    await e.shot(page, 'volunteer-scan-390');
    await page.getByRole('button', { name: /^签\s?到$/ }).click();
    await page.getByText('签到成功').waitFor();
    await e.shot(page, 'volunteer-checked-in-390');
    // Leaving: the same screen's code again.
    const again = await apiCall(e, 'GET', `/volunteer-activities/${ongoingId}/qr`, shuji);
    await page.goto(new URL(again.url).pathname + new URL(again.url).search);
    await page.getByRole('button', { name: /^签\s?退$/ }).click();
    await page.getByText('签退成功').waitFor();
    await page.getByText(/本次服务时长/).waitFor();
    await e.shot(page, 'volunteer-checked-out-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 书记 corrects the hours with a reason; they show on the member’s profile and phone', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto(`/volunteer?activity=${ongoingId}`);
    const drawer = page.locator('.ant-drawer-content');
    const row = drawer.getByRole('row').filter({ hasText: '陈志远' });
    await row.getByText('已签退').waitFor();
    await row.getByRole('button', { name: '更正时长' }).click();
    const dialog = page.getByRole('dialog', { name: /更正服务时长/ });
    await dialog.getByLabel('服务时长（分钟）').fill('120');
    await dialog.getByLabel('更正理由').fill(REASON);
    await e.shot(page, 'volunteer-correct-1280');
    await dialog.getByRole('button', { name: /^保\s?存$/ }).click();
    await page.getByText('服务时长已更正').waitFor();
    await row.getByText('2 小时').waitFor();
    await row.getByText('已更正').waitFor();
    const me = await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD });
    const member = await apiCall(e, 'GET', '/members/me', me.token);
    await page.goto(`/members/${member.id}?tab=volunteer`);
    const tab = page.locator('.xf-vol-tab');
    await tab.getByRole('row').filter({ hasText: ONGOING }).getByText(REASON, { exact: false }).waitFor();
    await e.shot(page, 'volunteer-profile-1280');

    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto('/my/volunteer');
    await phone.locator('.xf-vol-records').getByText(REASON, { exact: false }).waitFor();
    await noOverflow(phone, 'my records at 390px');
    await e.shot(phone, 'volunteer-hours-390');
    assert.deepEqual(e.pageErrors, []);
  });
});

describe('志愿服务: the organizer edits and cancels; a member walks in', () => {
  let e: E2e;
  let shuji: string;
  let ongoingId: string;
  let comingId: string;
  let walker: string;
  before(async () => {
    e = await startE2e();
    shuji = (await apiCall(e, 'POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token;
    const list = await apiCall(e, 'GET', '/volunteer/activities?pageSize=50', shuji);
    ongoingId = list.items.find((a: { title: string }) => a.title === ONGOING).id;
    comingId = list.items.find((a: { title: string }) => a.title === COMING).id;
    // A member of the branch who did not sign up for the activity under way (the demo signs up 陈志远 and two others).
    for (const username of ['jijian', 'zuzhi', 'shuji']) {
      const login = await apiCall(e, 'POST', '/auth/login', null, { username, password: DEMO_PASSWORD }).catch(
        () => null,
      );
      if (!login?.token) continue;
      const a = await apiCall(e, 'GET', `/volunteer-activities/${ongoingId}`, login.token).catch(() => null);
      if (a && a.mine === null) {
        walker = username;
        break;
      }
    }
    assert.ok(walker, 'a branch member not signed up for the activity under way');
    // 陈志远 signs up for the coming activity, so its cancellation reaches him.
    const chen = (await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD }))
      .token;
    await apiCall(e, 'POST', `/volunteer-activities/${comingId}/signup`, chen, {});
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'volunteer');

  it('the 书记 edits the place and cancels the coming activity at 1280px; 陈志远 sees it cancelled on his 390px phone', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto(`/volunteer?activity=${comingId}`);
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByRole('button', { name: '修改活动' }).click();
    const edit = page.getByRole('dialog', { name: '修改志愿服务活动' });
    await edit.getByLabel('地点').fill('职工之家一楼大厅');
    await edit.getByLabel('名额（人）').fill('12');
    await e.shot(page, 'volunteer-edit-1280');
    await edit.getByRole('button', { name: /^保\s?存$/ }).click();
    await page.getByText('活动已修改').waitFor();
    await drawer.getByText('职工之家一楼大厅').waitFor();
    await drawer.getByText(/已报名 \d+ \/ 12/).waitFor();
    await drawer.getByRole('button', { name: '取消活动' }).click();
    const cancel = page.getByRole('dialog', { name: /取消活动：/ });
    await cancel.getByLabel('取消原因').fill('厂区门口道路施工，改期另行通知');
    await e.shot(page, 'volunteer-cancel-1280');
    await cancel.getByRole('button', { name: '确认取消活动' }).click();
    await page.getByText('活动已取消，已通知报名的志愿者').waitFor();
    await drawer.getByText('活动已取消：不能报名和签到').waitFor();
    assert.equal(await drawer.getByRole('button', { name: '修改活动' }).count(), 0);
    await e.shot(page, 'volunteer-cancelled-1280');

    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto('/my/volunteer');
    const record = phone.locator('.xf-vol-records .ant-list-item', { hasText: COMING });
    await record.getByText('活动已取消').waitFor();
    await noOverflow(phone, 'my records with a cancelled activity at 390px');
    await e.shot(phone, 'volunteer-cancelled-mine-390');
    const me = await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD });
    const inbox = await apiCall(e, 'GET', '/notifications?pageSize=50', me.token);
    const kinds = inbox.items.map((n: { kind: string; body: string }) => `${n.kind}:${n.body}`);
    assert.ok(
      kinds.some((k: string) => k.startsWith('volunteer.changed:') && k.includes('职工之家一楼大厅')),
      kinds.join('\n'),
    );
    assert.ok(
      kinds.some((k: string) => k.startsWith('volunteer.cancelled:') && k.includes('厂区门口道路施工')),
      kinds.join('\n'),
    );
    assert.deepEqual(e.pageErrors, []);
  });

  it('a member who did not sign up checks in on the spot with the QR code on a 390px phone; the roster marks it at 1280px', async () => {
    const phone = await e.page(390);
    await e.login(phone, walker);
    const { url } = await apiCall(e, 'GET', `/volunteer-activities/${ongoingId}/qr`, shuji);
    await phone.goto(new URL(url).pathname + new URL(url).search);
    await phone.getByRole('heading', { name: ONGOING }).waitFor();
    await phone.getByRole('button', { name: /^签\s?到$/ }).click();
    await phone.getByText('现场签到成功').waitFor();
    await phone.getByText('您没有提前报名，已为您登记报名并占用一个剩余名额。').waitFor();
    await noOverflow(phone, 'walk-in check-in at 390px');
    await e.shot(phone, 'volunteer-walkin-390');

    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto(`/volunteer?activity=${ongoingId}`);
    const row = page.locator('.ant-drawer-content').getByRole('row').filter({ hasText: '现场签到' });
    await row.getByText('已签到').waitFor();
    await e.shot(page, 'volunteer-walkin-roster-1280');
    assert.deepEqual(e.pageErrors, []);
  });
});
