/**
 * 承诺践诺: members and orgs publish yearly commitments of measurable items, shown to the members of the org
 * (whoever's binding covers it); the owner reports progress with evidence; the year-end review rates it
 * (shared/supervise.ts COMMIT_RULES: who reviews, from when).
 */
import {
  COMMIT_RATING_LABELS,
  COMMIT_RULES,
  inGroup,
  now,
  RECORD_KEEPERS,
  todayInChina,
  type CommitBrief,
  type CommitCreateInput,
  type CommitDetail,
  type CommitProgressInput,
  type CommitRating,
  type CommitReviewInput,
} from '@xianfeng/shared';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { actorName, covers, loadOrgRef, orgOfRow, type OrgRef, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { uploadAudit, uploadedFileView, type StoredFile } from '../../platform/files';
import { countFrom, pageWhere } from '../../platform/paging';
import { org } from '../../platform/schema';
import { member, memberOfUser } from '../member/service';
import {
  superviseCommitment as commitment,
  superviseCommitmentFile as cfile,
  superviseCommitmentProgress as progress,
} from './schema';

type Row = typeof commitment.$inferSelect;
type Joined = { r: Row; orgName: string; orgPath: string; memberName: string | null; memberUserId: string | null };

/** For the access layer: the org of a commitment (every role whose binding covers it reads it). */
export const orgOfCommitment = orgOfRow(commitment);

const joined = (db: Queryable) =>
  db
    .select({
      r: commitment,
      orgName: org.name,
      orgPath: org.path,
      memberName: member.name,
      memberUserId: member.userId,
    })
    .from(commitment)
    .innerJoin(org, onKey(org, commitment.orgId, commitment))
    .leftJoin(member, onKey(member, commitment.memberId, commitment));

async function load(db: Queryable, tenantId: string, id: string): Promise<Joined> {
  const [row] = await joined(db).where(and(eq(commitment.tenantId, tenantId), eq(commitment.id, id)));
  if (!row) throw notFound();
  return row;
}

const average = (items: { percent: number }[]) =>
  items.length ? Math.round(items.reduce((n, i) => n + i.percent, 0) / items.length) : 0;

function brief(j: Joined): CommitBrief {
  return {
    id: j.r.id,
    orgId: j.r.orgId,
    orgName: j.orgName,
    year: j.r.year,
    memberId: j.r.memberId,
    ownerName: j.memberName ?? j.orgName,
    items: j.r.items,
    percent: average(j.r.items),
    rating: (j.r.rating as CommitRating | null) ?? null,
  };
}

const ref = (j: Joined): OrgRef => ({
  id: j.r.orgId,
  path: j.orgPath,
  tenantId: j.r.tenantId,
  name: j.orgName,
  kind: '',
});
const reviewOpensOn = (year: number) => `${year}-${COMMIT_RULES.review.opensOn}`;

/** The caller's part: the owner (the member, or the org's own keepers for an org's commitment) and the reviewer. */
function partOf(scope: Scope, j: Joined) {
  const at = ref(j);
  const keeperAt = (strictlyAbove: boolean) =>
    scope.principal.bindings.some(
      (b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, at) && (!strictlyAbove || b.org.id !== at.id),
    );
  const owner = j.r.memberId ? j.memberUserId === scope.principal.user.id : keeperAt(false) && !keeperAt(true);
  const reviewer = !owner && (j.r.memberId ? keeperAt(false) : keeperAt(true));
  return { owner, reviewer };
}

export async function getCommitment(
  db: Queryable,
  scope: Scope,
  id: string,
  today = todayInChina(),
): Promise<CommitDetail> {
  const j = await load(db, scope.tenantId, id);
  const [steps, files] = await Promise.all([
    db.select().from(progress).where(eq(progress.commitmentId, id)).orderBy(asc(progress.at), asc(progress.id)),
    db
      .select()
      .from(cfile)
      .where(and(eq(cfile.tenantId, scope.tenantId), eq(cfile.commitmentId, id)))
      .orderBy(asc(cfile.uploadedAt), asc(cfile.id)),
  ]);
  const part = partOf(scope, j);
  const open = j.r.rating === null;
  return {
    ...brief(j),
    createdAt: j.r.createdAt.toISOString(),
    reviewComment: j.r.reviewComment,
    reviewedBy: j.r.reviewedBy,
    reviewedAt: j.r.reviewedAt?.toISOString() ?? null,
    progress: steps.map((p) => ({
      itemIndex: p.itemIndex,
      percent: p.percent,
      note: p.note,
      byName: p.byName,
      at: p.at.toISOString(),
    })),
    files: files.map(uploadedFileView),
    can: { report: part.owner && open, review: part.reviewer && open && today >= reviewOpensOn(j.r.year) },
    reviewOpensOn: reviewOpensOn(j.r.year),
  };
}

/**
 * Publishes a commitment: with `orgId` the org's own (its record keepers; the route checked the binding), without it
 * the signed-in member's own. One a year each; this year or next, never a past year.
 */
export async function createCommitment(
  db: Db,
  scope: Scope,
  input: CommitCreateInput,
  today = todayInChina(),
): Promise<CommitDetail> {
  const thisYear = Number(today.slice(0, 4));
  if (input.year < thisYear || input.year > thisYear + 1)
    throw unprocessable(
      `只能作出 ${thisYear} 年或 ${thisYear + 1} 年的承诺`,
      [{ field: 'year', message: '请选择今年或明年' }],
      'COMMIT_YEAR',
    );
  let at: OrgRef;
  let memberId: string | null = null;
  if (input.orgId) {
    if (!inGroup(RECORD_KEEPERS, scope.role))
      throw forbidden('只有书记或管理员可以作出党组织的承诺', 'COMMIT_NOT_KEEPER');
    at = scope.org;
  } else {
    const me = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
    if (!me || me.leftAt)
      throw forbidden('只有党员本人可以作出个人承诺：您的账号没有关联党员档案', 'COMMIT_NOT_MEMBER');
    const mine = await loadOrgRef(db, scope.tenantId, me.orgId);
    if (!mine) throw notFound();
    at = mine;
    memberId = me.id;
  }
  const dup = await db
    .select({ id: commitment.id })
    .from(commitment)
    .where(
      and(
        eq(commitment.tenantId, scope.tenantId),
        eq(commitment.year, input.year),
        memberId
          ? eq(commitment.memberId, memberId)
          : and(eq(commitment.orgId, at.id), sql`${commitment.memberId} is null`),
      ),
    );
  if (dup.length) throw conflict(`${input.year} 年的承诺已经作出，可在原承诺上报告进展`, 'COMMIT_EXISTS');
  const byName = actorName(scope);
  const id = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(commitment)
      .values({
        tenantId: scope.tenantId,
        orgId: at.id,
        memberId,
        year: input.year,
        items: input.items.map((i) => ({ ...i, percent: 0 })),
        createdBy: byName,
        createdAt: now(),
      })
      .returning({ id: commitment.id });
    await writeAudit(tx, scope.actor, {
      action: 'supervise.commit.create',
      entityType: 'supervise_commitment',
      entityId: r!.id,
      org: at,
      after: { memberId, year: input.year, items: input.items },
    });
    return r!.id;
  });
  return getCommitment(db, scope, id, today);
}

