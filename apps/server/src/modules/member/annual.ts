/**
 * 党内统计年报 facts from the member records, as of a day, for an org subtree (the stats module composes the
 * tables from these). No history table: every change of a member's place on the roll is already a dated fact —
 * 入党 (joined_at), 组织关系转接 inside the tenant (member_transfer, decided_at), 停止党籍 and 恢复党籍 (member_lost
 * suspended_on / ended_on), 出党 and transfers out of the tenant (left_at, left_reason) — so "where was this member
 * on day T" is a lookup, and a year is one pass over the subtree's members who were on the roll at some time in it
 * (left_at is null or in the year) plus those transferred across its border.
 *
 * Known limits (documented in the user guide): members moved by an org merge (org/structure.ts dissolveOrg) and
 * orgs moved in the tree count as if they had always been where they are now; a member who came and went within
 * the year (joined and left, or in and out again) is in neither the start nor the end, and in no gain or loss.
 */
import { AGE_BANDS, PARTY_AGE_BANDS, PARTY_AGE_NONE, PROBATION_YEARS, isCalendarDate } from '@xianfeng/shared';
import { sql, type SQL } from 'drizzle-orm';
import { subtreeOrgIds } from '../../platform/access';
import { analytic as subtreeAggregate, queryRows, readAll, type Queryable } from '../../platform/db';
import { onRollAs } from './schema';

/** The same day n years later in SQL, by the anniversary rule of shared addYears (02-29 → 03-01). */
export function anniversarySql(day: SQL, years: number): SQL {
  const later = sql`(${day} + make_interval(years => ${years}::int))::date`;
  return sql`(${later} + case when extract(day from ${later}) <> extract(day from ${day}) then 1 else 0 end)::date`;
}

/** This file's statements are over the whole roll with look-ups the planner cannot size: hash joins and aggregates. */
const analytic = <T>(db: Queryable, run: (q: Queryable) => Promise<T>) => subtreeAggregate(db, run, { hashOnly: true });

/**
 * The last day d with at least `n` whole years from d to `to` (YYYY-MM-DD), as PostgreSQL's `age()` counts them:
 * the same month and day n years earlier, or 02-28 when `to` is 02-29 and that year has none. So whole years from
 * d to `to` ≥ n ⟺ d ≤ this day.
 */
export function yearsBefore(to: string, n: number): string {
  const d = `${String(Number(to.slice(0, 4)) - n).padStart(4, '0')}${to.slice(4)}`;
  return isCalendarDate(d) ? d : `${d.slice(0, 8)}28`;
}

/**
 * The band of whole years from `day` to `to`, as date comparisons with per-band cut-off days worked out here
 * (a million age() calls cost seconds); null when `day` is null or beyond the last band. The same band as
 * `case when extract(year from age(to, day)) <= max …` (member/stats.ts counts 年龄 and 党龄 with it too).
 */
export function yearsBand(day: SQL, to: string, bands: readonly { key: string; max: number }[]): SQL {
  const whens = bands.map((b) => sql`when ${day} > ${yearsBefore(to, b.max + 1)}::date then ${b.key}`);
  return sql`case ${sql.join(whens, sql` `)} end`;
}

/**
 * The unit of an org path `p` (SQL) under the subtree at `root`: the root's direct child whose subtree holds it
 * (its path), the root's own path for the root, null outside the subtree — by string functions (a regular
 * expression per member cost seconds at 1M). 党内统计's tables count by it (here, and develop's developedIn).
 */
export const unitOfPathSql = (root: string, p: SQL): SQL =>
  sql`case when starts_with(${p}, ${root}) then ${root} || coalesce(nullif(split_part(substr(${p}, ${root.length + 1}), '/', 1), '') || '/', '') end`;

/** Where a member's place changed within the period: gains and losses by kind. */
export const GAIN_KINDS = ['admitted', 'restored', 'transfer_in'] as const;
export const LOSS_KINDS = [
  'death',
  'withdrawal',
  'removed',
  'self_left',
  'expelled',
  'probation_cancelled',
  'suspended',
  'transfer_out',
] as const;

/**
 * One row per (unit, dimension, key): `unit` is '*' for the whole subtree, the org path of a direct child of it
 * (its subtree), or the subtree root's own path (members filed directly in the root org).
 * dims: start / end (on the roll at the end of the day before `from`, and at the end of `to`), gain:<kind>,
 * loss:<kind> (relative to the unit), and the end-of-period breakdowns gender, ethnic, age, education,
 * occupation, party (党龄 band), status (正式/预备 on `to`), flowing; and org:<orgId> → status counts per org.
 */
