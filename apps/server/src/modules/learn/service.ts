/**
 * 学习教育: content (courses, micro-videos, 党建百科, e-library) with search, learning records,
 * the question bank, daily practice, exams and optional points (packages/shared learn.ts has the
 * rules and their sources).
 *
 * Who sees what: content, questions and exams belong to the org that published them and are seen
 * on the line through the caller's org — published above it (for everyone below) or below it (by
 * the managers who oversee it). A learner's own records, answers and points are theirs: other
 * members never reach them, managers of the learner's org do.
 */
import {
  addDays,
  audienceBinds,
  COMPLETE_SHARE,
  DAILY_POINTS_CAP,
  DAILY_QUESTIONS,
  FINGERTIP_FORMALISM,
  MIN_READ_SECONDS,
  POINT_REASONS,
  POINT_RULES,
  normaliseFill,
  QUESTION_CATEGORIES,
  QUESTION_DIFFICULTIES,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  SHUFFLED_KINDS,
  drawTotal,
  type BankCount,
  now,
  pointsFor,
  todayInChina,
  type Attempt,
  type Exam,
  type ExamInput,
  type ItemBrief,
  type ItemDetail,
  type ItemInput,
  type ItemPatch,
  type LearnFile,
  type LearnKind,
  type LearnRecord,
  type LearnSettings,
  type LearnTodo,
  type MediaRendition,
  type MyPoints,
  type OfflineReply,
  type Participation,
  PRACTICE_RULE,
  type PracticeSetting,
  type Ranking,
  type RankingSetting,
  RANKING_RULE,
  type PointReason,
  type ProgressReply,
  type Question,
  type QuestionEdit,
  type QuestionInput,
  type QuestionResult,
  type SearchHit,
  inGroup,
  RECORD_KEEPERS,
  RECORD_READERS,
} from '@xianfeng/shared';
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { pinyin } from 'pinyin-pro';
import {
  covers,
  loadBindings,
  orgOfRow,
  pathPrefixes,
  type Caller,
  type OrgRef,
  type Scope,
} from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { allPages, countFrom, pageWhere } from '../../platform/paging';
import { appUser, org } from '../../platform/schema';
import { openActivistsWithin } from '../develop/service';
import { memberOfUser, onRollAs } from '../member/service';
import { renditionsOf } from './media';
import { learnersOfMonth } from './participation';
import {
  learnAttempt,
  learnExam,
  learnFile,
  learnItem,
  learnLesson,
  learnLessonRecord,
  learnOrgSettings,
  learnPoint,
  learnQuestion,
  learnRecord,
  learnSettings,
} from './schema';

const isReader = (role: string) => inGroup(RECORD_READERS, role);

type ItemRow = typeof learnItem.$inferSelect;
type AttemptRow = typeof learnAttempt.$inferSelect;
type QuestionRow = typeof learnQuestion.$inferSelect;

/** Totals are exact up to this many matches (as the roster's). */
export const TOTAL_CAP = 10_000;

// ---------------------------------------------------------------- visibility

/** Rows whose org (path in `pathCol`) is on the line through `at`: above it, it, or below it. */
const onLine = (pathCol: SQLWrapper, at: OrgRef): SQL =>
  sql`(${pathCol} in (${sql.join(
    pathPrefixes(at.path).map((p) => sql`${p}`),
    sql`, `,
  )}) or ${pathCol} like ${`${at.path}%`})`;
const inSubtree = (at: OrgRef): SQL => sql`${org.path} like ${`${at.path}%`}`;

/**
 * For the access layer: the org a caller reaches a record of `recordOrgId` through. A record published
 * above one of the caller's orgs is reached through that org of theirs (a member reads the group
 * committee's course); anything else is the record's own org, which the platform then checks.
 */
async function reachedThrough(db: Queryable, tenantId: string, recordOrgId: string, caller: Caller): Promise<string> {
  const [row] = await db
    .select({ path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, recordOrgId)));
  if (!row) return recordOrgId;
  const bindings = await loadBindings(db, tenantId, caller.userId);
  const below = bindings.find((b) => b.org.path.startsWith(row.path));
  return below?.org.id ?? recordOrgId;
}

/** Access lookup (reading): an item, through the caller's line. */
export async function orgOfItem(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
  const orgId = await ownerOrgOfItem(db, tenantId, id);
  return orgId && reachedThrough(db, tenantId, orgId, caller);
}
/** Access lookup (editing): the item's own org — only its managers edit it. */
export const ownerOrgOfItem = orgOfRow(learnItem);
export async function orgOfExam(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
  const orgId = await ownerOrgOfExam(db, tenantId, id);
  return orgId && reachedThrough(db, tenantId, orgId, caller);
}
export const ownerOrgOfExam = orgOfRow(learnExam);
export const orgOfQuestion = orgOfRow(learnQuestion);
/**
 * Access lookup of an attempt: the learner reaches their own through an org of theirs (wherever it was
 * recorded); anyone else through the learner's org, where `loadAttempt` then admits only readers
 * (managers, auditors) covering it — another member of the same branch gets 404.
 */
export async function orgOfAttempt(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const [row] = await db
    .select({ orgId: learnAttempt.orgId, userId: learnAttempt.userId })
    .from(learnAttempt)
    .where(and(eq(learnAttempt.tenantId, tenantId), eq(learnAttempt.id, id)));
  if (!row) return null;
  if (row.userId === caller.userId) return (await loadBindings(db, tenantId, caller.userId))[0]?.org.id ?? row.orgId;
  return row.orgId;
}

/** May the caller manage records of this org (a reader binding covering it)? */
const readsOrg = (scope: Scope, target: OrgRef) =>
  scope.principal.bindings.some((b) => isReader(b.role) && covers(b.org, target));
const managesOrg = (scope: Scope, target: OrgRef) =>
  scope.principal.bindings.some((b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, target));

async function orgRefOf(db: Queryable, tenantId: string, orgId: string): Promise<OrgRef> {
  const [row] = await db
    .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, orgId)));
  if (!row) throw notFound('组织不存在');
  return row;
}

// ---------------------------------------------------------------- learners and points

export type Learner = { userId: string; memberId: string | null; orgId: string; name: string; status: string | null };

/** Who is learning: the caller's member record when they have one (its org scopes their records). */
export async function learnerOf(db: Queryable, scope: Scope): Promise<Learner> {
  const user = scope.principal.user;
  const m = await memberOfUser(db, scope.tenantId, user.id);
  if (m && !m.leftAt) return { userId: user.id, memberId: m.id, orgId: m.orgId, name: m.name, status: m.status };
  return {
    userId: user.id,
    memberId: null,
    orgId: scope.org.id,
    name: user.displayName || user.username,
    status: null,
  };
}

/** The audiences (必修对象) that bind a learner of this member status: what their to-do and reminders include. */
const audiencesOf = (status: string | null) => (status === 'probationary' ? ['all', 'probationary'] : ['all']);

/** The member status of the caller (null without a member record), for whom a required item binds. */
async function statusOf(db: Queryable, scope: Scope): Promise<string | null> {
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  return m && !m.leftAt ? m.status : null;
}

/**
 * Members (alias `m`) a required item or exam of this audience binds. 入党积极分子/发展对象 are develop persons,
 * not members: an `activist` item binds no member.
 */
export const audienceWhere = (audience: string): SQL =>
  audience === 'all' ? sql`true` : audience === 'probationary' ? sql`m.status = 'probationary'` : sql`false`;

export async function getSettings(db: Queryable, tenantId: string): Promise<LearnSettings> {
  const [row] = await db.select().from(learnSettings).where(eq(learnSettings.tenantId, tenantId));
  return { pointsEnabled: row?.pointsEnabled ?? false };
}

export async function putSettings(db: Db, scope: Scope, input: LearnSettings): Promise<LearnSettings> {
  return db.transaction(async (tx) => {
    const before = await getSettings(tx, scope.tenantId);
    await tx
      .insert(learnSettings)
      .values({ tenantId: scope.tenantId, pointsEnabled: input.pointsEnabled, updatedAt: now() })
      .onConflictDoUpdate({
        target: learnSettings.tenantId,
        set: { pointsEnabled: input.pointsEnabled, updatedAt: now() },
      });
    await writeAudit(tx, scope.actor, {
      action: 'learn.settings',
      entityType: 'learn_settings',
      entityId: scope.tenantId,
      before,
      after: input,
    });
    return input;
  });
}

/**
 * Awards points for one finished piece of learning, inside the transaction that finished it: nothing
 * when points are off, once per person, reason and content ever, and cut to the day's caps. The
 * person's account row is locked first so two reports at once cannot both pass a cap.
 */
export async function award(
  tx: Tx,
  tenantId: string,
  userId: string,
  reason: PointReason,
  refId: string,
  title: string,
  units = 1,
): Promise<number> {
  if (!(await getSettings(tx, tenantId)).pointsEnabled || units <= 0) return 0;
  await tx.execute(
    sql`select 1 from ${appUser} where ${appUser.tenantId} = ${tenantId} and ${appUser.id} = ${userId} for update`,
  );
  const today = todayInChina();
  const [sums] = await tx
    .select({
      forReason: sql<number>`coalesce(sum(${learnPoint.points}) filter (where ${learnPoint.reason} = ${reason}), 0)::int`,
      total: sql<number>`coalesce(sum(${learnPoint.points}), 0)::int`,
      already: sql<number>`count(*) filter (where ${learnPoint.reason} = ${reason} and ${learnPoint.refId} = ${refId})::int`,
    })
    .from(learnPoint)
    .where(and(eq(learnPoint.tenantId, tenantId), eq(learnPoint.userId, userId), eq(learnPoint.onDate, today)));
  const [ever] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(learnPoint)
    .where(
      and(
        eq(learnPoint.tenantId, tenantId),
        eq(learnPoint.userId, userId),
        eq(learnPoint.reason, reason),
        eq(learnPoint.refId, refId),
      ),
    );
  if ((ever?.n ?? 0) > 0 || (sums?.already ?? 0) > 0) return 0;
  const points = pointsFor(reason, sums?.forReason ?? 0, sums?.total ?? 0, units);
  if (points <= 0) return 0;
  await tx.insert(learnPoint).values({ tenantId, userId, onDate: today, reason, refId, title, points });
  return points;
}

