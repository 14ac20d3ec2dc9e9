/**
 * 考核 (assessment, issue 21): the indicator library, plans (a period, the org whose 党支部 are assessed, weighted
 * indicators adding up to 100), business KPI values (entered or imported), the flow 自评 → 上级评分 → 公布 → 申诉 →
 * 关闭, and results with a per-indicator breakdown and a rank within each parent.
 *
 * Who: the plan's org's record keepers manage it (define, KPI values, publish, close); a 党支部's own keepers
 * self-assess and appeal; reviewers are record keepers bound strictly above the assessed org (the platform has
 * already refused anyone whose binding does not cover it). Readers see the plan's units within their scope.
 */
import {
  ASSESS_RULES,
  ASSESS_SCORE_BANDS,
  type AssessDashboard,
  AUTO_SOURCES,
  INDICATOR_METHOD_LABELS,
  inGroup,
  now,
  RECORD_KEEPERS,
  RECORD_READERS,
  todayInChina,
  WEIGHTED_METHODS,
  type AppealAnswerInput,
  type AutoSource,
  type Indicator,
  type IndicatorInput,
  type AssessPlan,
  type AssessPlanInput,
  type AssessPlanItem,
  type AssessPlanPatch,
  type PlanStatus,
  type RectifyFromResultInput,
  type ReopenSelfInput,
  type ScoresInput,
  type UnitBrief,
  type UnitDetail,
} from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  actorName,
  covers,
  loadBindings,
  loadOrgRef,
  orgOfRow,
  type Caller,
  type OrgRef,
  type Scope,
} from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { uploadedFileView, type StoredFile } from '../../platform/files';
import { org } from '../../platform/schema';
import { createItem as createRectification, itemsFromSource } from '../supervise/service';
import { tellAppealAnswered, tellAppealed, tellPublished, tellSelfOpen } from './notices';
import { autoFigures, computeLines, periodOf, rankWithinParents } from './scoring';
import {
  assessFile,
  assessIndicator,
  assessPlan,
  assessUnit,
  type AutoFigure,
  type PlanItemRow,
  type ScoreMap,
} from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

type PlanRow = typeof assessPlan.$inferSelect;
type UnitRow = typeof assessUnit.$inferSelect;

const refOf = (o: { id: string; path: string; tenantId: string; name: string; kind: string }): OrgRef => ({
  id: o.id,
  path: o.path,
  tenantId: o.tenantId,
  name: o.name,
  kind: o.kind,
});
const keeperCovering = (scope: Pick<Scope, 'principal'>, target: OrgRef) =>
  scope.principal.bindings.some((b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, target));
/** A record keeper bound strictly above `target` (the org above reviews, never the assessed org itself). */
const keeperAbove = (scope: Pick<Scope, 'principal'>, target: OrgRef) =>
  scope.principal.bindings.some(
    (b) => inGroup(RECORD_KEEPERS, b.role) && b.org.id !== target.id && covers(b.org, target),
  );
/** A record keeper of the assessed org itself (or of one of its 党小组): the 党支部's side. */
const keeperOwn = (scope: Pick<Scope, 'principal'>, target: OrgRef) =>
  scope.principal.bindings.some(
    (b) => inGroup(RECORD_KEEPERS, b.role) && (b.org.id === target.id || b.org.path.startsWith(target.path)),
  );

// ---------------------------------------------------------------- access lookups

/** A plan, for managing it: its org. */
export const orgOfPlan = orgOfRow(assessPlan);

/**
 * A plan, for reading it: its org for readers covering it; for a reader bound inside the plan's subtree (a 党支部's
 * 书记), their own binding org — they see the plan and their own units. Anyone else: 404.
 */
export async function orgOfPlanForReader(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const [p] = await db
    .select({ orgId: assessPlan.orgId, path: org.path })
    .from(assessPlan)
    .innerJoin(org, onKey(org, assessPlan.orgId, assessPlan))
    .where(and(eq(assessPlan.tenantId, tenantId), eq(assessPlan.id, id)));
  if (!p) return null;
  const readers = (await loadBindings(db, tenantId, caller.userId)).filter((b) => inGroup(RECORD_READERS, b.role));
  if (readers.some((b) => p.path.startsWith(b.org.path))) return p.orgId;
  return readers.find((b) => b.org.path.startsWith(p.path))?.org.id ?? null;
}

/** An assessed org of a plan: that org. */
export const orgOfUnit = orgOfRow(assessUnit);

// ---------------------------------------------------------------- indicator library

function indicatorView(r: typeof assessIndicator.$inferSelect, orgName: string): Indicator {
  return {
    id: r.id,
    orgId: r.orgId,
    orgName,
    name: r.name,
    category: r.category as Indicator['category'],
    method: r.method as Indicator['method'],
    source: (r.source as AutoSource | null) ?? null,
    maxScore: Number(r.maxScore),
    unit: r.unit,
    target: r.target === null ? null : Number(r.target),
    higherBetter: r.higherBetter,
    description: r.description,
  };
}

/** Indicators a plan at the scope's org may use: kept by that org, by the orgs above it, or in its subtree. */
export async function listIndicators(
  db: Queryable,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  page: number,
  pageSize: number,
) {
  const where = and(
    eq(assessIndicator.tenantId, scope.tenantId),
    sql`(${scope.org.path} like ${org.path} || '%' or ${org.path} like ${`${scope.org.path}%`})`,
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ r: assessIndicator, orgName: org.name })
      .from(assessIndicator)
      .innerJoin(org, onKey(org, assessIndicator.orgId, assessIndicator))
      .$dynamic(),
    countFrom(db, assessIndicator).innerJoin(org, onKey(org, assessIndicator.orgId, assessIndicator)),
    where,
    [
      asc(org.path),
      sql`array_position(array['auto','manual','kpi','bonus','deduction'], ${assessIndicator.method})`,
      asc(assessIndicator.createdAt),
      asc(assessIndicator.name),
      asc(assessIndicator.id),
    ],
    page,
    pageSize,
  );
  return { items: rows.map((r) => indicatorView(r.r, r.orgName)), total };
}

export async function createIndicator(db: Db, scope: Scope, input: IndicatorInput): Promise<Indicator> {
  const byName = actorName(scope);
  return db.transaction(async (tx) => {
    const [r] = await tx
      .insert(assessIndicator)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        name: input.name,
        category: input.category,
        method: input.method,
        source: input.method === 'auto' ? input.source! : null,
        maxScore: input.maxScore,
        unit: input.unit || null,
        target: input.method === 'kpi' ? input.target! : null,
        higherBetter: input.higherBetter ?? true,
        description: input.description || null,
        createdBy: byName,
        createdAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'assess.indicator.create',
      entityType: 'assess_indicator',
      entityId: r!.id,
      org: scope.org,
      after: { ...input },
    });
    return indicatorView(r!, scope.org.name);
  });
}

