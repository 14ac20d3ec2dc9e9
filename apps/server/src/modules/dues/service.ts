/**
 * 党费 business rules: settings, 核定基数 with history and corrections, the monthly bill run
 * (set-based INSERT … SELECT … ON CONFLICT DO NOTHING, in resumable chunks), and 特殊困难减免.
 */
import {
  addMonthsToMonth,
  DEFAULT_DUES_SETTINGS,
  FIXED_DUES,
  monthsBetween,
  quoteDues,
  todayInChina,
  type DuesBase,
  type DuesBill,
  type DuesCategory,
  type DuesSettings,
  now,
  inGroup,
  RECORD_KEEPERS,
} from '@xianfeng/shared';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { ActingScope, OrgRef, Scope } from '../../platform/access';
import { covers, loadOrgRef, orgOfRow } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { holdPoint } from '../../platform/holdpoint';
import { poolUse, queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { member, onRollAs, memberOfUser, type MemberRow } from '../member/service';
import { duesBase, duesBill, duesCorrection, duesExemption, duesSetting } from './schema';

export const isManager = (scope: Pick<Scope, 'role'>) => inGroup(RECORD_KEEPERS, scope.role);

// ---------- months (Asia/Shanghai business months, stored as the 1st) ----------

export const currentMonth = () => todayInChina().slice(0, 7);
export const monthStart = (month: string) => `${month.slice(0, 7)}-01`;
export const monthOf = (date: string) => date.slice(0, 7);
/** A business month (YYYY-MM) n months later: the shared date arithmetic (dayjs). */
export const addMonths = (month: string, n: number): string => addMonthsToMonth(month, n);
export { monthsBetween };

const iso = (d: Date | string | null) =>
  d === null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString();

// ---------- settings ----------

export async function getSettings(db: Queryable, tenantId: string): Promise<DuesSettings> {
  const [row] = await db.select().from(duesSetting).where(eq(duesSetting.tenantId, tenantId));
  if (!row) return { ...DEFAULT_DUES_SETTINGS };
  return {
    farmerMonthlyFen: row.farmerMonthlyFen,
    maxPrepayMonths: row.maxPrepayMonths,
    maxCatchUpMonths: row.maxCatchUpMonths,
    retiredBase: row.retiredBase as DuesSettings['retiredBase'],
  };
}

export async function putSettings(db: Db, scope: Scope, input: DuesSettings): Promise<DuesSettings> {
  return db.transaction(async (tx) => {
    const before = await getSettings(tx, scope.tenantId);
    await tx
      .insert(duesSetting)
      .values({ tenantId: scope.tenantId, ...input })
      .onConflictDoUpdate({ target: duesSetting.tenantId, set: { ...input, updatedAt: now() } });
    await writeAudit(tx, scope.actor, {
      action: 'dues.settings',
      entityType: 'dues_setting',
      entityId: scope.tenantId,
      org: scope.org,
      before,
      after: input,
    });
    return input;
  });
}

// ---------- lookups for the access layer ----------

export const orgOfBill = orgOfRow(duesBill);
export const orgOfCorrection = orgOfRow(duesCorrection);
export const orgOfExemption = orgOfRow(duesExemption);

/** The member record of the signed-in user, or a clear 4xx when the account is not a member's. */
export async function selfMember(db: Queryable, scope: Scope): Promise<MemberRow> {
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self) throw unprocessable('您的账号未关联党员信息，请联系支部书记', undefined, 'NOT_A_MEMBER');
  return self;
}

async function loadMember(db: Queryable, tenantId: string, id: string): Promise<MemberRow> {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.tenantId, tenantId), eq(member.id, id)));
  if (!row) throw notFound('党员不存在');
  return row;
}

// ---------- bases ----------

type BaseRow = {
  id: string;
  member_id: string;
  member_name: string;
  org_id: string;
  org_name: string;
  category: string;
  monthly_base_fen: string | number;
  rate_bp: number;
  monthly_fen: string | number;
  effective_from: string;
  source: string;
  note: string | null;
  created_at: string | Date;
};
const toBase = (r: BaseRow): DuesBase => ({
  id: r.id,
  memberId: r.member_id,
  memberName: r.member_name,
  orgId: r.org_id,
  orgName: r.org_name,
  category: r.category as DuesCategory,
  monthlyBaseFen: Number(r.monthly_base_fen),
  rateBp: r.rate_bp,
  monthlyFen: Number(r.monthly_fen),
  effectiveFrom: monthOf(String(r.effective_from)),
  source: r.source as DuesBase['source'],
  note: r.note,
  createdAt: iso(r.created_at)!,
});

