// @fixed-days: month arithmetic at month ends and leap days (tools/test.mjs runs this file under each fixed clock).
/** The one date arithmetic (dates.ts): month ends, leap days, year ends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import {
  addDays,
  addMonths,
  addMonthsToMonth,
  addYears,
  daysBetween,
  fullYears,
  isCalendarDate,
  monthsBetween,
} from './dates';

describe('date arithmetic', () => {
  it('adds calendar months clamped to the month end, never overflowing into the next month', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2026-08-31', -6), '2026-02-28');
    assert.equal(addMonths('2026-11-30', 3), '2027-02-28');
    assert.equal(addMonths('2026-12-31', 1), '2027-01-31');
  });
  it('counts anniversaries: 29 February plus a year is 1 March', () => {
    assert.equal(addYears('2024-02-29', 1), '2025-03-01');
    assert.equal(addYears('2024-02-29', 4), '2028-02-29');
    assert.equal(addYears('2023-06-15', 1), '2024-06-15');
    assert.equal(fullYears('2008-02-29', '2026-02-28'), 17);
    assert.equal(fullYears('2008-02-29', '2026-03-01'), 18);
  });
  it('shifts months and counts days across year ends', () => {
    assert.equal(addMonthsToMonth('2026-12', 1), '2027-01');
    assert.equal(addMonthsToMonth('2026-01', -1), '2025-12');
    assert.equal(monthsBetween('2025-11', '2026-02'), 3);
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(daysBetween('2028-02-28', '2028-03-01'), 2);
  });
  it('refuses dates that do not exist', () => {
    assert.equal(isCalendarDate('2026-02-29'), false);
    assert.equal(isCalendarDate('2028-02-29'), true);
    assert.throws(() => addMonths('2026-02-30', 1), RangeError);
    assert.throws(() => addYears('2026-02-30', 1), RangeError);
  });
  it('checks dates and counts anniversaries by plain arithmetic exactly as dayjs did, every day 1899–2101', () => {
    dayjs.extend(utc);
    const byDayjs = (date: string, years: number) => {
      const d = dayjs.utc(date);
      const later = d.add(years, 'year');
      return (later.date() === d.date() ? later : later.add(1, 'day')).format('YYYY-MM-DD');
    };
    const valid = (date: string) => dayjs.utc(date).isValid() && dayjs.utc(date).format('YYYY-MM-DD') === date;
    for (let y = 1899; y <= 2101; y++)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          assert.equal(isCalendarDate(date), valid(date), date);
          if (valid(date)) for (const n of [-1, 1, 4, 18, 100]) assert.equal(addYears(date, n), byDayjs(date, n), date);
        }
    for (const date of ['0050-01-01', '0099-12-31', '0100-01-01', '9999-12-31', '2026-1-01', '2026-01-1x'])
      assert.equal(isCalendarDate(date), valid(date), date);
  });
});
