/** The member database: create, search, and the encrypted-at-rest personal fields. */
import {
  addMonths,
  AGE_BANDS,
  fullYears,
  memberProblems,
  partyAgeFrom,
  partyYears,
  todayInChina,
  type Member,
  type MemberInput,
  now,
  sumPerUnit,
} from '@xianfeng/shared';
import type { Transaction } from '@electric-sql/pglite';
import { and, asc, eq, inArray, is, isNotNull, isNull, like, sql, type SQL } from 'drizzle-orm';
import { PgliteTransaction } from 'drizzle-orm/pglite';
import { orgOfRow, type OrgRef, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { maskIdCard, maskPhone, type FieldCrypto } from '../../platform/crypto';
import { csvField, queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { assertIdCardFree } from './idcheck';
export { rosterPaths, settleOutsideLookups, whereIdCards } from './idcheck';
import { BULK_COLUMNS, MEMBER_ORG_KINDS, MemberBatch, nameInitials, toRow } from './rows';
import { member, onRollAs } from './schema';
export { MEMBER_ORG_KINDS, MemberBatch, nameInitials, toRow };

export type MemberRow = typeof member.$inferSelect;

/** A member's phone, opened from its row (for modules that reach people: notices, the personal-data copy). */
export const memberPhone = (fc: FieldCrypto, row: Pick<MemberRow, 'id' | 'phoneEnc'>) =>
  fc.decrypt(row.phoneEnc, member.phoneEnc, row.id);

/** The API view. Personal numbers are masked unless `reveal` (the caller's right to see them). */
export function toView(
  fc: FieldCrypto,
  row: MemberRow,
  orgName: string,
  reveal = false,
  today = todayInChina(),
): Member {
  const idCardNo = fc.decrypt(row.idCardEnc, member.idCardEnc, row.id);
  const phone = fc.decrypt(row.phoneEnc, member.phoneEnc, row.id);
  return {
    id: row.id,
    orgId: row.orgId,
    orgName,
    name: row.name,
    gender: row.gender as Member['gender'],
    ethnicity: row.ethnicity,
    birthDate: row.birthDate,
    age: fullYears(row.birthDate, today),
    idCardNo: reveal ? idCardNo : maskIdCard(idCardNo),
    phone: reveal ? phone : maskPhone(phone),
    joinedAt: row.joinedAt,
    fullAt: row.fullAt,
    status: row.status as Member['status'],
    partyYears: partyYears(row, today),
    partyAgeFrom: partyAgeFrom(row),
    education: row.education,
    occupation: row.occupation,
    jobTitle: row.jobTitle,
    duesCategory: row.duesCategory as Member['duesCategory'],
    politicalBirthday: row.joinedAt.slice(5),
    flowing: row.flowing,
    suspendedOn: row.suspendedOn,
    userId: row.userId,
  };
}

export function assertMemberOrg(target: OrgRef) {
  if (!MEMBER_ORG_KINDS.includes(target.kind))
    throw unprocessable(
      '党员须编入党支部或党小组',
      [{ field: 'orgId', message: `「${target.name}」不是党支部或党小组` }],
      'ORG_CANNOT_HOLD_MEMBERS',
    );
}

export const memberExists = () =>
  conflict('该身份证号的党员已存在', 'MEMBER_EXISTS', [{ field: 'idCardNo', message: '该身份证号的党员已存在' }]);

export async function createMember(db: Db, fc: FieldCrypto, scope: Scope, input: MemberInput): Promise<Member> {
  assertMemberOrg(scope.org);
  const problems = memberProblems(input);
  if (problems.length) throw unprocessable(`党员信息有误：${problems[0]!.message}`, problems, 'INVALID_MEMBER');
  const values = toRow(fc, scope.tenantId, input);
  await assertIdCardFree(
    db,
    scope,
    'member.create',
    input.idCardNo.trim().toUpperCase(),
    values.idCardIdx,
    memberExists,
  );
  const row = await db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.tenantId, scope.tenantId), eq(member.idCardIdx, values.idCardIdx)));
    if (dup) throw memberExists();
    const [created] = await tx.insert(member).values(values).returning();
    await writeAudit(tx, scope.actor, {
      action: 'member.create',
      entityType: 'member',
      entityId: created!.id,
      org: scope.org,
      after: input,
    });
    return created!;
  });
  return toView(fc, row, scope.org.name);
}

/** For the access layer: which org a member belongs to (null when unknown in this tenant). */
export const orgOfMember = orgOfRow(member);

