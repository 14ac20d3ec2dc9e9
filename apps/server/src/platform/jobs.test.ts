import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { startTestApp, type TestApp } from '../testing/harness';
import { badRequest } from './errors';
import { JobRunner } from './jobs';
import { job } from './schema';

describe('background jobs', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: false });
    // The app's own runner would race these tests' runners for the same rows.
    await t.services.jobs.stop();
  });
  after(() => t.close());

  it('requeues a job left running by a crash and runs it to the end', async () => {
    const { db } = t.services;
    const [row] = await db
      .insert(job)
      .values({ tenantId: t.tenantId, kind: 'test.count', status: 'running', attempts: 1, payload: { n: 3 } })
      .returning();
    const runner = new JobRunner(db, pino({ level: 'silent' }));
    runner.register('test.count', async ({ job: j, progress }) => {
      const n = (j.payload as { n: number }).n;
      for (let i = 1; i <= n; i++) await progress(i, n);
      return { counted: n };
    });
    await runner.start(50);
    await runner.drain();
    await runner.stop();
    const [done] = await db.select().from(job).where(eq(job.id, row!.id));
    assert.equal(done!.status, 'done');
    assert.deepEqual(done!.result, { counted: 3 });
    assert.equal(done!.attempts, 2);
  });

  it('gives up after three attempts instead of crashing forever', async () => {
    const { db } = t.services;
    const [row] = await db
      .insert(job)
      .values({ tenantId: t.tenantId, kind: 'test.never', status: 'running', attempts: 3 })
      .returning();
    const runner = new JobRunner(db, pino({ level: 'silent' }));
    await runner.start(50);
    await runner.drain();
    await runner.stop();
    const [failed] = await db.select().from(job).where(eq(job.id, row!.id));
    assert.equal(failed!.status, 'failed');
  });

  it("stores a handler's Chinese error on the job", async () => {
    const { db } = t.services;
    const runner = new JobRunner(db, pino({ level: 'silent' }));
    runner.register('test.bad', async () => {
      throw badRequest('文件格式不正确');
    });
    await runner.start(50);
    const id = await runner.enqueue({ tenantId: t.tenantId, kind: 'test.bad' });
    await runner.drain();
    await runner.stop();
    const [failed] = await db.select().from(job).where(eq(job.id, id));
    assert.equal(failed!.status, 'failed');
    assert.deepEqual(failed!.error, { code: 'BAD_REQUEST', message: '文件格式不正确' });
  });
});
