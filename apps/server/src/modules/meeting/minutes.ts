/** Minutes: recording them marks the meeting held and counts it. */
import {
  MEETING_KIND_LABELS,
  MEETING_VOTE_RULES,
  minutesProblem,
  quorumProblem,
  voteProblem,
  type MeetingKind,
  type MeetingStatus,
  now as clockNow,
  RECORD_READERS,
  type VoteCount,
  type MeetingMode,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member } from '../member/service';
import { meeting, meetingAttendance, meetingMinutes } from './schema';
import { chinaMonth, chinaDateTime, bumpTally, tallyKindsOf, loadMeeting } from './meetings';
import { assertManages, attendanceColumns, attendanceView, participant, pathsWith, votingBody } from './attendance';
import { makeupDueNotices } from './notice';
import { minutesDraft } from './remote';

export type MinutesInput = {
  host: string;
  recorder: string;
  agenda: string;
  content: string;
  resolutions: string[];
  votes: VoteCount[];
  absentReasons: Record<string, string>;
  /** Present without a sign-in (the paper sheet): signed in by the minutes, at the start time. */
  attendees?: string[] | undefined;
  speaker?: string | undefined;
  topic?: string | undefined;
  speakerIsSecretary: boolean;
};

/**
 * Records (or corrects) the minutes; the first record marks the meeting as held and counts it for
 * compliance. A meeting counts as held only with a record of what happened (not just the outline)
 * and with attendance: at least one person signed in.
 */
