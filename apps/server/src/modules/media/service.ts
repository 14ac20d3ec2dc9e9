/**
 * 宣传 (media): channels, articles with review before publishing, the public portal, 必读 notices.
 *
 * Who sees what:
 * - a published article is read on the line through the reader's org: everyone below the publishing org
 *   (and the managers above it, who oversee it);
 * - drafts, articles under review and rejected ones only by the record keepers/readers of the writing org,
 *   and one under review also by the managers of its review org;
 * - the review org is the org above the writing org (the top org reviews its own), fixed when submitted;
 *   the route's access lookup names it, so the platform's one scope check decides who may review;
 * - the portal (no login) shows only published articles marked public, and of them only title, summary,
 *   byline, channel, the publishing org's name, date, body and images — never an account or a reader.
 * - 定时发布: an approved article with a publishing time ahead gets `published_at` = that time; it is "visible"
 *   only once `published_at` ≤ the shared clock's now (`visibleNow`, `isVisible` — every reader-facing query and
 *   check goes through them). Until then only its keepers see it, as 定时发布. The members' notice goes out when
 *   it becomes visible: in the approving transaction, or by the job `media.article.release` queued for that time.
 */
import {
  brandDoc,
  BUILTIN_CHANNELS,
  chinaDateTimeLabel,
  KIND_CHANNELS,
  kindOfChannel,
  SCHEDULE_MAX_DAYS,
  docImages,
  docText,
  inGroup,
  now,
  RECORD_KEEPERS,
  RECORD_READERS,
  REVIEW_RULE,
  type ArticleBrief,
  type ArticleDetail,
  type ArticleInput,
  type ArticlePatch,
  type ArticleKind,
  type ArticleStatus,
  type BrandFields,
  type ChannelView,
  type HonoreeInput,
  type HonoreeView,
  type MediaTodo,
  type ReviewInput,
  type UnreadRow,
} from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import {
  covers,
  loadBindings,
  pathPrefixes,
  type Binding,
  type Caller,
  type OrgRef,
  type Scope,
} from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { enqueueJob } from '../../platform/jobs';
import { org, tenant } from '../../platform/schema';
import { member, onRoll, memberOfUser } from '../member/service';
import { notify } from '../notify/service';
import { mediaArticle, mediaChannel, mediaFile, mediaHonoree, mediaRead } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

type ArticleRow = typeof mediaArticle.$inferSelect;

/** Published and its publishing time reached (by the shared clock): what readers, the portal and notices see. */
export const visibleNow = (): SQL => and(eq(mediaArticle.status, 'published'), lte(mediaArticle.publishedAt, now()))!;
export const isVisible = (a: Pick<ArticleRow, 'status' | 'publishedAt'>): boolean =>
  a.status === 'published' && a.publishedAt !== null && a.publishedAt.getTime() <= now().getTime();
const isScheduled = (a: Pick<ArticleRow, 'status' | 'publishedAt'>): boolean =>
  a.status === 'published' && !isVisible(a);

/** `col in (…values)`; `false` for none. */
export const inList = (col: SQL | typeof org.path, values: string[]) =>
  values.length
    ? sql`${col} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`
    : sql`false`;

/** A binding keeps records of `target` (a record keeper at it or above): edits, reviews, manages it. */
export const keeps = (bindings: Binding[], target: OrgRef) =>
  bindings.some((b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, target));
/** A binding reads the records of `target` (a record reader at it or above): sees it unpublished. */
export const readsOrg = (bindings: Binding[], target: OrgRef) =>
  bindings.some((b) => inGroup(RECORD_READERS, b.role) && covers(b.org, target));

/**
 * A published record of the org at `row.path` is reached through the caller's own org below it (a member reads what
 * the group committee holds), else through the record's own org, which the platform then checks. Null: no record.
 */
export async function throughCaller(
  db: Queryable,
  tenantId: string,
  row: { orgId: string; path: string } | null,
  caller: Caller,
) {
  if (!row) return null;
  const bindings = await loadBindings(db, tenantId, caller.userId);
  const below = bindings.find((b) => b.org.path.startsWith(row.path));
  return below?.org.id ?? row.orgId;
}

async function orgRef(db: Queryable, tenantId: string, id: string): Promise<OrgRef | null> {
  const [row] = await db
    .select({
      id: org.id,
      path: org.path,
      tenantId: org.tenantId,
      name: org.name,
      kind: org.kind,
      parentId: org.parentId,
    })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  return row ?? null;
}

// ---------------------------------------------------------------- access lookups

async function rowOf(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({
      orgId: mediaArticle.orgId,
      reviewOrgId: mediaArticle.reviewOrgId,
      status: mediaArticle.status,
      publishedAt: mediaArticle.publishedAt,
      kind: mediaArticle.kind,
    })
    .from(mediaArticle)
    .where(and(eq(mediaArticle.tenantId, tenantId), eq(mediaArticle.id, id)));
  return row ?? null;
}

/**
 * Reading: a published article above one of the caller's orgs is reached through that org of theirs (a
 * member reads the group committee's news); anything else is the article's own org, which the platform
 * then checks (members of the org's subtree, managers above it).
 */
export async function orgOfArticle(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const row = await rowOf(db, tenantId, id);
  if (!row) return null;
  if (!isVisible(row)) return row.orgId;
  const bindings = await loadBindings(db, tenantId, caller.userId);
  // A published 党建品牌 is in the gallery across the group: anyone of the tenant reads it through their own org.
  if (row.kind === 'brand') return bindings[0]?.org.id ?? row.orgId;
  const [o] = await db
    .select({ path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, row.orgId)));
  const below = bindings.find((b) => o && b.org.path.startsWith(o.path));
  return below?.org.id ?? row.orgId;
}
/** Editing: the article's own org — its record keepers write it. */
export async function ownerOrgOfArticle(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await rowOf(db, tenantId, id))?.orgId ?? null;
}
/** Reviewing: the org above the writing org (its own for the top org) — that org's managers review. */
export async function reviewOrgOfArticle(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  const row = await rowOf(db, tenantId, id);
  if (!row) return null;
  if (row.reviewOrgId) return row.reviewOrgId;
  return reviewOrgFor(db, tenantId, row.orgId);
}
async function reviewOrgFor(db: Queryable, tenantId: string, orgId: string): Promise<string> {
  const o = (await orgRef(db, tenantId, orgId)) as (OrgRef & { parentId: string | null }) | null;
  return o?.parentId ?? orgId;
}

