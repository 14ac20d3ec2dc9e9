/**
 * 网上课堂/讲座 (issue #19): online lectures of an org for its subtree, with a moderated live Q&A.
 *
 * Who does what:
 * - the hosting org's record keepers (书记, admins bound at or above it) create, edit, upload the video,
 *   publish (the notice goes to the subtree's members) and moderate questions — the routes' access names
 *   the lecture's org, so the platform's one scope check decides (a question of another org's lecture: 404);
 * - a published lecture is seen on the line through the caller's org (members below the hosting org), and by
 *   the managers above; a draft only by the hosting org's keepers/readers;
 * - during its time (the shared clock) a member of the subtree joins — once, recorded here and as 党课
 *   attendance of the member's own org through meeting/service `recordOnlineLecture` — and asks questions;
 *   outside it, asking and joining answer 409;
 * - a question is seen by everyone once approved; before, only by its asker and the moderators.
 * Every change of a question signals `xf_lecture` (pg_notify, delivered at commit to every server process);
 * the open rooms' streams (lectures-stream.ts) re-read the lecture's questions.
 */
import {
  chinaDateTimeLabel,
  inGroup,
  LECTURE_MAX_HOURS,
  now,
  RECORD_READERS,
  type LectureInput,
  type LecturePatch,
  type LectureStatus,
  type LectureView,
  type LectureQuestionStatus,
  type LectureQuestion,
} from '@xianfeng/shared';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { pathPrefixes, type Caller, type OrgRef, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import type { StoredFile } from '../../platform/files';
import { countFrom, pageWhere } from '../../platform/paging';
import { org } from '../../platform/schema';
import { recordOnlineLecture } from '../meeting/service';
import { memberOfUser, member } from '../member/service';
import { notify } from '../notify/service';
import { mediaLecture, mediaLectureAttendance, mediaLectureQuestion } from './schema';
import { activeMembersUnder, inList, keeps, readsOrg, throughCaller } from './service';

type LectureRow = typeof mediaLecture.$inferSelect;
type QuestionRow = typeof mediaLectureQuestion.$inferSelect;
const HOUR = 3_600_000;

export const lectureSource = (id: string) => `media.lecture:${id}`;
/** The question stream's signal: at commit, every process re-reads the lecture's questions. */
export const signalLecture = (tx: Queryable, lectureId: string) =>
  tx.execute(sql`select pg_notify('xf_lecture', ${lectureId})`);

// ---------------------------------------------------------------- access lookups

async function lectureOrg(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ orgId: mediaLecture.orgId, status: mediaLecture.status, path: org.path })
    .from(mediaLecture)
    .innerJoin(org, onKey(org, mediaLecture.orgId, mediaLecture))
    .where(and(eq(mediaLecture.tenantId, tenantId), eq(mediaLecture.id, id)));
  return row ?? null;
}

/** Watching: a published lecture is reached through the caller's own org below it; otherwise its own org. */
export async function orgOfLecture(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const row = await lectureOrg(db, tenantId, id);
  if (row && row.status !== 'published') return row.orgId;
  return throughCaller(db, tenantId, row, caller);
}
/** Editing and moderating: the hosting org — its record keepers. */
export async function hostOrgOfLecture(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await lectureOrg(db, tenantId, id))?.orgId ?? null;
}
/** Moderating a question: the hosting org of its lecture. */
export async function hostOrgOfQuestion(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const [row] = await db
    .select({ orgId: mediaLecture.orgId })
    .from(mediaLectureQuestion)
    .innerJoin(mediaLecture, onKey(mediaLecture, mediaLectureQuestion.lectureId, mediaLectureQuestion))
    .where(and(eq(mediaLectureQuestion.tenantId, tenantId), eq(mediaLectureQuestion.id, id)));
  return row?.orgId ?? null;
}

// ---------------------------------------------------------------- lectures

const phaseOf = (l: Pick<LectureRow, 'startsAt' | 'endsAt'>, at = now()): LectureView['phase'] =>
  at.getTime() < l.startsAt.getTime() ? 'before' : at.getTime() > l.endsAt.getTime() ? 'ended' : 'live';

