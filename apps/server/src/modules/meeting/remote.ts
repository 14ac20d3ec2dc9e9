/**
 * 网上过组织生活 (issue #27): members who cannot be in the room take part from where they are, counted honestly.
 * - Remote sign-in: the member, from their own signed-in account, inside the sign-in window, types the short
 *   code the host reads out or shows — the platform's rotating signed token (platform/qr-token.ts) as digits, so
 *   it changes with the venue QR code and is valid for the same few minutes. Only invited members; once.
 * - The host sees who is connected (their meeting page checks in) and may mark someone as having left early.
 * - 发言: a signed-in member posts a written statement; it goes into the minutes draft with their name.
 * - 网上表决: the host puts a matter to the vote for the meeting's duration; one vote per invited 正式党员 who is
 *   present (in the room or online), counted against 应到会 (条例 第十一条). Elections and the admission and
 *   conversion votes are refused (MOTION_RULES, with the citation).
 */
import {
  CHECKIN_LATE_GRACE_MINUTES,
  CHECKIN_OPENS_MINUTES_BEFORE,
  MEETING_KIND_LABELS,
  MEETING_VOTE_RULES,
  MOTION_RULES,
  ONLINE_CHECKIN_METHODS,
  REMOTE_ATTENDANCE_RULE,
  VOTE_CHOICE_LABELS,
  now as clockNow,
  presenceOf,
  quorumProblem,
  voteProblem,
  type MeetingKind,
  type MotionKind,
  type MotionTally,
  type VoteChoice,
  type VoteCount,
} from '@xianfeng/shared';
import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { clearHits, hit, hitsOf } from '../../platform/hits';
import { issueQrCode, qrCodeValid } from '../../platform/qr-token';
import { org } from '../../platform/schema';
import { member, onRoll, memberOfUser } from '../member/service';
import { handOf } from './hands';
import {
  assertManages,
  attendanceById,
  attendanceColumns,
  attendanceView,
  isManager,
  participant,
  votingBody,
} from './attendance';
import { chinaDateTime, loadMeeting, toView, type MeetingRow } from './meetings';
import { meetingAttendance, meetingBallot, meetingMotion, meetingStatement } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

/** The MAC label of the spoken codes: a QR token of the venue screen is never a valid code, nor the reverse. */
const CODE_LABEL = 'remote-checkin';
const DIGITS = REMOTE_ATTENDANCE_RULE.codeDigits;

const window = (m: MeetingRow) => ({
  opens: new Date(m.startsAt.getTime() - CHECKIN_OPENS_MINUTES_BEFORE * 60_000),
  closes: m.endsAt,
});

function assertOnline(m: MeetingRow) {
  if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
  if (m.mode === 'in_person')
    throw unprocessable('本次会议为现场会议，没有线上参会：请到会场扫码签到', undefined, 'MEETING_NOT_ONLINE');
}

/** The code the host reads out or shows, with when it changes. */
export async function remoteCode(db: Queryable, key: Buffer, scope: Scope, meetingId: string, now: Date = clockNow()) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  assertOnline(m);
  const c = issueQrCode(key, CODE_LABEL, m.id, DIGITS, now);
  const w = window(m);
  return {
    code: c.code,
    refreshAt: c.refreshAt,
    expiresAt: c.expiresAt,
    opensAt: w.opens.toISOString(),
    closesAt: w.closes.toISOString(),
  };
}

/**
 * Wrong codes per (meeting, member): after REMOTE_ATTENDANCE_RULE.maxFailures the member waits lockMinutes. Counted
 * in the database (platform/hits.ts), so the tries do not multiply with the number of server processes.
 */
const LOCK_FAILURES_FOR_MS = 24 * 3600_000;

async function checkLock(db: Queryable, k: string, now: Date) {
  const lock = await hitsOf(db, `${k}:lock`, now);
  if (lock.hits > 0)
    throw new AppError(
      429,
      'CHECKIN_CODE_LOCKED',
      `签到码输错次数过多，请 ${Math.ceil(lock.resetInMs / 60_000)} 分钟后再试，或请主持人代为签到`,
    );
}
async function noteFailure(db: Queryable, k: string, now: Date) {
  const f = await hit(db, k, LOCK_FAILURES_FOR_MS, now);
  if (f.hits < REMOTE_ATTENDANCE_RULE.maxFailures) return;
  await clearHits(db, k);
  await hit(db, `${k}:lock`, REMOTE_ATTENDANCE_RULE.lockMinutes * 60_000, now);
}

