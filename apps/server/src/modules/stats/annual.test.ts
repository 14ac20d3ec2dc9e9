// @fixed-days: the statistical year (tools/test.mjs runs this file under each fixed clock).
/**
 * 党内统计年报 (issue 23): the yearly tables as of a day, computed from the records, and the cross-table checks.
 * Rules proved: start-of-year + gains − losses = end-of-year for every org of the demo tree; the end of the year
 * is the roster; the start of the year is the previous year's end; each in-year change lands in its column for
 * the orgs it crosses and in none for an org that holds both sides; a full member without 转正时间 shows in the
 * checks with a link to the record; the .xlsx reads back with its headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import {
  addYears,
  OFFICIAL_MEMBER_COLUMNS,
  OFFICIAL_ORG_COLUMNS,
  todayInChina,
  type AnnualReport,
  type AnnualTable,
} from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { randomMember, seededRandom } from '../../demo/people';
import { queryRows } from '../../platform/db';
import { afterLocalWrite } from '../../platform/cache';
import { adminToken, startTestApp, type TestApp } from '../../testing/harness';

const col = (t: AnnualTable, key: string) => t.columns.findIndex((c) => c.key === key);
const table = (r: AnnualReport, code: string) => r.tables.find((t) => t.code === code)!;
/** The 合计 row of 党统 1 表 as {start, gain, loss, end, and each kind}. */
const changes = (r: AnnualReport) => {
  const t = table(r, 'changes');
  return Object.fromEntries(t.columns.map((c, i) => [c.key, t.rows[0]!.values[i]!])) as Record<string, number>;
};