const BASE_SELECT = sql`select b.id, b.member_id, m.name as member_name, b.org_id, o.name as org_name, b.category, b.monthly_base_fen, b.rate_bp,
  b.monthly_fen, b.effective_from::text as effective_from, b.source, b.note, b.created_at
  from dues_base b join member m on m.id = b.member_id and m.tenant_id = b.tenant_id join org o on o.id = b.org_id and o.tenant_id = b.tenant_id`;

export async function baseHistory(db: Queryable, tenantId: string, memberId: string, page: number, pageSize: number) {
  const rows = await queryRows<BaseRow>(
    db,
    sql`${BASE_SELECT}
      where b.tenant_id = ${tenantId} and b.member_id = ${memberId}
      order by b.effective_from desc limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dues_base where tenant_id = ${tenantId} and member_id = ${memberId}`,
  );
  return { items: rows.map(toBase), total: count?.n ?? 0 };
}

/** The base in force for a member in a month (the latest row not after it). */
export async function baseInForce(
  db: Queryable,
  tenantId: string,
  memberId: string,
  month = currentMonth(),
): Promise<DuesBase | null> {
  const [row] = await queryRows<BaseRow>(
    db,
    sql`${BASE_SELECT} where b.tenant_id = ${tenantId} and b.member_id = ${memberId} and b.effective_from <= ${monthStart(month)}::date
      order by b.effective_from desc limit 1`,
  );
  return row ? toBase(row) : null;
}

export type BaseInput = {
  monthlyBaseFen: number;
  effectiveFrom: string;
  category?: DuesCategory | undefined;
  note?: string | undefined;
};

/**
 * Writes the base of a member from a month on (replacing one set for the same month), and
 * re-prices that member's unpaid bills from that month until the next base.
 */
export async function writeBase(
  tx: Tx,
  actor: ActingScope['actor'],
  tenantId: string,
  m: MemberRow,
  orgRef: { id: string; path: string },
  input: BaseInput,
  source: DuesBase['source'],
  settings: DuesSettings,
  audit = true,
) {
  const category = input.category ?? (m.duesCategory as DuesCategory);
  const q = quoteDues(category, input.monthlyBaseFen, settings);
  const from = monthStart(input.effectiveFrom);
  const [before] = await tx
    .select()
    .from(duesBase)
    .where(and(eq(duesBase.memberId, m.id), eq(duesBase.effectiveFrom, from)));
  const values = {
    tenantId,
    orgId: m.orgId,
    memberId: m.id,
    effectiveFrom: from,
    category,
    monthlyBaseFen: input.monthlyBaseFen,
    rateBp: q.rateBp,
    monthlyFen: q.monthlyFen,
    source,
    note: input.note ?? null,
    createdBy: actor.username,
  };
  const [row] = await tx
    .insert(duesBase)
    .values(values)
    .onConflictDoUpdate({ target: [duesBase.memberId, duesBase.effectiveFrom], set: { ...values, createdAt: now() } })
    .returning();
  await tx.execute(sql`update dues_bill set base_fen = ${input.monthlyBaseFen}, rate_bp = ${q.rateBp}, standard_fen = ${q.monthlyFen}, due_fen = ${q.monthlyFen}, category = ${category}
    where member_id = ${m.id} and status = 'unpaid' and exemption_id is null and month >= ${from}::date
      and month < coalesce((select min(effective_from) from dues_base where member_id = ${m.id} and effective_from > ${from}::date), 'infinity'::date)`);
  if (audit)
    await writeAudit(tx, actor, {
      action: before ? 'dues.base.update' : 'dues.base.create',
      entityType: 'dues_base',
      entityId: row!.id,
      org: orgRef,
      before: before
        ? { monthlyBaseFen: before.monthlyBaseFen, category: before.category, monthlyFen: before.monthlyFen }
        : null,
      after: {
        memberId: m.id,
        effectiveFrom: input.effectiveFrom,
        category,
        monthlyBaseFen: input.monthlyBaseFen,
        monthlyFen: q.monthlyFen,
        source,
      },
    });
  return row!;
}

export async function setBase(db: Db, scope: Scope, memberId: string, input: BaseInput): Promise<DuesBase> {
  const m = await loadMember(db, scope.tenantId, memberId);
  if (m.leftAt) throw unprocessable('该党员已出党，不能设置党费基数', undefined, 'MEMBER_LEFT');
  const settings = await getSettings(db, scope.tenantId);
  const id = await db.transaction(
    async (tx) => (await writeBase(tx, scope.actor, scope.tenantId, m, scope.org, input, 'manual', settings)).id,
  );
  const [row] = await queryRows<BaseRow>(db, sql`${BASE_SELECT} where b.id = ${id}`);
  return toBase(row!);
}

