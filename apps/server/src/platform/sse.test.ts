/**
 * The shared SSE registry (platform/sse.ts): the beat pings every open stream and ends (`bye`) the ones whose
 * session is gone; drop and close. The stream tests in notify and media cover the event fan-out; the beat runs
 * every 25 s, so it is called directly here rather than waited for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { logout } from './auth';
import { sha256 } from './crypto';
import { SseHub, type SseStream } from './sse';
import { startTestApp, type TestApp } from '../testing/harness';

type Fake = SseStream & { chunks: string[]; closed: boolean };
const fake = (tokenHash: string): Fake => {
  const s: Fake = {
    tokenHash,
    chunks: [],
    closed: false,
    write: (c) => void s.chunks.push(c),
    close: () => void (s.closed = true),
  };
  return s;
};

describe('platform: the SSE hub', () => {
  let t: TestApp;
  let tokenHash: string;
  before(async () => {
    t = await startTestApp();
    tokenHash = sha256(await t.login('dangyuan'));
  });
  after(() => t.close());

  it('pings live streams, ends those without a session, and ends the rest once the session is gone', async () => {
    const hub = new SseHub<Fake>(t.services.db, t.services.sessionPolicy, 60_000);
    let unsubscribed = 0;
    hub.onClose(() => unsubscribed++);
    const live = fake(tokenHash);
    const other = fake(tokenHash);
    const stale = fake(sha256('no such token'));
    hub.add('a', live);
    hub.add('a', stale);
    hub.add('b', other);
    assert.equal(hub.size, 3);
    assert.deepEqual(hub.keys(), ['a', 'b']);

    await hub.beat();
    assert.deepEqual(live.chunks, [': ping\n\n']);
    assert.equal(live.closed, false);
    assert.equal(stale.chunks[0], ': ping\n\n');
    assert.match(stale.chunks[1] ?? '', /^event: bye\ndata: .*登录已过期/);
    assert.equal(stale.closed, true);
    assert.equal(hub.size, 2);

    // The client going away: forgotten without a close (its response is already over).
    hub.drop('b', other, false);
    assert.equal(other.closed, false);
    assert.deepEqual(hub.keys(), ['a']);

    await logout(t.services.db, tokenHash);
    await hub.beat();
    assert.match(live.chunks.at(-1) ?? '', /^event: bye/);
    assert.equal(live.closed, true);
    assert.equal(hub.size, 0);
    assert.equal(hub.has('a'), false);

    const last = fake(tokenHash);
    hub.add('c', last);
    hub.close();
    assert.equal(last.closed, true);
    assert.equal(hub.size, 0);
    assert.equal(unsubscribed, 1);
  });
});