async function selfOf(db: Queryable, scope: Scope) {
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self) throw unprocessable('您的账号未关联党员信息，请联系支部书记', undefined, 'NOT_A_MEMBER');
  return self;
}

async function rowOf(db: Queryable, meetingId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.meetingId, meetingId), eq(meetingAttendance.memberId, memberId)));
  return row ?? null;
}

const notInvited = () =>
  unprocessable('您不在本次会议的通知名单中，不能线上参会；如需参加，请联系支部书记', undefined, 'NOT_INVITED');

/** Signs the caller in online with the host's code. Refused outside the window, with a wrong code, uninvited, or twice. */
export async function remoteCheckin(
  db: Db,
  key: Buffer,
  scope: Scope,
  meetingId: string,
  code: string,
  now: Date = clockNow(),
) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const self = await selfOf(db, scope);
  assertOnline(m);
  const w = window(m);
  if (now.getTime() < w.opens.getTime() || now.getTime() > w.closes.getTime())
    throw unprocessable(
      `不在签到时间内：线上签到时间为 ${chinaDateTime(w.opens)} 至 ${chinaDateTime(w.closes)}`,
      { opensAt: w.opens.toISOString(), closesAt: w.closes.toISOString() },
      'CHECKIN_OUTSIDE_WINDOW',
    );
  const row = await rowOf(db, m.id, self.id);
  if (!row?.invited || !(await participant(db, m, self.id))) throw notInvited();
  if (row.checkedInAt)
    throw conflict(
      `您已于 ${chinaDateTime(row.checkedInAt)} ${presenceOf(row.checkinMethod) === 'online' ? '线上' : '在会场'}签到，不能重复签到`,
      'ALREADY_SIGNED_IN',
    );
  const lockKey = `checkin-code:${m.id}:${self.id}`;
  await checkLock(db, lockKey, now);
  if (!qrCodeValid(key, CODE_LABEL, m.id, code, DIGITS, now)) {
    await noteFailure(db, lockKey, now);
    throw unprocessable(
      '签到码不正确或已过期，请输入主持人最新宣读或展示的 6 位签到码',
      undefined,
      'CHECKIN_CODE_INVALID',
    );
  }
  await clearHits(db, lockKey);
  const late = now.getTime() > m.startsAt.getTime() + CHECKIN_LATE_GRACE_MINUTES * 60_000;
  const id = await db.transaction(async (tx) => {
    const [signed] = await tx
      .update(meetingAttendance)
      .set({
        checkedInAt: now,
        checkinMethod: 'code',
        checkedInBy: scope.actor.userId,
        late,
        seenAt: now,
        ...(row.response === 'leave' ? {} : { response: 'confirmed' }),
      })
      .where(and(eq(meetingAttendance.id, row.id), isNull(meetingAttendance.checkedInAt)))
      .returning({ id: meetingAttendance.id });
    if (!signed) return null;
    await writeAudit(tx, scope.actor, {
      action: 'meeting.checkin',
      entityType: 'meeting_attendance',
      entityId: signed.id,
      org: scope.org,
      after: { meetingId: m.id, memberId: self.id, method: 'code', late, at: now.toISOString() },
    });
    return signed.id;
  });
  if (!id) throw conflict('您已签到，不能重复签到', 'ALREADY_SIGNED_IN');
  return attendanceById(db, id);
}

/** Present and still there: signed in and not marked as having left. */
const inMeeting = (row: { checkedInAt: Date | null; leftEarlyAt: Date | null } | null) =>
  Boolean(row?.checkedInAt && !row.leftEarlyAt);