// ---------------------------------------------------------------- channels

/** The channels an org may publish in: the built-in four, and those added to it or to an org above it. */
export async function listChannels(db: Queryable, scope: Scope): Promise<ChannelView[]> {
  const rows = await db
    .select({ id: mediaChannel.id, name: mediaChannel.name, orgId: mediaChannel.orgId, orgName: org.name })
    .from(mediaChannel)
    .innerJoin(org, onKey(org, mediaChannel.orgId, mediaChannel))
    .where(and(eq(mediaChannel.tenantId, scope.tenantId), inList(org.path, pathPrefixes(scope.org.path))))
    .orderBy(asc(org.path), asc(mediaChannel.createdAt));
  return [
    ...BUILTIN_CHANNELS.map((name) => ({ id: null, name, builtIn: true, orgId: null, orgName: null })),
    ...rows
      .filter((r) => !(BUILTIN_CHANNELS as readonly string[]).includes(r.name))
      .map((r) => ({ ...r, builtIn: false })),
  ];
}

export async function createChannel(db: Db, scope: Scope, name: string): Promise<ChannelView> {
  const n = name.trim();
  if (kindOfChannel(n))
    throw conflict(`“${n}”是系统栏目（典型、先锋岗、党建品牌各有专门的页面），不能再添加`, 'CHANNEL_EXISTS');
  if ((await listChannels(db, scope)).some((c) => c.name === n)) throw conflict(`栏目“${n}”已存在`, 'CHANNEL_EXISTS');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaChannel)
      .values({ tenantId: scope.tenantId, orgId: scope.org.id, name: n, createdBy: scope.actor.username ?? '系统' })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict(`栏目“${n}”已存在`, 'CHANNEL_EXISTS');
    await writeAudit(tx, scope.actor, {
      action: 'media.channel.create',
      entityType: 'media_channel',
      entityId: row.id,
      org: scope.org,
      after: { name: n },
    });
    return { id: row.id, name: n, builtIn: false, orgId: scope.org.id, orgName: scope.org.name };
  });
}

async function checkChannel(db: Queryable, scope: Scope, at: OrgRef, channel: string) {
  const names = (await listChannels(db, { ...scope, org: at })).map((c) => c.name);
  if (!names.includes(channel))
    throw unprocessable(`栏目“${channel}”不存在`, [{ field: 'channel', message: '请选择已有栏目' }], 'CHANNEL_UNKNOWN');
}

/** Image ids in the body and the cover must be files uploaded to this article. */
async function checkFiles(db: Queryable, tenantId: string, articleId: string | null, ids: string[]) {
  if (ids.length === 0) return;
  const found = articleId
    ? await db
        .select({ id: mediaFile.id })
        .from(mediaFile)
        .where(and(eq(mediaFile.tenantId, tenantId), eq(mediaFile.articleId, articleId), inArray(mediaFile.id, ids)))
    : [];
  const have = new Set(found.map((f) => f.id));
  const missing = [...new Set(ids)].filter((id) => !have.has(id));
  if (missing.length)
    throw unprocessable(
      '图片须先上传到本文章',
      missing.map((id) => ({ field: 'body', message: `图片 ${id} 不是本文章上传的文件` })),
      'IMAGE_UNKNOWN',
    );
}

// ---------------------------------------------------------------- articles

const auditView = (r: Partial<ArticleRow>) => ({
  channel: r.channel,
  title: r.title,
  byline: r.byline,
  isPublic: r.isPublic,
  pinned: r.pinned,
  mustRead: r.mustRead,
  publishAt: r.publishAt?.toISOString() ?? null,
  status: r.status,
  coverFileId: r.coverFileId,
  bodyChars: r.body ? docText(r.body).length : undefined,
});

/**
 * What the kind fixes: a 典型/先锋岗/品牌 item is filed in its kind's channel; a 党建品牌's summary is its slogan and its
 * body is made from its fields (brandDoc), so review, portal, web and the data copy read it like any article.
 */
function kindContent(
  kind: ArticleKind,
  brand: BrandFields | null | undefined,
): { channel?: string; summary?: string; body?: ArticleRow['body'] } {
  if (kind === 'news') return {};
  if (kind !== 'brand' || !brand) return { channel: KIND_CHANNELS[kind] };
  return { channel: KIND_CHANNELS.brand, summary: brand.slogan, body: brandDoc(brand) };
}

/** Honorees are members on the roll of the writing org's subtree (their member records), each once. */
async function checkHonorees(db: Queryable, tenantId: string, at: OrgRef, honorees: HonoreeInput[]) {
  if (!honorees.length) return;
  const ids = honorees.map((h) => h.memberId);
  if (new Set(ids).size !== ids.length)
    throw unprocessable(
      '同一名党员不能重复关联',
      [{ field: 'honorees', message: '请去掉重复的党员' }],
      'HONOREE_DUPLICATE',
    );
  const found = await db
    .select({ id: member.id })
    .from(member)
    .where(
      and(
        eq(member.tenantId, tenantId),
        inArray(member.id, ids),
        onRoll(),
        sql`${member.orgPath} like ${`${at.path}%`}`,
      ),
    );
  const have = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !have.has(id));
  if (missing.length)
    throw unprocessable(
      `典型人物须为${at.name}及下级组织的在册党员`,
      missing.map((id) => ({ field: 'honorees', message: `党员 ${id} 不在本组织范围内` })),
      'HONOREE_OUT_OF_SCOPE',
    );
}

async function checkNoBrand(db: Queryable, tenantId: string, at: OrgRef) {
  const [b] = await db
    .select({ id: mediaArticle.id })
    .from(mediaArticle)
    .where(and(eq(mediaArticle.tenantId, tenantId), eq(mediaArticle.orgId, at.id), eq(mediaArticle.kind, 'brand')));
  if (b)
    throw conflict(`${at.name}已有党建品牌，请修改已有的品牌（已发布的先撤回）`, 'BRAND_EXISTS', { articleId: b.id });
}

