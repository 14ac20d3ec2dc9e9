/**
 * The code exchanges of 企业微信 (WeCom) and 钉钉 (DingTalk), by their published protocols:
 *
 * - WeCom (自建应用 网页授权 / 企业微信Web登录): the browser is sent to
 *   `open.weixin.qq.com/connect/oauth2/authorize?appid=CORPID&redirect_uri=…&response_type=code&scope=snsapi_base
 *   &state=…&agentid=AGENTID#wechat_redirect` inside WeCom, or to `login.work.weixin.qq.com/wwlogin/sso/login
 *   ?login_type=CorpApp&appid=CORPID&agentid=AGENTID&redirect_uri=…&state=…` (QR login) in another browser; both
 *   come back with `?code=…&state=…`. The server then calls `GET /cgi-bin/gettoken?corpid=…&corpsecret=…`
 *   (`{errcode:0, access_token, expires_in:7200}`, cached until shortly before it expires) and
 *   `GET /cgi-bin/auth/getuserinfo?access_token=…&code=…` → `{errcode:0, userid}` for a member of the corp,
 *   `{errcode:0, openid}` for anyone else. A code is valid once, for 5 minutes, and only with its own corp's
 *   token: otherwise errcode 40029 (invalid code). 40014 / 42001: the token is invalid / expired (fetched again
 *   once); 40001 / 40013 / 40091: wrong secret or corpid; 50001: the redirect domain is not the app's 可信域名.
 *   Source: developer.work.weixin.qq.com/document/path/91023 (获取访问用户身份) and 98177 (获取用户登录身份).
 * - DingTalk (new OAuth2, 企业内部应用): the browser is sent to `login.dingtalk.com/oauth2/auth?redirect_uri=…
 *   &response_type=code&client_id=…&scope=openid[ corpid]&state=…&prompt=consent` and comes back with
 *   `?authCode=…&state=…`. The server then calls `POST /v1.0/oauth2/userAccessToken` with JSON
 *   `{clientId, clientSecret, code, grantType:'authorization_code'}` → `{accessToken, refreshToken, expireIn,
 *   corpId}` and `GET /v1.0/contact/users/me` with the header `x-acs-dingtalk-access-token` → `{unionId, nick, …}`.
 *   Errors are HTTP 4xx with `{code, message, requestid}`. Source: open.dingtalk.com/document/orgapp/
 *   obtain-identity-credentials and …/dingtalk-retrieve-user-information (the error `code` strings are not listed
 *   there; which ones mean "a used or unknown code" is unconfirmed — every 4xx of the token call that does not name
 *   the client is read as a bad code).
 *
 * Provider origins come from the configuration (tests: a local fake on 127.0.0.1).
 */
import crypto from 'node:crypto';
import type { SsoProvider } from '@xianfeng/shared';
import type { Config } from '../../platform/config';
import { AppError } from '../../platform/errors';

export type SsoApp = {
  provider: SsoProvider;
  appId: string;
  agentId: string | null;
  corpId: string | null;
  secret: string;
};

/** Who the provider says signed in: `issuer` (WeCom corpid, DingTalk client id) and the account's id there. */
export type ExternalIdentity = { issuer: string; externalId: string };

const LABEL: Record<SsoProvider, string> = { wecom: '企业微信', dingtalk: '钉钉' };

const codeInvalid = (p: SsoProvider) =>
  new AppError(
    400,
    'SSO_CODE_INVALID',
    `${LABEL[p]}授权码无效或已使用（授权码只能使用一次，5 分钟内有效，且只对本单位的应用有效），请重新点击「${LABEL[p]}登录」`,
  );
const misconfigured = (p: SsoProvider, detail: string) =>
  new AppError(409, 'SSO_APP_MISCONFIGURED', `${LABEL[p]}应用配置有误：${detail}。请联系管理员检查「登录方式」设置`);
const unreachable = (p: SsoProvider, detail: string) =>
  new AppError(502, 'SSO_PROVIDER_UNAVAILABLE', `${LABEL[p]}暂时无法访问（${detail}），请稍后再试`);

async function call(
  provider: SsoProvider,
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(8000) });
  } catch (e) {
    throw unreachable(provider, (e as Error).name === 'TimeoutError' ? '8 秒内未应答' : '连接失败');
  }
  if (res.status >= 500) throw unreachable(provider, `HTTP ${res.status}`);
  try {
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  } catch {
    throw unreachable(provider, '应答不是 JSON');
  }
}

// ---------- WeCom ----------

type CachedToken = { token: string; expiresAt: number };
/** access_token per (origin, corpid, secret): WeCom limits gettoken calls; the token lives 7200 s. */
const wecomTokens = new Map<string, CachedToken>();

const tokenKey = (origin: string, app: SsoApp) =>
  `${origin}|${app.appId}|${crypto.createHash('sha256').update(app.secret).digest('hex')}`;

