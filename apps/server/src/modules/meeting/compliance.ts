/**
 * The compliance check: what the cadence table requires of each branch (and party group) in a
 * subtree, against the counters of held meetings and talks. One set-based query over the
 * subtree's orgs, members and monthly counters — never a scan of the meetings themselves — so
 * it stays fast for a tenant of tens of thousands of orgs.
 */
import {
  CADENCE_RULES,
  FLOW_HOST_RULE,
  ONLINE_CHECKIN_METHODS,
  REMOTE_ATTENDANCE_RULE,
  dueWindow,
  ruleWindow,
  todayInChina,
  type ComplianceItem,
  type ComplianceRollupRow,
  type ComplianceView,
} from '@xianfeng/shared';
import { sql, type SQL } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import { cached } from '../../platform/cache';
import { analytic, queryRows, type Queryable } from '../../platform/db';
import { onRollAs } from '../member/service';

type RuleWindow = ReturnType<typeof ruleWindow>;

function activeRules(view: ComplianceView, includeLocal: boolean, today: string, due = false) {
  return CADENCE_RULES.filter((r) => includeLocal || !r.local).map((r) => ({
    rule: r,
    window: due ? dueWindow(r, view.year, today) : ruleWindow(r, view, today),
  }));
}

type ActiveRule = ReturnType<typeof activeRules>[number];

/** The national rules with only their periods of `year` that have ended by `asOf` (see dueWindow). */
export const dueRules = (year: number, asOf: string): ActiveRule[] =>
  CADENCE_RULES.filter((r) => !r.local).map((r) => ({ rule: r, window: dueWindow(r, year, asOf) }));

/**
 * The monthly national rules for the month of `today` alone (one meeting each): the current
 * month's progress, which is never "behind" before the month is over.
 */
export const monthRules = (today: string): ActiveRule[] => {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return CADENCE_RULES.filter((r) => !r.local && r.grain === 'month').map((r) => ({
    rule: r,
    window: ruleWindow(r, { year, month }, today),
  }));
};

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
/** Month i's count in the window [a, b] of the rule, else 0 (static SQL, no input in it). */
const inWindow = (i: number) => `(case when ${i} between a and b then s${i} else 0 end)`;
/** Periods with at least one held meeting: months, quarters or the year, within the window. */
const PERIODS_SQL = sql.raw(`case grain
  when 'month' then ${MONTHS.map((i) => `(${i} between a and b and s${i} > 0)::int`).join(' + ')}
  when 'quarter' then ${[1, 2, 3, 4].map((q) => `(${3 * q - 2} >= a and ${3 * q} <= b and s${3 * q - 2} + s${3 * q - 1} + s${3 * q} > 0)::int`).join(' + ')}
  else (${MONTHS.map(inWindow).join(' + ')} > 0)::int end`);
const COUNT_SQL = sql.raw(MONTHS.map(inWindow).join(' + '));
const SUMS_SQL = sql.raw(MONTHS.map((i) => `sum(t.m${i})::int as s${i}`).join(', '));

/**
 * The per-subject results (`res`): one row per (org the rule binds, rule) with required and
 * actual. The counters hold one row per org, kind and year with a column per month, so the
 * subtree is read once and every period test is arithmetic on summed columns.
 */
