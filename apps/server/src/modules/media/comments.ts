/**
 * 宣传 comments — on published articles, published lectures (the recording) and 微视频征集 entries (the video) — and
 * the tenant's sensitive-word list (shared/media-comments.ts has the rules).
 *
 * Who sees what — the routes' `config.access` names the org, the platform's one scope check decides:
 * - listing and posting go through the subject's reading lookup (`orgOfArticle` / `orgOfLecture` / `orgOfEntry`):
 *   whoever may read the article, watch the lecture or take part in the campaign; a comment is only taken on a
 *   visible article (published, its publishing time reached) or a published lecture;
 * - a shown comment is everyone's; a held or rejected one only its author's and the moderators' — the record
 *   keepers of the subject's own org (`media_comment.org_id`, or above), who are also the only ones deciding
 *   (lookup `ownerOrgOfComment`, so another org's comment answers 404 and a member 403);
 * - the word list is the tenant's: administrators read it; the root org's administrators change it.
 */
import {
  buildMatcher,
  COMMENT_RATE_LIMITS,
  DEFAULT_SENSITIVE_WORDS,
  inGroup,
  now,
  RECORD_KEEPERS,
  SENSITIVE_WORDS_MAX,
  SENSITIVE_WORDS_SOURCE,
  COMMENT_SUBJECT_LABELS,
  type CommentDecision,
  type CommentStatus,
  type CommentSubject,
  type CommentView,
  type QueuedComment,
  type SensitiveWordsEdit,
  type WordMatcher,
} from '@xianfeng/shared';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { actorName, covers, orgOfRow, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { memberOfUser } from '../member/service';
import { notify } from '../notify/service';
import { loadEntry, orgOfEntry } from './contests';
import { getLecture, orgOfLecture } from './lectures';
import { mediaArticle, mediaComment, mediaContestEntry, mediaLecture, mediaWordList } from './schema';
import { getArticle, orgOfArticle } from './service';
import { countFrom, pageWhere } from '../../platform/paging';

type CommentRow = typeof mediaComment.$inferSelect;

// ---------------------------------------------------------------- the word list and its matcher

/** The tenant's list (the default one until an administrator first edits it) and its version (0 = default). */
async function loadList(
  db: Queryable,
  tenantId: string,
): Promise<{ words: string[]; version: number; isDefault: boolean }> {
  const [row] = await db
    .select({ words: mediaWordList.words, version: mediaWordList.version })
    .from(mediaWordList)
    .where(eq(mediaWordList.tenantId, tenantId));
  return row ? { ...row, isDefault: false } : { words: [...DEFAULT_SENSITIVE_WORDS], version: 0, isDefault: true };
}

/**
 * One automaton per (database, tenant, list version), built on first use after a change; every process
 * checks the version (one small read) before matching, so an edit in another process is seen at once.
 */
const matchers = new WeakMap<object, Map<string, { version: number; matcher: WordMatcher }>>();
export async function matcherFor(db: Queryable, tenantId: string): Promise<WordMatcher> {
  let byTenant = matchers.get(db);
  if (!byTenant) matchers.set(db, (byTenant = new Map()));
  const [v] = await db
    .select({ version: mediaWordList.version })
    .from(mediaWordList)
    .where(eq(mediaWordList.tenantId, tenantId));
  const version = v?.version ?? 0;
  const cached = byTenant.get(tenantId);
  if (cached && cached.version === version) return cached.matcher;
  const list = await loadList(db, tenantId);
  const matcher = buildMatcher(list.words);
  byTenant.set(tenantId, { version: list.version, matcher });
  return matcher;
}

export async function listWords(db: Queryable, scope: Scope, q: string | undefined, page: number, pageSize: number) {
  const list = await loadList(db, scope.tenantId);
  const all = q ? list.words.filter((w) => w.includes(q)) : list.words;
  return {
    items: all.slice((page - 1) * pageSize, page * pageSize).map((word) => ({ word })),
    total: all.length,
    version: list.version,
    isDefault: list.isDefault,
    source: `${SENSITIVE_WORDS_SOURCE.text}${SENSITIVE_WORDS_SOURCE.confirmed ? '' : '（出处待核对）'}`,
  };
}

const atRoot = (scope: Scope) => scope.org.path.split('/').filter(Boolean).length === 1;

/** Adds and removes words (an import adds a file's lines); the root org's administrators only. Audited. */
export async function editWords(db: Db, scope: Scope, edit: SensitiveWordsEdit) {
  if (!atRoot(scope)) throw forbidden('敏感词表是全单位共用的，由最上级党组织的管理员维护', 'WORDS_ROOT_ONLY');
  return db.transaction(async (tx) => {
    // The first edit starts from the default list; the row lock orders concurrent edits.
    await tx
      .insert(mediaWordList)
      .values({
        tenantId: scope.tenantId,
        words: [...DEFAULT_SENSITIVE_WORDS],
        version: 0,
        updatedBy: scope.actor.username ?? '系统',
        updatedAt: now(),
      })
      .onConflictDoNothing();
    const [row] = await tx.select().from(mediaWordList).where(eq(mediaWordList.tenantId, scope.tenantId)).for('update');
    const words = new Set(row!.words);
    const added = [...new Set(edit.add.map((w) => w.trim()))].filter((w) => !words.has(w));
    for (const w of added) words.add(w);
    const removed = [...new Set(edit.remove.map((w) => w.trim()))].filter((w) => words.delete(w));
    if (words.size > SENSITIVE_WORDS_MAX)
      throw unprocessable(
        `敏感词表最多 ${SENSITIVE_WORDS_MAX} 个词（本次后将有 ${words.size} 个）`,
        undefined,
        'WORDS_TOO_MANY',
      );
    const version = row!.version + 1;
    await tx
      .update(mediaWordList)
      .set({ words: [...words], version, updatedBy: scope.actor.username ?? '系统', updatedAt: now() })
      .where(eq(mediaWordList.tenantId, scope.tenantId));
    await writeAudit(tx, scope.actor, {
      action: 'media.words.update',
      entityType: 'media_word_list',
      entityId: scope.tenantId,
      org: scope.org,
      before: { version: row!.version, count: row!.words.length },
      after: { version, count: words.size, added, removed },
    });
    return { added: added.length, removed: removed.length, total: words.size, version };
  });
}

// ---------------------------------------------------------------- comments

/** What a comment is on. */
export type Subject = { kind: CommentSubject; id: string };
const subjectColumn = {
  article: mediaComment.articleId,
  lecture: mediaComment.lectureId,
  entry: mediaComment.entryId,
} as const;
const subjectOfRow = (c: CommentRow): Subject =>
  c.articleId
    ? { kind: 'article', id: c.articleId }
    : c.lectureId
      ? { kind: 'lecture', id: c.lectureId }
      : { kind: 'entry', id: c.entryId! };

/**
 * Deleting one's own comment: the subject's reading org for the caller (whoever may read the article / watch the
 * lecture / take part in the campaign reaches it; the service then lets only the author delete).
 */
export async function readOrgOfComment(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Parameters<typeof orgOfArticle>[3],
): Promise<string | null> {
  const [row] = await db
    .select()
    .from(mediaComment)
    .where(and(eq(mediaComment.tenantId, tenantId), eq(mediaComment.id, id), sql`${mediaComment.status} <> 'deleted'`));
  if (!row) return null;
  const s = subjectOfRow(row);
  const lookup = s.kind === 'article' ? orgOfArticle : s.kind === 'lecture' ? orgOfLecture : orgOfEntry;
  return lookup(db, tenantId, s.id, caller);
}

/** Deciding: the subject's own org — its record keepers (and those above) moderate. */
export const ownerOrgOfComment = orgOfRow(mediaComment);

function view(c: CommentRow, userId: string, moderator: boolean): CommentView {
  const mine = c.userId === userId;
  const s = subjectOfRow(c);
  return {
    id: c.id,
    subjectKind: s.kind,
    subjectId: s.id,
    authorName: c.authorName,
    text: c.text,
    status: c.status as CommentStatus,
    mine,
    createdAt: c.createdAt.toISOString(),
    reason: mine || moderator ? c.reason : null,
    hits: moderator ? c.hits : [],
  };
}

/** Whether the caller moderates the subject (a record keeper of its org or above). */
const moderates = (scope: Scope, owner: { id: string; path: string }) =>
  scope.principal.bindings.some(
    (b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, { ...owner, tenantId: scope.tenantId, name: '', kind: '' }),
  );

/**
 * The subject as the caller may see it (404 otherwise — the route's lookup already reached it through the caller's
 * orgs), its own org, whether the caller moderates, and why a new comment is refused (null: open).
 */
async function subjectFor(db: Queryable, scope: Scope, s: Subject) {
  if (s.kind === 'article') {
    const a = await getArticle(db, scope, s.id);
    const [o] = await db
      .select({ id: org.id, path: org.path })
      .from(org)
      .where(and(eq(org.tenantId, scope.tenantId), eq(org.id, a.orgId)));
    const closed =
      a.status !== 'published' ? '文章尚未发布，不能评论' : a.scheduled ? '文章尚未到发布时间，不能评论' : null;
    return { orgId: a.orgId, title: a.title, moderator: moderates(scope, o!), closed, code: 'ARTICLE_NOT_PUBLISHED' };
  }
  if (s.kind === 'lecture') {
    const l = await getLecture(db, scope, s.id);
    return {
      orgId: l.orgId,
      title: l.title,
      moderator: l.canModerate,
      closed: l.status !== 'published' ? '讲座尚未发布，不能评论' : null,
      code: 'LECTURE_NOT_PUBLISHED',
    };
  }
  const { e, ref } = await loadEntry(db, scope.tenantId, s.id);
  return { orgId: ref.id, title: e.title, moderator: moderates(scope, ref), closed: null, code: '' };
}

/** A comment: shown at once, or held (待审核) when it hits the sensitive-word list. */
export async function postComment(db: Db, scope: Scope, subject: Subject, text: string): Promise<CommentView> {
  const sub = await subjectFor(db, scope, subject);
  if (sub.closed) throw conflict(sub.closed, sub.code);
  const hits = (await matcherFor(db, scope.tenantId)).find(text);
  const status: CommentStatus = hits.length ? 'held' : 'shown';
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  const authorName = m && !m.leftAt ? m.name : actorName(scope);
  return db.transaction(async (tx) => {
    await checkRate(tx, scope);
    const [c] = await tx
      .insert(mediaComment)
      .values({
        tenantId: scope.tenantId,
        articleId: subject.kind === 'article' ? subject.id : null,
        lectureId: subject.kind === 'lecture' ? subject.id : null,
        entryId: subject.kind === 'entry' ? subject.id : null,
        orgId: sub.orgId,
        userId: scope.principal.user.id,
        authorName,
        text: text.trim(),
        status,
        hits,
        createdAt: now(),
      })
      .returning();
    if (status === 'shown') await countShown(tx, subject, 1);
    else
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'media.comment.held',
        recipients: { orgRoles: [{ orgId: sub.orgId, roles: RECORD_KEEPERS, nearest: true }] },
        data: { what: COMMENT_SUBJECT_LABELS[subject.kind], title: sub.title },
        link: '/media?tab=comments',
        dedupeKey: `media.comment.held:${c!.id}`,
      });
    await writeAudit(tx, scope.actor, {
      action: 'media.comment.create',
      entityType: 'media_comment',
      entityId: c!.id,
      org: scope.org,
      after: { [`${subject.kind}Id`]: subject.id, status, chars: c!.text.length, hits },
    });
    return view(c!, scope.principal.user.id, sub.moderator);
  });
}

