/**
 * 换届 reminders (issue #17): every morning the scheduler looks at each org's current term and tells the
 * org's secretary and the 组织部 above when it ends (or the approved postponed date comes) within 90 days, within
 * 30 days, and when it is overdue —
 * each stage once per term (the notice's dedupe key names the org, the term's end and the stage).
 */
import { chinaDateLabel, TERM_CITATION, TERM_POSTPONE, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db';
import { notify } from '../notify/service';

export const TERM_REMIND_JOB = 'org.term.remind';
/** Days before the end at which the secretary hears of it; then again once it is overdue. */
export const TERM_REMIND_DAYS = [90, 30] as const;

const stageOf = (days: number) => (days < 0 ? 'overdue' : days <= TERM_REMIND_DAYS[1] ? '30' : '90');
const dueText = (days: number) =>
  days < 0 ? `任期已届满 ${-days} 天，应及时换届` : days === 0 ? '任期今天届满' : `还有 ${days} 天届满`;

export async function termReminders(db: Db, today = todayInChina()) {
  const rows = await queryRows<{
    tenant_id: string;
    org_id: string;
    org_name: string;
    parent_id: string | null;
    /** When the 换届 is due: the term's end, or the date an approved postponement moved it to. */
    ends_on: string;
    term_ends_on: string;
    postponed: boolean;
    days: number;
  }>(
    db,
    sql`with latest as (
          select distinct on (t.org_id) t.tenant_id, t.org_id, t.election_due_on as ends_on, t.postponed_to,
            t.ends_on as term_ends_on
          from org_term t
          order by t.org_id, t.starts_on desc
        )
        select l.tenant_id, l.org_id, o.name as org_name, o.parent_id, l.ends_on::text as ends_on,
          l.term_ends_on::text as term_ends_on, l.postponed_to is not null as postponed,
          (l.ends_on - ${today}::date)::int as days
        from latest l join org o on o.tenant_id = l.tenant_id and o.id = l.org_id
        where o.dissolved_at is null and l.ends_on <= ${today}::date + ${TERM_REMIND_DAYS[0]}::int
        order by l.tenant_id, o.path`,
  );
  let sent = 0;
  await db.transaction(async (tx) => {
    for (const r of rows) {
      const res = await notify(tx, {
        tenantId: r.tenant_id,
        kind: 'org.term',
        recipients: {
          orgRoles: [
            { orgId: r.org_id, roles: ['secretary'] },
            { orgId: r.parent_id ?? r.org_id, roles: ['org_admin'], nearest: true },
          ],
        },
        data: {
          orgName: r.org_name,
          termEnd: r.postponed
            ? `${chinaDateLabel(r.term_ends_on)}，经批准延期至 ${chinaDateLabel(r.ends_on)} 换届`
            : chinaDateLabel(r.ends_on),
          due: dueText(r.days),
          rule: r.postponed ? TERM_POSTPONE.citation : TERM_CITATION,
        },
        link: `/orgs?org=${r.org_id}`,
        orgId: r.org_id,
        dedupeKey: `org.term:${r.org_id}:${r.ends_on}:${stageOf(r.days)}`,
      });
      sent += res.notified;
    }
  });
  return { orgs: rows.length, sent };
}
