/**
 * feedTransaction (platform/db.ts): one all-or-nothing transaction fed step by step — on PostgreSQL its steps run while
 * the caller goes on (the member import writes checked rows while its worker checks the next), on PGlite at commit.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { feedTransaction, queryRows, type Db } from './db';
import { startTestApp, type TestApp } from '../testing/harness';

describe('feedTransaction', () => {
  let t: TestApp;
  let db: Db;
  const rows = async () =>
    (await queryRows<{ n: number }>(db, sql`select n from xf_feed_probe order by n`)).map((r) => r.n);
  before(async () => {
    t = await startTestApp();
    db = t.services.db;
    await db.execute(sql`create table xf_feed_probe (n int primary key)`);
  });
  after(async () => t?.close());

  it('commits every step and the last one together, and nobody sees a step before the commit', async () => {
    await db.execute(sql`delete from xf_feed_probe`);
    const writer = feedTransaction(db);
    let ran = 0;
    for (const n of [1, 2])
      writer.add(async (tx) => {
        await tx.execute(sql`insert into xf_feed_probe values (${n})`);
        ran++;
      });
    if (t.services.dbKind === 'postgres') {
      // The steps run now, on their own connection, while this test (the caller) goes on.
      for (let i = 0; i < 200 && ran < 2; i++) await sleep(10);
      assert.equal(ran, 2, 'the steps ran before commit');
      assert.deepEqual(await rows(), [], 'uncommitted rows are not visible to another connection');
    } else assert.equal(ran, 0, 'the embedded database runs the steps at commit');
    const last = await writer.commit(async (tx) => {
      await tx.execute(sql`insert into xf_feed_probe values (3)`);
      return 'done';
    });
    assert.equal(last, 'done');
    assert.deepEqual(await rows(), [1, 2, 3]);
    await writer.abandon(); // a no-op after commit
    assert.deepEqual(await rows(), [1, 2, 3]);
  });

  it('leaves nothing behind when abandoned, even after its steps ran', async () => {
    await db.execute(sql`delete from xf_feed_probe`);
    const writer = feedTransaction(db);
    let ran = false;
    writer.add(async (tx) => {
      await tx.execute(sql`insert into xf_feed_probe values (7)`);
      ran = true;
    });
    if (t.services.dbKind === 'postgres') for (let i = 0; i < 200 && !ran; i++) await sleep(10);
    await writer.abandon();
    assert.deepEqual(await rows(), []);
    // The connection is back: the database answers other work.
    await db.execute(sql`insert into xf_feed_probe values (8)`);
    assert.deepEqual(await rows(), [8]);
  });

  it("answers a failed step's error at commit and writes none of the steps", async () => {
    await db.execute(sql`delete from xf_feed_probe`);
    const writer = feedTransaction(db);
    writer.add((tx) => tx.execute(sql`insert into xf_feed_probe values (1)`));
    writer.add((tx) => tx.execute(sql`insert into xf_feed_probe values (1)`)); // the same key: refused
    writer.add((tx) => tx.execute(sql`insert into xf_feed_probe values (2)`));
    await assert.rejects(
      writer.commit(async () => 'never'),
      (e: Error & { cause?: { code?: string }; code?: string }) => (e.cause?.code ?? e.code) === '23505',
    );
    await writer.abandon();
    assert.deepEqual(await rows(), []);
  });
});
