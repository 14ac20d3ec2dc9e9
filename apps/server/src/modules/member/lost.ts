/**
 * 失联党员 (issue #13 item 9): any member — not only a registered 流动党员 — can be marked lost, searched for, and
 * then either found, or after 6 months 停止党籍 (still a member, off the roll), then restored (恢复党籍) or, after
 * 2 more years, removed (除名). The rule and its source are LOST_CONTACT_RULE in the shared package.
 */
import { inSubtree } from '../../platform/access';
import {
  addMonths,
  LOST_CONTACT_RULE,
  todayInChina,
  now,
  type LostBody,
  type LostFoundBody,
  type LostRecord,
  type LostRemoveBody,
  type LostSearchBody,
  type RestoreBody,
  type SuspendBody,
} from '@xianfeng/shared';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { activeRow, recordExit } from './lifecycle';
import { member, memberFlow, memberLost } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

type Row = typeof memberLost.$inferSelect;
const OPEN = ['lost', 'suspended'] as const;

const suspendFrom = (r: Pick<Row, 'lastContactOn'>) => addMonths(r.lastContactOn, LOST_CONTACT_RULE.suspendAfterMonths);
const removeFrom = (r: Pick<Row, 'suspendedOn'>) =>
  r.suspendedOn ? addMonths(r.suspendedOn, 12 * LOST_CONTACT_RULE.removeAfterYears) : null;

function notAfterToday(...days: string[]) {
  if (days.some((d) => d > todayInChina())) throw unprocessable('日期不能晚于今天', undefined, 'DATE_IN_FUTURE');
}

function approvalAfterDecision(decidedOn: string, approvedOn: string) {
  if (approvedOn < decidedOn)
    throw unprocessable('上级批准日期不能早于党支部研究（讨论）的日期', undefined, 'APPROVAL_BEFORE_DECISION');
}

/** The member's open episode (lost or suspended), locked for the change; 404 when there is none. */
async function openEpisode(tx: Tx, scope: Scope, memberId: string, want: (typeof OPEN)[number][] = [...OPEN]) {
  const [row] = await tx
    .select()
    .from(memberLost)
    .where(
      and(eq(memberLost.tenantId, scope.tenantId), eq(memberLost.memberId, memberId), inArray(memberLost.status, want)),
    )
    .for('update');
  if (!row) {
    const any = await tx
      .select({ status: memberLost.status })
      .from(memberLost)
      .where(
        and(
          eq(memberLost.tenantId, scope.tenantId),
          eq(memberLost.memberId, memberId),
          inArray(memberLost.status, [...OPEN]),
        ),
      );
    if (any[0]?.status === 'suspended') throw conflict('该党员已停止党籍', 'LOST_SUSPENDED');
    if (any[0]?.status === 'lost') throw conflict('该党员尚未停止党籍', 'LOST_NOT_SUSPENDED');
    throw notFound('该党员没有失联登记');
  }
  return row;
}

/** A decided step (停止党籍, 恢复党籍, 除名): no date in the future, the approval not before the decision, run on the open episode. */
function decidedStep<T>(
  db: Db,
  scope: Scope,
  memberId: string,
  dates: { decidedOn: string; approvedOn: string },
  want: (typeof OPEN)[number],
  run: (tx: Tx, row: Row) => Promise<T>,
): Promise<T> {
  notAfterToday(dates.decidedOn, dates.approvedOn);
  approvalAfterDecision(dates.decidedOn, dates.approvedOn);
  return db.transaction(async (tx) => run(tx, await openEpisode(tx, scope, memberId, [want])));
}

async function audit(tx: Tx, scope: Scope, action: string, memberId: string, after: unknown) {
  await writeAudit(tx, scope.actor, {
    action: `member.lost.${action}`,
    entityType: 'member',
    entityId: memberId,
    org: scope.org,
    after,
  });
}

/** 登记失联. */
export async function markLost(db: Db, scope: Scope, memberId: string, b: z.infer<typeof LostBody>) {
  notAfterToday(b.lastContactOn);
  return db.transaction(async (tx) => {
    const m = await activeRow(tx, scope, memberId);
    if (m.suspendedOn) throw conflict('该党员已停止党籍', 'LOST_SUSPENDED');
    if (b.lastContactOn < m.joinedAt)
      throw unprocessable('最后联系日期不能早于入党时间', undefined, 'DATE_BEFORE_JOIN');
    const [open] = await tx
      .select({ id: memberLost.id })
      .from(memberLost)
      .where(and(eq(memberLost.memberId, memberId), inArray(memberLost.status, [...OPEN])));
    if (open) throw conflict('该党员已登记为失联', 'LOST_ALREADY');
    const [row] = await tx
      .insert(memberLost)
      .values({
        tenantId: scope.tenantId,
        memberId,
        status: 'lost',
        lastContactOn: b.lastContactOn,
        circumstances: b.circumstances,
      })
      .returning();
    await audit(tx, scope, 'mark', memberId, b);
    return row!;
  });
}