export async function saveMinutes(
  db: Db,
  scope: Scope,
  meetingId: string,
  input: MinutesInput,
  now: Date = clockNow(),
) {
  await db.transaction(async (tx) => {
    const [m] = await tx
      .select()
      .from(meeting)
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, meetingId)))
      .for('update');
    if (!m) throw notFound();
    if (m.status === 'cancelled') throw conflict('会议已取消，不能填写会议记录', 'MEETING_CANCELLED');
    if (now.getTime() < m.startsAt.getTime())
      throw unprocessable(
        `会议尚未开始（${chinaDateTime(m.startsAt)} 开始），不能填写会议记录`,
        undefined,
        'MEETING_NOT_STARTED',
      );
    if (m.kind !== 'lecture' && input.speakerIsSecretary)
      throw unprocessable(
        '只有党课记录可以标记“书记讲党课”',
        [{ field: 'speakerIsSecretary', message: '仅适用于党课' }],
        'NOT_A_LECTURE',
      );
    const problem = minutesProblem(input.content);
    if (problem) throw unprocessable(problem, [{ field: 'content', message: problem }], 'MINUTES_OUTLINE_ONLY');
    const marked = [...new Set(input.attendees ?? [])];
    for (const memberId of marked) {
      const p = await participant(tx, m, memberId);
      if (!p)
        throw unprocessable(
          '到会人员中有人不属于本次会议的组织',
          [{ field: 'attendees', memberId, message: '不属于本组织或联合组织，或已不在册' }],
          'MEMBER_NOT_IN_ORG',
        );
      const [home] = await tx.select({ path: org.path }).from(org).where(eq(org.id, p.orgId));
      assertManages(scope, home!.path, '登记到会');
      await tx
        .insert(meetingAttendance)
        .values({ tenantId: scope.tenantId, meetingId: m.id, memberId, orgId: p.orgId, invited: false })
        .onConflictDoNothing();
      await tx
        .update(meetingAttendance)
        .set({
          checkedInAt: m.startsAt,
          checkinMethod: 'manual',
          checkedInBy: scope.actor.userId,
          late: false,
          absentReason: null,
        })
        .where(
          and(
            eq(meetingAttendance.meetingId, m.id),
            eq(meetingAttendance.memberId, memberId),
            isNull(meetingAttendance.checkedInAt),
          ),
        );
    }
    const [present] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(meetingAttendance)
      .where(and(eq(meetingAttendance.meetingId, m.id), isNotNull(meetingAttendance.checkedInAt)));
    if (!present?.n)
      throw unprocessable(
        '没有到会记录：请在下方勾选实际到会的人员（可按纸质签到表），或先在「签到」中登记，再保存会议记录',
        undefined,
        'MINUTES_NO_ATTENDANCE',
      );
    const votes = await checkVotes(tx, m.tenantId, m.id, m.kind as MeetingKind, input.resolutions, input.votes);
    const absentIds = Object.keys(input.absentReasons);
    if (absentIds.length) {
      // Absence reasons only for people of orgs the recorder manages (a joint activity's guests are their own org's).
      const orgsOf = await tx
        .select({ path: org.path })
        .from(meetingAttendance)
        .innerJoin(org, onKey(org, meetingAttendance.orgId, meetingAttendance))
        .where(and(eq(meetingAttendance.meetingId, m.id), inArray(meetingAttendance.memberId, absentIds)));
      for (const o of orgsOf) assertManages(scope, o.path, '填写缺席原因');
      const rows = await tx
        .select({ memberId: meetingAttendance.memberId })
        .from(meetingAttendance)
        .where(
          and(
            eq(meetingAttendance.meetingId, m.id),
            inArray(meetingAttendance.memberId, absentIds),
            eq(meetingAttendance.invited, true),
            isNull(meetingAttendance.checkedInAt),
          ),
        );
      if (rows.length !== absentIds.length)
        throw unprocessable(
          '缺席原因只能填写给应到未到的党员',
          [{ field: 'absentReasons', message: '包含已签到或未受邀的党员' }],
          'NOT_ABSENT',
        );
      for (const [memberId, reason] of Object.entries(input.absentReasons))
        await tx
          .update(meetingAttendance)
          .set({ absentReason: reason })
          .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.memberId, memberId)));
    }
    const [before] = await tx.select().from(meetingMinutes).where(eq(meetingMinutes.meetingId, m.id));
    const values = {
      host: input.host,
      recorder: input.recorder,
      agenda: input.agenda,
      content: input.content,
      resolutions: input.resolutions,
      votes,
      speaker: input.speaker ?? m.speaker,
      topic: input.topic ?? m.topic,
      speakerIsSecretary: input.speakerIsSecretary,
      updatedAt: now,
    };
    if (before) await tx.update(meetingMinutes).set(values).where(eq(meetingMinutes.meetingId, m.id));
    else
      await tx.insert(meetingMinutes).values({
        meetingId: m.id,
        tenantId: scope.tenantId,
        recordedBy: scope.actor.userId,
        recordedAt: now,
        ...values,
      });
    // The counters follow what the meeting counts for, before and after this record.
    const month = chinaMonth(m.startsAt);
    const was = m.status === 'held' ? tallyKindsOf(m.kind, before?.speakerIsSecretary ?? false) : [];
    const is = tallyKindsOf(m.kind, input.speakerIsSecretary);
    for (const k of is.filter((k) => !was.includes(k))) await bumpTally(tx, scope.tenantId, m.orgId, k, month, 1);
    for (const k of was.filter((k) => !is.includes(k))) await bumpTally(tx, scope.tenantId, m.orgId, k, month, -1);
    if (m.status !== 'held') {
      await tx.update(meeting).set({ status: 'held', updatedAt: now }).where(eq(meeting.id, m.id));
      // Whoever was invited and did not come is told to make it up, by when (issue #17).
      await makeupDueNotices(tx, m);
    }
    await writeAudit(tx, scope.actor, {
      action: before ? 'meeting.minutes.update' : 'meeting.minutes.create',
      entityType: 'meeting',
      entityId: m.id,
      org: scope.org,
      before: before ?? null,
      after: input,
    });
  });
  return getMinutes(db, scope.tenantId, meetingId, pathsWith(scope, RECORD_READERS));
}

/**
 * A 党员大会's or 支委会's resolutions need a quorum and a passing vote each (条例 第十一条、第十二条; see
 * MEETING_VOTE_RULES); the votes are kept with the voters counted at the time. Other kinds record no votes.
 */
