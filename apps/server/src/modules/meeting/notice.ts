/** The notice: publishing invitations, the attendance list, and a member's answer (confirm or leave). */
import {
  ONLINE_SERVICE_LABELS,
  type OnlineService,
  chinaDate,
  chinaDateLabel,
  chinaDateTimeLabel,
  MAKEUP_RULE,
  INVITEE_RULES,
  MEETING_KIND_LABELS,
  type Meeting,
  type MeetingKind,
  now as clockNow,
  nowMs,
  RECORD_KEEPERS,
  RECORD_READERS,
  todayInChina,
  type ReplyReminderResult,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { byKey, inTenant, onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member, onRoll } from '../member/service';
import { enqueueJobs } from '../../platform/jobs';
import { notify } from '../notify/service';
import { meeting, meetingAttendance } from './schema';
import { loadMeeting, getMeeting } from './meetings';
import {
  memberPaths,
  inPaths,
  attendanceColumns,
  attendanceView,
  attendanceById,
  ownInvitation,
  pathsWith,
  within,
} from './attendance';
import { changesFrom, defaultInvitees, hostedFlowing, invitedNow } from './invitees';
import { countFrom, pageWhere } from '../../platform/paging';

// ---- notice and answers -----------------------------------------------------

/** The invited members of meeting `m` (with any further conditions on their attendance row): its notices' recipients. */
async function invitedMembers(tx: Queryable, m: { tenantId: string; id: string }, ...more: SQL[]) {
  const rows = await tx
    .select({ memberId: meetingAttendance.memberId })
    .from(meetingAttendance)
    .where(
      inTenant(
        meetingAttendance,
        m.tenantId,
        eq(meetingAttendance.meetingId, m.id),
        eq(meetingAttendance.invited, true),
        ...more,
      ),
    );
  return rows.map((r) => r.memberId);
}

/** The name of the org holding meeting `m`, as its notices show it ('' if the org is gone). */
async function orgNameOf(tx: Queryable, m: { tenantId: string; orgId: string }) {
  const [o] = await tx
    .select({ name: org.name })
    .from(org)
    .where(and(eq(org.tenantId, m.tenantId), eq(org.id, m.orgId)));
  return o?.name ?? '';
}

/**
 * Publishes (or re-sends) the notice. The list is the kind's default (invitees.ts) unless the
 * secretary sends one; every member added to or left out of the default needs a reason, kept on
 * the meeting and in the audit entry. People taken off the list after an earlier notice are no
 * longer counted as due (invited = false); their answers and sign-ins stay on record.
 */
export async function publishMeeting(
  db: Db,
  scope: Scope,
  id: string,
  body: { memberIds?: string[] | undefined; reasons?: Record<string, string> | undefined },
): Promise<Meeting> {
  await db.transaction(async (tx) => {
    const [m] = await tx
      .select()
      .from(meeting)
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, id)))
      .for('update');
    if (!m) throw notFound();
    if (m.status === 'cancelled') throw conflict('会议已取消，不能发布通知', 'MEETING_CANCELLED');
    if (m.status === 'held') throw conflict('会议已召开，不能再发布通知', 'MEETING_HELD');
    if (m.endsAt.getTime() < nowMs()) throw unprocessable('会议已结束，不能再发布通知', undefined, 'MEETING_OVER');
    const defaults = (await defaultInvitees(tx, m)).items;
    const before = await invitedNow(tx, m);
    // Without a list: the default, plus whoever is invited already, minus whoever was left out on purpose.
    const leftOut = new Set(m.invitationChanges.filter((c) => c.change === 'removed').map((c) => c.memberId));
    const wanted = body.memberIds
      ? [...new Set(body.memberIds)]
      : [
          ...new Set([
            ...before.map((b) => b.memberId),
            ...defaults.map((d) => d.memberId).filter((d) => !leftOut.has(d)),
          ]),
        ];
    if (wanted.length === 0)
      throw unprocessable(
        `通知名单为空：${INVITEE_RULES[m.kind as MeetingKind].label}，但没有找到这样的人员。请在名单中手动添加参会人员`,
        undefined,
        'NO_INVITEES',
      );
    const paths = await memberPaths(tx, m);
    // A joint activity invites the joint orgs' members: the publisher must manage each of them
    // (also for meetings whose joint orgs were set before that was checked on create).
    const managed = pathsWith(scope, RECORD_KEEPERS);
    if (paths.some((p) => !within(managed, p)))
      throw forbidden(
        '无权向联合组织的党员发布通知：须对每个联合组织都有管理权限，请由共同的上级党组织发布',
        'JOINT_ORG_FORBIDDEN',
      );
    const own = await tx
      .select({ id: member.id, orgId: member.orgId, name: member.name })
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(and(eq(member.tenantId, scope.tenantId), onRoll(), inPaths(paths), inArray(member.id, wanted)));
    // 流动党员 registered with this org as their 流入地党组织 (一方隶属、参加多重组织生活): invited from their home branch.
    const ownIds = new Set(own.map((i) => i.id));
    const flowing = (
      await hostedFlowing(
        tx,
        m,
        wanted.filter((w) => !ownIds.has(w)),
      )
    ).map((p) => ({ id: p.id, orgId: p.orgId, name: p.name }));
    const viaFlow = new Set(flowing.map((f) => f.id));
    const invitees = [...own, ...flowing];
    if (invitees.length !== wanted.length) {
      const found = new Set(invitees.map((i) => i.id));
      const missing = wanted.filter((w) => !found.has(w));
      throw unprocessable(
        '通知名单中有党员不属于本组织（或联合组织）',
        missing.map((memberId) => ({ field: 'memberIds', memberId, message: '不属于本组织或已不在册' })),
        'MEMBER_NOT_IN_ORG',
      );
    }
    const { changes, missing } = changesFrom(defaults, invitees, body.reasons ?? {}, m.invitationChanges);
    if (missing.length)
      throw unprocessable(
        `请写明原因：${missing.map((x) => `${x.change === 'added' ? '增加' : '不通知'}${x.name}`).join('、')}`,
        missing.map((x) => ({
          field: 'reasons',
          memberId: x.memberId,
          message: x.change === 'added' ? `增加${x.name}的原因` : `不通知${x.name}的原因`,
        })),
        'INVITATION_REASON_REQUIRED',
      );
    await tx
      .insert(meetingAttendance)
      .values(
        invitees.map((i) => ({
          tenantId: scope.tenantId,
          meetingId: id,
          memberId: i.id,
          orgId: i.orgId,
          viaFlow: viaFlow.has(i.id),
        })),
      )
      .onConflictDoUpdate({
        target: [meetingAttendance.meetingId, meetingAttendance.memberId],
        set: { invited: true, viaFlow: sql`excluded.via_flow` },
      });
    const withdrawn = before.filter((b) => !wanted.includes(b.memberId)).map((b) => b.memberId);
    if (withdrawn.length)
      await tx
        .update(meetingAttendance)
        .set({ invited: false })
        .where(
          inTenant(
            meetingAttendance,
            scope.tenantId,
            eq(meetingAttendance.meetingId, id),
            inArray(meetingAttendance.memberId, withdrawn),
          ),
        );
    await tx
      .update(meeting)
      .set({
        status: 'published',
        publishedAt: m.publishedAt ?? clockNow(),
        invitationChanges: changes,
        updatedAt: clockNow(),
      })
      .where(byKey(meeting, scope.tenantId, id));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.publish',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      before: { invited: before.length, changes: m.invitationChanges },
      after: { invited: invitees.length, memberIds: invitees.map((i) => i.id), withdrawn, changes },
    });
    // The invited members hear of it through the notice service, in this transaction: the notice exists
    // exactly when the publication does. Publishing again (a changed list) reaches only the newly
    // invited; a new time is a new notice (the dedupe key names the start).
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'meeting.notice',
      recipients: { members: invitees.map((i) => i.id) },
      data: {
        title: m.title,
        orgName: await orgNameOf(tx, m),
        kindLabel: MEETING_KIND_LABELS[m.kind as MeetingKind] ?? '会议',
        startsAt: chinaDateTimeLabel(m.startsAt),
        location: placeOf(m),
      },
      link: `/my/meetings?meeting=${id}`,
      orgId: m.orgId,
      dedupeKey: `meeting.notice:${id}:${m.startsAt.toISOString()}`,
    });
    await scheduleReminders(tx, scope.tenantId, id, m.startsAt);
  });
  return getMeeting(db, scope, id);
}

