/**
 * 困难帮扶 (help for members in hardship): a case per member in difficulty (level, the situation — sealed), and the
 * visits and help given (day, who went, what help, amount, a sealed note). Confidential: only the branch secretary
 * and the org department whose binding covers the case's org read or write it (HARDSHIP_KEEPERS) — the routes
 * declare it, and a lookup answers 404 to everyone else. Lists carry no situation text. Reads are not audited (a
 * GET writes nothing); every write is.
 */
import {
  chinaDate,
  HARDSHIP_LEVEL_LABELS,
  HARDSHIP_LEVELS,
  now,
  nowMs,
  type HardshipCaseBrief,
  type HardshipCaseDetail,
  type HardshipCaseInput,
  type HardshipLevel,
  type HardshipReviewInput,
  type HardshipSummary,
  type HardshipVisit,
  type HardshipVisitInput,
  todayInChina,
} from '@xianfeng/shared';
import crypto from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { actorName, orgOfRow, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable, onKey } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member } from '../member/service';
import { hardshipCase, hardshipVisit } from './schema';
import { yearStart } from './service';
import { countFrom, pageWhere } from '../../platform/paging';

/**
 * A 复核 is kept as an entry of the case's record list whose help text starts with this prefix (`reviewCase` writes
 * it; `addVisit` refuses a visit that starts with it), and a review that closes the case names `CLOSING` — the year's
 * summary tells reviews and closings from visits by them.
 */
export const REVIEW_PREFIX = '复核：';
const CLOSING = '结案（已脱困）';

/** A case's org: its keepers (the secretary and org department covering it) reach it; everyone else gets 404. */
export const orgOfHardshipCase = orgOfRow(hardshipCase);

type BriefRow = {
  id: string;
  member_id: string;
  member_name: string;
  org_id: string;
  org_name: string;
  level: string;
  status: string;
  created_at: Date | string;
  visits: number;
  last_visit_on: string | null;
  amount_fen: number;
};

const briefSql = (where: ReturnType<typeof sql>) => sql`
  select c.id, c.member_id, m.name as member_name, c.org_id, o.name as org_name, c.level, c.status, c.created_at,
         count(v.id)::int as visits, max(v.visited_on) as last_visit_on, coalesce(sum(v.amount_fen), 0)::int as amount_fen
  from hardship_case c join member m on m.tenant_id = c.tenant_id and m.id = c.member_id join org o on o.tenant_id = c.tenant_id and o.id = c.org_id
  left join hardship_visit v on v.tenant_id = c.tenant_id and v.case_id = c.id
  where ${where}
  group by c.id, m.name, o.name, o.path`;

const brief = (r: BriefRow): HardshipCaseBrief => ({
  id: r.id,
  memberId: r.member_id,
  memberName: r.member_name,
  orgId: r.org_id,
  orgName: r.org_name,
  level: r.level as HardshipLevel,
  status: r.status as 'open' | 'closed',
  createdAt: new Date(r.created_at).toISOString(),
  visits: r.visits,
  lastVisitOn: r.last_visit_on,
  amountFen: r.amount_fen,
});