/** Members of the subtree with the base in force for a month (null when none was set yet). */
export async function listBases(
  db: Queryable,
  scope: Scope,
  f: { month?: string | undefined; q?: string | undefined; missing?: boolean | undefined },
  page: number,
  pageSize: number,
) {
  const month = monthStart(f.month ?? currentMonth());
  const q = f.q?.trim();
  const where = sql`m.tenant_id = ${scope.tenantId} and m.left_at is null and o.path like ${`${scope.org.path}%`}
    ${q ? sql`and m.name like ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}` : sql``}
    ${f.missing ? sql`and b.id is null` : sql``}`;
  const from = sql`from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
    left join lateral (select * from dues_base x where x.tenant_id = m.tenant_id and x.member_id = m.id and x.effective_from <= ${month}::date order by x.effective_from desc limit 1) b on true`;
  const rows = await queryRows<{
    member_id: string;
    member_name: string;
    org_id: string;
    org_name: string;
    member_category: string;
    id: string | null;
    category: string | null;
    monthly_base_fen: string | null;
    rate_bp: number | null;
    monthly_fen: string | null;
    effective_from: string | null;
    source: string | null;
    note: string | null;
    created_at: string | null;
  }>(
    db,
    sql`select m.id as member_id, m.name as member_name, m.org_id, o.name as org_name, m.dues_category as member_category,
      b.id, b.category, b.monthly_base_fen, b.rate_bp, b.monthly_fen, b.effective_from::text as effective_from, b.source, b.note, b.created_at
      ${from} where ${where} order by o.path, m.name, m.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n ${from} where ${where}`);
  return {
    items: rows.map((r) => ({
      memberId: r.member_id,
      memberName: r.member_name,
      orgId: r.org_id,
      orgName: r.org_name,
      memberCategory: r.member_category,
      base: r.id ? toBase({ ...(r as unknown as BaseRow), id: r.id }) : null,
    })),
    total: count?.n ?? 0,
  };
}

// ---------- corrections ----------

export async function requestCorrection(db: Db, scope: Scope, input: { proposedBaseFen: number; reason: string }) {
  const self = await selfMember(db, scope);
  const orgRef = (await loadOrgRef(db, scope.tenantId, self.orgId))!;
  return db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: duesCorrection.id })
      .from(duesCorrection)
      .where(and(eq(duesCorrection.memberId, self.id), eq(duesCorrection.status, 'pending')));
    if (pending) throw conflict('您已有一条待处理的基数更正申请', 'CORRECTION_PENDING');
    const [row] = await tx
      .insert(duesCorrection)
      .values({
        tenantId: scope.tenantId,
        orgId: self.orgId,
        memberId: self.id,
        proposedBaseFen: input.proposedBaseFen,
        reason: input.reason,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'dues.correction.request',
      entityType: 'dues_correction',
      entityId: row!.id,
      org: orgRef,
      after: input,
    });
    return correctionView(row!, self.name);
  });
}

const correctionView = (r: typeof duesCorrection.$inferSelect, memberName: string) => ({
  id: r.id,
  memberId: r.memberId,
  memberName,
  orgId: r.orgId,
  proposedBaseFen: r.proposedBaseFen,
  reason: r.reason,
  status: r.status,
  decidedBy: r.decidedBy,
  decidedAt: iso(r.decidedAt),
  decisionNote: r.decisionNote,
  createdAt: iso(r.createdAt)!,
});

export async function listCorrections(
  db: Queryable,
  scope: Scope,
  f: { status?: string | undefined; memberId?: string | undefined },
  page: number,
  pageSize: number,
) {
  const filters = sql`${f.status ? sql`and r.status = ${f.status}` : sql``} ${f.memberId ? sql`and r.member_id = ${f.memberId}` : sql``}`;
  return requestPage(db, scope, duesCorrection, filters, page, pageSize, async (id) => {
    const [r] = await db
      .select({ c: duesCorrection, name: member.name })
      .from(duesCorrection)
      .innerJoin(member, onKey(member, duesCorrection.memberId, duesCorrection))
      .where(and(eq(duesCorrection.tenantId, scope.tenantId), eq(duesCorrection.id, id)));
    return correctionView(r!.c, r!.name);
  });
}

/**
 * A page of a request table (更正 or 减免 applications) in the subtree in scope, newest first, and its total:
 * `filters` are further `and …` conditions on its rows (alias `r`); `view` reads one request's answer by its id.
 */
