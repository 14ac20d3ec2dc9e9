// @fixed-days: report periods (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { periodLabel, periodOf, periodRange, shortestCadence, THOUGHT_RULES } from './thought';

describe('thought-report periods', () => {
  it('puts a day in its month, quarter and half-year, and ends each on its last day (29 February in a leap year)', () => {
    assert.equal(periodOf('monthly', '2028-02-29'), '2028-02');
    assert.equal(periodOf('quarterly', '2028-02-29'), '2028-Q1');
    assert.equal(periodOf('half_year', '2028-02-29'), '2028-H1');
    assert.equal(periodOf('quarterly', '2026-12-31'), '2026-Q4');
    assert.equal(periodOf('half_year', '2026-07-01'), '2026-H2');
    assert.deepEqual(periodRange('2028-02'), { from: '2028-02-01', to: '2028-02-29' });
    assert.deepEqual(periodRange('2027-02'), { from: '2027-02-01', to: '2027-02-28' });
    assert.deepEqual(periodRange('2026-Q4'), { from: '2026-10-01', to: '2026-12-31' });
    assert.deepEqual(periodRange('2026-H1'), { from: '2026-01-01', to: '2026-06-30' });
    assert.throws(() => periodRange('2026-Q5'));
  });
  it('labels periods in Chinese', () => {
    assert.equal(periodLabel('2026-Q4'), '2026年第四季度');
    assert.equal(periodLabel('2026-H1'), '2026年上半年');
    assert.equal(periodLabel('2026-03'), '2026年3月');
  });
  it('takes the more frequent cadence for someone who is two kinds at once', () => {
    assert.equal(shortestCadence(['quarterly', 'monthly']), 'monthly');
    assert.equal(shortestCadence(['half_year', 'quarterly']), 'quarterly');
  });
  it('cites a source for every rule, and marks the unconfirmed ones', () => {
    for (const r of Object.values(THOUGHT_RULES)) {
      assert.ok(r.citation.length > 10);
      assert.equal(r.confirmed, false);
    }
  });
});