/** The host marks a signed-in member as having left before the end (their later votes and statements are refused). */
export async function markLeftEarly(db: Db, scope: Scope, meetingId: string, memberId: string, now: Date = clockNow()) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
  const row = await rowOf(db, m.id, memberId);
  if (!row)
    throw unprocessable(
      '该党员不在本次会议的名单中',
      [{ field: 'memberId', message: '不在名单中' }],
      'MEMBER_NOT_IN_MEETING',
    );
  const [home] = await db.select({ path: org.path }).from(org).where(eq(org.id, row.orgId));
  assertManages(scope, home!.path, '标记早退', row.invited && row.viaFlow);
  if (!row.checkedInAt) throw unprocessable('该党员尚未签到，不能标记早退', undefined, 'NOT_SIGNED_IN');
  if (row.leftEarlyAt) throw conflict(`已于 ${chinaDateTime(row.leftEarlyAt)} 标记为早退`, 'ALREADY_LEFT');
  if (now.getTime() >= m.endsAt.getTime())
    throw unprocessable('会议已结束，不能再标记早退', undefined, 'MEETING_ENDED');
  await db.transaction(async (tx) => {
    await tx
      .update(meetingAttendance)
      .set({ leftEarlyAt: now, leftEarlyBy: scope.actor.userId })
      .where(eq(meetingAttendance.id, row.id));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.left_early',
      entityType: 'meeting_attendance',
      entityId: row.id,
      org: scope.org,
      after: { meetingId: m.id, memberId, at: now.toISOString() },
    });
  });
  return attendanceById(db, row.id);
}

// ---- statements -----------------------------------------------------------------

export async function postStatement(db: Db, scope: Scope, meetingId: string, text: string, now: Date = clockNow()) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
  const self = await selfOf(db, scope);
  const row = await rowOf(db, m.id, self.id);
  if (!row) throw notInvited();
  if (!row.checkedInAt) throw unprocessable('请先签到，再发言', undefined, 'NOT_SIGNED_IN');
  if (row.leftEarlyAt) throw unprocessable('您已离会（主持人已标记早退），不能再发言', undefined, 'LEFT_EARLY');
  if (now.getTime() > m.endsAt.getTime())
    throw unprocessable(`会议已于 ${chinaDateTime(m.endsAt)} 结束，不能再发言`, undefined, 'MEETING_ENDED');
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(meetingStatement)
    .where(
      and(
        eq(meetingStatement.tenantId, m.tenantId),
        eq(meetingStatement.meetingId, m.id),
        eq(meetingStatement.memberId, self.id),
      ),
    );
  if ((count?.n ?? 0) >= 20) throw unprocessable('每人每次会议最多发言 20 条', undefined, 'TOO_MANY_STATEMENTS');
  const online = presenceOf(row.checkinMethod) === 'online';
  const created = await db.transaction(async (tx) => {
    const [s] = await tx
      .insert(meetingStatement)
      .values({
        tenantId: scope.tenantId,
        meetingId: m.id,
        memberId: self.id,
        orgId: row.orgId,
        online,
        text,
        createdAt: now,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'meeting.statement',
      entityType: 'meeting_statement',
      entityId: s!.id,
      org: scope.org,
      after: { meetingId: m.id, memberId: self.id, online, text },
    });
    return s!;
  });
  return {
    id: created.id,
    memberId: self.id,
    name: self.name,
    online,
    text,
    createdAt: created.createdAt.toISOString(),
  };
}

/** The meeting's statements in order, with the speakers' names (the managers and the meeting's participants read them). */
export async function statementsOf(db: Queryable, m: MeetingRow, page = 1, pageSize = 500) {
  const where = and(eq(meetingStatement.tenantId, m.tenantId), eq(meetingStatement.meetingId, m.id));
  const { items: rows, total } = await pageWhere(
    db
      .select({ s: meetingStatement, name: member.name })
      .from(meetingStatement)
      .innerJoin(member, onKey(member, meetingStatement.memberId, meetingStatement))
      .$dynamic(),
    countFrom(db, meetingStatement),
    where,
    [asc(meetingStatement.createdAt), asc(meetingStatement.id)],
    page,
    pageSize,
  );
  return {
    items: rows.map((r) => ({
      id: r.s.id,
      memberId: r.s.memberId,
      name: r.name,
      online: r.s.online,
      text: r.s.text,
      createdAt: r.s.createdAt.toISOString(),
    })),
    total,
  };
}