async function requestPage<T>(
  db: Queryable,
  scope: Scope,
  table: typeof duesCorrection | typeof duesExemption,
  filters: SQL,
  page: number,
  pageSize: number,
  view: (id: string) => Promise<T>,
) {
  const from = sql`${table} r join org o on o.tenant_id = r.tenant_id and o.id = r.org_id
    where r.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`} ${filters}`;
  const ids = await queryRows<{ id: string }>(
    db,
    sql`select r.id from ${from} order by r.created_at desc, r.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${from}`);
  const items = [];
  for (const { id } of ids) items.push(await view(id));
  return { items, total: count?.n ?? 0 };
}

/**
 * A request's decision as its row records it — 更正申请, 减免申请 and 党费使用 are each decided once, by someone other
 * than who asked: approved or rejected, by whom, when, and the note.
 */
export const decisionOf = (scope: Scope, d: { approve: boolean; note: string }) => ({
  status: d.approve ? 'approved' : 'rejected',
  decidedBy: scope.actor.username,
  decidedAt: now(),
  decisionNote: d.note,
});

export async function decideCorrection(
  db: Db,
  scope: Scope,
  id: string,
  d: { approve: boolean; note: string; effectiveFrom?: string | undefined },
) {
  const settings = await getSettings(db, scope.tenantId);
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(duesCorrection)
      .where(and(eq(duesCorrection.tenantId, scope.tenantId), eq(duesCorrection.id, id)))
      .for('update');
    if (!c) throw notFound();
    if (c.status !== 'pending') throw conflict('该申请已处理', 'ALREADY_DECIDED');
    const m = await loadMember(tx, scope.tenantId, c.memberId);
    if (d.approve)
      await writeBase(
        tx,
        scope.actor,
        scope.tenantId,
        m,
        scope.org,
        {
          monthlyBaseFen: c.proposedBaseFen,
          effectiveFrom: d.effectiveFrom ?? currentMonth(),
          note: `更正申请：${c.reason}`,
        },
        'correction',
        settings,
      );
    const [row] = await tx
      .update(duesCorrection)
      .set(decisionOf(scope, d))
      .where(and(eq(duesCorrection.tenantId, scope.tenantId), eq(duesCorrection.id, id)))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: d.approve ? 'dues.correction.approve' : 'dues.correction.reject',
      entityType: 'dues_correction',
      entityId: id,
      org: scope.org,
      before: { status: 'pending' },
      after: { status: row!.status, note: d.note },
    });
    return correctionView(row!, m.name);
  });
}

// ---------- bills ----------

/** The fixed-amount categories as a SQL CASE, from the shared rate table (one source of the rule). */
function fixedAmountSql(settings: DuesSettings) {
  const fixed = Object.entries(FIXED_DUES).map(([k, v]) => sql`when ${k} then ${v.fen}::bigint`);
  return sql`case m.dues_category ${sql.join(fixed, sql` `)} when 'farmer' then ${settings.farmerMonthlyFen}::bigint end`;
}

/**
 * Creates the month's bill for every active member of the subtree (or only the members of
 * `only.orgIds`, or only `only.memberId`), in ONE statement: INSERT … SELECT … ON CONFLICT
 * (member, month) DO NOTHING. Running it again creates nothing. Members admitted after the month,
 * or with a salary-based category but no base, get no bill (they are counted as missing a base).
 * Approved exemptions apply at once. Returns how many bills it created.
 */
export async function generateBills(...args: Parameters<typeof billStatement>) {
  return (await billStatement(...args)).created;
}

/**
 * generateBills' statement, with the counts the bill run reports taken from the rows it chose (so the run reads
 * member, dues_base and the month's bills once, not again to count them afterwards):
 * - `created`: bills inserted now;
 * - `billed`: members it covered who are billed — each has the month's bill now, made now or before (ON CONFLICT);
 * - `missingBase`: members of a salary-based category (employed, retired) with no base in force for the month.
 * The base in force is one index probe per member (a run's chunk is a small part of dues_base); the approved
 * exemptions, few, with DISTINCT ON over a hash join.
 * `only.bare`: the bill run is loading the month into its unattached table (`beginBillLoad`): the rows go there by
 * name, unordered, with ON CONFLICT DO NOTHING on whatever unique index the table has by then (none on a fresh load).
 */
export async function billStatement(
  tx: Queryable,
  tenantId: string,
  orgPath: string,
  month: string,
  settings: DuesSettings,
  only: { memberId?: string; orgIds?: string[]; bare?: boolean } = {},
) {
  const m1 = monthStart(month);
  if (!only.bare) await ensureBillPartition(tx, month);
  const [res] = await queryRows<{ created: number; billed: number; missing_base: number }>(
    tx,
    sql`with mm as (
      select m.tenant_id, m.org_id, m.id, m.dues_category from member m
      where m.tenant_id = ${tenantId} and ${onRollAs('m')}
        and m.joined_at < (${m1}::date + interval '1 month')
        ${
          // A chunk's orgs were taken from the subtree (billChunks): no join with org to check the path again.
          only.orgIds
            ? sql`and m.org_id = any(${`{${only.orgIds.join(',')}}`}::uuid[])`
            : sql`and m.org_id in (select o.id from org o where o.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`})`
        }
        ${only.memberId ? sql`and m.id = ${only.memberId}` : sql``}
    ), e as (
      select distinct on (x.member_id) x.member_id, x.id, x.reduced_fen
      from dues_exemption x join mm on mm.tenant_id = x.tenant_id and mm.id = x.member_id
      where x.status = 'approved' and x.from_month <= ${m1}::date and x.to_month >= ${m1}::date
      order by x.member_id, x.created_at desc
    ), r as (
      select m.tenant_id, m.org_id, m.id, m.dues_category, b.category, b.monthly_base_fen, b.rate_bp, b.has_base, s.standard,
        e.id as exemption_id, e.reduced_fen
      from mm m
      -- The base in force: one index probe per member on (member_id, effective_from). A chunk is ~5 % of the members,
      -- so hashing all of dues_base for it (DISTINCT ON over a hash join, as before) cost ~20 full passes a run.
      left join lateral (
        select x.category, x.monthly_base_fen, x.rate_bp, x.monthly_fen, true as has_base from dues_base x
        where x.tenant_id = m.tenant_id and x.member_id = m.id and x.effective_from <= ${m1}::date
        order by x.effective_from desc limit 1
      ) b on true
      left join e on e.member_id = m.id
      cross join lateral (select coalesce(b.monthly_fen, ${fixedAmountSql(settings)}) as standard) s
    ), ins as (
      insert into ${only.bare ? sql.identifier(billPartition(month)) : sql`dues_bill`} (tenant_id, org_id, member_id, month, category, base_fen, rate_bp, standard_fen, due_fen, status, exemption_id)
      select r.tenant_id, r.org_id, r.id, ${m1}::date, coalesce(r.category, r.dues_category), coalesce(r.monthly_base_fen, 0), coalesce(r.rate_bp, 0),
        r.standard,
        case when r.exemption_id is null then r.standard else least(r.reduced_fen, r.standard) end,
        case when r.exemption_id is not null and least(r.reduced_fen, r.standard) = 0 then 'exempt' else 'unpaid' end,
        r.exemption_id
      from r
      where r.standard is not null
      ${
        only.bare
          ? sql`on conflict do nothing`
          : // In key order: the (member, month) indexes are written in one sweep instead of at random leaf pages.
            sql`order by r.id on conflict (member_id, month) do nothing`
      }
      returning 1)
    select (select count(*) from ins)::int as created, count(*) filter (where r.standard is not null)::int as billed,
      count(*) filter (where r.has_base is null and r.dues_category in ('employed', 'retired'))::int as missing_base
    from r`,
  );
  return { created: res?.created ?? 0, billed: res?.billed ?? 0, missingBase: res?.missing_base ?? 0 };
}

