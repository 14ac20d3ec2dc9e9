/**
 * Modules send through notify(), never by themselves (issue #17): publishing a meeting notice puts a
 * 会议通知 in each invited member's inbox, once; the dues arrears reminder reaches the member and, from
 * three months unpaid, the branch secretary, citing 党章第九条 at six consecutive months.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ARREARS_CITATION, nowMs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { currentMonth } from '../dues/service';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';

type Notice = { id: string; kind: string; title: string; body: string; link: string | null };

describe('notify: the modules send through it', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let branchA: string;
  let selfId: string;

  const inbox = async (token: string) => {
    const r = await get('/notifications?pageSize=100', token);
    assert.equal(r.status, 200, r.raw);
    return r.body as { items: Notice[]; total: number; unread: number };
  };

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan] = await signIn(t, 'shuji', 'dangyuan');
    branchA = await t.orgId('第一发电厂党支部');
    selfId = (await get('/members/me', dangyuan)).body.id;
  });
  after(() => t.close());

  it('meeting published → each invited member with an account has one 会议通知 linking to their meetings; publishing again adds none', async () => {
    const iso = (ms: number) => new Date(nowMs() + ms).toISOString();
    const created = await post('/meetings', shuji, {
      orgId: branchA,
      kind: 'theme_day',
      title: '通知测试主题党日',
      startsAt: iso(2 * 86_400_000),
      endsAt: iso(2 * 86_400_000 + 90 * 60_000),
      location: '党员活动室',
    });
    assert.equal(created.status, 201, created.raw);
    const id = created.body.id as string;
    const before = (await inbox(dangyuan)).unread;
    const pub = await post(`/meetings/${id}/publish`, shuji, {});
    assert.equal(pub.status, 200, pub.raw);
    const box = await inbox(dangyuan);
    const mine = box.items.filter((n) => n.kind === 'meeting.notice' && n.title.includes('通知测试主题党日'));
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.link, `/my/meetings?meeting=${id}`);
    assert.match(mine[0]!.body, /第一发电厂党支部定于 .+ 在党员活动室召开主题党日/);
    assert.equal(box.unread, before + 1);
    // Every invited member who has an account got exactly one; nobody else did.
    const [c] = await queryRows<{ invited: number; notices: number; outsiders: number }>(
      t.services.db,
      sql`select
        (select count(*)::int from meeting_attendance a join member m on m.id = a.member_id
          where a.meeting_id = ${id} and a.invited and m.user_id is not null) as invited,
        (select count(*)::int from notification where dedupe_key like ${`meeting.notice:${id}:%`}) as notices,
        (select count(*)::int from notification n where n.dedupe_key like ${`meeting.notice:${id}:%`}
          and not exists (select 1 from meeting_attendance a join member m on m.id = a.member_id
            where a.meeting_id = ${id} and m.user_id = n.user_id)) as outsiders`,
    );
    assert.ok(c!.invited >= 1);
    assert.equal(c!.notices, c!.invited);
    assert.equal(c!.outsiders, 0);
    const again = await post(`/meetings/${id}/publish`, shuji, {});
    assert.equal(again.status, 200, again.raw);
    assert.equal((await inbox(dangyuan)).unread, before + 1, 'a second publication is not a second notice');
  });

  it("puts the person's inbox and notification settings in their personal-data copy (PIPL art. 45)", async () => {
    const r = await t.request({ method: 'POST', url: '/api/v1/me/personal-data', token: dangyuan });
    assert.equal(r.status, 200, r.raw);
    const copy = JSON.parse(r.raw) as { notifications: { inbox: Notice[]; settings: { mutedKinds: string[] } } };
    const box = await inbox(dangyuan);
    assert.equal(copy.notifications.inbox.length, box.total);
    assert.ok(copy.notifications.inbox.some((n) => n.title.includes('通知测试主题党日')));
    assert.deepEqual(copy.notifications.settings.mutedKinds, []);
  });

  it('dues reminder → the member in arrears gets 党费提醒, the secretary gets one from three months, with 党章第九条 at six', async () => {
    // 陈志远 is up to date in the demo: every bill of his before this month becomes unpaid.
    const [{ n: months }] = (await queryRows<{ n: number }>(
      t.services.db,
      sql`with u as (update dues_bill set status = 'unpaid' where member_id = ${selfId} and due_fen > 0
            and month < ${`${currentMonth()}-01`}::date returning 1)
          select count(*)::int as n from u`,
    )) as [{ n: number }];
    assert.ok(months >= 1, 'the demo has past bills');
    const r = await post('/dues/arrears/reminders', shuji, { minMonths: 1 });
    assert.equal(r.status, 200, r.raw);
    assert.ok(r.body.reminded >= 1);
    const mine = (await inbox(dangyuan)).items.filter((n) => n.kind === 'dues.arrears');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.link, '/my/dues');
    assert.equal(mine[0]!.title, `【党费提醒】您有 ${months} 个月党费未交`);
    assert.equal(mine[0]!.body.includes(ARREARS_CITATION), months >= 6);
    const sec = (await inbox(shuji)).items.filter(
      (n) => n.kind === 'dues.arrears.secretary' && n.title.includes('陈志远'),
    );
    assert.equal(sec.length, months >= 3 ? 1 : 0);
    if (months >= 3) assert.equal(sec[0]!.link, '/dues?tab=arrears');
    // A second reminder the same day is refused by dues (one a day) and sends nothing.
    await post('/dues/arrears/reminders', shuji, { minMonths: 1 });
    assert.equal((await inbox(dangyuan)).items.filter((n) => n.kind === 'dues.arrears').length, 1);
  });

  it('meeting reminders: the day before and one hour before, each once, by the scheduler on the clock; none after a cancellation', async () => {
    const clockAt = nowMs();
    const realAt = Date.now();
    const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
    try {
      const H = 3600_000;
      const make = async (title: string) => {
        const c = await post('/meetings', shuji, {
          orgId: branchA,
          kind: 'theme_day',
          title,
          startsAt: new Date(clockAt + 30 * H).toISOString(),
          endsAt: new Date(clockAt + 31 * H).toISOString(),
          location: '三楼会议室',
        });
        assert.equal(c.status, 201, c.raw);
        const p = await post(`/meetings/${c.body.id}/publish`, shuji, {});
        assert.equal(p.status, 200, p.raw);
        return c.body.id as string;
      };
      const kept = await make('提醒测试主题党日');
      const cancelled = await make('提醒测试取消的会');
      const c = await post(`/meetings/${cancelled}/cancel`, shuji, { reason: '改期另行通知' });
      assert.equal(c.status, 200, c.raw);
      const reminders = async () =>
        (await inbox(dangyuan)).items
          .filter((n) => n.kind === 'meeting.reminder' && n.title.includes('提醒测试'))
          .map((n) => n.title);
      await t.services.jobs.settle();
      assert.deepEqual(await reminders(), [], 'nothing before its time');
      setClock(new Date(clockAt + 6 * H + 60_000)); // 29 h before the start
      await t.services.jobs.settle();
      await t.services.jobs.settle();
      assert.deepEqual(await reminders(), ['【会议提醒】明天：提醒测试主题党日']);
      setClock(new Date(clockAt + 29 * H + 60_000)); // 59 min before
      await t.services.jobs.settle();
      assert.deepEqual(await reminders(), [
        '【会议提醒】1小时后：提醒测试主题党日',
        '【会议提醒】明天：提醒测试主题党日',
      ]);
      const [{ n }] = (await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from notification where dedupe_key like ${`meeting.reminder:${kept}:%`}`,
      )) as [{ n: number }];
      const [{ invited }] = (await queryRows<{ invited: number }>(
        t.services.db,
        sql`select count(*)::int as invited from meeting_attendance a join member m on m.id = a.member_id
            where a.meeting_id = ${kept} and a.invited and m.user_id is not null`,
      )) as [{ invited: number }];
      assert.equal(n, 2 * invited, 'two reminders for each invited member with an account, no more');
    } finally {
      restore();
    }
  });
});
