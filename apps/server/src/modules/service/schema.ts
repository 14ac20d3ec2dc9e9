import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';
import { member } from '../member/service';
import { idColumn, refColumn, tenantColumn } from '../../platform/columns';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * 志愿服务活动: published by an org (a branch, or a committee for its whole subtree). Members of that org's subtree
 * may sign up, up to `slots`.
 */
export const volunteerActivity = pgTable(
  'volunteer_activity',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
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
    id: idColumn(),
    tenantId: tenantColumn(),
    activityId: refColumn('activity_id', () => volunteerActivity.id),
    memberId: refColumn('member_id', () => member.id),
    orgId: refColumn('org_id', () => org.id),
    signedUpAt: at('signed_up_at').notNull(),
    cancelledAt: at('cancelled_at'),
    checkedInAt: at('checked_in_at'),
    checkedOutAt: at('checked_out_at'),
    minutes: integer('minutes'),
    correctionReason: text('correction_reason'),
    correctedBy: text('corrected_by'),
    correctedAt: at('corrected_at'),
    userId: uuid('user_id').references(() => appUser.id),
    /**
     * The serial of the e-certificate (志愿服务证明) of these hours: set with the minutes (check-out, correction) and
     * replaced when they are corrected, so a certificate printed before a correction no longer verifies. Unique across
     * tenants: the public check finds the record by it alone.
     */
    certificateSerial: text('certificate_serial'),
  },
  (t) => [
    uniqueIndex('volunteer_signup_member_uq').on(t.activityId, t.memberId),
    uniqueIndex('volunteer_signup_certificate_uq').on(t.certificateSerial),
    index('volunteer_signup_member_idx').on(t.tenantId, t.memberId),
    index('volunteer_signup_org_idx')
      .on(t.tenantId, t.orgId)
      .where(sql`minutes is not null`),
  ],
);

/**
 * A yearly certificate (年度志愿服务证明) as it was issued: a member's hours of one Beijing year on one paper. It lists
 * the sign-ups it sums up with the one-activity serial each had (`signups`), so it stays genuine exactly while each of
 * them still has that serial — a correction or cancellation of one voids it, like the one-activity certificate. Issued
 * by a POST (a GET must not write); issuing again with the same hours gives the same serial.
 */
export const volunteerYearCertificate = pgTable(
  'volunteer_year_certificate',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    memberId: refColumn('member_id', () => member.id),
    year: integer('year').notNull(),
    /** `ZYND-XXXX-XXXX-XXXX`; unique across tenants (the public check finds it by the serial alone). */
    serial: text('serial').notNull(),
    /** The sign-ups it lists, in the order printed, each with its one-activity serial at issue: `[{id, serial}]`. */
    signups: jsonb('signups').$type<{ id: string; serial: string }[]>().notNull(),
    minutes: integer('minutes').notNull(),
    issuedAt: at('issued_at').notNull(),
  },
  (t) => [
    uniqueIndex('volunteer_year_certificate_serial_uq').on(t.serial),
    index('volunteer_year_certificate_member_idx').on(t.tenantId, t.memberId, t.year),
  ],
);

/**
 * 困难帮扶: a member in hardship, kept by the branch secretary and the org department only. `situation_enc` is sealed
 * (FieldCrypto, bound to the row). `org_id` is the member's org when the case was opened.
 */
export const hardshipCase = pgTable(
  'hardship_case',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: refColumn('member_id', () => member.id),
    level: text('level').notNull(),
    situationEnc: text('situation_enc').notNull(),
    status: text('status').notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('hardship_case_org_idx').on(t.tenantId, t.orgId, t.createdAt)],
);

/** A visit or help given in a hardship case (走访慰问): the day, who went, what help, the amount in 分, a sealed note. */
export const hardshipVisit = pgTable(
  'hardship_visit',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    caseId: refColumn('case_id', () => hardshipCase.id),
    visitedOn: text('visited_on').notNull(),
    visitors: text('visitors').notNull(),
    help: text('help').notNull(),
    amountFen: integer('amount_fen').notNull().default(0),
    noteEnc: text('note_enc').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('hardship_visit_case_idx').on(t.caseId, t.visitedOn)],
);

/**
 * 云地图: a place of an org — its own office (kind `org`, at most one per org), a 党群服务中心, a 党员驿站 or an activity
 * place — with address, contact phone (the place's duty phone, not a person's; shown to everyone who sees the place),
 * opening hours and its position. `lng`/`lat` are **GCJ-02** degrees (the datum of Chinese map services; see
 * packages/shared/src/service-map.ts), checked to lie within China on every write.
 */
export const servicePlace = pgTable(
  'service_place',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    phone: text('phone').notNull().default(''),
    hours: text('hours').notNull().default(''),
    description: text('description').notNull().default(''),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('service_place_org_idx').on(t.tenantId, t.orgId),
    uniqueIndex('service_place_org_office_uq')
      .on(t.orgId)
      .where(sql`kind = 'org'`),
  ],
);