export type AnnualFact = { unit: string; dim: string; key: string; n: number };

export async function annualMemberFacts(
  db: Queryable,
  tenantId: string,
  path: string,
  from: string,
  to: string,
): Promise<AnnualFact[]> {
  const probationEnd = anniversarySql(sql`m.joined_at`, PROBATION_YEARS);
  const fullFrom = sql`coalesce(m.full_at, ${probationEnd})`;
  const unitOf = (p: SQL) => unitOfPathSql(path, p);
  // `u`: the unit of where the member is now, once per member (for all but the transferred, where they were too).
  const cols = sql`${sql.raw(
    'm.id, m.org_id, m.org_path, m.gender, m.ethnicity, m.education, m.occupation, m.birth_date, m.joined_at, m.full_at, m.status, m.left_at, m.left_reason, m.suspended_on',
  )}, ${unitOf(sql`m.org_path`)} as u`;
  // Every member who was on the subtree's roll at some time in the period, with where they were at its start (sc)
  // and end (ec) as units, how they came and went, and whether they were 正式 at the end.
  const members = sql`
    with tr as (
      select t.member_id, t.from_org_id, t.decided_at, (t.decided_at at time zone 'Asia/Shanghai')::date as d
      from member_transfer t
      where t.tenant_id = ${tenantId} and t.direction = 'internal' and t.status = 'done'
        and t.decided_at >= (${from}::date - 1)::timestamp
    ),
    -- Not materialized although used twice: a CTE scan is parallel-restricted, and with this look-up inlined
    -- PostgreSQL runs both statements' scans and joins of the million members on parallel workers (1M, under
    -- load: the report 16 s → 11 s). It is a few thousand rows; computing it twice costs nothing.
    tm as not materialized (
      select member_id,
             (array_agg(from_org_id order by decided_at) filter (where d >= ${from}::date))[1] as start_org,
             (array_agg(from_org_id order by decided_at) filter (where d > ${to}::date))[1] as end_org
      from tr group by member_id
    ),
    tp as (
      -- The org paths a transferred member had at the start and at the end (the others were where they are now).
      select tm.*, so.path as start_path, eo.path as end_path
      from tm
      left join org so on so.tenant_id = ${tenantId} and so.id = tm.start_org
      left join org eo on eo.tenant_id = ${tenantId} and eo.id = tm.end_org
    ),
    ls as (
      select member_id,
             bool_or(suspended_on < ${from}::date and (ended_on is null or ended_on >= ${from}::date)) as susp_start,
             bool_or(suspended_on <= ${to}::date and (ended_on is null or ended_on > ${to}::date)) as susp_end,
             bool_or(suspended_on between ${from}::date and ${to}::date) as susp_in,
             bool_or(status = 'restored' and ended_on between ${from}::date and ${to}::date) as restored_in
      from member_lost where tenant_id = ${tenantId} and suspended_on is not null group by member_id
    ),
    fl as (
      select distinct member_id from member_flow
      where tenant_id = ${tenantId} and since <= ${to}::date and (ended_on is null or ended_on > ${to}::date)
    ),
    src as (
      -- On the roll now (a range of member_roster_idx), left in the period (by org), or transferred across the border.
      select ${cols} from member m
      where m.tenant_id = ${tenantId} and m.org_path collate "C" like ${`${path}%`} and m.left_at is null and m.joined_at <= ${to}::date
      union all
      select ${cols} from member m
      where m.tenant_id = ${tenantId} and m.org_id in ${subtreeOrgIds(tenantId, path)}
        and m.left_at >= ${from}::date and m.joined_at <= ${to}::date
      union all
      select ${cols} from member m join tm on tm.member_id = m.id
      where m.tenant_id = ${tenantId} and not (m.org_path collate "C" like ${`${path}%`}) and m.joined_at <= ${to}::date
        and (m.left_at is null or m.left_at >= ${from}::date)
    ),
    y as (
      select m.*, m.status = 'full' and ${fullFrom} <= ${to}::date as is_full,
             coalesce(tp.end_org, m.org_id) as e_org,
             case when m.joined_at < ${from}::date and (m.left_at is null or m.left_at >= ${from}::date)
                   and not coalesce(ls.susp_start, m.suspended_on < ${from}::date, false)
                  then case when tp.start_path is null then m.u else ${unitOf(sql`tp.start_path`)} end end as sc,
             case when m.joined_at <= ${to}::date and (m.left_at is null or m.left_at > ${to}::date)
                   and not coalesce(ls.susp_end, m.suspended_on <= ${to}::date, false)
                  then case when tp.end_path is null then m.u else ${unitOf(sql`tp.end_path`)} end end as ec,
             case when m.joined_at >= ${from}::date then 'admitted' when coalesce(ls.restored_in, false) then 'restored' else 'transfer_in' end as gk,
             case when coalesce(ls.susp_in, false) then 'suspended'
                  when m.left_at <= ${to}::date then case when m.left_reason = 'transferred_out' then 'transfer_out' else m.left_reason end
                  else 'transfer_out' end as lk,
             fl.member_id is not null as flowing
      from src m
      left join tp on tp.member_id = m.id
      left join ls on ls.member_id = m.id
      left join fl on fl.member_id = m.id
    )`;
  const status = sql`case when is_full then 'full' else 'probationary' end`;

  // Two statements on two connections (one core each on PostgreSQL): the changes and breakdowns, and the count by
  // end org. Each makes one hashed pass over the members; the first groups them by everything the tables need at
  // once (about 200,000 groups at 1M; the kinds of change only where the unit changed), and the rest adds up those groups, not a million rows seventeen times.
  const [tables, byOrg] = await readAll(db, [
    () =>
      analytic(db, (q) =>
        queryRows<AnnualFact>(
          q,
          sql`${members},
    gy as materialized (
      select sc, ec, case when sc is distinct from ec then gk end as gk, case when sc is distinct from ec then lk end as lk, gender,
             case when coalesce(trim(ethnicity), '') = '' then '未填' when ethnicity = '汉族' then '汉族' else '少数民族' end as ethnic,
             coalesce(education, '未填') as education, coalesce(occupation, '未填') as occupation,
             ${yearsBand(sql`birth_date`, to, AGE_BANDS)} as age_band,
             case when is_full then ${yearsBand(fullFrom, to, PARTY_AGE_BANDS)} else ${PARTY_AGE_NONE} end as party_band,
             case when flowing then 'flowing' else 'resident' end as flow,
             ${status} as st,
             count(*)::int as n
      from y m where sc is not null or ec is not null
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    ),
    f as (select sc, ec, gk, lk, sum(n)::int as n from gy group by sc, ec, gk, lk),
    g as (select * from gy where ec is not null)
    select v.unit, v.dim, '' as key, sum(f.n)::int as n
    from f cross join lateral (values
      (sc, 'start', sc is not null),
      (ec, 'end', ec is not null),
      (ec, 'gain:' || gk, ec is not null and ec is distinct from sc),
      (sc, 'loss:' || lk, sc is not null and sc is distinct from ec),
      ('*', 'start', sc is not null),
      ('*', 'end', ec is not null),
      ('*', 'gain:' || gk, ec is not null and sc is null),
      ('*', 'loss:' || lk, sc is not null and ec is null)
    ) v(unit, dim, ok)
    where v.ok
    group by v.unit, v.dim
    union all
    select coalesce(ec, '*') as unit,
           case when grouping(gender) = 0 then 'gender' when grouping(ethnic) = 0 then 'ethnic'
                when grouping(education) = 0 then 'education' when grouping(occupation) = 0 then 'occupation'
                when grouping(age_band) = 0 then 'age' when grouping(party_band) = 0 then 'party'
                when grouping(flow) = 0 then 'flowing' else 'status' end as dim,
           coalesce(gender, ethnic, education, occupation, age_band, party_band, flow, st) as key,
           sum(n)::int as n
    from g
    group by grouping sets ((ec, gender), (ec, ethnic), (ec, education), (ec, occupation), (ec, age_band), (ec, party_band), (ec, flow), (ec, st),
                           (gender), (ethnic), (education), (occupation), (age_band), (party_band), (flow), (st))`,
        ),
      ),
    () =>
      analytic(db, (q) =>
        queryRows<AnnualFact>(
          q,
          sql`${members}
    select '*' as unit, 'org:' || e_org::text as dim, ${status} as key, count(*)::int as n
    from y m where ec is not null group by e_org, 3`,
        ),
      ),
  ]);
  return [...tables, ...byOrg];
}

