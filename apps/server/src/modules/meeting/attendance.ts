/** Who takes part in a meeting and their attendance rows: what notice, sign-in, minutes and the member's side share. */
import { inSubtree } from '../../platform/access';
import { inGroup, presenceOf, RECORD_KEEPERS, type Attendance, type VotingBody } from '@xianfeng/shared';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { onKey, type Queryable } from '../../platform/db';
import { forbidden, notFound } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member, onRoll, memberOfUser } from '../member/service';
import { meetingAttendance } from './schema';
import { type MeetingRow } from './meetings';

export type AttendanceRow = typeof meetingAttendance.$inferSelect;

export const isManager = (scope: Scope) => inGroup(RECORD_KEEPERS, scope.role);

/**
 * The org paths in which the caller holds one of `roles`. A joint activity reaches members of
 * other orgs (security review #14, finding 1): the caller sees by name, signs in and records the
 * absence of only the people inside these paths.
 */
export const pathsWith = (scope: Scope, roles: readonly string[]) =>
  scope.principal.bindings.filter((b) => roles.includes(b.role)).map((b) => b.org.path);
export const within = (paths: readonly string[], path: string) => paths.some((p) => path.startsWith(p));
/** What the caller is shown instead of the name of a person outside their scope. */
export const HIDDEN_NAME = '其他组织党员';

/**
 * Refuses a manager acting on a person of an org outside their authority. `hosted`: the person is a 流动党员 invited
 * as such to this meeting (the meeting's own keepers passed the route's scope check), so the host acts for them.
 */
export function assertManages(scope: Scope, orgPath: string, what: string, hosted = false) {
  if (!hosted && !within(pathsWith(scope, RECORD_KEEPERS), orgPath))
    throw forbidden(`无权${what}：该党员不在您管理的组织范围内`, 'MEMBER_OUTSIDE_SCOPE');
}
/** Paths whose members belong to the meeting: its org's subtree and the joint orgs' subtrees. */
export async function memberPaths(db: Queryable, m: MeetingRow): Promise<string[]> {
  const rows = await db
    .select({ path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, m.tenantId), inArray(org.id, [m.orgId, ...m.jointOrgIds])));
  return rows.map((r) => r.path);
}
export const inPaths = (paths: string[]) => or(...paths.map((p) => inSubtree(org.path, p)))!;

/** The member, when they may take part: active, and in the org (or a joint org), or invited by name. */
export async function participant(
  db: Queryable,
  m: MeetingRow,
  memberId: string,
): Promise<{ id: string; orgId: string; name: string } | null> {
  const paths = await memberPaths(db, m);
  const [row] = await db
    .select({ id: member.id, orgId: member.orgId, name: member.name })
    .from(member)
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(
      and(
        eq(member.tenantId, m.tenantId),
        eq(member.id, memberId),
        isNull(member.leftAt),
        or(
          inPaths(paths),
          sql`exists (select 1 from meeting_attendance a where a.tenant_id = ${m.tenantId} and a.meeting_id = ${m.id} and a.member_id = ${member.id} and a.invited)`,
        ),
      ),
    );
  return row ?? null;
}
export const attendanceColumns = {
  a: meetingAttendance,
  memberName: member.name,
  memberOrgName: org.name,
  memberOrgPath: org.path,
};

/** `visible`: the org paths whose people the viewer may see by name (omitted: the person's own view). */
export function attendanceView(
  r: { a: AttendanceRow; memberName: string; memberOrgName: string; memberOrgPath: string },
  visible?: readonly string[],
): Attendance {
  const a = r.a;
  return {
    id: a.id,
    meetingId: a.meetingId,
    memberId: a.memberId,
    // A 流动党员 invited as such is named to the host org's keepers too (they sign the member in).
    memberName: !visible || a.viaFlow || within(visible, r.memberOrgPath) ? r.memberName : HIDDEN_NAME,
    orgId: a.orgId,
    orgName: r.memberOrgName,
    invited: a.invited,
    response: a.response as Attendance['response'],
    leaveReason: a.leaveReason,
    respondedAt: a.respondedAt?.toISOString() ?? null,
    checkedInAt: a.checkedInAt?.toISOString() ?? null,
    checkinSubmittedAt: a.checkinSubmittedAt?.toISOString() ?? null,
    checkinMethod: a.checkinMethod as Attendance['checkinMethod'],
    presence: a.checkedInAt ? presenceOf(a.checkinMethod) : null,
    leftEarlyAt: a.leftEarlyAt?.toISOString() ?? null,
    seenAt: a.seenAt?.toISOString() ?? null,
    late: a.late,
    absentReason: a.absentReason,
    makeupDoneAt: a.makeupDoneAt?.toISOString() ?? null,
    makeupReflection: a.makeupReflection,
    makeupOnBehalf: a.makeupBy !== null,
    viaFlow: a.viaFlow,
  };
}

export async function attendanceById(db: Queryable, id: string): Promise<Attendance> {
  const [row] = await db
    .select(attendanceColumns)
    .from(meetingAttendance)
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .innerJoin(org, onKey(org, meetingAttendance.orgId, meetingAttendance))
    .where(eq(meetingAttendance.id, id));
  if (!row) throw notFound();
  return attendanceView(row);
}
/** The caller acts on their own invitation; a secretary in scope may act for a member. */
export async function ownInvitation(db: Queryable, scope: Scope, attendanceId: string): Promise<AttendanceRow> {
  const [row] = await db
    .select()
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.tenantId, scope.tenantId), eq(meetingAttendance.id, attendanceId)));
  if (!row) throw notFound();
  if (isManager(scope)) return row;
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self || self.id !== row.memberId) throw notFound();
  return row;
}

/**
 * The voters of a 党员大会 or a 支委会 as its attendance says: the invited 正式党员 still on the roll (预备党员 attend
 * without a vote; for a 支委会 the invitation list is its committee members) and those of them signed in. Minutes
 * count everyone who signed in; a live online vote (`stillThere`) counts only those who have not left early.
 */
export async function votingBody(
  db: Queryable,
  tenantId: string,
  meetingId: string,
  opts: { stillThere?: boolean } = {},
): Promise<VotingBody> {
  const present = opts.stillThere
    ? sql`${meetingAttendance.checkedInAt} is not null and ${meetingAttendance.leftEarlyAt} is null`
    : sql`${meetingAttendance.checkedInAt} is not null`;
  const [row] = await db
    .select({
      entitled: sql<number>`count(*)::int`,
      present: sql<number>`(count(*) filter (where ${present}))::int`,
    })
    .from(meetingAttendance)
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .where(
      and(
        eq(meetingAttendance.tenantId, tenantId),
        eq(meetingAttendance.meetingId, meetingId),
        eq(meetingAttendance.invited, true),
        eq(member.status, 'full'),
        onRoll(),
      ),
    );
  return { entitled: row?.entitled ?? 0, present: row?.present ?? 0 };
}
