/**
 * Benchmark (issue #23): 决策参考 — `GET /api/v1/stats/attention?orgId=<top>` over a generated tenant, through the
 * real app (Fastify inject: routing, auth, scope, validation, serialization), as the 组织部 at the group root asks it.
 *
 *   npm run bench -- --attention [--members 20000] [--orgs N] [--runs 5] [--pglite-only | --postgres-only]
 *
 * Default: the quick bench's tenant (20,000 members, 1,000 orgs; tools/gen with 4 months of dues bills and a month of
 * attendance), on PGlite, then on PostgreSQL when one is available (DATABASE_URL, or a throwaway server). A larger
 * tenant behind the flags (`--members 200000 --orgs 10000`); never 1M on a shared box. The generator makes no terms,
 * 失联, 整改 or required learning, so before timing this adds, once (in SQL): a term for every committee and branch
 * (one in nine due within 90 days, one in 23 overdue), 0.1 % of members registered 失联, an overdue 整改 item in one
 * branch in 13, and a required item at the root whose deadline passed last week, completed by two in three members.
 * Then it times `--runs` requests (the first is reported on its own: cold buffers) and prints p50 / p95.
 * The first request computes the list (cold); the next `--runs` are served from the result cache; then, per kind of
 * change (CHANGES), `--runs` reads each right after a write there, which recompute the figures under its topic.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addDays, todayInChina, type AttentionList } from '@xianfeng/shared';
import pino from 'pino';
import { buildApp } from '../../apps/server/src/app';
import { useAuditKeys } from '../../apps/server/src/platform/audit';
import { feedOf } from '../../apps/server/src/platform/cache';
import { installationFieldCrypto, loadMasterKey } from '../../apps/server/src/platform/crypto';
import { openDatabase } from '../../apps/server/src/platform/db';
import { JobRunner } from '../../apps/server/src/platform/jobs';
import { generate } from '../gen/generate';
import { benchServices } from './run';
import type { readArgs } from '../lib/args';
import { rawConn, type Conn } from '../lib/conn';
import { startPostgres } from '../lib/postgres.mjs';
import { progressBar } from '../lib/progress';
import { touchTables } from '../../apps/server/src/testing/feed';

const PASSWORD = 'Xianfeng@2026';

export type AttentionBenchResult = {
  kind: 'pglite' | 'postgres';
  members: number;
  orgs: number;
  listed: number;
  counts: Record<string, number>;
  firstMs: number;
  p50: number;
  p95: number;
  runs: number;
  /** Reads right after a write in one module's table (exact: recomputed, not served stale). */
  afterChange: { what: string; p50: number; p95: number }[];
};

