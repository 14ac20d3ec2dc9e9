import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import dayjs from 'dayjs';
import { clockFromEnv, setClock } from '@xianfeng/shared';
import './dayjsClock';

after(() => clockFromEnv());

it("dayjs() is the shared clock's now, not the device's", () => {
  setClock('2026-11-30');
  assert.equal(dayjs().format('YYYY-MM-DD'), '2026-11-30');
  assert.equal(dayjs(undefined).format('YYYY-MM-DD'), '2026-11-30');
  setClock('2028-02-29T23:30:00+08:00');
  assert.equal(dayjs().toISOString().slice(0, 16), '2028-02-29T15:30');
});

it('dayjs(value) still parses the value', () => {
  setClock('2026-11-30');
  assert.equal(dayjs('2027-01-31').format('YYYY-MM-DD'), '2027-01-31');
  assert.equal(dayjs(0).valueOf(), 0);
  assert.equal(dayjs(null).isValid(), false);
});
