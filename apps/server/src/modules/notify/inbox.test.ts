/**
 * The notify service and the inbox: recipients, templates, dedupe, muting, mark read, paging, and
 * the live stream (a real listening server, read as a browser's EventSource reads it).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { openEventStream, type ServerEvent } from '../../testing/sse';
import { notify } from './service';

/** Reads server-sent events from a fetch body until `until` returns true, the stream ends or time runs out. */
async function readEvents(res: Response, until: (events: ServerEvent[]) => boolean, timeoutMs = 5000) {
  const stream = openEventStream(res);
  await stream.until(until, timeoutMs);
  await stream.close();
  return stream.events;
}

describe('notify: the inbox', () => {
  let t: TestApp;
  const { get, post, put, del } = api(() => t);
  let member: string;
  let secretary: string;
  let memberUserId: string;
  let branchId: string;
  let url: string;
  const send = (input: Partial<Parameters<typeof notify>[1]> & { dedupeKey: string }) =>
    t.services.db.transaction((tx) =>
      notify(tx, {
        tenantId: t.tenantId,
        kind: 'meeting.notice',
        recipients: { users: [memberUserId] },
        data: {
          title: '主题党日',
          orgName: '第一发电厂党支部',
          kindLabel: '主题党日',
          startsAt: '3月5日（周四）14:30',
          location: '三楼会议室',
        },
        link: '/meetings/x',
        ...input,
      }),
    );

  before(async () => {
    t = await startTestApp();
    [member, secretary] = await signIn(t, 'dangyuan', 'shuji');
    [{ id: memberUserId }] = (await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'dangyuan'`,
    )) as [{ id: string }];
    branchId = await t.orgId('第一发电厂党支部');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(() => t.close());

  it("puts a notice in the recipient's inbox with the template filled in, and counts it unread", async () => {
    const r = await send({ dedupeKey: 'inbox-1' });
    assert.deepEqual(r, { notified: 1, already: 0, unreachable: 0, robots: 0 });
    const list = await get('/notifications', member);
    assert.equal(list.status, 200);
    assert.equal(list.body.unread, 1);
    assert.equal(list.body.total, 1);
    const [n] = list.body.items;
    assert.equal(n.title, '【会议通知】主题党日');
    assert.equal(
      n.body,
      '第一发电厂党支部定于 3月5日（周四）14:30 在三楼会议室召开主题党日，请准时参加。如不能参加，请在系统中请假。',
    );
    assert.equal(n.link, '/meetings/x');
    assert.equal(n.kindLabel, '会议通知');
    assert.equal(n.readAt, null);
    const other = await get('/notifications', secretary);
    assert.equal(other.body.total, 0, 'nobody else sees it');
  });

  it('sends the same notice (same dedupe key) only once per person, however often it is sent', async () => {
    const again = await send({ dedupeKey: 'inbox-1' });
    assert.deepEqual(again, { notified: 0, already: 1, unreachable: 0, robots: 0 });
    const list = await get('/notifications', member);
    assert.equal(list.body.total, 1);
  });

  it('reaches the secretary of an org by role, or the nearest org above that has one', async () => {
    const r = await send({
      dedupeKey: 'role-1',
      recipients: { orgRoles: [{ orgId: branchId, roles: ['secretary'] }] },
    });
    assert.equal(r.notified, 1);
    assert.equal((await get('/notifications', secretary)).body.total, 1);
    // A group under the branch has no secretary of its own: the branch's is the nearest.
    const [group] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from org where parent_id = ${branchId} limit 1`,
    );
    if (group) {
      const none = await send({
        dedupeKey: 'role-2',
        recipients: { orgRoles: [{ orgId: group.id, roles: ['secretary'] }] },
      });
      assert.equal(none.notified, 0, 'exactly that org: nobody');
      const nearest = await send({
        dedupeKey: 'role-3',
        recipients: { orgRoles: [{ orgId: group.id, roles: ['secretary'], nearest: true }] },
      });
      assert.equal(nearest.notified, 1, 'the nearest above');
    }
  });

  it('counts members without a sign-in account as unreachable', async () => {
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where user_id is null limit 1`,
    );
    const r = await send({ dedupeKey: 'nouser', recipients: { members: [m!.id] } });
    assert.equal(r.unreachable, 1);
    assert.equal(r.notified, 0);
  });

  it("marks one notice read, refuses someone else's (404), and marks all read", async () => {
    await send({ dedupeKey: 'inbox-2' });
    await send({ dedupeKey: 'inbox-3' });
    const list = await get('/notifications?unread=true', member);
    assert.equal(list.body.unread, 3);
    assert.equal(list.body.items.length, 3);
    const first = list.body.items[0].id;
    const read = await t.request({ method: 'POST', url: `/api/v1/notifications/${first}/read`, token: member });
    assert.deepEqual(read.body, { unread: 2 });
    const notMine = await t.request({ method: 'POST', url: `/api/v1/notifications/${first}/read`, token: secretary });
    assert.equal(notMine.status, 404);
    const all = await t.request({ method: 'POST', url: '/api/v1/notifications/read-all', token: member });
    assert.deepEqual(all.body, { updated: 2, unread: 0 });
    const after = await get('/notifications', member);
    assert.equal(after.body.unread, 0);
    assert.ok(after.body.items.every((n: { readAt: string | null }) => n.readAt));
  });

  it('pages the inbox newest first and refuses a page size over 200 in Chinese', async () => {
    for (let i = 0; i < 5; i++)
      await send({
        dedupeKey: `page-${i}`,
        data: { title: `第${i}次`, orgName: '', kindLabel: '', startsAt: '', location: '' },
      });
    const p1 = await get('/notifications?page=1&pageSize=2', member);
    const p2 = await get('/notifications?page=2&pageSize=2', member);
    assert.equal(p1.body.items.length, 2);
    assert.equal(p1.body.items[0].title, '【会议通知】第4次');
    assert.equal(p2.body.items[0].title, '【会议通知】第2次');
    assert.equal(p1.body.total, p2.body.total);
    const bad = await get('/notifications?pageSize=500', member);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /每页最多 200 条/);
  });

  it('leaves out kinds the user muted, unless the notice is urgent', async () => {
    const saved = await put('/me/notify-settings', member, {
      email: null,
      channels: { email: false, sms: false },
      quietHours: { start: '22:00', end: '07:00' },
      mutedKinds: ['meeting.notice'],
    });
    assert.equal(saved.status, 200, saved.raw);
    assert.deepEqual(saved.body.mutedKinds, ['meeting.notice']);
    assert.equal((await send({ dedupeKey: 'muted-1' })).notified, 0);
    assert.equal((await send({ dedupeKey: 'muted-2', urgent: true })).notified, 1);
    await put('/me/notify-settings', member, {
      email: null,
      channels: { email: false, sms: false },
      quietHours: null,
      mutedKinds: [],
    });
  });

  it('refuses settings it cannot honour with a Chinese 400: e-mail or SMS not configured, a bad time', async () => {
    const email = await put('/me/notify-settings', member, {
      email: 'a@b.cn',
      channels: { email: true, sms: false },
      quietHours: null,
      mutedKinds: [],
    });
    assert.equal(email.status, 400);
    assert.match(email.body.error.message, /未配置邮件服务/);
    const sms = await put('/me/notify-settings', member, {
      email: null,
      channels: { email: false, sms: true },
      quietHours: null,
      mutedKinds: [],
    });
    assert.match(sms.body.error.message, /未配置短信服务/);
    const time = await put('/me/notify-settings', member, {
      email: null,
      channels: { email: false, sms: false },
      quietHours: { start: '25:00', end: '07:00' },
      mutedKinds: [],
    });
    assert.equal(time.status, 400);
    assert.match(time.body.error.message, /HH:MM/);
    const got = await get('/me/notify-settings', member);
    assert.deepEqual(got.body.available, { email: false, sms: false });
    assert.equal(got.body.hasPhone, true, '陈志远 has a phone on his member record');
  });

  it('checks template placeholders when an admin saves one, previews it, and uses it for the next notice', async () => {
    const admin = await t.login('admin');
    // The seeded admin must change the password first.
    await post('/auth/password', admin, { oldPassword: 'Initial-Pass-1', newPassword: 'Changed-Pass-2' });
    const bad = await put('/notify/templates/meeting.notice', admin, {
      title: '{{titel}} 通知',
      body: '{{title}} 在 {{place}}',
      urgent: false,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'UNKNOWN_PLACEHOLDER');
    assert.match(bad.body.error.message, /\{\{titel\}\}、\{\{place\}\}/);
    assert.match(bad.body.error.message, /可用的有：\{\{title\}\}/);
    const preview = await post('/notify/templates/preview', admin, {
      kind: 'meeting.notice',
      title: '开会：{{title}}',
      body: '{{startsAt}}，{{location}}',
      urgent: false,
    });
    assert.deepEqual(preview.body, { title: '开会：3月主题党日活动', body: '3月5日（周四）14:30，三楼会议室' });
    const unknownKind = await put('/notify/templates/nope', admin, { title: 'x', body: 'y', urgent: false });
    assert.equal(unknownKind.status, 404);
    const ok = await put('/notify/templates/meeting.notice', admin, {
      title: '开会：{{title}}',
      body: '{{startsAt}}，{{location}}',
      urgent: false,
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.customized, true);
    await send({ dedupeKey: 'tpl-1' });
    const list = await get('/notifications?pageSize=1', member);
    assert.equal(list.body.items[0].title, '开会：主题党日');
    const reset = await del('/notify/templates/meeting.notice', admin);
    assert.equal(reset.body.customized, false);
    assert.equal(reset.body.title, '【会议通知】{{title}}');
  });

  it('pushes a new notice to an open stream at once, and a reconnect with Last-Event-ID gets what it missed', async () => {
    const refused = await fetch(`${url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${member}` },
    });
    assert.equal(refused.status, 406, 'not an EventSource');
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /EventSource/);

    await t.request({ method: 'POST', url: '/api/v1/notifications/read-all', token: member });
    const res = await fetch(`${url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${member}`, accept: 'text/event-stream' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    let sentAt = 0;
    const events = await readEvents(res, (evs) => {
      if (evs.length === 1 && sentAt === 0) {
        sentAt = Date.now();
        void send({
          dedupeKey: 'live-1',
          data: { title: '实时推送', orgName: '', kindLabel: '', startsAt: '', location: '' },
        });
      }
      return evs.some((e) => e.event === 'notification');
    });
    const latency = Date.now() - sentAt;
    assert.equal(events[0]!.event, 'hello');
    const pushed = events.find((e) => e.event === 'notification')!;
    assert.ok(pushed, 'the notice arrived on the stream');
    assert.equal((pushed.data.item as { title: string }).title, '【会议通知】实时推送');
    assert.equal(pushed.data.unread, 1);
    assert.ok(latency < 2000, `within 2 s (${latency} ms)`);

    // Two notices while the tab was closed; the browser reconnects with the last id it saw.
    await send({ dedupeKey: 'missed-1' });
    await send({ dedupeKey: 'missed-2' });
    const again = await fetch(`${url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${member}`, accept: 'text/event-stream', 'last-event-id': pushed.id! },
    });
    const caught = (
      await readEvents(again, (evs) => evs.filter((e) => e.event === 'notification').length >= 2, 3000)
    ).filter((e) => e.event === 'notification');
    assert.equal(caught.length, 2, 'the two it missed, no more');
    assert.ok(caught.every((e) => Number(e.id) > Number(pushed.id)));
    assert.equal(caught[1]!.data.unread, 3);
  });

  it('tells an open stream when the unread count changes elsewhere (read in another tab)', async () => {
    const res = await fetch(`${url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${member}`, accept: 'text/event-stream' },
    });
    let acted = false;
    const events = await readEvents(res, (evs) => {
      if (evs.length === 1 && !acted) {
        acted = true;
        void t.request({ method: 'POST', url: '/api/v1/notifications/read-all', token: member });
      }
      return evs.some((e) => e.event === 'unread');
    });
    const unread = events.find((e) => e.event === 'unread');
    assert.ok(unread, 'an unread event came');
    assert.equal(unread.data.unread, 0);
  });
});