export async function getMember(db: Queryable, fc: FieldCrypto, scope: Scope, id: string): Promise<Member> {
  const [row] = await db
    .select({ m: member, orgName: org.name })
    .from(member)
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, id)));
  if (!row) throw notFound();
  return toView(fc, row.m, row.orgName);
}

/**
 * One member's full phone number for a secretary or the org department who is about to call them
 * (PHONE_REVEALERS; the route checks the role and that the member is in the caller's scope). Every
 * reveal is audited in its own transaction — who saw whose number, when and why — and the number
 * itself is not written to the log.
 */
export async function revealPhone(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  id: string,
  purpose: string | undefined,
): Promise<{ memberId: string; name: string; phone: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: member.id, name: member.name, phoneEnc: member.phoneEnc, orgId: member.orgId })
      .from(member)
      .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, id)));
    if (!row) throw notFound();
    await writeAudit(tx, scope.actor, {
      action: 'member.phone.reveal',
      entityType: 'member',
      entityId: row.id,
      org: scope.org,
      after: { memberName: row.name, purpose: purpose ?? null },
    });
    return { memberId: row.id, name: row.name, phone: fc.decrypt(row.phoneEnc, member.phoneEnc, row.id) };
  });
}

/** Full phone numbers of several members at once (an export for calling), in one audited entry. */
export async function revealPhones(
  tx: Tx,
  fc: FieldCrypto,
  scope: Scope,
  ids: string[],
  purpose: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const rows = await tx
    .select({ id: member.id, phoneEnc: member.phoneEnc })
    .from(member)
    .where(and(eq(member.tenantId, scope.tenantId), inArray(member.id, ids)));
  for (const r of rows) out.set(r.id, fc.decrypt(r.phoneEnc, member.phoneEnc, r.id));
  await writeAudit(tx, scope.actor, {
    action: 'member.phone.reveal_many',
    entityType: 'member',
    org: scope.org,
    after: { purpose, count: rows.length, memberIds: rows.map((r) => r.id) },
  });
  return out;
}

/** Masked phone numbers of several members (for lists that show a contact column). */
export async function maskedPhones(db: Queryable, fc: FieldCrypto, tenantId: string, ids: string[]) {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const rows = await db
    .select({ id: member.id, phoneEnc: member.phoneEnc })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), inArray(member.id, ids)));
  for (const r of rows) out.set(r.id, maskPhone(fc.decrypt(r.phoneEnc, member.phoneEnc, r.id)));
  return out;
}

export type MemberFilter = {
  q?: string | undefined;
  status?: 'probationary' | 'full' | undefined;
  gender?: 'male' | 'female' | undefined;
  education?: string | undefined;
  duesCategory?: string | undefined;
  ageBand?: string | undefined;
  flowing?: boolean | undefined;
  /** 停止党籍: true lists only them, false leaves them out (as the statistics and the 驾驶舱 count). */
  suspended?: boolean | undefined;
  includeLeft?: boolean | undefined;
};

/** Roster totals are exact up to this many; past it the list answers `total: TOTAL_CAP, totalCapped: true`. */
export const TOTAL_CAP = 10_000;
/**
 * A name search ("name contains q", the GIN path) counts up to this many: its matches come from the GIN index but
 * each one counted is a row read from the member table (GIN cannot answer index-only), so counting a common character
 * (a surname: ~1 % of a million members, right at TOTAL_CAP) read 10,001 rows on every page. Past it the answer is
 * `total: NAME_TOTAL_CAP, totalCapped: true` (共 1000+ 人): still a true lower bound, never an estimate.
 */
export const NAME_TOTAL_CAP = 1_000;

/** What a search text `q` looks up: 身份证号 or phone (blind index), pinyin initials, or a name substring. */
function queryKind(q: string): 'idCard' | 'phone' | 'initials' | 'name' {
  if (/^\d{17}[\dXx]$/.test(q)) return 'idCard';
  if (/^1\d{10}$/.test(q)) return 'phone';
  if (/^[a-zA-Z]+$/.test(q)) return 'initials';
  return 'name';
}

/** ASCII letters to lower case, as member_name_grams() folds them (locale-independent on purpose). */
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * "Name contains q" on the name_grams GIN index: a 1- or 2-character q is one key of the array and
 * exact; a longer q needs all of its bigrams (a superset of the matches) and a LIKE recheck. Split by
 * code points, as PostgreSQL's substr counts characters (rare characters outside the BMP are one).
 */