/** What the yearly tables need of a member and what cannot be true of one (the cross-table checks). */
export const MEMBER_DATA_PROBLEMS = [
  { code: 'missing_ethnicity', message: '党员未填民族', field: 'ethnicity' },
  { code: 'missing_education', message: '党员未填学历', field: 'education' },
  { code: 'missing_occupation', message: '党员未填人员类别（职业）', field: 'occupation' },
  { code: 'missing_full_at', message: '正式党员未填转正时间', field: 'fullAt' },
  { code: 'joined_under_18', message: '党员入党时未满 18 岁', field: 'joinedAt' },
  { code: 'full_before_year', message: '正式党员的转正时间早于入党满一年', field: 'fullAt' },
  {
    code: 'probation_over_2y',
    message: '预备党员预备期已超过 2 年（预备期一年，延长最多一年）仍未转正',
    field: 'status',
  },
] as const;
export type MemberDataProblem = (typeof MEMBER_DATA_PROBLEMS)[number]['code'];

/**
 * Members on the roll of the subtree today whose record lacks a field the tables need or holds an impossible
 * value, by problem: the count and the first `limit` members (org path, then name order).
 */
/**
 * `(…) p(code, id, name, org_id, org_path)`: one row per member on the subtree's roll and problem the member has.
 * One pass over the roll: the members with any problem first (each anniversary test behind a day count that
 * rules most members out at once), and only those expanded per problem.
 */
