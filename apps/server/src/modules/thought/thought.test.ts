// @fixed-days: quarterly and half-yearly report periods (tools/test.mjs runs this file under each fixed clock).
/**
 * 思想汇报 through the real HTTP stack on the demo enterprise: a member submits as themself only; the text is
 * sealed at rest; the branch's 书记 reads, marks and comments, the member is notified and sees the feedback;
 * nobody else reads the text (another member, another branch's 书记); who is expected each period and the
 * 未交 list on fixed days, the branch's 流动党员 cadence, reminders once a day; the personal-data copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, periodOf, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { personalThought } from './service';

const TEXT =
  '本季度我认真学习了党章，结合岗位查找不足，今后继续加强理论学习，按时参加组织生活。这段文字只应由本人和书记看到。';

describe('thought reports (思想汇报)', () => {
  let t: TestApp;
  let admin: string;
  let shuji: string; // 书记 of 第一发电厂党支部
  let shuji2: string; // 书记 of 研发中心党支部 (another subsidiary)
  let member: string; // dangyuan = 陈志远, 第一发电厂党支部
  let jijian: string; // another member of 第一发电厂党支部
  let branchId: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, member, jijian] = await signIn(t, 'admin', 'shuji', 'shuji2', 'dangyuan', 'jijian');
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  const { get, post, put } = api(() => t);
  const period = () => periodOf('quarterly', todayInChina());
  const memberIdOf = async (username: string) =>
    (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = ${username}`,
      )
    )[0]!.id;

  it('lets a member submit, seals the text, and shows the 书记’s mark and comment back to the member with a notice', async () => {
    const sub = await post('/thought/reports', member, { title: '第四季度思想汇报', period: period(), text: TEXT });
    assert.equal(sub.status, 201, sub.raw);
    assert.equal(sub.body.text, TEXT);
    assert.equal(sub.body.memberName, '陈志远');
    assert.equal(sub.body.mark, null);
    // Sealed at rest: the column holds no plain text.
    const [row] = await queryRows<{ text_enc: string }>(
      t.services.db,
      sql`select text_enc from thought_report where id = ${sub.body.id}`,
    );
    assert.ok(row!.text_enc.startsWith('v2.') && !row!.text_enc.includes('党章'));

    // The 书记's queue lists it first among the unread, without the text.
    const q = await get(`/thought/queue?status=pending&orgId=${branchId}&pageSize=200`, shuji);
    assert.equal(q.status, 200, q.raw);
    assert.ok(q.body.items.some((x: { id: string }) => x.id === sub.body.id));
    assert.ok(!q.raw.includes('党章'), 'the queue carries no text');
    const open = await get(`/thought-reports/${sub.body.id}`, shuji);
    assert.equal(open.status, 200, open.raw);
    assert.equal(open.body.text, TEXT);

    const c = await post(`/thought-reports/${sub.body.id}/comment`, shuji, {
      mark: 'good',
      comment: '认识深刻，联系实际，继续保持。',
    });
    assert.equal(c.status, 200, c.raw);
    assert.equal(c.body.mark, 'good');
    assert.equal(c.body.commentedBy, '张建国（书记）');

    const mine = await get('/thought/reports/mine?pageSize=200', member);
    const seen = mine.body.items.find((x: { id: string }) => x.id === sub.body.id);
    assert.equal(seen.comment, '认识深刻，联系实际，继续保持。');
    assert.equal(seen.mark, 'good');
    const inbox = await get('/notifications?pageSize=50', member);
    const notice = inbox.body.items.find((n: { kind: string }) => n.kind === 'thought.commented');
    assert.ok(notice, inbox.raw);
    assert.match(notice.body, /优秀/);
    assert.ok(!notice.body.includes('认识深刻'), 'the notice carries neither the text nor the comment');
    const me = await get('/thought/me', member);
    assert.equal(me.body.submitted, true);
    assert.equal(me.body.period, period());
  });

  it('refuses a report in another member’s name, from an account without a member record, or for a period not yet begun', async () => {
    const other = await memberIdOf('jijian');
    const forged = await post('/thought/reports', member, {
      memberId: other,
      title: '代交',
      period: period(),
      text: TEXT,
    });
    assert.equal(forged.status, 403, forged.raw);
    assert.equal(forged.body.error.code, 'THOUGHT_NOT_SELF');
    assert.match(forged.body.error.message, /只能以本人身份提交/);
    const self = await post('/thought/reports', member, {
      memberId: await memberIdOf('dangyuan'),
      title: '本人',
      period: period(),
      text: TEXT,
    });
    assert.equal(self.status, 201, self.raw);
    const noMember = await post('/thought/reports', admin, { title: '管理员', period: period(), text: TEXT });
    assert.equal(noMember.status, 403, noMember.raw);
    assert.match(noMember.body.error.message, /没有关联党员档案/);
    const year = Number(todayInChina().slice(0, 4)) + 1;
    const future = await post('/thought/reports', member, { title: '提前', period: `${year}-Q1`, text: TEXT });
    assert.equal(future.status, 422, future.raw);
    assert.match(future.body.error.message, /尚未开始/);
    const bad = await post('/thought/reports', member, { title: '格式', period: '2026-Q5', text: '太短' });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.raw, /期次格式/);
    assert.match(bad.raw, /至少 20 字/);
    for (const [themes, message] of [
      [['nope'], /主题不在可选范围内/],
      [['study', 'work', 'concern', 'other'], /主题最多选 3 个/],
      [['study', 'study'], /主题不能重复/],
    ] as const) {
      const r = await post('/thought/reports', member, { title: '主题', period: period(), text: TEXT, themes });
      assert.equal(r.status, 400, r.raw);
      assert.match(r.raw, message);
    }
  });

  it('hides a report from another member of the branch and from another branch’s 书记, and refuses a 书记 marking their own', async () => {
    const sub = await post('/thought/reports', jijian, { title: '另一人的汇报', period: period(), text: TEXT });
    assert.equal(sub.status, 201, sub.raw);
    assert.equal((await get(`/thought-reports/${sub.body.id}`, member)).status, 404);
    assert.equal(
      (await post(`/thought-reports/${sub.body.id}/comment`, member, { mark: 'read', comment: '越权' })).status,
      403,
    );
    assert.equal((await get(`/thought-reports/${sub.body.id}`, shuji2)).status, 404);
    assert.equal(
      (await post(`/thought-reports/${sub.body.id}/comment`, shuji2, { mark: 'read', comment: '越权' })).status,
      404,
    );
    const foreignQueue = await get(`/thought/queue?orgId=${branchId}`, shuji2);
    assert.equal(foreignQueue.status, 403, foreignQueue.raw);
    assert.ok(
      !(await get('/thought/queue?pageSize=200', shuji2)).body.items.some((x: { id: string }) => x.id === sub.body.id),
    );
    const mineOfOther = await get('/thought/reports/mine?pageSize=200', member);
    assert.ok(!mineOfOther.body.items.some((x: { id: string }) => x.id === sub.body.id));

    // 张建国 (shuji) is a member too: he may report, and may not mark his own report.
    const own = await post('/thought/reports', shuji, { title: '书记本人的汇报', period: period(), text: TEXT });
    assert.equal(own.status, 201, own.raw);
    const selfMark = await post(`/thought-reports/${own.body.id}/comment`, shuji, { mark: 'good', comment: '自评' });
    assert.equal(selfMark.status, 422, selfMark.raw);
    assert.match(selfMark.body.error.message, /不能批阅本人/);
    const badMark = await post(`/thought-reports/${sub.body.id}/comment`, shuji, { mark: 'excellent', comment: '' });
    assert.equal(badMark.status, 400, badMark.raw);
    assert.match(badMark.raw, /已阅、优秀 或 需改进/);
  });

  it('lists who has not reported this period on a fixed day, follows the branch’s 流动党员 cadence, and reminds once a day', async () => {
    // 10 February two years on: a quarter and a month nobody has reported for yet (the tests above report for
    // today's period, the demo for the seed day's), whatever day the suite runs on.
    const Y = Number(todayInChina().slice(0, 4)) + 2;
    const febEnd = addDays(`${Y}-03-01`, -1);
    setClock(`${Y}-02-10`);
    try {
      const sec = await t.login('shuji');
      const mem = await t.login('dangyuan');
      const chen = await memberIdOf('dangyuan');
      const flow = await post(`/members/${chen}/flow`, sec, {
        location: '广东省深圳市',
        since: '2026-10-01',
        expectedUntil: '2027-10-01',
        contact: '电话',
      });
      assert.equal(flow.status, 201, flow.raw);
      const rowOf = async () =>
        (await get(`/thought/overdue?orgId=${branchId}&pageSize=200`, sec)).body.items.find(
          (x: { id: string }) => x.id === chen,
        );
      const quarterly = await rowOf();
      assert.ok(quarterly, 'a 流动党员 is expected');
      assert.deepEqual(quarterly.categories, ['flowing']);
      assert.equal(quarterly.period, `${Y}-Q1`);
      assert.equal(quarterly.periodEnd, `${Y}-03-31`);
      assert.equal(quarterly.canRemind, true);
      // Every probationary member of the branch and its 党小组 is on the list too (nobody reported in that quarter yet).
      const [count] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from member m join org o on o.id = m.org_id
            where o.path like (select path from org where id = ${branchId}) || '%' and m.left_at is null and m.status = 'probationary'`,
      );
      const all = (await get(`/thought/overdue?orgId=${branchId}&pageSize=200`, sec)).body;
      assert.equal(
        all.items.filter((x: { categories: string[] }) => x.categories.includes('probationary')).length,
        count!.n,
      );

      // The branch sets monthly for its 流动党员: the period becomes the month, ending on 28 February.
      const set = await put('/thought/settings', sec, { orgId: branchId, flowingCadence: 'monthly' });
      assert.equal(set.status, 200, set.raw);
      assert.equal(set.body.own, true);
      const monthly = await rowOf();
      assert.equal(monthly.period, `${Y}-02`);
      assert.equal(monthly.periodEnd, febEnd);
      assert.equal((await get('/thought/me', mem)).body.period, `${Y}-02`);

      // 提醒: one notice to him today; the same again today is no new notice.
      const r1 = await post('/thought/reminders', sec, { orgId: branchId, memberIds: [chen] });
      assert.equal(r1.status, 200, r1.raw);
      assert.equal(r1.body.reminded, 1);
      const r2 = await post('/thought/reminders', sec, { orgId: branchId, memberIds: [chen] });
      assert.equal(r2.body.reminded, 0);
      const inbox = await get('/notifications?pageSize=50', mem);
      const notice = inbox.body.items.find((x: { kind: string }) => x.kind === 'thought.remind');
      assert.ok(notice, inbox.raw);
      assert.match(notice.body, /流动党员/);
      assert.ok(notice.body.includes(febEnd), notice.body);
      // Another branch's 书记 may not remind this branch.
      const foreign = await post('/thought/reminders', await t.login('shuji2'), { orgId: branchId });
      assert.equal(foreign.status, 403, foreign.raw);

      // He reports for February from his phone: off the list, and the overview counts him.
      const before = (await get(`/thought/overview?orgId=${branchId}`, sec)).body;
      const sub = await post('/thought/reports', mem, {
        title: '二月思想汇报',
        period: `${Y}-02`,
        text: TEXT,
        themes: ['hardship', 'suggestion'],
      });
      assert.equal(sub.status, 201, sub.raw);
      assert.deepEqual(sub.body.themes, ['hardship', 'suggestion']);
      assert.equal(await rowOf(), undefined);
      const ov = await get(`/thought/overview?orgId=${branchId}`, sec);
      assert.equal(ov.status, 200, ov.raw);
      assert.equal(ov.body.submitted, before.submitted + 1);
      assert.equal(ov.body.expected, before.expected);
      assert.equal(ov.body.byCategory.find((c: { category: string }) => c.category === 'flowing').submitted, 1);
      // 思想动态 themes: the writer's two themes counted once each this quarter, the others unchanged.
      const themeCount = (o: typeof ov.body, theme: string) =>
        o.byTheme.find((x: { theme: string }) => x.theme === theme).count as number;
      assert.equal(themeCount(ov.body, 'hardship'), themeCount(before, 'hardship') + 1);
      assert.equal(themeCount(ov.body, 'suggestion'), themeCount(before, 'suggestion') + 1);
      assert.equal(themeCount(ov.body, 'study'), themeCount(before, 'study'));
      assert.ok(
        !ov.raw.includes('党章') && !ov.raw.includes('二月思想汇报'),
        'the overview carries no text and no title',
      );
    } finally {
      setClock(null);
    }
  });

  it('answers a period on 29 February and refuses a 29 February period format that does not exist', async () => {
    setClock('2028-02-29');
    try {
      const mem = await t.login('dangyuan');
      const me = await get('/thought/me', mem);
      assert.equal(me.status, 200, me.raw);
      assert.ok(['2028-Q1', '2028-02', '2028-H1'].includes(me.body.period), me.raw);
      const sec = await t.login('shuji');
      const od = await get(`/thought/overdue?orgId=${branchId}&pageSize=5`, sec);
      assert.equal(od.status, 200, od.raw);
      for (const x of od.body.items) assert.ok(x.periodEnd >= '2028-02-29', JSON.stringify(x));
      assert.equal((await post('/thought/reports', mem, { title: '月份', period: '2028-13', text: TEXT })).status, 400);
    } finally {
      setClock(null);
    }
  });

  it('lets the branch record an 入党积极分子’s written report, takes them off the 未交 list, and lists it for the 考察', async () => {
    const [activist] = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select id, name from develop_person where org_id = ${branchId} and status = 'activist' and closed_at is null order by name limit 1`,
    );
    assert.ok(activist, 'the demo branch has an 入党积极分子');
    const listed = async () =>
      (await get(`/thought/overdue?orgId=${branchId}&pageSize=200`, shuji)).body.items.find(
        (x: { id: string }) => x.id === activist!.id,
      );
    const row = await listed();
    assert.equal(row.kind, 'develop');
    assert.deepEqual(row.categories, ['activist']);
    assert.equal(row.canRemind, false);

    const today = todayInChina();
    const paper = {
      title: '入党积极分子思想汇报',
      period: row.period,
      receivedOn: today,
      text: '（书面汇报摘要）学习了党的基本知识，认识到要从思想上入党。',
    };
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const future = await post(`/thought-persons/${activist!.id}/reports`, shuji, { ...paper, receivedOn: tomorrow });
    assert.equal(future.status, 422, future.raw);
    assert.match(future.body.error.message, /收到日期不能晚于今天/);
    assert.equal((await post(`/thought-persons/${activist!.id}/reports`, member, paper)).status, 403);
    assert.equal((await post(`/thought-persons/${activist!.id}/reports`, shuji2, paper)).status, 404);
    const rec = await post(`/thought-persons/${activist!.id}/reports`, shuji, paper);
    assert.equal(rec.status, 201, rec.raw);
    assert.equal(rec.body.memberName, activist!.name);
    assert.equal(rec.body.paper, true);
    assert.equal(await listed(), undefined, 'off the list once the written report is recorded');

    // The keeper who recorded it may mark it (it is not his own report); nobody is notified (no account).
    const c = await post(`/thought-reports/${rec.body.id}/comment`, shuji, {
      mark: 'read',
      comment: '认识端正，继续努力。',
    });
    assert.equal(c.status, 200, c.raw);
    const theirs = await get(`/thought-persons/${activist!.id}/reports`, shuji);
    assert.equal(theirs.status, 200, theirs.raw);
    assert.equal(theirs.body.items[0].text, paper.text);
    assert.equal(theirs.body.items[0].comment, '认识端正，继续努力。');
    assert.equal((await get(`/thought-persons/${activist!.id}/reports`, shuji2)).status, 404);
    assert.equal((await get(`/thought-persons/${activist!.id}/reports`, member)).status, 403);

    // Not for a member: a probationary member reports himself.
    const [admitted] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from develop_person where status in ('probationary', 'full') limit 1`,
    );
    if (admitted) {
      const r = await post(`/thought-persons/${admitted.id}/reports`, admin, paper);
      assert.equal(r.status, 422, r.raw);
      assert.match(r.body.error.message, /只能为入党积极分子和发展对象登记/);
    }
  });

  it('keeps the demo branch’s reports: a 预备党员’s commented one and one waiting, and 陈志远’s marked 优秀', async () => {
    const rows = await queryRows<{ status: string; mark: string | null }>(
      t.services.db,
      sql`select m.status, r.mark from thought_report r join member m on m.id = r.member_id join org o on o.id = r.org_id
          where o.path like (select path from org where id = ${branchId}) || '%' and r.title not in ('第四季度思想汇报', '本人', '另一人的汇报', '书记本人的汇报', '二月思想汇报', '入党积极分子思想汇报')`,
    );
    assert.ok(
      rows.some((r) => r.status === 'probationary' && r.mark === 'read'),
      JSON.stringify(rows),
    );
    assert.ok(rows.some((r) => r.status === 'probationary' && r.mark === null));
    assert.ok(rows.some((r) => r.mark === 'good'));
  });

  it('puts the member’s own reports with the feedback in their personal-data copy, and nobody else’s', async () => {
    const chen = await memberIdOf('dangyuan');
    const copy = await personalThought(t.services.db, t.services.fieldCrypto, t.tenantId, chen);
    assert.ok(copy.some((r) => r.text === TEXT && r.comment === '认识深刻，联系实际，继续保持。' && r.mark === '优秀'));
    assert.ok(!copy.some((r) => r.title === '另一人的汇报'));
    const res = await post('/me/personal-data', member, {});
    assert.equal(res.status, 200, res.raw);
    const reports = JSON.parse(res.raw).member.thoughtReports as { text: string; title: string }[];
    assert.ok(reports.some((r) => r.text === TEXT));
    assert.ok(!reports.some((r) => r.title === '另一人的汇报'));
  });

  it('lets the 书记 enter a report for a member who dictated it (代为填写): marked on the record, in the audit with the reason, and shown to the member; refused to a member, another branch, oneself', async () => {
    const jid = await memberIdOf('jijian');
    const shujiMember = await memberIdOf('shuji');
    // The quarter before this one: the current period's 未交 list of the other tests stays as it was.
    const earlier = periodOf('quarterly', addDays(todayInChina(), -100));
    const body = {
      title: '口述的思想汇报',
      period: earlier,
      text: '本人年纪大了不会用手机，口述本季度学习党章的体会：要按时参加组织生活，按时交纳党费。',
      themes: ['study'],
      reason: '本人没有智能手机，口述代录',
    };
    const refused: [string, string, string, unknown, number][] = [
      ['a member for another member', member, `/members/${jid}/thought-reports`, body, 403],
      ['another branch’s 书记', shuji2, `/members/${jid}/thought-reports`, body, 404],
      ['the 书记 for themself', shuji, `/members/${shujiMember}/thought-reports`, body, 403],
      ['no reason', shuji, `/members/${jid}/thought-reports`, { ...body, reason: '' }, 400],
      ['a period not begun', shuji, `/members/${jid}/thought-reports`, { ...body, period: '2099-Q1' }, 422],
    ];
    for (const [who, token, url, b, want] of refused) {
      const res = await post(url, token, b);
      assert.equal(res.status, want, `${who}: ${res.raw}`);
      assert.match(res.body.error.message, /[\u4e00-\u9fa5]/, `${who}: a Chinese message`);
    }
    const [{ n: before }] = (await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from thought_report where member_id = ${jid} and title = ${body.title}`,
    )) as [{ n: number }];
    assert.equal(before, 0, 'nothing written by the refusals');

    const res = await post(`/members/${jid}/thought-reports`, shuji, body);
    assert.equal(res.status, 201, res.raw);
    assert.equal(res.body.memberId, jid);
    assert.equal(res.body.enteredBy, '张建国（书记）');
    const [audit] = await queryRows<{ actor_name: string; after: Record<string, unknown> }>(
      t.services.db,
      sql`select actor_name, after from audit_log where action = 'thought.report.proxy' and entity_id = ${res.body.id}`,
    );
    assert.equal(audit?.after.onBehalf, true);
    assert.equal(audit?.after.reason, '本人没有智能手机，口述代录');
    assert.equal(audit?.after.memberId, jid);
    assert.ok(!JSON.stringify(audit).includes('口述本季度'), 'the audit carries no text');
    // The member sees it among their own, marked as entered for them, and it counts for its period.
    const mine = await get('/thought/reports/mine?pageSize=50', jijian);
    const seen = (mine.body.items as { id: string; enteredBy: string | null }[]).find((r) => r.id === res.body.id);
    assert.equal(seen?.enteredBy, '张建国（书记）');
    // The member's own report says nothing of the kind.
    const own = await post('/thought/reports', jijian, { ...body, reason: undefined, title: '本人提交的' });
    assert.equal(own.status, 201, own.raw);
    assert.equal(own.body.enteredBy, null);
    // The 书记's queue marks it too.
    const q = await get(`/thought/queue?orgId=${branchId}&status=all&pageSize=200`, shuji);
    assert.equal(
      (q.body.items as { id: string; enteredBy: string | null }[]).find((r) => r.id === res.body.id)?.enteredBy,
      '张建国（书记）',
    );
  });
});
