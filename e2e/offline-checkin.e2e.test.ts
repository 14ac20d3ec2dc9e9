/**
 * 离线签到 (issue 24): a member at a meeting place with no signal scans the venue QR code; the phone keeps the
 * sign-in (「已记录，联网后自动提交」) and sends it when the network returns; the server counts it at the time inside
 * the signed token and the secretary sees it counted, marked 离线签到. A sign-in queued with a forged code is refused
 * after reconnecting and the member is told so, not left guessing.
 *
 * The network is switched off with playwright's context.setOffline; the service worker is allowed, as on a real
 * phone, so the sign-in page opens with no network. The codes are what the venue screen showed ten minutes earlier
 * (minted with the server's own key), so the sign-in really arrives after its code expired on the screen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { checkinKey, issueCheckinToken } from '../apps/server/src/modules/meeting/checkin';
import { apiCall, DEMO_PASSWORD, noOverflow, secretaryOf, startE2e, underWorker, type E2e } from './harness';

const MIN = 60_000;
const TITLE = '主题党日：施工现场离线签到演练';
const OTHER = '党小组学习：离线签到（伪造二维码）';
const QUEUED = '已记录，联网后自动提交';

const queue = (page: Page) =>
  page.evaluate(() => {
    const k = Object.keys(localStorage).find((x) => x.startsWith('xf.queue.'));
    return k
      ? (JSON.parse(localStorage.getItem(k)!) as {
          title: string;
          state: string;
          queuedAt: number;
          body: { queued?: boolean };
        }[])
      : [];
  });

describe('离线签到: signed in with no network, sent on reconnect', () => {
  let e: E2e;
  let shuji: string;
  /** The secretary's branch. */
  let branch: string;
  let meetingId: string;
  let otherId: string;
  let token: { token: string; window: number };

  before(async () => {
    e = await startE2e();
    ({ token: shuji, orgId: branch } = await secretaryOf(e, 'shuji'));
    const meeting = async (title: string) => {
      const m = await apiCall(e, 'POST', '/meetings', shuji, {
        orgId: branch,
        kind: 'theme_day',
        title,
        startsAt: new Date(nowMs() - 20 * MIN).toISOString(),
        endsAt: new Date(nowMs() + 70 * MIN).toISOString(),
        location: '施工现场临时党员活动室',
      });
      await apiCall(e, 'POST', `/meetings/${m.id}/publish`, shuji, {});
      return m.id as string;
    };
    meetingId = await meeting(TITLE);
    otherId = await meeting(OTHER);
    token = issueCheckinToken(checkinKey(e.server.services.fieldCrypto), meetingId, new Date(nowMs() - 10 * MIN));
  });
  after(() => e.close());

  it('390: queued offline with 「已记录，联网后自动提交」, sent on reconnect; a forged code is refused in words; 1280: the secretary sees it counted', async () => {
    const phone = await e.page(390, { serviceWorkers: 'allow' });
    await e.login(phone, 'dangyuan');
    const home = () => phone.getByText('政治生日').waitFor();
    await home();
    await underWorker(phone, home);
    // Read 我的会议 once online, as a member does before going to the meeting place.
    await phone.goto('/my/meetings');
    await phone.getByTestId('invitation').filter({ hasText: TITLE }).waitFor();
    await phone.waitForLoadState('networkidle');

    await phone.context().setOffline(true);
    // The code on the venue screen opens the sign-in page with no network (the worker serves the app).
    await phone.goto(`/m/meetings/${meetingId}/checkin?token=${encodeURIComponent(token.token)}`);
    await phone.getByRole('heading', { name: TITLE }).waitFor();
    await phone.getByRole('button', { name: /签\s*到/ }).click();
    await phone.getByText(QUEUED).waitFor();
    await phone.getByText('1 条记录已保存在手机上，联网后自动提交').waitFor();
    await noOverflow(phone, 'queued sign-in');
    await e.shot(phone, 'offline-checkin-queued-390');

    // A second sign-in with a code nobody signed: also kept, refused only by the server.
    const forged = `v1.${otherId.replace(/-/g, '')}.${Math.floor(nowMs() / 60_000).toString(36)}.${'A'.repeat(22)}`;
    await phone.goto(`/m/meetings/${otherId}/checkin?token=${encodeURIComponent(forged)}`);
    await phone.getByRole('heading', { name: OTHER }).waitFor();
    await phone.getByRole('button', { name: /签\s*到/ }).click();
    await phone.getByText(QUEUED).waitFor();
    await phone.getByText('2 条记录已保存在手机上，联网后自动提交').waitFor();
    const waiting = await queue(phone);
    assert.deepEqual(
      waiting.map((w) => [w.state, w.body.queued]),
      [
        ['waiting', true],
        ['waiting', true],
      ],
    );
    // Stamped with the server's clock, which the app kept from its last answer: the pages opened with no network
    // have no answer to take it from (the run's clock is days away from the machine's).
    for (const w of waiting)
      assert.ok(Math.abs(w.queuedAt - nowMs()) < 5 * MIN, `queued at ${new Date(w.queuedAt).toISOString()}`);
    const before = await apiCall(e, 'GET', `/meetings/${meetingId}/attendance?filter=signed_in`, shuji);
    assert.equal(before.total, 0, 'nothing reached the server while offline');

    // Back online: both are sent by themselves; the page and the banner say what happened.
    await phone.context().setOffline(false);
    await phone.getByText(`未能提交：会议签到：${OTHER}`).waitFor({ timeout: 30_000 });
    await phone.getByText('签到二维码无效，请扫描会场屏幕上的二维码').first().waitFor();
    await phone.getByText(`已提交：会议签到：${TITLE}`).waitFor();
    await e.shot(phone, 'offline-checkin-sent-390');
    const done = await queue(phone);
    assert.deepEqual(done.map((w) => w.state).sort(), ['failed', 'sent']);

    // Counted at the time inside the code, marked as sent late.
    const after = await apiCall(e, 'GET', `/meetings/${meetingId}/attendance?filter=signed_in`, shuji);
    assert.equal(after.total, 1);
    const a = after.items[0];
    assert.equal(a.memberName, '陈志远');
    assert.equal(Date.parse(a.checkedInAt), token.window * 60_000, 'signed in at the time inside the token');
    assert.ok(a.checkinSubmittedAt && Date.parse(a.checkinSubmittedAt) > Date.parse(a.checkedInAt) + 3 * MIN);
    const other = await apiCall(e, 'GET', `/meetings/${otherId}/attendance?filter=signed_in`, shuji);
    assert.equal(other.total, 0, 'the forged code signed nobody in');

    // The member dismisses the refusal; what was sent stays until dismissed too.
    await phone
      .getByRole('button', { name: /知道了/ })
      .first()
      .click();
    await phone
      .getByRole('button', { name: /知道了/ })
      .first()
      .click();
    await phone.locator('[data-testid="queue"]').waitFor({ state: 'detached' });

    // The secretary's sign-in list counts it, marked 离线签到 with when it arrived.
    const desk = await e.page(1280);
    await e.login(desk, 'shuji');
    await desk.goto(`/meetings/${meetingId}?tab=checkin`);
    const row = desk.locator('.ant-table-row', { hasText: '陈志远' });
    await row.getByText('离线签到').waitFor();
    await desk.getByRole('button', { name: /签到二维码/ }).waitFor();
    await e.shot(desk, 'offline-checkin-secretary-1280');
  });

  it('390: a 补学 confirmed with no network is kept and sent on reconnect; 1280: the secretary enters one for a member without a phone (代为填写), marked on the list at 390 too', async () => {
    const dangyuan = (await apiCall(e, 'POST', '/auth/login', null, { username: 'dangyuan', password: DEMO_PASSWORD }))
      .token;
    type Inv = { id: string; meetingId: string; makeupDoneAt: string | null; meeting: { title: string } };
    // A meeting begun half an hour ago whose minutes are saved with nobody signed in: everyone has a 补学 to do.
    const held = await apiCall(e, 'POST', '/meetings', shuji, {
      orgId: branch,
      kind: 'theme_day',
      title: '主题党日：补学离线确认演练',
      startsAt: new Date(nowMs() - 30 * MIN).toISOString(),
      endsAt: new Date(nowMs() + 30 * MIN).toISOString(),
      location: '党员活动室',
    });
    await apiCall(e, 'POST', `/meetings/${held.id}/publish`, shuji, {});
    type Row = { memberId: string; memberName: string };
    const invited = (await apiCall(e, 'GET', `/meetings/${held.id}/attendance?pageSize=100`, shuji)).items as Row[];
    const bystanders = invited.filter((x) => x.memberName !== '陈志远' && x.memberName !== '张建国');
    // One came (minutes need someone present); the rest, 陈志远 among them, missed it.
    await apiCall(e, 'POST', `/meetings/${held.id}/checkin`, shuji, { memberId: bystanders[0]!.memberId });
    await apiCall(e, 'PUT', `/meetings/${held.id}/minutes`, shuji, {
      host: '张建国',
      recorder: '李明',
      content: '学习了党章第二章，党员结合岗位交流发言。',
    });
    const missed = (await apiCall(e, 'GET', '/meeting-invitations/mine?filter=makeup&pageSize=50', dangyuan))
      .items as Inv[];
    const inv = missed.find((i) => i.meetingId === held.id)!;
    assert.ok(inv && !inv.makeupDoneAt, 'the member has the meeting to make up');
    const reflection = '在车间没有信号时学习了会议记录，体会是要把会议精神落实到岗位上。';

    const phone = await e.page(390, { serviceWorkers: 'allow' });
    await e.login(phone, 'dangyuan');
    const home = () => phone.getByText('政治生日').waitFor();
    await home();
    await underWorker(phone, home);
    // Opened once online (the materials are kept), then the signal goes.
    await phone.goto(`/my/meetings/${inv.id}`);
    const box = phone.getByLabel('学习体会');
    await box.waitFor();
    await phone.waitForLoadState('networkidle');
    await phone.context().setOffline(true);
    await box.fill(reflection);
    await phone.getByRole('button', { name: /确认已学习/ }).click();
    await phone.getByText(/补学确认已保存在本机，联网后自动提交/).waitFor();
    await phone.getByText('1 条记录已保存在手机上，联网后自动提交').waitFor();
    assert.equal(await box.count(), 0, 'the form gives way to what is waiting');
    await noOverflow(phone, 'queued 补学');
    await e.shot(phone, 'offline-makeup-queued-390');
    const waiting = (await apiCall(e, 'GET', `/meeting-invitations/${inv.id}`, dangyuan)) as Inv;
    assert.equal(waiting.makeupDoneAt, null, 'nothing reached the server while offline');

    await phone.context().setOffline(false);
    await phone.getByText(`已提交：补学：${inv.meeting.title}`).waitFor({ timeout: 30_000 });
    await phone
      .getByText(/确认补学/)
      .first()
      .waitFor();
    const sent = (await apiCall(e, 'GET', `/meeting-invitations/${inv.id}`, dangyuan)) as Inv & {
      makeupReflection: string;
    };
    assert.ok(sent.makeupDoneAt);
    assert.equal(sent.makeupReflection, reflection);
    await e.shot(phone, 'offline-makeup-sent-390');

    // The secretary enters the 补学 of an absentee without a phone, with the reason.
    const desk = await e.page(1280);
    await e.login(desk, 'shuji');
    // Another absentee of the same meeting, who has no phone.
    const target = { meetingId: held.id as string, name: bystanders[1]!.memberName };
    await desk.goto(`/meetings/${target.meetingId}?tab=makeup`);
    const name = target.name;
    const row = desk.locator('.ant-table-row', { hasText: name });
    await row.getByRole('button', { name: '代为确认' }).click();
    const dialog = desk.getByRole('dialog', { name: `代为确认补学：${name}` });
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('学习体会至少 10 个字').waitFor();
    await dialog.getByLabel('学习体会').fill('电话里讲了学习体会：认真学习会议精神，做好本职工作。');
    await e.shot(desk, 'makeup-proxy-1280');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await desk.getByText(`已为${name}记录补学（代为填写）`).waitFor();
    await desk.locator('.ant-table-row', { hasText: name }).getByText('代为填写').waitFor();
    await e.shot(desk, 'makeup-proxy-done-1280');

    const small = await e.page(390);
    await e.login(small, 'shuji');
    await small.goto(`/meetings/${target.meetingId}?tab=makeup`);
    await small.getByText(`已补学（代为填写）：电话里讲了学习体会`, { exact: false }).waitFor();
    await noOverflow(small, 'the 补学 list on a phone');
    await e.shot(small, 'makeup-proxy-390');
  });
});
