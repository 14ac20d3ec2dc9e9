/**
 * 支部在线: a branch's discussion space — threads, replies, pins, locks, @mentions (handed to the
 * notify service as events), attachments in the file store, and moderation (hide with a reason) by
 * the branch's managers. Members of the branch and of its party groups take part; managers whose
 * binding covers the branch read and moderate.
 */
import { inSubtree } from '../../platform/access';
import { now, nowMs, VOICE_RULES, type ForumPost, type ForumThread, type ForumThreadDetail } from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Caller, Principal, Scope } from '../../platform/access';
import { covers } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { byKey, inTenant, onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { appUser, org, userRole } from '../../platform/schema';
import { member, onRoll, memberOfUser } from '../member/service';
import { displayName, isManagerOf, loadOrg, orgNames, ownOrgs } from './common';
import { voiceAttachment, voicePost, voiceThread } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

type ThreadRow = typeof voiceThread.$inferSelect;
type PostRow = typeof voicePost.$inferSelect;
type ForumOrg = { id: string; path: string; tenantId: string; name: string };

async function forumOrg(db: Queryable, tenantId: string, orgId: string): Promise<ForumOrg> {
  const o = await loadOrg(db, tenantId, orgId);
  if (!o || o.dissolvedAt) throw notFound('组织不存在');
  if (o.kind !== 'branch') throw unprocessable('支部在线按党支部开设，请选择党支部', undefined, 'VOICE_NOT_BRANCH');
  return { id: o.id, path: o.path, tenantId: o.tenantId, name: o.name };
}

/**
 * For the access layer: a member of the branch (or of one of its party groups) takes part from
 * their own org; anyone else reaches the branch through a binding that covers it.
 */
async function ownPartIn(db: Queryable, tenantId: string, forumOrgId: string, userId: string): Promise<string> {
  const [o] = await db
    .select({ path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, forumOrgId)));
  const self = await memberOfUser(db, tenantId, userId);
  if (o && self && !self.leftAt) {
    const [m] = await db
      .select({ path: org.path })
      .from(org)
      .where(and(eq(org.tenantId, tenantId), eq(org.id, self.orgId)));
    if (m?.path.startsWith(o.path)) return self.orgId;
  }
  return forumOrgId;
}

export async function orgOfForum(
  db: Queryable,
  tenantId: string,
  orgId: string,
  caller: Caller,
): Promise<string | null> {
  const o = await loadOrg(db, tenantId, orgId);
  // A missing org goes on to the access check as itself, which answers it like one outside the scope.
  if (!o) return orgId;
  return ownPartIn(db, tenantId, o.id, caller.userId);
}

