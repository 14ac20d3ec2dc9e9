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
 * One page from its rows query and its count query (`select({ n: count })`), run together as the services did with
 * `Promise.all` — the same two statements, in the same order: `{ items, total }`, each row through `view` if given.
 */
export async function paged<R, T = R>(
  rows: PromiseLike<R[]>,
  count: PromiseLike<{ n: number }[]>,
  view?: (row: R) => T,
): Promise<{ items: T[]; total: number }> {
  const [items, [counted]] = await Promise.all([rows, count]);
  return { items: view ? items.map((r) => view(r)) : (items as unknown as T[]), total: counted?.n ?? 0 };
}
