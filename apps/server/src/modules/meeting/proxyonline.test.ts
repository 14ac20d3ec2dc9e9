/**
 * 代签（线上） (issue #27): a member who takes part online but has no phone is signed in by the secretary, counted as
 * online attendance (not in the room), marked 代签 and audited; refused for an in-person meeting, an uninvited member,
 * outside the window, and for a member who tries it on another member.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chinaDate, nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { hybridMeeting, iso, MIN } from './testing';

describe('代签（线上）: the secretary signs in a remote member without a phone', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let branch: string;
  const meeting = (over: Record<string, unknown> = {}) =>
    hybridMeeting(t, shuji, branch, { title: '党员大会（现场 + 线上）', ...over });

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan] = await signIn(t, 'shuji', 'dangyuan');
    branch = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  it('counts a 线上代签 as online attendance, marked 代签, audited — and the room count cannot take that member', async () => {
    const id = await meeting();
    const xiong = await t.memberId('jijian');
    const r = await post(`/meetings/${id}/checkin`, shuji, { memberId: xiong, online: true });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.checkinMethod, 'manual_online');
    assert.equal(r.body.presence, 'online');
    assert.equal(r.body.alreadySignedIn, false);
    const [audit] = await queryRows<{ after: { method: string; memberId: string }; username: string }>(
      t.services.db,
      sql`select l.after, u.username from audit_log l join app_user u on u.id = l.actor_id
          where l.action = 'meeting.checkin' and l.entity_id = ${r.body.id}`,
    );
    assert.ok(audit, 'the 代签 is in the audit log');
    assert.equal(audit.after.method, 'manual_online');
    assert.equal(audit.after.memberId, xiong);
    assert.equal(audit.username, 'shuji', 'the secretary is the actor');

    // Counted online in the attendance, the minutes and the compliance; not in the room.
    const att = await get(`/meetings/${id}/attendance?filter=signed_in`, shuji);
    assert.deepEqual(
      att.body.items.map((a: { memberId: string; presence: string; checkinMethod: string }) => [
        a.memberId,
        a.presence,
        a.checkinMethod,
      ]),
      [[xiong, 'online', 'manual_online']],
    );
    // One more in the room (from the sheet): the show of hands in the room may count only that one.
    const chen = await t.memberId('dangyuan');
    assert.equal((await post(`/meetings/${id}/checkin`, shuji, { memberId: chen })).status, 200);
    const mins = await get(`/meetings/${id}/minutes`, shuji);
    assert.equal(mins.body.presentOnline, 1, mins.raw.slice(0, 300));
    assert.equal(mins.body.presentInPerson, 1);
    const motion = await post(`/meetings/${id}/motions`, shuji, { title: '通过学习计划', kind: 'resolution' });
    assert.equal(motion.status, 201, motion.raw);
    const two = await post(`/meetings/${id}/motions/${motion.body.id}/close`, shuji, {
      room: { for: 2, against: 0, abstain: 0 },
    });
    assert.equal(two.status, 422, two.raw);
    assert.equal(two.body.error.code, 'ROOM_VOTES_TOO_MANY', 'the 线上代签 member is not in the room');

    // Twice: the first sign-in stands.
    const again = await post(`/meetings/${id}/checkin`, shuji, { memberId: xiong, online: true });
    assert.equal(again.status, 200);
    assert.equal(again.body.alreadySignedIn, true);

    // Minutes saved → the 台账 marks the name （线上，代签）.
    const saved = await put(`/meetings/${id}/minutes`, shuji, {
      host: '张建国',
      recorder: '组织委员',
      content: '学习党章第七条，讨论并通过支部学习计划。',
    });
    assert.equal(saved.status, 200, saved.raw);
    const year = chinaDate(new Date(nowMs() - 10 * MIN)).slice(0, 4);
    const ledger = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${branch}/meeting-ledger?format=docx&year=${year}`,
      headers: { authorization: `Bearer ${shuji}` },
    });
    assert.equal(ledger.statusCode, 200, ledger.body.slice(0, 200));
    const JSZip = (await import('jszip')).default;
    const text = (await (await JSZip.loadAsync(ledger.rawPayload)).file('word/document.xml')!.async('string')).replace(
      /<[^>]+>/g,
      '',
    );
    assert.match(text, /熊浩（线上，代签）/);
    const comp = await get(`/orgs/${branch}/compliance?year=${year}`, shuji);
    assert.ok(comp.body.attendance.online >= 1, JSON.stringify(comp.body.attendance));
  });

  it('refuses a 线上代签 for an in-person meeting, an uninvited member, outside the window, and from a member', async () => {
    const xiong = await t.memberId('jijian');
    const room = await meeting({ title: '现场党员大会', mode: 'in_person', online: null });
    const inPerson = await post(`/meetings/${room}/checkin`, shuji, { memberId: xiong, online: true });
    assert.equal(inPerson.status, 422, inPerson.raw);
    assert.equal(inPerson.body.error.code, 'MEETING_NOT_ONLINE');
    assert.match(inPerson.body.error.message, /现场会议/);

    // A 支委会 invites its committee: 陈志远 is not on it.
    const committee = await meeting({ kind: 'committee', title: '支委会（线上）' });
    const uninvited = await post(`/meetings/${committee}/checkin`, shuji, {
      memberId: await t.memberId('dangyuan'),
      online: true,
    });
    assert.equal(uninvited.status, 422, uninvited.raw);
    assert.equal(uninvited.body.error.code, 'NOT_INVITED');
    assert.match(uninvited.body.error.message, /不在本次会议的通知名单中/);

    const later = await meeting({ title: '稍后的党员大会', startsAt: iso(120 * MIN), endsAt: iso(180 * MIN) });
    const early = await post(`/meetings/${later}/checkin`, shuji, { memberId: xiong, online: true });
    assert.equal(early.status, 422, early.raw);
    assert.equal(early.body.error.code, 'CHECKIN_OUTSIDE_WINDOW');

    // A member signing in another member (online or not): 403; nothing written.
    const id = await meeting({ title: '党员大会（探针）' });
    const probe = await post(`/meetings/${id}/checkin`, dangyuan, { memberId: xiong, online: true });
    assert.equal(probe.status, 403, probe.raw);
    assert.equal(probe.body.error.code, 'CHECKIN_MANUAL_FORBIDDEN');
    const bad = await post(`/meetings/${id}/checkin`, shuji, { memberId: xiong, online: 'yes' });
    assert.equal(bad.status, 400, bad.raw);
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from meeting_attendance where meeting_id in (${room}, ${committee}, ${later}, ${id}) and checked_in_at is not null`,
    );
    assert.equal(n!.n, 0, 'no sign-in was written');
  });
});