/** One table per kind of change: 整改 touches one figure; a member table touches most of them. */
const CHANGES = [
  ['整改 (supervise)', 'supervise_rectification'],
  ['党员 (member)', 'member_lost'],
] as const;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** The rows the generator does not make, once per database (marked by the 整改 title). */
async function addProblems(conn: Conn, today: string) {
  const [done] = await conn.query<{ n: number }>(
    `select count(*)::int as n from supervise_rectification where title = 'BENCH 整改'`,
  );
  if (done && done.n > 0) return;
  const t0 = performance.now();
  const [t] = await conn.query<{ tenant_id: string; root: string }>(
    `select tenant_id, id as root from org where parent_id is null order by no limit 1`,
  );
  const [admin] = await conn.query<{ id: string }>(`select id from app_user where username = 'admin'`);
  // All or nothing (the rectifications mark it done), and beside other benches' rows on a reused tenant
  // (annual-report.ts's 停止党籍: one open 失联/停止党籍 record per member).
  await conn.query('begin');
  // Terms: started 3 years back + an offset, so most end well ahead, one in nine within 90 days, one in 23 before today.
  await conn.query(
    `insert into org_term (tenant_id, org_id, starts_on, term_years, ends_on)
     select tenant_id, id, d, 3, (d + interval '3 years')::date
     from (select tenant_id, id, (case when no % 23 = 0 then $2::date - interval '3 years' - interval '20 days'
                                       when no % 9 = 0 then $2::date - interval '3 years' + interval '40 days'
                                       else $2::date - interval '1 year' end)::date as d
           from org where tenant_id = $1 and kind in ('committee', 'general_branch', 'branch')) s`,
    [t!.tenant_id, today],
  );
  await conn.query(
    `insert into member_lost (tenant_id, member_id, status, last_contact_on, circumstances)
     select tenant_id, id, 'lost', $2::date - 200, 'BENCH' from member
     where tenant_id = $1 and left_at is null and abs(hashtext(id::text || 'lost')) % 1000 = 0
     on conflict do nothing`,
    [t!.tenant_id, today],
  );
  await conn.query(
    `insert into supervise_rectification (tenant_id, org_id, source_kind, title, finding, measures, deadline, verifier_user_id, created_by)
     select tenant_id, id, 'inspection', 'BENCH 整改', '党费收缴情况未公示。', '每月公示。', $2::date - 5, $3, 'bench'
     from org where tenant_id = $1 and kind = 'branch' and no % 13 = 0`,
    [t!.tenant_id, today, admin!.id],
  );
  const [item] = await conn.query<{ id: string }>(
    `insert into learn_item (tenant_id, org_id, kind, title, title_initials, required, due_on, published_at, created_by)
     values ($1, $2, 'article', 'BENCH 必学', 'bxbx', true, $3::date, now(), 'bench') returning id`,
    [t!.tenant_id, t!.root, addDays(today, -7)],
  );
  await conn.query(
    `insert into learn_record (tenant_id, member_id, org_id, item_id, seconds, progress, completed_at, active_month)
     select tenant_id, id, org_id, $2, 600, 100, now(), to_char(now(), 'YYYY-MM') from member
     where tenant_id = $1 and left_at is null and abs(hashtext(id::text || 'learn')) % 3 <> 0`,
    [t!.tenant_id, item!.id],
  );
  await conn.query('commit');
  await conn.query('analyze');
  console.log(`problems added in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export async function runAttentionBench(o: {
  kind: 'pglite' | 'postgres';
  members: number;
  orgs: number;
  runs: number;
  dataDir: string;
  databaseUrl?: string | undefined;
}): Promise<AttentionBenchResult> {
  fs.mkdirSync(o.dataDir, { recursive: true });
  const database = await openDatabase({ databaseUrl: o.databaseUrl, dataDir: o.dataDir });
  const fc = installationFieldCrypto(undefined, o.dataDir);
  useAuditKeys(loadMasterKey(undefined, o.dataDir));
  const conn = await rawConn(database);
  const today = todayInChina();
  const jobs = new JobRunner(database.db, pino({ level: 'silent' }));
  try {
    const [have] = await conn.query<{ n: number }>(`select count(*)::int as n from member`);
    if (!have || have.n === 0) {
      const t0 = performance.now();
      await generate(
        database,
        fc,
        {
          members: o.members,
          orgs: o.orgs,
          seed: 1,
          today,
          adminPassword: PASSWORD,
          attendanceMonths: 1,
          billMonths: 4,
        },
        progressBar(true),
      );
      console.log(
        `generated ${o.members} members / ${o.orgs} orgs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    } else console.log(`reusing ${have.n} members in ${o.databaseUrl ? 'the PostgreSQL database' : o.dataDir}`);
    await addProblems(conn, today);

    const services = benchServices(database, fc, o, jobs);
    const app = await buildApp(services);
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: PASSWORD },
      });
      if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.statusCode} ${login.body}`);
      const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
      const [top] = await conn.query<{ id: string }>(`select id from org where parent_id is null order by no limit 1`);
      const [n] = await conn.query<{ m: number; o: number }>(
        `select (select count(*)::int from member where left_at is null) as m, (select count(*)::int from org) as o`,
      );
      const url = `/api/v1/stats/attention?orgId=${top!.id}&page=1&pageSize=20`;
      const times: number[] = [];
      let last: AttentionList | undefined;
      for (let i = 0; i <= o.runs; i++) {
        const t0 = performance.now();
        const res = await app.inject({ method: 'GET', url, headers });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        last = res.json() as AttentionList;
        times.push(ms);
        console.log(`  ${i === 0 ? 'first' : `run ${i}`}: ${ms.toFixed(0)} ms`);
      }
      const [first, ...rest] = times;
      const sorted = rest.sort((a, b) => a - b);
      // After a change: a no-op statement on one table bumps its topic (statement triggers fire without rows), as a
      // write there would; the next read recomputes the figures under that topic, both days. Exact answers only (a
      // slow entry is otherwise served stale while it recomputes in the background: platform/cache.ts).
      const feed = feedOf(database.db)!;
      feed.staleAfterMs = Infinity;
      const afterChange: AttentionBenchResult['afterChange'] = [];
      for (const [what, table] of CHANGES) {
        const ms: number[] = [];
        for (let i = 0; i < o.runs; i++) {
          await touchTables(database.db, [table]);
          const t0 = performance.now();
          const res = await app.inject({ method: 'GET', url, headers });
          ms.push(performance.now() - t0);
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        }
        ms.sort((a, b) => a - b);
        afterChange.push({ what, p50: Math.round(pct(ms, 0.5)), p95: Math.round(pct(ms, 0.95)) });
        console.log(`  after a change in ${what}: ${ms.map((x) => x.toFixed(0)).join(', ')} ms`);
      }
      const r: AttentionBenchResult = {
        kind: o.kind,
        members: n!.m,
        orgs: n!.o,
        listed: last!.total,
        counts: last!.counts,
        firstMs: Math.round(first!),
        p50: Math.round(pct(sorted, 0.5)),
        p95: Math.round(pct(sorted, 0.95)),
        runs: o.runs,
        afterChange,
      };
      console.log(
        `${o.kind}, ${r.members} members / ${r.orgs} orgs: cold ${r.firstMs} ms, cached p50 ${r.p50} ms, p95 ${r.p95} ms ` +
          `(${r.runs} runs); ${afterChange.map((c) => `after a change in ${c.what} p50 ${c.p50} / p95 ${c.p95} ms`).join('; ')}; ` +
          `${r.listed} orgs listed — ${Object.entries(r.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
      );
      return r;
    } finally {
      await app.close();
    }
  } finally {
    conn.release();
    await jobs.stop();
    await database.close();
  }
}

