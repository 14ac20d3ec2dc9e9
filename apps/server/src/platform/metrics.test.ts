/**
 * GET /metrics (issue 26): Prometheus text format, only for the configured bearer token; request counts and
 * latency by route template, cache hits, the job queue and the scheduler.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { now } from '@xianfeng/shared';
import { METRICS } from './counters';
import { enqueueJob } from './jobs';
import { api, startTestApp, type TestApp } from '../testing/harness';

const TOKEN = 'metrics-test-token-0123456789abcdef';

/** name{labels} → value, for every sample line. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1).replace('+Inf', 'Infinity')));
  }
  return out;
}

describe('metrics', () => {
  let t: TestApp;
  const { get } = api(() => t);
  before(async () => {
    t = await startTestApp({ env: { XF_METRICS_TOKEN: TOKEN } });
  });
  after(() => t.close());

  const scrape = (authorization?: string) =>
    t.request({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  it('answers only the configured token: not anonymous callers, wrong tokens, nor a signed-in admin', async () => {
    const anon = await scrape();
    assert.equal(anon.status, 401, anon.raw);
    assert.equal(anon.body.error.code, 'METRICS_TOKEN_REQUIRED');
    assert.match(anon.body.error.message, /监控令牌/);
    assert.equal((await scrape(`Bearer ${TOKEN}x`)).status, 401, 'a longer token');
    assert.equal((await scrape(`Bearer ${TOKEN.slice(0, -1)}`)).status, 401, 'a prefix of the token');
    assert.equal((await scrape('Bearer ')).status, 401, 'an empty token');
    const admin = await t.login('admin');
    assert.equal((await scrape(`Bearer ${admin}`)).status, 401, "an admin's session is not the metrics token");
    const ok = await scrape(`Bearer ${TOKEN}`);
    assert.equal(ok.status, 200, ok.raw);
    assert.match(String(ok.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });

  it('counts each answer exactly once in its own route, method and status series, and each cached session once', async () => {
    // The hook keeps each route's series (platform/http.ts): two routes, two statuses, counted exactly, not shared.
    const token = await t.login('zuzhibu');
    const members = await get('/members?pageSize=1', token);
    const id = members.body.items[0].id as string;
    const one = `{method="GET",route="/api/v1/members/:id",status="200"}`;
    const gone = `{method="GET",route="/api/v1/members/:id",status="404"}`;
    const list = `{method="GET",route="/api/v1/members",status="200"}`;
    const time = `{method="GET",route="/api/v1/members/:id"}`;
    const hits = `{cache="principal",result="hit"}`;
    const read = async () => {
      const s = samples((await scrape(`Bearer ${TOKEN}`)).raw);
      const v = (k: string) => s.get(k) ?? 0;
      return {
        one: v(`xf_http_requests_total${one}`),
        gone: v(`xf_http_requests_total${gone}`),
        list: v(`xf_http_requests_total${list}`),
        count: v(`xf_http_request_duration_seconds_count${time}`),
        inf: v(`xf_http_request_duration_seconds_bucket{method="GET",route="/api/v1/members/:id",le="+Inf"}`),
        hits: v(`xf_cache_requests_total${hits}`),
      };
    };
    const before = await read();
    for (let i = 0; i < 5; i++) assert.equal((await get(`/members/${id}`, token)).status, 200);
    for (let i = 0; i < 2; i++) {
      const r = await get('/members/00000000-0000-4000-8000-000000000000', token);
      assert.equal(r.status, 404);
    }
    assert.equal((await get('/members?pageSize=1', token)).status, 200);
    const after = await read();
    assert.equal(after.one - before.one, 5, '200s of /members/:id');
    assert.equal(after.gone - before.gone, 2, '404s of /members/:id');
    assert.equal(after.list - before.list, 1, '/members');
    assert.equal(after.count - before.count, 7, 'latency observations of /members/:id');
    assert.equal(after.inf - before.inf, 7, 'the +Inf bucket');
    assert.equal(after.hits - before.hits, 8, 'one cached-session hit per signed-in request');
  });

  it('counts requests and their time by route template, never by raw URL', async () => {
    const token = await t.login('zuzhibu');
    const members = await get('/members?pageSize=1', token);
    const id = members.body.items[0].id as string;
    for (let i = 0; i < 3; i++) assert.equal((await get(`/members/${id}`, token)).status, 200);
    const missing = await get('/members/00000000-0000-4000-8000-000000000000', token);
    assert.equal(missing.status, 404);
    const text = (await scrape(`Bearer ${TOKEN}`)).raw;
    const s = samples(text);
    assert.ok(
      (s.get('xf_http_requests_total{method="GET",route="/api/v1/members/:id",status="200"}') ?? 0) >= 3,
      text.slice(0, 2000),
    );
    assert.ok(
      (s.get('xf_http_requests_total{method="GET",route="/api/v1/members/:id",status="404"}') ?? 0) >= 1,
      'the 404 too',
    );
    assert.ok(
      (s.get('xf_http_request_duration_seconds_count{method="GET",route="/api/v1/members/:id"}') ?? 0) >= 4,
      'latency histogram',
    );
    assert.ok(
      (s.get('xf_http_request_duration_seconds_bucket{method="GET",route="/api/v1/members/:id",le="+Inf"}') ?? 0) >= 4,
      'the +Inf bucket holds every observation',
    );
    assert.ok(!text.includes(id), 'no record id in any label');
    assert.ok(!text.includes('pageSize'), 'no query string in any label');
  });

  it('counts result-cache hits and misses', async () => {
    const token = await t.login('zuzhibu');
    const before = samples((await scrape(`Bearer ${TOKEN}`)).raw);
    const hit = 'xf_cache_requests_total{cache="member.stats",result="hit"}';
    for (let i = 0; i < 3; i++) assert.equal((await get('/members/stats', token)).status, 200);
    const s = samples((await scrape(`Bearer ${TOKEN}`)).raw);
    assert.ok((s.get(hit) ?? 0) - (before.get(hit) ?? 0) >= 2, `two of three reads are hits: ${s.get(hit)}`);
    assert.ok((s.get('xf_cache_requests_total{cache="principal",result="hit"}') ?? 0) >= 1, 'the principal cache too');
    assert.equal(s.get('xf_change_feed_up'), 1, 'the change feed is up');
  });

  it('shows the job queue depth, the age of the oldest due job and the scheduler lag', async () => {
    await t.services.jobs.stop();
    const at = now();
    await enqueueJob(
      t.services.db,
      { tenantId: t.tenantId, kind: 'metrics.test', runAt: new Date(at.getTime() - 90_000) },
      at,
    );
    await enqueueJob(
      t.services.db,
      { tenantId: t.tenantId, kind: 'metrics.test', runAt: new Date(at.getTime() + 3600_000) },
      at,
    );
    const text = (await scrape(`Bearer ${TOKEN}`)).raw;
    const s = samples(text);
    assert.ok((s.get('xf_job_queue_jobs{status="queued"}') ?? 0) >= 2, text);
    const oldest = s.get('xf_job_queue_oldest_due_seconds') ?? -1;
    assert.ok(oldest >= 90 && oldest < 3600, `oldest due job ≈ 90 s (${oldest})`);
    assert.ok(s.has('xf_scheduler_lag_seconds'), 'scheduler lag');
    assert.ok(s.has('xf_job_queue_jobs{status="dead"}'), 'dead letters');
  });

  it('shows every counter the platform keeps, the read-replica one included', async () => {
    METRICS.replicaReads.inc({ to: 'primary', reason: 'replica_down' });
    const text = (await scrape(`Bearer ${TOKEN}`)).raw;
    for (const m of Object.values(METRICS)) assert.match(text, new RegExp(`^# TYPE ${m.name} `, 'm'), m.name);
    assert.ok((samples(text).get('xf_db_read_statements_total{to="primary",reason="replica_down"}') ?? 0) >= 1, text);
  });

  it('writes valid exposition text: HELP and TYPE before each metric, one sample per line', async () => {
    const text = (await scrape(`Bearer ${TOKEN}`)).raw;
    const typed = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      const m = /^# TYPE (\w+) (counter|gauge|histogram)$/.exec(line);
      if (m) typed.add(m[1]!);
      if (line.startsWith('#')) continue;
      assert.match(
        line,
        /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_]\w*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/,
        line,
      );
      const name = line.split(/[{ ]/)[0]!.replace(/_(bucket|sum|count)$/, '');
      assert.ok(typed.has(name) || typed.has(line.split(/[{ ]/)[0]!), `TYPE declared before ${name}`);
    }
  });
});

describe('metrics without XF_METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: false });
  });
  after(() => t.close());
  it('has no metrics endpoint at all', async () => {
    const r = await t.request({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer anything-at-all-0123456789' },
    });
    assert.equal(r.status, 404, r.raw);
  });
});