// ---------------------------------------------------------------- plans

const assertOpen = (p: PlanRow) => {
  if (p.status === 'closed') throw conflict('该考核已关闭，不能再修改', 'ASSESS_CLOSED');
  if (p.status !== 'open')
    throw conflict('该考核结果已公布，不能再修改评分和指标；如有异议请通过申诉办理', 'ASSESS_PUBLISHED');
};

function checkSelfDeadline(day: string | null | undefined, today: string) {
  if (day && day < today)
    throw unprocessable(
      `自评截止日期不能早于今天（${today}）`,
      [{ field: 'selfDeadline', message: `请选择 ${today} 或以后的日期` }],
      'ASSESS_DEADLINE_PAST',
    );
}

/** The last day an org may self-assess: the plan's deadline, or the later day the org above reopened it to. */
const selfDeadlineOf = (p: PlanRow, u: UnitRow) =>
  p.selfDeadline && u.selfReopenedUntil && u.selfReopenedUntil > p.selfDeadline ? u.selfReopenedUntil : p.selfDeadline;

function assertSelfOpen(p: PlanRow, u: UnitRow, today: string) {
  const last = selfDeadlineOf(p, u);
  if (last && today > last)
    throw conflict(
      `自评已于 ${last} 截止，不能再自评或上传自评材料；如需补报，请上级党组织重新开放自评`,
      'ASSESS_SELF_CLOSED',
    );
}

/** The names of the items a branch scores itself (manual, bonus, deduction), for the 自评 notice. */
const selfItems = (items: PlanItemRow[]) =>
  items.filter((i) => i.method === 'manual' || i.method === 'bonus' || i.method === 'deduction').map((i) => i.name);

/** Builds the plan's items from the library, checking that the indicators are usable here and the weights add up to 100. */
async function planItems(
  db: Queryable,
  tenantId: string,
  at: OrgRef,
  items: AssessPlanInput['items'],
  old: PlanItemRow[] = [],
): Promise<PlanItemRow[]> {
  const ids = [...new Set(items.map((i) => i.indicatorId))];
  if (ids.length !== items.length)
    throw unprocessable(
      '同一指标不能重复选择',
      [{ field: 'items', message: '指标重复' }],
      'ASSESS_DUPLICATE_INDICATOR',
    );
  const rows = await db
    .select({ r: assessIndicator, path: org.path })
    .from(assessIndicator)
    .innerJoin(org, onKey(org, assessIndicator.orgId, assessIndicator))
    .where(and(eq(assessIndicator.tenantId, tenantId), inArray(assessIndicator.id, ids)));
  const byId = new Map(
    rows.filter((r) => at.path.startsWith(r.path) || r.path.startsWith(at.path)).map((r) => [r.r.id, r.r]),
  );
  const errors: { field: string; message: string }[] = [];
  const out: PlanItemRow[] = [];
  items.forEach((it, i) => {
    const r = byId.get(it.indicatorId);
    if (!r) return errors.push({ field: `items.${i}.indicatorId`, message: '指标不存在，或不在本组织可用的指标库中' });
    const weighted = WEIGHTED_METHODS.includes(r.method as never);
    if (weighted && it.weight <= 0) errors.push({ field: `items.${i}.weight`, message: `「${r.name}」的权重须大于 0` });
    if (!weighted && it.weight !== 0)
      errors.push({
        field: `items.${i}.weight`,
        message: `「${r.name}」是${INDICATOR_METHOD_LABELS[r.method as 'bonus']}，不计权重（权重填 0），按上限 ${Number(r.maxScore)} 分计`,
      });
    const prev = old.find((o) => o.indicatorId === r.id);
    out.push({
      key: prev?.key ?? crypto.randomUUID().slice(0, 8),
      indicatorId: r.id,
      name: r.name,
      category: r.category,
      method: r.method,
      source: r.source,
      maxScore: Number(r.maxScore),
      weight: it.weight,
      unit: r.unit,
      target: r.method === 'kpi' ? (it.target ?? Number(r.target)) : null,
      higherBetter: r.higherBetter,
    });
  });
  if (errors.length) throw unprocessable(`指标有误：${errors[0]!.message}`, errors, 'ASSESS_BAD_ITEMS');
  const sum =
    Math.round(
      out.filter((o) => WEIGHTED_METHODS.includes(o.method as never)).reduce((s, o) => s + o.weight, 0) * 100,
    ) / 100;
  if (sum !== 100)
    throw unprocessable(
      `计权重的指标权重之和须为 100，现在是 ${sum}`,
      [{ field: 'items', message: ASSESS_RULES.weights.text }],
      'ASSESS_WEIGHTS_NOT_100',
    );
  return out;
}

/** The 党支部 of a subtree (the assessed orgs) and their parents. */
async function branchesWithin(db: Queryable, tenantId: string, at: OrgRef) {
  return db
    .select({ id: org.id, parentId: org.parentId })
    .from(org)
    .where(
      and(
        eq(org.tenantId, tenantId),
        eq(org.kind, 'branch'),
        sql`${org.path} like ${`${at.path}%`}`,
        sql`${org.dissolvedAt} is null`,
      ),
    )
    .orderBy(asc(org.path));
}

export async function createPlan(
  db: Db,
  scope: Scope,
  input: AssessPlanInput,
  today = todayInChina(),
): Promise<AssessPlan> {
  const at = scope.org;
  checkSelfDeadline(input.selfDeadline, today);
  if (at.kind === 'branch' || at.kind === 'group')
    throw unprocessable(
      '考核由党委或党总支对其下属党支部开展，请选择党委或党总支',
      [{ field: 'orgId', message: '请选择党委或党总支' }],
      'ASSESS_BAD_ORG',
    );
  const items = await planItems(db, scope.tenantId, at, input.items);
  const branches = await branchesWithin(db, scope.tenantId, at);
  if (branches.length === 0) throw unprocessable(`${at.name}下没有党支部可考核`, undefined, 'ASSESS_NO_UNITS');
  const byName = actorName(scope);
  const id = await db.transaction(async (tx) => {
    const [p] = await tx
      .insert(assessPlan)
      .values({
        tenantId: scope.tenantId,
        orgId: at.id,
        title: input.title,
        year: input.year,
        quarter: input.quarter ?? null,
        items,
        selfDeadline: input.selfDeadline ?? null,
        status: 'open',
        createdBy: byName,
        createdAt: now(),
      })
      .returning();
    const made = await tx
      .insert(assessUnit)
      .values(branches.map((b) => ({ tenantId: scope.tenantId, planId: p!.id, orgId: b.id, parentId: b.parentId! })))
      .returning({ id: assessUnit.id, orgId: assessUnit.orgId });
    await tellSelfOpen(
      tx,
      scope.tenantId,
      planNotice(p!, at),
      await withNames(tx, scope.tenantId, made),
      p!.selfDeadline,
    );
    await writeAudit(tx, scope.actor, {
      action: 'assess.plan.create',
      entityType: 'assess_plan',
      entityId: p!.id,
      org: at,
      after: {
        title: input.title,
        year: input.year,
        quarter: input.quarter ?? null,
        items,
        selfDeadline: input.selfDeadline ?? null,
        units: branches.length,
      },
    });
    return p!.id;
  });
  return getPlan(db, scope, id);
}

