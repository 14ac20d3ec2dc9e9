/**
 * 组织生活: meetings from plan to archive — create/plan, notice (invitations and answers),
 * sign-in (QR token or by the secretary), minutes, 补学 for absentees, 谈心谈话, and the
 * counters the compliance check reads. Every write audits in its own transaction.
 */
import {
  CADENCE_RULES,
  CHECKIN_LATE_GRACE_MINUTES,
  CHECKIN_OPENS_MINUTES_BEFORE,
  MEETING_KIND_LABELS,
  type Meeting,
  type MeetingInput,
  type MeetingKind,
  type MeetingPatch,
  type MeetingStatus,
  type TallyKind,
  type Attendance,
  now as clockNow,
  nowMs,
} from '@xianfeng/shared';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '@xianfeng/shared';
import type { Caller, OrgRef, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { Db, Queryable, Tx } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member } from '../member/schema';
import { memberOfUser } from '../member/service';
import { distanceMetres, verifyCheckinToken } from './checkin';
import { meeting, meetingAttendance, meetingFile, meetingMinutes, meetingTally, talk } from './schema';

export type MeetingRow = typeof meeting.$inferSelect;
export type AttendanceRow = typeof meetingAttendance.$inferSelect;

export const MANAGERS = ['admin', 'org_admin', 'secretary'] as const satisfies readonly Role[];
export const READERS = ['admin', 'org_admin', 'secretary', 'auditor'] as const satisfies readonly Role[];
const isManager = (scope: Scope) => (MANAGERS as readonly string[]).includes(scope.role);

const HOUR = 3600_000;
/** The first day of the meeting's month in China time, the key of the compliance counters. */
export const chinaMonth = (d: Date) => `${new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 7)}-01`;
export const chinaDate = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
const chinaTime = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(11, 16);
export const chinaDateTime = (d: Date) => `${chinaDate(d)} ${chinaTime(d)}`;

// ---- lookups for the access layer -------------------------------------------

export async function orgOfMeeting(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ orgId: meeting.orgId })
    .from(meeting)
    .where(and(eq(meeting.tenantId, tenantId), eq(meeting.id, id)));
  return row?.orgId ?? null;
}

/** An invitation belongs to the invited member's own org, so joint-activity guests reach it too. */
export async function orgOfAttendance(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ orgId: meetingAttendance.orgId })
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.tenantId, tenantId), eq(meetingAttendance.id, id)));
  return row?.orgId ?? null;
}

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

// ---- counters ---------------------------------------------------------------

type MonthColumn = `m${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12}`;

/** Adds `delta` to the counter of (org, kind) for the month `YYYY-MM-01`. */
export async function bumpTally(
  tx: Tx,
  tenantId: string,
  orgId: string,
  kind: TallyKind,
  month: string,
  delta: number,
) {
  const col = `m${Number(month.slice(5, 7))}` as MonthColumn;
  await tx
    .insert(meetingTally)
    .values({ tenantId, orgId, kind, year: Number(month.slice(0, 4)), [col]: delta })
    .onConflictDoUpdate({
      target: [meetingTally.orgId, meetingTally.kind, meetingTally.year],
      set: { [col]: sql`${meetingTally[col]} + ${delta}` },
    });
}

/** What a held meeting counts for: its kind, and a secretary's lecture for the yearly rule. */
const tallyKindsOf = (kind: string, speakerIsSecretary: boolean): TallyKind[] =>
  kind === 'lecture' && speakerIsSecretary ? ['lecture', 'lecture_secretary'] : [kind as MeetingKind];

// ---- views ------------------------------------------------------------------

type Counts = Meeting['counts'];
const NO_COUNTS: Counts = { invited: 0, confirmed: 0, leave: 0, pending: 0, signedIn: 0, late: 0 };

