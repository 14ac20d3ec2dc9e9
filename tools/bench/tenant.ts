/**
 * The bench tenant the module benchmarks build in SQL: root 集团党委 → committees → 10 党支部 each → 2 党小组 per
 * branch (1 + 31·C orgs for about `orgs`), members filed in the groups. Idempotent: a database that already holds it
 * (a DATABASE_URL run before) is measured as it is.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../apps/server/src/platform/db';

export const BENCH_TENANT = '00000000-0000-4000-8000-000000000001';
export const BENCH_ROOT = '00000000-0000-4000-8000-000000000002';

/** Times `fn` and prints the label and the milliseconds in one aligned line. */
export async function timed<T>(label: string, fn: () => Promise<T>, width = 52): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(width)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms`);
  return out;
}

/** Builds the tenant unless it is there; answers whether it was built now (callers add their own rows then). */
export async function buildBenchTenant(db: Db, opts: { orgs: number; membersPerBranch: number }): Promise<boolean> {
  const there =
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from tenant where id = ${BENCH_TENANT}`))[0]!.n >
    0;
  if (there) return false;
  const committees = Math.max(1, Math.round((opts.orgs - 1) / 31));
  await timed(`build ${1 + committees * 31} orgs`, async () => {
    await db.execute(sql`insert into tenant (id, name) values (${BENCH_TENANT}, 'bench')`);
    await db.execute(sql`insert into org (id, no, tenant_id, parent_id, name, kind, path, depth)
      values (${BENCH_ROOT}, 1, ${BENCH_TENANT}, null, '集团党委', 'committee', '/1/', 1)`);
    await db.execute(sql`insert into org (no, tenant_id, parent_id, name, kind, path, depth)
      select 1 + c, ${BENCH_TENANT}, ${BENCH_ROOT}, '公司党委' || c, 'committee', '/1/' || (1 + c) || '/', 2 from generate_series(1, ${committees}) c`);
    await db.execute(sql`insert into org (no, tenant_id, parent_id, name, kind, path, depth)
      select 1000000 + p.no * 10 + b, p.tenant_id, p.id, p.name || '第' || b || '党支部', 'branch', p.path || (1000000 + p.no * 10 + b) || '/', 3
      from org p, generate_series(1, 10) b where p.depth = 2`);
    await db.execute(sql`insert into org (no, tenant_id, parent_id, name, kind, path, depth)
      select 100000000 + p.no * 3 + g, p.tenant_id, p.id, p.name || '第' || g || '党小组', 'group', p.path || (100000000 + p.no * 3 + g) || '/', 4
      from org p, generate_series(1, 2) g where p.depth = 3`);
  });
  await timed(`members (${opts.membersPerBranch} per branch, in its groups)`, async () => {
    await db.execute(sql`insert into member (tenant_id, org_id, name, name_initials, gender, birth_date, id_card_enc, id_card_idx, phone_enc, phone_idx, joined_at, status)
      select o.tenant_id, o.id, '党员' || i, 'dy', 'male', '1980-01-01', 'x', md5(o.id::text || i), 'x', md5(o.id::text || i || 'p'), '2005-01-01', 'full'
      from org o, generate_series(1, ${Math.ceil(opts.membersPerBranch / 2)}) i where o.kind = 'group'`);
  });
  return true;
}
