// @fixed-days: overdue periods and deadlines (tools/test.mjs runs this file under each fixed clock).
/**
 * 决策参考 (issue 23): a fresh branch is set up to trigger each reason through the owning module's API, the reason
 * appears on the leader's list with its source and link, and it leaves the list when the problem is fixed the way a
 * branch fixes it. Members and leaders of another subtree cannot read it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  addMonths,
  addMonthsToMonth,
  ATTENTION_RULES,
  CADENCE_RULES,
  nowMs,
  setClock,
  todayInChina,
  unitOfPath,
  type AttentionList,
} from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { randomMember, seededRandom } from '../../demo/people';
import { afterLocalWrite, feedOf } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { touchTables } from '../../testing/feed';
import { countBranchMembers, countUnitMembers } from '../member/service';
import { previousPeriodEnd } from './attention';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

/** The last month / quarter that has ended by the end of `today`, as `{ y, m }` of its first month. */
function lastEnded(today: string, len: 1 | 3) {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const over = d === new Date(Date.UTC(y, m, 0)).getUTCDate() ? m : m - 1;
  const ended = Math.floor(over / len);
  return ended === 0 ? { y: y - 1, m: 12 - len + 1 } : { y, m: (ended - 1) * len + 1 };
}
const day = (p: { y: number; m: number }, d: number) =>
  `${p.y}-${String(p.m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

describe('决策参考 (attention list)', () => {
  let t: TestApp;
  const { get, put, patch } = api(() => t);
  let admin: string;
  let branch: string;
  const members: string[] = [];
  const today = todayInChina();
  const clockAt = nowMs();
  const realAt = Date.now();
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));

  const post = async (url: string, body: unknown, want = 201) => {
    const r = await t.request({ method: 'POST', url: `/api/v1${url}`, token: admin, body });
    assert.equal(r.status, want, `${url}: ${r.raw}`);
    return r.body;
  };
  const list = async (token = admin, q = '') => {
    const r = await get(`/stats/attention?${q || 'pageSize=200'}`, token);
    assert.equal(r.status, 200, r.raw);
    return r.body as AttentionList;
  };
  /** The reasons of the test branch, by code. */
  const reasons = async () => {
    const l = await list();
    const mine = l.items.find((i) => i.orgId === branch);
    return new Map((mine?.reasons ?? []).map((r) => [r.code, r] as const));
  };
  const held = async (kind: string, on: string) => {
    const m = await post('/meetings', {
      orgId: branch,
      kind,
      title: `${kind} ${on}`,
      startsAt: `${on}T09:00:00+08:00`,
      endsAt: `${on}T10:00:00+08:00`,
      location: '党员活动室',
    });
    const r = await put(`/meetings/${m.id}/minutes`, admin, {
      host: '书记',
      recorder: '委员',
      content: '集中学习了上级文件精神，党员逐一交流发言，讨论了下一步工作安排。',
      attendees: [members[0]],
    });
    assert.equal(r.status, 200, r.raw);
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    const o = await post('/orgs', {
      parentId: await t.orgId('华夏新材料有限公司党委'),
      name: '决策参考测试党支部',
      kind: 'branch',
    });
    branch = o.id;
  });
  after(() => {
    restore();
    return t.close();
  });

  it('lists a branch with too few full members and no meetings last period, each with its source and link; both leave when fixed', async () => {
    let r = await reasons();
    const few = r.get('too_few_members');
    assert.ok(few, 'a branch with no members is on the list');
    assert.match(few.message, /正式党员仅 0 人/);
    assert.equal(few.citation, ATTENTION_RULES.too_few_members.citation);
    assert.equal(few.link, `/orgs?org=${branch}`);
    const meetings = r.get('meeting_missed');
    assert.ok(meetings, 'no 主题党日 last month');
    assert.match(meetings.message, /主题党日/);
    assert.match(meetings.message, /党员大会/);
    assert.ok(
      CADENCE_RULES.some((c) => meetings.citation.includes(c.citation)),
      'the meeting reason cites its cadence rules',
    );
    assert.equal(meetings.link, `/compliance?orgId=${branch}`);

    const rng = seededRandom(23);
    for (let i = 0; i < 3; i++) {
      const m = await post('/members', {
        ...randomMember(rng, branch, { today: '2024-06-01' }),
        status: 'full',
        fullAt: null,
      });
      members.push(m.id as string);
    }
    r = await reasons();
    assert.equal(r.get('too_few_members'), undefined, '3 full members: set-up rule met');

    // The meetings of the last month and quarter that have ended: 主题党日, 党员大会, 党课.
    const month = lastEnded(today, 1);
    const quarter = lastEnded(today, 3);
    await held('theme_day', day(month, 15));
    await held('party_congress', day(quarter, 10));
    await held('lecture', day(quarter, 12));
    // From 31 December to the end of March, the year that ended: its 组织生活会 and 民主评议党员.
    const yearEnded = today.endsWith('-12-31') ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
    const yearly = today.endsWith('-12-31') || today.slice(5, 7) <= '03';
    if (yearly) {
      r = await reasons();
      assert.match(r.get('meeting_missed')?.message ?? '', new RegExp(`${yearEnded} 年：每年至少召开 1 次组织生活会`));
      assert.match(r.get('meeting_missed')?.message ?? '', /民主评议党员/);
      await held('org_life', `${yearEnded}-12-10`);
      r = await reasons();
      assert.doesNotMatch(r.get('meeting_missed')?.message ?? '', /组织生活会/, 'held late in December: met');
      assert.match(r.get('meeting_missed')?.message ?? '', /民主评议党员/);
      await held('democratic_review', `${yearEnded}-12-15`);
    } else assert.doesNotMatch(r.get('meeting_missed')?.message ?? '', /组织生活会|民主评议/, 'not listed after March');
    r = await reasons();
    assert.equal(r.get('meeting_missed'), undefined, `held: ${JSON.stringify([...r.values()])}`);
  });

  it('lists members whose records the annual report cannot use, linking to its checks; leaves when fixed', async () => {
    // The three full members above were added with no 转正 date: the 年报 checks count them, so does the list.
    let r = await reasons();
    const bad = r.get('data_quality');
    assert.ok(bad, `listed: ${JSON.stringify([...r.keys()])}`);
    assert.match(bad.message, /^3 名党员的信息不全或有误/);
    assert.equal(bad.level, 'warning');
    assert.equal(bad.link, `/stats/annual?orgId=${branch}`);
    assert.equal(bad.citation, ATTENTION_RULES.data_quality.citation);
    const checks = await get(`/stats/annual-report?orgId=${branch}`, admin);
    assert.equal(checks.status, 200, checks.raw);
    assert.match(JSON.stringify(checks.body.checks), /转正/, 'the page the link opens lists the same problem');
    await t.services.db.execute(sql`update member set full_at = (joined_at + interval '1 year')::date,
      ethnicity = coalesce(nullif(trim(ethnicity), ''), '汉族'), education = coalesce(education, '大学本科'),
      occupation = coalesce(occupation, '企业管理人员') where id in ${sql`(${sql.join(
        members.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`}`);
    await afterLocalWrite(t.services.db); // written beside the API: this process reads the change feed back (cache.ts)
    r = await reasons();
    assert.equal(r.get('data_quality'), undefined, `fixed: ${r.get('data_quality')?.message}`);
  });

  it('lists dues arrears of 3 months, 失联, 换届 due and an overdue 整改; each leaves when fixed', async () => {
    // Dues: a base from three months back and the three months' bills, unpaid.
    const thisMonth = today.slice(0, 7);
    await post(`/members/${members[0]}/dues-bases`, {
      monthlyBaseFen: 400_000,
      effectiveFrom: addMonthsToMonth(thisMonth, -3),
    });
    for (const k of [3, 2, 1]) {
      const job = await post('/dues/bills/generate', { orgId: branch, month: addMonthsToMonth(thisMonth, -k) }, 202);
      assert.ok(job.jobId);
    }
    await t.services.jobs.drain();
    let r = await reasons();
    const arrears = r.get('arrears');
    assert.ok(arrears, 'three months unpaid');
    assert.match(arrears.message, /1 名党员 3 个月以上未交党费/);
    assert.equal(arrears.citation, ATTENTION_RULES.arrears.citation);
    const bills = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from dues_bill where member_id = ${members[0]} and status = 'unpaid' order by month`,
    );
    assert.equal(bills.length, 3);
    for (const b of bills)
      await post(`/dues-bills/${b.id}/offline-payment`, { method: 'cash', paidOn: today, catchUp: true });
    r = await reasons();
    assert.equal(r.get('arrears'), undefined, 'paid');

    // 失联: registered lost → critical; found → gone.
    await post(
      `/members/${members[1]}/lost`,
      { lastContactOn: addDays(today, -200), circumstances: '外出务工，电话停机' },
      200,
    );
    r = await reasons();
    assert.equal(r.get('lost')?.level, 'critical');
    assert.match(r.get('lost')!.message, /1 名党员已登记失联待处理/);
    await post(`/members/${members[1]}/lost/found`, { on: today }, 200);
    r = await reasons();
    assert.equal(r.get('lost'), undefined, 'found');

    // 换届: a term ending within 90 days → warning; a new term elected → gone.
    const term = (startsOn: string) =>
      post(`/orgs/${branch}/terms`, {
        startsOn,
        termYears: 3,
        members: [{ name: '书记甲', memberId: members[0], position: '书记' }],
      });
    await term(addDays(addMonths(today, -36), 30));
    r = await reasons();
    assert.equal(r.get('term_due')?.level, 'warning', JSON.stringify([...r.values()]));
    assert.match(r.get('term_due')!.message, /届满，请准备换届/);
    await term(today);
    r = await reasons();
    assert.equal(r.get('term_due'), undefined, 'new term');

    // 整改: an item past its deadline (three days on) → critical; the deadline extended → gone.
    const verifier = (
      await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = 'zuzhibu'`)
    )[0]!.id;
    const item = await post('/supervise/rectifications', {
      orgId: branch,
      sourceKind: 'inspection',
      title: '决策参考测试整改',
      finding: '党费收缴情况未公示。',
      measures: '每月公示。',
      deadline: addDays(today, 1),
      verifierUserId: verifier,
    });
    try {
      setClock(new Date(`${addDays(today, 3)}T12:00:00+08:00`));
      r = await reasons();
      assert.equal(r.get('rectify_overdue')?.level, 'critical');
      assert.equal(r.get('rectify_overdue')!.link, `/supervise/rectify?tab=ledger&org=${branch}`);
      const fixed = await patch(`/supervise-rectifications/${item.id}`, admin, { deadline: addDays(today, 30) });
      assert.equal(fixed.status, 200, fixed.raw);
      r = await reasons();
      assert.equal(r.get('rectify_overdue'), undefined, 'deadline extended');
    } finally {
      restore();
    }
  });

  it('lists required learning far behind once its deadline passed, and not when the members completed it', async () => {
    const item = await post('/learn/items', {
      orgId: branch,
      kind: 'article',
      title: '决策参考测试必学',
      body: '正文',
      minutes: 1,
      required: true,
      dueOn: addDays(today, 1),
    });
    try {
      setClock(new Date(`${addDays(today, 3)}T12:00:00+08:00`));
      let r = await reasons();
      const behind = r.get('learning_behind');
      assert.ok(behind, 'nobody completed it');
      assert.match(behind.message, /完成 0\/3 人次/);
      assert.equal(behind.link, `/learn/completion/item/${item.id}?orgId=${branch}`);
      // Two of the three complete it (records as the learning module keeps them for members with accounts).
      for (const m of members.slice(0, 2))
        await t.services.db.execute(
          sql`insert into learn_record (tenant_id, member_id, org_id, item_id, completed_at, seconds, active_month)
              select tenant_id, id, org_id, ${item.id}, now(), 60, to_char(now(), 'YYYY-MM') from member where id = ${m}`,
        );
      await afterLocalWrite(t.services.db);
      r = await reasons();
      assert.equal(r.get('learning_behind'), undefined, '2/3 completed');
    } finally {
      restore();
    }
  });

  it('marks what got worse since the end of the previous month: a reason there then is not new, one that appeared since is', async () => {
    const other = (
      await post('/orgs', {
        parentId: await t.orgId('华夏新材料有限公司党委'),
        name: '决策参考对比测试党支部',
        kind: 'branch',
      })
    ).id as string;
    // Two months on, the list is compared with the end of next month: the branch (no members) was short of full
    // members then already; an 整改 item due the day after became overdue since.
    const month = today.slice(0, 7);
    const monthEnd = (k: number) => addDays(`${addMonthsToMonth(month, k + 1)}-01`, -1);
    const verifier = (
      await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = 'zuzhibu'`)
    )[0]!.id;
    await post('/supervise/rectifications', {
      orgId: other,
      sourceKind: 'inspection',
      title: '决策参考对比测试整改',
      finding: '三会一课记录不全。',
      measures: '补齐记录。',
      deadline: addDays(monthEnd(1), 1),
      verifierUserId: verifier,
    });
    try {
      setClock(new Date(`${monthEnd(2)}T12:00:00+08:00`));
      const token = await t.login('admin', 'Changed-Pass-2'); // the morning's session may have expired by then
      const l = await list(token, 'pageSize=200&sort=new');
      assert.equal(l.previous, monthEnd(1));
      assert.equal(l.sort, 'new');
      const mine = new Map(l.items.find((i) => i.orgId === other)!.reasons.map((r) => [r.code, r] as const));
      assert.equal(mine.get('too_few_members')?.new, false, 'short of members at the end of last month too');
      assert.equal(mine.get('too_few_members')?.worse, false);
      assert.equal(mine.get('rectify_overdue')?.new, true, 'overdue since the end of last month');
      assert.equal(mine.get('rectify_overdue')?.worse, true);
      assert.ok(l.newReasons >= 1 && l.newOrgs >= 1, JSON.stringify({ n: l.newReasons, o: l.newOrgs }));
      // 新增的在前: every org with a new or worse reason before every org without one; the same orgs as by severity.
      const flags = l.items.map((i) => i.reasons.some((r) => r.worse));
      assert.deepEqual(
        flags,
        [...flags].sort((a, b) => Number(b) - Number(a)),
      );
      assert.equal(flags.filter(Boolean).length, l.newOrgs);
      const bySeverity = await list(token, 'pageSize=200');
      assert.equal(bySeverity.sort, 'severity');
      assert.deepEqual(bySeverity.items.map((i) => i.orgId).sort(), l.items.map((i) => i.orgId).sort());
      const bad = await get('/stats/attention?sort=worst', token);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /[\u4e00-\u9fa5]/);
    } finally {
      restore();
    }
  });

  it("pages, keeps to the caller's subtree, and refuses members", async () => {
    const all = await list();
    assert.ok(all.total >= 1 && all.rules.length === Object.keys(ATTENTION_RULES).length);
    const one = await list(admin, 'pageSize=1&page=1');
    assert.equal(one.items.length, Math.min(1, all.total));
    assert.equal(one.total, all.total);
    for (const i of all.items)
      for (const x of i.reasons) assert.ok(x.citation.length > 0 && x.link.startsWith('/'), JSON.stringify(x));
    // A secretary sees only their own branch's subtree; another subtree's org is refused.
    const shuji = await t.login('shuji');
    const own = await list(shuji);
    assert.ok(own.items.every((i) => i.orgId !== branch));
    const other = await get(`/stats/attention?orgId=${branch}`, shuji);
    assert.equal(other.status, 403);
    // A member cannot call it, neither for their own branch nor another.
    const dangyuan = await t.login('dangyuan');
    for (const q of ['', `?orgId=${await t.orgId('第一发电厂党支部')}`, `?orgId=${branch}`]) {
      const x = await get(`/stats/attention${q}`, dangyuan);
      assert.equal(x.status, 403, q);
    }
    const bad = await get('/stats/attention?pageSize=999', admin);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /[\u4e00-\u9fa5]/);
  });

  it('counts the orgs each reason touches (the weakest dimensions) and lists only the orgs of one reason when asked', async () => {
    const all = await list(admin, 'pageSize=200');
    const codes = Object.keys(all.counts);
    assert.ok(codes.length >= 2, `the demo has more than one kind of problem: ${JSON.stringify(all.counts)}`);
    assert.equal(all.code, null);
    for (const code of codes) {
      const want = all.items.filter((i) => i.reasons.some((r) => r.code === code)).map((i) => i.orgId);
      assert.equal(all.counts[code], want.length, code);
      const one = await list(admin, `pageSize=200&code=${code}`);
      assert.equal(one.code, code);
      assert.deepEqual(
        one.items.map((i) => i.orgId),
        want,
        `${code}: exactly the orgs with it, in the list's order`,
      );
      assert.equal(one.total, want.length);
      assert.deepEqual(one.counts, all.counts, 'the ranking stays the whole list’s');
    }
    const bad = await get('/stats/attention?code=nonsense', admin);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /code 须为以下之一/);
  });

  it('is served from the result cache until a table it reads changes (失联, terms and activity included)', async () => {
    const feed = feedOf(t.services.db)!;
    await list();
    const computed = feed.computations;
    await list(admin, 'pageSize=5&sort=new');
    assert.equal(feed.computations, computed, 'a second read, sorted and paged differently, computes nothing');
    for (const table of ['member_lost', 'org_term', 'member_activity', 'meeting_tally', 'supervise_rectification']) {
      const before = feed.computations;
      await touchTables(t.services.db, [table]);
      await list();
      assert.ok(feed.computations > before, `a change in ${table} recomputes the list`);
    }
  });

  it("recomputes today's reasons after a change, and the previous period's (history) once a day", async () => {
    const feed = feedOf(t.services.db)!;
    const [root] = await queryRows<{ path: string }>(
      t.services.db,
      sql`select path from org where tenant_id = ${t.tenantId} and parent_id is null`,
    );
    const key = (day: string) => `attention.members:${t.tenantId}:${root!.path}:${day}`;
    await list();
    const history = feed.results.get(`${key(previousPeriodEnd(today))}@${today}`);
    const current = feed.results.get(key(today));
    assert.ok(history && current, 'both days are on the cache');
    await touchTables(t.services.db, ['member']);
    await list();
    assert.ok(feed.results.get(key(today))!.asOf > current.asOf, "today's member counts were recomputed");
    assert.equal(feed.results.get(`${key(previousPeriodEnd(today))}@${today}`), history, 'the history was not');
  });

  it("is computed for every root org by the daily job, so the day's first read computes nothing", async () => {
    const feed = feedOf(t.services.db)!;
    const tomorrow = addDays(today, 1);
    try {
      setClock(new Date(`${tomorrow}T00:06:00+08:00`));
      await t.services.jobs.enqueue({ tenantId: null, kind: 'stats.warm-attention' });
      await t.services.jobs.settle();
      const before = feed.computations;
      const l = await list();
      assert.equal(l.today, tomorrow);
      assert.equal(feed.computations, before, 'the job computed the list of the day');
    } finally {
      restore();
    }
  });

  it('counts the members of every unit of a subtree in one pass as countBranchMembers does unit by unit', async () => {
    const units = await queryRows<{ id: string; path: string }>(
      t.services.db,
      sql`select id, path from org where tenant_id = ${t.tenantId} and kind in ('branch', 'general_branch')`,
    );
    const [root] = await queryRows<{ path: string }>(
      t.services.db,
      sql`select path from org where tenant_id = ${t.tenantId} and parent_id is null`,
    );
    const ids = units.map((u) => u.id);
    const byId = await countBranchMembers(t.services.db, t.tenantId, ids);
    const byPath = await countUnitMembers(t.services.db, t.tenantId, root!.path, unitOfPath(units));
    assert.ok(
      [...byId.values()].some((c) => c.full > 0 && c.all > c.full),
      'the demo has units with both kinds',
    );
    for (const id of ids) assert.deepEqual(byPath.get(id), byId.get(id), id);
  });
});
