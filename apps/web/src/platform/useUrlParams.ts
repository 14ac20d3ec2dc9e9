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
