/**
 * 网上过组织生活 (issue #27): meeting mode with the video link, remote sign-in with the host's rotating code,
 * who left early, statements into the minutes draft, and votes — online in the app, in the room by show of hands —
 * with elections and the admission vote refused online with their citation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chinaDate, nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { issueQrCode } from '../../platform/qr-token';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { asCaller, misanswered } from '../../testing/probes';
import { hybridMeeting, iso, JOIN, MIN, remoteCode } from './testing';
import { checkinKey, issueCheckinToken } from './checkin';

describe('网上过组织生活: remote attendance, statements and votes', () => {
  let t: TestApp;
  const { get, post, put, patch } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let jijian: string;
  let branch: string;
  let key: Buffer;
  const meeting = (over: Record<string, unknown> = {}) =>
    hybridMeeting(t, shuji, branch, { title: '党员大会：审议支部工作计划（现场 + 线上）', ...over });
  const code = (id: string) => remoteCode(t, shuji, id);

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan, jijian] = await signIn(t, 'shuji', 'dangyuan', 'jijian');
    branch = await t.orgId('第一发电厂党支部');
    key = checkinKey(t.services.fieldCrypto);
  });
  after(() => t.close());

  it('keeps the mode and the video link: validated, required online, shown in the notice', async () => {
    const base = {
      orgId: branch,
      kind: 'party_congress',
      title: '线上党员大会',
      startsAt: iso(60 * MIN),
      endsAt: iso(120 * MIN),
      location: '线上',
    };
    const noLink = await post('/meetings', shuji, { ...base, mode: 'online' });
    assert.equal(noLink.status, 422, noLink.raw);
    assert.equal(noLink.body.error.code, 'MEETING_ONLINE_LINK_REQUIRED');
    const http = await post('/meetings', shuji, {
      ...base,
      mode: 'online',
      online: { ...JOIN, link: 'http://meeting.tencent.com/x' },
    });
    assert.equal(http.status, 400, http.raw);
    assert.match(http.raw, /https:\/\//);
    const js = await post('/meetings', shuji, {
      ...base,
      mode: 'online',
      online: { ...JOIN, link: 'javascript:alert(1)' },
    });
    assert.equal(js.status, 400);
    const badNumber = await post('/meetings', shuji, {
      ...base,
      mode: 'online',
      online: { ...JOIN, number: '<b>1</b>' },
    });
    assert.equal(badNumber.status, 400);
    const id = await meeting({ title: '线上党员大会（通知）', startsAt: iso(60 * MIN), endsAt: iso(120 * MIN) });
    const shown = await get(`/meetings/${id}`, shuji);
    assert.equal(shown.body.mode, 'hybrid');
    assert.deepEqual(shown.body.online, { ...JOIN, serviceLabel: '腾讯会议' });
    const [notice] = await queryRows<{ body: string }>(
      t.services.db,
      sql`select n.body from notification n join app_user u on u.id = n.user_id
          where u.username = 'dangyuan' and n.kind = 'meeting.notice' and n.link like ${`%${id}%`}`,
    );
    assert.match(notice!.body, /腾讯会议 会议号 123 456 789/);
    assert.match(notice!.body, /https:\/\/meeting\.tencent\.com\/dm\/AbCdEf123/);
    // The member's page shows the link too.
    const room = await get(`/meetings/${id}/room`, dangyuan);
    assert.equal(room.status, 200, room.raw);
    assert.equal(room.body.meeting.online.link, JOIN.link);
    // Back to in person: the link goes.
    const patched = await patch(`/meetings/${id}`, shuji, { mode: 'in_person' });
    assert.equal(patched.status, 200, patched.raw);
    assert.equal(patched.body.online, null);
    const noCode = await get(`/meetings/${id}/remote-code`, shuji);
    assert.equal(noCode.body.error.code, 'MEETING_NOT_ONLINE');
  });

  it('signs a remote member in with the spoken code only: in the window, invited, a current code, once', async () => {
    const id = await meeting();
    // A code of ten minutes ago, the venue QR token, and a made-up code are refused.
    const stale = issueQrCode(key, 'remote-checkin', id, 6, new Date(nowMs() - 10 * MIN)).code;
    const current = await code(id);
    assert.match(current, /^\d{6}$/);
    if (stale !== current) {
      const r = await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: stale });
      assert.equal(r.status, 422, r.raw);
      assert.equal(r.body.error.code, 'CHECKIN_CODE_INVALID');
      assert.match(r.body.error.message, /签到码不正确或已过期/);
    }
    const qr = await post(`/meetings/${id}/remote-checkin`, dangyuan, {
      code: issueCheckinToken(key, id).token,
    });
    assert.equal(qr.status, 400);
    assert.match(qr.body.error.message, /6 位数字/);
    const forged = String((Number(current) + 1) % 1_000_000).padStart(6, '0');
    assert.equal(
      (await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: forged })).body.error.code,
      'CHECKIN_CODE_INVALID',
    );
    // Another meeting's code is not this one's.
    const other = await meeting({ title: '另一场党员大会' });
    const otherCode = await code(other);
    if (otherCode !== current)
      assert.equal(
        (await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: otherCode })).body.error.code,
        'CHECKIN_CODE_INVALID',
      );

    const ok = await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: current });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.checkinMethod, 'code');
    assert.equal(ok.body.presence, 'online');
    const twice = await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: await code(id) });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'ALREADY_SIGNED_IN');
    assert.match(twice.body.error.message, /线上签到，不能重复签到/);

    // Outside the window: a meeting starting in two hours.
    const later = await meeting({ title: '稍后的党员大会', startsAt: iso(120 * MIN), endsAt: iso(180 * MIN) });
    const early = await post(`/meetings/${later}/remote-checkin`, dangyuan, { code: await code(later) });
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'CHECKIN_OUTSIDE_WINDOW');
    assert.match(early.body.error.message, /不在签到时间内/);

    // Not invited: a 支委会 invites its committee members; 陈志远 is not one.
    const committee = await meeting({ kind: 'committee', title: '支委会（线上）' });
    const uninvited = await post(`/meetings/${committee}/remote-checkin`, dangyuan, {
      code: await code(committee),
    });
    assert.equal(uninvited.status, 422, uninvited.raw);
    assert.equal(uninvited.body.error.code, 'NOT_INVITED');
    assert.match(uninvited.body.error.message, /不在本次会议的通知名单中/);

    // An in-person meeting has no remote sign-in.
    const room = await meeting({ title: '现场党员大会', mode: 'in_person', online: null });
    const inPerson = await post(`/meetings/${room}/remote-checkin`, dangyuan, { code: current });
    assert.equal(inPerson.body.error.code, 'MEETING_NOT_ONLINE');
  });

  it('locks a member out after five wrong codes', async () => {
    const id = await meeting({ title: '猜码测试' });
    const current = await code(id);
    const wrong = ['000000', '111111', '222222', '333333', '444444', '555555', '666666'].filter((c) => c !== current);
    for (const c of wrong.slice(0, 5))
      assert.equal(
        (await post(`/meetings/${id}/remote-checkin`, jijian, { code: c })).body.error.code,
        'CHECKIN_CODE_INVALID',
      );
    const locked = await post(`/meetings/${id}/remote-checkin`, jijian, { code: current });
    assert.equal(locked.status, 429, locked.raw);
    assert.match(locked.body.error.message, /输错次数过多/);
  });

  it('runs a hybrid 党员大会: QR in the room, code online, a statement, votes, left early, into the minutes and 台账', async () => {
    const id = await meeting({ title: '党员大会：审议年度工作计划（混合）' });
    const zhang = await t.memberId('shuji');
    const chen = await t.memberId('dangyuan');
    const xiong = await t.memberId('jijian');
    // 张建国 scans the venue QR; 陈志远 signs in online.
    const qr = await post(`/meetings/${id}/checkin`, shuji, { token: issueCheckinToken(key, id).token });
    assert.equal(qr.status, 200, qr.raw);
    assert.equal(qr.body.presence, 'in_person');
    assert.equal((await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: await code(id) })).status, 200);

    // A statement before signing in is refused; after, it is kept with the name.
    const early = await post(`/meetings/${id}/statements`, jijian, { text: '我还没签到就发言' });
    assert.equal(early.body.error.code, 'NOT_SIGNED_IN');
    const said = await post(`/meetings/${id}/statements`, dangyuan, {
      text: '我在项目现场参会，赞成年度计划，建议增加青年党员培训。',
    });
    assert.equal(said.status, 201, said.raw);
    assert.equal(said.body.name, '陈志远');
    assert.equal(said.body.online, true);
    const list = await get(`/meetings/${id}/statements`, shuji);
    assert.equal(list.body.total, 1);

    // Elections, admission and conversion are refused online with their citation; a resolution is opened.
    const election = await post(`/meetings/${id}/motions`, shuji, { title: '选举支部委员会', kind: 'election' });
    assert.equal(election.status, 422, election.raw);
    assert.equal(election.body.error.code, 'MOTION_NOT_REMOTE');
    assert.match(election.body.error.message, /基层组织选举工作条例.*无记名投票/);
    assert.equal(election.body.error.details.confirmed, false);
    const admission = await post(`/meetings/${id}/motions`, shuji, {
      title: '接收王某为预备党员',
      kind: 'admission',
    });
    assert.equal(admission.body.error.code, 'MOTION_NOT_REMOTE');
    assert.match(admission.body.error.message, /发展党员工作细则/);
    const motion = await post(`/meetings/${id}/motions`, shuji, {
      title: '通过支部 2027 年度工作计划',
      kind: 'resolution',
    });
    assert.equal(motion.status, 201, motion.raw);
    const mid = motion.body.id as string;

    // In-room members vote by show of hands: 张建国 cannot vote in the app.
    const inRoom = await post(`/meetings/${id}/motions/${mid}/ballots`, shuji, { choice: 'for' });
    assert.equal(inRoom.body.error.code, 'VOTE_IN_ROOM');
    // 熊浩 as a probationary member: no vote (党章 第七条).
    await t.services.db.execute(sql`update member set status = 'probationary' where id = ${xiong}`);
    assert.equal((await post(`/meetings/${id}/remote-checkin`, jijian, { code: await code(id) })).status, 200);
    const probationary = await post(`/meetings/${id}/motions/${mid}/ballots`, jijian, { choice: 'for' });
    assert.equal(probationary.status, 403, probationary.raw);
    assert.match(probationary.body.error.message, /预备党员没有表决权.*第七条/);
    await t.services.db.execute(sql`update member set status = 'full' where id = ${xiong}`);

    const vote = await post(`/meetings/${id}/motions/${mid}/ballots`, dangyuan, { choice: 'for' });
    assert.equal(vote.status, 200, vote.raw);
    assert.equal(vote.body.online, true);
    const again = await post(`/meetings/${id}/motions/${mid}/ballots`, dangyuan, { choice: 'against' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'ALREADY_VOTED');

    // The room: enough people present for a quorum, signed in by the secretary from the paper sheet.
    const invited = await queryRows<{ member_id: string }>(
      t.services.db,
      sql`select a.member_id from meeting_attendance a join member m on m.id = a.member_id
          where a.meeting_id = ${id} and a.invited and m.status = 'full' and a.checked_in_at is null order by m.name`,
    );
    const [{ n: entitled }] = (await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from meeting_attendance a join member m on m.id = a.member_id
          where a.meeting_id = ${id} and a.invited and m.status = 'full' and m.left_at is null and m.suspended_on is null`,
    )) as [{ n: number }];
    const inRoomCount = Math.floor(entitled / 2) + 1;
    for (const r of invited.filter((x) => x.member_id !== xiong).slice(0, inRoomCount - 1))
      assert.equal((await post(`/meetings/${id}/checkin`, shuji, { memberId: r.member_id })).status, 200);

    // The host sees who is online and marks 熊浩 as having left; his statement is then refused.
    const att = await get(`/meetings/${id}/attendance?pageSize=100`, shuji);
    const online = att.body.items
      .filter((a: { presence: string }) => a.presence === 'online')
      .map((a: { memberId: string }) => a.memberId);
    assert.deepEqual(online.sort(), [chen, xiong].sort());
    const memberMarks = await post(`/meetings/${id}/left-early`, dangyuan, { memberId: xiong });
    assert.equal(memberMarks.status, 403);
    const left = await post(`/meetings/${id}/left-early`, shuji, { memberId: xiong });
    assert.equal(left.status, 200, left.raw);
    assert.ok(left.body.leftEarlyAt);
    assert.equal(
      (await post(`/meetings/${id}/statements`, jijian, { text: '离会后再发言' })).body.error.code,
      'LEFT_EARLY',
    );

    // Closing: more hands than people in the room is refused; the count passes with 陈志远's online vote.
    const tooMany = await post(`/meetings/${id}/motions/${mid}/close`, shuji, {
      room: { for: inRoomCount + 1, against: 0, abstain: 0 },
    });
    assert.equal(tooMany.body.error.code, 'ROOM_VOTES_TOO_MANY');
    const closed = await post(`/meetings/${id}/motions/${mid}/close`, shuji, {
      room: { for: inRoomCount, against: 0, abstain: 0 },
    });
    assert.equal(closed.status, 200, closed.raw);
    assert.equal(closed.body.tally.for, inRoomCount + 1);
    assert.equal(closed.body.tally.online, 1);
    assert.equal(closed.body.tally.entitled, entitled);
    assert.equal(closed.body.tally.passed, true);
    assert.equal(
      (await post(`/meetings/${id}/motions/${mid}/ballots`, jijian, { choice: 'for' })).body.error.code,
      'VOTE_CLOSED',
    );

    // The minutes draft has the statement with the name and the passed resolution with its count.
    const mins = await get(`/meetings/${id}/minutes`, shuji);
    assert.equal(mins.status, 200, mins.raw);
    assert.match(mins.body.draft.content, /陈志远（线上）发言：我在项目现场参会/);
    assert.match(mins.body.draft.content, /线上 1 票/);
    assert.deepEqual(mins.body.draft.resolutions, ['通过支部 2027 年度工作计划']);
    assert.equal(mins.body.presentOnline, 2);
    assert.equal(mins.body.presentInPerson, inRoomCount);
    const saved = await put(`/meetings/${id}/minutes`, shuji, {
      host: '张建国',
      recorder: '组织委员',
      content: `审议支部年度工作计划。\n${mins.body.draft.content}`,
      resolutions: mins.body.draft.resolutions,
      votes: mins.body.draft.votes,
    });
    assert.equal(saved.status, 200, saved.raw);
    assert.equal(saved.body.votes[0].for, inRoomCount + 1);
    // The 台账 says who was online and the meeting's mode.
    const ledger = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${branch}/meeting-ledger?format=docx&year=${chinaDate(new Date(nowMs() - 10 * MIN)).slice(0, 4)}`,
      headers: { authorization: `Bearer ${shuji}` },
    });
    assert.equal(ledger.statusCode, 200, ledger.body.slice(0, 200));
    const JSZip = (await import('jszip')).default;
    const xml = await (await JSZip.loadAsync(ledger.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    assert.match(text, /现场 \d+ 人，线上 2 人/);
    assert.match(text, /陈志远（线上）/);
    assert.match(text, /熊浩（线上，早退）/);
    assert.match(text, /现场 \+ 线上（腾讯会议 会议号 123 456 789）/);
    // 陈志远's personal-data copy has his statement and his vote; 熊浩's has neither.
    const copy = await post('/me/personal-data', dangyuan, {});
    assert.equal(copy.status, 200, copy.raw.slice(0, 200));
    const mine = JSON.parse(copy.raw).member as {
      meetingStatements: { text: string }[];
      meetingBallots: { motion: string; choice: string }[];
    };
    assert.ok(mine.meetingStatements.some((x) => /青年党员培训/.test(x.text)));
    assert.ok(mine.meetingBallots.some((x) => x.motion === '通过支部 2027 年度工作计划' && x.choice === 'for'));
    const his = JSON.parse((await post('/me/personal-data', jijian, {})).raw).member as {
      meetingBallots: unknown[];
    };
    assert.equal(his.meetingBallots.length, 0);

    // Compliance shows the period's attendance in the room and online.
    const year = chinaDate(new Date(nowMs() - 10 * MIN)).slice(0, 4);
    const comp = await get(`/orgs/${branch}/compliance?year=${year}`, shuji);
    assert.equal(comp.status, 200, comp.raw);
    assert.ok(comp.body.attendance.online >= 2, JSON.stringify(comp.body.attendance));
    assert.ok(comp.body.attendance.inPerson >= inRoomCount);
    assert.ok(comp.body.attendance.leftEarly >= 1);
    void zhang;
  });

  it('keeps members to their own part: another branch’s meeting is 404, the host’s routes 403', async () => {
    const other = await t.orgId('研发中心党支部');
    const shuji2 = await t.login('shuji2');
    const id = await hybridMeeting(t, shuji2, other, {
      title: '研发中心党员大会',
      endsAt: iso(60 * MIN),
      location: '会议室',
      mode: 'online',
    });
    const codeThere = await remoteCode(t, shuji2, id);
    const motion = await post(`/meetings/${id}/motions`, shuji2, { title: '通过计划', kind: 'resolution' });
    const wrong = await misanswered(
      t,
      asCaller(dangyuan, [
        ['POST', `/api/v1/meetings/${id}/remote-checkin`, { code: codeThere }, 404],
        ['GET', `/api/v1/meetings/${id}/room`, undefined, 404],
        ['GET', `/api/v1/meetings/${id}/statements`, undefined, 404],
        ['POST', `/api/v1/meetings/${id}/statements`, { text: '越界发言' }, 404],
        ['POST', `/api/v1/meetings/${id}/motions/${motion.body.id}/ballots`, { choice: 'for' }, 404],
        ['GET', `/api/v1/meetings/${id}/remote-code`, undefined, 403],
        ['POST', `/api/v1/meetings/${id}/left-early`, { memberId: await t.memberId('shuji2') }, 403],
        ['POST', `/api/v1/meetings/${id}/motions`, { title: '越界表决', kind: 'resolution' }, 403],
      ]),
    );
    assert.deepEqual(wrong, []);
    const [n] = await queryRows<{ a: number; s: number }>(
      t.services.db,
      sql`select (select count(*)::int from meeting_attendance where meeting_id = ${id} and checked_in_at is not null) as a,
                 (select count(*)::int from meeting_statement where meeting_id = ${id}) as s`,
    );
    assert.deepEqual(n, { a: 0, s: 0 });
  });
});
