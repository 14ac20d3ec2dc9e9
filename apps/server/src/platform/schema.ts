/**
 * Platform tables: tenancy, the org tree core, users, sessions and the audit log.
 * Business modules keep their tables in modules/<name>/schema.ts; every business row
 * carries tenant_id and, where it belongs to an org, org_id.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  bigserial,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, refColumn, tenantColumn, updatedAtColumn } from './columns';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const tenant = pgTable('tenant', {
  id: idColumn(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/**
 * Orgs keep a materialized path of their ancestors' numbers, e.g. `/1/7/42/`, so that
 * "this org and everything under it" is `path LIKE '/1/7/%'` on a text_pattern_ops index.
 */
export const org = pgTable(
  'org',
  {
    id: idColumn(),
    no: bigserial('no', { mode: 'number' }).notNull().unique(),
    tenantId: refColumn('tenant_id', () => tenant.id),
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    contactPerson: text('contact_person'),
    contactPhone: text('contact_phone'),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    establishedOn: date('established_on', { mode: 'string' }),
    /** Dissolved orgs stay for history; they leave the tree listing. */
    dissolvedAt: timestamp('dissolved_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex('org_path_uq').on(t.path.op('text_pattern_ops')),
    index('org_tenant_parent_idx').on(t.tenantId, t.parentId, t.sortOrder),
    /** The target of the (tenant_id, org_id) keys (user_role, member): a row's org is in the row's tenant (0076). */
    uniqueIndex('org_tenant_id_uq').on(t.tenantId, t.id),
  ],
);

export const appUser = pgTable(
  'app_user',
  {
    id: idColumn(),
    tenantId: refColumn('tenant_id', () => tenant.id),
    username: text('username').notNull(),
    displayName: text('display_name').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    prefs: jsonb('prefs').$type<{ largeFont?: boolean }>().notNull().default({}),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('app_user_username_uq').on(sql`lower(${t.username})`),
    /** The target of user_role's (tenant_id, user_id) key: a role is bound in its user's own tenant. */
    uniqueIndex('app_user_tenant_id_uq').on(t.tenantId, t.id),
  ],
);

export const userRole = pgTable(
  'user_role',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    /** Its user, in the same tenant: the key is (tenant_id, user_id), user_role_user_tenant_fk below. */
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    /** Its org, in the same tenant: the key is (tenant_id, org_id), user_role_org_tenant_fk below. */
    orgId: uuid('org_id').notNull(),
  },
  (t) => [
    uniqueIndex('user_role_uq').on(t.userId, t.role, t.orgId),
    index('user_role_org_idx').on(t.orgId),
    // A binding's tenant is its user's tenant (loadBindings reads in the user's tenant; migration 0072).
    foreignKey({
      name: 'user_role_user_tenant_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [appUser.tenantId, appUser.id],
    }),
    // And its org is in that tenant too (migration 0076).
    foreignKey({
      name: 'user_role_org_tenant_fk',
      columns: [t.tenantId, t.orgId],
      foreignColumns: [org.tenantId, org.id],
    }),
  ],
);

/** Opaque session tokens; only their SHA-256 is stored, so a leaked table grants nothing. */
export const session = pgTable(
  'session',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: refColumn('user_id', () => appUser.id),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const loginAttempt = pgTable(
  'login_attempt',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: text('username').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    success: boolean('success').notNull(),
    ip: text('ip'),
  },
  (t) => [index('login_attempt_user_at_idx').on(sql`lower(${t.username})`, t.at)],
);

/** Append-only, hash-chained: each row stores the previous row's hash and its own. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    orgId: uuid('org_id'),
    orgPath: text('org_path'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_tenant_at_idx').on(t.tenantId, t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId),
    index('audit_org_path_idx').on(t.orgPath.op('text_pattern_ops')),
  ],
);

/**
 * One row holding the chain's head. Writers update it inside their transaction, which
 * serializes audit appends without locking the log itself.
 */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
  /**
   * How the chain's hashes are made: 1 = plain SHA-256 (before security review #14 finding 4), 2 = HMAC-SHA256
   * with a key derived from the installation secret (kept outside the database). A version-1 chain is
   * verified and re-hashed to version 2 at start (platform/audit.ts `upgradeAuditChain`).
   */
  version: integer('version').notNull().default(1),
});

/**
 * Background jobs (imports, exports, bill runs, reminders, deliveries): a Postgres-backed queue claimed
 * with FOR UPDATE SKIP LOCKED, so it works the same on PGlite and on a PostgreSQL cluster.
 * `run_at`: not before (one-off schedules, retry backoff). `lease_until`: a running job's claim,
 * extended while it runs; an expired one (its process died) is queued again. `dedupe_key`: one job per
 * key ever (a schedule's occurrence, an event's processor), so two processes never enqueue it twice.
 * Status: queued → running → done | failed (a Chinese error for the user) | dead (retries exhausted:
 * the dead-letter list an admin can inspect and resend).
 */
export const job = pgTable(
  'job',
  {
    id: idColumn(),
    /** Null for platform housekeeping that is no tenant's. */
    tenantId: uuid('tenant_id'),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('queued'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** An uploaded file the job works on, kept with it so a restart can resume. */
    input: bytea('input'),
    progress: integer('progress').notNull().default(0),
    total: integer('total').notNull().default(0),
    result: jsonb('result'),
    error: jsonb('error'),
    createdBy: uuid('created_by'),
    attempts: integer('attempts').notNull().default(0),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    dedupeKey: text('dedupe_key'),
    createdAt: createdAt(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    index('job_queue_idx').on(t.status, t.runAt),
    uniqueIndex('job_dedupe_uq')
      .on(t.dedupeKey)
      .where(sql`${t.dedupeKey} is not null`),
  ],
);

/**
 * Recurring schedules (cron, Asia/Shanghai by default). The runner that locks a due row (SKIP LOCKED)
 * enqueues that occurrence's job (dedupe key `name@occurrence`) and moves `next_at` on, in one
 * transaction: with several processes every occurrence is enqueued exactly once. Missed occurrences
 * (the server was down) are run once, for the latest of them.
 */
export const schedule = pgTable('schedule', {
  name: text('name').primaryKey(),
  tenantId: uuid('tenant_id'),
  kind: text('kind').notNull(),
  cron: text('cron').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  nextAt: timestamp('next_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastAt: timestamp('last_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
  updatedAt: updatedAtColumn(),
});

/**
 * The event outbox: one domain event per audit entry, written by `writeAudit` in the same
 * transaction and sharing its id. Audit appends are serialized by `audit_head`, so ids become
 * visible in commit order and a reader that has seen id n has seen every id below it: one cursor
 * (`outbox_cursor`) is enough to read each event exactly once.
 */
export const outboxEvent = pgTable(
  'outbox_event',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id'),
    kind: text('kind').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    orgId: uuid('org_id'),
    orgPath: text('org_path'),
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('outbox_event_at_idx').on(t.at)],
);

export const outboxCursor = pgTable('outbox_cursor', {
  name: text('name').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
  updatedAt: updatedAtColumn(),
});

/**
 * Hit counters every server process shares (platform/hits.ts): public rate limits on PostgreSQL, wrong sign-in
 * codes. A row is one key's current window; an expired row is restarted by the next hit, and swept now and then.
 */
export const rateHit = pgTable(
  'rate_hit',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('rate_hit_expires_idx').on(t.expiresAt)],
);
