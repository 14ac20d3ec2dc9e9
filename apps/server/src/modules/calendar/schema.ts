import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantColumn, updatedAtColumn } from '../../platform/columns';

/**
 * A year of the working-day calendar entered by a 系统管理员 from the State Council's notice; it replaces
 * the built-in year of the same number (packages/shared/src/calendar.ts). One row per tenant and year.
 */
export const holidayYear = pgTable(
  'holiday_year',
  {
    tenantId: tenantColumn(),
    year: integer('year').notNull(),
    holidays: jsonb('holidays').$type<string[]>().notNull(),
    workdays: jsonb('workdays').$type<string[]>().notNull(),
    source: text('source').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
);
