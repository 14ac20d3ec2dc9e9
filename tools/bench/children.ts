/**
 * Benchmark: 下级组织对比 on the 驾驶舱 (`GET /stats/children`, stats/children.ts) at the top org of a generated
 * tenant — one page of direct lower orgs, each counted over its own subtree by the dashboard's service functions.
 *
 *   npm run gen -- --members 1000000 --orgs 50000 --bill-months 1 --attendance-months 0   (with DATABASE_URL for PostgreSQL)
 *   DATABASE_URL=postgres://… XF_DATA_DIR=<the generator's data dir> node --import tsx tools/bench/children.ts [iterations=5]
 *
 * Cold: before each run every topic the figures read is changed (a statement that touches no row still fires the
 * change feed's statement triggers) and the page size differs, so neither the page nor any child's part is cached.
 * Warm: the same page again. The target is the dashboard's (top org p95 ≤ 300 ms at 1M on PostgreSQL).
 */
import { sql } from 'drizzle-orm';
import { dashboardChildren } from '../../apps/server/src/modules/stats/children';
import { installationFieldCrypto } from '../../apps/server/src/platform/crypto';
import { openDatabase, queryRows } from '../../apps/server/src/platform/db';
import { touchTables } from '../../apps/server/src/testing/feed';
import { adminScope } from '../lib/scope';

const N = Number(process.argv[2] ?? 5);
const dataDir = process.env.XF_DATA_DIR ?? '.tmp/bench-children';
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
const db = database.db;
const fc = installationFieldCrypto(undefined, dataDir);

const [top] = await queryRows<{ tenant_id: string; id: string; n: number }>(
  db,
  sql`select o.tenant_id, o.id, (select count(*)::int from org c where c.tenant_id = o.tenant_id and c.parent_id = o.id) as n
      from org o where o.parent_id is null order by o.no limit 1`,
);
const scope = await adminScope(db, top!.tenant_id, top!.id);
const [{ n: members }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from member`)) as [
  { n: number },
];

/** Every topic the page reads changes (statement triggers fire on zero rows), then this process sees it. */
const invalidate = () => touchTables(db, ['member', 'develop_person', 'meeting_tally', 'dues_bill', 'org']);

const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < N; i++) {
  await invalidate();
  const paging = { page: 1, pageSize: 10 + i };
  const t0 = performance.now();
  await dashboardChildren(db, fc, scope, paging);
  cold.push(performance.now() - t0);
  const w0 = performance.now();
  await dashboardChildren(db, fc, scope, paging);
  warm.push(performance.now() - w0);
}
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(0)} / median ${s[Math.floor(s.length / 2)]!.toFixed(0)} / max ${s[s.length - 1]!.toFixed(1)} ms`;
};
console.log(
  `database: ${database.kind}, ${members} members; top org has ${top!.n} direct lower orgs; first pages of 10–${10 + N - 1}`,
);
console.log(`stats/children, top org, cold: ${fmt(cold)}`);
console.log(`stats/children, top org, cached: ${fmt(warm)}`);
await database.close();
