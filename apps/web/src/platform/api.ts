/**
 * The one way the web app talks to the server. Paths are written literally at the call sites
 * (`api.get('/members/${id}')`), so a test can check each of them against the OpenAPI document.
 * The session cookie (HttpOnly) authenticates; nothing sensitive is kept in localStorage.
 */
import { nowMs, setClock, type ErrorBody, type ReadAnswer } from '@xianfeng/shared';
import { keepAnswer, keptAnswer, OFFLINE_READ_MESSAGE, OFFLINE_WRITE_MESSAGE, setUnreachable } from './offline';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server was not reached. For the code, never for the user's eyes. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The id this request carried (`x-request-id`), which the server logs: what support asks for. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/**
 * A fresh id for each request, sent as `x-request-id` (the server logs under it and echoes it), so
 * an error can name it even when the answer came from a proxy or never came. Works without a
 * secure context too (plain HTTP on a LAN address), where crypto.randomUUID is missing.
 */
export function newRequestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** What to tell the user when the answer carries no message of ours (a proxy page, an empty body). */
function fallbackMessage(status: number): string {
  if (status === 0) return '网络连接失败，请检查网络后重试';
  if (status === 502 || status === 503 || status === 504) return '服务器暂时无法访问，请稍后重试';
  if (status >= 500) return '服务器出错了，请稍后重试';
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '您没有权限执行此操作';
  if (status === 404) return '要找的内容不存在或已被删除，请刷新页面';
  if (status === 413) return '上传的内容过大';
  if (status === 429) return '操作过于频繁，请稍后再试';
  return '请求无法处理，请刷新页面后重试';
}

/** Field problems of a 4xx answer, `[{row?, field, message}]`, when the server listed them. */
export function fieldProblems(err: unknown): { row?: number; field?: string; message: string }[] {
  return err instanceof ApiError && Array.isArray(err.details)
    ? (err.details as { row?: number; field?: string; message: string }[])
    : [];
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * "Today" in the browser is the server's today (the one clock, packages/shared clock.ts): a phone with a
 * wrong date, or a test server set to 31 December, sees the same day as the server's rules.
 */
function followServerClock(res: Response) {
  const at = Date.parse(res.headers.get('x-xf-now') ?? '');
  if (Number.isNaN(at) || Math.abs(at - nowMs()) <= 2000) return;
  setClock(new Date(at));
  try {
    localStorage.setItem(CLOCK_KEY, String(at - Date.now()));
  } catch {
    // No storage (private mode): the clock is followed from the next answer instead.
  }
}
/**
 * How far the server's clock is from the device's, as last seen: a page opened with no network (served by the
 * service worker) shows the server's day, and stamps what it keeps for later (platform/queue.ts) with it, until the
 * first answer. Kept from the last answer that moved the clock; an answer within 2 s of it does not write.
 */
const CLOCK_KEY = 'xf.clockOffset';
function lastServerClock() {
  try {
    const kept = localStorage.getItem(CLOCK_KEY);
    if (kept !== null && Number.isFinite(Number(kept))) setClock(new Date(Date.now() + Number(kept)));
  } catch {
    // No storage: the device's clock until the first answer.
  }
}
if (typeof window !== 'undefined') lastServerClock();

/** Called on any 401, so the shell can return to the login page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/**
 * fetch with a request id; a failure to reach the server becomes an ApiError that names the id. A write with the
 * browser offline is not tried at all and says so (code OFFLINE): the page keeps what the member typed.
 */
async function send(url: string, init: RequestInit): Promise<{ res: Response; requestId: string }> {
  const requestId = newRequestId();
  const write = (init.method ?? 'GET') !== 'GET';
  if (write && browserOffline()) throw new ApiError(0, 'OFFLINE', OFFLINE_WRITE_MESSAGE, undefined, requestId);
  try {
    const res = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'x-request-id': requestId },
    });
    setUnreachable(false);
    return { res, requestId: res.headers.get('x-request-id') ?? requestId };
  } catch {
    setUnreachable(true);
    if (write && browserOffline()) throw new ApiError(0, 'OFFLINE', OFFLINE_WRITE_MESSAGE, undefined, requestId);
    throw new ApiError(0, 'NETWORK', fallbackMessage(0), undefined, requestId);
  }
}

/**
 * Reads asked for together ahead of the page (`readTogether`): the page's own `api.get` of one of them waits for
 * that answer instead of sending a request of its own, and takes it once. A read the aggregate did not answer with
 * 200, or an aggregate that failed, is then sent on its own as before — so errors, 401 and the offline copy work
 * exactly as for any other request.
 */
const ahead = new Map<string, { until: number; answer: Promise<ReadAnswer | null> }>();
/** An answer read ahead and not asked for within this time is not used: the page asks afresh. */
const AHEAD_MS = 20_000;

