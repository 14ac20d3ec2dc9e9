// @fixed-days: the demo meetings are dated relative to today (tools/test.mjs runs this file under each fixed clock).
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

  it('records attendance for the people each kind invites: the group at its 党小组会, the committee at a 支委会, branch and groups at a 主题党日', async () => {
    const rows = await queryRows<{ kind: string; invited: number; outside: number; in_groups: number }>(
      t.services.db,
      sql`select mt.kind, count(a.id)::int as invited,
                 (count(a.id) filter (where a.org_id <> mt.org_id and not (ao.parent_id = mt.org_id)))::int as outside,
                 (count(a.id) filter (where ao.kind = 'group'))::int as in_groups
          from meeting mt join org o on o.id = mt.org_id
          left join meeting_attendance a on a.meeting_id = mt.id left join org ao on ao.id = a.org_id
          where mt.status = 'held' and (o.name = '第一发电厂党支部' or o.parent_id = (select id from org where name = '第一发电厂党支部'))
          group by mt.id, mt.kind`,
    );
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    assert.ok(
      of('group').length > 0 && of('group').every((r) => r.invited > 0 && r.outside === 0),
      'a 党小组会 has its group',
    );
    const [seats] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(distinct c.member_id)::int as n from committee_member c join org o on o.id = c.org_id
          where o.name = '第一发电厂党支部' and c.member_id is not null`,
    );
    assert.ok(
      of('committee').every((r) => r.invited === seats!.n),
      `a 支委会 has its ${seats!.n} committee members`,
    );
    assert.ok(
      of('theme_day').every((r) => r.in_groups > 0 && r.invited > r.in_groups),
      'a 主题党日 has the branch and its groups',
    );
  });
});