async function countsFor(db: Queryable, ids: string[]): Promise<Map<string, Counts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: meetingAttendance.meetingId,
      invited: sql<number>`(count(*) filter (where ${meetingAttendance.invited}))::int`,
      confirmed: sql<number>`(count(*) filter (where ${meetingAttendance.response} = 'confirmed'))::int`,
      leave: sql<number>`(count(*) filter (where ${meetingAttendance.response} = 'leave'))::int`,
      pending: sql<number>`(count(*) filter (where ${meetingAttendance.invited} and ${meetingAttendance.response} = 'pending'))::int`,
      signedIn: sql<number>`(count(*) filter (where ${meetingAttendance.checkedInAt} is not null))::int`,
      late: sql<number>`(count(*) filter (where ${meetingAttendance.late}))::int`,
    })
    .from(meetingAttendance)
    .where(inArray(meetingAttendance.meetingId, ids))
    .groupBy(meetingAttendance.meetingId);
  return new Map(rows.map(({ id, ...c }) => [id, c]));
}

export function toView(row: MeetingRow, orgName: string, counts: Counts = NO_COUNTS): Meeting {
  return {
    id: row.id,
    orgId: row.orgId,
    orgName,
    kind: row.kind as MeetingKind,
    title: row.title,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    location: row.location,
    agenda: row.agenda,
    venue:
      row.venueLat !== null && row.venueLng !== null && row.venueRadiusM !== null
        ? { lat: row.venueLat, lng: row.venueLng, radiusM: row.venueRadiusM }
        : null,
    jointOrgIds: row.jointOrgIds,
    speaker: row.speaker,
    topic: row.topic,
    status: row.status as MeetingStatus,
    planKey: row.planKey,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    cancelReason: row.cancelReason,
    counts,
  };
}

export async function loadMeeting(db: Queryable, tenantId: string, id: string): Promise<MeetingRow> {
  const [row] = await db
    .select()
    .from(meeting)
    .where(and(eq(meeting.tenantId, tenantId), eq(meeting.id, id)));
  if (!row) throw notFound();
  return row;
}

async function orgName(db: Queryable, id: string): Promise<string> {
  const [row] = await db.select({ name: org.name }).from(org).where(eq(org.id, id));
  return row?.name ?? '';
}

export async function getMeeting(db: Queryable, scope: Scope, id: string): Promise<Meeting> {
  const row = await loadMeeting(db, scope.tenantId, id);
  return toView(row, await orgName(db, row.orgId), (await countsFor(db, [id])).get(id));
}

// ---- create, plan, edit, cancel ---------------------------------------------

function checkTimes(startsAt: Date, endsAt: Date) {
  if (!(endsAt.getTime() > startsAt.getTime()))
    throw unprocessable(
      '结束时间须晚于开始时间',
      [{ field: 'endsAt', message: '结束时间须晚于开始时间' }],
      'MEETING_ENDS_BEFORE_START',
    );
  if (endsAt.getTime() - startsAt.getTime() > 3 * 24 * HOUR)
    throw unprocessable(
      '一次会议或活动不能超过 3 天',
      [{ field: 'endsAt', message: '一次会议或活动不能超过 3 天' }],
      'MEETING_TOO_LONG',
    );
}

function checkKindForOrg(kind: MeetingKind, target: OrgRef) {
  if (kind === 'group' && target.kind !== 'group')
    throw unprocessable(
      '党小组会须由党小组召开',
      [{ field: 'orgId', message: `「${target.name}」不是党小组` }],
      'MEETING_KIND_NOT_FOR_ORG',
    );
  if (target.kind === 'group' && !['group', 'lecture'].includes(kind))
    throw unprocessable(
      `党小组不能召开「${MEETING_KIND_LABELS[kind]}」`,
      [{ field: 'kind', message: '党小组可召开党小组会或党课' }],
      'MEETING_KIND_NOT_FOR_ORG',
    );
}