async function setHonorees(tx: Queryable, tenantId: string, articleId: string, honorees: HonoreeInput[]) {
  await (tx as Db)
    .delete(mediaHonoree)
    .where(and(eq(mediaHonoree.tenantId, tenantId), eq(mediaHonoree.articleId, articleId)));
  if (honorees.length)
    await (tx as Db)
      .insert(mediaHonoree)
      .values(
        honorees.map((h, i) => ({ tenantId, articleId, memberId: h.memberId, post: h.post.trim(), position: i })),
      );
}

/** The honorees of some articles: name, org and post only. */
async function honoreesOf(db: Queryable, tenantId: string, ids: string[]): Promise<Map<string, HonoreeView[]>> {
  const out = new Map<string, HonoreeView[]>();
  if (!ids.length) return out;
  const rows = await db
    .select({
      articleId: mediaHonoree.articleId,
      memberId: mediaHonoree.memberId,
      name: member.name,
      orgName: org.name,
      post: mediaHonoree.post,
    })
    .from(mediaHonoree)
    .innerJoin(member, onKey(member, mediaHonoree.memberId, mediaHonoree))
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(and(eq(mediaHonoree.tenantId, tenantId), inArray(mediaHonoree.articleId, ids)))
    .orderBy(asc(mediaHonoree.articleId), asc(mediaHonoree.position));
  for (const { articleId, ...h } of rows) out.set(articleId, [...(out.get(articleId) ?? []), h]);
  return out;
}

/** A publishing time being set must lie ahead (by the shared clock), at most SCHEDULE_MAX_DAYS. */
function checkPublishAt(publishAt: string | null | undefined): Date | null | undefined {
  if (publishAt === null || publishAt === undefined) return publishAt;
  const at = new Date(publishAt);
  if (at.getTime() <= now().getTime())
    throw unprocessable(
      '定时发布时间须晚于当前时间',
      [{ field: 'publishAt', message: '请选择将来的时间，或取消定时发布' }],
      'PUBLISH_AT_PAST',
    );
  if (at.getTime() > now().getTime() + SCHEDULE_MAX_DAYS * 86_400_000)
    throw unprocessable(
      `定时发布时间不能晚于 ${SCHEDULE_MAX_DAYS} 天以后`,
      [{ field: 'publishAt', message: '时间太远' }],
      'PUBLISH_AT_FAR',
    );
  return at;
}

export async function createArticle(db: Db, scope: Scope, raw: ArticleInput): Promise<ArticleDetail> {
  const input = { ...raw, ...kindContent(raw.kind, raw.brand) };
  const publishAt = checkPublishAt(input.publishAt);
  if (input.kind === 'news') await checkChannel(db, scope, scope.org, input.channel);
  if (input.coverFileId || docImages(input.body).length)
    await checkFiles(db, scope.tenantId, null, [
      ...docImages(input.body),
      ...(input.coverFileId ? [input.coverFileId] : []),
    ]);
  await checkHonorees(db, scope.tenantId, scope.org, input.honorees);
  if (input.kind === 'brand') await checkNoBrand(db, scope.tenantId, scope.org);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaArticle)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        kind: input.kind,
        brand: input.brand,
        channel: input.channel,
        title: input.title.trim(),
        summary: input.summary.trim(),
        byline: input.byline.trim() || scope.org.name,
        body: input.body,
        coverFileId: input.coverFileId,
        isPublic: input.isPublic,
        pinned: input.pinned,
        mustRead: input.mustRead,
        publishAt: publishAt ?? null,
        status: 'draft',
        authorUserId: scope.principal.user.id,
        createdBy: scope.actor.username ?? '系统',
        createdAt: now(),
        updatedAt: now(),
      })
      .returning();
    await setHonorees(tx, scope.tenantId, row!.id, input.honorees);
    await writeAudit(tx, scope.actor, {
      action: 'media.article.create',
      entityType: 'media_article',
      entityId: row!.id,
      org: scope.org,
      after: { ...auditView(row!), kind: input.kind, honorees: input.honorees },
    });
    return row!.id;
  });
  return getArticle(db, scope, id);
}

