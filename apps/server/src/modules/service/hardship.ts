/**
 * 困难帮扶 (help for members in hardship): a case per member in difficulty (level, the situation — sealed), and the
 * visits and help given (day, who went, what help, amount, a sealed note). Confidential: only the branch secretary
 * and the org department whose binding covers the case's org read or write it (HARDSHIP_KEEPERS) — the routes
 * declare it, and a lookup answers 404 to everyone else. Lists carry no situation text. Reads are not audited (a
 * GET writes nothing); every write is.
 */
import {
  HARDSHIP_LEVEL_LABELS,
  type HardshipCaseBrief,
  type HardshipCaseDetail,
  type HardshipCaseInput,
  type HardshipLevel,
  type HardshipReviewInput,
  type HardshipVisit,
  type HardshipVisitInput,
  todayInChina,
} from '@xianfeng/shared';
import crypto from 'node:crypto';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { appUser, org } from '../../platform/schema';
import { member } from '../member/service';
import { hardshipCase, hardshipVisit } from './schema';

/** A case's org: its keepers (the secretary and org department covering it) reach it; everyone else gets 404. */
export async function orgOfHardshipCase(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ orgId: hardshipCase.orgId })
    .from(hardshipCase)
    .where(and(eq(hardshipCase.tenantId, tenantId), eq(hardshipCase.id, id)));
  return row?.orgId ?? null;
}

async function actorName(db: Queryable, scope: Scope) {
  const [user] = await db.select({ displayName: appUser.displayName }).from(appUser).where(eq(appUser.id, scope.principal.user.id));
  return user?.displayName || scope.actor.username || '书记';
}

type BriefRow = { id: string; member_id: string; member_name: string; org_id: string; org_name: string; level: string; status: string; created_at: Date | string; visits: number; last_visit_on: string | null; amount_fen: number };