const planNotice = (p: PlanRow, at: OrgRef) => ({
  id: p.id,
  title: p.title,
  assessor: at.name,
  period: periodOf(p.year, p.quarter).label,
  items: selfItems(p.items),
});

async function withNames(db: Queryable, tenantId: string, units: { id: string; orgId: string }[]) {
  if (units.length === 0) return [];
  const names = await db
    .select({ id: org.id, name: org.name })
    .from(org)
    .where(
      and(
        eq(org.tenantId, tenantId),
        inArray(
          org.id,
          units.map((u) => u.orgId),
        ),
      ),
    );
  const byId = new Map(names.map((n) => [n.id, n.name]));
  return units.map((u) => ({ ...u, name: byId.get(u.orgId) ?? '' }));
}

async function loadPlan(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ p: assessPlan, o: org })
    .from(assessPlan)
    .innerJoin(org, onKey(org, assessPlan.orgId, assessPlan))
    .where(and(eq(assessPlan.tenantId, tenantId), eq(assessPlan.id, id)));
  if (!row) throw notFound();
  return { p: row.p, at: refOf(row.o) };
}

function planView(
  p: PlanRow,
  at: OrgRef,
  c: { units: number; self: number; review: number; appeals: number },
  canManage: boolean,
): AssessPlan {
  const period = periodOf(p.year, p.quarter);
  return {
    id: p.id,
    orgId: p.orgId,
    orgName: at.name,
    title: p.title,
    year: p.year,
    quarter: p.quarter,
    periodLabel: period.label,
    from: period.from,
    to: period.to,
    status: p.status as PlanStatus,
    selfDeadline: p.selfDeadline,
    items: p.items as AssessPlanItem[],
    units: c.units,
    selfDone: c.self,
    reviewDone: c.review,
    openAppeals: c.appeals,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
    canManage,
  };
}

async function counts(db: Queryable, tenantId: string, planIds: string[]) {
  if (planIds.length === 0) return new Map<string, { units: number; self: number; review: number; appeals: number }>();
  const rows = await db
    .select({
      planId: assessUnit.planId,
      units: sql<number>`count(*)::int`,
      self: sql<number>`(count(*) filter (where ${assessUnit.selfAt} is not null))::int`,
      review: sql<number>`(count(*) filter (where ${assessUnit.reviewAt} is not null))::int`,
      appeals: sql<number>`(count(*) filter (where ${assessUnit.appealAt} is not null and ${assessUnit.answeredAt} is null))::int`,
    })
    .from(assessUnit)
    .where(and(eq(assessUnit.tenantId, tenantId), inArray(assessUnit.planId, planIds)))
    .groupBy(assessUnit.planId);
  return new Map(rows.map((r) => [r.planId, r]));
}

export async function getPlan(db: Queryable, scope: Scope, id: string): Promise<AssessPlan> {
  const { p, at } = await loadPlan(db, scope.tenantId, id);
  const c = (await counts(db, scope.tenantId, [id])).get(id) ?? { units: 0, self: 0, review: 0, appeals: 0 };
  return planView(p, at, c, keeperCovering(scope, at));
}

/** Plans that concern the scope's org: made by it or above it (it is assessed), or below it. Newest first. */
export async function listPlans(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = and(
    eq(assessPlan.tenantId, scope.tenantId),
    sql`(${scope.org.path} like ${org.path} || '%' or ${org.path} like ${`${scope.org.path}%`})`,
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ p: assessPlan, o: org })
      .from(assessPlan)
      .innerJoin(org, onKey(org, assessPlan.orgId, assessPlan))
      .$dynamic(),
    countFrom(db, assessPlan).innerJoin(org, onKey(org, assessPlan.orgId, assessPlan)),
    where,
    [
      desc(assessPlan.year),
      sql`${assessPlan.quarter} desc nulls first`,
      desc(assessPlan.createdAt),
      asc(assessPlan.id),
    ],
    page,
    pageSize,
  );
  const c = await counts(
    db,
    scope.tenantId,
    rows.map((r) => r.p.id),
  );
  return {
    items: rows.map((r) =>
      planView(
        r.p,
        refOf(r.o),
        c.get(r.p.id) ?? { units: 0, self: 0, review: 0, appeals: 0 },
        keeperCovering(scope, refOf(r.o)),
      ),
    ),
    total,
  };
}

export async function updatePlan(
  db: Db,
  scope: Scope,
  id: string,
  patch: AssessPlanPatch,
  today = todayInChina(),
): Promise<AssessPlan> {
  const { p, at } = await loadPlan(db, scope.tenantId, id);
  assertOpen(p);
  const selfDeadline = patch.selfDeadline === undefined ? p.selfDeadline : patch.selfDeadline;
  if (selfDeadline !== p.selfDeadline) checkSelfDeadline(selfDeadline, today);
  const items = patch.items ? await planItems(db, scope.tenantId, at, patch.items, p.items) : p.items;
  const changes = {
    title: patch.title ?? p.title,
    year: patch.year ?? p.year,
    quarter: patch.quarter === undefined ? p.quarter : patch.quarter,
    items,
    selfDeadline,
  };
  await db.transaction(async (tx) => {
    const done = await tx
      .update(assessPlan)
      .set(changes)
      .where(and(eq(assessPlan.tenantId, scope.tenantId), eq(assessPlan.id, id), eq(assessPlan.status, 'open')))
      .returning({ id: assessPlan.id });
    if (done.length === 0) throw conflict('该考核已公布或关闭，不能再修改', 'ASSESS_PUBLISHED');
    await writeAudit(tx, scope.actor, {
      action: 'assess.plan.update',
      entityType: 'assess_plan',
      entityId: id,
      org: at,
      before: { title: p.title, year: p.year, quarter: p.quarter, items: p.items, selfDeadline: p.selfDeadline },
      after: changes,
    });
    // A new (or removed) deadline: every branch hears it again.
    if (selfDeadline !== p.selfDeadline) {
      const units = await tx
        .select({ id: assessUnit.id, orgId: assessUnit.orgId })
        .from(assessUnit)
        .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.planId, id)));
      await tellSelfOpen(
        tx,
        scope.tenantId,
        planNotice({ ...p, ...changes }, at),
        await withNames(tx, scope.tenantId, units),
        selfDeadline,
      );
    }
  });
  return getPlan(db, scope, id);
}

