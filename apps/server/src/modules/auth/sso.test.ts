/**
 * Sign-in through 企业微信 / 钉钉 (issue 24), against local fakes of both services (fake/providers.ts) that check
 * the real request shapes and credentials and honour a code once: the admin's app settings, the start with a
 * state tied to the browser, binding once, signing in, and the refusals — a code used twice or from another corp,
 * a state from another browser, altered or expired, an account bound to someone else.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';
import { startFakeSso, type FakeSso } from './fake/providers';

describe('sso: WeCom and DingTalk sign-in', () => {
  let t: TestApp;
  const { get, post, put, del } = api(() => t);
  let fake: FakeSso;
  let admin: string;
  const corp = { corpid: 'ww1234567890abcdef', secret: '', agentId: '' };
  before(async () => {
    fake = await startFakeSso();
    t = await startTestApp({ env: fake.env });
    admin = await adminToken(t);
    const c = fake.corp(corp.corpid, ['chenzhiyuan', 'jijian01']);
    corp.secret = c.secret;
    corp.agentId = c.agentId;
  });
  after(async () => {
    await t.close();
    await fake.close();
  });

  const cookieOf = (r: { headers: Record<string, unknown> }) => {
    const set = ([] as string[]).concat((r.headers['set-cookie'] as string[] | string | undefined) ?? []);
    const c = set.find((x) => x.startsWith('xf_sso='));
    assert.ok(c, 'the state cookie is set');
    return c.split(';')[0]!;
  };
  /** Starts a sign-in (or a binding with `token`): the state from the provider URL and the browser's cookie. */
  async function start(provider: 'wecom' | 'dingtalk', token?: string, inApp = false) {
    const r = await t.request({
      method: 'POST',
      url: token ? '/api/v1/me/sso/start' : `/api/v1/auth/sso/${provider}/start`,
      token,
      body: token ? { provider, inApp } : { inApp },
    });
    assert.equal(r.status, 200, r.raw);
    const url = new URL(r.body.url);
    return { url, state: url.searchParams.get('state')!, cookie: cookieOf(r) };
  }
  const callback = (provider: string, code: string, state: string, cookie?: string) =>
    t.request({
      method: 'POST',
      url: `/api/v1/auth/sso/${provider}/callback`,
      body: { code, state },
      headers: cookie ? { cookie } : {},
    });
  const bind = (provider: string, token: string, code: string, state: string, cookie: string) =>
    t.request({
      method: 'POST',
      url: '/api/v1/me/sso/bind',
      token,
      body: { provider, code, state },
      headers: { cookie },
    });
  const audit = (action: string) =>
    queryRows<{ actor_name: string; after: Record<string, unknown> | null; before: Record<string, unknown> | null }>(
      t.services.db,
      sql`select actor_name, after, before from audit_log where action = ${action} order by id`,
    );

  it('admin sets up the WeCom app: secret sealed and shown masked; not configured → no button, clear refusal', async () => {
    const none = await get('/auth/sso/providers');
    assert.deepEqual(none.body.providers, []);
    const off = await t.request({ method: 'POST', url: '/api/v1/auth/sso/wecom/start', body: {} });
    assert.equal(off.status, 404);
    assert.match(off.body.error.message, /未开启企业微信登录/);

    const member = await t.login('dangyuan');
    const denied = await put('/sso/apps/wecom', member, {
      appId: corp.corpid,
      agentId: corp.agentId,
      secret: corp.secret,
    });
    assert.equal(denied.status, 403);
    const noAgent = await put('/sso/apps/wecom', admin, { appId: corp.corpid, secret: corp.secret });
    assert.equal(noAgent.status, 400);
    assert.match(noAgent.body.error.message, /AgentId/);
    const saved = await put('/sso/apps/wecom', admin, {
      appId: corp.corpid,
      agentId: corp.agentId,
      secret: corp.secret,
    });
    assert.equal(saved.status, 200, saved.raw);
    assert.equal(saved.body.secretMasked, `****${corp.secret.slice(-4)}`);
    assert.match(saved.body.redirectUri, /\/login\/sso\/wecom$/);
    const list = await get('/sso/apps', admin);
    assert.ok(!list.raw.includes(corp.secret), 'the secret is never answered');
    const [row] = await queryRows<{ secret_enc: string }>(t.services.db, sql`select secret_enc from sso_app`);
    assert.ok(!row!.secret_enc.includes(corp.secret), 'stored sealed');
    const [a] = await audit('auth.sso.app.save');
    assert.ok(a && !JSON.stringify(a).includes(corp.secret), 'audited without the secret');
    const on = await get('/auth/sso/providers');
    assert.deepEqual(on.body.providers, ['wecom']);
  });

  it('the start sends the browser to WeCom with a signed state (QR login outside WeCom, OAuth inside)', async () => {
    const web = await start('wecom');
    assert.equal(web.url.pathname, '/wwlogin/sso/login');
    assert.equal(web.url.searchParams.get('appid'), corp.corpid);
    assert.equal(web.url.searchParams.get('agentid'), corp.agentId);
    assert.equal(web.url.searchParams.get('login_type'), 'CorpApp');
    assert.match(web.url.searchParams.get('redirect_uri')!, /\/login\/sso\/wecom$/);
    const inApp = await start('wecom', undefined, true);
    assert.equal(inApp.url.pathname, '/connect/oauth2/authorize');
    assert.equal(inApp.url.searchParams.get('scope'), 'snsapi_base');
    assert.equal(inApp.url.hash, '#wechat_redirect');
    assert.notEqual(web.state, inApp.state);
  });

  it('an unbound WeCom account is told to bind; a member binds once, then signs in without a password', async () => {
    const s1 = await start('wecom');
    const unbound = await callback('wecom', fake.wecomCode(corp.corpid, 'chenzhiyuan'), s1.state, s1.cookie);
    assert.equal(unbound.status, 200, unbound.raw);
    assert.equal(unbound.body.status, 'unbound');
    assert.match(unbound.body.message, /还没有绑定/);

    const member = await t.login('dangyuan');
    const b = await start('wecom', member);
    const bound = await bind('wecom', member, fake.wecomCode(corp.corpid, 'chenzhiyuan'), b.state, b.cookie);
    assert.equal(bound.status, 200, bound.raw);
    assert.equal(bound.body.externalId, 'chenzhiyuan');
    const mine = await get('/me/sso', member);
    assert.deepEqual(mine.body.providers, ['wecom']);
    assert.equal(mine.body.bindings.length, 1);
    const [ba] = await audit('auth.sso.bind');
    assert.equal(ba!.actor_name, 'dangyuan');
    assert.equal(ba!.after!.externalId, 'chenzhiyuan');

    const tokensBefore = fake.stats.gettoken;
    const s2 = await start('wecom');
    const signed = await callback('wecom', fake.wecomCode(corp.corpid, 'chenzhiyuan'), s2.state, s2.cookie);
    assert.equal(signed.status, 200, signed.raw);
    assert.equal(signed.body.status, 'signedIn');
    assert.equal(signed.body.user.username, 'dangyuan');
    const set = ([] as string[]).concat(signed.headers['set-cookie'] as string[]);
    assert.ok(
      set.some((c) => c.startsWith('xf_session=')),
      'the session cookie is set',
    );
    assert.ok(
      set.some((c) => /^xf_sso=;/.test(c)),
      'the state cookie is cleared',
    );
    const me = await get('/me', signed.body.token);
    assert.equal(me.body.username, 'dangyuan');
    assert.equal(fake.stats.gettoken, tokensBefore, 'the access_token is cached, not fetched per sign-in');
    const logins = await audit('auth.login');
    assert.equal(logins.at(-1)!.after!.via, 'wecom');
    // The fake saw the real request shapes.
    const info = fake.calls.filter((c) => c.path === '/cgi-bin/auth/getuserinfo').at(-1)!;
    assert.ok(info.query.access_token && info.query.code);
  });

  it('refuses a code used twice, a code of another corp, a non-member, and states from elsewhere — 4xx in Chinese', async () => {
    const s = await start('wecom');
    const code = fake.wecomCode(corp.corpid, 'chenzhiyuan');
    assert.equal((await callback('wecom', code, s.state, s.cookie)).body.status, 'signedIn');
    const again = await start('wecom');
    const twice = await callback('wecom', code, again.state, again.cookie);
    assert.equal(twice.status, 400, twice.raw);
    assert.equal(twice.body.error.code, 'SSO_CODE_INVALID');
    assert.match(twice.body.error.message, /授权码无效或已使用/);

    fake.corp('wwOTHERCORP000001', ['chenzhiyuan']);
    const s3 = await start('wecom');
    const other = await callback('wecom', fake.wecomCode('wwOTHERCORP000001', 'chenzhiyuan'), s3.state, s3.cookie);
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 'SSO_CODE_INVALID');

    const s4 = await start('wecom');
    const outsider = await callback('wecom', fake.wecomCode(corp.corpid, 'stranger'), s4.state, s4.cookie);
    assert.equal(outsider.status, 403);
    assert.match(outsider.body.error.message, /不是本单位企业微信的成员/);

    const s5 = await start('wecom');
    const noCookie = await callback('wecom', fake.wecomCode(corp.corpid, 'chenzhiyuan'), s5.state);
    assert.equal(noCookie.status, 400);
    assert.equal(noCookie.body.error.code, 'SSO_STATE_MISMATCH');
    assert.match(noCookie.body.error.message, /不匹配/);
    const otherBrowser = await start('wecom');
    const swapped = await callback('wecom', fake.wecomCode(corp.corpid, 'chenzhiyuan'), s5.state, otherBrowser.cookie);
    assert.equal(swapped.body.error.code, 'SSO_STATE_MISMATCH');
    const [p, payload, sig] = s5.state.split('.');
    const altered = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    altered.e += 3600_000;
    const forged = `${p}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${sig}`;
    assert.equal((await callback('wecom', 'x', forged, s5.cookie)).body.error.code, 'SSO_STATE_MISMATCH');
    assert.equal((await callback('dingtalk', 'x', s5.state, s5.cookie)).status, 400, 'a state of another provider');

    // Expired: a correctly signed state whose 10 minutes are over.
    const old = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), e: Date.now() - 1 };
    const body = `login.${Buffer.from(JSON.stringify(old)).toString('base64url')}`;
    const key = t.services.fieldCrypto.subkey('xianfeng/sso-state/v1');
    const expired = `${body}.${crypto.createHmac('sha256', key).update(body).digest('base64url')}`;
    const late = await callback('wecom', fake.wecomCode(corp.corpid, 'chenzhiyuan'), expired, s5.cookie);
    assert.equal(late.status, 400);
    assert.equal(late.body.error.code, 'SSO_STATE_EXPIRED');
    assert.match(late.body.error.message, /已过期/);

    const garbage = await callback('wecom', 'x', 'not-a-state', s5.cookie);
    assert.equal(garbage.status, 400);
  });

  it('an account bound to one user cannot be bound by another (409); a member cannot unbind someone else', async () => {
    const other = await t.login('jijian');
    const b = await start('wecom', other);
    const taken = await bind('wecom', other, fake.wecomCode(corp.corpid, 'chenzhiyuan'), b.state, b.cookie);
    assert.equal(taken.status, 409, taken.raw);
    assert.match(taken.body.error.message, /已绑定其他用户/);
    // A binding state is the binder's own: another signed-in user cannot use it.
    const member = await t.login('dangyuan');
    const mineState = await start('wecom', member);
    const stolen = await bind(
      'wecom',
      other,
      fake.wecomCode(corp.corpid, 'jijian01'),
      mineState.state,
      mineState.cookie,
    );
    assert.equal(stolen.body.error.code, 'SSO_STATE_MISMATCH');
    // A second WeCom account for a user who has one.
    const again = await start('wecom', member);
    const second = await bind('wecom', member, fake.wecomCode(corp.corpid, 'jijian01'), again.state, again.cookie);
    assert.equal(second.status, 409);
    assert.match(second.body.error.message, /先解除绑定/);

    const list = await get('/sso/bindings', admin);
    assert.equal(list.status, 200);
    const theirs = list.body.items.find((i: { username: string }) => i.username === 'dangyuan');
    assert.ok(theirs);
    const probe = await del(`/sso/bindings/${theirs.id}`, other);
    assert.equal(probe.status, 403, 'a member reaches no one else’s binding');
    const notMine = await post('/me/sso/unbind', other, { provider: 'wecom' });
    assert.equal(notMine.status, 404, 'unbinding acts on the caller’s own binding only');
    assert.equal((await get('/me/sso', member)).body.bindings.length, 1);

    // The personal-data copy lists the bindings.
    const copy = await t.request({ method: 'POST', url: '/api/v1/me/personal-data', token: member });
    assert.equal(copy.status, 200);
    assert.match(copy.raw, /chenzhiyuan/);

    const self = await post('/me/sso/unbind', member, { provider: 'wecom' });
    assert.equal(self.status, 204);
    const b2 = await start('wecom', other);
    const now = await bind('wecom', other, fake.wecomCode(corp.corpid, 'jijian01'), b2.state, b2.cookie);
    assert.equal(now.status, 200, now.raw);
    const byAdmin = await del(`/sso/bindings/${now.body.id}`, admin);
    assert.equal(byAdmin.status, 204);
    const unbinds = await audit('auth.sso.unbind');
    assert.deepEqual(
      unbinds.map((u) => u.after!.by),
      ['self', 'admin'],
    );
  });

  it('DingTalk: new OAuth2 code exchange, unionId bound once, code once, another organisation refused', async () => {
    const app = fake.dingApp('dingclientid0001');
    const saved = await put('/sso/apps/dingtalk', admin, {
      appId: app.clientId,
      secret: app.secret,
      corpId: app.corpId,
    });
    assert.equal(saved.status, 200, saved.raw);
    const s = await start('dingtalk');
    assert.equal(s.url.pathname, '/oauth2/auth');
    assert.equal(s.url.searchParams.get('client_id'), app.clientId);
    assert.equal(s.url.searchParams.get('scope'), 'openid corpid');
    assert.equal(s.url.searchParams.get('prompt'), 'consent');

    const member = await t.login('dangyuan');
    const b = await start('dingtalk', member);
    const bound = await bind('dingtalk', member, fake.dingCode(app.clientId, 'union-chen'), b.state, b.cookie);
    assert.equal(bound.status, 200, bound.raw);
    const tokenCall = fake.calls.filter((c) => c.path === '/v1.0/oauth2/userAccessToken').at(-1)!;
    assert.deepEqual(Object.keys(tokenCall.body as object).sort(), ['clientId', 'clientSecret', 'code', 'grantType']);
    assert.equal((tokenCall.body as { grantType: string }).grantType, 'authorization_code');
    assert.ok(fake.calls.some((c) => c.path === '/v1.0/contact/users/me' && c.headers['x-acs-dingtalk-access-token']));

    const code = fake.dingCode(app.clientId, 'union-chen');
    const s1 = await start('dingtalk');
    const signed = await callback('dingtalk', code, s1.state, s1.cookie);
    assert.equal(signed.body.status, 'signedIn', signed.raw);
    assert.equal(signed.body.user.username, 'dangyuan');
    const s2 = await start('dingtalk');
    const twice = await callback('dingtalk', code, s2.state, s2.cookie);
    assert.equal(twice.status, 400);
    assert.match(twice.body.error.message, /钉钉授权码无效或已使用/);

    fake.chooseDingCorp('dingSOMEOTHERORG');
    const s3 = await start('dingtalk');
    const otherOrg = await callback('dingtalk', fake.dingCode(app.clientId, 'union-chen'), s3.state, s3.cookie);
    fake.chooseDingCorp(null);
    assert.equal(otherOrg.status, 403);
    assert.match(otherOrg.body.error.message, /不是本单位/);

    // A wrong secret is the admin's mistake, said so — not a 5xx.
    await put('/sso/apps/dingtalk', admin, { appId: app.clientId, secret: 'wrong-secret', corpId: app.corpId });
    const s4 = await start('dingtalk');
    const bad = await callback('dingtalk', fake.dingCode(app.clientId, 'union-chen'), s4.state, s4.cookie);
    assert.equal(bad.status, 409);
    assert.match(bad.body.error.message, /应用配置有误/);
  });
});