function assertOpenFor(scope: Scope, j: Joined, what: string) {
  if (j.r.rating !== null) throw conflict('该承诺已完成年终评议，不能再修改', 'COMMIT_REVIEWED');
  if (!partOf(scope, j).owner)
    throw forbidden(`只有作出承诺的党员本人（党组织的承诺由本组织书记、管理员）可以${what}`, 'COMMIT_NOT_OWNER');
}

export async function reportProgress(
  db: Db,
  scope: Scope,
  id: string,
  input: CommitProgressInput,
  today = todayInChina(),
): Promise<CommitDetail> {
  const j = await load(db, scope.tenantId, id);
  assertOpenFor(scope, j, '报告进展');
  if (input.itemIndex >= j.r.items.length)
    throw unprocessable('没有这一项承诺', [{ field: 'itemIndex', message: '请选择承诺事项' }], 'COMMIT_ITEM');
  const items = j.r.items.map((it, i) => (i === input.itemIndex ? { ...it, percent: input.percent } : it));
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(commitment)
      .set({ items })
      .where(and(eq(commitment.id, id), sql`${commitment.rating} is null`))
      .returning({ id: commitment.id });
    if (done.length === 0) throw conflict('该承诺已完成年终评议，不能再修改', 'COMMIT_REVIEWED');
    await tx.insert(progress).values({
      commitmentId: id,
      itemIndex: input.itemIndex,
      percent: input.percent,
      note: input.note,
      byName,
      at: now(),
    });
    await writeAudit(tx, scope.actor, {
      action: 'supervise.commit.progress',
      entityType: 'supervise_commitment',
      entityId: id,
      org: ref(j),
      before: { percent: j.r.items[input.itemIndex]!.percent },
      after: { ...input },
    });
  });
  return getCommitment(db, scope, id, today);
}