/** Articles keep a count of their shown comments (the feed shows it); lectures and entries count when listed. */
async function countShown(tx: Queryable, s: Subject, by: 1 | -1) {
  if (s.kind !== 'article') return;
  await (tx as Db)
    .update(mediaArticle)
    .set({
      commentCount: by > 0 ? sql`${mediaArticle.commentCount} + 1` : sql`greatest(${mediaArticle.commentCount} - 1, 0)`,
    })
    .where(eq(mediaArticle.id, s.id));
}

/**
 * COMMENT_RATE_LIMITS, per person over all articles: inside the posting transaction, after a per-user advisory lock,
 * so two comments sent at once are counted one after the other. 429 with a Chinese message.
 */
async function checkRate(tx: Queryable, scope: Scope) {
  const uid = scope.principal.user.id;
  await (tx as Db).execute(sql`select pg_advisory_xact_lock(hashtextextended(${`media.comment:${uid}`}, 0))`);
  const at = now().getTime();
  for (const w of COMMENT_RATE_LIMITS) {
    const [r] = await (tx as Db)
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaComment)
      .where(
        and(
          eq(mediaComment.tenantId, scope.tenantId),
          eq(mediaComment.userId, uid),
          sql`${mediaComment.createdAt} > ${new Date(at - w.seconds * 1000)}`,
        ),
      );
    if ((r?.n ?? 0) >= w.max)
      throw new AppError(429, 'COMMENT_RATE', `评论太频繁：${w.label}内最多发表 ${w.max} 条，请稍后再试`);
  }
}

