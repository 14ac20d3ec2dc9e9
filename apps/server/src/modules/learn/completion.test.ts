/**
 * 学习完成情况 (issue #18, org department views) through the HTTP stack on the demo enterprise: a required course
 * of a branch counted for the branch and each of its groups, the learner counted complete as soon as they finish
 * (the cached figures move), who is behind, one reminder per member and day, the Excel export, an exam's pass
 * count and average, scope (a member, another subsidiary, a foreign org), and 学习参与率 on the 驾驶舱.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, now, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';

const later = (ms: number) => setClock(new Date(now().getTime() + ms));

type Line = {
  orgId: string;
  orgName: string;
  assigned: number;
  completed: number;
  rate: number | null;
  avgScore: number | null;
};

describe('learn completion views', () => {
  let t: TestApp;
  let member: string; // dangyuan, 第一发电厂党支部
  let secretary: string; // shuji, 第一发电厂党支部
  let secretary2: string; // shuji2, 研发中心党支部 (another subsidiary)
  let zuzhibu: string; // org_admin at the group committee
  let branchId: string;
  let foreignId: string;
  let itemId: string;
  let dangyuanMember: string;

  before(async () => {
    t = await startTestApp();
    [member, secretary, secretary2, zuzhibu] = await signIn(t, 'dangyuan', 'shuji', 'shuji2', 'zuzhibu');
    branchId = await t.orgId('第一发电厂党支部');
    foreignId = await t.orgId('研发中心党支部');
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = 'dangyuan'`,
    );
    dangyuanMember = m!.id;
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  const { get, post } = api(() => t);
  const onRoll = async (orgId: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from member m join org o on o.id = ${orgId}
            where m.org_path like o.path || '%' and m.left_at is null and m.suspended_on is null`,
      )
    )[0]!.n;

  it('counts a new required course of a branch for the branch and each of its groups, nobody complete yet', async () => {
    const r = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'article',
      title: '完成情况测试：支部必学材料',
      body: '正文',
      minutes: 1,
      required: true,
      dueOn: addDays(todayInChina(), 5),
    });
    assert.equal(r.status, 201, r.raw);
    itemId = r.body.id;
    const c = await get(`/learn-items/${itemId}/completion`, secretary);
    assert.equal(c.status, 200, c.raw);
    const total = c.body.total as Line;
    assert.equal(total.orgId, branchId);
    assert.equal(total.assigned, await onRoll(branchId), 'every member on the roll of the branch is bound');
    assert.equal(total.completed, 0);
    assert.equal(total.rate, 0);
    const kids = c.body.children.items as Line[];
    assert.ok(c.body.children.total >= 1 && kids.length === c.body.children.total, `groups listed: ${c.raw}`);
    for (const k of kids) assert.equal(k.assigned, await onRoll(k.orgId), `${k.orgName} counted over its roll`);
    assert.ok(kids.reduce((s, k) => s + k.assigned, 0) <= total.assigned, 'groups are part of the branch');
    const b = await get(`/learn-items/${itemId}/behind?pageSize=200`, secretary);
    assert.equal(b.status, 200, b.raw);
    assert.equal(b.body.total, total.assigned, 'everyone is behind');
    assert.ok(
      b.body.items.some((x: { memberId: string }) => x.memberId === dangyuanMember),
      'dangyuan is behind before studying',
    );
  });

  it('counts the learner complete as soon as they finish, in the cached figures too', async () => {
    const before = (await get(`/learn-items/${itemId}/completion`, secretary)).body.total as Line;
    // An article completes after MIN_READ_SECONDS of reading, credited no faster than the clock.
    assert.equal((await post(`/learn-items/${itemId}/progress`, member, { seconds: 0, position: 0 })).status, 200);
    later(40_000);
    let p = await post(`/learn-items/${itemId}/progress`, member, { seconds: 40, position: 50 });
    assert.equal(p.status, 200, p.raw);
    assert.equal(p.body.completed, false, 'not yet complete after 40 s');
    // Read in between: the cache holds a figure from the same month, which completion must move.
    assert.equal(((await get(`/learn-items/${itemId}/completion`, secretary)).body.total as Line).completed, 0);
    later(40_000);
    p = await post(`/learn-items/${itemId}/progress`, member, { seconds: 40, position: 100 });
    assert.equal(p.body.completed, true, p.raw);
    const c = await get(`/learn-items/${itemId}/completion`, secretary);
    const total = c.body.total as Line;
    assert.equal(total.completed, 1, `the completion shows at once: ${c.raw}`);
    assert.equal(total.assigned, before.assigned);
    assert.equal(total.rate, Math.round((1 / total.assigned) * 1000) / 1000);
    const kids = c.body.children.items as Line[];
    assert.equal(kids.reduce((s, k) => s + k.completed, 0) <= 1, true);
    const b = await get(`/learn-items/${itemId}/behind?pageSize=200`, secretary);
    assert.equal(b.body.total, total.assigned - 1);
    assert.ok(
      !b.body.items.some((x: { memberId: string }) => x.memberId === dangyuanMember),
      'dangyuan is no longer behind',
    );
    // The group committee's org department sees it too (through the branch, the item's org).
    const top = await get(`/learn-items/${itemId}/completion`, zuzhibu);
    assert.equal(top.status, 200, top.raw);
    assert.equal((top.body.total as Line).completed, 1);
  });

  it('keeps the views to readers of the org: a member 403, another subsidiary and a foreign org 404', async () => {
    assert.equal((await get(`/learn-items/${itemId}/completion`, member)).status, 403);
    assert.equal((await get(`/learn-items/${itemId}/behind`, member)).status, 403);
    assert.equal((await post(`/learn-items/${itemId}/remind`, member)).status, 403);
    assert.equal((await get(`/learn-items/${itemId}/completion`, secretary2)).status, 404);
    assert.equal((await get(`/learn-items/${itemId}/behind`, secretary2)).status, 404);
    const narrowed = await get(`/learn-items/${itemId}/completion?orgId=${foreignId}`, secretary);
    assert.equal(narrowed.status, 404, narrowed.raw);
    assert.match(narrowed.body.error.message, /组织不存在/);
    const ghost = await get(`/learn-items/${itemId}/completion?orgId=00000000-0000-4000-8000-000000000000`, secretary);
    assert.equal(ghost.status, narrowed.status);
    assert.equal(ghost.body.error.message, narrowed.body.error.message, 'a foreign org and a missing one answer alike');
    const bad = await get(`/learn-items/${itemId}/behind?pageSize=0`, secretary);
    assert.equal(bad.status, 400);
  });

  it('narrows to a group of the branch with orgId', async () => {
    const c = await get(`/learn-items/${itemId}/completion`, secretary);
    const group = (c.body.children.items as Line[])[0]!;
    const g = await get(`/learn-items/${itemId}/completion?orgId=${group.orgId}`, secretary);
    assert.equal(g.status, 200, g.raw);
    assert.equal((g.body.total as Line).assigned, group.assigned);
    const b = await get(`/learn-items/${itemId}/behind?orgId=${group.orgId}&pageSize=200`, secretary);
    assert.equal(b.body.total, group.assigned - group.completed);
  });

  it('counts every org below the group committee from one pass, paged, and files members where they are', async () => {
    // A required item of the root: the figures of the root and of all its children come from one grouped pass.
    const root = await t.orgId('华夏能源集团党委');
    const r = await post('/learn/items', zuzhibu, {
      orgId: root,
      kind: 'article',
      title: '完成情况测试：集团必学材料',
      body: '正文',
      minutes: 1,
      required: true,
      dueOn: addDays(todayInChina(), 5),
    });
    assert.equal(r.status, 201, r.raw);
    const all = await get(`/learn-items/${r.body.id}/completion?pageSize=100`, zuzhibu);
    assert.equal(all.status, 200, all.raw);
    const total = all.body.total as Line;
    const kids = all.body.children.items as Line[];
    assert.equal(total.assigned, await onRoll(root));
    for (const k of kids) assert.equal(k.assigned, await onRoll(k.orgId), `${k.orgName} over its own subtree`);
    const [own] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member where org_id = ${root} and left_at is null and suspended_on is null`,
    );
    assert.equal(kids.reduce((n, k) => n + k.assigned, 0) + own!.n, total.assigned, 'children + filed at the root');
    // A second completed record of one member (credited offline before they had an account) counts once.
    const before = (await get(`/learn-items/${itemId}/completion`, secretary)).body.total as Line;
    await t.services.db
      .execute(sql`insert into learn_record (tenant_id, member_id, org_id, item_id, seconds, progress, completed_at, active_month)
      select tenant_id, member_id, org_id, item_id, seconds, progress, completed_at, active_month from learn_record
      where item_id = ${itemId} and member_id = ${dangyuanMember}`);
    const again = (await get(`/learn-items/${itemId}/completion`, secretary)).body.total as Line;
    assert.deepEqual([again.assigned, again.completed], [before.assigned, before.completed]);
    const page2 = await get(`/learn-items/${r.body.id}/completion?page=2&pageSize=1`, zuzhibu);
    assert.deepEqual(page2.body.children.items, kids.slice(1, 2), 'a page is a slice of the same figures');
    assert.equal(page2.body.children.total, kids.length);
  });

  it('reminds each member behind who has an account once a day; an optional item cannot be reminded', async () => {
    const behindWithAccount = (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from member m join org o on o.id = ${branchId}
            where m.org_path like o.path || '%' and m.left_at is null and m.suspended_on is null
              and m.user_id is not null and m.id <> ${dangyuanMember}`,
      )
    )[0]!.n;
    const r = await post(`/learn-items/${itemId}/remind`, secretary);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.reminded, behindWithAccount);
    const again = await post(`/learn-items/${itemId}/remind`, zuzhibu);
    assert.equal(again.status, 200, again.raw);
    assert.equal(again.body.reminded, 0, 'the same day: nobody twice');
    assert.equal(again.body.already, behindWithAccount);
    const [n] = await queryRows<{ n: number; mine: number }>(
      t.services.db,
      sql`select count(*)::int as n, count(*) filter (where u.username = 'dangyuan')::int as mine
          from notification x join app_user u on u.id = x.user_id where x.kind = 'learn.remind'`,
    );
    assert.equal(n!.n, behindWithAccount);
    assert.equal(n!.mine, 0, 'the one who finished is not reminded');
    const audited = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'learn.remind'`,
    );
    assert.equal(audited[0]!.n, 2);

    const optional = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'article',
      title: '完成情况测试：选学材料',
      body: '正文',
    });
    assert.equal(optional.status, 201, optional.raw);
    const o = await post(`/learn-items/${optional.body.id}/remind`, secretary);
    assert.equal(o.status, 422, o.raw);
    assert.match(o.body.error.message, /只有必修/);
  });

  it('exports the table and who is behind to Excel, audited', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/learn-items/${itemId}/completion/export`,
      headers: { authorization: `Bearer ${secretary}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const table = wb.getWorksheet('完成情况')!;
    const list = wb.getWorksheet('未完成名单')!;
    assert.ok(table && list, 'two sheets');
    const c = (await get(`/learn-items/${itemId}/completion`, secretary)).body;
    const totalRow = table.getRow(3).values as unknown[];
    assert.equal(totalRow[1], `${c.total.orgName}（合计）`);
    assert.equal(totalRow[2], c.total.assigned);
    assert.equal(totalRow[3], 1);
    assert.equal(list.rowCount - 1, c.total.assigned - 1, 'one row per member behind');
    const audited = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'learn.completion.export'`,
    );
    assert.equal(audited[0]!.n, 1);
  });

  it("counts an exam's passes and the average best score per org", async () => {
    const exams = (await get('/learn/exams?pageSize=50', zuzhibu)).body.items as { id: string; title: string }[];
    const exam = exams.find((e) => e.title === '2026 年党章党规知识测试');
    assert.ok(exam, 'the demo exam is there');
    const c = await get(`/learn-exams/${exam.id}/completion`, zuzhibu);
    assert.equal(c.status, 200, c.raw);
    const [expected] = await queryRows<{ passed: number; avg: number | null }>(
      t.services.db,
      sql`select count(*) filter (where passed)::int as passed, round(avg(best), 1)::float8 as avg from (
            select max(a.score) as best, bool_or(a.passed) as passed from learn_attempt a join member m on m.id = a.member_id
            where a.exam_id = ${exam.id} and a.submitted_at is not null and m.left_at is null and m.suspended_on is null
            group by m.id) s`,
    );
    assert.ok(expected!.passed > 0, 'the demo has passes');
    assert.equal(c.body.total.completed, expected!.passed);
    assert.equal(c.body.total.avgScore, expected!.avg);
    assert.ok(
      (c.body.children.items as Line[]).every((k) => k.avgScore === null || (k.avgScore >= 0 && k.avgScore <= 100)),
    );
    const b = await get(`/learn-exams/${exam.id}/behind?pageSize=5`, zuzhibu);
    assert.equal(b.status, 200, b.raw);
    assert.equal(b.body.total, c.body.total.assigned - c.body.total.completed);
    assert.equal((await get(`/learn-exams/${exam.id}/completion`, member)).status, 403);
  });

  it('shows 学习参与率 of this month on the 驾驶舱', async () => {
    const d = await get('/dashboard', zuzhibu);
    assert.equal(d.status, 200, d.raw);
    const l = d.body.learning;
    assert.ok(l, 'the dashboard has a learning part');
    assert.equal(l.members, d.body.members.total);
    assert.equal(l.month, todayInChina().slice(0, 7));
    assert.ok(l.learners >= 1, `dangyuan studied this month: ${JSON.stringify(l)}`);
    assert.equal(l.rate, Math.round((l.learners / l.members) * 1000) / 1000);
    const direct = await get('/learn/participation', zuzhibu);
    assert.equal(direct.body.learners, l.learners, 'the same figure as the learn module’s own');
    const branch = await get(`/dashboard?orgId=${branchId}`, secretary);
    assert.equal(branch.status, 200, branch.raw);
    assert.ok(branch.body.learning.learners <= l.learners, 'a branch has at most the group’s learners');
  });
});