async function wecomToken(config: Config, app: SsoApp, fresh = false): Promise<string> {
  const key = tokenKey(config.sso.wecom.api, app);
  const hit = wecomTokens.get(key);
  if (!fresh && hit && hit.expiresAt > Date.now()) return hit.token;
  const q = new URLSearchParams({ corpid: app.appId, corpsecret: app.secret });
  const { json } = await call('wecom', `${config.sso.wecom.api}/cgi-bin/gettoken?${q}`);
  const code = Number(json.errcode ?? -1);
  if (code !== 0 || typeof json.access_token !== 'string') {
    wecomTokens.delete(key);
    if ([40001, 40013, 40091, 40056].includes(code))
      throw misconfigured('wecom', `corpid 或 Secret 不正确（errcode ${code}）`);
    throw unreachable('wecom', `gettoken errcode ${code}`);
  }
  const ttl = Math.max(60, Number(json.expires_in ?? 7200));
  // Renewed 5 minutes (or a tenth of a short lifetime) before WeCom lets it expire.
  wecomTokens.set(key, { token: json.access_token, expiresAt: Date.now() + (ttl - Math.min(300, ttl / 10)) * 1000 });
  return json.access_token;
}

/** How many WeCom tokens are cached (tests: the token is reused, not fetched per sign-in). */
export const wecomTokenCacheSize = () => wecomTokens.size;

async function wecomExchange(config: Config, app: SsoApp, code: string): Promise<ExternalIdentity> {
  for (let attempt = 0; ; attempt++) {
    const token = await wecomToken(config, app, attempt > 0);
    const q = new URLSearchParams({ access_token: token, code });
    const { json } = await call('wecom', `${config.sso.wecom.api}/cgi-bin/auth/getuserinfo?${q}`);
    const err = Number(json.errcode ?? -1);
    if ((err === 40014 || err === 42001) && attempt === 0) continue; // the cached token died early: once more
    if (err === 40029) throw codeInvalid('wecom');
    if (err === 50001) throw misconfigured('wecom', '回调地址的域名不是应用的可信域名（errcode 50001）');
    if (err !== 0) throw unreachable('wecom', `getuserinfo errcode ${err}`);
    const userid = json.userid ?? json.UserId;
    if (typeof userid !== 'string' || !userid)
      throw new AppError(
        403,
        'SSO_NOT_CORP_MEMBER',
        '该微信用户不是本单位企业微信的成员，不能用企业微信登录；请用用户名或手机号登录',
      );
    return { issuer: app.appId, externalId: userid };
  }
}

// ---------- DingTalk ----------

async function dingtalkExchange(config: Config, app: SsoApp, code: string): Promise<ExternalIdentity> {
  const { status, json } = await call('dingtalk', `${config.sso.dingtalk.api}/v1.0/oauth2/userAccessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: app.appId, clientSecret: app.secret, code, grantType: 'authorization_code' }),
  });
  if (status >= 400 || typeof json.accessToken !== 'string') {
    const c = String(json.code ?? '');
    if (/client|appkey|appsecret|secret/i.test(c))
      throw misconfigured('dingtalk', `Client ID 或 Client Secret 不正确（${c}）`);
    throw codeInvalid('dingtalk');
  }
  if (app.corpId && json.corpId !== app.corpId)
    throw new AppError(
      403,
      'SSO_OTHER_CORP',
      '所选的钉钉组织不是本单位，不能登录；请在钉钉授权页选择本单位的组织，或用用户名或手机号登录',
    );
  const me = await call('dingtalk', `${config.sso.dingtalk.api}/v1.0/contact/users/me`, {
    headers: { 'x-acs-dingtalk-access-token': json.accessToken },
  });
  const unionId = me.json.unionId;
  if (me.status >= 400 || typeof unionId !== 'string' || !unionId)
    throw unreachable('dingtalk', `users/me HTTP ${me.status}`);
  return { issuer: app.appId, externalId: unionId };
}

/** Exchanges a provider's one-time code for the account behind it. */
export function exchangeCode(config: Config, app: SsoApp, code: string): Promise<ExternalIdentity> {
  return app.provider === 'wecom' ? wecomExchange(config, app, code) : dingtalkExchange(config, app, code);
}

/** The provider page the browser goes to; it comes back to `redirectUri` with a code and `state`. */
export function authorizeUrl(config: Config, app: SsoApp, redirectUri: string, state: string, inApp: boolean): string {
  if (app.provider === 'wecom') {
    if (inApp) {
      const q = new URLSearchParams({
        appid: app.appId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
        agentid: app.agentId ?? '',
      });
      return `${config.sso.wecom.oauth}/connect/oauth2/authorize?${q}#wechat_redirect`;
    }
    const q = new URLSearchParams({
      login_type: 'CorpApp',
      appid: app.appId,
      agentid: app.agentId ?? '',
      redirect_uri: redirectUri,
      state,
    });
    return `${config.sso.wecom.login}/wwlogin/sso/login?${q}`;
  }
  const q = new URLSearchParams({
    redirect_uri: redirectUri,
    response_type: 'code',
    client_id: app.appId,
    scope: app.corpId ? 'openid corpid' : 'openid',
    state,
    prompt: 'consent',
  });
  if (app.corpId) q.set('corpId', app.corpId);
  return `${config.sso.dingtalk.login}/oauth2/auth?${q}`;
}
