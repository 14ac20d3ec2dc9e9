/**
 * #16 item 5 — 「提醒未回复」 on a meeting's invitation list. Rules proved: the record keeper's
 * reminder goes through the notice service to the invited members who have not answered (not to
 * those who confirmed or asked for leave), at most once per person per day (a second press the
 * same day sends nothing and says so in Chinese; the next day reaches them again), each press is
 * audited, and nobody but the meeting's record keepers may send it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';

const HOUR = 3600_000;

describe('提醒未回复 (POST /meetings/:id/reminders)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let branch: string; // 第一发电厂党支部
  let id: string;
  const offset = nowMs() - Date.now();
  const remind = (token: string, meetingId = id) =>
    t.request({ method: 'POST', url: `/api/v1/meetings/${meetingId}/reminders`, token });
  const replyNotices = async () =>
    queryRows<{ user_id: string; member_id: string | null }>(
      t.services.db,
      sql`select n.user_id, m.id as member_id from notification n left join member m on m.user_id = n.user_id
          where n.kind = 'meeting.reply' and n.dedupe_key like ${`meeting.reply:${id}:%`}`,
    );

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan] = await signIn(t, 'shuji', 'dangyuan');
    branch = await t.orgId('第一发电厂党支部');
    const start = nowMs() + 3 * 24 * HOUR;
    const m = await post('/meetings', shuji, {
      orgId: branch,
      kind: 'theme_day',
      title: '提醒回复测试主题党日',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 2 * HOUR).toISOString(),
      location: '党员活动室',
    });
    assert.equal(m.status, 201, m.raw);
    id = m.body.id;
  });
  after(async () => {
    setClock(new Date(Date.now() + offset));
    await t.close();
  });

  it('refuses before the notice is published, in Chinese', async () => {
    const r = await remind(shuji);
    assert.equal(r.status, 409, r.raw);
    assert.match(r.body.error.message, /请先发布通知/);
  });

  it('reminds only the invited who have not answered, through the notice service, and audits it', async () => {
    assert.equal((await post(`/meetings/${id}/publish`, shuji, {})).status, 200);
    // dangyuan answers (confirms): no reminder for them.
    const mine = await get('/meeting-invitations/mine?pageSize=100', dangyuan);
    const inv = (mine.body.items as { id: string; meetingId: string }[]).find((i) => i.meetingId === id);
    assert.ok(inv, mine.raw.slice(0, 300));
    assert.equal(
      (await post(`/meeting-invitations/${inv.id}/respond`, dangyuan, { response: 'confirmed' })).status,
      200,
    );
    const pending = await queryRows<{ member_id: string }>(
      t.services.db,
      sql`select member_id from meeting_attendance where meeting_id = ${id} and invited and response = 'pending'`,
    );
    const withAccount = await queryRows<{ id: string }>(
      t.services.db,
      sql`select u.id from app_user u join member m on m.user_id = u.id
          where not u.disabled and m.id in (select member_id from meeting_attendance where meeting_id = ${id} and invited and response = 'pending')`,
    );
    assert.ok(
      pending.length > 0 && withAccount.length > 0,
      'the demo branch has members without an answer, some with accounts',
    );

    const r = await remind(shuji);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.pending, pending.length);
    assert.equal(r.body.sent, withAccount.length);
    assert.equal(r.body.unreachable, pending.length - withAccount.length);
    assert.match(r.body.message, new RegExp(`已提醒 ${withAccount.length} 人回复`));
    const sent = await replyNotices();
    assert.deepEqual(sent.map((n) => n.user_id).sort(), withAccount.map((u) => u.id).sort());
    const me = await t.memberId('dangyuan');
    assert.ok(!sent.some((n) => n.member_id === me), 'a member who confirmed is not reminded');
    const [audit] = await queryRows<{ after: { sent: number; pending: number } }>(
      t.services.db,
      sql`select after from audit_log where action = 'meeting.reply_reminder' and entity_id = ${id} order by id desc limit 1`,
    );
    assert.deepEqual([audit?.after.sent, audit?.after.pending], [withAccount.length, pending.length]);
  });

  it('sends nothing a second time the same day and says so in Chinese; reaches them again the next day', async () => {
    const before = (await replyNotices()).length;
    const again = await remind(shuji);
    assert.equal(again.status, 200, again.raw);
    assert.equal(again.body.sent, 0);
    assert.match(again.body.message, /今天都已提醒过，每人每天最多提醒一次/);
    assert.equal((await replyNotices()).length, before);
    setClock(new Date(nowMs() + 24 * HOUR));
    const next = await remind(shuji);
    assert.equal(next.body.sent, before);
    assert.equal((await replyNotices()).length, 2 * before);
  });

  it('lets only the meeting’s record keepers send it: a member and another branch’s secretary are refused', async () => {
    const member = await remind(dangyuan);
    assert.equal(member.status, 403, member.raw);
    assert.match(member.body.error.message, /[\u4e00-\u9fa5]/);
    // A secretary of another branch: the meeting is outside their scope.
    const [other] = await queryRows<{ username: string }>(
      t.services.db,
      sql`select u.username from app_user u join user_role r on r.user_id = u.id
          where r.role = 'secretary' and r.org_id <> ${branch} and not u.disabled order by u.username limit 1`,
    );
    if (other) {
      const foreign = await remind(await t.login(other.username));
      assert.ok([403, 404].includes(foreign.status), foreign.raw);
    }
    assert.equal((await remind(shuji, '00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('refuses a cancelled meeting in Chinese', async () => {
    assert.equal((await post(`/meetings/${id}/cancel`, shuji, { reason: '改期' })).status, 200);
    const r = await remind(shuji);
    assert.equal(r.status, 409);
    assert.match(r.body.error.message, /会议已取消/);
  });
});
