/**
 * Writes kept on the phone while there is no network and sent when it returns (issue 24): a meeting sign-in scanned
 * at a meeting place with no signal. The server judges such a write by what it carries (the time inside the signed
 * QR token), not by when it arrives, so sending it late is safe; it answers a resent request with the first result
 * (idempotent), so sending twice is safe too.
 *
 * Where: localStorage under `xf.queue.<user id>` — one queue per user, sent only while that user is signed in (a
 * sign-in carries no member id: the session says who signs in, so another member's session must never send it).
 * It is NOT wiped with the offline copy on sign-out (platform/offline.ts): a member who signs out before the network
 * returns gets it sent at their next sign-in. Nothing is dropped silently: a write the server refuses (a cancelled
 * meeting, a forged or too old code) stays in the list with the server's Chinese answer until the member dismisses
 * it; one that went through stays as 已提交 until dismissed or a day old.
 */
import { nowMs } from '@xianfeng/shared';
import { useSyncExternalStore } from 'react';
import { api, ApiError, isTransient } from './api';
import { offlineOwner } from './offline';

export type QueuedWrite = {
  id: string;
  /** What it is, for the member: 「会议签到：主题党日…」. */
  title: string;
  path: string;
  body: Record<string, unknown>;
  /** When the member made it (the server's clock as the app follows it). */
  queuedAt: number;
  state: 'waiting' | 'sent' | 'failed';
  /** The server's Chinese answer when it refused the write. */
  error?: string;
  /** When it went through or was refused. */
  doneAt?: number;
  /** The server's answer when it went through. */
  result?: unknown;
};

const PREFIX = 'xf.queue.';
const DAY = 24 * 3600_000;
/** Retry while something waits and the app believes it is online (the `online` event does not always fire). */
const RETRY_MS = 20_000;

const keyOf = (owner: string) => `${PREFIX}${owner}`;

function read(owner: string | null): QueuedWrite[] {
  if (!owner) return [];
  try {
    const raw = window.localStorage.getItem(keyOf(owner));
    return raw ? (JSON.parse(raw) as QueuedWrite[]) : [];
  } catch {
    return [];
  }
}

let snapshot: { owner: string | null; items: QueuedWrite[] } = { owner: null, items: [] };
const listeners = new Set<() => void>();

function save(owner: string, items: QueuedWrite[]): void {
  // Finished ones older than a day go; waiting ones never do.
  const kept = items.filter((i) => i.state === 'waiting' || nowMs() - (i.doneAt ?? i.queuedAt) < DAY);
  try {
    if (kept.length) window.localStorage.setItem(keyOf(owner), JSON.stringify(kept));
    else window.localStorage.removeItem(keyOf(owner));
  } catch {
    // Storage full or unavailable: the in-memory copy still shows and sends them in this tab.
  }
  snapshot = { owner, items: kept };
  listeners.forEach((l) => l());
}

function current(): QueuedWrite[] {
  const owner = offlineOwner();
  if (snapshot.owner !== owner) snapshot = { owner, items: read(owner) };
  return snapshot.items;
}

const newId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Keeps a write for the signed-in user; returns its id, or null when nobody is known to be signed in. */
export function enqueue(w: { title: string; path: string; body: Record<string, unknown> }): string | null {
  const owner = offlineOwner();
  if (!owner) return null;
  const item: QueuedWrite = { id: newId(), ...w, queuedAt: nowMs(), state: 'waiting' };
  save(owner, [...read(owner), item]);
  return item.id;
}

/** The member saw it: a finished write leaves the list (a waiting one cannot be dismissed). */
export function dismiss(id: string): void {
  const owner = offlineOwner();
  if (!owner) return;
  save(
    owner,
    read(owner).filter((i) => i.id !== id || i.state === 'waiting'),
  );
}

let flushing: Promise<void> | null = null;

/**
 * Sends every waiting write of the signed-in user, oldest first. Stops at the first one that cannot reach the server
 * (still offline) or gets a transient failure; a refusal (4xx) is kept with the server's message; a 401 stops (the
 * app goes to the login page, the queue stays for that user).
 */
export function flushQueue(): Promise<void> {
  // Cleared in a `.finally` callback, which always runs after this assignment: a `finally` block inside an async
  // function that has nothing to await runs before `flushing` is even set, and would leave a settled promise here
  // forever (every later flush a no-op until the page reloads).
  flushing ??= sendWaiting().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function sendWaiting(): Promise<void> {
  const owner = offlineOwner();
  if (!owner) return;
  for (const item of read(owner).filter((i) => i.state === 'waiting')) {
    let update: Partial<QueuedWrite>;
    try {
      const result = await api.post<unknown>(item.path, item.body);
      update = { state: 'sent', result, doneAt: nowMs() };
    } catch (e) {
      if (isTransient(e) || (e instanceof ApiError && e.status === 401)) return;
      update = { state: 'failed', error: e instanceof ApiError ? e.message : '提交失败', doneAt: nowMs() };
    }
    if (offlineOwner() !== owner) return; // signed out meanwhile
    save(
      owner,
      read(owner).map((i) => (i.id === item.id ? { ...i, ...update } : i)),
    );
  }
}

let started = false;
/** Sends the queue when the network returns, at start, and every RETRY_MS while something waits and we seem online. */
export function startQueue(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  const tryNow = () => {
    if (navigator.onLine && current().some((i) => i.state === 'waiting')) void flushQueue();
  };
  window.addEventListener('online', tryNow);
  window.setInterval(tryNow, RETRY_MS);
  // Another tab of the app sent or queued something.
  window.addEventListener('storage', (ev) => {
    if (ev.key?.startsWith(PREFIX)) {
      snapshot = { owner: null, items: [] };
      listeners.forEach((l) => l());
    }
  });
  tryNow();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The signed-in user's queued writes (waiting, sent, refused), oldest first. */
export function useQueue(): QueuedWrite[] {
  return useSyncExternalStore(subscribe, current, () => []);
}

/** Tells the queue that the signed-in user changed (auth calls it), so the list shown follows. */
export function queueOwnerChanged(): void {
  snapshot = { owner: null, items: [] };
  listeners.forEach((l) => l());
  if (typeof navigator !== 'undefined' && navigator.onLine) void flushQueue();
}