/**
 * 「提醒未回复」: the record keeper nudges the invited members who have not answered (confirm or
 * leave) through the notice service. At most once per person per day — the notice's dedupe key
 * names the meeting and the China day, so a second press the same day reaches only people not yet
 * reminded that day. Only a published meeting that has not ended; audited with who was reached.
 */
export async function remindUnanswered(db: Db, scope: Scope, id: string): Promise<ReplyReminderResult> {
  return db.transaction(async (tx) => {
    const [m] = await tx
      .select()
      .from(meeting)
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, id)));
    if (!m) throw notFound();
    if (m.status === 'planned') throw conflict('会议通知尚未发布，请先发布通知', 'MEETING_NOT_PUBLISHED');
    if (m.status === 'cancelled') throw conflict('会议已取消，不再提醒回复', 'MEETING_CANCELLED');
    if (m.status === 'held' || m.endsAt.getTime() < nowMs()) throw conflict('会议已结束，不再提醒回复', 'MEETING_OVER');
    const pending = await invitedMembers(tx, m, eq(meetingAttendance.response, 'pending'));
    const day = todayInChina();
    const r = pending.length
      ? await notify(tx, {
          tenantId: scope.tenantId,
          kind: 'meeting.reply',
          recipients: { members: pending },
          data: {
            title: m.title,
            orgName: await orgNameOf(tx, m),
            startsAt: chinaDateTimeLabel(m.startsAt),
            location: placeOf(m),
          },
          link: `/my/meetings?meeting=${id}`,
          dedupeKey: `meeting.reply:${id}:${day}`,
        })
      : { notified: 0, already: 0, unreachable: 0, robots: 0 };
    const message =
      pending.length === 0
        ? '所有受邀人员都已回复，无需提醒'
        : r.notified > 0
          ? `已提醒 ${r.notified} 人回复${r.already ? `；${r.already} 人今天已提醒过` : ''}${r.unreachable ? `；${r.unreachable} 人没有系统账号，请电话联系` : ''}`
          : r.already > 0
            ? `未回复的 ${r.already} 人今天都已提醒过，每人每天最多提醒一次，明天可再提醒${r.unreachable ? `；${r.unreachable} 人没有系统账号，请电话联系` : ''}`
            : `未回复的 ${pending.length} 人都没有系统账号，无法在线提醒，请电话联系`;
    await writeAudit(tx, scope.actor, {
      action: 'meeting.reply_reminder',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      after: {
        day,
        pending: pending.length,
        sent: r.notified,
        already: r.already,
        unreachable: r.unreachable,
        memberIds: pending,
      },
    });
    return { pending: pending.length, sent: r.notified, already: r.already, unreachable: r.unreachable, message };
  });
}

