/**
 * The one clock. Business "now" and "today" everywhere — server, web, demo, tests — come from here,
 * so a test (or `XF_NOW` for a whole server process) can set the day the software believes it is.
 *
 * Setting the clock stores an offset from the real clock, so time still passes after it is set:
 * sessions expire, QR tokens rotate and jobs advance exactly as they would on that day.
 * Protocol timestamps that a remote peer checks against its own real clock (payment-provider
 * signatures) deliberately do not use this clock.
 */
let offsetMs = 0;

/** The current instant as the software sees it. */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Milliseconds since the epoch, as the software sees it. */
export function nowMs(): number {
  return Date.now() + offsetMs;
}

/**
 * Sets the clock to `at` (an ISO time; a bare date means 10:00 Beijing time that day), or back to the
 * real time with `null`. Time keeps running from there.
 */
export function setClock(at: string | Date | null): void {
  if (at === null) {
    offsetMs = 0;
    return;
  }
  const target = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T10:00:00+08:00` : at;
  const ms = new Date(target).getTime();
  if (Number.isNaN(ms)) throw new Error(`not a time: ${String(at)}`);
  offsetMs = ms - Date.now();
}

/** Whether the clock has been set away from the real time. */
export const clockIsSet = (): boolean => offsetMs !== 0;

/** The calendar date in China (YYYY-MM-DD) of an instant; party business runs on Beijing time. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The instant a China calendar date (YYYY-MM-DD) begins: 00:00 Beijing time. */
export function chinaDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The Beijing day `todayInChina()` answered last, and the instants it runs from and to (China has no DST). */
let today = { day: '', from: 0, until: 0 };

/**
 * Today's date for party business, on Beijing time. Without `at`, the day is kept until the clock passes its end
 * (date checks ask for it several times per row of an import).
 */
export function todayInChina(at?: Date): string {
  if (at) return chinaDate(at);
  const ms = nowMs();
  if (ms < today.from || ms >= today.until) {
    const day = chinaDate(new Date(ms));
    const from = chinaDayStart(day).getTime();
    today = { day, from, until: from + 24 * 3600_000 };
  }
  return today.day;
}

/**
 * Sets the clock from `XF_NOW` (or back to the real time without it). `XF_NOW=<time>@<real epoch ms>` anchors the
 * set time to a real instant, so every process of a test run (test runners, the servers they start) shares one
 * clock whenever it starts. A server process takes it once on load; the test runner calls it again between the
 * test files it runs in one process, so a file that set the clock does not move the next file's day.
 */
export function clockFromEnv(): void {
  // Browsers have no `process`; they are set from the server's answers.
  const fromEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.XF_NOW;
  if (!fromEnv) return setClock(null);
  const [at, anchor] = fromEnv.split('@');
  setClock(at!);
  if (anchor) offsetMs += Date.now() - Number(anchor);
}
clockFromEnv();