const briefSql = (where: ReturnType<typeof sql>) => sql`
  select c.id, c.member_id, m.name as member_name, c.org_id, o.name as org_name, c.level, c.status, c.created_at,
         count(v.id)::int as visits, max(v.visited_on) as last_visit_on, coalesce(sum(v.amount_fen), 0)::int as amount_fen
  from hardship_case c join member m on m.id = c.member_id join org o on o.id = c.org_id
  left join hardship_visit v on v.case_id = c.id
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
    sql`select count(*)::int as n from hardship_case c join org o on o.id = c.org_id where ${where}`,
  );
  return { items: rows.map(brief), total: total?.n ?? 0 };
}

export async function getCase(db: Queryable, fc: FieldCrypto, scope: Scope, id: string): Promise<HardshipCaseDetail> {
  const [row] = await queryRows<BriefRow>(db, briefSql(sql`c.tenant_id = ${scope.tenantId} and c.id = ${id}`));
  const [c] = await db.select().from(hardshipCase).where(and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.id, id)));
  if (!row || !c) throw notFound();
  return { ...brief(row), situation: fc.decrypt(c.situationEnc, hardshipCase.situationEnc, c.id), createdBy: c.createdBy };
}

/** 建立帮扶档案 for a member of the scope (one open case per member). */
export async function openCase(db: Db, fc: FieldCrypto, scope: Scope, input: HardshipCaseInput): Promise<HardshipCaseDetail> {
  const [m] = await db
    .select({ id: member.id, orgId: member.orgId, leftAt: member.leftAt })
    .from(member)
    .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, input.memberId)));
  const [o] = m ? await db.select({ path: org.path }).from(org).where(eq(org.id, m.orgId)) : [];
  if (!m || !o?.path.startsWith(scope.org.path))
    throw unprocessable('该党员不属于所选组织', [{ field: 'memberId', message: '不在本组织及下级组织中' }], 'MEMBER_NOT_IN_ORG');
  if (m.leftAt) throw unprocessable('该党员已不在册，不能建立帮扶档案', undefined, 'MEMBER_LEFT');
  const [open] = await db
    .select({ id: hardshipCase.id })
    .from(hardshipCase)
    .where(and(eq(hardshipCase.memberId, m.id), eq(hardshipCase.status, 'open')));
  if (open) throw conflict('该党员已有在帮扶中的档案，请在原档案中登记走访', 'HARDSHIP_CASE_OPEN', { caseId: open.id });
  const id = crypto.randomUUID();
  const by = await actorName(db, scope);
  await db.transaction(async (tx) => {
    await tx.insert(hardshipCase).values({
      id,
      tenantId: scope.tenantId,
      orgId: m.orgId,
      memberId: m.id,
      level: input.level,
      situationEnc: fc.encrypt(input.situation, hardshipCase.situationEnc, id),
      createdBy: by,
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
export async function addVisit(db: Db, fc: FieldCrypto, scope: Scope, caseId: string, input: HardshipVisitInput): Promise<HardshipVisit> {
  const [c] = await db.select().from(hardshipCase).where(and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.id, caseId)));
  if (!c) throw notFound();
  if (input.visitedOn > todayInChina())
    throw unprocessable('走访日期不能晚于今天', [{ field: 'visitedOn', message: '不能晚于今天' }], 'VISIT_IN_FUTURE');
  const id = crypto.randomUUID();
  const by = await actorName(db, scope);
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
export async function reviewCase(db: Db, fc: FieldCrypto, scope: Scope, caseId: string, input: HardshipReviewInput): Promise<HardshipCaseDetail> {
  const by = await actorName(db, scope);
  await db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(hardshipCase)
      .where(and(eq(hardshipCase.tenantId, scope.tenantId), eq(hardshipCase.id, caseId)))
      .for('update');
    if (!c) throw notFound();
    const level = input.level ?? (c.level as HardshipLevel);
    const status = input.status ?? (c.status as 'open' | 'closed');
    if (level === c.level && status === c.status) throw unprocessable('困难程度和状态都没有变化', undefined, 'HARDSHIP_NO_CHANGE');
    if (status === 'open' && c.status === 'closed') {
      const [other] = await tx
        .select({ id: hardshipCase.id })
        .from(hardshipCase)
        .where(and(eq(hardshipCase.memberId, c.memberId), eq(hardshipCase.status, 'open')));
      if (other) throw conflict('该党员已有在帮扶中的档案，不能重新打开此档案', 'HARDSHIP_CASE_OPEN', { caseId: other.id });
    }
    const parts: string[] = [];
    if (level !== c.level) parts.push(`困难程度由${HARDSHIP_LEVEL_LABELS[c.level as HardshipLevel]}调整为${HARDSHIP_LEVEL_LABELS[level]}`);
    if (status !== c.status) parts.push(status === 'closed' ? '结案（已脱困）' : '重新纳入帮扶');
    await tx.update(hardshipCase).set({ level, status }).where(eq(hardshipCase.id, c.id));
    const id = crypto.randomUUID();
    await tx.insert(hardshipVisit).values({
      id,
      tenantId: scope.tenantId,
      caseId: c.id,
      visitedOn: todayInChina(),
      visitors: by,
      help: `复核：${parts.join('；')}`,
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

export async function visitsOf(db: Queryable, fc: FieldCrypto, scope: Scope, caseId: string, page: number, pageSize: number) {
  const where = and(eq(hardshipVisit.tenantId, scope.tenantId), eq(hardshipVisit.caseId, caseId));
  const rows = await db
    .select()
    .from(hardshipVisit)
    .where(where)
    .orderBy(desc(hardshipVisit.visitedOn), desc(hardshipVisit.createdAt))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await db.select({ total: count() }).from(hardshipVisit).where(where)) as [{ total: number }];
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

/** The demo's one case (第一发电厂党支部): a member whose spouse is in hospital, visited twice. */
export async function seedHardship(tx: Queryable, fc: FieldCrypto, tenantId: string, branchPath: string) {
  const [m] = await tx
    .select({ id: member.id, orgId: member.orgId })
    .from(member)
    .innerJoin(org, eq(org.id, member.orgId))
    .where(and(eq(member.tenantId, tenantId), sql`${org.path} like ${`${branchPath}%`}`, sql`${member.leftAt} is null`, sql`${member.userId} is null`))
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
    situationEnc: fc.encrypt('配偶患重病长期住院，家中有一名在读子女，医疗费用负担较重。', hardshipCase.situationEnc, id),
    createdBy: '张建国（书记）',
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