function resultsCte(
  tenantId: string,
  root: OrgRef,
  year: number,
  rules: { rule: (typeof CADENCE_RULES)[number]; window: RuleWindow }[],
): SQL {
  const monthOf = (d: string) => Number(d.slice(5, 7));
  const values = sql.join(
    rules.map(({ rule: r, window: w }) => {
      // The window is within the view's year: from its first month to the month before `to`.
      const a = monthOf(w.from);
      const b = w.to.slice(0, 4) > w.from.slice(0, 4) ? 12 : monthOf(w.to) - 1;
      return sql`(${r.rule}::text, string_to_array(${r.counts.join(',')}, ','), ${r.grain}::text, ${a}::int, ${b}::int, ${w.required}::int, string_to_array(${r.appliesTo.join(',')}, ','), ${r.level}::text, ${Boolean(r.needsCommittee)}::boolean, ${Boolean(r.perMember)}::boolean)`;
    }),
    sql`, `,
  );
  // Rules are unnested into (rule, kind) pairs so every join below is an equality (hashable).
  return sql`
    rules(rule, kinds, grain, a, b, required, applies, lvl, needs_committee, per_member) as (values ${values}),
    rk as materialized (select r.rule, k.kind, r.grain, r.a, r.b, r.lvl from rules r cross join lateral unnest(r.kinds) as k(kind)),
    ra as materialized (select r.rule, a.kind, r.required, r.needs_committee, r.per_member from rules r cross join lateral unnest(r.applies) as a(kind)),
    o as (
      select id, kind, parent_id from org
      where tenant_id = ${tenantId} and path like ${`${root.path}%`} and dissolved_at is null
    ),
    ou as (select id, kind, case when kind = 'group' then parent_id else id end as unit_id from o),
    mc as (
      select ou.unit_id, count(*)::int as members, (count(*) filter (where m.status = 'full'))::int as full_members
      from member m join ou on ou.id = m.org_id
      where m.tenant_id = ${tenantId} and ${onRollAs('m')}
      group by ou.unit_id
    ),
    subj as (
      select o.id as subject, case when o.kind = 'group' then o.parent_id else o.id end as unit_id,
             ra.rule, ra.required, ra.per_member
      from o join ra on ra.kind = o.kind
      left join mc on mc.unit_id = o.id
      where not ra.needs_committee or o.kind = 'general_branch' or coalesce(mc.full_members, 0) >= 7
    ),
    tp as (
      select case when rk.lvl = 'group' then ou.id else ou.unit_id end as subject, rk.rule, ${SUMS_SQL}
      from ou
      join meeting_tally t on t.org_id = ou.id
      join rk on rk.kind = t.kind
      where t.tenant_id = ${tenantId} and t.year = ${year}
      group by 1, 2
    ),
    cov as (select tp.subject, tp.rule, ${PERIODS_SQL} as periods, ${COUNT_SQL} as n from tp join rules using (rule)),
    res as (
      select s.unit_id, s.subject, s.rule,
             case when s.per_member then (case when s.required > 0 then coalesce(mc.members, 0) else 0 end) else s.required end as required,
             case when s.per_member then coalesce(c.n, 0) else coalesce(c.periods, 0) end as actual
      from subj s
      left join mc on s.per_member and mc.unit_id = s.subject
      left join cov c on c.subject = s.subject and c.rule = s.rule
    )`;
}

/** Per branch (unit): how many of its rules are behind, and each rule's standing (after resultsCte). */
const UNITS_CTE = sql`
    pu as (
      select unit_id, rule, sum(required)::int as required, sum(actual)::int as actual, bool_and(actual >= required) as ok
      from res group by unit_id, rule
    ),
    units as (
      select unit_id, (count(*) filter (where not ok))::int as behind,
             json_agg(json_build_object('rule', rule, 'required', required, 'actual', actual, 'ok', ok)) as items
      from pu group by unit_id
    )`;

/**
 * The rules that bind the org's subtree, each with required and actual summed over the orgs
 * it binds; `ok` only when no org is behind (a committee's view is fine only if every branch is).
 */
const COMPLIANCE_TOPICS = ['meeting', 'org'] as const;

/**
 * Both readings of the counters are served from the versioned result cache (topics `meeting` —
 * meeting_tally — and `org`): at the top of a 50,000-org tenant they aggregate every branch.
 */
/** The standing per rule; `due`: only the year's periods that have ended by `today` (dueWindow). */
export async function compliance(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  view: ComplianceView,
  includeLocal: boolean,
  today = todayInChina(),
  due = false,
) {
  const key = `meeting.compliance:${tenantId}:${root.id}:${today}:${includeLocal}:${due}:${JSON.stringify(view)}`;
  return (
    await cached(db, key, COMPLIANCE_TOPICS, () =>
      computeCompliance(db, tenantId, root, view, includeLocal, today, due),
    )
  ).value;
}

