/** Meetings themselves: create, plan a year, edit, cancel; the views and the compliance counters. */
import { inSubtree } from '../../platform/access';
import {
  addDays,
  CADENCE_RULES,
  chinaDate,
  chinaDayStart,
  type Meeting,
  MEETING_KIND_LABELS,
  type MeetingInput,
  type MeetingKind,
  type MeetingMode,
  type MeetingPatch,
  type MeetingStatus,
  now as clockNow,
  ONLINE_SERVICE_LABELS,
  type OnlineJoin,
  type OnlineService,
  RECORD_KEEPERS,
  type TallyKind,
} from '@xianfeng/shared';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { pathsWith, within } from './attendance';
import { meeting, meetingAttendance, meetingTally } from './schema';
import { meetingCancelled, meetingChanged } from './notice';
import { countFrom, pageWhere } from '../../platform/paging';

export type MeetingRow = typeof meeting.$inferSelect;
export const HOUR = 3600_000;
/** The first day of the meeting's month in China time, the key of the compliance counters. */
export const chinaMonth = (d: Date) => `${new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 7)}-01`;
// The Beijing date of an instant is the shared clock's (packages/shared clock.ts).
export { chinaDate };
const chinaTime = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(11, 16);
export const chinaDateTime = (d: Date) => `${chinaDate(d)} ${chinaTime(d)}`;
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
export const tallyKindsOf = (kind: string, speakerIsSecretary: boolean): TallyKind[] =>
  kind === 'lecture' && speakerIsSecretary ? ['lecture', 'lecture_secretary'] : [kind as MeetingKind];

// ---- views ------------------------------------------------------------------

type Counts = Meeting['counts'];
const NO_COUNTS: Counts = { invited: 0, confirmed: 0, leave: 0, pending: 0, signedIn: 0, late: 0 };

async function countsFor(db: Queryable, tenantId: string, ids: string[]): Promise<Map<string, Counts>> {
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
    .where(and(eq(meetingAttendance.tenantId, tenantId), inArray(meetingAttendance.meetingId, ids)))
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
    mode: row.mode as MeetingMode,
    online:
      row.mode !== 'in_person' && row.onlineLink && row.onlineNumber && row.onlineService
        ? {
            service: row.onlineService,
            serviceLabel: ONLINE_SERVICE_LABELS[row.onlineService as OnlineService] ?? row.onlineService,
            link: row.onlineLink,
            number: row.onlineNumber,
          }
        : null,
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

async function orgName(db: Queryable, tenantId: string, id: string): Promise<string> {
  const [row] = await db
    .select({ name: org.name })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  return row?.name ?? '';
}

export async function getMeeting(db: Queryable, scope: Scope, id: string): Promise<Meeting> {
  const row = await loadMeeting(db, scope.tenantId, id);
  return toView(row, await orgName(db, scope.tenantId, row.orgId), (await countsFor(db, scope.tenantId, [id])).get(id));
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

/**
 * Joint orgs must exist and each be within the caller's authority (a manager binding covering
 * it): a joint activity invites, lists and signs in the joint orgs' members, so naming an org
 * above or beside one's own would reach people outside one's scope (security review #14,
 * finding 1). Checked on create and update, and again on publish.
 */
export async function checkJointOrgs(db: Queryable, scope: Scope, ids: string[] | undefined): Promise<string[]> {
  const unique = [...new Set(ids ?? [])].filter((id) => id !== scope.org.id);
  if (unique.length === 0) return [];
  const rows = await db
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), inArray(org.id, unique), isNull(org.dissolvedAt)));
  const managed = pathsWith(scope, RECORD_KEEPERS);
  const outside = rows.filter((r) => !within(managed, r.path));
  const missing = rows.length !== unique.length;
  // An org outside the caller's authority and one that does not exist answer alike, naming neither — so
  // the check cannot tell whether an org exists or what it is called (finding 13). Only a caller whose
  // authority covers the whole tenant is told plainly that an org does not exist.
  const coversTenant = managed.some((p) => p.split('/').filter(Boolean).length === 1);
  if (outside.length || (missing && !coversTenant))
    throw forbidden(
      '无权与所选的组织联合开展活动：须对每个联合组织都有管理权限，请由共同的上级党组织发起',
      'JOINT_ORG_FORBIDDEN',
    );
  if (missing)
    throw unprocessable(
      '联合开展活动的组织不存在',
      [{ field: 'jointOrgIds', message: '包含不存在或已撤销的组织' }],
      'JOINT_ORG_NOT_FOUND',
    );
  return unique;
}

