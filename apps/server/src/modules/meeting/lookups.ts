/** Lookups for the access layer: the org a meeting record (or the caller's own part in it) belongs to. */
import { and, eq } from 'drizzle-orm';
import { orgOfRow, type Caller } from '../../platform/access';
import type { Queryable } from '../../platform/db';
import { memberOfUser } from '../member/service';
import { meeting, meetingAttendance, meetingFile } from './schema';
import { participant } from './attendance';

export const orgOfMeeting = orgOfRow(meeting);

/** An invitation belongs to the invited member's own org, so joint-activity guests reach it too. */
export const orgOfAttendance = orgOfRow(meetingAttendance);

/**
 * The org a caller touches on a meeting they take part in as a member: their own — a 党小组
 * member at the branch's meeting, a guest of a joint activity. Anyone else touches the meeting's org.
 */
async function orgOfOwnPart(
  db: Queryable,
  tenantId: string,
  meetingId: string,
  userId: string,
): Promise<string | null> {
  const [m] = await db
    .select()
    .from(meeting)
    .where(and(eq(meeting.tenantId, tenantId), eq(meeting.id, meetingId)));
  if (!m) return null;
  const self = await memberOfUser(db, tenantId, userId);
  const part = self ? await participant(db, m, self.id) : null;
  return part?.orgId ?? m.orgId;
}

/** Sign-in by QR token is the member's own act (their org); by member id, a manager's on the meeting (its org). */
export function orgOfCheckin(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
  const byManager = typeof caller.body === 'object' && caller.body !== null && 'memberId' in caller.body;
  return byManager ? orgOfMeeting(db, tenantId, id) : orgOfOwnPart(db, tenantId, id, caller.userId);
}

/** Photos and attachments: the meeting's managers, and its participants for 补学. */
export async function orgOfMeetingFile(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const [row] = await db
    .select({ meetingId: meetingFile.meetingId })
    .from(meetingFile)
    .where(and(eq(meetingFile.tenantId, tenantId), eq(meetingFile.id, id)));
  return row ? orgOfOwnPart(db, tenantId, row.meetingId, caller.userId) : null;
}

/** A file as the meeting's managers act on it (removing a wrong photo): the meeting's org. */
export async function orgOfMeetingFileManaged(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ meetingId: meetingFile.meetingId })
    .from(meetingFile)
    .where(and(eq(meetingFile.tenantId, tenantId), eq(meetingFile.id, id)));
  return row ? orgOfMeeting(db, tenantId, row.meetingId) : null;
}

/** 网上过组织生活 (issue #27): remote sign-in, the meeting page, statements and votes are the member's own part. */
export function orgOfOwnMeetingPart(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  return orgOfOwnPart(db, tenantId, id, caller.userId);
}
