/**
 * 课时 (issue #18): a course is lessons in order — text, a PDF, audio or video, the file one of the course's own
 * `learn_file` rows (uploaded and served in ranges by the item's file routes). The publishing org's keepers add,
 * edit, order and retire lessons; a learner's heartbeats are credited per lesson by the one clock (`creditFor`,
 * as for any item), and the course's `learn_record` — what the completion views, reminders, points and the
 * dashboard read — follows its lessons: complete when every lesson not retired is.
 */
import {
  LESSON_FILE_ROLE,
  LESSON_RULE,
  lessonSecondsToComplete,
  MAX_LESSONS,
  now,
  TEXT_READ_RULE,
  textReadSeconds,
  type ItemDetail,
  type Lesson,
  type LessonInput,
  type LessonKind,
  type LessonPage,
  type LessonPatch,
  type LessonProgressReply,
  type MediaRendition,
  type ProgressReply,
} from '@xianfeng/shared';
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { byKey, inTenant, queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { learnFile, learnItem, learnLesson, learnLessonRecord, learnRecord } from './schema';
import { renditionsOf } from './media';
import {
  award,
  creditFor,
  fileView,
  getItem,
  learnerOf,
  POINT_REASON_OF,
  progressNote,
  reportProgress,
  thisMonth,
} from './service';

type LessonRow = typeof learnLesson.$inferSelect;
type FileRow = typeof learnFile.$inferSelect;
type LessonRec = { seconds: number; progress: number; readTo: number; completedAt: Date | null };

/** The course (visible to the caller: drafts only to its org's managers), or 422 for any other kind of item. */
async function courseOf(db: Queryable, scope: Scope, itemId: string): Promise<ItemDetail> {
  const item = await getItem(db, scope, itemId);
  if (item.kind !== 'course')
    throw unprocessable('只有课程分课时；微视频、百科和电子书是单篇内容', undefined, 'NOT_A_COURSE');
  return item;
}

const view = (
  l: LessonRow,
  f: FileRow | null,
  rec: LessonRec | undefined,
  media?: Map<string, MediaRendition>,
): Lesson => ({
  id: l.id,
  position: l.position,
  kind: l.kind as LessonKind,
  title: l.title,
  body: l.body,
  minutes: l.minutes,
  file: f ? fileView(f, media) : null,
  retired: Boolean(l.retiredAt),
  seconds: rec?.seconds ?? 0,
  progress: rec ? rec.progress : null,
  completed: Boolean(rec?.completedAt),
  readTo: l.kind === 'text' && rec ? rec.readTo : null,
  readSeconds: l.kind === 'text' ? textReadSeconds(l.body) : null,
});

/** A learner's lesson records inside the tenant, narrowed by `conds` (a course's, a lesson's). */
const recordsOf = (tenantId: string, userId: string, ...conds: SQL[]) =>
  inTenant(learnLessonRecord, tenantId, eq(learnLessonRecord.userId, userId), ...conds);

/** The caller's lessons done of the course's lessons not retired. */
async function tally(db: Queryable, tenantId: string, userId: string, itemId: string) {
  const [row] = await queryRows<{ lessons: number; done: number; avg: number }>(
    db,
    sql`select count(*)::int as lessons, count(r.completed_at)::int as done, coalesce(avg(coalesce(r.progress, 0)), 0)::float as avg
        from learn_lesson l
        left join learn_lesson_record r on r.tenant_id = l.tenant_id and r.lesson_id = l.id and r.user_id = ${userId}
        where l.tenant_id = ${tenantId} and l.item_id = ${itemId} and l.retired_at is null`,
  );
  return row ?? { lessons: 0, done: 0, avg: 0 };
}

/** GET /learn-items/:id/lessons: in order, with the caller's own progress; retired ones only for the course's keepers. */
export async function listLessons(
  db: Queryable,
  scope: Scope,
  itemId: string,
  includeRetired: boolean,
  page: number,
  pageSize: number,
): Promise<LessonPage> {
  const item = await courseOf(db, scope, itemId);
  const where = inTenant(
    learnLesson,
    scope.tenantId,
    eq(learnLesson.itemId, itemId),
    includeRetired && item.editable ? undefined : isNull(learnLesson.retiredAt),
  );
  const userId = scope.principal.user.id;
  const [rows, [count], recs, t] = await Promise.all([
    db
      .select({ l: learnLesson, f: learnFile })
      .from(learnLesson)
      .leftJoin(learnFile, onKey(learnFile, learnLesson.fileId, learnLesson))
      .where(where)
      .orderBy(sql`${learnLesson.retiredAt} is not null`, asc(learnLesson.position), asc(learnLesson.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(learnLesson)
      .where(where),
    db
      .select({
        lessonId: learnLessonRecord.lessonId,
        seconds: learnLessonRecord.seconds,
        progress: learnLessonRecord.progress,
        readTo: learnLessonRecord.readTo,
        completedAt: learnLessonRecord.completedAt,
      })
      .from(learnLessonRecord)
      .where(recordsOf(scope.tenantId, userId, eq(learnLessonRecord.itemId, itemId))),
    tally(db, scope.tenantId, userId, itemId),
  ]);
  const byLesson = new Map(recs.map((r) => [r.lessonId, r]));
  const media = await renditionsOf(
    db,
    rows.flatMap((r) => (r.f ? [r.f] : [])),
    item.editable,
  );
  return {
    items: rows.map((r) => view(r.l, r.f, byLesson.get(r.l.id), media)),
    total: count?.n ?? 0,
    course: { lessons: t.lessons, done: t.done, progress: item.progress, completed: item.completed },
    rule: `${LESSON_RULE.text}。依据：${LESSON_RULE.citation.text}${LESSON_RULE.citation.confirmed ? '' : '（出处待核对）'}；${TEXT_READ_RULE.citation.text}`,
  };
}

/** The file a lesson of this kind may play: one of the course's own, of the kind's role (a PDF for `pdf`). */
async function lessonFile(
  db: Queryable,
  tenantId: string,
  itemId: string,
  kind: LessonKind,
  fileId: string | null,
): Promise<FileRow | null> {
  const role = LESSON_FILE_ROLE[kind];
  if (!role) {
    if (fileId)
      throw unprocessable('图文课时不带文件', [{ field: 'fileId', message: '图文课时不带文件' }], 'TEXT_HAS_NO_FILE');
    return null;
  }
  const what = { document: 'PDF 文档', audio: '音频', video: '视频' }[role];
  if (!fileId)
    throw unprocessable(
      `请先上传课时的${what}`,
      [{ field: 'fileId', message: `请先上传${what}` }],
      'LESSON_FILE_REQUIRED',
    );
  const [f] = await db
    .select()
    .from(learnFile)
    .where(and(byKey(learnFile, tenantId, fileId), eq(learnFile.itemId, itemId)));
  if (!f)
    throw unprocessable(
      '文件不存在或不属于本课程',
      [{ field: 'fileId', message: '须为本课程上传的文件' }],
      'LESSON_FILE_UNKNOWN',
    );
  if (f.role !== role || (kind === 'pdf' && f.mime !== 'application/pdf'))
    throw unprocessable(
      `${f.fileName} 不是${what}，不能作为这个课时的文件`,
      [{ field: 'fileId', message: `须为${what}` }],
      'LESSON_FILE_KIND',
    );
  return f;
}

/** Locks the course row: lesson positions and the course's length change one writer at a time. */
const lockCourse = (tx: Tx, tenantId: string, itemId: string) =>
  tx
    .select({ id: learnItem.id })
    .from(learnItem)
    .where(byKey(learnItem, tenantId, itemId))
    .for('update');

/** The course's length is the sum of its lessons' (kept while it has none). */
const syncMinutes = (tx: Tx, tenantId: string, itemId: string) =>
  tx.execute(sql`update learn_item set minutes = coalesce((select sum(minutes)::int from learn_lesson
                   where tenant_id = ${tenantId} and item_id = ${itemId} and retired_at is null), minutes),
                   updated_at = ${now().toISOString()}::timestamptz
                 where tenant_id = ${tenantId} and id = ${itemId}`);

export async function addLesson(db: Db, scope: Scope, itemId: string, input: LessonInput): Promise<Lesson> {
  await courseOf(db, scope, itemId);
  const file = await lessonFile(db, scope.tenantId, itemId, input.kind, input.fileId);
  return db.transaction(async (tx) => {
    await lockCourse(tx, scope.tenantId, itemId);
    const [n] = await tx
      .select({ count: sql<number>`count(*)::int`, last: sql<number>`coalesce(max(${learnLesson.position}), 0)::int` })
      .from(learnLesson)
      .where(inTenant(learnLesson, scope.tenantId, eq(learnLesson.itemId, itemId)));
    if ((n?.count ?? 0) >= MAX_LESSONS)
      throw unprocessable(`一门课程最多 ${MAX_LESSONS} 个课时（含已停用的）`, undefined, 'TOO_MANY_LESSONS');
    const [row] = await tx
      .insert(learnLesson)
      .values({
        tenantId: scope.tenantId,
        itemId,
        position: (n?.last ?? 0) + 1,
        kind: input.kind,
        title: input.title,
        body: input.body,
        minutes: input.minutes,
        fileId: file?.id ?? null,
      })
      .returning();
    await syncMinutes(tx, scope.tenantId, itemId);
    await writeAudit(tx, scope.actor, {
      action: 'learn.lesson.create',
      entityType: 'learn_item',
      entityId: itemId,
      org: scope.org,
      after: {
        lessonId: row!.id,
        position: row!.position,
        kind: row!.kind,
        title: row!.title,
        minutes: row!.minutes,
        fileId: row!.fileId,
      },
    });
    return view(row!, file, undefined);
  });
}

/**
 * Completes the course for every learner who has now completed each of its lessons not retired (after a lesson
 * was retired). No points: nothing was learned by this step.
 */
async function completeCourses(tx: Tx, tenantId: string, itemId: string): Promise<number> {
  const at = now().toISOString();
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update learn_record r set completed_at = ${at}::timestamptz, progress = 100, active_month = ${thisMonth()}, updated_at = ${at}::timestamptz
        where r.tenant_id = ${tenantId} and r.item_id = ${itemId} and r.completed_at is null and r.user_id is not null
          and exists (select 1 from learn_lesson l where l.tenant_id = r.tenant_id and l.item_id = ${itemId} and l.retired_at is null)
          and not exists (
            select 1 from learn_lesson l where l.tenant_id = r.tenant_id and l.item_id = ${itemId} and l.retired_at is null
              and not exists (select 1 from learn_lesson_record lr
                               where lr.tenant_id = r.tenant_id and lr.lesson_id = l.id and lr.user_id = r.user_id and lr.completed_at is not null))
        returning r.id`,
  );
  return rows.length;
}

export async function updateLesson(
  db: Db,
  scope: Scope,
  itemId: string,
  lessonId: string,
  patch: LessonPatch,
): Promise<Lesson> {
  await courseOf(db, scope, itemId);
  return db.transaction(async (tx) => {
    await lockCourse(tx, scope.tenantId, itemId);
    const [before] = await tx
      .select()
      .from(learnLesson)
      .where(and(byKey(learnLesson, scope.tenantId, lessonId), eq(learnLesson.itemId, itemId)));
    if (!before) throw notFound('课时不存在');
    const file =
      patch.fileId !== undefined
        ? await lessonFile(tx, scope.tenantId, itemId, before.kind as LessonKind, patch.fileId)
        : before.fileId
          ? ((
              await tx
                .select()
                .from(learnFile)
                .where(byKey(learnFile, scope.tenantId, before.fileId))
            )[0] ?? null)
          : null;
    const set = {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.body !== undefined && { body: patch.body }),
      ...(patch.minutes !== undefined && { minutes: patch.minutes }),
      ...(patch.fileId !== undefined && { fileId: patch.fileId }),
      ...(patch.retired !== undefined && { retiredAt: patch.retired ? (before.retiredAt ?? now()) : null }),
    };
    const [row] = Object.keys(set).length
      ? await tx
          .update(learnLesson)
          .set(set)
          .where(byKey(learnLesson, scope.tenantId, lessonId))
          .returning()
      : [before];
    await syncMinutes(tx, scope.tenantId, itemId);
    const completed = patch.retired && !before.retiredAt ? await completeCourses(tx, scope.tenantId, itemId) : 0;
    const pick = (r: LessonRow) => ({
      title: r.title,
      minutes: r.minutes,
      fileId: r.fileId,
      retired: Boolean(r.retiredAt),
      body: `（${r.body.length} 字）`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'learn.lesson.update',
      entityType: 'learn_item',
      entityId: itemId,
      org: scope.org,
      before: { lessonId, ...pick(before) },
      after: { lessonId, ...pick(row!), ...(completed > 0 && { coursesCompleted: completed }) },
    });
    return view(row!, file, undefined);
  });
}

/** PUT /learn-items/:id/lessons/order: every lesson not retired, each once, in the new order (retired ones follow). */
export async function orderLessons(db: Db, scope: Scope, itemId: string, lessonIds: string[]): Promise<LessonPage> {
  await courseOf(db, scope, itemId);
  await db.transaction(async (tx) => {
    await lockCourse(tx, scope.tenantId, itemId);
    const all = await tx
      .select()
      .from(learnLesson)
      .where(inTenant(learnLesson, scope.tenantId, eq(learnLesson.itemId, itemId)))
      .orderBy(asc(learnLesson.position), asc(learnLesson.id));
    const live = all.filter((l) => !l.retiredAt);
    const given = new Set(lessonIds);
    if (given.size !== lessonIds.length || lessonIds.length !== live.length || !live.every((l) => given.has(l.id)))
      throw unprocessable(
        `请按新的顺序列出本课程全部 ${live.length} 个未停用的课时，每个一次`,
        [{ field: 'lessonIds', message: '须为本课程全部未停用的课时' }],
        'LESSON_ORDER',
      );
    const order = [...lessonIds, ...all.filter((l) => l.retiredAt).map((l) => l.id)];
    for (const [i, id] of order.entries())
      await tx
        .update(learnLesson)
        .set({ position: i + 1 })
        .where(byKey(learnLesson, scope.tenantId, id));
    await writeAudit(tx, scope.actor, {
      action: 'learn.lesson.order',
      entityType: 'learn_item',
      entityId: itemId,
      org: scope.org,
      before: { lessonIds: live.map((l) => l.id) },
      after: { lessonIds },
    });
  });
  return listLessons(db, scope, itemId, true, 1, MAX_LESSONS);
}

/**
 * Whether a lesson is learned after this report, and its progress (never going down). Video, audio and PDF: 80 % of
 * the lesson's length credited. Text (TEXT_READ_RULE): the furthest position reported reached the end AND the
 * credited time is at least the minimum reading time for the text's length — a client that posts 100 % for a lesson
 * it opened a second ago is not counted until that time has passed (the reply's note says how long is left); its
 * progress is the lesser of how far it was read and how much of the time passed.
 */
function judge(lesson: LessonRow, rec: LessonRec, seconds: number, position: number | undefined) {
  if (lesson.kind !== 'text') {
    const need = lessonSecondsToComplete(lesson.minutes);
    const done = Boolean(rec.completedAt) || seconds >= need;
    const progress = done ? 100 : Math.max(rec.progress, Math.min(99, Math.floor((seconds / need) * 100)));
    return { done, progress, readTo: rec.readTo, waiting: null };
  }
  const readTo = Math.max(rec.readTo, Math.min(100, position ?? 0));
  const need = textReadSeconds(lesson.body);
  const atEnd = readTo >= TEXT_READ_RULE.endAt;
  const done = Boolean(rec.completedAt) || (atEnd && seconds >= need);
  const share = Math.min(readTo, Math.floor((seconds / need) * 100));
  const progress = done ? 100 : Math.max(rec.progress, Math.min(99, share));
  const waiting = !done && atEnd ? need - seconds : null;
  return { done, progress, readTo, waiting };
}

/**
 * A heartbeat of one lesson: credited by the clock on the lesson's record (`creditFor`), learned by `judge`;
 * then the course's record: the seconds of all its lessons, the average progress of the lessons
 * not retired, complete (once, with the course's points) when every one of them is. Both rows are locked, the
 * course's first, so two lessons of one course reported at once are credited one after the other.
 */
export async function reportLessonProgress(
  db: Db,
  scope: Scope,
  itemId: string,
  lessonId: string,
  body: { seconds: number; position?: number | undefined },
): Promise<LessonProgressReply> {
  const item = await courseOf(db, scope, itemId);
  if (!item.publishedAt) throw conflict('草稿还未发布，不能记录学习', 'NOT_PUBLISHED');
  const [lesson] = await db
    .select()
    .from(learnLesson)
    .where(
      and(byKey(learnLesson, scope.tenantId, lessonId), eq(learnLesson.itemId, itemId), isNull(learnLesson.retiredAt)),
    );
  if (!lesson) throw notFound('课时不存在或已停用');
  const learner = await learnerOf(db, scope);
  return db.transaction(async (tx) => {
    const at = now();
    const month = thisMonth();
    const who = { tenantId: scope.tenantId, userId: learner.userId, memberId: learner.memberId, itemId };
    const started = await tx
      .insert(learnRecord)
      .values({ ...who, orgId: learner.orgId, activeMonth: month, lastReportAt: at })
      .onConflictDoNothing({ target: [learnRecord.userId, learnRecord.itemId] })
      .returning({ id: learnRecord.id });
    if (started.length)
      await writeAudit(tx, scope.actor, {
        action: 'learn.record.start',
        entityType: 'learn_item',
        entityId: itemId,
        after: { learner: learner.name },
      });
    const [course] = await tx
      .select()
      .from(learnRecord)
      .where(
        inTenant(learnRecord, scope.tenantId, eq(learnRecord.userId, learner.userId), eq(learnRecord.itemId, itemId)),
      )
      .for('update');
    const fresh = await tx
      .insert(learnLessonRecord)
      .values({ ...who, lessonId, lastReportAt: at })
      .onConflictDoNothing({ target: [learnLessonRecord.userId, learnLessonRecord.lessonId] })
      .returning({ id: learnLessonRecord.id });
    const [rec] = await tx
      .select()
      .from(learnLessonRecord)
      .where(recordsOf(scope.tenantId, learner.userId, eq(learnLessonRecord.lessonId, lessonId)))
      .for('update');
    const { credited, creditedUntil, seconds } = creditFor(fresh.length ? null : rec!, body.seconds, at);
    const { done, progress, readTo, waiting } = judge(lesson, rec!, seconds, body.position);
    await tx
      .update(learnLessonRecord)
      .set({
        seconds,
        progress,
        readTo,
        ...(done && !rec!.completedAt && { completedAt: at }),
        lastReportAt: creditedUntil,
        updatedAt: at,
      })
      .where(byKey(learnLessonRecord, scope.tenantId, rec!.id));

    const t = await tally(tx, scope.tenantId, learner.userId, itemId);
    const [sum] = await tx
      .select({ n: sql<number>`coalesce(sum(${learnLessonRecord.seconds}), 0)::int` })
      .from(learnLessonRecord)
      .where(recordsOf(scope.tenantId, learner.userId, eq(learnLessonRecord.itemId, itemId)));
    const courseDone = Boolean(course!.completedAt) || (t.lessons > 0 && t.done === t.lessons);
    const courseProgress = courseDone ? 100 : Math.max(course!.progress, Math.min(99, Math.floor(t.avg)));
    const newlyDone = courseDone && !course!.completedAt;
    await tx
      .update(learnRecord)
      .set({
        seconds: sum?.n ?? seconds,
        progress: courseProgress,
        ...(newlyDone && { completedAt: at }),
        // As for any item: active_month is written once a month and on completion (the `learn` topic moves).
        ...((course!.activeMonth !== month || newlyDone) && { activeMonth: month }),
        lastReportAt: at,
        updatedAt: at,
      })
      .where(byKey(learnRecord, scope.tenantId, course!.id));
    let points = 0;
    if (newlyDone) {
      points = await award(tx, scope.tenantId, learner.userId, POINT_REASON_OF.course, itemId, item.title);
      await writeAudit(tx, scope.actor, {
        action: 'learn.record.complete',
        entityType: 'learn_item',
        entityId: itemId,
        after: { learner: learner.name, seconds: sum?.n ?? seconds, points, lessons: t.lessons },
      });
    }
    const cut = credited < body.seconds;
    return {
      progress,
      completed: done,
      points,
      note:
        waiting !== null && !cut
          ? `已读到末尾；按字数至少要读 ${textReadSeconds(lesson.body)} 秒，还差 ${Math.ceil(waiting)} 秒，停留在本页读满后自动记为读完`
          : await progressNote(tx, scope.tenantId, cut, newlyDone, points),
      course: { lessons: t.lessons, done: t.done, progress: courseProgress, completed: courseDone },
      readTo: lesson.kind === 'text' ? readTo : null,
    };
  });
}

/**
 * POST /learn-items/:id/progress: a course's heartbeat without a lesson goes to its first lesson not yet completed
 * (the first lesson once all are) and answers with the course's progress; a course without lessons and every other
 * item are credited as a whole.
 */
export async function reportItemProgress(
  db: Db,
  scope: Scope,
  itemId: string,
  body: { seconds: number; position?: number | undefined },
): Promise<ProgressReply> {
  const [current] = await queryRows<{ id: string }>(
    db,
    sql`select l.id from learn_lesson l join learn_item i on i.tenant_id = l.tenant_id and i.id = l.item_id and i.kind = 'course'
        left join learn_lesson_record r on r.tenant_id = l.tenant_id and r.lesson_id = l.id and r.user_id = ${scope.principal.user.id}
        where l.tenant_id = ${scope.tenantId} and l.item_id = ${itemId} and l.retired_at is null
        order by (r.completed_at is not null), l.position, l.id limit 1`,
  );
  if (!current) return reportProgress(db, scope, itemId, body);
  const r = await reportLessonProgress(db, scope, itemId, current.id, body);
  return { progress: r.course.progress, completed: r.course.completed, points: r.points, note: r.note };
}