// ---------------------------------------------------------------- units

async function loadUnit(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({
      u: assessUnit,
      o: org,
      parentName: sql<string>`(select name from org where tenant_id = ${assessUnit.tenantId} and id = ${assessUnit.parentId})`,
    })
    .from(assessUnit)
    .innerJoin(org, onKey(org, assessUnit.orgId, assessUnit))
    .where(and(eq(assessUnit.tenantId, tenantId), eq(assessUnit.id, id)));
  if (!row) throw notFound();
  const { p, at } = await loadPlan(db, tenantId, row.u.planId);
  return { u: row.u, unit: refOf(row.o), parentName: row.parentName, p, planOrg: at };
}

const appealState = (u: UnitRow): UnitBrief['appeal'] => (u.appealAt ? (u.answeredAt ? 'answered' : 'open') : 'none');

function unitBrief(u: UnitRow, orgName: string, parentName: string): UnitBrief {
  return {
    id: u.id,
    planId: u.planId,
    orgId: u.orgId,
    orgName,
    parentId: u.parentId,
    parentName,
    selfAt: u.selfAt?.toISOString() ?? null,
    reviewAt: u.reviewAt?.toISOString() ?? null,
    total: u.total === null ? null : Number(u.total),
    rank: u.rank,
    peers: u.peers,
    appeal: appealState(u),
  };
}

/**
 * The assessed orgs of a plan the caller may see (all of them for readers covering the plan's org, else those
 * in the caller's own scope), grouped by parent, best first once published.
 */
export async function listUnits(db: Queryable, scope: Scope, planId: string, page: number, pageSize: number) {
  const { at } = await loadPlan(db, scope.tenantId, planId);
  const readers = scope.principal.bindings.filter((b) => inGroup(RECORD_READERS, b.role));
  const whole = readers.some((b) => covers(b.org, at));
  const paths = whole ? [at.path] : readers.map((b) => b.org.path).filter((p) => p.startsWith(at.path));
  const where = and(
    eq(assessUnit.tenantId, scope.tenantId),
    eq(assessUnit.planId, planId),
    sql`${org.path} like any(${sql.param(paths.map((p) => `${p}%`))}::text[])`,
  );
  const parent = sql<string>`(select name from org where tenant_id = ${assessUnit.tenantId} and id = ${assessUnit.parentId})`;
  const { items: rows, total } = await pageWhere(
    db
      .select({ u: assessUnit, orgName: org.name, parentName: parent })
      .from(assessUnit)
      .innerJoin(org, onKey(org, assessUnit.orgId, assessUnit))
      .$dynamic(),
    countFrom(db, assessUnit).innerJoin(org, onKey(org, assessUnit.orgId, assessUnit)),
    where,
    [
      sql`(select path from org where tenant_id = ${assessUnit.tenantId} and id = ${assessUnit.parentId})`,
      sql`${assessUnit.rank} nulls last`,
      asc(org.path),
    ],
    page,
    pageSize,
  );
  return { items: rows.map((r) => unitBrief(r.u, r.orgName, r.parentName)), total };
}

export async function getUnit(db: Queryable, scope: Scope, id: string, today = todayInChina()): Promise<UnitDetail> {
  const { u, unit, parentName, p } = await loadUnit(db, scope.tenantId, id);
  const files = await db
    .select()
    .from(assessFile)
    .where(and(eq(assessFile.tenantId, scope.tenantId), eq(assessFile.unitId, id)))
    .orderBy(asc(assessFile.uploadedAt), asc(assessFile.id));
  const { lines } = computeLines(p.items, u);
  const open = p.status === 'open';
  const rectifications = (await itemsFromSource(db, scope.tenantId, 'assessment', rectifyRefPrefix(p.id, id))).map(
    (r) => ({
      id: r.id,
      key: r.sourceRef!.slice(rectifyRefPrefix(p.id, id).length),
      title: r.title,
      status: r.status,
      deadline: r.deadline,
      overdue: r.overdue,
    }),
  );
  return {
    ...unitBrief(u, unit.name, parentName),
    selfDeadline: selfDeadlineOf(p, u),
    selfReopenedBy: u.selfReopenedBy,
    planTitle: p.title,
    planStatus: p.status as PlanStatus,
    periodLabel: periodOf(p.year, p.quarter).label,
    lines: lines.map((l) => ({
      ...l,
      files: files.filter((f) => f.itemKey === l.key).map((f) => ({ ...uploadedFileView(f), key: f.itemKey })),
    })),
    selfBy: u.selfBy,
    reviewBy: u.reviewBy,
    appealReason: u.appealReason,
    appealBy: u.appealBy,
    appealAnswer: u.appealAnswer,
    answeredBy: u.answeredBy,
    can: {
      self: open && keeperOwn(scope, unit) && !(selfDeadlineOf(p, u) && today > selfDeadlineOf(p, u)!),
      review: open && keeperAbove(scope, unit),
      appeal: p.status === 'published' && !u.appealAt && keeperOwn(scope, unit),
      answer: p.status === 'published' && !!u.appealAt && !u.answeredAt && keeperAbove(scope, unit),
      rectify: !open && keeperAbove(scope, unit),
      reopen: open && !!p.selfDeadline && keeperAbove(scope, unit),
    },
    rectifications,
  };
}

// ---------------------------------------------------------------- 整改 from results

/** The link back from a 整改 item to the line of the result it came from (its `sourceRef`). */
const rectifyRefPrefix = (planId: string, unitId: string) => `/assess?plan=${planId}&unit=${unitId}&item=`;
const lostPoints = (l: { method: string; weight: number; ratio: number | null; points: number | null }) =>
  l.method === 'deduction'
    ? (l.points ?? 0) < 0
    : WEIGHTED_METHODS.includes(l.method as never) && l.ratio !== null && l.ratio < 1;