function checkTimes(startsAt: Date, endsAt: Date) {
  if (!(endsAt.getTime() > startsAt.getTime()))
    throw unprocessable(
      '结束时间须晚于开始时间',
      [{ field: 'endsAt', message: '结束时间须晚于开始时间' }],
      'LECTURE_ENDS_BEFORE_START',
    );
  if (endsAt.getTime() - startsAt.getTime() > LECTURE_MAX_HOURS * HOUR)
    throw unprocessable(
      `一场讲座不能超过 ${LECTURE_MAX_HOURS} 小时`,
      [{ field: 'endsAt', message: `不能超过 ${LECTURE_MAX_HOURS} 小时` }],
      'LECTURE_TOO_LONG',
    );
}

const auditView = (r: Partial<LectureRow>) => ({
  title: r.title,
  speaker: r.speaker,
  startsAt: r.startsAt?.toISOString(),
  endsAt: r.endsAt?.toISOString(),
  streamUrl: r.streamUrl,
  video: r.videoName ?? null,
  status: r.status,
});

export async function createLecture(db: Db, scope: Scope, input: LectureInput): Promise<LectureView> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkTimes(startsAt, endsAt);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaLecture)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        title: input.title.trim(),
        speaker: input.speaker.trim(),
        summary: input.summary.trim(),
        startsAt,
        endsAt,
        streamUrl: input.streamUrl?.trim() || null,
        status: 'draft',
        createdBy: scope.actor.username ?? '系统',
        createdAt: now(),
        updatedAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'media.lecture.create',
      entityType: 'media_lecture',
      entityId: row!.id,
      org: scope.org,
      after: auditView(row!),
    });
    return row!.id;
  });
  return getLecture(db, scope, id);
}

