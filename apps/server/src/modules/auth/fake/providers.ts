/**
 * Local stand-ins for the sign-in services of 企业微信 and 钉钉, for tests and the e2e (the real ones cannot be
 * reached from here). One loopback HTTP server speaks both protocols (see ../sso-providers.ts) and is strict the
 * way the real services are:
 * - WeCom: `gettoken` refuses a wrong corpid (40013) or secret (40001); `auth/getuserinfo` refuses an unknown
 *   token (40014) and a code that is unknown, used before, older than 5 minutes or issued for another corp (40029);
 *   a person who is not a member of the corp gets `openid` instead of `userid`.
 * - DingTalk: `userAccessToken` wants a JSON body with the app's clientId and clientSecret and grantType
 *   `authorization_code` (HTTP 400 `{code, message}` otherwise) and a code issued to that app, once; `users/me` wants
 *   the user token in `x-acs-dingtalk-access-token`.
 * - The browser pages (`/connect/oauth2/authorize`, `/wwlogin/sso/login`, `/oauth2/auth`) act as the person set with
 *   `signIn(…)` and redirect back to `redirect_uri` with a fresh code and the `state`, as the real ones do after the
 *   person agrees.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Corp = { corpid: string; secret: string; agentId: string; members: Set<string> };
type DingApp = { clientId: string; secret: string; corpId: string };
type Code = { kind: 'wecom' | 'dingtalk'; owner: string; person: string; at: number; used: boolean };

export async function startFakeSso() {
  const corps = new Map<string, Corp>();
  const dingApps = new Map<string, DingApp>();
  const codes = new Map<string, Code>();
  const wecomTokens = new Map<string, string>(); // token → corpid
  const dingTokens = new Map<string, { unionId: string }>();
  const calls: { path: string; query: Record<string, string>; body: unknown; headers: http.IncomingHttpHeaders }[] = [];
  const who: { wecom: string | null; dingtalk: string | null; dingCorp: string | null } = {
    wecom: null,
    dingtalk: null,
    dingCorp: null,
  };
  const stats = { gettoken: 0 };

  const newCode = (kind: Code['kind'], owner: string, person: string) => {
    const code = crypto.randomBytes(16).toString('hex');
    codes.set(code, { kind, owner, person, at: Date.now(), used: false });
    return code;
  };
  const takeCode = (kind: Code['kind'], owner: string, code: string): Code | null => {
    const c = codes.get(code);
    if (!c || c.kind !== kind || c.used || c.owner !== owner || Date.now() - c.at > 5 * 60_000) return null;
    c.used = true;
    return c;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const q = Object.fromEntries(url.searchParams);
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      calls.push({ path: url.pathname, query: q, body, headers: req.headers });
      const json = (status: number, b: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(b));
      };
      const redirect = (to: string, params: Record<string, string>) => {
        const target = new URL(to);
        for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
        res.writeHead(302, { location: target.toString() });
        res.end();
      };

      // ----- WeCom -----
      if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
        const corp = corps.get(q.corpid ?? '');
        if (!corp) return json(200, { errcode: 40013, errmsg: 'invalid corpid' });
        if (q.corpsecret !== corp.secret) return json(200, { errcode: 40001, errmsg: 'invalid credential' });
        stats.gettoken++;
        const token = crypto.randomBytes(24).toString('hex');
        wecomTokens.set(token, corp.corpid);
        return json(200, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
      }
      if (req.method === 'GET' && url.pathname === '/cgi-bin/auth/getuserinfo') {
        const corpid = wecomTokens.get(q.access_token ?? '');
        if (!corpid) return json(200, { errcode: 40014, errmsg: 'invalid access_token' });
        const c = takeCode('wecom', corpid, q.code ?? '');
        if (!c) return json(200, { errcode: 40029, errmsg: 'invalid code' });
        if (!corps.get(corpid)!.members.has(c.person))
          return json(200, {
            errcode: 0,
            errmsg: 'ok',
            openid: `o${crypto.createHash('md5').update(c.person).digest('hex')}`,
          });
        return json(200, { errcode: 0, errmsg: 'ok', userid: c.person });
      }
      if (
        req.method === 'GET' &&
        (url.pathname === '/connect/oauth2/authorize' || url.pathname === '/wwlogin/sso/login')
      ) {
        const corp = corps.get(q.appid ?? '');
        if (!corp || q.agentid !== corp.agentId || !q.redirect_uri || !who.wecom)
          return json(400, { errcode: 40013, errmsg: 'invalid appid, agentid or redirect_uri' });
        if (url.pathname === '/connect/oauth2/authorize' && (q.response_type !== 'code' || q.scope !== 'snsapi_base'))
          return json(400, { errcode: 40001, errmsg: 'bad response_type or scope' });
        if (url.pathname === '/wwlogin/sso/login' && q.login_type !== 'CorpApp')
          return json(400, { errcode: 40001, errmsg: 'bad login_type' });
        return redirect(q.redirect_uri, { code: newCode('wecom', corp.corpid, who.wecom), state: q.state ?? '' });
      }

      // ----- DingTalk -----
      if (req.method === 'POST' && url.pathname === '/v1.0/oauth2/userAccessToken') {
        if (!String(req.headers['content-type'] ?? '').includes('application/json'))
          return json(400, { code: 'invalidParameter', message: 'content-type must be application/json' });
        const app = dingApps.get(String(body.clientId ?? ''));
        if (!app) return json(400, { code: 'invalidClientId', message: 'clientId is invalid' });
        if (body.clientSecret !== app.secret)
          return json(400, { code: 'invalidClientSecret', message: 'clientSecret is invalid' });
        if (body.grantType !== 'authorization_code')
          return json(400, { code: 'invalidParameter', message: 'grantType is invalid' });
        const c = takeCode('dingtalk', app.clientId, String(body.code ?? ''));
        if (!c) return json(400, { code: 'invalidAuthCode', message: 'authCode is invalid or used' });
        const token = crypto.randomBytes(24).toString('hex');
        dingTokens.set(token, { unionId: c.person });
        return json(200, {
          accessToken: token,
          refreshToken: crypto.randomBytes(12).toString('hex'),
          expireIn: 7200,
          corpId: who.dingCorp ?? app.corpId,
        });
      }
      if (req.method === 'GET' && url.pathname === '/v1.0/contact/users/me') {
        const t = dingTokens.get(String(req.headers['x-acs-dingtalk-access-token'] ?? ''));
        if (!t) return json(401, { code: 'InvalidAuthentication', message: 'token is invalid' });
        return json(200, { nick: '钉钉用户', unionId: t.unionId, openId: `open-${t.unionId}`, stateCode: '86' });
      }
      if (req.method === 'GET' && url.pathname === '/oauth2/auth') {
        const app = dingApps.get(q.client_id ?? '');
        if (
          !app ||
          q.response_type !== 'code' ||
          !q.scope?.split(' ').includes('openid') ||
          !q.redirect_uri ||
          !who.dingtalk
        )
          return json(400, { code: 'invalidParameter', message: 'client_id, response_type, scope or redirect_uri' });
        return redirect(q.redirect_uri, {
          authCode: newCode('dingtalk', app.clientId, who.dingtalk),
          state: q.state ?? '',
        });
      }
      json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    calls,
    stats,
    /** The environment that points Xianfeng at this fake. */
    env: {
      XF_WECOM_API_URL: base,
      XF_WECOM_OAUTH_URL: base,
      XF_WECOM_LOGIN_URL: base,
      XF_DINGTALK_API_URL: base,
      XF_DINGTALK_LOGIN_URL: base,
    },
    corp(corpid: string, members: string[]) {
      const c: Corp = {
        corpid,
        secret: crypto.randomBytes(16).toString('hex'),
        agentId: '1000002',
        members: new Set(members),
      };
      corps.set(corpid, c);
      return c;
    },
    dingApp(clientId: string, corpId = `ding${crypto.randomBytes(6).toString('hex')}`) {
      const a: DingApp = { clientId, secret: crypto.randomBytes(20).toString('hex'), corpId };
      dingApps.set(clientId, a);
      return a;
    },
    /** A code as the provider would hand it to the browser after `person` agreed. */
    wecomCode: (corpid: string, userid: string) => newCode('wecom', corpid, userid),
    dingCode: (clientId: string, unionId: string) => newCode('dingtalk', clientId, unionId),
    /** Who the browser pages act as (the person signed in to WeCom / DingTalk on that phone). */
    signIn(provider: 'wecom' | 'dingtalk', person: string | null) {
      who[provider] = person;
    },
    /** DingTalk answers this organisation as the one the person chose (tests: another corp). */
    chooseDingCorp(corpId: string | null) {
      who.dingCorp = corpId;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
export type FakeSso = Awaited<ReturnType<typeof startFakeSso>>;
