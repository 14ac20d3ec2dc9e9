/**
 * One raw connection for bulk work, on either database the app runs on: PGlite (COPY from a
 * /dev/blob CSV) or PostgreSQL (one pooled client; INSERT … SELECT FROM unnest(arrays)).
 * Both are set-based: one statement per batch of rows, never a statement per row.
 */
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { csvField, type Database } from '../../apps/server/src/platform/db';

export type Column = readonly [name: string, type: string];

export type Conn = {
  kind: Database['kind'];
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Bulk insert of rows (arrays in column order); null is SQL NULL. */
  insertRows(table: string, columns: readonly Column[], rows: unknown[][]): Promise<void>;
  release(): void;
};

export async function rawConn(database: Database): Promise<Conn> {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'pglite') {
    const lite = client as PGlite;
    return {
      kind: 'pglite',
      async query<T>(text: string, params: unknown[] = []) {
        return (await lite.query<T>(text, params)).rows;
      },
      async insertRows(table, columns, rows) {
        if (rows.length === 0) return;
        const csv = rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
        await lite.query(
          `copy ${table} (${columns.map((c) => c[0]).join(', ')}) from '/dev/blob' with (format csv)`,
          [],
          { blob: new Blob([csv]) },
        );
      },
      release() {},
    };
  }
  const pc = await (client as pg.Pool).connect();
  return {
    kind: 'postgres',
    async query<T>(text: string, params: unknown[] = []) {
      return (await pc.query(text, params)).rows as T[];
    },
    async insertRows(table, columns, rows) {
      if (rows.length === 0) return;
      const arrays = columns.map((_, i) =>
        rows.map((r) => (r[i] === null || r[i] === undefined ? null : String(r[i]))),
      );
      const names = columns.map((_, i) => `c${i}`);
      await pc.query(
        `insert into ${table} (${columns.map((c) => c[0]).join(', ')})
         select ${columns.map((c, i) => `c${i}::${c[1]}`).join(', ')} from unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) as t(${names.join(', ')})`,
        arrays,
      );
    },
    release() {
      pc.release();
    },
  };
}