async function computeCompliance(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  view: ComplianceView,
  includeLocal: boolean,
  today: string,
  due: boolean,
) {
  const rules = activeRules(view, includeLocal, today, due);
  const rows = await analytic(db, (q) =>
    queryRows<{ rule: string; required: number; actual: number; orgs: number; behind: number }>(
      q,
      sql`with ${resultsCte(tenantId, root, view.year, rules)}
        select rule, sum(required)::int as required, sum(actual)::int as actual, count(*)::int as orgs,
               (count(*) filter (where actual < required))::int as behind
        from res group by rule`,
    ),
  );
  const byRule = new Map(rows.map((r) => [r.rule, r]));
  const items: ComplianceItem[] = [];
  for (const { rule: r, window: w } of rules) {
    const row = byRule.get(r.rule);
    if (!row) continue; // binds no org here (e.g. 支委会 for a branch without a committee)
    items.push({
      rule: r.rule,
      label: r.label,
      required: row.required,
      actual: row.actual,
      ok: row.behind === 0,
      citation: r.citation,
      local: r.local,
      behind: row.behind,
      orgs: row.orgs,
      from: w.from,
      to: w.to,
    });
  }
  return { items, asOf: today };
}

/** Branches (and general branches) of the subtree with their standing per rule, the ones behind first. */
export async function complianceRollup(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  view: ComplianceView,
  opts: { includeLocal: boolean; behindOnly: boolean; page: number; pageSize: number },
  today = todayInChina(),
) {
  const key = `meeting.rollup:${tenantId}:${root.id}:${today}:${JSON.stringify(view)}:${JSON.stringify(opts)}`;
  return (await cached(db, key, COMPLIANCE_TOPICS, () => computeRollup(db, tenantId, root, view, opts, today))).value;
}

async function computeRollup(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  view: ComplianceView,
  opts: { includeLocal: boolean; behindOnly: boolean; page: number; pageSize: number },
  today: string,
) {
  const rules = activeRules(view, opts.includeLocal, today);
  const rows = await analytic(db, (q) =>
    queryRows<{
      org_id: string;
      org_name: string;
      org_kind: string;
      path: string;
      behind: number;
      items: ComplianceRollupRow['items'];
      total: number;
    }>(
      q,
      sql`with ${resultsCte(tenantId, root, view.year, rules)}, ${UNITS_CTE}
        select u.unit_id as org_id, org.name as org_name, org.kind as org_kind, org.path, u.behind, u.items, count(*) over ()::int as total
        from units u join org on org.tenant_id = ${tenantId} and org.id = u.unit_id
        where ${opts.behindOnly} = false or u.behind > 0
        order by u.behind desc, org.path
        limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`,
    ),
  );
  const order = new Map(CADENCE_RULES.map((r, i) => [r.rule, i]));
  const items: ComplianceRollupRow[] = rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    orgKind: r.org_kind,
    path: r.path,
    behind: r.behind,
    items: (typeof r.items === 'string' ? (JSON.parse(r.items) as ComplianceRollupRow['items']) : r.items).sort(
      (a, b) => order.get(a.rule)! - order.get(b.rule)!,
    ),
  }));
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && opts.page > 1) {
    const [c] = await queryRows<{ n: number }>(
      db,
      sql`with ${resultsCte(tenantId, root, view.year, rules)}, pu as (select unit_id, bool_and(actual >= required) as ok from res group by unit_id, rule)
          select count(distinct unit_id)::int as n from pu where ${opts.behindOnly} = false or not ok`,
    );
    total = c?.n ?? 0;
  }
  return {
    items,
    total,
    asOf: today,
    rules: rules.map(({ rule: r, window: w }) => ({
      rule: r.rule,
      label: r.label,
      citation: r.citation,
      local: r.local,
      from: w.from,
      to: w.to,
    })),
  };
}