export function nameContains(q: string): SQL {
  const chars = Array.from(foldAscii(q));
  if (chars.length <= 2) return sql`${member.nameGrams} @> array[${chars.join('')}]::text[]`;
  const bigrams = [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
  const pattern = `%${chars.join('').replace(/[\\%_]/g, '\\$&')}%`;
  return sql`(${member.nameGrams} @> array[${sql.join(
    bigrams.map((b) => sql`${b}`),
    sql`, `,
  )}]::text[] and translate(${member.name}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') like ${pattern})`;
}

/**
 * Conditions for "members in this subtree matching the filter", shared by list and export. The
 * subtree is a prefix of member.org_path (kept by triggers), so it is a range of member_roster_idx.
 */
export function memberWhere(fc: FieldCrypto, scope: Scope, f: MemberFilter): SQL {
  const conds: SQL[] = [
    eq(member.tenantId, scope.tenantId),
    sql`${member.orgPath} collate "C" like ${`${scope.org.path}%`}`,
  ];
  if (!f.includeLeft) conds.push(isNull(member.leftAt));
  if (f.status) conds.push(eq(member.status, f.status));
  if (f.gender) conds.push(eq(member.gender, f.gender));
  if (f.education) conds.push(eq(member.education, f.education));
  if (f.duesCategory) conds.push(eq(member.duesCategory, f.duesCategory));
  if (f.flowing !== undefined) conds.push(eq(member.flowing, f.flowing));
  if (f.suspended !== undefined) conds.push(f.suspended ? isNotNull(member.suspendedOn) : isNull(member.suspendedOn));
  if (f.ageBand) {
    const i = AGE_BANDS.findIndex((b) => b.key === f.ageBand);
    const today = todayInChina();
    const minAge = i <= 0 ? 0 : AGE_BANDS[i - 1]!.max + 1;
    const maxAge = AGE_BANDS[i]?.max ?? 200;
    // Age band as a birth-date range, so an index on birth_date could serve it.
    // Whole years back, clamped to the month's end (29 Feb 2028 − 26 years = 28 Feb 2002).
    const shift = (years: number) => addMonths(today, -12 * years);
    conds.push(sql`${member.birthDate} > ${shift(maxAge + 1)}::date and ${member.birthDate} <= ${shift(minAge)}::date`);
  }
  const q = f.q?.trim();
  if (q) {
    const kind = queryKind(q);
    if (kind === 'idCard') conds.push(eq(member.idCardIdx, fc.blindIndex(q.toUpperCase())));
    else if (kind === 'phone') conds.push(eq(member.phoneIdx, fc.blindIndex(q)));
    else if (kind === 'initials') conds.push(like(member.nameInitials, `${q.toLowerCase()}%`));
    else conds.push(nameContains(q));
  }
  return and(...conds)!;
}

/** Roster order = member_roster_idx order (code-point order, the same on PGlite and PostgreSQL). */
const ROSTER_ORDER = [sql`${member.orgPath} collate "C"`, sql`${member.name} collate "C"`, asc(member.id)];

/**
 * One page of the roster and its total. Rows come in index order, so a page never sorts the subtree;
 * the total counts at most TOTAL_CAP + 1 matches (NAME_TOTAL_CAP + 1 for a name search), so a broad list (the top
 * org of a million members) costs a bounded count and says `totalCapped` instead of counting everything on every page.
 */
export async function listMembers(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  f: MemberFilter,
  page: number,
  pageSize: number,
) {
  const where = memberWhere(fc, scope, f);
  const q = f.q?.trim();
  const cap = q && queryKind(q) === 'name' ? NAME_TOTAL_CAP : TOTAL_CAP;
  const matches = db
    .select({ one: sql`1`.as('one') })
    .from(member)
    .where(where)
    .limit(cap + 1)
    .as('matches');
  const [rows, [count]] = await Promise.all([
    db
      .select({ m: member, orgName: org.name })
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(where)
      .orderBy(...ROSTER_ORDER)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(matches),
  ]);
  const today = todayInChina();
  const n = count?.n ?? 0;
  const items = rows.map((r) => toView(fc, r.m, r.orgName, false, today));
  return n > cap ? { items, total: cap, totalCapped: true } : { items, total: n };
}

/** The whole filtered roster in pages of `size`, by keyset on the roster index (for export: no offsets, no counts). */
export async function* rosterPages(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  f: MemberFilter,
  size: number,
  reveal = false,
) {
  const where = memberWhere(fc, scope, f);
  const today = todayInChina();
  let after: MemberRow | undefined;
  for (;;) {
    const rows = await db
      .select({ m: member, orgName: org.name })
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(
        after
          ? and(
              where,
              sql`(${member.orgPath} collate "C", ${member.name} collate "C", ${member.id}) > (${after.orgPath} collate "C", ${after.name} collate "C", ${after.id})`,
            )
          : where,
      )
      .orderBy(...ROSTER_ORDER)
      .limit(size);
    if (rows.length === 0) return;
    yield rows.map((r) => toView(fc, r.m, r.orgName, reveal, today));
    after = rows.at(-1)!.m;
  }
}

/** Inserts many validated rows in chunks, inside the caller's transaction. */
export async function insertMembers(tx: Tx, rows: (ReturnType<typeof toRow> & { userId?: string })[]): Promise<number> {
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(member).values(rows.slice(i, i + 1000));
  return rows.length;
}

/**
 * Inserts a batch in one statement, inside the caller's transaction (no per-row round trips):
 * COPY from an in-memory CSV on PGlite (binding 18 arrays of thousands of strings is its slow
 * path), INSERT … SELECT FROM unnest(arrays) on PostgreSQL.
 */
export async function insertMemberBatch(tx: Tx, batch: MemberBatch): Promise<number> {
  if (batch.size === 0) return 0;
  const names = BULK_COLUMNS.map(([, col]) => col).join(', ');
  if (is(tx, PgliteTransaction)) {
    const lite = (tx as unknown as { session: { client: Transaction } }).session.client;
    const lines: string[] = [];
    for (let r = 0; r < batch.size; r++) lines.push(batch.columns.map((c) => csvField(c[r])).join(','));
    await lite.query(`copy member (${names}) from '/dev/blob' with (format csv)`, [], {
      blob: new Blob([lines.join('\n') + '\n']),
    });
    return batch.size;
  }
  const arrays = sql.join(
    BULK_COLUMNS.map(([, , type], i) => sql`${sql.param(batch.columns[i])}::${sql.raw(type)}[]`),
    sql`, `,
  );
  await tx.execute(sql`insert into member (${sql.raw(names)}) select * from unnest(${arrays})`);
  return batch.size;
}

/** The member record of a signed-in user (their own data), or null when the account is not a member's. */
export async function memberOfUser(db: Queryable, tenantId: string, userId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.tenantId, tenantId), eq(member.userId, userId)));
  return row ?? null;
}

