/**
 * The one way the web app talks to the server. Paths are written literally at the call sites
 * (`api.get('/members/${id}')`), so a test can check each of them against the OpenAPI document.
 * The session cookie (HttpOnly) authenticates; nothing sensitive is kept in localStorage.
 */
import { nowMs, setClock, type ErrorBody } from '@xianfeng/shared';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
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
  if (!Number.isNaN(at) && Math.abs(at - nowMs()) > 2000) setClock(new Date(at));
}

/** Called on any 401, so the shell can return to the login page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const isForm = body instanceof FormData;
  const res = await fetch(withQuery(`/api/v1${path}`, query), {
    method,
    credentials: 'same-origin',
    headers: body === undefined || isForm ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  followServerClock(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
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
      e?.message ?? `请求失败（${res.status}）`,
      e?.details,
    );
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** Fetches a file (Excel, Word, PDF) and hands it to the browser as a download. */
  async download(path: string, query?: Query, method: 'GET' | 'POST' = 'GET'): Promise<void> {
    const res = await fetch(withQuery(`/api/v1${path}`, query), { method, credentials: 'same-origin' });
    if (!res.ok) {
      const e = ((await res.json().catch(() => undefined)) as ErrorBody | undefined)?.error;
      throw new ApiError(
        res.status,
        e?.code ?? `HTTP_${res.status}`,
        e?.message ?? `下载失败（${res.status}）`,
        e?.details,
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

/** Message for an error caught in a handler: the server's Chinese text, or a network hint. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return '网络连接失败，请检查网络后重试';
}
