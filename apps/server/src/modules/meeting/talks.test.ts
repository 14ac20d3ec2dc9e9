// @fixed-days: yearly 谈心谈话 coverage (tools/test.mjs runs this file under each fixed clock).
/**
 * 谈心谈话 coverage (issue #22) through the real HTTP stack on the demo enterprise: the yearly seat × member matrix
 * of a branch agrees with the talk rows; recording a talk by a seat fills its cell; the talker must be someone who
 * can talk for the org and not the member themself; 「提醒委员」 notifies the seats that are behind, once a day;
 * members and another branch's 书记 get nothing; the person's copy carries the talks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { talksOfMember } from './talks';

type Seat = { memberId: string; name: string; position: string; covered: number; due: number };
type Row = { memberId: string; name: string; talks: number; lastOn: string | null; bySeat: Record<string, string> };

describe('谈心谈话 coverage', () => {
  let t: TestApp;
  let shuji: string; // 张建国, 书记 of 第一发电厂党支部
  let shuji2: string; // 书记 of another branch
  let member: string; // 陈志远, a member of 第一发电厂党支部
  let branchId: string;
  const year = () => Number(todayInChina().slice(0, 4));

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, member] = await signIn(t, 'shuji', 'shuji2', 'dangyuan');
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  const { get, post } = api(() => t);
  const memberIdOf = (username: string) => t.memberId(username);

  /** The pairs a seat has covered this year, counted straight from the talk rows. */
  const coveredInSql = async (seat: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(distinct t.member_id)::int as n from talk t join member m on m.id = t.member_id join org o on o.id = m.org_id
            where t.talker_member_id = ${seat} and t.member_id <> ${seat} and m.left_at is null and m.suspended_on is null
              and o.path like (select path from org where id = ${branchId}) || '%'
              and t.held_on >= ${`${year()}-01-01`}::date and t.held_on < ${`${year() + 1}-01-01`}::date`,
      )
    )[0]!.n;

  it('gives the demo branch’s seat × member matrix for the year, consistent with the talk rows', async () => {
    const r = await get(`/orgs/${branchId}/talk-coverage?pageSize=200`, shuji);
    assert.equal(r.status, 200, r.raw);
    const c = r.body as {
      members: number;
      talkedWith: number;
      pairsDue: number;
      pairsCovered: number;
      seats: Seat[];
      items: Row[];
      total: number;
      citationConfirmed: boolean;
    };
    assert.equal(c.citationConfirmed, false, 'the regulation’s article is not confirmed');
    assert.ok(c.seats.length >= 2, `the demo branch has a committee with linked seats: ${r.raw.slice(0, 300)}`);
    assert.ok(c.members > c.seats.length, 'more members than seats');
    assert.equal(c.total, c.members);
    assert.equal(c.items.length, Math.min(200, c.members));
    assert.equal(
      c.pairsDue,
      c.seats.reduce((s, x) => s + x.due, 0),
      'pairs due = the seats’ dues',
    );
    assert.equal(
      c.pairsCovered,
      c.seats.reduce((s, x) => s + x.covered, 0),
      'pairs covered = the seats’ covered',
    );
    for (const s of c.seats) assert.equal(s.covered, await coveredInSql(s.memberId), `seat ${s.name} covered`);
    // Each seat's column in the rows agrees with its count (the page holds the whole roll here).
    for (const s of c.seats)
      assert.equal(
        c.items.filter((i) => i.memberId !== s.memberId && i.bySeat[s.memberId]).length,
        s.covered,
        `seat ${s.name}: cells = covered`,
      );
    assert.equal(c.talkedWith, c.items.filter((i) => i.talks > 0).length, 'talked with = rows with a talk');
    assert.ok(c.pairsCovered < c.pairsDue, 'the demo has seats behind (talks are shared out among the seats)');
    // Rows with a gap come first.
    const gapOf = (i: Row) => c.seats.filter((s) => s.memberId !== i.memberId && !i.bySeat[s.memberId]).length;
    for (let k = 1; k < c.items.length; k++)
      assert.ok(gapOf(c.items[k - 1]!) >= gapOf(c.items[k]!), `ordered by gaps at row ${k}`);
    // gaps=true keeps the members some seat has not talked with (or nobody has).
    const g = await get(`/orgs/${branchId}/talk-coverage?gaps=true&pageSize=200`, shuji);
    assert.equal(g.status, 200, g.raw);
    assert.equal(g.body.total, c.items.filter((i) => gapOf(i) > 0 || i.talks === 0).length);
    assert.ok(
      g.body.items.every((i: Row) => gapOf(i) > 0 || i.talks === 0),
      'only rows with a gap',
    );
  });

  it('fills the seat’s cell when a seat records a talk; refuses talking with oneself, a stranger as talker, no talker', async () => {
    const before = (await get(`/orgs/${branchId}/talk-coverage?pageSize=200`, shuji)).body as {
      pairsCovered: number;
      seats: Seat[];
      items: Row[];
    };
    const self = await memberIdOf('shuji');
    const seat = before.seats.find((s) => s.memberId === self);
    assert.ok(seat, `张建国 holds a seat: ${JSON.stringify(before.seats)}`);
    const target = before.items.find((i) => i.memberId !== self && !i.bySeat[self]);
    assert.ok(target, 'a member 张建国 has not talked with this year');
    const today = todayInChina();
    const body = {
      orgId: branchId,
      memberId: target.memberId,
      talkerMemberId: self,
      heldOn: today,
      topic: '工作和家庭情况',
    };
    const r = await post('/talks', shuji, body);
    assert.equal(r.status, 201, r.raw);
    assert.equal(r.body.talker, '张建国', 'the talker’s name comes from the member record');
    assert.equal(r.body.talkerMemberId, self);
    const after = (await get(`/orgs/${branchId}/talk-coverage?pageSize=200`, shuji)).body as {
      pairsCovered: number;
      seats: Seat[];
      items: Row[];
    };
    assert.equal(after.pairsCovered, before.pairsCovered + 1);
    assert.equal(after.seats.find((s) => s.memberId === self)!.covered, seat.covered + 1);
    assert.equal(after.items.find((i) => i.memberId === target.memberId)!.bySeat[self], today);
    // A second talk with the same member by the same seat covers no new pair.
    assert.equal((await post('/talks', shuji, { ...body, topic: '再谈' })).status, 201);
    assert.equal(
      (await get(`/orgs/${branchId}/talk-coverage?pageSize=1`, shuji)).body.pairsCovered,
      before.pairsCovered + 1,
    );

    const withSelf = await post('/talks', shuji, { ...body, memberId: self });
    assert.equal(withSelf.status, 422, withSelf.raw);
    assert.equal(withSelf.body.error.code, 'TALK_WITH_SELF');
    // A row talking with oneself (older data, written around the API) covers no pair.
    await queryRows(
      t.services.db,
      sql`insert into talk (tenant_id, org_id, member_id, talker, talker_member_id, held_on, topic)
          values (${t.tenantId}, ${branchId}, ${self}, '张建国', ${self}, ${today}, '自谈')`,
    );
    await afterLocalWrite(t.services.db);
    assert.equal(
      (await get(`/orgs/${branchId}/talk-coverage?pageSize=1`, shuji)).body.pairsCovered,
      before.pairsCovered + 1,
      'oneself is no pair',
    );
    const other = await memberIdOf('shuji2');
    const stranger = await post('/talks', shuji, { ...body, talkerMemberId: other });
    assert.equal(stranger.status, 422, stranger.raw);
    assert.equal(stranger.body.error.code, 'TALKER_NOT_IN_ORG');
    assert.match(stranger.body.error.message, /谈话人/);
    const none = await post('/talks', shuji, {
      orgId: branchId,
      memberId: target.memberId,
      heldOn: today,
      topic: '无谈话人',
    });
    assert.equal(none.status, 400, none.raw);
    assert.match(none.raw, /请填写谈话人/);
    const bad = await get(`/orgs/${branchId}/talk-coverage?year=abc`, shuji);
    assert.equal(bad.status, 400, bad.raw);
    // The talks list filters by talker.
    const mine = await get(`/talks?orgId=${branchId}&talkerMemberId=${self}&year=${year()}&pageSize=200`, shuji);
    assert.equal(mine.status, 200, mine.raw);
    assert.ok(
      mine.body.items.length >= 2 &&
        mine.body.items.every((i: { talkerMemberId: string }) => i.talkerMemberId === self),
      'only 张建国’s talks',
    );
  });

  it('reminds the seats that are behind once a day, with the count and names in the notice', async () => {
    const c = (await get(`/orgs/${branchId}/talk-coverage?pageSize=1`, shuji)).body as { seats: Seat[] };
    const behind = c.seats.filter((s) => s.covered < s.due).length;
    assert.ok(behind > 0, 'the demo has seats behind');
    const r = await post(`/orgs/${branchId}/talk-reminders`, shuji);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.seats, behind);
    assert.ok(r.body.sent >= 1, `张建国 has an account: ${r.raw}`);
    const again = await post(`/orgs/${branchId}/talk-reminders`, shuji);
    assert.equal(again.body.sent, 0, 'at most once a day');
    assert.match(again.body.message, /今天已提醒过/);
    const inbox = await get('/notifications?pageSize=50', shuji);
    const notice = inbox.body.items.find((n: { kind: string }) => n.kind === 'talk.remind');
    assert.ok(notice, inbox.raw.slice(0, 500));
    const mine = c.seats.find((s) => s.name === '张建国')!;
    assert.ok(
      notice.title.includes(`${mine.due - mine.covered} 名党员未谈`),
      `${notice.title} / ${JSON.stringify(mine)}`,
    );
  });

  it('gives members and another branch’s 书记 nothing', async () => {
    assert.equal((await get(`/orgs/${branchId}/talk-coverage`, member)).status, 403, 'a member of the branch');
    assert.equal((await post(`/orgs/${branchId}/talk-reminders`, member)).status, 403);
    assert.equal((await get(`/orgs/${branchId}/talk-coverage`, shuji2)).status, 404, 'another branch’s 书记');
    assert.equal((await post(`/orgs/${branchId}/talk-reminders`, shuji2)).status, 404);
    const other = await memberIdOf('shuji');
    assert.equal(
      (await get(`/talks?memberId=${other}`, member)).status,
      403,
      'a member reading talks with another member',
    );
  });

  it('puts the talks with the person, and the ones they held (no summary), in their copy', async () => {
    const self = await memberIdOf('shuji');
    const copy = await talksOfMember(t.services.db, t.tenantId, self);
    assert.ok(copy.held.length >= 2, 'the talks 张建国 held');
    assert.ok(
      copy.held.every((h) => !('summary' in h)),
      'no summary of someone else’s talk',
    );
    const chen = await memberIdOf('dangyuan');
    const theirs = await talksOfMember(t.services.db, t.tenantId, chen);
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from talk where member_id = ${chen}`,
    );
    assert.equal(theirs.withMe.length, n!.n);
    const res = await post('/me/personal-data', member, {});
    assert.ok(res.status < 300, res.raw.slice(0, 300));
  });
});