describe('党内统计年报', () => {
  let t: TestApp;
  let admin: string;
  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const report = async (orgId: string, q = '', token = admin) => {
    const r = await t.request({ method: 'GET', url: `/api/v1/stats/annual-report?orgId=${orgId}${q}`, token });
    assert.equal(r.status, 200, r.raw);
    return r.body as AnnualReport;
  };
  const post = async (url: string, body: unknown, want = 200) => {
    const r = await t.request({ method: 'POST', url, token: admin, body });
    assert.equal(r.status, want, `${url}: ${r.raw}`);
    return r.body;
  };
  const orgs = async () =>
    queryRows<{ id: string; name: string; path: string }>(
      t.services.db,
      sql`select id, name, path from org where dissolved_at is null order by path`,
    );
  const rosterOf = async (path: string) =>
    (
      await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from member m join org o on o.id = m.org_id where o.path like ${`${path}%`} and m.left_at is null and m.suspended_on is null`,
      )
    )[0]!.n;
  const memberOf = async (orgId: string, extra = sql``) =>
    (
      await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${orgId} and left_at is null and suspended_on is null and user_id is null ${extra} order by name, id limit 1`,
      )
    )[0]!.id;

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  it('on the demo: every org balances, ends on the roster, starts where last year ended, and the tables agree', async () => {
    for (const o of await orgs()) {
      const r = await report(o.id);
      assert.equal(r.date, `${year}-12-31`, 'the default day is 31 December of this year');
      const c = changes(r);
      const t1 = table(r, 'changes');
      for (const row of t1.rows)
        assert.equal(
          row.values[col(t1, 'start')]! + row.values[col(t1, 'gain')]! - row.values[col(t1, 'loss')]!,
          row.values[col(t1, 'end')]!,
          `${o.name} / ${row.label}: start + gains − losses = end`,
        );
      assert.equal(c.end, await rosterOf(o.path), `${o.name}: the year's end is the roster`);
      assert.equal(r.totals.members, c.end);
      const last = await report(o.id, `&date=${year - 1}-12-31`);
      assert.equal(changes(last).end, c.start, `${o.name}: this year's start is last year's end`);
      const failed = r.checks.filter(
        (k) => ['changes_balance', 'tables_agree', 'rows_sum', 'roster'].includes(k.code) && !k.ok,
      );
      assert.deepEqual(failed, [], o.name);
    }
  });

  it('counts each in-year change for the orgs it crosses: 发展, 死亡, 转接 inside and out, 停止党籍', async () => {
    const top = await t.orgId('华夏能源集团党委');
    const a = await t.orgId('第一发电厂党支部');
    const b = await t.orgId('研发中心党支部');
    const ops = await t.orgId('发电运营党总支');
    const lostBranch = await t.orgId('第二发电厂党支部');
    const watched = [top, a, b, ops, lostBranch];
    const before = new Map(await Promise.all(watched.map(async (id) => [id, changes(await report(id))] as const)));

    // 发展: a new probationary member admitted today in A.
    const rng = seededRandom(2301);
    const m = { ...randomMember(rng, a, { today }), status: 'probationary', fullAt: null, joinedAt: today };
    await post('/api/v1/members', m, 201);
    // 死亡 in A; A → B inside the tenant; B → out of the tenant.
    await post(`/api/v1/members/${await memberOf(a)}/exit`, { reason: 'death', date: today, note: '' });
    const moving = await memberOf(a);
    const tr = await post(
      `/api/v1/members/${moving}/transfers`,
      { direction: 'internal', toOrgId: b, reason: '工作调动' },
      201,
    );
    await post(`/api/v1/transfers/${tr.id}/decision`, { accept: true, note: '' });
    const leaving = await memberOf(b, sql`and id <> ${moving}`);
    await post(
      `/api/v1/members/${leaving}/transfers`,
      { direction: 'out', destination: '某市某区党委组织部', letterNo: 'ZJ-2301', reason: '离职' },
      201,
    );
    // 停止党籍: the demo's member of 第二发电厂党支部 lost 7 months ago and searched for.
    const [lost] = await queryRows<{ member_id: string }>(
      t.services.db,
      sql`select member_id from member_lost where status = 'lost' limit 1`,
    );
    await post(`/api/v1/members/${lost!.member_id}/suspend`, {
      decidedOn: today,
      approvedOn: today,
      approvedBy: '华夏电力有限公司党委',
    });

    const delta = async (id: string) => {
      const now = changes(await report(id));
      const was = before.get(id)!;
      return Object.fromEntries(
        Object.keys(now)
          .filter((k) => now[k] !== was[k])
          .map((k) => [k, now[k]! - was[k]!]),
      );
    };
    assert.deepEqual(await delta(top), {
      gain: 1,
      'gain:admitted': 1,
      loss: 3,
      'loss:death': 1,
      'loss:transfer_out': 1,
      'loss:suspended': 1,
      end: -2,
    });
    assert.deepEqual(await delta(a), {
      gain: 1,
      'gain:admitted': 1,
      loss: 2,
      'loss:death': 1,
      'loss:transfer_out': 1,
      end: -1,
    });
    assert.deepEqual(await delta(b), { gain: 1, 'gain:transfer_in': 1, loss: 1, 'loss:transfer_out': 1 });
    // 发电运营党总支 holds A and 第二发电厂党支部: the transfer to B leaves it, the others stay counted.
    assert.deepEqual(await delta(ops), {
      gain: 1,
      'gain:admitted': 1,
      loss: 3,
      'loss:death': 1,
      'loss:transfer_out': 1,
      'loss:suspended': 1,
      end: -2,
    });
    assert.deepEqual(await delta(lostBranch), { loss: 1, 'loss:suspended': 1, end: -1 });
    // And still: every row balances, the end is the roster, the start is last year's end.
    for (const id of watched) {
      const r = await report(id);
      assert.ok(r.checks.find((k) => k.code === 'changes_balance')!.ok);
      assert.ok(
        r.checks.find((k) => k.code === 'roster')!.ok,
        JSON.stringify(r.checks.find((k) => k.code === 'roster')),
      );
    }
  });

  it('lists a full member without 转正时间 and a probationary member of over two years, each linking to the record', async () => {
    const branch = await t.orgId('研发中心党支部');
    const rng = seededRandom(2302);
    const base = randomMember(rng, branch, { today });
    const joined = addYears(base.birthDate, 25);
    const broken = await post(
      '/api/v1/members',
      { ...base, name: '核对测试甲', status: 'full', joinedAt: joined, fullAt: null },
      201,
    );
    const old = randomMember(rng, branch, { today });
    const stale = await post(
      '/api/v1/members',
      {
        ...old,
        name: '核对测试乙',
        status: 'probationary',
        joinedAt: addYears(today, -3) < addYears(old.birthDate, 18) ? addYears(old.birthDate, 18) : addYears(today, -3),
        fullAt: null,
      },
      201,
    );
    const r = await report(branch);
    const check = (code: string) => r.checks.find((k) => k.code === code)!;
    const full = check('missing_full_at');
    assert.equal(full.ok, false);
    assert.ok(
      full.items.some((i) => i.label === '核对测试甲' && i.link === `/members/${broken.id}?edit=fullAt`),
      JSON.stringify(full.items),
    );
    const [want] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member m join org o on o.id = m.org_id
          where o.path like (select path from org where id = ${branch}) || '%' and m.left_at is null and m.suspended_on is null and m.status = 'full' and m.full_at is null`,
    );
    assert.equal(full.count, want!.n);
    const p = check('probation_over_2y');
    assert.ok(
      p.items.some((i) => i.link === `/members/${stale.id}?edit=status`),
      JSON.stringify(p),
    );
    // Joined before 18 cannot be entered through the API; an old record can hold it.
    await t.services.db.execute(
      sql`update member set joined_at = birth_date + interval '17 years' where id = ${broken.id}`,
    );
    // A write outside the app: read the topic versions back as the app does after its own writes, or on PostgreSQL
    // the report may come from the result cache until the change notification arrives.
    await afterLocalWrite(t.services.db);
    const under = (await report(branch)).checks.find((k) => k.code === 'joined_under_18')!;
    assert.ok(
      under.items.some((i) => i.label === '核对测试甲'),
      JSON.stringify(under),
    );
    // The tables still agree with each other: a missing field is counted as 未填, not lost.
    assert.ok((await report(branch)).checks.find((k) => k.code === 'tables_agree')!.ok);
  });

  it('exports the tables as an .xlsx that reads back with the official-style headers', async () => {
    const top = await t.orgId('华夏能源集团党委');
    const json = await report(top);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/stats/annual-report?orgId=${top}&format=xlsx`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    assert.match(String(res.headers['content-disposition']), /filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      [...json.tables.map((x) => x.number.replace(/\s/g, '')), '核对结果'],
    );
    const ws = wb.getWorksheet('党统1表')!;
    assert.equal(ws.getCell(1, 1).value, '党统 1 表');
    assert.equal(ws.getCell(2, 1).value, '党员数量变动情况');
    assert.match(String(ws.getCell(3, 1).value), /填报单位：华夏能源集团党委/);
    const texts = Array.from({ length: ws.columnCount }, (_, i) => String(ws.getCell(3, i + 1).value ?? '')).join('|');
    assert.match(texts, new RegExp(`统计时间：${year}-12-31`));
    assert.match(texts, /计量单位：人/);
    assert.equal(ws.getCell(5, 1).value, '单位');
    assert.equal(ws.getCell(5, 2).value, '上年底党员数');
    assert.equal(ws.getCell(5, 3).value, '本年增加');
    assert.equal(ws.getCell(6, 4).value, '发展党员');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    assert.ok(merges.includes('C5:F5'), `本年增加 spans its four columns: ${merges.join(' ')}`);
    assert.ok(merges.includes('A5:A6') && merges.includes('B5:B6'));
    assert.equal(ws.getCell(7, 1).value, '甲');
    assert.equal(ws.getCell(8, 1).value, '合计');
    const t1 = table(json, 'changes');
    assert.deepEqual(
      t1.columns.map((_, i) => ws.getCell(8, i + 2).value),
      t1.rows[0]!.values,
    );
    const orgSheet = wb.getWorksheet('党统7表')!;
    assert.equal(orgSheet.getCell(3, orgSheet.columnCount).value, '计量单位：个');
  });

  it('exports members and orgs for the 全国党员管理信息系统 import: its columns, national codes, full 身份证号, audited; org admins only', async () => {
    const branch = await t.orgId('第一发电厂党支部');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stats/official-export?orgId=${branch}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ms = wb.getWorksheet('党员信息')!;
    assert.deepEqual((ms.getRow(1).values as unknown[]).slice(1), [...OFFICIAL_MEMBER_COLUMNS]);
    const [want] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member m where m.org_path like (select path from org where id = ${branch}) || '%' and m.left_at is null`,
    );
    assert.equal(ms.rowCount - 1, want!.n, 'every member on the roll (停止党籍 included), one row each');
    const col = (name: string) => OFFICIAL_MEMBER_COLUMNS.indexOf(name as (typeof OFFICIAL_MEMBER_COLUMNS)[number]) + 1;
    for (let r = 2; r <= ms.rowCount; r++) {
      const row = ms.getRow(r);
      assert.match(String(row.getCell(col('公民身份号码')).value), /^\d{17}[\dX]$/, 'the full number, not masked');
      assert.equal(row.getCell(col('性别代码')).value, row.getCell(col('性别')).value === '男' ? '1' : '2');
      if (row.getCell(col('民族')).value === '汉族') assert.equal(row.getCell(col('民族代码')).value, '01');
      assert.match(String(row.getCell(col('出生日期')).value), /^\d{4}-\d{2}-\d{2}$/);
    }
    const os = wb.getWorksheet('党组织信息')!;
    assert.deepEqual((os.getRow(1).values as unknown[]).slice(1), [...OFFICIAL_ORG_COLUMNS]);
    assert.equal(os.getRow(2).getCell(2).value, '第一发电厂党支部');
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'stats.official_export' and entity_id = ${branch}`,
    );
    assert.equal(audit!.n, 1);
    const shuji = await t.login('shuji');
    const denied = await t.request({
      method: 'POST',
      url: `/api/v1/stats/official-export?orgId=${branch}`,
      token: shuji,
      body: {},
    });
    assert.equal(denied.status, 403);
  });

  it('refuses a malformed day, a day past this year, an unknown format and an org out of scope, in Chinese; members may not read it', async () => {
    const top = await t.orgId('华夏能源集团党委');
    const get = (q: string, token = admin) =>
      t.request({ method: 'GET', url: `/api/v1/stats/annual-report?${q}`, token });
    for (const q of [
      `orgId=${top}&date=2026-02-30`,
      `orgId=${top}&date=20261231`,
      `orgId=${top}&date=${year + 1}-06-30`,
      `orgId=${top}&format=pdf`,
    ]) {
      const r = await get(q);
      assert.equal(r.status, 400, `${q}: ${r.raw}`);
      assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
    }
    const shuji = await t.login('shuji');
    const other = await get(`orgId=${await t.orgId('研发中心党支部')}`, shuji);
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /[\u4e00-\u9fff]/);
    // The member probe: 陈志远 asks for his own branch's tables and for another member's branch.
    const member = await t.login('dangyuan');
    for (const name of ['第一发电厂党支部', '研发中心党支部']) {
      const r = await get(`orgId=${await t.orgId(name)}`, member);
      assert.equal(r.status, 403, r.raw);
    }
    // A 书记 reads their own branch, and by default (no orgId) their own scope.
    assert.equal((await get('', shuji)).status, 200);
  });
});
