import { sql } from 'drizzle-orm';
import { boolean, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';

/**
 * 党员 (the member database). 身份证号 and phone are stored only encrypted, with HMAC blind
 * indexes for exact lookups. Members are never deleted: leaving sets left_at and left_reason.
 */
export const member = pgTable(
  'member',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => org.id),
    name: text('name').notNull(),
    /** Pinyin initials of the name (张建国 → zjg) for search as users type. */
    nameInitials: text('name_initials').notNull(),
    gender: text('gender').notNull(),
    ethnicity: text('ethnicity').notNull().default('汉族'),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    idCardEnc: text('id_card_enc').notNull(),
    idCardIdx: text('id_card_idx').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    education: text('education'),
    occupation: text('occupation'),
    jobTitle: text('job_title'),
    joinedAt: date('joined_at', { mode: 'string' }).notNull(),
    fullAt: date('full_at', { mode: 'string' }),
    status: text('status').notNull(),
    duesCategory: text('dues_category').notNull().default('employed'),
    /** The member's own login, when they have one (self-service on the phone). */
    userId: uuid('user_id').references(() => appUser.id),
    flowing: boolean('flowing').notNull().default(false),
    leftAt: date('left_at', { mode: 'string' }),
    leftReason: text('left_reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('member_id_card_uq').on(t.tenantId, t.idCardIdx),
    uniqueIndex('member_user_uq').on(t.userId),
    index('member_org_idx').on(t.orgId, t.name),
    index('member_phone_idx').on(t.tenantId, t.phoneIdx),
    index('member_initials_idx').on(t.tenantId, t.nameInitials.op('text_pattern_ops')),
    index('member_name_idx').on(t.tenantId, t.name.op('text_pattern_ops')),
    index('member_active_idx').on(t.tenantId).where(sql`${t.leftAt} is null`),
  ],
);

/** 组织关系转接: inside the tenant (request → receiving org confirms) or out of it (letter). */
export const memberTransfer = pgTable(
  'member_transfer',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    direction: text('direction').notNull(),
    fromOrgId: uuid('from_org_id')
      .notNull()
      .references(() => org.id),
    toOrgId: uuid('to_org_id').references(() => org.id),
    destination: text('destination'),
    letterNo: text('letter_no'),
    validUntil: date('valid_until', { mode: 'string' }),
    reason: text('reason').notNull(),
    status: text('status').notNull(),
    requestedBy: text('requested_by'),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    note: text('note'),
  },
  (t) => [index('member_transfer_to_idx').on(t.toOrgId, t.status), index('member_transfer_from_idx').on(t.fromOrgId, t.status), index('member_transfer_member_idx').on(t.memberId)],
);

/** 流动党员: away without transferring; still managed by their own branch, checked on regularly. */
export const memberFlow = pgTable(
  'member_flow',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    location: text('location').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    contact: text('contact').notNull().default(''),
    lastContactOn: date('last_contact_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
  },
  (t) => [index('member_flow_member_idx').on(t.memberId)],
);