/**
 * Active members per org, counted as the regulations count a branch's members: those filed in its 党小组
 * are the branch's members (a 党小组 is part of its branch, not a separate org). A 党小组 asked for
 * counts its own members; its branch, asked in the same call or not, counts them too. `full`: 正式党员 (who vote, and the 3/7 thresholds); `all`: with 预备党员 (the 50 limit).
 * The one function every count of "a branch's members" uses (structure warnings, votes' 应到会); countUnitMembers
 * gives the same counts for every unit of a subtree.
 */
export async function countBranchMembers(
  db: Queryable,
  tenantId: string,
  orgIds: string[],
): Promise<Map<string, { full: number; all: number }>> {
  if (orgIds.length === 0) return new Map();
  const ids = sql.join(
    orgIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<{ org_id: string; full: number; all: number }>(
    db,
    sql`select org_id, count(*) filter (where status = 'full')::int as full, count(*)::int as all from (
          select m.org_id, m.status from member m
          where m.tenant_id = ${tenantId} and ${onRollAs('m')} and m.org_id in (${ids})
          union all
          select o.parent_id, m.status from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
          where m.tenant_id = ${tenantId} and ${onRollAs('m')} and o.kind = 'group' and o.parent_id in (${ids})
        ) x group by org_id`,
  );
  return new Map(rows.map((r) => [r.org_id, { full: r.full, all: r.all }]));
}

/**
 * countBranchMembers for every unit of a subtree at once: one pass over the subtree's members grouped by their org
 * path, summed per unit by `unitOf` (a 党小组's members count in its branch). At 1M members this is one grouped scan,
 * where an id list of tens of thousands of units made PostgreSQL plan and hash a list that long (1.3–1.5 s per call).
 */
export async function countUnitMembers(
  db: Queryable,
  tenantId: string,
  rootPath: string,
  unitOf: (path: string) => string | undefined,
): Promise<Map<string, { full: number; all: number }>> {
  const rows = await queryRows<{ path: string; full: number; all: number }>(
    db,
    sql`select m.org_path as path, count(*) filter (where m.status = 'full')::int as full, count(*)::int as all
        from member m where m.tenant_id = ${tenantId} and ${onRollAs('m')} and m.org_path like ${`${rootPath}%`}
        group by m.org_path`,
  );
  return sumPerUnit(unitOf, rows, ['full', 'all']);
}

/** Active members of an org (any status), e.g. to refuse dissolving an org that still has some. */
export async function countActiveMembers(db: Queryable, tenantId: string, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), eq(member.orgId, orgId), isNull(member.leftAt)));
  return row?.n ?? 0;
}