async function checkJointOrgs(
  db: Queryable,
  tenantId: string,
  self: string,
  ids: string[] | undefined,
): Promise<string[]> {
  const unique = [...new Set(ids ?? [])].filter((id) => id !== self);
  if (unique.length === 0) return [];
  const rows = await db
    .select({ id: org.id })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), inArray(org.id, unique), isNull(org.dissolvedAt)));
  if (rows.length !== unique.length)
    throw unprocessable(
      '联合开展活动的组织不存在',
      [{ field: 'jointOrgIds', message: '包含不存在或已撤销的组织' }],
      'JOINT_ORG_NOT_FOUND',
    );
  return unique;
}

const venueColumns = (v: MeetingInput['venue']) =>
  v === undefined ? {} : { venueLat: v?.lat ?? null, venueLng: v?.lng ?? null, venueRadiusM: v?.radiusM ?? null };

export async function createMeeting(db: Db, scope: Scope, input: MeetingInput): Promise<Meeting> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkTimes(startsAt, endsAt);
  checkKindForOrg(input.kind, scope.org);
  const jointOrgIds = await checkJointOrgs(db, scope.tenantId, scope.org.id, input.jointOrgIds);
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(meeting)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        kind: input.kind,
        title: input.title,
        startsAt,
        endsAt,
        location: input.location,
        agenda: input.agenda ?? null,
        ...venueColumns(input.venue),
        jointOrgIds,
        speaker: input.speaker ?? null,
        topic: input.topic ?? null,
        status: 'planned',
        createdBy: scope.actor.userId,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'meeting.create',
      entityType: 'meeting',
      entityId: created!.id,
      org: scope.org,
      after: input,
    });
    return created!;
  });
  return toView(row, scope.org.name);
}

export type MeetingFilter = {
  kind?: MeetingKind | undefined;
  status?: MeetingStatus | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
};

/** Meetings of the scope org and its subtree; from/to are China dates (inclusive). */
export async function listMeetings(db: Queryable, scope: Scope, f: MeetingFilter, page: number, pageSize: number) {
  const conds: SQL[] = [eq(meeting.tenantId, scope.tenantId), like(org.path, `${scope.org.path}%`)];
  if (f.kind) conds.push(eq(meeting.kind, f.kind));
  if (f.status) conds.push(eq(meeting.status, f.status));
  if (f.from) conds.push(gte(meeting.startsAt, new Date(`${f.from}T00:00:00+08:00`)));
  if (f.to) conds.push(lt(meeting.startsAt, new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 24 * HOUR)));
  if (f.q) conds.push(sql`${meeting.title} ilike ${`%${f.q.replace(/[\\%_]/g, '\\$&')}%`}`);
  const where = and(...conds);
  const [rows, [count]] = await Promise.all([
    db
      .select({ m: meeting, orgName: org.name })
      .from(meeting)
      .innerJoin(org, eq(org.id, meeting.orgId))
      .where(where)
      .orderBy(desc(meeting.startsAt), asc(meeting.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(meeting)
      .innerJoin(org, eq(org.id, meeting.orgId))
      .where(where),
  ]);
  const counts = await countsFor(
    db,
    rows.map((r) => r.m.id),
  );
  return { items: rows.map((r) => toView(r.m, r.orgName, counts.get(r.m.id))), total: count?.n ?? 0 };
}

export async function updateMeeting(db: Db, scope: Scope, id: string, patch: MeetingPatch): Promise<Meeting> {
  const jointOrgIds =
    patch.jointOrgIds === undefined
      ? undefined
      : await checkJointOrgs(db, scope.tenantId, scope.org.id, patch.jointOrgIds);
  const row = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(meeting)
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, id)))
      .for('update');
    if (!before) throw notFound();
    if (before.status === 'cancelled') throw conflict('会议已取消，不能修改', 'MEETING_CANCELLED');
    const startsAt = patch.startsAt ? new Date(patch.startsAt) : before.startsAt;
    const endsAt = patch.endsAt ? new Date(patch.endsAt) : before.endsAt;
    checkTimes(startsAt, endsAt);
    if (
      before.status === 'held' &&
      (startsAt.getTime() !== before.startsAt.getTime() || endsAt.getTime() !== before.endsAt.getTime())
    )
      throw conflict('会议已召开并有会议记录，不能再修改时间', 'MEETING_HELD');
    const [updated] = await tx
      .update(meeting)
      .set({
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.location !== undefined && { location: patch.location }),
        ...(patch.agenda !== undefined && { agenda: patch.agenda }),
        ...(patch.speaker !== undefined && { speaker: patch.speaker }),
        ...(patch.topic !== undefined && { topic: patch.topic }),
        ...venueColumns(patch.venue),
        ...(jointOrgIds !== undefined && { jointOrgIds }),
        startsAt,
        endsAt,
        updatedAt: clockNow(),
      })
      .where(eq(meeting.id, id))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'meeting.update',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      before: toView(before, scope.org.name),
      after: patch,
    });
    return updated!;
  });
  return getMeeting(db, scope, row.id);
}

