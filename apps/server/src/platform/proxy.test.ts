/**
 * XF_TRUSTED_PROXIES (issue 28 item 1, issue 14 item 10): X-Forwarded-For / -Proto are believed only
 * from a configured proxy. Real HTTP over loopback: the server listens on 127.0.0.1, and "the proxy" is
 * this test process, which is trusted in one app (XF_TRUSTED_PROXIES=127.0.0.1) and not in the others
 * (unset, and a list that names another network). The three uses that depend on it: the WeChat H5
 * payer_client_ip, the session cookie's Secure flag, and the per-address public rate limit.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { startFakePayProvider, type FakePayProvider } from '../modules/dues/fake/provider';
import { currentMonth } from '../modules/dues/service';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../testing/harness';
import { loadConfig, parseTrustedProxies } from './config';

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request over a real loopback connection, with whatever headers a client (or proxy) sends. */
function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('trusted proxies: forwarding headers believed only from XF_TRUSTED_PROXIES', () => {
  let t: TestApp;
  let fake: FakePayProvider;
  let member: string;
  let billId: string;
  const apps: FastifyInstance[] = [];
  /** No proxy configured (the default). */
  let direct: number;
  /** Proxies configured, but not this peer: 10.0.0.0/8 only. */
  let elsewhere: number;
  /** This loopback peer is the trusted proxy. */
  let proxied: number;

  const serve = async (trustedProxies: string[]) => {
    const app = await buildApp({
      ...t.services,
      config: { ...t.services.config, trustedProxies, publicRatePerMin: 3 },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    apps.push(app);
    return (app.server.address() as AddressInfo).port;
  };

  before(async () => {
    t = await startTestApp();
    fake = await startFakePayProvider();
    t.services.config.payment = fake.paymentConfig('https://dangjian.example.com');
    direct = await serve([]);
    elsewhere = await serve(parseTrustedProxies('10.0.0.0/8'));
    proxied = await serve(parseTrustedProxies('127.0.0.1'));
    member = await t.login('dangyuan');
    const bills = await t.request({ method: 'GET', url: '/api/v1/dues/me/bills?status=unpaid', token: member });
    billId = bills.body.items.find((b: { month: string }) => b.month === currentMonth()).id;
  });
  after(async () => {
    for (const app of apps) await app.close();
    await fake.close();
    await t.close();
  });

  const orderH5 = async (port: number, headers: Record<string, string>) => {
    const r = await call(
      port,
      'POST',
      `/api/v1/dues-bills/${billId}/pay`,
      { authorization: `Bearer ${member}`, ...headers },
      {
        channel: 'wechat',
        tradeType: 'h5',
      },
    );
    assert.equal(r.status, 200, r.body);
    return fake.orders.get(JSON.parse(r.body).payment.outTradeNo)!;
  };

  it('sends WeChat the payer’s own address (payer_client_ip) for an H5 order through the trusted proxy', async () => {
    // nginx appends the address it saw to whatever the client sent: the client's own claim stays on the left.
    const o = await orderH5(proxied, { 'x-forwarded-for': '198.51.100.66, 203.0.113.7' });
    assert.equal(o.payerClientIp, '203.0.113.7');
  });

  it('ignores a forged X-Forwarded-For from a peer that is not a trusted proxy: WeChat gets the peer’s address', async () => {
    for (const port of [direct, elsewhere]) {
      const o = await orderH5(port, { 'x-forwarded-for': '203.0.113.99' });
      assert.equal(o.payerClientIp, '127.0.0.1');
    }
  });

  it('marks the session cookie Secure when the trusted proxy says the client used https, and only then', async () => {
    const login = (port: number, headers: Record<string, string>) =>
      call(
        port,
        'POST',
        '/api/v1/auth/login',
        { 'x-forwarded-for': `203.0.113.${port % 200}`, ...headers },
        {
          username: 'dangyuan',
          password: DEMO_PASSWORD,
        },
      );
    const cookieOf = (r: Answer) => {
      assert.equal(r.status, 200, r.body);
      return String(r.headers['set-cookie']);
    };
    assert.match(cookieOf(await login(proxied, { 'x-forwarded-proto': 'https' })), /;\s*Secure/i);
    assert.doesNotMatch(cookieOf(await login(proxied, { 'x-forwarded-proto': 'http' })), /;\s*Secure/i);
    for (const port of [direct, elsewhere])
      assert.doesNotMatch(cookieOf(await login(port, { 'x-forwarded-proto': 'https' })), /;\s*Secure/i);
  });

  it('keys the public rate limit on the client behind the trusted proxy, not on the proxy', async () => {
    // Fresh apps for the limit tests: each app counts in its own memory.
    const port = await serve(parseTrustedProxies('127.0.0.1'));
    let n = 0;
    const attempt = (xff: string) =>
      call(
        port,
        'POST',
        '/api/v1/auth/login',
        { 'x-forwarded-for': xff },
        { username: `nobody-a-${n++}`, password: 'wrong-Pass-1' },
      );
    const first = [];
    for (let i = 0; i < 4; i++) first.push((await attempt('192.0.2.10')).status);
    assert.deepEqual(first, [401, 401, 401, 429], 'one client: the limit of 3 holds');
    // A client behind the same proxy has its own bucket…
    assert.equal((await attempt('192.0.2.11')).status, 401);
    // …and the first cannot escape its bucket by claiming another address: nginx appends the real one.
    assert.equal((await attempt('192.0.2.99, 192.0.2.10')).status, 429);
  });

  it('does not let a client outside the trusted proxies pick a fresh rate-limit bucket with a forged X-Forwarded-For', async () => {
    for (const port of [await serve([]), await serve(parseTrustedProxies('10.0.0.0/8'))]) {
      // On PostgreSQL the servers of this file count in one table (platform/hits.ts): each starts a fresh window.
      await t.services.db.execute(sql`delete from rate_hit`);
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push(
          (
            await call(
              port,
              'POST',
              '/api/v1/auth/login',
              { 'x-forwarded-for': `198.51.100.${i + 1}` },
              {
                username: `nobody-b-${port}-${i}`,
                password: 'wrong-Pass-1',
              },
            )
          ).status,
        );
      assert.deepEqual(codes, [401, 401, 401, 429], `port ${port}: one bucket for the peer, whatever it claims`);
    }
  });

  it('reads XF_TRUSTED_PROXIES as addresses, ranges or proxy-addr names, and refuses anything else at start', () => {
    assert.deepEqual(loadConfig({}).trustedProxies, []);
    assert.deepEqual(loadConfig({ XF_TRUSTED_PROXIES: '127.0.0.1, ::1,10.0.0.0/8, loopback' }).trustedProxies, [
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
      'loopback',
    ]);
    for (const bad of ['true', '*', 'nginx', '10.0.0.0/33', '1.2.3.4/8/8', '2'])
      assert.throws(() => loadConfig({ XF_TRUSTED_PROXIES: bad }), /XF_TRUSTED_PROXIES/, bad);
  });
});
