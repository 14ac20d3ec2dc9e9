/**
 * Offline payment instructions per org (issue 28 item 7 / issue 16 item 6): who collects dues, where and
 * when. Set on an org by its secretary or an org admin; an org without its own inherits the nearest
 * ancestor's. Members see their branch's instructions on 我的党费 — as the way to pay when online payment
 * is not configured, beside it when it is.
 */
import { now, type OfflineInfo, type OfflineInfoInput } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { PaymentConfig } from '../../platform/config';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { duesOfflineInfo } from './schema';
import { selfMember } from './service';

type Row = {
  org_id: string;
  org_name: string;
  collector: string;
  place: string;
  time: string;
  note: string;
  updated_at: string | Date;
};
const view = (r: Row): OfflineInfo => ({
  orgId: r.org_id,
  orgName: r.org_name,
  collector: r.collector,
  place: r.place,
  time: r.time,
  note: r.note,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The org's own instructions, and the ones in force for it (its own, or the nearest ancestor's). */
export async function offlineInfoOf(db: Queryable, tenantId: string, org: Pick<OrgRef, 'id' | 'path'>) {
  const rows = await queryRows<Row & { depth: number }>(
    db,
    sql`select i.org_id, o.name as org_name, i.collector, i.place, i.time, i.note, i.updated_at, length(o.path) as depth
      from dues_offline_info i join org o on o.tenant_id = i.tenant_id and o.id = i.org_id
      where i.tenant_id = ${tenantId} and ${org.path} like o.path || '%'
      order by length(o.path) desc limit 1`,
  );
  const effective = rows[0] ? view(rows[0]) : null;
  return { own: effective && effective.orgId === org.id ? effective : null, effective };
}

export async function putOfflineInfo(db: Db, scope: Scope, input: OfflineInfoInput) {
  return db.transaction(async (tx) => {
    const before = await offlineInfoOf(tx, scope.tenantId, scope.org);
    const values = {
      collector: input.collector,
      place: input.place,
      time: input.time,
      note: input.note ?? '',
      updatedBy: scope.actor.username,
      updatedAt: now(),
    };
    await tx
      .insert(duesOfflineInfo)
      .values({ orgId: scope.org.id, tenantId: scope.tenantId, ...values })
      .onConflictDoUpdate({ target: duesOfflineInfo.orgId, set: values });
    await writeAudit(tx, scope.actor, {
      action: 'dues.offline_info.set',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      before: before.own
        ? { collector: before.own.collector, place: before.own.place, time: before.own.time, note: before.own.note }
        : null,
      after: { collector: values.collector, place: values.place, time: values.time, note: values.note },
    });
    return offlineInfoOf(tx, scope.tenantId, scope.org);
  });
}

/** What the member can pay with: the configured online channels, and the branch's offline way. */
export async function payOptions(db: Queryable, pay: PaymentConfig, scope: Scope) {
  const self = await selfMember(db, scope);
  const [org] = await queryRows<{ id: string; path: string }>(
    db,
    sql`select id, path from org where tenant_id = ${scope.tenantId} and id = ${self.orgId}`,
  );
  return {
    online: { wechat: Boolean(pay.wechat), alipay: Boolean(pay.alipay) },
    offline: org ? (await offlineInfoOf(db, scope.tenantId, org)).effective : null,
  };
}