export async function cancelMeeting(db: Db, scope: Scope, id: string, reason: string): Promise<Meeting> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(meeting)
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, id)))
      .for('update');
    if (!before) throw notFound();
    if (before.status === 'cancelled') throw conflict('会议已经取消', 'MEETING_CANCELLED');
    if (before.status === 'held') throw conflict('会议已召开并有会议记录，不能取消', 'MEETING_HELD');
    await tx
      .update(meeting)
      .set({ status: 'cancelled', cancelledAt: clockNow(), cancelReason: reason, updatedAt: clockNow() })
      .where(eq(meeting.id, id));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.cancel',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      before: { status: before.status },
      after: { status: 'cancelled', reason },
    });
  });
  return getMeeting(db, scope, id);
}

const pad = (n: number) => String(n).padStart(2, '0');
const QUARTER_NAMES = ['一', '二', '三', '四'];

/**
 * The yearly plan from the cadence table: one planned meeting per rule and period, on the rule's
 * usual day (theme day on the org's fixed day), for the org and each of its party groups.
 * Periods already past are skipped, and so is a period that already has a meeting of the kind (planned,
 * published or held — by hand or by an earlier run); meetings already planned are kept as they
 * are, so running it again only fills gaps and never undoes a secretary's adjusted dates.
 */