/** A search for a lost (or suspended) member: kept in order, the evidence that 停止党籍 needs. */
export async function addLostSearch(db: Db, scope: Scope, memberId: string, b: z.infer<typeof LostSearchBody>) {
  notAfterToday(b.on);
  return db.transaction(async (tx) => {
    const row = await openEpisode(tx, scope, memberId);
    if (b.on < row.lastContactOn)
      throw unprocessable('查找日期不能早于最后联系日期', undefined, 'SEARCH_BEFORE_CONTACT');
    const searches = [...row.searches, b];
    await tx.update(memberLost).set({ searches }).where(eq(memberLost.id, row.id));
    await audit(tx, scope, 'search', memberId, b);
    return { searches };
  });
}

/** Contact regained before 停止党籍: the episode ends; a 流动党员's contact clock restarts. */
export async function foundLost(db: Db, scope: Scope, memberId: string, b: z.infer<typeof LostFoundBody>) {
  notAfterToday(b.on);
  return db.transaction(async (tx) => {
    const row = await openEpisode(tx, scope, memberId, ['lost']);
    if (b.on < row.lastContactOn)
      throw unprocessable('取得联系的日期不能早于最后联系日期', undefined, 'DATE_BEFORE_CONTACT');
    await tx
      .update(memberLost)
      .set({ status: 'found', endedOn: b.on, decision: { foundOn: b.on, note: b.note } })
      .where(eq(memberLost.id, row.id));
    await tx
      .update(memberFlow)
      .set({ lastContactOn: b.on })
      .where(and(eq(memberFlow.memberId, memberId), sql`${memberFlow.endedOn} is null`));
    await audit(tx, scope, 'found', memberId, b);
    return { status: 'found' as const };
  });
}

/** 停止党籍: 6 months after the last contact, with searches recorded, decided by the branch and approved above. */
export async function suspendMember(db: Db, scope: Scope, memberId: string, b: z.infer<typeof SuspendBody>) {
  return decidedStep(db, scope, memberId, b, 'lost', async (tx, row) => {
    if (row.searches.length === 0)
      throw unprocessable('尚无查找记录：须通过各种方式查找仍没有取得联系，方可停止党籍', undefined, 'NO_SEARCH');
    const from = suspendFrom(row);
    if (b.decidedOn < from)
      throw unprocessable(
        `失去联系未满 ${LOST_CONTACT_RULE.suspendAfterMonths} 个月（${from} 满），不能停止党籍`,
        { citation: LOST_CONTACT_RULE.citation },
        'LOST_TOO_SHORT',
      );
    // 停止党籍 takes effect on the approval of the org above.
    await tx
      .update(memberLost)
      .set({
        status: 'suspended',
        suspendedOn: b.approvedOn,
        decision: { suspendDecidedOn: b.decidedOn, suspendApprovedOn: b.approvedOn, suspendApprovedBy: b.approvedBy },
      })
      .where(eq(memberLost.id, row.id));
    await tx.update(member).set({ suspendedOn: b.approvedOn, updatedAt: now() }).where(eq(member.id, memberId));
    await audit(tx, scope, 'suspend', memberId, b);
    return { status: 'suspended' as const, suspendedOn: b.approvedOn };
  });
}

/** 恢复党籍: the member came back before 除名; the 支部大会 discussed it and the org above approved. */
export async function restoreMember(db: Db, scope: Scope, memberId: string, b: z.infer<typeof RestoreBody>) {
  return decidedStep(
    db,
    scope,
    memberId,
    { decidedOn: b.meetingOn, approvedOn: b.approvedOn },
    'suspended',
    async (tx, row) => {
      if (b.meetingOn < row.suspendedOn!)
        throw unprocessable('支部大会日期不能早于停止党籍的日期', undefined, 'DATE_BEFORE_SUSPENSION');
      await tx
        .update(memberLost)
        .set({
          status: 'restored',
          endedOn: b.approvedOn,
          decision: {
            ...row.decision,
            restoreMeetingOn: b.meetingOn,
            restoreApprovedOn: b.approvedOn,
            restoreApprovedBy: b.approvedBy,
            restoreNote: b.note,
          },
        })
        .where(eq(memberLost.id, row.id));
      await tx.update(member).set({ suspendedOn: null, updatedAt: now() }).where(eq(member.id, memberId));
      await audit(tx, scope, 'restore', memberId, b);
      return { status: 'restored' as const };
    },
  );
}