/**
 * The author deletes their own comment: its text is erased at once (the row stays as 'deleted', without text, so
 * the rate limit still counts it); a shown one leaves the article's count. Someone else's shown comment → 403,
 * a hidden one (held/rejected) → 404. Audited without the text.
 */
export async function deleteComment(db: Db, scope: Scope, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(mediaComment)
      .where(and(eq(mediaComment.tenantId, scope.tenantId), eq(mediaComment.id, id)))
      .for('update');
    if (!before || before.status === 'deleted') throw notFound();
    if (before.userId !== scope.principal.user.id) {
      if (before.status === 'shown') throw forbidden('只能删除自己的评论；不当评论请由审核人处理', 'COMMENT_NOT_MINE');
      throw notFound();
    }
    await tx
      .update(mediaComment)
      .set({
        status: 'deleted',
        text: '',
        hits: [],
        reason: null,
        decidedBy: scope.actor.username ?? '系统',
        decidedAt: now(),
      })
      .where(eq(mediaComment.id, id));
    if (before.status === 'shown') await countShown(tx, subjectOfRow(before), -1);
    await writeAudit(tx, scope.actor, {
      action: 'media.comment.delete',
      entityType: 'media_comment',
      entityId: id,
      org: scope.org,
      before: { status: before.status, chars: before.text.length },
      after: { status: 'deleted' },
    });
  });
}

