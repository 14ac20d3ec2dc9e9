// @fixed-days: 疑似失联 after months without activity (tools/test.mjs runs this file under each fixed clock).
/**
 * Issue #13 item 9 — 疑似失联: every member's last activity is kept from the outbox (their own actions, a meeting sign-in
 * or cash dues recorded for them), and members on the roll silent for 6 months (SUSPECTED_LOST_RULE) are listed for
 * the branch to check. Dates are relative to the shared clock's today.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addMonths, idCardCheckChar, SUSPECTED_LOST_RULE, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { writeAudit } from '../../platform/audit';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('疑似失联 from the members’ last activity (SUSPECTED_LOST_RULE)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  let branch: string;
  let quiet: string; // a member of the branch without an account
  let chen: string; // 陈志远, the demo member account dangyuan
  const today = todayInChina();
  const silentAt = (months: number) => new Date(`${addMonths(today, -months)}T09:00:00+08:00`);

  const suspected = async (token = admin, query = `orgId=${branch}&pageSize=100`) => {
    const r = await get(`/lost-members/suspected?${query}`, token);
    assert.equal(r.status, 200, r.raw);
    return r.body as {
      items: { memberId: string; lastAction: string | null; lastActiveAt: string | null }[];
      total: number;
      silentBefore: string;
    };
  };
  const setActivity = async (memberId: string, at: Date, action = 'auth.login') => {
    await t.services.db.execute(
      sql`insert into member_activity (member_id, tenant_id, last_active_at, last_action) values (${memberId}, ${t.tenantId}, ${at}, ${action})
          on conflict (member_id) do update set last_active_at = excluded.last_active_at, last_action = excluded.last_action`,
    );
    await afterLocalWrite(t.services.db);
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branch = await t.orgId('第一发电厂党支部');
    const [q] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branch} and left_at is null and user_id is null and suspended_on is null
          and not exists (select 1 from member_lost l where l.member_id = member.id)
          and not exists (select 1 from member_activity a where a.member_id = member.id and a.last_active_at < now() - interval '3 months')
          order by name limit 1`,
    );
    quiet = q!.id;
    chen = await t.memberId('dangyuan');
  });
  after(() => t.close());

  it('lists the demo’s two silent members of the branch, longest silent first, with what they last did', async () => {
    const page = await suspected();
    assert.equal(page.silentBefore, addMonths(today, -SUSPECTED_LOST_RULE.afterMonths));
    assert.equal(page.total, 2, JSON.stringify(page.items));
    assert.ok(page.items[0]!.lastActiveAt! < page.items[1]!.lastActiveAt!, 'longest silent first');
    assert.deepEqual(
      page.items.map((i) => i.lastAction),
      ['meeting.checkin', 'meeting.checkin'],
    );
    assert.ok(!page.items.some((i) => i.memberId === quiet), 'an active member is not listed');
  });

  it('counts six months to the day: silent one day less is not listed, silent the full six months is', async () => {
    await setActivity(quiet, new Date(`${addMonths(today, -6)}T09:00:00+08:00`));
    assert.ok(!(await suspected()).items.some((i) => i.memberId === quiet), 'silent since that very day: not yet');
    await setActivity(quiet, new Date(new Date(`${addMonths(today, -6)}T00:00:00+08:00`).getTime() - 1000));
    assert.ok(
      (await suspected()).items.some((i) => i.memberId === quiet),
      'silent since before that day: listed',
    );
  });

  it('a meeting sign-in recorded by the secretary counts as the member’s activity (the outbox tap)', async () => {
    await setActivity(quiet, silentAt(7));
    assert.ok((await suspected()).items.some((i) => i.memberId === quiet));
    // The event a sign-in writes (meeting/signin.ts), by the secretary's account for the member.
    const [shuji] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'shuji'`,
    );
    await t.services.db.transaction((tx) =>
      writeAudit(
        tx,
        { tenantId: t.tenantId, userId: shuji!.id, username: 'shuji', requestId: 'test' },
        {
          action: 'meeting.checkin',
          entityType: 'meeting_attendance',
          entityId: null,
          after: { meetingId: null, memberId: quiet, method: 'manual' },
        },
      ),
    );
    await t.services.jobs.settle();
    const page = await suspected();
    assert.ok(!page.items.some((i) => i.memberId === quiet), 'no longer silent');
    const [row] = await queryRows<{ last_action: string }>(
      t.services.db,
      sql`select last_action from member_activity where member_id = ${quiet}`,
    );
    assert.equal(row!.last_action, 'meeting.checkin');
  });

  it('the member’s own sign-in to the app counts as activity', async () => {
    await setActivity(chen, silentAt(9));
    assert.ok(
      (await suspected()).items.some((i) => i.memberId === chen),
      '陈志远 silent for 9 months',
    );
    await t.login('dangyuan');
    await t.services.jobs.settle();
    assert.ok(!(await suspected()).items.some((i) => i.memberId === chen), 'signed in today');
    const [row] = await queryRows<{ last_action: string }>(
      t.services.db,
      sql`select last_action from member_activity where member_id = ${chen}`,
    );
    assert.equal(row!.last_action, 'auth.login');
  });

  it('an older event does not move the last activity back', async () => {
    await setActivity(quiet, silentAt(1), 'auth.login');
    const { recordActivity } = await import('./activity');
    await t.services.db.transaction((tx) =>
      recordActivity(tx, [
        {
          id: 0,
          tenantId: t.tenantId,
          kind: 'meeting.checkin',
          entityType: 'x',
          entityId: null,
          orgId: null,
          orgPath: null,
          actorId: null,
          data: { memberId: quiet },
          at: silentAt(8),
        },
      ]),
    );
    const [row] = await queryRows<{ last_action: string }>(
      t.services.db,
      sql`select last_action from member_activity where member_id = ${quiet}`,
    );
    assert.equal(row!.last_action, 'auth.login', 'the newer activity stays');
  });

  it('leaves out members already on the 失联 path, and members whose record was just made', async () => {
    const page = await suspected();
    const first = page.items[0]!.memberId;
    const r = await post(`/members/${first}/lost`, admin, {
      lastContactOn: addMonths(today, -10),
      circumstances: '电话停机',
    });
    assert.equal(r.status, 200, r.raw);
    assert.ok(!(await suspected()).items.some((i) => i.memberId === first), 'marked lost: on the 失联 list instead');
    // A record made today has no activity yet and is not silent (its silence counts from the record's making).
    const first17 = `11010119850601${'073'}`;
    const made = await post('/members', admin, {
      orgId: branch,
      name: '新录入',
      gender: 'male',
      birthDate: '1985-06-01',
      idCardNo: first17 + idCardCheckChar(first17),
      phone: '13812345673',
      joinedAt: '2008-07-01',
      status: 'full',
    });
    assert.equal(made.status, 201, made.raw);
    assert.ok(!(await suspected()).items.some((i) => i.memberId === made.body.id), 'a record made today is not silent');
  });

  it('pages, and shows another branch’s secretary none of this branch; a member is refused', async () => {
    await setActivity(quiet, silentAt(7));
    const all = await suspected();
    assert.ok(all.total >= 2, `total ${all.total}`);
    const one = await suspected(admin, `orgId=${branch}&page=2&pageSize=1`);
    assert.equal(one.items.length, 1);
    assert.equal(one.total, all.total);
    assert.equal(one.items[0]!.memberId, all.items[1]!.memberId);
    const shuji2 = await t.login('shuji2');
    const other = await get(`/lost-members/suspected?orgId=${branch}`, shuji2);
    assert.equal(other.status, 403, other.raw);
    const own = await suspected(shuji2, 'pageSize=100');
    assert.ok(!own.items.some((i) => i.memberId === quiet), 'the other branch’s list has none of 第一发电厂党支部');
    const member = await t.login('dangyuan');
    const refused = await get(`/lost-members/suspected?orgId=${branch}`, member);
    assert.equal(refused.status, 403, refused.raw);
  });
});