/**
 * The meeting's mode and its video link (issue #27): an online or hybrid meeting needs the link and number of
 * the enterprise's video service; an in-person one carries none. `before`: the stored values a patch changes.
 */
function modeColumns(
  mode: MeetingMode | undefined,
  online: OnlineJoin | null | undefined,
  before?: { mode: string; onlineService: string | null; onlineLink: string | null; onlineNumber: string | null },
) {
  if (mode === undefined && online === undefined) return {};
  const m = (mode ?? before?.mode ?? 'in_person') as MeetingMode;
  const join =
    online === undefined
      ? before?.onlineLink && before.onlineNumber && before.onlineService
        ? { service: before.onlineService, link: before.onlineLink, number: before.onlineNumber }
        : null
      : online;
  if (m === 'in_person') return { mode: m, onlineService: null, onlineLink: null, onlineNumber: null };
  if (!join)
    throw unprocessable(
      '线上或现场 + 线上的会议须填写视频会议的入会链接和会议号',
      [{ field: 'online', message: '请填写视频会议、入会链接和会议号' }],
      'MEETING_ONLINE_LINK_REQUIRED',
    );
  return { mode: m, onlineService: join.service, onlineLink: join.link, onlineNumber: join.number };
}

const venueColumns = (v: MeetingInput['venue']) =>
  v === undefined ? {} : { venueLat: v?.lat ?? null, venueLng: v?.lng ?? null, venueRadiusM: v?.radiusM ?? null };

export async function createMeeting(db: Db, scope: Scope, input: MeetingInput): Promise<Meeting> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkTimes(startsAt, endsAt);
  checkKindForOrg(input.kind, scope.org);
  const jointOrgIds = await checkJointOrgs(db, scope, input.jointOrgIds);
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
        ...modeColumns(input.mode, input.online),
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
  /** Soonest first (what is coming up) instead of latest first. */
  soonest?: boolean | undefined;
};

/** Meetings of the scope org and its subtree; from/to are China dates (inclusive). */
export async function listMeetings(db: Queryable, scope: Scope, f: MeetingFilter, page: number, pageSize: number) {
  const conds: SQL[] = [eq(meeting.tenantId, scope.tenantId), inSubtree(org.path, scope.org.path)];
  if (f.kind) conds.push(eq(meeting.kind, f.kind));
  if (f.status) conds.push(eq(meeting.status, f.status));
  if (f.from) conds.push(gte(meeting.startsAt, chinaDayStart(f.from)));
  if (f.to) conds.push(lt(meeting.startsAt, chinaDayStart(addDays(f.to, 1))));
  if (f.q) conds.push(sql`${meeting.title} ilike ${`%${f.q.replace(/[\\%_]/g, '\\$&')}%`}`);
  const where = and(...conds);
  const { items: rows, total } = await pageWhere(
    db
      .select({ m: meeting, orgName: org.name })
      .from(meeting)
      .innerJoin(org, onKey(org, meeting.orgId, meeting))
      .$dynamic(),
    countFrom(db, meeting).innerJoin(org, onKey(org, meeting.orgId, meeting)),
    where,
    [f.soonest ? asc(meeting.startsAt) : desc(meeting.startsAt), asc(meeting.id)],
    page,
    pageSize,
  );
  const counts = await countsFor(
    db,
    scope.tenantId,
    rows.map((r) => r.m.id),
  );
  return { items: rows.map((r) => toView(r.m, r.orgName, counts.get(r.m.id))), total };
}

export async function updateMeeting(db: Db, scope: Scope, id: string, patch: MeetingPatch): Promise<Meeting> {
  const jointOrgIds = patch.jointOrgIds === undefined ? undefined : await checkJointOrgs(db, scope, patch.jointOrgIds);
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
        ...modeColumns(patch.mode, patch.online, before),
        ...(jointOrgIds !== undefined && { jointOrgIds }),
        startsAt,
        endsAt,
        updatedAt: clockNow(),
      })
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, id)))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'meeting.update',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      before: toView(before, scope.org.name),
      after: patch,
    });
    // A published meeting at a new time or place: the invited hear of it, and the reminders follow (issue #17).
    if (updated!.status === 'published') await meetingChanged(tx, before, updated!);
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
      .where(and(eq(meeting.tenantId, scope.tenantId), eq(meeting.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'meeting.cancel',
      entityType: 'meeting',
      entityId: id,
      org: scope.org,
      before: { status: before.status },
      after: { status: 'cancelled', reason },
    });
    if (before.status === 'published') await meetingCancelled(tx, before, reason);
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
        gte(meeting.startsAt, chinaDayStart(`${body.year}-01-01`)),
        lt(meeting.startsAt, chinaDayStart(`${body.year + 1}-01-01`)),
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
