/**
 * What the 通知管理 page needs of the API (issue #17): a robot or webhook edited through PATCH keeps every
 * field that was not sent (a rename does not reset its kinds, quiet hours or switch), any org's robots are
 * listed for an admin above it, delete removes and audits; the delivery log filters by channel, status and
 * a range of Beijing days, paged on the server, and refuses bad filter values with a Chinese 400.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=admin-page-test';

describe('notify admin: edit and delete robots and webhooks, filter the delivery log', () => {
  let t: TestApp;
  const { get, post, patch, del } = api(() => t);
  let admin: string;
  let shuji: string;
  let branchA: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji] = await signIn(t, 'admin', 'shuji');
    branchA = await t.orgId('第一发电厂党支部');
    [{ tenant_id: tenantId }] = (await queryRows<{ tenant_id: string }>(
      t.services.db,
      sql`select tenant_id from org where id = ${branchA}`,
    )) as [{ tenant_id: string }];
  });
  after(async () => t.close());

  it('a robot renamed through PATCH keeps its kinds, 下级组织, quiet hours and switch; the admin above lists and deletes it (audited)', async () => {
    const made = await post(`/orgs/${branchA}/robots`, shuji, {
      provider: 'wecom',
      name: '支部群',
      url: WECOM,
      kinds: ['meeting.notice', 'meeting.cancelled'],
      subtree: true,
      quietHours: { start: '21:00', end: '08:00' },
      enabled: false,
    });
    assert.equal(made.status, 201, made.raw);
    const id = made.body.id as string;
    const renamed = await patch(`/notify-robots/${id}`, admin, { name: '支部工作群' });
    assert.equal(renamed.status, 200, renamed.raw);
    assert.equal(renamed.body.name, '支部工作群');
    assert.deepEqual(renamed.body.kinds, ['meeting.notice', 'meeting.cancelled']);
    assert.equal(renamed.body.subtree, true);
    assert.deepEqual(renamed.body.quietHours, { start: '21:00', end: '08:00' });
    assert.equal(renamed.body.enabled, false);

    // The admin (bound at the top org) reads the branch's robots through the org picker's choice.
    const listed = await get(`/orgs/${branchA}/robots`, admin);
    assert.equal(listed.status, 200, listed.raw);
    assert.ok(
      (listed.body.items as { id: string; name: string }[]).some((r) => r.id === id && r.name === '支部工作群'),
    );

    const bad = await patch(`/notify-robots/${id}`, admin, { quietHours: { start: '25:00', end: '08:00' } });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.raw, /时间格式应为 HH:MM/);

    const gone = await del(`/notify-robots/${id}`, admin);
    assert.equal(gone.status, 204, gone.raw);
    const after = await get(`/orgs/${branchA}/robots`, admin);
    assert.ok(!(after.body.items as { id: string }[]).some((r) => r.id === id));
    const audit = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where entity_id = ${id} order by id`,
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['notify.robot.create', 'notify.robot.update', 'notify.robot.delete'],
    );
  });

  it('a stopped webhook renamed through PATCH stays stopped; deleted, it is gone', async () => {
    const made = await post('/notify/webhooks', admin, {
      name: '人事系统',
      url: 'https://hr.example.com/hooks/xf',
      kinds: ['member.create'],
      enabled: false,
    });
    assert.equal(made.status, 201, made.raw);
    const id = made.body.id as string;
    const renamed = await patch(`/notify/webhooks/${id}`, admin, { name: '人事系统（测试）' });
    assert.equal(renamed.status, 200, renamed.raw);
    assert.equal(renamed.body.enabled, false);
    assert.deepEqual(renamed.body.kinds, ['member.create']);
    const gone = await del(`/notify/webhooks/${id}`, admin);
    assert.equal(gone.status, 204, gone.raw);
    const list = await get('/notify/webhooks', admin);
    assert.ok(!(list.body.items as { id: string }[]).some((w) => w.id === id));
  });

  it('the delivery log filters by channel, status and Beijing days (both ends included), paged on the server', async () => {
    // Rows of a tag of their own, at instants around the Beijing midnights of 2026-03-10..12.
    const tag = `filter-${randomUUID()}`;
    const rows: [string, string, string][] = [
      ['email', 'sent', '2026-03-09T15:59:59Z'], // 03-09 23:59:59 Beijing
      ['email', 'sent', '2026-03-09T16:00:00Z'], // 03-10 00:00 Beijing
      ['email', 'failed', '2026-03-10T12:00:00Z'], // 03-10 20:00
      ['sms', 'sent', '2026-03-11T03:00:00Z'], // 03-11 11:00
      ['wecom', 'failed', '2026-03-12T15:59:59Z'], // 03-12 23:59:59
      ['wecom', 'sent', '2026-03-12T16:00:00Z'], // 03-13 00:00
    ];
    for (const [i, [channel, status, at]] of rows.entries())
      await t.services.db.execute(
        sql`insert into notify_delivery (tenant_id, channel, kind, target, title, payload, dedupe_key, status, created_at)
            values (${tenantId}, ${channel}, 'notify.test', ${tag}, ${`${tag} ${i}`}, '{}'::jsonb, ${`${tag}:${i}`}, ${status}, ${at}::timestamptz)`,
      );
    const log = async (q: string) => {
      const r = await get(`/notify/deliveries?pageSize=200&${q}`, admin);
      assert.equal(r.status, 200, r.raw);
      const mine = (r.body.items as { title: string }[])
        .filter((x) => x.title.startsWith(tag))
        .map((x) => Number(x.title.split(' ')[1]));
      return { mine: mine.sort(), total: r.body.total as number };
    };
    assert.deepEqual((await log('from=2026-03-10&to=2026-03-12')).mine, [1, 2, 3, 4]);
    assert.equal((await log('from=2026-03-10&to=2026-03-12')).total, 4, 'nothing else was sent on those days');
    assert.deepEqual((await log('from=2026-03-13')).mine, [5]);
    assert.deepEqual((await log('to=2026-03-09')).mine, [0]);
    assert.deepEqual((await log('from=2026-03-10&to=2026-03-10&channel=email')).mine, [1, 2]);
    assert.deepEqual((await log('from=2026-03-09&to=2026-03-13&status=failed')).mine, [2, 4]);
    assert.deepEqual((await log('from=2026-03-09&to=2026-03-13&channel=wecom&status=sent')).mine, [5]);

    // Paged: two pages of two, newest first, the total counts the filter.
    const page = async (n: number) => {
      const r = await get(`/notify/deliveries?from=2026-03-10&to=2026-03-12&page=${n}&pageSize=2`, admin);
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.total, 4);
      return (r.body.items as { title: string }[]).map((x) => Number(x.title.split(' ')[1]));
    };
    assert.deepEqual([...(await page(1)), ...(await page(2))], [4, 3, 2, 1]);
  });

  it('refuses bad filter values with a Chinese 400, never a 5xx', async () => {
    for (const [q, message] of [
      ['channel=pigeon', /未知的渠道/],
      ['status=lost', /未知的发送状态/],
      ['from=2027-02-29', /开始日期须为 YYYY-MM-DD/],
      ['to=2026-13-01', /结束日期须为 YYYY-MM-DD/],
      ['from=yesterday', /开始日期须为 YYYY-MM-DD/],
      ['from=2026-03-12&to=2026-03-10', /开始日期不能晚于结束日期/],
      ['endpointId=abc', /推送地址编号格式不正确/],
      ['pageSize=500', /每页最多 200 条/],
    ] as const) {
      const r = await get(`/notify/deliveries?${q}`, admin);
      assert.equal(r.status, 400, `${q}: ${r.raw}`);
      assert.match(r.body.error.message + JSON.stringify(r.body.error.details ?? ''), message, `${q}: ${r.raw}`);
    }
    // A leap day that exists is fine.
    const ok = await get('/notify/deliveries?from=2028-02-29&to=2028-02-29', admin);
    assert.equal(ok.status, 200, ok.raw);
  });
});
