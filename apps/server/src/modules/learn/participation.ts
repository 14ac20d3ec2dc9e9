/**
 * The list behind 学习参与率 (issue #23, every figure of the 驾驶舱 links to the list behind it): the members on the
 * roll of an org subtree, each with whether they learned this Beijing month, filtered by `learned`, paged, in the
 * roster's order (org path, then name).
 *
 * "Learned" is what `participation()` (service.ts) counts, by construction: a learning record of the month
 * (`learn_record.active_month`) or an attempt submitted from the 1st of the month (每日一练 or an exam), whose org —
 * the learner's org when they learned — lies in the subtree. A member counts when they are on the roll of the
 * subtree now (`onRollAs`, member.org_path). So `learned=yes`'s total is participation's learners whenever every
 * learner of the month is still on the roll where they learned; a member who moved in this month after learning
 * in another subtree is listed as not learned here (their learning counted where it happened), one who left the
 * roll is in participation's count (capped at the members) and on no list. Only name, org (a 党小组 with its branch:
 * the groups of different branches share names), learned and the last learning day of the month are answered: no
 * phone, no 身份证号.
 */
import { todayInChina, type ParticipationMembers } from '@xianfeng/shared';
import { sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { queryRows, type Queryable } from '../../platform/db';
import { org } from '../../platform/schema';
import { member, onRollAs } from '../member/service';
import { learnAttempt, learnRecord } from './schema';

export type LearnedFilter = 'yes' | 'no' | undefined;

/**
 * The learners of `month` in the subtree at `path`, each with their latest learning day of the month, as
 * `lm(member_id, day)`: participation's two sources; `participation()` counts its rows. A record's day is when its time was last credited
 * (`last_report_at`; not before the 1st, a record made active this month by a completion counts from the 1st).
 */
export const learnersOfMonth = (tenantId: string, path: string, month: string): SQL => sql`
  lm as (
    select s.member_id, max(s.day) as day from (
      select r.member_id, greatest((r.last_report_at at time zone 'Asia/Shanghai')::date, ${`${month}-01`}::date) as day
        from ${learnRecord} r join ${org} o on o.tenant_id = r.tenant_id and o.id = r.org_id
        where r.tenant_id = ${tenantId} and r.active_month = ${month} and r.member_id is not null
          and o.path like ${`${path}%`}
      union all
      select a.member_id, a.on_date as day
        from ${learnAttempt} a join ${org} o on o.tenant_id = a.tenant_id and o.id = a.org_id
        where a.tenant_id = ${tenantId} and a.on_date >= ${`${month}-01`}::date and a.member_id is not null
          and a.submitted_at is not null and o.path like ${`${path}%`}
    ) s
    group by s.member_id
  )`;

/**
 * A page of the members of `scope`'s subtree on the roll with whether they learned this month, `learned` filtering
 * them; `total` counts the filtered list, `members` and `learners` the whole subtree (the 驾驶舱's two numbers).
 */
export async function participationMembers(
  db: Queryable,
  scope: Scope,
  q: { learned?: LearnedFilter; page: number; pageSize: number },
  today = todayInChina(),
): Promise<ParticipationMembers> {
  const month = today.slice(0, 7);
  const { tenantId } = scope;
  const path = scope.org.path;
  const lm = learnersOfMonth(tenantId, path, month);
  const roll = sql`m.tenant_id = ${tenantId} and ${onRollAs('m')} and m.org_path collate "C" like ${`${path}%`}`;
  const filter =
    q.learned === 'yes'
      ? sql`and lm.member_id is not null`
      : q.learned === 'no'
        ? sql`and lm.member_id is null`
        : sql``;
  const [counts] = await queryRows<{ members: number; learners: number }>(
    db,
    sql`with ${lm}
        select count(*)::int as members, count(lm.member_id)::int as learners
        from ${member} m left join lm on lm.member_id = m.id
        where ${roll}`,
  );
  const members = counts?.members ?? 0;
  const learners = counts?.learners ?? 0;
  const total = q.learned === 'yes' ? learners : q.learned === 'no' ? members - learners : members;
  const rows =
    total > (q.page - 1) * q.pageSize
      ? await queryRows<{
          member_id: string;
          name: string;
          org_id: string;
          org_name: string;
          branch_name: string | null;
          day: string | null;
        }>(
          db,
          sql`with ${lm}
              select m.id as member_id, m.name, o.id as org_id, o.name as org_name, b.name as branch_name,
                     lm.day::text as day
              from ${member} m
                join ${org} o on o.tenant_id = m.tenant_id and o.id = m.org_id
                left join ${org} b on b.tenant_id = o.tenant_id and b.id = o.parent_id and o.kind = 'group'
                left join lm on lm.member_id = m.id
              where ${roll} ${filter}
              order by m.org_path collate "C", m.name collate "C", m.id
              limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
        )
      : [];
  return {
    month,
    orgId: scope.org.id,
    orgName: scope.org.name,
    members,
    learners,
    total,
    items: rows.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      orgId: r.org_id,
      orgName: r.org_name,
      branchName: r.branch_name,
      learned: r.day !== null,
      lastDay: r.day,
    })),
  };
}