export async function myPoints(db: Queryable, scope: Scope): Promise<MyPoints> {
  const userId = scope.principal.user.id;
  const today = todayInChina();
  const [{ enabled }, sums, recent] = await Promise.all([
    getSettings(db, scope.tenantId).then((s) => ({ enabled: s.pointsEnabled })),
    db
      .select({
        reason: learnPoint.reason,
        total: sql<number>`sum(${learnPoint.points})::int`,
        today: sql<number>`coalesce(sum(${learnPoint.points}) filter (where ${learnPoint.onDate} = ${today}), 0)::int`,
      })
      .from(learnPoint)
      .where(and(eq(learnPoint.tenantId, scope.tenantId), eq(learnPoint.userId, userId)))
      .groupBy(learnPoint.reason),
    db
      .select()
      .from(learnPoint)
      .where(and(eq(learnPoint.tenantId, scope.tenantId), eq(learnPoint.userId, userId)))
      .orderBy(desc(learnPoint.createdAt))
      .limit(20),
  ]);
  const by = new Map(sums.map((s) => [s.reason, s]));
  return {
    enabled,
    total: sums.reduce((a, s) => a + s.total, 0),
    today: sums.reduce((a, s) => a + s.today, 0),
    dailyCap: DAILY_POINTS_CAP,
    rules: POINT_REASONS.map((r) => ({ ...POINT_RULES[r], today: by.get(r)?.today ?? 0 })).map(
      ({ reason, label, points, dailyCap, today: t }) => ({ reason, label, points, dailyCap, today: t }),
    ),
    recent: recent.map((p) => ({
      on: p.onDate,
      reason: p.reason as PointReason,
      label: POINT_RULES[p.reason as PointReason].label,
      points: p.points,
      title: p.title,
    })),
    citation: `${FINGERTIP_FORMALISM.text}${FINGERTIP_FORMALISM.confirmed ? '' : '（出处待核对）'}`,
  };
}

// ---------------------------------------------------------------- points ranking (opt-in per 党支部)

/** The 党支部 a ranking is kept for: the nearest branch on the line through `at` (it, or a 党小组's branch). */
async function branchOf(db: Queryable, tenantId: string, at: OrgRef): Promise<OrgRef | null> {
  const rows = await db
    .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), inArray(org.path, pathPrefixes(at.path)), eq(org.kind, 'branch')));
  return rows.sort((a, b) => b.path.length - a.path.length)[0] ?? null;
}

export async function getRankingSetting(
  db: Queryable,
  scope: Scope,
): Promise<RankingSetting & { pointsEnabled: boolean; isBranch: boolean; note: string }> {
  const [row] = await db
    .select()
    .from(learnOrgSettings)
    .where(and(eq(learnOrgSettings.tenantId, scope.tenantId), eq(learnOrgSettings.orgId, scope.org.id)));
  return {
    rankingEnabled: row?.rankingEnabled ?? false,
    pointsEnabled: (await getSettings(db, scope.tenantId)).pointsEnabled,
    isBranch: scope.org.kind === 'branch',
    note: `${RANKING_RULE.text}。依据：${RANKING_RULE.citation.text}${RANKING_RULE.citation.confirmed ? '' : '（出处待核对）'}`,
  };
}

/** The practice categories chosen nearest on the line through `at` (it, or the closest org above with a choice). */
async function practiceChoice(db: Queryable, tenantId: string, at: OrgRef) {
  const rows = await db
    .select({ id: org.id, name: org.name, path: org.path, categories: learnOrgSettings.practiceCategories })
    .from(learnOrgSettings)
    .innerJoin(org, onKey(org, learnOrgSettings.orgId, learnOrgSettings))
    .where(
      and(
        eq(org.tenantId, tenantId),
        inArray(org.path, pathPrefixes(at.path)),
        isNotNull(learnOrgSettings.practiceCategories),
      ),
    );
  return rows.sort((a, b) => b.path.length - a.path.length)[0] ?? null;
}

/** 每日一练的题目范围 of the caller's org (or `orgId`): its own choice and what its members' practice draws from. */
export async function getPracticeSetting(db: Queryable, scope: Scope): Promise<PracticeSetting> {
  const [own] = await db
    .select({ categories: learnOrgSettings.practiceCategories })
    .from(learnOrgSettings)
    .where(and(eq(learnOrgSettings.tenantId, scope.tenantId), eq(learnOrgSettings.orgId, scope.org.id)));
  const eff = await practiceChoice(db, scope.tenantId, scope.org);
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    categories: own?.categories ?? null,
    effective: { categories: eff?.categories ?? null, fromOrgId: eff?.id ?? null, fromOrgName: eff?.name ?? null },
    note: `${PRACTICE_RULE.text}。依据：${PRACTICE_RULE.citation.text}${PRACTICE_RULE.citation.confirmed ? '' : '（出处待核对）'}`,
  };
}

/** Keepers choose (or clear, with null) the practice categories of their org's subtree; audited. */
export async function putPracticeSetting(db: Db, scope: Scope, categories: string[] | null): Promise<PracticeSetting> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(learnOrgSettings)
      .where(and(eq(learnOrgSettings.tenantId, scope.tenantId), eq(learnOrgSettings.orgId, scope.org.id)));
    const by = scope.actor.username ?? '系统';
    await tx
      .insert(learnOrgSettings)
      .values({
        orgId: scope.org.id,
        tenantId: scope.tenantId,
        practiceCategories: categories,
        updatedBy: by,
        updatedAt: now(),
      })
      .onConflictDoUpdate({
        target: learnOrgSettings.orgId,
        set: { practiceCategories: categories, updatedBy: by, updatedAt: now() },
      });
    await writeAudit(tx, scope.actor, {
      action: 'learn.practice.setting',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      before: { categories: before?.practiceCategories ?? null },
      after: { categories },
    });
  });
  return getPracticeSetting(db, scope);
}

/** A 党支部 turns its own members' ranking on or off (keepers of the branch or above it); audited. */
export async function putRankingSetting(db: Db, scope: Scope, input: RankingSetting) {
  if (scope.org.kind !== 'branch')
    throw unprocessable(
      '积分排行只能由党支部为本支部党员开启（不在支部之间、也不向上级公开排名）',
      [{ field: 'orgId', message: '须为党支部' }],
      'NOT_A_BRANCH',
    );
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(learnOrgSettings)
      .where(and(eq(learnOrgSettings.tenantId, scope.tenantId), eq(learnOrgSettings.orgId, scope.org.id)));
    await tx
      .insert(learnOrgSettings)
      .values({
        orgId: scope.org.id,
        tenantId: scope.tenantId,
        rankingEnabled: input.rankingEnabled,
        updatedBy: scope.actor.username ?? '系统',
        updatedAt: now(),
      })
      .onConflictDoUpdate({
        target: learnOrgSettings.orgId,
        set: { rankingEnabled: input.rankingEnabled, updatedBy: scope.actor.username ?? '系统', updatedAt: now() },
      });
    await writeAudit(tx, scope.actor, {
      action: 'learn.ranking.setting',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      before: { rankingEnabled: before?.rankingEnabled ?? false },
      after: input,
    });
  });
  return getRankingSetting(db, scope);
}

/**
 * The caller's own 党支部's points ranking for this year: only when the tenant has points on and the branch
 * turned its ranking on; only members on its roll with an account and points this year; nobody else's
 * branch (there is no parameter to name another one). Off: nothing but the caller's own points.
 */
