// @fixed-days: 党龄 and probation counted from dates (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

describe('member lifecycle: profile, transfers, 流动党员, 出党', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  let admin: string;
  let branchA: string;
  let branchB: string;
  const firstMember = async (orgId: string, skip = 0) =>
    (await get(`/members?orgId=${orgId}&pageSize=10`, admin)).body.items[skip];
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
  });
  after(() => t.close());

  it('updates a profile, keeps the ID check, and audits before/after with numbers redacted', async () => {
    const m = await firstMember(branchA, 1);
    const r = await patch(`/members/${m.id}`, admin, { jobTitle: '值长', phone: '13900009999' });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.jobTitle, '值长');
    assert.equal(r.body.phone, '139****9999');
    const bad = await patch(`/members/${m.id}`, admin, { birthDate: '1950-01-01' });
    assert.equal(bad.status, 422);
    const [audit] = await queryRows<{ before: Record<string, string>; after: Record<string, string> }>(
      t.services.db,
      sql`select before, after from audit_log where action = 'member.update' and entity_id = ${m.id}`,
    );
    assert.equal(audit!.after.phone, '[已脱敏]');
    assert.equal(audit!.after.jobTitle, '值长');
  });

  it('moves a member between branches only when the receiving branch confirms', async () => {
    const m = await firstMember(branchA, 2);
    const sec = await t.login('shuji');
    const req = await post(`/members/${m.id}/transfers`, sec, {
      direction: 'internal',
      toOrgId: branchB,
      reason: '工作调动',
    });
    assert.equal(req.status, 201, req.raw);
    assert.equal(req.body.status, 'pending');
    // Until received, the old branch stays responsible.
    assert.equal((await get(`/members/${m.id}`, admin)).body.orgId, branchA);
    const again = await post(`/members/${m.id}/transfers`, sec, {
      direction: 'internal',
      toOrgId: branchB,
      reason: '重复',
    });
    assert.equal(again.status, 409);
    // The sending secretary cannot confirm for the receiver.
    assert.equal((await post(`/transfers/${req.body.id}/decision`, sec, { accept: true })).status, 404);
    const receiver = await t.login('shuji2');
    const incoming = await get('/transfers?status=pending', receiver);
    assert.ok(incoming.body.items.some((x: { id: string }) => x.id === req.body.id));
    const ok = await post(`/transfers/${req.body.id}/decision`, receiver, { accept: true });
    assert.equal(ok.status, 200);
    assert.equal((await get(`/members/${m.id}`, admin)).body.orgId, branchB);
    assert.equal((await post(`/transfers/${req.body.id}/decision`, receiver, { accept: true })).status, 409);
  });

  it('transfers a member out of the enterprise with a printable letter and keeps the record', async () => {
    const m = await firstMember(branchA, 3);
    const r = await post(`/members/${m.id}/transfers`, admin, {
      direction: 'out',
      destination: '中共某市某区委组织部',
      letterNo: '华电组〔2026〕18号',
      reason: '调离本企业',
    });
    assert.equal(r.status, 201);
    assert.ok(r.body.validUntil > r.body.requestedAt.slice(0, 10));
    const letter = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/${r.body.id}/letter`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(letter.statusCode, 200);
    assert.match(letter.body, /华电组〔2026〕18号/);
    assert.match(letter.body, new RegExp(m.name));
    const list = await get(`/members?orgId=${branchA}&q=${encodeURIComponent(m.name)}`, admin);
    assert.ok(!list.body.items.some((x: { id: string }) => x.id === m.id), 'no longer in the active roster');
    const [kept] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member where id = ${m.id}`,
    );
    assert.equal(kept!.n, 1, 'never deleted');
  });

  it('registers as 流动党员 only a member away 6 months or more (FLOW_RULE)', async () => {
    const m = await firstMember(branchA, 4);
    const flow = (expectedUntil: string) =>
      post(`/members/${m.id}/flow`, admin, { location: '新疆哈密项目', since: '2026-01-05', expectedUntil });
    const short = await flow('2026-07-04');
    assert.equal(short.status, 422, short.raw);
    assert.match(short.body.error.message, /外出不满 6 个月（2026-07-05 前返回）的，不作为流动党员登记/);
    assert.equal((await get(`/members/${m.id}`, admin)).body.flowing, false);
    assert.equal((await flow('2026-07-05')).status, 201, 'exactly six months');
    const [row] = await queryRows<{ expected_until: string }>(
      t.services.db,
      sql`select expected_until from member_flow where member_id = ${m.id} and ended_on is null`,
    );
    assert.equal(row!.expected_until, '2026-07-05');
  });

  it('flags a flowing member 失联 after six months without contact, and clears it on contact', async () => {
    const m = await firstMember(branchA, 4);
    const reg = await post(`/members/${m.id}/flow`, admin, {
      location: '新疆哈密项目',
      since: '2026-01-05',
      expectedUntil: '2027-01-05',
      contact: '微信',
    });
    assert.equal(reg.status, 201, reg.raw);
    // Party business days are Beijing days, as the app counts them (the database's current_date is UTC).
    const cnToday = todayInChina();
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${cnToday}::date - interval '6 months' where member_id = ${m.id}`,
    );
    const lost = await get(`/flowing?orgId=${branchA}`, admin);
    assert.equal(lost.body.items.find((x: { memberId: string }) => x.memberId === m.id).lostContact, true);
    await t.services.db.execute(
      sql`update member_flow set last_contact_on = ${cnToday}::date - interval '6 months' + interval '1 day' where member_id = ${m.id}`,
    );
    const notYet = await get(`/flowing?orgId=${branchA}`, admin);
    assert.equal(notYet.body.items.find((x: { memberId: string }) => x.memberId === m.id).lostContact, false);
    const today = todayInChina();
    assert.equal((await post(`/members/${m.id}/flow/contact`, admin, { on: today })).status, 200);
    const after = await get(`/flowing?orgId=${branchA}`, admin);
    assert.equal(after.body.items.find((x: { memberId: string }) => x.memberId === m.id).lostContact, false);
    assert.equal(
      (await get(`/members?orgId=${branchA}&flowing=true&pageSize=200`, admin)).body.items.some(
        (x: { id: string }) => x.id === m.id,
      ),
      true,
    );
  });

  it('flags 失联 only after six whole calendar months at a month end (no month overflow: 08-31 minus 6 months is 02-28)', async () => {
    const m = await firstMember(branchA, 5);
    setClock('2026-08-31');
    try {
      const reg = await post(`/members/${m.id}/flow`, admin, {
        location: '海外项目部',
        since: '2026-01-05',
        expectedUntil: '2027-06-30',
        contact: '电话',
      });
      assert.equal(reg.status, 201, reg.raw);
      const lostOf = async () =>
        (await get(`/flowing?orgId=${branchA}&pageSize=200`, admin)).body.items.find(
          (x: { memberId: string }) => x.memberId === m.id,
        ).lostContact;
      await t.services.db.execute(
        sql`update member_flow set last_contact_on = '2026-03-01' where member_id = ${m.id} and ended_on is null`,
      );
      assert.equal(await lostOf(), false, 'last contact 03-01: six months are up on 09-01, not on 08-31');
      await t.services.db.execute(
        sql`update member_flow set last_contact_on = '2026-02-28' where member_id = ${m.id} and ended_on is null`,
      );
      assert.equal(await lostOf(), true);
    } finally {
      setClock(null);
    }
  });

  it('filters the roster by age band on 29 February (a date shifted by whole years stays a real date)', async () => {
    setClock('2028-02-29');
    try {
      const r = await get(`/members?orgId=${branchA}&ageBand=31-35&pageSize=5`, admin);
      assert.equal(r.status, 200, r.raw);
    } finally {
      setClock(null);
    }
  });

  it('records 出党 with a reason, keeps the record read-only, and rejects a date before joining', async () => {
    const m = await firstMember(branchA, 5);
    const early = await post(`/members/${m.id}/exit`, admin, { reason: 'death', date: '1900-01-01' });
    assert.equal(early.status, 422);
    const r = await post(`/members/${m.id}/exit`, admin, { reason: 'death', date: todayInChina(), note: '病故' });
    assert.equal(r.status, 200);
    const edit = await patch(`/members/${m.id}`, admin, { jobTitle: 'x' });
    assert.equal(edit.status, 409);
  });

  it('shows members their own record with full numbers, and nothing to an account without one', async () => {
    const me = await get('/members/me', await t.login('dangyuan'));
    assert.equal(me.status, 200);
    assert.equal(me.body.name, '陈志远');
    assert.match(me.body.idCardNo, /^\d{17}[\dX]$/);
    assert.equal((await get('/members/me', await t.login('shenji'))).status, 404);
  });
});

describe('member accounts', () => {
  let t: TestApp;
  const { get } = api(() => t);
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('opens accounts for a branch: login by phone, one-time password list, forced change at first login', async () => {
    const sec = await t.login('shuji');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/accounts',
      headers: { authorization: `Bearer ${sec}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const created = Number(res.headers['x-created']);
    assert.ok(created > 5);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const row = wb.getWorksheet('党员账号')!.getRow(2);
    const username = String(row.getCell(3).value);
    const password = String(row.getCell(4).value);
    const token = await t.login(username, password);
    const me = await get('/me', token);
    assert.equal(me.body.mustChangePassword, true);
    assert.equal(me.body.roles[0].role, 'member');
    // Running it again opens nothing twice.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/accounts',
      headers: { authorization: `Bearer ${sec}` },
    });
    assert.equal(Number(again.headers['x-created']), 0);
  });
});
