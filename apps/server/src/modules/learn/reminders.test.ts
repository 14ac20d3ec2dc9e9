// @fixed-days: reminders 3 days and 1 day before a deadline (tools/test.mjs runs this file under each fixed clock).
/**
 * 学习截止提醒 (issue #18 through #17's scheduler): every morning the scheduler reminds the members who have
 * not completed a required item, or not passed a required open exam, 3 days and 1 day before its deadline —
 * each stage once (a rerun, or two runs at once, send nothing new); who has completed or passed hears
 * nothing more; a draft or an optional item reminds nobody. On a controlled clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, chinaDateLabel, LEARN_DUE_REMIND, nowMs, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { LEARN_REMIND_JOB, learnReminders, stageOf } from './reminders';
import { rightAnswers } from './test-helpers';

type Notice = { kind: string; title: string; body: string; link: string | null };

describe('learn: deadline reminders 3 days and 1 day before, once each, only to who has not finished', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let branchA: string;
  const clockAt = nowMs();
  const realAt = Date.now();
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
  const start = todayInChina();
  /** The deadline of this file's items and exam: 40 days on, away from the demo's (20 days after seeding). */
  const due = addDays(start, 40);
  /** 09:00 Beijing on the day `n` days before the deadline: after the 08:45 run. */
  const morning = async (n: number) => {
    setClock(new Date(`${addDays(due, -n)}T09:00:00+08:00`));
    await t.services.jobs.settle();
    await t.services.jobs.settle();
  };
  const mine = async () => {
    const r = await get('/notifications?pageSize=200', dangyuan);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as Notice[])
      .filter((n) => n.kind === 'learn.due' && n.title.includes('提醒测试'))
      .map((n) => n.title)
      .sort();
  };
  const count = async (like: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from notification where dedupe_key like ${like}`,
      )
    )[0]!.n;
  const ids: Record<string, string> = {};

  const item = async (title: string, extra: Record<string, unknown>) => {
    const r = await post('/learn/items', shuji, {
      orgId: branchA,
      kind: 'article',
      title,
      body: '学习正文。',
      minutes: 5,
      ...extra,
    });
    assert.equal(r.status, 201, r.raw);
    return r.body.id as string;
  };

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan] = await signIn(t, 'shuji', 'dangyuan');
    branchA = await t.orgId('第一发电厂党支部');
    ids.todo = await item('提醒测试：必修甲', { required: true, dueOn: due });
    ids.done = await item('提醒测试：必修乙', { required: true, dueOn: due });
    ids.draft = await item('提醒测试：草稿', { required: true, dueOn: due, published: false });
    ids.optional = await item('提醒测试：选学', { required: false });
    const qs = await queryRows<{ id: string }>(t.services.db, sql`select id from learn_question order by id limit 3`);
    const e = await post('/learn/exams', shuji, {
      orgId: branchA,
      title: '提醒测试：支部考试',
      questionIds: qs.map((q) => q.id),
      passScore: 60,
      minutes: 30,
      opensOn: start,
      closesOn: due,
      required: true,
    });
    assert.equal(e.status, 201, e.raw);
    ids.exam = e.body.id;
    // 必修乙 is already completed by the member (a learning record with its completion).
    const [me] = await queryRows<{ user_id: string; member_id: string; org_id: string }>(
      t.services.db,
      sql`select u.id as user_id, m.id as member_id, m.org_id from app_user u join member m on m.user_id = u.id where u.username = 'dangyuan'`,
    );
    await t.services.db.execute(
      sql`insert into learn_record (tenant_id, user_id, member_id, org_id, item_id, seconds, progress, completed_at, active_month)
          select tenant_id, ${me!.user_id}, ${me!.member_id}, ${me!.org_id}, id, 300, 100, now(), ${start.slice(0, 7)} from learn_item where id = ${ids.done}`,
    );
  });
  after(async () => {
    restore();
    await t.close();
  });

  it('names its stages: 3 days (and 2, catching up a missed morning) and 1 day before; nothing else', () => {
    assert.deepEqual(LEARN_DUE_REMIND.daysBefore, [3, 1]);
    assert.equal(LEARN_DUE_REMIND.citation.confirmed, false, 'the platform’s own arrangement, not a regulation');
    assert.deepEqual([5, 4, 3, 2, 1, 0, -1].map(stageOf), [null, null, '3', '3', '1', null, null]);
  });

  it('reminds at 3 days and at 1 day, once each; a pass or a completion ends it; drafts and optional items remind nobody', async () => {
    try {
      await morning(4);
      assert.deepEqual(await mine(), [], 'four days before: nothing yet');
      await morning(3);
      assert.deepEqual(await mine(), [
        '【学习提醒】提醒测试：必修甲：还有 3 天截止',
        '【学习提醒】提醒测试：支部考试：还有 3 天截止',
      ]);
      const r = await get('/notifications?pageSize=200', dangyuan);
      const notice = (r.body.items as Notice[]).find((n) => n.title === '【学习提醒】提醒测试：必修甲：还有 3 天截止')!;
      assert.equal(notice.link, `/learn/items/${ids.todo}`);
      assert.equal(
        notice.body,
        `第一发电厂党支部发布的必修内容「提醒测试：必修甲」将于 ${chinaDateLabel(due)} 截止（还有 3 天截止），您还没有学完，请抓紧完成。`,
      );

      // Run again, twice at once (two processes' worth): nothing new, for anyone.
      const before = await count('learn.due:%');
      const again = await Promise.all([learnReminders(t.services.db), learnReminders(t.services.db)]);
      assert.deepEqual(
        again.map((a) => a.sent),
        [0, 0],
      );
      assert.equal(await count('learn.due:%'), before);
      await morning(2);
      assert.equal((await mine()).length, 2, 'two days before: the 3-day stage was sent already');

      // The member passes the exam: the 1-day reminder is for the item only.
      const a = await t.request({ method: 'POST', url: `/api/v1/learn-exams/${ids.exam}/attempts`, token: dangyuan });
      assert.equal(a.status, 200, a.raw);
      const answers = await rightAnswers(t.services.db, a.body);
      const s = await post(`/learn-attempts/${a.body.id}/submit`, dangyuan, { answers });
      assert.equal(s.status, 200, s.raw);
      assert.equal(s.body.passed, true);

      await morning(1);
      assert.deepEqual(await mine(), [
        '【学习提醒】提醒测试：必修甲：明天截止',
        '【学习提醒】提醒测试：必修甲：还有 3 天截止',
        '【学习提醒】提醒测试：支部考试：还有 3 天截止',
      ]);
      await morning(0);
      await morning(-1);
      assert.equal((await mine()).length, 3, 'nothing on the day or after');

      // Across the branch: every pending member with an account got each stage once; the completed item,
      // the draft and the optional item reminded nobody.
      const pending = (
        await queryRows<{ n: number }>(
          t.services.db,
          sql`select count(*)::int as n from member m join org o on o.id = m.org_id
              where o.path like (select path from org where id = ${branchA}) || '%' and m.left_at is null and m.user_id is not null`,
        )
      )[0]!.n;
      assert.ok(pending > 1, 'the branch has several members with accounts');
      assert.equal(await count(`learn.due:item:${ids.todo}:${due}:3`), pending);
      assert.equal(await count(`learn.due:item:${ids.todo}:${due}:1`), pending);
      assert.equal(
        await count(`learn.due:item:${ids.done}:%`),
        2 * (pending - 1),
        'everyone but the one who completed it',
      );
      assert.equal(await count(`learn.due:exam:${ids.exam}:${due}:1`), pending - 1, 'everyone but the one who passed');
      assert.equal(await count(`learn.due:item:${ids.draft}:%`), 0);
      assert.equal(await count(`learn.due:item:${ids.optional}:%`), 0);

      // The sweep is one recurring schedule of the database's scheduler (exactly once per morning across processes).
      const [row] = await queryRows<{ cron: string }>(
        t.services.db,
        sql`select cron from schedule where name = ${LEARN_REMIND_JOB}`,
      );
      assert.equal(row?.cron, '45 8 * * *');
    } finally {
      restore();
    }
  });
});
