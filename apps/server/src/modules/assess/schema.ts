import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { org } from '../../platform/schema';
import { createdAtColumn, idColumn, refColumn, tenantColumn } from '../../platform/columns';

/** 考核指标库: an indicator kept by an org (its subtree's plans may use it). */
export const assessIndicator = pgTable(
  'assess_indicator',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    name: text('name').notNull(),
    category: text('category').notNull(),
    method: text('method').notNull(),
    source: text('source'),
    maxScore: numeric('max_score', { mode: 'number' }).notNull(),
    unit: text('unit'),
    target: numeric('target', { mode: 'number' }),
    higherBetter: boolean('higher_better').notNull().default(true),
    description: text('description'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index('assess_indicator_org_idx').on(t.tenantId, t.orgId)],
);

export type PlanItemRow = {
  key: string;
  indicatorId: string;
  name: string;
  category: string;
  method: string;
  source: string | null;
  maxScore: number;
  weight: number;
  unit: string | null;
  target: number | null;
  higherBetter: boolean;
};

/** 考核: a period (year, or a quarter of it) in which every 党支部 of `org_id`'s subtree is assessed. */
export const assessPlan = pgTable(
  'assess_plan',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    title: text('title').notNull(),
    year: integer('year').notNull(),
    quarter: integer('quarter'),
    items: jsonb('items').$type<PlanItemRow[]>().notNull(),
    status: text('status').notNull().default('open'),
    /** 自评截止日期 (China calendar day, inclusive); null: self-assessment stays open until the results are published. */
    selfDeadline: date('self_deadline', { mode: 'string' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('assess_plan_org_idx').on(t.tenantId, t.orgId, t.year)],
);

export type ScoreMap = Record<string, { score: number; note: string | null }>;
/** A frozen automatic figure: the ratio and the figures behind it, as read from the owning module. */
export type AutoFigure = { ratio: number; basis: string; num: number | null; den: number | null };

/**
 * 考核对象: one assessed org of a plan (a 党支部), with its self-assessment, the reviewer's scores, KPI values, the
 * automatic figures frozen when the results are published, its total and rank among the orgs under the same
 * parent, and its appeal.
 */
export const assessUnit = pgTable(
  'assess_unit',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    planId: refColumn('plan_id', () => assessPlan.id),
    orgId: refColumn('org_id', () => org.id),
    parentId: refColumn('parent_id', () => org.id),
    self: jsonb('self').$type<ScoreMap>().notNull().default({}),
    selfBy: text('self_by'),
    selfAt: timestamp('self_at', { withTimezone: true, mode: 'date' }),
    /** The org above reopened 自评 for this org after the plan's deadline, until this day (inclusive). */
    selfReopenedUntil: date('self_reopened_until', { mode: 'string' }),
    selfReopenedBy: text('self_reopened_by'),
    review: jsonb('review').$type<ScoreMap>().notNull().default({}),
    reviewBy: text('review_by'),
    reviewUserId: uuid('review_user_id'),
    reviewAt: timestamp('review_at', { withTimezone: true, mode: 'date' }),
    kpi: jsonb('kpi').$type<Record<string, number>>().notNull().default({}),
    auto: jsonb('auto').$type<Record<string, AutoFigure>>(),
    total: numeric('total', { mode: 'number' }),
    rank: integer('rank'),
    peers: integer('peers'),
    appealReason: text('appeal_reason'),
    appealBy: text('appeal_by'),
    appealUserId: uuid('appeal_user_id'),
    appealAt: timestamp('appeal_at', { withTimezone: true, mode: 'date' }),
    appealAnswer: text('appeal_answer'),
    answeredBy: text('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('assess_unit_plan_org').on(t.planId, t.orgId),
    index('assess_unit_org_idx').on(t.tenantId, t.orgId),
    index('assess_unit_appeal_idx')
      .on(t.appealUserId)
      .where(sql`${t.appealUserId} is not null`),
  ],
);

/** 考核佐证材料: evidence of a self-assessed indicator (bytes in the platform file store under files/assess/…). */
export const assessFile = pgTable(
  'assess_file',
  {
    id: uuid('id').primaryKey(),
    tenantId: tenantColumn(),
    unitId: refColumn('unit_id', () => assessUnit.id),
    itemKey: text('item_key').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('assess_file_unit_idx').on(t.unitId)],
);
