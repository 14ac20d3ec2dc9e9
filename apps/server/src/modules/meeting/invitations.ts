/** The member's side: their invitations, 补学 materials and confirmation. */
import { chinaDayStart, now as clockNow, type MakeupProxyBody } from '@xianfeng/shared';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member, memberOfUser } from '../member/service';
import { meeting, meetingAttendance, meetingFile } from './schema';
import { type MeetingRow, toView, loadMeeting } from './meetings';
import {
  type AttendanceRow,
  attendanceColumns,
  attendanceView,
  attendanceById,
  isManager,
  ownInvitation,
} from './attendance';
import { getMinutes } from './minutes';

const invitationColumns = {
  ...attendanceColumns,
  m: meeting,
  hostOrgName: sql<string>`(select name from org h where h.tenant_id = ${meeting.tenantId} and h.id = ${meeting.orgId})`,
};
type InvitationRow = {
  a: AttendanceRow;
  memberName: string;
  memberOrgName: string;
  memberOrgPath: string;
  m: MeetingRow;
  hostOrgName: string;
};
const invitationView = (r: InvitationRow) => ({ ...attendanceView(r), meeting: toView(r.m, r.hostOrgName) });

export const INVITATION_FILTERS = ['upcoming', 'makeup', 'all'] as const;

