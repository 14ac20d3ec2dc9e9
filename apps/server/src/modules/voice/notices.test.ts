/**
 * 互动 notices through notify() and the 驾驶舱's 互动 figure (issue 20, 2026-12-02): a letter's reply reaches its
 * sender; an assignment reaches the handler, once; the anonymous author of a sealed item hears of the answer in
 * their own inbox only, and nothing a manager reads (answers, audit, 发送记录) links them to it; the morning job
 * tells the handler and the secretary of an overdue item once, whichever day it is; the dashboard figure equals
 * counts made here from the rows, for the caller's subtree only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, nowMs, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { opinionOverdueNotices } from './notices';
import { assertNoIdentity, memberAccounts, type Identity } from './test-helpers';

type Notice = { kind: string; title: string; body: string; link: string | null };

describe('互动 notices and the 驾驶舱 figure', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string, shuji2: string, dangyuan: string, dianli: string, admin: string, shenji: string, jijian: string;
  let branch: string, lab: string, power: string;
  let anon: Identity & { token: string };
  const clockAt = nowMs();
  const realAt = Date.now();
  /** Back to the file's clock (time running on), after a test moved it. */
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
  const inbox = async (token: string, kind: string): Promise<Notice[]> => {
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return r.body.items.filter((n: Notice) => n.kind === kind);
  };
  const userId = async (username: string) =>
    (await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = ${username}`))[0]!.id;
  const submit = async (token: string, over: Record<string, unknown> = {}) => {
    const r = await post('/voice/opinions', token, {
      orgId: branch,
      category: 'suggestion',
      title: '通知测试：建议增加夜班补学',
      body: '夜班同志参加不了主题党日，建议提供补学。',
      ...over,
    });
    assert.equal(r.status, 201, r.raw);
    return r.body as { id: string; dueOn: string; receipt: string | null };
  };

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, dangyuan, dianli, shenji, jijian] = await signIn(
      t,
      'admin',
      'shuji',
      'shuji2',
      'dangyuan',
      'dianli',
      'shenji',
      'jijian',
    );
    branch = await t.orgId('第一发电厂党支部');
    lab = await t.orgId('研发中心党支部');
    power = await t.orgId('华夏电力有限公司党委');
    const [a] = await memberAccounts(t, '第一发电厂党支部', 'quiet', ['隐名者']);
    anon = { ...a!, token: a!.token };
  });
  after(() => {
    setClock(null);
    return t.close();
  });

  it('tells the handler of an assignment once, without the title, and nobody when one assigns to oneself', async () => {
    const item = await submit(dangyuan);
    const dianliId = await userId('dianli');
    const before = (await inbox(dianli, 'voice.opinion.assigned')).length;
    const first = await post(`/voice-opinions/${item.id}/assign`, shuji, {
      userId: dianliId,
      note: '请公司党委研究',
    });
    assert.equal(first.status, 200, first.raw);
    const again = await post(`/voice-opinions/${item.id}/assign`, shuji, { userId: dianliId });
    assert.equal(again.status, 200, again.raw);
    const told = (await inbox(dianli, 'voice.opinion.assigned')).filter((n) => n.link === `/voice/opinions/${item.id}`);
    assert.equal(told.length, 1, `one notice for the handler, however often assigned: ${JSON.stringify(told)}`);
    assert.equal((await inbox(dianli, 'voice.opinion.assigned')).length, before + 1, 'no other assignment notice');
    assert.equal(told[0]!.title, '【意见建议】第一发电厂党支部交办给您一条建议');
    assert.match(told[0]!.body, /^张建国将第一发电厂党支部于 .+ 收到的一条建议交办给您，请在 .+ 前答复。$/);
    assert.ok(!JSON.stringify(told[0]).includes('夜班'), 'the title and text stay behind the login');

    const self = await submit(dangyuan, { title: '通知测试：自己承办' });
    const shujiId = await userId('shuji');
    assert.equal((await post(`/voice-opinions/${self.id}/assign`, shuji, { userId: shujiId })).status, 200);
    assert.ok(
      !(await inbox(shuji, 'voice.opinion.assigned')).some((n) => n.link === `/voice/opinions/${self.id}`),
      'no notice to oneself',
    );
  });

  it('tells a letter’s sender of each reply from the addressee, and the addressee of the sender’s follow-up, without the words, and nobody else', async () => {
    const sent = await post('/voice/letters', dangyuan, {
      orgId: branch,
      position: '纪检委员',
      subject: '通知测试来信',
      body: '请核实食堂账目。',
    });
    assert.equal(sent.status, 201, sent.raw);
    const id = sent.body.id as string;
    const link = `/voice/letters/${id}`;
    const replied = async (token: string) =>
      (await inbox(token, 'voice.letter.replied')).filter((n) => n.link === link);
    assert.equal((await replied(dangyuan)).length, 0, 'nothing before a reply');
    // The sender's own follow-up is no reply to them; it tells the addressee (without the words), and nobody else.
    assert.equal(
      (await post(`/voice-letters/${id}/messages`, dangyuan, { body: '补充：是上个月的账目。' })).status,
      200,
    );
    assert.equal((await replied(dangyuan)).length, 0, 'the sender’s own message tells them nothing');
    const followup = async (token: string) =>
      (await inbox(token, 'voice.letter.followup')).filter((n) => n.link === link);
    const added = await followup(jijian);
    assert.equal(added.length, 1, `the 纪检委员 hears of the follow-up once: ${JSON.stringify(added)}`);
    assert.equal(added[0]!.body, '第一发电厂党支部纪检委员信箱的一封来信有新的补充，请登录系统查看。');
    for (const token of [dangyuan, shuji, admin])
      assert.equal((await followup(token)).length, 0, 'nobody else hears of the follow-up');
    const r1 = await post(`/voice-letters/${id}/messages`, jijian, { body: '已收到，正在核实食堂账目。' });
    assert.equal(r1.status, 200, r1.raw);
    const got = await replied(dangyuan);
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.equal(got[0]!.title, '【党务信箱】您的来信有了回复');
    assert.equal(got[0]!.body, '第一发电厂党支部纪检委员回复了您的来信，请登录系统查看。');
    for (const n of got)
      assert.ok(!/食堂|账目|通知测试来信/.test(n.title + n.body), 'no subject or words in the notice');
    const r2 = await post(`/voice-letters/${id}/messages`, jijian, { body: '核实结果：账目无误。' });
    assert.equal(r2.status, 200, r2.raw);
    assert.equal((await replied(dangyuan)).length, 2, 'each reply is one notice');
    for (const token of [jijian, shuji, admin])
      assert.equal((await replied(token)).length, 0, 'only the sender hears of a reply');
    const robots = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from notify_delivery where kind = 'voice.letter.replied' and robot_id is not null`,
    );
    assert.equal(robots[0]!.n, 0, 'no group robot posts a reply');
  });

  it('tells the anonymous author of a sealed item in their own inbox only; no delivery, audit entry or answer a manager reads links them to it', async () => {
    // The author has e-mail and SMS on: a named item's answer goes out on both (the control), an anonymous one must not.
    await t.services.db.execute(
      sql`insert into notify_pref (user_id, tenant_id, email, email_on, sms_on) values (${anon.userId}, ${t.tenantId}, 'yinming@example.com', true, true)
          on conflict (user_id) do update set email = excluded.email, email_on = true, sms_on = true`,
    );
    await afterLocalWrite(t.services.db);

    const item = await submit(anon.token, { anonymous: true, title: '通知测试：匿名反映', allowPublic: false });
    assert.ok(item.receipt, 'an anonymous item has a 查询码');
    const answered = await post(`/voice-opinions/${item.id}/answer`, shuji, { answer: '匿名答复。' });
    assert.equal(answered.status, 200, answered.raw);
    // Answering again sends nothing more.
    assert.equal(
      (await post(`/voice-opinions/${item.id}/answer`, shuji, { answer: '匿名答复（补充）。' })).status,
      200,
    );

    const mine = await inbox(anon.token, 'voice.opinion.answered.anonymous');
    assert.equal(mine.length, 1, `one notice in the author's own inbox: ${JSON.stringify(mine)}`);
    assert.equal(mine[0]!.title, '【意见建议】您匿名提交的意见建议已答复');
    assert.match(
      mine[0]!.body,
      /^第一发电厂党支部已答复您于 .+ 匿名提交的意见建议，请在「我要建议 → 我的建议」中凭查询码查看答复并评价。$/,
    );
    assert.equal(mine[0]!.link, '/voice/my?tab=mine', 'no item id in the link');
    assert.ok(!JSON.stringify(mine[0]).includes(item.id) && !JSON.stringify(mine[0]).includes('匿名反映'));
    // Nobody else gets it.
    for (const token of [shuji, admin, dianli, shenji, dangyuan])
      assert.equal((await inbox(token, 'voice.opinion.answered.anonymous')).length, 0);

    // No e-mail, SMS or robot delivery: 发送记录 (admin, auditor) has nothing of this notice.
    const [n] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from notification where user_id = ${anon.userId} and kind = 'voice.opinion.answered.anonymous'`,
    );
    const deliveries = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from notify_delivery where notification_id = ${n!.id} or kind = 'voice.opinion.answered.anonymous'`,
    );
    assert.equal(deliveries[0]!.n, 0, 'no delivery row for the anonymous notice');
    const managerReads = [
      ['answer', answered.raw],
      ['detail (secretary)', (await get(`/voice-opinions/${item.id}`, shuji)).raw],
      ['detail (admin)', (await get(`/voice-opinions/${item.id}`, admin)).raw],
      ['queue', (await get(`/voice/opinions?orgId=${branch}&pageSize=200`, shuji)).raw],
      ['deliveries (admin)', (await get('/notify/deliveries?pageSize=200', admin)).raw],
      ['deliveries (auditor)', (await get('/notify/deliveries?pageSize=200', shenji)).raw],
      ['dead letters (admin)', (await get('/notify/dead-letters?pageSize=200', admin)).raw],
      ['audit of the item', (await get(`/audit?pageSize=200&q=${item.id}`, admin)).raw],
      ['audit (auditor)', (await get('/audit?pageSize=200&entityType=voice_opinion', shenji)).raw],
      ['dashboard', (await get(`/dashboard?orgId=${branch}`, shuji)).raw],
    ] as const;
    for (const [what, text] of managerReads) assertNoIdentity(what, text, anon);
    const deliveryList = JSON.parse(managerReads[4][1]).items as { kind: string; target: string }[];
    assert.ok(
      !deliveryList.some((d) => d.kind === 'voice.opinion.answered.anonymous'),
      '发送记录 has no anonymous notice',
    );
    // Nor the outbox: no event of the answer carries the account.
    const events = await queryRows<{ e: unknown }>(
      t.services.db,
      sql`select row_to_json(o) as e from outbox_event o where entity_id = ${item.id}`,
    );
    assert.ok(events.length > 0, 'the answer wrote its events');
    for (const e of events) assertNoIdentity('outbox event', JSON.stringify(e.e), anon);

    // The control (after the reads above: a named item names its author in the queue): the same account's named
    // item is answered by e-mail and SMS as well — it is the anonymity, not the settings, that kept those out.
    const named = await submit(anon.token, { title: '通知测试：署名' });
    assert.equal((await post(`/voice-opinions/${named.id}/answer`, shuji, { answer: '署名答复。' })).status, 200);
    const namedDeliveries = await queryRows<{ channel: string }>(
      t.services.db,
      sql`select channel from notify_delivery where user_id = ${anon.userId} and kind = 'voice.opinion.answered' order by channel`,
    );
    assert.deepEqual(
      namedDeliveries.map((d) => d.channel),
      ['email', 'sms'],
      'the control: a named answer is delivered by e-mail and SMS',
    );

    // Where nothing is kept (研发中心, under 新材料公司党委's `none`), nobody can be told.
    const [m] = await memberAccounts(t, '研发中心党支部', 'nokeep', ['不留名']);
    const lost = await post('/voice/opinions', m!.token, {
      orgId: lab,
      category: 'opinion',
      title: '通知测试：完全匿名',
      body: '完全匿名的意见。',
      anonymous: true,
    });
    assert.equal(lost.status, 201, lost.raw);
    assert.equal((await post(`/voice-opinions/${lost.body.id}/answer`, shuji2, { answer: '已答复。' })).status, 200);
    assert.equal(
      (await inbox(m!.token, 'voice.opinion.answered.anonymous')).length,
      0,
      'no notice where the org keeps no identity',
    );
  });

  it('tells the handler and the secretary of an item unanswered past its due day once, from the morning job, on any day', async () => {
    try {
      const item = await submit(dangyuan, { title: '通知测试：逾期' });
      const unassigned = await submit(anon.token, { title: '通知测试：匿名逾期', anonymous: true });
      const dianliId = await userId('dianli');
      assert.equal((await post(`/voice-opinions/${item.id}/assign`, shuji, { userId: dianliId })).status, 200);
      const overdueOf = async (token: string, id: string) =>
        (await inbox(token, 'voice.opinion.overdue')).filter((n) => n.link === `/voice/opinions/${id}`);

      // On the due day nothing is overdue.
      setClock(`${item.dueOn}T09:00:00+08:00`);
      await opinionOverdueNotices(t.services.db);
      assert.equal((await overdueOf(dianli, item.id)).length, 0, 'not overdue on its due day');
      assert.equal((await overdueOf(shuji, item.id)).length, 0);

      // The morning after: the schedule's run tells the handler and the branch's secretary.
      setClock(`${addDays(item.dueOn, 1)}T08:55:00+08:00`);
      await t.services.jobs.settle();
      await t.services.jobs.settle();
      const run = await opinionOverdueNotices(t.services.db);
      assert.ok(
        run.items.some((x) => x.id === item.id && x.daysOverdue === 1),
        JSON.stringify(run.items.slice(0, 3)),
      );
      assert.equal(run.rule.confirmed, false, 'the answer-period rule is a local one, its citation unconfirmed');
      assert.match(run.rule.citation, /条款号未核实/);
      const handler = await overdueOf(dianli, item.id);
      assert.equal(handler.length, 1, `the handler once: ${JSON.stringify(handler)}`);
      assert.equal(handler[0]!.title, '【意见建议逾期】第一发电厂党支部有一条建议逾期未答复');
      assert.match(handler[0]!.body, /已逾期 1 天，请尽快答复。依据：答复期限 15 天（地方\/企业规定/);
      assert.ok(!handler[0]!.body.includes('夜班'), 'no title or text');
      assert.equal((await overdueOf(shuji, item.id)).length, 1, 'the secretary once');
      // The unassigned anonymous item reaches the secretary, never its author.
      assert.equal((await overdueOf(shuji, unassigned.id)).length, 1);
      assert.equal((await overdueOf(anon.token, unassigned.id)).length, 0);
      assert.equal((await overdueOf(dangyuan, item.id)).length, 0, 'the submitter is not told');
      assert.equal((await overdueOf(shuji2, item.id)).length, 0, 'another branch’s secretary is not told');

      // Rerun the same day, and the day after: still once each.
      await opinionOverdueNotices(t.services.db);
      setClock(`${addDays(item.dueOn, 2)}T08:55:00+08:00`);
      await t.services.jobs.settle();
      await opinionOverdueNotices(t.services.db);
      assert.equal((await overdueOf(dianli, item.id)).length, 1, 'the handler still once');
      assert.equal((await overdueOf(shuji, item.id)).length, 1, 'the secretary still once');

      // Answered, it is no longer overdue; the job passes it by.
      assert.equal(
        (await post(`/voice-opinions/${item.id}/answer`, dianli, { answer: '已研究，下月起安排补学。' })).status,
        200,
      );
      const later = await opinionOverdueNotices(t.services.db);
      assert.ok(!later.items.some((x) => x.id === item.id), 'an answered item is not overdue');
    } finally {
      restore();
    }
  });

  it('shows 互动 on the 驾驶舱 with the counts of the caller’s subtree, equal to counts made from the rows', async () => {
    const today = todayInChina();
    const year = today.slice(0, 4);
    // Two more rows of known shape: one answered on time and rated, one overdue (its due day moved back).
    const onTime = await submit(dangyuan, { title: '通知测试：按时' });
    assert.equal((await post(`/voice-opinions/${onTime.id}/answer`, shuji, { answer: '按时答复。' })).status, 200);
    assert.equal((await post(`/voice-opinions/${onTime.id}/rate`, dangyuan, { rating: 4 })).status, 200);
    const late = await submit(dangyuan, { title: '通知测试：逾期未答' });
    await t.services.db.execute(sql`update voice_opinion set due_on = ${addDays(today, -1)} where id = ${late.id}`);
    await afterLocalWrite(t.services.db);

    /** The figure counted here from the rows of the subtree, in JavaScript. */
    const expected = async (orgId: string) => {
      const [o] = await queryRows<{ path: string }>(t.services.db, sql`select path from org where id = ${orgId}`);
      const rows = await queryRows<{
        submitted_on: string;
        due_on: string;
        answered_on: string | null;
        status: string;
        rated_on: string | null;
        rating: number | null;
      }>(
        t.services.db,
        sql`select submitted_on::text, due_on::text, answered_on::text, status, rated_on::text, rating from voice_opinion
            where tenant_id = ${t.tenantId} and org_path like ${`${o!.path}%`}`,
      );
      const thisYear = rows.filter((r) => r.submitted_on.startsWith(year) && r.submitted_on <= today);
      const due = thisYear.filter((r) => r.answered_on !== null || r.due_on < today);
      const onTimeRows = due.filter((r) => r.answered_on !== null && r.answered_on <= r.due_on);
      const ratings = rows
        .filter((r) => r.rated_on !== null && r.rated_on.startsWith(year) && r.rated_on <= today)
        .map((r) => r.rating!);
      return {
        received: thisYear.length,
        due: due.length,
        answeredOnTime: onTimeRows.length,
        overdueOpen: rows.filter((r) => (r.status === 'submitted' || r.status === 'assigned') && r.due_on < today)
          .length,
        rated: ratings.length,
        averageRating: ratings.length
          ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10
          : null,
      };
    };
    const figure = async (token: string, orgId: string) => {
      const r = await get(`/dashboard?orgId=${orgId}`, token);
      assert.equal(r.status, 200, r.raw);
      return r.body as {
        voice: {
          received: number;
          due: number;
          answeredOnTime: number;
          overdueOpen: number;
          rated: number;
          averageRating: number | null;
          onTimeRate: number | null;
          year: number;
          confirmed: boolean;
        };
        warnings: { kind: string; count: number; orgs: { detail: string }[] }[];
      };
    };

    for (const [token, orgId] of [
      [shuji, branch],
      [dianli, power],
      [shuji2, lab],
    ] as const) {
      const d = await figure(token, orgId);
      const want = await expected(orgId);
      const { received, due, answeredOnTime, overdueOpen, rated, averageRating } = d.voice;
      assert.deepEqual(
        { received, due, answeredOnTime, overdueOpen, rated, averageRating },
        want,
        `the figure of ${orgId}`,
      );
      assert.equal(d.voice.year, Number(year));
      assert.equal(d.voice.onTimeRate, want.due ? Math.round((want.answeredOnTime / want.due) * 1000) / 1000 : null);
      assert.equal(d.voice.confirmed, false, 'the answer period’s citation is marked unconfirmed');
      const w = d.warnings.find((x) => x.kind === 'voice_overdue');
      assert.equal(w?.count ?? 0, want.overdueOpen, 'the overdue warning counts the same items');
    }
    const branchFigure = await figure(shuji, branch);
    assert.ok(
      branchFigure.voice.received >= 2 && branchFigure.voice.overdueOpen >= 1,
      'the branch has this file’s items',
    );
    // Scoped: another branch's figure does not move when this branch gets an item; the committee's does.
    const labBefore = (await figure(shuji2, lab)).voice.received;
    const powerBefore = (await figure(dianli, power)).voice.received;
    await submit(dangyuan, { title: '通知测试：范围' });
    assert.equal((await figure(shuji2, lab)).voice.received, labBefore, 'another subtree is not counted');
    assert.equal((await figure(dianli, power)).voice.received, powerBefore + 1, 'the committee above counts it');
    assert.equal(
      (await get(`/dashboard?orgId=${power}`, shuji)).status,
      403,
      'a branch secretary has no committee dashboard',
    );
    // The warning lists orgs and dates only, never a submitter.
    const w = branchFigure.warnings.find((x) => x.kind === 'voice_overdue')!;
    assert.ok(w, 'an overdue warning');
    assertNoIdentity('overdue warning', JSON.stringify(w), anon);
    assert.ok(!JSON.stringify(w).includes('陈志远'), 'no named submitter either');
  });
});