/** The comments the caller sees on a subject, newest first: shown ones, their own, and all for moderators (never deleted ones). */
export async function listComments(db: Queryable, scope: Scope, subject: Subject, page: number, pageSize: number) {
  const { moderator } = await subjectFor(db, scope, subject);
  const uid = scope.principal.user.id;
  const where = and(
    eq(mediaComment.tenantId, scope.tenantId),
    eq(subjectColumn[subject.kind], subject.id),
    sql`${mediaComment.status} <> 'deleted'`,
    moderator ? undefined : sql`(${mediaComment.status} = 'shown' or ${mediaComment.userId} = ${uid})`,
  );
  const { rows, total } = await commentPage(db, where, desc(mediaComment.createdAt), page, pageSize);
  return { items: rows.map((r) => view(r.c, uid, moderator)), total };
}

/** The moderators' queue: comments on the subjects of the caller's org subtree, held ones by default, oldest first. */
export async function commentQueue(
  db: Queryable,
  scope: Scope,
  status: CommentStatus,
  page: number,
  pageSize: number,
): Promise<{ items: QueuedComment[]; total: number }> {
  const where = and(
    eq(mediaComment.tenantId, scope.tenantId),
    eq(mediaComment.status, status),
    sql`${org.path} like ${`${scope.org.path}%`}`,
  );
  const { rows, total } = await commentPage(
    db,
    where,
    status === 'held' ? asc(mediaComment.createdAt) : desc(mediaComment.createdAt),
    page,
    pageSize,
  );
  return {
    items: rows.map((r) => {
      const v = view(r.c, scope.principal.user.id, true);
      const link =
        v.subjectKind === 'article'
          ? `/media/articles/${v.subjectId}`
          : v.subjectKind === 'lecture'
            ? `/media/lectures/${v.subjectId}`
            : `/media/contests/${r.contestId}`;
      return { ...v, subjectTitle: r.title ?? '', subjectLink: link, orgName: r.orgName };
    }),
    total,
  };
}

