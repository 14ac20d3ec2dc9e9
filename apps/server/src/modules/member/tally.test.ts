import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ALLOWED_CHILD_KINDS,
  AGE_BANDS,
  PARTY_AGE_BANDS,
  PARTY_AGE_NONE,
  PROBATION_YEARS,
  setClock,
  todayInChina,
  type MemberStats,
  type OrgKind,
} from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows, type Queryable } from '../../platform/db';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';
import { anniversarySql, yearsBand } from './annual';
import { foldMemberTally, memberStats } from './stats';

/** The member statistics as they were counted before the tally: one scan of the subtree's members (the reference). */
async function scanStats(db: Queryable, tenantId: string, path: string): Promise<Omit<MemberStats, 'asOf'>> {
  const today = todayInChina();
  const fullFrom = sql`coalesce(m.full_at, ${anniversarySql(sql`m.joined_at`, PROBATION_YEARS)})`;
  const rows = await queryRows<{ dim: string; key: string | null; n: number }>(
    db,
    sql`
    with m as (
      select status, gender, case when ethnicity = '汉族' then '汉族' else '少数民族' end as ethnic,
             coalesce(education, '未填') as education, coalesce(occupation, '未填') as occupation,
             ${yearsBand(sql`m.birth_date`, today, AGE_BANDS)} as age_band,
             case when m.status = 'full' then ${yearsBand(fullFrom, today, PARTY_AGE_BANDS)} else ${PARTY_AGE_NONE} end as party_band
      from member m
      where m.tenant_id = ${tenantId} and m.left_at is null and m.suspended_on is null
        and m.org_id in (select id from org where tenant_id = ${tenantId} and path like ${`${path}%`})
    )
    select case
             when grouping(status) = 0 then 'status' when grouping(gender) = 0 then 'gender'
             when grouping(ethnic) = 0 then 'ethnic' when grouping(education) = 0 then 'education'
             when grouping(occupation) = 0 then 'occupation' when grouping(age_band) = 0 then 'age'
             when grouping(party_band) = 0 then 'party' else 'total' end as dim,
           coalesce(status, gender, ethnic, education, occupation, age_band, party_band) as key,
           count(*)::int as n
    from m
    group by grouping sets ((status), (gender), (ethnic), (education), (occupation), (age_band), (party_band), ())`,
  );
  const [stopped] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from member m
        where m.tenant_id = ${tenantId} and m.left_at is null and m.suspended_on is not null and m.org_path like ${`${path}%`}`,
  );
  const pick = (dim: string) =>
    Object.fromEntries(rows.filter((r) => r.dim === dim).map((r) => [r.key ?? '未填', r.n]));
  return {
    total: rows.find((r) => r.dim === 'total')?.n ?? 0,
    byStatus: pick('status'),
    byGender: pick('gender'),
    byEthnicity: pick('ethnic'),
    byAgeBand: pick('age'),
    byEducation: pick('education'),
    byOccupation: pick('occupation'),
    byPartyAgeBand: pick('party'),
    suspended: stopped?.n ?? 0,
  };
}

describe('member statistics from the tally (migration 0078, ADR 0002)', () => {
  let t: TestApp;
  const { get, post, patch } = api(() => t);
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  const orgs = () =>
    queryRows<OrgRef>(
      t.services.db,
      sql`select id, path, tenant_id as "tenantId", name, kind from org where tenant_id = ${t.tenantId} order by path`,
    );
  const scopeAt = (o: OrgRef) => ({ tenantId: t.tenantId, org: o }) as unknown as Scope;
  const tallied = async (o: OrgRef) => {
    const { asOf, ...rest } = await memberStats(t.services.db, scopeAt(o));
    assert.ok(asOf);
    return rest;
  };
  /** Every org of the tenant: the tally's answer equals a scan of the subtree's members. */
  async function allAgree(label: string) {
    // Writes here go straight to SQL: take their versions as a request's onSend hook does (platform/cache.ts).
    await afterLocalWrite(t.services.db);
    const list = await orgs();
    assert.ok(list.length > 5);
    let members = 0;
    for (const o of list) {
      const want = await scanStats(t.services.db, t.tenantId, o.path);
      assert.deepEqual(await tallied(o), want, `${label}: ${o.name} ${o.path}`);
      members += want.total;
    }
    assert.ok(members > 0, label);
  }

  it('answers every org of the demo as a scan of its members does, before and after a fold, on any day', async () => {
    await allAgree('demo');
    await foldMemberTally(t.services.db);
    const [d] = await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from member_tally_delta`);
    assert.equal(d!.n, 0);
    await allAgree('folded');
    // Bands are ranges of dates: a later day moves members into older bands without any write.
    try {
      setClock('2031-03-01T04:00:00Z');
      await allAgree('2031-03-01');
      setClock('2040-02-29T04:00:00Z');
      await allAgree('2040-02-29');
    } finally {
      setClock(null);
    }
  });

  it('sees a change of one member in a branch at the top org on the next request', async () => {
    const token = await t.login('zuzhibu');
    const branch = await t.orgId('第一发电厂党支部');
    const [m] = await queryRows<{ id: string; ethnicity: string }>(
      t.services.db,
      sql`select id, ethnicity from member where org_id = ${branch} and left_at is null and suspended_on is null
          and ethnicity = '汉族' order by name limit 1`,
    );
    const top = await get('/members/stats', token);
    assert.equal(top.status, 200, top.raw);
    const patched = await patch(`/members/${m!.id}`, admin, { ethnicity: '回族' });
    assert.equal(patched.status, 200, patched.raw);
    const next = await get('/members/stats', token);
    assert.equal(next.body.byEthnicity['少数民族'], (top.body.byEthnicity['少数民族'] ?? 0) + 1);
    assert.equal(next.body.byEthnicity['汉族'], top.body.byEthnicity['汉族'] - 1);
    assert.equal(next.body.total, top.body.total);
    await allAgree('after the change');
  });

  it('stays exact through bulk inserts, transfers, 停止党籍, leaving, org moves, merges and deletes', async () => {
    const db = t.services.db;
    const [a, b] = await queryRows<{ id: string; org_id: string }>(
      db,
      sql`select id, org_id from member where tenant_id = ${t.tenantId} and left_at is null order by id limit 2`,
    );
    // A many-row insert in one statement (as an import's chunk): copies of existing members in another branch.
    const branch = await t.orgId('研发中心党支部');
    await db.execute(sql`
      insert into member (tenant_id, org_id, name, name_initials, gender, ethnicity, birth_date, id_card_enc, id_card_idx,
                          phone_enc, phone_idx, education, occupation, joined_at, full_at, status)
      select tenant_id, ${branch}, name || '乙', name_initials, gender, ethnicity, birth_date, id_card_enc,
             id_card_idx || 'x', phone_enc, phone_idx, education, occupation, joined_at, full_at, status
      from member where tenant_id = ${t.tenantId} and left_at is null limit 7`);
    await db.execute(sql`update member set org_id = ${branch} where id = ${a!.id}`);
    await db.execute(sql`update member set suspended_on = '2026-01-05' where id = ${b!.id}`);
    await db.execute(sql`update member set left_at = '2026-02-01', left_reason = '出党'
      where id in (select id from member where tenant_id = ${t.tenantId} and left_at is null order by id desc limit 3)`);
    await db.execute(sql`update member set status = 'full', full_at = '2024-02-29' where status <> 'full'`);
    await allAgree('bulk');
    await db.execute(sql`delete from member where name like '%乙' and org_id = ${branch}
      and id in (select id from member where name like '%乙' order by id limit 2)`);
    await allAgree('deleted');

    // Move a branch with members under another parent, then merge another branch into it (org/structure.ts).
    const list = await orgs();
    const branches = await queryRows<{ id: string; path: string }>(
      db,
      sql`select o.id, o.path from org o where o.tenant_id = ${t.tenantId} and o.kind = 'branch' and o.dissolved_at is null
            and exists (select 1 from member m where m.org_id = o.id and m.left_at is null)
            and not exists (select 1 from org c where c.parent_id = o.id and c.dissolved_at is null)
          order by o.path desc`,
    );
    const mover = branches[0]!;
    const parentPath = mover.path.slice(0, mover.path.slice(0, -1).lastIndexOf('/') + 1);
    const dest = list.find(
      (o) =>
        ALLOWED_CHILD_KINDS[o.kind as OrgKind].includes('branch') &&
        o.path !== parentPath &&
        !mover.path.startsWith(o.path),
    );
    assert.ok(dest, 'an org to move the branch under');
    const moved = await post(`/orgs/${mover.id}/move`, admin, { parentId: dest!.id });
    assert.equal(moved.status, 200, moved.raw);
    await allAgree('moved');
    const other = branches.find((o) => o.id !== mover.id)!;
    const merged = await post(`/orgs/${other.id}/dissolve`, admin, { reason: '合并', mergeIntoId: mover.id });
    assert.equal(merged.status, 200, merged.raw);
    await allAgree('merged');
    await foldMemberTally(db);
    await allAgree('folded after the moves');
    const [z] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from member_tally where n = 0`);
    await foldMemberTally(db);
    const [z2] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from member_tally where n = 0`);
    assert.ok(z!.n >= 0 && z2!.n === 0, 'a fold deletes the rows brought to zero before');
    await allAgree('zeros gone');
  });
});