/** 除名: two years of 停止党籍 and still no contact — recorded as 出党 (除名), the record stays. */
export async function removeLostMember(db: Db, scope: Scope, memberId: string, b: z.infer<typeof LostRemoveBody>) {
  return decidedStep(db, scope, memberId, b, 'suspended', async (tx, row) => {
    const from = removeFrom(row)!;
    if (b.decidedOn < from)
      throw unprocessable(
        `停止党籍未满 ${LOST_CONTACT_RULE.removeAfterYears} 年（${from} 满），不能除名`,
        { citation: LOST_CONTACT_RULE.citation },
        'SUSPENSION_TOO_SHORT',
      );
    await tx
      .update(memberLost)
      .set({
        decision: {
          ...row.decision,
          removeDecidedOn: b.decidedOn,
          removeApprovedOn: b.approvedOn,
          removeApprovedBy: b.approvedBy,
        },
      })
      .where(eq(memberLost.id, row.id));
    const m = await activeRow(tx, scope, memberId);
    const note = `停止党籍满 ${LOST_CONTACT_RULE.removeAfterYears} 年仍没有取得联系，按自行脱党予以除名（${b.approvedBy} ${b.approvedOn} 批准）`;
    await recordExit(tx, scope, m, { reason: 'removed', date: b.approvedOn, note }, 'removed');
    return { status: 'removed' as const };
  });
}

/**
 * The 失联 episodes of the subtree: open ones first (those longest without contact first), then closed ones when
 * asked. Each with the day 停止党籍 may be decided and, when suspended, the day 除名 is due.
 */
export async function listLost(
  db: Queryable,
  scope: Scope,
  f: { state: 'open' | 'closed' | 'all'; memberId?: string; page: number; pageSize: number },
): Promise<{ items: LostRecord[]; total: number }> {
  const where = and(
    eq(memberLost.tenantId, scope.tenantId),
    inSubtree(member.orgPath, scope.org.path),
    f.state === 'all'
      ? undefined
      : f.state === 'open'
        ? inArray(memberLost.status, [...OPEN])
        : sql`${memberLost.status} not in ('lost', 'suspended')`,
    f.memberId ? eq(memberLost.memberId, f.memberId) : undefined,
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ l: memberLost, name: member.name, orgId: member.orgId, orgName: org.name })
      .from(memberLost)
      .innerJoin(member, onKey(member, memberLost.memberId, memberLost))
      .innerJoin(org, onKey(org, member.orgId, member))
      .$dynamic(),
    countFrom(db, memberLost).innerJoin(member, onKey(member, memberLost.memberId, memberLost)),
    where,
    [sql`${memberLost.status} in ('lost', 'suspended') desc`, memberLost.lastContactOn, desc(memberLost.createdAt)],
    f.page,
    f.pageSize,
  );
  return {
    items: rows.map(({ l, name, orgId, orgName }) => ({
      id: l.id,
      memberId: l.memberId,
      name,
      orgId,
      orgName,
      status: l.status as LostRecord['status'],
      lastContactOn: l.lastContactOn,
      circumstances: l.circumstances,
      searches: l.searches,
      suspendFrom: suspendFrom(l),
      suspendedOn: l.suspendedOn,
      removeFrom: removeFrom(l),
      decision: l.decision,
      endedOn: l.endedOn,
    })),
    total,
  };
}

/** A member's own 失联 episodes (their personal-data copy). */
export async function lostHistory(db: Queryable, tenantId: string, memberId: string) {
  return db
    .select({
      status: memberLost.status,
      lastContactOn: memberLost.lastContactOn,
      circumstances: memberLost.circumstances,
      searches: memberLost.searches,
      suspendedOn: memberLost.suspendedOn,
      decision: memberLost.decision,
      endedOn: memberLost.endedOn,
    })
    .from(memberLost)
    .where(and(eq(memberLost.tenantId, tenantId), eq(memberLost.memberId, memberId)))
    .orderBy(memberLost.createdAt);
}
