/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD, China calendar days) and months (YYYY-MM), one
 * implementation for the whole code base: every "n months later" goes through dayjs's `add`, in
 * UTC so the server's time zone and daylight-saving rules never move a date.
 *
 * Month arithmetic clamps to the month's end (dayjs's rule, and how a deadline "within one month"
 * of 01-31 reads: 02-28, or 02-29 in a leap year) — it never overflows into the next month. The
 * anniversary (`addYears`) is a separate, named rule: 02-29 plus a year is 03-01, as age and 党龄
 * count whole years.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^\d{4}-\d{2}$/;

function parse(date: string) {
  if (!isCalendarDate(date)) throw new RangeError(`not a date: ${date}`);
  return dayjs.utc(date);
}

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a string is a real calendar date (2026-02-29 is not). Plain arithmetic, no date object: the member
 * import checks several dates per row (it was 3 s of a 100k-row import through dayjs). Years 0000–0099 are
 * refused, as they were when this went through JavaScript's Date (which reads them as 19xx).
 */
export function isCalendarDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (y < 100 || m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!);
}

export function addDays(date: string, days: number): string {
  return parse(date).add(days, 'day').format('YYYY-MM-DD');
}

/** Calendar months later (or earlier), clamped to the month's end: 01-31 + 1 month = 02-28 (02-29 in a leap year). */
export function addMonths(date: string, months: number): string {
  return parse(date).add(months, 'month').format('YYYY-MM-DD');
}

/**
 * The same day n years later: an anniversary (age, 党龄, a year as activist, a term of office).
 * 02-29 in a year without one has not arrived until 03-01, as the member register counts ages.
 */
export function addYears(date: string, years: number): string {
  if (!isCalendarDate(date)) throw new RangeError(`not a date: ${date}`);
  const y = String(Number(date.slice(0, 4)) + years).padStart(4, '0');
  const monthDay = date.slice(5);
  return monthDay === '02-29' && !isLeapYear(Number(y)) ? `${y}-03-01` : `${y}-${monthDay}`;
}

/** Days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return parse(to).diff(parse(from), 'day');
}

/** Whole years from one date to another (age, 党龄), by the anniversary rule of {@link addYears}. */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/** A month (YYYY-MM) n months later or earlier. */
export function addMonthsToMonth(month: string, n: number): string {
  if (!ISO_MONTH.test(month)) throw new RangeError(`not a month: ${month}`);
  return dayjs.utc(`${month}-01`).add(n, 'month').format('YYYY-MM');
}

/** Months from one month (YYYY-MM) to another: 2026-01 → 2026-03 is 2. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** The weekday of a date, 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return parse(date).day();
}

/** The last day of a date's month. */
export function endOfMonth(date: string): string {
  return parse(date).endOf('month').format('YYYY-MM-DD');
}
