/**
 * 志愿服务 after publishing: the organizers edit an activity (never the slots below the volunteers signed up, the time
 * only before the start; a new time or place is told to the volunteers) and cancel it with a reason (the volunteers
 * hear of it; sign-up, check-in and the QR screen then answer 409 in Chinese; not once hours are recorded); and a
 * member who did not sign up checks in on the spot with the activity's QR code while places remain (现场签到).
 * Through the real HTTP stack on the demo enterprise; times are relative to the shared clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp } from '../../testing/harness';

const MIN = 60_000;
type Notice = { kind: string; title: string; body: string };

describe('volunteer activities changed, cancelled, and walk-in check-in (志愿服务)', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  let branchId: string;
  const offset = nowMs() - Date.now();
  before(async () => {
    t = await startTestApp();
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => {
    setClock(new Date(Date.now() + offset));
    return t.close();
  });
  const at = async (when: Date) => {
    setClock(when);
    return {
      shuji: await t.login('shuji'),
      chen: await t.login('dangyuan'),
      jijian: await t.login('jijian'),
      shuji2: await t.login('shuji2'),
    };
  };
  const inbox = async (token: string, kind: string) => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as Notice[]).filter((n) => n.kind === kind);
  };
  const audit = (action: string, id: string) =>
    queryRows<{ before: Record<string, unknown> | null; after: Record<string, unknown> }>(
      t.services.db,
      sql`select before, after from audit_log where action = ${action} and entity_id = ${id} order by id`,
    );
  const publish = async (shuji: string, title: string, startMs: number, slots: number) => {
    const start = new Date(Math.floor(startMs / MIN) * MIN);
    const res = await post('/volunteer/activities', shuji, {
      orgId: branchId,
      title,
      place: '南门广场',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 120 * MIN).toISOString(),
      slots,
    });
    assert.equal(res.status, 201, res.raw);
    return { id: res.body.id as string, start, end: new Date(start.getTime() + 120 * MIN) };
  };

  it('edits an activity: never the slots below the volunteers signed up; a new time or place is told to them and audited', async () => {
    const { shuji, chen, jijian, shuji2 } = await at(new Date(nowMs()));
    const { id, start } = await publish(shuji, '变更测试：河道清洁', nowMs() + 3 * 86_400_000, 3);
    assert.equal((await post(`/volunteer-activities/${id}/signup`, chen)).status, 200);
    assert.equal((await post(`/volunteer-activities/${id}/signup`, jijian)).status, 200);

    const below = await patch(`/volunteer-activities/${id}`, shuji, { slots: 1 });
    assert.equal(below.status, 422, below.raw);
    assert.equal(below.body.error.code, 'SLOTS_BELOW_SIGNUPS');
    assert.match(below.body.error.message, /已有 2 人报名，名额不能少于 2 人/);
    const nothing = await patch(`/volunteer-activities/${id}`, shuji, {});
    assert.equal(nothing.status, 400, nothing.raw);
    assert.match(nothing.raw, /没有要修改的内容/);
    const backwards = await patch(`/volunteer-activities/${id}`, shuji, {
      endsAt: new Date(start.getTime() - MIN).toISOString(),
    });
    assert.equal(backwards.status, 422, backwards.raw);
    assert.match(backwards.body.error.message, /结束时间须晚于开始时间/);
    const past = await patch(`/volunteer-activities/${id}`, shuji, {
      startsAt: new Date(nowMs() - 60 * MIN).toISOString(),
    });
    assert.equal(past.status, 422, past.raw);
    assert.match(past.body.error.message, /开始时间已过/);
    const unknown = await patch(`/volunteer-activities/${id}`, shuji, { orgId: branchId });
    assert.equal(unknown.status, 400, unknown.raw);

    // Who may edit: the organizers only. A member is refused; another branch's 书记 is told it does not exist.
    assert.equal((await patch(`/volunteer-activities/${id}`, chen, { slots: 10 })).status, 403);
    assert.equal((await patch(`/volunteer-activities/${id}`, shuji2, { slots: 10 })).status, 404);

    const slotsOnly = await patch(`/volunteer-activities/${id}`, shuji, { slots: 2, skills: '会游泳者优先' });
    assert.equal(slotsOnly.status, 200, slotsOnly.raw);
    assert.equal(slotsOnly.body.slots, 2);
    assert.equal(slotsOnly.body.skills, '会游泳者优先');
    assert.equal((await inbox(chen, 'volunteer.changed')).length, 0, 'slots and skills are not told to the volunteers');
    const full = await post(`/volunteer-activities/${id}/signup`, shuji);
    assert.equal(full.status, 409, 'the new limit holds');

    const later = new Date(start.getTime() + 60 * MIN);
    const moved = await patch(`/volunteer-activities/${id}`, shuji, {
      startsAt: later.toISOString(),
      endsAt: new Date(later.getTime() + 90 * MIN).toISOString(),
      place: '职工之家',
    });
    assert.equal(moved.status, 200, moved.raw);
    assert.equal(moved.body.place, '职工之家');
    assert.equal(moved.body.startsAt, later.toISOString());
    for (const token of [chen, jijian]) {
      const told = await inbox(token, 'volunteer.changed');
      assert.equal(told.length, 1, JSON.stringify(told));
      assert.match(told[0]!.title, /变更测试：河道清洁/);
      assert.match(told[0]!.body, /地点由「南门广场」改为「职工之家」/);
      assert.match(told[0]!.body, /开始时间由 .+ 改为 /);
    }
    const entries = await audit('volunteer.activity.update', id);
    assert.equal(entries.length, 2);
    assert.deepEqual(entries[0]!.before, { slots: 3, skills: '' });
    assert.deepEqual(entries[0]!.after, { slots: 2, skills: '会游泳者优先' });
    assert.equal(entries[1]!.after.place, '职工之家');
    assert.equal(entries[1]!.before!.startsAt, start.toISOString());

    // Once started, the time is fixed; the rest may still change.
    await at(new Date(later.getTime() + 5 * MIN));
    const { shuji: s2 } = await at(new Date(later.getTime() + 5 * MIN));
    const retime = await patch(`/volunteer-activities/${id}`, s2, {
      endsAt: new Date(later.getTime() + 100 * MIN).toISOString(),
    });
    assert.equal(retime.status, 422, retime.raw);
    assert.equal(retime.body.error.code, 'ACTIVITY_STARTED');
    assert.equal((await patch(`/volunteer-activities/${id}`, s2, { description: '自带手套' })).status, 200);
  });

  it('cancels an activity with a reason: the volunteers hear of it once; sign-up, check-in, the QR screen and edits then answer 409', async () => {
    const { shuji, chen, jijian, shuji2 } = await at(new Date(nowMs()));
    const { id, start } = await publish(shuji, '取消测试：敬老院探访', nowMs() + 4 * 86_400_000, 5);
    assert.equal((await post(`/volunteer-activities/${id}/signup`, chen)).status, 200);
    assert.equal((await post(`/volunteer-activities/${id}/signup`, jijian)).status, 200);
    assert.equal(
      (await post(`/volunteer-activities/${id}/signup/cancel`, jijian)).status,
      200,
      'jijian drops out before',
    );

    const noReason = await post(`/volunteer-activities/${id}/cancel`, shuji, {});
    assert.equal(noReason.status, 400, noReason.raw);
    assert.match(noReason.raw, /请写明取消原因/);
    assert.equal((await post(`/volunteer-activities/${id}/cancel`, chen, { reason: '我不想去了' })).status, 403);
    assert.equal((await post(`/volunteer-activities/${id}/cancel`, shuji2, { reason: '别的支部' })).status, 404);

    const ok = await post(`/volunteer-activities/${id}/cancel`, shuji, { reason: '敬老院临时封闭管理' });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.status, 'cancelled');
    const told = await inbox(chen, 'volunteer.cancelled');
    assert.equal(told.length, 1);
    assert.match(told[0]!.title, /【活动取消】取消测试：敬老院探访/);
    assert.match(told[0]!.body, /取消原因：敬老院临时封闭管理/);
    assert.equal((await inbox(jijian, 'volunteer.cancelled')).length, 0, 'a volunteer who had dropped out is not told');
    const [entry] = await audit('volunteer.activity.cancel', id);
    assert.deepEqual(entry!.after, { status: 'cancelled', reason: '敬老院临时封闭管理', notified: 1 });

    const again = await post(`/volunteer-activities/${id}/cancel`, shuji, { reason: '再取消一次' });
    assert.equal(again.status, 409);
    assert.equal((await inbox(chen, 'volunteer.cancelled')).length, 1, 'told once');
    const signup = await post(`/volunteer-activities/${id}/signup`, jijian);
    assert.equal(signup.status, 409, signup.raw);
    assert.equal(signup.body.error.code, 'ACTIVITY_CANCELLED');
    assert.match(signup.body.error.message, /活动已取消，不能报名/);
    const edit = await patch(`/volunteer-activities/${id}`, shuji, { slots: 9 });
    assert.equal(edit.status, 409);
    assert.match(edit.body.error.message, /活动已取消，不能修改/);
    const open = await get('/volunteer/open?pageSize=200', jijian);
    assert.ok(!open.body.items.some((a: { id: string }) => a.id === id), 'gone from the open list');
    const mine = await get('/volunteer/mine?pageSize=200', chen);
    const row = mine.body.items.find((s: { activityId: string }) => s.activityId === id);
    assert.equal(row.activityCancelled, true);

    // On the day: the QR screen and check-in are refused.
    const day = await at(new Date(start.getTime() + 5 * MIN));
    const qr = await get(`/volunteer-activities/${id}/qr`, day.shuji);
    assert.equal(qr.status, 409, qr.raw);
    const { issueVolunteerToken, volunteerKey } = await import('./service');
    const token = issueVolunteerToken(volunteerKey(t.services.fieldCrypto), id).token;
    for (const who of [day.chen, day.jijian]) {
      const res = await post(`/volunteer-activities/${id}/checkin`, who, { token });
      assert.equal(res.status, 409, res.raw);
      assert.match(res.body.error.message, /活动已取消，不能签到/);
    }
  });

  it('lets a member who did not sign up check in on the spot while places remain; full, too early or ended is refused; hours then block cancelling', async () => {
    const { shuji, chen } = await at(new Date(nowMs()));
    const { id, start, end } = await publish(shuji, '现场签到测试：义务献血', nowMs() + 5 * 86_400_000, 2);
    assert.equal((await post(`/volunteer-activities/${id}/signup`, chen)).status, 200);
    const { issueVolunteerToken, volunteerKey } = await import('./service');
    const key = volunteerKey(t.services.fieldCrypto);

    const early = await at(new Date(start.getTime() - 60 * MIN));
    const tooEarly = await post(`/volunteer-activities/${id}/checkin`, early.jijian, {
      token: issueVolunteerToken(key, id).token,
    });
    assert.equal(tooEarly.status, 422, tooEarly.raw);
    assert.equal(tooEarly.body.error.code, 'CHECKIN_NOT_OPEN');

    const on = await at(new Date(start.getTime() + 10 * MIN));
    const token = issueVolunteerToken(key, id).token;
    // The body names no one: a member checks in only themselves.
    const other = await post(`/volunteer-activities/${id}/checkin`, on.jijian, {
      token,
      memberId: crypto.randomUUID(),
    });
    assert.equal(other.status, 400, other.raw);
    const walk = await post(`/volunteer-activities/${id}/checkin`, on.jijian, { token });
    assert.equal(walk.status, 200, walk.raw);
    assert.equal(walk.body.state, 'checked_in');
    assert.equal(walk.body.walkIn, true);
    assert.equal(walk.body.already, false);
    assert.equal(walk.body.signedUpAt, walk.body.checkedInAt);
    const twice = await post(`/volunteer-activities/${id}/checkin`, on.jijian, { token });
    assert.equal(twice.body.already, true);
    assert.equal(twice.body.id, walk.body.id);
    const [entry] = await audit('volunteer.checkin.walkin', walk.body.id);
    assert.equal(entry!.after.walkIn, true);
    const signed = await post(`/volunteer-activities/${id}/checkin`, on.chen, { token });
    assert.equal(signed.body.walkIn, false, 'a sign-up made beforehand is no walk-in');

    const fullUp = await post(`/volunteer-activities/${id}/checkin`, on.shuji, { token });
    assert.equal(fullUp.status, 409, fullUp.raw);
    assert.equal(fullUp.body.error.code, 'ACTIVITY_FULL');
    assert.match(fullUp.body.error.message, /名额已满（共 2 人），不能现场签到/);
    const outsider = await post(`/volunteer-activities/${id}/checkin`, on.shuji2, { token });
    assert.equal(outsider.status, 404, 'another branch’s member does not reach the activity');
    const roster = await get(`/volunteer-activities/${id}/signups?pageSize=50`, on.shuji);
    const walkRow = roster.body.items.find((s: { id: string }) => s.id === walk.body.id);
    assert.equal(walkRow.walkIn, true);
    assert.equal((await get(`/volunteer-activities/${id}`, on.shuji)).body.signedUp, 2);

    const done = await at(new Date(end.getTime() + 10 * MIN));
    const out = await post(`/volunteer-activities/${id}/checkout`, done.jijian, {
      token: issueVolunteerToken(key, id).token,
    });
    assert.equal(out.status, 200, out.raw);
    assert.equal(out.body.minutes, 110);
    const late = await post(`/volunteer-activities/${id}/checkin`, done.shuji, {
      token: issueVolunteerToken(key, id).token,
    });
    assert.equal(late.status, 422);
    assert.equal(late.body.error.code, 'CHECKIN_CLOSED');
    const ended = await post(`/volunteer-activities/${id}/cancel`, done.shuji, { reason: '结束后取消' });
    assert.equal(ended.status, 422);
    assert.equal(ended.body.error.code, 'ACTIVITY_ENDED');

    // Under way with hours recorded: cancelling would wipe them from the volunteers' records.
    const b = await at(new Date(nowMs()));
    const second = await publish(b.shuji, '现场签到测试：短时活动', nowMs() + 6 * 86_400_000, 3);
    const mid = await at(new Date(second.start.getTime() + 5 * MIN));
    const tk = issueVolunteerToken(key, second.id).token;
    assert.equal((await post(`/volunteer-activities/${second.id}/checkin`, mid.jijian, { token: tk })).status, 200);
    const later = await at(new Date(second.start.getTime() + 65 * MIN));
    assert.equal(
      (
        await post(`/volunteer-activities/${second.id}/checkout`, later.jijian, {
          token: issueVolunteerToken(key, second.id).token,
        })
      ).status,
      200,
    );
    const withHours = await post(`/volunteer-activities/${second.id}/cancel`, later.shuji, { reason: '下雨' });
    assert.equal(withHours.status, 422, withHours.raw);
    assert.equal(withHours.body.error.code, 'ACTIVITY_HAS_HOURS');
    assert.match(withHours.body.error.message, /已有 1 人记录了服务时长，不能取消活动/);
  });
});
