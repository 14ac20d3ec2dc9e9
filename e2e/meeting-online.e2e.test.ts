/**
 * 网上过组织生活 (issue #27) in the browser: a hybrid 党员大会. 熊浩 signs in by the venue QR code in the room;
 * 陈志远, on a 390 px phone, opens the meeting from 我的会议, signs in online with the code the secretary reads from
 * 线上参会, posts a statement and votes. The secretary's election vote is refused online with its citation; the
 * resolution is closed with the room's show of hands, and the statement, the tally and the attendance in person /
 * online appear in the minutes, the 台账 and the compliance view.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import JSZip from 'jszip';
import { apiCall, apiGet, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

describe('网上过组织生活: a hybrid 党员大会', () => {
  let e: E2e;
  let meetingId = '';
  let token = '';
  let orgId = '';
  const title = '党员大会：审议支部年度工作计划（现场 + 线上）';
  const it = itWithShots(() => e, 'meeting-online');
  const call = (method: string, url: string, tk: string | null, body?: unknown) => apiCall(e, method, url, tk, body);

  before(async () => {
    e = await startE2e();
    token = (await call('POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD })).token;
    orgId = (await call('GET', '/me', token)).roles[0].orgId as string;
    const m = await call('POST', '/meetings', token, {
      orgId,
      kind: 'party_congress',
      title,
      startsAt: new Date(nowMs() - 10 * 60_000).toISOString(),
      endsAt: new Date(nowMs() + 80 * 60_000).toISOString(),
      location: '党员活动室',
      mode: 'hybrid',
      online: { service: 'tencent', link: 'https://meeting.tencent.com/dm/XfDemo2026', number: '765 432 198' },
    });
    meetingId = m.id;
    await call('POST', `/meetings/${meetingId}/publish`, token, {});
  });
  after(() => e.close());

  it('signs in by QR in the room and by the spoken code on a phone; statement, votes, refusal, minutes, 台账, compliance', async () => {
    // The secretary's 线上参会 tab: the join link and the code to read out.
    const host = await e.page(1280);
    await e.login(host, 'shuji');
    await host.goto(`/meetings/${meetingId}?tab=online`);
    await host.getByText('765 432 198').first().waitFor();
    const codeBox = host.locator('.xf-online-code');
    await codeBox.filter({ hasText: /^\d{6}$/ }).waitFor();
    await e.shot(host, 'meeting-online-host-1280');

    // 熊浩 in the room scans the venue QR code.
    const room = await e.page(390);
    await e.login(room, 'jijian');
    const qr = await apiGet<{ url: string }>(host, `/meetings/${meetingId}/checkin-qr`);
    const url = new URL(qr.url);
    await room.goto(url.pathname + url.search);
    await room.getByRole('button', { name: /签\s*到/ }).click();
    await room.getByText('签到成功').waitFor();

    // 陈志远 on his phone: the notice's link opens 我的会议 with the meeting; one tap to 线上参会.
    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto(`/my/meetings?meeting=${meetingId}`);
    const card = phone.locator(`[data-meeting-id="${meetingId}"]`);
    await card.getByText(/腾讯会议 会议号 765 432 198/).waitFor();
    await e.shot(phone, 'meeting-online-notice-390');
    await card.getByRole('button', { name: /线上参会/ }).click();
    await phone.waitForURL(`**/my/meeting-room/${meetingId}`);
    await phone.getByRole('button', { name: /打开腾讯会议入会/ }).waitFor();
    // A wrong code is refused with a clear message.
    const code = (await codeBox.textContent())!.trim();
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    await phone.getByLabel('签到码').fill(wrong);
    await phone.getByRole('button', { name: /^签\s*到$/ }).click();
    await phone.getByText(/签到码不正确或已过期/).waitFor();
    await e.shot(phone, 'meeting-online-wrong-code-390');
    await phone.getByLabel('签到码').fill((await codeBox.textContent())!.trim());
    await phone.getByRole('button', { name: /^签\s*到$/ }).click();
    await phone.getByText(/已线上签到/).waitFor();
    await phone.getByLabel('发言内容').fill('我在项目现场线上参会。赞成年度工作计划，建议增加对青年党员的培训。');
    await phone.getByRole('button', { name: /提交发言/ }).click();
    await phone.getByText('发言已提交').waitFor();
    await phone
      .locator('.xf-room')
      .getByText(/建议增加对青年党员的培训/)
      .waitFor();
    await noOverflow(phone, 'the meeting room');
    await e.shot(phone, 'meeting-online-room-390');

    // The secretary sees him online and the statement; an election is refused online with the citation.
    await host.getByRole('button', { name: '刷新' }).click();
    await host.locator('.ant-list-item', { hasText: '陈志远' }).getByText('在线').waitFor();
    await host.getByText(/建议增加对青年党员的培训/).waitFor();
    await host.getByLabel('表决事项').fill('选举支部委员会委员');
    await host.locator('.xf-motion-form .ant-select').click();
    await host.locator('.ant-select-item-option[title="选举（换届、补选）（须现场）"]').click();
    await host.getByRole('button', { name: /发起表决/ }).click();
    await host
      .locator('.xf-motion-refusal')
      .getByText(/不能在网上表决，须在会场进行.*基层组织选举工作条例.*无记名投票/)
      .waitFor();
    await e.shot(host, 'meeting-online-election-refused-1280');
    await host.getByLabel('表决事项').fill('通过支部 2027 年度工作计划');
    await host.locator('.xf-motion-form .ant-select').click();
    await host.locator('.ant-select-item-option[title="一般决议事项"]').click();
    await host.getByRole('button', { name: /发起表决/ }).click();
    // The motion in the list, not the 3-second toast 「已发起表决」: under load the toast came and went unseen.
    await host
      .locator('.ant-list-item', { hasText: '通过支部 2027 年度工作计划' })
      .getByText(/表决中/)
      .waitFor();

    // 陈志远 votes on his phone (the page refreshes every 20 s; reload to see the vote at once).
    await phone.reload();
    const motion = phone.getByTestId('motion');
    await motion.getByText('表决：通过支部 2027 年度工作计划').waitFor();
    await motion.getByRole('button', { name: /^赞\s*成$/ }).click();
    await phone.getByText('已投票：赞成').first().waitFor();
    await e.shot(phone, 'meeting-online-voted-390');
    // In 大字模式 the room still fits the phone.
    await phone.getByRole('switch', { name: '大字模式' }).click();
    await phone.getByText('已投票：赞成').first().waitFor();
    await noOverflow(phone, 'the meeting room in 大字模式');
    await e.shot(phone, 'meeting-online-room-large-390');
    await phone.getByRole('switch', { name: '大字模式' }).click();

    // The room: the rest of the quorum signed in from the paper sheet; the show of hands entered on closing.
    const att = await call('GET', `/meetings/${meetingId}/minutes`, token);
    const voters = att.voting.entitled as number;
    const people = await call('GET', `/meetings/${meetingId}/attendance?filter=absent&pageSize=200`, token);
    const full = await call('GET', `/members?orgId=${orgId}&status=full&pageSize=200`, token);
    const fullIds = new Set((full.items as { id: string }[]).map((x) => x.id));
    const need = Math.floor(voters / 2) + 1; // 熊浩 in the room + 陈志远 online already count
    const inRoom = (people.items as { memberId: string; invited: boolean }[])
      .filter((a) => a.invited && fullIds.has(a.memberId))
      .slice(0, need - 2);
    for (const a of inRoom) await call('POST', `/meetings/${meetingId}/checkin`, token, { memberId: a.memberId });
    const hands = inRoom.length + 1;
    await host.getByRole('button', { name: '刷新' }).click();
    await host.getByRole('button', { name: /结束表决/ }).click();
    await host.getByLabel('会场赞成票数').fill(String(hands));
    await host.getByRole('button', { name: /结束并计票/ }).click();
    await host.getByText('表决已结束').waitFor();
    await host
      .locator('.xf-motion-tally')
      .getByText(new RegExp(`赞成 ${hands + 1} 票.*会场 ${hands} 票，线上 1 票`))
      .waitFor();
    await e.shot(host, 'meeting-online-tally-1280');

    // The minutes start from the draft: the statement with the name, the resolution with its vote.
    await host.goto(`/meetings/${meetingId}?tab=minutes`);
    const form = host.locator('form#minutes');
    await form.getByLabel('会议内容').waitFor();
    assert.match(await form.getByLabel('会议内容').inputValue(), /陈志远（线上）发言：我在项目现场线上参会/);
    assert.equal(await form.getByLabel('决议 1', { exact: true }).inputValue(), '通过支部 2027 年度工作计划');
    await form.getByLabel('主持人').fill('张建国');
    await form.getByLabel('记录人').fill('组织委员');
    await form.getByRole('button', { name: /保存会议记录/ }).click();
    await host.getByText('会议记录已保存').waitFor();
    await host.getByText(new RegExp(`：现场 ${hands}，线上 1`)).waitFor();
    await host.getByText('陈志远（线上）').first().waitFor();
    await host
      .getByText(new RegExp(`赞成 ${hands + 1}`))
      .first()
      .waitFor();
    await e.shot(host, 'meeting-online-minutes-1280');

    // The 台账 (Word): the mode, in person / online, and the statement.
    const month = new Date(nowMs() - 10 * 60_000 + 8 * 3600_000);
    const r = await fetch(
      `${e.server.url}/api/v1/orgs/${orgId}/meeting-ledger?year=${month.getUTCFullYear()}&month=${month.getUTCMonth() + 1}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(r.status, 200);
    const xml = await (
      await JSZip.loadAsync(Buffer.from(await r.arrayBuffer()))
    )
      .file('word/document.xml')!
      .async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    assert.match(text, /现场 \+ 线上（腾讯会议 会议号 765 432 198）/);
    assert.match(text, new RegExp(`现场 ${hands} 人，线上 1 人`));
    assert.match(text, /陈志远（线上）发言/);

    // Compliance: the month's attendance in person and online.
    await host.goto('/compliance?grain=month');
    await host
      .getByTestId('compliance-attendance')
      .getByText(/线上 1/)
      .waitFor();
    await e.shot(host, 'meeting-online-compliance-1280');
    const small = await e.page(390);
    await e.login(small, 'shuji');
    await small.goto(`/meetings/${meetingId}?tab=minutes`);
    await small.getByText('陈志远（线上）').first().waitFor();
    await noOverflow(small, 'the minutes with online attendance');
    await e.shot(small, 'meeting-online-minutes-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