/** Managers of the meeting, and members with a row in it, read its statements. */
export async function listStatements(db: Queryable, scope: Scope, meetingId: string, page: number, pageSize: number) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  if (!isManager(scope)) {
    const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
    if (!self || !(await rowOf(db, m.id, self.id))) throw notFound();
  }
  return statementsOf(db, m, page, pageSize);
}

// ---- votes --------------------------------------------------------------------------

const refusedRemotely = (kind: MotionKind) =>
  unprocessable(
    `「${MOTION_RULES[kind].label}」不能在网上表决，须在会场进行。依据：${MOTION_RULES[kind].citation}`,
    { citation: MOTION_RULES[kind].citation, confirmed: MOTION_RULES[kind].confirmed },
    'MOTION_NOT_REMOTE',
  );

export async function openMotion(
  db: Db,
  scope: Scope,
  meetingId: string,
  input: { title: string; kind: MotionKind },
  now: Date = clockNow(),
) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
  if (!MEETING_VOTE_RULES[m.kind as MeetingKind])
    throw unprocessable(
      `${MEETING_KIND_LABELS[m.kind as MeetingKind]}不进行表决（仅党员大会、支委会）`,
      undefined,
      'NO_VOTES_FOR_KIND',
    );
  if (!MOTION_RULES[input.kind].remote) throw refusedRemotely(input.kind);
  if (now.getTime() < m.startsAt.getTime() || now.getTime() >= m.endsAt.getTime())
    throw unprocessable(
      `只能在会议期间（${chinaDateTime(m.startsAt)} 至 ${chinaDateTime(m.endsAt)}）发起表决`,
      undefined,
      'MEETING_NOT_IN_SESSION',
    );
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(meetingMotion)
    .where(and(eq(meetingMotion.tenantId, m.tenantId), eq(meetingMotion.meetingId, m.id)));
  if ((count?.n ?? 0) >= 20) throw unprocessable('一次会议最多发起 20 项表决', undefined, 'TOO_MANY_MOTIONS');
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(meetingMotion)
      .values({
        tenantId: scope.tenantId,
        meetingId: m.id,
        title: input.title,
        kind: input.kind,
        status: 'open',
        openedBy: scope.actor.userId,
        openedAt: now,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'meeting.motion.open',
      entityType: 'meeting_motion',
      entityId: row!.id,
      org: scope.org,
      after: { meetingId: m.id, ...input },
    });
    return row!;
  });
  return (await motionsOf(db, m, null)).find((x) => x.id === created.id)!;
}

async function loadMotion(db: Queryable, m: MeetingRow, motionId: string) {
  const [row] = await db
    .select()
    .from(meetingMotion)
    .where(
      and(eq(meetingMotion.tenantId, m.tenantId), eq(meetingMotion.id, motionId), eq(meetingMotion.meetingId, m.id)),
    );
  if (!row) throw notFound('没有这项表决');
  return row;
}

async function countBallots(db: Queryable, motionId: string) {
  const [c] = await db
    .select({
      for: sql<number>`(count(*) filter (where ${meetingBallot.choice} = 'for'))::int`,
      against: sql<number>`(count(*) filter (where ${meetingBallot.choice} = 'against'))::int`,
      abstain: sql<number>`(count(*) filter (where ${meetingBallot.choice} = 'abstain'))::int`,
      online: sql<number>`(count(*) filter (where ${meetingBallot.online}))::int`,
    })
    .from(meetingBallot)
    .where(eq(meetingBallot.motionId, motionId));
  return c ?? { for: 0, against: 0, abstain: 0, online: 0 };
}

/** The attendance row's sign-in counts as online (ONLINE_CHECKIN_METHODS). */
const onlineMethod = sql`${meetingAttendance.checkinMethod} in (${sql.join(
  ONLINE_CHECKIN_METHODS.map((x) => sql`${x}`),
  sql`, `,
)})`;

