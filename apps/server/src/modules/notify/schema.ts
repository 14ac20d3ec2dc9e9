/**
 * 通知提醒 tables: the in-app inbox, each user's channel settings, the tenant's edited templates, the
 * org group robots, integrators' webhook endpoints, and the delivery log of every outbound message.
 * Secrets (robot webhook addresses and signing keys, webhook signing keys) are stored encrypted.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';
import { idColumn, refColumn, tenantColumn } from '../../platform/columns';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/**
 * One notice in one user's inbox. `dedupe_key` names the logical notice (e.g. the meeting and its
 * start time): a second send with the same key to the same user is no new notice. `seq` orders the
 * inbox and lets a reconnecting live stream ask for what it missed.
 */
export const notification = pgTable(
  'notification',
  {
    id: idColumn(),
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    tenantId: tenantColumn(),
    userId: refColumn('user_id', () => appUser.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    orgId: uuid('org_id'),
    urgent: boolean('urgent').notNull().default(false),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('notification_user_dedupe_uq').on(t.userId, t.dedupeKey),
    index('notification_user_seq_idx').on(t.userId, t.seq),
    index('notification_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    index('notification_tenant_created_idx').on(t.tenantId, t.createdAt),
  ],
);

/** A user's channels, e-mail address, quiet hours and muted kinds. No row = the defaults. */
export const notifyPref = pgTable('notify_pref', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => appUser.id),
  tenantId: tenantColumn(),
  email: text('email'),
  emailOn: boolean('email_on').notNull().default(false),
  smsOn: boolean('sms_on').notNull().default(false),
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  mutedKinds: text('muted_kinds')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  updatedAt: updatedAt(),
});

/** A tenant's edited template of a kind (the default lives in packages/shared notify.ts). */
export const notifyTemplate = pgTable(
  'notify_template',
  {
    tenantId: tenantColumn(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Urgent kinds ignore quiet hours (robots, SMS, e-mail). */
    urgent: boolean('urgent').notNull().default(false),
    updatedBy: uuid('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

/** A group robot (企业微信 / 钉钉 / 飞书) of an org: notices about the org are posted to its group. */
export const notifyRobot = pgTable(
  'notify_robot',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    provider: text('provider').notNull(),
    name: text('name').notNull(),
    /** The webhook address holds the robot's key: encrypted, shown masked. */
    urlEnc: text('url_enc').notNull(),
    secretEnc: text('secret_enc'),
    /** Kinds posted; empty = all. */
    kinds: text('kinds')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Also notices about orgs below this one. */
    subtree: boolean('subtree').notNull().default(false),
    quietStart: text('quiet_start'),
    quietEnd: text('quiet_end'),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('notify_robot_org_idx').on(t.tenantId, t.orgId)],
);

/** An integrator's endpoint: domain events POSTed as JSON, signed with HMAC-SHA256. */
export const webhookEndpoint = pgTable('webhook_endpoint', {
  id: idColumn(),
  tenantId: tenantColumn(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  secretEnc: text('secret_enc').notNull(),
  /** Event kinds (audit actions); '*' = all. */
  kinds: text('kinds').array().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Every outbound message: one row per (channel, target, notice), unique by `dedupe_key`, sent by the
 * job `notify.deliver` (retries with backoff; a dead letter when it gives up). What was sent is kept
 * in `payload` so a resend sends the same thing; the answer's status, a short excerpt and the time
 * it took are logged.
 */
export const notifyDelivery = pgTable(
  'notify_delivery',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    channel: text('channel').notNull(),
    kind: text('kind').notNull(),
    notificationId: uuid('notification_id'),
    robotId: uuid('robot_id'),
    endpointId: uuid('endpoint_id'),
    userId: uuid('user_id'),
    /** Who or where, masked for display (a phone, an address, a robot's name). */
    target: text('target').notNull(),
    title: text('title').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    responseStatus: integer('response_status'),
    responseExcerpt: text('response_excerpt'),
    durationMs: integer('duration_ms'),
    jobId: uuid('job_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('notify_delivery_dedupe_uq').on(t.dedupeKey),
    index('notify_delivery_tenant_created_idx').on(t.tenantId, t.createdAt),
    index('notify_delivery_channel_idx').on(t.tenantId, t.channel, t.status),
    index('notify_delivery_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);