/** For the access layer: a thread, reply or attachment is reached as its branch's forum is (ownPartIn). */
const orgOfForumRow =
  (table: typeof voiceThread | typeof voicePost | typeof voiceAttachment) =>
  async (db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> => {
    const [r] = await db
      .select({ orgId: table.orgId })
      .from(table)
      .where(byKey(table, tenantId, id));
    return r ? ownPartIn(db, tenantId, r.orgId, caller.userId) : null;
  };

export const orgOfThread = orgOfForumRow(voiceThread);
export const orgOfPost = orgOfForumRow(voicePost);
export const orgOfAttachment = orgOfForumRow(voiceAttachment);

/** Whether the caller takes part: a binding covering the branch, or membership of it or its groups. */
async function takesPart(db: Queryable, p: Principal, f: ForumOrg): Promise<boolean> {
  if (p.bindings.some((b) => covers(b.org, { ...f, kind: 'branch' }))) return true;
  return (await ownOrgs(db, p)).some((o) => o.path.startsWith(f.path));
}

async function participant(db: Queryable, scope: Scope, f: ForumOrg) {
  if (!(await takesPart(db, scope.principal, f))) throw notFound();
  return { moderator: isManagerOf(scope.principal, f) };
}

/** The branches whose forum the caller belongs to (their own branch, or their party group's branch). */
export async function myForums(db: Queryable, p: Principal) {
  const own = await ownOrgs(db, p);
  const ids = new Set<string>();
  for (const o of own) {
    if (o.kind === 'branch') ids.add(o.id);
    if (o.kind === 'group') {
      const [g] = await db
        .select({ parentId: org.parentId })
        .from(org)
        .where(and(eq(org.tenantId, p.user.tenantId), eq(org.id, o.id)));
      if (g?.parentId) ids.add(g.parentId);
    }
  }
  const names = await orgNames(db, p.user.tenantId, [...ids]);
  return [...ids].map((id) => ({ orgId: id, orgName: names.get(id) ?? '' }));
}

/** Who can be @mentioned in a branch: members of it and its groups with an account, and its secretaries. */
export async function mentionable(db: Queryable, tenantId: string, f: { id: string; path: string }) {
  const members = await db
    .select({ userId: member.userId, name: member.name })
    .from(member)
    .where(
      and(
        eq(member.tenantId, tenantId),
        inSubtree(member.orgPath, f.path),
        onRoll(),
        sql`${member.userId} is not null`,
      ),
    )
    .orderBy(member.name);
  const secs = await db
    .select({ userId: appUser.id, name: appUser.displayName, username: appUser.username })
    .from(userRole)
    .innerJoin(appUser, onKey(appUser, userRole.userId, userRole))
    .where(inTenant(userRole, tenantId, eq(userRole.orgId, f.id), eq(userRole.role, 'secretary')));
  const out = new Map<string, string>();
  for (const s of secs) out.set(s.userId, s.name || s.username);
  for (const m of members) if (m.userId && !out.has(m.userId)) out.set(m.userId, m.name);
  return [...out].map(([userId, name]) => ({ userId, name }));
}

export async function mentionableFor(db: Queryable, scope: Scope, orgId: string) {
  const f = await forumOrg(db, scope.tenantId, orgId);
  await participant(db, scope, f);
  return mentionable(db, scope.tenantId, f);
}

async function checkMentions(db: Queryable, tenantId: string, f: ForumOrg, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const known = new Set((await mentionable(db, tenantId, f)).map((m) => m.userId));
  if (unique.some((id) => !known.has(id))) throw unprocessable('提醒的人不在本支部', undefined, 'VOICE_BAD_MENTION');
  return unique;
}

async function namesOf(db: Queryable, tenantId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<string, string>();
  const users = await db
    .select({ id: appUser.id, name: appUser.displayName, username: appUser.username })
    .from(appUser)
    .where(inTenant(appUser, tenantId, inArray(appUser.id, unique)));
  const members = await db
    .select({ userId: member.userId, name: member.name })
    .from(member)
    .where(inTenant(member, tenantId, inArray(member.userId, unique)));
  const out = new Map(users.map((u) => [u.id, u.name || u.username]));
  for (const m of members) if (m.userId) out.set(m.userId, m.name);
  return out;
}

const EDIT_MS = VOICE_RULES.editMinutes.value * 60_000;

/** Until when the author may still edit or withdraw what they posted; null when they may not. */
function editableUntil(
  row: { authorUserId: string; createdAt: Date; hidden: boolean; withdrawnAt: Date | null },
  userId: string,
  locked: boolean,
): string | null {
  if (row.authorUserId !== userId || row.hidden || row.withdrawnAt || locked) return null;
  const until = row.createdAt.getTime() + EDIT_MS;
  return until > nowMs() ? new Date(until).toISOString() : null;
}

function threadView(t: ThreadRow, orgName: string, moderator: boolean): ForumThread {
  const masked = t.hidden && !moderator;
  const withdrawn = Boolean(t.withdrawnAt) && !moderator;
  return {
    id: t.id,
    orgId: t.orgId,
    orgName,
    title: masked ? '（该话题已被管理员隐藏）' : withdrawn ? '（该话题已由作者撤回）' : t.title,
    authorName: t.authorName,
    pinned: t.pinned,
    locked: t.locked,
    hidden: t.hidden,
    replyCount: t.replyCount,
    lastPostAt: t.lastPostAt.toISOString(),
    createdAt: t.createdAt.toISOString(),
  };
}

export async function listThreads(db: Queryable, scope: Scope, orgId: string, page: number, pageSize: number) {
  const f = await forumOrg(db, scope.tenantId, orgId);
  const { moderator } = await participant(db, scope, f);
  const where = and(
    eq(voiceThread.tenantId, scope.tenantId),
    eq(voiceThread.orgId, f.id),
    moderator ? undefined : eq(voiceThread.hidden, false),
  );
  const { items: rows, total } = await pageWhere(
    db.select().from(voiceThread).$dynamic(),
    countFrom(db, voiceThread),
    where,
    [desc(voiceThread.pinned), desc(voiceThread.lastPostAt), asc(voiceThread.id)],
    page,
    pageSize,
  );
  return {
    items: rows.map((t) => threadView(t, f.name, moderator)),
    total,
    forum: { orgId: f.id, orgName: f.name, moderator },
  };
}

export async function createThread(
  db: Db,
  scope: Scope,
  input: { orgId: string; title: string; body: string; mentions: string[] },
) {
  const f = await forumOrg(db, scope.tenantId, input.orgId);
  await participant(db, scope, f);
  const mentions = await checkMentions(db, scope.tenantId, f, input.mentions);
  const name = await displayName(db, scope.principal);
  const t = await db.transaction(async (tx) => {
    const [t] = await tx
      .insert(voiceThread)
      .values({
        tenantId: scope.tenantId,
        orgId: f.id,
        title: input.title,
        body: input.body,
        authorUserId: scope.principal.user.id,
        authorName: name,
        mentions,
        createdAt: now(),
        lastPostAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'voice.thread.create',
      entityType: 'voice_thread',
      entityId: t!.id,
      org: f,
      after: { title: input.title },
      event: { kind: 'voice.thread.created', data: { threadId: t!.id, orgId: f.id, mentionedUserIds: mentions } },
    });
    return t!;
  });
  return getThread(db, scope, t.id, 1, 20);
}

async function loadThread(db: Queryable, tenantId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(voiceThread)
    .where(and(eq(voiceThread.tenantId, tenantId), eq(voiceThread.id, id)));
  const [t] = lock ? await q.for('update') : await q;
  if (!t) throw notFound();
  return t;
}

export async function getThread(
  db: Queryable,
  scope: Scope,
  id: string,
  page: number,
  pageSize: number,
): Promise<ForumThreadDetail> {
  const t = await loadThread(db, scope.tenantId, id);
  const f = await forumOrg(db, scope.tenantId, t.orgId);
  const { moderator } = await participant(db, scope, f);
  const userId = scope.principal.user.id;
  const masked = (t.hidden || Boolean(t.withdrawnAt)) && !moderator;
  const [posts, [count], files] = await Promise.all([
    db
      .select()
      .from(voicePost)
      .where(and(eq(voicePost.tenantId, t.tenantId), eq(voicePost.threadId, t.id)))
      .orderBy(asc(voicePost.createdAt), asc(voicePost.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(voicePost)
      .where(and(eq(voicePost.tenantId, t.tenantId), eq(voicePost.threadId, t.id))),
    masked
      ? Promise.resolve([])
      : db
          .select()
          .from(voiceAttachment)
          .where(and(eq(voiceAttachment.tenantId, t.tenantId), eq(voiceAttachment.threadId, t.id)))
          .orderBy(asc(voiceAttachment.createdAt)),
  ]);
  const names = await namesOf(db, t.tenantId, [...t.mentions, ...posts.flatMap((p) => p.mentions)]);
  const named = (ids: string[]) => ids.map((u) => ({ userId: u, name: names.get(u) ?? '' }));
  return {
    ...threadView(t, f.name, moderator),
    body: masked ? '' : t.body,
    hiddenReason: t.hidden ? t.hiddenReason : null,
    mine: t.authorUserId === userId,
    edited: Boolean(t.editedAt),
    editedAt: t.editedAt?.toISOString() ?? null,
    withdrawn: Boolean(t.withdrawnAt),
    editableUntil: editableUntil(t, userId, t.locked),
    canModerate: moderator,
    mentions: masked ? [] : named(t.mentions),
    attachments: files.map((a) => ({ id: a.id, fileName: a.fileName, mime: a.mime, size: a.size })),
    posts: posts.map((p): ForumPost => ({
      id: p.id,
      body:
        p.hidden && !moderator
          ? '（该回复已被管理员隐藏）'
          : p.withdrawnAt && !moderator
            ? '（该回复已由作者撤回）'
            : p.body,
      authorName: p.authorName,
      at: p.createdAt.toISOString(),
      hidden: p.hidden,
      edited: Boolean(p.editedAt),
      editedAt: p.editedAt?.toISOString() ?? null,
      withdrawn: Boolean(p.withdrawnAt),
      mine: p.authorUserId === userId,
      editableUntil: editableUntil(p, userId, t.locked),
      mentions: (p.hidden || p.withdrawnAt) && !moderator ? [] : named(p.mentions),
    })),
    postTotal: count?.n ?? 0,
  };
}

export async function addPost(db: Db, scope: Scope, threadId: string, input: { body: string; mentions: string[] }) {
  const name = await displayName(db, scope.principal);
  await db.transaction(async (tx) => {
    const t = await loadThread(tx, scope.tenantId, threadId, true);
    const f = await forumOrg(tx, scope.tenantId, t.orgId);
    const { moderator } = await participant(tx, scope, f);
    if (t.hidden && !moderator) throw notFound();
    if (t.locked) throw conflict('该话题已锁定，不能回复', 'VOICE_THREAD_LOCKED');
    if (t.withdrawnAt) throw conflict('该话题已由作者撤回，不能回复', 'VOICE_WITHDRAWN');
    const mentions = await checkMentions(tx, scope.tenantId, f, input.mentions);
    const [p] = await tx
      .insert(voicePost)
      .values({
        tenantId: scope.tenantId,
        threadId: t.id,
        orgId: t.orgId,
        body: input.body,
        authorUserId: scope.principal.user.id,
        authorName: name,
        mentions,
        createdAt: now(),
      })
      .returning();
    await tx
      .update(voiceThread)
      .set({ replyCount: sql`${voiceThread.replyCount} + 1`, lastPostAt: now() })
      .where(byKey(voiceThread, t.tenantId, t.id));
    await writeAudit(tx, scope.actor, {
      action: 'voice.post.create',
      entityType: 'voice_post',
      entityId: p!.id,
      org: f,
      after: { threadId: t.id },
      event: {
        kind: 'voice.post.created',
        data: { threadId: t.id, postId: p!.id, mentionedUserIds: mentions, threadAuthorUserId: t.authorUserId },
      },
    });
  });
  const t = await loadThread(db, scope.tenantId, threadId);
  const last = Math.max(1, Math.ceil(t.replyCount / 20));
  return getThread(db, scope, threadId, last, 20);
}

/**
 * A moderator's or an author's change to a thread or a reply, inside its transaction: the columns set, and the
 * audit entry `voice.<kind>.<verb>` with what the item was and what it became.
 */
async function recordChange(
  tx: Tx,
  scope: Scope,
  f: ForumOrg,
  item:
    { kind: 'thread'; row: ThreadRow; set: Partial<ThreadRow> } | { kind: 'post'; row: PostRow; set: Partial<PostRow> },
  verb: 'moderate' | 'edit' | 'withdraw',
  audit: { before: Record<string, unknown>; after: Record<string, unknown> },
) {
  const { row } = item;
  if (item.kind === 'thread')
    await tx
      .update(voiceThread)
      .set(item.set)
      .where(byKey(voiceThread, row.tenantId, row.id));
  else
    await tx
      .update(voicePost)
      .set(item.set)
      .where(byKey(voicePost, row.tenantId, row.id));
  await writeAudit(tx, scope.actor, {
    action: `voice.${item.kind}.${verb}`,
    entityType: `voice_${item.kind}`,
    entityId: row.id,
    org: f,
    ...audit,
  });
}

export async function moderateThread(
  db: Db,
  scope: Scope,
  id: string,
  input: {
    pinned?: boolean | undefined;
    locked?: boolean | undefined;
    hidden?: boolean | undefined;
    reason?: string | undefined;
  },
) {
  await db.transaction(async (tx) => {
    const t = await loadThread(tx, scope.tenantId, id, true);
    const f = await forumOrg(tx, scope.tenantId, t.orgId);
    if (!isManagerOf(scope.principal, f)) throw notFound();
    if (input.hidden && !input.reason) throw unprocessable('隐藏话题请写明原因', undefined, 'VOICE_REASON_REQUIRED');
    const set = {
      ...(input.pinned !== undefined ? { pinned: input.pinned } : {}),
      ...(input.locked !== undefined ? { locked: input.locked } : {}),
      ...(input.hidden !== undefined
        ? { hidden: input.hidden, hiddenReason: input.hidden ? (input.reason ?? null) : null }
        : {}),
    };
    if (Object.keys(set).length === 0) throw unprocessable('没有要修改的内容', undefined, 'VOICE_NOTHING');
    await recordChange(tx, scope, f, { kind: 'thread', row: t, set }, 'moderate', {
      before: { pinned: t.pinned, locked: t.locked, hidden: t.hidden },
      after: set,
    });
  });
  return getThread(db, scope, id, 1, 20);
}

/** A reply of the tenant, locked for the change that follows (404 when there is none). */
async function lockPost(tx: Queryable, tenantId: string, id: string) {
  const [p] = await tx
    .select()
    .from(voicePost)
    .where(and(eq(voicePost.tenantId, tenantId), eq(voicePost.id, id)))
    .for('update');
  if (!p) throw notFound();
  return p;
}

export async function moderatePost(
  db: Db,
  scope: Scope,
  id: string,
  input: { hidden: boolean; reason?: string | undefined },
) {
  return db.transaction(async (tx) => {
    const p = await lockPost(tx, scope.tenantId, id);
    const f = await forumOrg(tx, scope.tenantId, p.orgId);
    if (!isManagerOf(scope.principal, f)) throw notFound();
    if (input.hidden && !input.reason) throw unprocessable('隐藏回复请写明原因', undefined, 'VOICE_REASON_REQUIRED');
    const set = { hidden: input.hidden, hiddenReason: input.hidden ? (input.reason ?? null) : null };
    await recordChange(tx, scope, f, { kind: 'post', row: p, set }, 'moderate', {
      before: { hidden: p.hidden },
      after: set,
    });
    return { id: p.id, hidden: input.hidden };
  });
}

// ---- the author's own changes --------------------------------------------------------

/** What the author may still do with a post or thread: their own, shown, not withdrawn, inside the window. */
function checkOwnChange(
  row: { authorUserId: string; createdAt: Date; hidden: boolean; withdrawnAt: Date | null },
  scope: Scope,
  locked: boolean,
  what: '回复' | '话题',
) {
  if (row.authorUserId !== scope.principal.user.id)
    throw forbidden(`只能修改或撤回自己发的${what}`, 'VOICE_NOT_AUTHOR');
  if (row.withdrawnAt) throw conflict(`该${what}已撤回`, 'VOICE_WITHDRAWN');
  if (row.hidden) throw conflict(`该${what}已被管理员隐藏，不能再修改`, 'VOICE_HIDDEN');
  if (locked) throw conflict('该话题已锁定，不能再修改', 'VOICE_THREAD_LOCKED');
  if (row.createdAt.getTime() + EDIT_MS <= nowMs())
    throw conflict(`发出已超过 ${VOICE_RULES.editMinutes.value} 分钟，不能再修改或撤回`, 'VOICE_EDIT_WINDOW');
}

async function loadPostForChange(tx: Queryable, scope: Scope, id: string) {
  const p = await lockPost(tx, scope.tenantId, id);
  const t = await loadThread(tx, scope.tenantId, p.threadId);
  const f = await forumOrg(tx, scope.tenantId, p.orgId);
  await participant(tx, scope, f);
  if (t.hidden || t.withdrawnAt) throw conflict('所在话题已隐藏或撤回，不能再修改', 'VOICE_HIDDEN');
  return { p, t, f };
}

/** The author corrects their reply: the text changes, 「已编辑」 shows, the audit log keeps before and after. */
export async function editPost(db: Db, scope: Scope, id: string, input: { body: string }) {
  const threadId = await db.transaction(async (tx) => {
    const { p, t, f } = await loadPostForChange(tx, scope, id);
    checkOwnChange(p, scope, t.locked, '回复');
    if (input.body === p.body) throw unprocessable('内容没有变化', undefined, 'VOICE_NOTHING');
    await recordChange(tx, scope, f, { kind: 'post', row: p, set: { body: input.body, editedAt: now() } }, 'edit', {
      before: { body: p.body },
      after: { body: input.body },
    });
    return t.id;
  });
  return getThread(db, scope, threadId, 1, 20);
}

/** The author takes their reply back: members see that it was withdrawn, moderators and the audit log keep the text. */
export async function withdrawPost(db: Db, scope: Scope, id: string) {
  const threadId = await db.transaction(async (tx) => {
    const { p, t, f } = await loadPostForChange(tx, scope, id);
    checkOwnChange(p, scope, t.locked, '回复');
    await recordChange(tx, scope, f, { kind: 'post', row: p, set: { withdrawnAt: now() } }, 'withdraw', {
      before: { body: p.body },
      after: { withdrawn: true },
    });
    return t.id;
  });
  return getThread(db, scope, threadId, 1, 20);
}

async function loadThreadForChange(tx: Queryable, scope: Scope, id: string) {
  const t = await loadThread(tx, scope.tenantId, id, true);
  const f = await forumOrg(tx, scope.tenantId, t.orgId);
  await participant(tx, scope, f);
  checkOwnChange(t, scope, t.locked, '话题');
  return { t, f };
}

export async function editThread(db: Db, scope: Scope, id: string, input: { title: string; body: string }) {
  await db.transaction(async (tx) => {
    const { t, f } = await loadThreadForChange(tx, scope, id);
    if (input.title === t.title && input.body === t.body)
      throw unprocessable('内容没有变化', undefined, 'VOICE_NOTHING');
    const set = { title: input.title, body: input.body, editedAt: now() };
    await recordChange(tx, scope, f, { kind: 'thread', row: t, set }, 'edit', {
      before: { title: t.title, body: t.body },
      after: { title: input.title, body: input.body },
    });
  });
  return getThread(db, scope, id, 1, 20);
}

export async function withdrawThread(db: Db, scope: Scope, id: string) {
  await db.transaction(async (tx) => {
    const { t, f } = await loadThreadForChange(tx, scope, id);
    await recordChange(tx, scope, f, { kind: 'thread', row: t, set: { withdrawnAt: now() } }, 'withdraw', {
      before: { title: t.title, body: t.body },
      after: { withdrawn: true },
    });
  });
  return getThread(db, scope, id, 1, 20);
}

/** Attachments: the thread's author or a moderator adds them. */
export async function checkAttach(db: Queryable, scope: Scope, threadId: string) {
  const t = await loadThread(db, scope.tenantId, threadId);
  const f = await forumOrg(db, scope.tenantId, t.orgId);
  const { moderator } = await participant(db, scope, f);
  if (t.authorUserId !== scope.principal.user.id && !moderator) throw forbidden('只有发帖人或管理员可以添加附件');
  const [n] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(voiceAttachment)
    .where(and(eq(voiceAttachment.tenantId, t.tenantId), eq(voiceAttachment.threadId, t.id)));
  if ((n?.n ?? 0) >= 9) throw unprocessable('每个话题最多 9 个附件', undefined, 'VOICE_TOO_MANY_FILES');
  return { thread: t, forum: f };
}

export async function insertAttachment(
  db: Db,
  scope: Scope,
  t: ThreadRow,
  f: ForumOrg,
  file: { id: string; fileName: string; mime: string; size: number; sha256: string; storageKey: string },
) {
  return db.transaction(async (tx) => {
    const [a] = await tx
      .insert(voiceAttachment)
      .values({
        ...file,
        tenantId: scope.tenantId,
        threadId: t.id,
        orgId: t.orgId,
        uploadedBy: scope.principal.user.id,
        createdAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'voice.attachment.add',
      entityType: 'voice_attachment',
      entityId: a!.id,
      org: f,
      after: { threadId: t.id, fileName: file.fileName, size: file.size },
    });
    return { id: a!.id, fileName: a!.fileName, mime: a!.mime, size: a!.size };
  });
}

export async function loadAttachment(db: Queryable, scope: Scope, id: string) {
  const [a] = await db
    .select()
    .from(voiceAttachment)
    .where(and(eq(voiceAttachment.tenantId, scope.tenantId), eq(voiceAttachment.id, id)));
  if (!a) throw notFound();
  const t = await loadThread(db, scope.tenantId, a.threadId);
  const f = await forumOrg(db, scope.tenantId, t.orgId);
  const { moderator } = await participant(db, scope, f);
  if ((t.hidden || t.withdrawnAt) && !moderator) throw notFound();
  return a;
}

/** A person's threads and replies, for their personal-data copy. */
export async function forumOfUser(db: Queryable, tenantId: string, userId: string) {
  const threads = await db
    .select({
      id: voiceThread.id,
      orgId: voiceThread.orgId,
      title: voiceThread.title,
      body: voiceThread.body,
      createdAt: voiceThread.createdAt,
    })
    .from(voiceThread)
    .where(and(eq(voiceThread.tenantId, tenantId), eq(voiceThread.authorUserId, userId)))
    .orderBy(asc(voiceThread.createdAt));
  const posts = await db
    .select({ id: voicePost.id, threadId: voicePost.threadId, body: voicePost.body, createdAt: voicePost.createdAt })
    .from(voicePost)
    .where(and(eq(voicePost.tenantId, tenantId), eq(voicePost.authorUserId, userId)))
    .orderBy(asc(voicePost.createdAt));
  return {
    threads: threads.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
    replies: posts.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
  };
}
