import { Grid } from 'antd';
import { useSearchParams } from 'react-router-dom';

type Patch = Record<string, string | number | null | undefined>;

/**
 * The page's filters kept in the address, so a link or a reload shows the same view. `set` merges a patch (an
 * empty value removes its key) and goes back to the first page unless the patch names `page` — a list filtered
 * anew starts at its top. It replaces the history entry, unless `{ push: true }`: a step the back button should
 * undo, such as opening a record from a list.
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const set = (patch: Patch, opts: { push?: boolean } = {}) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch))
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: !opts.push });
  };
  return [params, set] as const;
}

/**
 * usePaging's twin for a list whose filters are in the address: the page and page size are kept there too
 * (`?page=&pageSize=`, left out at 1 and 20), so a link or 「返回」 opens the same page of the list. On a phone the
 * pager is antd's simple one, without the size changer; `unit` adds 「共 N <unit>」 beside it.
 */
export function useUrlPaging(unit?: string) {
  const [params, set] = useUrlParams();
  const phone = !Grid.useBreakpoint().md;
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const pagination = (total: number) => ({
    current: page,
    pageSize,
    total,
    showSizeChanger: !phone,
    pageSizeOptions: [20, 50, 100, 200],
    simple: phone,
    ...(unit && { showTotal: (t: number) => `共 ${t} ${unit}` }),
    onChange: (p: number, s: number) => set({ page: p === 1 ? undefined : p, pageSize: s === 20 ? undefined : s }),
  });
  return { page, pageSize, pagination };
}