export async function ranking(db: Queryable, scope: Scope, page: number, pageSize: number): Promise<Ranking> {
  const learner = await learnerOf(db, scope);
  const branch = await branchOf(db, scope.tenantId, await orgRefOf(db, scope.tenantId, learner.orgId));
  const pointsEnabled = (await getSettings(db, scope.tenantId)).pointsEnabled;
  const [setting] = branch
    ? await db
        .select()
        .from(learnOrgSettings)
        .where(and(eq(learnOrgSettings.tenantId, scope.tenantId), eq(learnOrgSettings.orgId, branch.id)))
    : [];
  const year = todayInChina().slice(0, 4);
  const from = `${year}-01-01`;
  const [own] = await db
    .select({ n: sql<number>`coalesce(sum(${learnPoint.points}), 0)::int` })
    .from(learnPoint)
    .where(
      and(
        eq(learnPoint.tenantId, scope.tenantId),
        eq(learnPoint.userId, learner.userId),
        sql`${learnPoint.onDate} >= ${from}`,
      ),
    );
  const enabled = Boolean(pointsEnabled && branch && setting?.rankingEnabled);
  const base = {
    enabled,
    pointsEnabled,
    orgId: branch?.id ?? null,
    orgName: branch?.name ?? null,
    year,
    note: `${RANKING_RULE.text}。依据：${RANKING_RULE.citation.text}${RANKING_RULE.citation.confirmed ? '' : '（出处待核对）'}`,
  };
  if (!enabled || !branch) return { ...base, items: [], total: 0, mine: { rank: null, points: own?.n ?? 0 } };
  const ranked = sql`
    with pts as (
      select m.id, m.name, m.user_id, sum(p.points)::int as points
      from member m
      join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
      join learn_point p on p.user_id = m.user_id and p.on_date >= ${from}
      where m.tenant_id = ${scope.tenantId} and o.path like ${`${branch.path}%`} and ${onRollAs('m')}
      group by m.id, m.name, m.user_id
      having sum(p.points) > 0
    )
    select id, name, user_id as "userId", points, rank() over (order by points desc)::int as rank from pts`;
  type Row = { id: string; name: string; userId: string; points: number; rank: number };
  const [rows, [count], [me]] = await Promise.all([
    queryRows<Row>(
      db,
      sql`select * from (${ranked}) r order by rank, name, id limit ${pageSize} offset ${(page - 1) * pageSize}`,
    ),
    queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${ranked}) r`),
    queryRows<Row>(db, sql`select * from (${ranked}) r where r."userId" = ${learner.userId}`),
  ]);
  return {
    ...base,
    items: rows.map((r) => ({ rank: r.rank, name: r.name, points: r.points, me: r.userId === learner.userId })),
    total: count?.n ?? 0,
    mine: { rank: me?.rank ?? null, points: own?.n ?? 0 },
  };
}

// ---------------------------------------------------------------- content

/**
 * The pinyin initial of each character of a title, lower case ('' for punctuation and spaces; a Latin letter or digit
 * is its own). pinyin-pro splits by code point, so a title with characters outside the BMP gives fewer entries than
 * its UTF-16 length — initialsMarks relies on that to refuse it.
 */
const initialsPerChar = (title: string) =>
  pinyin(title, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'spaced' }).map((c) =>
    c.toLowerCase().replace(/[^a-z0-9]/g, ''),
  );

/** The stored `title_initials`, searched by letters-only words. */
const initialsOf = (title: string) => initialsPerChar(title).join('');

const itemValues = (input: Partial<ItemInput>) => ({
  ...(input.title !== undefined && { title: input.title, titleInitials: initialsOf(input.title) }),
  ...(input.summary !== undefined && { summary: input.summary }),
  ...(input.body !== undefined && { body: input.body }),
  ...(input.keywords !== undefined && { keywords: input.keywords.join(' ') }),
  ...(input.author !== undefined && { author: input.author }),
  ...(input.minutes !== undefined && { minutes: input.minutes }),
  ...(input.required !== undefined && { required: input.required }),
  ...(input.dueOn !== undefined && { dueOn: input.dueOn }),
  ...(input.audience !== undefined && { audience: input.audience }),
});

function checkRequired(v: { required: boolean; dueOn: string | null }) {
  if (v.required && !v.dueOn)
    throw unprocessable(
      '必修内容须设截止日期',
      [{ field: 'dueOn', message: '必修内容须设截止日期' }],
      'DUE_DATE_REQUIRED',
    );
}

export async function createItem(db: Db, scope: Scope, input: ItemInput): Promise<ItemDetail> {
  checkRequired(input);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(learnItem)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        kind: input.kind,
        ...itemValues(input),
        title: input.title,
        titleInitials: initialsOf(input.title),
        publishedAt: input.published ? now() : null,
        createdBy: scope.actor.username ?? '系统',
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'learn.item.create',
      entityType: 'learn_item',
      entityId: row!.id,
      org: scope.org,
      after: {
        kind: row!.kind,
        title: row!.title,
        required: row!.required,
        dueOn: row!.dueOn,
        audience: row!.audience,
        published: input.published,
      },
    });
    // A course is its lessons: it starts as one text lesson of its own content (the keepers add, edit and order more).
    if (row!.kind === 'course')
      await tx.insert(learnLesson).values({
        tenantId: scope.tenantId,
        itemId: row!.id,
        position: 1,
        kind: 'text',
        title: row!.title,
        body: row!.body,
        minutes: row!.minutes,
      });
    return row!.id;
  });
  return getItem(db, scope, id);
}

/**
 * For other modules (media's 微视频征集 「发布到学习」): a published micro-video of `scope.org`, made inside the
 * caller's transaction, whose video bytes are already in the platform file store (the learn file row points at
 * the same storage key; stored files are never deleted). Audited as learn's own create and upload are.
 */
export async function addPublishedVideo(
  tx: Tx,
  scope: Scope,
  input: {
    title: string;
    summary: string;
    author: string;
    minutes: number;
    keywords: string[];
    video: { fileName: string; mime: string; size: number; sha256: string; storageKey: string } | null;
  },
): Promise<string> {
  const [row] = await tx
    .insert(learnItem)
    .values({
      tenantId: scope.tenantId,
      orgId: scope.org.id,
      kind: 'video',
      ...itemValues({
        title: input.title,
        summary: input.summary,
        author: input.author,
        minutes: input.minutes,
        keywords: input.keywords,
      }),
      title: input.title,
      titleInitials: initialsOf(input.title),
      publishedAt: now(),
      createdBy: scope.actor.username ?? '系统',
    })
    .returning();
  await writeAudit(tx, scope.actor, {
    action: 'learn.item.create',
    entityType: 'learn_item',
    entityId: row!.id,
    org: scope.org,
    after: {
      kind: 'video',
      title: row!.title,
      required: false,
      dueOn: null,
      published: true,
      source: input.keywords.join(' '),
    },
  });
  if (input.video) {
    const [file] = await tx
      .insert(learnFile)
      .values({
        ...input.video,
        tenantId: scope.tenantId,
        itemId: row!.id,
        role: 'video',
        uploadedBy: scope.actor.username,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'learn.file.upload',
      entityType: 'learn_item',
      entityId: row!.id,
      org: scope.org,
      after: {
        fileId: file!.id,
        role: 'video',
        fileName: file!.fileName,
        mime: file!.mime,
        size: file!.size,
        sha256: file!.sha256,
      },
    });
  }
  return row!.id;
}

export async function updateItem(db: Db, scope: Scope, id: string, patch: ItemPatch): Promise<ItemDetail> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(learnItem)
      .where(and(eq(learnItem.tenantId, scope.tenantId), eq(learnItem.id, id)))
      .for('update');
    if (!before) throw notFound();
    checkRequired({
      required: patch.required ?? before.required,
      dueOn: patch.dueOn !== undefined ? patch.dueOn : before.dueOn,
    });
    const set = {
      ...itemValues(patch),
      ...(patch.published !== undefined && { publishedAt: patch.published ? (before.publishedAt ?? now()) : null }),
      ...(patch.retired !== undefined && { retiredAt: patch.retired ? (before.retiredAt ?? now()) : null }),
      updatedAt: now(),
    };
    await tx
      .update(learnItem)
      .set(set)
      .where(and(eq(learnItem.tenantId, scope.tenantId), eq(learnItem.id, id)));
    const pick = (r: Partial<ItemRow>) =>
      Object.fromEntries(
        Object.keys(set)
          .filter((k) => k !== 'updatedAt' && k !== 'body')
          .map((k) => [k, r[k as keyof ItemRow]]),
      );
    await writeAudit(tx, scope.actor, {
      action: 'learn.item.update',
      entityType: 'learn_item',
      entityId: id,
      org: scope.org,
      before: pick(before),
      after: {
        ...pick(set as Partial<ItemRow>),
        ...(patch.body !== undefined && { body: `（${patch.body.length} 字）` }),
      },
    });
  });
  return getItem(db, scope, id);
}

type RecordBrief = { progress: number; completedAt: Date | null };

function brief(
  r: ItemRow,
  orgName: string,
  files: { role: string }[],
  rec: RecordBrief | undefined,
  status: string | null,
): ItemBrief {
  return {
    id: r.id,
    kind: r.kind as LearnKind,
    title: r.title,
    summary: r.summary,
    orgId: r.orgId,
    orgName,
    minutes: r.minutes,
    required: r.required,
    dueOn: r.dueOn,
    audience: r.audience as ItemBrief['audience'],
    forMe: r.required && audienceBinds(r.audience, status),
    publishedAt: r.publishedAt?.toISOString() ?? null,
    hasVideo: files.some((f) => f.role === 'video'),
    hasCover: files.some((f) => f.role === 'cover'),
    progress: rec ? rec.progress : null,
    completed: Boolean(rec?.completedAt),
  };
}

async function filesOf(db: Queryable, tenantId: string, itemIds: string[]) {
  if (itemIds.length === 0) return [];
  // Uploads only: a video's rendition and poster come with it (media.ts), not as files of their own.
  return db
    .select()
    .from(learnFile)
    .where(and(eq(learnFile.tenantId, tenantId), inArray(learnFile.itemId, itemIds), isNull(learnFile.sourceId)))
    .orderBy(asc(learnFile.createdAt));
}

/** A file as the API shows it; a video with its rendition state. */
export const fileView = (
  f: { id: string; fileName: string; mime: string; size: number; role: string },
  media?: Map<string, MediaRendition>,
): LearnFile => {
  const m = media?.get(f.id);
  return { id: f.id, fileName: f.fileName, mime: f.mime, size: f.size, role: f.role, ...(m && { media: m }) };
};
async function recordsOf(db: Queryable, tenantId: string, userId: string, itemIds: string[]) {
  if (itemIds.length === 0) return new Map<string, RecordBrief>();
  const rows = await db
    .select({ itemId: learnRecord.itemId, progress: learnRecord.progress, completedAt: learnRecord.completedAt })
    .from(learnRecord)
    .where(
      and(eq(learnRecord.tenantId, tenantId), eq(learnRecord.userId, userId), inArray(learnRecord.itemId, itemIds)),
    );
  return new Map(rows.map((r) => [r.itemId, r]));
}

/** Visible items: published and on the shelves, on the caller's line; drafts too for managers of their org. */
function itemVisible(scope: Scope): SQL {
  const live = and(isNotNull(learnItem.publishedAt), isNull(learnItem.retiredAt))!;
  const mine = isReader(scope.role) ? and(inSubtree(scope.org), isNull(learnItem.retiredAt))! : sql`false`;
  return and(eq(learnItem.tenantId, scope.tenantId), or(and(live, onLine(org.path, scope.org)), mine))!;
}

export async function getItem(db: Queryable, scope: Scope, id: string): Promise<ItemDetail> {
  const [row] = await db
    .select({ i: learnItem, orgName: org.name, orgPath: org.path })
    .from(learnItem)
    .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
    .where(and(eq(learnItem.tenantId, scope.tenantId), eq(learnItem.id, id)));
  if (!row) throw notFound();
  const owner = await orgRefOf(db, scope.tenantId, row.i.orgId);
  const editable = managesOrg(scope, owner);
  // Drafts and retired items: only the publishing org's managers and readers.
  if ((!row.i.publishedAt || row.i.retiredAt) && !readsOrg(scope, owner)) throw notFound();
  const files = await filesOf(db, scope.tenantId, [id]);
  const media = await renditionsOf(db, files, editable);
  const rec = (await recordsOf(db, scope.tenantId, scope.principal.user.id, [id])).get(id);
  return {
    ...brief(row.i, row.orgName, files, rec, await statusOf(db, scope)),
    body: row.i.body,
    keywords: row.i.keywords ? row.i.keywords.split(' ') : [],
    author: row.i.author,
    files: files.map((f) => fileView(f, media)),
    editable,
  };
}

export async function listItems(
  db: Queryable,
  scope: Scope,
  f: { kind?: LearnKind | undefined; required?: boolean | undefined },
  page: number,
  pageSize: number,
) {
  const where = and(
    itemVisible(scope),
    f.kind ? eq(learnItem.kind, f.kind) : undefined,
    f.required !== undefined ? eq(learnItem.required, f.required) : undefined,
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ i: learnItem, orgName: org.name })
      .from(learnItem)
      .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
      .$dynamic(),
    countFrom(db, learnItem).innerJoin(org, onKey(org, learnItem.orgId, learnItem)),
    where,
    [
      desc(learnItem.required),
      sql`${learnItem.publishedAt} desc nulls first`,
      desc(learnItem.createdAt),
      asc(learnItem.id),
    ],
    page,
    pageSize,
  );
  const ids = rows.map((r) => r.i.id);
  const [files, recs, status] = await Promise.all([
    filesOf(db, scope.tenantId, ids),
    recordsOf(db, scope.tenantId, scope.principal.user.id, ids),
    statusOf(db, scope),
  ]);
  return {
    items: rows.map((r) =>
      brief(
        r.i,
        r.orgName,
        files.filter((x) => x.itemId === r.i.id),
        recs.get(r.i.id),
        status,
      ),
    ),
    total,
  };
}

// ---------------------------------------------------------------- search

const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const SEARCH_TEXT = sql`translate(${learnItem.title} || ' ' || ${learnItem.keywords} || ' ' || ${learnItem.summary} || ' ' || left(${learnItem.body}, 3000), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
const foldCol = (col: SQLWrapper) => sql`translate(${col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/**
 * "The array of grams holds every gram of w": a 1- or 2-character word is one key (exact); a longer
 * one needs all its bigrams, then `recheck` (a LIKE over the text the grams came from).
 */
function gramsContain(grams: SQLWrapper, w: string, recheck: SQL): SQL {
  const chars = Array.from(w);
  if (chars.length <= 2) return sql`${grams} @> array[${w}]::text[]`;
  const bigrams = [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
  return sql`(${grams} @> array[${sql.join(
    bigrams.map((b) => sql`${b}`),
    sql`, `,
  )}]::text[] and ${recheck} like ${`%${likeEscape(w)}%`})`;
}

/** One word matches the text (title, keywords, summary, body start) or, when letters only, the title's pinyin initials. */
function wordMatches(w: string): SQL {
  const inText = gramsContain(learnItem.searchGrams, w, SEARCH_TEXT);
  if (!/^[a-z]+$/.test(w)) return inText;
  return sql`(${inText} or ${gramsContain(learnItem.initialsGrams, w, sql`${learnItem.titleInitials}`)})`;
}

/** Splits q into at most 5 words (ASCII folded). */
export const searchWords = (q: string) => [...new Set(foldAscii(q).trim().split(/\s+/).filter(Boolean))].slice(0, 5);

/**
 * The title's character ranges whose pinyin initials spell a letters-only word: the initials `initialsOf` stores,
 * kept per character, so 「ztdr」 maps back to 主题党日. A title with characters outside the BMP gives no marks
 * rather than wrong ones (its initials do not line up with its UTF-16 offsets).
 */
export function initialsMarks(title: string, words: readonly string[]): [number, number][] {
  const letters = words.filter((w) => /^[a-z]+$/.test(w));
  if (letters.length === 0) return [];
  const per = initialsPerChar(title);
  if (per.length !== title.length) return [];
  // owner[k]: the title index of the k-th letter of the joined initials.
  const owner = per.flatMap((c, i) => Array.from(c, () => i));
  const joined = per.join('');
  const marks: [number, number][] = [];
  for (const w of letters)
    for (let at = joined.indexOf(w); at !== -1; at = joined.indexOf(w, at + 1))
      marks.push([owner[at]!, owner[at + w.length - 1]! + 1]);
  return marks;
}

const SNIPPET_CHARS = 80;

/**
 * 摘录: about 80 characters of `body` around the first place any word occurs (ASCII folded like the search), with
 * 「…」 where it was cut; null when no word is in it. Plain text — the web marks the words itself.
 */
export function snippetOf(body: string, words: readonly string[]): string | null {
  const hay = foldAscii(body);
  const at = Math.min(...words.map((w) => hay.indexOf(w)).filter((i) => i >= 0));
  if (!Number.isFinite(at)) return null;
  const start = Math.max(0, at - SNIPPET_CHARS / 4);
  const end = Math.min(body.length, start + SNIPPET_CHARS);
  // A cut that lands on punctuation starts at the next word: 「…过组织生活」, not 「…、过组织生活」.
  const text = body
    .slice(start, end)
    .replace(/\s+/g, ' ')
    .replace(start > 0 ? /^[\s、，。；：,.;:]+/ : /^\s+/, '')
    .trim();
  return `${start > 0 ? '…' : ''}${text}${end < body.length ? '…' : ''}`;
}

/**
 * GET /learn/search (outside contract): every word of `q` must match; best first by the first word —
 * the title equal to it, starting with it, containing it; then the title's pinyin initials in the same
 * three steps; then keywords; then the summary or body; newer before older within a rank. Total exact
 * up to TOTAL_CAP.
 */
export async function search(
  db: Queryable,
  scope: Scope,
  q: string,
  kind: LearnKind | undefined,
  page: number,
  pageSize: number,
): Promise<{ items: SearchHit[]; total: number; totalCapped?: boolean }> {
  const words = searchWords(q);
  if (words.length === 0) return { items: [], total: 0 };
  const w = words[0]!;
  const pat = likeEscape(w);
  const letters = /^[a-z]+$/.test(w);
  const title = foldCol(learnItem.title);
  const rank = sql<number>`case
    when ${title} = ${w} then 0
    when ${title} like ${`${pat}%`} then 1
    when ${title} like ${`%${pat}%`} then 2
    when ${letters} and ${learnItem.titleInitials} = ${w} then 3
    when ${letters} and ${learnItem.titleInitials} like ${`${pat}%`} then 4
    when ${letters} and ${learnItem.titleInitials} like ${`%${pat}%`} then 5
    when ${foldCol(learnItem.keywords)} like ${`%${pat}%`} then 6
    else 7 end`;
  const where = and(itemVisible(scope), kind ? eq(learnItem.kind, kind) : undefined, ...words.map(wordMatches));
  const matches = db
    .select({ one: sql`1`.as('one') })
    .from(learnItem)
    .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
    .where(where)
    .limit(TOTAL_CAP + 1)
    .as('matches');
  const [rows, [count]] = await Promise.all([
    db
      .select({
        i: {
          id: learnItem.id,
          title: learnItem.title,
          kind: learnItem.kind,
          summary: learnItem.summary,
          publishedAt: learnItem.publishedAt,
        },
        // The part of the body the search reads (SEARCH_TEXT), for the snippet.
        body: sql<string>`left(${learnItem.body}, 3000)`,
        orgName: org.name,
        rank,
      })
      .from(learnItem)
      .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
      .where(where)
      .orderBy(rank, sql`${learnItem.publishedAt} desc nulls last`, asc(learnItem.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(matches),
  ]);
  const matched = ['title', 'title', 'title', 'initials', 'initials', 'initials', 'keywords', 'text'] as const;
  const items = rows.map((r) => ({
    id: r.i.id,
    title: r.i.title,
    kind: r.i.kind as LearnKind,
    summary: r.i.summary,
    orgName: r.orgName,
    publishedAt: r.i.publishedAt?.toISOString() ?? null,
    matched: matched[Number(r.rank)] ?? 'text',
    titleMarks: initialsMarks(r.i.title, words),
    snippet: words.some((x) => foldAscii(`${r.i.title} ${r.i.summary}`).includes(x)) ? null : snippetOf(r.body, words),
  }));
  const n = count?.n ?? 0;
  return n > TOTAL_CAP ? { items, total: TOTAL_CAP, totalCapped: true } : { items, total: n };
}

// ---------------------------------------------------------------- files

export async function insertFile(
  db: Db,
  scope: Scope,
  itemId: string,
  f: Omit<typeof learnFile.$inferInsert, 'tenantId' | 'itemId'>,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(learnFile)
      .values({ ...f, tenantId: scope.tenantId, itemId })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'learn.file.upload',
      entityType: 'learn_item',
      entityId: itemId,
      org: scope.org,
      after: {
        fileId: row!.id,
        role: row!.role,
        fileName: row!.fileName,
        mime: row!.mime,
        size: row!.size,
        sha256: row!.sha256,
      },
    });
    return fileView(row!);
  });
}

export async function loadFile(db: Queryable, scope: Scope, itemId: string, fileId: string) {
  await getItem(db, scope, itemId); // drafts stay hidden
  const [row] = await db
    .select()
    .from(learnFile)
    .where(and(eq(learnFile.tenantId, scope.tenantId), eq(learnFile.itemId, itemId), eq(learnFile.id, fileId)));
  if (!row) throw notFound('文件不存在');
  return row;
}

// ---------------------------------------------------------------- learning records

export const thisMonth = () => todayInChina().slice(0, 7);
export const POINT_REASON_OF: Record<LearnKind, PointReason> = {
  course: 'course_complete',
  video: 'video_complete',
  article: 'article_read',
  book: 'article_read',
};

/** Seconds of real study an item needs before it counts as completed. */
export const secondsToComplete = (kind: LearnKind, minutes: number) =>
  kind === 'course' || kind === 'video' ? Math.ceil(minutes * 60 * COMPLETE_SHARE) : MIN_READ_SECONDS;

/**
 * What a heartbeat claiming `claimed` seconds earns on a record credited up to `rec.lastReportAt` (null: a record
 * started by this report). `last_report_at` is the instant up to which time has been credited. A report claims the
 * seconds just before now; only the part after that instant counts, so no two reports credit the same moment and
 * the credited total never runs ahead of the clock — a flood of reports earns nothing more, a forged 3600 s earns
 * what has passed. A claim cut short keeps its unpaid fraction of a second for the next report.
 */
export function creditFor(rec: { seconds: number; lastReportAt: Date } | null, claimed: number, at: Date) {
  const elapsed = rec ? Math.max(0, (at.getTime() - rec.lastReportAt.getTime()) / 1000) : 0;
  const cut = claimed > elapsed;
  const credited = cut ? Math.floor(elapsed) : claimed;
  const creditedUntil = cut && rec ? new Date(rec.lastReportAt.getTime() + credited * 1000) : at;
  return { credited, creditedUntil, seconds: (rec?.seconds ?? 0) + credited };
}

/** The line under a progress reply: the claim was cut to the clock, or points were capped for the day. */
export async function progressNote(db: Queryable, tenantId: string, cut: boolean, newlyDone: boolean, points: number) {
  if (cut) return '学习时长按实际经过的时间累计';
  return newlyDone && points === 0 && (await getSettings(db, tenantId)).pointsEnabled ? '今日该项积分已达上限' : null;
}

/**
 * A learner's progress report (the page sends it while they watch or read). Time is credited only as
 * fast as the wall clock allows since the last report (no fast-forwarding to completion); completion
 * follows from credited time alone. Audited when the record starts and when it is completed, not per
 * report (a report every half minute would flood the hash-chained log with heartbeats).
 */
export async function reportProgress(
  db: Db,
  scope: Scope,
  itemId: string,
  body: { seconds: number; position?: number | undefined },
): Promise<ProgressReply> {
  const item = await getItem(db, scope, itemId);
  if (!item.publishedAt) throw conflict('草稿还未发布，不能记录学习', 'NOT_PUBLISHED');
  const learner = await learnerOf(db, scope);
  return db.transaction(async (tx) => {
    const at = now();
    const [rec] = await tx
      .select()
      .from(learnRecord)
      .where(and(eq(learnRecord.userId, learner.userId), eq(learnRecord.itemId, itemId)))
      .for('update');
    const { credited, creditedUntil, seconds } = creditFor(rec ?? null, body.seconds, at);
    const need = secondsToComplete(item.kind, item.minutes);
    const done = Boolean(rec?.completedAt) || seconds >= need;
    const progress = done ? 100 : Math.max(rec?.progress ?? 0, Math.min(99, Math.floor((seconds / need) * 100)));
    const month = thisMonth();
    if (!rec) {
      await tx.insert(learnRecord).values({
        tenantId: scope.tenantId,
        userId: learner.userId,
        memberId: learner.memberId,
        orgId: learner.orgId,
        itemId,
        seconds,
        progress,
        completedAt: done ? at : null,
        activeMonth: month,
        lastReportAt: at,
      });
      await writeAudit(tx, scope.actor, {
        action: 'learn.record.start',
        entityType: 'learn_item',
        entityId: itemId,
        after: { learner: learner.name },
      });
    } else
      await tx
        .update(learnRecord)
        .set({
          seconds,
          progress,
          ...(done && !rec.completedAt && { completedAt: at }),
          // Writing active_month moves the `learn` topic: once a month per record, and on completion (the
          // completion views and the dashboard are cached on it).
          ...((rec.activeMonth !== month || (done && !rec.completedAt)) && { activeMonth: month }),
          lastReportAt: creditedUntil,
          updatedAt: at,
        })
        .where(eq(learnRecord.id, rec.id));
    let points = 0;
    const newlyDone = done && !rec?.completedAt;
    if (newlyDone) {
      points = await award(tx, scope.tenantId, learner.userId, POINT_REASON_OF[item.kind], itemId, item.title);
      await writeAudit(tx, scope.actor, {
        action: 'learn.record.complete',
        entityType: 'learn_item',
        entityId: itemId,
        after: { learner: learner.name, seconds, points },
      });
    }
    const note = await progressNote(tx, scope.tenantId, credited < body.seconds, newlyDone, points);
    return { progress, completed: done, points, note };
  });
}

export async function myRecords(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const userId = scope.principal.user.id;
  return recordsPage(
    db,
    and(eq(learnRecord.tenantId, scope.tenantId), eq(learnRecord.userId, userId))!,
    page,
    pageSize,
  );
}

async function recordsPage(
  db: Queryable,
  where: SQL,
  page: number,
  pageSize: number,
): Promise<{ items: LearnRecord[]; total: number }> {
  const { items: rows, total } = await pageWhere(
    db
      .select({ r: learnRecord, title: learnItem.title, kind: learnItem.kind })
      .from(learnRecord)
      .innerJoin(learnItem, onKey(learnItem, learnRecord.itemId, learnRecord))
      .$dynamic(),
    countFrom(db, learnRecord),
    where,
    [desc(learnRecord.updatedAt), asc(learnRecord.id)],
    page,
    pageSize,
  );
  return {
    items: rows.map((x) => ({
      itemId: x.r.itemId,
      title: x.title,
      kind: x.kind as LearnKind,
      seconds: x.r.seconds,
      progress: x.r.progress,
      completedAt: x.r.completedAt?.toISOString() ?? null,
      updatedAt: x.r.updatedAt.toISOString(),
    })),
    total,
  };
}

/** A member's learning, for the managers of their org and for the member's own privacy copy. */
export async function memberLearning(db: Queryable, tenantId: string, memberId: string) {
  const where = and(eq(learnRecord.tenantId, tenantId), eq(learnRecord.memberId, memberId))!;
  const records = await allPages((p, size) => recordsPage(db, where, p, size));
  const attempts = await db
    .select({ a: learnAttempt, examTitle: learnExam.title })
    .from(learnAttempt)
    .leftJoin(learnExam, onKey(learnExam, learnAttempt.examId, learnAttempt))
    .where(and(eq(learnAttempt.tenantId, tenantId), eq(learnAttempt.memberId, memberId)))
    .orderBy(desc(learnAttempt.startedAt));
  // 课时: the member's progress in each lesson of a course.
  const lessons = await db
    .select({
      course: learnItem.title,
      lesson: learnLesson.title,
      seconds: learnLessonRecord.seconds,
      progress: learnLessonRecord.progress,
      kind: learnLesson.kind,
      readTo: learnLessonRecord.readTo,
      completedAt: learnLessonRecord.completedAt,
    })
    .from(learnLessonRecord)
    .innerJoin(learnLesson, onKey(learnLesson, learnLessonRecord.lessonId, learnLessonRecord))
    .innerJoin(learnItem, onKey(learnItem, learnLessonRecord.itemId, learnLessonRecord))
    .where(and(eq(learnLessonRecord.tenantId, tenantId), eq(learnLessonRecord.memberId, memberId)))
    .orderBy(asc(learnItem.title), asc(learnLesson.position));
  return {
    records,
    // A text lesson: how far the member read it (TEXT_READ_RULE); null for the other kinds.
    lessons: lessons.map(({ kind, readTo, ...l }) => ({
      ...l,
      readTo: kind === 'text' ? readTo : null,
      completedAt: l.completedAt?.toISOString() ?? null,
    })),
    attempts: attempts.map(({ a, examTitle }) => ({
      id: a.id,
      kind: a.kind,
      title: a.kind === 'daily' ? `每日一练 ${a.onDate}` : (examTitle ?? '考试'),
      startedAt: a.startedAt.toISOString(),
      submittedAt: a.submittedAt?.toISOString() ?? null,
      score: a.score,
      passed: a.passed,
      answers: a.answers,
    })),
  };
}

/** The points ledger of a user (privacy copy). */
export async function pointsOfUser(db: Queryable, tenantId: string, userId: string) {
  return db
    .select({ on: learnPoint.onDate, reason: learnPoint.reason, title: learnPoint.title, points: learnPoint.points })
    .from(learnPoint)
    .where(and(eq(learnPoint.tenantId, tenantId), eq(learnPoint.userId, userId)))
    .orderBy(asc(learnPoint.createdAt));
}

// ---------------------------------------------------------------- questions

const questionView = (q: QuestionRow, orgName: string): Question => ({
  id: q.id,
  orgId: q.orgId,
  orgName,
  kind: q.kind as Question['kind'],
  category: q.category,
  difficulty: q.difficulty,
  stem: q.stem,
  options: q.options,
  answer: q.answer,
  accepted: q.accepted ?? [],
  explanation: q.explanation,
  source: q.source,
  retired: Boolean(q.retiredAt),
});

/** A checked question as it is stored in the bank of the scope's org (added by hand or imported). */
export const questionRow = (scope: { tenantId: string; org: { id: string } }, input: QuestionInput) => ({
  tenantId: scope.tenantId,
  orgId: scope.org.id,
  kind: input.kind,
  category: input.category,
  difficulty: input.difficulty,
  stem: input.stem,
  options: input.options,
  answer: [...input.answer].sort((a, b) => a - b),
  accepted: input.kind === 'fill' ? input.accepted : null,
  explanation: input.explanation,
  source: input.source,
});

export async function createQuestion(db: Db, scope: Scope, input: QuestionInput): Promise<Question> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(learnQuestion).values(questionRow(scope, input)).returning();
    await writeAudit(tx, scope.actor, {
      action: 'learn.question.create',
      entityType: 'learn_question',
      entityId: row!.id,
      org: scope.org,
      after: { stem: row!.stem },
    });
    return questionView(row!, scope.org.name);
  });
}

export async function retireQuestion(db: Db, scope: Scope, id: string): Promise<Question> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(learnQuestion)
      .set({ retiredAt: now() })
      .where(and(eq(learnQuestion.tenantId, scope.tenantId), eq(learnQuestion.id, id), isNull(learnQuestion.retiredAt)))
      .returning();
    if (!row) throw conflict('该题已停用', 'ALREADY_RETIRED');
    await writeAudit(tx, scope.actor, {
      action: 'learn.question.retire',
      entityType: 'learn_question',
      entityId: id,
      org: scope.org,
      after: { stem: row.stem },
    });
    return questionView(row, scope.org.name);
  });
}

/** What grading reads of a question: changing any of it would change the answers and scores already given. */
const gradingOf = (q: {
  kind: string;
  stem: string;
  options: string[];
  answer: number[];
  accepted: string[][] | null;
}) => JSON.stringify([q.kind, q.stem, q.options, q.answer, q.accepted ?? null]);

/**
 * PATCH /learn-questions/:id: the whole question again, checked as when it was added (QuestionInput). Attempts point
 * at the live row (their answers are indices and blanks, graded and reviewed against it), so a question already on
 * any attempt — finished or not — keeps its type, stem, options and key: changing one of them is a Chinese 409 (retire
 * it and add a new one); its explanation, source, category and difficulty may change. A question stays in its org's
 * bank (the body names no org); a retired one is not edited.
 */
export async function updateQuestion(db: Db, scope: Scope, id: string, input: QuestionEdit): Promise<Question> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(learnQuestion)
      .where(and(eq(learnQuestion.tenantId, scope.tenantId), eq(learnQuestion.id, id)))
      .for('update');
    if (!before) throw notFound('题目不存在');
    if (before.retiredAt) throw conflict('该题已停用，不能修改；如需使用，请新增一道', 'ALREADY_RETIRED');
    const next = questionRow(
      { tenantId: scope.tenantId, org: { id: before.orgId } },
      { ...input, orgId: before.orgId },
    );
    if (gradingOf(next) !== gradingOf(before)) {
      const [used] = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from learn_attempt
            where tenant_id = ${scope.tenantId} and question_ids @> ${JSON.stringify([id])}::jsonb`,
      );
      if (used!.n > 0)
        throw conflict(
          `这道题已用于 ${used!.n} 份答卷，题型、题干、选项和答案不能再改（以免改变已有的答卷和成绩）；解析、出处、分类和难度仍可修改。要改题，请停用这道题后新增一道`,
          'QUESTION_IN_USE',
        );
    }
    const [row] = await tx
      .update(learnQuestion)
      .set({
        kind: next.kind,
        category: next.category,
        difficulty: next.difficulty,
        stem: next.stem,
        options: next.options,
        answer: next.answer,
        accepted: next.accepted,
        explanation: next.explanation,
        source: next.source,
      })
      .where(and(eq(learnQuestion.tenantId, scope.tenantId), eq(learnQuestion.id, id)))
      .returning();
    const fields = [
      'kind',
      'category',
      'difficulty',
      'stem',
      'options',
      'answer',
      'accepted',
      'explanation',
      'source',
    ] as const;
    const changed = fields.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(row![f] ?? null));
    await writeAudit(tx, scope.actor, {
      action: 'learn.question.update',
      entityType: 'learn_question',
      entityId: id,
      org: scope.org,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, row![f]])),
    });
    return questionView(row!, scope.org.name);
  });
}

