/**
 * Local stand-ins for the group robots of 企业微信, 钉钉 and 飞书, for tests and the e2e: the real
 * services cannot be reached from here. One loopback HTTP server speaks all three webhook protocols
 * and is strict about them the way the real ones are:
 * - an unknown key / access_token / hook token is refused (WeCom 93000, DingTalk 300001, Feishu 19001);
 * - a robot with a signing secret refuses a missing or wrong signature, or a timestamp more than an
 *   hour from its clock (DingTalk 310000 "sign not match", Feishu 19021 "sign match fail …"), with
 *   HTTP 200 and the error in the body, as they answer;
 * - the body must be JSON of a message type it knows (WeCom 40008, Feishu 9499).
 * Every accepted message is kept in `received`; `failNext(n, status)` makes the next n requests answer
 * an HTTP error (a provider outage) and `delayMs` slows answers (timeouts).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RobotProvider } from '@xianfeng/shared';

export type FakeRobot = { provider: RobotProvider; token: string; secret: string | null };
export type Received = {
  provider: RobotProvider;
  token: string;
  body: Record<string, unknown>;
  query: Record<string, string>;
};
export type Rejected = { provider: RobotProvider; token: string; code: number; message: string };

const hmacB64 = (key: string, msg: string) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest('base64');

export async function startFakeRobots() {
  const robots = new Map<string, FakeRobot>();
  const received: Received[] = [];
  const rejected: Rejected[] = [];
  let failures: { n: number; status: number } = { n: 0, status: 500 };
  let requests = 0;
  const state = { delayMs: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const url = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(url.searchParams);
      const raw = Buffer.concat(chunks).toString('utf8');
      const answer = (status: number, body: unknown) =>
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }, state.delayMs);
      if (failures.n > 0) {
        failures.n--;
        return answer(failures.status, { error: 'upstream unavailable' });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const reject = (provider: RobotProvider, token: string, code: number, message: string, shape: 'err' | 'code') => {
        rejected.push({ provider, token, code, message });
        return answer(200, shape === 'err' ? { errcode: code, errmsg: message } : { code, msg: message, data: {} });
      };

      if (req.method === 'POST' && url.pathname === '/cgi-bin/webhook/send') {
        const token = query.key ?? '';
        const r = robots.get(`wecom:${token}`);
        if (!r) return reject('wecom', token, 93000, 'invalid webhook url, hint: [fake]', 'err');
        const type = body.msgtype;
        if (type !== 'text' && type !== 'markdown') return reject('wecom', token, 40008, 'invalid message type', 'err');
        const content =
          type === 'markdown'
            ? (body.markdown as { content?: string })?.content
            : (body.text as { content?: string })?.content;
        if (!content) return reject('wecom', token, 44004, 'empty content', 'err');
        if (Buffer.byteLength(content) > 4096)
          return reject('wecom', token, 40058, 'markdown.content exceed max length 4096', 'err');
        received.push({ provider: 'wecom', token, body, query });
        return answer(200, { errcode: 0, errmsg: 'ok' });
      }

      if (req.method === 'POST' && url.pathname === '/robot/send') {
        const token = query.access_token ?? '';
        const r = robots.get(`dingtalk:${token}`);
        if (!r) return reject('dingtalk', token, 300001, 'token is not exist', 'err');
        if (r.secret) {
          const ts = query.timestamp ?? '';
          if (!/^\d{13}$/.test(ts) || Math.abs(Date.now() - Number(ts)) > 3600_000)
            return reject('dingtalk', token, 310000, 'invalid timestamp, more: [fake]', 'err');
          // The query parser has already URL-decoded the sign.
          if (query.sign !== hmacB64(r.secret, `${ts}\n${r.secret}`))
            return reject('dingtalk', token, 310000, 'sign not match, more: [fake]', 'err');
        }
        const type = body.msgtype;
        if (type !== 'text' && type !== 'markdown') return reject('dingtalk', token, 40035, '缺少参数 msgtype', 'err');
        received.push({ provider: 'dingtalk', token, body, query });
        return answer(200, { errcode: 0, errmsg: 'ok' });
      }

      const hook = /^\/open-apis\/bot\/v2\/hook\/([\w-]+)$/.exec(url.pathname);
      if (req.method === 'POST' && hook) {
        const token = hook[1]!;
        const r = robots.get(`feishu:${token}`);
        if (!r) return reject('feishu', token, 19001, 'param invalid: incoming webhook access token invalid', 'code');
        if (r.secret) {
          const ts = String(body.timestamp ?? '');
          if (
            !/^\d{10}$/.test(ts) ||
            Math.abs(Date.now() / 1000 - Number(ts)) > 3600 ||
            body.sign !== hmacB64(`${ts}\n${r.secret}`, '')
          )
            return reject(
              'feishu',
              token,
              19021,
              'sign match fail or timestamp is not within one hour from current time',
              'code',
            );
        }
        if (body.msg_type !== 'text' && body.msg_type !== 'post' && body.msg_type !== 'interactive')
          return reject('feishu', token, 9499, 'Bad Request', 'code');
        received.push({ provider: 'feishu', token, body, query });
        return answer(200, { code: 0, msg: 'success', data: {} });
      }
      answer(404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    received,
    rejected,
    state,
    get requests() {
      return requests;
    },
    /** Creates a robot and answers the webhook address to give the platform. */
    robot(
      provider: RobotProvider,
      opts: { secret?: string | null } = {},
    ): { url: string; token: string; secret: string | null } {
      const token = crypto.randomBytes(12).toString('hex');
      const secret =
        opts.secret === undefined
          ? provider === 'wecom'
            ? null
            : provider === 'dingtalk'
              ? `SEC${crypto.randomBytes(24).toString('hex')}`
              : crypto.randomBytes(12).toString('base64url')
          : opts.secret;
      robots.set(`${provider}:${token}`, { provider, token, secret });
      const url =
        provider === 'wecom'
          ? `${base}/cgi-bin/webhook/send?key=${token}`
          : provider === 'dingtalk'
            ? `${base}/robot/send?access_token=${token}`
            : `${base}/open-apis/bot/v2/hook/${token}`;
      return { url, token, secret };
    },
    failNext(n: number, status = 500) {
      failures = { n, status };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
export type FakeRobots = Awaited<ReturnType<typeof startFakeRobots>>;