function problemRows(tenantId: string, path: string, asOf: string): SQL {
  const checks: Record<MemberDataProblem, SQL> = {
    missing_ethnicity: sql`coalesce(trim(m.ethnicity), '') = ''`,
    missing_education: sql`m.education is null`,
    missing_occupation: sql`m.occupation is null`,
    missing_full_at: sql`(m.status = 'full' and m.full_at is null)`,
    // 18 years are at most 6,575 days; one year at most 366; two at least 730.
    joined_under_18: sql`(m.joined_at - m.birth_date < 6576 and m.joined_at < ${anniversarySql(sql`m.birth_date`, 18)})`,
    full_before_year: sql`(m.status = 'full' and m.full_at - m.joined_at < 367 and m.full_at < ${anniversarySql(sql`m.joined_at`, PROBATION_YEARS)})`,
    probation_over_2y: sql`(m.status = 'probationary' and ${asOf}::date - m.joined_at >= 730 and ${anniversarySql(sql`m.joined_at`, 2)} <= ${asOf}::date)`,
  };
  const codes = MEMBER_DATA_PROBLEMS.map((p) => p.code);
  return sql`(select v.code, m.id, m.name, m.org_id, m.org_path
    from (select m.* from member m
          where m.tenant_id = ${tenantId} and ${onRollAs('m')} and m.org_path like ${`${path}%`}
            and (${sql.join(
              codes.map((c) => checks[c]),
              sql` or `,
            )})) m
    cross join lateral (values ${sql.join(
      codes.map((c) => sql`(${c}, ${checks[c]})`),
      sql`, `,
    )}) v(code, bad)
    where v.bad) p`;
}

export async function memberDataProblems(db: Queryable, tenantId: string, path: string, asOf: string, limit: number) {
  const rows = await analytic(db, (q) =>
    queryRows<{ code: MemberDataProblem; id: string | null; name: string | null; org_id: string | null; n: number }>(
      q,
      sql`
    with r as (select p.*, row_number() over (partition by code order by org_path collate "C", name collate "C", id) as rn,
                      count(*) over (partition by code) as n from ${problemRows(tenantId, path, asOf)})
    select code, id, name, org_id, n::int as n from r where rn <= ${limit}
    union all
    select code, null, null, null, n::int from r where rn = 1 and ${limit} = 0`,
    ),
  );
  return MEMBER_DATA_PROBLEMS.map((p) => {
    const mine = rows.filter((r) => r.code === p.code);
    return {
      ...p,
      count: mine[0]?.n ?? 0,
      members: mine.filter((r) => r.id).map((r) => ({ memberId: r.id!, name: r.name!, orgId: r.org_id! })),
    };
  });
}

/** Members on the roll of the subtree with at least one of the problems above, per org (决策参考's data quality). */
export async function membersWithDataProblemsByOrg(db: Queryable, tenantId: string, path: string, asOf: string) {
  return analytic(db, (q) =>
    queryRows<{ path: string; n: number }>(
      q,
      sql`select p.org_path as path, count(distinct p.id)::int as n from ${problemRows(tenantId, path, asOf)} group by p.org_path`,
    ),
  );
}
