/**
 * Benchmark (issue #18): 党建百科 / learning search over many items, and the completion of a required course for the
 * top org of a large tenant.
 *
 *   npx tsx tools/bench/learn.ts [items=10000] [orgs=5000] [membersPerBranch=20]
 *   DATABASE_URL=postgres://… npx tsx tools/bench/learn.ts …   (a scratch database!)
 *
 * Builds, in SQL, root → committees → 10 branches each → 2 groups per branch, members in the groups, `items`
 * published items with generated Chinese titles, keywords and bodies (plus the entry 主题党日), one required course
 * at the root that two in three members have completed, and this month's learning records. Then times, from a
 * member's scope in a branch (the search route's case) and a reader's at the root: search for the exact title, its
 * pinyin initials, a common two-character word, a single common character, two words, a miss; completion of the
 * course at the root (run 1 computed, run 2 from the result cache) and for one branch; the behind list;
 * participation at the root.
 */
import { sql } from 'drizzle-orm';
import { loadOrgRef, type Scope } from '../../apps/server/src/platform/access';
import { openDatabase, queryRows } from '../../apps/server/src/platform/db';
import { behind, completion } from '../../apps/server/src/modules/learn/completion';
import { participation, search } from '../../apps/server/src/modules/learn/service';
import { BENCH_ROOT, BENCH_TENANT, buildBenchTenant, timed } from './tenant';

const ITEMS = Number(process.argv[2] ?? 10_000);
const ORGS = Number(process.argv[3] ?? 5_000);
const PER_BRANCH = Number(process.argv[4] ?? 20);
const TENANT = BENCH_TENANT;
const ROOT = BENCH_ROOT;
const COURSE = '00000000-0000-4000-8000-000000000003';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: null });
const db = database.db;
const time = timed;

if (await buildBenchTenant(db, { orgs: ORGS, membersPerBranch: PER_BRANCH })) {
  // Titles from a vocabulary of party-building words, so common grams (党, 党员, 学习) match thousands of items.
  await time(`${ITEMS} items (titles, keywords, bodies)`, async () => {
    await db.execute(sql`insert into learn_item (tenant_id, org_id, kind, title, summary, body, keywords, title_initials, published_at, created_by)
      select ${TENANT}, ${ROOT}, (array['article','course','video','book'])[1 + i % 4],
        w[1 + i % 12] || w[1 + (i / 12) % 12] || '第' || i || '讲',
        '关于' || w[1 + (i / 7) % 12] || '的学习材料',
        repeat('党的建设' || w[1 + i % 12] || '基层党组织' || w[1 + (i / 5) % 12] || '学习教育。', 20),
        w[1 + (i / 3) % 12] || ' ' || w[1 + (i / 11) % 12],
        'x' || i, now() - (i || ' minutes')::interval, 'bench'
      from generate_series(1, ${ITEMS}) i,
        (select array['党员教育','组织生活','党费收缴','理论学习','党章党规','发展党员','廉洁自律','民主评议','三会一课','党建工作','支部建设','学习强国'] as w) v`);
    await db.execute(sql`insert into learn_item (tenant_id, org_id, kind, title, summary, body, keywords, title_initials, published_at, created_by)
      values (${TENANT}, ${ROOT}, 'article', '主题党日', '党支部每月相对固定一天开展的主题党日活动', '主题党日是党支部每月开展的组织生活。', '组织生活 主题党日', 'ztdr', now(), 'bench')`);
  });
  await time('a required course, done by two in three members', async () => {
    await db.execute(sql`insert into learn_item (id, tenant_id, org_id, kind, title, title_initials, required, due_on, published_at, created_by)
      values (${COURSE}, ${TENANT}, ${ROOT}, 'course', '必修课程', 'bxkc', true, current_date + 30, now(), 'bench')`);
    await db.execute(sql`insert into learn_record (tenant_id, member_id, org_id, item_id, seconds, progress, completed_at, active_month)
      select m.tenant_id, m.id, m.org_id, ${COURSE}, case when m.idx % 3 = 0 then 60 else 3000 end, case when m.idx % 3 = 0 then 5 else 100 end,
        case when m.idx % 3 = 0 then null else now() end, to_char(now() at time zone 'Asia/Shanghai', 'YYYY-MM')
      from (select id, tenant_id, org_id, row_number() over (order by id) as idx from member) m`);
    await db.execute(sql`analyze`);
  });
}

const counts = (
  await queryRows<{ m: number; i: number; r: number }>(
    db,
    sql`select (select count(*)::int from member) as m, (select count(*)::int from learn_item) as i, (select count(*)::int from learn_record) as r`,
  )
)[0]!;
console.log(`members ${counts.m}, items ${counts.i}, records ${counts.r}`);

const root = (await loadOrgRef(db, TENANT, ROOT))!;
const [b] = await queryRows<{ id: string }>(db, sql`select id from org where kind = 'branch' order by no limit 1`);
const branch = (await loadOrgRef(db, TENANT, b!.id))!;
const scopeAt = (org: typeof root, role: 'member' | 'org_admin'): Scope =>
  ({
    tenantId: TENANT,
    principal: { user: { id: '00000000-0000-4000-8000-0000000000ff' }, tokenHash: '', bindings: [] },
    role,
    org,
    actor: { tenantId: TENANT, userId: null, username: 'bench', requestId: null },
  }) as unknown as Scope;
const member = scopeAt(branch, 'member');
const reader = scopeAt(root, 'org_admin');

for (let run = 1; run <= 2; run++) {
  console.log(`-- run ${run}`);
  const exact = await time('search 主题党日 (member in a branch)', () =>
    search(db, member, '主题党日', undefined, 1, 20),
  );
  const initials = await time('search ztdr (pinyin initials)', () => search(db, member, 'ztdr', undefined, 1, 20));
  const common = await time('search 党员 (common word, thousands match)', () =>
    search(db, member, '党员', undefined, 1, 20),
  );
  const one = await time('search 党 (one character, all match)', () => search(db, member, '党', undefined, 1, 20));
  const two = await time('search 党费 学习 (two words)', () => search(db, member, '党费 学习', undefined, 1, 20));
  const miss = await time('search 量子计算 (no match)', () => search(db, member, '量子计算', undefined, 1, 20));
  await time('search 党员 page 50', () => search(db, member, '党员', undefined, 50, 20));
  // Run 1 computes (one grouped pass over the roll); run 2 is the result cache's answer (nothing changed between).
  const c = await time(`completion of the course, root (${run === 1 ? 'computed' : 'result cache'})`, () =>
    completion(db, reader, 'item', COURSE, undefined, 1, 20),
  );
  await time('behind list, root, first page', () => behind(db, reader, 'item', COURSE, undefined, 1, 20));
  await time('completion, one branch', () => completion(db, reader, 'item', COURSE, branch.id, 1, 20));
  const p = await time('participation this month, root', () => participation(db, reader, counts.m));
  if (run === 2) {
    console.log(
      `主题党日 first: ${exact.items[0]?.title}; ztdr first: ${initials.items[0]?.title} (${initials.items[0]?.matched})`,
    );
    console.log(
      `党员 ${common.total}${common.totalCapped ? '+' : ''}, 党 ${one.total}${one.totalCapped ? '+' : ''}, two words ${two.total}, miss ${miss.total}`,
    );
    console.log(
      `root: ${c.total.completed}/${c.total.assigned} (${c.children.total} children); participation ${p.learners}/${p.members}`,
    );
  }
}
await database.close();
