/**
 * Loads data for a page and reloads when its inputs change: `{data, error, loading, reload}`.
 * Every page uses it instead of its own useEffect/useState pair.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from './api';

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await run();
      if (mine === seq.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  // Back online: what was shown from the offline copy (platform/offline.ts) is asked for again.
  useEffect(() => {
    const online = () => void reload();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [reload]);
  return { data, error, loading, reload, setData };
}
