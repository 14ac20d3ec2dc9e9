/**
 * Every business query is tenant-scoped (issue 26, docs/scale-out.md): the app runs on a PostgreSQL of this test's
 * own that logs every statement (testing/pgServer.ts), seeded with the demo enterprise; every GET route of the route
 * table is called (as admin on another org's records, the member's own pages as the member — the walk the
 * authorization matrix does, so a new module is covered without an edit here), then every other route once with an
 * empty body. Each distinct statement the app sent is then planned by PostgreSQL itself — PREPARE and
 * `EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE` with a generic plan — and the rule below is checked on the plan.
 *
 * The rule: every scan of a table that has a `tenant_id` column (the set comes from information_schema) carries a
 * condition `<that scan>.tenant_id = …` (or `= ANY (…)`) of its own — in its index condition, recheck condition or
 * filter. A join counts only when it is on tenant_id: PostgreSQL's equivalence classes then carry the constant
 * (`a.tenant_id = $1 and b.tenant_id = a.tenant_id`) to both scans, which is also exactly what Citus needs to route
 * the statement to one shard. An INSERT names its row's tenant (tenant_id is NOT NULL, checked); its SELECT part,
 * and the rows an UPDATE or DELETE reads, are scans like any other. A table without tenant_id must be one of the
 * reference / coordinator-local tables declared in docs/scale-out.md. The few statements that legitimately read all
 * tenants (the job runner, the scheduler, …) are listed in ALLOWED with the reason.
 *
 * Runs in the PostgreSQL pass of `npm test` (XF_TEST_PG_URL set) where the binaries are; skipped with a message
 * otherwise. By hand: `XF_TEST_PG_URL=… node --import tsx --test apps/server/src/platform/tenant-sql.test.ts`
 * (the URL only switches it on; the test starts its own server).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROLES, addDays, addYears, idCardCheckChar, nowMs, todayInChina, type Role } from '@xianfeng/shared';
import pg from 'pg';
import { adminToken, startTestApp, type TestApp } from '../testing/harness';
import { ACCOUNTS, foreignRecords, getWalk } from '../testing/foreignRecords';
import { freePort } from '../testing/pgbouncer';
import { postgresBin, startLoggedPostgres, type LoggedPostgres } from '../testing/pgServer';

const skip =
  (!process.env.XF_TEST_PG_URL && 'runs in the PostgreSQL pass of npm test (set XF_TEST_PG_URL)') ||
  (!postgresBin() && 'no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)');

/**
 * Statements that read or write across tenants on purpose, by a pattern of their text, with why. Each is a query
 * that Citus will not route to one shard: docs/scale-out.md says what each needs there.
 */
const ALLOWED: { table: string; pattern: RegExp; why: string }[] = [
  {
    table: 'app_user',
    pattern: /from "session" inner join "app_user"/,
    why: 'a request’s session, found by its token hash: which tenant it belongs to is what this finds out',
  },
  {
    table: 'app_user',
    pattern: /lower\("app_user"\."username"\) = lower\(\$1\)|from app_user where username like/,
    why: 'user names are unique across the installation (sign-in names no tenant): new accounts check them all',
  },
  {
    table: 'sso_app',
    pattern: /^select distinct "provider" from "sso_app"/,
    why: 'the sign-in page, before anyone is known: which single sign-on buttons to show',
  },
  {
    table: 'tenant',
    pattern: /from "tenant" order by "tenant"\."created_at"/,
    why: 'the public pages (no sign-in) show the installation’s first tenant',
  },
  {
    table: 'member',
    pattern: /jsonb_to_recordset/,
    why: 'the outbox consumer’s batch spans tenants: each row carries its tenant, joined on m.tenant_id = e.tenant_id',
  },
];

type PlanNode = Record<string, unknown> & { 'Node Type': string; Plans?: PlanNode[] };

const texts = (n: PlanNode, keys: string[]) => keys.flatMap((k) => (typeof n[k] === 'string' ? [n[k] as string] : []));

/** The conditions of a scan node and of the index scans under it (a bitmap heap scan's Bitmap Index Scans). */
function conditions(node: PlanNode): string[] {
  const own = texts(node, ['Index Cond', 'Recheck Cond', 'Filter', 'TID Cond']);
  const bitmap = (n: PlanNode): string[] =>
    /^Bitmap/.test(n['Node Type']) ? [...texts(n, ['Index Cond']), ...(n.Plans ?? []).flatMap(bitmap)] : [];
  return node['Node Type'] === 'Bitmap Heap Scan' ? [...own, ...(node.Plans ?? []).flatMap(bitmap)] : own;
}

