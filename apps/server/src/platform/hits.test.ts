/**
 * Shared hit counters (platform/hits.ts): a window starts with the first hit, counts every hit until it ends, and the
 * first hit after it ends starts a new one; parallel hits are all counted (one atomic upsert each).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../testing/harness';
import { clearHits, hit, hitsOf } from './hits';

describe('shared hit counters', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('counts hits in a window, then starts a new window after it ends', async () => {
    const db = t.services.db;
    const t0 = new Date('2026-12-02T08:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    assert.deepEqual(await hit(db, 'k1', 60_000, t0), { hits: 1, resetInMs: 60_000 });
    assert.deepEqual(await hit(db, 'k1', 60_000, at(20)), { hits: 2, resetInMs: 40_000 }, 'the window keeps its end');
    assert.deepEqual(await hitsOf(db, 'k1', at(30)), { hits: 2, resetInMs: 30_000 }, 'reading does not count');
    assert.deepEqual(await hitsOf(db, 'k1', at(60)), { hits: 0, resetInMs: 0 }, 'an ended window counts nothing');
    assert.deepEqual(await hit(db, 'k1', 60_000, at(61)), { hits: 1, resetInMs: 60_000 }, 'a new window');
    assert.deepEqual(await hitsOf(db, 'k2', at(61)), { hits: 0, resetInMs: 0 }, 'keys are apart');
    await clearHits(db, 'k1');
    assert.equal((await hitsOf(db, 'k1', at(62))).hits, 0, 'cleared');
  });

  it('counts parallel hits exactly', async () => {
    const at = new Date('2026-12-02T09:00:00Z');
    const all = await Promise.all(Array.from({ length: 40 }, () => hit(t.services.db, 'parallel', 60_000, at)));
    assert.deepEqual(
      all.map((r) => r.hits).sort((x, y) => x - y),
      Array.from({ length: 40 }, (_, i) => i + 1),
      'each hit got its own count',
    );
  });
});