export async function runAttentionCli(args: ReturnType<typeof readArgs>) {
  const members = args.num('members', 20_000);
  const orgs = args.num('orgs', Math.max(50, Math.round(members / 20)));
  const runs = Math.max(1, args.num('runs', 5));
  const outDir = path.resolve(import.meta.dirname, '../../.tmp/bench');
  fs.mkdirSync(outDir, { recursive: true });
  const results: AttentionBenchResult[] = [];
  if (!args.has('postgres-only')) {
    console.log(`\n== 决策参考, PGlite, ${members} members ==`);
    const dataDir = path.join(outDir, `attention-pglite-${members}-${orgs}`);
    results.push(await runAttentionBench({ kind: 'pglite', members, orgs, runs, dataDir }));
  }
  if (!args.has('pglite-only')) {
    const server = startPostgres({ quiet: true, settings: ['shared_buffers=256MB', 'work_mem=32MB'] });
    if (!server) console.log('\nPostgreSQL not available: PGlite only.');
    else {
      const dataDir = path.join(outDir, `attention-postgres-key-${process.pid}`);
      try {
        console.log(`\n== 决策参考, PostgreSQL, ${members} members ==`);
        results.push(
          await runAttentionBench({ kind: 'postgres', members, orgs, runs, dataDir, databaseUrl: server.url }),
        );
      } finally {
        server.stop();
        if (!process.env.DATABASE_URL) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  fs.writeFileSync(path.join(outDir, `attention-${members}.json`), JSON.stringify(results, null, 2));
  console.log('\n| database | members / orgs | cold | cached p50 / p95 | after a change p50 / p95 | listed |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.kind} | ${r.members} / ${r.orgs} | ${r.firstMs} ms | ${r.p50} / ${r.p95} ms (${r.runs} runs) | ${r.afterChange
        .map((c) => `${c.what}: ${c.p50} / ${c.p95} ms`)
        .join('; ')} | ${r.listed} |`,
    );
}