/**
 * 整改 from a published result: a keeper of an org above the assessed 党支部 turns one line that lost points (or a
 * deduction) into a rectification item of that 党支部 — written by the supervise module's own createItem (its
 * checks, its event, its notice to the 书记 or the 责任人), pre-filled with the indicator, the points and the basis,
 * with a link back to the line. One open item per line (supervise checks it in its writing transaction).
 */
export async function rectifyFromResult(db: Db, scope: Scope, id: string, input: RectifyFromResultInput) {
  const { u, unit, p } = await loadUnit(db, scope.tenantId, id);
  if (!keeperAbove(scope, unit))
    throw forbidden('整改事项由上级党组织的书记或管理员根据考核结果下达', 'ASSESS_NOT_REVIEWER');
  if (p.status === 'open') throw conflict('考核结果公布后才能据此下达整改', 'ASSESS_NOT_PUBLISHED');
  const line = computeLines(p.items, u).lines.find((l) => l.key === input.key);
  if (!line)
    throw unprocessable('该指标不在本次考核中', [{ field: 'key', message: '请选择本次考核的指标' }], 'ASSESS_BAD_KEY');
  if (!lostPoints(line))
    throw unprocessable(
      `「${line.name}」没有失分，不需要整改`,
      [{ field: 'key', message: '请选择失分的指标或减分项' }],
      'ASSESS_NOTHING_LOST',
    );
  const period = periodOf(p.year, p.quarter).label;
  const lost =
    line.method === 'deduction' ? `减 ${-(line.points ?? 0)} 分` : `得 ${line.points} 分（满分 ${line.weight} 分）`;
  await createRectification(
    db,
    { ...scope, org: unit },
    {
      orgId: unit.id,
      sourceKind: 'assessment',
      sourceRef: `${rectifyRefPrefix(p.id, id)}${line.key}`,
      title: input.title || `${line.name}失分整改`.slice(0, 100),
      finding: input.finding || `「${p.title}」（${period}）中「${line.name}」${lost}。${line.basis}`.slice(0, 2000),
      measures: input.measures,
      ownerMemberId: input.ownerMemberId ?? null,
      deadline: input.deadline,
      verifierUserId: input.verifierUserId ?? scope.principal.user.id,
    },
    undefined,
    { oneOpenPerSourceRef: true },
  );
  return getUnit(db, scope, id);
}

/** Checks scores against the plan: only self/reviewer-scored items, each within 0..its maximum. */
function checkScores(p: PlanRow, input: ScoresInput['scores']): ScoreMap {
  const out: ScoreMap = {};
  const errors: { field: string; message: string }[] = [];
  input.forEach((s, i) => {
    const it = p.items.find((x) => x.key === s.key);
    if (!it) return errors.push({ field: `scores.${i}.key`, message: '该指标不在本次考核中' });
    if (it.method === 'auto' || it.method === 'kpi')
      return errors.push({
        field: `scores.${i}.key`,
        message: `「${it.name}」是${INDICATOR_METHOD_LABELS[it.method as 'auto']}，不需要评分`,
      });
    if (s.score < 0 || s.score > it.maxScore)
      return errors.push({ field: `scores.${i}.score`, message: `「${it.name}」的分数须在 0 到 ${it.maxScore} 之间` });
    out[it.key] = { score: s.score, note: s.note || null };
  });
  if (errors.length) throw unprocessable(errors[0]!.message, errors, 'ASSESS_BAD_SCORE');
  return out;
}

/** 自评: the 党支部's own keepers score the manual, bonus and deduction items; manual and bonus ones need evidence. */
export async function selfAssess(db: Db, scope: Scope, id: string, input: ScoresInput): Promise<UnitDetail> {
  const { u, unit, p } = await loadUnit(db, scope.tenantId, id);
  if (!keeperOwn(scope, unit)) throw forbidden('自评由被考核党支部的书记或管理员填写', 'ASSESS_NOT_OWN');
  assertOpen(p);
  assertSelfOpen(p, u, todayInChina());
  const scores = checkScores(p, input.scores);
  const withFiles = new Set(
    (
      await db
        .select({ key: assessFile.itemKey })
        .from(assessFile)
        .where(and(eq(assessFile.tenantId, scope.tenantId), eq(assessFile.unitId, id)))
    ).map((f) => f.key),
  );
  const missing = p.items.filter(
    (it) =>
      scores[it.key] &&
      scores[it.key]!.score > 0 &&
      (it.method === 'manual' || it.method === 'bonus') &&
      !withFiles.has(it.key),
  );
  if (missing.length)
    throw unprocessable(
      `请先为「${missing.map((m) => m.name).join('」「')}」上传佐证材料`,
      missing.map((m) => ({ field: m.key, message: '缺少佐证材料' })),
      'ASSESS_EVIDENCE_REQUIRED',
    );
  const self = { ...u.self, ...scores };
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(assessUnit)
      .set({ self, selfBy: byName, selfAt: now() })
      .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'assess.self',
      entityType: 'assess_unit',
      entityId: id,
      org: unit,
      before: u.self,
      after: self,
    });
  });
  return getUnit(db, scope, id);
}

/** 上级评分: a record keeper bound strictly above the assessed org scores its manual, bonus and deduction items. */
export async function review(db: Db, scope: Scope, id: string, input: ScoresInput): Promise<UnitDetail> {
  const { u, unit, p } = await loadUnit(db, scope.tenantId, id);
  if (!keeperAbove(scope, unit))
    throw forbidden('评分须由上级党组织的书记或管理员进行，不能为本组织评分', 'ASSESS_NOT_REVIEWER');
  assertOpen(p);
  const scores = checkScores(p, input.scores);
  const next = { ...u.review, ...scores };
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(assessUnit)
      .set({ review: next, reviewBy: byName, reviewUserId: scope.principal.user.id, reviewAt: now() })
      .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'assess.review',
      entityType: 'assess_unit',
      entityId: id,
      org: unit,
      before: u.review,
      after: next,
    });
  });
  return getUnit(db, scope, id);
}

/**
 * The org above reopens 自评 for one assessed org after the plan's deadline, until `until` (today or later); the
 * branch's 书记 is told the new day.
 */