/** The day-before and hour-before reminders of a published meeting, as jobs due then (one per meeting, start and lead). */
export async function scheduleReminders(tx: Queryable, tenantId: string, meetingId: string, startsAt: Date) {
  const at = clockNow();
  await enqueueJobs(
    tx,
    REMINDER_LEADS.map(({ key, ms }) => ({
      tenantId,
      kind: MEETING_REMIND_JOB,
      payload: { meetingId, startsAt: startsAt.toISOString(), lead: key },
      runAt: new Date(startsAt.getTime() - ms),
      dedupeKey: `${MEETING_REMIND_JOB}:${meetingId}:${startsAt.toISOString()}:${key}`,
    })).filter((j) => j.runAt > at),
    at,
  );
}

/** The end of a meeting as people read it: the time alone on the start's Beijing day, else the full label. */
export function endsAtLabel(startsAt: Date, endsAt: Date): string {
  const full = chinaDateTimeLabel(endsAt);
  return chinaDate(startsAt) === chinaDate(endsAt) ? full.slice(full.indexOf('）') + 1) : full;
}

/**
 * Where the meeting is, as the notices say it (issue #27): the room, and for an online or hybrid meeting the
 * video service, its meeting number and join link — so the notice carries everything to join, with no template
 * change (it fills the {{location}} placeholder).
 */
