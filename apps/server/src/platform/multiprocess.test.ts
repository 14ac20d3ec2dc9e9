/**
 * Several server processes on one PostgreSQL (issue 26): two real servers (main.ts as child processes,
 * testing/serverProcess.ts) on two loopback ports and one database, as behind a round-robin load balancer.
 *
 * - both start at the same moment on an empty database: one migrates and seeds, the other waits for it;
 * - a session made on A works on B, and signing out on A ends it on B;
 * - a write through A is seen fresh on B (B's result cache is invalidated by the change feed);
 * - a notice caused on A reaches a live stream (SSE) held open on B;
 * - a scheduled occurrence runs once, not once per process;
 * - wrong meeting sign-in codes and a public route's rate limit are counted across both;
 * - a process whose secret key is not the database's refuses to start.
 *
 * Needs PostgreSQL (XF_TEST_PG_URL); skipped with a message otherwise.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import { freshPostgres } from '../testing/harness';
import {
  api,
  login,
  publishMeeting,
  schedulerTicks,
  secretaryOrg,
  startServer,
  within,
  writeSeenFreshAcross,
  type ServerProcess,
} from '../testing/serverProcess';
import { openEventStream } from '../testing/sse';
import { DEMO_PASSWORD } from '../demo/seed';
import os from 'node:os';
import path from 'node:path';

const SECRET = 'multi-process-test-secret-0123456789';
const METRICS_TOKEN = 'multi-process-metrics-token-0123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const noPostgres = !process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run (set XF_TEST_PG_URL)';

describe('two server processes on one PostgreSQL', { skip: noPostgres }, () => {
  let db: { url: string; drop(): Promise<void> };
  let a: ServerProcess;
  let b: ServerProcess;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-multi-'));
    dirs.push(d);
    return d;
  };
  const env = () => ({
    DATABASE_URL: db.url,
    XF_DATA_DIR: tmp(),
    XF_SECRET_KEY: SECRET,
    XF_DEMO: '1',
    XF_TEST_TICK: '* * * * * *',
    XF_JOB_POLL_MS: '50',
    XF_METRICS_TOKEN: METRICS_TOKEN,
  });

  before(async () => {
    db = (await freshPostgres())!;
    // Both at once on the empty database, as an orchestrator starts two replicas: the start-up lock lets one
    // migrate, bootstrap and seed while the other waits, then the other finds everything done.
    [a, b] = await Promise.all([startServer(env()), startServer(env())]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('starts both at once on an empty database: one seeds, the other joins (one demo enterprise, not two)', async () => {
    assert.ok(a && b, 'both servers are listening');
    const token = await login(a.url, 'zuzhibu', DEMO_PASSWORD);
    const orgs = await api(b.url, token, '/orgs');
    assert.equal(orgs.status, 200, JSON.stringify(orgs.body));
    const roots = (orgs.body as { items: { name: string }[] }).items.filter((o) => o.name === '华夏能源集团党委');
    assert.equal(roots.length, 1, `one root org: ${JSON.stringify(orgs.body).slice(0, 300)}`);
  });

  it('a session made on A works on B, and signing out on A ends it on B', async () => {
    const token = await login(a.url, 'shuji', DEMO_PASSWORD);
    const onB = await api(b.url, token, '/me');
    assert.equal(onB.status, 200, 'the session works on the other process');
    assert.equal((onB.body as { username: string }).username, 'shuji');
    // B has the principal cached now; the sign-out on A must reach it through the change feed.
    const out = await api(a.url, token, '/auth/logout', { method: 'POST' });
    assert.ok(out.status < 300, `signed out on A (${out.status})`);
    const took = await within(5000, async () => (await api(b.url, token, '/me')).status === 401);
    assert.ok(took >= 0, 'B refuses the ended session within 5 s');
  });

  it('a write through A is seen fresh on B (the result cache is invalidated across processes)', async () => {
    await writeSeenFreshAcross(a.url, b.url, '跨进程', '11010519800101123');
  });

  it('a notice caused on A reaches a live stream held open on B', async () => {
    const member = await login(b.url, 'dangyuan', DEMO_PASSWORD);
    const res = await fetch(`${b.url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${member}`, accept: 'text/event-stream' },
    });
    assert.equal(res.status, 200);
    const stream = openEventStream(res);
    try {
      assert.ok((await within(5000, async () => stream.events.some((e) => e.event === 'hello'))) >= 0, 'hello on B');
      // The branch secretary publishes a meeting on A: every member of the branch gets a notice.
      const secretary = await login(a.url, 'shuji', DEMO_PASSWORD);
      await publishMeeting(a.url, secretary, await secretaryOrg(a.url, secretary), '跨进程推送测试');
      const took = await within(5000, async () =>
        stream.events.some((e) => e.event === 'notification' && JSON.stringify(e.data).includes('跨进程推送测试')),
      );
      assert.ok(
        took >= 0,
        `the notice reached the stream on B within 5 s: ${JSON.stringify(stream.events).slice(0, 500)}`,
      );
    } finally {
      await stream.close();
    }
  });

  it('runs each scheduled occurrence once, not once per process', async () => {
    await sleep(3000);
    const all = [...schedulerTicks(a), ...schedulerTicks(b)];
    const dupes = all.filter((x, i) => all.indexOf(x) !== i);
    assert.deepEqual(
      dupes,
      [],
      `each occurrence on one process only: A ${schedulerTicks(a).join(' ')} | B ${schedulerTicks(b).join(' ')}`,
    );
    assert.ok(all.length >= 3, `the schedule ran (${all.length} occurrences)`);
  });

  it('each process answers its own metrics, with its PostgreSQL pool', async () => {
    for (const s of [a, b]) {
      const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /^xf_db_pool_connections\{state="total"\} [1-9]/m, 'pool connections in use');
      assert.match(text, /^xf_db_pool_max 10$/m, 'the pool size');
      assert.match(text, /^xf_change_feed_up 1$/m, 'the change feed is up');
      assert.match(
        text,
        /^xf_http_requests_total\{method="GET",route="\/api\/v1\/me",status="200"\} \d+$/m,
        'its own requests',
      );
    }
  });

  it('counts wrong sign-in codes across processes: five wrong codes, some on A and some on B, lock the member out', async () => {
    const secretary = await login(a.url, 'shuji', DEMO_PASSWORD);
    const member = await login(b.url, 'dangyuan', DEMO_PASSWORD);
    const me = (await api(a.url, secretary, '/me')).body as { roles: { role: string; orgId: string }[] };
    const created = await api(a.url, secretary, '/meetings', {
      method: 'POST',
      body: JSON.stringify({
        orgId: me.roles.find((r) => r.role === 'secretary')!.orgId,
        kind: 'party_congress',
        title: '跨进程猜码测试',
        startsAt: new Date(nowMs() - 10 * 60_000).toISOString(),
        endsAt: new Date(nowMs() + 80 * 60_000).toISOString(),
        location: '党员活动室',
        mode: 'hybrid',
        online: { service: 'tencent', link: 'https://meeting.tencent.com/dm/MultiProc1', number: '123 456 789' },
      }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = (created.body as { id: string }).id;
    assert.equal((await api(a.url, secretary, `/meetings/${id}/publish`, { method: 'POST', body: '{}' })).status, 200);
    const code = ((await api(a.url, secretary, `/meetings/${id}/remote-code`)).body as { code: string }).code;
    const wrong = ['000000', '111111', '222222', '333333', '444444', '555555'].filter((c) => c !== code).slice(0, 5);
    for (const [i, c] of wrong.entries()) {
      const r = await api(i % 2 ? b.url : a.url, member, `/meetings/${id}/remote-checkin`, {
        method: 'POST',
        body: JSON.stringify({ code: c }),
      });
      assert.equal((r.body as { error: { code: string } }).error.code, 'CHECKIN_CODE_INVALID', `wrong code ${i + 1}`);
    }
    // Three wrong codes went to A and two to B: each process alone would still let the right code in.
    const locked = await api(b.url, member, `/meetings/${id}/remote-checkin`, {
      method: 'POST',
      body: JSON.stringify({ code }),
    });
    assert.equal(locked.status, 429, JSON.stringify(locked.body));
    assert.equal((locked.body as { error: { code: string } }).error.code, 'CHECKIN_CODE_LOCKED');
  });

  it('limits a public route per address across processes: the limit holds for A and B together', async () => {
    // XF_PUBLIC_RATE_PER_MIN is 60: 70 requests from this address, alternating, are 35 per process — under the
    // limit of each process alone, over the limit of the two together. (Sign-ins above use another route.)
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await fetch(`${i % 2 ? b.url : a.url}/api/v1/public/articles`)).status);
    assert.ok(
      statuses.every((s) => s < 500),
      `no 5xx: ${statuses.join(' ')}`,
    );
    const first = statuses.indexOf(429);
    assert.ok(
      first >= 0 && first <= 60,
      `refused from the 61st request on, whichever process answers: ${statuses.join(' ')}`,
    );
    assert.ok(
      statuses.slice(61).every((s) => s === 429),
      'and after',
    );
  });

  it('refuses to start a process whose secret key is not the one the database was written with', async () => {
    await assert.rejects(
      startServer({ ...env(), XF_SECRET_KEY: 'another-key-another-key-another-key' }),
      (err: Error) => /XF_SECRET_KEY/.test(err.message),
      'a third process with another key stops at start, naming XF_SECRET_KEY',
    );
  });
});
