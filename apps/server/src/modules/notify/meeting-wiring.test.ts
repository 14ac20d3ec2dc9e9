/**
 * 组织生活 through notify() (issue #17), beyond the notice and the two reminders (wiring.test.ts): a published
 * meeting that is cancelled tells every invited member; one that is moved, ends at another time or meets at
 * another place tells them with a 会议变更 naming what changed (old and new), and its reminders follow a new start; when a meeting is recorded as held, whoever was invited and did not come gets a
 * 补学提醒 with the deadline, and again a week before it unless they have made it up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chinaDate, chinaDateLabel, chinaDateTimeLabel, MAKEUP_RULE, nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { endsAtLabel } from '../meeting/notice';

type Notice = { kind: string; title: string; body: string; link: string | null };
const H = 3600_000;

describe('notify: meeting cancelled, moved, and 补学 due', () => {
  let t: TestApp;
  const { get, post, put, patch } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let branchA: string;
  let selfId: string;
  const clockAt = nowMs();
  const realAt = Date.now();
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));

  const inbox = async (token: string, kind: string, title: string) => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as Notice[]).filter((n) => n.kind === kind && n.title.includes(title));
  };
  const count = async (likeKey: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from notification where dedupe_key like ${likeKey}`,
      )
    )[0]!.n;
  const invitedWithAccount = async (id: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from meeting_attendance a join member m on m.id = a.member_id
            where a.meeting_id = ${id} and a.invited and m.user_id is not null`,
      )
    )[0]!.n;
  const meeting = async (title: string, startMs: number, publish = true) => {
    const c = await post('/meetings', shuji, {
      orgId: branchA,
      kind: 'theme_day',
      title,
      startsAt: new Date(startMs).toISOString(),
      endsAt: new Date(startMs + 90 * 60_000).toISOString(),
      location: '党员活动室',
    });
    assert.equal(c.status, 201, c.raw);
    if (publish) {
      const p = await post(`/meetings/${c.body.id}/publish`, shuji, {});
      assert.equal(p.status, 200, p.raw);
    }
    return c.body.id as string;
  };

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan] = await signIn(t, 'shuji', 'dangyuan');
    branchA = await t.orgId('第一发电厂党支部');
    selfId = (await get('/members/me', dangyuan)).body.id;
  });
  after(async () => {
    restore();
    await t.close();
  });

  it('a published meeting cancelled → every invited member gets 会议取消 with the reason, once; a meeting never published tells nobody', async () => {
    const id = await meeting('取消测试主题党日', nowMs() + 48 * H);
    const planned = await meeting('取消测试未发布的会', nowMs() + 48 * H, false);
    for (const m of [id, planned]) {
      const r = await post(`/meetings/${m}/cancel`, shuji, { reason: '与上级会议冲突' });
      assert.equal(r.status, 200, r.raw);
    }
    const mine = await inbox(dangyuan, 'meeting.cancelled', '取消测试');
    assert.deepEqual(
      mine.map((n) => n.title),
      ['【会议取消】取消测试主题党日'],
    );
    assert.match(mine[0]!.body, /已取消。取消原因：与上级会议冲突。/);
    assert.equal(mine[0]!.link, `/my/meetings?meeting=${id}`);
    assert.equal(await count(`meeting.cancelled:${id}`), await invitedWithAccount(id));
    assert.equal(await count(`meeting.cancelled:${planned}`), 0);
  });

  it('a published meeting moved → a 会议变更 with the old and new time, and the reminders come for the new time only, once each', async () => {
    try {
      const start = nowMs() + 30 * H;
      const id = await meeting('改期测试主题党日', start);
      const moved = await patch(`/meetings/${id}`, shuji, {
        startsAt: new Date(start + 20 * H).toISOString(),
        endsAt: new Date(start + 21 * H).toISOString(),
      });
      assert.equal(moved.status, 200, moved.raw);
      assert.equal((await inbox(dangyuan, 'meeting.notice', '改期测试')).length, 1, 'the first notice');
      const changed = await inbox(dangyuan, 'meeting.changed', '改期测试');
      assert.equal(changed.length, 1);
      assert.equal(changed[0]!.title, '【会议变更】改期测试主题党日');
      assert.match(
        changed[0]!.body,
        new RegExp(
          `开始时间由 ${chinaDateTimeLabel(new Date(start))} 改为 ${chinaDateTimeLabel(new Date(start + 20 * H))}`,
        ),
      );
      assert.match(changed[0]!.body, /；结束时间由 /);
      const reminders = async () => (await inbox(dangyuan, 'meeting.reminder', '改期测试')).map((n) => n.title);

      setClock(new Date(start - 24 * H + 60_000)); // the old day-before time
      await t.services.jobs.settle();
      assert.deepEqual(await reminders(), [], 'the old time reminds nobody');
      setClock(new Date(start + 20 * H - 24 * H + 60_000)); // the new day-before time
      await t.services.jobs.settle();
      await t.services.jobs.settle();
      assert.deepEqual(await reminders(), ['【会议提醒】明天：改期测试主题党日']);
      setClock(new Date(start + 20 * H - H + 60_000));
      await t.services.jobs.settle();
      assert.equal((await reminders()).length, 2);
      assert.equal(await count(`meeting.reminder:${id}:%`), 2 * (await invitedWithAccount(id)));
    } finally {
      restore();
    }
  });

  it('a published meeting whose end time or place alone changes → a 会议变更 naming that change; other edits and unpublished meetings tell nobody', async () => {
    const start = nowMs() + 72 * H;
    const id = await meeting('变更测试主题党日', start);
    const planned = await meeting('变更测试未发布的会', start, false);
    const editMeeting = async (m: string, body: Record<string, unknown>) => {
      const r = await patch(`/meetings/${m}`, shuji, body);
      assert.equal(r.status, 200, r.raw);
    };
    const changed = async () => (await inbox(dangyuan, 'meeting.changed', '变更测试')).map((n) => n.body).reverse();
    const newEnd = new Date(start + 150 * 60_000);
    await editMeeting(id, { endsAt: newEnd.toISOString() });
    let bodies = await changed();
    assert.equal(bodies.length, 1, 'the end time alone changed');
    assert.match(
      bodies[0]!,
      new RegExp(
        `有变更：结束时间由 ${endsAtLabel(new Date(start), new Date(start + 90 * 60_000))} 改为 ${endsAtLabel(new Date(start), newEnd)}。`,
      ),
    );
    assert.match(
      bodies[0]!,
      new RegExp(
        `现定于 ${chinaDateTimeLabel(new Date(start))} 至 ${endsAtLabel(new Date(start), newEnd)} 在党员活动室召开`,
      ),
    );
    await editMeeting(id, { location: '二楼报告厅' });
    bodies = await changed();
    assert.equal(bodies.length, 2, 'the place alone changed');
    assert.match(bodies[1]!, /有变更：地点由「党员活动室」改为「二楼报告厅」。/);
    assert.doesNotMatch(bodies[1]!, /时间由/);
    // The agenda, the same place again, or a meeting never published: nobody hears.
    await editMeeting(id, { agenda: '学习上级文件；交流发言' });
    await editMeeting(id, { location: '二楼报告厅' });
    await editMeeting(planned, { location: '二楼报告厅', endsAt: newEnd.toISOString() });
    assert.equal((await changed()).length, 2);
    assert.equal(
      await count(`meeting.changed:${id}:%`),
      2 * (await invitedWithAccount(id)),
      'every invited member, once per change',
    );
    assert.equal(await count(`meeting.changed:${planned}:%`), 0);
  });

  it('held with members absent → 补学提醒 naming the deadline; a week before it again, only to those who have not made it up', async () => {
    try {
      const start = nowMs() - 10 * 60_000;
      const skipped = await meeting('补学测试甲', start);
      const madeUp = await meeting('补学测试乙', start);
      for (const id of [skipped, madeUp]) {
        const [other] = await queryRows<{ member_id: string }>(
          t.services.db,
          sql`select member_id from meeting_attendance where meeting_id = ${id} and invited and member_id <> ${selfId} limit 1`,
        );
        assert.ok(other, 'someone else is invited');
        const r = await put(`/meetings/${id}/minutes`, shuji, {
          host: '张建国',
          recorder: '李明',
          content: '集中学习了上级文件精神，党员交流发言。',
          attendees: [other.member_id],
        });
        assert.equal(r.status, 200, r.raw);
      }
      const due = new Date(Date.parse(`${chinaDate(new Date(start))}T00:00:00Z`) + MAKEUP_RULE.days * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const first = await inbox(dangyuan, 'meeting.makeup', '补学测试');
      assert.equal(first.length, 2);
      assert.ok(
        first.every((n) => n.body.includes(`请在 ${chinaDateLabel(due)} 前完成补学`)),
        first[0]!.body,
      );
      // Saving the record again sends nothing new.
      const again = await put(`/meetings/${skipped}/minutes`, shuji, {
        host: '张建国',
        recorder: '李明',
        content: '集中学习了上级文件精神，党员交流发言，形成决议。',
      });
      assert.equal(again.status, 200, again.raw);
      assert.equal((await inbox(dangyuan, 'meeting.makeup', '补学测试')).length, 2);

      const [inv] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from meeting_attendance where meeting_id = ${madeUp} and member_id = ${selfId}`,
      );
      const done = await post(`/meeting-invitations/${inv!.id}/makeup`, dangyuan, {
        reflection: '认真学习了会议精神和上级文件，结合岗位谈了体会。',
      });
      assert.equal(done.status, 200, done.raw);

      const remindAt = Date.parse(`${due}T09:00:00+08:00`) - MAKEUP_RULE.remindDaysBefore * 86_400_000;
      setClock(new Date(remindAt - 60_000));
      await t.services.jobs.settle();
      assert.equal(await count(`meeting.makeup:${skipped}:due`), 0, 'nothing before its day');
      setClock(new Date(remindAt + 60_000));
      await t.services.jobs.settle();
      await t.services.jobs.settle();
      const mine = await inbox(dangyuan, 'meeting.makeup', '补学测试');
      assert.deepEqual(
        mine.map((n) => n.title),
        ['【补学提醒】补学测试甲', '【补学提醒】补学测试乙', '【补学提醒】补学测试甲'],
      );
      assert.equal(await count(`meeting.makeup:${madeUp}:due`), (await count(`meeting.makeup:${madeUp}:held`)) - 1);
    } finally {
      restore();
    }
  });
});