export function placeOf(m: typeof meeting.$inferSelect): string {
  if (m.mode === 'in_person' || !m.onlineLink) return m.location;
  const service = ONLINE_SERVICE_LABELS[m.onlineService as OnlineService] ?? '视频会议';
  const online = `线上参会：${service} 会议号 ${m.onlineNumber}，入会链接 ${m.onlineLink}（入会后请在系统中输入主持人宣读的签到码签到）`;
  return m.mode === 'online' ? online : `${m.location}（现场），或${online}`;
}

/** What of a meeting its invited members must hear about when it changes after the notice: start, end, place. */
export function meetingChanges(before: typeof meeting.$inferSelect, after: typeof meeting.$inferSelect): string[] {
  const out: string[] = [];
  if (after.startsAt.getTime() !== before.startsAt.getTime())
    out.push(`开始时间由 ${chinaDateTimeLabel(before.startsAt)} 改为 ${chinaDateTimeLabel(after.startsAt)}`);
  if (after.endsAt.getTime() !== before.endsAt.getTime())
    out.push(
      `结束时间由 ${endsAtLabel(before.startsAt, before.endsAt)} 改为 ${endsAtLabel(after.startsAt, after.endsAt)}`,
    );
  if (after.location.trim() !== before.location.trim())
    out.push(`地点由「${before.location}」改为「${after.location}」`);
  if (placeOf(after) !== placeOf(before) && after.location.trim() === before.location.trim())
    out.push(`参会方式改为：${placeOf(after)}`);
  return out;
}

/**
 * A published meeting whose start, end or place changed (issue #17): the invited members get a 会议变更
 * naming each change, old and new. When the start moved its reminders follow it — the old ones skip (their
 * start no longer matches), new ones are scheduled. Runs in the transaction of the change; one notice per
 * change (the dedupe key names the meeting's new updated-at instant). Nothing when nothing they need changed.
 */
export async function meetingChanged(
  tx: Queryable,
  before: typeof meeting.$inferSelect,
  m: typeof meeting.$inferSelect,
) {
  const changes = meetingChanges(before, m);
  if (changes.length === 0) return { notified: 0 };
  const invited = await invitedMembers(tx, m);
  const r = await notify(tx, {
    tenantId: m.tenantId,
    kind: 'meeting.changed',
    recipients: { members: invited },
    data: {
      title: m.title,
      orgName: await orgNameOf(tx, m),
      kindLabel: MEETING_KIND_LABELS[m.kind as MeetingKind] ?? '会议',
      changes: changes.join('；'),
      startsAt: chinaDateTimeLabel(m.startsAt),
      endsAt: endsAtLabel(m.startsAt, m.endsAt),
      location: placeOf(m),
    },
    link: `/my/meetings?meeting=${m.id}`,
    orgId: m.orgId,
    dedupeKey: `meeting.changed:${m.id}:${m.updatedAt.toISOString()}`,
  });
  if (m.startsAt.getTime() !== before.startsAt.getTime()) await scheduleReminders(tx, m.tenantId, m.id, m.startsAt);
  return { notified: r.notified };
}

/** A published meeting cancelled: every invited member hears of it (issue #17). In the transaction of the change. */
export async function meetingCancelled(tx: Queryable, m: typeof meeting.$inferSelect, reason: string) {
  await notify(tx, {
    tenantId: m.tenantId,
    kind: 'meeting.cancelled',
    recipients: { members: await invitedMembers(tx, m) },
    data: { title: m.title, startsAt: chinaDateTimeLabel(m.startsAt), reason: reason ? `取消原因：${reason}。` : '' },
    link: `/my/meetings?meeting=${m.id}`,
    orgId: m.orgId,
    urgent: true,
    dedupeKey: `meeting.cancelled:${m.id}`,
  });
}

export const MAKEUP_REMIND_JOB = 'meeting.makeup.remind';
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The 补学 deadline of a meeting: MAKEUP_RULE.days after it was held, but never sooner than a week from `today`. */
export function makeupDue(m: { startsAt: Date }, today: string): string {
  const due = addDays(chinaDate(m.startsAt), MAKEUP_RULE.days);
  const soonest = addDays(today, MAKEUP_RULE.remindDaysBefore);
  return due < soonest ? soonest : due;
}