/** Moves every active member of one org to another (org merge), audited as one entry by the caller. */
export async function moveAllMembers(tx: Tx, tenantId: string, fromOrgId: string, toOrgId: string): Promise<number> {
  const moved = await tx
    .update(member)
    .set({ orgId: toOrgId, updatedAt: now() })
    .where(and(eq(member.tenantId, tenantId), eq(member.orgId, fromOrgId), isNull(member.leftAt)))
    .returning({ id: member.id });
  return moved.length;
}

/** The member with this 身份证号 in the tenant (exact match on the blind index), or null. */
export async function memberIdByIdCard(
  db: Queryable,
  fc: FieldCrypto,
  tenantId: string,
  idCardNo: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), eq(member.idCardIdx, fc.blindIndex(idCardNo.trim().toUpperCase()))));
  return row?.id ?? null;
}

/** Name, status and standing of some members of a tenant (e.g. to check 入党介绍人); unknown ids are absent. */
export async function memberBriefs(db: Queryable, tenantId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: member.id, name: member.name, status: member.status, orgId: member.orgId, leftAt: member.leftAt })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), inArray(member.id, ids)));
}

/**
 * Which of these member ids are current members (not left, unless `includeLeft`) inside any of the org
 * subtrees `paths`.
 * Callers that take member ids from a request answer every other id alike — absent, left or elsewhere —
 * so the answer tells nothing about members outside the caller's scope (issue 14 item 13).
 */
export async function currentMembersWithin(
  db: Queryable,
  tenantId: string,
  paths: string[],
  ids: string[],
  opts: { includeLeft?: boolean } = {},
): Promise<Set<string>> {
  if (ids.length === 0 || paths.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from member where tenant_id = ${tenantId} and id = any(${sql.param(ids)}::uuid[])
        and (${opts.includeLeft ?? false} or left_at is null)
        and org_path like any(${sql.param(paths.map((p) => `${p}%`))}::text[])`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Of the given member ids, those that are not 正式党员 (预备党员 have no vote and cannot be elected, 党章 第七条). */
export async function notFullMembers(db: Queryable, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from member where tenant_id = ${tenantId} and id = any(${sql.param(ids)}::uuid[]) and status <> 'full'`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Full members (not left) of the given orgs, by name: who may sit on a committee. */
export async function fullMembersOf(db: Queryable, tenantId: string, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return db
    .select({ id: member.id, name: member.name, orgId: member.orgId, joinedAt: member.joinedAt })
    .from(member)
    .where(
      and(
        eq(member.tenantId, tenantId),
        inArray(member.orgId, orgIds),
        eq(member.status, 'full'),
        isNull(member.leftAt),
      ),
    )
    .orderBy(member.orgId, member.joinedAt);
}

/** The sign-in accounts of members (those that have one), for notices: member id → user id. */
export async function userIdsOfMembers(
  db: Queryable,
  tenantId: string,
  memberIds: string[],
): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .select({ id: member.id, userId: member.userId })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), inArray(member.id, memberIds), isNotNull(member.userId)));
  return new Map(rows.map((r) => [r.id, r.userId!]));
}

// The public surface other modules use (eslint's module-boundary rule): the member tables they join against — this
// module alone writes them — and the functions of its other files.
export { member, memberFlow, onRoll, onRollAs } from './schema';
export { userIdByPhone, userIdsByPhone } from './accounts';
export { lostByOrg } from './activity';
export {
  annualMemberFacts,
  memberDataProblems,
  membersWithDataProblemsByOrg,
  unitOfPathSql,
  yearsBand,
  type AnnualFact,
} from './annual';
export { exitParty, updateMember } from './lifecycle';
export { memberStats } from './stats';
