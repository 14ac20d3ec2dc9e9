/**
 * Security review #14, finding 6: member accounts were named by the member's phone number, so the
 * account list (`GET /users`), audit actor names and audit entries showed it in full while the roster
 * masked it. Rule: a login name is not personal data — member accounts get a generated login name,
 * members still sign in with their phone (through the blind index), a username may not contain a phone,
 * accounts opened before are renamed at start, and phones already written into the audit log are masked
 * when the log is read.
 *
 * On the code before the fix, "opens accounts …" failed (the account list and the audit log named the
 * members' phones), and so did the username and backfill tests (a phone username was accepted; no rename).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { writeAudit, verifyAuditChain } from '../../platform/audit';
import { queryRows } from '../../platform/db';
import { api, DEMO_PASSWORD, startTestApp, type TestApp } from '../../testing/harness';
import { renamePhoneLogins } from './accounts';
import { member } from './schema';

describe('security #14.6: phone numbers are not login names', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const phonesOf = async (where: ReturnType<typeof sql>) =>
    (
      await queryRows<{ id: string; phone_enc: string; user_id: string | null; name: string }>(
        t.services.db,
        sql`select id, phone_enc, user_id, name from member where ${where}`,
      )
    ).map((r) => ({
      phone: t.services.fieldCrypto.decrypt(r.phone_enc, member.phoneEnc, r.id),
      userId: r.user_id,
      name: r.name,
    }));

  /** Every page of a list, as one text. */
  async function allPages(url: string, token: string): Promise<string> {
    let text = '';
    for (let page = 1; ; page++) {
      const r = await t.request({
        method: 'GET',
        url: `${url}${url.includes('?') ? '&' : '?'}page=${page}&pageSize=200`,
        token,
      });
      assert.equal(r.status, 200, r.raw);
      text += r.raw;
      if (page * 200 >= r.body.total) return text;
    }
  }

  it('opens accounts with login names: the account list and the audit log name no phone, members sign in with either', async () => {
    const sec = await t.login('shuji');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/accounts',
      headers: { authorization: `Bearer ${sec}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('党员账号')!;
    assert.equal(sheet.getRow(1).getCell(3).text, '登录名');
    const opened = await phonesOf(sql`user_id is not null and org_id = ${await t.orgId('第一发电厂党支部')}`);
    assert.ok(opened.length > 5);
    const phones = opened.map((o) => o.phone);

    const first = sheet.getRow(2);
    const username = first.getCell(3).text;
    const password = first.getCell(4).text;
    assert.match(username, /^dy[2-9a-hj-km-np-z]{8}$/, 'a generated login name');
    assert.ok(!phones.includes(username));

    // What the security review saw: the org department's account list and the auditor's log.
    const users = await allPages('/api/v1/users', await t.login('zuzhibu'));
    const audit = await allPages('/api/v1/audit', await t.login('shenji'));
    for (const p of phones) {
      assert.ok(!users.includes(p), `GET /users names phone ${p}`);
      assert.ok(!audit.includes(p), `GET /audit names phone ${p}`);
    }

    // The member signs in with the login name, and with their phone (written any usual way).
    const userId = (
      await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = ${username}`)
    )[0]!.id;
    // The sheet's first row may be a member of one of the branch's 党小组 (the run covers the secretary's subtree).
    const [own] = await phonesOf(sql`user_id = ${userId}`);
    assert.ok(own, `the member of ${username}`);
    for (const typed of [
      username,
      own.phone,
      `+86 ${own.phone.slice(0, 3)} ${own.phone.slice(3, 7)} ${own.phone.slice(7)}`,
    ]) {
      const r = await post('/auth/login', undefined, { username: typed, password });
      assert.equal(r.status, 200, `${typed}: ${r.raw}`);
      assert.equal(r.body.user.username, username);
    }
    // The demo member signs in by name and by the phone of their member record.
    const [demo] = await phonesOf(sql`user_id = (select id from app_user where username = 'dangyuan')`);
    const byPhone = await post('/auth/login', undefined, { username: demo!.phone, password: DEMO_PASSWORD });
    assert.equal(byPhone.status, 200, byPhone.raw);
    assert.equal(byPhone.body.user.username, 'dangyuan');

    // The personal-data copy says so, and names the login name.
    const copy = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/personal-data',
      headers: { authorization: `Bearer ${byPhone.body.token}` },
    });
    const data = JSON.parse(copy.body);
    assert.equal(data.account.username, 'dangyuan');
    assert.equal(data.account.signInWithPhone, true);

    // Again: nothing is opened twice.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/accounts',
      headers: { authorization: `Bearer ${sec}` },
    });
    assert.equal(Number(again.headers['x-created']), 0);
  });

  it('a phone shared by two accounts opens neither: the right password is told to use the login name (409, Chinese)', async () => {
    const [demo] = await phonesOf(sql`user_id = (select id from app_user where username = 'dangyuan')`);
    const otherId = await t.memberId('jijian');
    const fc = t.services.fieldCrypto;
    const [before] = await queryRows<{ phone_enc: string; phone_idx: string }>(
      t.services.db,
      sql`select phone_enc, phone_idx from member where id = ${otherId}`,
    );
    await t.services.db.execute(
      sql`update member set phone_enc = ${fc.encrypt(demo!.phone, member.phoneEnc, otherId)}, phone_idx = ${fc.blindIndex(demo!.phone)} where id = ${otherId}`,
    );
    try {
      const right = await post('/auth/login', undefined, { username: demo!.phone, password: DEMO_PASSWORD });
      assert.equal(right.status, 409, right.raw);
      assert.equal(right.body.error.code, 'PHONE_AMBIGUOUS');
      assert.match(right.body.error.message, /多个账号.*登录名/);
      const wrong = await post('/auth/login', undefined, { username: demo!.phone, password: 'not-the-password-1' });
      assert.equal(wrong.status, 401, 'a wrong password learns nothing about the phone');
      const byName = await post('/auth/login', undefined, { username: 'dangyuan', password: DEMO_PASSWORD });
      assert.equal(byName.status, 200, 'the login name still works');
    } finally {
      await t.services.db.execute(
        sql`update member set phone_enc = ${before!.phone_enc}, phone_idx = ${before!.phone_idx} where id = ${otherId}`,
      );
    }
  });

  it('counts wrong passwords against the account whichever name is typed (phone and login name share one lockout)', async () => {
    const [m] = await phonesOf(
      sql`user_id is not null and user_id <> (select id from app_user where username = 'dangyuan') order by id limit 1`,
    );
    const name = (
      await queryRows<{ username: string }>(t.services.db, sql`select username from app_user where id = ${m!.userId}`)
    )[0]!.username;
    for (let i = 0; i < 5; i++) {
      const r = await post('/auth/login', undefined, {
        username: i % 2 ? name : m!.phone,
        password: 'wrong-Password-1',
      });
      assert.equal(r.status, 401);
    }
    const locked = await post('/auth/login', undefined, { username: name, password: 'wrong-Password-1' });
    assert.equal(locked.status, 423, 'five failures through phone and name lock the account');
  });

  it('refuses a username that is or contains a phone number (4xx, in Chinese)', async () => {
    const admin = await t.login('zuzhibu');
    for (const username of ['13800138000', 'zhang13800138000', '8613800138000']) {
      const r = await post('/users', admin, {
        username,
        password: 'Good-Passw0rd!',
        roles: [{ role: 'member', orgId: await t.orgId('第一发电厂党支部') }],
      });
      assert.ok(r.status === 400 || r.status === 422, `${username}: ${r.raw}`);
      assert.match(r.raw, /用户名不能含手机号/);
    }
  });

  it('renames accounts opened as phone numbers at start; old audit entries are shown masked and the chain still verifies', async () => {
    // An account as the old code opened it: username = phone, with a transfer it requested and audit entries it wrote.
    const [m] = await queryRows<{ id: string; phone_enc: string; org_id: string }>(
      t.services.db,
      sql`select id, phone_enc, org_id from member where user_id is null and left_at is null and org_id = ${await t.orgId('研发中心党支部')} order by id limit 1`,
    );
    const phone = t.services.fieldCrypto.decrypt(m!.phone_enc, member.phoneEnc, m!.id);
    const [hash] = await queryRows<{ password_hash: string }>(
      t.services.db,
      sql`select password_hash from app_user where username = 'dangyuan'`,
    );
    const [u] = await queryRows<{ id: string }>(
      t.services.db,
      sql`insert into app_user (tenant_id, username, display_name, password_hash, must_change_password)
          values (${t.tenantId}, ${phone}, '旧账号', ${hash!.password_hash}, false) returning id`,
    );
    await t.services.db.execute(
      sql`insert into user_role (tenant_id, user_id, role, org_id) values (${t.tenantId}, ${u!.id}, 'member', ${m!.org_id})`,
    );
    await t.services.db.execute(sql`update member set user_id = ${u!.id} where id = ${m!.id}`);
    await t.services.db.execute(
      sql`insert into member_transfer (tenant_id, member_id, direction, from_org_id, reason, status, requested_by)
          values (${t.tenantId}, ${m!.id}, 'out', ${m!.org_id}, '测试', 'rejected', ${phone})`,
    );
    await t.services.db.transaction((tx) =>
      writeAudit(
        tx,
        { tenantId: t.tenantId, userId: u!.id, username: phone, requestId: null },
        {
          action: 'user.create',
          entityType: 'user',
          entityId: u!.id,
          after: { username: phone, note: `旧账号 ${phone}` },
        },
      ),
    );

    assert.ok((await renamePhoneLogins(t.services.db)) >= 1);
    const [renamed] = await queryRows<{ username: string }>(
      t.services.db,
      sql`select username from app_user where id = ${u!.id}`,
    );
    assert.match(renamed!.username, /^dy/);
    const [tr] = await queryRows<{ requested_by: string }>(
      t.services.db,
      sql`select requested_by from member_transfer where member_id = ${m!.id}`,
    );
    assert.equal(tr!.requested_by, renamed!.username);

    // Still signs in with the phone.
    const r = await post('/auth/login', undefined, { username: phone, password: DEMO_PASSWORD });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.user.username, renamed!.username);

    const auditor = await t.login('shenji');
    const audit = await allPages('/api/v1/audit', auditor);
    assert.ok(!audit.includes(phone), 'the old entries are masked');
    assert.ok(audit.includes(`${phone.slice(0, 3)}****${phone.slice(-4)}`));
    // Searching the log for the number finds nothing by actor name (no phone oracle).
    const search = await get(`/audit?q=${phone}`, auditor);
    assert.equal(search.body.total, 0);
    assert.ok(!(await allPages('/api/v1/users', await t.login('zuzhibu'))).includes(phone));
    assert.equal((await verifyAuditChain(t.services.db)).ok, true);
  });
});
