import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';
import { member } from '../member/schema';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * 志愿服务活动: published by an org (a branch, or a committee for its whole subtree). Members of that org's subtree
 * may sign up, up to `slots`.
 */
export const volunteerActivity = pgTable(
  'volunteer_activity',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    place: text('place').notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    slots: integer('slots').notNull(),
    skills: text('skills').notNull().default(''),
    status: text('status').notNull().default('published'),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('volunteer_activity_org_idx').on(t.tenantId, t.orgId, t.startsAt)],
);

/**
 * A member's sign-up to an activity and what they did there: check-in and check-out times (by the activity's QR),
 * the minutes counted (at check-out, capped to the activity's time), and an organizer's correction with its reason.
 * `org_id` is the member's org when they signed up (the roll-up counts by it).
 */
export const volunteerSignup = pgTable(
  'volunteer_signup',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => volunteerActivity.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    signedUpAt: at('signed_up_at').notNull(),
    cancelledAt: at('cancelled_at'),
    checkedInAt: at('checked_in_at'),
    checkedOutAt: at('checked_out_at'),
    minutes: integer('minutes'),
    correctionReason: text('correction_reason'),
    correctedBy: text('corrected_by'),
    correctedAt: at('corrected_at'),
    userId: uuid('user_id').references(() => appUser.id),
  },
  (t) => [
    uniqueIndex('volunteer_signup_member_uq').on(t.activityId, t.memberId),
    index('volunteer_signup_member_idx').on(t.tenantId, t.memberId),
    index('volunteer_signup_org_idx').on(t.tenantId, t.orgId).where(sql`minutes is not null`),
  ],
);