async function checkVotes(
  tx: Queryable,
  tenantId: string,
  meetingId: string,
  kind: MeetingKind,
  resolutions: string[],
  votes: VoteCount[],
) {
  const rule = MEETING_VOTE_RULES[kind];
  if (!rule) {
    if (votes.length)
      throw unprocessable(
        `${MEETING_KIND_LABELS[kind]}不登记表决票数`,
        [{ field: 'votes', message: '仅党员大会、支委会登记表决' }],
        'NO_VOTES_FOR_KIND',
      );
    return [];
  }
  if (!resolutions.length) return [];
  if (votes.length !== resolutions.length)
    throw unprocessable(
      `${MEETING_KIND_LABELS[kind]}的每项决议都须登记表决情况（赞成、反对、弃权）`,
      [{ field: 'votes', message: '每项决议一组票数' }],
      'VOTE_REQUIRED',
    );
  const body = await votingBody(tx, tenantId, meetingId);
  const problem =
    quorumProblem(kind, body) ?? votes.map((v, i) => voteProblem(kind, body, v, i + 1)).find((x) => x) ?? null;
  if (problem)
    throw unprocessable(
      `${problem}（依据：${rule.citation}）`,
      [{ field: 'votes', message: problem }],
      'VOTE_NOT_PASSED',
    );
  return votes.map((v) => ({ ...v, ...body }));
}

/** `visible`: org paths whose people the viewer sees by name (others are shown as HIDDEN_NAME). */
export async function getMinutes(db: Queryable, tenantId: string, meetingId: string, visible?: readonly string[]) {
  const m = await loadMeeting(db, tenantId, meetingId);
  const [mins] = await db
    .select()
    .from(meetingMinutes)
    .where(and(eq(meetingMinutes.tenantId, tenantId), eq(meetingMinutes.meetingId, meetingId)));
  const people = await db
    .select(attendanceColumns)
    .from(meetingAttendance)
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .innerJoin(org, onKey(org, meetingAttendance.orgId, meetingAttendance))
    .where(and(eq(meetingAttendance.tenantId, tenantId), eq(meetingAttendance.meetingId, meetingId)))
    .orderBy(asc(org.path), asc(member.name))
    .limit(5000);
  const views = people.map((p) => attendanceView(p, visible));
  const attendees = views
    .filter((v) => v.checkedInAt)
    .map((v) => ({
      memberId: v.memberId,
      name: v.memberName,
      checkedInAt: v.checkedInAt!,
      late: v.late,
      method: v.checkinMethod,
      online: v.presence === 'online',
      leftEarlyAt: v.leftEarlyAt,
    }));
  const absentees = views
    .filter((v) => v.invited && !v.checkedInAt)
    .map((v) => ({
      memberId: v.memberId,
      name: v.memberName,
      reason: v.response === 'leave' ? `请假：${v.leaveReason ?? ''}` : (v.absentReason ?? '未说明原因'),
      makeupDoneAt: v.makeupDoneAt,
    }));
  return {
    meetingId,
    status: m.status as MeetingStatus,
    recorded: Boolean(mins),
    host: mins?.host ?? null,
    recorder: mins?.recorder ?? null,
    agenda: mins?.agenda ?? m.agenda ?? '',
    content: mins?.content ?? null,
    resolutions: mins?.resolutions ?? [],
    votes: mins?.votes ?? [],
    /** Who may vote, counted now (a 党员大会 or 支委会 only), and the rule with its source. */
    voting: MEETING_VOTE_RULES[m.kind as MeetingKind]
      ? { ...(await votingBody(db, tenantId, meetingId)), ...MEETING_VOTE_RULES[m.kind as MeetingKind]! }
      : null,
    speaker: mins?.speaker ?? m.speaker,
    topic: mins?.topic ?? m.topic,
    speakerIsSecretary: mins?.speakerIsSecretary ?? false,
    recordedAt: mins?.recordedAt.toISOString() ?? null,
    due: views.filter((v) => v.invited).length,
    present: attendees.length,
    /** In the room and online (issue #27): a remote sign-in with the host's code, or a 网上课堂 lecture. */
    presentInPerson: attendees.filter((a) => !a.online).length,
    presentOnline: attendees.filter((a) => a.online).length,
    mode: m.mode as MeetingMode,
    /** Statements posted in the meeting and its closed votes, and the minutes draft made of them. */
    draft: await minutesDraft(db, m),
    attendees,
    absentees,
  };
}
export type MinutesView = Awaited<ReturnType<typeof getMinutes>>;
