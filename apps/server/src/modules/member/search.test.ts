import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idCardCheckChar } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { queryRows } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';
import { NAME_TOTAL_CAP, TOTAL_CAP } from './service';
import crypto from 'node:crypto';
import { member } from './schema';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

const idFor = (seq: number) => {
  const first17 = `11010119850601${String(seq).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
};

/** Roster search (issue #8): name substrings on the name_grams index, subtree on member.org_path. */
describe('roster search', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  let branchA: string;
  let branchB: string;
  let seq = 900;
  const names = async (orgId: string, q: string) => {
    const r = await get(`/members?orgId=${orgId}&pageSize=200&q=${encodeURIComponent(q)}`, admin);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as { name: string }[]).map((m) => m.name);
  };
  const add = async (orgId: string, name: string) => {
    const r = await post('/members', admin, {
      orgId,
      name,
      gender: 'female',
      birthDate: '1985-06-01',
      idCardNo: idFor((seq += 2)),
      phone: '13900000000',
      joinedAt: '2008-07-01',
      status: 'full',
    });
    assert.equal(r.status, 201, r.raw);
    return r.body.id as string;
  };

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branchA = await t.orgId('第一发电厂党支部');
    branchB = await t.orgId('研发中心党支部');
    for (const n of ['欧阳明月', '月明月', '𠮷田秀', '龘靐', '百%分_之', '_之x之_', 'Lily王']) await add(branchA, n);
  });
  after(() => t.close());

  it('finds a name by a substring in its middle, for 1-, 2- and 3-character queries', async () => {
    assert.ok((await names(branchA, '阳')).includes('欧阳明月'));
    assert.ok((await names(branchA, '阳明')).includes('欧阳明月'));
    assert.ok((await names(branchA, '阳明月')).includes('欧阳明月'));
    assert.ok((await names(branchA, '欧阳明月')).includes('欧阳明月'));
    // Every character present but not next to each other: no match.
    assert.ok(!(await names(branchA, '欧明')).includes('欧阳明月'));
    // 月明月 holds both bigrams of 明月明 (月明, 明月), but not the string: the recheck drops it.
    assert.deepEqual(await names(branchA, '明月明'), []);
    assert.deepEqual(await names(branchA, '月明月'), ['月明月']);
    assert.deepEqual((await names(branchA, '明月')).sort(), ['月明月', '欧阳明月'].sort());
  });

  it('finds names with rare characters, outside the BMP too, and folds ASCII case', async () => {
    assert.deepEqual(await names(branchA, '𠮷'), ['𠮷田秀']);
    assert.deepEqual(await names(branchA, '𠮷田'), ['𠮷田秀']);
    assert.deepEqual(await names(branchA, '𠮷田秀'), ['𠮷田秀']);
    assert.deepEqual(await names(branchA, '靐'), ['龘靐']);
    assert.deepEqual(await names(branchA, 'LY王'), ['Lily王']);
    assert.deepEqual(await names(branchA, 'y王'), ['Lily王']);
  });

  it('takes LIKE wildcards in q literally', async () => {
    assert.deepEqual(await names(branchA, '%'), ['百%分_之']);
    assert.deepEqual((await names(branchA, '_')).sort(), ['_之x之_', '百%分_之'].sort());
    // _之x之_ holds both bigrams of _之_ and matches it as a LIKE pattern (_ = any character), but not literally.
    assert.deepEqual(await names(branchA, '_之_'), []);
    assert.deepEqual(await names(branchA, 'x之_'), ['_之x之_']);
    assert.deepEqual(await names(branchA, '%分_'), ['百%分_之']);
    assert.deepEqual(await names(branchA, '欧%月'), []);
    assert.deepEqual(await names(branchA, '欧_明月'), []);
    assert.deepEqual(await names(branchA, '\\'), []);
  });

  it('finds a transferred member under the new subtree and not the old one', async () => {
    const id = await add(branchA, '转接测试员');
    const sec = await t.login('shuji');
    const req = await post(`/members/${id}/transfers`, sec, {
      direction: 'internal',
      toOrgId: branchB,
      reason: '工作调动',
    });
    assert.equal(req.status, 201, req.raw);
    const ok = await post(`/transfers/${req.body.id}/decision`, await t.login('shuji2'), { accept: true });
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual(await names(branchA, '转接测'), []);
    assert.deepEqual(await names(branchB, '转接测'), ['转接测试员']);
    assert.deepEqual(await names(branchB, 'zjcsy'), ['转接测试员']);
  });

  it('follows an org move: members are found under the new parent and not the old one', async () => {
    const [parents] = await queryRows<{ old: string; other: string }>(
      t.services.db,
      sql`select o.parent_id as old,
                 (select id from org x where x.kind = 'committee' and x.tenant_id = o.tenant_id and x.id <> o.parent_id
                    and x.path not like o.path || '%' and x.parent_id is not null order by x.path limit 1) as other
          from org o where o.id = ${branchA}`,
    );
    const r = await post(`/orgs/${branchA}/move`, admin, { parentId: parents!.other });
    assert.equal(r.status, 200, r.raw);
    assert.ok(!(await names(parents!.old, '欧阳')).includes('欧阳明月'));
    assert.ok((await names(parents!.other, '欧阳')).includes('欧阳明月'));
    assert.ok((await names(parents!.other, 'oymy')).includes('欧阳明月'));
    const [stale] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member m join org o on o.id = m.org_id where m.org_path <> o.path`,
    );
    assert.equal(stale!.n, 0, 'every member carries its org path');
  });

  it('pages a big org in index order, caps the total, and exports every row once (keyset across pages)', async () => {
    // Eleven thousand members with 37 distinct names, so page boundaries fall inside runs of equal names.
    // Each row's numbers are sealed to that row (a ciphertext does not open in another row).
    const ids = Array.from({ length: 11000 }, () => crypto.randomUUID());
    const sealed = (column: AnyPgColumn) => ids.map((id) => t.services.fieldCrypto.encrypt(idFor(1), column, id));
    await t.services.db.execute(sql`
      insert into member (id, tenant_id, org_id, name, name_initials, gender, birth_date, id_card_enc, id_card_idx, phone_enc, phone_idx, joined_at, status)
      select s.id, ${t.tenantId}, ${branchB}, '同名' || (s.i % 37), 'tm' || (s.i % 37), 'male', '1980-01-01', s.idc, 'seed-' || s.i, s.ph, 'seed-p-' || s.i, '2000-07-01', 'full'
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(sealed(member.idCardEnc))}::text[], ${sql.param(sealed(member.phoneEnc))}::text[]) with ordinality as s(id, idc, ph, i)`);
    const page = async (p: number, q = '') =>
      (await get(`/members?orgId=${branchB}&page=${p}&pageSize=200&q=${encodeURIComponent(q)}`, admin)).body;
    const first = await page(1);
    assert.equal(first.total, TOTAL_CAP);
    assert.equal(first.totalCapped, true);
    const narrow = await page(1, '同名36');
    assert.equal(narrow.total, 297, 'a narrower match counts exactly');
    assert.equal(narrow.totalCapped, undefined);
    // A name search counts its (GIN-found, heap-read) matches only up to NAME_TOTAL_CAP: 11,000 match 同.
    const broadName = await page(1, '同');
    assert.deepEqual([broadName.total, broadName.totalCapped], [NAME_TOTAL_CAP, true]);
    assert.equal(broadName.items.length, 200, 'the page itself is whole');
    const nearCap = await page(1, '同名3');
    // 同名3 and 同名30–36: 8 of the 37 names, 297 or 298 each — past the name cap, below TOTAL_CAP.
    assert.deepEqual([nearCap.total, nearCap.totalCapped], [NAME_TOTAL_CAP, true]);
    const second = await page(2);
    const keys = [...first.items, ...second.items].map((m: { name: string; id: string }) => [m.name, m.id] as const);
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    for (let i = 1; i < keys.length; i++)
      assert.ok(
        cmp(keys[i - 1]![0], keys[i]![0]) < 0 ||
          (keys[i - 1]![0] === keys[i]![0] && cmp(keys[i - 1]![1], keys[i]![1]) < 0),
        `order at ${i}`,
      );

    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/members/export?orgId=${branchB}&q=${encodeURIComponent('同名1')}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const [expected] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from member where org_id = ${branchB} and left_at is null and name like '%同名1%'`,
    );
    assert.ok(expected!.n > 1000, 'the export spans several keyset pages');
    assert.equal(ws.rowCount - 1, expected!.n);
  });
});
