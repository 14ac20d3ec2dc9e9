/**
 * 流动党员 taking part in the meetings of the branch where they are (一方隶属、参加多重组织生活; issue #27): the home branch
 * registers the 流入地党组织; the host branch's meetings invite the member, who signs in there (online with the host's
 * code, or signed in by the host's secretary); the attendance counts for the home branch's compliance too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addMonths, chinaDate, nowMs, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { hybridMeeting, MIN } from './testing';

describe('流动党员 at the meetings of the branch where they are', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let shuji: string;
  let shuji2: string;
  let dangyuan: string;
  let home: string;
  let host: string;
  let chen: string;
  let xiong: string;
  const flow = {
    location: '北京市海淀区（研发中心驻点）',
    since: addMonths(todayInChina(), -1),
    expectedUntil: addMonths(todayInChina(), 8),
    contact: '电话',
  };
  const hostMeeting = (title: string) =>
    hybridMeeting(t, shuji2, host, { title, location: '研发中心会议室' }, { publish: false });

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, dangyuan] = await signIn(t, 'shuji', 'shuji2', 'dangyuan');
    home = await t.orgId('第一发电厂党支部');
    host = await t.orgId('研发中心党支部');
    chen = await t.memberId('dangyuan');
    xiong = await t.memberId('jijian');
  });
  after(() => t.close());

  it('registers the 流入地党组织 of a flowing member: checked, audited, shown to the branch and the member', async () => {
    // Not flowing yet: refused.
    const notYet = await post(`/members/${chen}/flow/host`, shuji, { hostOrgId: host });
    assert.equal(notYet.status, 422, notYet.raw);
    assert.equal(notYet.body.error.code, 'NOT_FLOWING');
    for (const id of [chen, xiong]) assert.equal((await post(`/members/${id}/flow`, shuji, flow)).status, 201);

    const own = await post(`/members/${chen}/flow/host`, shuji, { hostOrgId: home });
    assert.equal(own.body.error?.code, 'HOST_ORG_OWN', own.raw);
    const committee = await post(`/members/${chen}/flow/host`, shuji, {
      hostOrgId: await t.orgId('华夏能源集团党委'),
    });
    assert.equal(committee.body.error?.code, 'HOST_ORG_KIND', committee.raw);
    const ghost = await post(`/members/${chen}/flow/host`, shuji, {
      hostOrgId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(ghost.status, 422);
    assert.equal(ghost.body.error.code, 'HOST_ORG_NOT_FOUND');
    const bad = await post(`/members/${chen}/flow/host`, shuji, { hostOrgId: 'x' });
    assert.equal(bad.status, 400);

    // A member cannot set it, for another member nor for themself; another branch's secretary does not reach the record.
    assert.equal((await post(`/members/${xiong}/flow/host`, dangyuan, { hostOrgId: host })).status, 403);
    assert.equal((await post(`/members/${chen}/flow/host`, dangyuan, { hostOrgId: host })).status, 403);
    assert.equal((await post(`/members/${chen}/flow/host`, shuji2, { hostOrgId: host })).status, 404);

    for (const id of [chen, xiong]) {
      const ok = await post(`/members/${id}/flow/host`, shuji, { hostOrgId: host });
      assert.equal(ok.status, 200, ok.raw);
      assert.deepEqual(ok.body, { hostOrgId: host, hostOrgName: '研发中心党支部' });
    }
    const [audit] = await queryRows<{ after: { hostOrgId: string } }>(
      t.services.db,
      sql`select after from audit_log where action = 'member.flow_host' and entity_id = ${chen} order by at desc limit 1`,
    );
    assert.equal(audit?.after.hostOrgId, host);
    const listed = await get(`/flowing?orgId=${home}&pageSize=200`, shuji);
    assert.equal(
      listed.body.items.find((f: { memberId: string }) => f.memberId === chen)?.hostOrgName,
      '研发中心党支部',
    );
    const mine = await get('/me/flow', dangyuan);
    assert.equal(mine.body.flow.hostOrgName, '研发中心党支部');
  });

  it('invites them to the host branch’s meeting; they sign in there; it counts for the home branch too', async () => {
    const id = await hostMeeting('研发中心党员大会（含流动党员）');
    const inv = await get(`/meetings/${id}/invitees`, shuji2);
    assert.equal(inv.status, 200, inv.raw);
    const chenRow = inv.body.defaults.find((d: { memberId: string }) => d.memberId === chen);
    assert.ok(chenRow, 'the flowing member is on the default list');
    assert.equal(chenRow.name, '陈志远', 'named to the host’s secretary');
    assert.match(chenRow.why, /流动党员（组织关系在第一发电厂党支部）/);
    const pub = await post(`/meetings/${id}/publish`, shuji2, {});
    assert.equal(pub.status, 200, pub.raw);
    const [notice] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from notification n join app_user u on u.id = n.user_id
          where u.username = 'dangyuan' and n.kind = 'meeting.notice' and n.link like ${`%${id}%`}`,
    );
    assert.equal(notice!.n, 1, 'the flowing member got the notice');

    // 陈志远 signs in online with the host's code; the host's secretary signs 熊浩 in (in the room).
    const room = await get(`/meetings/${id}/room`, dangyuan);
    assert.equal(room.status, 200, room.raw);
    const code = (await get(`/meetings/${id}/remote-code`, shuji2)).body.code;
    const signed = await post(`/meetings/${id}/remote-checkin`, dangyuan, { code });
    assert.equal(signed.status, 200, signed.raw);
    assert.equal(signed.body.orgId, home, 'the attendance row stays with the home branch');
    assert.equal(signed.body.viaFlow, true);
    const proxied = await post(`/meetings/${id}/checkin`, shuji2, { memberId: xiong });
    assert.equal(proxied.status, 200, proxied.raw);
    // The host's secretary cannot sign in a member of the home branch who is not registered with them.
    const zhang = await t.memberId('shuji');
    const stranger = await post(`/meetings/${id}/checkin`, shuji2, { memberId: zhang });
    assert.equal(stranger.status, 422, stranger.raw);
    const att = await get(`/meetings/${id}/attendance?filter=signed_in`, shuji2);
    assert.deepEqual(
      att.body.items.map((a: { memberName: string; viaFlow: boolean }) => [a.memberName, a.viaFlow]).sort(),
      [
        ['熊浩', true],
        ['陈志远', true],
      ],
    );
    // A member does not reach the host meeting's attendance list (other people's sign-ins): no reading role, 403.
    const probe = await get(`/meetings/${id}/attendance`, dangyuan);
    assert.equal(probe.status, 403, probe.raw);
    assert.ok(!probe.raw.includes('熊浩'), 'another member’s attendance is not shown');

    const saved = await put(`/meetings/${id}/minutes`, shuji2, {
      host: '刘芳',
      recorder: '组织委员',
      content: '学习党章，讨论研发中心年度计划并表决通过。',
    });
    assert.equal(saved.status, 200, saved.raw);
    const year = chinaDate(new Date(nowMs() - 10 * MIN)).slice(0, 4);
    const homeComp = await get(`/orgs/${home}/compliance?year=${year}`, shuji);
    assert.equal(homeComp.status, 200, homeComp.raw);
    assert.deepEqual(
      homeComp.body.attendance.flowElsewhere,
      { due: 2, present: 2 },
      JSON.stringify(homeComp.body.attendance),
    );
    assert.ok(homeComp.body.attendance.present >= 2);
    assert.match(homeComp.body.attendance.flowRule, /一方隶属、参加多重组织生活/);
    const hostComp = await get(`/orgs/${host}/compliance?year=${year}`, shuji2);
    assert.deepEqual(hostComp.body.attendance.flowElsewhere, { due: 0, present: 0 });
    assert.ok(hostComp.body.attendance.present >= 2, 'the host counts its meeting’s attendance as well');

    // The member's own list has the host meeting.
    const my = await get('/meeting-invitations/mine?filter=all&pageSize=50', dangyuan);
    assert.equal(my.status, 200, my.raw);
    assert.ok(
      my.body.items.some((i: { meeting: { id: string } }) => i.meeting.id === id),
      'the host meeting is in 我的会议',
    );
  });

  it('stops inviting them when the flow ends or the host is removed', async () => {
    assert.equal((await post(`/members/${chen}/flow/contact`, shuji, { on: todayInChina(), ended: true })).status, 200);
    assert.equal((await post(`/members/${xiong}/flow/host`, shuji, { hostOrgId: null })).status, 200);
    const id = await hostMeeting('研发中心党员大会（流动结束后）');
    const inv = await get(`/meetings/${id}/invitees`, shuji2);
    const ids = inv.body.defaults.map((d: { memberId: string }) => d.memberId);
    assert.ok(!ids.includes(chen) && !ids.includes(xiong), 'neither is invited any more');
    // Naming them by hand is refused like any member of another branch.
    const byHand = await post(`/meetings/${id}/publish`, shuji2, {
      memberIds: [chen],
      reasons: { [chen]: '探针' },
    });
    assert.equal(byHand.status, 422, byHand.raw);
    assert.equal(byHand.body.error.code, 'MEMBER_NOT_IN_ORG');
  });
});
