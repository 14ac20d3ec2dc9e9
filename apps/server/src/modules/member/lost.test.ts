// @fixed-days: 6 months to 停止党籍, 2 years to 除名 (tools/test.mjs runs this file under each fixed clock).
/**
 * Issue #13 item 9 — 失联 → 停止党籍 → 恢复党籍 / 除名 (LOST_CONTACT_RULE, 党员教育管理工作条例). 停止党籍 is not an
 * exit: the record stays, the member is off the roll (not invited, not billed, not counted, no vote) and can be
 * restored; only two years later, still lost, is the member removed. Any member can be marked lost, not only a
 * registered 流动党员. Dates are relative to the shared clock's today.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addDays, addMonths, LOST_CONTACT_RULE, nowMs, todayInChina } from '@xianfeng/shared';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';
import { generateBills, getSettings } from '../dues/service';
import { member, onRoll as onRollCondition, onRollAs } from './schema';
import { countBranchMembers } from './service';

describe('失联 → 停止党籍 → 恢复党籍 / 除名 (LOST_CONTACT_RULE)', () => {
  let t: TestApp;
  const { get } = api(() => t);
  let admin: string;
  let branch: string;
  let branchPath: string;
  const today = todayInChina();
  // Last contact three years ago: 停止党籍 possible from 30 months ago, 除名 (2 years later) from 6 months ago.
  const lastContactOn = addMonths(today, -36);
  const suspendFrom = addMonths(lastContactOn, LOST_CONTACT_RULE.suspendAfterMonths);
  const approvedOn = addDays(suspendFrom, 10);
  const removeFrom = addMonths(approvedOn, 12 * LOST_CONTACT_RULE.removeAfterYears);
  const post = (url: string, body: unknown, token = admin) =>
    t.request({ method: 'POST', url: `/api/v1${url}`, token, body });
  /** Full members of the branch itself who joined before the last contact, with no account (so no session matters). */
  let picks: string[] = [];

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branch = await t.orgId('第一发电厂党支部');
    const [o] = await queryRows<{ path: string }>(t.services.db, sql`select path from org where id = ${branch}`);
    branchPath = o!.path;
    picks = (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${branch} and left_at is null and status = 'full' and joined_at < ${lastContactOn}::date
            and user_id is null order by id limit 2`,
      )
    ).map((r) => r.id);
    assert.equal(picks.length, 2);
  });
  after(() => t.close());

  const onRoll = async () => (await countBranchMembers(t.services.db, t.tenantId, [branch])).get(branch)!;
  const stats = async () => (await get(`/members/stats?orgId=${branch}`, admin)).body;
  const episode = async (memberId: string) => {
    const r = await get(`/lost-members?orgId=${branch}&state=all&memberId=${memberId}`, admin);
    assert.equal(r.status, 200, r.raw);
    return r.body.items[0];
  };

  it('停止党籍 is no longer an exit reason', async () => {
    const r = await post(`/members/${picks[0]}/exit`, { reason: 'stopped', date: today, note: '' });
    assert.equal(r.status, 400, r.raw);
  });

  it('marks any member lost, needs a search and 6 months, then takes the member off the roll without an exit', async () => {
    const id = picks[0]!;
    const before = { roll: await onRoll(), stats: await stats() };
    const marked = await post(`/members/${id}/lost`, { lastContactOn, circumstances: '电话停机，原住址已搬离' });
    assert.equal(marked.status, 200, marked.raw);
    assert.equal((await post(`/members/${id}/lost`, { lastContactOn, circumstances: '再登记一次' })).status, 409);

    const noSearch = await post(`/members/${id}/suspend`, {
      decidedOn: approvedOn,
      approvedOn,
      approvedBy: '集团党委',
    });
    assert.equal(noSearch.status, 422, noSearch.raw);
    assert.match(noSearch.body.error.message, /查找/);
    const s = await post(`/members/${id}/lost/searches`, {
      on: addDays(lastContactOn, 30),
      how: '走访原单位和家属',
      result: '均不知去向',
    });
    assert.equal(s.status, 200, s.raw);
    assert.equal(
      (await post(`/members/${id}/lost/searches`, { on: addDays(lastContactOn, -1), how: '电话', result: '' })).status,
      422,
    );

    const early = await post(`/members/${id}/suspend`, {
      decidedOn: addDays(suspendFrom, -1),
      approvedOn,
      approvedBy: '集团党委',
    });
    assert.equal(early.status, 422, early.raw);
    assert.match(early.body.error.message, /未满 6 个月/);
    const backwards = await post(`/members/${id}/suspend`, {
      decidedOn: approvedOn,
      approvedOn: suspendFrom,
      approvedBy: '集团党委',
    });
    assert.equal(backwards.status, 422, backwards.raw);
    const ok = await post(`/members/${id}/suspend`, { decidedOn: suspendFrom, approvedOn, approvedBy: '集团党委' });
    assert.equal(ok.status, 200, ok.raw);

    // Still a member, readable, not left; off the roll.
    const m = await get(`/members/${id}`, admin);
    assert.equal(m.status, 200, m.raw);
    assert.equal(m.body.suspendedOn, approvedOn);
    const [row] = await queryRows<{ left_at: string | null }>(
      t.services.db,
      sql`select left_at from member where id = ${id}`,
    );
    assert.equal(row!.left_at, null, '停止党籍 is not 出党');
    assert.deepEqual(
      await onRoll(),
      { full: before.roll.full - 1, all: before.roll.all - 1 },
      'not counted as the branch’s members',
    );
    const after = await stats();
    assert.equal(after.total, before.stats.total - 1);
    assert.equal(after.suspended, before.stats.suspended + 1);

    // Not billed for a month while stopped; billed again for it once restored (below).
    const month = `${today.slice(0, 7)}-01`;
    await t.services.db.execute(sql`delete from dues_bill where member_id = ${id} and month = ${month}::date`);
    const settings = await getSettings(t.services.db, t.tenantId);
    assert.equal(
      await generateBills(t.services.db, t.tenantId, branchPath, month, settings, { memberId: id }),
      0,
      'no bill while stopped',
    );

    // Not invited to a 党员大会 of the branch.
    const meeting = await post('/meetings', {
      orgId: branch,
      kind: 'party_congress',
      title: '党员大会：失联党员测试',
      startsAt: new Date(nowMs() + 86400_000).toISOString(),
      endsAt: new Date(nowMs() + 90000_000).toISOString(),
      location: '党员活动室',
    });
    assert.equal(meeting.status, 201, meeting.raw);
    assert.equal((await post(`/meetings/${meeting.body.id}/publish`, {})).status, 200);
    const [inv] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from meeting_attendance where meeting_id = ${meeting.body.id} and member_id = ${id} and invited`,
    );
    assert.equal(inv!.n, 0, 'not invited while stopped');
    // The one 在册 condition every module uses (invitees, bills, counts, study reminders, notices, @mentions).
    const [raw] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member m where m.id = ${id} and ${onRollAs('m')}`,
    );
    assert.equal(raw!.n, 0, 'off the roll in raw SQL');
    assert.equal(
      (
        await t.services.db
          .select({ id: member.id })
          .from(member)
          .where(and(eq(member.id, id), onRollCondition()))
      ).length,
      0,
    );

    // Neither transferred nor registered as 流动党员 while stopped: the record waits for 恢复党籍 or 除名.
    const other = await t.orgId('研发中心党支部');
    const transfer = await post(`/members/${id}/transfers`, {
      direction: 'internal',
      toOrgId: other,
      reason: '工作调动',
    });
    assert.equal(transfer.status, 409, transfer.raw);
    assert.equal(transfer.body.error.code, 'LOST_SUSPENDED');
    assert.match(transfer.body.error.message, /停止党籍/);

    const e = await episode(id);
    assert.equal(e.status, 'suspended');
    assert.equal(e.suspendFrom, suspendFrom);
    assert.equal(e.removeFrom, removeFrom);
    assert.equal(e.searches.length, 1);

    // 恢复党籍: the 支部大会 after the suspension, approved above; on the roll and billed again.
    const tooEarly = await post(`/members/${id}/restore`, {
      meetingOn: addDays(approvedOn, -1),
      approvedOn,
      approvedBy: '集团党委',
      note: '本人出国务工，现已回国',
    });
    assert.equal(tooEarly.status, 422, tooEarly.raw);
    const restored = await post(`/members/${id}/restore`, {
      meetingOn: today,
      approvedOn: today,
      approvedBy: '集团党委',
      note: '本人出国务工，现已回国',
    });
    assert.equal(restored.status, 200, restored.raw);
    assert.equal(
      (
        await t.services.db
          .select({ id: member.id })
          .from(member)
          .where(and(eq(member.id, id), onRollCondition()))
      ).length,
      1,
      'on the roll again',
    );
    assert.deepEqual(await onRoll(), before.roll);
    assert.equal((await stats()).suspended, before.stats.suspended);
    assert.equal(
      await generateBills(t.services.db, t.tenantId, branchPath, month, settings, { memberId: id }),
      1,
      'billed again',
    );
    assert.equal((await episode(id)).status, 'restored');
    assert.equal(
      (
        await post(`/members/${id}/restore`, {
          meetingOn: today,
          approvedOn: today,
          approvedBy: '集团党委',
          note: '再恢复',
        })
      ).status,
      404,
    );
  });

  it('removes (除名) only after two years of 停止党籍, as an exit that keeps the record', async () => {
    const id = picks[1]!;
    assert.equal((await post(`/members/${id}/lost`, { lastContactOn, circumstances: '外出后音讯全无' })).status, 200);
    assert.equal(
      (await post(`/members/${id}/lost/remove`, { decidedOn: today, approvedOn: today, approvedBy: '集团党委' }))
        .status,
      409,
      'not stopped yet',
    );
    assert.equal(
      (
        await post(`/members/${id}/lost/searches`, {
          on: addDays(lastContactOn, 60),
          how: '通过流入地党组织查找',
          result: '无此人',
        })
      ).status,
      200,
    );
    assert.equal(
      (await post(`/members/${id}/suspend`, { decidedOn: suspendFrom, approvedOn, approvedBy: '集团党委' })).status,
      200,
    );
    const early = await post(`/members/${id}/lost/remove`, {
      decidedOn: addDays(removeFrom, -1),
      approvedOn: addDays(removeFrom, -1),
      approvedBy: '集团党委',
    });
    assert.equal(early.status, 422, early.raw);
    assert.match(early.body.error.message, /未满 2 年/);
    const removed = await post(`/members/${id}/lost/remove`, {
      decidedOn: removeFrom,
      approvedOn: removeFrom,
      approvedBy: '集团党委',
    });
    assert.equal(removed.status, 200, removed.raw);
    const [row] = await queryRows<{ left_at: string; left_reason: string; suspended_on: string | null }>(
      t.services.db,
      sql`select left_at, left_reason, suspended_on from member where id = ${id}`,
    );
    assert.deepEqual(row, { left_at: removeFrom, left_reason: 'removed', suspended_on: null });
    assert.equal((await episode(id)).status, 'removed');
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where entity_id = ${id} and action in ('member.lost.mark', 'member.lost.suspend', 'member.exit')`,
    );
    assert.equal(audit!.n, 3, 'each step audited');
  });

  it('migration 0034 turns an old 停止党籍 exit into an open 停止党籍 episode and puts the member back', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branch} and left_at is null and suspended_on is null and id <> all(${sql.param(picks)}::uuid[])
          and joined_at < ${lastContactOn}::date order by id limit 1`,
    );
    await t.services.db.execute(
      sql`update member set left_at = ${approvedOn}::date, left_reason = 'stopped' where id = ${m!.id}`,
    );
    // The data part of the migration, as written in the file (after the schema statements).
    const file = fs.readFileSync(path.join(import.meta.dirname, '../../../migrations/0034_member_lost.sql'), 'utf8');
    const data = file.slice(file.indexOf('-- 停止党籍 used to be')).split('--> statement-breakpoint');
    assert.equal(data.length, 2);
    for (const stmt of data) await t.services.db.execute(sql.raw(stmt));
    const [row] = await queryRows<{ left_at: string | null; left_reason: string | null; suspended_on: string }>(
      t.services.db,
      sql`select left_at, left_reason, suspended_on from member where id = ${m!.id}`,
    );
    assert.deepEqual(row, { left_at: null, left_reason: null, suspended_on: approvedOn });
    const e = await episode(m!.id);
    assert.equal(e.status, 'suspended');
    assert.equal(e.suspendedOn, approvedOn);
  });

  it('lets a member neither mark another member lost nor read the list', async () => {
    const member = await t.login('dangyuan');
    const other = picks[0]!;
    assert.equal((await post(`/members/${other}/lost`, { lastContactOn, circumstances: '探针' }, member)).status, 403);
    assert.equal((await get('/lost-members', member)).status, 403);
  });
});
