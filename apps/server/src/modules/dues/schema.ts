/**
 * 党费 tables. Money is integer 分 (bigint where sums can grow). Months are the first day of the
 * month (`date`, Asia/Shanghai business month).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { org } from '../../platform/schema';
import { member } from '../member/service';
import { idColumn, refColumn, tenantColumn, updatedAtColumn } from '../../platform/columns';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const fen = (name: string) => bigint(name, { mode: 'number' });

/** Per-enterprise dues settings (farmer amount, prepay and online catch-up limits, retired base definition). */
export const duesSetting = pgTable('dues_setting', {
  tenantId: uuid('tenant_id').primaryKey(),
  farmerMonthlyFen: integer('farmer_monthly_fen').notNull(),
  maxPrepayMonths: integer('max_prepay_months').notNull(),
  maxCatchUpMonths: integer('max_catch_up_months').notNull().default(6),
  retiredBase: text('retired_base').notNull(),
  updatedAt: updatedAtColumn(),
});

/**
 * 核定基数, with history: a row applies from `effective_from` until the member's next row.
 * The amount is computed once from the rate table when the row is written.
 */
export const duesBase = pgTable(
  'dues_base',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: refColumn('member_id', () => member.id),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    monthlyBaseFen: fen('monthly_base_fen').notNull(),
    rateBp: integer('rate_bp').notNull(),
    monthlyFen: fen('monthly_fen').notNull(),
    source: text('source').notNull(),
    note: text('note'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('dues_base_member_month_uq').on(t.memberId, t.effectiveFrom),
    index('dues_base_org_idx').on(t.orgId),
  ],
);

/** A member's request to correct their base; accepting writes a new base row. */
export const duesCorrection = pgTable(
  'dues_correction',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: refColumn('member_id', () => member.id),
    proposedBaseFen: fen('proposed_base_fen').notNull(),
    reason: text('reason').notNull(),
    status: text('status').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [index('dues_correction_org_idx').on(t.orgId, t.status), index('dues_correction_member_idx').on(t.memberId)],
);

/** 特殊困难减免: reduced (or zero) monthly amount for a range of months, approved by the committee above. */
export const duesExemption = pgTable(
  'dues_exemption',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: refColumn('member_id', () => member.id),
    fromMonth: date('from_month', { mode: 'string' }).notNull(),
    toMonth: date('to_month', { mode: 'string' }).notNull(),
    reducedFen: fen('reduced_fen').notNull(),
    reason: text('reason').notNull(),
    status: text('status').notNull().default('pending'),
    requestedBy: uuid('requested_by'),
    requestedByName: text('requested_by_name'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('dues_exemption_member_idx').on(t.memberId, t.status),
    index('dues_exemption_org_idx').on(t.orgId, t.status),
  ],
);

/**
 * One bill per member per month. `standard_fen` is what the rate table asks; `due_fen` what is
 * owed after an approved exemption. Unique (member, month) makes generation idempotent.
 *
 * Partitioned by month (migration 0070, declared in SQL: drizzle cannot express it): a month's run
 * writes into a small table whose indexes stay in memory instead of five indexes over years of bills.
 * A month's partition is made by `xf_dues_bill_partition(month)` before anything is written to it —
 * `ensureBillPartition` in service.ts; there is no default partition, so a missed call fails loudly.
 */
export const duesBill = pgTable(
  'dues_bill',
  {
    // Time-ordered (UUID v7, migration 0066): a month's run appends to the primary key's right edge instead
    // of writing a million random leaf pages of a table that holds years of bills.
    id: uuid('id')
      .notNull()
      .default(sql`xf_uuid7()`),
    tenantId: tenantColumn(),
    // No foreign keys on org_id/member_id (0066): the bill run is the only writer and takes both from the member
    // row it reads, and members and orgs are never deleted (only marked 离开/撤销). Per-row FK checks were ~40 %
    // of the monthly run (docs/benchmarks.md).
    orgId: uuid('org_id').notNull(),
    memberId: uuid('member_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    baseFen: fen('base_fen').notNull(),
    rateBp: integer('rate_bp').notNull(),
    standardFen: fen('standard_fen').notNull(),
    dueFen: fen('due_fen').notNull(),
    status: text('status').notNull().default('unpaid'),
    exemptionId: uuid('exemption_id'),
    paymentId: uuid('payment_id'),
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    // A partitioned table's keys must contain the partition key.
    primaryKey({ columns: [t.id, t.month] }),
    uniqueIndex('dues_bill_member_month_uq').on(t.memberId, t.month),
    index('dues_bill_org_month_idx').on(t.orgId, t.month, t.status),
    index('dues_bill_tenant_month_idx').on(t.tenantId, t.month),
    index('dues_bill_unpaid_idx')
      .on(t.memberId, t.month)
      .where(sql`${t.status} = 'unpaid'`),
  ],
);

/**
 * A payment: online (pending until the provider's signed callback) or offline (paid when
 * recorded). `amount_fen` = the bills' due amounts + `extra_fen` (自愿多交).
 */
export const duesPayment = pgTable(
  'dues_payment',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: refColumn('member_id', () => member.id),
    channel: text('channel').notNull(),
    tradeType: text('trade_type'),
    outTradeNo: text('out_trade_no').notNull(),
    amountFen: fen('amount_fen').notNull(),
    extraFen: fen('extra_fen').notNull().default(0),
    status: text('status').notNull().default('pending'),
    providerTradeNo: text('provider_trade_no'),
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'date' }),
    receiptNo: text('receipt_no'),
    reference: text('reference'),
    note: text('note'),
    recordedBy: text('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('dues_payment_out_trade_no_uq').on(t.outTradeNo),
    uniqueIndex('dues_payment_provider_no_uq').on(t.channel, t.providerTradeNo),
    uniqueIndex('dues_payment_receipt_uq').on(t.receiptNo),
    index('dues_payment_org_idx').on(t.orgId, t.status, t.paidAt),
    index('dues_payment_member_idx').on(t.memberId, t.createdAt),
  ],
);