/** The title of what a comment is on (one of the three left joins matches). */
const subjectTitle = sql<
  string | null
>`coalesce(${mediaArticle.title}, ${mediaLecture.title}, ${mediaContestEntry.title})`;

async function commentPage(db: Queryable, where: SQL | undefined, order: SQL, page: number, pageSize: number) {
  const { items: rows, total } = await pageWhere(
    db
      .select({ c: mediaComment, title: subjectTitle, contestId: mediaContestEntry.contestId, orgName: org.name })
      .from(mediaComment)
      .innerJoin(org, onKey(org, mediaComment.orgId, mediaComment))
      .leftJoin(mediaArticle, onKey(mediaArticle, mediaComment.articleId, mediaComment))
      .leftJoin(mediaLecture, onKey(mediaLecture, mediaComment.lectureId, mediaComment))
      .leftJoin(mediaContestEntry, onKey(mediaContestEntry, mediaComment.entryId, mediaComment))
      .$dynamic(),
    countFrom(db, mediaComment).innerJoin(org, onKey(org, mediaComment.orgId, mediaComment)),
    where,
    [order, asc(mediaComment.id)],
    page,
    pageSize,
  );
  return { rows, total };
}

/** A moderator approves a held comment (shown, counted) or rejects it with a reason (its author sees the reason). */
export async function decideComment(db: Db, scope: Scope, id: string, input: CommentDecision): Promise<CommentView> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(mediaComment)
      .where(and(eq(mediaComment.tenantId, scope.tenantId), eq(mediaComment.id, id)))
      .for('update');
    if (!before) throw notFound();
    if (before.status !== 'held')
      throw conflict(`该评论${before.status === 'shown' ? '已显示' : '已拒绝'}，不在待审核状态`, 'COMMENT_DECIDED');
    const reason = input.approve ? null : (input.reason ?? '').trim();
    const [c] = await tx
      .update(mediaComment)
      .set({
        status: input.approve ? 'shown' : 'rejected',
        reason,
        decidedBy: scope.actor.username ?? '系统',
        decidedAt: now(),
      })
      .where(eq(mediaComment.id, id))
      .returning();
    if (input.approve) await countShown(tx, subjectOfRow(before), 1);
    await writeAudit(tx, scope.actor, {
      action: input.approve ? 'media.comment.approve' : 'media.comment.reject',
      entityType: 'media_comment',
      entityId: id,
      org: scope.org,
      before: { status: before.status, hits: before.hits },
      after: { status: c!.status, ...(reason ? { reason } : {}) },
    });
    return view(c!, scope.principal.user.id, true);
  });
}

/** The comments a person wrote, with their state and what they are on (their part of the PIPL copy). */
export async function personalComments(db: Queryable, tenantId: string, userId: string) {
  const rows = await db
    .select({ c: mediaComment, title: subjectTitle })
    .from(mediaComment)
    .leftJoin(mediaArticle, onKey(mediaArticle, mediaComment.articleId, mediaComment))
    .leftJoin(mediaLecture, onKey(mediaLecture, mediaComment.lectureId, mediaComment))
    .leftJoin(mediaContestEntry, onKey(mediaContestEntry, mediaComment.entryId, mediaComment))
    .where(
      and(
        eq(mediaComment.tenantId, tenantId),
        eq(mediaComment.userId, userId),
        sql`${mediaComment.status} <> 'deleted'`,
      ),
    )
    .orderBy(asc(mediaComment.createdAt), asc(mediaComment.id));
  return rows.map(({ c, title }) => {
    const s = subjectOfRow(c);
    return {
      on: COMMENT_SUBJECT_LABELS[s.kind],
      subjectId: s.id,
      subjectTitle: title ?? '',
      text: c.text,
      status: c.status,
      reason: c.reason,
      createdAt: c.createdAt.toISOString(),
    };
  });
}