export async function generatePlan(
  db: Db,
  scope: Scope,
  body: { year: number; themeDay: number; location: string },
  today = chinaDate(clockNow()),
) {
  if (!['branch', 'general_branch'].includes(scope.org.kind))
    throw unprocessable(
      '年度计划按党支部（党总支）生成',
      [{ field: 'id', message: `「${scope.org.name}」不是党支部或党总支` }],
      'PLAN_ORG_KIND',
    );
  const groups = await db
    .select({ id: org.id, name: org.name })
    .from(org)
    .where(and(eq(org.parentId, scope.org.id), eq(org.kind, 'group'), isNull(org.dissolvedAt)));
  // Meetings already on the calendar this year (held, published or planned by hand): a period that
  // already has a meeting of a kind gets no second one from the plan.
  const existing = await db
    .select({ orgId: meeting.orgId, kind: meeting.kind, startsAt: meeting.startsAt })
    .from(meeting)
    .where(
      and(
        eq(meeting.tenantId, scope.tenantId),
        inArray(meeting.orgId, [scope.org.id, ...groups.map((g) => g.id)]),
        sql`${meeting.status} <> 'cancelled'`,
        gte(meeting.startsAt, new Date(`${body.year}-01-01T00:00:00+08:00`)),
        lt(meeting.startsAt, new Date(`${body.year + 1}-01-01T00:00:00+08:00`)),
      ),
    );
  const periodOf = (grain: 'month' | 'quarter' | 'year', month: number) =>
    grain === 'month' ? month : grain === 'quarter' ? Math.ceil(month / 3) : 0;
  const taken = (orgId: string, kind: string, grain: 'month' | 'quarter' | 'year', month: number) =>
    existing.some(
      (e) =>
        e.orgId === orgId &&
        e.kind === kind &&
        periodOf(grain, Number(chinaDate(e.startsAt).slice(5, 7))) === periodOf(grain, month),
    );
  type Planned = typeof meeting.$inferInsert;
  const rows: Planned[] = [];
  let alreadyThere = 0;
  for (const rule of CADENCE_RULES) {
    if (!rule.plan || rule.local) continue;
    const kind = rule.counts[0] === 'lecture_secretary' ? 'lecture' : (rule.counts[0] as MeetingKind);
    const targets = rule.level === 'group' ? groups : [{ id: scope.org.id, name: scope.org.name }];
    for (const target of targets) {
      for (const month of rule.plan.months) {
        const day = rule.plan.day === 'theme_day' ? body.themeDay : rule.plan.day;
        const date = `${body.year}-${pad(month)}-${pad(day)}`;
        if (date < today) continue;
        if (taken(target.id, kind, rule.grain, month)) {
          alreadyThere += 1;
          continue;
        }
        const q = Math.ceil(month / 3);
        const title =
          rule.grain === 'quarter'
            ? `${body.year}年第${QUARTER_NAMES[q - 1]}季度${MEETING_KIND_LABELS[kind]}`
            : rule.grain === 'year'
              ? `${body.year}年度${rule.rule === 'secretary_lecture_yearly' ? '书记讲党课' : MEETING_KIND_LABELS[kind]}`
              : `${month}月${MEETING_KIND_LABELS[kind]}`;
        rows.push({
          tenantId: scope.tenantId,
          orgId: target.id,
          kind,
          title: rule.level === 'group' ? `${target.name}${title}` : title,
          startsAt: new Date(`${date}T${rule.plan.start}:00+08:00`),
          endsAt: new Date(`${date}T${rule.plan.end}:00+08:00`),
          location: body.location,
          status: 'planned',
          planKey: `${body.year}:${rule.rule}:${pad(month)}`,
          speaker: rule.rule === 'secretary_lecture_yearly' ? '党支部书记' : null,
          createdBy: scope.actor.userId,
        });
      }
    }
  }
  return db.transaction(async (tx) => {
    const created = rows.length
      ? await tx.insert(meeting).values(rows).onConflictDoNothing().returning({ id: meeting.id })
      : [];
    await writeAudit(tx, scope.actor, {
      action: 'meeting.plan',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      after: {
        year: body.year,
        themeDay: body.themeDay,
        created: created.length,
        skipped: alreadyThere + rows.length - created.length,
        ids: created.map((c) => c.id),
      },
    });
    return { year: body.year, created: created.length, skipped: alreadyThere + rows.length - created.length };
  });
}

// ---- notice and answers -----------------------------------------------------

/** Paths whose members belong to the meeting: its org's subtree and the joint orgs' subtrees. */
async function memberPaths(db: Queryable, m: MeetingRow): Promise<string[]> {
  const rows = await db
    .select({ path: org.path })
    .from(org)
    .where(inArray(org.id, [m.orgId, ...m.jointOrgIds]));
  return rows.map((r) => r.path);
}
const inPaths = (paths: string[]) => or(...paths.map((p) => like(org.path, `${p}%`)))!;

/** The member, when they may take part: active, and in the org (or a joint org), or invited by name. */
async function participant(
  db: Queryable,
  m: MeetingRow,
  memberId: string,
): Promise<{ id: string; orgId: string; name: string } | null> {
  const paths = await memberPaths(db, m);
  const [row] = await db
    .select({ id: member.id, orgId: member.orgId, name: member.name })
    .from(member)
    .innerJoin(org, eq(org.id, member.orgId))
    .where(
      and(
        eq(member.tenantId, m.tenantId),
        eq(member.id, memberId),
        isNull(member.leftAt),
        or(
          inPaths(paths),
          sql`exists (select 1 from meeting_attendance a where a.meeting_id = ${m.id} and a.member_id = ${member.id} and a.invited)`,
        ),
      ),
    );
  return row ?? null;
}

