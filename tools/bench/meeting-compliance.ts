/**
 * Benchmark: the 三会一课 compliance check and the subtree roll-up for a large tenant.
 *
 *   npx tsx tools/bench/meeting-compliance.ts [orgs=50000] [membersPerBranch=8]
 *   DATABASE_URL=postgres://… npx tsx tools/bench/meeting-compliance.ts   (a scratch database!)
 *
 * Builds, in SQL, a tenant of committees → branches → party groups with members and a year of
 * counters (meeting_tally: a row per org, kind and year, a column per month, as the meeting
 * service keeps them), then times the checks the
 * web app calls: one branch, one subsidiary committee, the whole tenant, and a roll-up page.
 */
import { sql } from 'drizzle-orm';
import { compliance, complianceRollup } from '../../apps/server/src/modules/meeting/compliance';
import { loadOrgRef } from '../../apps/server/src/platform/access';
import { openDatabase, queryRows } from '../../apps/server/src/platform/db';

const ORGS = Number(process.argv[2] ?? 50_000);
const PER_BRANCH = Number(process.argv[3] ?? 8);
const YEAR = 2025;

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: null });
const db = database.db;
const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms`);
  return out;
};

// Shape: root → C committees → 10 branches each → 2 party groups per branch (1 + C·31 orgs).
const committees = Math.max(1, Math.round((ORGS - 1) / 31));
// A database that already holds the bench tenant (DATABASE_URL run before) is measured as it is.
const built =
  (
    await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from tenant where id = '00000000-0000-4000-8000-000000000001'`,
    )
  )[0]!.n > 0;
if (!built) await build();
async function build() {
  await time(`build ${1 + committees * 31} orgs`, async () => {
    await db.execute(sql`insert into tenant (id, name) values ('00000000-0000-4000-8000-000000000001', 'bench')`);
    await db.execute(sql`
    insert into org (id, no, tenant_id, parent_id, name, kind, path, depth)
    values ('00000000-0000-4000-8000-000000000002', 1, '00000000-0000-4000-8000-000000000001', null, '集团党委', 'committee', '/1/', 1)`);
    await db.execute(sql`
    insert into org (no, tenant_id, parent_id, name, kind, path, depth)
    select 1 + c, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '公司党委' || c, 'committee', '/1/' || (1 + c) || '/', 2
    from generate_series(1, ${committees}) c`);
    await db.execute(sql`
    insert into org (no, tenant_id, parent_id, name, kind, path, depth)
    select 1000000 + p.no * 10 + b, p.tenant_id, p.id, p.name || '第' || b || '党支部', 'branch', p.path || (1000000 + p.no * 10 + b) || '/', 3
    from org p, generate_series(1, 10) b where p.depth = 2`);
    await db.execute(sql`
    insert into org (no, tenant_id, parent_id, name, kind, path, depth)
    select 100000000 + p.no * 3 + g, p.tenant_id, p.id, p.name || '第' || g || '党小组', 'group', p.path || (100000000 + p.no * 3 + g) || '/', 4
    from org p, generate_series(1, 2) g where p.depth = 3`);
  });

  await time(`members (${PER_BRANCH} per branch)`, async () => {
    await db.execute(sql`
    insert into member (tenant_id, org_id, name, name_initials, gender, birth_date, id_card_enc, id_card_idx, phone_enc, phone_idx, joined_at, status)
    select o.tenant_id, o.id, '党员', 'dy', 'male', '1980-01-01', 'x', md5(o.id::text || i), 'x', md5(o.id::text || i || 'p'), '2005-01-01', 'full'
    from org o, generate_series(1, ${PER_BRANCH}) i where o.kind = 'branch'`);
  });

  // Most branches keep the cadence; every seventh skips a third of its months.
  await time('a year of counters (row per org, kind, year)', async () => {
    const cols = sql.raw(Array.from({ length: 12 }, (_, i) => `m${i + 1}`).join(', '));
    const months = (f: (m: number) => string) => sql.raw(Array.from({ length: 12 }, (_, i) => f(i + 1)).join(', '));
    const skipEveryThird = months((m) => (m % 3 === 0 ? 'case when o.no % 7 = 0 then 0 else 1 end' : '1'));
    await db.execute(sql`
    insert into meeting_tally (tenant_id, org_id, kind, year, ${cols})
    select o.tenant_id, o.id, k.kind, ${YEAR}::int, ${skipEveryThird}
    from org o join (values ('committee'), ('theme_day')) k(kind) on true where o.kind = 'branch'
    union all
    select o.tenant_id, o.id, 'party_congress', ${YEAR}::int, ${months((m) => (m % 3 === 2 ? '1' : '0'))} from org o where o.kind = 'branch'
    union all
    select o.tenant_id, o.id, k.kind, ${YEAR}::int, ${months((m) => (m === 12 ? '1' : '0'))}
    from org o join (values ('org_life'), ('democratic_review'), ('lecture_secretary'), ('lecture')) k(kind) on true where o.kind = 'branch' and o.no % 11 <> 0
    union all
    select o.tenant_id, o.id, 'group', ${YEAR}::int, ${months(() => '1')} from org o where o.kind = 'group'
    union all
    select o.tenant_id, o.id, 'talk', ${YEAR}::int, ${months((m) => (m === 3 ? String(PER_BRANCH) : '0'))} from org o where o.kind = 'branch'`);
    await db.execute(sql`analyze`);
  });
}