/**
 * Makes the month's partition of dues_bill if it is not there yet (migration 0070). Cheap when it exists; the bill
 * run calls it in its own transaction first, so its concurrent chunks do not queue behind the one that makes it.
 */
export async function ensureBillPartition(db: Queryable, month: string) {
  await queryRows(db, sql`select xf_dues_bill_partition(${monthStart(month)}::date)`);
}

/** The name of a month's table of dues_bill (migration 0070's `xf_dues_bill_part`). */
export const billPartition = (month: string) => `dues_bill_${monthStart(month).slice(0, 7).replace('-', '')}`;

/**
 * The bill run's start (migration 0073): when the month has no partition yet, its table is made bare (no index, not
 * attached) and the run loads it by name — true; when the month is attached, false (the indexed path). A bare table
 * left by an interrupted run gets its unique index first, so the resumed chunks skip the members it holds.
 */
export async function beginBillLoad(db: Queryable, month: string) {
  const [r] = await queryRows<{ bare: boolean }>(
    db,
    sql`select xf_dues_bill_load_begin(${monthStart(month)}::date) as bare`,
  );
  return r!.bare;
}

/** The bill run's end after a bare load: the month's indexes built by sorting, the table attached (migration 0073). */
export async function finishBillLoad(db: Queryable, month: string) {
  await queryRows(db, sql`select xf_dues_bill_attach(${monthStart(month)}::date)`);
}

/** Past this many orgs the bill run's chunks are cut by org count, without counting members first. */
const BILL_CHUNK_COUNT_ORGS = 1000;

