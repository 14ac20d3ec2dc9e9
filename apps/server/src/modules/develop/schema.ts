import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { org } from '../../platform/schema';
import { member } from '../member/service';
import { createdAtColumn, idColumn, refColumn, tenantColumn, updatedAtColumn } from '../../platform/columns';

/**
 * 发展党员: a person on the way in (applicant → activist → development target → probationary
 * member → full member). 身份证号 and phone only encrypted, with blind indexes. Records are
 * never deleted; a person whose development ends keeps the record with closed_at/closed_reason.
 */
export const developPerson = pgTable(
  'develop_person',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    /** The branch that develops the person. */
    orgId: refColumn('org_id', () => org.id),
    name: text('name').notNull(),
    gender: text('gender').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    ethnicity: text('ethnicity').notNull().default('汉族'),
    education: text('education'),
    occupation: text('occupation'),
    jobTitle: text('job_title'),
    idCardEnc: text('id_card_enc').notNull(),
    idCardIdx: text('id_card_idx').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    status: text('status').notNull(),
    lastStep: integer('last_step').notNull(),
    appliedAt: date('applied_at', { mode: 'string' }).notNull(),
    /** The member record created on admission (step 17). */
    memberId: uuid('member_id').references(() => member.id),
    closedAt: date('closed_at', { mode: 'string' }),
    closedReason: text('closed_reason'),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex('develop_person_open_id_card_uq')
      .on(t.tenantId, t.idCardIdx)
      .where(sql`${t.closedAt} is null`),
    index('develop_person_org_idx').on(t.orgId, t.status),
  ],
);

/** One completed step of the 25, with who did it, the step's facts, and any admin override. */
export const developStep = pgTable(
  'develop_step',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    personId: refColumn('person_id', () => developPerson.id),
    orgId: refColumn('org_id', () => org.id),
    step: integer('step').notNull(),
    doneOn: date('done_on', { mode: 'string' }).notNull(),
    responsible: text('responsible').notNull(),
    notes: text('notes').notNull().default(''),
    details: jsonb('details').notNull().default({}),
    overrideReason: text('override_reason'),
    overrideBy: text('override_by'),
    overrideViolations: jsonb('override_violations'),
    recordedBy: text('recorded_by').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex('develop_step_person_step_uq').on(t.personId, t.step),
    index('develop_step_org_idx').on(t.orgId, t.step, t.doneOn),
  ],
);

/** 入党积极分子 half-yearly assessments (培养教育考察). */
export const developAssessment = pgTable(
  'develop_assessment',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    personId: refColumn('person_id', () => developPerson.id),
    on: date('on', { mode: 'string' }).notNull(),
    assessor: text('assessor').notNull(),
    summary: text('summary').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index('develop_assessment_person_idx').on(t.personId, t.on)],
);

/** Scanned documents of a step (入党申请书, 志愿书, 政审材料, …), bytes under XF_DATA_DIR/files. */
export const developFile = pgTable(
  'develop_file',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    personId: refColumn('person_id', () => developPerson.id),
    step: integer('step').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by'),
    createdAt: createdAtColumn(),
  },
  (t) => [index('develop_file_person_idx').on(t.personId, t.step)],
);

/** 年度发展计划 (名额): how many an org may admit in a year, counted over its subtree. */
export const developPlan = pgTable(
  'develop_plan',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    year: integer('year').notNull(),
    quota: integer('quota').notNull(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex('develop_plan_org_year_uq').on(t.orgId, t.year)],
);

/**
 * 延长预备期 / 取消预备党员资格 of a 预备党员: the 支部大会's resolution (date and vote) and the approval from
 * above. At most one of each kind per person (an extension is allowed once, 细则 第三十二条).
 */
export const developProbationDecision = pgTable(
  'develop_probation_decision',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    personId: refColumn('person_id', () => developPerson.id),
    kind: text('kind').notNull(),
    /** Months of an extension; null for a cancellation. */
    months: integer('months'),
    meetingOn: date('meeting_on', { mode: 'string' }).notNull(),
    vote: jsonb('vote').notNull(),
    approvedOn: date('approved_on', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex('develop_probation_decision_person_kind_uq').on(t.personId, t.kind)],
);
