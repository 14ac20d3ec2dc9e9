// @fixed-days: working days across year ends (tools/test.mjs runs this file under each fixed clock).
/**
 * The working-day calendar (issue 13 item 14): a 公示 that runs into a year without a State Council notice
 * skips at least the fixed-date holidays and says it was estimated; a pasted notice reads into the same dates
 * the built-in table holds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUILTIN_HOLIDAY_YEARS,
  calendarOf,
  estimatedYears,
  estimateWarning,
  isWorkingDay,
  parseHolidayNotice,
  workingDaysEnd,
} from './calendar';
import { noticeEnd } from './develop';

// The 2026 notice's items, in the notice's own wording pattern (weekdays and lunar dates in brackets).
const NOTICE_2026 = `一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。9月20日（周日）上班。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。10月10日（周六）上班。`;

const NOTICE_2025 = `一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。`;

describe('working-day calendar', () => {
  it('a 公示 from 2026-12-28 does not count 元旦 2027 as a working day, and says 2027 was estimated', () => {
    // Mon 12-28 … Thu 12-31 are four working days; Fri 2027-01-01 is 元旦 (a fixed-date holiday); Mon 01-04 is the fifth.
    assert.equal(noticeEnd('2026-12-28'), '2027-01-04');
    assert.equal(isWorkingDay('2027-01-01'), false);
    assert.equal(isWorkingDay('2027-05-02'), false);
    assert.equal(isWorkingDay('2027-10-03'), false);
    assert.deepEqual(estimatedYears('2026-12-28', '2027-01-04'), [2027]);
    assert.match(estimateWarning([2027])!, /2027 年的节假日安排尚未录入/);
    assert.equal(estimateWarning(estimatedYears('2026-11-20', '2026-11-26')), null);
  });

  it('counts on a year an administrator entered, over the fallback', () => {
    const cal = calendarOf([
      { year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: ['2027-01-09'], source: 'test' },
    ]);
    assert.deepEqual(estimatedYears('2026-12-28', '2027-01-04', cal), []);
    assert.equal(isWorkingDay('2027-01-09', cal), true, 'a Saturday worked instead');
    // With data for 2027, 05-02 is no longer assumed a holiday: the entered year says what is off.
    assert.equal(isWorkingDay('2027-05-03', cal), true);
    assert.equal(workingDaysEnd('2026-12-28', 5, cal), '2027-01-04');
  });

  it('reads the State Council notice into the dates of the built-in table', () => {
    for (const [text, year] of [
      [NOTICE_2026, 2026],
      [NOTICE_2025, 2025],
    ] as const) {
      const parsed = parseHolidayNotice(text, year);
      const builtin = BUILTIN_HOLIDAY_YEARS.find((y) => y.year === year)!;
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(parsed.holidays, [...builtin.holidays].sort(), `${year} holidays`);
      assert.deepEqual(parsed.workdays, [...builtin.workdays].sort(), `${year} workdays`);
    }
  });

  it('says in Chinese what it could not read', () => {
    assert.match(parseHolidayNotice('今天天气很好', 2027).problems.join(), /没有找到放假安排/);
    assert.match(parseHolidayNotice('元旦：2月30日放假1天', 2027).problems.join(), /放假日期不正确/);
    assert.match(parseHolidayNotice('元旦：2028年1月1日放假1天', 2027).problems.join(), /不在 2027 年/);
    assert.match(
      parseHolidayNotice('春节：2月1日至3日放假。2月2日上班。', 2027).problems.join(),
      /既是放假日又是上班日/,
    );
  });
});