/** A scan of a table in a plan and its own conditions. */
type Scan = { type: string; table: string; alias: string; own: string[] };

/** The plan's scans, its relation names (aliases), and every condition in it (joins, filters, index conditions). */
function scansOf(plan: PlanNode): { scans: Scan[]; aliases: Set<string>; all: string[] } {
  const scans: Scan[] = [];
  const aliases = new Set<string>();
  const all: string[] = [];
  const walk = (n: PlanNode) => {
    if (typeof n.Alias === 'string') aliases.add(n.Alias);
    all.push(...texts(n, ['Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'Index Cond', 'Recheck Cond']));
    if (typeof n['Relation Name'] === 'string')
      scans.push({ type: n['Node Type'], table: n['Relation Name'], alias: n.Alias as string, own: conditions(n) });
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan);
  return { scans, aliases, all };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a scan named `alias` constrains its distribution column (`tenant_id`; `id` for tenant) by equality. */
export function scopedScan(alias: string, column: string, conds: string[]): boolean {
  const col = `(?:\\b${escape(alias)}|"${escape(alias)}")\\.(?:${column}|"${column}")\\b`;
  const eq = new RegExp(`${col}\\s*=|=\\s*(?:ANY\\s*\\()?${col}`);
  return conds.some((c) => eq.test(c));
}

/** Whether a condition equates a column of `alias` with a column of another relation of the plan (a key join). */
export function keyedScan(alias: string, aliases: Set<string>, conds: string[]): boolean {
  return conds.some((c) => {
    if (!c.includes('=')) return false;
    const refs = [...c.matchAll(/(?:"([^"]+)"|\b([A-Za-z_]\w*))\.(?:"[^"]+"|[A-Za-z_]\w*)/g)].map((m) => m[1] ?? m[2]);
    return refs.includes(alias) && refs.some((r) => r !== alias && aliases.has(r!));
  });
}

/** The verdicts on one statement's plan. */
type Verdict = { unscoped: Scan[]; joinedById: Scan[]; withoutTenant: string[] };

/**
 * The rule on one plan. A scan of a tenant table is fine when it is scoped (its own `tenant_id = …`), or when it is
 * reached by a key join from a relation of a statement that has a scoped scan (`join org o on o.id = b.org_id` with
 * `b.tenant_id = $1`): the same tenant's row, reported as `joinedById` (a Citus work item: the join needs
 * `o.tenant_id = b.tenant_id` to route to one shard). Anything else is `unscoped`.
 */
export function judgePlan(plan: PlanNode, tenantTables: Set<string>): Verdict {
  const { scans, aliases, all } = scansOf(plan);
  const isTenant = (t: string) => tenantTables.has(t) || t === 'tenant';
  const scoped = (x: Scan) => scopedScan(x.alias, x.table === 'tenant' ? 'id' : 'tenant_id', x.own);
  // An INSERT's row names its tenant (tenant_id is NOT NULL); an UPDATE's or DELETE's rows are read by a scan below.
  const reads = scans.filter((x) => isTenant(x.table) && x.type !== 'ModifyTable');
  const anchored = reads.some(scoped);
  const v: Verdict = { unscoped: [], joinedById: [], withoutTenant: [] };
  for (const x of scans) if (!isTenant(x.table)) v.withoutTenant.push(x.table);
  for (const x of reads) {
    if (scoped(x)) continue;
    // The planner folds `b.member_id = $4 and m.id = b.member_id` into `m.id = $4`: a key shared with another scan.
    const params = (cs: string[]) => new Set(cs.flatMap((c) => [...c.matchAll(/=\s*(\$\d+)\b/g)].map((m) => m[1])));
    const mine = params(x.own);
    const shared = scans.some((y) => y !== x && [...params(y.own)].some((p) => mine.has(p)));
    if (anchored && (keyedScan(x.alias, aliases, all) || shared)) v.joinedById.push(x);
    else v.unscoped.push(x);
  }
  return v;
}

/** The tables docs/scale-out.md declares as without (or with a nullable) tenant_id: its table of them. */
function declaredTables(): Set<string> {
  const doc = fs.readFileSync(path.join(import.meta.dirname, '../../../../docs/scale-out.md'), 'utf8');
  const section = doc.split(/^### Tables without `tenant_id`/m)[1]?.split(/^#/m)[0] ?? '';
  return new Set([...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!));
}

const one = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A statement's key in the test's messages: the table, a hash of the statement with its parameter numbers and
 * `in (…)` lists folded. The unscoped statements and the key-join scans had ratchet lists keyed so
 * (tenant-sql.known.txt from 2026-12-03, 187 look-ups by id; tenant-sql.keyjoin.txt, 360 scans) until both reached 0
 * on 2026-12-04: now each fails the test, unless it is in ALLOWED.
 */
const statementKey = (table: string, text: string) => {
  const folded = one(text)
    .replace(/\(\$\d+(?:::\w+)?(?:, \$\d+(?:::\w+)?)*\)/g, '($…)')
    .replace(/\$\d+/g, '$');
  return `${table} ${crypto.createHash('sha256').update(folded).digest('hex').slice(0, 12)}`;
};

/** Valid bodies for the main create routes, on the foreign org (testing/foreignRecords.ts). */
function creates(orgId: string): { url: string; body: Record<string, unknown> }[] {
  const today = todayInChina();
  const first17 = `110105${addYears(today, -30).replace(/-/g, '')}123`;
  const startsAt = new Date(nowMs() + 86_400_000);
  return [
    {
      url: '/api/v1/meetings',
      body: {
        orgId,
        kind: 'theme_day',
        title: '租户范围测试的主题党日',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        location: '党员活动室',
      },
    },
    {
      url: '/api/v1/develop/persons',
      body: {
        orgId,
        name: '范围测试申请人',
        idCardNo: first17 + idCardCheckChar(first17),
        phone: '13900001111',
        appliedAt: addDays(today, -30),
      },
    },
  ];
}

describe(
  'every business query is tenant-scoped (the SQL the app sends, planned by PostgreSQL)',
  { skip, timeout: 300_000 },
  () => {
    let server: LoggedPostgres;
    let t: TestApp;
    let check: pg.Client;
    /** Route marks in the statement log, from the check's own connection: `select 'xf-route: GET /api/…'`. */
    const mark = (label: string) => check.query(`select 'xf-route: ${label.replace(/'/g, "''")}'`);
    let from = 0;
    let walked = 0;

    before(async () => {
      server = (await startLoggedPostgres(await freePort()))!;
      t = await startTestApp({ postgres: { url: server.url } });
      check = new pg.Client({ connectionString: server.url, application_name: 'tenant-sql-check' });
      await check.connect();
      const tokens = {} as Record<Role, string>;
      for (const role of ROLES) tokens[role] = role === 'admin' ? await adminToken(t) : await t.login(ACCOUNTS[role]);
      const foreign = await foreignRecords(t, tokens.admin);
      const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/'));
      // From here on, every statement is the app's (or the check's marks).
      from = server.statements().length;
      for (const { key, url, roles } of getWalk(routes, foreign))
        for (const role of roles) {
          await mark(`${key} as ${role}`);
          await t.request({ method: 'GET', url, token: tokens[role] });
          walked++;
        }
      // The writes, once each with an empty body as admin on the foreign records: what runs before validation
      // refuses (scope look-ups by id), and the whole write where the body may be empty (cancel, publish, …).
      for (const r of routes) {
        if (r.method === 'GET' || r.method === 'HEAD' || r.url.includes('/auth/')) continue;
        const id = foreign[r.url.split('/')[3]!];
        if (r.url.includes(':') && !id) continue;
        await mark(`${r.method} ${r.url} as admin`);
        await t.request({
          method: r.method as 'POST',
          url: r.url.replace(/:[A-Za-z]+/g, id ?? ''),
          token: tokens.admin,
          body: {},
        });
        walked++;
      }
      // Whole creates, from a small table of valid bodies (the empty-bodied writes above stop at validation): the
      // statements of a successful create are planned too. Each must succeed, so a body that no longer fits fails here.
      for (const c of creates(foreign.orgs!)) {
        await mark(`POST ${c.url} as admin (a valid body)`);
        const res = await t.request({ method: 'POST', url: c.url, token: tokens.admin, body: c.body });
        assert.equal(res.status, 201, `POST ${c.url}: ${res.raw}`);
        walked++;
      }
      await mark('end');
    });
    after(async () => {
      await check?.end();
      await t?.close();
      server?.stop();
    });

    it('scopes every scan of a tenant table by tenant_id, and meets no undeclared table without it', async () => {
      const columns = (
        await check.query<{ table_name: string; is_nullable: string }>(
          `select table_name, is_nullable from information_schema.columns
         where table_schema = 'public' and column_name = 'tenant_id'`,
        )
      ).rows;
      const tenantTables = new Set(columns.filter((r) => r.is_nullable === 'NO').map((r) => r.table_name));
      const declared = declaredTables();
      // A nullable tenant_id holds global rows too: such a table must be declared, as a table without it is.
      const undeclared = new Set(
        columns.filter((r) => r.is_nullable !== 'NO' && !declared.has(r.table_name)).map((r) => r.table_name),
      );
      const problems = new Map<string, Set<string>>();
      /** The key-join scans of this run (each also a problem). */
      let keyJoins = 0;
      const used = new Set<(typeof ALLOWED)[number]>();
      await check.query('set plan_cache_mode = force_generic_plan');
      let route = '';
      const seen = new Set<string>();
      let planned = 0;
      for (const s of server.statements(from)) {
        if (s.app === 'tenant-sql-check') {
          route = /^select 'xf-route: ([\s\S]*)'$/.exec(s.text)?.[1]?.replace(/''/g, "'") ?? route;
          continue;
        }
        const text = s.text.trim();
        if (seen.has(text) || !/^(select|insert|update|delete|with)\b/i.test(text)) continue;
        seen.add(text);
        const problem = (what: string) => {
          const k = `${one(text).slice(0, 300)}\n      (first seen during ${route})`;
          problems.set(k, (problems.get(k) ?? new Set()).add(what));
        };
        let plan: PlanNode;
        try {
          // A generic plan: the parameters stay $n, so any values will do (null fits every type).
          await check.query(`prepare xf_probe as ${text}`);
          const { rows } = await check.query<{ n: number }>(
            `select cardinality(parameter_types) as n from pg_prepared_statements where name = 'xf_probe'`,
          );
          const args = rows[0]!.n ? `(${Array.from({ length: rows[0]!.n }, () => 'null').join(', ')})` : '';
          const res = await check.query(`explain (verbose, format json) execute xf_probe${args}`);
          plan = (res.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
          planned++;
        } catch (e) {
          problem(`could not be planned here: ${(e as Error).message}`);
          continue;
        } finally {
          await check.query('deallocate all');
        }
        const v = judgePlan(plan, tenantTables);
        for (const table of v.withoutTenant) if (!declared.has(table)) undeclared.add(table);
        for (const x of v.joinedById) {
          keyJoins++;
          problem(
            `${x.type} on ${x.table} ${x.alias} reached by a key join that does not match tenant_id (Citus: add ${x.alias}.tenant_id = <the other side>.tenant_id to the join) [${statementKey(x.table, text)}]`,
          );
        }
        for (const x of v.unscoped) {
          const allowed = ALLOWED.find((a) => a.table === x.table && a.pattern.test(text));
          const key = statementKey(x.table, text);
          if (allowed) used.add(allowed);
          else problem(`${x.type} on ${x.table} ${x.alias} without a tenant_id condition [${key}]`);
        }
      }
      const report = [...problems].map(([k, v]) => `  ${k}\n    → ${[...v].join('; ')}`);
      console.log(
        `walked ${walked} requests; ${seen.size} distinct statements, ${planned} planned; ${problems.size} with problems ` +
          `(${keyJoins} scans reached by a key join only)`,
      );
      if (process.env.XF_TENANT_SQL_DUMP) fs.writeFileSync(process.env.XF_TENANT_SQL_DUMP, `${report.join('\n')}\n`);
      assert.ok(walked >= 300, `walked only ${walked} requests`);
      assert.ok(planned >= 300, `planned only ${planned} statements`);
      assert.deepEqual(
        [...undeclared].sort(),
        [],
        'tables without (or with a nullable) tenant_id that docs/scale-out.md does not declare (### Tables without `tenant_id`)',
      );
      assert.equal(report.length, 0, `statements not scoped by tenant_id:\n${report.join('\n')}`);
      // An allowance nothing matched is stale: remove it.
      assert.deepEqual(
        ALLOWED.filter((a) => !used.has(a)).map((a) => `${a.table} ${a.pattern}`),
        [],
      );
    });
  },
);