/**
 * 补学 due (issue #17). When a meeting is first recorded as held, the invited members who did not sign in
 * get a 补学提醒 naming the deadline, and a job is queued for MAKEUP_RULE.remindDaysBefore days before it
 * (09:00 Beijing) that reminds whoever has still not made it up. In the transaction of the record.
 */
export async function makeupDueNotices(tx: Queryable, m: typeof meeting.$inferSelect) {
  const due = makeupDue(m, chinaDate(clockNow()));
  await sendMakeup(tx, m, due, 'held');
  await enqueueJobs(
    tx,
    [
      {
        tenantId: m.tenantId,
        kind: MAKEUP_REMIND_JOB,
        payload: { meetingId: m.id, due },
        runAt: new Date(Date.parse(`${addDays(due, -MAKEUP_RULE.remindDaysBefore)}T09:00:00+08:00`)),
        dedupeKey: `${MAKEUP_REMIND_JOB}:${m.id}`,
      },
    ],
    clockNow(),
  );
}

async function sendMakeup(tx: Queryable, m: typeof meeting.$inferSelect, due: string, stage: 'held' | 'due') {
  const absent = await invitedMembers(
    tx,
    m,
    isNull(meetingAttendance.checkedInAt),
    isNull(meetingAttendance.makeupDoneAt),
  );
  if (absent.length === 0) return { sent: 0 };
  const r = await notify(tx, {
    tenantId: m.tenantId,
    kind: 'meeting.makeup',
    recipients: { members: absent },
    data: { title: m.title, heldOn: chinaDateLabel(chinaDate(m.startsAt)), dueDate: chinaDateLabel(due) },
    link: `/my/meetings?meeting=${m.id}`,
    orgId: m.orgId,
    dedupeKey: `meeting.makeup:${m.id}:${stage}`,
  });
  return { sent: r.notified };
}

/** The job before the 补学 deadline: only a meeting still held, only members still without 补学. */
export async function remindMakeup(db: Db, payload: { meetingId: string; due: string }) {
  return db.transaction(async (tx) => {
    const [m] = await tx.select().from(meeting).where(eq(meeting.id, payload.meetingId));
    if (!m || m.status !== 'held') return { sent: 0, skipped: 'not held' };
    return sendMakeup(tx, m, payload.due, 'due');
  });
}

export const MEETING_REMIND_JOB = 'meeting.remind';
/** Reminders before a published meeting (issue #17): the day before and one hour before. */
export const REMINDER_LEADS = [
  { key: 'day', ms: 24 * 3600_000, label: '明天' },
  { key: 'hour', ms: 3600_000, label: '1小时后' },
] as const;

/**
 * The reminder job: if the meeting is still published at the start it was published for, the invited
 * members who have not asked for leave get a 会议提醒 through notify(). A meeting moved or cancelled
 * since sends nothing (a new publication schedules its own).
 */
export async function remindMeeting(db: Db, payload: { meetingId: string; startsAt: string; lead: string }) {
  const lead = REMINDER_LEADS.find((l) => l.key === payload.lead);
  if (!lead) return { sent: 0, skipped: 'lead' };
  return db.transaction(async (tx) => {
    const [m] = await tx.select().from(meeting).where(eq(meeting.id, payload.meetingId));
    if (!m || m.status !== 'published' || m.startsAt.toISOString() !== payload.startsAt)
      return { sent: 0, skipped: 'changed' };
    const expected = await invitedMembers(
      tx,
      m,
      sql`${meetingAttendance.response} <> 'leave'`,
      isNull(meetingAttendance.checkedInAt),
    );
    const r = await notify(tx, {
      tenantId: m.tenantId,
      kind: 'meeting.reminder',
      recipients: { members: expected },
      data: { title: m.title, when: lead.label, startsAt: chinaDateTimeLabel(m.startsAt), location: placeOf(m) },
      link: `/my/meetings?meeting=${m.id}`,
      orgId: m.orgId,
      dedupeKey: `meeting.reminder:${m.id}:${payload.startsAt}:${lead.key}`,
    });
    return { sent: r.notified };
  });
}
export const ATTENDANCE_FILTERS = [
  'pending',
  'confirmed',
  'leave',
  'signed_in',
  'absent',
  'late',
  'makeup_pending',
  'makeup_done',
] as const;
export type AttendanceFilter = (typeof ATTENDANCE_FILTERS)[number];

