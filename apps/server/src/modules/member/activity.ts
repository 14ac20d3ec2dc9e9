/**
 * 疑似失联 (issue #13 item 9: track 失联 for every member, not only registered 流动党员). A member's last activity is
 * kept from the outbox — any audited action of their own account (signing in, paying, studying, answering a notice…)
 * and the events that record them as present (CONTACT_EVENTS: a meeting sign-in by the secretary, dues paid in cash)
 * — so no module is read here and none has to call this one. Members on the roll silent for as long as 失联 takes
 * are listed for the branch to check (SUSPECTED_LOST_RULE); marking them lost stays the branch's decision.
 */
import { addMonths, chinaDayStart, SUSPECTED_LOST_RULE, todayInChina, type SuspectedLost } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { queryRows, type Queryable, type Tx } from '../../platform/db';
import type { OutboxEvent } from '../../platform/jobs';

/** Events that record a member as present, naming them in `data.memberId`, whoever recorded them. */
export const CONTACT_EVENTS = ['meeting.checkin', 'meeting.makeup', 'dues.payment.offline'] as const;
const CONTACT = new Set<string>(CONTACT_EVENTS);

type Seen = { tenant_id: string; user_id: string | null; member_id: string | null; at: string; kind: string };

/** Who each event shows active: its actor's account, and the member a contact event names. */
export function seenIn(events: OutboxEvent[]): Seen[] {
  const seen: Seen[] = [];
  for (const e of events) {
    if (!e.tenantId) continue;
    const at = new Date(e.at).toISOString();
    if (e.actorId) seen.push({ tenant_id: e.tenantId, user_id: e.actorId, member_id: null, at, kind: e.kind });
    const memberId = (e.data as { memberId?: unknown } | null)?.memberId;
    if (CONTACT.has(e.kind) && typeof memberId === 'string')
      seen.push({ tenant_id: e.tenantId, user_id: null, member_id: memberId, at, kind: e.kind });
  }
  return seen;
}

/** One statement per outbox batch: each member's newest activity in it, kept when newer than what is stored. */
export async function recordActivity(tx: Tx, events: OutboxEvent[]): Promise<void> {
  const seen = seenIn(events);
  if (!seen.length) return;
  await tx.execute(sql`
    with e as (
      select * from jsonb_to_recordset(${JSON.stringify(seen)}::jsonb)
        as e(tenant_id uuid, user_id uuid, member_id uuid, at timestamptz, kind text)
    ), who as (
      select m.id, m.tenant_id, e.at, e.kind from e join member m on m.user_id = e.user_id and m.tenant_id = e.tenant_id
      union all
      select m.id, m.tenant_id, e.at, e.kind from e join member m on m.id = e.member_id and m.tenant_id = e.tenant_id
    )
    insert into member_activity (member_id, tenant_id, last_active_at, last_action)
    select distinct on (id) id, tenant_id, at, kind from who order by id, at desc
    on conflict (member_id) do update set last_active_at = excluded.last_active_at, last_action = excluded.last_action
      where excluded.last_active_at >= member_activity.last_active_at`);
}

/** The members of a subtree counted as 疑似失联 (see listSuspectedLost): a `from … where` to select or count from. */
const suspectedFrom = (tenantId: string, path: string, silentBefore: string) => sql`
    from member m
    join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
    left join member_activity a on a.tenant_id = m.tenant_id and a.member_id = m.id
    where m.tenant_id = ${tenantId} and m.org_path like ${`${path}%`}
      and m.left_at is null and m.suspended_on is null
      and not exists (select 1 from member_lost l where l.tenant_id = m.tenant_id and l.member_id = m.id and l.status in ('lost', 'suspended'))
      and coalesce(a.last_active_at, m.created_at) < ${chinaDayStart(silentBefore)}`;

/**
 * Per org of the subtree (with its path): members registered 失联 whose episode is open and not yet decided (status
 * `lost`: still to be searched for or 停止党籍 to be decided), and members 疑似失联 (silent for SUSPECTED_LOST_RULE's
 * months) — the two lists a branch has to act on. Two grouped queries.
 */
export async function lostByOrg(db: Queryable, tenantId: string, path: string, today = todayInChina()) {
  const silentBefore = addMonths(today, -SUSPECTED_LOST_RULE.afterMonths);
  const [lost, suspected] = await Promise.all([
    queryRows<{ path: string; n: number }>(
      db,
      sql`select m.org_path as path, count(*)::int as n from member_lost l join member m on m.tenant_id = l.tenant_id and m.id = l.member_id
          where l.tenant_id = ${tenantId} and m.org_path like ${`${path}%`} and l.status = 'lost' and m.left_at is null
          group by m.org_path`,
    ),
    queryRows<{ path: string; n: number }>(
      db,
      sql`select m.org_path as path, count(*)::int as n ${suspectedFrom(tenantId, path, silentBefore)} group by m.org_path`,
    ),
  ]);
  return { lost, suspected, silentBefore };
}

/**
 * Members of the scope's subtree on the roll (not left, 党籍 not stopped, no open 失联 episode) with no activity since
 * the threshold, counted from their last activity or, without one, from when their record was made. Longest silent
 * first; paged.
 */
export async function listSuspectedLost(
  db: Queryable,
  scope: Scope,
  f: { page: number; pageSize: number },
): Promise<{ items: SuspectedLost[]; total: number; silentBefore: string }> {
  const silentBefore = addMonths(todayInChina(), -SUSPECTED_LOST_RULE.afterMonths);
  const where = suspectedFrom(scope.tenantId, scope.org.path, silentBefore);
  const [rows, [count]] = await Promise.all([
    queryRows<{
      member_id: string;
      name: string;
      org_id: string;
      org_name: string;
      last_active_at: Date | string | null;
      last_action: string | null;
      silent_since: Date | string;
    }>(
      db,
      sql`select m.id as member_id, m.name, m.org_id, o.name as org_name, a.last_active_at, a.last_action,
            coalesce(a.last_active_at, m.created_at) as silent_since
          ${where}
          order by silent_since, m.id
          limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    ),
    queryRows<{ n: number }>(db, sql`select count(*)::int as n ${where}`),
  ]);
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    items: rows.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      orgId: r.org_id,
      orgName: r.org_name,
      lastActiveAt: r.last_active_at ? iso(r.last_active_at) : null,
      lastAction: r.last_action,
      silentSince: iso(r.silent_since),
    })),
    total: count?.n ?? 0,
    silentBefore,
  };
}

/** The member's own activity row, for their personal-data copy. */
export async function activityOf(db: Queryable, memberId: string) {
  const [row] = await queryRows<{ last_active_at: Date | string; last_action: string }>(
    db,
    sql`select last_active_at, last_action from member_activity where member_id = ${memberId}`,
  );
  return row ? { lastActiveAt: new Date(row.last_active_at).toISOString(), lastAction: row.last_action } : null;
}