async function lockArticle(
  tx: Queryable & { select: Db['select'] },
  tenantId: string,
  id: string,
): Promise<ArticleRow> {
  const [row] = await (tx as Db)
    .select()
    .from(mediaArticle)
    .where(and(eq(mediaArticle.tenantId, tenantId), eq(mediaArticle.id, id)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

/**
 * Edits: content only while a draft or rejected (a published article is withdrawn first); a published one
 * may still be pinned or unpinned — that changes no text the reviewer approved.
 */
export async function updateArticle(db: Db, scope: Scope, id: string, raw: ArticlePatch): Promise<ArticleDetail> {
  const current = await getRow(db, scope.tenantId, id);
  const kind = current.a.kind as ArticleKind;
  if (raw.honorees !== undefined && kind !== 'story' && kind !== 'pioneer')
    throw unprocessable(
      '只有典型和先锋岗文章可以关联党员',
      [{ field: 'honorees', message: '本文不能关联党员' }],
      'HONOREES_NOT_ALLOWED',
    );
  if (raw.honorees !== undefined && raw.honorees.length === 0)
    throw unprocessable(
      '请选择至少一名典型人物（党员）',
      [{ field: 'honorees', message: '不能为空' }],
      'HONOREES_EMPTY',
    );
  if (kind === 'pioneer' && raw.honorees?.some((h) => h.post.trim() === ''))
    throw unprocessable('党员先锋岗须写明岗位名称', [{ field: 'honorees', message: '请填写岗位' }], 'HONOREE_POST');
  if (raw.brand !== undefined && kind !== 'brand')
    throw unprocessable(
      '只有党建品牌可以填写品牌内容',
      [{ field: 'brand', message: '本文不是党建品牌' }],
      'BRAND_NOT_ALLOWED',
    );
  if (kind === 'brand' && (raw.body !== undefined || raw.summary !== undefined))
    throw unprocessable(
      '党建品牌的正文和摘要由品牌内容生成，请修改品牌内容',
      [{ field: 'brand', message: '请修改口号、理念、做法、成效或照片' }],
      'BRAND_BODY',
    );
  // A kind's channel is fixed; a brand's body and summary follow its fields.
  const patch: ArticlePatch = { ...raw, ...kindContent(kind, raw.brand) };
  if (kind !== 'news') delete patch.channel; // fixed by the kind
  const publishAt = checkPublishAt(patch.publishAt);
  if (patch.channel !== undefined && kind === 'news') await checkChannel(db, scope, scope.org, patch.channel);
  if (patch.honorees)
    await checkHonorees(
      db,
      scope.tenantId,
      { id: current.a.orgId, path: current.orgPath, tenantId: scope.tenantId, name: current.orgName, kind: '' },
      patch.honorees,
    );
  const images = [...(patch.body ? docImages(patch.body) : []), ...(patch.coverFileId ? [patch.coverFileId] : [])];
  await checkFiles(db, scope.tenantId, id, images);
  await db.transaction(async (tx) => {
    const before = await lockArticle(tx, scope.tenantId, id);
    const keys = Object.keys(raw).filter((k) => (raw as Record<string, unknown>)[k] !== undefined);
    const onlyPin = keys.every((k) => k === 'pinned');
    if (before.status === 'in_review') throw conflict('稿件正在审核中，不能修改', 'ARTICLE_IN_REVIEW');
    if (before.status === 'published' && !onlyPin)
      throw conflict('已发布的文章只能置顶或取消置顶；修改内容请先撤回', 'ARTICLE_PUBLISHED');
    const set: Partial<ArticleRow> = {
      ...(patch.channel !== undefined && { channel: patch.channel }),
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.summary !== undefined && { summary: patch.summary.trim() }),
      ...(patch.byline !== undefined && { byline: patch.byline.trim() || current.orgName }),
      ...(patch.body !== undefined && { body: patch.body }),
      ...(patch.coverFileId !== undefined && { coverFileId: patch.coverFileId }),
      ...(patch.isPublic !== undefined && { isPublic: patch.isPublic }),
      ...(patch.pinned !== undefined && { pinned: patch.pinned }),
      ...(patch.mustRead !== undefined && { mustRead: patch.mustRead }),
      ...(patch.brand !== undefined && { brand: patch.brand }),
      ...(publishAt !== undefined && { publishAt }),
      updatedAt: now(),
    };
    await tx
      .update(mediaArticle)
      .set(set)
      .where(and(eq(mediaArticle.tenantId, scope.tenantId), eq(mediaArticle.id, id)));
    if (patch.honorees) await setHonorees(tx, scope.tenantId, id, patch.honorees);
    await writeAudit(tx, scope.actor, {
      action: 'media.article.update',
      entityType: 'media_article',
      entityId: id,
      org: scope.org,
      before: auditView(before),
      after: { ...auditView({ ...before, ...set }), ...(patch.honorees && { honorees: patch.honorees }) },
    });
  });
  return getArticle(db, scope, id);
}

/** Sends a draft (or a rejected article, edited) to the review org's managers. */
export async function submitArticle(db: Db, scope: Scope, id: string): Promise<ArticleDetail> {
  await db.transaction(async (tx) => {
    const before = await lockArticle(tx, scope.tenantId, id);
    if (before.status !== 'draft' && before.status !== 'rejected')
      throw conflict(
        `${before.status === 'in_review' ? '稿件已在审核中' : '文章已发布'}，不能再次提交`,
        'ARTICLE_NOT_DRAFT',
      );
    if (docText(before.body).trim() === '' && docImages(before.body).length === 0)
      throw unprocessable('正文不能为空', [{ field: 'body', message: '请填写正文' }], 'BODY_EMPTY');
    if (before.publishAt && before.publishAt.getTime() <= now().getTime())
      throw unprocessable(
        '定时发布时间已过，请修改时间或取消定时发布后再提交',
        [{ field: 'publishAt', message: '请选择将来的时间' }],
        'PUBLISH_AT_PAST',
      );
    const reviewOrgId = await reviewOrgFor(tx, scope.tenantId, before.orgId);
    await tx
      .update(mediaArticle)
      .set({ status: 'in_review', reviewOrgId, submittedAt: now(), rejectReason: null, updatedAt: now() })
      .where(and(eq(mediaArticle.tenantId, scope.tenantId), eq(mediaArticle.id, id)));
    const orgName = (await orgRef(tx, scope.tenantId, before.orgId))?.name ?? '';
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'media.review.requested',
      recipients: { orgRoles: [{ orgId: reviewOrgId, roles: RECORD_KEEPERS, nearest: true }] },
      data: { orgName, title: before.title },
      link: `/media/articles/${id}`,
      dedupeKey: `media.review.requested:${id}:${now().toISOString()}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'media.article.submit',
      entityType: 'media_article',
      entityId: id,
      org: scope.org,
      before: { status: before.status },
      after: { status: 'in_review', reviewOrgId },
    });
  });
  return getArticle(db, scope, id);
}

/**
 * The review org's manager approves (published now) or rejects with a reason. Whoever submitted it may
 * not approve it themselves unless the article is the top org's own (no org above to review it).
 */
export async function reviewArticle(db: Db, scope: Scope, id: string, input: ReviewInput): Promise<ArticleDetail> {
  await db.transaction(async (tx) => {
    const before = await lockArticle(tx, scope.tenantId, id);
    if (before.status !== 'in_review') throw conflict('该文章不在待审核状态', 'ARTICLE_NOT_IN_REVIEW');
    if (before.reviewOrgId !== before.orgId && before.authorUserId === scope.principal.user.id)
      throw forbidden('不能审核自己撰写的稿件', 'SELF_REVIEW');
    // 定时发布: visible from the asked time (a reviewer late past it publishes at once).
    const publishedAt = before.publishAt && before.publishAt.getTime() > now().getTime() ? before.publishAt : now();
    const set = input.approve
      ? { status: 'published' as const, publishedAt, rejectReason: null }
      : { status: 'rejected' as const, rejectReason: (input.reason ?? '').trim() };
    await tx
      .update(mediaArticle)
      .set({ ...set, reviewedBy: scope.actor.username ?? '系统', reviewedAt: now(), updatedAt: now() })
      .where(eq(mediaArticle.id, id));
    if (before.authorUserId && before.authorUserId !== scope.principal.user.id)
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'media.review.done',
        recipients: { users: [before.authorUserId] },
        data: {
          title: before.title,
          result: !input.approve
            ? '被退回'
            : publishedAt.getTime() > now().getTime()
              ? `已通过，将于 ${chinaDateTimeLabel(publishedAt)} 发布`
              : '已通过并发布',
          reason: input.approve ? '' : `退回理由：${set.rejectReason}`,
        },
        link: `/media/articles/${id}`,
        dedupeKey: `media.review.done:${id}:${now().toISOString()}`,
      });
    await writeAudit(tx, scope.actor, {
      action: input.approve ? 'media.article.approve' : 'media.article.reject',
      entityType: 'media_article',
      entityId: id,
      org: scope.org,
      before: { status: before.status },
      after: {
        status: set.status,
        ...(input.approve ? { publishedAt: publishedAt.toISOString() } : { reason: set.rejectReason }),
      },
    });
    if (input.approve) {
      if (publishedAt.getTime() <= now().getTime()) await announce(tx, scope.tenantId, id);
      else
        await enqueueJob(
          tx,
          {
            tenantId: scope.tenantId,
            kind: RELEASE_JOB,
            payload: { articleId: id },
            runAt: publishedAt,
            dedupeKey: `${RELEASE_JOB}:${id}:${publishedAt.toISOString()}`,
          },
          now(),
        );
    }
  });
  return getArticle(db, scope, id);
}

export const RELEASE_JOB = 'media.article.release';

/** The active members of an org's subtree (who an org's article or lecture notice reaches). */
export async function activeMembersUnder(q: Queryable, tenantId: string, path: string): Promise<string[]> {
  const rows = await q
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.tenantId, tenantId), onRoll(), sql`${member.orgPath} like ${`${path}%`}`));
  return rows.map((r) => r.id);
}

/**
 * The members' notice of an article that is now visible, exactly once: `announced_at` is set by the one
 * update that finds it null (a withdrawn and republished article is not announced again; a withdrawn or
 * not-yet-due one is not announced at all). Returns the number of members notified.
 */
async function announce(tx: Queryable, tenantId: string, id: string): Promise<number> {
  const [a] = await tx
    .update(mediaArticle)
    .set({ announcedAt: now() })
    .where(
      and(eq(mediaArticle.tenantId, tenantId), eq(mediaArticle.id, id), isNull(mediaArticle.announcedAt), visibleNow()),
    )
    .returning();
  if (!a) return 0;
  const [o] = await tx.select({ name: org.name, path: org.path }).from(org).where(eq(org.id, a.orgId));
  const members = await activeMembersUnder(tx, tenantId, o!.path);
  await notify(tx, {
    tenantId,
    kind: 'media.article.published',
    recipients: { members },
    data: { orgName: o!.name, title: a.title, channel: a.channel },
    link: `/media/articles/${id}`,
    orgId: a.orgId,
    dedupeKey: `media.article.published:${id}`,
  });
  return members.length;
}

/** The job queued for a scheduled article's publishing time: announce it if it is (still) visible then. */
export async function releaseArticle(db: Db, tenantId: string, id: string): Promise<{ notified: number }> {
  return { notified: await db.transaction((tx) => announce(tx, tenantId, id)) };
}

/** Takes a published article back to draft (off the feed and the portal); the writing org's keepers. */
export async function withdrawArticle(db: Db, scope: Scope, id: string): Promise<ArticleDetail> {
  await db.transaction(async (tx) => {
    const before = await lockArticle(tx, scope.tenantId, id);
    if (before.status !== 'published' && before.status !== 'in_review')
      throw conflict('只有已发布或待审核的文章可以撤回', 'ARTICLE_NOT_PUBLISHED');
    await tx
      .update(mediaArticle)
      .set({ status: 'draft', updatedAt: now() })
      .where(and(eq(mediaArticle.tenantId, scope.tenantId), eq(mediaArticle.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'media.article.withdraw',
      entityType: 'media_article',
      entityId: id,
      org: scope.org,
      before: { status: before.status },
      after: { status: 'draft' },
    });
  });
  return getArticle(db, scope, id);
}

async function getRow(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ a: mediaArticle, orgName: org.name, orgPath: org.path })
    .from(mediaArticle)
    .innerJoin(org, onKey(org, mediaArticle.orgId, mediaArticle))
    .where(and(eq(mediaArticle.tenantId, tenantId), eq(mediaArticle.id, id)));
  if (!row) throw notFound();
  return row;
}

function brief(a: ArticleRow, orgName: string, read?: boolean, honorees: HonoreeView[] = []): ArticleBrief {
  return {
    id: a.id,
    kind: a.kind as ArticleKind,
    honorees,
    orgId: a.orgId,
    orgName,
    channel: a.channel,
    title: a.title,
    summary: a.summary,
    byline: a.byline,
    coverFileId: a.coverFileId,
    isPublic: a.isPublic,
    pinned: a.pinned,
    mustRead: a.mustRead,
    status: a.status as ArticleStatus,
    publishedAt: a.publishedAt?.toISOString() ?? null,
    publishAt: a.publishAt?.toISOString() ?? null,
    scheduled: isScheduled(a),
    readCount: a.readCount,
    commentCount: a.commentCount,
    ...(read !== undefined && { read }),
  };
}

/** One article for a signed-in reader; unpublished ones only for the writing org's keepers and the reviewers. */
export async function getArticle(db: Queryable, scope: Scope, id: string): Promise<ArticleDetail> {
  const row = await getRow(db, scope.tenantId, id);
  const a = row.a;
  const owner: OrgRef = { id: a.orgId, path: row.orgPath, tenantId: a.tenantId, name: row.orgName, kind: '' };
  const bindings = scope.principal.bindings;
  const reviewOrg = a.reviewOrgId ? await orgRef(db, scope.tenantId, a.reviewOrgId) : null;
  const canReview =
    a.status === 'in_review' &&
    reviewOrg !== null &&
    keeps(bindings, reviewOrg) &&
    (a.reviewOrgId === a.orgId || a.authorUserId !== scope.principal.user.id);
  if (!isVisible(a) && !readsOrg(bindings, owner) && !canReview) throw notFound();
  const [rd] = await db
    .select({ at: mediaRead.readAt })
    .from(mediaRead)
    .where(
      and(
        eq(mediaRead.tenantId, scope.tenantId),
        eq(mediaRead.articleId, id),
        eq(mediaRead.userId, scope.principal.user.id),
      ),
    );
  const honorees = (await honoreesOf(db, scope.tenantId, [a.id])).get(a.id) ?? [];
  return {
    ...brief(a, row.orgName, Boolean(rd), honorees),
    body: a.body,
    brand: a.kind === 'brand' ? a.brand : null,
    rejectReason: a.rejectReason,
    submittedAt: a.submittedAt?.toISOString() ?? null,
    reviewedBy: a.reviewedBy,
    reviewedAt: a.reviewedAt?.toISOString() ?? null,
    reviewOrgName: reviewOrg?.name ?? null,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
    canEdit: keeps(bindings, owner),
    canReview,
    reviewRule: `${REVIEW_RULE.text}${REVIEW_RULE.confirmed ? '' : '（出处待核对）'}`,
  };
}

/** Published articles on the caller's line: above or at one of their orgs; below too for managers. */
function feedWhere(scope: Scope): SQL {
  const up = [...new Set(scope.principal.bindings.flatMap((b) => pathPrefixes(b.org.path)))];
  const down = scope.principal.bindings
    .filter((b) => inGroup(RECORD_READERS, b.role))
    .map((b) => sql`${org.path} like ${`${b.org.path}%`}`);
  return and(
    eq(mediaArticle.tenantId, scope.tenantId),
    visibleNow(),
    sql`(${inList(org.path, up)}${down.length ? sql` or ${sql.join(down, sql` or `)}` : sql``})`,
  )!;
}

export async function listFeed(
  db: Queryable,
  scope: Scope,
  f: { channel?: string | undefined; mustRead?: boolean | undefined; kind?: ArticleKind | undefined },
  page: number,
  pageSize: number,
) {
  const where = and(
    feedWhere(scope),
    // 党建品牌 are in their gallery (listBrands), not in the news feed, unless asked for.
    f.kind ? eq(mediaArticle.kind, f.kind) : sql`${mediaArticle.kind} <> 'brand'`,
    f.channel ? eq(mediaArticle.channel, f.channel) : undefined,
    f.mustRead !== undefined ? eq(mediaArticle.mustRead, f.mustRead) : undefined,
  );
  const { rows, total } = await articlePage(
    db,
    where,
    [desc(mediaArticle.pinned), desc(mediaArticle.publishedAt)],
    page,
    pageSize,
    scope.principal.user.id,
  );
  return { items: rows.map((r) => brief(r.a, r.orgName, r.read, r.honorees)), total };
}

/** The articles of an org's subtree, every status (the keepers' 稿件管理). */
export async function listManaged(
  db: Queryable,
  scope: Scope,
  status: ArticleStatus | undefined,
  page: number,
  pageSize: number,
  kind?: ArticleKind,
) {
  const where = and(
    eq(mediaArticle.tenantId, scope.tenantId),
    sql`${org.path} like ${`${scope.org.path}%`}`,
    status ? eq(mediaArticle.status, status) : undefined,
    kind ? eq(mediaArticle.kind, kind) : undefined,
  );
  const { rows, total } = await articlePage(db, where, [desc(mediaArticle.updatedAt)], page, pageSize);
  return { items: rows.map((r) => brief(r.a, r.orgName, undefined, r.honorees)), total };
}

/** 党建品牌 gallery: every org's published brand across the group (org data, no person's), by org. */
export async function listBrands(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = and(eq(mediaArticle.tenantId, scope.tenantId), visibleNow(), eq(mediaArticle.kind, 'brand'));
  const { rows, total } = await articlePage(db, where, [sql`${org.path} collate "C"`], page, pageSize);
  return { items: rows.map((r) => ({ ...brief(r.a, r.orgName), brand: r.a.brand! })), total };
}

/**
 * The 典型/先锋岗 stories naming a member (the member detail's tab, for the readers of the member's org): the
 * published ones, and drafts/reviews of orgs the caller keeps records of.
 */
export async function honorsOfMember(
  db: Queryable,
  scope: Scope,
  memberId: string,
  page: number,
  pageSize: number,
  { drafts = true } = {},
) {
  // Drafts and withdrawn stories only to the record readers of the story's org; published ones to everyone asking.
  const readers = drafts ? scope.principal.bindings.filter((b) => inGroup(RECORD_READERS, b.role)) : [];
  const where = and(
    eq(mediaArticle.tenantId, scope.tenantId),
    sql`exists (select 1 from media_honoree h where h.tenant_id = ${mediaArticle.tenantId} and h.article_id = ${mediaArticle.id} and h.member_id = ${memberId})`,
    sql`(${visibleNow()}${
      readers.length
        ? sql` or ${sql.join(
            readers.map((b) => sql`${org.path} like ${`${b.org.path}%`}`),
            sql` or `,
          )}`
        : sql``
    })`,
  );
  const { rows, total } = await articlePage(
    db,
    where,
    [sql`${mediaArticle.publishedAt} desc nulls first`, desc(mediaArticle.updatedAt)],
    page,
    pageSize,
  );
  return { items: rows.map((r) => brief(r.a, r.orgName, undefined, r.honorees)), total };
}

/** 我的记录 (issue 24): the published 典型/先锋岗 stories naming the signed-in member; none for an account without one. */
export async function myHonors(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!self) return { items: [], total: 0 };
  return honorsOfMember(db, scope, self.id, page, pageSize, { drafts: false });
}

/** The stories naming a member (their part of the PIPL copy): title, kind, post, state. */
export async function personalHonors(db: Queryable, tenantId: string, memberId: string) {
  const rows = await db
    .select({
      articleId: mediaArticle.id,
      title: mediaArticle.title,
      kind: mediaArticle.kind,
      post: mediaHonoree.post,
      status: mediaArticle.status,
      publishedAt: mediaArticle.publishedAt,
      orgName: org.name,
    })
    .from(mediaHonoree)
    .innerJoin(mediaArticle, onKey(mediaArticle, mediaHonoree.articleId, mediaHonoree))
    .innerJoin(org, onKey(org, mediaArticle.orgId, mediaArticle))
    .where(and(eq(mediaHonoree.tenantId, tenantId), eq(mediaHonoree.memberId, memberId)))
    .orderBy(asc(mediaArticle.createdAt));
  return rows.map((r) => ({ ...r, publishedAt: r.publishedAt?.toISOString() ?? null }));
}

/**
 * One page of articles with their org's name (and, given a user, whether they read each), and the count:
 * the one query shape of every article list (feed, management, review queue, to-do).
 */
async function articlePage(
  db: Queryable,
  where: SQL | undefined,
  order: SQL[],
  page: number,
  pageSize: number,
  readerId?: string,
) {
  const read = readerId
    ? sql<boolean>`exists (select 1 from media_read r where r.tenant_id = ${mediaArticle.tenantId} and r.article_id = ${mediaArticle.id} and r.user_id = ${readerId})`
    : sql<boolean>`false`;
  const { items: rows, total } = await pageWhere(
    db
      .select({ a: mediaArticle, orgName: org.name, read })
      .from(mediaArticle)
      .innerJoin(org, onKey(org, mediaArticle.orgId, mediaArticle))
      .$dynamic(),
    countFrom(db, mediaArticle).innerJoin(org, onKey(org, mediaArticle.orgId, mediaArticle)),
    where,
    [...order, asc(mediaArticle.id)],
    page,
    pageSize,
  );
  const honorees = await honoreesOf(
    db,
    rows[0]?.a.tenantId ?? '', // the rows come from one tenant's query (none: nothing to read)
    rows.filter((r) => r.a.kind === 'story' || r.a.kind === 'pioneer').map((r) => r.a.id),
  );
  return {
    rows: rows.map((r) => ({ ...r, read: Boolean(r.read), honorees: honorees.get(r.a.id) ?? [] })),
    total,
  };
}

/** Articles waiting for the caller's review: in review, with a review org one of their keeper bindings covers. */
export async function reviewQueue(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const mine = scope.principal.bindings.filter((b) => inGroup(RECORD_KEEPERS, b.role));
  if (mine.length === 0) return { items: [], total: 0 };
  const where = and(
    eq(mediaArticle.tenantId, scope.tenantId),
    eq(mediaArticle.status, 'in_review'),
    sql`exists (select 1 from org r where r.tenant_id = ${mediaArticle.tenantId} and r.id = ${mediaArticle.reviewOrgId} and (${sql.join(
      mine.map((b) => sql`r.path like ${`${b.org.path}%`}`),
      sql` or `,
    )}))`,
    // Not one's own (except the top org's own articles, which nobody above reviews).
    sql`(${mediaArticle.reviewOrgId} = ${mediaArticle.orgId} or ${mediaArticle.authorUserId} is distinct from ${scope.principal.user.id})`,
  );
  const { rows, total } = await articlePage(db, where, [asc(mediaArticle.submittedAt)], page, pageSize);
  return { items: rows.map((r) => brief(r.a, r.orgName, undefined, r.honorees)), total };
}

/** The caller read a published article: the first time counts (receipt, read count, audit). */
export async function markRead(db: Db, scope: Scope, id: string): Promise<{ read: true; readCount: number }> {
  const row = await getRow(db, scope.tenantId, id);
  await getArticle(db, scope, id); // an unpublished article stays hidden from those who may not see it
  if (!isVisible(row.a)) throw conflict('文章尚未发布', 'ARTICLE_NOT_PUBLISHED');
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(mediaRead)
      .values({
        tenantId: scope.tenantId,
        articleId: id,
        userId: scope.principal.user.id,
        memberId: m && !m.leftAt ? m.id : null,
        readAt: now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return { read: true as const, readCount: row.a.readCount };
    const [u] = await tx
      .update(mediaArticle)
      .set({ readCount: sql`${mediaArticle.readCount} + 1` })
      .where(eq(mediaArticle.id, id))
      .returning({ n: mediaArticle.readCount });
    await writeAudit(tx, scope.actor, {
      action: 'media.article.read',
      entityType: 'media_article',
      entityId: id,
      org: scope.org,
      after: { mustRead: row.a.mustRead },
    });
    return { read: true as const, readCount: u!.n };
  });
}

/** Orgs whose 必读 articles reach the caller: their member record's org, else their bindings' orgs. */
async function readerPaths(db: Queryable, scope: Scope): Promise<string[]> {
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (m && !m.leftAt) {
    const o = await orgRef(db, scope.tenantId, m.orgId);
    if (o) return pathPrefixes(o.path);
  }
  return [...new Set(scope.principal.bindings.flatMap((b) => pathPrefixes(b.org.path)))];
}

/** The caller's unread 必读 notices (工作台 to-do). */
export async function myTodo(
  db: Queryable,
  scope: Scope,
  page: number,
  pageSize: number,
): Promise<{ items: MediaTodo[]; total: number }> {
  const paths = await readerPaths(db, scope);
  const where = and(
    eq(mediaArticle.tenantId, scope.tenantId),
    visibleNow(),
    eq(mediaArticle.mustRead, true),
    inList(org.path, paths),
    sql`not exists (select 1 from media_read r where r.tenant_id = ${mediaArticle.tenantId} and r.article_id = ${mediaArticle.id} and r.user_id = ${scope.principal.user.id})`,
  );
  const { rows, total } = await articlePage(db, where, [desc(mediaArticle.publishedAt)], page, pageSize);
  return {
    items: rows.map(({ a, orgName }) => ({
      id: a.id,
      title: a.title,
      orgName,
      publishedAt: a.publishedAt!.toISOString(),
    })),
    total,
  };
}

/** Members of the article's org subtree who have not read a 必读 article (the secretary's follow-up list). */
export async function unreadOf(db: Queryable, scope: Scope, id: string, page: number, pageSize: number) {
  const row = await getRow(db, scope.tenantId, id);
  if (!isVisible(row.a)) throw conflict('文章尚未发布', 'ARTICLE_NOT_PUBLISHED');
  if (!row.a.mustRead) throw unprocessable('只有必读文章统计未读人员', undefined, 'NOT_MUST_READ');
  // The caller's own part of the subtree: a secretary of one branch under a committee's notice sees their branch.
  const at = scope.org.path.startsWith(row.orgPath) ? scope.org.path : row.orgPath;
  const where = and(
    eq(member.tenantId, scope.tenantId),
    onRoll(),
    sql`${member.orgPath} like ${`${at}%`}`,
    sql`not exists (select 1 from media_read r where r.article_id = ${id} and (r.member_id = ${member.id} or (${member.userId} is not null and r.user_id = ${member.userId})))`,
  );
  const [rows, [count], [all]] = await Promise.all([
    db
      .select({ memberId: member.id, name: member.name, orgName: org.name, userId: member.userId })
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(where)
      .orderBy(sql`${member.orgPath} collate "C"`, sql`${member.name} collate "C"`, asc(member.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(member)
      .where(where),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(member)
      .where(and(eq(member.tenantId, scope.tenantId), onRoll(), sql`${member.orgPath} like ${`${at}%`}`)),
  ]);
  const items: UnreadRow[] = rows.map((r) => ({
    memberId: r.memberId,
    name: r.name,
    orgName: r.orgName,
    hasAccount: r.userId !== null,
  }));
  return { items, total: count?.n ?? 0, members: all?.n ?? 0 };
}

// ---------------------------------------------------------------- files

export async function insertFile(
  db: Db,
  scope: Scope,
  articleId: string,
  f: Omit<typeof mediaFile.$inferInsert, 'tenantId' | 'articleId'>,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaFile)
      .values({ ...f, tenantId: scope.tenantId, articleId })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'media.file.upload',
      entityType: 'media_article',
      entityId: articleId,
      org: scope.org,
      after: { fileId: row!.id, fileName: row!.fileName, mime: row!.mime, size: row!.size, sha256: row!.sha256 },
    });
    return { id: row!.id, fileName: row!.fileName, mime: row!.mime, size: row!.size };
  });
}

export async function loadFile(db: Queryable, scope: Scope, articleId: string, fileId: string) {
  await getArticle(db, scope, articleId); // unpublished stays hidden
  const [row] = await db
    .select()
    .from(mediaFile)
    .where(and(eq(mediaFile.tenantId, scope.tenantId), eq(mediaFile.articleId, articleId), eq(mediaFile.id, fileId)));
  if (!row) throw notFound('文件不存在');
  return row;
}

// ---------------------------------------------------------------- the public portal

/** The tenant a portal request is for: the one named, else the installation's first (one enterprise per install). */
export async function portalTenant(
  db: Queryable,
  tenantId: string | undefined,
): Promise<{ id: string; name: string } | null> {
  const [row] = await db
    .select({ id: tenant.id, name: tenant.name })
    .from(tenant)
    .where(tenantId ? eq(tenant.id, tenantId) : undefined)
    .orderBy(asc(tenant.createdAt), asc(tenant.id))
    .limit(1);
  return row ?? null;
}

/** THE portal condition: published and marked public. Every portal read goes through it. */
const portalWhere = (tenantId: string) =>
  and(eq(mediaArticle.tenantId, tenantId), visibleNow(), eq(mediaArticle.isPublic, true))!;

/** Only these columns ever leave for the portal: no account, reviewer, reader or member. */
const portalColumns = {
  id: mediaArticle.id,
  channel: mediaArticle.channel,
  title: mediaArticle.title,
  summary: mediaArticle.summary,
  byline: mediaArticle.byline,
  orgName: org.name,
  publishedAt: mediaArticle.publishedAt,
  coverFileId: mediaArticle.coverFileId,
};

export async function portalList(db: Queryable, tenantId: string, page: number, pageSize: number) {
  const where = portalWhere(tenantId);
  const { items: rows, total } = await pageWhere(
    db
      .select(portalColumns)
      .from(mediaArticle)
      .innerJoin(org, onKey(org, mediaArticle.orgId, mediaArticle))
      .$dynamic(),
    countFrom(db, mediaArticle),
    where,
    [desc(mediaArticle.pinned), desc(mediaArticle.publishedAt), asc(mediaArticle.id)],
    page,
    pageSize,
  );
  return { rows: rows.map((r) => ({ ...r, publishedAt: r.publishedAt! })), total };
}

export async function portalArticle(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ ...portalColumns, body: mediaArticle.body })
    .from(mediaArticle)
    .innerJoin(org, onKey(org, mediaArticle.orgId, mediaArticle))
    .where(and(portalWhere(tenantId), eq(mediaArticle.id, id)));
  if (!row) throw notFound('文章不存在或未公开');
  return { ...row, publishedAt: row.publishedAt! };
}

/** A file of a portal article: its cover or an image its body names. */
export async function portalFile(db: Queryable, tenantId: string, articleId: string, fileId: string) {
  const a = await portalArticle(db, tenantId, articleId);
  if (a.coverFileId !== fileId && !docImages(a.body).includes(fileId)) throw notFound('文件不存在');
  const [row] = await db
    .select()
    .from(mediaFile)
    .where(and(eq(mediaFile.tenantId, tenantId), eq(mediaFile.articleId, articleId), eq(mediaFile.id, fileId)));
  if (!row) throw notFound('文件不存在');
  return row;
}

// ---------------------------------------------------------------- personal data

/** Articles a person wrote and the articles they read (their part of the PIPL copy). */
export async function personalMedia(db: Queryable, tenantId: string, userId: string) {
  const [authored, reads] = await Promise.all([
    db
      .select({
        id: mediaArticle.id,
        title: mediaArticle.title,
        channel: mediaArticle.channel,
        byline: mediaArticle.byline,
        status: mediaArticle.status,
        createdAt: mediaArticle.createdAt,
        publishedAt: mediaArticle.publishedAt,
        body: mediaArticle.body,
      })
      .from(mediaArticle)
      .where(and(eq(mediaArticle.tenantId, tenantId), eq(mediaArticle.authorUserId, userId)))
      .orderBy(asc(mediaArticle.createdAt)),
    db
      .select({ articleId: mediaRead.articleId, title: mediaArticle.title, readAt: mediaRead.readAt })
      .from(mediaRead)
      .innerJoin(mediaArticle, onKey(mediaArticle, mediaRead.articleId, mediaRead))
      .where(and(eq(mediaRead.tenantId, tenantId), eq(mediaRead.userId, userId)))
      .orderBy(asc(mediaRead.readAt)),
  ]);
  return {
    authored: authored.map((a) => ({
      ...a,
      body: docText(a.body),
      createdAt: a.createdAt.toISOString(),
      publishedAt: a.publishedAt?.toISOString() ?? null,
    })),
    reads: reads.map((r) => ({ ...r, readAt: r.readAt.toISOString() })),
  };
}
