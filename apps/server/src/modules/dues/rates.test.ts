/** The 2008 dues regulation's rate table: every bracket edge of both tables, fixed amounts, rounding. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyRate,
  fenInWords,
  IN_SERVICE_BRACKETS,
  quoteDues,
  RETIRED_BRACKETS,
  DUES_REGULATION,
} from '@xianfeng/shared';

const q = (category: Parameters<typeof quoteDues>[0], fen: number) => quoteDues(category, fen);

describe('dues rate table (2008 regulation)', () => {
  // [base in 分, rate, monthly dues in 分]
  const IN_SERVICE: [number, number, number][] = [
    [0, 0.005, 0],
    [1, 0.005, 0], // 0.005 分 rounds down
    [100, 0.005, 1], // 0.5 分 rounds half-up to 1 分
    [299_999, 0.005, 1500], // 1499.995 → 1500
    [300_000, 0.005, 1500], // exactly 3000.00 元 → 15.00 元 (upper bound inclusive)
    [300_001, 0.01, 3000], // 3000.01 元 → 30.0001 元 → 30.00 元 (whole base, not progressive)
    [300_050, 0.01, 3001], // 3000.50 元 × 1% = 30.005 元 → 30.01 元 (half-up)
    [499_999, 0.01, 5000],
    [500_000, 0.01, 5000], // exactly 5000.00 元 → 50.00 元
    [500_001, 0.015, 7500], // 5000.01 元 × 1.5% = 75.00015 元 → 75.00 元
    [500_033, 0.015, 7500], // 75.00495 → 75.00
    [500_034, 0.015, 7501], // 75.0051 → 75.01
    [1_000_000, 0.015, 15000], // exactly 10000.00 元 → 150.00 元
    [1_000_001, 0.02, 20000], // 10000.01 元 × 2% = 200.0002 元 → 200.00 元
    [1_000_025, 0.02, 20001], // 200.005 → 200.01
    [2_500_000, 0.02, 50000],
  ];
  for (const [fen, rate, due] of IN_SERVICE)
    it(`charges an employed member with a base of ${(fen / 100).toFixed(2)} 元 ${rate * 100}% of the whole base: ${(due / 100).toFixed(2)} 元`, () => {
      const r = q('employed', fen);
      assert.equal(r.rate, rate);
      assert.equal(r.monthlyFen, due);
      assert.match(r.ruleCitation, /关于中国共产党党费收缴、使用和管理的规定/);
    });

  const RETIRED: [number, number, number][] = [
    [0, 0.005, 0],
    [300_001, 0.005, 1500], // the in-service 3000 元 edge does not apply to pensions
    [499_999, 0.005, 2500], // 2499.995 → 2500
    [500_000, 0.005, 2500], // exactly 5000.00 元 → 25.00 元
    [500_001, 0.01, 5000], // 5000.01 元 × 1% → 50.00 元
    [500_050, 0.01, 5001], // 50.005 → 50.01
    [1_000_000, 0.01, 10000],
    [1_000_001, 0.01, 10000], // no 2% bracket for retired members
  ];
  for (const [fen, rate, due] of RETIRED)
    it(`charges a retired member with a pension of ${(fen / 100).toFixed(2)} 元 ${rate * 100}%: ${(due / 100).toFixed(2)} 元`, () => {
      const r = q('retired', fen);
      assert.equal(r.rate, rate);
      assert.equal(r.monthlyFen, due);
    });

  it('makes students, unemployed members and members on relief or 低保 pay a fixed 0.2 元 whatever the base', () => {
    for (const c of ['student', 'unemployed', 'other_low'] as const) {
      assert.deepEqual([q(c, 0).monthlyFen, q(c, 1_000_000).monthlyFen], [20, 20]);
      assert.equal(q(c, 0).rate, null);
      assert.equal(q(c, 0).basis, 'fixed');
    }
  });

  it('charges farmers the enterprise-configured amount between 0.2 and 1 元 (default 0.2 元)', () => {
    assert.equal(q('farmer', 0).monthlyFen, 20);
    assert.equal(quoteDues('farmer', 0, { farmerMonthlyFen: 100 }).monthlyFen, 100);
  });

  it('refuses negative, fractional and absurd bases', () => {
    for (const bad of [-1, 0.5, 100_000_001, Number.NaN]) assert.throws(() => q('employed', bad), RangeError);
  });

  it('keeps the brackets contiguous, ordered and open-ended, each with the regulation cited', () => {
    for (const table of [IN_SERVICE_BRACKETS, RETIRED_BRACKETS]) {
      assert.equal(table.at(-1)!.upToFen, null);
      for (let i = 1; i < table.length - 1; i++) assert.ok(table[i]!.upToFen! > table[i - 1]!.upToFen!);
      for (const b of table) assert.ok(b.citation.startsWith(DUES_REGULATION));
    }
  });

  it('rounds half-up to the 分 in exact integer arithmetic', () => {
    assert.equal(applyRate(1, 5000), 1); // 0.5 → 1
    assert.equal(applyRate(3, 5000), 2); // 1.5 → 2
    assert.equal(applyRate(100_000_000, 200), 2_000_000);
  });

  it('writes receipt amounts in 人民币大写', () => {
    assert.equal(fenInWords(3001), '叁拾元零壹分');
    assert.equal(fenInWords(1500), '壹拾伍元整');
    assert.equal(fenInWords(20), '贰角');
    assert.equal(fenInWords(100_050), '壹仟元伍角');
    assert.equal(fenInWords(1_000_000_00), '壹佰万元整');
  });
});
