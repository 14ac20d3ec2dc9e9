import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { memberHomeReads, todayInChina } from '@xianfeng/shared';
import { queryRows } from './db';
import { api, ADMIN_PASSWORD, DEMO_PASSWORD, startTestApp, type TestApp } from '../testing/harness';

describe('authentication', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers 401 with a Chinese message for a wrong password and for an unknown user alike', async () => {
    const wrong = await post('/auth/login', undefined, { username: 'shuji', password: 'nope' });
    const unknown = await post('/auth/login', undefined, { username: 'ghost', password: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.message, '用户名或密码错误');
    assert.deepEqual(wrong.body, unknown.body);
  });

  it('locks an account with 423 after 5 failures in 15 minutes, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await post('/auth/login', undefined, { username: 'shuji2', password: `bad-${i}` });
      assert.equal(r.status, 401);
    }
    const r = await post('/auth/login', undefined, { username: 'shuji2', password: DEMO_PASSWORD });
    assert.equal(r.status, 423);
    assert.equal(r.body.error.code, 'ACCOUNT_LOCKED');
  });

  it('locks out parallel guesses too: of 55 wrong passwords sent at once, only 5 are checked and the rest answer 423 (security finding 3)', async () => {
    const replies = await Promise.all(
      Array.from({ length: 55 }, (_, i) =>
        post('/auth/login', undefined, { username: 'zuzhibu', password: `guess-${i}` }),
      ),
    );
    const codes = replies.map((r) => r.status);
    assert.equal(codes.filter((c) => c === 401).length, 5, `answers: ${codes.join(',')}`);
    assert.equal(codes.filter((c) => c === 423).length, 50);
    const right = await post('/auth/login', undefined, { username: 'zuzhibu', password: DEMO_PASSWORD });
    assert.equal(right.status, 423, 'locked even for the right password');
  });

  it('limits guesses of the old password through a session the same way, without locking the sign-in (security finding 3)', async () => {
    const token = await t.login('shenji');
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post('/auth/password', token, { oldPassword: `guess-${i}`, newPassword: 'Another-Pass-9' }),
      ),
    );
    const codes = replies.map((r) => r.status);
    assert.equal(codes.filter((c) => c === 400).length, 5, `answers: ${codes.join(',')}`);
    assert.equal(codes.filter((c) => c === 423).length, 7);
    const right = await post('/auth/password', token, { oldPassword: DEMO_PASSWORD, newPassword: 'Another-Pass-9' });
    assert.equal(right.status, 423);
    await t.login('shenji'); // signing in is not locked by it
  });

  it('does not lock after 4 failures, and a success resets the count', async () => {
    for (let i = 0; i < 4; i++) await post('/auth/login', undefined, { username: 'dianli', password: 'bad' });
    await t.login('dianli');
    for (let i = 0; i < 4; i++) await post('/auth/login', undefined, { username: 'dianli', password: 'bad' });
    await t.login('dianli');
  });

  it('sets an HttpOnly SameSite=Lax session cookie that authenticates like the bearer token', async () => {
    const r = await post('/auth/login', undefined, { username: 'shenji', password: DEMO_PASSWORD });
    const cookie = String(r.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const me = await t.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'shenji');
    // The token itself is never stored: only its hash is in the session table.
    const [stored] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from session where token_hash = ${r.body.token}`,
    );
    assert.equal(stored!.n, 0);
  });

  it('forces admin to change the initial password before anything else', async () => {
    const token = await t.login('admin');
    const blocked = await get(`/orgs/${t.rootOrgId}`, token);
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.error.code, 'PASSWORD_CHANGE_REQUIRED');
    const me = await get('/me', token);
    assert.equal(me.body.mustChangePassword, true);
    const weak = await post('/auth/password', token, { oldPassword: ADMIN_PASSWORD, newPassword: 'admin1234' });
    assert.equal(weak.status, 422);
    assert.match(weak.body.error.message, /用户名|三类/);
    const same = await post('/auth/password', token, { oldPassword: ADMIN_PASSWORD, newPassword: ADMIN_PASSWORD });
    assert.equal(same.status, 422);
    const wrongOld = await post('/auth/password', token, { oldPassword: 'x', newPassword: 'Fine-Pass-99' });
    assert.equal(wrongOld.status, 400);
    const ok = await post('/auth/password', token, { oldPassword: ADMIN_PASSWORD, newPassword: 'Fine-Pass-99' });
    assert.equal(ok.status, 204);
    const now = await get(`/orgs/${t.rootOrgId}`, token);
    assert.equal(now.status, 200);
  });

  it('rejects forged, expired and idle tokens, and tokens after logout', async () => {
    const forged = await get('/me', 'forged-token-value');
    assert.equal(forged.status, 401);

    const token = await t.login('dangyuan');
    await t.services.db.execute(
      sql`update session set expires_at = now() - interval '1 second' where user_id = (select id from app_user where username = 'dangyuan')`,
    );
    assert.equal((await get('/me', token)).status, 401);

    const idle = await t.login('dangyuan');
    await t.services.db.execute(
      sql`update session set last_seen_at = now() - interval '3 hours' where user_id = (select id from app_user where username = 'dangyuan')`,
    );
    const r = await get('/me', idle);
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'SESSION_EXPIRED');

    const live = await t.login('dangyuan');
    assert.equal((await t.request({ method: 'POST', url: '/api/v1/auth/logout', token: live })).status, 204);
    assert.equal((await get('/me', live)).status, 401);
  });

  it('issues a fresh session at login whatever session cookie the browser brought (no fixation)', async () => {
    const planted = 'attacker-chosen-session-value-0123456789';
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { username: 'shenji', password: DEMO_PASSWORD },
      headers: { cookie: `xf_session=${planted}` },
    });
    assert.equal(r.status, 200);
    const issued = /xf_session=([^;]+)/.exec(String(r.headers['set-cookie']))?.[1];
    assert.ok(issued && issued !== planted, 'a new server-made token is set');
    assert.equal(
      (await t.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: `xf_session=${planted}` } })).status,
      401,
    );
  });

  it('rejects a cookie-authenticated write from another origin (CSRF)', async () => {
    const r = await post('/auth/login', undefined, { username: 'shenji', password: DEMO_PASSWORD });
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    const res = await t.request({
      method: 'PATCH',
      url: '/api/v1/me/prefs',
      body: { largeFont: true },
      headers: { cookie, origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'CSRF_REJECTED');
  });

  it('remembers the large-font preference per user', async () => {
    const token = await t.login('dangyuan');
    assert.equal((await patch('/me/prefs', token, { largeFont: true })).status, 204);
    const again = await t.login('dangyuan');
    assert.equal((await get('/me', again)).body.prefs.largeFont, true);
    const other = await t.login('shuji');
    assert.equal((await get('/me', other)).body.prefs.largeFont, false);
  });

  it('answers the member home in one round trip, each read exactly as its own route answers the same caller', async () => {
    const token = await t.login('dangyuan');
    const home = await get('/me/home', token);
    assert.equal(home.status, 200);
    const reads = memberHomeReads(todayInChina());
    assert.deepEqual(Object.keys(home.body.reads).sort(), Object.keys(reads).sort());
    for (const [key, path] of Object.entries(reads)) {
      const own = await t.request({ method: 'GET', url: `/api/v1${path}`, token });
      const got = home.body.reads[key];
      assert.equal(got.status, 200, `${key}: ${JSON.stringify(got.body)}`);
      assert.equal(own.status, 200, key);
      assert.deepEqual(got.body, own.body, key);
    }
    assert.ok(home.body.reads.member.body.name, 'the member record itself');
    assert.equal((await get('/me/home')).status, 401, 'anonymous: refused before any read runs');
    // It grants nothing: a manager without a member record gets each read's own answer — the member record's own
    // refusal, in Chinese — beside the rest.
    const other = await t.login('dianli');
    const theirs = await get('/me/home', other);
    assert.equal(theirs.status, 200);
    for (const [key, path] of Object.entries(reads))
      assert.equal(
        theirs.body.reads[key].status,
        (await t.request({ method: 'GET', url: `/api/v1${path}`, token: other })).status,
        key,
      );
    const member = theirs.body.reads.member;
    assert.ok(member.status >= 400 && member.status < 500, `members/me for a non-member: ${member.status}`);
    assert.match(member.body.error.message, /[\u4e00-\u9fff]/);
  });
  it('refuses a role binding in a tenant other than its user’s (migration 0072: user_role (tenant_id, user_id) → app_user)', async () => {
    const db = t.services.db;
    const [other] = await queryRows<{ tenant_id: string; org_id: string }>(
      db,
      sql`with x as (insert into tenant (name) values ('别的企业') returning id)
          insert into org (tenant_id, name, kind, path, depth) select id, '别的党委', 'committee', '/888888/', 0 from x
          returning tenant_id, id as org_id`,
    );
    const [shuji] = await queryRows<{ id: string; tenant_id: string; org_id: string }>(
      db,
      sql`select u.id, u.tenant_id, r.org_id from app_user u join user_role r on r.tenant_id = u.tenant_id and r.user_id = u.id
          where u.username = 'shuji' limit 1`,
    );
    const bind = (tenantId: string, orgId: string) =>
      db.execute(
        sql`insert into user_role (tenant_id, user_id, role, org_id) values (${tenantId}, ${shuji!.id}, 'admin', ${orgId})`,
      );
    const refusal = (e: Error) =>
      /user_role_user_tenant_fk/.test(`${e.message} ${(e.cause as Error | undefined)?.message}`);
    await assert.rejects(bind(other!.tenant_id, other!.org_id), refusal, 'the other tenant, its own org');
    // The key is the pair: the user's id alone (the single-column key) would let this through (since 0076 the org's
    // key, (tenant_id, org_id), refuses it too).
    await assert.rejects(
      bind(other!.tenant_id, shuji!.org_id),
      (e: Error) =>
        refusal(e) || /user_role_org_tenant_fk/.test(`${e.message} ${(e.cause as Error | undefined)?.message}`),
      'the other tenant, the user’s org',
    );
    // In the user's own tenant the same insert is accepted (then removed: the rest of the file reads shuji's roles).
    await bind(shuji!.tenant_id, shuji!.org_id);
    await db.execute(
      sql`delete from user_role where tenant_id = ${shuji!.tenant_id} and user_id = ${shuji!.id} and role = 'admin'`,
    );
  });

  it('refuses a role’s org, a member’s org and a member’s account in another tenant (migration 0076: keys with tenant_id)', async () => {
    const db = t.services.db;
    const [other] = await queryRows<{ tenant_id: string; org_id: string; user_id: string }>(
      db,
      sql`with x as (insert into tenant (name) values ('另一企业') returning id),
               o as (insert into org (tenant_id, name, kind, path, depth) select id, '另一党委', 'committee', '/888889/', 0 from x
                     returning tenant_id, id),
               u as (insert into app_user (tenant_id, username, password_hash) select id, 'other-tenant-user', '-' from x
                     returning id)
          select o.tenant_id, o.id as org_id, u.id as user_id from o, u`,
    );
    const [shuji] = await queryRows<{ id: string; tenant_id: string }>(
      db,
      sql`select id, tenant_id from app_user where username = 'shuji'`,
    );
    const [m] = await queryRows<{ id: string; org_id: string }>(
      db,
      sql`select id, org_id from member where tenant_id = ${shuji!.tenant_id} and user_id is null limit 1`,
    );
    const refusedBy = (name: string) => (e: Error) =>
      new RegExp(name).test(`${e.message} ${(e.cause as Error | undefined)?.message}`);
    // Each row names its own tenant, the reference another tenant's row: the id alone (the old keys) let it through.
    await assert.rejects(
      db.execute(
        sql`insert into user_role (tenant_id, user_id, role, org_id) values (${shuji!.tenant_id}, ${shuji!.id}, 'admin', ${other!.org_id})`,
      ),
      refusedBy('user_role_org_tenant_fk'),
      'a role at another tenant’s org',
    );
    await assert.rejects(
      db.execute(sql`update member set org_id = ${other!.org_id} where id = ${m!.id}`),
      refusedBy('member_org_tenant_fk'),
      'a member moved to another tenant’s org',
    );
    await assert.rejects(
      db.execute(sql`update member set user_id = ${other!.user_id} where id = ${m!.id}`),
      refusedBy('member_user_tenant_fk'),
      'a member linked to another tenant’s account',
    );
    // Nothing changed; a reference inside the tenant is accepted as before.
    const [kept] = await queryRows<{ org_id: string; user_id: string | null }>(
      db,
      sql`select org_id, user_id from member where id = ${m!.id}`,
    );
    assert.deepEqual(kept, { org_id: m!.org_id, user_id: null });
    await db.execute(sql`update member set org_id = ${m!.org_id} where id = ${m!.id}`);
  });
});