/** The bank a manager works with: questions on the line through their org (above it, it, below it). */
export async function listQuestions(
  db: Queryable,
  scope: Scope,
  q: string | undefined,
  includeRetired: boolean,
  page: number,
  pageSize: number,
) {
  const where = and(
    eq(learnQuestion.tenantId, scope.tenantId),
    onLine(org.path, scope.org),
    includeRetired ? undefined : isNull(learnQuestion.retiredAt),
    q ? sql`${learnQuestion.stem} like ${`%${likeEscape(q)}%`}` : undefined,
  );
  return pageWhere(
    db
      .select({ q: learnQuestion, orgName: org.name })
      .from(learnQuestion)
      .innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion))
      .$dynamic(),
    countFrom(db, learnQuestion).innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion)),
    where,
    [desc(learnQuestion.createdAt), asc(learnQuestion.id)],
    page,
    pageSize,
    (r) => questionView(r.q, r.orgName),
  );
}

/** The options of a question as one attempt shows them: `order[i]` is the stored index of the i-th shown. */
const orderOf = (a: AttemptRow, q: QuestionRow) => {
  const o = a.optionOrders?.[q.id];
  return o && o.length === q.options.length ? o : q.options.map((_, i) => i);
};
const toAnswer = (q: QuestionRow, order: number[]) => ({
  id: q.id,
  kind: q.kind as Question['kind'],
  stem: q.stem,
  options: order.map((i) => q.options[i]!),
  blanks: q.kind === 'fill' ? (q.accepted?.length ?? 0) : 0,
});
const sameSet = (a: number[], b: number[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
const isFill = (v: number[] | string[] | undefined): v is string[] => Array.isArray(v) && typeof v[0] === 'string';
/**
 * Is an answer right? A choice: the shown indices mapped back through the attempt's order are exactly the key. A
 * fill-in: every blank's text, normalised (normaliseFill), is one of that blank's accepted answers, normalised.
 */
function isCorrect(q: QuestionRow, order: number[], given: number[] | string[] | undefined): boolean {
  if (q.kind === 'fill') {
    const filled = isFill(given) ? given : [];
    const key = q.accepted ?? [];
    return key.length > 0 && key.every((ok, j) => ok.map(normaliseFill).includes(normaliseFill(filled[j] ?? '')));
  }
  const chosen = isFill(given) ? [] : (given ?? []);
  if (chosen.some((i) => i >= order.length)) return false;
  return sameSet(
    chosen.map((i) => order[i]!),
    q.answer,
  );
}
/** 选项乱序: a new random order of the options of each choice question (not 正确/错误), per attempt. */
function shuffleOptions(qs: QuestionRow[]): Record<string, number[]> {
  const orders: Record<string, number[]> = {};
  for (const q of qs) {
    if (!SHUFFLED_KINDS.includes(q.kind as Question['kind']) || q.options.length < 2) continue;
    const o = q.options.map((_, i) => i);
    for (let i = o.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [o[i], o[j]] = [o[j]!, o[i]!];
    }
    orders[q.id] = o;
  }
  return orders;
}
const optionOrdersFor = async (db: Queryable, tenantId: string, ids: string[]) =>
  ids.length
    ? shuffleOptions(
        await db
          .select()
          .from(learnQuestion)
          .where(and(eq(learnQuestion.tenantId, tenantId), inArray(learnQuestion.id, ids))),
      )
    : {};

// ---------------------------------------------------------------- exams

export async function createExam(db: Db, scope: Scope, input: ExamInput): Promise<Exam> {
  const qs = await db
    .select({ id: learnQuestion.id, retiredAt: learnQuestion.retiredAt, path: org.path })
    .from(learnQuestion)
    .innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion))
    .where(and(eq(learnQuestion.tenantId, scope.tenantId), inArray(learnQuestion.id, input.questionIds)));
  const line = new Set(pathPrefixes(scope.org.path));
  const bad = input.questionIds.filter((id) => {
    const q = qs.find((x) => x.id === id);
    return !q || q.retiredAt || !(line.has(q.path) || q.path.startsWith(scope.org.path));
  });
  if (bad.length > 0)
    throw unprocessable(
      `有 ${bad.length} 道题不存在、已停用或不在本组织可用的题库中`,
      bad.map((id) => ({ field: 'questionIds', message: id })),
      'BAD_QUESTIONS',
    );
  if (input.closesOn < todayInChina())
    throw unprocessable('截止日期已过', [{ field: 'closesOn', message: '截止日期已过' }], 'CLOSES_IN_PAST');
  if (input.draw) {
    // A draw asking more of a type than the bank holds in those categories is refused now, not at a learner's start.
    const have = await bankCounts(db, scope.tenantId, scope.org, input.draw.categories, input.draw.difficulties);
    const short = QUESTION_KINDS.filter(
      (k) => input.draw!.counts[k] > have.filter((c) => c.kind === k).reduce((n, c) => n + c.count, 0),
    );
    if (short.length > 0) {
      const levels = input.draw.difficulties ? `难度为「${input.draw.difficulties.join('、')}」` : '';
      const cats = `「${input.draw.categories.join('、')}」${levels}`;
      const details = short.map((k) => {
        const n = have.filter((c) => c.kind === k).reduce((a, c) => a + c.count, 0);
        return {
          field: `draw.counts.${k}`,
          message: `${cats}的${QUESTION_KIND_LABELS[k]}只有 ${n} 道，不够抽取 ${input.draw!.counts[k]} 道`,
        };
      });
      throw unprocessable(`题库题目不足：${details.map((d) => d.message).join('；')}`, details, 'BANK_TOO_SMALL');
    }
  }
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(learnExam)
      .values({
        ...input,
        draw: input.draw ?? null,
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        createdBy: scope.actor.username ?? '系统',
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'learn.exam.create',
      entityType: 'learn_exam',
      entityId: row!.id,
      org: scope.org,
      after: { ...input },
    });
    return row!.id;
  });
  return getExam(db, scope, id);
}

