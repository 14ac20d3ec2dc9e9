import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fullYears, idCardCheckChar, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { queryRows } from '../../platform/db';
import { api, adminToken, multipartFile, startTestApp, type TestApp } from '../../testing/harness';

const idFor = (birth: string, seq: string) => {
  const first17 = `110101${birth.replace(/-/g, '')}${seq.slice(0, 3)}`;
  return first17 + idCardCheckChar(first17);
};

async function xlsx(
  rows: (string | number)[][],
  headers = ['姓名', '性别', '出生日期', '身份证号', '手机号', '入党时间', '党员状态', '所属组织'],
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员信息');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('member database', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  let branchA: string;
  let branchB: string;
  const countMembers = async () =>
    (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from member`))[0]!.n;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
  });
  after(() => t.close());

  const body = (over: Record<string, unknown> = {}) => ({
    orgId: branchA,
    name: '王建业',
    gender: 'male',
    birthDate: '1985-06-01',
    idCardNo: idFor('1985-06-01', '0031'),
    phone: '13812345678',
    joinedAt: '2008-07-01',
    status: 'full',
    ...over,
  });

  it('creates a member and answers with the ID number and phone masked, stored only encrypted', async () => {
    const sec = await t.login('shuji');
    const r = await post('/members', sec, body());
    assert.equal(r.status, 201, r.raw);
    assert.equal(r.body.idCardNo, `110***********${idFor('1985-06-01', '0031').slice(-4)}`);
    assert.equal(r.body.phone, '138****5678');
    // 党龄 from 转正 (党章第七条): no 转正时间 recorded, so from the end of the one-year probation, 2009-07-01.
    assert.equal(r.body.partyYears, fullYears('2009-07-01', todayInChina()));
    const [row] = await queryRows<Record<string, string>>(
      t.services.db,
      sql`select * from member where id = ${r.body.id}`,
    );
    assert.ok(!JSON.stringify(row).includes('13812345678'));
    assert.ok(!JSON.stringify(row).includes('19850601'));
  });

  it('counts 党龄 from the day probation ends (党章第七条): none for a probationary member, in the API, the export and the statistics bands', async () => {
    setClock('2026-06-30');
    try {
      const parent = (await get(`/orgs/${branchA}`, admin)).body.parentId;
      const org = await post('/orgs', admin, { parentId: parent, name: '党龄测试党支部', kind: 'branch' });
      assert.equal(org.status, 201, org.raw);
      const add = async (over: Record<string, unknown>) => {
        const r = await post('/members', admin, body({ orgId: org.body.id, ...over }));
        assert.equal(r.status, 201, r.raw);
        return r.body;
      };
      // Joined 2016-06-01, full from 2017-06-01: 10 years since joining, 9 since becoming full.
      const full = await add({
        name: '党龄甲',
        birthDate: '1980-03-01',
        idCardNo: idFor('1980-03-01', '0051'),
        phone: '13800000051',
        joinedAt: '2016-06-01',
        fullAt: '2017-06-01',
      });
      assert.equal(full.partyYears, 9);
      assert.equal(full.partyAgeFrom, '2017-06-01');
      // A full member recorded without 转正时间: counted from the end of the one-year probation.
      const noDate = await add({
        name: '党龄乙',
        birthDate: '1981-03-01',
        idCardNo: idFor('1981-03-01', '0053'),
        phone: '13800000053',
        joinedAt: '2016-07-15',
      });
      assert.equal(noDate.partyAgeFrom, '2017-07-15');
      assert.equal(noDate.partyYears, 8);
      const prob = await add({
        name: '党龄丙',
        birthDate: '1995-03-01',
        idCardNo: idFor('1995-03-01', '0055'),
        phone: '13800000055',
        joinedAt: '2026-01-10',
        status: 'probationary',
      });
      assert.equal(prob.partyYears, null);
      assert.equal(prob.partyAgeFrom, null);
      const stats = await get(`/members/stats?orgId=${org.body.id}`, admin);
      assert.equal(stats.status, 200, stats.raw);
      assert.deepEqual(stats.body.byPartyAgeBand, { '5-9年': 2, 预备党员: 1 });
      const xl = await t.app.inject({
        method: 'GET',
        url: `/api/v1/members/export?orgId=${org.body.id}`,
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.equal(xl.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xl.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const head = ws.getRow(1).values as string[];
      const byName = new Map<string, unknown>();
      ws.eachRow(
        (row, i) =>
          void (
            i > 1 &&
            byName.set(String(row.getCell(head.indexOf('姓名')).value), row.getCell(head.indexOf('党龄（年）')).value)
          ),
      );
      assert.equal(byName.get('党龄甲'), 9);
      assert.equal(byName.get('党龄丙') ?? null, null);
    } finally {
      setClock(null);
    }
  });

  it('finds members by exact ID number and phone through the blind index, by name and by pinyin initials', async () => {
    const q = async (s: string) => (await get(`/members?orgId=${branchA}&q=${encodeURIComponent(s)}`, admin)).body;
    assert.equal((await q(idFor('1985-06-01', '0031'))).items[0].name, '王建业');
    assert.equal((await q('13812345678')).items[0].name, '王建业');
    assert.ok((await q('建业')).items.some((m: { name: string }) => m.name === '王建业'));
    assert.ok((await q('wjy')).items.some((m: { name: string }) => m.name === '王建业'));
    assert.equal((await q('13812345679')).total, 0);
  });

  it('rejects a wrong check digit, a birth date or gender that disagree with the ID, and a duplicate', async () => {
    const bad = idFor('1985-06-01', '0031').slice(0, 17) + (idFor('1985-06-01', '0031').endsWith('1') ? '2' : '1');
    const r1 = await post('/members', admin, body({ idCardNo: bad }));
    assert.equal(r1.status, 422);
    assert.match(r1.body.error.message, /校验位/);
    const r2 = await post('/members', admin, body({ idCardNo: idFor('1985-06-01', '0051'), birthDate: '1985-06-02' }));
    assert.equal(r2.status, 422);
    assert.ok(r2.body.error.details.some((d: { field: string }) => d.field === 'birthDate'));
    const r3 = await post('/members', admin, body({ idCardNo: idFor('1985-06-01', '0062') }));
    assert.equal(r3.status, 422);
    assert.ok(r3.body.error.details.some((d: { field: string }) => d.field === 'gender'));
    const r4 = await post('/members', admin, body());
    assert.equal(r4.status, 409);
  });

  it('keeps a branch secretary out of another branch: 403 to add there, 404 to read a member there', async () => {
    const sec = await t.login('shuji');
    const r = await post(
      '/members',
      sec,
      body({ orgId: branchB, idCardNo: idFor('1990-01-01', '0071'), birthDate: '1990-01-01' }),
    );
    assert.equal(r.status, 403);
    const other = await get(`/members?orgId=${branchB}&pageSize=1`, admin);
    const id = other.body.items[0].id;
    assert.equal((await get(`/members/${id}`, sec)).status, 404);
    assert.equal((await get(`/members/${id}`, admin)).status, 200);
    const mine = await get('/members?pageSize=200', sec);
    // Branch A's own members and those of its 党小组, never branch B's.
    const groups = await get(`/orgs?parentId=${branchA}`, admin);
    const ours = new Set([branchA, ...groups.body.items.map((o: { id: string }) => o.id)]);
    assert.ok(mine.body.items.length > 0 && mine.body.items.every((m: { orgId: string }) => ours.has(m.orgId)));
    assert.ok(
      mine.body.items.some((m: { orgId: string }) => m.orgId !== branchA),
      'the groups are on the list',
    );
    assert.equal((await get('/members', await t.login('dangyuan'))).status, 403);
  });

  it('imports a valid sheet in full and records one audit entry', async () => {
    const before = await countMembers();
    const file = await xlsx([
      [
        '李红梅',
        '女',
        '1978-03-15',
        idFor('1978-03-15', '0024'),
        '13900001111',
        '2001-07-01',
        '正式党员',
        '第一发电厂党支部',
      ],
      [
        '赵志远',
        '男',
        '1995-11-02',
        idFor('1995-11-02', '0013'),
        '13900002222',
        '2026-03-01',
        '预备党员',
        '研发中心党支部',
      ],
    ]);
    const r = await t.request({ method: 'POST', url: '/api/v1/members/import', token: admin, ...multipartFile(file) });
    assert.equal(r.status, 200, r.raw);
    assert.deepEqual(r.body, { imported: 2 });
    assert.equal(await countMembers(), before + 2);
  });

  it('imports nothing when any row is wrong, and names each row and field', async () => {
    const before = await countMembers();
    const file = await xlsx([
      [
        '钱文博',
        '男',
        '1980-01-01',
        idFor('1980-01-01', '0035'),
        '13900003333',
        '2005-07-01',
        '正式党员',
        '第一发电厂党支部',
      ],
      ['', '男', '1980-01-01', '123', '1390000', '2005-07-01', '党员', '不存在的支部'],
      [
        '孙雨萱',
        '女',
        '1999-01-01',
        idFor('1999-01-01', '0046'),
        '13900004444',
        '2010-07-01',
        '正式党员',
        '第一发电厂党支部',
      ],
      [
        '周浩然',
        '男',
        '1980-01-01',
        idFor('1980-01-01', '0035'),
        '13900005555',
        '2005-07-01',
        '正式党员',
        '第一发电厂党支部',
      ],
    ]);
    const r = await t.request({ method: 'POST', url: '/api/v1/members/import', token: admin, ...multipartFile(file) });
    assert.equal(r.status, 422);
    const at = (row: number, field: string) =>
      r.body.error.details.some((d: { row: number; field: string }) => d.row === row && d.field === field);
    assert.ok(
      at(3, '姓名') && at(3, '身份证号') && at(3, '手机号') && at(3, '党员状态') && at(3, '所属组织'),
      JSON.stringify(r.body.error.details),
    );
    assert.ok(at(4, '入党时间'), 'joined before 18');
    assert.ok(at(5, '身份证号'), 'duplicate ID inside the file');
    assert.equal(await countMembers(), before);
  });

  it('rejects a file that is not xlsx and an upload without a file, with 400', async () => {
    const r = await t.request({
      method: 'POST',
      url: '/api/v1/members/import',
      token: admin,
      ...multipartFile(Buffer.from('name,id\n')),
    });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /xlsx/);
    const r2 = await post('/members/import', admin, {});
    assert.equal(r2.status, 400);
  });

  it('exports the filtered roster as a real xlsx with personal numbers masked', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/members/export?orgId=${branchA}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const list = await get(`/members?orgId=${branchA}&pageSize=1`, admin);
    assert.equal(ws.rowCount - 1, list.body.total);
    const idCol = (ws.getRow(1).values as string[]).indexOf('身份证号');
    for (let i = 2; i <= ws.rowCount; i++)
      assert.match(String(ws.getRow(i).getCell(idCol).value), /^\d{3}\*{11}[\dX]{4}$/);
  });

  it('exports text that looks like a formula as text (no spreadsheet formula injection)', async () => {
    const name = '=HYPERLINK("http://evil.invalid","点我")';
    const created = await post(
      '/members',
      admin,
      body({ name, idCardNo: idFor('1985-06-01', '0071'), phone: '13812340071', jobTitle: '+cmd|calc' }),
    );
    assert.equal(created.status, 201, created.raw);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/members/export?orgId=${branchA}&q=${encodeURIComponent('点我')}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const cells: ExcelJS.Cell[] = [];
    ws.eachRow((row, n) => n > 1 && row.eachCell((c) => void cells.push(c)));
    const nameCell = cells.find((c) => c.text === name);
    assert.ok(nameCell, 'the name is exported verbatim');
    assert.ok(cells.length > 0 && cells.every((c) => c.type !== ExcelJS.ValueType.Formula), 'no cell is a formula');
    assert.equal(nameCell.type, ExcelJS.ValueType.String);
  });

  it('serves an import template whose headers the importer accepts', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/import-template',
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const headers = wb.worksheets[0]!.getRow(1).values as string[];
    for (const h of ['姓名', '性别', '出生日期', '身份证号', '手机号', '入党时间', '党员状态'])
      assert.ok(headers.includes(h));
  });

  it('filters by status, gender and age band, and pages', async () => {
    const all = await get('/members?pageSize=200', admin);
    assert.ok(all.body.total > 300, `demo has ${all.body.total} members`);
    const women = await get('/members?gender=female&pageSize=200', admin);
    assert.ok(women.body.items.every((m: { gender: string }) => m.gender === 'female'));
    const old = await get(`/members?ageBand=${encodeURIComponent('≥61')}&pageSize=200`, admin);
    assert.ok(old.body.total > 0 && old.body.items.every((m: { age: number }) => m.age >= 61));
    const p2 = await get('/members?page=2&pageSize=10', admin);
    assert.equal(p2.body.items.length, 10);
    assert.notEqual(p2.body.items[0].id, all.body.items[0].id);
  });
});

describe('member statistics', () => {
  let t: TestApp;
  const { get } = api(() => t);
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('counts a subtree by status, gender, ethnicity, age band, education, occupation and 党龄, each adding up to the total', async () => {
    const token = await t.login('zuzhibu');
    const r = await get('/members/stats', token);
    assert.equal(r.status, 200, r.raw);
    const total = (await get('/members?pageSize=1', token)).body.total;
    // The roster lists members whose 党籍 is stopped (失联; the demo has one); the figures count them apart.
    assert.ok(r.body.suspended >= 1);
    assert.equal(r.body.total + r.body.suspended, total);
    for (const dim of [
      'byStatus',
      'byGender',
      'byEthnicity',
      'byAgeBand',
      'byEducation',
      'byOccupation',
      'byPartyAgeBand',
    ]) {
      const sum = Object.values(r.body[dim] as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.equal(sum, r.body.total, dim);
    }
    assert.ok(r.body.byOccupation['离退休'] > 0);
    const branch = await t.orgId('第一发电厂党支部');
    const sec = await t.login('shuji');
    const mine = await get('/members/stats', sec);
    assert.equal(mine.body.total, (await get(`/members?orgId=${branch}&pageSize=1`, sec)).body.total);
    assert.ok(mine.body.total < total);
  });
});