export async function reopenSelf(db: Db, scope: Scope, id: string, input: ReopenSelfInput, today = todayInChina()) {
  const { u, unit, p, planOrg } = await loadUnit(db, scope.tenantId, id);
  if (!keeperAbove(scope, unit)) throw forbidden('自评由上级党组织的书记或管理员重新开放', 'ASSESS_NOT_REVIEWER');
  assertOpen(p);
  if (!p.selfDeadline) throw conflict('该考核没有设自评截止日期，自评一直开放到结果公布', 'ASSESS_NO_DEADLINE');
  if (input.until < today)
    throw unprocessable(
      `重新开放的截止日期不能早于今天（${today}）`,
      [{ field: 'until', message: `请选择 ${today} 或以后的日期` }],
      'ASSESS_DEADLINE_PAST',
    );
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(assessUnit)
      .set({ selfReopenedUntil: input.until, selfReopenedBy: byName })
      .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'assess.self.reopen',
      entityType: 'assess_unit',
      entityId: id,
      org: unit,
      before: { selfReopenedUntil: u.selfReopenedUntil },
      after: { selfReopenedUntil: input.until },
    });
    await tellSelfOpen(
      tx,
      scope.tenantId,
      planNotice(p, planOrg),
      [{ id, orgId: unit.id, name: unit.name }],
      input.until,
    );
  });
  return getUnit(db, scope, id, today);
}

/** Records an evidence file the route stored (it is removed again if this refuses). */
export async function addFile(db: Db, scope: Scope, id: string, key: string, stored: StoredFile) {
  const { u, unit, p } = await loadUnit(db, scope.tenantId, id);
  if (!keeperOwn(scope, unit)) throw forbidden('佐证材料由被考核党支部的书记或管理员上传', 'ASSESS_NOT_OWN');
  assertOpen(p);
  assertSelfOpen(p, u, todayInChina());
  const it = p.items.find((x) => x.key === key);
  if (!it || it.method === 'auto' || it.method === 'kpi')
    throw unprocessable(
      '只能为人工评分、加分、减分指标上传佐证材料',
      [{ field: 'key', message: '指标不正确' }],
      'ASSESS_BAD_ITEM',
    );
  const byName = actorName(scope);
  return db.transaction(async (tx) => {
    const [f] = await tx
      .insert(assessFile)
      .values({ ...stored, tenantId: scope.tenantId, unitId: id, itemKey: key, uploadedBy: byName, uploadedAt: now() })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'assess.file',
      entityType: 'assess_unit',
      entityId: id,
      org: unit,
      after: { key, fileId: f!.id, fileName: f!.fileName, sha256: f!.sha256 },
    });
    return { ...uploadedFileView(f!), key };
  });
}

export async function loadFile(db: Queryable, scope: Scope, id: string, fileId: string) {
  await loadUnit(db, scope.tenantId, id);
  const [f] = await db
    .select()
    .from(assessFile)
    .where(and(eq(assessFile.tenantId, scope.tenantId), eq(assessFile.unitId, id), eq(assessFile.id, fileId)));
  if (!f) throw notFound();
  return f;
}

// ---------------------------------------------------------------- KPI values

export type KpiValue = { unitId: string; key: string; value: number };

/** Writes KPI values in one transaction (all or nothing); the plan's keepers only, while it is open. */
export async function writeKpi(
  db: Db,
  scope: Scope,
  planId: string,
  values: KpiValue[],
  how: 'entry' | 'import',
  fileName?: string,
) {
  const { p, at } = await loadPlan(db, scope.tenantId, planId);
  assertOpen(p);
  const units = await db
    .select()
    .from(assessUnit)
    .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.planId, planId)));
  const byId = new Map(units.map((u) => [u.id, u]));
  const errors: { field: string; message: string }[] = [];
  values.forEach((v, i) => {
    if (!byId.has(v.unitId)) errors.push({ field: `values.${i}.unitId`, message: '该党组织不在本次考核中' });
    const it = p.items.find((x) => x.key === v.key);
    if (!it || it.method !== 'kpi') errors.push({ field: `values.${i}.key`, message: '该指标不是本次考核的业务指标' });
  });
  if (errors.length) throw unprocessable(errors[0]!.message, errors, 'ASSESS_BAD_KPI');
  await db.transaction(async (tx) => {
    const next = new Map<string, Record<string, number>>();
    for (const v of values)
      next.set(v.unitId, { ...(next.get(v.unitId) ?? byId.get(v.unitId)!.kpi), [v.key]: v.value });
    for (const [unitId, kpi] of next)
      await tx
        .update(assessUnit)
        .set({ kpi })
        .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.id, unitId)));
    await writeAudit(tx, scope.actor, {
      action: `assess.kpi.${how}`,
      entityType: 'assess_plan',
      entityId: planId,
      org: at,
      after: { values, ...(fileName ? { fileName } : {}) },
    });
  });
  return { written: values.length };
}

export async function kpiRows(db: Queryable, tenantId: string, planId: string) {
  const { p } = await loadPlan(db, tenantId, planId);
  const units = await db
    .select({ id: assessUnit.id, orgName: org.name, kpi: assessUnit.kpi })
    .from(assessUnit)
    .innerJoin(org, onKey(org, assessUnit.orgId, assessUnit))
    .where(and(eq(assessUnit.tenantId, tenantId), eq(assessUnit.planId, planId)))
    .orderBy(asc(org.path));
  return { p, units, items: p.items.filter((i) => i.method === 'kpi') };
}

// ---------------------------------------------------------------- publish, appeal, close

/** Computes every unit's automatic figures as of `today` (through the owning modules), freezing them with the totals and ranks. */
export async function computeAll(
  db: Queryable,
  tenantId: string,
  p: PlanRow,
  units: (UnitRow & { ref: OrgRef })[],
  today: string,
) {
  const period = periodOf(p.year, p.quarter);
  const root = (await loadOrgRef(db, tenantId, p.orgId))!;
  const refs = units.map((u) => u.ref);
  // Each source once for the whole plan (not per branch): per indicator key, the figure of every assessed org.
  const figures = new Map<string, Map<string, AutoFigure>>();
  for (const it of p.items.filter((i) => i.method === 'auto'))
    figures.set(it.key, await autoFigures(db, tenantId, root, refs, it.source as AutoSource, period, today));
  return units.map((u) => {
    const auto: Record<string, AutoFigure> = {};
    for (const [key, byOrg] of figures) auto[key] = byOrg.get(u.ref.id)!;
    return { id: u.id, parentId: u.parentId, auto, total: computeLines(p.items, { ...u, auto }).total };
  });
}

async function unitsWithRefs(db: Queryable, tenantId: string, planId: string) {
  const rows = await db
    .select({ u: assessUnit, o: org })
    .from(assessUnit)
    .innerJoin(org, onKey(org, assessUnit.orgId, assessUnit))
    .where(and(eq(assessUnit.tenantId, tenantId), eq(assessUnit.planId, planId)))
    .orderBy(asc(org.path));
  return rows.map((r) => ({ ...r.u, ref: refOf(r.o) }));
}