/** Which bills a payment settles, with the amount each. */
export const duesPaymentBill = pgTable(
  'dues_payment_bill',
  {
    paymentId: refColumn('payment_id', () => duesPayment.id),
    billId: uuid('bill_id').notNull(),
    // The bill's month: with the bill id it is the partitioned bill table's key, so the reference can be checked
    // (0070; filled by a trigger when a writer of the previous version leaves it out).
    billMonth: date('bill_month', { mode: 'string' }).notNull(),
    amountFen: fen('amount_fen').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.paymentId, t.billId] }),
    index('dues_payment_bill_bill_idx').on(t.billId),
    foreignKey({ columns: [t.billId, t.billMonth], foreignColumns: [duesBill.id, duesBill.month] }),
  ],
);

/**
 * Every provider notification received, with what was decided: the log of forged, replayed and
 * wrong-amount callbacks (kept apart from the audit log, which records only changes).
 */
export const duesNotifyLog = pgTable(
  'dues_notify_log',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id'),
    provider: text('provider').notNull(),
    outTradeNo: text('out_trade_no'),
    notifyId: text('notify_id'),
    verdict: text('verdict').notNull(),
    detail: text('detail'),
    amountFen: fen('amount_fen'),
    remoteAddress: text('remote_address'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('dues_notify_log_trade_idx').on(t.outTradeNo), index('dues_notify_log_at_idx').on(t.receivedAt)],
);

/** 上缴: dues passed from an org to the org above. */
export const duesRemittance = pgTable(
  'dues_remittance',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    toOrgId: uuid('to_org_id').references(() => org.id),
    periodMonth: date('period_month', { mode: 'string' }).notNull(),
    amountFen: fen('amount_fen').notNull(),
    /** Of `amount_fen`, money owed to the Central Committee (voluntary payments ≥ 1000 元) passed up with it. */
    centralFen: fen('central_fen').notNull().default(0),
    remittedOn: date('remitted_on', { mode: 'string' }).notNull(),
    note: text('note'),
    recordedBy: text('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('dues_remittance_org_idx').on(t.orgId, t.periodMonth),
    index('dues_remittance_to_idx').on(t.toOrgId, t.periodMonth),
  ],
);

/** 党费使用: spending entries, counted once approved; public to the org's members. */
export const duesUsage = pgTable(
  'dues_usage',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    spentOn: date('spent_on', { mode: 'string' }).notNull(),
    amountFen: fen('amount_fen').notNull(),
    purpose: text('purpose').notNull(),
    note: text('note'),
    status: text('status').notNull().default('pending'),
    requestedBy: uuid('requested_by'),
    requestedByName: text('requested_by_name'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [index('dues_usage_org_idx').on(t.orgId, t.status, t.spentOn)],
);

/** Reminders sent to members in arrears (one per member per day at most). */
export const duesReminder = pgTable(
  'dues_reminder',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    memberId: refColumn('member_id', () => member.id),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
    unpaidMonths: integer('unpaid_months').notNull(),
    owedFen: fen('owed_fen').notNull(),
    level: text('level').notNull(),
    sentBy: text('sent_by'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('dues_reminder_member_day_uq').on(t.memberId, t.sentOn)],
);

/**
 * How a branch collects dues offline (收缴人, 地点, 时间, 说明): set on an org, inherited by every org
 * below it that has none of its own (issue 28 item 7). Shown to members, most of all when online
 * payment is not configured.
 */
export const duesOfflineInfo = pgTable(
  'dues_offline_info',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => org.id),
    tenantId: tenantColumn(),
    collector: text('collector').notNull(),
    place: text('place').notNull(),
    time: text('time').notNull(),
    note: text('note').notNull().default(''),
    updatedBy: text('updated_by'),
    updatedAt: updatedAtColumn(),
  },
  (t) => [index('dues_offline_info_tenant_idx').on(t.tenantId)],
);