/**
 * The standing per rule of every branch (unit) of the subtree in one pass — what `compliance(root = that branch)`
 * answers branch by branch (the same sums over the branch and its 党小组), for callers that need all of them at once
 * (the assessment of every 党支部). National rules only; not cached (the caller freezes what it reads).
 */
export async function complianceByUnit(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  view: ComplianceView,
  today = todayInChina(),
) {
  const rules = activeRules(view, false, today);
  const rows = await analytic(db, (q) =>
    queryRows<{ unit_id: string; items: ComplianceRollupRow['items'] | string }>(
      q,
      sql`with ${resultsCte(tenantId, root, view.year, rules)}, ${UNITS_CTE} select unit_id, items from units`,
    ),
  );
  const order = new Map(rules.map(({ rule: r }, i) => [r.rule, i]));
  const labels = new Map(rules.map(({ rule: r }) => [r.rule, r.label]));
  return new Map(
    rows.map((r) => [
      r.unit_id,
      (typeof r.items === 'string' ? (JSON.parse(r.items) as ComplianceRollupRow['items']) : r.items)
        .sort((a, b) => order.get(a.rule)! - order.get(b.rule)!)
        .map((i) => ({ rule: i.rule, label: labels.get(i.rule) ?? i.rule, required: i.required, actual: i.actual })),
    ]),
  );
}

/**
 * For the dashboard: how many branches the cadence rules bind in the subtree, how many are on
 * track (no rule behind so far this year), and the `worst` branches (most rules behind) — one
 * pass over the same counters as the roll-up.
 */
export async function complianceSummary(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  year: number,
  worst: number,
  today = todayInChina(),
  rules: ActiveRule[] = activeRules({ year }, false, today),
) {
  const rows = await analytic(db, (q) =>
    queryRows<{
      org_id: string | null;
      org_name: string | null;
      behind: number | null;
      units: number;
      on_track: number;
    }>(
      q,
      sql`with ${resultsCte(tenantId, root, year, rules)}, ${UNITS_CTE},
        agg as (select count(*)::int as units, (count(*) filter (where behind = 0))::int as on_track from units),
        w as (select u.unit_id, u.behind, org.name, org.path from units u join org on org.tenant_id = ${tenantId} and org.id = u.unit_id where u.behind > 0 order by u.behind desc, org.path limit ${worst})
        select w.unit_id as org_id, w.name as org_name, w.behind, agg.units, agg.on_track from agg left join w on true order by w.behind desc nulls last, w.path`,
    ),
  );
  const head = rows[0];
  return {
    year,
    units: head?.units ?? 0,
    onTrack: head?.on_track ?? 0,
    rules: rules.length,
    worst: rows.filter((r) => r.org_id).map((r) => ({ orgId: r.org_id!, orgName: r.org_name!, behind: r.behind! })),
    asOf: today,
  };
}

/**
 * Meetings held per month (China time) in the subtree, from the monthly counters: every meeting
 * kind, without talks and without the secretary-lecture double count. `months` are `YYYY-MM`.
 */
export async function heldByMonth(db: Queryable, tenantId: string, root: OrgRef, months: string[]): Promise<number[]> {
  const years = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
  const rows = await queryRows<{ year: number } & Record<string, number>>(
    db,
    sql`select t.year, ${SUMS_SQL}
        from meeting_tally t join org o on o.tenant_id = t.tenant_id and o.id = t.org_id
        where t.tenant_id = ${tenantId} and o.path like ${`${root.path}%`} and t.year between ${Math.min(...years)} and ${Math.max(...years)}
          and t.kind not in ('talk', 'lecture_secretary')
        group by t.year`,
  );
  const byYear = new Map(rows.map((r) => [Number(r.year), r]));
  return months.map((m) => Number(byYear.get(Number(m.slice(0, 4)))?.[`s${Number(m.slice(5, 7))}`] ?? 0));
}

