/**
 * Offline tolerance for the member's phone (issue 24): with no network the app keeps showing the last `me` and the
 * last answers of the member's own pages, says so in a banner, and refuses writes in plain words.
 *
 * Why an app-level cache and not the service worker's runtime cache: the worker sees URLs, not people. A phone
 * is often shared in a family or a branch office, and `/api/v1/meeting-invitations/mine` is the same URL for
 * every member; here every entry is stored under the signed-in user's id, read back only for that id, and
 * everything is wiped when anyone signs out, is signed out (401) or a different user signs in. It also works
 * when no worker is registered (a first visit, a browser without one) and lets the page know the answer is old.
 *
 * What is kept: answers to GET requests only, and only of the paths in `KEPT` — the member's own records, to-dos
 * and inbox, not managers' rosters. At most `MAX_ENTRIES` answers of at most `MAX_BYTES` each, oldest dropped.
 * An answer carrying `Cache-Control: no-store` is never kept (the API sets none on these paths today; a route
 * that starts sending it opts out without a change here).
 *
 * Where: localStorage (small JSON answers, synchronous, same origin only). The session token is not here — it is
 * an HttpOnly cookie; what is here is what the page already showed to this user.
 */
import type { MeReply } from '@xianfeng/shared';
import { useSyncExternalStore } from 'react';

const PREFIX = 'xf.offline.';
const ME_KEY = `${PREFIX}me`;
const OWNER_KEY = `${PREFIX}owner`;
const ENTRY = `${PREFIX}get.`;
/** Signed out while the server could not be told: the logout is sent first on the next start. */
const LOGOUT_PENDING_KEY = 'xf.logoutPending';
const MAX_ENTRIES = 60;
const MAX_BYTES = 200_000;

/**
 * The member's own pages (paths under /api/v1): records of me / mine, to-dos, the inbox, open surveys and votes,
 * an invitation, and what was last read — the news list, an article, a course's text.
 */
const KEPT: RegExp[] = [
  /^\/(?:[\w-]+\/)*(?:me|mine)(?:\/[\w-]+)*$/, // /members/me, /dues/me/bills, /meeting-invitations/mine, /learn/me/todo …
  /^\/notifications$/,
  /^\/[\w-]+\/todo$/, // /dues/todo, /develop/todo
  /^\/voice\/(?:surveys|votes)\/open$/,
  /^\/meeting-invitations\/[0-9a-f-]{36}$/,
  // What the member last read: the news list and an article or a course's text opened before.
  /^\/media\/articles$/,
  /^\/(?:media-articles|learn-items)\/[0-9a-f-]{36}$/,
];

/** Never kept, though the member's own: 思想汇报 texts are sealed on the server (FieldCrypto) and stay there. */
const NEVER: RegExp[] = [
  /^\/thought\//,
  /^\/thought-/,
  // The member home's reads together (api.ts readTogether): each read is kept under its own path, by these rules.
  /^\/me\/home$/,
];

export const keptOffline = (path: string): boolean => {
  const p = path.split('?')[0]!;
  return KEPT.some((r) => r.test(p)) && !NEVER.some((r) => r.test(p));
};

