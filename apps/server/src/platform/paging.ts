import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './db';

/** Every item of a paged service call, fetched 200 at a time (for exports and the personal-data copy). */
export async function allPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await fetchPage(page, 200);
    out.push(...items);
    if (items.length < 200 || out.length >= total) return out;
  }
}

/** Rows before a 1-based page: `.limit(pageSize).offset(pageOffset(page, pageSize))` is the same SQL as written by hand. */
export const pageOffset = (page: number, pageSize: number) => (page - 1) * pageSize;

/** One page of a list already in memory, as the lists answer it: `{ items, total }`. */
export function pageOf<T>(all: readonly T[], page: number, pageSize: number): { items: T[]; total: number } {
  return { items: all.slice(pageOffset(page, pageSize), page * pageSize), total: all.length };
}

/**
 * `count(*)` as the `{ n }` a page's total is read from, over `table`. Join to it what the list's `where` names (the
 * org for a subtree test, say) and hand it to `pageWhere`, which adds the `where`.
 */
export const countFrom = (db: Queryable, table: PgTable) =>
  db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .$dynamic();

/**
 * One page of a list and its total — the pair of statements every paged list runs, written here once:
 * `rows` (its select, from and joins, `.$dynamic()`) under `where`, in `order`, LIMIT `pageSize` OFFSET the rows
 * before the 1-based `page`; and `count` (`countFrom`, with the joins `where` needs) under the same `where`. Both are
 * started before either is awaited, as the services did with `Promise.all`, and give the SQL they wrote by hand.
 * Each row goes through `view` when given; a view that needs all rows at once (a batch read) maps `items` after.
 * Lists where the count is capped or read from another query (roster, search) keep their own statements.
 */
export async function pageWhere<Q extends PgSelect, T = Awaited<Q>[number]>(
  rows: Q,
  count: PgSelect,
  where: SQL | undefined,
  order: (SQL | SQL.Aliased | AnyPgColumn)[],
  page: number,
  pageSize: number,
  view?: (row: Awaited<Q>[number]) => T,
): Promise<{ items: T[]; total: number }> {
  const [items, [counted]] = (await Promise.all([
    rows
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset(pageOffset(page, pageSize)),
    count.where(where),
  ])) as [Awaited<Q>, { n: number }[]];
  return { items: view ? items.map((r) => view(r)) : (items as T[]), total: counted?.n ?? 0 };
}
