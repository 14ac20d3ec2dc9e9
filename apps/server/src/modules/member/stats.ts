/**
 * 党内统计 basics for an org subtree: one scan of the subtree's active members, grouped by
 * GROUPING SETS so every dimension comes back from the same query. Served through the platform
 * result cache (topics member + org): exact while nothing changed; for a large subtree whose members
 * changed, the previous count (with its `asOf`) while one recount runs in the background.
 */
import {
  AGE_BANDS,
  PARTY_AGE_BANDS,
  PARTY_AGE_NONE,
  PROBATION_YEARS,
  todayInChina,
  type MemberStats,
} from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { subtreeOrgIds, type Scope } from '../../platform/access';
import { cached } from '../../platform/cache';
import { queryRows, type Queryable } from '../../platform/db';
import { anniversarySql, yearsBand } from './annual';
import { onRollAs } from './schema';

export async function memberStats(db: Queryable, scope: Scope): Promise<MemberStats> {
  // Ages count in Beijing days, like the rest of party business; the day is part of the key.
  const today = todayInChina();
  const r = await cached(db, `member.stats:${scope.tenantId}:${scope.org.id}:${today}`, ['member', 'org'], () =>
    countStats(db, scope, today),
  );
  return { ...r.value, asOf: r.asOf.toISOString() };
}

async function countStats(db: Queryable, scope: Scope, today: string): Promise<Omit<MemberStats, 'asOf'>> {
  // Whole years to today by date cut-offs (yearsBand, as the annual report counts them), not age() per member.
  // 党龄 from 转正 (党章第七条): full_at, or the end of the one-year probation when it was not recorded
  // (as member.partyAgeFrom counts it; 02-29 + 1 year is 03-01). Probationary members have none.
  const fullFrom = sql`coalesce(m.full_at, ${anniversarySql(sql`m.joined_at`, PROBATION_YEARS)})`;
  const rows = await queryRows<{ dim: string; key: string | null; n: number }>(
    db,
    sql`
    with m as (
      select status, gender, case when ethnicity = '汉族' then '汉族' else '少数民族' end as ethnic,
             coalesce(education, '未填') as education, coalesce(occupation, '未填') as occupation,
             ${yearsBand(sql`m.birth_date`, today, AGE_BANDS)} as age_band,
             case when m.status = 'full' then ${yearsBand(fullFrom, today, PARTY_AGE_BANDS)} else ${PARTY_AGE_NONE} end as party_band
      from member m
      where m.tenant_id = ${scope.tenantId} and ${onRollAs('m')}
        and m.org_id in ${subtreeOrgIds(scope.tenantId, scope.org.path)}
    )
    select case
             when grouping(status) = 0 then 'status' when grouping(gender) = 0 then 'gender'
             when grouping(ethnic) = 0 then 'ethnic' when grouping(education) = 0 then 'education'
             when grouping(occupation) = 0 then 'occupation' when grouping(age_band) = 0 then 'age'
             when grouping(party_band) = 0 then 'party' else 'total' end as dim,
           coalesce(status, gender, ethnic, education, occupation, age_band, party_band) as key,
           count(*)::int as n
    from m
    group by grouping sets ((status), (gender), (ethnic), (education), (occupation), (age_band), (party_band), ())`,
  );
  const [stopped] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from member m
        where m.tenant_id = ${scope.tenantId} and m.left_at is null and m.suspended_on is not null and m.org_path like ${`${scope.org.path}%`}`,
  );
  const pick = (dim: string) =>
    Object.fromEntries(rows.filter((r) => r.dim === dim).map((r) => [r.key ?? '未填', r.n]));
  return {
    total: rows.find((r) => r.dim === 'total')?.n ?? 0,
    byStatus: pick('status'),
    byGender: pick('gender'),
    byEthnicity: pick('ethnic'),
    byAgeBand: pick('age'),
    byEducation: pick('education'),
    byOccupation: pick('occupation'),
    byPartyAgeBand: pick('party'),
    suspended: stopped?.n ?? 0,
  };
}