/** Voters present in the room and online now (invited 正式党员 signed in and not marked as left). */
async function presentBySide(db: Queryable, meetingId: string) {
  const [row] = await db
    .select({
      room: sql<number>`(count(*) filter (where not ${onlineMethod}))::int`,
      online: sql<number>`(count(*) filter (where ${onlineMethod}))::int`,
    })
    .from(meetingAttendance)
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .where(
      and(
        eq(meetingAttendance.meetingId, meetingId),
        eq(meetingAttendance.invited, true),
        isNotNull(meetingAttendance.checkedInAt),
        isNull(meetingAttendance.leftEarlyAt),
        eq(member.status, 'full'),
        onRoll(),
      ),
    );
  return { room: row?.room ?? 0, online: row?.online ?? 0 };
}

/**
 * Closes the vote and records its count against 应到会 (quorum and majority as for any resolution): the online
 * votes cast in the app plus the show of hands the host counted in the room, which cannot exceed the voters
 * signed in in person.
 */
export async function closeMotion(
  db: Db,
  scope: Scope,
  meetingId: string,
  motionId: string,
  room: VoteCount,
  now: Date = clockNow(),
) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const motion = await loadMotion(db, m, motionId);
  if (motion.status === 'closed') throw conflict('表决已结束', 'VOTE_CLOSED');
  await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(meetingMotion).where(eq(meetingMotion.id, motion.id)).for('update');
    if (locked!.status === 'closed') throw conflict('表决已结束', 'VOTE_CLOSED');
    const c = await countBallots(tx, motion.id);
    const body = await votingBody(tx, m.tenantId, m.id, { stillThere: true });
    const side = await presentBySide(tx, m.id);
    const hands = room.for + room.against + room.abstain;
    if (hands > side.room)
      throw unprocessable(
        `会场举手票数（${hands}）多于在会场签到的有表决权人数（${side.room}）`,
        [{ field: 'room', message: `会场有表决权 ${side.room} 人` }],
        'ROOM_VOTES_TOO_MANY',
      );
    const onlineVotes: VoteCount = { for: c.for, against: c.against, abstain: c.abstain };
    const vote: VoteCount = {
      for: c.for + room.for,
      against: c.against + room.against,
      abstain: c.abstain + room.abstain,
    };
    // Votes of members who then left early still count: they were cast while present.
    const voters = { ...body, present: Math.max(body.present, vote.for + vote.against + vote.abstain) };
    const problem = quorumProblem(m.kind as MeetingKind, voters) ?? voteProblem(m.kind as MeetingKind, voters, vote, 1);
    const tally: MotionTally = {
      ...vote,
      ...voters,
      online: c.online,
      room,
      onlineVotes,
      passed: problem === null,
      problem,
    };
    await tx
      .update(meetingMotion)
      .set({ status: 'closed', closedAt: now, tally })
      .where(eq(meetingMotion.id, motion.id));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.motion.close',
      entityType: 'meeting_motion',
      entityId: motion.id,
      org: scope.org,
      after: { meetingId: m.id, title: motion.title, tally },
    });
  });
  return (await motionsOf(db, m, null)).find((x) => x.id === motion.id)!;
}

/** One vote of the caller: invited, 正式党员, present and still there, on a matter the rules let be voted on here. */
export async function castBallot(
  db: Db,
  scope: Scope,
  meetingId: string,
  motionId: string,
  choice: VoteChoice,
  now: Date = clockNow(),
) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const self = await selfOf(db, scope);
  const row = await rowOf(db, m.id, self.id);
  if (!row?.invited) throw notInvited();
  const motion = await loadMotion(db, m, motionId);
  if (!MOTION_RULES[motion.kind as MotionKind]?.remote) throw refusedRemotely(motion.kind as MotionKind);
  if (motion.status === 'closed' || now.getTime() > m.endsAt.getTime())
    throw conflict('表决已结束，不能再投票', 'VOTE_CLOSED');
  const [who] = await db
    .select({ status: member.status, suspendedOn: member.suspendedOn, leftAt: member.leftAt })
    .from(member)
    .where(eq(member.id, self.id));
  if (who?.status !== 'full' || who.suspendedOn || who.leftAt)
    throw forbidden(
      who?.status === 'probationary'
        ? '预备党员没有表决权，不能参加表决（依据：《中国共产党章程》第七条）'
        : '您目前没有表决权（受留党察看处分期间或已不在册的党员没有表决权，依据：《中国共产党章程》第七条、第四十条）',
      'NO_VOTING_RIGHT',
    );
  if (!row.checkedInAt) throw unprocessable('请先签到，再参加表决', undefined, 'NOT_SIGNED_IN');
  if (row.leftEarlyAt) throw unprocessable('您已离会（主持人已标记早退），不能再表决', undefined, 'LEFT_EARLY');
  const online = presenceOf(row.checkinMethod) === 'online';
  if (!online)
    throw unprocessable('您在会场签到，请在会场举手表决（会场票数由主持人结束表决时登记）', undefined, 'VOTE_IN_ROOM');
  const cast = await db.transaction(async (tx) => {
    const [b] = await tx
      .insert(meetingBallot)
      .values({ motionId: motion.id, memberId: self.id, tenantId: scope.tenantId, choice, online, castAt: now })
      .onConflictDoNothing()
      .returning();
    if (!b) return false;
    // The choice is not in the audit entry: the record says who voted, the count says how.
    await writeAudit(tx, scope.actor, {
      action: 'meeting.ballot',
      entityType: 'meeting_motion',
      entityId: motion.id,
      org: scope.org,
      after: { meetingId: m.id, memberId: self.id, online, at: now.toISOString() },
    });
    return true;
  });
  if (!cast) throw conflict('您已对这项表决投过票，每人只能投一次', 'ALREADY_VOTED');
  return { motionId: motion.id, choice, choiceLabel: VOTE_CHOICE_LABELS[choice], online };
}