/** The same request whatever the order of its query parameters. */
function canonical(url: string): string {
  const [p, q] = url.split('?');
  if (!q) return p!;
  const params = new URLSearchParams(q);
  params.sort();
  return `${p}?${params.toString()}`;
}

/**
 * Asks `path` (an aggregate route answering `{ reads: { key: ReadAnswer } }`, e.g. GET /me/home) once for the
 * reads in `reads` (key → path and query under /api/v1), so that the page's requests for them cost one round
 * trip. Does nothing while the same reads are already on their way (a second render).
 */
function readTogether(path: string, reads: Record<string, string>): void {
  const t = Date.now();
  const urls = Object.entries(reads).map(([key, url]) => [key, canonical(url)] as const);
  if (urls.every(([, u]) => (ahead.get(u)?.until ?? 0) > t)) return;
  const all = request<{ reads: Record<string, ReadAnswer> }>('GET', path).catch(() => null);
  for (const [key, u] of urls) ahead.set(u, { until: t + AHEAD_MS, answer: all.then((r) => r?.reads[key] ?? null) });
}

/** The answer read ahead for `url`, taken once; null when there is none to use. */
async function takeAhead(url: string): Promise<ReadAnswer | null> {
  const key = canonical(url);
  const a = ahead.get(key);
  if (!a) return null;
  ahead.delete(key);
  if (a.until <= Date.now()) return null;
  const r = await a.answer;
  return r && r.status === 200 ? r : null;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const isForm = body instanceof FormData;
  const url = withQuery(path, query);
  if (method === 'GET' && ahead.size > 0) {
    const r = await takeAhead(url);
    if (r) {
      keepAnswer(url, JSON.stringify(r.body), r.cacheControl);
      return r.body as T;
    }
  }
  let sent: { res: Response; requestId: string };
  try {
    sent = await send(`/api/v1${url}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || isForm ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch (e) {
    // Offline: the last answer this user got for this page, when it is one of the kept ones (platform/offline.ts).
    const kept = method === 'GET' && e instanceof ApiError && e.status === 0 ? keptAnswer(url) : null;
    if (kept !== null) return JSON.parse(kept) as T;
    if (method === 'GET' && e instanceof ApiError && e.status === 0 && browserOffline())
      throw new ApiError(0, 'OFFLINE', OFFLINE_READ_MESSAGE, undefined, e.requestId);
    throw e;
  }
  const { res, requestId } = sent;
  followServerClock(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (method === 'GET' && res.ok) keepAnswer(url, text, res.headers.get('cache-control'));
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const e = (parsed as ErrorBody | undefined)?.error;
    if (res.status === 401 && !path.startsWith('/auth/')) onUnauthorized();
    throw new ApiError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? fallbackMessage(res.status),
      e?.details,
      requestId,
    );
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  /**
   * One record for a detail page, or null when the server answers 404 — "not there, or not in your scope" — which
   * the page shows as its 未找到 (platform/pages.tsx `NotFound`) instead of an error. Four detail pages caught the
   * 404 by hand (issue #15).
   */
  async record<T>(path: string): Promise<T | null> {
    try {
      return await request<T>('GET', path, undefined);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
  readTogether,
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body),
  /** Fetches a file (Excel, Word, PDF) and hands it to the browser as a download; a POST may carry a JSON `body`. */
  async download(path: string, query?: Query, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<void> {
    const { res, requestId } = await send(withQuery(`/api/v1${path}`, query), {
      method,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      const e = ((await res.json().catch(() => undefined)) as ErrorBody | undefined)?.error;
      if (res.status === 401) onUnauthorized();
      throw new ApiError(
        res.status,
        e?.code ?? `HTTP_${res.status}`,
        e?.message ?? fallbackMessage(res.status),
        e?.details,
        requestId,
      );
    }
    const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name ? decodeURIComponent(name) : 'download';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

/** A page of a list, as every list route answers; `totalCapped`: the server stopped counting at `total` (show "total+"). */
export type Page<T> = { items: T[]; total: number; totalCapped?: boolean };

/** Whether trying again may help: the server or the network failed, not the request itself. */
/** The server was not reached (no network, or a signal too weak to get an answer): a write may be kept to send later. */
export const unreached = (e: unknown) => e instanceof ApiError && e.status === 0;

export const isTransient = (err: unknown) =>
  err instanceof ApiError && (err.status === 0 || err.status >= 500 || err.status === 429);

/**
 * Message for an error caught in a handler: the server's Chinese text; when the server or the
 * network failed, also the request id to give the administrator. Never a bare status code.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError))
    return err instanceof Error && /[\u4e00-\u9fff]/.test(err.message) ? err.message : '页面出错了，请刷新页面后重试';
  // Offline is not a fault anyone needs to look up: no request id.
  if (err.code === 'OFFLINE') return err.message;
  if ((err.status === 0 || err.status >= 500) && err.requestId && !err.message.includes(err.requestId))
    return `${err.message}（请求编号 ${err.requestId}）`;
  return err.message;
}
