/**
 * Issue 16 item 5, reaching people: a branch secretary and the org department see a member's full
 * phone number one member at a time, only in their own scope, and every reveal is in the audit log
 * (PHONE_REVEALERS, 个人信息保护法第六条 as the principle). Everyone else keeps the mask. The arrears
 * list carries a contact column (masked) and an export with numbers for calling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp, signIn } from '../../testing/harness';

const MASKED = /^1\d{2}\*{4}\d{4}$/;
const FULL = /^1\d{10}$/;

describe('issue 16.5: revealing a member’s phone number, audited', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let secretary: string;
  let otherSecretary: string;
  let orgDept: string;
  let member: string;
  let auditor: string;
  let admin: string;
  let plantMember: string;
  let labMember: string;

  const audits = async (action: string, entityId: string | null = null) =>
    queryRows<{ actor_name: string; after: Record<string, unknown> }>(
      t.services.db,
      sql`select actor_name, after from audit_log where action = ${action}
        ${entityId ? sql`and entity_id = ${entityId}` : sql``} order by id`,
    );

  before(async () => {
    t = await startTestApp();
    [secretary, otherSecretary, orgDept, member, auditor] = await signIn(
      t,
      'shuji',
      'shuji2',
      'zuzhibu',
      'dangyuan',
      'shenji',
    );
    admin = await adminToken(t);
    const first = async (orgName: string) => {
      const r = await get(`/members?orgId=${await t.orgId(orgName)}&pageSize=1`, admin);
      return r.body.items[0].id as string;
    };
    plantMember = await first('第一发电厂党支部');
    labMember = await first('研发中心党支部');
  });
  after(() => t.close());

  it('shows the secretary the full number of a member of their own branch and audits who saw whose number and why', async () => {
    const masked = await get(`/members/${plantMember}`, secretary);
    assert.match(masked.body.phone, MASKED, 'the record itself stays masked');
    const r = await post(`/members/${plantMember}/phone`, secretary, { purpose: '提醒交纳党费' });
    assert.equal(r.status, 200);
    assert.match(r.body.phone, FULL);
    assert.equal(r.body.phone.slice(-4), masked.body.phone.slice(-4));
    const [entry, ...more] = await audits('member.phone.reveal', plantMember);
    assert.equal(more.length, 0);
    assert.equal(entry!.actor_name, 'shuji');
    assert.equal(entry!.after.purpose, '提醒交纳党费');
    assert.doesNotMatch(JSON.stringify(entry), new RegExp(r.body.phone), 'the number is not copied into the log');
    // Each reveal is one more entry.
    await t.request({ method: 'POST', url: `/api/v1/members/${plantMember}/phone`, token: secretary });
    assert.equal((await audits('member.phone.reveal', plantMember)).length, 2);
  });

  it('lets the org department reveal anywhere in its subtree', async () => {
    const r = await t.request({ method: 'POST', url: `/api/v1/members/${labMember}/phone`, token: orgDept });
    assert.equal(r.status, 200, r.raw);
    assert.match(r.body.phone, FULL);
  });

  it('keeps the mask for everyone else: another branch’s secretary (404, no hint), a member, the auditor and the system admin (403)', async () => {
    const outside = await t.request({ method: 'POST', url: `/api/v1/members/${labMember}/phone`, token: secretary });
    assert.equal(outside.status, 404);
    const other = await t.request({
      method: 'POST',
      url: `/api/v1/members/${plantMember}/phone`,
      token: otherSecretary,
    });
    assert.equal(other.status, 404);
    for (const token of [member, auditor, admin]) {
      const r = await t.request({ method: 'POST', url: `/api/v1/members/${plantMember}/phone`, token });
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
      assert.doesNotMatch(r.raw, /1\d{10}/);
    }
    const tooLong = await post(`/members/${plantMember}/phone`, secretary, { purpose: '长'.repeat(101) });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.message, /[\u4e00-\u9fa5]/);
  });

  it('gives the arrears list a contact column, masked for every role', async () => {
    for (const token of [secretary, auditor]) {
      const r = await get('/dues/arrears?pageSize=50', token);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length > 0, 'the demo has members in arrears');
      for (const i of r.body.items) assert.match(i.phone, MASKED);
    }
  });

  it('exports the arrears list with full numbers for the secretary (one audited reveal of everyone in the file), masked for the auditor', async () => {
    const listed = await get('/dues/arrears?pageSize=200', secretary);
    const read = async (token: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dues/arrears/export?minMonths=1',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-disposition']), /xlsx/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('欠缴名单')!;
      assert.equal(ws.getCell('B1').value, '手机号');
      const phones: string[] = [];
      ws.eachRow((row, n) => {
        if (n > 1) phones.push(String(row.getCell(2).value));
      });
      return phones;
    };
    const full = await read(secretary);
    assert.equal(full.length, listed.body.total);
    for (const p of full) assert.match(p, FULL);
    const [entry] = await audits('member.phone.reveal_many');
    assert.equal(entry!.after.count, listed.body.total);
    assert.match(String(entry!.after.purpose), /导出欠缴名单/);

    const masked = await read(auditor);
    for (const p of masked) assert.match(p, MASKED);
    assert.equal((await audits('member.phone.reveal_many')).length, 1, 'a masked export reveals nothing');
  });
});