function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Every key this module wrote (any user's). */
function ownKeys(s: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  return keys;
}

/** Forget everything kept for offline use: signing out, being signed out, another user signing in. */
export function forgetOffline(): void {
  const s = store();
  if (!s) return;
  for (const k of ownKeys(s)) s.removeItem(k);
  owner = null;
}

// ---- who the kept answers belong to ----

let owner: string | null = null;

/** The user the app runs as (online or from the kept `me`); null when nobody is signed in. */
export const offlineOwner = (): string | null => owner;

/**
 * The user whose answers are kept and read from now on (null: nobody — nothing is kept). Another user than the
 * one whose answers are stored wipes them first.
 */
export function setOfflineOwner(userId: string | null): void {
  const s = store();
  if (userId && s && s.getItem(OWNER_KEY) !== userId) {
    forgetOffline();
    s.setItem(OWNER_KEY, userId);
  }
  owner = userId;
}

/** The last `me` the server confirmed, kept for starting offline. */
export function rememberMe(me: MeReply): void {
  setOfflineOwner(me.id);
  write(ME_KEY, JSON.stringify(me));
}

/** The last confirmed `me`, only if the kept answers are that user's. */
export function lastMe(): MeReply | null {
  const s = store();
  const raw = s?.getItem(ME_KEY);
  if (!s || !raw) return null;
  try {
    const me = JSON.parse(raw) as MeReply;
    return me.id && s.getItem(OWNER_KEY) === me.id ? me : null;
  } catch {
    return null;
  }
}

export const logoutPending = () => store()?.getItem(LOGOUT_PENDING_KEY) === '1';
export function setLogoutPending(on: boolean): void {
  if (on) store()?.setItem(LOGOUT_PENDING_KEY, '1');
  else store()?.removeItem(LOGOUT_PENDING_KEY);
}

// ---- kept GET answers ----

function write(key: string, value: string): void {
  const s = store();
  if (!s) return;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      s.setItem(key, value);
      return;
    } catch {
      // Full: drop the oldest half of the answers and try again.
      dropOldest(s, Math.ceil(entryKeys(s).length / 2));
    }
  }
}

const entryKeys = (s: Storage) => ownKeys(s).filter((k) => k.startsWith(ENTRY));

function dropOldest(s: Storage, n: number): void {
  const dated = entryKeys(s).map((k) => {
    try {
      return { k, at: (JSON.parse(s.getItem(k) ?? '{}') as { at?: number }).at ?? 0 };
    } catch {
      return { k, at: 0 };
    }
  });
  dated.sort((a, b) => a.at - b.at);
  for (const { k } of dated.slice(0, n)) s.removeItem(k);
}

/** Keeps a successful GET answer (its text) for `url` (the path and query under /api/v1) when it may be kept. */
export function keepAnswer(url: string, text: string, cacheControl: string | null): void {
  const s = store();
  if (!s || !owner || !keptOffline(url) || text.length > MAX_BYTES) return;
  if (/\bno-store\b/i.test(cacheControl ?? '')) return;
  const key = `${ENTRY}${owner}.${url}`;
  if (s.getItem(key) === null && entryKeys(s).length >= MAX_ENTRIES) dropOldest(s, 1);
  write(key, JSON.stringify({ at: Date.now(), text }));
}

/** The kept answer (text) for `url`, the current owner's only. */
export function keptAnswer(url: string): string | null {
  const s = store();
  if (!s || !owner || !keptOffline(url)) return null;
  const raw = s.getItem(`${ENTRY}${owner}.${url}`);
  if (!raw) return null;
  try {
    return (JSON.parse(raw) as { text: string }).text;
  } catch {
    return null;
  }
}

// ---- are we offline? ----

let unreachable = false;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** A request failed to reach the server (true) or an answer arrived (false). */
export function setUnreachable(on: boolean): void {
  if (unreachable === on) return;
  unreachable = on;
  emit();
}

export const isOffline = (): boolean => unreachable || (typeof navigator !== 'undefined' && navigator.onLine === false);

if (typeof window !== 'undefined') window.addEventListener('online', () => setUnreachable(false));

function subscribe(l: () => void): () => void {
  listeners.add(l);
  window.addEventListener('online', l);
  window.addEventListener('offline', l);
  return () => {
    listeners.delete(l);
    window.removeEventListener('online', l);
    window.removeEventListener('offline', l);
  };
}

/** True while the browser says it is offline or the last request could not reach the server. */
export function useOffline(): boolean {
  return useSyncExternalStore(subscribe, isOffline, () => false);
}

/** The message for a write tried with no network. */
export const OFFLINE_WRITE_MESSAGE = '离线时无法提交，请联网后重试';
/** The message for a page read offline that was never kept on this phone. */
export const OFFLINE_READ_MESSAGE = '当前离线，这部分内容没有保存在手机上，请联网后查看';