export async function publishMeeting(
  db: Db,
  scope: Scope,
  id: string,
  body: { memberIds?: string[] | undefined },
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
    const paths = await memberPaths(tx, m);
    const conds = [eq(member.tenantId, scope.tenantId), isNull(member.leftAt), inPaths(paths)];
    const wanted = body.memberIds ? [...new Set(body.memberIds)] : null;
    if (wanted) conds.push(inArray(member.id, wanted));
    const invitees = await tx
      .select({ id: member.id, orgId: member.orgId })
      .from(member)
      .innerJoin(org, eq(org.id, member.orgId))
      .where(and(...conds));
    if (wanted && invitees.length !== wanted.length) {
      const found = new Set(invitees.map((i) => i.id));
      const missing = wanted.filter((w) => !found.has(w));
      throw unprocessable(
        '通知名单中有党员不属于本组织（或联合组织）',
        missing.map((memberId) => ({ field: 'memberIds', memberId, message: '不属于本组织或已不在册' })),
        'MEMBER_NOT_IN_ORG',
      );
    }
    if (invitees.length === 0) throw unprocessable('本组织没有在册党员，无法发布通知', undefined, 'NO_MEMBERS');
    await tx
      .insert(meetingAttendance)
      .values(invitees.map((i) => ({ tenantId: scope.tenantId, meetingId: id, memberId: i.id, orgId: i.orgId })))
      .onConflictDoUpdate({
        target: [meetingAttendance.meetingId, meetingAttendance.memberId],
        set: { invited: true },
      });
    await tx
      .update(meeting)
      .set({ status: 'published', publishedAt: m.publishedAt ?? clockNow(), updatedAt: clockNow() })
      .where(eq(meeting.id, id));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.publish',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      after: { invited: invitees.length, memberIds: wanted },
    });
  });
  return getMeeting(db, scope, id);
}

const attendanceColumns = {
  a: meetingAttendance,
  memberName: member.name,
  memberOrgName: org.name,
};

export function attendanceView(r: { a: AttendanceRow; memberName: string; memberOrgName: string }): Attendance {
  const a = r.a;
  return {
    id: a.id,
    meetingId: a.meetingId,
    memberId: a.memberId,
    memberName: r.memberName,
    orgId: a.orgId,
    orgName: r.memberOrgName,
    invited: a.invited,
    response: a.response as Attendance['response'],
    leaveReason: a.leaveReason,
    respondedAt: a.respondedAt?.toISOString() ?? null,
    checkedInAt: a.checkedInAt?.toISOString() ?? null,
    checkinMethod: a.checkinMethod as Attendance['checkinMethod'],
    late: a.late,
    absentReason: a.absentReason,
    makeupDoneAt: a.makeupDoneAt?.toISOString() ?? null,
    makeupReflection: a.makeupReflection,
  };
}

