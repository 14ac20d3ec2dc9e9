/** Sign-in: by the QR token of the venue screen, or by the secretary for a named member. */
import {
  CHECKIN_LATE_GRACE_MINUTES,
  CHECKIN_OPENS_MINUTES_BEFORE,
  QUEUED_CHECKIN_RULE,
  type Attendance,
  now as clockNow,
} from '@xianfeng/shared';
import { and, eq, isNull } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { badRequest, conflict, forbidden, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { memberOfUser } from '../member/service';
import { checkinTokenExpired, distanceMetres, readCheckinToken } from './checkin';
import { meetingAttendance } from './schema';
import { HOUR, chinaDateTime, loadMeeting } from './meetings';
import { assertManages, isManager, participant, attendanceById } from './attendance';

export type CheckinInput =
  | { memberId: string; online?: boolean | undefined }
  | { token: string; lat?: number | undefined; lng?: number | undefined; queued?: boolean | undefined };

/**
 * Signs a member in: by the secretary for a named member, or by the member with the QR token
 * of the venue screen (and their position when the meeting has a geofence). Signing in twice
 * answers the first sign-in unchanged.
 *
 * 代签（线上） (`online: true`, issue #27): a member who takes part online but has no phone (joined by a landline
 * into the video meeting, say) is signed in by the secretary as present online — only for an online or hybrid
 * meeting, only an invited member, and only while the meeting's sign-in window is open (not from the paper sheet
 * afterwards: it attests that the member is in the meeting now). Marked `manual_online` (代签, 线上) and audited.
 *
 * 离线签到 (`queued: true`, issue #24): a QR sign-in kept on the member's phone with no signal and sent later. A token
 * still accepted on screen signs in as usual; an older one counts at the time inside the token — which must fall in
 * the sign-in window — when it arrives within QUEUED_CHECKIN_RULE.maxDelayHours, and the arrival is recorded
 * (`checkin_submitted_at`) for the secretary. Without `queued` an old token is refused as expired, as before: a
 * member scanning online is told to scan the newest code.
 */
export async function checkin(
  db: Db,
  key: Buffer,
  scope: Scope,
  meetingId: string,
  body: CheckinInput,
  now: Date = clockNow(),
): Promise<Attendance & { alreadySignedIn: boolean }> {
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  let memberId: string;
  let method: 'qr' | 'manual' | 'manual_online';
  /** When the member signed in: now, or the time inside the token of a sign-in sent late from the phone's queue. */
  let at = now;
  let submittedAt: Date | null = null;
  if ('memberId' in body) {
    if (!isManager(scope)) throw forbidden('只有书记或管理员可以代为签到', 'CHECKIN_MANUAL_FORBIDDEN');
    memberId = body.memberId;
    method = body.online ? 'manual_online' : 'manual';
    if (method === 'manual_online' && m.mode === 'in_person')
      throw unprocessable(
        '本次会议为现场会议，没有线上参会，不能线上代签；请在会场代为签到',
        undefined,
        'MEETING_NOT_ONLINE',
      );
  } else {
    const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
    if (!self) throw unprocessable('您的账号未关联党员信息，请联系支部书记代为签到', undefined, 'NOT_A_MEMBER');
    const t = readCheckinToken(key, m.id, body.token, now);
    if (!t.fresh) {
      if (!body.queued) throw checkinTokenExpired();
      if (now.getTime() - t.shownAt.getTime() > QUEUED_CHECKIN_RULE.maxDelayHours * HOUR)
        throw badRequest(
          `这条离线签到的扫码时间为 ${chinaDateTime(t.shownAt)}，超过 ${QUEUED_CHECKIN_RULE.maxDelayHours} 小时才提交，不能再计入签到；如确实到会，请联系支部书记补登`,
          {
            scannedAt: t.shownAt.toISOString(),
            maxDelayHours: QUEUED_CHECKIN_RULE.maxDelayHours,
            citation: QUEUED_CHECKIN_RULE.citation,
          },
          'CHECKIN_QUEUED_TOO_LATE',
        );
      at = t.shownAt;
      submittedAt = now;
    }
    memberId = self.id;
    method = 'qr';
  }
  if (m.status === 'cancelled') throw conflict('会议已取消，不能签到', 'MEETING_CANCELLED');
  const p = await participant(db, m, memberId);
  if (!p)
    throw unprocessable(
      '该党员不属于本次会议的组织，不能签到',
      [{ field: 'memberId', message: '不属于本组织或联合组织，或已不在册' }],
      'MEMBER_NOT_IN_ORG',
    );
  const [existing] = await db
    .select()
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.memberId, memberId)));
  // A secretary signs in only people of orgs they manage, not a joint org's members beyond that — and the
  // 流动党员 invited to this meeting as such (the host's keepers sign them in like their own).
  if (method !== 'qr') {
    const [o] = await db.select({ path: org.path }).from(org).where(eq(org.id, p.orgId));
    assertManages(scope, o!.path, '代为签到', Boolean(existing?.invited && existing.viaFlow));
  }
  if (existing?.checkedInAt) return { ...(await attendanceById(db, existing.id)), alreadySignedIn: true };

  if (method === 'manual_online' && !existing?.invited)
    throw unprocessable(
      '该党员不在本次会议的通知名单中，不能线上代签；请先将其加入通知名单',
      [{ field: 'memberId', message: '不在通知名单中' }],
      'NOT_INVITED',
    );

  const opens = m.startsAt.getTime() - CHECKIN_OPENS_MINUTES_BEFORE * 60_000;
  // A secretary may enter a paper sign-in sheet up to three days after the meeting (in the room only: an online
  // 代签 says the member is in the meeting now).
  const closes = m.endsAt.getTime() + (method === 'manual' ? 72 * HOUR : 0);
  if (at.getTime() < opens || at.getTime() > closes)
    throw unprocessable(
      `${submittedAt ? `扫码时间（${chinaDateTime(at)}）不在签到时间内` : '不在签到时间内'}：签到时间为 ${chinaDateTime(new Date(opens))} 至 ${chinaDateTime(new Date(closes))}`,
      { opensAt: new Date(opens).toISOString(), closesAt: new Date(closes).toISOString() },
      'CHECKIN_OUTSIDE_WINDOW',
    );
  let position: { lat: number; lng: number } | null = null;
  if (method === 'qr' && 'token' in body && m.venueLat !== null && m.venueLng !== null && m.venueRadiusM !== null) {
    if (body.lat === undefined || body.lng === undefined)
      throw unprocessable('本次会议需要定位签到，请允许获取位置后重试', undefined, 'CHECKIN_LOCATION_REQUIRED');
    position = { lat: body.lat, lng: body.lng };
    const d = distanceMetres({ lat: m.venueLat, lng: m.venueLng }, position);
    if (d > m.venueRadiusM)
      throw unprocessable(
        `您不在会场签到范围内（距会场约 ${Math.round(d)} 米，范围 ${m.venueRadiusM} 米）`,
        { distanceM: Math.round(d), radiusM: m.venueRadiusM },
        'CHECKIN_OUT_OF_RANGE',
      );
  }
  const late = at.getTime() > m.startsAt.getTime() + CHECKIN_LATE_GRACE_MINUTES * 60_000;
  const result = await db.transaction(async (tx) => {
    await tx
      .insert(meetingAttendance)
      .values({ tenantId: scope.tenantId, meetingId: m.id, memberId, orgId: p.orgId, invited: false })
      .onConflictDoNothing();
    const [signed] = await tx
      .update(meetingAttendance)
      .set({
        checkedInAt: at,
        checkinSubmittedAt: submittedAt,
        checkinMethod: method,
        checkedInBy: scope.actor.userId,
        late,
        checkinLat: position?.lat ?? null,
        checkinLng: position?.lng ?? null,
        ...(existing?.response === 'leave' ? {} : { response: 'confirmed' }),
      })
      .where(
        and(
          eq(meetingAttendance.meetingId, m.id),
          eq(meetingAttendance.memberId, memberId),
          isNull(meetingAttendance.checkedInAt),
        ),
      )
      .returning();
    if (!signed) return null; // signed in concurrently: answer that sign-in
    await writeAudit(tx, scope.actor, {
      action: 'meeting.checkin',
      entityType: 'meeting_attendance',
      entityId: signed.id,
      org: scope.org,
      after: {
        meetingId: m.id,
        memberId,
        method,
        late,
        at: at.toISOString(),
        ...(submittedAt ? { submittedAt: submittedAt.toISOString() } : {}),
      },
    });
    return signed.id;
  });
  if (result === null) {
    const [row] = await db
      .select({ id: meetingAttendance.id })
      .from(meetingAttendance)
      .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.memberId, memberId)));
    return { ...(await attendanceById(db, row!.id)), alreadySignedIn: true };
  }
  return { ...(await attendanceById(db, result)), alreadySignedIn: false };
}
