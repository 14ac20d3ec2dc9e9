/**
 * The working-day calendar (法定节假日与调休), for counting 公示 and other periods "in working days".
 *
 * China's holidays move every year: the State Council publishes the next year's dates in a notice
 * (国务院办公厅关于某年部分节假日安排的通知), usually in November. The years below are built in; an
 * administrator adds each new year by pasting that notice (`parseHolidayNotice`), stored per tenant
 * and merged over these (`calendarOf`). For a year with no data the count falls back to weekends
 * plus the fixed-date holidays of the 放假办法 — the lunar holidays (春节, 清明, 端午, 中秋) and the
 * 调休 swaps cannot be known in advance — and every computation that used the fallback says which
 * years it estimated, so the page can warn instead of silently showing a wrong date.
 */
import { z } from 'zod';
import { addDays, isCalendarDate, weekday } from './dates';

/** One year's dates as the notice gives them: days off (incl. weekends inside a holiday) and weekend days worked. */
export type HolidayYear = { year: number; holidays: readonly string[]; workdays: readonly string[]; source: string };

/**
 * Built-in years, from the State Council's notices: 2025 from 国办发明电〔2024〕12号 (2024-11-12), 2026 from
 * the notice of 2025-11-04.
 */
export const BUILTIN_HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    holidays: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    holidays: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];

/**
 * The holidays on fixed solar dates, used for a year without a notice: 元旦 1 day, 劳动节 2 days,
 * 国庆节 3 days. The lunar ones are left out on purpose (they move).
 */
export const FIXED_DATE_HOLIDAYS = {
  days: ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'],
  citation: {
    text: '《全国年节及纪念日放假办法》（2024年11月10日国务院修订，2025年1月1日起施行）第二条',
    // The day counts (劳动节 2 天, 国庆节 3 天) are as widely reported; the article number is not checked against the official text.
    confirmed: false,
  },
} as const;

export type WorkCalendar = {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  /** Years with a notice's data; any other year is estimated. */
  years: ReadonlySet<number>;
};

/** The calendar of the built-in years with a tenant's own years over them (a stored year replaces a built-in one). */
export function calendarOf(stored: readonly HolidayYear[] = []): WorkCalendar {
  const byYear = new Map<number, HolidayYear>();
  for (const y of [...BUILTIN_HOLIDAY_YEARS, ...stored]) byYear.set(y.year, y);
  const years = [...byYear.values()];
  return {
    holidays: new Set(years.flatMap((y) => y.holidays)),
    workdays: new Set(years.flatMap((y) => y.workdays)),
    years: new Set(byYear.keys()),
  };
}

export const BUILTIN_CALENDAR = calendarOf();

const yearOf = (date: string) => Number(date.slice(0, 4));

export function isWorkingDay(date: string, cal: WorkCalendar = BUILTIN_CALENDAR): boolean {
  if (cal.years.has(yearOf(date))) {
    if (cal.workdays.has(date)) return true;
    if (cal.holidays.has(date)) return false;
  } else if ((FIXED_DATE_HOLIDAYS.days as readonly string[]).includes(date.slice(5))) return false;
  const dow = weekday(date);
  return dow !== 0 && dow !== 6;
}

/** The years a period from `from` to `to` reaches for which the calendar has no notice (its days are estimated). */
export function estimatedYears(from: string, to: string, cal: WorkCalendar = BUILTIN_CALENDAR): number[] {
  const out: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) if (!cal.years.has(y)) out.push(y);
  return out;
}

/** The last day of `days` working days starting on `from` (counted when it is a working day). */
export function workingDaysEnd(from: string, days: number, cal: WorkCalendar = BUILTIN_CALENDAR): string {
  let d = from;
  let left = days;
  for (;;) {
    if (isWorkingDay(d, cal)) left -= 1;
    if (left <= 0) return d;
    d = addDays(d, 1);
  }
}

