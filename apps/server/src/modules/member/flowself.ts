/**
 * 流动党员 kept in touch from their side (issue #22): the member sees their own flow (where, since, last contact, when the
 * next contact is due and when 失联 would be reached) and 「向支部报到」 from the phone anywhere. A report-in is a
 * contact: it resets the 失联 clock exactly as the 书记's 「记录联系」 does, and tells the branch's 书记. A member already
 * on the 失联 path (lost.ts) is not taken off it by a report-in — the 书记 records 「取得联系」 there — but the notice says so.
 */
import {
  addMonths,
  chinaDateLabel,
  FLOW_CONTACT_RULE,
  LOST_CONTACT_MONTHS,
  todayInChina,
  type FlowCheckinBody,
  type MyFlow,
} from '@xianfeng/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { byKey, inTenant, onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { notify } from '../notify/service';
import { member, memberFlow, memberLost } from './schema';
import { contactIntervalSql } from './flowcontact';

async function openFlow(db: Queryable, tenantId: string, memberId: string) {
  const [row] = await db
    .select({
      f: memberFlow,
      name: member.name,
      orgId: member.orgId,
      orgName: org.name,
      leftAt: member.leftAt,
      suspendedOn: member.suspendedOn,
      hostOrgName: sql<
        string | null
      >`(select h.name from org h where h.tenant_id = ${memberFlow.tenantId} and h.id = ${memberFlow.hostOrgId})`,
      contactEveryMonths: sql<number>`${contactIntervalSql(sql`${member.tenantId}`, sql`${org.path}`)}`,
    })
    .from(memberFlow)
    .innerJoin(member, onKey(member, memberFlow.memberId, memberFlow))
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(and(eq(memberFlow.tenantId, tenantId), eq(memberFlow.memberId, memberId), isNull(memberFlow.endedOn)));
  return row ?? null;
}

/** The member's own open flow, or null when they are not a flowing member. */
export async function myFlow(db: Queryable, tenantId: string, memberId: string): Promise<MyFlow | null> {
  const row = await openFlow(db, tenantId, memberId);
  if (!row || row.leftAt) return null;
  const f = row.f;
  return {
    memberName: row.name,
    orgName: row.orgName,
    location: f.location,
    hostOrgName: row.hostOrgName,
    since: f.since,
    expectedUntil: f.expectedUntil,
    lastContactOn: f.lastContactOn,
    contactDueOn: addMonths(f.lastContactOn, row.contactEveryMonths),
    lostOn: addMonths(f.lastContactOn, LOST_CONTACT_MONTHS),
    today: f.lastContactOn >= todayInChina(),
    rule: FLOW_CONTACT_RULE.citation,
    ruleConfirmed: FLOW_CONTACT_RULE.citationConfirmed,
  };
}

/** 「向支部报到」: the signed-in member only (the caller passes their own member id, never one from the request). */
export async function flowCheckin(db: Db, scope: Scope, memberId: string, body: z.infer<typeof FlowCheckinBody>) {
  const today = todayInChina();
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ id: memberFlow.id })
      .from(memberFlow)
      .where(
        and(eq(memberFlow.tenantId, scope.tenantId), eq(memberFlow.memberId, memberId), isNull(memberFlow.endedOn)),
      )
      .for('update');
    const row = locked ? await openFlow(tx, scope.tenantId, memberId) : null;
    if (!row || row.leftAt)
      throw unprocessable('您目前不是登记的流动党员，无需报到；如已外出，请联系支部书记登记', undefined, 'NOT_FLOWING');
    if (row.suspendedOn) throw conflict('您的党籍已停止，请直接联系支部书记办理恢复党籍', 'LOST_SUSPENDED');
    const location = body.location && body.location !== '' ? body.location : row.f.location;
    await tx
      .update(memberFlow)
      .set({ lastContactOn: today, location })
      .where(byKey(memberFlow, scope.tenantId, row.f.id));
    const [lost] = await tx
      .select({ status: memberLost.status })
      .from(memberLost)
      .where(
        inTenant(memberLost, scope.tenantId, eq(memberLost.memberId, memberId), inArray(memberLost.status, ['lost'])),
      );
    const sent = await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'member.flow.checkin',
      recipients: { orgRoles: [{ orgId: row.orgId, roles: ['secretary'], nearest: true }] },
      data: {
        memberName: row.name,
        orgName: row.orgName,
        location,
        on: chinaDateLabel(today),
        note: body.note || '（未填写近况）',
        lost: lost ? '。该党员已登记为失联党员，请核实后在「失联党员」中登记「取得联系」。' : '',
      },
      link: `/members/${memberId}?tab=flow`,
      orgId: row.orgId,
      dedupeKey: `member.flow.checkin:${memberId}:${today}:${lost ? 'lost' : 'flow'}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'member.flow_checkin',
      entityType: 'member',
      entityId: memberId,
      org: scope.org,
      after: { on: today, location, locationChanged: location !== row.f.location },
    });
    return { lastContactOn: today, location, notified: sent.notified > 0, lostOpen: Boolean(lost) };
  });
}
