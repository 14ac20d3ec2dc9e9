/**
 * Online 党课 (issue #19): a member who joins a lecture of the 宣传 module's 网上课堂 during its time has
 * attended a 党课 of their own org. The media module calls `recordOnlineLecture` in its transaction; this
 * module keeps what that means for 组织生活:
 * - one meeting of kind `lecture` per (attendee's org — the branch for a 党小组 member —, lecture), made at the first member's joining, keyed
 *   by `plan_key` = `<source>` (e.g. `media.lecture:<id>`; the partial unique index on (org_id, plan_key)
 *   makes it once under concurrent joins). It is `held` at once, with minutes the system writes (the
 *   lecture's title, speaker and host; a secretary may correct them in 会议记录 like any minutes), and
 *   counted in the org's compliance counters for the lecture's month;
 * - one attendance row per member, signed in `online` at the moment of joining (invited and confirmed:
 *   an online lecture has no invitation list, so its 应到 are those who took part).
 * So the lecture is in the org's 台账 (ledger.ts reads held meetings) and its 党课 count, with no second
 * entry by the secretary. A later join by the same member changes nothing.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/audit';
import { writeAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { org } from '../../platform/schema';
import { bumpTally, chinaDateTime, chinaMonth } from './meetings';
import { meeting, meetingAttendance, meetingMinutes } from './schema';

export const ONLINE_LOCATION = '网上课堂（线上）';
export const ONLINE_RECORDER = '系统（网上课堂自动记录）';

export type OnlineLecture = {
  tenantId: string;
  /** Stable key of the lecture in its module, e.g. `media.lecture:<id>`. */
  source: string;
  title: string;
  speaker: string;
  hostOrgName: string;
  startsAt: Date;
  endsAt: Date;
};

/**
 * Records that `memberId` (of org `orgId`) attended the online lecture at `at`: the org's 党课 for the
 * lecture is made (held, minuted, counted) when it is the first, and the member is signed in once.
 * Returns the meeting and whether this call recorded the attendance (false when already recorded).
 */
export async function recordOnlineLecture(
  tx: Tx,
  actor: Actor,
  lecture: OnlineLecture,
  attendee: { memberId: string; orgId: string },
  at: Date,
): Promise<{ meetingId: string; recorded: boolean }> {
  const cols = {
    id: org.id,
    name: org.name,
    path: org.path,
    tenantId: org.tenantId,
    kind: org.kind,
    parentId: org.parentId,
  };
  const [home] = await tx.select(cols).from(org).where(eq(org.id, attendee.orgId));
  if (!home || home.tenantId !== lecture.tenantId) throw new Error('attendee org not in tenant');
  // A 党小组 is part of its branch: its members' online 党课 is the branch's (one record for the branch).
  const [o] =
    home.kind === 'group' && home.parentId ? await tx.select(cols).from(org).where(eq(org.id, home.parentId)) : [home];
  if (!o) throw new Error('attendee org missing');
  const [created] = await tx
    .insert(meeting)
    .values({
      tenantId: lecture.tenantId,
      orgId: o.id,
      kind: 'lecture',
      title: `网上党课：${lecture.title}`.slice(0, 200),
      startsAt: lecture.startsAt,
      endsAt: lecture.endsAt,
      location: ONLINE_LOCATION,
      speaker: lecture.speaker,
      topic: lecture.title,
      status: 'held',
      planKey: lecture.source,
      publishedAt: at,
      createdBy: actor.userId,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  let meetingId: string;
  if (created) {
    meetingId = created.id;
    await tx.insert(meetingMinutes).values({
      meetingId,
      tenantId: lecture.tenantId,
      host: lecture.hostOrgName,
      recorder: ONLINE_RECORDER,
      agenda: `网上讲座《${lecture.title}》`,
      content:
        `${lecture.hostOrgName}举办网上讲座《${lecture.title}》，主讲人：${lecture.speaker}，时间：${chinaDateTime(lecture.startsAt)} 至 ${chinaDateTime(lecture.endsAt)}。` +
        `本组织党员通过网上课堂在线收看并参与互动提问；到会人员按进入网上课堂的记录自动登记。`,
      resolutions: [],
      speaker: lecture.speaker,
      topic: lecture.title,
      speakerIsSecretary: false,
      recordedBy: actor.userId,
      recordedAt: at,
      updatedAt: at,
    });
    await bumpTally(tx, lecture.tenantId, o.id, 'lecture', chinaMonth(lecture.startsAt), 1);
    await writeAudit(tx, actor, {
      action: 'meeting.online_lecture.create',
      entityType: 'meeting',
      entityId: meetingId,
      org: o,
      after: { source: lecture.source, title: created.title, startsAt: lecture.startsAt.toISOString() },
    });
  } else {
    // Made by an earlier (or a concurrent, now committed) joining: the unique index waited for it.
    const [row] = await tx
      .select({ id: meeting.id })
      .from(meeting)
      .where(and(eq(meeting.tenantId, lecture.tenantId), eq(meeting.orgId, o.id), eq(meeting.planKey, lecture.source)));
    if (!row) throw new Error('online lecture meeting missing');
    meetingId = row.id;
  }
  const [signed] = await tx
    .insert(meetingAttendance)
    .values({
      tenantId: lecture.tenantId,
      meetingId,
      memberId: attendee.memberId,
      orgId: home.id,
      invited: true,
      response: 'confirmed',
      respondedAt: at,
      checkedInAt: at,
      checkinMethod: 'online',
      checkedInBy: actor.userId,
      late: false,
    })
    .onConflictDoNothing()
    .returning({ id: meetingAttendance.id });
  if (signed)
    await writeAudit(tx, actor, {
      action: 'meeting.checkin',
      entityType: 'meeting_attendance',
      entityId: signed.id,
      org: home,
      after: { meetingId, memberId: attendee.memberId, method: 'online', source: lecture.source, at: at.toISOString() },
    });
  return { meetingId, recorded: Boolean(signed) };
}