/** The cases of the scope's subtree, the most serious and the longest unvisited first; no situation text. */
export async function listCases(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = sql`c.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`}`;
  const rows = await queryRows<BriefRow>(
    db,
    sql`${briefSql(where)} order by c.status = 'closed', case c.level when 'special' then 0 when 'serious' then 1 else 2 end,
        max(v.visited_on) nulls first, o.path, m.name, c.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [total] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from hardship_case c join org o on o.tenant_id = c.tenant_id and o.id = c.org_id where ${where}`,
  );
  return { items: rows.map(brief), total: total?.n ?? 0 };
}

export async function getCase(db: Queryable, fc: FieldCrypto, scope: Scope, id: string): Promise<HardshipCaseDetail> {
  const [row] = await queryRows<BriefRow>(db, briefSql(sql`c.tenant_id = ${scope.tenantId} and c.id = ${id}`));
  const [c] = await db
    .select()
    .from(hardshipCase)
    .where(and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.id, id)));
  if (!row || !c) throw notFound();
  return {
    ...brief(row),
    situation: fc.decrypt(c.situationEnc, hardshipCase.situationEnc, c.id),
    createdBy: c.createdBy,
  };
}

/** 建立帮扶档案 for a member of the scope (one open case per member). */
export async function openCase(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  input: HardshipCaseInput,
): Promise<HardshipCaseDetail> {
  const [m] = await db
    .select({ id: member.id, orgId: member.orgId, leftAt: member.leftAt })
    .from(member)
    .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, input.memberId)));
  const [o] = m
    ? await db
        .select({ path: org.path })
        .from(org)
        .where(and(eq(org.tenantId, scope.tenantId), eq(org.id, m.orgId)))
    : [];
  if (!m || !o?.path.startsWith(scope.org.path))
    throw unprocessable(
      '该党员不属于所选组织',
      [{ field: 'memberId', message: '不在本组织及下级组织中' }],
      'MEMBER_NOT_IN_ORG',
    );
  if (m.leftAt) throw unprocessable('该党员已不在册，不能建立帮扶档案', undefined, 'MEMBER_LEFT');
  const [open] = await db
    .select({ id: hardshipCase.id })
    .from(hardshipCase)
    .where(
      and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.memberId, m.id), eq(hardshipCase.status, 'open')),
    );
  if (open) throw conflict('该党员已有在帮扶中的档案，请在原档案中登记走访', 'HARDSHIP_CASE_OPEN', { caseId: open.id });
  const id = crypto.randomUUID();
  const by = actorName(scope);
  await db.transaction(async (tx) => {
    await tx.insert(hardshipCase).values({
      id,
      tenantId: scope.tenantId,
      orgId: m.orgId,
      memberId: m.id,
      level: input.level,
      situationEnc: fc.encrypt(input.situation, hardshipCase.situationEnc, id),
      createdBy: by,
      // The business clock, not the database's: the year's summary counts cases opened in a Beijing year.
      createdAt: now(),
    });
    // The audit entry names the member and the level, never the situation.
    await writeAudit(tx, scope.actor, {
      action: 'hardship.case.open',
      entityType: 'hardship_case',
      entityId: id,
      org: scope.org,
      after: { memberId: m.id, level: HARDSHIP_LEVEL_LABELS[input.level] },
    });
  });
  return getCase(db, fc, scope, id);
}

/** 登记走访/帮扶: a visit to the member, on a day not after today. */
export async function addVisit(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  caseId: string,
  input: HardshipVisitInput,
): Promise<HardshipVisit> {
  const [c] = await db
    .select()
    .from(hardshipCase)
    .where(and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.id, caseId)));
  if (!c) throw notFound();
  if (input.visitedOn > todayInChina())
    throw unprocessable('走访日期不能晚于今天', [{ field: 'visitedOn', message: '不能晚于今天' }], 'VISIT_IN_FUTURE');
  if (input.help.startsWith(REVIEW_PREFIX))
    throw unprocessable(
      '帮扶内容不能以“复核：”开头；调整困难程度或结案请在档案下方“复核”中登记',
      [{ field: 'help', message: '不能以“复核：”开头' }],
      'VISIT_LOOKS_LIKE_REVIEW',
    );
  const id = crypto.randomUUID();
  const by = actorName(scope);
  await db.transaction(async (tx) => {
    await tx.insert(hardshipVisit).values({
      id,
      tenantId: scope.tenantId,
      caseId: c.id,
      visitedOn: input.visitedOn,
      visitors: input.visitors,
      help: input.help,
      amountFen: input.amountFen,
      noteEnc: fc.encrypt(input.note, hardshipVisit.noteEnc, id),
      createdBy: by,
    });
    await writeAudit(tx, scope.actor, {
      action: 'hardship.visit',
      entityType: 'hardship_visit',
      entityId: id,
      org: scope.org,
      after: { caseId: c.id, visitedOn: input.visitedOn, amountFen: input.amountFen },
    });
  });
  return (await visitsOf(db, fc, scope, c.id, 1, 200)).items.find((v) => v.id === id)!;
}

/** 复核: change the level and/or close or reopen the case; recorded as an entry in the case's list, the reason sealed. */
export async function reviewCase(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  caseId: string,
  input: HardshipReviewInput,
): Promise<HardshipCaseDetail> {
  const by = actorName(scope);
  await db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(hardshipCase)
      .where(and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.id, caseId)))
      .for('update');
    if (!c) throw notFound();
    const level = input.level ?? (c.level as HardshipLevel);
    const status = input.status ?? (c.status as 'open' | 'closed');
    if (level === c.level && status === c.status)
      throw unprocessable('困难程度和状态都没有变化', undefined, 'HARDSHIP_NO_CHANGE');
    if (status === 'open' && c.status === 'closed') {
      const [other] = await tx
        .select({ id: hardshipCase.id })
        .from(hardshipCase)
        .where(
          and(
            eq(hardshipCase.tenantId, scope.tenantId),
            eq(hardshipCase.memberId, c.memberId),
            eq(hardshipCase.status, 'open'),
          ),
        );
      if (other)
        throw conflict('该党员已有在帮扶中的档案，不能重新打开此档案', 'HARDSHIP_CASE_OPEN', { caseId: other.id });
    }
    const parts: string[] = [];
    if (level !== c.level)
      parts.push(`困难程度由${HARDSHIP_LEVEL_LABELS[c.level as HardshipLevel]}调整为${HARDSHIP_LEVEL_LABELS[level]}`);
    if (status !== c.status) parts.push(status === 'closed' ? CLOSING : '重新纳入帮扶');
    await tx.update(hardshipCase).set({ level, status }).where(eq(hardshipCase.id, c.id));
    const id = crypto.randomUUID();
    await tx.insert(hardshipVisit).values({
      id,
      tenantId: scope.tenantId,
      caseId: c.id,
      visitedOn: todayInChina(),
      visitors: by,
      help: `${REVIEW_PREFIX}${parts.join('；')}`,
      amountFen: 0,
      noteEnc: fc.encrypt(input.reason, hardshipVisit.noteEnc, id),
      createdBy: by,
    });
    // The audit entry keeps level and status before and after, never the reason (it is about the member's hardship).
    await writeAudit(tx, scope.actor, {
      action: 'hardship.case.review',
      entityType: 'hardship_case',
      entityId: c.id,
      org: scope.org,
      before: { level: c.level, status: c.status },
      after: { level, status },
    });
  });
  return getCase(db, fc, scope, caseId);
}

export async function visitsOf(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  caseId: string,
  page: number,
  pageSize: number,
) {
  const where = and(eq(hardshipVisit.tenantId, scope.tenantId), eq(hardshipVisit.caseId, caseId));
  const { items: rows, total } = await pageWhere(
    db.select().from(hardshipVisit).$dynamic(),
    countFrom(db, hardshipVisit),
    where,
    [desc(hardshipVisit.visitedOn), desc(hardshipVisit.createdAt)],
    page,
    pageSize,
  );
  return {
    items: rows.map((v) => ({
      id: v.id,
      caseId: v.caseId,
      visitedOn: v.visitedOn,
      visitors: v.visitors,
      help: v.help,
      amountFen: v.amountFen,
      note: fc.decrypt(v.noteEnc, hardshipVisit.noteEnc, v.id),
      createdBy: v.createdBy,
    })),
    total,
  };
}

/**
 * 年度复核汇总 of the scope's subtree and a Beijing year (set-based: a handful of aggregate queries, whatever the number
 * of cases). A case is **on record** in the year when it was opened before the year's end and is open now or has an
 * entry (visit or review) on or after the year's first day — so a case closed in an earlier year drops out; its level
 * and status are those it has now. **Reviews** are the entries `reviewCase` writes (REVIEW_PREFIX); **visits** are the
 * other entries dated in the year, with their amounts. The list of open cases without a review in the year pages and
 * carries names, levels and dates only — never situation, visit or review text.
 */
export async function hardshipSummary(
  db: Queryable,
  scope: Scope,
  year: number,
  page: number,
  pageSize: number,
): Promise<HardshipSummary> {
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const yearEnd = yearStart(year + 1).toISOString();
  const review = `${REVIEW_PREFIX}%`;
  const closing = `${REVIEW_PREFIX}%${CLOSING}%`;
  const inSubtree = sql`c.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`}`;
  const entryInYear = (like: string) =>
    sql`exists (select 1 from hardship_visit e where e.tenant_id = ${scope.tenantId} and e.case_id = c.id and e.visited_on >= ${from} and e.visited_on < ${to} and e.help like ${like})`;
  const onRecord = sql`${inSubtree} and c.created_at < ${yearEnd}
    and (c.status = 'open' or exists (select 1 from hardship_visit e where e.tenant_id = ${scope.tenantId} and e.case_id = c.id and e.visited_on >= ${from}))`;
  const levels = await queryRows<{
    level: HardshipLevel;
    status: string;
    n: number;
    opened: number;
    reviewed: number;
    closed: number;
  }>(
    db,
    sql`select c.level, c.status, count(*)::int as n,
               count(*) filter (where c.created_at >= ${yearStart(year).toISOString()})::int as opened,
               count(*) filter (where ${entryInYear(review)})::int as reviewed,
               count(*) filter (where ${entryInYear(closing)})::int as closed
        from hardship_case c join org o on o.tenant_id = c.tenant_id and o.id = c.org_id where ${onRecord} group by c.level, c.status`,
  );
  const [help] = await queryRows<{ visits: number; members: number; with_money: number; amount_fen: string | number }>(
    db,
    sql`select count(*)::int as visits, count(distinct c.member_id)::int as members,
               count(*) filter (where v.amount_fen > 0)::int as with_money, coalesce(sum(v.amount_fen), 0)::bigint as amount_fen
        from hardship_visit v join hardship_case c on c.tenant_id = v.tenant_id and c.id = v.case_id join org o on o.tenant_id = c.tenant_id and o.id = c.org_id
        where ${inSubtree} and v.visited_on >= ${from} and v.visited_on < ${to} and v.help not like ${review}`,
  );
  const notReviewed = sql`${inSubtree} and c.status = 'open' and c.created_at < ${yearEnd} and not ${entryInYear(review)}`;
  const rows = await queryRows<{
    id: string;
    member_name: string;
    org_name: string;
    level: HardshipLevel;
    created_at: Date | string;
    last_review_on: string | null;
    last_visit_on: string | null;
  }>(
    db,
    sql`select c.id, m.name as member_name, o.name as org_name, c.level, c.created_at,
               (select max(e.visited_on) from hardship_visit e where e.tenant_id = ${scope.tenantId} and e.case_id = c.id and e.help like ${review}) as last_review_on,
               (select max(e.visited_on) from hardship_visit e where e.tenant_id = ${scope.tenantId} and e.case_id = c.id and e.help not like ${review}) as last_visit_on
        from hardship_case c join member m on m.tenant_id = c.tenant_id and m.id = c.member_id join org o on o.tenant_id = c.tenant_id and o.id = c.org_id
        where ${notReviewed}
        order by case c.level when 'special' then 0 when 'serious' then 1 else 2 end, o.path, m.name, c.id
        limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [nr] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from hardship_case c join org o on o.tenant_id = c.tenant_id and o.id = c.org_id where ${notReviewed}`,
  );
  const sum = (pick: (l: (typeof levels)[number]) => number, status?: string) =>
    levels.filter((l) => status === undefined || l.status === status).reduce((n, l) => n + pick(l), 0);
  const of = (level: HardshipLevel, status: string) =>
    levels.find((l) => l.level === level && l.status === status)?.n ?? 0;
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    year,
    cases: sum((l) => l.n),
    open: sum((l) => l.n, 'open'),
    closed: sum((l) => l.n, 'closed'),
    byLevel: HARDSHIP_LEVELS.map((level) => ({ level, open: of(level, 'open'), closed: of(level, 'closed') })),
    opened: sum((l) => l.opened),
    reviewed: sum((l) => l.reviewed),
    closedInYear: sum((l) => l.closed),
    visits: help?.visits ?? 0,
    membersVisited: help?.members ?? 0,
    visitsWithMoney: help?.with_money ?? 0,
    amountFen: Number(help?.amount_fen ?? 0),
    notReviewed: {
      items: rows.map((r) => ({
        caseId: r.id,
        memberName: r.member_name,
        orgName: r.org_name,
        level: r.level,
        openedOn: chinaDate(new Date(r.created_at)),
        lastReviewOn: r.last_review_on,
        lastVisitOn: r.last_visit_on,
      })),
      total: nr?.n ?? 0,
    },
    note:
      `${year} 年（北京时间）：在档 = ${year} 年底前建档、现在仍在帮扶或 ${year} 年内有走访或复核记录的档案，困难程度和状态按现在的统计；` +
      `复核、结案只计 ${year} 年内登记的复核；走访次数和帮扶金额只计 ${year} 年的走访记录（不含复核）；` +
      `本年未复核 = 现在仍在帮扶、${year} 年内没有复核记录的档案`,
  };
}