async function writeRanks(
  tx: Tx,
  tenantId: string,
  results: { id: string; parentId: string; total: number | null; auto?: Record<string, AutoFigure> }[],
) {
  const ranks = rankWithinParents(results);
  for (const r of results) {
    const k = ranks.get(r.id)!;
    await tx
      .update(assessUnit)
      .set({ ...(r.auto ? { auto: r.auto } : {}), total: r.total, rank: k.rank, peers: k.peers })
      .where(and(eq(assessUnit.tenantId, tenantId), eq(assessUnit.id, r.id)));
  }
  return ranks;
}

/** 公布结果: every unit reviewed and every KPI value in; automatic figures are read now and frozen with totals and ranks. */
export async function publish(db: Db, scope: Scope, planId: string, today = todayInChina()): Promise<AssessPlan> {
  const { p, at } = await loadPlan(db, scope.tenantId, planId);
  assertOpen(p);
  const units = await unitsWithRefs(db, scope.tenantId, planId);
  const scored = p.items.filter((i) => i.method === 'manual');
  const kpis = p.items.filter((i) => i.method === 'kpi');
  const missing = units.filter(
    (u) => scored.some((i) => !u.review[i.key]) || kpis.some((i) => u.kpi[i.key] === undefined),
  );
  if (missing.length)
    throw conflict(
      `还有 ${missing.length} 个党支部未完成上级评分或业务指标值：${missing
        .slice(0, 5)
        .map((u) => u.ref.name)
        .join('、')}${missing.length > 5 ? ' 等' : ''}`,
      'ASSESS_INCOMPLETE',
      missing.map((u) => ({ unitId: u.id, orgName: u.ref.name })),
    );
  const results = await computeAll(db, scope.tenantId, p, units, today);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(assessPlan)
      .set({ status: 'published', publishedAt: now() })
      .where(and(eq(assessPlan.tenantId, scope.tenantId), eq(assessPlan.id, planId), eq(assessPlan.status, 'open')))
      .returning({ id: assessPlan.id });
    if (done.length === 0) throw conflict('该考核已公布或关闭', 'ASSESS_PUBLISHED');
    const ranks = await writeRanks(tx, scope.tenantId, results);
    await tellPublished(
      tx,
      scope.tenantId,
      p,
      units.map((u, i) => ({
        id: u.id,
        orgId: u.orgId,
        parentId: u.parentId,
        name: u.ref.name,
        total: results[i]!.total,
        ...ranks.get(u.id)!,
      })),
    );
    await writeAudit(tx, scope.actor, {
      action: 'assess.publish',
      entityType: 'assess_plan',
      entityId: planId,
      org: at,
      after: { asOf: today, totals: Object.fromEntries(results.map((r) => [r.id, r.total])) },
    });
  });
  return getPlan(db, scope, planId);
}

/** 申诉: the assessed 党支部 appeals its published result once, with a reason. */
export async function appeal(db: Db, scope: Scope, id: string, reason: string): Promise<UnitDetail> {
  const { u, unit, p } = await loadUnit(db, scope.tenantId, id);
  if (!keeperOwn(scope, unit)) throw forbidden('申诉由被考核党支部的书记或管理员提出', 'ASSESS_NOT_OWN');
  if (p.status === 'closed') throw conflict('该考核已关闭，不能再申诉', 'ASSESS_CLOSED');
  if (p.status !== 'published') throw conflict('考核结果公布后才能申诉', 'ASSESS_NOT_PUBLISHED');
  if (u.appealAt) throw conflict('本次考核已经申诉过', 'ASSESS_APPEALED');
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(assessUnit)
      .set({ appealReason: reason, appealBy: byName, appealUserId: scope.principal.user.id, appealAt: now() })
      .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.id, id)));
    await tellAppealed(tx, scope.tenantId, p, { id, parentId: u.parentId, orgName: unit.name }, byName);
    await writeAudit(tx, scope.actor, {
      action: 'assess.appeal',
      entityType: 'assess_unit',
      entityId: id,
      org: unit,
      after: { reason },
    });
  });
  return getUnit(db, scope, id);
}

/** 申诉答复: a reviewer answers; corrected scores recompute the totals and ranks (automatic figures stay frozen). */
export async function answerAppeal(db: Db, scope: Scope, id: string, input: AppealAnswerInput): Promise<UnitDetail> {
  const { u, unit, p } = await loadUnit(db, scope.tenantId, id);
  if (!keeperAbove(scope, unit)) throw forbidden('申诉由上级党组织的书记或管理员答复', 'ASSESS_NOT_REVIEWER');
  if (p.status === 'closed') throw conflict('该考核已关闭，不能再修改', 'ASSESS_CLOSED');
  if (!u.appealAt || u.answeredAt) throw conflict('没有待答复的申诉', 'ASSESS_NO_APPEAL');
  const corrected = input.scores ? { ...u.review, ...checkScores(p, input.scores) } : u.review;
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(assessUnit)
      .set({ review: corrected, appealAnswer: input.answer, answeredBy: byName, answeredAt: now() })
      .where(and(eq(assessUnit.tenantId, scope.tenantId), eq(assessUnit.id, id)));
    await tellAppealAnswered(
      tx,
      scope.tenantId,
      p,
      { id, orgName: unit.name, appealUserId: u.appealUserId },
      byName,
      !!input.scores,
    );
    if (input.scores) {
      const units = await tx
        .select()
        .from(assessUnit)
        .where(and(eq(assessUnit.tenantId, p.tenantId), eq(assessUnit.planId, p.id)));
      await writeRanks(
        tx,
        scope.tenantId,
        units.map((x) => ({ id: x.id, parentId: x.parentId, total: computeLines(p.items, x).total })),
      );
    }
    await writeAudit(tx, scope.actor, {
      action: 'assess.appeal.answer',
      entityType: 'assess_unit',
      entityId: id,
      org: unit,
      before: u.review,
      after: { answer: input.answer, review: corrected },
    });
  });
  return getUnit(db, scope, id);
}