async function examViews(
  db: Queryable,
  scope: Scope,
  rows: { e: typeof learnExam.$inferSelect; orgName: string }[],
): Promise<Exam[]> {
  const ids = rows.map((r) => r.e.id);
  const mine = ids.length
    ? await db
        .select({
          examId: learnAttempt.examId,
          attempts: sql<number>`count(*)::int`,
          best: sql<number | null>`max(${learnAttempt.score})`,
          passed: sql<boolean>`coalesce(bool_or(${learnAttempt.passed}), false)`,
        })
        .from(learnAttempt)
        .where(
          and(
            eq(learnAttempt.tenantId, scope.tenantId),
            eq(learnAttempt.userId, scope.principal.user.id),
            inArray(learnAttempt.examId, ids),
          ),
        )
        .groupBy(learnAttempt.examId)
    : [];
  const status = await statusOf(db, scope);
  return rows.map(({ e, orgName }) => {
    const m = mine.find((x) => x.examId === e.id);
    return {
      id: e.id,
      orgId: e.orgId,
      orgName,
      title: e.title,
      questionCount: e.draw ? drawTotal(e.draw) : e.questionIds.length,
      draw: e.draw ?? null,
      passScore: e.passScore,
      minutes: e.minutes,
      maxAttempts: e.maxAttempts,
      opensOn: e.opensOn,
      closesOn: e.closesOn,
      required: e.required,
      audience: e.audience as Exam['audience'],
      forMe: e.required && audienceBinds(e.audience, status),
      mine: { attempts: m?.attempts ?? 0, best: m?.best ?? null, passed: m?.passed ?? false },
    };
  });
}

