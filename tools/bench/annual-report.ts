/**
 * Benchmark: the 党内统计年报 (stats/annual.ts) at the top org and at a mid org of a generated tenant.
 *
 *   npm run gen -- --members 1000000 --orgs 50000 --bill-months 1 --attendance-months 0   (with DATABASE_URL for PostgreSQL)
 *   DATABASE_URL=postgres://… node --import tsx tools/bench/annual-report.ts [iterations=3]
 *
 * The generator makes no in-year lifecycle, so before timing this adds, once (marked by the letter number prefix
 * 'BENCH-'): 1 % of members transferred inside the tenant this year, 0.1 % 停止党籍 this year, 0.5 % who left this
 * year (death, 退党, 转出). Then it times the whole report (all queries, tables and checks) as the route computes it.
 */
import { sql } from 'drizzle-orm';
import { todayInChina } from '@xianfeng/shared';
import { memberStats } from '../../apps/server/src/modules/member/stats';
import { annualReport, computeReport } from '../../apps/server/src/modules/stats/annual';
import { openDatabase, queryRows } from '../../apps/server/src/platform/db';
import { adminScope } from '../lib/scope';

const N = Number(process.argv[2] ?? 3);
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.XF_DATA_DIR ?? null,
});
const db = database.db;
const year = todayInChina().slice(0, 4);

const [tenant] = await queryRows<{ tenant_id: string; id: string }>(
  db,
  sql`select tenant_id, id from org where parent_id is null order by no limit 1`,
);
const [{ n: members }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from member`)) as [
  { n: number },
];
const [{ n: marked }] = (await queryRows<{ n: number }>(
  db,
  sql`select count(*)::int as n from member_transfer where letter_no like 'BENCH-%' or reason = 'BENCH'`,
)) as [{ n: number }];
if (marked === 0) {
  const t0 = performance.now();
  // Internal transfers decided this year: from another member-holding org to where the member is now.
  await db.execute(sql`
    with orgs as (select array_agg(id order by no) as ids from org where kind in ('branch', 'group')),
         m as (select id, tenant_id, org_id, row_number() over (order by id) as k from member where left_at is null)
    insert into member_transfer (tenant_id, member_id, direction, from_org_id, to_org_id, reason, status, requested_at, decided_at)
    select m.tenant_id, m.id, 'internal', orgs.ids[1 + ((m.k * 7919) % array_length(orgs.ids, 1))::int], m.org_id, 'BENCH', 'done',
           ${`${year}-03-01`}::timestamptz, ${`${year}-03-01`}::timestamptz + (m.k % 200) * interval '1 day'
    from m, orgs where m.k % 100 = 0`);
  // 停止党籍 this year.
  await db.execute(sql`
    with s as (select id, tenant_id, row_number() over (order by id desc) as k from member where left_at is null)
    insert into member_lost (tenant_id, member_id, status, last_contact_on, circumstances, suspended_on)
    select tenant_id, id, 'suspended', ${`${Number(year) - 1}-01-10`}::date, 'BENCH', ${`${year}-02-01`}::date + (k % 150)::int from s where k % 1000 = 7`);
  await db.execute(
    sql`update member m set suspended_on = l.suspended_on from member_lost l where l.member_id = m.id and l.circumstances = 'BENCH'`,
  );
  // Left this year.
  await db.execute(sql`
    with s as (select id, row_number() over (order by name, id) as k from member where left_at is null and suspended_on is null)
    update member m set left_at = ${`${year}-01-15`}::date + (s.k % 300)::int,
                        left_reason = (array['death', 'withdrawal', 'transferred_out'])[1 + (s.k % 3)::int]
    from s where s.id = m.id and s.k % 200 = 3`);
  console.log(`lifecycle added in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const scopeOf = (orgId: string) => adminScope(db, tenant!.tenant_id, orgId);
const [mid] = await queryRows<{ id: string; name: string; n: number }>(
  db,
  sql`select o.id, o.name, (select count(*)::int from member m where m.org_path like o.path || '%' and m.left_at is null) as n
      from org o where o.depth = (select min(depth) + 2 from org) order by o.no limit 1`,
);
console.log(`database: ${database.kind}, ${members} members`);
for (const [label, id] of [
  ['top org', tenant!.id],
  [`mid org (${mid!.name}, ${mid!.n} members)`, mid!.id],
] as const) {
  const scope = await scopeOf(id);
  // For scale: the subtree statistics of the same org (one grouped pass; its 1M cold figure is in docs/benchmarks.md).
  const s0 = performance.now();
  await memberStats(db, scope);
  const statsMs = performance.now() - s0;
  const times: number[] = [];
  let last;
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    last = await computeReport(db, scope, `${year}-12-31`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await annualReport(db, scope, `${year}-12-31`);
  const c0 = performance.now();
  await annualReport(db, scope, `${year}-12-31`);
  const cachedMs = performance.now() - c0;
  const bad = last!.checks
    .filter((c) => !c.ok && ['changes_balance', 'tables_agree', 'rows_sum', 'roster'].includes(c.code))
    .map((c) => c.code);
  console.log(
    `annual report (cold compute), ${label}: min ${times[0]!.toFixed(0)} ms, median ${times[Math.floor(N / 2)]!.toFixed(0)} ms, max ${times[N - 1]!.toFixed(0)} ms; ` +
      `end ${last!.totals.members}, checks failing: ${bad.join(', ') || 'none'}; cached read ${cachedMs.toFixed(1)} ms; subtree stats (cold) ${statsMs.toFixed(0)} ms`,
  );
}
await database.close();
