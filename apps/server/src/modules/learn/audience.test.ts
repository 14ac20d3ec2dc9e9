/**
 * 必修对象 (issue #18): a required item or exam can bind only the 预备党员 of the subtree, or its 入党积极分子 and
 * 发展对象. Only those it binds see it as required (to-do, 必修 mark), get the deadline reminders, and are counted in
 * the secretary's completion view; 入党积极分子 have no account, so the branch registers their offline study.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, now, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { adminToken, startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { accountFor } from '../../testing/accounts';
import { learnReminders } from './reminders';

describe('learn: required for a member category', () => {
  let t: TestApp;
  let secretary: string;
  let secretary2: string;
  let member: string;
  let probationer: string;
  let probationerId: string;
  let branchId: string;
  let branchPath: string;
  let forProbationers: string;
  let forActivists: string;
  const today = todayInChina();
  const dueOn = addDays(today, 5);
  const { get, post } = api(() => t);
  const n = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(t.services.db, q))[0]!.n;

  before(async () => {
    t = await startTestApp();
    const admin = await adminToken(t);
    [secretary, secretary2, member] = await signIn(t, 'shuji', 'shuji2', 'dangyuan');
    branchId = await t.orgId('第一发电厂党支部');
    [{ path: branchPath }] = (await queryRows<{ path: string }>(
      t.services.db,
      sql`select path from org where id = ${branchId}`,
    )) as [{ path: string }];
    // A 预备党员 of the branch gets an account (陈志远 `dangyuan` is a full member).
    const [p] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branchId} and status = 'probationary' and user_id is null and left_at is null and suspended_on is null order by id limit 1`,
    );
    assert.ok(p, 'the demo branch has a probationary member');
    probationerId = p.id;
    probationer = (await accountFor(t, admin, p.id, 'yubei1')).token;
    const [me] = await queryRows<{ status: string }>(
      t.services.db,
      sql`select m.status from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan'`,
    );
    assert.equal(me!.status, 'full');

    const a = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'article',
      title: '预备党员必修：入党誓词的含义',
      minutes: 1,
      required: true,
      dueOn,
      audience: 'probationary',
    });
    assert.equal(a.status, 201, a.raw);
    forProbationers = a.body.id;
    const b = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'course',
      title: '入党积极分子培训必修课',
      minutes: 30,
      required: true,
      dueOn,
      audience: 'activist',
    });
    assert.equal(b.status, 201, b.raw);
    forActivists = b.body.id;
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  it('shows a 预备党员 course as required to probationary members only', async () => {
    const todo = async (token: string) =>
      ((await get('/learn/me/todo', token)).body.items as { id: string }[]).map((x) => x.id);
    assert.ok((await todo(probationer)).includes(forProbationers), 'on the probationer’s to-do');
    assert.ok(!(await todo(member)).includes(forProbationers), 'not on a full member’s to-do');
    assert.ok(
      !(await todo(member)).includes(forActivists) && !(await todo(probationer)).includes(forActivists),
      'an activists’ course binds no member',
    );
    const mine = await get(`/learn-items/${forProbationers}`, probationer);
    assert.equal(mine.body.forMe, true);
    assert.equal(mine.body.audience, 'probationary');
    const theirs = await get(`/learn-items/${forProbationers}`, member);
    assert.equal(theirs.status, 200, 'still open to read');
    assert.equal(theirs.body.forMe, false);
    const list = (await get('/learn/items?pageSize=200', member)).body.items as { id: string; forMe: boolean }[];
    assert.equal(list.find((x) => x.id === forProbationers)?.forMe, false);
  });

  it('binds exams the same way, and refuses an exam for 入党积极分子', async () => {
    const [q] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select q.id from learn_question q join org o on o.id = q.org_id where ${branchPath} like o.path || '%' and q.retired_at is null limit 1`,
    );
    const body = {
      orgId: branchId,
      title: '预备党员必考测验',
      questionIds: [q!.id],
      passScore: 60,
      minutes: 10,
      opensOn: today,
      closesOn: dueOn,
      required: true,
    };
    const bad = await post('/learn/exams', secretary, { ...body, audience: 'activist' });
    assert.equal(bad.status, 400);
    assert.match(bad.raw, /入党积极分子没有账号/);
    const e = await post('/learn/exams', secretary, { ...body, audience: 'probationary' });
    assert.equal(e.status, 201, e.raw);
    assert.equal(e.body.audience, 'probationary');
    const todo = async (token: string) =>
      ((await get('/learn/me/todo', token)).body.items as { id: string }[]).map((x) => x.id);
    assert.ok((await todo(probationer)).includes(e.body.id));
    assert.ok(!(await todo(member)).includes(e.body.id));
    const c = await get(`/learn-exams/${e.body.id}/completion`, secretary);
    assert.equal(
      c.body.total.assigned,
      await n(
        sql`select count(*)::int as n from member where org_path like ${`${branchPath}%`} and status = 'probationary' and left_at is null and suspended_on is null`,
      ),
    );
  });

  it('reminds only the probationary members of the deadline', async () => {
    const expected = await n(
      sql`select count(*)::int as n from member where org_path like ${`${branchPath}%`} and status = 'probationary' and user_id is not null and left_at is null and suspended_on is null`,
    );
    assert.ok(expected >= 1);
    await learnReminders(t.services.db, addDays(dueOn, -3));
    const got = await queryRows<{ username: string }>(
      t.services.db,
      sql`select u.username from notification n join app_user u on u.id = n.user_id where n.kind = 'learn.due' and n.dedupe_key like ${`learn.due:item:${forProbationers}:%`}`,
    );
    assert.equal(got.length, expected, 'one reminder per probationary member with an account');
    assert.ok(got.some((g) => g.username === 'yubei1'));
    assert.ok(!got.some((g) => g.username === 'dangyuan'), 'a full member is not reminded');
    const none = await n(
      sql`select count(*)::int as n from notification where dedupe_key like ${`learn.due:item:${forActivists}:%`}`,
    );
    assert.equal(none, 0, 'nobody is reminded of an activists’ course (they have no account)');
  });

  it('counts only the probationary members in the secretary’s completion view', async () => {
    const bound = await n(
      sql`select count(*)::int as n from member where org_path like ${`${branchPath}%`} and status = 'probationary' and left_at is null and suspended_on is null`,
    );
    const read = async (token: string) => {
      assert.equal((await post(`/learn-items/${forProbationers}/progress`, token, { seconds: 0 })).status, 200);
      setClock(new Date(now().getTime() + 70_000));
      const r = await post(`/learn-items/${forProbationers}/progress`, token, { seconds: 60 });
      assert.equal(r.body.completed, true, r.raw);
    };
    await read(probationer);
    await read(member); // a full member may read it too; he is not counted
    const c = await get(`/learn-items/${forProbationers}/completion`, secretary);
    assert.equal(c.status, 200, c.raw);
    assert.equal(c.body.audience, 'probationary');
    assert.equal(c.body.total.assigned, bound);
    assert.equal(c.body.total.completed, 1);
    assert.match(c.body.note, /预备党员/);
    const behind = await get(`/learn-items/${forProbationers}/behind?pageSize=200`, secretary);
    assert.equal(behind.body.total, bound - 1);
    assert.ok(!behind.body.items.some((r: { memberId: string }) => r.memberId === probationerId));
    const statuses = await queryRows<{ status: string }>(
      t.services.db,
      sql`select status from member where id = any(${sql.param(behind.body.items.map((r: { memberId: string }) => r.memberId))}::uuid[])`,
    );
    assert.ok(
      statuses.every((s) => s.status === 'probationary'),
      'only probationary members are behind',
    );
  });

  it('counts 入党积极分子 and 发展对象 for their course, and the branch registers their offline study', async () => {
    const persons = await queryRows<{ id: string }>(
      t.services.db,
      sql`select p.id from develop_person p join org o on o.id = p.org_id where o.path like ${`${branchPath}%`} and p.closed_at is null and p.status in ('activist', 'candidate') order by p.id`,
    );
    assert.ok(persons.length >= 1, 'the demo branch has activists');
    const c0 = await get(`/learn-items/${forActivists}/completion`, secretary);
    assert.equal(c0.body.total.assigned, persons.length);
    assert.equal(c0.body.total.completed, 0);
    const b0 = await get(`/learn-items/${forActivists}/behind`, secretary);
    assert.equal(b0.body.total, persons.length);
    assert.ok(b0.body.items.every((r: { person: boolean; hasAccount: boolean }) => r.person && !r.hasAccount));
    const r = await post(`/learn-items/${forActivists}/remind`, secretary);
    assert.deepEqual(r.body, { reminded: 0, already: 0, withoutAccount: persons.length });

    // A member cannot register anyone's study, another branch's secretary does not reach the course.
    assert.equal(
      (await post(`/learn-items/${forActivists}/offline`, member, { personIds: [persons[0]!.id] })).status,
      403,
    );
    assert.equal(
      (await post(`/learn-items/${forActivists}/offline`, secretary2, { personIds: [persons[0]!.id] })).status,
      404,
    );
    // A person of another branch is refused by name of the rule.
    const [other] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select p.id from develop_person p join org o on o.id = p.org_id where o.path not like ${`${branchPath}%`} and p.closed_at is null and p.status in ('activist', 'candidate') limit 1`,
    );
    if (other) {
      const bad = await post(`/learn-items/${forActivists}/offline`, secretary, { personIds: [other.id] });
      assert.equal(bad.status, 422);
      assert.match(bad.body.error.message, /不是本组织的入党积极分子或发展对象/);
    }
    // Not for a course of members.
    assert.equal(
      (await post(`/learn-items/${forProbationers}/offline`, secretary, { personIds: [persons[0]!.id] })).status,
      422,
    );

    const ok = await post(`/learn-items/${forActivists}/offline`, secretary, { personIds: [persons[0]!.id] });
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual(ok.body, { registered: 1, already: 0 });
    const again = await post(`/learn-items/${forActivists}/offline`, secretary, { personIds: [persons[0]!.id] });
    assert.deepEqual(again.body, { registered: 0, already: 1 }, 'once per person');
    const c1 = await get(`/learn-items/${forActivists}/completion`, secretary);
    assert.equal(c1.body.total.completed, 1);
    const b1 = await get(`/learn-items/${forActivists}/behind`, secretary);
    assert.equal(b1.body.total, persons.length - 1);
    const audit = await n(
      sql`select count(*)::int as n from audit_log where action = 'learn.record.offline' and entity_id = ${forActivists}`,
    );
    assert.equal(audit, 2);
  });

  it('lets a member reach no other member through these views', async () => {
    assert.equal((await get(`/learn-items/${forProbationers}/behind`, member)).status, 403);
    assert.equal((await get(`/learn-items/${forProbationers}/completion`, probationer)).status, 403);
    assert.equal((await get(`/members/${probationerId}/learning`, member)).status, 403);
    // Nor another member's record: the probationer's practice is not the full member's to read.
    const daily = await post('/learn/daily', probationer);
    assert.equal(daily.status, 200, daily.raw);
    assert.equal((await get(`/learn-attempts/${daily.body.id}`, member)).status, 404);
  });
});