export async function getExam(db: Queryable, scope: Scope, id: string): Promise<Exam> {
  const rows = await db
    .select({ e: learnExam, orgName: org.name })
    .from(learnExam)
    .innerJoin(org, onKey(org, learnExam.orgId, learnExam))
    .where(and(eq(learnExam.tenantId, scope.tenantId), eq(learnExam.id, id)));
  if (!rows[0]) throw notFound();
  return (await examViews(db, scope, rows))[0]!;
}

export async function listExams(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = and(eq(learnExam.tenantId, scope.tenantId), onLine(org.path, scope.org));
  const { items: rows, total } = await pageWhere(
    db
      .select({ e: learnExam, orgName: org.name })
      .from(learnExam)
      .innerJoin(org, onKey(org, learnExam.orgId, learnExam))
      .$dynamic(),
    countFrom(db, learnExam).innerJoin(org, onKey(org, learnExam.orgId, learnExam)),
    where,
    [desc(learnExam.closesOn), asc(learnExam.id)],
    page,
    pageSize,
  );
  return { items: await examViews(db, scope, rows), total };
}

/** Grace after an exam's time is up for the answers to arrive (a slow phone network). */
const GRACE_MS = 60_000;
const deadlineOf = (a: AttemptRow, minutes: number | null) =>
  a.kind === 'exam' && minutes ? new Date(a.startedAt.getTime() + minutes * 60_000) : null;

async function attemptView(db: Queryable, a: AttemptRow, points = 0): Promise<Attempt> {
  const [exam] = a.examId
    ? await db
        .select()
        .from(learnExam)
        .where(and(eq(learnExam.tenantId, a.tenantId), eq(learnExam.id, a.examId)))
    : [];
  const qs = a.questionIds.length
    ? await db
        .select()
        .from(learnQuestion)
        .where(and(eq(learnQuestion.tenantId, a.tenantId), inArray(learnQuestion.id, a.questionIds)))
    : [];
  const ordered = a.questionIds.map((id) => qs.find((q) => q.id === id)).filter((q): q is QuestionRow => Boolean(q));
  const results: QuestionResult[] | null = a.submittedAt
    ? ordered.map((q) => {
        const order = orderOf(a, q);
        const given = a.answers?.[q.id];
        return {
          ...toAnswer(q, order),
          chosen: isFill(given) ? [] : (given ?? []),
          answer: q.answer.map((k) => order.indexOf(k)).sort((x, y) => x - y),
          filled: isFill(given) ? given : [],
          accepted: q.accepted ?? [],
          correct: isCorrect(q, order, given),
          explanation: q.explanation,
          source: q.source,
          category: q.category,
          difficulty: q.difficulty,
        };
      })
    : null;
  const [pt] = a.userId
    ? await db
        .select({ n: sql<number>`coalesce(sum(${learnPoint.points}), 0)::int` })
        .from(learnPoint)
        .where(
          and(
            eq(learnPoint.tenantId, a.tenantId),
            eq(learnPoint.userId, a.userId),
            eq(learnPoint.refId, a.kind === 'daily' ? a.id : (a.examId ?? a.id)),
          ),
        )
    : [];
  return {
    id: a.id,
    kind: a.kind as Attempt['kind'],
    examId: a.examId,
    title: a.kind === 'daily' ? `每日一练（${a.onDate}）` : (exam?.title ?? '考试'),
    learner: a.learner,
    startedAt: a.startedAt.toISOString(),
    deadline: deadlineOf(a, exam?.minutes ?? null)?.toISOString() ?? null,
    submittedAt: a.submittedAt?.toISOString() ?? null,
    score: a.score,
    passed: a.passed,
    questions: ordered.map((q) => toAnswer(q, orderOf(a, q))),
    results,
    points: Math.max(points, pt?.n ?? 0),
  };
}

/** An attempt, for the learner themself or a reader (manager, auditor) covering the learner's org; 404 for anyone else. */
export async function loadAttempt(db: Queryable, scope: Scope, id: string): Promise<AttemptRow> {
  const [a] = await db
    .select()
    .from(learnAttempt)
    .where(and(eq(learnAttempt.tenantId, scope.tenantId), eq(learnAttempt.id, id)));
  if (!a) throw notFound();
  if (a.userId !== scope.principal.user.id && !readsOrg(scope, await orgRefOf(db, scope.tenantId, a.orgId)))
    throw notFound();
  return a;
}

export async function getAttempt(db: Queryable, scope: Scope, id: string): Promise<Attempt> {
  return attemptView(db, await loadAttempt(db, scope, id));
}

/** The bank a draw picks from: usable questions of the org and the orgs above it (of these difficulties). */
const drawBank = (
  tenantId: string,
  at: { path: string },
  categories: readonly string[],
  difficulties: readonly string[] = QUESTION_DIFFICULTIES,
) =>
  and(
    eq(learnQuestion.tenantId, tenantId),
    isNull(learnQuestion.retiredAt),
    inArray(org.path, pathPrefixes(at.path)),
    inArray(learnQuestion.category, [...categories]),
    inArray(learnQuestion.difficulty, [...difficulties]),
  );