/**
 * The heatmap of the 驾驶舱: per month of `year`, how many branches (units) met every monthly national rule that binds
 * them (主题党日, 支委会 where there is a committee, 党小组会 in each 党小组) — grouped by the org directly below `root`
 * each branch sits in (the root itself when it is a branch), so a leader sees which company or 总支 slips in which
 * month and drills down. The same counters and subjects as the compliance check, one pass for the year; rows paged in
 * tree order, months after `today` null.
 */
export async function monthlyStanding(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  year: number,
  paging: { page: number; pageSize: number },
  today = todayInChina(),
) {
  const key = `meeting.heatmap:${tenantId}:${root.id}:${year}:${today}:${paging.page}:${paging.pageSize}`;
  return (
    await cached(db, key, COMPLIANCE_TOPICS, () => computeMonthlyStanding(db, tenantId, root, year, paging, today))
  ).value;
}

async function computeMonthlyStanding(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  year: number,
  paging: { page: number; pageSize: number },
  today: string,
) {
  const rules = CADENCE_RULES.filter((r) => !r.local && r.grain === 'month').map((r) => ({
    rule: r,
    window: { from: `${year}-01-01`, to: `${year + 1}-01-01`, required: 12 },
  }));
  // The segments of the root's path ('/1/5/' → 2): a branch's row is its path cut one segment deeper.
  const depth = root.path.split('/').filter(Boolean).length;
  const okCols = sql.raw(MONTHS.map((i) => `bool_and(coalesce(tp.s${i}, 0) > 0) as ok${i}`).join(', '));
  const okSums = sql.raw(MONTHS.map((i) => `(count(*) filter (where rw.ok${i}))::int as ok${i}`).join(', '));
  const rows = await analytic(db, (q) =>
    queryRows<
      { row_path: string; org_id: string; org_name: string; org_kind: string; units: number; total: number } & Record<
        `ok${number}`,
        number
      >
    >(
      q,
      sql`with ${resultsCte(tenantId, root, year, rules)},
        uf as (
          select s.unit_id, ${okCols}
          from subj s left join tp on tp.subject = s.subject and tp.rule = s.rule
          where not s.per_member
          group by s.unit_id
        ),
        rw as (
          select case when u.path = ${root.path} then u.path
                      else array_to_string((string_to_array(u.path, '/'))[1:${depth + 2}], '/') || '/' end as row_path, uf.*
          from uf join org u on u.tenant_id = ${tenantId} and u.id = uf.unit_id
        ),
        agg as (select rw.row_path, count(*)::int as units, ${okSums} from rw group by rw.row_path)
        select agg.*, r.id as org_id, r.name as org_name, r.kind as org_kind, count(*) over ()::int as total
        from agg join org r on r.tenant_id = ${tenantId} and r.path = agg.row_path
        order by agg.row_path
        limit ${paging.pageSize} offset ${(paging.page - 1) * paging.pageSize}`,
    ),
  );
  const thisYear = Number(today.slice(0, 4));
  const lastMonth = year < thisYear ? 12 : year > thisYear ? 0 : Number(today.slice(5, 7));
  return {
    year,
    /** The month in progress (not yet over), if it is in `year`. */
    runningMonth: year === thisYear ? lastMonth : null,
    rows: rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      orgKind: r.org_kind,
      units: r.units,
      ok: MONTHS.map((i) => (i <= lastMonth ? Number(r[`ok${i}`]) : null)),
    })),
    total: rows[0]?.total ?? 0,
    rules: rules.map(({ rule: r }) => ({ rule: r.rule, label: r.label, citation: r.citation })),
    asOf: today,
  };
}

/** The plan of the whole-subtree check, for the benchmark. */
export function explainCompliance(tenantId: string, root: OrgRef, view: ComplianceView, today: string): SQL {
  return sql`explain analyze with ${resultsCte(tenantId, root, view.year, activeRules(view, false, today))} select rule, sum(required), sum(actual) from res group by rule`;
}

/**
 * Attendance at the held meetings of a branch-level subtree in the view's period, in the room and online (issue
 * #27). Read live (not from the counters): a branch holds a few dozen meetings a year. Above a 总支 it is null.
 */
