/**
 * 志愿服务 through the real HTTP stack on the demo enterprise: the 书记 publishes an activity, members sign up within
 * the slots and cancel before the start; at the place they check in and out with the activity's rotating QR token
 * (forged, expired, a meeting's or another activity's token refused); hours are counted within the activity's
 * time, corrected by the organizer with a reason (audited), shown to the member and on the profile, rolled up per
 * subtree and on the dashboard, and copied into the member's personal data. Times are relative to the shared clock.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp } from '../../testing/harness';
import { checkinKey, issueCheckinToken } from '../meeting/checkin';
import { issueVolunteerToken, personalVolunteer, volunteerKey } from './service';

const MIN = 60_000;

describe('volunteer service (志愿服务)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let branchId: string;
  let activityId: string;
  let start: Date;
  let end: Date;
  let signupOfChen: string;

  /** The clock as the run set it (XF_NOW or real), to return to after moving it. */
  const offset = nowMs() - Date.now();
  before(async () => {
    t = await startTestApp();
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => {
    setClock(new Date(Date.now() + offset));
    return t.close();
  });
  const memberIdOf = async (username: string) =>
    (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = ${username}`,
      )
    )[0]!.id;
  /** Sets the shared clock and signs in again (sessions have an idle timeout). */
  const at = async (when: Date) => {
    setClock(when);
    return { shuji: await t.login('shuji'), chen: await t.login('dangyuan'), jijian: await t.login('jijian') };
  };

  it('has the demo’s activities relative to today: served hours twenty days ago, one under way, one to come', async () => {
    const chen = await t.login('dangyuan');
    const rows = await queryRows<{ title: string; starts_at: string; ends_at: string; n: number; served: number }>(
      t.services.db,
      sql`select a.title, a.starts_at::text, a.ends_at::text, count(s.id)::int as n, count(s.minutes)::int as served
          from volunteer_activity a left join volunteer_signup s on s.activity_id = a.id
          where true group by a.id order by a.starts_at`,
    );
    assert.equal(rows.length, 3, JSON.stringify(rows));
    const [past, ongoing, next] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    assert.ok(Date.parse(past.ends_at) < nowMs() && past.served >= 5);
    assert.ok(Date.parse(ongoing.starts_at) < nowMs() && Date.parse(ongoing.ends_at) > nowMs());
    assert.ok(Date.parse(next.starts_at) > nowMs() && next.served === 0);
    const open = await get('/volunteer/open?pageSize=200', chen);
    const titles = open.body.items.map((a: { title: string; mine: string | null }) => `${a.title}:${a.mine}`);
    assert.ok(titles.includes('社区用电安全义务检查:signed_up'), titles.join());
    assert.ok(titles.includes('“学雷锋”便民服务日:null'), titles.join());
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    assert.ok(
      mine.body.items.some(
        (s: { activityTitle: string; minutes: number }) =>
          s.activityTitle === '“共建绿色家园”义务植树' && s.minutes > 0,
      ),
    );
  });
  it('publishes an activity and refuses bad input in Chinese', async () => {
    start = new Date(Math.floor((nowMs() + 2 * 86_400_000) / MIN) * MIN);
    end = new Date(start.getTime() + 120 * MIN);
    const { shuji } = await at(new Date(nowMs()));
    const base = {
      orgId: branchId,
      title: '厂区周边义务清扫',
      place: '南门广场',
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      slots: 2,
      skills: '',
    };
    const backwards = await post('/volunteer/activities', shuji, {
      ...base,
      endsAt: new Date(start.getTime() - MIN).toISOString(),
    });
    assert.equal(backwards.status, 400, backwards.raw);
    assert.match(backwards.raw, /结束时间须晚于开始时间/);
    const noSlots = await post('/volunteer/activities', shuji, { ...base, slots: 0 });
    assert.equal(noSlots.status, 400);
    assert.match(noSlots.raw, /名额至少 1 人/);
    const past = await post('/volunteer/activities', shuji, {
      ...base,
      startsAt: new Date(nowMs() - 60 * MIN).toISOString(),
      endsAt: new Date(nowMs() + 60 * MIN).toISOString(),
    });
    assert.equal(past.status, 422);
    assert.match(past.body.error.message, /开始时间已过/);
    const ok = await post('/volunteer/activities', shuji, base);
    assert.equal(ok.status, 201, ok.raw);
    assert.equal(ok.body.slots, 2);
    assert.equal(ok.body.createdBy, '张建国（书记）');
    activityId = ok.body.id;
    const list = await get(`/volunteer/activities?orgId=${branchId}&pageSize=200`, shuji);
    assert.ok(list.body.items.some((a: { id: string }) => a.id === activityId));
    assert.ok(list.body.total >= 1);
  });

  it('signs members up within the slots, refuses a full activity, and lets a member cancel before the start', async () => {
    const { shuji, chen, jijian } = await at(new Date(start.getTime() - 86_400_000));
    const open = await get('/volunteer/open?pageSize=200', chen);
    assert.ok(
      open.body.items.some((a: { id: string; mine: string | null }) => a.id === activityId && a.mine === null),
      open.raw,
    );
    const a = await post(`/volunteer-activities/${activityId}/signup`, chen);
    assert.equal(a.status, 200, a.raw);
    assert.equal(a.body.state, 'signed_up');
    signupOfChen = a.body.id;
    const again = await post(`/volunteer-activities/${activityId}/signup`, chen);
    assert.equal(again.body.id, signupOfChen, 'signing up twice answers the sign-up');
    assert.equal((await post(`/volunteer-activities/${activityId}/signup`, jijian)).status, 200);
    const full = await post(`/volunteer-activities/${activityId}/signup`, shuji);
    assert.equal(full.status, 409, full.raw);
    assert.equal(full.body.error.code, 'ACTIVITY_FULL');
    assert.match(full.body.error.message, /名额已满/);
    const cancel = await post(`/volunteer-activities/${activityId}/signup/cancel`, jijian);
    assert.equal(cancel.status, 200, cancel.raw);
    assert.equal(cancel.body.state, 'cancelled');
    assert.equal(
      (await post(`/volunteer-activities/${activityId}/signup`, shuji)).status,
      200,
      'the freed place is taken',
    );
    const detail = await get(`/volunteer-activities/${activityId}`, chen);
    assert.equal(detail.body.signedUp, 2);
    assert.equal(detail.body.mine, 'signed_up');
  });

  it('refuses check-in before it opens and check-out before check-in', async () => {
    const { shuji, chen } = await at(new Date(start.getTime() - 2 * 60 * MIN));
    const qr = await get(`/volunteer-activities/${activityId}/qr`, shuji);
    assert.equal(qr.status, 200, qr.raw);
    assert.match(qr.body.url, new RegExp(`/m/volunteer/${activityId}/scan\\?token=`));
    const early = await post(`/volunteer-activities/${activityId}/checkin`, chen, { token: qr.body.token });
    assert.equal(early.status, 422, early.raw);
    assert.equal(early.body.error.code, 'CHECKIN_NOT_OPEN');
    const out = await post(`/volunteer-activities/${activityId}/checkout`, chen, { token: qr.body.token });
    assert.equal(out.status, 422, out.raw);
    assert.equal(out.body.error.code, 'CHECKOUT_BEFORE_CHECKIN');
    assert.match(out.body.error.message, /还没有签到/);
  });

  it('checks in by the QR token only: forged, expired, a meeting’s and another activity’s tokens are refused; sign-up and cancel close at the start', async () => {
    const old = issueVolunteerToken(
      volunteerKey(t.services.fieldCrypto),
      activityId,
      new Date(start.getTime() - 2 * 60 * MIN),
    ).token;
    const { shuji, chen, jijian } = await at(new Date(start.getTime() + 10 * MIN));
    assert.equal((await post(`/volunteer-activities/${activityId}/signup`, jijian)).body.error.code, 'SIGNUP_CLOSED');
    const late = await post(`/volunteer-activities/${activityId}/signup/cancel`, chen);
    assert.equal(late.status, 422);
    assert.equal(late.body.error.code, 'CANCEL_CLOSED');
    const { token } = (await get(`/volunteer-activities/${activityId}/qr`, shuji)).body as { token: string };
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const meetingToken = issueCheckinToken(checkinKey(t.services.fieldCrypto), activityId).token;
    const otherActivity = issueVolunteerToken(volunteerKey(t.services.fieldCrypto), crypto.randomUUID()).token;
    for (const [what, bad, code] of [
      ['forged', forged, 'CHECKIN_TOKEN_INVALID'],
      ['a meeting’s token for the same id', meetingToken, 'CHECKIN_TOKEN_INVALID'],
      ['another activity’s', otherActivity, 'CHECKIN_TOKEN_WRONG_ACTIVITY'],
      ['expired', old, 'CHECKIN_TOKEN_EXPIRED'],
      ['not a token', 'hello', 'CHECKIN_TOKEN_INVALID'],
    ] as const) {
      const res = await post(`/volunteer-activities/${activityId}/checkin`, chen, { token: bad });
      assert.equal(res.status, 400, `${what}: ${res.raw}`);
      assert.equal(res.body.error.code, code, what);
      assert.match(res.body.error.message, /[\u4e00-\u9fa5]/);
    }
    // jijian cancelled his sign-up and both places are taken: no 现场签到 either.
    const notSigned = await post(`/volunteer-activities/${activityId}/checkin`, jijian, { token });
    assert.equal(notSigned.status, 409, notSigned.raw);
    assert.equal(notSigned.body.error.code, 'ACTIVITY_FULL');
    const ok = await post(`/volunteer-activities/${activityId}/checkin`, chen, { token });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.state, 'checked_in');
    assert.equal(ok.body.already, false);
    const twice = await post(`/volunteer-activities/${activityId}/checkin`, chen, { token });
    assert.equal(twice.body.already, true);
    assert.equal(twice.body.checkedInAt, ok.body.checkedInAt);
  });

  it('counts hours from check-in to check-out within the activity’s time only', async () => {
    const { shuji, chen } = await at(new Date(end.getTime() + 30 * MIN));
    const { token } = (await get(`/volunteer-activities/${activityId}/qr`, shuji)).body as { token: string };
    const out = await post(`/volunteer-activities/${activityId}/checkout`, chen, { token });
    assert.equal(out.status, 200, out.raw);
    assert.equal(out.body.state, 'checked_out');
    // In 10 minutes after the start, out 30 minutes after the end: 110 minutes, not 140.
    assert.equal(out.body.minutes, 110);
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    assert.equal(mine.status, 200, mine.raw);
    const row = mine.body.items.find((s: { id: string }) => s.id === signupOfChen);
    assert.equal(row.minutes, 110);
    assert.ok(mine.body.totalMinutes >= 110);
  });

  it('lets the organizer correct the hours with a reason, at most the activity’s length, audited; the profile shows them', async () => {
    const { shuji, chen } = await at(new Date(end.getTime() + 60 * MIN));
    const tooMuch = await post(`/volunteer-signups/${signupOfChen}/correction`, shuji, {
      minutes: 121,
      reason: '全程参加',
    });
    assert.equal(tooMuch.status, 422, tooMuch.raw);
    assert.match(tooMuch.body.error.message, /不能超过活动时间（120 分钟）/);
    const noReason = await post(`/volunteer-signups/${signupOfChen}/correction`, shuji, {
      minutes: 120,
      reason: '',
    });
    assert.equal(noReason.status, 400);
    assert.match(noReason.raw, /请写明更正理由/);
    const ok = await post(`/volunteer-signups/${signupOfChen}/correction`, shuji, {
      minutes: 120,
      reason: '提前到场布置，按全程计',
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.minutes, 120);
    assert.equal(ok.body.correctedBy, '张建国（书记）');
    const [audit] = await queryRows<{ before: { minutes: number }; after: { minutes: number; reason: string } }>(
      t.services.db,
      sql`select before, after from audit_log where action = 'volunteer.minutes.correct' and entity_id = ${signupOfChen} order by id desc limit 1`,
    );
    assert.equal(audit!.before.minutes, 110);
    assert.equal(audit!.after.minutes, 120);
    assert.equal(audit!.after.reason, '提前到场布置，按全程计');
    const chenId = await memberIdOf('dangyuan');
    const profile = await get(`/volunteer-members/${chenId}/hours?pageSize=200&year=${start.getUTCFullYear()}`, shuji);
    assert.equal(profile.status, 200, profile.raw);
    const row = profile.body.items.find((s: { id: string }) => s.id === signupOfChen);
    assert.equal(row.minutes, 120);
    assert.equal(row.correctionReason, '提前到场布置，按全程计');
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    assert.equal(mine.body.totalMinutes, profile.body.totalMinutes);
  });

  it('rolls the hours up per subtree and child org, and copies the member’s sign-ups and hours into their personal data', async () => {
    const { chen } = await at(new Date(end.getTime() + 90 * MIN));
    const admin = await t.login('zuzhibu');
    const year = Number(new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));
    const branch = await get(`/volunteer/rollup?orgId=${branchId}&year=${year}`, admin);
    assert.equal(branch.status, 200, branch.raw);
    const [expected] = await queryRows<{ minutes: number; members: number }>(
      t.services.db,
      sql`select coalesce(sum(s.minutes), 0)::int as minutes, count(distinct s.member_id)::int as members
          from volunteer_signup s join org o on o.id = s.org_id join volunteer_activity a on a.id = s.activity_id
          where o.path like (select path from org where id = ${branchId}) || '%' and s.cancelled_at is null and s.minutes > 0
            and extract(year from a.starts_at at time zone 'Asia/Shanghai') = ${year}`,
    );
    assert.equal(branch.body.minutes, expected!.minutes);
    assert.equal(branch.body.members, expected!.members);
    assert.ok(branch.body.minutes >= 120 && branch.body.activities >= 1);
    // The groups of the branch are its children; their members' hours add up within the branch's.
    const childSum = branch.body.children.reduce((n: number, c: { minutes: number }) => n + c.minutes, 0);
    assert.ok(childSum <= branch.body.minutes);
    const top = await get(`/volunteer/rollup?year=${year}`, admin);
    assert.ok(top.body.minutes >= branch.body.minutes && top.body.activities >= branch.body.activities);
    // The dashboard's 志愿服务 figure is the same count (for the dashboard's own year).
    const dash = await get(`/dashboard?orgId=${branchId}`, admin);
    assert.equal(dash.status, 200, dash.raw);
    const same = await get(`/volunteer/rollup?orgId=${branchId}&year=${dash.body.volunteer.year}`, admin);
    assert.deepEqual(
      {
        activities: dash.body.volunteer.activities,
        members: dash.body.volunteer.members,
        minutes: dash.body.volunteer.minutes,
      },
      { activities: same.body.activities, members: same.body.members, minutes: same.body.minutes },
    );

    const copy = await personalVolunteer(t.services.db, t.tenantId, await memberIdOf('dangyuan'));
    assert.ok(
      copy.signups.some(
        (s) =>
          s.activity === '厂区周边义务清扫' && s.minutes === 120 && s.correctionReason === '提前到场布置，按全程计',
      ),
    );
    const res = await post('/me/personal-data', chen, {});
    assert.equal(res.status, 200, res.raw);
    const vol = JSON.parse(res.raw).member.volunteer as { totalMinutes: number; signups: { activity: string }[] };
    assert.ok(vol.signups.some((s) => s.activity === '厂区周边义务清扫'));
    assert.ok(vol.totalMinutes >= 120);
  });
});