/** Usable questions per category, type and difficulty in the bank of `at` (its org and above), for a draw. */
export async function bankCounts(
  db: Queryable,
  tenantId: string,
  at: OrgRef,
  categories: readonly string[] = QUESTION_CATEGORIES,
  difficulties: readonly string[] = QUESTION_DIFFICULTIES,
): Promise<BankCount[]> {
  const rows = await db
    .select({
      category: learnQuestion.category,
      kind: learnQuestion.kind,
      difficulty: learnQuestion.difficulty,
      count: sql<number>`count(*)::int`,
    })
    .from(learnQuestion)
    .innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion))
    .where(drawBank(tenantId, at, categories, difficulties))
    .groupBy(learnQuestion.category, learnQuestion.kind, learnQuestion.difficulty)
    .orderBy(learnQuestion.category, learnQuestion.kind, learnQuestion.difficulty);
  return rows.map((r) => ({ ...r, kind: r.kind as BankCount['kind'] }));
}

/**
 * One learner's paper of a random exam: per type, the first N of the bank ordered by md5(question, learner,
 * exam) — a seed of the learner and the exam, so the same person gets the same paper on every start (and the
 * attempt stores it), two people usually differ. Singles first, then multiple choice, then true/false.
 */
async function drawPaper(db: Queryable, exam: typeof learnExam.$inferSelect, userId: string): Promise<string[]> {
  const draw = exam.draw!;
  const [at] = await db.select({ path: org.path }).from(org).where(eq(org.id, exam.orgId));
  if (!at) return [];
  const ids: string[] = [];
  for (const kind of QUESTION_KINDS) {
    const n = draw.counts[kind] ?? 0;
    if (!n) continue;
    const rows = await db
      .select({ id: learnQuestion.id })
      .from(learnQuestion)
      .innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion))
      .where(and(drawBank(exam.tenantId, at, draw.categories, draw.difficulties), eq(learnQuestion.kind, kind)))
      .orderBy(sql`md5(${learnQuestion.id}::text || ${userId} || ${exam.id})`)
      .limit(n);
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** Starts (or resumes, while its time runs) an attempt at an exam open today, within its attempt limit. */
export async function startExam(db: Db, scope: Scope, examId: string): Promise<Attempt> {
  const [exam] = await db
    .select()
    .from(learnExam)
    .where(and(eq(learnExam.tenantId, scope.tenantId), eq(learnExam.id, examId)));
  if (!exam) throw notFound();
  const today = todayInChina();
  if (today < exam.opensOn) throw conflict(`考试将于 ${exam.opensOn} 开始`, 'EXAM_NOT_OPEN');
  if (today > exam.closesOn) throw conflict(`考试已于 ${exam.closesOn} 截止`, 'EXAM_CLOSED');
  const learner = await learnerOf(db, scope);
  const row = await db.transaction(async (tx) => {
    await tx.execute(
      sql`select 1 from ${appUser} where ${appUser.tenantId} = ${scope.tenantId} and ${appUser.id} = ${learner.userId} for update`,
    );
    const mine = await tx
      .select()
      .from(learnAttempt)
      .where(
        and(
          eq(learnAttempt.tenantId, scope.tenantId),
          eq(learnAttempt.userId, learner.userId),
          eq(learnAttempt.examId, examId),
        ),
      )
      .orderBy(desc(learnAttempt.startedAt));
    const open = mine.find((a) => !a.submittedAt && now().getTime() < deadlineOf(a, exam.minutes)!.getTime());
    if (open) return open;
    if (mine.some((a) => a.passed)) throw conflict('您已通过本次考试', 'EXAM_PASSED');
    if (mine.length >= exam.maxAttempts)
      throw conflict(`本次考试最多可参加 ${exam.maxAttempts} 次，您已用完`, 'NO_ATTEMPTS_LEFT');
    const questionIds = exam.draw ? await drawPaper(tx, exam, learner.userId) : exam.questionIds;
    if (questionIds.length === 0) throw conflict('题库中已没有可抽取的题目，请联系出题的组织', 'EMPTY_BANK');
    const optionOrders = await optionOrdersFor(tx, scope.tenantId, questionIds);
    const [a] = await tx
      .insert(learnAttempt)
      .values({
        optionOrders,
        tenantId: scope.tenantId,
        userId: learner.userId,
        memberId: learner.memberId,
        orgId: learner.orgId,
        learner: learner.name,
        kind: 'exam',
        examId,
        onDate: today,
        questionIds,
        startedAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'learn.exam.start',
      entityType: 'learn_attempt',
      entityId: a!.id,
      after: { examId, learner: learner.name },
    });
    return a!;
  });
  return attemptView(db, row);
}

/** Today's practice: DAILY_QUESTIONS questions of the banks on the learner's line, the same all day. */
export async function startDaily(db: Db, scope: Scope): Promise<Attempt> {
  const learner = await learnerOf(db, scope);
  const today = todayInChina();
  const find = async (q: Queryable) =>
    (
      await q
        .select()
        .from(learnAttempt)
        .where(
          and(
            eq(learnAttempt.tenantId, scope.tenantId),
            eq(learnAttempt.userId, learner.userId),
            eq(learnAttempt.onDate, today),
            eq(learnAttempt.kind, 'daily'),
          ),
        )
    )[0];
  const existing = await find(db);
  if (existing) return attemptView(db, existing);
  const at = await orgRefOf(db, scope.tenantId, learner.orgId);
  // 每日一练的题目范围: the categories chosen nearest on the learner's line (none: every category).
  const choice = await practiceChoice(db, scope.tenantId, at);
  // A stable shuffle per person and day: md5 of the question id with the person and the date.
  const picked = await db
    .select({ id: learnQuestion.id })
    .from(learnQuestion)
    .innerJoin(org, onKey(org, learnQuestion.orgId, learnQuestion))
    .where(
      and(
        eq(learnQuestion.tenantId, scope.tenantId),
        isNull(learnQuestion.retiredAt),
        onLine(org.path, at),
        choice?.categories ? inArray(learnQuestion.category, choice.categories) : undefined,
      ),
    )
    .orderBy(sql`md5(${learnQuestion.id}::text || ${learner.userId} || ${today})`)
    .limit(DAILY_QUESTIONS);
  if (picked.length === 0) throw conflict('题库中还没有题目', 'EMPTY_BANK');
  const optionOrders = await optionOrdersFor(
    db,
    scope.tenantId,
    picked.map((p) => p.id),
  );
  const row = await db.transaction(async (tx) => {
    const [a] = await tx
      .insert(learnAttempt)
      .values({
        optionOrders,
        tenantId: scope.tenantId,
        userId: learner.userId,
        memberId: learner.memberId,
        orgId: learner.orgId,
        learner: learner.name,
        kind: 'daily',
        onDate: today,
        questionIds: picked.map((p) => p.id),
        startedAt: now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!a) return (await find(tx))!;
    await writeAudit(tx, scope.actor, {
      action: 'learn.daily.start',
      entityType: 'learn_attempt',
      entityId: a.id,
      after: { learner: learner.name },
    });
    return a;
  });
  return attemptView(db, row);
}

/**
 * Hands in an attempt (only the learner): graded against the keys, once. Answers arriving after an
 * exam's time plus a minute's grace count as none given. Daily practice earns a point per correct
 * answer, an exam passed earns its points once; both within the day's caps and only when points are on.
 */
export async function submitAttempt(
  db: Db,
  scope: Scope,
  id: string,
  answers: Record<string, number[] | string[]>,
): Promise<Attempt> {
  const a0 = await loadAttempt(db, scope, id);
  if (a0.userId !== scope.principal.user.id) throw notFound();
  const { row, points } = await db.transaction(async (tx) => {
    const [a] = await tx
      .select()
      .from(learnAttempt)
      .where(and(eq(learnAttempt.tenantId, scope.tenantId), eq(learnAttempt.id, id)))
      .for('update');
    if (!a || a.submittedAt) throw conflict('已经交卷', 'ALREADY_SUBMITTED');
    const [exam] = a.examId
      ? await tx
          .select()
          .from(learnExam)
          .where(and(eq(learnExam.tenantId, scope.tenantId), eq(learnExam.id, a.examId)))
      : [];
    const deadline = deadlineOf(a, exam?.minutes ?? null);
    const late = deadline !== null && now().getTime() > deadline.getTime() + GRACE_MS;
    const unknown = Object.keys(answers).filter((q) => !a.questionIds.includes(q));
    if (unknown.length)
      throw unprocessable(
        '答案中有不属于本次作答的题目',
        unknown.map((q) => ({ field: 'answers', message: q })),
        'UNKNOWN_QUESTION',
      );
    const qs = await tx
      .select()
      .from(learnQuestion)
      .where(and(eq(learnQuestion.tenantId, scope.tenantId), inArray(learnQuestion.id, a.questionIds)));
    const misfit = qs.filter((q) => {
      const v = answers[q.id];
      if (!v || v.length === 0) return false;
      return q.kind === 'fill' ? !isFill(v) || v.length > (q.accepted?.length ?? 0) : isFill(v);
    });
    if (misfit.length)
      throw unprocessable(
        `第 ${misfit.map((q) => a.questionIds.indexOf(q.id) + 1).join('、')} 题的答案格式不对：选择题交选项，填空题交每个空的文字`,
        misfit.map((q) => ({ field: 'answers', message: q.id })),
        'BAD_ANSWER',
      );
    const given = late ? {} : answers;
    const correct = qs.filter((q) => isCorrect(q, orderOf(a, q), given[q.id])).length;
    const score = Math.round((correct / a.questionIds.length) * 100);
    const passed = exam ? score >= exam.passScore : null;
    const [row] = await tx
      .update(learnAttempt)
      .set({ answers: given, submittedAt: now(), score, passed })
      .where(and(eq(learnAttempt.tenantId, scope.tenantId), eq(learnAttempt.id, id)))
      .returning();
    const userId = scope.principal.user.id;
    const pts =
      a.kind === 'daily'
        ? await award(tx, scope.tenantId, userId, 'daily_practice', a.id, `每日一练（${a.onDate}）`, correct)
        : passed
          ? await award(tx, scope.tenantId, userId, 'exam_pass', exam!.id, exam!.title)
          : 0;
    await writeAudit(tx, scope.actor, {
      action: a.kind === 'daily' ? 'learn.daily.submit' : 'learn.exam.submit',
      entityType: 'learn_attempt',
      entityId: id,
      after: { score, passed, late, points: pts },
    });
    return { row: row!, points: pts };
  });
  return attemptView(db, row, points);
}

/** Attempts at an exam by learners in the caller's subtree (readers), newest first. */
export async function examResults(db: Queryable, scope: Scope, examId: string, page: number, pageSize: number) {
  const where = and(eq(learnAttempt.tenantId, scope.tenantId), eq(learnAttempt.examId, examId), inSubtree(scope.org));
  const { items: rows, total } = await pageWhere(
    db
      .select({ a: learnAttempt, orgName: org.name })
      .from(learnAttempt)
      .innerJoin(org, onKey(org, learnAttempt.orgId, learnAttempt))
      .$dynamic(),
    countFrom(db, learnAttempt).innerJoin(org, onKey(org, learnAttempt.orgId, learnAttempt)),
    where,
    [desc(learnAttempt.startedAt), asc(learnAttempt.id)],
    page,
    pageSize,
  );
  return {
    items: rows.map(({ a, orgName }) => ({
      attemptId: a.id,
      learner: a.learner,
      orgName,
      score: a.score,
      passed: a.passed,
      submittedAt: a.submittedAt?.toISOString() ?? null,
    })),
    total,
  };
}

// ---------------------------------------------------------------- to-do, participation, reminders

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** What the caller still has to do: required items not completed and required open exams not passed. */
export async function myTodo(db: Queryable, scope: Scope): Promise<{ items: LearnTodo[]; total: number }> {
  const learner = await learnerOf(db, scope);
  const at = await orgRefOf(db, scope.tenantId, learner.orgId);
  const today = todayInChina();
  const items = await db
    .select({ id: learnItem.id, title: learnItem.title, dueOn: learnItem.dueOn })
    .from(learnItem)
    .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
    .leftJoin(
      learnRecord,
      and(
        eq(learnRecord.tenantId, learnItem.tenantId),
        eq(learnRecord.itemId, learnItem.id),
        eq(learnRecord.userId, learner.userId),
      ),
    )
    .where(
      and(
        eq(learnItem.tenantId, scope.tenantId),
        eq(learnItem.required, true),
        inArray(learnItem.audience, audiencesOf(learner.status)),
        isNotNull(learnItem.publishedAt),
        isNull(learnItem.retiredAt),
        onLine(org.path, at),
        isNull(learnRecord.completedAt),
      ),
    );
  const exams = await db
    .select({ id: learnExam.id, title: learnExam.title, dueOn: learnExam.closesOn })
    .from(learnExam)
    .innerJoin(org, onKey(org, learnExam.orgId, learnExam))
    .where(
      and(
        eq(learnExam.tenantId, scope.tenantId),
        eq(learnExam.required, true),
        inArray(learnExam.audience, audiencesOf(learner.status)),
        sql`${learnExam.opensOn} <= ${today}`,
        sql`${learnExam.closesOn} >= ${today}`,
        onLine(org.path, at),
        sql`not exists (select 1 from ${learnAttempt} where ${learnAttempt.tenantId} = ${learnExam.tenantId} and ${learnAttempt.examId} = ${learnExam.id} and ${learnAttempt.userId} = ${learner.userId} and ${learnAttempt.passed})`,
      ),
    );
  const all: LearnTodo[] = [
    ...items.map((i) => ({ kind: 'item' as const, ...i })),
    ...exams.map((e) => ({ kind: 'exam' as const, ...e })),
  ].map((t) => {
    const days = t.dueOn ? daysBetween(today, t.dueOn) : null;
    return { ...t, days, overdue: days !== null && days < 0 };
  });
  all.sort((x, y) => (x.dueOn ?? '9999').localeCompare(y.dueOn ?? '9999'));
  return { items: all, total: all.length };
}

/**
 * 学习参与率 of an org subtree this month: members (active, counted by the member module) with any
 * learning activity — content studied, practice or an exam — in the Beijing month, over all members.
 */
export async function participation(
  db: Queryable,
  scope: Scope,
  memberTotal: number,
  today = todayInChina(),
): Promise<Participation> {
  const month = today.slice(0, 7);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with ${learnersOfMonth(scope.tenantId, scope.org.path, month)} select count(*)::int as n from lm`,
  );
  const learners = Math.min(row?.n ?? 0, memberTotal);
  const [req] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(learnItem)
    .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
    .where(
      and(
        eq(learnItem.tenantId, scope.tenantId),
        eq(learnItem.required, true),
        isNotNull(learnItem.publishedAt),
        isNull(learnItem.retiredAt),
        sql`${learnItem.dueOn} >= ${today}`,
        onLine(org.path, scope.org),
      ),
    );
  return {
    month,
    members: memberTotal,
    learners,
    rate: memberTotal > 0 ? Math.round((learners / memberTotal) * 1000) / 1000 : null,
    requiredOpen: req?.n ?? 0,
    note: `${month} 月有学习记录（学习课程、视频或百科，完成每日一练或考试）的在册党员人数 ÷ 在册党员总数；学习积分不计入`,
  };
}

/**
 * Required items and exams due in `days` days (0 = today), for reminders: published items on the shelves,
 * and exams already open on `today`, with the publishing org (its subtree are the ones who must do them).
 */
export async function dueSoon(db: Queryable, tenantId: string, today: string, days: number[]) {
  const dates = days.map((d) => addDays(today, d));
  const items = await db
    .select({
      id: learnItem.id,
      title: learnItem.title,
      dueOn: learnItem.dueOn,
      audience: learnItem.audience,
      orgId: org.id,
      orgName: org.name,
      path: org.path,
    })
    .from(learnItem)
    .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
    .where(
      and(
        eq(learnItem.tenantId, tenantId),
        eq(learnItem.required, true),
        isNotNull(learnItem.publishedAt),
        isNull(learnItem.retiredAt),
        inArray(learnItem.dueOn, dates),
      ),
    );
  const exams = await db
    .select({
      id: learnExam.id,
      title: learnExam.title,
      dueOn: learnExam.closesOn,
      audience: learnExam.audience,
      orgId: org.id,
      orgName: org.name,
      path: org.path,
    })
    .from(learnExam)
    .innerJoin(org, onKey(org, learnExam.orgId, learnExam))
    .where(
      and(
        eq(learnExam.tenantId, tenantId),
        eq(learnExam.required, true),
        sql`${learnExam.opensOn} <= ${today}`,
        inArray(learnExam.closesOn, dates),
      ),
    );
  return { items: items.map((i) => ({ ...i, dueOn: i.dueOn! })), exams };
}

/**
 * The members (with an account, still on the roster) of the subtree at `path` who have not completed the
 * item — or, for an exam, not passed it. The ones a deadline reminder goes to.
 */
export async function pendingLearners(
  db: Queryable,
  tenantId: string,
  what: 'item' | 'exam',
  id: string,
  path: string,
  audience = 'all',
): Promise<string[]> {
  const done =
    what === 'item'
      ? sql`exists (select 1 from ${learnRecord} r where r.item_id = ${id} and r.user_id = m.user_id and r.completed_at is not null)`
      : sql`exists (select 1 from ${learnAttempt} a where a.exam_id = ${id} and a.user_id = m.user_id and a.passed)`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select m.id from member m
        where m.tenant_id = ${tenantId} and ${onRollAs('m')} and m.user_id is not null and ${audienceWhere(audience)}
          and m.org_path like ${`${path}%`} and not ${done}
        order by m.id`,
  );
  return rows.map((r) => r.id);
}