/** Who was invited and how each answered, signed in or made up; `pending` = not yet responded. */
export async function listAttendance(
  db: Queryable,
  scope: Scope,
  meetingId: string,
  filter: AttendanceFilter | undefined,
  page: number,
  pageSize: number,
) {
  const a = meetingAttendance;
  const conds: SQL[] = [eq(a.tenantId, scope.tenantId), eq(a.meetingId, meetingId)];
  const absent = and(eq(a.invited, true), isNull(a.checkedInAt))!;
  if (filter === 'pending') conds.push(eq(a.response, 'pending'), eq(a.invited, true));
  if (filter === 'confirmed') conds.push(eq(a.response, 'confirmed'));
  if (filter === 'leave') conds.push(eq(a.response, 'leave'));
  if (filter === 'signed_in') conds.push(isNotNull(a.checkedInAt));
  if (filter === 'absent') conds.push(absent);
  if (filter === 'late') conds.push(eq(a.late, true));
  if (filter === 'makeup_pending') conds.push(absent, isNull(a.makeupDoneAt));
  if (filter === 'makeup_done') conds.push(absent, isNotNull(a.makeupDoneAt));
  const where = and(...conds);
  const { items: rows, total } = await pageWhere(
    db
      .select(attendanceColumns)
      .from(a)
      .innerJoin(member, onKey(member, a.memberId, a))
      .innerJoin(org, onKey(org, a.orgId, a))
      .$dynamic(),
    countFrom(db, a),
    where,
    [asc(org.path), asc(member.name), asc(a.id)],
    page,
    pageSize,
  );
  const m = await loadMeeting(db, scope.tenantId, meetingId);
  const [summary] = await db
    .select({
      invited: sql<number>`(count(*) filter (where ${a.invited}))::int`,
      pending: sql<number>`(count(*) filter (where ${a.invited} and ${a.response} = 'pending'))::int`,
      confirmed: sql<number>`(count(*) filter (where ${a.response} = 'confirmed'))::int`,
      leave: sql<number>`(count(*) filter (where ${a.response} = 'leave'))::int`,
      signedIn: sql<number>`(count(*) filter (where ${a.checkedInAt} is not null))::int`,
      late: sql<number>`(count(*) filter (where ${a.late}))::int`,
      absent: sql<number>`(count(*) filter (where ${a.invited} and ${a.checkedInAt} is null))::int`,
      makeupDone: sql<number>`(count(*) filter (where ${a.invited} and ${a.checkedInAt} is null and ${a.makeupDoneAt} is not null))::int`,
    })
    .from(a)
    .where(and(eq(a.tenantId, scope.tenantId), eq(a.meetingId, meetingId)));
  const visible = pathsWith(scope, RECORD_READERS);
  return {
    items: rows.map((r) => attendanceView(r, visible)),
    total,
    summary: { ...summary!, held: m.status === 'held' },
  };
}
export async function respond(
  db: Db,
  scope: Scope,
  attendanceId: string,
  body: { response: 'confirmed' } | { response: 'leave'; reason: string },
) {
  const inv = await ownInvitation(db, scope, attendanceId);
  const m = await loadMeeting(db, scope.tenantId, inv.meetingId);
  if (m.status === 'cancelled') throw conflict('会议已取消', 'MEETING_CANCELLED');
  if (m.endsAt.getTime() < nowMs()) throw unprocessable('会议已结束，不能再回复', undefined, 'MEETING_OVER');
  if (inv.checkedInAt && body.response === 'leave') throw conflict('您已签到，不能再请假', 'ALREADY_CHECKED_IN');
  await db.transaction(async (tx) => {
    const reason = body.response === 'leave' ? body.reason : null;
    await tx
      .update(meetingAttendance)
      .set({ response: body.response, leaveReason: reason, respondedAt: clockNow() })
      .where(byKey(meetingAttendance, scope.tenantId, inv.id));
    await writeAudit(tx, scope.actor, {
      action: body.response === 'leave' ? 'meeting.leave' : 'meeting.confirm',
      entityType: 'meeting_attendance',
      entityId: inv.id,
      org: scope.org,
      before: { response: inv.response, leaveReason: inv.leaveReason },
      after: { response: body.response, leaveReason: reason },
    });
  });
  return attendanceById(db, inv.id);
}