/** 关闭: after the appeals are answered; nothing of a closed plan changes. */
export async function closePlan(db: Db, scope: Scope, planId: string): Promise<AssessPlan> {
  const { p, at } = await loadPlan(db, scope.tenantId, planId);
  if (p.status === 'closed') throw conflict('该考核已关闭', 'ASSESS_CLOSED');
  if (p.status !== 'published') throw conflict('考核结果公布后才能关闭', 'ASSESS_NOT_PUBLISHED');
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(assessUnit)
    .where(
      and(
        eq(assessUnit.tenantId, scope.tenantId),
        eq(assessUnit.planId, planId),
        sql`${assessUnit.appealAt} is not null and ${assessUnit.answeredAt} is null`,
      ),
    );
  if ((c?.n ?? 0) > 0) throw conflict(`还有 ${c!.n} 个申诉未答复，答复后才能关闭`, 'ASSESS_APPEALS_OPEN');
  await db.transaction(async (tx) => {
    await tx
      .update(assessPlan)
      .set({ status: 'closed', closedAt: now() })
      .where(and(eq(assessPlan.tenantId, scope.tenantId), eq(assessPlan.id, planId)));
    await writeAudit(tx, scope.actor, {
      action: 'assess.close',
      entityType: 'assess_plan',
      entityId: planId,
      org: at,
      after: { status: 'closed' },
    });
  });
  return getPlan(db, scope, planId);
}

export const sources = () => ({
  items: Object.entries(AUTO_SOURCES).map(([key, s]) => ({ key, ...s })),
  rules: Object.entries(ASSESS_RULES).map(([key, r]) => ({
    key,
    text: r.text,
    citation: r.citation,
    confirmed: r.confirmed,
  })),
});

// ---------------------------------------------------------------- personal data (PIPL copy)

/** What an account did in assessments: self-assessments, reviews and appeals under its name. */
export async function personalAssess(db: Queryable, tenantId: string, userId: string) {
  const rows = await queryRows<{ title: string; org: string; what: string; at: string; text: string | null }>(
    db,
    sql`select p.title, o.name as org, 'appeal' as what, u.appeal_at::text as at, u.appeal_reason as text
        from assess_unit u join assess_plan p on p.tenant_id = u.tenant_id and p.id = u.plan_id join org o on o.tenant_id = u.tenant_id and o.id = u.org_id
        where u.tenant_id = ${tenantId} and u.appeal_user_id = ${userId}
        union all
        select p.title, o.name, 'review', u.review_at::text, null
        from assess_unit u join assess_plan p on p.tenant_id = u.tenant_id and p.id = u.plan_id join org o on o.tenant_id = u.tenant_id and o.id = u.org_id
        where u.tenant_id = ${tenantId} and u.review_user_id = ${userId}
        order by 4`,
  );
  return rows.map((r) => ({
    plan: r.title,
    org: r.org,
    what: r.what === 'appeal' ? '申诉' : '评分',
    at: r.at,
    reason: r.text,
  }));
}

/**
 * The 驾驶舱's 考核 figure (the module's dashboard part): the latest published (or closed) plan that assessed an org of
 * the subtree, and the results of the subtree's orgs in it — how many, average, highest and lowest total, a count
 * per score band and the highest totals with their rank among the orgs under the same parent.
 */
export async function assessDashboard(db: Queryable, scope: Pick<Scope, 'tenantId' | 'org'>): Promise<AssessDashboard> {
  const within = `${scope.org.path}%`;
  const [p] = await queryRows<{
    id: string;
    title: string;
    year: number;
    quarter: number | null;
    org_id: string;
    org_name: string;
    published_at: Date | null;
  }>(
    db,
    sql`select p.id, p.title, p.year, p.quarter, p.org_id, o.name as org_name, p.published_at
        from assess_plan p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id
        where p.tenant_id = ${scope.tenantId} and p.status in ('published', 'closed')
          and (${scope.org.path} like o.path || '%' or o.path like ${within})
          and exists (select 1 from assess_unit u join org uo on uo.tenant_id = u.tenant_id and uo.id = u.org_id
                      where u.tenant_id = p.tenant_id and u.plan_id = p.id and uo.path like ${within})
        order by p.published_at desc nulls last, p.id
        limit 1`,
  );
  const note =
    '本组织及下级组织参加的最近一次已公布结果的考核：本范围内被考核党支部的总分（满分 100）分布、平均分、最高和最低分，及总分最高的党支部与其在同一上级组织下的名次';
  if (!p)
    return {
      plan: null,
      units: 0,
      scored: 0,
      average: null,
      highest: null,
      lowest: null,
      bands: ASSESS_SCORE_BANDS.map((b) => ({ key: b.key, label: b.label, count: 0 })),
      top: [],
      note,
    };
  const [agg] = await queryRows<{
    units: number;
    scored: number;
    average: number | null;
    highest: number | null;
    lowest: number | null;
    b90: number;
    b80: number;
    b60: number;
  }>(
    db,
    sql`select count(*)::int as units, count(u.total)::int as scored, round(avg(u.total), 1)::float8 as average,
          max(u.total)::float8 as highest, min(u.total)::float8 as lowest,
          (count(*) filter (where u.total >= 90))::int as b90,
          (count(*) filter (where u.total >= 80 and u.total < 90))::int as b80,
          (count(*) filter (where u.total >= 60 and u.total < 80))::int as b60
        from assess_unit u join org o on o.tenant_id = u.tenant_id and o.id = u.org_id
        where u.plan_id = ${p.id} and o.path like ${within}`,
  );
  const top = await queryRows<{
    id: string;
    org_id: string;
    org_name: string;
    total: number;
    rank: number | null;
    peers: number | null;
  }>(
    db,
    sql`select u.id, u.org_id, o.name as org_name, u.total::float8 as total, u.rank, u.peers
        from assess_unit u join org o on o.tenant_id = u.tenant_id and o.id = u.org_id
        where u.plan_id = ${p.id} and o.path like ${within} and u.total is not null
        order by u.total desc, o.path limit 5`,
  );
  const a = agg!;
  const counts = [a.b90, a.b80, a.b60, a.scored - a.b90 - a.b80 - a.b60];
  return {
    plan: {
      planId: p.id,
      title: p.title,
      periodLabel: periodOf(p.year, p.quarter).label,
      orgId: p.org_id,
      orgName: p.org_name,
      publishedAt: p.published_at ? new Date(p.published_at).toISOString() : null,
    },
    units: a.units,
    scored: a.scored,
    average: a.average,
    highest: a.highest,
    lowest: a.lowest,
    bands: ASSESS_SCORE_BANDS.map((b, i) => ({ key: b.key, label: b.label, count: counts[i]! })),
    top: top.map((r) => ({
      unitId: r.id,
      orgId: r.org_id,
      orgName: r.org_name,
      total: r.total,
      rank: r.rank,
      peers: r.peers,
    })),
    note,
  };
}