/**
 * The subtree's orgs in path order, packed into about 20 chunks of whole orgs. A subtree of up to
 * BILL_CHUNK_COUNT_ORGS orgs is cut by its active members (at least 1,000 a chunk, so small runs stay a single
 * transaction per thousand members; counting them is one index probe per org). A larger one is cut into 20 chunks of
 * equally many orgs: counting a million members first cost 1.0–1.5 s (a scan of member or of a whole index) before
 * the first bill, and 2,500 orgs in path order hold about as many members as any other 2,500. `weight` is what a
 * chunk adds to the job's progress (members, or orgs on a large subtree; the web shows a percentage).
 */
async function billChunks(db: Queryable, tenantId: string, orgPath: string) {
  const ids = await queryRows<{ id: string }>(
    db,
    sql`select o.id from org o where o.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`} order by o.path`,
  );
  const orgs =
    ids.length > BILL_CHUNK_COUNT_ORGS
      ? ids.map((o) => ({ id: o.id, n: 1 }))
      : await queryRows<{ id: string; n: number }>(
          db,
          sql`select o.id, count(*)::int as n from org o join member m on m.org_id = o.id and m.left_at is null
            where o.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`} group by o.id, o.path order by o.path`,
        );
  const total = orgs.reduce((s, o) => s + o.n, 0);
  const target = ids.length > BILL_CHUNK_COUNT_ORGS ? Math.ceil(total / 20) : Math.max(1000, Math.ceil(total / 20));
  const chunks: { orgIds: string[]; weight: number }[] = [];
  let cur: { orgIds: string[]; weight: number } = { orgIds: [], weight: 0 };
  for (const o of orgs) {
    cur.orgIds.push(o.id);
    cur.weight += o.n;
    if (cur.weight >= target) {
      chunks.push(cur);
      cur = { orgIds: [], weight: 0 };
    }
  }
  if (cur.orgIds.length) chunks.push(cur);
  return { chunks, total };
}

/** Chunks of the bill run in flight at once on PostgreSQL. */
const BILL_RUN_PARALLEL = 2;

/**
 * The background job's work, crash-safe by construction: each chunk of orgs is one committed
 * INSERT … ON CONFLICT DO NOTHING, so a run killed between chunks keeps what it committed, a
 * run killed inside a chunk rolls that chunk back, and the requeued job (platform/jobs.ts)
 * simply runs again — chunks already done create nothing (on a bare load: the requeued run's
 * `beginBillLoad` gives the table its unique index first). Indexing and attaching a bare load is
 * one transaction with the run's audit entry: killed there, the table stays unattached and the requeued run finishes
 * it. The audit entry records what this attempt created and how many of the subtree's members have the month's bill
 * (`bills`: made by this attempt or before); `missingBase`: members with no base, so no bill. Both counts come from
 * the chunks' own statements (billStatement), not from reading the month again.
 */
export async function runBillGeneration(
  db: Db,
  scope: ActingScope,
  month: string,
  progress?: (done: number, total: number) => Promise<void>,
) {
  const settings = await getSettings(db, scope.tenantId);
  const { chunks, total } = await billChunks(db, scope.tenantId, scope.org.path);
  // A new month loads into a bare table whose indexes are built once at the end (a sort instead of a B-tree
  // insertion per bill and index); a month already attached takes the indexed path. Readers see the month's bills
  // when the table is attached, all at once.
  const bare = await db.transaction((tx) => beginBillLoad(tx, month));
  await progress?.(0, total);
  const sum = { created: 0, billed: 0, missingBase: 0 };
  let done = 0;
  let next = 0;
  const worker = async () => {
    for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
      const n = await db.transaction(async (tx) => {
        // The plan's estimated cost passes jit_above_cost; compiling it cost more than it saved (docs/benchmarks.md).
        await tx.execute(sql`set local jit = off`);
        return billStatement(tx, scope.tenantId, scope.org.path, month, settings, { orgIds: chunk.orgIds, bare });
      });
      // Added after the await, not `sum.x += await …`: that reads the sum before the other worker's chunk lands.
      sum.created += n.created;
      sum.billed += n.billed;
      sum.missingBase += n.missingBase;
      done += chunk.weight;
      await progress?.(done, total);
      await holdPoint('dues.generate.chunk');
    }
  };
  // On PostgreSQL two chunks run at once on two pooled connections (the insert is database CPU, so this uses a
  // second core; more would take connections from the readers). The embedded database has one connection.
  await Promise.all(Array.from({ length: poolUse(db) ? BILL_RUN_PARALLEL : 1 }, worker));
  await db.transaction(async (tx) => {
    if (bare) await finishBillLoad(tx, month);
    await writeAudit(tx, scope.actor, {
      action: 'dues.bills.generate',
      entityType: 'dues_bill',
      org: scope.org,
      after: { month, created: sum.created, bills: sum.billed },
    });
  });
  return { month, created: sum.created, bills: sum.billed, missingBase: sum.missingBase };
}

