/**
 * The live unread count of this tab: one EventSource on GET /api/v1/notifications/stream (server-sent
 * events `hello`, `notification`, `unread`), shared by the bell and the inbox page. The browser
 * reconnects by itself and sends Last-Event-ID, so the server sends what this tab missed.
 */
import type { NotificationItem } from '@xianfeng/shared';
import { useEffect, useState } from 'react';

type State = { unread: number | null; connected: boolean; lastItem: NotificationItem | null; version: number };
let state: State = { unread: null, connected: false, lastItem: null, version: 0 };
const listeners = new Set<(s: State) => void>();
let source: EventSource | null = null;
let users = 0;

function set(patch: Partial<State>) {
  state = { ...state, ...patch };
  for (const l of listeners) l(state);
}

function open() {
  if (source || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/v1/notifications/stream');
  source = es;
  es.addEventListener('open', () => set({ connected: true }));
  es.addEventListener('error', () => set({ connected: false }));
  es.addEventListener('hello', (e) =>
    set({ unread: (JSON.parse((e as MessageEvent).data) as { unread: number }).unread }),
  );
  es.addEventListener('unread', (e) =>
    set({ unread: (JSON.parse((e as MessageEvent).data) as { unread: number }).unread, version: state.version + 1 }),
  );
  // The session ended: stop, or the browser would reconnect every few seconds for nothing.
  es.addEventListener('bye', () => {
    es.close();
    source = null;
    set({ connected: false });
  });
  es.addEventListener('notification', (e) => {
    const d = JSON.parse((e as MessageEvent).data) as { item: NotificationItem; unread: number };
    set({ unread: d.unread, lastItem: d.item, version: state.version + 1 });
  });
}

function close() {
  source?.close();
  source = null;
  state = { unread: null, connected: false, lastItem: null, version: 0 };
}

/** Sets the count after this tab changed it (mark read), before the stream says so. */
export function setUnread(unread: number) {
  set({ unread });
}

/** The live state; the first component that uses it opens the stream, the last one to go closes it. */
export function useLiveNotices(): State {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    users += 1;
    open();
    setS(state);
    return () => {
      listeners.delete(setS);
      users -= 1;
      if (users === 0) close();
    };
  }, []);
  return s;
}
