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
 * course at the root (uncached: the result cache is not running here) and on a page of children; the behind list;
 * participation at the root.
 */
import { sql } from 'drizzle-orm';
import { loadOrgRef, type Scope } from '../../apps/server/src/platform/access';
import { openDatabase, queryRows } from '../../apps/server/src/platform/db';
import { behind, completion } from '../../apps/server/src/modules/learn/completion';
import { participation, search } from '../../apps/server/src/modules/learn/service';

const ITEMS = Number(process.argv[2] ?? 10_000);
const ORGS = Number(process.argv[3] ?? 5_000);
const PER_BRANCH = Number(process.argv[4] ?? 20);
const TENANT = '00000000-0000-4000-8000-000000000001';
const ROOT = '00000000-0000-4000-8000-000000000002';
const COURSE = '00000000-0000-4000-8000-000000000003';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: null });
const db = database.db;
const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(52)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms`);
  return out;
};

const committees = Math.max(1, Math.round((ORGS - 1) / 31));
const built = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from tenant where id = ${TENANT}`))[0]!.n > 0;
if (!built) {
  await time(`build ${1 + committees * 31} orgs`, async () => {
    await db.execute(sql`insert into tenant (id, name) values (${TENANT}, 'bench')`);
    await db.execute(sql`insert into org (id, no, tenant_id, parent_id, name, kind, path, depth)
      values (${ROOT}, 1, ${TENANT}, null, '集团党委', 'committee', '/1/', 1)`);
    await db.execute(sql`insert into org (no, tenant_id, parent_id, name, kind, path, depth)
      select 1 + c, ${TENANT}, ${ROOT}, '公司党委' || c, 'committee', '/1/' || (1 + c) || '/', 2 from generate_series(1, ${committees}) c`);
    await db.execute(sql`insert into org (no, tenant_id, parent_id, name, kind, path, depth)
      select 1000000 + p.no * 10 + b, p.tenant_id, p.id, p.name || '第' || b || '党支部', 'branch', p.path || (1000000 + p.no * 10 + b) || '/', 3
      from org p, generate_series(1, 10) b where p.depth = 2`);
    await db.execute(sql`insert into org (no, tenant_id, parent_id, name, kind, path, depth)
      select 100000000 + p.no * 3 + g, p.tenant_id, p.id, p.name || '第' || g || '党小组', 'group', p.path || (100000000 + p.no * 3 + g) || '/', 4
      from org p, generate_series(1, 2) g where p.depth = 3`);
  });
  await time(`members (${PER_BRANCH} per branch, in its groups)`, async () => {
    await db.execute(sql`insert into member (tenant_id, org_id, name, name_initials, gender, birth_date, id_card_enc, id_card_idx, phone_enc, phone_idx, joined_at, status)
      select o.tenant_id, o.id, '党员' || i, 'dy', 'male', '1980-01-01', 'x', md5(o.id::text || i), 'x', md5(o.id::text || i || 'p'), '2005-01-01', 'full'
      from org o, generate_series(1, ${Math.ceil(PER_BRANCH / 2)}) i where o.kind = 'group'`);
  });
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

const counts = (await queryRows<{ m: number; i: number; r: number }>(
  db,
  sql`select (select count(*)::int from member) as m, (select count(*)::int from learn_item) as i, (select count(*)::int from learn_record) as r`,
))[0]!;
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
  const exact = await time('search 主题党日 (member in a branch)', () => search(db, member, '主题党日', undefined, 1, 20));
  const initials = await time('search ztdr (pinyin initials)', () => search(db, member, 'ztdr', undefined, 1, 20));
  const common = await time('search 党员 (common word, thousands match)', () => search(db, member, '党员', undefined, 1, 20));
  const one = await time('search 党 (one character, all match)', () => search(db, member, '党', undefined, 1, 20));
  const two = await time('search 党费 学习 (two words)', () => search(db, member, '党费 学习', undefined, 1, 20));
  const miss = await time('search 量子计算 (no match)', () => search(db, member, '量子计算', undefined, 1, 20));
  await time('search 党员 page 50', () => search(db, member, '党员', undefined, 50, 20));
  const c = await time('completion of the course, root (uncached)', () => completion(db, reader, 'item', COURSE, undefined, 1, 20));
  await time('behind list, root, first page', () => behind(db, reader, 'item', COURSE, undefined, 1, 20));
  await time('completion, one branch', () => completion(db, reader, 'item', COURSE, branch.id, 1, 20));
  const p = await time('participation this month, root', () => participation(db, reader, counts.m));
  if (run === 2) {
    console.log(`主题党日 first: ${exact.items[0]?.title}; ztdr first: ${initials.items[0]?.title} (${initials.items[0]?.matched})`);
    console.log(`党员 ${common.total}${common.totalCapped ? '+' : ''}, 党 ${one.total}${one.totalCapped ? '+' : ''}, two words ${two.total}, miss ${miss.total}`);
    console.log(`root: ${c.total.completed}/${c.total.assigned} (${c.children.total} children); participation ${p.learners}/${p.members}`);
  }
}
await database.close();
