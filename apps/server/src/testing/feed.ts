import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../platform/cache';
import type { Queryable } from '../platform/db';

/**
 * Changes the change-feed topics of `tables` as a write there would — a statement that touches no row still fires
 * the statement triggers (platform/cache.ts) — and makes this process see it, so the next read recomputes.
 */
export async function touchTables(db: Queryable, tables: readonly string[]): Promise<void> {
  for (const table of tables)
    await db.execute(sql`update ${sql.identifier(table)} set tenant_id = tenant_id where false`);
  await afterLocalWrite(db);
}
