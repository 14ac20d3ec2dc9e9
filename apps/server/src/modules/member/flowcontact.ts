/**
 * A branch's 流动党员 contact interval: how often the branch should be in touch with each of its flowing members
 * (the reminders of reminders.ts and the member's own 「下次报到」 date follow it). The nearest org at or above a
 * member's org that set one applies — a committee can set it for its whole subtree, a branch for itself — else
 * FLOW_CONTACT_RULE.contactEveryMonths. Bounded by FLOW_CONTACT_RULE.minMonths/maxMonths (the reason is there).
 */
import { FLOW_CONTACT_RULE, now, type FlowSettings } from '@xianfeng/shared';
import { sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { memberFlowSetting } from './schema';

/** SQL for the interval (months) that applies at the org whose path is `orgPath`, in tenant `tenantId`. */
export const contactIntervalSql = (tenantId: SQL, orgPath: SQL): SQL =>
  sql`coalesce((select s.contact_every_months from member_flow_setting s join org so on so.tenant_id = s.tenant_id and so.id = s.org_id
                 where s.tenant_id = ${tenantId} and ${orgPath} like so.path || '%'
                 order by length(so.path) desc limit 1), ${FLOW_CONTACT_RULE.contactEveryMonths}::int)`;

/** The interval at the scope's org, and where it comes from. */
export async function flowSettingsAt(db: Queryable, scope: Scope): Promise<FlowSettings> {
  const [row] = await queryRows<{ months: number; org_id: string; org_name: string }>(
    db,
    sql`select s.contact_every_months as months, so.id as org_id, so.name as org_name
        from member_flow_setting s join org so on so.tenant_id = s.tenant_id and so.id = s.org_id
        where s.tenant_id = ${scope.tenantId} and ${scope.org.path} like so.path || '%'
        order by length(so.path) desc limit 1`,
  );
  return {
    orgId: scope.org.id,
    contactEveryMonths: row?.months ?? FLOW_CONTACT_RULE.contactEveryMonths,
    own: row?.org_id === scope.org.id,
    fromOrgName: row && row.org_id !== scope.org.id ? row.org_name : null,
    minMonths: FLOW_CONTACT_RULE.minMonths,
    maxMonths: FLOW_CONTACT_RULE.maxMonths,
    rule: FLOW_CONTACT_RULE.citation,
    ruleConfirmed: FLOW_CONTACT_RULE.citationConfirmed,
  };
}

/** Sets the scope's org's interval (its subtree follows unless a lower org set its own); audited. */
export async function setFlowSettings(db: Db, scope: Scope, months: number): Promise<FlowSettings> {
  const before = await flowSettingsAt(db, scope);
  const by = scope.actor.username ?? '系统';
  await db.transaction(async (tx) => {
    await tx
      .insert(memberFlowSetting)
      .values({ tenantId: scope.tenantId, orgId: scope.org.id, contactEveryMonths: months, updatedBy: by })
      .onConflictDoUpdate({
        target: [memberFlowSetting.tenantId, memberFlowSetting.orgId],
        set: { contactEveryMonths: months, updatedBy: by, updatedAt: now() },
      });
    await writeAudit(tx, scope.actor, {
      action: 'member.flow.settings',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      before: { contactEveryMonths: before.contactEveryMonths, own: before.own },
      after: { contactEveryMonths: months },
    });
  });
  return flowSettingsAt(db, scope);
}