/**
 * For assessment (考核 学习完成率): the members of the subtree at `rootPath` who completed at least one learning item
 * between `from` and `to` (Beijing dates, inclusive), each with the path of the record's org, so the caller can count
 * them per branch. The caller divides by the members it counts.
 */
export async function learnersByOrg(db: Queryable, tenantId: string, rootPath: string, from: string, to: string) {
  return queryRows<{ member_id: string; path: string }>(
    db,
    sql`
    select distinct r.member_id, o.path from ${learnRecord} r join ${org} o on o.tenant_id = r.tenant_id and o.id = r.org_id
      where r.tenant_id = ${tenantId} and r.member_id is not null and r.completed_at is not null
        and (r.completed_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date
        and o.path like ${`${rootPath}%`}`,
  );
}

/**
 * 必学 progress of a subtree, for the attention list: the required items on the shelves (published, not retired)
 * whose deadline fell in `from`..`to` (Beijing dates, inclusive), published by the subtree's root, an org above it or an
 * org inside it (each with its owner's path — it binds that owner's subtree), and per item the members on the roll
 * who completed it, by their org path now. The caller counts per branch; two queries.
 */
export async function requiredProgressByOrg(
  db: Queryable,
  tenantId: string,
  rootPath: string,
  from: string,
  to: string,
) {
  const items = await queryRows<{ id: string; title: string; due_on: string; path: string }>(
    db,
    sql`select i.id, i.title, i.due_on::text as due_on, o.path from ${learnItem} i join ${org} o on o.tenant_id = i.tenant_id and o.id = i.org_id
        where i.tenant_id = ${tenantId} and i.required and i.audience = 'all' and i.published_at is not null and i.retired_at is null
          and i.due_on between ${from}::date and ${to}::date
          and (o.path like ${`${rootPath}%`} or ${rootPath} like o.path || '%')
        order by i.due_on, i.id`,
  );
  if (items.length === 0) return { items, done: [] };
  const ids = sql.join(
    items.map((i) => sql`${i.id}::uuid`),
    sql`, `,
  );
  const done = await queryRows<{ item_id: string; path: string; n: number }>(
    db,
    sql`select r.item_id, m.org_path as path, count(distinct r.member_id)::int as n
        from ${learnRecord} r join member m on m.tenant_id = r.tenant_id and m.id = r.member_id
        where r.tenant_id = ${tenantId} and r.item_id in (${ids}) and r.completed_at is not null
          and m.org_path like ${`${rootPath}%`} and ${onRollAs('m')}
        group by 1, 2`,
  );
  return { items, done };
}

// ---------------------------------------------------------------- 线下学习登记 (入党积极分子 and 发展对象)

/**
 * The branch registers that 入党积极分子/发展对象 (develop persons, no account) completed an item bound to them — they
 * study in the 党校 or with the branch, not in the app. Only items whose audience is `activist`; only open
 * activists and candidates of the caller's subtree (develop's `openActivistsWithin`). Once per person and item
 * (unique index), audited.
 */
export async function registerOffline(
  db: Db,
  scope: Scope,
  itemId: string,
  personIds: string[],
): Promise<OfflineReply> {
  const item = await getItem(db, scope, itemId);
  if (!item.publishedAt) throw conflict('草稿还未发布，不能登记学习', 'NOT_PUBLISHED');
  if (item.audience !== 'activist')
    throw unprocessable('只有面向入党积极分子和发展对象的必修内容可以登记线下学习', undefined, 'NOT_FOR_ACTIVISTS');
  const persons = await openActivistsWithin(db, scope.tenantId, scope.org.path);
  const byId = new Map(persons.map((p) => [p.id, p]));
  const unknown = [...new Set(personIds)].filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw unprocessable(
      `有 ${unknown.length} 人不是本组织的入党积极分子或发展对象`,
      unknown.map((id) => ({ field: 'personIds', message: id })),
      'NOT_ACTIVISTS',
    );
  return db.transaction(async (tx) => {
    const at = now();
    const rows = await tx
      .insert(learnRecord)
      .values(
        [...new Set(personIds)].map((id) => ({
          tenantId: scope.tenantId,
          developPersonId: id,
          orgId: byId.get(id)!.orgId,
          itemId,
          seconds: 0,
          progress: 100,
          completedAt: at,
          activeMonth: thisMonth(),
          lastReportAt: at,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: learnRecord.developPersonId });
    const registered = rows.map((r) => byId.get(r.id!)!.name);
    await writeAudit(tx, scope.actor, {
      action: 'learn.record.offline',
      entityType: 'learn_item',
      entityId: itemId,
      org: scope.org,
      after: { persons: registered },
    });
    return { registered: rows.length, already: new Set(personIds).size - rows.length };
  });
}