export async function attendanceSummary(db: Queryable, tenantId: string, root: OrgRef, view: ComplianceView) {
  if (root.kind === 'committee') return null;
  const first = view.month ?? (view.quarter ? (view.quarter - 1) * 3 + 1 : 1);
  const last = view.month ?? (view.quarter ? view.quarter * 3 : 12);
  const from = `${view.year}-${String(first).padStart(2, '0')}-01T00:00:00+08:00`;
  const to =
    last === 12
      ? `${view.year + 1}-01-01T00:00:00+08:00`
      : `${view.year}-${String(last + 1).padStart(2, '0')}-01T00:00:00+08:00`;
  const [row] = await queryRows<{ held: number; due: number; present: number; online: number; left_early: number }>(
    db,
    sql`select count(distinct m.id)::int as held,
               (count(a.id) filter (where a.invited))::int as due,
               (count(a.id) filter (where a.checked_in_at is not null))::int as present,
               (count(a.id) filter (where a.checked_in_at is not null and a.checkin_method in (${sql.join(
                 ONLINE_CHECKIN_METHODS.map((x) => sql`${x}`),
                 sql`, `,
               )})))::int as online,
               (count(a.id) filter (where a.left_early_at is not null))::int as left_early
        from meeting m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
        left join meeting_attendance a on a.meeting_id = m.id
        where m.tenant_id = ${tenantId} and o.path like ${`${root.path}%`} and m.status = 'held'
          and m.starts_at >= ${from}::timestamptz and m.starts_at < ${to}::timestamptz`,
  );
  // 流动党员 of this subtree at the meetings of their 流入地党组织 (一方隶属、参加多重组织生活): counted here too, where
  // their membership is (the host org's own figures count them as well).
  const [away] = await queryRows<{ due: number; present: number; online: number; left_early: number }>(
    db,
    sql`select (count(*) filter (where a.invited))::int as due,
               (count(*) filter (where a.checked_in_at is not null))::int as present,
               (count(*) filter (where a.checked_in_at is not null and a.checkin_method in (${sql.join(
                 ONLINE_CHECKIN_METHODS.map((x) => sql`${x}`),
                 sql`, `,
               )})))::int as online,
               (count(*) filter (where a.left_early_at is not null))::int as left_early
        from meeting_attendance a
        join meeting m on m.id = a.meeting_id join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
        join org home on home.id = a.org_id
        where a.tenant_id = ${tenantId} and a.via_flow and home.path like ${`${root.path}%`} and o.path not like ${`${root.path}%`}
          and m.status = 'held' and m.starts_at >= ${from}::timestamptz and m.starts_at < ${to}::timestamptz`,
  );
  const r = row ?? { held: 0, due: 0, present: 0, online: 0, left_early: 0 };
  const f = away ?? { due: 0, present: 0, online: 0, left_early: 0 };
  return {
    held: r.held,
    due: r.due + f.due,
    present: r.present + f.present,
    inPerson: r.present + f.present - r.online - f.online,
    online: r.online + f.online,
    leftEarly: r.left_early + f.left_early,
    /** Of these: this subtree's 流动党员 at their 流入地党组织's meetings. */
    flowElsewhere: { due: f.due, present: f.present },
    rule: REMOTE_ATTENDANCE_RULE.citation,
    flowRule: FLOW_HOST_RULE.citation,
  };
}

/**
 * The rules the attention list checks: the monthly and quarterly ones (党员大会, 支委会, 党小组会, 主题党日, 党课) and
 * the yearly 组织生活会 and 民主评议党员 (the yearly talks are per member: the compliance page shows them).
 */
const RECENT_RULES = [
  'party_congress_quarterly',
  'committee_monthly',
  'group_monthly',
  'theme_day_monthly',
  'lecture_quarterly_local',
  'org_life_yearly',
  'democratic_review_yearly',
];
/**
 * A year's rules (组织生活会, 民主评议党员) are checked for the year that has ended, until the end of this month of the
 * next: a miss is known on 31 December (the regulation puts 组织生活会 in the fourth quarter) and stays actionable —
 * held late, or explained upward — for a quarter; after that it would only sit on the list all year. This
 * system's reading, not a regulation's number.
 */
