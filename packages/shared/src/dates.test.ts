// @fixed-days: month arithmetic at month ends and leap days (tools/test.mjs runs this file under each fixed clock).
/** The one date arithmetic (dates.ts): month ends, leap days, year ends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
  });
});
