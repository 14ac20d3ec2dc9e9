/**
 * The notices 考核评价 sends, inside the transaction of the step that causes them (like 互动's answers): the assessed
 * branch's secretary hears of its published result (score and rank), the secretaries of the org above of an appeal,
 * and the person who appealed of the answer. Each has a dedupe key, so a step retried sends nothing twice.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db';
import { org } from '../../platform/schema';
import { notify } from '../notify/service';

const ASSESS_LINK = (planId: string, unitId: string) => `/assess?plan=${planId}&unit=${unitId}`;
const score = (n: number | null) => (n === null ? '—' : String(Math.round(n * 10) / 10));

export async function tellPublished(
  tx: Tx,
  tenantId: string,
  plan: { id: string; title: string },
  units: {
    id: string;
    orgId: string;
    parentId: string;
    name: string;
    total: number | null;
    rank: number;
    peers: number;
  }[],
) {
  const parents = units.length
    ? await tx
        .select({ id: org.id, name: org.name })
        .from(org)
        .where(and(eq(org.tenantId, tenantId), inArray(org.id, [...new Set(units.map((u) => u.parentId))])))
    : [];
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  for (const u of units)
    await notify(tx, {
      tenantId,
      kind: 'assess.published',
      recipients: { orgRoles: [{ orgId: u.orgId, roles: ['secretary'] }] },
      data: {
        planTitle: plan.title,
        orgName: u.name,
        total: score(u.total),
        rank: u.rank,
        peers: u.peers,
        parentName: parentName.get(u.parentId) ?? '上级党组织',
      },
      link: ASSESS_LINK(plan.id, u.id),
      dedupeKey: `assess.published:${u.id}`,
    });
}

export function tellAppealed(
  tx: Tx,
  tenantId: string,
  plan: { id: string; title: string },
  unit: { id: string; parentId: string; orgName: string },
  by: string,
) {
  return notify(tx, {
    tenantId,
    kind: 'assess.appealed',
    // The reviewers: the record keepers of the org above (or of the nearest org above that has any).
    recipients: { orgRoles: [{ orgId: unit.parentId, roles: ['secretary', 'org_admin'], nearest: true }] },
    data: { planTitle: plan.title, orgName: unit.orgName, by },
    link: ASSESS_LINK(plan.id, unit.id),
    dedupeKey: `assess.appealed:${unit.id}`,
  });
}

export function tellAppealAnswered(
  tx: Tx,
  tenantId: string,
  plan: { id: string; title: string },
  unit: { id: string; orgName: string; appealUserId: string | null },
  by: string,
  corrected: boolean,
) {
  if (!unit.appealUserId) return Promise.resolve();
  return notify(tx, {
    tenantId,
    kind: 'assess.appeal.answered',
    recipients: { users: [unit.appealUserId] },
    data: { planTitle: plan.title, orgName: unit.orgName, by, changed: corrected ? '，并更正了评分' : '' },
    link: ASSESS_LINK(plan.id, unit.id),
    dedupeKey: `assess.appeal.answered:${unit.id}`,
  });
}

/**
 * 自评 is open: each assessed branch's secretary hears what to self-assess (the items the branch scores) and by
 * when. Sent when the plan is made, again when its deadline moves, and to one branch when the org above reopens
 * 自评 for it; the deadline is part of the dedupe key, so each deadline is told once.
 */
export async function tellSelfOpen(
  tx: Tx,
  tenantId: string,
  plan: { id: string; title: string; assessor: string; period: string; items: string[] },
  units: { id: string; orgId: string; name: string }[],
  deadline: string | null,
) {
  for (const u of units)
    await notify(tx, {
      tenantId,
      kind: 'assess.self.open',
      recipients: { orgRoles: [{ orgId: u.orgId, roles: ['secretary'] }] },
      data: {
        planTitle: plan.title,
        assessor: plan.assessor,
        period: plan.period,
        orgName: u.name,
        deadline: deadline ? `${deadline} 前` : '结果公布前',
        items: plan.items.length ? plan.items.join('、') : '（本次考核没有需要自评的指标）',
      },
      link: ASSESS_LINK(plan.id, u.id),
      dedupeKey: `assess.self.open:${u.id}:${deadline ?? 'none'}`,
    });
}