/** The meeting's motions with their counts; `memberId`: also that member's own choice. */
export async function motionsOf(db: Queryable, m: MeetingRow, memberId: string | null) {
  const rows = await db
    .select()
    .from(meetingMotion)
    .where(and(eq(meetingMotion.tenantId, m.tenantId), eq(meetingMotion.meetingId, m.id)))
    .orderBy(asc(meetingMotion.openedAt))
    .limit(50);
  const out = [];
  for (const r of rows) {
    const c = r.tally ? null : await countBallots(db, r.id);
    const [mine] = memberId
      ? await db
          .select({ choice: meetingBallot.choice })
          .from(meetingBallot)
          .where(and(eq(meetingBallot.motionId, r.id), eq(meetingBallot.memberId, memberId)))
      : [];
    const rule = MOTION_RULES[r.kind as MotionKind];
    out.push({
      id: r.id,
      title: r.title,
      kind: r.kind as MotionKind,
      kindLabel: rule?.label ?? r.kind,
      status: (r.status === 'open' && clockNow().getTime() > m.endsAt.getTime() ? 'closed' : r.status) as
        'open' | 'closed',
      openedAt: r.openedAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      /** While open: only how many have voted (no running count that could sway the rest). */
      cast: r.tally ? r.tally.for + r.tally.against + r.tally.abstain : c!.for + c!.against + c!.abstain,
      tally: r.tally ?? null,
      myChoice: (mine?.choice as VoteChoice | undefined) ?? null,
    });
  }
  return out;
}

/**
 * The member's meeting page (remote participants poll it): the meeting with its join link, their attendance,
 * the open and closed votes with their own choice, and the statements. A signed-in remote participant's call
 * is their "connected" heartbeat.
 */
