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