const [{ n: tallies } = { n: 0 }] = await queryRows<{ n: number }>(
  db,
  sql`select count(*)::int as n from meeting_tally`,
);
console.log(`counters: ${tallies} rows`);

const tenantId = '00000000-0000-4000-8000-000000000001';
const root = (await loadOrgRef(db, tenantId, '00000000-0000-4000-8000-000000000002'))!;
const [c] = await queryRows<{ id: string }>(db, sql`select id from org where depth = 2 limit 1`);
const [b] = await queryRows<{ id: string }>(db, sql`select id from org where kind = 'branch' and no % 7 = 0 limit 1`);
const committee = (await loadOrgRef(db, tenantId, c!.id))!;
const branch = (await loadOrgRef(db, tenantId, b!.id))!;
const view = { year: YEAR };
const asOf = `${YEAR + 1}-01-15`;

if (process.env.EXPLAIN) {
  const { explainCompliance } = await import('../../apps/server/src/modules/meeting/compliance');
  const rows = await queryRows<Record<string, string>>(
    db,
    explainCompliance(tenantId, process.env.EXPLAIN === 'branch' ? branch : root, view, asOf),
  );
  console.log(rows.map((r) => Object.values(r)[0]).join('\n'));
}
for (let run = 1; run <= 2; run++) {
  console.log(`-- run ${run}`);
  const one = await time('one branch (contract route)', () => compliance(db, tenantId, branch, view, false, asOf));
  await time('one committee (31 orgs)', () => compliance(db, tenantId, committee, view, false, asOf));
  const all = await time(`whole tenant (${1 + committees * 31} orgs)`, () =>
    compliance(db, tenantId, root, view, false, asOf),
  );
  const page = await time('roll-up, first page of branches behind', () =>
    complianceRollup(db, tenantId, root, view, { includeLocal: false, behindOnly: true, page: 1, pageSize: 20 }, asOf),
  );
  if (run === 2) {
    console.log('branch:', one.items.map((i) => `${i.rule} ${i.actual}/${i.required}`).join(', '));
    console.log('tenant:', all.items.map((i) => `${i.rule} behind ${i.behind}/${i.orgs}`).join(', '));
    console.log(
      `roll-up: ${page.total} branches behind; first: ${page.items[0]?.orgName} (${page.items[0]?.behind} rules)`,
    );
  }
}
await database.close();
