import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';
import { member } from '../member/service';
import { createdAtColumn, idColumn, refColumn, tenantColumn } from '../../platform/columns';

/**
 * 整改: one finding to fix. `org_id` is the responsible org (整改责任组织); `owner_member_id` the 责任人 when a
 * member is responsible (null: the org itself, i.e. its 书记). `verifier_user_id` is the account that 验收s it
 * (shared/supervise.ts RECTIFY_RULES.verifier). Status: open → in_progress → pending_check → closed.
 */
export const superviseRectification = pgTable(
  'supervise_rectification',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    sourceKind: text('source_kind').notNull(),
    sourceRef: text('source_ref'),
    title: text('title').notNull(),
    finding: text('finding').notNull(),
    measures: text('measures').notNull(),
    ownerMemberId: uuid('owner_member_id').references(() => member.id),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    verifierUserId: refColumn('verifier_user_id', () => appUser.id),
    status: text('status').notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('supervise_rectification_org_idx').on(t.tenantId, t.orgId, t.status),
    index('supervise_rectification_owner_idx').on(t.ownerMemberId),
    index('supervise_rectification_verifier_idx').on(t.verifierUserId),
    index('supervise_rectification_due_idx').on(t.tenantId, t.status, t.deadline),
  ],
);

/** Every step of an item (created, started, submitted, returned, closed, edited), with who and the note. */
export const superviseRectificationEvent = pgTable(
  'supervise_rectification_event',
  {
    id: idColumn(),
    itemId: refColumn('item_id', () => superviseRectification.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    note: text('note'),
    byName: text('by_name').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('supervise_rectification_event_item_idx').on(t.itemId, t.at)],
);

/** The columns of an evidence file (bytes in the platform file store under files/supervise/…), for each table of them. */
const storedFile = () => ({
  id: uuid('id').primaryKey(),
  tenantId: tenantColumn(),
  fileName: text('file_name').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** 整改佐证材料: evidence files of an item. */
export const superviseRectificationFile = pgTable(
  'supervise_rectification_file',
  {
    ...storedFile(),
    itemId: refColumn('item_id', () => superviseRectification.id),
  },
  (t) => [index('supervise_rectification_file_item_idx').on(t.itemId)],
);

/**
 * 承诺践诺: a yearly commitment of a member (`member_id`) or of an org (`member_id` null), with its measurable items
 * and their progress (`items`: text, measure, percent), and the year-end review.
 */
export const superviseCommitment = pgTable(
  'supervise_commitment',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: uuid('member_id').references(() => member.id),
    year: integer('year').notNull(),
    items: jsonb('items').$type<{ text: string; measure: string; percent: number }[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
    rating: text('rating'),
    reviewComment: text('review_comment'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('supervise_commitment_org_idx').on(t.tenantId, t.orgId, t.year),
    uniqueIndex('supervise_commitment_member_year')
      .on(t.memberId, t.year)
      .where(sql`${t.memberId} is not null`),
    uniqueIndex('supervise_commitment_org_year')
      .on(t.orgId, t.year)
      .where(sql`${t.memberId} is null`),
  ],
);

/** 践诺进展: a progress report on one item of a commitment. */
export const superviseCommitmentProgress = pgTable(
  'supervise_commitment_progress',
  {
    id: idColumn(),
    commitmentId: refColumn('commitment_id', () => superviseCommitment.id),
    itemIndex: integer('item_index').notNull(),
    percent: integer('percent').notNull(),
    note: text('note').notNull(),
    byName: text('by_name').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('supervise_commitment_progress_idx').on(t.commitmentId, t.at)],
);

/** 践诺佐证材料. */
export const superviseCommitmentFile = pgTable(
  'supervise_commitment_file',
  {
    ...storedFile(),
    commitmentId: refColumn('commitment_id', () => superviseCommitment.id),
  },
  (t) => [index('supervise_commitment_file_idx').on(t.commitmentId)],
);