/** The demo's one case (第一发电厂党支部): a member whose spouse is in hospital, visited twice. */
export async function seedHardship(tx: Queryable, fc: FieldCrypto, tenantId: string, branchPath: string) {
  const [m] = await tx
    .select({ id: member.id, orgId: member.orgId })
    .from(member)
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(
      and(
        eq(member.tenantId, tenantId),
        sql`${org.path} like ${`${branchPath}%`}`,
        sql`${member.leftAt} is null`,
        sql`${member.userId} is null`,
      ),
    )
    .orderBy(desc(member.birthDate), member.id)
    .limit(1);
  if (!m) return;
  const id = crypto.randomUUID();
  await tx.insert(hardshipCase).values({
    id,
    tenantId,
    orgId: m.orgId,
    memberId: m.id,
    level: 'serious',
    situationEnc: fc.encrypt(
      '配偶患重病长期住院，家中有一名在读子女，医疗费用负担较重。',
      hardshipCase.situationEnc,
      id,
    ),
    createdBy: '张建国（书记）',
    // Opened before its first visit (40 days ago), on the business clock.
    createdAt: new Date(nowMs() - 60 * 86_400_000),
  });
  const today = todayInChina();
  const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  for (const [n, help, amountFen, note] of [
    [40, '送去慰问金和慰问品', 200000, '家属情绪稳定，孩子学习正常；表示感谢组织关心。'],
    [10, '协助申请职工医疗互助补助', 0, '已帮助准备申请材料，工会受理中。'],
  ] as const) {
    const vid = crypto.randomUUID();
    await tx.insert(hardshipVisit).values({
      id: vid,
      tenantId,
      caseId: id,
      visitedOn: daysAgo(n),
      visitors: '张建国、支部组织委员',
      help,
      amountFen,
      noteEnc: fc.encrypt(note, hardshipVisit.noteEnc, vid),
      createdBy: '张建国（书记）',
    });
  }
}
