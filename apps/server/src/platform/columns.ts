/**
 * The columns nearly every table has, written once (drizzle column builders; each call makes a fresh builder, so a
 * helper is a function). They produce exactly the SQL the hand-written ones did: `npm run db:generate` reports no
 * change after a table switches to them.
 */
import { timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** `id uuid primary key default gen_random_uuid()`. */
export const idColumn = () => uuid('id').primaryKey().defaultRandom();

/** `tenant_id uuid not null`: every business row belongs to one tenant (docs/scale-out.md: the distribution key). */
export const tenantColumn = () => uuid('tenant_id').notNull();

/** `created_at timestamptz not null default now()`. */
export const createdAtColumn = () =>
  timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** `updated_at timestamptz not null default now()` (writers set it; nothing updates it for them). */
export const updatedAtColumn = () =>
  timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/**
 * `<name> uuid not null references <table>(id)`: a required link to another row — the org a row belongs to, the
 * member it is about. `target` is read lazily (`() => org.id`), as drizzle's `references` wants.
 */
export const refColumn = <N extends string>(name: N, target: () => AnyPgColumn) =>
  uuid(name).notNull().references(target);
