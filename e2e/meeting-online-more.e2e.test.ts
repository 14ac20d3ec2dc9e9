/**
 * 网上过组织生活, the rest of issue #27 in the browser:
 * - 线上代签: the secretary signs in 熊浩 (no phone, on the line) as online attendance from 签到 (1280 and 390);
 * - 举手: 陈志远 on a 390 px phone raises his hand, the secretary (1280) sees the queue and calls on him, his page
 *   says 主持人请您发言, he lowers it;
 * - 流动党员: the 组织部 registers 研发中心党支部 as 陈志远's 流入地党组织 (1280); 研发中心's meeting invites him and he signs
 *   in there from 我的会议 on his phone (390); his home branch's compliance counts it.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { addMonths, nowMs, todayInChina } from '@xianfeng/shared';
import { apiCall, DEMO_PASSWORD, itWithShots, noOverflow, pickOrg, startE2e, type E2e } from './harness';

const JOIN = { service: 'tencent', link: 'https://meeting.tencent.com/dm/XfMore2026', number: '765 432 100' };

describe('网上过组织生活: 线上代签, 举手, 流动党员 at the host branch', () => {
  let e: E2e;
  let token = '';
  let orgId = '';
  const it = itWithShots(() => e, 'meeting-online-more');
  const call = (method: string, url: string, tk: string | null, body?: unknown) => apiCall(e, method, url, tk, body);
  const login = async (username: string) =>
    (await call('POST', '/auth/login', null, { username, password: DEMO_PASSWORD })).token as string;
  const meeting = async (tk: string, org: string, title: string) => {
    const m = await call('POST', '/meetings', tk, {
      orgId: org,
      kind: 'party_congress',
      title,
      startsAt: new Date(nowMs() - 10 * 60_000).toISOString(),
      endsAt: new Date(nowMs() + 80 * 60_000).toISOString(),
      location: '党员活动室',
      mode: 'hybrid',
      online: JOIN,
    });
    await call('POST', `/meetings/${m.id}/publish`, tk, {});
    return m.id as string;
  };

  before(async () => {
    e = await startE2e();
    token = await login('shuji');
    orgId = (await call('GET', '/me', token)).roles[0].orgId as string;
  });
  after(() => e.close());

  it('线上代签 for a member without a phone; 举手 from the phone, called on by the host', async () => {
    const id = await meeting(token, orgId, '党员大会：学习讨论（线上代签与举手）');
    // 线上代签: the secretary, on the 签到 tab, signs in 熊浩 as taking part online.
    const host = await e.page(1280);
    await e.login(host, 'shuji');
    await host.goto(`/meetings/${id}?tab=checkin`);
    const row = host.locator('.ant-table-row', { hasText: '熊浩' });
    await row.getByRole('button', { name: '线上代签' }).click();
    await row.getByText('线上代签').first().waitFor();
    await row.getByRole('button', { name: '线上代签' }).waitFor({ state: 'detached' });
    await e.shot(host, 'meeting-online-more-proxy-1280');
    const hostPhone = await e.page(390);
    await e.login(hostPhone, 'shuji');
    await hostPhone.goto(`/meetings/${id}?tab=checkin`);
    await hostPhone
      .getByText(/\d\d:\d\d 线上代签/)
      .first()
      .waitFor();
    await noOverflow(hostPhone, 'the 签到 tab');
    await e.shot(hostPhone, 'meeting-online-more-proxy-390');

    // 陈志远 signs in online and raises his hand on his phone.
    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    const code = (await call('GET', `/meetings/${id}/remote-code`, token)).code as string;
    await phone.goto(`/my/meeting-room/${id}`);
    await phone.getByLabel('签到码').fill(code);
    await phone.getByRole('button', { name: /^签\s*到$/ }).click();
    await phone.getByText(/已线上签到/).waitFor();
    await phone.getByRole('button', { name: /举手发言/ }).click();
    await phone.getByText(/排第 1 位，请等待主持人点名/).waitFor();
    await noOverflow(phone, 'the meeting room with a raised hand');
    await e.shot(phone, 'meeting-online-more-hand-raised-390');

    // The host sees the queue (it refreshes by itself every 5 s) and calls on him.
    await host.goto(`/meetings/${id}?tab=online`);
    const queue = host.locator('.xf-hands');
    await queue.getByText('1. 陈志远').waitFor();
    await queue.getByRole('button', { name: '点名发言' }).click();
    await queue.getByText('发言中').waitFor();
    await e.shot(host, 'meeting-online-more-hands-1280');

    // His page follows by itself (every 5 s while the hand is up): 主持人请您发言; he lowers the hand.
    await phone.getByText('主持人请您发言').waitFor({ timeout: 20_000 });
    await e.shot(phone, 'meeting-online-more-called-390');
    await phone.getByRole('button', { name: /放\s*下/ }).click();
    await phone.getByRole('button', { name: /举手发言/ }).waitFor();
    await queue.getByText('暂无举手').waitFor({ timeout: 20_000 });
  });

  it('流动党员: the 组织部 registers the 流入地党组织; the host branch’s meeting invites him and he signs in there', async () => {
    const chen = (await call('GET', '/members/me', await login('dangyuan'))).id as string;
    const since = addMonths(todayInChina(), -1);
    await call('POST', `/members/${chen}/flow`, token, {
      location: '北京市海淀区（研发中心驻点）',
      since,
      expectedUntil: addMonths(since, 9),
      contact: '电话',
    });
    // The 组织部 (both branches in its scope) registers 研发中心党支部 on his 流动党员 tab.
    const admin = await e.page(1280);
    await e.login(admin, 'zuzhibu');
    await admin.goto(`/members/${chen}?tab=flow`);
    await pickOrg(admin, admin.locator('.xf-flow-host .ant-select'), [
      '华夏能源集团党委',
      '华夏新材料有限公司党委',
      '研发中心党支部',
    ]);
    await admin.getByRole('button', { name: '登记流入地党组织' }).click();
    await admin.getByText('已登记流入地党组织').waitFor();
    await admin.locator('.ant-descriptions-item-content', { hasText: '研发中心党支部' }).waitFor();
    await e.shot(admin, 'meeting-online-more-flow-host-1280');

    // 研发中心's 党员大会 invites him; on his phone he opens it from 我的会议 and signs in online.
    const shuji2 = await login('shuji2');
    const hostOrg = (await call('GET', '/me', shuji2)).roles[0].orgId as string;
    const id = await meeting(shuji2, hostOrg, '研发中心党员大会（流动党员参加）');
    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto(`/my/meetings?meeting=${id}`);
    const card = phone.locator(`[data-meeting-id="${id}"]`);
    await card.getByText('研发中心党员大会（流动党员参加）').waitFor();
    await e.shot(phone, 'meeting-online-more-flow-notice-390');
    await card.getByRole('button', { name: /线上参会/ }).click();
    await phone.waitForURL(`**/my/meeting-room/${id}`);
    const code = (await call('GET', `/meetings/${id}/remote-code`, shuji2)).code as string;
    await phone.getByLabel('签到码').fill(code);
    await phone.getByRole('button', { name: /^签\s*到$/ }).click();
    await phone.getByText(/已线上签到/).waitFor();
    await noOverflow(phone, 'the host branch’s meeting room');
    await e.shot(phone, 'meeting-online-more-flow-signed-390');

    // The host's secretary sees him by name; once the minutes are saved his home branch counts it.
    const att = await call('GET', `/meetings/${id}/attendance?filter=signed_in`, shuji2);
    assert.deepEqual(
      att.items.map((a: { memberName: string; viaFlow: boolean }) => [a.memberName, a.viaFlow]),
      [['陈志远', true]],
    );
    await call('PUT', `/meetings/${id}/minutes`, shuji2, {
      host: '刘芳',
      recorder: '组织委员',
      content: '学习党章，讨论研发中心年度工作计划。',
    });
    const home = await e.page(1280);
    await e.login(home, 'shuji');
    await home.goto('/compliance');
    await home
      .getByTestId('compliance-attendance')
      .getByText(/含流动党员在流入地党组织参加组织生活：应到 1 人次，实到 1 人次/)
      .waitFor();
    await e.shot(home, 'meeting-online-more-flow-compliance-1280');
  });
});