type BillRow = {
  id: string;
  member_id: string;
  member_name: string;
  org_id: string;
  org_name: string;
  month: string;
  category: string;
  base_fen: string | number;
  rate_bp: number;
  standard_fen: string | number;
  due_fen: string | number;
  status: string;
  paid_at: string | Date | null;
  payment_id: string | null;
};
export const toBill = (r: BillRow): DuesBill => ({
  id: r.id,
  memberId: r.member_id,
  memberName: r.member_name,
  orgId: r.org_id,
  orgName: r.org_name,
  month: monthOf(String(r.month)),
  category: r.category,
  baseFen: Number(r.base_fen),
  rateBp: r.rate_bp,
  standardFen: Number(r.standard_fen),
  dueFen: Number(r.due_fen),
  status: r.status as DuesBill['status'],
  paidAt: iso(r.paid_at),
  paymentId: r.payment_id,
});
/** Bills with their member and org: one from-clause for the list and its count. */
const BILL_FROM = sql`from dues_bill b join member m on m.id = b.member_id and m.tenant_id = b.tenant_id join org o on o.id = b.org_id and o.tenant_id = b.tenant_id`;
export const BILL_SELECT = sql`select b.id, b.member_id, m.name as member_name, b.org_id, o.name as org_name, b.month::text as month, b.category, b.base_fen,
  b.rate_bp, b.standard_fen, b.due_fen, b.status, b.paid_at, b.payment_id
  ${BILL_FROM}`;

export type BillFilter = {
  month?: string | undefined;
  status?: string | undefined;
  memberId?: string | undefined;
  q?: string | undefined;
};

