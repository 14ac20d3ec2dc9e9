/**
 * 网上课堂/讲座 on the demo enterprise, through the real HTTP stack — the live Q&A over a real listening
 * server on loopback, read as a browser's EventSource reads it: a question approved by the moderator reaches
 * another member's open room; a pending one reaches only its asker and the moderators. Joining during the
 * lecture records attendance once, as 党课 attendance of the member's org in the meeting module (its
 * minutes, the 台账 data and the compliance counters). Asking or joining outside the lecture's time is 409;
 * script in a question, an empty or too long one and a javascript: stream address are refused in Chinese.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chinaDate, nowMs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { OrgRef } from '../../platform/access';
import { queryRows } from '../../platform/db';
import { fileStore } from '../../platform/files';
import { multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { openEventStream, type ServerEvent } from '../../testing/sse';
import { loadLedger } from '../meeting/ledger';
import { personalLectures } from './lectures';

describe('media: 网上课堂/讲座', () => {
  let t: TestApp;
  let url: string;
  let shuji: string; // secretary, 第一发电厂党支部: the hosting org's moderator
  let shuji2: string; // secretary, 研发中心党支部 (elsewhere)
  let member: string; // dangyuan 陈志远, 第一发电厂党支部
  let jijian: string; // another member of 第一发电厂党支部 (linked to a member record)
  let branchId: string;
  let live: { id: string };

  const at = (minutes: number) => new Date(nowMs() + minutes * 60_000).toISOString();
  const { get, post, patch } = api(() => t);
  const lecture = async (over: Record<string, unknown> = {}, publish = true) => {
    const r = await post('/media/lectures', shuji, {
      orgId: branchId,
      title: '网上党课测试',
      speaker: '张建国',
      startsAt: at(-10),
      endsAt: at(60),
      streamUrl: 'https://live.example.cn/test',
      ...over,
    });
    assert.equal(r.status, 201, r.raw);
    if (publish) {
      const p = await post(`/media-lectures/${r.body.id}/publish`, shuji);
      assert.equal(p.status, 200, p.raw);
      return p.body;
    }
    return r.body;
  };
  const stream = async (id: string, token: string) => {
    const res = await fetch(`${url}/api/v1/media-lectures/${id}/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    return openEventStream(res);
  };

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, member, jijian] = await signIn(t, 'shuji', 'shuji2', 'dangyuan', 'jijian');
    branchId = await t.orgId('第一发电厂党支部');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    live = await lecture({ title: '直播讲座：学习党章' });
  });
  after(() => t.close());

  it('is created as a draft by the branch secretary, hidden from members until published, and published with a notice to the subtree', async () => {
    const d = await lecture({ title: '草稿讲座' }, false);
    assert.equal(d.status, 'draft');
    assert.equal(d.canEdit, true);
    assert.equal((await get(`/media-lectures/${d.id}`, member)).status, 404, 'a draft is hidden from members');
    assert.ok(
      !(await get('/media/lectures?pageSize=200', member)).body.items.some((l: { id: string }) => l.id === d.id),
    );
    // Members may not create one.
    assert.equal(
      (
        await post('/media/lectures', member, {
          orgId: branchId,
          title: 'x',
          speaker: 'y',
          startsAt: at(0),
          endsAt: at(30),
        })
      ).status,
      403,
    );
    const pub = await post(`/media-lectures/${d.id}/publish`, shuji);
    assert.equal(pub.status, 200, pub.raw);
    const inbox = (await get('/notifications?pageSize=50', member)).body;
    assert.ok(
      inbox.items.some(
        (n: { title: string; link: string }) =>
          n.title === '【网上课堂】草稿讲座' && n.link === `/media/lectures/${d.id}`,
      ),
      JSON.stringify(inbox.items.slice(0, 3).map((n: { title: string }) => n.title)),
    );
    const seen = (await get(`/media-lectures/${d.id}`, member)).body;
    assert.equal(seen.canAttend, true);
    assert.equal(seen.canModerate, false);
    assert.equal(seen.phase, 'live');
    assert.ok(
      (await get('/media/lectures?pageSize=200', member)).body.items.some((l: { id: string }) => l.id === d.id),
    );
    // A member of another subsidiary does not reach it.
    assert.equal((await get(`/media-lectures/${d.id}`, shuji2)).status, 404);
  });

  it('refuses a javascript: or ftp stream address, a lecture ending before it starts, and publishing without video or stream', async () => {
    for (const streamUrl of ['javascript:alert(1)', 'ftp://x.example.cn/a', 'https://x.example.cn/<script>']) {
      const r = await post('/media/lectures', shuji, {
        orgId: branchId,
        title: 't',
        speaker: 's',
        startsAt: at(0),
        endsAt: at(30),
        streamUrl,
      });
      assert.equal(r.status, 400, `${streamUrl}: ${r.raw}`);
      assert.match(r.raw, /直播地址|脚本/);
    }
    const back = await post('/media/lectures', shuji, {
      orgId: branchId,
      title: 't',
      speaker: 's',
      startsAt: at(30),
      endsAt: at(0),
    });
    assert.equal(back.status, 422);
    assert.match(back.body.error.message, /结束时间须晚于开始时间/);
    const bare = await lecture({ streamUrl: null }, false);
    const p = await post(`/media-lectures/${bare.id}/publish`, shuji);
    assert.equal(p.status, 422);
    assert.match(p.body.error.message, /上传讲座视频或填写直播地址/);
    // A video upload is checked like every video (sniffed MP4/WebM), then publishing works.
    const fake = multipartFile(Buffer.from('not a video at all'), 'lecture.mp4');
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/media-lectures/${bare.id}/video`,
      payload: fake.body,
      headers: { ...fake.headers, authorization: `Bearer ${shuji}` },
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /视频须为 MP4 或 WebM/);
    const mp4 = Buffer.concat([
      Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'),
      Buffer.alloc(64),
    ]);
    const good = multipartFile(mp4, 'lecture.mp4');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/media-lectures/${bare.id}/video`,
      payload: good.body,
      headers: { ...good.headers, authorization: `Bearer ${shuji}` },
    });
    assert.equal(up.statusCode, 201, up.body);
    assert.equal((await post(`/media-lectures/${bare.id}/publish`, shuji)).status, 200);
    const v = await fetch(`${url}/api/v1/media-lectures/${bare.id}/video`, {
      headers: { authorization: `Bearer ${member}`, range: 'bytes=0-7' },
    });
    assert.equal(v.status, 206);
    assert.equal(v.headers.get('content-type'), 'video/mp4');
    assert.equal((await v.arrayBuffer()).byteLength, 8);
  });

  it('pushes a question approved by the moderator to another member’s open room within 2 seconds; pending, it reaches only the asker and the moderator', async () => {
    const other = await stream(live.id, member); // 陈志远's open room
    const asker = await stream(live.id, jijian);
    const moderator = await stream(live.id, shuji);
    try {
      assert.ok((await other.until((e) => e.some((x) => x.event === 'hello'))) >= 0, 'hello');
      assert.ok(
        (await moderator.until((e) => e.some((x) => x.event === 'hello' && x.data.moderator === true))) >= 0,
        'the moderator is told so',
      );
      const q = await post(`/media-lectures/${live.id}/questions`, jijian, {
        text: '  如何把党章学习与安全生产结合起来？ ',
      });
      assert.equal(q.status, 201, q.raw);
      assert.equal(q.body.status, 'pending');
      assert.equal(q.body.text, '如何把党章学习与安全生产结合起来？');
      const isQ = (status: string) => (e: ServerEvent[]) =>
        e.some((x) => x.event === 'question' && x.data.id === q.body.id && x.data.status === status);
      assert.ok((await moderator.until(isQ('pending'))) >= 0, 'the moderator sees it pending');
      assert.ok((await asker.until(isQ('pending'))) >= 0, 'the asker sees their own pending question');
      // Not on the other member's room, nor in their list.
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(
        !other.events.some((x) => x.event === 'question' && x.data.id === q.body.id),
        'pending is not pushed to others',
      );
      const list = (await get(`/media-lectures/${live.id}/questions`, member)).body;
      assert.ok(!list.items.some((x: { id: string }) => x.id === q.body.id), 'pending is not listed to others');
      assert.ok(
        (await get(`/media-lectures/${live.id}/questions`, shuji)).body.items.some(
          (x: { id: string; status: string }) => x.id === q.body.id && x.status === 'pending',
        ),
      );

      const t0 = Date.now();
      const ok = await post(`/media-lecture-questions/${q.body.id}/decide`, shuji, { approve: true });
      assert.equal(ok.status, 200, ok.raw);
      const waited = await other.until(isQ('approved'), 2000);
      assert.ok(waited >= 0, 'the approved question reached the other member’s room');
      assert.ok(Date.now() - t0 < 2000, `within 2 s (took ${Date.now() - t0} ms)`);
      const pushed = other.events.find((x) => x.event === 'question' && x.data.id === q.body.id)!;
      assert.ok(
        typeof pushed.data.askerName === 'string' && pushed.data.askerName !== '' && pushed.data.askerName !== 'jijian',
        'the asker’s member name',
      );
      assert.equal(pushed.data.mine, false);
      assert.ok((await asker.until(isQ('approved'))) >= 0);
      // Deciding twice is refused.
      const again = await post(`/media-lecture-questions/${q.body.id}/decide`, shuji, { approve: false });
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /已通过/);
      // A rejected one stays with its asker.
      const r2 = await post(`/media-lectures/${live.id}/questions`, jijian, { text: '第二个问题' });
      assert.equal(
        (await post(`/media-lecture-questions/${r2.body.id}/decide`, shuji, { approve: false })).status,
        200,
      );
      assert.ok(
        (await asker.until((e) =>
          e.some((x) => x.event === 'question' && x.data.id === r2.body.id && x.data.status === 'rejected'),
        )) >= 0,
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(
        !other.events.some((x) => x.event === 'question' && x.data.id === r2.body.id),
        'a rejected question never reaches others',
      );
    } finally {
      await Promise.all([other.close(), asker.close(), moderator.close()]);
    }
  });

  it('sends a reconnecting room the questions it may see, refuses a non-EventSource client, and drops closed rooms', async () => {
    const refused = await fetch(`${url}/api/v1/media-lectures/${live.id}/stream`, {
      headers: { authorization: `Bearer ${member}` },
    });
    assert.equal(refused.status, 406);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /EventSource/);
    const s = await stream(live.id, member);
    assert.ok(
      (await s.until((e) => e.some((x) => x.event === 'question' && x.data.status === 'approved'))) >= 0,
      'approved questions on connect',
    );
    assert.ok(!s.events.some((x) => x.event === 'question' && x.data.status !== 'approved'), 'nothing else of others');
    await s.close();
  });

  it('refuses a question with script or handlers, an empty one and one over 300 characters in Chinese; another org’s question cannot be decided (404)', async () => {
    for (const text of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)']) {
      const r = await post(`/media-lectures/${live.id}/questions`, member, { text });
      assert.equal(r.status, 400, r.raw);
      assert.match(r.raw, /不能包含脚本/);
    }
    const empty = await post(`/media-lectures/${live.id}/questions`, member, { text: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.raw, /请填写提问内容/);
    const long = await post(`/media-lectures/${live.id}/questions`, member, { text: '问'.repeat(301) });
    assert.equal(long.status, 400);
    assert.match(long.raw, /不能超过 300 字/);
    const mine = await post(`/media-lectures/${live.id}/questions`, member, { text: '本支部的问题' });
    assert.equal(mine.status, 201);
    // 刘芳 (研发中心党支部) moderates her own branch's lectures only.
    assert.equal(
      (await post(`/media-lecture-questions/${mine.body.id}/decide`, shuji2, { approve: true })).status,
      404,
    );
    // A member is no moderator.
    assert.equal(
      (await post(`/media-lecture-questions/${mine.body.id}/decide`, member, { approve: true })).status,
      403,
    );
  });

  it('records joining once per member as 党课 attendance of the member’s branch: minutes, 台账 data and the compliance counter', async () => {
    const l = await lecture({ title: '台账测试讲座' });
    const year = Number(chinaDate(new Date(l.startsAt)).slice(0, 4));
    const tally = async () =>
      (
        await queryRows<{ n: number }>(
          t.services.db,
          sql`select coalesce(sum(m1+m2+m3+m4+m5+m6+m7+m8+m9+m10+m11+m12), 0)::int as n from meeting_tally where org_id = ${branchId} and kind = 'lecture' and year = ${year}`,
        )
      )[0]!.n;
    const before = await tally();
    const first = await post(`/media-lectures/${l.id}/join`, member);
    assert.equal(first.status, 200, first.raw);
    assert.deepEqual(first.body, { joined: true, recorded: true, orgName: first.body.orgName });
    const second = await post(`/media-lectures/${l.id}/join`, member);
    assert.equal(second.status, 200);
    assert.equal(second.body.recorded, false, 'once per member');
    assert.equal((await post(`/media-lectures/${l.id}/join`, jijian)).body.recorded, true);
    assert.equal((await get(`/media-lectures/${l.id}`, member)).body.joined, true);
    assert.equal((await get(`/media-lectures/${l.id}`, shuji)).body.attendees, 2);
    // One 党课 of the branch for the lecture, held, with both members signed in online — seen through the meeting module.
    const meetings = (
      await get(`/meetings?orgId=${branchId}&kind=lecture&q=${encodeURIComponent('台账测试讲座')}`, shuji)
    ).body;
    assert.equal(
      meetings.total,
      1,
      JSON.stringify(meetings.items.map((m: { title: string; orgName: string }) => `${m.orgName}:${m.title}`)),
    );
    const m = meetings.items[0];
    assert.equal(m.title, '网上党课：台账测试讲座');
    assert.equal(m.status, 'held');
    assert.equal(m.orgName, '第一发电厂党支部');
    assert.equal(m.counts.signedIn, 2);
    const minutes = (await get(`/meetings/${m.id}/minutes`, shuji)).body;
    assert.equal(minutes.attendees.length, 2);
    assert.ok(
      minutes.attendees.some((a: { name: string; method: string }) => a.name === '陈志远' && a.method === 'online'),
      JSON.stringify(minutes.attendees),
    );
    assert.equal(minutes.speaker, '张建国');
    assert.equal(await tally(), before + 1, 'counted once for the branch’s 党课');
    // Its time can no longer move (the 党课 records keep it); the title still can.
    const moved = await patch(`/media-lectures/${l.id}`, shuji, { endsAt: at(120) });
    assert.equal(moved.status, 409);
    assert.match(moved.body.error.message, /已有 2 名党员进入课堂并计入党课，不能再修改讲座时间/);
    assert.equal((await patch(`/media-lectures/${l.id}`, shuji, { summary: '补充简介' })).status, 200);
    // The 台账 (ledger) data of the branch for the lecture's day names 陈志远 among those present.
    const [o] = await queryRows<OrgRef>(
      t.services.db,
      sql`select id, path, tenant_id as "tenantId", name, kind from org where id = ${branchId}`,
    );
    const day = chinaDate(new Date(l.startsAt));
    const ledger = await loadLedger(
      t.services.db,
      fileStore(() => t.services.config.dataDir),
      t.tenantId,
      o!,
      day,
      day,
    );
    const entry = ledger.entries.find((e) => e.id === m.id);
    assert.ok(entry, 'the online 党课 is in the branch’s 台账');
    assert.equal(entry.kind, 'lecture');
    assert.ok(entry.minutes.attendees.some((a) => a.name === '陈志远'));
    // Personal data: the member's joining is in their copy.
    const [u] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'dangyuan'`,
    );
    const mine = await personalLectures(t.services.db, t.tenantId, u!.id);
    assert.ok(mine.attended.some((a) => a.lectureId === l.id));
  });

  it('refuses asking and joining before the lecture starts and after it ends with 409 and a Chinese message', async () => {
    const soon = await lecture({ title: '明天的讲座', startsAt: at(24 * 60), endsAt: at(25 * 60) });
    const ask = await post(`/media-lectures/${soon.id}/questions`, member, { text: '提前提问' });
    assert.equal(ask.status, 409);
    assert.match(ask.body.error.message, /讲座尚未开始，不能提问/);
    const join = await post(`/media-lectures/${soon.id}/join`, member);
    assert.equal(join.status, 409);
    assert.match(join.body.error.message, /讲座尚未开始/);
    const ended = await lecture({ title: '已结束的讲座' });
    assert.equal(
      (await patch(`/media-lectures/${ended.id}`, shuji, { startsAt: at(-120), endsAt: at(-60) })).status,
      200,
    );
    const late = await post(`/media-lectures/${ended.id}/questions`, member, { text: '迟到的提问' });
    assert.equal(late.status, 409);
    assert.match(late.body.error.message, /讲座已结束/);
    const lateJoin = await post(`/media-lectures/${ended.id}/join`, member);
    assert.equal(lateJoin.status, 409);
    assert.match(lateJoin.body.error.message, /讲座已结束/);
    assert.equal((await get(`/media-lectures/${ended.id}`, member)).body.phase, 'ended');
    // Nothing was recorded for either.
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from media_lecture_attendance where lecture_id in (${soon.id}, ${ended.id})`,
    );
    assert.equal(n!.n, 0);
  });
});
