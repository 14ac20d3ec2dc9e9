/**
 * Security review #14, finding 2: the 身份证号 duplicate check must not be an oracle for ID
 * numbers across the tenant. A branch secretary who offers numbers of members elsewhere (a file
 * of candidates plus one bad row, or one at a time through POST/PATCH /members and POST
 * /develop/persons) learns only "registered in another org" — never where or who — at most
 * ID_LOOKUP_PER_DAY times a day, each answer audited; past that the writes that could tell are
 * refused with 429 before they look.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, adminToken, multipartFile, startTestApp, type TestApp } from '../../testing/harness';
import { memberSheet } from '../../testing/memberSheet';
import { ID_LOOKUP_PER_DAY } from './idcheck';
import { member } from './schema';

/** A valid 18-digit number (GB 11643 check digit) from its first 17 digits. */
const withCheckDigit = (first17: string) => {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
};

type Real = {
  id: string;
  name: string;
  gender: string;
  birthDate: string;
  idCardNo: string;
  joinedAt: string;
  status: string;
  fullAt: string | null;
};

describe('the 身份证号 duplicate check is no oracle across the tenant (security finding 2)', () => {
  let t: TestApp;
  const { post, patch } = api(() => t);
  let admin: string;
  let branchA: string; // 第一发电厂党支部
  let outside: Real[]; // members of 研发中心党支部, outside branch A's secretaries
  let inside: Real[]; // members of branch A
  let n = 0;

  /** The members of a branch and of its 党小组. */
  const members = async (orgName: string): Promise<Real[]> => {
    const rows = await queryRows<Omit<Real, 'idCardNo'> & { enc: string }>(
      t.services.db,
      sql`select m.id, m.name, m.gender, m.birth_date::text as "birthDate", m.id_card_enc as enc, m.joined_at::text as "joinedAt",
                 m.status, m.full_at::text as "fullAt"
          from member m join org o on o.id = m.org_id join org b on o.path like b.path || '%'
          where b.name = ${orgName} and m.left_at is null order by m.id`,
    );
    return rows.map(({ enc, ...r }) => ({
      ...r,
      idCardNo: t.services.fieldCrypto.decrypt(enc, member.idCardEnc, r.id),
    }));
  };
  /** A fresh secretary of branch A (a fresh daily budget), signed in with the initial password changed. */
  const secretary = async () => {
    const username = `sec${++n}`;
    const r = await post('/users', admin, {
      username,
      password: 'Strong-Pass-1',
      displayName: '书记',
      roles: [{ role: 'secretary', orgId: branchA }],
    });
    assert.equal(r.status, 201, r.raw);
    const token = await t.login(username, 'Strong-Pass-1');
    const p = await post('/auth/password', token, { oldPassword: 'Strong-Pass-1', newPassword: 'Changed-Pass-2' });
    assert.equal(p.status, 204, p.raw);
    return { token, id: r.body.id as string };
  };
  const asInput = (m: Real, over: Record<string, unknown> = {}) => ({
    orgId: branchA,
    name: '候选人',
    gender: m.gender,
    birthDate: m.birthDate,
    idCardNo: m.idCardNo,
    phone: '13900001111',
    joinedAt: m.joinedAt,
    status: m.status,
    ...(m.fullAt ? { fullAt: m.fullAt } : {}),
    ...over,
  });
  /** An import file of these members' numbers (and a broken row when asked), for branch A. */
  const sheet = async (token: string, real: Real[], brokenRow?: number) => {
    const tpl = await t.app.inject({
      method: 'GET',
      url: '/api/v1/members/import-template',
      headers: { authorization: `Bearer ${token}` },
    });
    return memberSheet(tpl.rawPayload, real.length + (brokenRow ? 1 : 0), {
      branches: ['第一发电厂党支部'],
      breakRow: brokenRow,
      edit: (row, m) => {
        const r = real[row - 2];
        return r
          ? {
              ...m,
              gender: r.gender as 'male',
              birthDate: r.birthDate,
              idCardNo: r.idCardNo,
              joinedAt: r.joinedAt,
              status: r.status as 'full',
              fullAt: r.fullAt,
            }
          : m;
      },
    });
  };
  const postImport = async (token: string, file: Buffer) => {
    const { body, headers } = multipartFile(file);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/members/import',
      payload: body,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    return { status: r.statusCode, body: JSON.parse(r.body), raw: r.body };
  };
  const lookups = (userId: string) =>
    queryRows<{ after: { via: string; found: number; charged: number; refused: boolean; numbers: string[] } }>(
      t.services.db,
      sql`select after from audit_log where action = 'member.idcard.lookup' and actor_id = ${userId} order by id`,
    );
  const leaks = (text: string, m: Real) => ['研发中心', m.name].filter((s) => text.includes(s));

  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    branchA = await t.orgId('第一发电厂党支部');
    outside = await members('研发中心党支部');
    inside = await members('第一发电厂党支部');
    assert.ok(outside.length >= ID_LOOKUP_PER_DAY + 3, 'enough members elsewhere to probe with');
  });
  after(() => t.close());

  it('answers an import naming numbers registered elsewhere without saying where, and audits the lookup', async () => {
    const s = await secretary();
    const r = await postImport(s.token, await sheet(s.token, outside.slice(0, 2), 4));
    assert.equal(r.status, 422, r.raw);
    const rows = r.body.error.details.filter((d: { field: string }) => d.field === '身份证号');
    assert.deepEqual(
      rows.map((d: { row: number }) => d.row),
      [2, 3, 4],
    );
    for (const d of rows.slice(0, 2)) assert.match(d.message, /已在其他党组织登记/);
    for (const m of outside.slice(0, 2)) assert.deepEqual(leaks(r.raw, m), []);
    const audit = await lookups(s.id);
    assert.equal(audit.length, 1, 'the lookup is audited although nothing was written');
    assert.deepEqual(
      { ...audit[0]!.after, numbers: audit[0]!.after.numbers.length },
      { via: 'member.import', found: 2, charged: 2, refused: false, numbers: 2 },
    );
    assert.match(audit[0]!.after.numbers[0]!, /^\d{3}\*+\d{3}[\dX]$/, 'masked in the audit entry');
  });

  it('refuses a file of candidate numbers past the daily budget with 429, naming no row, and then refuses what could tell', async () => {
    const s = await secretary();
    const r = await postImport(
      s.token,
      await sheet(s.token, outside.slice(0, ID_LOOKUP_PER_DAY + 2), ID_LOOKUP_PER_DAY + 4),
    );
    assert.equal(r.status, 429, r.raw);
    assert.equal(r.body.error.code, 'ID_LOOKUP_LIMIT');
    assert.doesNotMatch(r.raw, /"row"/);
    const [audit] = await lookups(s.id);
    assert.equal(audit!.after.refused, true);
    assert.equal(audit!.after.charged, ID_LOOKUP_PER_DAY);
    // Budget spent: a new number cannot be told apart from one elsewhere any more.
    const before = (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from member`))[0]!.n;
    const fresh = await post(
      '/members',
      s.token,
      asInput(outside[0]!, {
        idCardNo: withCheckDigit('11010519491231002'),
        birthDate: '1949-12-31',
        gender: 'female',
        joinedAt: '1975-07-01',
        status: 'full',
        fullAt: '1976-07-01',
      }),
    );
    assert.equal(fresh.status, 429, fresh.raw);
    const again = await post('/members', s.token, asInput(outside[ID_LOOKUP_PER_DAY + 2]!));
    assert.equal(again.status, 429, again.raw);
    assert.equal(
      (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from member`))[0]!.n,
      before,
    );
    // A duplicate inside the secretary's own roster is still named: they can see that member anyway.
    const own = await post('/members', s.token, asInput(inside[0]!));
    assert.equal(own.status, 409, own.raw);
    assert.equal(own.body.error.code, 'MEMBER_EXISTS');
  });

  it('answers POST /members, PATCH /members/:id and POST /develop/persons the same way, on one budget', async () => {
    const s = await secretary();
    const probes = [
      () => post('/members', s.token, asInput(outside[0]!)),
      () =>
        patch(`/members/${inside[1]!.id}`, s.token, {
          idCardNo: outside[1]!.idCardNo,
          birthDate: outside[1]!.birthDate,
          gender: outside[1]!.gender,
        }),
      () =>
        post('/develop/persons', s.token, {
          orgId: branchA,
          name: '申请人',
          idCardNo: outside[2]!.idCardNo,
          phone: '13900002222',
          appliedAt: '2026-01-05',
        }),
    ];
    const codes = ['MEMBER_EXISTS_ELSEWHERE', 'MEMBER_EXISTS_ELSEWHERE', 'PERSON_EXISTS_ELSEWHERE'];
    for (const [i, probe] of probes.entries()) {
      const r = await probe();
      assert.equal(r.status, 409, r.raw);
      assert.equal(r.body.error.code, codes[i]);
      assert.match(r.body.error.message, /其他党组织/);
      assert.deepEqual(leaks(r.raw, outside[i]!), []);
    }
    assert.deepEqual(
      (await lookups(s.id)).map((a) => a.after.via),
      ['member.create', 'member.update', 'develop.person.create'],
    );
    // The rest of the day's budget, one at a time; then 429.
    for (let i = 3; i < ID_LOOKUP_PER_DAY; i++)
      assert.equal((await post('/members', s.token, asInput(outside[i]!))).status, 409);
    const over = await post('/members', s.token, asInput(outside[ID_LOOKUP_PER_DAY]!));
    assert.equal(over.status, 429, over.raw);
    const audit = await lookups(s.id);
    assert.equal(
      audit.reduce((sum, a) => sum + a.after.charged, 0),
      ID_LOOKUP_PER_DAY,
    );
    assert.equal(audit.at(-1)!.after.refused, true);
  });

  it('leaves an administrator of the whole tenant (everything in scope) unaffected and uncharged', async () => {
    const r = await post('/members', admin, asInput(outside[0]!));
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'MEMBER_EXISTS');
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'member.idcard.lookup' and actor_name = 'admin'`,
    );
    assert.equal(n!.n, 0);
  });
});
