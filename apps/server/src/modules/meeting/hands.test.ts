/**
 * 举手 (issue #27): during a meeting a signed-in member raises and lowers their own hand; the host sees the raised
 * hands in the order they went up, calls on one (the member's page says so) and clears it. Refused before sign-in,
 * after leaving early, outside the meeting, twice; a member cannot touch another member's hand nor the queue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { hybridMeeting, iso, MIN, remoteCode } from './testing';

describe('举手: raising a hand in a live meeting, the host’s queue', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let dangyuan: string;
  let jijian: string;
  let branch: string;
  const meeting = (over: Record<string, unknown> = {}) =>
    hybridMeeting(t, shuji, branch, { title: '党员大会（举手）', ...over });
  const code = (id: string) => remoteCode(t, shuji, id);

  before(async () => {
    t = await startTestApp();
    [shuji, dangyuan, jijian] = await signIn(t, 'shuji', 'dangyuan', 'jijian');
    branch = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  it('queues raised hands in order; the host calls on and clears them; the member’s page follows', async () => {
    const id = await meeting();
    const chen = await t.memberId('dangyuan');
    const xiong = await t.memberId('jijian');
    // Before signing in: refused.
    const early = await post(`/meetings/${id}/hand`, dangyuan, { raised: true });
    assert.equal(early.status, 422, early.raw);
    assert.equal(early.body.error.code, 'NOT_SIGNED_IN');
    assert.equal((await post(`/meetings/${id}/remote-checkin`, dangyuan, { code: await code(id) })).status, 200);
    assert.equal((await post(`/meetings/${id}/remote-checkin`, jijian, { code: await code(id) })).status, 200);

    const up = await post(`/meetings/${id}/hand`, dangyuan, { raised: true });
    assert.equal(up.status, 200, up.raw);
    assert.equal(up.body.position, 1);
    const twice = await post(`/meetings/${id}/hand`, dangyuan, { raised: true });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'HAND_ALREADY_RAISED');
    assert.match(twice.body.error.message, /已举手/);
    const second = await post(`/meetings/${id}/hand`, jijian, { raised: true });
    assert.equal(second.body.position, 2, second.raw);

    // The host's queue: in the order the hands went up.
    const q = await get(`/meetings/${id}/hands`, shuji);
    assert.equal(q.status, 200, q.raw);
    assert.equal(q.body.total, 2);
    assert.deepEqual(
      q.body.items.map(
        (h: { position: number; memberId: string; name: string; online: boolean; calledAt: string | null }) => [
          h.position,
          h.memberId,
          h.name,
          h.online,
          h.calledAt,
        ],
      ),
      [
        [1, chen, '陈志远', true, null],
        [2, xiong, '熊浩', true, null],
      ],
    );
    // The host calls on 陈志远: his page says so; calling twice is refused.
    const called = await post(`/meetings/${id}/hands/${chen}`, shuji, { action: 'call' });
    assert.equal(called.status, 200, called.raw);
    assert.ok(called.body.items[0].calledAt, 'the called hand is marked');
    const room = await get(`/meetings/${id}/room`, dangyuan);
    assert.ok(room.body.hand.calledAt, JSON.stringify(room.body.hand));
    assert.equal(room.body.hand.position, 1);
    assert.equal(room.body.canRaiseHand, true);
    assert.equal(
      (await post(`/meetings/${id}/hands/${chen}`, shuji, { action: 'call' })).body.error.code,
      'HAND_ALREADY_CALLED',
    );
    // He has spoken: the host clears his hand; 熊浩 moves up; 熊浩 lowers his own.
    assert.equal((await post(`/meetings/${id}/hands/${chen}`, shuji, { action: 'clear' })).status, 200);
    assert.equal((await get(`/meetings/${id}/room`, jijian)).body.hand.position, 1);
    const down = await post(`/meetings/${id}/hand`, jijian, { raised: false });
    assert.equal(down.status, 200, down.raw);
    assert.equal(down.body.raisedAt, null);
    assert.equal((await post(`/meetings/${id}/hand`, jijian, { raised: false })).body.error.code, 'HAND_NOT_RAISED');
    assert.equal((await get(`/meetings/${id}/hands`, shuji)).body.total, 0);
    assert.equal(
      (await post(`/meetings/${id}/hands/${xiong}`, shuji, { action: 'call' })).body.error.code,
      'HAND_NOT_RAISED',
    );

    // Audited: raise, call, clear, lower.
    const actions = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where action like 'meeting.hand.%' and after->>'meetingId' = ${id} order by id`,
    );
    assert.deepEqual(
      actions.map((a) => a.action).sort(),
      [
        'meeting.hand.call',
        'meeting.hand.clear',
        'meeting.hand.lower',
        'meeting.hand.raise',
        'meeting.hand.raise',
      ].sort(),
    );

    // Left early: no more hands.
    assert.equal((await post(`/meetings/${id}/left-early`, shuji, { memberId: xiong })).status, 200);
    assert.equal((await post(`/meetings/${id}/hand`, jijian, { raised: true })).body.error.code, 'LEFT_EARLY');
  });

  it('refuses hands outside the meeting and keeps members off other members’ hands and the queue', async () => {
    const later = await meeting({ title: '稍后的党员大会', startsAt: iso(20 * MIN), endsAt: iso(80 * MIN) });
    const chen = await t.memberId('dangyuan');
    // Signed in by the secretary before the start (the window opens 30 minutes before), but the meeting has not begun.
    assert.equal((await post(`/meetings/${later}/checkin`, shuji, { memberId: chen })).status, 200);
    const notYet = await post(`/meetings/${later}/hand`, dangyuan, { raised: true });
    assert.equal(notYet.status, 422, notYet.raw);
    assert.equal(notYet.body.error.code, 'MEETING_NOT_IN_SESSION');

    const id = await meeting({ title: '党员大会（探针）' });
    assert.equal((await post(`/meetings/${id}/remote-checkin`, jijian, { code: await code(id) })).status, 200);
    assert.equal((await post(`/meetings/${id}/hand`, jijian, { raised: true })).status, 200);
    const xiong = await t.memberId('jijian');
    // Another member of the same branch: the queue and calling on / clearing 熊浩's hand are the host's (403).
    for (const [method, url, body] of [
      ['GET', `/meetings/${id}/hands`, undefined],
      ['POST', `/meetings/${id}/hands/${xiong}`, { action: 'clear' }],
      ['POST', `/meetings/${id}/hands/${xiong}`, { action: 'call' }],
    ] as const) {
      const r = await t.request({ method, url: `/api/v1${url}`, token: dangyuan, body });
      assert.equal(r.status, 403, `${method} ${url} → ${r.status} ${r.raw.slice(0, 120)}`);
    }
    // The own-hand route takes no member id: a body naming one is refused, and 熊浩's hand stays up.
    const named = await post(`/meetings/${id}/hand`, dangyuan, { raised: false, memberId: xiong });
    assert.equal(named.status, 400, named.raw);
    const bad = await post(`/meetings/${id}/hands/${xiong}`, shuji, { action: 'kick' });
    assert.equal(bad.status, 400);
    assert.match(bad.raw, /call（点名发言）或 clear（放下）/);
    const q = await get(`/meetings/${id}/hands`, shuji);
    assert.equal(q.body.total, 1, '熊浩’s hand is still up');

    // Another branch's host: 404 (the meeting is out of their scope).
    const shuji2 = await t.login('shuji2');
    assert.equal((await get(`/meetings/${id}/hands`, shuji2)).status, 404);
    assert.equal((await post(`/meetings/${id}/hands/${xiong}`, shuji2, { action: 'clear' })).status, 404);
  });
});
