// @fixed-days: morning reminders before 换届 and 发展党员 deadlines (tools/test.mjs runs this file under each fixed clock).
/**
 * The morning reminders of issue #17, run by the scheduler on the clock: 换届 due in 90 and 30 days and
 * overdue (org.term), a 流动党员's regular contact due and 失联 approaching and reached (member.flow), and the
 * 发展党员 time rules ahead of their deadlines (develop.deadline) — each stage once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, chinaDateLabel, nowMs, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { developReminders } from '../develop/reminders';
import { api, startTestApp, type TestApp } from '../../testing/harness';

type Notice = { kind: string; title: string; body: string; link: string | null };

describe('notify: morning reminders of 换届, 流动党员 and 发展党员 deadlines', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let branchA: string;
  const clockAt = nowMs();
  const realAt = Date.now();
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
  const start = todayInChina();
  /** 08:50 Beijing on the day `n` days after the file's start: after the 08:30–08:40 runs. */
  const morning = async (n: number) => {
    setClock(new Date(`${addDays(start, n)}T08:50:00+08:00`));
    await t.services.jobs.settle();
    await t.services.jobs.settle();
  };
  const inbox = async (token: string, kind: string) => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as Notice[]).filter((n) => n.kind === kind);
  };

  before(async () => {
    t = await startTestApp();
    shuji = await t.login('shuji');
    branchA = await t.orgId('第一发电厂党支部');
  });
  after(async () => {
    restore();
    await t.close();
  });

  it('发展党员: every deadline of the board that is overdue or due within 30 days reaches the secretary, once per stage', async () => {
    try {
      await morning(1);
      const todo = await get('/develop/todo', shuji);
      assert.equal(todo.status, 200, todo.raw);
      const items = todo.body.items as { personId: string; name: string; what: string; overdue: boolean }[];
      const notices = await inbox(shuji, 'develop.deadline');
      const key = (name: string, what: string) => `【发展党员】${name}：${what}`;
      for (const d of items)
        assert.ok(
          notices.some((n) => n.title.startsWith(key(d.name, d.what)) && n.link === `/develop/${d.personId}`),
          `a notice for ${d.name} ${d.what}`,
        );
      assert.equal(notices.length, items.length, 'one notice per deadline');
      assert.ok(items.length > 0, 'the demo has deadlines to remind of');
      // Run again the same day: nothing new.
      const again = await developReminders(t.services.db, t.services.fieldCrypto);
      assert.equal(again.sent, 0);
      assert.equal((await inbox(shuji, 'develop.deadline')).length, notices.length);
    } finally {
      restore();
    }
  });

  it('换届: the secretary hears at 90 days, at 30 days and when overdue, once each', async () => {
    try {
      // The branch's current term ends 61 days from now (the first morning run is tomorrow's).
      const ends = addDays(start, 61);
      const moved = await queryRows<{ id: string }>(
        t.services.db,
        sql`update org_term set ends_on = ${ends}::date where id = (
              select id from org_term where org_id = ${branchA} order by starts_on desc limit 1) returning id`,
      );
      assert.equal(moved.length, 1, 'the demo branch has a term');
      const mine = async () =>
        (await inbox(shuji, 'org.term'))
          .filter(
            (n) =>
              n.title.startsWith('【换届提醒】第一发电厂党支部') &&
              n.body.includes(`本届任期至 ${chinaDateLabel(ends)}`),
          )
          .map((n) => n.title);
      await morning(2);
      assert.deepEqual(await mine(), ['【换届提醒】第一发电厂党支部还有 59 天届满']);
      const first = (await inbox(shuji, 'org.term')).find((n) =>
        n.body.includes(`本届任期至 ${chinaDateLabel(ends)}`),
      )!;
      assert.equal(first.link, `/orgs?org=${branchA}`);
      await morning(3);
      assert.equal((await mine()).length, 1, 'once per stage');
      await morning(32);
      assert.deepEqual((await mine())[0], '【换届提醒】第一发电厂党支部还有 29 天届满');
      await morning(40);
      assert.equal((await mine()).length, 2);
      await morning(62);
      await morning(63);
      assert.deepEqual(await mine(), [
        '【换届提醒】第一发电厂党支部任期已届满 1 天，应及时换届',
        '【换届提醒】第一发电厂党支部还有 29 天届满',
        '【换届提醒】第一发电厂党支部还有 59 天届满',
      ]);
      // The committee above approves a delay of 90 days (TERM_POSTPONE): the reminders start over for the new date.
      const until = addDays(ends, 90);
      await t.services.db.execute(sql`update org_term set postponed_to = ${until}::date where id = ${moved[0]!.id}`);
      await morning(64);
      const delayed = (await inbox(shuji, 'org.term')).filter((n) =>
        n.body.includes(`本届任期至 ${chinaDateLabel(ends)}，经批准延期至 ${chinaDateLabel(until)} 换届`),
      );
      assert.deepEqual(
        delayed.map((n) => n.title),
        ['【换届提醒】第一发电厂党支部还有 87 天届满'],
      );
      assert.match(delayed[0]!.body, /延期/);
    } finally {
      restore();
    }
  });

  it('流动党员: contact due after a month, 失联 a month before six months and at six — each once; a recorded contact starts over', async () => {
    try {
      const [m] = await queryRows<{ id: string; name: string }>(
        t.services.db,
        sql`select m.id, m.name from member m where m.org_id = ${branchA} and m.left_at is null and not m.flowing
            and m.user_id is null order by m.name limit 1`,
      );
      assert.ok(m);
      // The scheduler's clock only moves forward in this file: this test starts 70 days on.
      const base = 70;
      const from = addDays(start, base);
      setClock(new Date(`${from}T10:00:00+08:00`));
      const r = await post(`/members/${m.id}/flow`, shuji, {
        location: '广东省深圳市',
        since: from,
        expectedUntil: addDays(from, 365),
        contact: '微信',
      });
      assert.equal(r.status, 201, r.raw);
      const mine = async () =>
        (await inbox(shuji, 'member.flow'))
          .filter((n) => n.title.startsWith(`【流动党员】${m.name}`))
          .map((n) => n.title);
      await morning(base + 20);
      assert.deepEqual(await mine(), [], 'contacted this month');
      await morning(base + 32);
      assert.deepEqual(await mine(), [
        `【流动党员】${m.name}：已超过 1 个月未联系，应定期联系（本支部的联系周期为每 1 个月）`,
      ]);
      await morning(base + 60);
      assert.equal((await mine()).length, 1, 'once per stage');
      // Six months after the start minus 10 days: 失联 approaching.
      const lostOn = new Date(Date.parse(`${from}T00:00:00Z`));
      lostOn.setUTCMonth(lostOn.getUTCMonth() + 6);
      const lostDays = base + Math.round((lostOn.getTime() - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
      await morning(lostDays - 10);
      assert.equal((await mine())[0], `【流动党员】${m.name}：再过 10 天将满 6 个月未联系（失联）`);
      await morning(lostDays + 1);
      assert.equal((await mine())[0], `【流动党员】${m.name}：已 6 个月未联系，列为失联党员`);
      assert.equal((await mine()).length, 3);
      // Contact recorded: the count starts again from that day.
      const c = await post(`/members/${m.id}/flow/contact`, shuji, { on: addDays(start, lostDays + 1) });
      assert.equal(c.status, 200, c.raw);
      await morning(lostDays + 5);
      assert.equal((await mine()).length, 3);
      await morning(lostDays + 35);
      assert.equal((await mine()).length, 4);
    } finally {
      restore();
    }
  });
});