async function lockLecture(tx: Db, tenantId: string, id: string): Promise<LectureRow> {
  const [row] = await tx
    .select()
    .from(mediaLecture)
    .where(and(eq(mediaLecture.tenantId, tenantId), eq(mediaLecture.id, id)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

export async function updateLecture(db: Db, scope: Scope, id: string, patch: LecturePatch): Promise<LectureView> {
  await db.transaction(async (tx) => {
    const before = await lockLecture(tx as unknown as Db, scope.tenantId, id);
    const startsAt = patch.startsAt ? new Date(patch.startsAt) : before.startsAt;
    const endsAt = patch.endsAt ? new Date(patch.endsAt) : before.endsAt;
    checkTimes(startsAt, endsAt);
    const moved = startsAt.getTime() !== before.startsAt.getTime() || endsAt.getTime() !== before.endsAt.getTime();
    if (moved && phaseOf(before) === 'ended') throw conflict('讲座已结束，不能再修改时间', 'LECTURE_ENDED');
    // Joinings are already 党课 records at the old time (meeting module): the time stays as it was.
    if (moved) {
      const [joined] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(mediaLectureAttendance)
        .where(and(eq(mediaLectureAttendance.tenantId, scope.tenantId), eq(mediaLectureAttendance.lectureId, id)));
      if (joined?.n)
        throw conflict(`已有 ${joined.n} 名党员进入课堂并计入党课，不能再修改讲座时间`, 'LECTURE_HAS_ATTENDANCE');
    }
    const set: Partial<LectureRow> = {
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.speaker !== undefined && { speaker: patch.speaker.trim() }),
      ...(patch.summary !== undefined && { summary: patch.summary.trim() }),
      ...(patch.streamUrl !== undefined && { streamUrl: patch.streamUrl?.trim() || null }),
      startsAt,
      endsAt,
      updatedAt: now(),
    };
    await tx
      .update(mediaLecture)
      .set(set)
      .where(and(eq(mediaLecture.tenantId, scope.tenantId), eq(mediaLecture.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'media.lecture.update',
      entityType: 'media_lecture',
      entityId: id,
      org: scope.org,
      before: auditView(before),
      after: auditView({ ...before, ...set }),
    });
  });
  return getLecture(db, scope, id);
}

/** Publishes a draft: it needs a video or a live-stream address; the subtree's members get the notice. */
export async function publishLecture(db: Db, scope: Scope, id: string): Promise<LectureView> {
  await db.transaction(async (tx) => {
    const before = await lockLecture(tx as unknown as Db, scope.tenantId, id);
    if (before.status === 'published') throw conflict('讲座已发布', 'LECTURE_PUBLISHED');
    if (!before.videoKey && !before.streamUrl)
      throw unprocessable(
        '请先上传讲座视频或填写直播地址',
        [{ field: 'streamUrl', message: '视频或直播地址至少一项' }],
        'LECTURE_NO_MEDIA',
      );
    if (phaseOf(before) === 'ended') throw conflict('讲座时间已过，不能发布', 'LECTURE_ENDED');
    await tx
      .update(mediaLecture)
      .set({ status: 'published', publishedAt: now(), updatedAt: now() })
      .where(eq(mediaLecture.id, id));
    const [host] = await tx.select({ name: org.name, path: org.path }).from(org).where(eq(org.id, before.orgId));
    const members = await activeMembersUnder(tx, scope.tenantId, host!.path);
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'media.lecture.notice',
      recipients: { members },
      data: {
        orgName: host!.name,
        title: before.title,
        speaker: before.speaker,
        startsAt: chinaDateTimeLabel(before.startsAt),
      },
      link: `/media/lectures/${id}`,
      orgId: before.orgId,
      dedupeKey: `media.lecture.notice:${id}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'media.lecture.publish',
      entityType: 'media_lecture',
      entityId: id,
      org: scope.org,
      before: { status: before.status },
      after: { status: 'published', notified: members.length },
    });
  });
  return getLecture(db, scope, id);
}

/** Records an uploaded video (the bytes were stored by the platform's `keep`); replaces an earlier one. */
export async function setLectureVideo(db: Db, scope: Scope, id: string, f: StoredFile) {
  return db.transaction(async (tx) => {
    const before = await lockLecture(tx as unknown as Db, scope.tenantId, id);
    await tx
      .update(mediaLecture)
      .set({
        videoKey: f.storageKey,
        videoName: f.fileName,
        videoMime: f.mime,
        videoSize: f.size,
        videoSha256: f.sha256,
        updatedAt: now(),
      })
      .where(eq(mediaLecture.id, id));
    await writeAudit(tx, scope.actor, {
      action: 'media.lecture.video',
      entityType: 'media_lecture',
      entityId: id,
      org: scope.org,
      before: { video: before.videoName },
      after: { fileName: f.fileName, mime: f.mime, size: f.size, sha256: f.sha256 },
    });
    return { id: f.id, fileName: f.fileName, mime: f.mime, size: f.size };
  });
}

async function getRow(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ l: mediaLecture, orgName: org.name, orgPath: org.path })
    .from(mediaLecture)
    .innerJoin(org, onKey(org, mediaLecture.orgId, mediaLecture))
    .where(and(eq(mediaLecture.tenantId, tenantId), eq(mediaLecture.id, id)));
  if (!row) throw notFound();
  return row;
}

/** The caller's member record when it is in the hosting org's subtree (who may attend). */
async function attendeeOf(db: Queryable, scope: Scope, hostPath: string) {
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  return m && !m.leftAt && m.orgPath?.startsWith(hostPath) ? m : null;
}

function view(
  row: Awaited<ReturnType<typeof getRow>>,
  extra: Pick<LectureView, 'attendees' | 'canEdit' | 'canModerate' | 'canAttend' | 'joined'>,
): LectureView {
  const l = row.l;
  return {
    id: l.id,
    orgId: l.orgId,
    orgName: row.orgName,
    title: l.title,
    speaker: l.speaker,
    summary: l.summary,
    startsAt: l.startsAt.toISOString(),
    endsAt: l.endsAt.toISOString(),
    streamUrl: l.streamUrl,
    video: l.videoKey ? { fileName: l.videoName ?? '', mime: l.videoMime ?? '', size: l.videoSize ?? 0 } : null,
    status: l.status as LectureStatus,
    publishedAt: l.publishedAt?.toISOString() ?? null,
    phase: phaseOf(l),
    ...extra,
  };
}

/** A lecture for a signed-in caller; a draft only for the hosting org's keepers and readers. */
export async function getLecture(db: Queryable, scope: Scope, id: string): Promise<LectureView> {
  const row = await getRow(db, scope.tenantId, id);
  const host: OrgRef = { id: row.l.orgId, path: row.orgPath, tenantId: row.l.tenantId, name: row.orgName, kind: '' };
  const bindings = scope.principal.bindings;
  if (row.l.status !== 'published' && !readsOrg(bindings, host)) throw notFound();
  const [me, [count], [joined]] = await Promise.all([
    attendeeOf(db, scope, row.orgPath),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaLectureAttendance)
      .where(and(eq(mediaLectureAttendance.tenantId, scope.tenantId), eq(mediaLectureAttendance.lectureId, id))),
    db
      .select({ at: mediaLectureAttendance.joinedAt })
      .from(mediaLectureAttendance)
      .innerJoin(member, onKey(member, mediaLectureAttendance.memberId, mediaLectureAttendance))
      .where(
        and(
          eq(mediaLectureAttendance.tenantId, scope.tenantId),
          eq(mediaLectureAttendance.lectureId, id),
          eq(member.userId, scope.principal.user.id),
        ),
      ),
  ]);
  return view(row, {
    attendees: count?.n ?? 0,
    canEdit: keeps(bindings, host),
    canModerate: keeps(bindings, host),
    canAttend: row.l.status === 'published' && me !== null,
    joined: Boolean(joined),
  });
}

/** Lectures on the caller's line (hosted at or above their orgs; below too for managers), drafts for keepers. */
export async function listLectures(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const bindings = scope.principal.bindings;
  const up = [...new Set(bindings.flatMap((b) => pathPrefixes(b.org.path)))];
  const down = bindings
    .filter((b) => inGroup(RECORD_READERS, b.role))
    .map((b) => sql`${org.path} like ${`${b.org.path}%`}`);
  const where = and(
    eq(mediaLecture.tenantId, scope.tenantId),
    down.length
      ? sql`((${mediaLecture.status} = 'published' and ${inList(org.path, up)}) or ${sql.join(down, sql` or `)})`
      : sql`(${mediaLecture.status} = 'published' and ${inList(org.path, up)})`,
  );
  const at = now().toISOString();
  const [rows, [count]] = await Promise.all([
    db
      .select({ l: mediaLecture, orgName: org.name, orgPath: org.path })
      .from(mediaLecture)
      .innerJoin(org, onKey(org, mediaLecture.orgId, mediaLecture))
      .where(where)
      // Live and coming ones first (soonest first), then the ended ones (latest first).
      .orderBy(
        sql`(${mediaLecture.endsAt} < ${at}::timestamptz) asc`,
        sql`case when ${mediaLecture.endsAt} >= ${at}::timestamptz then ${mediaLecture.startsAt} end asc`,
        desc(mediaLecture.startsAt),
        asc(mediaLecture.id),
      )
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaLecture)
      .innerJoin(org, onKey(org, mediaLecture.orgId, mediaLecture))
      .where(where),
  ]);
  return {
    items: rows.map((r) => {
      const host: OrgRef = { id: r.l.orgId, path: r.orgPath, tenantId: r.l.tenantId, name: r.orgName, kind: '' };
      return view(r, {
        attendees: 0,
        canEdit: keeps(bindings, host),
        canModerate: keeps(bindings, host),
        canAttend: false,
        joined: false,
      });
    }),
    total: count?.n ?? 0,
  };
}

function liveOrRefuse(l: LectureRow, what: string) {
  if (l.status !== 'published') throw conflict('讲座尚未发布', 'LECTURE_NOT_PUBLISHED');
  const phase = phaseOf(l);
  if (phase !== 'live')
    throw conflict(
      `${phase === 'before' ? '讲座尚未开始' : '讲座已结束'}，不能${what}（讲座时间：${chinaDateTimeLabel(l.startsAt)} 至 ${chinaDateTimeLabel(l.endsAt)}）`,
      phase === 'before' ? 'LECTURE_NOT_STARTED' : 'LECTURE_ENDED',
    );
}

/**
 * The caller opened the room during the lecture: their attendance is recorded once — here, and as 党课
 * attendance of their own org through the meeting module (so it is in that org's 台账 and compliance).
 */
export async function joinLecture(db: Db, scope: Scope, id: string) {
  const row = await getRow(db, scope.tenantId, id);
  await getLecture(db, scope, id); // a draft stays hidden from those who may not see it
  liveOrRefuse(row.l, '进入课堂计入参学');
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!m || m.leftAt) throw forbidden('您的账号未关联党员信息，参加情况无法计入党课', 'NOT_A_MEMBER');
  if (!m.orgPath?.startsWith(row.orgPath))
    throw forbidden(`您不属于${row.orgName}及其下级组织，参加情况不计入党课`, 'NOT_IN_LECTURE_ORG');
  const at = now();
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(mediaLectureAttendance)
      .values({
        tenantId: scope.tenantId,
        lectureId: id,
        memberId: m.id,
        userId: scope.principal.user.id,
        orgId: m.orgId,
        joinedAt: at,
      })
      .onConflictDoNothing()
      .returning();
    const [o] = await tx
      .select({ name: org.name })
      .from(org)
      .where(and(eq(org.tenantId, m.tenantId), eq(org.id, m.orgId)));
    if (!inserted) return { joined: true as const, recorded: false, orgName: o?.name ?? '' };
    const { meetingId } = await recordOnlineLecture(
      tx,
      scope.actor,
      {
        tenantId: scope.tenantId,
        source: lectureSource(id),
        title: row.l.title,
        speaker: row.l.speaker,
        hostOrgName: row.orgName,
        startsAt: row.l.startsAt,
        endsAt: row.l.endsAt,
      },
      { memberId: m.id, orgId: m.orgId },
      at,
    );
    await tx
      .update(mediaLectureAttendance)
      .set({ meetingId })
      .where(and(eq(mediaLectureAttendance.lectureId, id), eq(mediaLectureAttendance.memberId, m.id)));
    await writeAudit(tx, scope.actor, {
      action: 'media.lecture.join',
      entityType: 'media_lecture',
      entityId: id,
      org: scope.org,
      after: { memberId: m.id, meetingId, at: at.toISOString() },
    });
    return { joined: true as const, recorded: true, orgName: o?.name ?? '' };
  });
}

// ---------------------------------------------------------------- questions

export function questionView(q: QuestionRow, userId: string): LectureQuestion {
  return {
    id: q.id,
    lectureId: q.lectureId,
    askerName: q.askerName,
    text: q.text,
    status: q.status as LectureQuestionStatus,
    mine: q.userId === userId,
    createdAt: q.createdAt.toISOString(),
    decidedAt: q.decidedAt?.toISOString() ?? null,
  };
}
/** Approved questions are everyone's; pending and rejected ones their asker's and the moderators'. */
export const visibleTo = (q: Pick<QuestionRow, 'status' | 'userId'>, userId: string, moderator: boolean) =>
  moderator || q.status === 'approved' || q.userId === userId;

export async function askQuestion(db: Db, scope: Scope, id: string, text: string): Promise<LectureQuestion> {
  const row = await getRow(db, scope.tenantId, id);
  const lecture = await getLecture(db, scope, id);
  liveOrRefuse(row.l, '提问');
  if (!lecture.canAttend && !lecture.canModerate)
    throw forbidden(`只有${row.orgName}及其下级组织的党员可以提问`, 'NOT_IN_LECTURE_ORG');
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  const askerName = m && !m.leftAt ? m.name : (scope.actor.username ?? '');
  return db.transaction(async (tx) => {
    const [q] = await tx
      .insert(mediaLectureQuestion)
      .values({
        tenantId: scope.tenantId,
        lectureId: id,
        userId: scope.principal.user.id,
        askerName,
        text: text.trim(),
        status: 'pending',
        createdAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'media.lecture.ask',
      entityType: 'media_lecture_question',
      entityId: q!.id,
      org: scope.org,
      after: { lectureId: id, chars: q!.text.length },
    });
    await signalLecture(tx, id);
    return questionView(q!, scope.principal.user.id);
  });
}

/** The moderator (the hosting org's keepers) approves or rejects a pending question. */
export async function decideQuestion(
  db: Db,
  scope: Scope,
  questionId: string,
  approve: boolean,
): Promise<LectureQuestion> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(mediaLectureQuestion)
      .where(and(eq(mediaLectureQuestion.tenantId, scope.tenantId), eq(mediaLectureQuestion.id, questionId)))
      .for('update');
    if (!before) throw notFound();
    if (before.status !== 'pending')
      throw conflict(`该提问已${before.status === 'approved' ? '通过' : '拒绝'}`, 'QUESTION_DECIDED');
    const [q] = await tx
      .update(mediaLectureQuestion)
      .set({ status: approve ? 'approved' : 'rejected', decidedBy: scope.actor.username ?? '系统', decidedAt: now() })
      .where(eq(mediaLectureQuestion.id, questionId))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: approve ? 'media.lecture.question.approve' : 'media.lecture.question.reject',
      entityType: 'media_lecture_question',
      entityId: questionId,
      org: scope.org,
      before: { status: before.status },
      after: { status: q!.status },
    });
    await signalLecture(tx, before.lectureId);
    return questionView(q!, scope.principal.user.id);
  });
}

/** The questions the caller sees, oldest first (paged). */
export async function listQuestions(db: Queryable, scope: Scope, id: string, page: number, pageSize: number) {
  const lecture = await getLecture(db, scope, id);
  const uid = scope.principal.user.id;
  const where = and(
    eq(mediaLectureQuestion.tenantId, scope.tenantId),
    eq(mediaLectureQuestion.lectureId, id),
    lecture.canModerate
      ? undefined
      : sql`(${mediaLectureQuestion.status} = 'approved' or ${mediaLectureQuestion.userId} = ${uid})`,
  );
  return pageWhere(
    db.select().from(mediaLectureQuestion).$dynamic(),
    countFrom(db, mediaLectureQuestion),
    where,
    [asc(mediaLectureQuestion.createdAt), asc(mediaLectureQuestion.id)],
    page,
    pageSize,
    (q) => questionView(q, uid),
  );
}

/** The newest questions of a lecture, for the streams (each filters what its viewer may see). */
export const STREAM_QUESTIONS = 500;
export async function streamQuestions(db: Queryable, lectureId: string): Promise<QuestionRow[]> {
  const rows = await db
    .select()
    .from(mediaLectureQuestion)
    .where(eq(mediaLectureQuestion.lectureId, lectureId))
    .orderBy(desc(mediaLectureQuestion.createdAt), desc(mediaLectureQuestion.id))
    .limit(STREAM_QUESTIONS);
  return rows.reverse();
}

/** The stored video of a lecture the caller may watch. */
export async function lectureVideo(db: Queryable, scope: Scope, id: string) {
  await getLecture(db, scope, id);
  const { l } = await getRow(db, scope.tenantId, id);
  if (!l.videoKey) throw notFound('该讲座没有上传视频');
  return { storageKey: l.videoKey, mime: l.videoMime ?? 'video/mp4', fileName: l.videoName ?? 'lecture.mp4' };
}

/** A person's questions and lecture attendance (their part of the PIPL copy). */
export async function personalLectures(db: Queryable, tenantId: string, userId: string) {
  const [questions, attended] = await Promise.all([
    db
      .select({
        lectureId: mediaLectureQuestion.lectureId,
        lecture: mediaLecture.title,
        text: mediaLectureQuestion.text,
        status: mediaLectureQuestion.status,
        createdAt: mediaLectureQuestion.createdAt,
      })
      .from(mediaLectureQuestion)
      .innerJoin(mediaLecture, onKey(mediaLecture, mediaLectureQuestion.lectureId, mediaLectureQuestion))
      .where(and(eq(mediaLectureQuestion.tenantId, tenantId), eq(mediaLectureQuestion.userId, userId)))
      .orderBy(asc(mediaLectureQuestion.createdAt)),
    db
      .select({
        lectureId: mediaLectureAttendance.lectureId,
        lecture: mediaLecture.title,
        joinedAt: mediaLectureAttendance.joinedAt,
      })
      .from(mediaLectureAttendance)
      .innerJoin(mediaLecture, onKey(mediaLecture, mediaLectureAttendance.lectureId, mediaLectureAttendance))
      .where(and(eq(mediaLectureAttendance.tenantId, tenantId), eq(mediaLectureAttendance.userId, userId)))
      .orderBy(asc(mediaLectureAttendance.joinedAt)),
  ]);
  return {
    questions: questions.map((q) => ({ ...q, createdAt: q.createdAt.toISOString() })),
    attended: attended.map((a) => ({ ...a, joinedAt: a.joinedAt.toISOString() })),
  };
}
