/**
 * The demo as the walk-through (#16) found it: each 党小组's monthly 党小组会 once in the meeting
 * list (a general branch used to seed its branches' groups a second time).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp } from '../../testing/harness';

describe('demo meetings', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('holds each group’s 党小组会 once a month, also under a general branch', async () => {
    const twice = await queryRows<{ name: string; month: string; n: number }>(
      t.services.db,
      sql`select o.name, to_char(m.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*)::int as n
          from meeting m join org o on o.id = m.org_id where m.kind = 'group'
          group by o.id, o.name, 2 having count(*) > 1`,
    );
    assert.deepEqual(twice, []);
    const [plant] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from meeting m join org o on o.id = m.org_id join org b on b.id = o.parent_id
          where m.kind = 'group' and b.name = '第一发电厂党支部'`,
    );
    assert.ok(plant!.n > 0, 'the groups under 发电运营党总支 do hold their meetings');
  });
});