export const YEARLY_RULES_LISTED_UNTIL_MONTH = 3;

/** The latest period of a rule's grain that has ended by the end of `today` (a month on its last day, …). */
function lastEndedPeriod(grain: 'month' | 'quarter' | 'year', today: string) {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const monthOver = d === new Date(Date.UTC(y, m, 0)).getUTCDate() ? m : m - 1; // months of y over by today, 0..12
  const len = grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12;
  const ended = Math.floor(monthOver / len); // periods of y over
  const year = ended === 0 ? y - 1 : y;
  const index = ended === 0 ? 12 / len : ended; // 1-based period in `year`
  const first = (index - 1) * len + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  const to = first + len > 12 ? `${year + 1}-01-01` : `${year}-${pad(first + len)}-01`;
  const label =
    grain === 'month' ? `${year} 年 ${first} 月` : grain === 'quarter' ? `${year} 年第 ${index} 季度` : `${year} 年`;
  return { year, window: { from: `${year}-${pad(first)}-01`, to, required: 1 }, label };
}

/**
 * Per branch (unit) of the subtree, the meeting rules it did not meet in the latest period that has ended — last month
 * for the monthly rules, last quarter for the quarterly ones, and from 31 December to the end of March the year's
 * (YEARLY_RULES_LISTED_UNTIL_MONTH) — from the same counters and sums as the compliance roll-up (one pass per year
 * involved, at most two). Only the rules behind are returned; `local` rules (the quarterly 党课) say so. For the
 * leaders' attention list.
 */
export async function behindLastPeriod(db: Queryable, tenantId: string, root: OrgRef, today = todayInChina()) {
  const byYear = new Map<number, { rules: ActiveRule[]; labels: Map<string, string> }>();
  for (const r of CADENCE_RULES.filter((x) => RECENT_RULES.includes(x.rule))) {
    const p = lastEndedPeriod(r.grain, today);
    if (r.grain === 'year' && today > `${p.year + 1}-${String(YEARLY_RULES_LISTED_UNTIL_MONTH).padStart(2, '0')}-31`)
      continue;
    const y = byYear.get(p.year) ?? { rules: [], labels: new Map<string, string>() };
    y.rules.push({ rule: r, window: p.window });
    y.labels.set(r.rule, p.label);
    byYear.set(p.year, y);
  }
  const out = new Map<
    string,
    {
      rule: string;
      label: string;
      period: string;
      citation: string;
      local: boolean;
      required: number;
      actual: number;
    }[]
  >();
  for (const [year, { rules, labels }] of byYear) {
    const rows = await analytic(db, (q) =>
      queryRows<{ unit_id: string; items: ComplianceRollupRow['items'] | string }>(
        q,
        sql`with ${resultsCte(tenantId, root, year, rules)}, ${UNITS_CTE} select unit_id, items from units where behind > 0`,
      ),
    );
    for (const r of rows) {
      const items = typeof r.items === 'string' ? (JSON.parse(r.items) as ComplianceRollupRow['items']) : r.items;
      for (const i of items.filter((x) => !x.ok)) {
        const rule = CADENCE_RULES.find((x) => x.rule === i.rule)!;
        out.set(r.unit_id, [
          ...(out.get(r.unit_id) ?? []),
          {
            rule: i.rule,
            label: rule.label,
            period: labels.get(i.rule)!,
            citation: rule.citation,
            local: rule.local,
            required: i.required,
            actual: i.actual,
          },
        ]);
      }
    }
  }
  const order = new Map(CADENCE_RULES.map((r, i) => [r.rule, i]));
  for (const list of out.values()) list.sort((a, b) => order.get(a.rule)! - order.get(b.rule)!);
  return out;
}
