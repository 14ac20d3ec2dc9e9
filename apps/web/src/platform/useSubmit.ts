/**
 * The state every submit repeats: busy while the request runs, the server's Chinese message when it fails. `run`
 * never throws.
 *
 * - `useSubmit()` keeps the message in `error`, for the form or dialog to show beside what was typed;
 *   `useSubmit('toast')` shows it as a `message.error` toast instead.
 * - `run(work, { key })` marks which of several buttons is busy (`busyKey`, e.g. a row's id); `busy` is true
 *   whichever key runs.
 * - `run(work, { onError })` handles the failure itself instead (field errors, a custom sentence).
 * - `useSubmit('inline', { keepError: true })` leaves the last message up while the next attempt runs (for a form
 *   whose `error` also carries another message, e.g. a live preview's).
 * - `uploadRequest(run, send)` is an antd Upload's `customRequest` that goes through `run`.
 */
import { App as AntApp, type UploadProps } from 'antd';
import { useCallback, useState } from 'react';
import { errorText } from './api';

export interface RunOptions {
  /** Which of the page's actions is busy (`busyKey` while it runs). */
  key?: string;
  /** Replaces the default display of the failure. */
  onError?: (e: unknown) => void;
  /** This run shows its failure differently from the hook's default (one busy flag, two kinds of action). */
  show?: 'inline' | 'toast';
}

export function useSubmit(show: 'inline' | 'toast' = 'inline', { keepError = false }: { keepError?: boolean } = {}) {
  const { message } = AntApp.useApp();
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (work: () => Promise<unknown>, options: RunOptions = {}) => {
      const shown = options.show ?? show;
      setBusyKey(options.key ?? '');
      if (shown === 'inline' && !keepError) setError(null);
      try {
        await work();
      } catch (e) {
        if (options.onError) options.onError(e);
        else if (shown === 'toast') void message.error(errorText(e));
        else setError(errorText(e));
      } finally {
        setBusyKey(null);
      }
    },
    [show, keepError, message],
  );
  return { busy: busyKey !== null, busyKey, error, setError, run };
}

/** The `run` of a `useSubmit`. */
export type Run = ReturnType<typeof useSubmit>['run'];

/**
 * An antd Upload's `customRequest` through `run`: the chosen file goes as the form field `file` to `send`, which
 * posts it and does what follows (the toast, the reload); the Upload is told how it went. A failure is shown as
 * the hook shows it.
 */
export function uploadRequest(
  run: Run,
  send: (form: FormData) => Promise<unknown>,
  options?: RunOptions,
): NonNullable<UploadProps['customRequest']> {
  return ({ file, onSuccess, onError }) =>
    run(async () => {
      const form = new FormData();
      form.append('file', file as Blob);
      try {
        await send(form);
      } catch (e) {
        onError?.(e as Error);
        throw e;
      }
      onSuccess?.({});
    }, options);
}
