// @fixed-days: study time credited by the clock (tools/test.mjs runs this file under each fixed clock).
/**
 * Heartbeats of a video lesson (学习进度上报): credited no faster than the clock. A flood of reports, a forged
 * hour, or claims at double speed earn only the time that has passed; honest reports every 30 seconds earn it
 * all and complete the lesson.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { now, setClock } from '@xianfeng/shared';
import { startTestApp, type TestApp, api } from '../../testing/harness';

const later = (ms: number) => setClock(new Date(now().getTime() + ms));

describe('learn: heartbeats credited by the clock', () => {
  let t: TestApp;
  let member: string;
  let itemId: string;
  const { get, post } = api(() => t);
  const credited = async () =>
    (
      (await get('/learn/me/records?pageSize=100', member)).body.items as {
        itemId: string;
        seconds: number;
        completedAt: string | null;
      }[]
    ).find((r) => r.itemId === itemId)!;

  before(async () => {
    t = await startTestApp();
    member = await t.login('dangyuan');
    const secretary = await t.login('shuji');
    const branchId = await t.orgId('第一发电厂党支部');
    // One minute long: complete at 80 %, 48 seconds watched.
    const c = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'video',
      title: '心跳测试微视频',
      minutes: 1,
    });
    assert.equal(c.status, 201, c.raw);
    itemId = c.body.id;
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  it('credits nothing for a flood of heartbeats sent at once', async () => {
    const t0 = now().getTime();
    assert.equal((await post(`/learn-items/${itemId}/progress`, member, { seconds: 0 })).status, 200);
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => post(`/learn-items/${itemId}/progress`, member, { seconds: 30 })),
    );
    assert.ok(
      flood.every((r) => r.status === 200),
      'each report is answered',
    );
    const passed = (now().getTime() - t0) / 1000;
    const rec = await credited();
    // On a loaded machine the 20 locked updates take seconds; the credit is what passed, never 20 × 30 s.
    assert.ok(
      rec.seconds <= Math.ceil(passed),
      `20 reports of 30 s in ${passed.toFixed(1)} s credited ${rec.seconds}s`,
    );
    assert.ok(passed > 40 || rec.completedAt === null, 'not complete');
  });

  it('credits a forged hour, or double speed, only the time that passed', async () => {
    // Bounds: the clock jump plus the real seconds this takes on a loaded machine (and 2 s before it began).
    const before = (await credited()).seconds;
    let t = now().getTime();
    later(10_000);
    const r = await post(`/learn-items/${itemId}/progress`, member, { seconds: 3600 });
    assert.match(r.body.note, /实际经过的时间/);
    let took = Math.ceil((now().getTime() - t) / 1000);
    const a = (await credited()).seconds;
    assert.ok(
      a - before >= 10 && a - before <= took + 2,
      `${took} s passed, a claim of an hour credited ${a - before}s`,
    );
    t = now().getTime();
    later(15_000);
    await post(`/learn-items/${itemId}/progress`, member, { seconds: 30 });
    took = Math.ceil((now().getTime() - t) / 1000);
    const b = (await credited()).seconds;
    assert.ok(b - a >= 15 && b - a <= Math.min(took + 2, 29), `${took} s passed, a claim of 30 s credited ${b - a}s`);
    assert.equal((await credited()).completedAt, null, `${b}s credited, 48 s needed`);
  });

  it('credits honest 30-second heartbeats in full and completes the lesson', async () => {
    const start = (await credited()).seconds;
    later(30_000);
    const r = await post(`/learn-items/${itemId}/progress`, member, { seconds: 30 });
    assert.equal(r.status, 200);
    assert.equal((await credited()).seconds, start + 30, 'a heartbeat of the time that passed is credited whole');
    assert.equal(r.body.completed, true, `${start + 30}s ≥ 48 s`);
    assert.equal(r.body.progress, 100);
  });
});