async function attendanceById(db: Queryable, id: string): Promise<Attendance> {
  const [row] = await db
    .select(attendanceColumns)
    .from(meetingAttendance)
    .innerJoin(member, eq(member.id, meetingAttendance.memberId))
    .innerJoin(org, eq(org.id, meetingAttendance.orgId))
    .where(eq(meetingAttendance.id, id));
  if (!row) throw notFound();
  return attendanceView(row);
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
  const [rows, [count]] = await Promise.all([
    db
      .select(attendanceColumns)
      .from(a)
      .innerJoin(member, eq(member.id, a.memberId))
      .innerJoin(org, eq(org.id, a.orgId))
      .where(where)
      .orderBy(asc(org.path), asc(member.name), asc(a.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(a)
      .where(where),
  ]);
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
    .where(eq(a.meetingId, meetingId));
  return { items: rows.map(attendanceView), total: count?.n ?? 0, summary: { ...summary!, held: m.status === 'held' } };
}

/** The caller acts on their own invitation; a secretary in scope may act for a member. */
async function ownInvitation(db: Queryable, scope: Scope, attendanceId: string): Promise<AttendanceRow> {
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
      .where(eq(meetingAttendance.id, inv.id));
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

// ---- sign-in ----------------------------------------------------------------

export type CheckinInput = { memberId: string } | { token: string; lat?: number | undefined; lng?: number | undefined };

/**
 * Signs a member in: by the secretary for a named member, or by the member with the QR token
 * of the venue screen (and their position when the meeting has a geofence). Signing in twice
 * answers the first sign-in unchanged.
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
  let method: 'qr' | 'manual';
  if ('memberId' in body) {
    if (!isManager(scope)) throw forbidden('只有书记或管理员可以代为签到', 'CHECKIN_MANUAL_FORBIDDEN');
    memberId = body.memberId;
    method = 'manual';
  } else {
    const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
    if (!self) throw unprocessable('您的账号未关联党员信息，请联系支部书记代为签到', undefined, 'NOT_A_MEMBER');
    verifyCheckinToken(key, m.id, body.token, now);
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
  if (existing?.checkedInAt) return { ...(await attendanceById(db, existing.id)), alreadySignedIn: true };

  const opens = m.startsAt.getTime() - CHECKIN_OPENS_MINUTES_BEFORE * 60_000;
  // A secretary may enter a paper sign-in sheet up to three days after the meeting.
  const closes = m.endsAt.getTime() + (method === 'manual' ? 72 * HOUR : 0);
  if (now.getTime() < opens || now.getTime() > closes)
    throw unprocessable(
      `不在签到时间内：签到时间为 ${chinaDateTime(new Date(opens))} 至 ${chinaDateTime(new Date(closes))}`,
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
  const late = now.getTime() > m.startsAt.getTime() + CHECKIN_LATE_GRACE_MINUTES * 60_000;
  const result = await db.transaction(async (tx) => {
    await tx
      .insert(meetingAttendance)
      .values({ tenantId: scope.tenantId, meetingId: m.id, memberId, orgId: p.orgId, invited: false })
      .onConflictDoNothing();
    const [signed] = await tx
      .update(meetingAttendance)
      .set({
        checkedInAt: now,
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
      after: { meetingId: m.id, memberId, method, late, at: now.toISOString() },
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

// ---- minutes ----------------------------------------------------------------

export type MinutesInput = {
  host: string;
  recorder: string;
  agenda: string;
  content: string;
  resolutions: string[];
  absentReasons: Record<string, string>;
  speaker?: string | undefined;
  topic?: string | undefined;
  speakerIsSecretary: boolean;
};

/** Records (or corrects) the minutes; the first record marks the meeting as held and counts it. */
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
    const absentIds = Object.keys(input.absentReasons);
    if (absentIds.length) {
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
    if (m.status !== 'held')
      await tx.update(meeting).set({ status: 'held', updatedAt: now }).where(eq(meeting.id, m.id));
    await writeAudit(tx, scope.actor, {
      action: before ? 'meeting.minutes.update' : 'meeting.minutes.create',
      entityType: 'meeting',
      entityId: m.id,
      org: scope.org,
      before: before ?? null,
      after: input,
    });
  });
  return getMinutes(db, scope.tenantId, meetingId);
}

export async function getMinutes(db: Queryable, tenantId: string, meetingId: string) {
  const m = await loadMeeting(db, tenantId, meetingId);
  const [mins] = await db.select().from(meetingMinutes).where(eq(meetingMinutes.meetingId, meetingId));
  const people = await db
    .select(attendanceColumns)
    .from(meetingAttendance)
    .innerJoin(member, eq(member.id, meetingAttendance.memberId))
    .innerJoin(org, eq(org.id, meetingAttendance.orgId))
    .where(eq(meetingAttendance.meetingId, meetingId))
    .orderBy(asc(org.path), asc(member.name))
    .limit(5000);
  const views = people.map(attendanceView);
  const attendees = views
    .filter((v) => v.checkedInAt)
    .map((v) => ({
      memberId: v.memberId,
      name: v.memberName,
      checkedInAt: v.checkedInAt!,
      late: v.late,
      method: v.checkinMethod,
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
    speaker: mins?.speaker ?? m.speaker,
    topic: mins?.topic ?? m.topic,
    speakerIsSecretary: mins?.speakerIsSecretary ?? false,
    recordedAt: mins?.recordedAt.toISOString() ?? null,
    due: views.filter((v) => v.invited).length,
    present: attendees.length,
    attendees,
    absentees,
  };
}
export type MinutesView = Awaited<ReturnType<typeof getMinutes>>;

// ---- the member's side: invitations, 补学, participation ----------------------

const invitationColumns = {
  ...attendanceColumns,
  m: meeting,
  hostOrgName: sql<string>`(select name from org h where h.id = ${meeting.orgId})`,
};
type InvitationRow = {
  a: AttendanceRow;
  memberName: string;
  memberOrgName: string;
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
      gte(meeting.startsAt, new Date(`${year}-01-01T00:00:00+08:00`)),
      lt(meeting.startsAt, new Date(`${year + 1}-01-01T00:00:00+08:00`)),
    );
  const where = and(...conds);
  const base = () =>
    db
      .select(invitationColumns)
      .from(a)
      .innerJoin(meeting, eq(meeting.id, a.meetingId))
      .innerJoin(member, eq(member.id, a.memberId))
      .innerJoin(org, eq(org.id, a.orgId));
  const [rows, [count], [summary]] = await Promise.all([
    base()
      .where(where)
      .orderBy(filter === 'upcoming' ? asc(meeting.startsAt) : desc(meeting.startsAt), asc(a.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(a)
      .innerJoin(meeting, eq(meeting.id, a.meetingId))
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
      .innerJoin(meeting, eq(meeting.id, a.meetingId))
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
    .innerJoin(meeting, eq(meeting.id, meetingAttendance.meetingId))
    .innerJoin(member, eq(member.id, meetingAttendance.memberId))
    .innerJoin(org, eq(org.id, meetingAttendance.orgId))
    .where(eq(meetingAttendance.id, inv.id));
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
        .where(eq(meetingFile.meetingId, inv.meetingId))
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
    .where(and(eq(meetingFile.id, fileId), eq(meetingFile.meetingId, inv.meetingId)));
  if (!f) throw notFound();
  return f;
}

export async function confirmMakeup(db: Db, scope: Scope, attendanceId: string, reflection: string) {
  const inv = await ownInvitation(db, scope, attendanceId);
  const m = await loadMeeting(db, scope.tenantId, inv.meetingId);
  if (m.status !== 'held')
    throw unprocessable('会议尚未召开（没有会议记录），暂无补学材料', undefined, 'MEETING_NOT_HELD');
  if (inv.checkedInAt) throw conflict('您已参加本次会议，无需补学', 'ATTENDED');
  if (!inv.invited) throw unprocessable('您不在本次会议的通知名单中', undefined, 'NOT_INVITED');
  if (inv.makeupDoneAt) throw conflict('已确认补学，无需重复提交', 'MAKEUP_DONE');
  await db.transaction(async (tx) => {
    await tx
      .update(meetingAttendance)
      .set({ makeupDoneAt: clockNow(), makeupReflection: reflection })
      .where(eq(meetingAttendance.id, inv.id));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.makeup',
      entityType: 'meeting_attendance',
      entityId: inv.id,
      org: scope.org,
      after: { meetingId: m.id, memberId: inv.memberId, reflection },
    });
  });
  return attendanceById(db, inv.id);
}

// ---- 谈心谈话 -----------------------------------------------------------------

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
