import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';
import { developPerson } from '../develop/service';
import { member } from '../member/service';
import { idColumn, refColumn, tenantColumn, updatedAtColumn } from '../../platform/columns';

/**
 * 思想汇报: a report a member wrote about their thinking, study and work for one period (`2026-Q4`), and
 * the secretary's mark and comment. The text and the comment are sealed (FieldCrypto, bound to the row):
 * only the writer and the record keepers of the report's org subtree read them. `org_id` is the writer's
 * org when it was submitted. `develop_person_id` is for a later slice (a written report of an 入党积极分子,
 * who has no account, recorded by the branch); today every report is a member's own.
 */
export const thoughtReport = pgTable(
  'thought_report',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: uuid('member_id').references(() => member.id),
    developPersonId: uuid('develop_person_id').references(() => developPerson.id),
    period: text('period').notNull(),
    title: text('title').notNull(),
    /** 思想动态 themes (THOUGHT_THEMES) chosen by the writer; not sealed — the overview counts them. */
    themes: text('themes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    textEnc: text('text_enc').notNull(),
    /** The account that submitted it (the member's own). */
    submittedBy: uuid('submitted_by').references(() => appUser.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    mark: text('mark'),
    commentEnc: text('comment_enc'),
    commentedBy: text('commented_by'),
    commentedAt: timestamp('commented_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('thought_report_org_idx').on(t.tenantId, t.orgId, t.submittedAt),
    index('thought_report_member_idx').on(t.memberId, t.period),
    index('thought_report_person_idx').on(t.developPersonId, t.period),
  ],
);

/** An org's 流动党员 reporting cadence (the nearest org above that set one applies; default quarterly). */
export const thoughtSetting = pgTable(
  'thought_setting',
  {
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    flowingCadence: text('flowing_cadence').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.orgId] })],
);
