/**
 * Cron expressions for recurring schedules, read in Asia/Shanghai unless a schedule says otherwise.
 * Five fields (minute hour day month weekday) or six (with seconds first); day-of-month and weekday
 * combine with OR as in classic cron. Parsing is croner's; errors are answered in Chinese.
 */
import { Cron } from 'croner';
import { badRequest } from './errors';

export const CHINA_TZ = 'Asia/Shanghai';

function compile(expr: string, timezone: string): Cron {
  return new Cron(expr.trim(), { timezone, paused: true, mode: '5-or-6-parts' });
}

/** Checks an expression; a bad one is a 400 naming what is wrong. */
export function parseCron(expr: string, timezone = CHINA_TZ): Cron {
  let c: Cron;
  try {
    c = compile(expr, timezone);
  } catch (e) {
    const why = (e as Error).message.replace(/^CronPattern:\s*/, '');
    throw badRequest(
      `无法解析的定时表达式「${expr}」：应为 5 段（分 时 日 月 周）或 6 段（秒 分 时 日 月 周），各段取值有效`,
      { reason: why },
      'BAD_CRON',
    );
  }
  if (!c.nextRun(new Date()))
    throw badRequest(`定时表达式「${expr}」永远不会触发（例如 2 月 30 日）`, undefined, 'BAD_CRON');
  return c;
}

/** The first occurrence strictly after `after`, or null if there is none. */
export function nextOccurrence(expr: string, after: Date, timezone = CHINA_TZ): Date | null {
  return compile(expr, timezone).nextRun(after);
}

/** The latest occurrence at or before `at` (the one a late runner should still run), or null. */
export function latestOccurrence(expr: string, at: Date, timezone = CHINA_TZ): Date | null {
  const c = compile(expr, timezone);
  // previousRuns looks strictly before its reference; an occurrence exactly at `at` counts.
  const [prev] = c.previousRuns(1, new Date(at.getTime() + 1));
  return prev ?? null;
}