/** What a page says under a date computed with estimated years. */
export function estimateWarning(years: readonly number[]): string | null {
  if (!years.length) return null;
  return `${years.join('、')} 年的节假日安排尚未录入，工作日按周末和元旦、劳动节、国庆节估算，请系统管理员在「节假日安排」中录入国务院办公厅通知`;
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// ---- reading the State Council's notice ------------------------------------------------------

export type ParsedNotice = { holidays: string[]; workdays: string[]; problems: string[] };

const DATE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/g;

/**
 * Reads the dates out of the notice's text, as pasted from gov.cn: each item says which days are
 * 放假 (one day, or "1月28日至2月4日" / "10月1日至8日") and which weekend days are 上班. The parenthesised
 * weekdays and lunar dates are ignored. `problems` lists what could not be read, in Chinese.
 */
export function parseHolidayNotice(text: string, year: number): ParsedNotice {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const problems: string[] = [];
  const clean = text.replace(/（[^）]*）|\([^)]*\)/g, '');
  const iso = (y: string | undefined, m: string, d: string) =>
    `${y ?? year}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  for (const raw of clean.split(/[。；;\n]/)) {
    const sentence = raw.trim();
    if (!sentence) continue;
    const offAt = sentence.indexOf('放假');
    if (offAt >= 0) {
      const off = sentence.slice(0, offAt);
      const m = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:\s*至\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日)?\s*$/.exec(
        off,
      );
      if (!m) {
        problems.push(`没有读懂这一句的放假日期：「${sentence}」`);
        continue;
      }
      const from = iso(m[1], m[2]!, m[3]!);
      const to = m[6] ? iso(m[4] ?? m[1], m[5] ?? m[2]!, m[6]) : from;
      if (!isCalendarDate(from) || !isCalendarDate(to) || to < from || range(from, to).length > 15) {
        problems.push(`放假日期不正确：「${sentence}」`);
        continue;
      }
      for (const d of range(from, to)) holidays.add(d);
    }
    const onAt = sentence.indexOf('上班');
    if (onAt >= 0) {
      const on = sentence.slice(offAt >= 0 ? offAt : 0, onAt);
      for (const m of on.matchAll(DATE)) {
        const d = iso(m[1], m[2]!, m[3]!);
        if (isCalendarDate(d)) workdays.add(d);
        else problems.push(`上班日期不正确：「${sentence}」`);
      }
    }
  }
  if (!holidays.size)
    problems.push('没有找到放假安排：请粘贴国务院办公厅通知的正文，如“一、元旦：1月1日（周五）放假1天，不调休。”');
  for (const d of workdays) if (holidays.has(d)) problems.push(`${d} 既是放假日又是上班日，请核对`);
  for (const d of [...holidays, ...workdays])
    if (yearOf(d) !== year && !(yearOf(d) === year - 1 && d.slice(5, 7) === '12'))
      problems.push(`${d} 不在 ${year} 年，请核对通知的年份`);
  return { holidays: [...holidays].sort(), workdays: [...workdays].sort(), problems };
}

// ---- wire shapes -----------------------------------------------------------------------------

const isoDay = z.iso.date('日期须为 YYYY-MM-DD 格式');

export const HolidayYearInput = z.strictObject({
  holidays: z.array(isoDay).min(1, '请至少填写一个放假日').max(60, '放假日不能超过 60 天'),
  workdays: z.array(isoDay).max(20, '调休上班日不能超过 20 天').default([]),
  source: z.string().trim().min(2, '请填写来源（通知的名称或文号）').max(200, '来源不能超过 200 字'),
});
export type HolidayYearInput = z.infer<typeof HolidayYearInput>;

export const HolidayYearView = z.object({
  year: z.number(),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  source: z.string(),
  /** builtin: shipped with the software; stored: entered by an administrator (replaces a built-in year). */
  origin: z.enum(['builtin', 'stored']),
  updatedAt: z.string().nullable(),
});
export type HolidayYearView = z.infer<typeof HolidayYearView>;
