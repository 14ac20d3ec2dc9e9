/**
 * 离线签到 (issue #24): a member at a meeting place with no signal scans the venue QR code; the phone keeps the
 * sign-in and sends it when the network returns, marked `queued`. The server judges it by the time inside the signed
 * token — that time must fall in the meeting's sign-in window, and the submission must come within
 * QUEUED_CHECKIN_RULE.maxDelayHours of it — refuses forged, other meetings' and too old tokens and cancelled
 * meetings in Chinese, signs a member in once however often the phone resends, and records when it arrived.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { nowMs, QUEUED_CHECKIN_RULE } from '@xianfeng/shared';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { checkinKey, issueCheckinToken } from './checkin';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

describe('离线签到: a sign-in queued on the phone and sent later', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let branch: string;
  let selfId: string;
  /** A meeting of branch A that started `startedAgo` ms ago and lasted `length` ms. */
  const meeting = async (startedAgo: number, length = 90 * MIN, title = '主题党日（离线签到）') => {
    const r = await post('/meetings', shuji, {
      orgId: branch,
      kind: 'theme_day',
      title,
      startsAt: iso(-startedAgo),
      endsAt: iso(-startedAgo + length),
      location: '施工现场临时党员活动室',
    });
    assert.equal(r.status, 201, r.raw);
    return r.body.id as string;
  };
  /** The token the venue screen showed `ago` ms ago. */
  const tokenAt = (meetingId: string, ago: number) =>
    issueCheckinToken(checkinKey(t.services.fieldCrypto), meetingId, new Date(nowMs() - ago));
  const checkins = async (meetingId: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from meeting_attendance where meeting_id = ${meetingId} and checked_in_at is not null`,
      )
    )[0]!.n;
  const audits = async (entityId: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from audit_log where action = 'meeting.checkin' and entity_id = ${entityId}`,
      )
    )[0]!.n;

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan] = await signIn(t, 'shuji', 'dangyuan');
    branch = await t.orgId('第一发电厂党支部');
    selfId = await t.memberId('dangyuan');
  });
  after(() => t.close());

  it('accepts a sign-in scanned on time and sent hours later, at the time inside the token, marked as sent late', async () => {
    const id = await meeting(3 * HOUR);
    // Scanned 2 minutes after the start (on time), sent 2 h 58 min later.
    const scanned = tokenAt(id, 3 * HOUR - 2 * MIN);
    const r = await post(`/meetings/${id}/checkin`, dangyuan, { token: scanned.token, queued: true });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.memberId, selfId);
    assert.equal(r.body.checkinMethod, 'qr');
    assert.equal(r.body.alreadySignedIn, false);
    const tokenTime = scanned.window * 60_000;
    assert.equal(Date.parse(r.body.checkedInAt), tokenTime, 'signed in at the time inside the token');
    assert.equal(r.body.late, false, 'on time by the token, though it arrived hours after the start');
    assert.ok(r.body.checkinSubmittedAt, 'the arrival is recorded');
    assert.ok(Math.abs(Date.parse(r.body.checkinSubmittedAt) - nowMs()) < MIN);
    // The secretary sees it in the meeting's attendance, marked as sent late.
    const list = await get(`/meetings/${id}/attendance?filter=signed_in`, shuji);
    assert.equal(list.status, 200, list.raw);
    const row = list.body.items.find((a: { memberId: string }) => a.memberId === selfId);
    assert.ok(row, 'counted among the signed-in');
    assert.equal(row.checkinSubmittedAt, r.body.checkinSubmittedAt);
    // Audited once, with both times.
    const [entry] = await queryRows<{ after: { at: string; submittedAt?: string } }>(
      t.services.db,
      sql`select after from audit_log where action = 'meeting.checkin' and entity_id = ${r.body.id}`,
    );
    assert.equal(Date.parse(entry!.after.at), tokenTime);
    assert.ok(entry!.after.submittedAt);
  });

  it('judges lateness by the token: scanned 20 minutes after the start is late', async () => {
    const id = await meeting(2 * HOUR);
    const r = await post(`/meetings/${id}/checkin`, dangyuan, {
      token: tokenAt(id, 2 * HOUR - 20 * MIN).token,
      queued: true,
    });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.late, true);
  });

  it('signs the member in once however often the phone resends it (a replayed queued request changes nothing)', async () => {
    const id = await meeting(HOUR);
    const token = tokenAt(id, HOUR - 5 * MIN).token;
    const first = await post(`/meetings/${id}/checkin`, dangyuan, { token, queued: true });
    assert.equal(first.status, 200, first.raw);
    for (let i = 0; i < 2; i++) {
      const again = await post(`/meetings/${id}/checkin`, dangyuan, { token, queued: true });
      assert.equal(again.status, 200, again.raw);
      assert.equal(again.body.alreadySignedIn, true);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.checkedInAt, first.body.checkedInAt);
      assert.equal(again.body.checkinSubmittedAt, first.body.checkinSubmittedAt);
    }
    // A later token of the same meeting does not move the sign-in either.
    const later = await post(`/meetings/${id}/checkin`, dangyuan, {
      token: tokenAt(id, 10 * MIN).token,
      queued: true,
    });
    assert.equal(later.body.checkedInAt, first.body.checkedInAt);
    assert.equal(await checkins(id), 1);
    assert.equal(await audits(first.body.id), 1);
  });

  it('answers a fresh token sent through the queue as an on-the-spot sign-in (nothing marked late)', async () => {
    const id = await meeting(10 * MIN);
    const r = await post(`/meetings/${id}/checkin`, dangyuan, {
      token: tokenAt(id, 30_000).token,
      queued: true,
    });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.checkinSubmittedAt, null);
    assert.ok(Math.abs(Date.parse(r.body.checkedInAt) - nowMs()) < MIN);
  });

  it('still refuses an old token scanned online: only the queue may send it late', async () => {
    const id = await meeting(HOUR);
    const r = await post(`/meetings/${id}/checkin`, dangyuan, { token: tokenAt(id, 30 * MIN).token });
    assert.equal(r.status, 400, r.raw);
    assert.equal(r.body.error.code, 'CHECKIN_TOKEN_EXPIRED');
    assert.equal(await checkins(id), 0);
  });

  it('refuses forged tokens and another meeting’s token in Chinese, and writes nothing', async () => {
    const id = await meeting(2 * HOUR);
    const other = await meeting(2 * HOUR, 90 * MIN, '另一场会议');
    const good = tokenAt(id, 2 * HOUR - 5 * MIN).token;
    const cases: [string, string][] = [
      [good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA'), 'CHECKIN_TOKEN_INVALID'],
      // The window (the time inside the token) changed to a later one: the MAC no longer matches.
      [
        good.replace(
          /^(v1\.[0-9a-f]{32}\.)([0-9a-z]+)/,
          (_, p: string, w: string) => p + (parseInt(w, 36) + 60).toString(36),
        ),
        'CHECKIN_TOKEN_INVALID',
      ],
      ['v1.' + '0'.repeat(32) + '.abc.' + 'A'.repeat(22), 'CHECKIN_TOKEN_INVALID'],
      [tokenAt(other, 2 * HOUR - 5 * MIN).token, 'CHECKIN_TOKEN_WRONG_MEETING'],
    ];
    for (const [token, code] of cases) {
      const r = await post(`/meetings/${id}/checkin`, dangyuan, { token, queued: true });
      assert.equal(r.status, 400, `${code}: ${r.raw}`);
      assert.equal(r.body.error.code, code);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
    assert.equal(await checkins(id), 0);
  });

  it('refuses a token whose time is outside the sign-in window, and one sent too long after it', async () => {
    // Scanned 45 minutes before the start: sign-in opens 30 minutes before.
    const early = await meeting(HOUR);
    const r1 = await post(`/meetings/${early}/checkin`, dangyuan, {
      token: tokenAt(early, HOUR + 45 * MIN).token,
      queued: true,
    });
    assert.equal(r1.status, 422, r1.raw);
    assert.equal(r1.body.error.code, 'CHECKIN_OUTSIDE_WINDOW');
    assert.match(r1.body.error.message, /扫码时间（.+）不在签到时间内/);
    // Scanned after the end.
    const ended = await meeting(3 * HOUR, HOUR);
    const r2 = await post(`/meetings/${ended}/checkin`, dangyuan, {
      token: tokenAt(ended, HOUR).token,
      queued: true,
    });
    assert.equal(r2.status, 422, r2.raw);
    assert.equal(r2.body.error.code, 'CHECKIN_OUTSIDE_WINDOW');
    // Scanned on time, but the phone sends it more than the bound later.
    const max = QUEUED_CHECKIN_RULE.maxDelayHours * HOUR;
    const old = await meeting(max + 2 * HOUR);
    const r3 = await post(`/meetings/${old}/checkin`, dangyuan, {
      token: tokenAt(old, max + HOUR).token,
      queued: true,
    });
    assert.equal(r3.status, 400, r3.raw);
    assert.equal(r3.body.error.code, 'CHECKIN_QUEUED_TOO_LATE');
    assert.match(r3.body.error.message, /超过 24 小时/);
    // Just inside the bound is still accepted.
    const edge = await meeting(max - 10 * MIN + 5 * MIN);
    const r4 = await post(`/meetings/${edge}/checkin`, dangyuan, {
      token: tokenAt(edge, max - 10 * MIN).token,
      queued: true,
    });
    assert.equal(r4.status, 200, r4.raw);
    for (const m of [early, ended, old]) assert.equal(await checkins(m), 0);
  });

  it('refuses a queued sign-in for a meeting cancelled since', async () => {
    const id = await meeting(2 * HOUR);
    const token = tokenAt(id, 2 * HOUR - 5 * MIN).token;
    const c = await post(`/meetings/${id}/cancel`, shuji, { reason: '因暴雨改期' });
    assert.equal(c.status, 200, c.raw);
    const r = await post(`/meetings/${id}/checkin`, dangyuan, { token, queued: true });
    assert.equal(r.status, 409, r.raw);
    assert.equal(r.body.error.code, 'MEETING_CANCELLED');
    assert.match(r.body.error.message, /会议已取消/);
    assert.equal(await checkins(id), 0);
  });
});
