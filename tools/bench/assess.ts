/**
 * Benchmark (issue #21): the automatic figures of an assessment of every 党支部 of a large tenant — what publishing a
 * plan computes (assess/service.ts computeAll: each branch × each automatic source, through the owning modules'
 * service functions).
 *
 *   npx tsx tools/bench/assess.ts [orgs=50000] [membersPerBranch=60]     (50k orgs × 60 ≈ 1M members)
 *   DATABASE_URL=postgres://… npx tsx tools/bench/assess.ts …   (a scratch database!)
 *
 * Builds the bench tenant (tools/bench/tenant.ts) and one month of dues bills (nine in ten paid) in the plan's
 * quarter; meetings, learning, 整改 and 下考上 are left empty, so those sources run their queries on empty tables —
 * the figures are a lower bound for a tenant with years of records. Then times computeAll for one committee's ten
 * branches and for every branch of the tenant, at each step with all five sources.
 */
import { sql } from 'drizzle-orm';
import { AUTO_SOURCE_KEYS } from '@xianfeng/shared';
import { computeAll } from '../../apps/server/src/modules/assess/service';
import { loadOrgRef } from '../../apps/server/src/platform/access';
import { openDatabase, queryRows } from '../../apps/server/src/platform/db';
import { BENCH_ROOT, BENCH_TENANT, buildBenchTenant, timed } from './tenant';

const ORGS = Number(process.argv[2] ?? 50_000);
const PER_BRANCH = Number(process.argv[3] ?? 60);
const YEAR = 2025;
const QUARTER = 4;
const TODAY = '2025-12-31';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: null });
const db = database.db;

if (await buildBenchTenant(db, { orgs: ORGS, membersPerBranch: PER_BRANCH })) {
  await timed('dues bills of 2025-10 (9 in 10 paid)', async () => {
    await db.execute(sql`select xf_dues_bill_partition('2025-10-01')`);
    await db.execute(sql`insert into dues_bill (tenant_id, org_id, member_id, month, category, base_fen, rate_bp, standard_fen, due_fen, status, paid_at)
      select m.tenant_id, m.org_id, m.id, '2025-10-01', 'salary', 500000, 50, 2500, 2500,
        case when m.idx % 10 = 0 then 'unpaid' else 'paid' end, case when m.idx % 10 = 0 then null else timestamptz '2025-10-15 10:00+08' end
      from (select id, tenant_id, org_id, row_number() over (order by id) as idx from member) m`);
    await db.execute(sql`analyze`);
  });
}
const counts = (
  await queryRows<{ m: number; o: number; b: number }>(
    db,
    sql`select (select count(*)::int from member) as m, (select count(*)::int from org) as o, (select count(*)::int from dues_bill) as b`,
  )
)[0]!;
console.log(`members ${counts.m}, orgs ${counts.o}, bills ${counts.b}`);

// The plan as computeAll reads it: one automatic indicator per source, equal weights.
const items = AUTO_SOURCE_KEYS.map((source, i) => ({
  key: `k${i}`,
  indicatorId: `i${i}`,
  name: source,
  category: 'party',
  method: 'auto',
  source,
  maxScore: 100,
  weight: 100 / AUTO_SOURCE_KEYS.length,
  unit: null,
  target: null,
  higherBetter: true,
}));
const plan = { orgId: BENCH_ROOT, year: YEAR, quarter: QUARTER, items } as unknown as Parameters<typeof computeAll>[2];
const branches = await queryRows<{ id: string; parent_id: string }>(
  db,
  sql`select id, parent_id from org where tenant_id = ${BENCH_TENANT} and kind = 'branch' order by path`,
);
const units = [] as Parameters<typeof computeAll>[3];
for (const b of branches)
  units.push({
    id: b.id,
    parentId: b.parent_id,
    review: {},
    self: {},
    kpi: {},
    ref: (await loadOrgRef(db, BENCH_TENANT, b.id))!,
  } as unknown as (typeof units)[number]);

const first = await timed(`computeAll, one committee (10 branches × ${items.length} sources)`, () =>
  computeAll(db, BENCH_TENANT, plan, units.slice(0, 10), TODAY),
);
console.log(
  `  first branch: ${Object.values(first[0]!.auto)
    .map((f) => f.ratio)
    .join(' / ')}`,
);
const all = await timed(`computeAll, every branch (${units.length} × ${items.length} sources)`, () =>
  computeAll(db, BENCH_TENANT, plan, units, TODAY),
);
console.log(`  ${all.length} branches scored`);
await database.close();
