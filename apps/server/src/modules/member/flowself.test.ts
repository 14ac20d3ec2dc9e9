// @fixed-days: 流动党员's contact intervals (tools/test.mjs runs this file under each fixed clock).
/**
 * 流动党员 kept in touch (issue #22) through the real HTTP stack: the member sees their own flow and reports in from the
 * phone (as themself only), which resets the 失联 clock and tells the 书记; the daily reminder asks the member too, once
 * per last contact; a member already on the 失联 path stays on it (the 书记 is told), one whose 党籍 is stopped cannot
 * report in; the flowing list shows who is on the 失联 path; the demo's two flows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, addMonths, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { flowReminders } from './reminders';

describe('流动党员 kept in touch', () => {
  let t: TestApp;
  let admin: string;
  let shuji: string;
  let member: string; // 陈志远 (dangyuan), 第一发电厂党支部
  let jijian: string; // another member of the branch, not flowing
  let chen: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji, member, jijian] = await signIn(t, 'admin', 'shuji', 'dangyuan', 'jijian');
    chen = await t.memberId('dangyuan');
  });
  after(() => t.close());

  const { get, post, put } = api(() => t);
  const inbox = async (token: string, kind: string) =>
    (
      (await get('/notifications?pageSize=100', token)).body.items as { kind: string; title: string; body: string }[]
    ).filter((n) => n.kind === kind);

  it('seeds two flows in 第二发电厂党支部: one in touch, one 7 months without contact and not yet on the 失联 path', async () => {
    const branch = await t.orgId('第二发电厂党支部');
    const r = await get(`/flowing?orgId=${branch}&pageSize=50`, admin);
    assert.equal(r.status, 200, r.raw);
    const items = r.body.items as { lostContact: boolean; lostStatus: string | null; lastContactOn: string }[];
    assert.equal(items.length, 2, r.raw);
    assert.deepEqual(
      items.map((i) => [i.lostContact, i.lostStatus]),
      [
        [true, null],
        [false, null],
      ],
      'the longest without contact first',
    );
  });

  it('lets a flowing member see their flow and report in, which resets the 失联 clock and tells the 书记', async () => {
    const none = await get('/me/flow', member);
    assert.equal(none.status, 200, none.raw);
    assert.equal(none.body.flow, null, 'not flowing yet');
    const refused = await post('/me/flow/checkin', member, { note: '在外地' });
    assert.equal(refused.status, 422, refused.raw);
    assert.equal(refused.body.error.code, 'NOT_FLOWING');

    const since = addMonths(todayInChina(), -7);
    const reg = await post(`/members/${chen}/flow`, shuji, {
      location: '广东省深圳市',
      since,
      expectedUntil: addMonths(todayInChina(), 5),
      contact: '微信',
    });
    assert.equal(reg.status, 201, reg.raw);
    const old = addMonths(todayInChina(), -2);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${old} where member_id = ${chen} and ended_on is null`,
    );
    await afterLocalWrite(t.services.db);
    const mine = await get('/me/flow', member);
    assert.equal(mine.body.flow.lastContactOn, old);
    assert.equal(mine.body.flow.contactDueOn, addMonths(old, 1));
    assert.equal(mine.body.flow.lostOn, addMonths(old, 6));
    assert.equal(mine.body.flow.today, false);
    assert.equal(mine.body.flow.ruleConfirmed, false);

    // Someone else's id in the body is refused (the route only ever acts on the signed-in member).
    const forOther = await post('/me/flow/checkin', member, { memberId: chen, note: 'x' });
    assert.equal(forOther.status, 400, forOther.raw);
    const tooLong = await post('/me/flow/checkin', member, { note: '字'.repeat(501) });
    assert.equal(tooLong.status, 400, tooLong.raw);
    assert.match(tooLong.raw, /近况不能超过 500 字/);

    const done = await post('/me/flow/checkin', member, {
      location: '广东省东莞市',
      note: '工作顺利，本季度思想汇报已提交。',
    });
    assert.equal(done.status, 200, done.raw);
    assert.equal(done.body.lastContactOn, todayInChina());
    assert.equal(done.body.notified, true, done.raw);
    const after = (await get('/me/flow', member)).body.flow;
    assert.equal(after.today, true);
    assert.equal(after.location, '广东省东莞市');
    const branch = await t.orgId('第一发电厂党支部');
    const row = (
      (await get(`/flowing?orgId=${branch}&pageSize=50`, shuji)).body.items as {
        memberId: string;
        lastContactOn: string;
        location: string;
      }[]
    ).find((i) => i.memberId === chen);
    assert.equal(row?.lastContactOn, todayInChina());
    const notices = await inbox(shuji, 'member.flow.checkin');
    assert.equal(notices.length, 1, 'the 书记 is told');
    assert.match(notices[0]!.body, /广东省东莞市/);
    assert.match(notices[0]!.body, /工作顺利/);
    // A second report the same day is recorded, with no second notice.
    assert.equal((await post('/me/flow/checkin', member, {})).status, 200);
    assert.equal((await inbox(shuji, 'member.flow.checkin')).length, 1, 'one notice a day');
    // Not flowing: another member.
    assert.equal((await post('/me/flow/checkin', jijian, {})).status, 422);
  });

  it('asks the member to report in when contact is due, once per last contact', async () => {
    const old = addMonths(todayInChina(), -2);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${old} where member_id = ${chen} and ended_on is null`,
    );
    await afterLocalWrite(t.services.db);
    const before = (await inbox(member, 'member.flow.self')).length;
    await flowReminders(t.services.db);
    const got = await inbox(member, 'member.flow.self');
    assert.equal(got.length, before + 1, 'the member is asked');
    assert.match(got[0]!.body, /流动党员报到/);
    await flowReminders(t.services.db);
    assert.equal((await inbox(member, 'member.flow.self')).length, before + 1, 'not twice for the same last contact');
  });

  it('follows the contact interval the branch sets (within 1–5 months, the org above’s by default), keepers only', async () => {
    const branch = await t.orgId('第一发电厂党支部');
    const sibling = await t.orgId('第二发电厂党支部');
    const company = await t.orgId('华夏电力有限公司党委');
    const saveSettings = (token: string, body: unknown) => put('/flowing/settings', token, body);
    const settingsOf = async (orgId: string) => (await get(`/flowing/settings?orgId=${orgId}`, admin)).body;
    assert.deepEqual(
      [(await settingsOf(branch)).contactEveryMonths, (await settingsOf(branch)).own],
      [1, false],
      'the default: monthly',
    );
    // Bounds, in Chinese; a member and another branch's 书记 may not set it; a member may not read it.
    for (const [months, message] of [
      [0, /至少 1 个月/],
      [6, /最多 5 个月.*失联/],
      [2.5, /整月数/],
    ] as const) {
      const r = await saveSettings(shuji, { orgId: branch, contactEveryMonths: months });
      assert.equal(r.status, 400, r.raw);
      assert.match(r.raw, message);
    }
    assert.equal((await saveSettings(member, { orgId: branch, contactEveryMonths: 3 })).status, 403);
    assert.equal((await saveSettings(await t.login('shuji2'), { orgId: branch, contactEveryMonths: 3 })).status, 403);
    assert.equal((await get(`/flowing/settings?orgId=${branch}`, member)).status, 403);

    // The company sets 2 months for its subtree; the branch then sets 3 for itself.
    assert.equal((await saveSettings(admin, { orgId: company, contactEveryMonths: 2 })).status, 200);
    const inherited = await settingsOf(sibling);
    assert.deepEqual(
      [inherited.contactEveryMonths, inherited.own, inherited.fromOrgName],
      [2, false, '华夏电力有限公司党委'],
    );
    const set = await saveSettings(shuji, { orgId: branch, contactEveryMonths: 3 });
    assert.equal(set.status, 200, set.raw);
    assert.deepEqual([set.body.contactEveryMonths, set.body.own], [3, true]);
    assert.equal((await settingsOf(sibling)).contactEveryMonths, 2, 'the sibling keeps the company’s');

    // Two months and a day without contact: not due at every 3 months; the member's next date is 3 months on.
    const twoMonths = addDays(addMonths(todayInChina(), -2), -1);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${twoMonths} where member_id = ${chen} and ended_on is null`,
    );
    await afterLocalWrite(t.services.db);
    const before = (await inbox(shuji, 'member.flow')).length;
    await flowReminders(t.services.db);
    assert.equal((await inbox(shuji, 'member.flow')).length, before, 'not due yet');
    assert.equal((await get('/me/flow', member)).body.flow.contactDueOn, addMonths(twoMonths, 3));
    // Three months and a day: due, and the notice names the branch's interval.
    const threeMonths = addDays(addMonths(todayInChina(), -3), -1);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${threeMonths} where member_id = ${chen} and ended_on is null`,
    );
    await afterLocalWrite(t.services.db);
    await flowReminders(t.services.db);
    const got = await inbox(shuji, 'member.flow');
    assert.equal(got.length, before + 1, 'the 书记 is told');
    assert.match(got[0]!.body, /每 3 个月/);
    // Back to the default for the tests after this one.
    for (const orgId of [branch, company])
      assert.equal((await saveSettings(admin, { orgId, contactEveryMonths: 1 })).status, 200);
  });

  it('keeps a member on the 失联 path when they report in (the 书记 is told), and refuses one whose 党籍 is stopped', async () => {
    const lastContact = addMonths(todayInChina(), -7);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${lastContact} where member_id = ${chen} and ended_on is null`,
    );
    await afterLocalWrite(t.services.db);
    const mark = await post(`/members/${chen}/lost`, shuji, {
      lastContactOn: lastContact,
      circumstances: '流动党员，电话停机，联系不上',
    });
    assert.ok(mark.status === 200 || mark.status === 201, mark.raw);
    const branch = await t.orgId('第一发电厂党支部');
    const listed = (
      (await get(`/flowing?orgId=${branch}&pageSize=50`, shuji)).body.items as {
        memberId: string;
        lostStatus: string | null;
      }[]
    ).find((i) => i.memberId === chen);
    assert.equal(listed?.lostStatus, 'lost', 'the flowing list shows the 失联 path');

    const r = await post('/me/flow/checkin', member, { note: '手机换号了' });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.lostOpen, true);
    const [ep] = await queryRows<{ status: string }>(
      t.services.db,
      sql`select status from member_lost where member_id = ${chen} and status in ('lost', 'suspended')`,
    );
    assert.equal(ep?.status, 'lost', 'still on the 失联 path until the 书记 records 取得联系');
    const notice = (await inbox(shuji, 'member.flow.checkin')).find((n) => n.body.includes('手机换号了'));
    assert.ok(notice, 'a report-in on the 失联 path is told the same day too');
    assert.match(notice.body, /已登记为失联党员.*取得联系/);

    await t.services.db.execute(sql`update member set suspended_on = ${todayInChina()} where id = ${chen}`);
    await t.services.db.execute(
      sql`update member_lost set status = 'suspended', suspended_on = ${todayInChina()} where member_id = ${chen} and status = 'lost'`,
    );
    await afterLocalWrite(t.services.db);
    const stopped = await post('/me/flow/checkin', member, {});
    assert.equal(stopped.status, 409, stopped.raw);
    assert.match(stopped.body.error.message, /恢复党籍/);
  });
});
