/**
 * The state every form's submit button repeats: busy while the request runs, the server's Chinese message when it
 * fails (shown by the form, which keeps what was typed). `run` never throws.
 */
import { useCallback, useState } from 'react';
import { errorText } from './api';

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
