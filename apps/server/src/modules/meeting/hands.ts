/**
 * 举手 (issue #27): during the meeting a signed-in member raises their hand — from the phone, online or in the room —
 * and lowers it; the host sees the raised hands in the order they went up, calls on one (点名发言: the member's page
 * says so) and clears it. The pages follow it the way they follow everything else in the meeting: the member's room
 * page and the host's 线上参会 tab re-read it every few seconds (RoomPage, OnlineTab).
 */
import { RECORD_READERS, now as clockNow, presenceOf } from '@xianfeng/shared';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member, memberOfUser } from '../member/service';
import { HIDDEN_NAME, pathsWith, within } from './attendance';
import { chinaDateTime, loadMeeting, type MeetingRow } from './meetings';
import { meetingAttendance } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

export type HandState = { raisedAt: string | null; calledAt: string | null; position: number | null };

function assertLive(m: MeetingRow, now: Date) {
  if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
  if (now.getTime() < m.startsAt.getTime() || now.getTime() > m.endsAt.getTime())
    throw unprocessable(
      `只能在会议期间（${chinaDateTime(m.startsAt)} 至 ${chinaDateTime(m.endsAt)}）举手`,
      undefined,
      'MEETING_NOT_IN_SESSION',
    );
}

/** The member's hand: when raised, their place in the queue (1 = next). */
export async function handOf(
  db: Queryable,
  meetingId: string,
  row: { handRaisedAt: Date | null; handCalledAt: Date | null; id: string },
): Promise<HandState> {
  if (!row.handRaisedAt) return { raisedAt: null, calledAt: null, position: null };
  const [ahead] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(meetingAttendance)
    .where(
      and(
        eq(meetingAttendance.meetingId, meetingId),
        isNotNull(meetingAttendance.handRaisedAt),
        sql`(${meetingAttendance.handRaisedAt}, ${meetingAttendance.id}) < (${row.handRaisedAt.toISOString()}::timestamptz, ${row.id}::uuid)`,
      ),
    );
  return {
    raisedAt: row.handRaisedAt.toISOString(),
    calledAt: row.handCalledAt?.toISOString() ?? null,
    position: (ahead?.n ?? 0) + 1,
  };
}

/** The caller raises (or lowers) their own hand: signed in, not marked as left, during the meeting. */
export async function setOwnHand(
  db: Db,
  scope: Scope,
  meetingId: string,
  raised: boolean,
  now: Date = clockNow(),
): Promise<HandState> {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self) throw unprocessable('您的账号未关联党员信息，请联系支部书记', undefined, 'NOT_A_MEMBER');
  const [row] = await db
    .select()
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.memberId, self.id)));
  if (!row) throw unprocessable('您不在本次会议的通知名单中', undefined, 'NOT_INVITED');
  if (!raised) {
    if (!row.handRaisedAt) throw conflict('您没有举手', 'HAND_NOT_RAISED');
  } else {
    assertLive(m, now);
    if (!row.checkedInAt) throw unprocessable('请先签到，再举手', undefined, 'NOT_SIGNED_IN');
    if (row.leftEarlyAt) throw unprocessable('您已离会（主持人已标记早退），不能再举手', undefined, 'LEFT_EARLY');
    if (row.handRaisedAt) throw conflict('您已举手，请等待主持人点名', 'HAND_ALREADY_RAISED');
  }
  const updated = await db.transaction(async (tx) => {
    const [u] = await tx
      .update(meetingAttendance)
      .set(raised ? { handRaisedAt: now, handCalledAt: null } : { handRaisedAt: null, handCalledAt: null })
      .where(
        and(
          eq(meetingAttendance.id, row.id),
          raised ? sql`${meetingAttendance.handRaisedAt} is null` : sql`${meetingAttendance.handRaisedAt} is not null`,
        ),
      )
      .returning();
    if (!u) return null;
    await writeAudit(tx, scope.actor, {
      action: raised ? 'meeting.hand.raise' : 'meeting.hand.lower',
      entityType: 'meeting_attendance',
      entityId: row.id,
      org: scope.org,
      after: { meetingId: m.id, memberId: self.id, at: now.toISOString() },
    });
    return u;
  });
  if (!updated)
    throw conflict(
      raised ? '您已举手，请等待主持人点名' : '您没有举手',
      raised ? 'HAND_ALREADY_RAISED' : 'HAND_NOT_RAISED',
    );
  return handOf(db, m.id, updated);
}

/** The raised hands in the order they went up (the host's queue), with who has been called on. */
export async function handsQueue(db: Queryable, scope: Scope, meetingId: string, page: number, pageSize: number) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const where = and(
    eq(meetingAttendance.tenantId, m.tenantId),
    eq(meetingAttendance.meetingId, m.id),
    isNotNull(meetingAttendance.handRaisedAt),
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ a: meetingAttendance, name: member.name, path: org.path })
      .from(meetingAttendance)
      .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
      .innerJoin(org, onKey(org, meetingAttendance.orgId, meetingAttendance))
      .$dynamic(),
    countFrom(db, meetingAttendance),
    where,
    [asc(meetingAttendance.handRaisedAt), asc(meetingAttendance.id)],
    page,
    pageSize,
  );
  const visible = pathsWith(scope, RECORD_READERS);
  return {
    items: rows.map((r, i) => ({
      position: (page - 1) * pageSize + i + 1,
      memberId: r.a.memberId,
      name: within(visible, r.path) ? r.name : HIDDEN_NAME,
      online: presenceOf(r.a.checkinMethod) === 'online',
      raisedAt: r.a.handRaisedAt!.toISOString(),
      calledAt: r.a.handCalledAt?.toISOString() ?? null,
    })),
    total,
  };
}

/** The host calls on a raised hand (点名发言) or clears it (the member has spoken, or it was raised by mistake). */
export async function answerHand(
  db: Db,
  scope: Scope,
  meetingId: string,
  memberId: string,
  action: 'call' | 'clear',
  now: Date = clockNow(),
) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const [row] = await db
    .select()
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.memberId, memberId)));
  if (!row) throw notFound('该党员不在本次会议的名单中');
  if (!row.handRaisedAt) throw conflict('该党员没有举手（可能已自己放下）', 'HAND_NOT_RAISED');
  if (action === 'call') {
    assertLive(m, now);
    if (row.handCalledAt)
      throw conflict(`已于 ${chinaDateTime(row.handCalledAt)} 点名该党员发言`, 'HAND_ALREADY_CALLED');
  }
  await db.transaction(async (tx) => {
    await tx
      .update(meetingAttendance)
      .set(action === 'call' ? { handCalledAt: now } : { handRaisedAt: null, handCalledAt: null })
      .where(eq(meetingAttendance.id, row.id));
    await writeAudit(tx, scope.actor, {
      action: action === 'call' ? 'meeting.hand.call' : 'meeting.hand.clear',
      entityType: 'meeting_attendance',
      entityId: row.id,
      org: scope.org,
      after: { meetingId: m.id, memberId, at: now.toISOString() },
    });
  });
  return handsQueue(db, scope, m.id, 1, 200);
}
