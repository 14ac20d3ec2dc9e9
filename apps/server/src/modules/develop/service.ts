/**
 * 发展党员: person records, the 25 steps in order with their time rules (packages/shared
 * develop.ts), half-yearly assessments, the yearly plan, the board and the secretary's to-do
 * list. Admission (step 17) creates the probationary member and conversion (step 24) makes them
 * full, through the member module's service, in the same transaction as the step.
 */
import {
  addDays,
  AGE_BANDS,
  checkProbationDecision,
  checkStep,
  estimatedYears,
  estimateWarning,
  noticeEnd,
  DEVELOP_RULES,
  DEVELOP_STATUSES,
  fullYears,
  isEarliestDate,
  nextDeadline,
  parseIdCard,
  probationEnd,
  PROBATION_DECISION_LABELS,
  type ProbationDecisionInput,
  type ProbationDecisionKind,
  type VoteInput,
  RULE_CITATIONS,
  statusAfter,
  stepOf,
  todayInChina,
  type Deadline,
  type DevelopBoard,
  type DevelopPerson,
  type DevelopPersonDetail,
  type DevelopStatus,
  type PersonInput,
  type RuleContext,
  type StepDetails,
  type StepFacts,
  type StepInput,
  type Violation,
  type WorkCalendar,
  now,
  inGroup,
  ORG_ADMINS,
} from '@xianfeng/shared';
import { and, asc, desc, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { orgOfRow, subtreeOrgIds, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { loadCalendar } from '../calendar/service';
import crypto from 'node:crypto';
import { maskIdCard, maskPhone, type FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import {
  exitParty,
  updateMember,
  countBranchMembers,
  createMember,
  currentMembersWithin,
  memberBriefs,
  rosterPaths,
  settleOutsideLookups,
  unitOfPathSql,
  whereIdCards,
} from '../member/service';
import {
  developAssessment,
  developFile,
  developPerson,
  developPlan,
  developProbationDecision,
  developStep,
} from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

export const DEVELOP_ELSEWHERE_MESSAGE =
  '该身份证号已在其他党组织登记为党员或发展对象（不在您的管理范围内），不能重复建档';

export type PersonRow = typeof developPerson.$inferSelect;
type StepRow = typeof developStep.$inferSelect;
type AssessmentRow = typeof developAssessment.$inferSelect;
type DecisionRow = typeof developProbationDecision.$inferSelect;

/** For the access layer: the org (branch) of a person record. */
export const orgOfPerson = orgOfRow(developPerson);

const violated = (violations: Violation[]) => {
  const first = violations[0]!;
  return unprocessable(
    `${first.message}（依据：${first.citation}）`,
    violations,
    first.overridable ? 'DEVELOP_RULE_OVERRIDABLE' : 'DEVELOP_RULE_VIOLATED',
  );
};

function contextOf(
  person: Pick<PersonRow, 'birthDate'>,
  steps: StepRow[],
  assessments: AssessmentRow[],
  today: string,
  calendar: WorkCalendar,
  decisions: DecisionRow[] = [],
): RuleContext {
  return {
    calendar,
    extensionMonths: decisions.find((d) => d.kind === 'extend')?.months ?? undefined,
    birthDate: person.birthDate,
    steps: new Map<number, StepFacts>(
      steps.map((s) => [s.step, { date: s.doneOn, details: s.details as StepDetails }]),
    ),
    assessments: assessments.map((a) => a.on),
    today,
  };
}

function deadlineOf(p: PersonRow, orgName: string, ctx: RuleContext, today: string): Deadline | null {
  if (p.closedAt) return null;
  const d = nextDeadline(ctx, p.lastStep);
  if (!d) return null;
  const days = Math.round((Date.parse(d.dueOn) - Date.parse(today)) / 86_400_000);
  return {
    personId: p.id,
    name: p.name,
    orgId: p.orgId,
    orgName,
    status: p.status as DevelopStatus,
    what: d.what,
    dueOn: d.dueOn,
    overdue: days < 0 && !isEarliestDate(d.what),
    days,
    citation: d.citation,
  };
}

function personView(fc: FieldCrypto, p: PersonRow, orgName: string, ctx: RuleContext, today: string): DevelopPerson {
  return {
    id: p.id,
    orgId: p.orgId,
    orgName,
    name: p.name,
    gender: p.gender as DevelopPerson['gender'],
    birthDate: p.birthDate,
    age: fullYears(p.birthDate, today),
    ethnicity: p.ethnicity,
    education: p.education,
    occupation: p.occupation,
    jobTitle: p.jobTitle,
    idCardNo: maskIdCard(fc.decrypt(p.idCardEnc, developPerson.idCardEnc, p.id)),
    phone: maskPhone(fc.decrypt(p.phoneEnc, developPerson.phoneEnc, p.id)),
    status: p.status as DevelopStatus,
    lastStep: p.lastStep,
    appliedAt: p.appliedAt,
    memberId: p.memberId,
    closedAt: p.closedAt,
    closedReason: p.closedReason,
    nextStep: p.closedAt || p.lastStep >= 25 ? null : p.lastStep + 1,
    nextDue: deadlineOf(p, orgName, ctx, today),
  };
}

async function loadPerson(db: Queryable, tenantId: string, id: string, lock = false): Promise<PersonRow> {
  const q = db
    .select()
    .from(developPerson)
    .where(and(eq(developPerson.tenantId, tenantId), eq(developPerson.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound();
  return row;
}

const stepsOf = (db: Queryable, tenantId: string, personIds: string[]) =>
  personIds.length
    ? db
        .select()
        .from(developStep)
        .where(and(eq(developStep.tenantId, tenantId), inArray(developStep.personId, personIds)))
        .orderBy(asc(developStep.step))
    : Promise.resolve([] as StepRow[]);
const assessmentsOf = (db: Queryable, tenantId: string, personIds: string[]) =>
  personIds.length
    ? db
        .select()
        .from(developAssessment)
        .where(and(eq(developAssessment.tenantId, tenantId), inArray(developAssessment.personId, personIds)))
        .orderBy(asc(developAssessment.on))
    : Promise.resolve([] as AssessmentRow[]);

const decisionsOf = (db: Queryable, tenantId: string, personIds: string[]) =>
  personIds.length
    ? db
        .select()
        .from(developProbationDecision)
        .where(
          and(eq(developProbationDecision.tenantId, tenantId), inArray(developProbationDecision.personId, personIds)),
        )
    : Promise.resolve([] as DecisionRow[]);

const group = <T extends { personId: string }>(rows: T[]) => {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(r.personId, [...(m.get(r.personId) ?? []), r]);
  return m;
};

async function orgName(db: Queryable, tenantId: string, id: string): Promise<string> {
  const [row] = await db
    .select({ name: org.name })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  return row?.name ?? '';
}

export async function getPerson(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  id: string,
  today = todayInChina(),
): Promise<DevelopPersonDetail> {
  const p = await loadPerson(db, scope.tenantId, id);
  const [steps, assessments, decisions, files, name] = await Promise.all([
    stepsOf(db, scope.tenantId, [id]),
    assessmentsOf(db, scope.tenantId, [id]),
    decisionsOf(db, scope.tenantId, [id]),
    db
      .select()
      .from(developFile)
      .where(and(eq(developFile.tenantId, scope.tenantId), eq(developFile.personId, id)))
      .orderBy(asc(developFile.step), asc(developFile.createdAt)),
    orgName(db, p.tenantId, p.orgId),
  ]);
  const calendar = await loadCalendar(db, scope.tenantId);
  const ctx = contextOf(p, steps, assessments, today, calendar, decisions);
  const view = personView(fc, p, name, ctx, today);
  const ids = (n: number, key: 'sponsorIds' | 'contactIds') =>
    ((steps.find((s) => s.step === n)?.details as StepDetails | undefined)?.[key] ?? []) as string[];
  const briefs = await memberBriefs(db, scope.tenantId, [...ids(9, 'sponsorIds'), ...ids(5, 'contactIds')]);
  const named = (list: string[]) =>
    list.map((mid) => ({ id: mid, name: briefs.find((b) => b.id === mid)?.name ?? '（未知）' }));
  return {
    ...view,
    steps: steps.map((s) => ({
      step: s.step,
      name: stepOf(s.step)?.name ?? '',
      date: s.doneOn,
      responsible: s.responsible,
      notes: s.notes,
      details: s.details as Record<string, unknown>,
      override: s.overrideReason
        ? { reason: s.overrideReason, by: s.overrideBy ?? '', violations: (s.overrideViolations ?? []) as Violation[] }
        : null,
      recordedBy: s.recordedBy,
      recordedAt: s.createdAt.toISOString(),
    })),
    assessments: assessments.map((a) => ({ id: a.id, on: a.on, assessor: a.assessor, summary: a.summary })),
    files: files.map((f) => ({
      id: f.id,
      step: f.step,
      fileName: f.fileName,
      mime: f.mime,
      size: f.size,
      createdAt: f.createdAt.toISOString(),
    })),
    sponsors: named(ids(9, 'sponsorIds')),
    contacts: named(ids(5, 'contactIds')),
    deadlines: view.nextDue ? [view.nextDue] : [],
    notices: steps.flatMap((s) => {
      const from = (s.details as StepDetails).noticeFrom;
      if (!from || (s.step !== 12 && s.step !== 22)) return [];
      const to = noticeEnd(from, DEVELOP_RULES.noticeWorkingDays, calendar);
      return [{ step: s.step, from, to, warning: estimateWarning(estimatedYears(from, to, calendar)) }];
    }),
    probationDecisions: decisions.map((d) => ({
      kind: d.kind as ProbationDecisionKind,
      months: d.months,
      meetingOn: d.meetingOn,
      vote: d.vote as Record<string, number>,
      approvedOn: d.approvedOn,
      reason: d.reason,
      recordedBy: d.recordedBy,
    })),
    probationEndsOn: p.lastStep >= 17 ? probationEnd(ctx) : null,
  };
}

/** The development record (入党材料) of someone who is now a member, for their own personal-data copy. */
export async function developRecordOfMember(db: Queryable, fc: FieldCrypto, scope: Scope, memberId: string) {
  const [row] = await db
    .select({ id: developPerson.id })
    .from(developPerson)
    .where(and(eq(developPerson.tenantId, scope.tenantId), eq(developPerson.memberId, memberId)));
  return row ? getPerson(db, fc, scope, row.id) : null;
}

// ---- create ---------------------------------------------------------------------------------

export async function createPerson(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  input: PersonInput,
  today = todayInChina(),
): Promise<DevelopPersonDetail> {
  if (scope.org.kind !== 'branch')
    throw unprocessable(
      '发展党员由党支部负责：请选择党支部',
      [{ field: 'orgId', message: `「${scope.org.name}」不是党支部` }],
      'NOT_A_BRANCH',
    );
  const id = parseIdCard(input.idCardNo);
  if (!id.ok)
    throw unprocessable(`身份证号有误：${id.message}`, [{ field: 'idCardNo', message: id.message }], 'INVALID_PERSON');
  const ctx: RuleContext = { birthDate: id.info.birthDate, steps: new Map(), assessments: [], today };
  const problems = checkStep(ctx, 1, input.appliedAt, {});
  if (problems.length) throw violated(problems);
  // Duplicates inside the caller's scope are named; elsewhere in the tenant, answered without
  // saying where, charged to the caller's daily budget and audited (member/idcheck.ts).
  const idx = fc.blindIndex(id.value);
  const paths = rosterPaths(scope);
  const asMember = await whereIdCards(db, scope.tenantId, paths, [idx]);
  if (asMember.inside.size) throw conflict('该身份证号的人员已是党员，无需发展', 'ALREADY_MEMBER');
  const [open] = await queryRows<{ inside: boolean }>(
    db,
    sql`select coalesce(o.path like any(${sql.param(paths.map((p) => `${p}%`))}::text[]), false) as inside
        from develop_person p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id
        where p.tenant_id = ${scope.tenantId} and p.id_card_idx = ${idx} and p.closed_at is null limit 1`,
  );
  if (open?.inside)
    throw conflict('该身份证号已有正在进行的发展记录', 'PERSON_EXISTS', [
      { field: 'idCardNo', message: '该身份证号已有正在进行的发展记录' },
    ]);
  const elsewhere = asMember.outside.size > 0 || open !== undefined;
  await settleOutsideLookups(db, scope, 'develop.person.create', elsewhere ? 1 : 0, [id.value], true);
  if (elsewhere)
    throw conflict(DEVELOP_ELSEWHERE_MESSAGE, 'PERSON_EXISTS_ELSEWHERE', [
      { field: 'idCardNo', message: DEVELOP_ELSEWHERE_MESSAGE },
    ]);
  const created = await db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ id: developPerson.id })
      .from(developPerson)
      .where(
        and(
          eq(developPerson.tenantId, scope.tenantId),
          eq(developPerson.idCardIdx, fc.blindIndex(id.value)),
          isNull(developPerson.closedAt),
        ),
      );
    if (dup)
      throw conflict('该身份证号已有正在进行的发展记录', 'PERSON_EXISTS', [
        { field: 'idCardNo', message: '该身份证号已有正在进行的发展记录' },
      ]);
    const personId = crypto.randomUUID(); // chosen here: the sealed numbers are bound to it
    const [p] = await tx
      .insert(developPerson)
      .values({
        id: personId,
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        name: input.name,
        gender: id.info.gender,
        birthDate: id.info.birthDate,
        ethnicity: input.ethnicity,
        education: input.education ?? null,
        occupation: input.occupation ?? null,
        jobTitle: input.jobTitle ?? null,
        idCardEnc: fc.encrypt(id.value, developPerson.idCardEnc, personId),
        idCardIdx: fc.blindIndex(id.value),
        phoneEnc: fc.encrypt(input.phone, developPerson.phoneEnc, personId),
        phoneIdx: fc.blindIndex(input.phone),
        status: 'applicant',
        lastStep: 1,
        appliedAt: input.appliedAt,
      })
      .returning();
    await tx.insert(developStep).values({
      tenantId: scope.tenantId,
      personId: p!.id,
      orgId: scope.org.id,
      step: 1,
      doneOn: input.appliedAt,
      responsible: input.responsible || '入党申请人',
      notes: input.notes,
      details: {},
      recordedBy: scope.actor.username ?? '',
    });
    await writeAudit(tx, scope.actor, {
      action: 'develop.person.create',
      entityType: 'develop_person',
      entityId: p!.id,
      org: scope.org,
      after: input,
    });
    return p!;
  });
  return getPerson(db, fc, scope, created.id, today);
}

// ---- steps ----------------------------------------------------------------------------------

/** Checks that need other records: contacts/sponsors are full members of the tenant; votes fit the branch; the plan. */
async function recordChecks(tx: Tx, scope: Scope, p: PersonRow, input: StepInput): Promise<Violation[]> {
  const out: Violation[] = [];
  const d = input.details;
  const people = input.step === 5 ? d.contactIds : input.step === 9 ? d.sponsorIds : undefined;
  if (people?.length) {
    const role = input.step === 5 ? '培养联系人' : '入党介绍人';
    const citation = input.step === 5 ? RULE_CITATIONS.contacts : RULE_CITATIONS.sponsors;
    // Only members the caller may read are looked at: anyone else answers like an unknown id, so the
    // check cannot be asked for the name or status of a member elsewhere (issue 14 item 13).
    const readable = await currentMembersWithin(tx, scope.tenantId, rosterPaths(scope), people, { includeLeft: true });
    const found = (await memberBriefs(tx, scope.tenantId, people)).filter((f) => readable.has(f.id));
    for (const mid of people) {
      const m = found.find((f) => f.id === mid);
      if (!m)
        out.push({
          rule: 'sponsor_member',
          message: `${role}须为您管理范围内的在册正式党员：编号 ${mid} 不符合`,
          citation,
          overridable: false,
        });
      else if (m.leftAt)
        out.push({
          rule: 'sponsor_member',
          message: `${role}须为正式党员：${m.name} 已不是党员`,
          citation,
          overridable: false,
        });
      else if (m.status !== 'full')
        out.push({
          rule: 'sponsor_full',
          message: `${role}须为正式党员：${m.name} 是预备党员，不能作${role}`,
          citation,
          overridable: false,
        });
    }
  }
  if ((input.step === 15 || input.step === 23) && d.vote)
    out.push(...(await voteFitsBranch(tx, scope.tenantId, p.orgId, d.vote)));
  if (input.step === 15) {
    const year = Number(input.date.slice(0, 4));
    const [own] = await tx.select({ path: org.path }).from(org).where(eq(org.id, p.orgId));
    const plans = await queryRows<{ org_id: string; name: string; path: string; quota: number }>(
      tx,
      sql`select pl.org_id, o.name, o.path, pl.quota from develop_plan pl join org o on o.tenant_id = pl.tenant_id and o.id = pl.org_id
          where pl.tenant_id = ${scope.tenantId} and pl.year = ${year} and ${own!.path} like o.path || '%'`,
    );
    for (const plan of plans) {
      const used = await admittedIn(tx, scope.tenantId, plan.path, year);
      if (used >= plan.quota)
        out.push({
          rule: 'plan_quota',
          message: `超出年度发展计划：「${plan.name}」${year} 年名额 ${plan.quota} 名，已使用 ${used} 名`,
          citation: RULE_CITATIONS.plan,
          overridable: true,
        });
    }
  }
  return out;
}

/** A 支部大会's 应到会 voters cannot exceed the branch's full members (its 党小组 included: they vote in it). */
async function voteFitsBranch(tx: Tx, tenantId: string, orgId: string, vote: VoteInput): Promise<Violation[]> {
  const full = (await countBranchMembers(tx, tenantId, [orgId])).get(orgId)?.full ?? 0;
  if (vote.entitled <= full) return [];
  return [
    {
      rule: 'vote_entitled',
      message: `应到会有表决权人数（${vote.entitled}）不能超过本支部正式党员人数（${full}）`,
      citation: RULE_CITATIONS.vote,
      overridable: false,
    },
  ];
}

/** Persons admitted by a branch meeting (step 15) in a year within an org subtree. */
async function admittedIn(db: Queryable, tenantId: string, path: string, year: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from develop_step s join org o on o.tenant_id = s.tenant_id and o.id = s.org_id
        where s.tenant_id = ${tenantId} and s.step = 15 and o.path like ${`${path}%`}
          and s.done_on >= ${`${year}-01-01`}::date and s.done_on <= ${`${year}-12-31`}::date`,
  );
  return row?.n ?? 0;
}

export async function recordStep(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  personId: string,
  input: StepInput,
  today = todayInChina(),
): Promise<DevelopPersonDetail> {
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, scope.tenantId, personId, true);
    if (p.closedAt)
      throw conflict(`该发展记录已于 ${p.closedAt} 终止（${p.closedReason ?? ''}），不能继续办理`, 'PERSON_CLOSED');
    // One after the other: a transaction is one connection.
    const steps = await stepsOf(tx, scope.tenantId, [p.id]);
    const assessments = await assessmentsOf(tx, scope.tenantId, [p.id]);
    const calendar = await loadCalendar(tx, scope.tenantId);
    const decisions = await decisionsOf(tx, scope.tenantId, [p.id]);
    const ctx = contextOf(p, steps, assessments, today, calendar, decisions);
    const def = stepOf(input.step)!;
    const violations = checkStep(ctx, input.step, input.date, input.details);
    const hard = violations.filter((x) => !x.overridable);
    if (hard.length) throw violated(hard);
    const all = [...violations, ...(await recordChecks(tx, scope, p, input))];
    const blocking = all.filter((x) => !x.overridable);
    if (blocking.length) throw violated(blocking);
    const soft = all.filter((x) => x.overridable);
    if (soft.length && !input.override) throw violated(soft);
    if (soft.length && !inGroup(ORG_ADMINS, scope.role))
      throw forbidden(`只有组织管理员可以越权通过时间规则：${soft[0]!.message}`, 'OVERRIDE_NOT_ALLOWED');
    const override = soft.length && input.override ? input.override : null;

    await tx.insert(developStep).values({
      tenantId: scope.tenantId,
      personId: p.id,
      orgId: p.orgId,
      step: input.step,
      doneOn: input.date,
      responsible: input.responsible,
      notes: input.notes,
      details: input.details,
      overrideReason: override?.reason ?? null,
      overrideBy: override ? (scope.actor.username ?? '') : null,
      overrideViolations: override ? soft : null,
      recordedBy: scope.actor.username ?? '',
    });
    let memberId = p.memberId;
    if (input.step === 17) {
      // 批准后即为预备党员；入党时间 = 支部大会通过之日 (step 15).
      const joinedAt = ctx.steps.get(15)!.date;
      const m = await createMember(tx, fc, scope, {
        orgId: p.orgId,
        name: p.name,
        gender: p.gender as 'male' | 'female',
        birthDate: p.birthDate,
        idCardNo: fc.decrypt(p.idCardEnc, developPerson.idCardEnc, p.id),
        phone: fc.decrypt(p.phoneEnc, developPerson.phoneEnc, p.id),
        joinedAt,
        status: 'probationary',
        fullAt: null,
        ethnicity: p.ethnicity,
        education: p.education as never,
        occupation: p.occupation as never,
        jobTitle: p.jobTitle,
        duesCategory: 'employed',
      }).catch((e: unknown) => {
        if (e instanceof AppError)
          throw unprocessable(`无法建立预备党员档案：${e.message}`, e.details, 'ADMISSION_FAILED');
        throw e;
      });
      memberId = m.id;
    }
    if (input.step === 24 && p.memberId) {
      // 党龄从预备期满转为正式党员之日算起 — the end of an extended probation when it was extended.
      const fullAt = probationEnd(ctx)!;
      await updateMember(tx, fc, scope, p.memberId, { status: 'full', fullAt });
    }
    await tx
      .update(developPerson)
      .set({ lastStep: input.step, status: statusAfter(input.step), memberId, updatedAt: now() })
      .where(eq(developPerson.id, p.id));
    await writeAudit(tx, scope.actor, {
      action: override ? 'develop.step.override' : 'develop.step',
      entityType: 'develop_person',
      entityId: p.id,
      org: scope.org,
      before: { lastStep: p.lastStep, status: p.status },
      after: {
        step: input.step,
        name: def.name,
        date: input.date,
        responsible: input.responsible,
        details: input.details,
        override: override ? { reason: override.reason, violations: soft } : null,
      },
    });
  });
  return getPerson(db, fc, scope, personId, today);
}

export async function addAssessment(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  personId: string,
  input: { on: string; assessor: string; summary: string },
  today = todayInChina(),
) {
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, scope.tenantId, personId, true);
    if (p.closedAt) throw conflict('该发展记录已终止', 'PERSON_CLOSED');
    if (p.lastStep < 3 || p.lastStep >= 7)
      throw conflict('半年考察针对入党积极分子：确定为积极分子后、列为发展对象前登记', 'NOT_AN_ACTIVIST');
    if (input.on > today)
      throw unprocessable(
        `日期 ${input.on} 晚于今天，不能登记尚未发生的考察`,
        [{ field: 'on', message: '不能晚于今天' }],
        'DEVELOP_RULE_VIOLATED',
      );
    const [s3] = await tx
      .select({ on: developStep.doneOn })
      .from(developStep)
      .where(and(eq(developStep.personId, p.id), eq(developStep.step, 3)));
    if (s3 && input.on < s3.on)
      throw unprocessable(
        `考察日期不能早于确定为入党积极分子的日期（${s3.on}）`,
        [{ field: 'on', message: '早于确定为积极分子的日期' }],
        'DEVELOP_RULE_VIOLATED',
      );
    const [a] = await tx
      .insert(developAssessment)
      .values({ tenantId: scope.tenantId, personId: p.id, ...input })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'develop.assessment',
      entityType: 'develop_person',
      entityId: p.id,
      org: scope.org,
      after: { id: a!.id, ...input },
    });
  });
  return getPerson(db, fc, scope, personId, today);
}

export async function closePerson(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  personId: string,
  input: { date: string; reason: string },
  today = todayInChina(),
) {
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, scope.tenantId, personId, true);
    if (p.closedAt) throw conflict('该发展记录已终止', 'PERSON_CLOSED');
    if (p.lastStep >= 17)
      throw conflict('已接收为预备党员，不能终止发展（预备党员的处理见党员管理）', 'ALREADY_ADMITTED');
    if (input.date > today)
      throw unprocessable('日期不能晚于今天', [{ field: 'date', message: '不能晚于今天' }], 'DEVELOP_RULE_VIOLATED');
    await tx
      .update(developPerson)
      .set({ closedAt: input.date, closedReason: input.reason, updatedAt: now() })
      .where(eq(developPerson.id, p.id));
    await writeAudit(tx, scope.actor, {
      action: 'develop.person.close',
      entityType: 'develop_person',
      entityId: p.id,
      org: scope.org,
      before: { status: p.status },
      after: input,
    });
  });
  return getPerson(db, fc, scope, personId, today);
}

/**
 * Records a 延长预备期 or 取消预备党员资格 (支部大会 resolution + approval from above). An extension moves the end of
 * probation, so the 转正 steps and 党龄 follow it; a cancellation ends the development record and the member
 * record (出党 reason 取消预备党员资格; the record stays), in one transaction.
 */
export async function decideProbation(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  personId: string,
  input: ProbationDecisionInput,
  today = todayInChina(),
) {
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, scope.tenantId, personId, true);
    if (p.closedAt)
      throw conflict(`该发展记录已于 ${p.closedAt} 终止（${p.closedReason ?? ''}），不能继续办理`, 'PERSON_CLOSED');
    const steps = await stepsOf(tx, scope.tenantId, [p.id]);
    const decisions = await decisionsOf(tx, scope.tenantId, [p.id]);
    const calendar = await loadCalendar(tx, scope.tenantId);
    const ctx = contextOf(p, steps, [], today, calendar, decisions);
    const kinds = decisions.map((d) => d.kind as ProbationDecisionKind);
    const violations = checkProbationDecision(ctx, p.lastStep, kinds, input);
    if (!violations.length) violations.push(...(await voteFitsBranch(tx, scope.tenantId, p.orgId, input.vote)));
    if (violations.length) throw violated(violations);
    await tx.insert(developProbationDecision).values({
      tenantId: scope.tenantId,
      personId: p.id,
      kind: input.kind,
      months: input.kind === 'extend' ? input.months : null,
      meetingOn: input.meetingOn,
      vote: input.vote,
      approvedOn: input.approvedOn,
      reason: input.reason,
      recordedBy: scope.actor.username ?? '',
    });
    const label = PROBATION_DECISION_LABELS[input.kind];
    if (input.kind === 'cancel') {
      await tx
        .update(developPerson)
        .set({ closedAt: input.approvedOn, closedReason: `${label}：${input.reason}`, updatedAt: now() })
        .where(eq(developPerson.id, p.id));
      if (p.memberId)
        await exitParty(tx, scope, p.memberId, {
          reason: 'probation_cancelled',
          date: input.approvedOn,
          note: input.reason,
        });
    }
    await writeAudit(tx, scope.actor, {
      action: `develop.probation.${input.kind}`,
      entityType: 'develop_person',
      entityId: p.id,
      org: scope.org,
      before: { lastStep: p.lastStep, probationEndsOn: probationEnd(ctx) },
      after: { ...input, label },
    });
  });
  return getPerson(db, fc, scope, personId, today);
}

// ---- lists, board, to-do ---------------------------------------------------------------------

export type PersonFilter = {
  status?: DevelopStatus | undefined;
  q?: string | undefined;
  includeClosed?: boolean | undefined;
};

function personWhere(scope: Pick<Scope, 'tenantId' | 'org'>, f: PersonFilter): SQL {
  const conds: SQL[] = [
    eq(developPerson.tenantId, scope.tenantId),
    inArray(developPerson.orgId, subtreeOrgIds(scope.tenantId, scope.org.path)),
  ];
  if (!f.includeClosed) conds.push(isNull(developPerson.closedAt));
  if (f.status) conds.push(eq(developPerson.status, f.status));
  const q = f.q?.trim();
  if (q) conds.push(ilike(developPerson.name, `%${q.replace(/[\\%_]/g, '\\$&')}%`));
  return and(...conds)!;
}

async function withFacts(
  db: Queryable,
  fc: FieldCrypto,
  tenantId: string,
  rows: { p: PersonRow; orgName: string }[],
  today: string,
) {
  const ids = rows.map((r) => r.p.id);
  const [steps, assessments, calendar, decisions] = await Promise.all([
    stepsOf(db, tenantId, ids),
    assessmentsOf(db, tenantId, ids),
    loadCalendar(db, tenantId),
    decisionsOf(db, tenantId, ids),
  ]);
  const s = group(steps);
  const a = group(assessments);
  const d = group(decisions);
  return rows.map((r) => {
    const ctx = contextOf(r.p, s.get(r.p.id) ?? [], a.get(r.p.id) ?? [], today, calendar, d.get(r.p.id));
    return { view: personView(fc, r.p, r.orgName, ctx, today), steps: s.get(r.p.id) ?? [] };
  });
}

export async function listPersons(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  f: PersonFilter,
  page: number,
  pageSize: number,
  today = todayInChina(),
) {
  const where = personWhere(scope, f);
  const { items: rows, total } = await pageWhere(
    db
      .select({ p: developPerson, orgName: org.name })
      .from(developPerson)
      .innerJoin(org, onKey(org, developPerson.orgId, developPerson))
      .$dynamic(),
    countFrom(db, developPerson),
    where,
    [desc(developPerson.lastStep), asc(developPerson.name), asc(developPerson.id)],
    page,
    pageSize,
  );
  return { items: (await withFacts(db, fc, scope.tenantId, rows, today)).map((x) => x.view), total };
}

const BOARD_LIMIT = 5000;

export async function board(
  db: Queryable,
  fc: FieldCrypto,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  year: number,
  today = todayInChina(),
): Promise<DevelopBoard> {
  const rows = await db
    .select({ p: developPerson, orgName: org.name })
    .from(developPerson)
    .innerJoin(org, onKey(org, developPerson.orgId, developPerson))
    .where(personWhere(scope, {}))
    .orderBy(asc(developPerson.id))
    .limit(BOARD_LIMIT);
  const facts = await withFacts(db, fc, scope.tenantId, rows, today);
  const counts = Object.fromEntries(DEVELOP_STATUSES.map((s) => [s, 0])) as Record<DevelopStatus, number>;
  let admitted = 0;
  let converted = 0;
  const overdue: Deadline[] = [];
  const upcoming: Deadline[] = [];
  const horizon = addDays(today, DEVELOP_RULES.upcomingDays);
  for (const { view, steps } of facts) {
    counts[view.status] += 1;
    if (steps.some((s) => s.step === 15 && s.doneOn.startsWith(`${year}-`))) admitted += 1;
    if (steps.some((s) => s.step === 24 && s.doneOn.startsWith(`${year}-`))) converted += 1;
    const d = view.nextDue;
    if (!d) continue;
    if (d.overdue) overdue.push(d);
    else if (d.dueOn <= horizon && d.dueOn >= today) upcoming.push(d);
  }
  overdue.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  upcoming.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const planRows = await queryRows<{ org_id: string; name: string; path: string; quota: number }>(
    db,
    sql`select pl.org_id, o.name, o.path, pl.quota from develop_plan pl join org o on o.tenant_id = pl.tenant_id and o.id = pl.org_id
        where pl.tenant_id = ${scope.tenantId} and pl.year = ${year} and o.path like ${`${scope.org.path}%`} order by o.path`,
  );
  const plans = [];
  for (const r of planRows)
    plans.push({
      orgId: r.org_id,
      orgName: r.name,
      year,
      quota: r.quota,
      used: await admittedIn(db, scope.tenantId, r.path, year),
    });
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    year,
    counts,
    admittedThisYear: admitted,
    convertedThisYear: converted,
    plan: plans.find((x) => x.orgId === scope.org.id) ?? null,
    plans,
    overdue,
    upcoming,
  };
}

/**
 * For the dashboard: open development records in the subtree by stage (one grouped count, no
 * limit), those admitted (step 15) this year, and the overdue deadlines from the board's rules.
 * The overdue figure covers the board's first BOARD_LIMIT records (`overdueCapped` says so).
 */
export async function pipeline(db: Queryable, fc: FieldCrypto, scope: Scope, today = todayInChina()) {
  const year = Number(today.slice(0, 4));
  const rows = await db
    .select({ status: developPerson.status, n: sql<number>`count(*)::int` })
    .from(developPerson)
    .where(personWhere(scope, {}))
    .groupBy(developPerson.status);
  const counts = Object.fromEntries(DEVELOP_STATUSES.map((s) => [s, 0])) as Record<DevelopStatus, number>;
  for (const r of rows) counts[r.status as DevelopStatus] = r.n;
  const open = rows.reduce((s, r) => s + r.n, 0);
  const b = await board(db, fc, scope, year, today);
  return {
    counts,
    open,
    admittedThisYear: await admittedIn(db, scope.tenantId, scope.org.path, year),
    overdue: b.overdue.length,
    overdueCapped: open > BOARD_LIMIT,
    firstOverdue: b.overdue.slice(0, 5),
  };
}

/** The secretary's to-do list: overdue first, then what falls due within the warning window. */
export async function todo(db: Queryable, fc: FieldCrypto, scope: Scope, today = todayInChina()) {
  const b = await board(db, fc, scope, Number(today.slice(0, 4)), today);
  return { items: [...b.overdue, ...b.upcoming], total: b.overdue.length + b.upcoming.length };
}

export async function setPlan(db: Db, scope: Scope, input: { year: number; quota: number }) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(developPlan)
      .where(and(eq(developPlan.orgId, scope.org.id), eq(developPlan.year, input.year)));
    await tx
      .insert(developPlan)
      .values({ tenantId: scope.tenantId, orgId: scope.org.id, year: input.year, quota: input.quota })
      .onConflictDoUpdate({
        target: [developPlan.orgId, developPlan.year],
        set: { quota: input.quota, updatedAt: now() },
      });
    await writeAudit(tx, scope.actor, {
      action: 'develop.plan',
      entityType: 'develop_plan',
      entityId: scope.org.id,
      org: scope.org,
      before: before ? { quota: before.quota } : null,
      after: input,
    });
    const used = await admittedIn(tx, scope.tenantId, scope.org.path, input.year);
    return { orgId: scope.org.id, orgName: scope.org.name, year: input.year, quota: input.quota, used };
  });
}

// ---- files ----------------------------------------------------------------------------------

export async function loadFile(db: Queryable, tenantId: string, personId: string, fileId: string) {
  const [f] = await db
    .select()
    .from(developFile)
    .where(and(eq(developFile.tenantId, tenantId), eq(developFile.personId, personId), eq(developFile.id, fileId)));
  if (!f) throw notFound();
  return f;
}

export async function insertFile(
  db: Db,
  scope: Scope,
  personId: string,
  row: Omit<typeof developFile.$inferInsert, 'tenantId' | 'personId'>,
) {
  return db.transaction(async (tx) => {
    const p = await loadPerson(tx, scope.tenantId, personId);
    if (row.step > Math.min(25, p.lastStep + 1))
      throw unprocessable(`第 ${row.step} 步尚未开始，请先办理前面的步骤`, undefined, 'STEP_NOT_STARTED');
    const [f] = await tx
      .insert(developFile)
      .values({ ...row, tenantId: scope.tenantId, personId })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'develop.file.upload',
      entityType: 'develop_file',
      entityId: f!.id,
      org: scope.org,
      after: { personId, step: row.step, fileName: row.fileName, mime: row.mime, size: row.size, sha256: row.sha256 },
    });
    return {
      id: f!.id,
      step: f!.step,
      fileName: f!.fileName,
      mime: f!.mime,
      size: f!.size,
      createdAt: f!.createdAt.toISOString(),
    };
  });
}

/**
 * The open 入党积极分子 and 发展对象 of an org subtree (`path` = the org's path): whom the thought-report
 * module expects to report (shared/thought.ts). Read only; closed records are left out.
 */
export async function openActivistsWithin(db: Queryable, tenantId: string, path: string) {
  return db
    .select({
      id: developPerson.id,
      name: developPerson.name,
      orgId: developPerson.orgId,
      orgName: org.name,
      orgPath: org.path,
      status: developPerson.status,
    })
    .from(developPerson)
    .innerJoin(org, onKey(org, developPerson.orgId, developPerson))
    .where(
      and(
        eq(developPerson.tenantId, tenantId),
        isNull(developPerson.closedAt),
        inArray(developPerson.status, ['activist', 'candidate']),
        sql`${org.path} like ${`${path}%`}`,
      ),
    )
    .orderBy(asc(org.path), asc(developPerson.name));
}

/** Name, org, stage and member record of one person record (null when absent), for other modules' reads. */
export async function personBrief(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({
      id: developPerson.id,
      name: developPerson.name,
      orgId: developPerson.orgId,
      status: developPerson.status,
      memberId: developPerson.memberId,
      closedAt: developPerson.closedAt,
    })
    .from(developPerson)
    .where(and(eq(developPerson.tenantId, tenantId), eq(developPerson.id, id)));
  return row ?? null;
}

/**
 * 发展党员 in a period for 党内统计 (党内统计年报): people of the subtree by the stage they reached in it —
 * 申请入党 (step 1), 入党积极分子 (3), 发展对象 (7), 接收预备党员 (15, 支部大会讨论接收, as admittedIn counts) and
 * 转正 (24) — with the admitted ones by gender, ethnicity, age band (on the day), education and occupation.
 * `unit` is the direct child of the subtree root whose subtree holds the person's org (or the root's path).
 */
export async function developedIn(db: Queryable, tenantId: string, path: string, from: string, to: string) {
  const age = sql`extract(year from age(done_on, birth_date))::int`;
  const band = sql`case ${sql.join(
    AGE_BANDS.map((b) => sql`when ${age} <= ${b.max} then ${b.key}`),
    sql` `,
  )} end`;
  return queryRows<{ unit: string; dim: string; key: string; n: number }>(
    db,
    sql`
    with s as (
      select s.step, s.done_on, p.gender, p.ethnicity, p.education, p.occupation, p.birth_date,
             ${unitOfPathSql(path, sql`o.path`)} as unit
      from develop_step s join develop_person p on p.tenant_id = s.tenant_id and p.id = s.person_id join org o on o.tenant_id = s.tenant_id and o.id = s.org_id
      where s.tenant_id = ${tenantId} and s.step in (1, 3, 7, 15, 24) and o.path like ${`${path}%`}
        and s.done_on between ${from}::date and ${to}::date
    ),
    a as (
      select unit, gender, case when coalesce(trim(ethnicity), '') = '' then '未填' when ethnicity = '汉族' then '汉族' else '少数民族' end as ethnic,
             coalesce(education, '未填') as education, coalesce(occupation, '未填') as occupation,
             ${band} as age_band
      from s where step = 15
    )
    select unit, 'stage' as dim, step::text as key, count(*)::int as n from s group by grouping sets ((unit, step), (step))
    union all
    select coalesce(unit, '*'),
           case when grouping(gender) = 0 then 'gender' when grouping(ethnic) = 0 then 'ethnic'
                when grouping(education) = 0 then 'education' when grouping(occupation) = 0 then 'occupation' else 'age' end,
           coalesce(gender, ethnic, education, occupation, age_band), count(*)::int
    from a group by grouping sets ((unit, gender), (unit, ethnic), (unit, education), (unit, occupation), (unit, age_band),
                                   (gender), (ethnic), (education), (occupation), (age_band))`,
  ).then((rows) => rows.map((r) => ({ ...r, unit: r.unit ?? '*' })));
}

// The public surface other modules use (eslint's module-boundary rule): the table of people in development they
// join against — this module alone writes it.
export { developPerson } from './schema';
