/**
 * 党内统计 basics for an org subtree, exact at read time from the member tally (migration 0078, docs/adr/0002):
 * `member_tally` + `member_tally_delta` for the org's path hold, per dimension key, the on-roll members of its subtree
 * — kept by statement-level triggers on `member` in the writing transaction, folded by the `member.tally.fold` job.
 * A read sums the org's own rows (base + deltas): a few hundred rows for a branch, about two per distinct date at the
 * top. Age and 党龄 bands are ranges of the date keys for today, so the tally is not tied to a day. The answer is kept
 * in the result cache (topics member + org, key with the day) but never served stale: the next request after a change
 * recounts from the tally and sees it.
 */
import { AGE_BANDS, PARTY_AGE_BANDS, PARTY_AGE_NONE, todayInChina, type MemberStats } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { cached } from '../../platform/cache';
import { queryRows, tenantIds, type Queryable } from '../../platform/db';
import { yearsBand } from './annual';

export async function memberStats(db: Queryable, scope: Scope): Promise<MemberStats> {
  // Ages count in Beijing days, like the rest of party business; the day is part of the key.
  const today = todayInChina();
  const r = await cached(
    db,
    `member.stats:${scope.tenantId}:${scope.org.id}:${today}`,
    ['member', 'org'],
    () => readTally(db, scope, today),
    { neverStale: true },
  );
  return { ...r.value, asOf: r.asOf.toISOString() };
}

async function readTally(db: Queryable, scope: Scope, today: string): Promise<Omit<MemberStats, 'asOf'>> {
  const rows = await queryRows<{ dim: string; key: string | null; n: number }>(
    db,
    sql`
    with t as (
      select dim, key, sum(n)::int as n
      from (
        select dim, key, n from member_tally where tenant_id = ${scope.tenantId} and path = ${scope.org.path}
        union all
        select dim, key, n from member_tally_delta where tenant_id = ${scope.tenantId} and path = ${scope.org.path}
      ) u
      group by dim, key
      having sum(n) <> 0
    )
    select case dim when 'birth' then 'age' else dim end as dim,
           case dim
             when 'birth' then ${yearsBand(sql`key::date`, today, AGE_BANDS)}
             when 'party' then case when key = 'none' then ${PARTY_AGE_NONE}
                                    else ${yearsBand(sql`key::date`, today, PARTY_AGE_BANDS)} end
             else key end as key,
           sum(n)::int as n
    from t
    group by 1, 2`,
  );
  const pick = (dim: string) =>
    Object.fromEntries(rows.filter((r) => r.dim === dim).map((r) => [r.key ?? '未填', r.n]));
  return {
    total: rows.filter((r) => r.dim === 'status').reduce((a, r) => a + r.n, 0),
    byStatus: pick('status'),
    byGender: pick('gender'),
    byEthnicity: pick('ethnic'),
    byAgeBand: pick('age'),
    byEducation: pick('education'),
    byOccupation: pick('occupation'),
    byPartyAgeBand: pick('party'),
    suspended: rows.find((r) => r.dim === 'suspended')?.n ?? 0,
  };
}

/**
 * Folds the appended deltas into `member_tally` (the `member.tally.fold` job, every minute), tenant by tenant: one
 * statement deletes the deltas it sees and adds their sums to the base, so a reader (one statement, one snapshot) sees
 * either both or neither; writers only append deltas, so nothing waits on them. Rows a previous fold brought to zero
 * (moved or emptied orgs, dates nobody has any more) go first.
 */
export async function foldMemberTally(db: Queryable): Promise<{ folded: number }> {
  let folded = 0;
  for (const id of await tenantIds(db)) {
    await queryRows(db, sql`delete from member_tally where tenant_id = ${id} and n = 0`);
    const [r] = await queryRows<{ n: number }>(
      db,
      sql`
      with d as (delete from member_tally_delta where tenant_id = ${id} returning path, dim, key, n),
      u as (
        insert into member_tally as t (tenant_id, path, dim, key, n)
        select ${id}::uuid, path, dim, key, sum(n)::int from d group by path, dim, key
        on conflict (tenant_id, path, dim, key) do update set n = t.n + excluded.n
        returning 1
      )
      select (select count(*) from d)::int as n, (select count(*) from u)::int as upserted`,
    );
    folded += r?.n ?? 0;
  }
  return { folded };
}
