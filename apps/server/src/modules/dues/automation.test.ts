// @fixed-days: the scheduler's monthly bill run (tools/test.mjs runs this file under each fixed clock).
/**
 * 党费 on the scheduler (issue #17): the monthly bill run happens on its configured day with nobody
 * pressing a button, and members in arrears are reminded by themselves at 1, 3 and 6 unpaid months —
 * each step once — with their secretary from 3 months. Driven by the one clock (setClock), the way the
 * runner sees time in production.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ARREARS_CITATION, addMonthsToMonth, nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { currentMonth } from './service';

type Notice = { kind: string; title: string; body: string; link: string | null };
/** An instant given as Beijing wall time. */
const beijing = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

describe('dues automation: bill run and arrears reminders by the scheduler', () => {
  let t: TestApp;
  const { get, put } = api(() => t);
  let admin: string;
  let zuzhibu: string;
  let shuji: string;
  let dangyuan: string;
  let selfId: string;
  const clockAt = nowMs();
  const realAt = Date.now();
  // Time keeps running from wherever a test left it; each test starts from the real "now" of the file.
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));

  const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(t.services.db, q))[0]!;
  const inbox = async (token: string) => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return r.body.items as Notice[];
  };
  const settle = async () => {
    await t.services.jobs.settle();
    await t.services.jobs.settle();
  };
  const setAutomation = (token: string, body: unknown) => put('/dues/automation', token, body);

  before(async () => {
    t = await startTestApp();
    [admin, zuzhibu, shuji, dangyuan] = await signIn(t, 'admin', 'zuzhibu', 'shuji', 'dangyuan');
    selfId = (await get('/members/me', dangyuan)).body.id;
  });
  after(async () => {
    restore();
    await t.close();
  });

  it('is off until an administrator sets it; only an administrator may, with a day of 1–28 (a Chinese 400 otherwise)', async () => {
    const r = await get('/dues/automation', shuji);
    assert.equal(r.status, 200, r.raw);
    assert.deepEqual(r.body.billRun, { enabled: false, day: 1, nextAt: null, lastAt: null });
    assert.equal(r.body.arrearsReminders.enabled, false);
    const bad = await setAutomation(admin, {
      billRun: { enabled: true, day: 31 },
      arrearsReminders: { enabled: false },
    });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.body.error.message, /1–28 号/);
    const bySecretary = await setAutomation(shuji, {
      billRun: { enabled: true, day: 3 },
      arrearsReminders: { enabled: false },
    });
    assert.equal(bySecretary.status, 403, bySecretary.raw);
  });

  it("bill run: next month's bills appear on the configured day at 06:00 Beijing, once, with nobody pressing a button; 组织部 is told once", async () => {
    try {
      const before = currentMonth();
      const month = addMonthsToMonth(before, 1);
      const day = `${month}-05`;
      // Early on the 1st of next month, so the next 5th is in that month.
      setClock(beijing(`${month}-01`, '00:30'));
      const set = await setAutomation(admin, {
        billRun: { enabled: true, day: 5 },
        arrearsReminders: { enabled: false },
      });
      assert.equal(set.status, 200, set.raw);
      assert.equal(set.body.billRun.nextAt, beijing(day, '06:00').toISOString());
      const bills = async () =>
        (await one<{ n: number }>(sql`select count(*)::int as n from dues_bill where month = ${`${month}-01`}::date`))
          .n;
      const notices = async () => (await inbox(zuzhibu)).filter((n) => n.kind === 'dues.bills');

      await settle();
      assert.equal(await bills(), 0, 'nothing before its day');
      setClock(beijing(day, '05:59'));
      await settle();
      assert.equal(await bills(), 0, 'nothing a minute before 06:00 on the day');

      setClock(beijing(day, '06:01'));
      await settle();
      const created = await bills();
      const expected = await one<{ n: number }>(
        sql`select count(*)::int as n from dues_bill where month = ${`${before}-01`}::date`,
      );
      assert.ok(created > 0, "the bill run made the month's bills");
      // Every member billed this month is billed next month too (the demo's bases run from January).
      assert.ok(created >= expected.n - 5, `${created} bills for ${expected.n} members billed the month before`);
      const audit = await one<{ n: number; actor: string }>(
        sql`select count(*)::int as n, min(actor_name) as actor from audit_log where action = 'dues.bills.generate' and after->>'month' = ${month}`,
      );
      assert.deepEqual(audit, { n: 1, actor: 'system' });
      const mine = await notices();
      assert.equal(mine.length, 1);
      assert.match(mine[0]!.title, new RegExp(`${Number(month.slice(5))}月 账单已生成`));
      assert.match(mine[0]!.body, new RegExp(`共 ${created} 笔`));

      // Later the same day and the next day: no second run, no second notice.
      setClock(beijing(day, '18:00'));
      await settle();
      setClock(new Date(beijing(day, '18:00').getTime() + 86_400_000));
      await settle();
      assert.equal(await bills(), created);
      assert.equal((await notices()).length, 1);
      const jobs = await one<{ n: number }>(sql`select count(*)::int as n from job where kind = 'dues.bills.auto'`);
      assert.equal(jobs.n, 1, 'one occurrence, one job');
      const after = await get('/dues/automation', admin);
      assert.equal(after.body.billRun.lastAt, beijing(day, '06:00').toISOString());
      assert.equal(after.body.billRun.nextAt, beijing(`${addMonthsToMonth(month, 1)}-05`, '06:00').toISOString());
    } finally {
      restore();
      await setAutomation(admin, { billRun: { enabled: false, day: 5 }, arrearsReminders: { enabled: false } });
    }
  });

  it('arrears reminders: by themselves at 09:00 when unpaid months reach 1, 3 and 6, each step once; the secretary from 3; 党章第九条 at 6 consecutive', async () => {
    try {
      const set = await setAutomation(admin, {
        billRun: { enabled: false, day: 1 },
        arrearsReminders: { enabled: true },
      });
      assert.equal(set.status, 200, set.raw);
      let at = new Date(set.body.arrearsReminders.nextAt as string);
      /** 陈志远 owes exactly the `k` months before this one; everything earlier is settled. */
      const owe = async (k: number) => {
        const cur = `${currentMonth()}-01`;
        const from = `${addMonthsToMonth(currentMonth(), -k)}-01`;
        await t.services.db.execute(
          sql`update dues_bill set status = case when month >= ${from}::date and month < ${cur}::date then 'unpaid' else 'paid' end
              where member_id = ${selfId} and month < ${cur}::date and due_fen > 0`,
        );
      };
      const mine = async () => (await inbox(dangyuan)).filter((n) => n.kind === 'dues.arrears').map((n) => n.title);
      const secretary = async () =>
        (await inbox(shuji)).filter((n) => n.kind === 'dues.arrears.secretary' && n.title.includes('陈志远'));
      /** The next 09:00 run, one minute after it; `k`: what 陈志远 owes by then (null: unchanged). */
      const nextDay = async (k: number | null = null) => {
        setClock(new Date(at.getTime() + 60_000));
        if (k !== null) await owe(k);
        await settle();
        at = new Date(at.getTime() + 86_400_000);
      };

      await nextDay(0);
      assert.deepEqual(await mine(), [], 'nobody reminds a member who owes nothing');
      await nextDay(1);
      assert.deepEqual(await mine(), ['【党费提醒】您有 1 个月党费未交']);
      assert.equal((await secretary()).length, 0, 'the secretary only from 3 months');
      await nextDay();
      await nextDay(2);
      assert.equal((await mine()).length, 1, 'still at the first step: no second reminder');

      await nextDay(3);
      assert.deepEqual(await mine(), ['【党费提醒】您有 3 个月党费未交', '【党费提醒】您有 1 个月党费未交']);
      const sec = await secretary();
      assert.equal(sec.length, 1);
      assert.equal(sec[0]!.title, '【党费提醒】陈志远 有 3 个月党费未交');
      assert.ok(!sec[0]!.body.includes('连续'), 'the count is of unpaid months, not a consecutive run');
      await nextDay(5);
      assert.equal((await mine()).length, 2);

      await nextDay(6);
      const all = (await inbox(dangyuan)).filter((n) => n.kind === 'dues.arrears');
      assert.equal(all.length, 3);
      assert.equal(all[0]!.title, '【党费提醒】您有 6 个月党费未交');
      assert.ok(all[0]!.body.includes(ARREARS_CITATION), '党章第九条 at six consecutive months');
      assert.equal((await secretary()).length, 2);
      await nextDay();
      await nextDay();
      assert.equal((await mine()).length, 3, 'each step once');
      const rows = await one<{ n: number }>(
        sql`select count(*)::int as n from dues_reminder where member_id = ${selfId} and sent_by = 'system'`,
      );
      assert.equal(rows.n, 3);

      // Paying the oldest months does not restart the episode…
      await nextDay(4);
      await nextDay(1);
      assert.equal((await mine()).length, 3);
      // …but paid up, and behind again a month later, is a new one: it starts over at the first step.
      await nextDay(0);
      at = beijing(`${addMonthsToMonth(currentMonth(), 1)}-02`, '09:00');
      await nextDay(1);
      assert.equal((await mine()).length, 4);
      assert.equal((await mine())[0], '【党费提醒】您有 1 个月党费未交');
    } finally {
      restore();
    }
  });
});