export async function meetingRoom(db: Db, scope: Scope, meetingId: string, now: Date = clockNow()) {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const self = await selfOf(db, scope);
  const row = await rowOf(db, m.id, self.id);
  if (!row) throw notInvited();
  if (row.checkedInAt && !row.leftEarlyAt && now.getTime() <= m.endsAt.getTime())
    await db.update(meetingAttendance).set({ seenAt: now }).where(eq(meetingAttendance.id, row.id));
  const [view] = await db
    .select(attendanceColumns)
    .from(meetingAttendance)
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .innerJoin(org, onKey(org, meetingAttendance.orgId, meetingAttendance))
    .where(eq(meetingAttendance.id, row.id));
  const [host] = await db
    .select({ name: org.name })
    .from(org)
    .where(and(eq(org.tenantId, m.tenantId), eq(org.id, m.orgId)));
  const w = window(m);
  const [who] = await db.select({ status: member.status }).from(member).where(eq(member.id, self.id));
  const statements = await db
    .select({ s: meetingStatement, name: member.name })
    .from(meetingStatement)
    .innerJoin(member, onKey(member, meetingStatement.memberId, meetingStatement))
    .where(and(eq(meetingStatement.tenantId, m.tenantId), eq(meetingStatement.meetingId, m.id)))
    .orderBy(desc(meetingStatement.createdAt))
    .limit(50);
  return {
    meeting: toView(m, host?.name ?? ''),
    attendance: attendanceView(view!),
    window: {
      opensAt: w.opens.toISOString(),
      closesAt: w.closes.toISOString(),
      open: now >= w.opens && now <= w.closes,
    },
    canVote: who?.status === 'full' && row.invited && inMeeting(row) && presenceOf(row.checkinMethod) === 'online',
    /** 举手: the member's hand (raised, their place in the queue, called on by the host). */
    hand: await handOf(db, m.id, row),
    canRaiseHand: inMeeting(row) && m.status !== 'cancelled' && now >= m.startsAt && now <= m.endsAt,
    motions: await motionsOf(db, m, self.id),
    statements: statements.reverse().map((r) => ({
      id: r.s.id,
      memberId: r.s.memberId,
      name: r.name,
      online: r.s.online,
      text: r.s.text,
      createdAt: r.s.createdAt.toISOString(),
    })),
  };
}

const sum = (v: VoteCount) => v.for + v.against + v.abstain;

/** For the minutes: who took part online, statements and the closed votes, as a draft the secretary edits. */
export async function minutesDraft(db: Queryable, m: MeetingRow) {
  const statements = (await statementsOf(db, m)).items;
  const all = await motionsOf(db, m, null);
  const motions = all.filter((x) => x.tally);
  const passed = motions.filter((x) => x.tally!.passed);
  const lines = statements.map((s) => `${s.name}${s.online ? '（线上）' : ''}发言：${s.text}`);
  const voteLines = motions.map(
    (x) =>
      `表决「${x.title}」：应到会有表决权 ${x.tally!.entitled} 人，到会 ${x.tally!.present} 人；赞成 ${x.tally!.for} 票，反对 ${x.tally!.against} 票，弃权 ${x.tally!.abstain} 票（会场举手 ${sum(x.tally!.room)} 票，线上 ${x.tally!.online} 票），${x.tally!.passed ? '通过' : `未通过（${x.tally!.problem}）`}。`,
  );
  return {
    statements,
    /** Every vote of the meeting, open ones too (the host's page). */
    motions: all,
    content: [
      ...(lines.length ? ['【与会党员发言】', ...lines] : []),
      ...(voteLines.length ? ['【表决情况】', ...voteLines] : []),
    ].join('\n'),
    resolutions: passed.map((x) => x.title),
    votes: passed.map((x) => ({ for: x.tally!.for, against: x.tally!.against, abstain: x.tally!.abstain })),
  };
}

export const isOnlineRow = (r: { checkinMethod: string | null }) => presenceOf(r.checkinMethod) === 'online';

/** The member's own statements and votes in meetings, for their personal-data copy (PIPL). */
export async function remoteOfMember(db: Queryable, tenantId: string, memberId: string) {
  const statements = await db
    .select({
      meetingId: meetingStatement.meetingId,
      online: meetingStatement.online,
      text: meetingStatement.text,
      createdAt: meetingStatement.createdAt,
    })
    .from(meetingStatement)
    .where(and(eq(meetingStatement.tenantId, tenantId), eq(meetingStatement.memberId, memberId)))
    .orderBy(asc(meetingStatement.createdAt))
    .limit(5000);
  const ballots = await db
    .select({
      meetingId: meetingMotion.meetingId,
      motion: meetingMotion.title,
      choice: meetingBallot.choice,
      online: meetingBallot.online,
      castAt: meetingBallot.castAt,
    })
    .from(meetingBallot)
    .innerJoin(meetingMotion, onKey(meetingMotion, meetingBallot.motionId, meetingBallot))
    .where(and(eq(meetingBallot.tenantId, tenantId), eq(meetingBallot.memberId, memberId)))
    .orderBy(asc(meetingBallot.castAt))
    .limit(5000);
  return {
    statements: statements.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    ballots: ballots.map((b) => ({ ...b, castAt: b.castAt.toISOString() })),
  };
}
