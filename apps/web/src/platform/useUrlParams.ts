import { useSearchParams } from 'react-router-dom';

/**
 * The page's filters kept in the address (so a link or a reload shows the same view): `set` merges a patch,
 * an empty value removes its key, and the history entry is replaced rather than added.
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };
  return [params, set] as const;
}
