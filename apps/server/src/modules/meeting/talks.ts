/** 谈心谈话: talks with members, counted for the yearly talk rule. */
import { now as clockNow } from '@xianfeng/shared';
import { and, asc, desc, eq, gte, isNull, like, lt, sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { Db, Queryable } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member } from '../member/schema';
import { talk } from './schema';
import { chinaDate, bumpTally } from './meetings';

export type TalkInput = {
  orgId: string;
  memberId: string;
  talker: string;
  heldOn: string;
  topic: string;
  summary: string;
};

export async function createTalk(db: Db, scope: Scope, input: TalkInput, today = chinaDate(clockNow())) {
  if (input.heldOn > today)
    throw unprocessable(
      '谈话日期不能晚于今天',
      [{ field: 'heldOn', message: '谈话日期不能晚于今天' }],
      'TALK_IN_FUTURE',
    );
  return db.transaction(async (tx) => {
    // Locking the member row serializes "first talk of the year" for the counter.
    const [mem] = await tx
      .select({ id: member.id, orgId: member.orgId, name: member.name })
      .from(member)
      .innerJoin(org, eq(org.id, member.orgId))
      .where(
        and(
          eq(member.tenantId, scope.tenantId),
          eq(member.id, input.memberId),
          isNull(member.leftAt),
          like(org.path, `${scope.org.path}%`),
        ),
      )
      .for('update', { of: member });
    if (!mem)
      throw unprocessable(
        '该党员不属于本组织',
        [{ field: 'memberId', message: '不属于本组织或已不在册' }],
        'MEMBER_NOT_IN_ORG',
      );
    const year = input.heldOn.slice(0, 4);
    const [earlier] = await tx
      .select({ id: talk.id })
      .from(talk)
      .where(
        and(eq(talk.memberId, mem.id), gte(talk.heldOn, `${year}-01-01`), lt(talk.heldOn, `${Number(year) + 1}-01-01`)),
      )
      .limit(1);
    const [row] = await tx
      .insert(talk)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        memberId: mem.id,
        talker: input.talker,
        heldOn: input.heldOn,
        topic: input.topic,
        summary: input.summary,
        createdBy: scope.actor.userId,
      })
      .returning();
    // The yearly talk rule counts members talked with, credited to the member's own org.
    if (!earlier) await bumpTally(tx, scope.tenantId, mem.orgId, 'talk', `${input.heldOn.slice(0, 7)}-01`, 1);
    await writeAudit(tx, scope.actor, {
      action: 'talk.create',
      entityType: 'talk',
      entityId: row!.id,
      org: scope.org,
      after: input,
    });
    return { ...talkView(row!), memberName: mem.name };
  });
}

const talkView = (t: typeof talk.$inferSelect) => ({
  id: t.id,
  orgId: t.orgId,
  memberId: t.memberId,
  talker: t.talker,
  heldOn: t.heldOn,
  topic: t.topic,
  summary: t.summary,
  createdAt: t.createdAt.toISOString(),
});

export async function listTalks(
  db: Queryable,
  scope: Scope,
  f: { year?: number | undefined; memberId?: string | undefined },
  page: number,
  pageSize: number,
) {
  const conds: SQL[] = [eq(talk.tenantId, scope.tenantId), like(org.path, `${scope.org.path}%`)];
  if (f.year) conds.push(gte(talk.heldOn, `${f.year}-01-01`), lt(talk.heldOn, `${f.year + 1}-01-01`));
  if (f.memberId) conds.push(eq(talk.memberId, f.memberId));
  const where = and(...conds);
  const [rows, [count]] = await Promise.all([
    db
      .select({ t: talk, memberName: member.name })
      .from(talk)
      .innerJoin(org, eq(org.id, talk.orgId))
      .innerJoin(member, eq(member.id, talk.memberId))
      .where(where)
      .orderBy(desc(talk.heldOn), asc(talk.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(talk)
      .innerJoin(org, eq(org.id, talk.orgId))
      .where(where),
  ]);
  return { items: rows.map((r) => ({ ...talkView(r.t), memberName: r.memberName })), total: count?.n ?? 0 };
}