export async function addCommitmentFile(db: Db, scope: Scope, id: string, stored: StoredFile) {
  const j = await load(db, scope.tenantId, id);
  assertOpenFor(scope, j, '上传佐证材料');
  const byName = actorName(scope);
  return db.transaction(async (tx) => {
    const [f] = await tx
      .insert(cfile)
      .values({ ...stored, tenantId: scope.tenantId, commitmentId: id, uploadedBy: byName, uploadedAt: now() })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'supervise.commit.file',
      entityType: 'supervise_commitment',
      entityId: id,
      org: ref(j),
      after: uploadAudit(f!),
    });
    return uploadedFileView(f!);
  });
}

export async function loadCommitmentFile(db: Queryable, scope: Scope, id: string, fileId: string) {
  await load(db, scope.tenantId, id);
  const [f] = await db
    .select()
    .from(cfile)
    .where(and(eq(cfile.tenantId, scope.tenantId), eq(cfile.commitmentId, id), eq(cfile.id, fileId)));
  if (!f) throw notFound();
  return f;
}

export async function reviewCommitment(
  db: Db,
  scope: Scope,
  id: string,
  input: CommitReviewInput,
  today = todayInChina(),
): Promise<CommitDetail> {
  const j = await load(db, scope.tenantId, id);
  if (j.r.rating !== null) throw conflict('该承诺已完成年终评议', 'COMMIT_REVIEWED');
  if (!partOf(scope, j).reviewer) throw forbidden(COMMIT_RULES.reviewer.text, 'COMMIT_NOT_REVIEWER');
  const opens = reviewOpensOn(j.r.year);
  if (today < opens)
    throw unprocessable(`${j.r.year} 年承诺的年终评议从 ${opens} 开始`, undefined, 'COMMIT_REVIEW_NOT_OPEN');
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(commitment)
      .set({ rating: input.rating, reviewComment: input.comment, reviewedBy: byName, reviewedAt: now() })
      .where(and(eq(commitment.id, id), sql`${commitment.rating} is null`))
      .returning({ id: commitment.id });
    if (done.length === 0) throw conflict('该承诺已完成年终评议', 'COMMIT_REVIEWED');
    await writeAudit(tx, scope.actor, {
      action: 'supervise.commit.review',
      entityType: 'supervise_commitment',
      entityId: id,
      org: ref(j),
      after: { ...input },
    });
  });
  return getCommitment(db, scope, id, today);
}

/** The commitments of the org subtree in scope (members see their own org's), of a year; the org's own first. */
export async function listCommitments(db: Queryable, scope: Scope, year: number, pageNo: number, pageSize: number) {
  const where: SQL | undefined = and(
    eq(commitment.tenantId, scope.tenantId),
    eq(commitment.year, year),
    sql`${org.path} like ${`${scope.org.path}%`}`,
  );
  return pageWhere(
    joined(db).$dynamic(),
    countFrom(db, commitment).innerJoin(org, onKey(org, commitment.orgId, commitment)),
    where,
    [sql`${commitment.memberId} is not null`, asc(org.path), asc(member.name), desc(commitment.id)],
    pageNo,
    pageSize,
    brief,
  );
}

/** The member's own commitments (every year), for their personal-data copy. */
export async function personalCommitments(db: Queryable, tenantId: string, memberId: string) {
  const rows = await joined(db)
    .where(and(eq(commitment.tenantId, tenantId), eq(commitment.memberId, memberId)))
    .orderBy(asc(commitment.year));
  return Promise.all(
    rows.map(async (j) => ({
      year: j.r.year,
      orgName: j.orgName,
      items: j.r.items,
      progress: (
        await db.select().from(progress).where(eq(progress.commitmentId, j.r.id)).orderBy(asc(progress.at))
      ).map((p) => ({ itemIndex: p.itemIndex, percent: p.percent, note: p.note, at: p.at.toISOString() })),
      files: (
        await db
          .select({ fileName: cfile.fileName })
          .from(cfile)
          .where(and(eq(cfile.tenantId, tenantId), eq(cfile.commitmentId, j.r.id)))
      ).map((f) => f.fileName),
      rating: j.r.rating ? COMMIT_RATING_LABELS[j.r.rating as CommitRating] : null,
      reviewComment: j.r.reviewComment,
    })),
  );
}