export async function listBills(
  db: Queryable,
  tenantId: string,
  orgPath: string,
  f: BillFilter,
  page: number,
  pageSize: number,
) {
  const q = f.q?.trim();
  const where = sql`b.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`}
    ${f.month ? sql`and b.month = ${monthStart(f.month)}::date` : sql``}
    ${f.status ? sql`and b.status = ${f.status}` : sql``}
    ${f.memberId ? sql`and b.member_id = ${f.memberId}` : sql``}
    ${q ? sql`and m.name like ${`%${q.replace(/[\\%_]/g, '\\$&')}%`}` : sql``}`;
  const rows = await queryRows<BillRow>(
    db,
    sql`${BILL_SELECT} where ${where} order by b.month desc, o.path, m.name, b.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n ${BILL_FROM} where ${where}`);
  return { items: rows.map(toBill), total: count?.n ?? 0 };
}

export async function getBill(db: Queryable, tenantId: string, id: string): Promise<DuesBill> {
  const [row] = await queryRows<BillRow>(db, sql`${BILL_SELECT} where b.tenant_id = ${tenantId} and b.id = ${id}`);
  if (!row) throw notFound('账单不存在');
  return toBill(row);
}

// ---------- exemptions (特殊困难减免) ----------

const exemptionView = (r: typeof duesExemption.$inferSelect, memberName: string) => ({
  id: r.id,
  memberId: r.memberId,
  memberName,
  orgId: r.orgId,
  fromMonth: monthOf(r.fromMonth),
  toMonth: monthOf(r.toMonth),
  reducedFen: r.reducedFen,
  reason: r.reason,
  status: r.status,
  requestedBy: r.requestedByName,
  decidedBy: r.decidedBy,
  decidedAt: iso(r.decidedAt),
  decisionNote: r.decisionNote,
  createdAt: iso(r.createdAt)!,
});

export async function requestExemption(
  db: Db,
  scope: Scope,
  memberId: string,
  input: { fromMonth: string; toMonth: string; reducedFen: number; reason: string },
) {
  if (input.toMonth < input.fromMonth)
    throw unprocessable(
      '结束月份不能早于开始月份',
      [{ field: 'toMonth', message: '结束月份不能早于开始月份' }],
      'INVALID_RANGE',
    );
  if (monthsBetween(input.fromMonth, input.toMonth) >= 12)
    throw unprocessable(
      '一次减免最长 12 个月，期满可再申请',
      [{ field: 'toMonth', message: '最长 12 个月' }],
      'INVALID_RANGE',
    );
  const m = await loadMember(db, scope.tenantId, memberId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(duesExemption)
      .values({
        tenantId: scope.tenantId,
        orgId: m.orgId,
        memberId,
        fromMonth: monthStart(input.fromMonth),
        toMonth: monthStart(input.toMonth),
        reducedFen: input.reducedFen,
        reason: input.reason,
        requestedBy: scope.principal.user.id,
        requestedByName: scope.actor.username,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'dues.exemption.request',
      entityType: 'dues_exemption',
      entityId: row!.id,
      org: scope.org,
      after: { memberId, ...input },
    });
    return exemptionView(row!, m.name);
  });
}

export async function listExemptions(
  db: Queryable,
  scope: Scope,
  f: { status?: string | undefined },
  page: number,
  pageSize: number,
) {
  const filters = f.status ? sql`and r.status = ${f.status}` : sql``;
  return requestPage(db, scope, duesExemption, filters, page, pageSize, async (id) => {
    const [r] = await db
      .select({ e: duesExemption, name: member.name })
      .from(duesExemption)
      .innerJoin(member, onKey(member, duesExemption.memberId, duesExemption))
      .where(and(eq(duesExemption.tenantId, scope.tenantId), eq(duesExemption.id, id)));
    return exemptionView(r!.e, r!.name);
  });
}

/**
 * The regulation: the branch studies it, the committee above approves. So the approver acts
 * through a binding on an org strictly above the member's branch (or is the tenant admin), and
 * is not the one who asked. Approval applies to the range's unpaid bills at once.
 */
export async function decideExemption(db: Db, scope: Scope, id: string, d: { approve: boolean; note: string }) {
  return db.transaction(async (tx) => {
    const [e] = await tx
      .select()
      .from(duesExemption)
      .where(and(eq(duesExemption.tenantId, scope.tenantId), eq(duesExemption.id, id)))
      .for('update');
    if (!e) throw notFound();
    if (e.status !== 'pending') throw conflict('该减免申请已处理', 'ALREADY_DECIDED');
    if (e.requestedBy === scope.principal.user.id) throw forbidden('不能审批自己提交的减免申请', 'SELF_APPROVAL');
    const branch = (await loadOrgRef(tx, scope.tenantId, e.orgId)) as OrgRef;
    // 党费规定（2008）第七条: the branch studies it and the 上一级党委 approves. The member may be filed in a
    // 党小组 (its branch is the parent), and a 党总支 is not a 党委: the approver's binding must cover the
    // nearest 党委 (kind committee) strictly above the member's branch.
    const [committee] = await queryRows<{ id: string; path: string }>(
      tx,
      sql`select id, path from org where tenant_id = ${scope.tenantId} and kind = 'committee'
          and ${branch.path} like path || '%' and path <> ${branch.path} order by length(path) desc limit 1`,
    );
    const above = scope.principal.bindings.some(
      (b) =>
        b.role === 'admin' ||
        (inGroup(RECORD_KEEPERS, b.role) &&
          committee !== undefined &&
          covers(b.org, { ...branch, id: committee.id, path: committee.path })),
    );
    if (!above)
      throw forbidden(
        '特殊困难减免须由上一级党委审批（党支部研究后报上一级党委批准；党总支不是党委）',
        'NEEDS_HIGHER_APPROVAL',
      );
    const [row] = await tx
      .update(duesExemption)
      .set(decisionOf(scope, d))
      .where(and(eq(duesExemption.tenantId, scope.tenantId), eq(duesExemption.id, id)))
      .returning();
    let billsChanged = 0;
    if (d.approve) {
      const changed = await queryRows<{ id: string }>(
        tx,
        sql`update dues_bill set due_fen = least(${e.reducedFen}::bigint, standard_fen), exemption_id = ${e.id},
          status = case when least(${e.reducedFen}::bigint, standard_fen) = 0 then 'exempt' else 'unpaid' end
          where tenant_id = ${scope.tenantId} and member_id = ${e.memberId} and status = 'unpaid' and month between ${e.fromMonth}::date and ${e.toMonth}::date returning id`,
      );
      billsChanged = changed.length;
    }
    await writeAudit(tx, scope.actor, {
      action: d.approve ? 'dues.exemption.approve' : 'dues.exemption.reject',
      entityType: 'dues_exemption',
      entityId: id,
      org: branch,
      before: { status: 'pending' },
      after: { status: row!.status, note: d.note, billsChanged },
    });
    const [name] = await tx
      .select({ name: member.name })
      .from(member)
      .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, e.memberId)));
    return { ...exemptionView(row!, name!.name), billsChanged };
  });
}

// The public surface other modules use (eslint's module-boundary rule): the ledger's figures.
export { arrearsByOrg, arrearsSummary, collectedByMonth, collectionByOrg, monthCollection } from './ledger';