/** A member's invitations: upcoming meetings to answer, or held meetings they missed (补学). */
export async function invitationsOf(
  db: Queryable,
  tenantId: string,
  memberId: string,
  filter: (typeof INVITATION_FILTERS)[number],
  year: number | undefined,
  page: number,
  pageSize: number,
) {
  const a = meetingAttendance;
  const conds: SQL[] = [eq(a.tenantId, tenantId), eq(a.memberId, memberId)];
  if (filter === 'upcoming')
    conds.push(inArray(meeting.status, ['published', 'planned']), gte(meeting.endsAt, clockNow()), eq(a.invited, true));
  if (filter === 'makeup') conds.push(eq(meeting.status, 'held'), eq(a.invited, true), isNull(a.checkedInAt));
  if (filter === 'all') conds.push(sql`${meeting.status} <> 'cancelled'`);
  if (year)
    conds.push(
      gte(meeting.startsAt, chinaDayStart(`${year}-01-01`)),
      lt(meeting.startsAt, chinaDayStart(`${year + 1}-01-01`)),
    );
  const where = and(...conds);
  const base = () =>
    db
      .select(invitationColumns)
      .from(a)
      .innerJoin(meeting, onKey(meeting, a.meetingId, a))
      .innerJoin(member, onKey(member, a.memberId, a))
      .innerJoin(org, onKey(org, a.orgId, a));
  const [rows, [count], [summary]] = await Promise.all([
    base()
      .where(where)
      .orderBy(filter === 'upcoming' ? asc(meeting.startsAt) : desc(meeting.startsAt), asc(a.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(a)
      .innerJoin(meeting, onKey(meeting, a.meetingId, a))
      .where(where),
    db
      .select({
        invited: sql<number>`(count(*) filter (where ${a.invited}))::int`,
        attended: sql<number>`(count(*) filter (where ${a.checkedInAt} is not null))::int`,
        late: sql<number>`(count(*) filter (where ${a.late}))::int`,
        leave: sql<number>`(count(*) filter (where ${meeting.status} = 'held' and ${a.checkedInAt} is null and ${a.response} = 'leave'))::int`,
        absent: sql<number>`(count(*) filter (where ${meeting.status} = 'held' and ${a.invited} and ${a.checkedInAt} is null))::int`,
        madeUp: sql<number>`(count(*) filter (where ${meeting.status} = 'held' and ${a.checkedInAt} is null and ${a.makeupDoneAt} is not null))::int`,
      })
      .from(a)
      .innerJoin(meeting, onKey(meeting, a.meetingId, a))
      .where(where),
  ]);
  return { items: rows.map(invitationView), total: count?.n ?? 0, summary: summary! };
}

/** One invitation with what an absentee needs for 补学: the minutes and the files. */
export async function getInvitation(db: Queryable, scope: Scope, attendanceId: string) {
  const inv = await ownInvitation(db, scope, attendanceId);
  const [row] = await db
    .select(invitationColumns)
    .from(meetingAttendance)
    .innerJoin(meeting, onKey(meeting, meetingAttendance.meetingId, meetingAttendance))
    .innerJoin(member, onKey(member, meetingAttendance.memberId, meetingAttendance))
    .innerJoin(org, onKey(org, meetingAttendance.orgId, meetingAttendance))
    .where(and(eq(meetingAttendance.tenantId, scope.tenantId), eq(meetingAttendance.id, inv.id)));
  const held = row!.m.status === 'held';
  const files = held
    ? await db
        .select({
          id: meetingFile.id,
          kind: meetingFile.kind,
          fileName: meetingFile.fileName,
          mime: meetingFile.mime,
          size: meetingFile.size,
        })
        .from(meetingFile)
        .where(and(eq(meetingFile.tenantId, scope.tenantId), eq(meetingFile.meetingId, inv.meetingId)))
        .orderBy(asc(meetingFile.createdAt))
        .limit(200)
    : [];
  const minutes = held ? await getMinutes(db, scope.tenantId, inv.meetingId) : null;
  return {
    ...invitationView(row!),
    materials: held
      ? {
          agenda: minutes!.agenda,
          content: minutes!.content,
          resolutions: minutes!.resolutions,
          speaker: minutes!.speaker,
          topic: minutes!.topic,
          files: files.map((f) => ({ ...f, url: `/api/v1/meeting-invitations/${inv.id}/files/${f.id}` })),
        }
      : null,
  };
}

/** A file of the meeting, for the invited member (补学 materials) or a manager in scope. */
export async function invitationFile(db: Queryable, scope: Scope, attendanceId: string, fileId: string) {
  const inv = await ownInvitation(db, scope, attendanceId);
  const [f] = await db
    .select()
    .from(meetingFile)
    .where(
      and(
        eq(meetingFile.tenantId, scope.tenantId),
        eq(meetingFile.id, fileId),
        eq(meetingFile.meetingId, inv.meetingId),
      ),
    );
  if (!f) throw notFound();
  return f;
}

/** The member confirms their own 补学; the branch's entry for a member is `recordMakeupFor`. */
export async function confirmMakeup(
  db: Db,
  scope: Scope,
  attendanceId: string,
  body: { reflection: string; queued?: boolean },
) {
  const inv = await ownInvitation(db, scope, attendanceId);
  // ownInvitation let a non-manager reach only their own invitation; a manager may reach anyone's, but not confirm it.
  if (isManager(scope) && (await memberOfUser(db, scope.tenantId, scope.principal.user.id))?.id !== inv.memberId)
    throw forbidden('为党员代为确认补学，请在会议的「补学」中点「代为确认」并写明原因', 'MAKEUP_NOT_SELF');
  // A confirmation kept on the phone offline may be sent twice (its first answer lost): the record is the answer.
  if (body.queued && inv.makeupDoneAt) return attendanceById(db, inv.id);
  return writeMakeup(db, scope, inv, body.reflection, null);
}

/**
 * 代为填写 (issue #24): a keeper of the meeting's org (the route checked it) records the 补学 of an absentee without a
 * phone — their 学习体会 as they gave it — marked as entered on their behalf; the audit keeps the reason.
 */
export async function recordMakeupFor(db: Db, scope: Scope, meetingId: string, body: MakeupProxyBody) {
  const [inv] = await db
    .select()
    .from(meetingAttendance)
    .where(
      and(
        eq(meetingAttendance.tenantId, scope.tenantId),
        eq(meetingAttendance.meetingId, meetingId),
        eq(meetingAttendance.memberId, body.memberId),
      ),
    );
  if (!inv) throw unprocessable('该党员不在本次会议的通知名单中', undefined, 'NOT_INVITED');
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (self?.id === inv.memberId) throw forbidden('本人的补学请在「我的会议」中确认，不用代为填写', 'MAKEUP_PROXY_SELF');
  return writeMakeup(db, scope, inv, body.reflection, { reason: body.reason });
}

async function writeMakeup(
  db: Db,
  scope: Scope,
  inv: AttendanceRow,
  reflection: string,
  proxy: { reason: string } | null,
) {
  const m = await loadMeeting(db, scope.tenantId, inv.meetingId);
  const who = proxy ? '该党员' : '您';
  if (m.status !== 'held')
    throw unprocessable('会议尚未召开（没有会议记录），暂无补学材料', undefined, 'MEETING_NOT_HELD');
  if (inv.checkedInAt) throw conflict(`${who}已参加本次会议，无需补学`, 'ATTENDED');
  if (!inv.invited) throw unprocessable(`${who}不在本次会议的通知名单中`, undefined, 'NOT_INVITED');
  if (inv.makeupDoneAt) throw conflict('已确认补学，无需重复提交', 'MAKEUP_DONE');
  await db.transaction(async (tx) => {
    await tx
      .update(meetingAttendance)
      .set({ makeupDoneAt: clockNow(), makeupReflection: reflection, makeupBy: proxy ? scope.actor.userId : null })
      .where(eq(meetingAttendance.id, inv.id));
    await writeAudit(tx, scope.actor, {
      action: proxy ? 'meeting.makeup.proxy' : 'meeting.makeup',
      entityType: 'meeting_attendance',
      entityId: inv.id,
      org: scope.org,
      after: { meetingId: m.id, memberId: inv.memberId, reflection, ...(proxy && { onBehalf: true, ...proxy }) },
    });
  });
  return attendanceById(db, inv.id);
}
