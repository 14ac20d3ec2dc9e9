/**
 * 微视频征集 (issue #19): campaigns of an org for its subtree (rules and shapes in shared/media-contest.ts).
 *
 * Who does what (each route's `config.access` names the org; the platform's one scope check decides):
 * - the org's record keepers create a campaign (body `orgId`), see the results at any time and 「发布到学习」
 *   (lookup `hostOrgOfContest`: the campaign's own org);
 * - everyone on the line reads the campaign and its entries (lookup `orgOfContest`: the caller's own org below the
 *   campaign's org, else the campaign's org — so another subtree's campaign is 404);
 * - members on the roll in the subtree submit one video each within the submit window and, with a public vote, vote
 *   once a day (the Beijing day of the shared clock) until the results are published;
 * - the named judges score each entry per rubric item, once (a second POST is 409; PUT edits until the results are
 *   published); a judge sees the other judges' scores of an entry only after submitting his own.
 * The media module reads member rows directly for the judges and the submitter (as it does for honorees); the
 * learning library is written only through learn/service `addPublishedVideo`.
 */
import {
  addDays,
  inGroup,
  now,
  RECORD_READERS,
  todayInChina,
  trimmedMean,
  type ContestInput,
  type ContestPatch,
  type ContestPhase,
  type ContestResults,
  type ContestView,
  type EntryQuery,
  type EntryScores,
  type EntryView,
  type ResultRow,
  type RubricItem,
} from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { pathPrefixes, type Caller, type OrgRef, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, readAll, type Db, type Queryable, onKey } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import type { StoredFile } from '../../platform/files';
import { org } from '../../platform/schema';
import { addPublishedVideo } from '../learn/service';
import { member, onRoll, memberOfUser } from '../member/service';
import { notify } from '../notify/service';
import { mediaContest, mediaContestEntry, mediaContestJudge, mediaContestScore, mediaContestVote } from './schema';
import { activeMembersUnder, inList, keeps, readsOrg, throughCaller } from './service';
import { countFrom, pageWhere } from '../../platform/paging';

type ContestRow = typeof mediaContest.$inferSelect;
type EntryRow = typeof mediaContestEntry.$inferSelect;

// ---------------------------------------------------------------- access lookups

async function contestOrg(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ orgId: mediaContest.orgId, path: org.path })
    .from(mediaContest)
    .innerJoin(org, onKey(org, mediaContest.orgId, mediaContest))
    .where(and(eq(mediaContest.tenantId, tenantId), eq(mediaContest.id, id)));
  return row ?? null;
}
/** Reading, submitting, voting, scoring: a campaign is reached through the caller's own org below its org. */
export async function orgOfContest(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  return throughCaller(db, tenantId, await contestOrg(db, tenantId, id), caller);
}
/** Managing (「发布到学习」): the campaign's own org — its record keepers. */
export async function hostOrgOfContest(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await contestOrg(db, tenantId, id))?.orgId ?? null;
}
/** An entry: through its campaign, as reading. */
export async function orgOfEntry(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
  const [row] = await db
    .select({ orgId: mediaContest.orgId, path: org.path })
    .from(mediaContestEntry)
    .innerJoin(mediaContest, onKey(mediaContest, mediaContestEntry.contestId, mediaContestEntry))
    .innerJoin(org, onKey(org, mediaContest.orgId, mediaContest))
    .where(and(eq(mediaContestEntry.tenantId, tenantId), eq(mediaContestEntry.id, id)));
  return throughCaller(db, tenantId, row ?? null, caller);
}

// ---------------------------------------------------------------- campaigns

export const phaseOf = (
  c: Pick<ContestRow, 'status' | 'submitFrom' | 'submitTo'>,
  today = todayInChina(),
): ContestPhase =>
  c.status === 'published'
    ? 'published'
    : c.status === 'withdrawn'
      ? 'withdrawn'
      : today < c.submitFrom
        ? 'upcoming'
        : today <= c.submitTo
          ? 'collecting'
          : 'judging';

async function loadContest(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ c: mediaContest, orgName: org.name, orgPath: org.path })
    .from(mediaContest)
    .innerJoin(org, onKey(org, mediaContest.orgId, mediaContest))
    .where(and(eq(mediaContest.tenantId, tenantId), eq(mediaContest.id, id)));
  if (!row) throw notFound();
  const ref: OrgRef = { id: row.c.orgId, path: row.orgPath, tenantId, name: row.orgName, kind: '' };
  return { ...row, ref };
}

/** The caller's member record when it is on the roll within the campaign's subtree (who may submit and vote). */
async function memberWithin(db: Queryable, scope: Scope, ref: OrgRef) {
  const m = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!m || m.leftAt || m.suspendedOn || !m.orgPath?.startsWith(ref.path)) return null;
  return m;
}

/** The dates of a campaign as created or changed: the end not before the start, not past, not over a year ahead. */
function checkDates(submitFrom: string, submitTo: string) {
  const today = todayInChina();
  if (submitTo < submitFrom)
    throw unprocessable(
      '征集截止日期不能早于开始日期',
      [{ field: 'submitTo', message: '截止日期不能早于开始日期' }],
      'CONTEST_DATES',
    );
  if (submitTo < today)
    throw unprocessable('征集截止日期已过', [{ field: 'submitTo', message: '截止日期不能早于今天' }], 'CONTEST_DATES');
  if (submitTo > addDays(today, 366))
    throw unprocessable(
      '征集截止日期不能超过一年以后',
      [{ field: 'submitTo', message: '不能超过一年以后' }],
      'CONTEST_DATES',
    );
}

/** The judges named: members on the roll of the org's subtree with an account, each once (422 in Chinese otherwise). */
async function checkJudges(db: Queryable, scope: Scope, orgPath: string, judgeMemberIds: string[]) {
  const ids = [...new Set(judgeMemberIds)];
  if (ids.length !== judgeMemberIds.length)
    throw unprocessable(
      '同一位评委只能选一次',
      [{ field: 'judgeMemberIds', message: '同一位评委只能选一次' }],
      'CONTEST_JUDGE_TWICE',
    );
  const judges = await db
    .select({ id: member.id, name: member.name, userId: member.userId })
    .from(member)
    .where(
      and(
        eq(member.tenantId, scope.tenantId),
        inArray(member.id, ids),
        onRoll(),
        sql`${member.orgPath} like ${`${orgPath}%`}`,
      ),
    );
  const byId = new Map(judges.map((j) => [j.id, j]));
  const problems = judgeMemberIds.flatMap((id, i) => {
    const j = byId.get(id);
    if (!j) return [{ field: `judgeMemberIds.${i}`, message: '评委须为本组织（含下级）在册的党员' }];
    if (!j.userId) return [{ field: `judgeMemberIds.${i}`, message: `${j.name}没有登录账号，不能担任评委` }];
    return [];
  });
  if (problems.length)
    throw unprocessable(problems.map((p) => p.message).join('；'), problems, 'CONTEST_JUDGE_INVALID');
  return byId;
}

export async function createContest(db: Db, scope: Scope, input: ContestInput): Promise<ContestView> {
  checkDates(input.submitFrom, input.submitTo);
  const byId = await checkJudges(db, scope, scope.org.path, input.judgeMemberIds);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaContest)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        title: input.title.trim(),
        rules: input.rules.trim(),
        submitFrom: input.submitFrom,
        submitTo: input.submitTo,
        rubric: input.rubric.map((r) => ({ name: r.name.trim(), max: r.max })),
        dropHighest: input.dropHighest,
        dropLowest: input.dropLowest,
        publicVote: input.publicVote,
        winnerCount: input.winnerCount,
        createdBy: scope.actor.username ?? '系统',
        createdAt: now(),
      })
      .returning();
    await tx.insert(mediaContestJudge).values(
      input.judgeMemberIds.map((mid, i) => {
        const j = byId.get(mid)!;
        return {
          tenantId: scope.tenantId,
          contestId: row!.id,
          userId: j.userId!,
          memberId: j.id,
          name: j.name,
          position: i,
        };
      }),
    );
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.create',
      entityType: 'media_contest',
      entityId: row!.id,
      org: scope.org,
      after: {
        title: row!.title,
        submitFrom: row!.submitFrom,
        submitTo: row!.submitTo,
        rubric: row!.rubric,
        dropHighest: row!.dropHighest,
        dropLowest: row!.dropLowest,
        publicVote: row!.publicVote,
        winnerCount: row!.winnerCount,
        judges: input.judgeMemberIds.map((m) => byId.get(m)!.name),
      },
    });
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'media.contest.open',
      recipients: { members: await activeMembersUnder(tx, scope.tenantId, scope.org.path) },
      data: { orgName: scope.org.name, title: row!.title, from: row!.submitFrom, to: row!.submitTo },
      link: `/media/contests/${row!.id}`,
      orgId: scope.org.id,
      dedupeKey: `media.contest.open:${row!.id}`,
    });
    return row!.id;
  });
  return getContest(db, scope, id);
}

const sameRubric = (a: RubricItem[], b: RubricItem[]) =>
  a.length === b.length && a.every((r, i) => r.name === b[i]!.name && r.max === b[i]!.max);

/**
 * Changes a campaign (ContestPatch; its org's keepers) under the rules of shared/media-contest.ts: 409 in Chinese
 * when a change would alter what is already done (scores, votes, a started window); audited with before and after.
 */
export async function updateContest(db: Db, scope: Scope, id: string, patch: ContestPatch): Promise<ContestView> {
  const { ref } = await loadContest(db, scope.tenantId, id);
  if (!keeps(scope.principal.bindings, ref))
    throw forbidden('只有征集组织的书记和管理员可以修改征集', 'CONTEST_NOT_KEEPER');
  await db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(mediaContest)
      .where(and(eq(mediaContest.tenantId, scope.tenantId), eq(mediaContest.id, id)))
      .for('update');
    if (!c) throw notFound();
    if (c.status === 'published') throw conflict('结果已公布，征集不能再修改', 'CONTEST_PUBLISHED');
    if (c.status === 'withdrawn') throw conflict('征集已撤销，不能再修改', 'CONTEST_WITHDRAWN');
    // One after the other: a transaction is one connection.
    const [scored] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaContestScore)
      .where(and(eq(mediaContestScore.tenantId, scope.tenantId), eq(mediaContestScore.contestId, id)));
    const [voted] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaContestVote)
      .where(and(eq(mediaContestVote.tenantId, scope.tenantId), eq(mediaContestVote.contestId, id)));
    const hasScores = (scored?.n ?? 0) > 0;
    const rubric = patch.rubric?.map((r) => ({ name: r.name.trim(), max: r.max }));
    if (
      hasScores &&
      ((rubric && !sameRubric(rubric, c.rubric)) ||
        (patch.dropHighest ?? c.dropHighest) !== c.dropHighest ||
        (patch.dropLowest ?? c.dropLowest) !== c.dropLowest)
    )
      throw conflict('评委已开始评分，评分细则和计分方法（去掉最高分、最低分）不能再改', 'CONTEST_SCORING_STARTED');
    const today = todayInChina();
    const submitFrom = patch.submitFrom ?? c.submitFrom;
    const submitTo = patch.submitTo ?? c.submitTo;
    if (submitFrom !== c.submitFrom && today >= c.submitFrom)
      throw conflict(`征集已于 ${c.submitFrom} 开始，开始日期不能再改（可以改截止日期）`, 'CONTEST_STARTED');
    if (submitFrom !== c.submitFrom || submitTo !== c.submitTo) checkDates(submitFrom, submitTo);
    if (patch.publicVote === false && c.publicVote && (voted?.n ?? 0) > 0)
      throw conflict('已有党员投票，不能关闭网络投票', 'CONTEST_VOTES_CAST');
    const oldJudges = await tx
      .select()
      .from(mediaContestJudge)
      .where(and(eq(mediaContestJudge.tenantId, scope.tenantId), eq(mediaContestJudge.contestId, id)))
      .orderBy(asc(mediaContestJudge.position));
    let judgeNames = oldJudges.map((j) => j.name);
    if (patch.judgeMemberIds) {
      const byId = await checkJudges(tx, scope, ref.path, patch.judgeMemberIds);
      const kept = new Set(patch.judgeMemberIds);
      const removed = oldJudges.filter((j) => !kept.has(j.memberId));
      if (removed.length) {
        const busy = await tx
          .select({ userId: mediaContestScore.judgeUserId })
          .from(mediaContestScore)
          .where(
            and(
              eq(mediaContestScore.contestId, id),
              inArray(
                mediaContestScore.judgeUserId,
                removed.map((j) => j.userId),
              ),
            ),
          );
        const names = removed.filter((j) => busy.some((b) => b.userId === j.userId)).map((j) => j.name);
        if (names.length) throw conflict(`${names.join('、')}已经评分，不能移出评委`, 'CONTEST_JUDGE_SCORED');
      }
      await tx.delete(mediaContestJudge).where(eq(mediaContestJudge.contestId, id));
      await tx.insert(mediaContestJudge).values(
        patch.judgeMemberIds.map((mid, i) => {
          const j = byId.get(mid)!;
          return {
            tenantId: scope.tenantId,
            contestId: id,
            userId: j.userId!,
            memberId: j.id,
            name: j.name,
            position: i,
          };
        }),
      );
      judgeNames = patch.judgeMemberIds.map((m) => byId.get(m)!.name);
    }
    const [after] = await tx
      .update(mediaContest)
      .set({
        title: patch.title?.trim() ?? c.title,
        rules: patch.rules?.trim() ?? c.rules,
        submitFrom,
        submitTo,
        rubric: rubric ?? c.rubric,
        dropHighest: patch.dropHighest ?? c.dropHighest,
        dropLowest: patch.dropLowest ?? c.dropLowest,
        publicVote: patch.publicVote ?? c.publicVote,
        winnerCount: patch.winnerCount ?? c.winnerCount,
      })
      .where(and(eq(mediaContest.tenantId, scope.tenantId), eq(mediaContest.id, id)))
      .returning();
    const pick = (r: typeof c, judges: string[]) => ({
      title: r.title,
      submitFrom: r.submitFrom,
      submitTo: r.submitTo,
      rubric: r.rubric,
      dropHighest: r.dropHighest,
      dropLowest: r.dropLowest,
      publicVote: r.publicVote,
      winnerCount: r.winnerCount,
      judges,
    });
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.update',
      entityType: 'media_contest',
      entityId: id,
      org: ref,
      before: pick(
        c,
        oldJudges.map((j) => j.name),
      ),
      after: pick(after!, judgeNames),
    });
  });
  return getContest(db, scope, id);
}

/**
 * 撤销: the campaign's keepers end it before its results; nothing more is submitted, voted or scored, entries and
 * scores stay (and in the personal-data copies). The members of the subtree are told, with the reason.
 */
export async function withdrawContest(db: Db, scope: Scope, id: string, reason: string): Promise<ContestView> {
  const { ref } = await loadContest(db, scope.tenantId, id);
  if (!keeps(scope.principal.bindings, ref))
    throw forbidden('只有征集组织的书记和管理员可以撤销征集', 'CONTEST_NOT_KEEPER');
  await db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(mediaContest)
      .where(and(eq(mediaContest.tenantId, scope.tenantId), eq(mediaContest.id, id)))
      .for('update');
    if (!c) throw notFound();
    if (c.status === 'published') throw conflict('结果已公布，不能撤销', 'CONTEST_PUBLISHED');
    if (c.status === 'withdrawn') throw conflict('征集已经撤销', 'CONTEST_WITHDRAWN');
    await tx
      .update(mediaContest)
      .set({ status: 'withdrawn' })
      .where(and(eq(mediaContest.tenantId, scope.tenantId), eq(mediaContest.id, id)));
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'media.contest.withdrawn',
      recipients: { members: await activeMembersUnder(tx, scope.tenantId, ref.path) },
      data: { orgName: ref.name, title: c.title, reason: reason.trim() },
      link: `/media/contests/${id}`,
      orgId: c.orgId,
      dedupeKey: `media.contest.withdrawn:${id}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.withdraw',
      entityType: 'media_contest',
      entityId: id,
      org: ref,
      before: { status: c.status },
      after: { status: 'withdrawn', reason: reason.trim() },
    });
  });
  return getContest(db, scope, id);
}

async function judgesOf(db: Queryable, tenantId: string, contestId: string) {
  return db
    .select({
      userId: mediaContestJudge.userId,
      memberId: mediaContestJudge.memberId,
      name: mediaContestJudge.name,
      orgName: org.name,
    })
    .from(mediaContestJudge)
    .innerJoin(member, onKey(member, mediaContestJudge.memberId, mediaContestJudge))
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(and(eq(mediaContestJudge.tenantId, tenantId), eq(mediaContestJudge.contestId, contestId)))
    .orderBy(asc(mediaContestJudge.position));
}

export async function getContest(db: Queryable, scope: Scope, id: string): Promise<ContestView> {
  const { c, orgName, ref } = await loadContest(db, scope.tenantId, id);
  const userId = scope.principal.user.id;
  const today = todayInChina();
  const [judges, [count], mine, voted, m] = await Promise.all([
    judgesOf(db, scope.tenantId, id),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaContestEntry)
      .where(and(eq(mediaContestEntry.tenantId, scope.tenantId), eq(mediaContestEntry.contestId, id))),
    db
      .select({ id: mediaContestEntry.id })
      .from(mediaContestEntry)
      .where(
        and(
          eq(mediaContestEntry.tenantId, scope.tenantId),
          eq(mediaContestEntry.contestId, id),
          eq(mediaContestEntry.userId, userId),
        ),
      ),
    db
      .select({ day: mediaContestVote.day })
      .from(mediaContestVote)
      .where(
        and(
          eq(mediaContestVote.tenantId, scope.tenantId),
          eq(mediaContestVote.contestId, id),
          eq(mediaContestVote.userId, userId),
          eq(mediaContestVote.day, today),
        ),
      ),
    memberWithin(db, scope, ref),
  ]);
  const phase = phaseOf(c, today);
  return {
    id: c.id,
    orgId: c.orgId,
    orgName,
    title: c.title,
    rules: c.rules,
    submitFrom: c.submitFrom,
    submitTo: c.submitTo,
    rubric: c.rubric,
    dropHighest: c.dropHighest,
    dropLowest: c.dropLowest,
    publicVote: c.publicVote,
    winnerCount: c.winnerCount,
    status: c.status as ContestView['status'],
    phase,
    judges: judges.map((j) => ({ memberId: j.memberId, name: j.name, orgName: j.orgName })),
    entryCount: count?.n ?? 0,
    publishedAt: c.publishedAt?.toISOString() ?? null,
    canManage: keeps(scope.principal.bindings, ref),
    isJudge: judges.some((j) => j.userId === userId),
    canSubmit: phase === 'collecting' && Boolean(m) && mine.length === 0,
    votedToday: voted.length > 0,
  };
}

/** Campaigns on the caller's line: of their orgs and the orgs above; the readers also see those below. */
export async function listContests(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const bindings = scope.principal.bindings;
  const up = [...new Set(bindings.flatMap((b) => pathPrefixes(b.org.path)))];
  const down = bindings
    .filter((b) => inGroup(RECORD_READERS, b.role))
    .map((b) => sql`${org.path} like ${`${b.org.path}%`}`);
  const where = and(
    eq(mediaContest.tenantId, scope.tenantId),
    sql`(${inList(org.path, up)}${down.length ? sql` or ${sql.join(down, sql` or `)}` : sql``})`,
  );
  const { items: rows, total } = await pageWhere(
    db
      .select({ id: mediaContest.id })
      .from(mediaContest)
      .innerJoin(org, onKey(org, mediaContest.orgId, mediaContest))
      .$dynamic(),
    countFrom(db, mediaContest).innerJoin(org, onKey(org, mediaContest.orgId, mediaContest)),
    where,
    [desc(mediaContest.submitFrom), desc(mediaContest.createdAt), asc(mediaContest.id)],
    page,
    pageSize,
  );
  return { items: await Promise.all(rows.map((r) => getContest(db, scope, r.id))), total };
}

// ---------------------------------------------------------------- entries

/** Before the bytes are stored: may the caller submit to this campaign now? Returns their member record. */
export async function checkCanSubmit(db: Queryable, scope: Scope, contestId: string) {
  const { c, ref } = await loadContest(db, scope.tenantId, contestId);
  const phase = phaseOf(c);
  if (phase !== 'collecting')
    throw conflict(
      phase === 'published'
        ? '结果已公布，不能再提交作品'
        : phase === 'withdrawn'
          ? '征集已撤销，不能再提交作品'
          : `不在作品征集时间内，不能提交（征集时间：${c.submitFrom} 至 ${c.submitTo}）`,
      phase === 'upcoming' ? 'CONTEST_NOT_STARTED' : 'CONTEST_CLOSED',
    );
  const m = await memberWithin(db, scope, ref);
  if (!m) throw forbidden(`只有${ref.name}（含下级组织）在册的党员可以提交作品`, 'CONTEST_NOT_MEMBER');
  const [already] = await db
    .select({ id: mediaContestEntry.id })
    .from(mediaContestEntry)
    .where(and(eq(mediaContestEntry.contestId, contestId), eq(mediaContestEntry.memberId, m.id)));
  if (already) throw conflict('您已提交过作品：每人每次征集限交 1 件', 'CONTEST_ENTRY_EXISTS');
  return { contest: c, member: m, ref };
}

export async function submitEntry(
  db: Db,
  scope: Scope,
  contestId: string,
  q: EntryQuery,
  file: StoredFile,
): Promise<EntryView> {
  const { member: m, ref } = await checkCanSubmit(db, scope, contestId);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaContestEntry)
      .values({
        tenantId: scope.tenantId,
        contestId,
        memberId: m.id,
        userId: scope.principal.user.id,
        orgId: m.orgId,
        authorName: m.name,
        title: q.title.trim(),
        description: q.description.trim(),
        minutes: q.minutes,
        videoKey: file.storageKey,
        videoName: file.fileName,
        videoMime: file.mime,
        videoSize: file.size,
        videoSha256: file.sha256,
        submittedAt: now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('您已提交过作品：每人每次征集限交 1 件', 'CONTEST_ENTRY_EXISTS');
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.submit',
      entityType: 'media_contest_entry',
      entityId: row.id,
      org: ref,
      after: {
        contestId,
        title: row.title,
        video: { fileName: file.fileName, mime: file.mime, size: file.size, sha256: file.sha256 },
      },
    });
    return row.id;
  });
  return (await entryViews(db, scope, contestId, [id]))[0]!;
}

async function entryViews(db: Queryable, scope: Scope, contestId: string, ids?: string[]): Promise<EntryView[]> {
  const { c } = await loadContest(db, scope.tenantId, contestId);
  const userId = scope.principal.user.id;
  const rows = await db
    .select({ e: mediaContestEntry, orgName: org.name })
    .from(mediaContestEntry)
    .innerJoin(org, onKey(org, mediaContestEntry.orgId, mediaContestEntry))
    .where(
      and(
        eq(mediaContestEntry.tenantId, scope.tenantId),
        eq(mediaContestEntry.contestId, contestId),
        ids ? inArray(mediaContestEntry.id, ids) : undefined,
      ),
    )
    .orderBy(asc(mediaContestEntry.submittedAt), asc(mediaContestEntry.id));
  return decorate(db, c, rows, userId);
}

async function decorate(
  db: Queryable,
  c: ContestRow,
  rows: { e: EntryRow; orgName: string }[],
  userId: string,
): Promise<EntryView[]> {
  const ids = rows.map((r) => r.e.id);
  const [votes, myScores] = ids.length
    ? await Promise.all([
        c.publicVote
          ? db
              .select({ entryId: mediaContestVote.entryId, n: sql<number>`count(*)::int` })
              .from(mediaContestVote)
              .where(and(eq(mediaContestVote.tenantId, c.tenantId), inArray(mediaContestVote.entryId, ids)))
              .groupBy(mediaContestVote.entryId)
          : Promise.resolve([]),
        db
          .select({ entryId: mediaContestScore.entryId, scores: mediaContestScore.scores })
          .from(mediaContestScore)
          .where(
            and(
              eq(mediaContestScore.tenantId, c.tenantId),
              inArray(mediaContestScore.entryId, ids),
              eq(mediaContestScore.judgeUserId, userId),
            ),
          ),
      ])
    : [[], []];
  const voteOf = new Map(votes.map((v) => [v.entryId, v.n]));
  const scoreOf = new Map(myScores.map((s) => [s.entryId, s.scores]));
  return rows.map(({ e, orgName }) => ({
    id: e.id,
    contestId: e.contestId,
    title: e.title,
    description: e.description,
    authorName: e.authorName,
    orgName,
    minutes: e.minutes,
    hasVideo: Boolean(e.videoKey),
    submittedAt: e.submittedAt.toISOString(),
    votes: c.publicVote ? (voteOf.get(e.id) ?? 0) : null,
    mine: e.userId === userId,
    myScores: scoreOf.get(e.id) ?? null,
    learnItemId: e.learnItemId,
  }));
}

export async function listEntries(db: Queryable, scope: Scope, contestId: string, page: number, pageSize: number) {
  const { c } = await loadContest(db, scope.tenantId, contestId);
  const [rows, [count]] = await Promise.all([
    db
      .select({ e: mediaContestEntry, orgName: org.name })
      .from(mediaContestEntry)
      .innerJoin(org, onKey(org, mediaContestEntry.orgId, mediaContestEntry))
      .where(and(eq(mediaContestEntry.tenantId, c.tenantId), eq(mediaContestEntry.contestId, contestId)))
      .orderBy(asc(mediaContestEntry.submittedAt), asc(mediaContestEntry.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(mediaContestEntry)
      .where(and(eq(mediaContestEntry.tenantId, c.tenantId), eq(mediaContestEntry.contestId, contestId))),
  ]);
  return { items: await decorate(db, c, rows, scope.principal.user.id), total: count?.n ?? 0 };
}

export async function loadEntry(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ e: mediaContestEntry })
    .from(mediaContestEntry)
    .where(and(eq(mediaContestEntry.tenantId, tenantId), eq(mediaContestEntry.id, id)));
  if (!row) throw notFound();
  return { e: row.e, ...(await loadContest(db, tenantId, row.e.contestId)) };
}

export async function entryVideo(db: Queryable, scope: Scope, id: string) {
  const { e } = await loadEntry(db, scope.tenantId, id);
  if (!e.videoKey) throw notFound('该作品没有视频文件（演示数据）', 'NO_VIDEO');
  return { storageKey: e.videoKey, mime: e.videoMime!, fileName: e.videoName ?? 'video.mp4' };
}

// ---------------------------------------------------------------- votes

export async function voteFor(db: Db, scope: Scope, entryId: string): Promise<EntryView> {
  const { e, c, ref } = await loadEntry(db, scope.tenantId, entryId);
  if (!c.publicVote) throw conflict('本次征集没有开启网络投票', 'CONTEST_NO_VOTE');
  const phase = phaseOf(c);
  if (phase === 'published') throw conflict('结果已公布，投票已结束', 'CONTEST_VOTE_CLOSED');
  if (phase === 'withdrawn') throw conflict('征集已撤销，不能投票', 'CONTEST_WITHDRAWN');
  if (phase === 'upcoming')
    throw conflict(`征集尚未开始，不能投票（征集时间：${c.submitFrom} 至 ${c.submitTo}）`, 'CONTEST_NOT_STARTED');
  if (!(await memberWithin(db, scope, ref)))
    throw forbidden(`只有${ref.name}（含下级组织）在册的党员可以投票`, 'CONTEST_NOT_MEMBER');
  const day = todayInChina();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaContestVote)
      .values({
        tenantId: scope.tenantId,
        contestId: c.id,
        userId: scope.principal.user.id,
        day,
        entryId,
        createdAt: now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('今天已经投过票了：每人每天限投 1 票，明天再来', 'CONTEST_VOTED_TODAY');
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.vote',
      entityType: 'media_contest_entry',
      entityId: entryId,
      org: ref,
      after: { contestId: c.id, day },
    });
  });
  return (await entryViews(db, scope, e.contestId, [entryId]))[0]!;
}

// ---------------------------------------------------------------- scores

export async function scoreEntry(
  db: Db,
  scope: Scope,
  entryId: string,
  scores: number[],
  mode: 'create' | 'update',
): Promise<EntryScores> {
  const { e, c, ref } = await loadEntry(db, scope.tenantId, entryId);
  const userId = scope.principal.user.id;
  const [judge] = await db
    .select()
    .from(mediaContestJudge)
    .where(and(eq(mediaContestJudge.contestId, c.id), eq(mediaContestJudge.userId, userId)));
  if (!judge) throw forbidden('您不是本次征集的评委', 'CONTEST_NOT_JUDGE');
  if (c.status === 'published') throw conflict('结果已公布，评分不能再修改', 'CONTEST_PUBLISHED');
  if (c.status === 'withdrawn') throw conflict('征集已撤销，不能再评分', 'CONTEST_WITHDRAWN');
  if (e.userId === userId || e.memberId === judge.memberId)
    throw forbidden('评委不能给自己的作品评分', 'CONTEST_OWN_ENTRY');
  if (scores.length !== c.rubric.length)
    throw unprocessable(
      `请按评分细则的 ${c.rubric.length} 项逐项打分`,
      [{ field: 'scores', message: `须有 ${c.rubric.length} 项分数` }],
      'CONTEST_SCORES_COUNT',
    );
  const over = scores.flatMap((s, i) =>
    s > c.rubric[i]!.max
      ? [{ field: `scores.${i}`, message: `「${c.rubric[i]!.name}」满分 ${c.rubric[i]!.max} 分` }]
      : [],
  );
  if (over.length)
    throw unprocessable(`分数超过满分：${over.map((o) => o.message).join('；')}`, over, 'CONTEST_SCORE_OVER');
  const total = scores.reduce((s, x) => s + x, 0);
  await db.transaction(async (tx) => {
    const [contest] = await tx
      .select({ status: mediaContest.status })
      .from(mediaContest)
      .where(and(eq(mediaContest.tenantId, c.tenantId), eq(mediaContest.id, c.id)))
      .for('update');
    if (contest?.status === 'published') throw conflict('结果已公布，评分不能再修改', 'CONTEST_PUBLISHED');
    if (contest?.status === 'withdrawn') throw conflict('征集已撤销，不能再评分', 'CONTEST_WITHDRAWN');
    const [before] = await tx
      .select()
      .from(mediaContestScore)
      .where(and(eq(mediaContestScore.entryId, entryId), eq(mediaContestScore.judgeUserId, userId)));
    if (mode === 'create') {
      if (before)
        throw conflict('您已为该作品评过分：每位评委对每件作品只评一次，如需更正请修改评分', 'CONTEST_SCORED');
      await tx.insert(mediaContestScore).values({
        tenantId: scope.tenantId,
        contestId: c.id,
        entryId,
        judgeUserId: userId,
        scores,
        total,
        createdAt: now(),
        updatedAt: now(),
      });
    } else {
      if (!before) throw conflict('您还没有为该作品评分', 'CONTEST_NOT_SCORED');
      await tx
        .update(mediaContestScore)
        .set({ scores, total, updatedAt: now() })
        .where(and(eq(mediaContestScore.entryId, entryId), eq(mediaContestScore.judgeUserId, userId)));
    }
    await writeAudit(tx, scope.actor, {
      action: mode === 'create' ? 'media.contest.score' : 'media.contest.rescore',
      entityType: 'media_contest_entry',
      entityId: entryId,
      org: ref,
      before: before ? { scores: before.scores, total: before.total } : undefined,
      after: { scores, total },
    });
  });
  return entryScores(db, scope, entryId);
}

/** All judges' scores of an entry: for a judge only after his own; for the campaign org's readers who do not judge. */
export async function entryScores(db: Queryable, scope: Scope, entryId: string): Promise<EntryScores> {
  const { e, c, ref } = await loadEntry(db, scope.tenantId, entryId);
  const userId = scope.principal.user.id;
  const judges = await judgesOf(db, c.tenantId, c.id);
  const rows = await db
    .select()
    .from(mediaContestScore)
    .where(and(eq(mediaContestScore.tenantId, c.tenantId), eq(mediaContestScore.entryId, e.id)));
  const isJudge = judges.some((j) => j.userId === userId);
  if (isJudge) {
    if (!rows.some((r) => r.judgeUserId === userId))
      throw forbidden('请先提交您自己的评分，再查看其他评委的评分', 'CONTEST_SCORE_FIRST');
  } else if (!readsOrg(scope.principal.bindings, ref) && c.status !== 'published') {
    throw forbidden('评分在结果公布后公开', 'CONTEST_SCORES_SEALED');
  }
  const byJudge = new Map(rows.map((r) => [r.judgeUserId, r]));
  return {
    entryId: e.id,
    rubric: c.rubric,
    items: judges.flatMap((j) => {
      const r = byJudge.get(j.userId);
      return r ? [{ judgeName: j.name, scores: r.scores, total: r.total, mine: j.userId === userId }] : [];
    }),
  };
}

// ---------------------------------------------------------------- results and publishing

async function computeResults(db: Queryable, c: ContestRow, viewerId: string | null): Promise<ResultRow[]> {
  // Also called inside the publishing transaction (computeResults(tx, …)): readAll keeps those reads sequential.
  const [judges, entries, scores, votes] = await readAll(db, [
    () => judgesOf(db, c.tenantId, c.id),
    () =>
      db
        .select({ e: mediaContestEntry, orgName: org.name })
        .from(mediaContestEntry)
        .innerJoin(org, onKey(org, mediaContestEntry.orgId, mediaContestEntry))
        .where(and(eq(mediaContestEntry.tenantId, c.tenantId), eq(mediaContestEntry.contestId, c.id)))
        .orderBy(asc(mediaContestEntry.submittedAt), asc(mediaContestEntry.id)),
    () =>
      db
        .select()
        .from(mediaContestScore)
        .where(and(eq(mediaContestScore.tenantId, c.tenantId), eq(mediaContestScore.contestId, c.id))),
    () =>
      db
        .select({ entryId: mediaContestVote.entryId, n: sql<number>`count(*)::int` })
        .from(mediaContestVote)
        .where(and(eq(mediaContestVote.tenantId, c.tenantId), eq(mediaContestVote.contestId, c.id)))
        .groupBy(mediaContestVote.entryId),
  ]);
  const voteOf = new Map(votes.map((v) => [v.entryId, v.n]));
  const viewerJudges = viewerId !== null && judges.some((j) => j.userId === viewerId);
  const rows = entries.map(({ e, orgName }) => {
    const mine = scores.filter((s) => s.entryId === e.id);
    const totals = judges.map((j) => mine.find((s) => s.judgeUserId === j.userId)?.total ?? null);
    const given = totals.flatMap((t, i) => (t === null ? [] : [{ t, i }]));
    const { mean, dropped } = trimmedMean(
      given.map((g) => g.t),
      c.dropHighest,
      c.dropLowest,
    );
    const droppedJudges = new Set(dropped.map((k) => given[k]!.i));
    const sealed = c.status !== 'published' && viewerJudges && !mine.some((s) => s.judgeUserId === viewerId);
    return {
      entryId: e.id,
      rank: null as number | null,
      title: e.title,
      authorName: e.authorName,
      orgName,
      judgeTotals: judges.map((j, i) => ({
        judgeName: j.name,
        total: sealed ? null : totals[i]!,
        dropped: !sealed && droppedJudges.has(i),
      })),
      final: mean,
      votes: c.publicVote ? (voteOf.get(e.id) ?? 0) : null,
      winner: false,
      sealed,
      learnItemId: e.learnItemId,
      submittedAt: e.submittedAt.getTime(),
    };
  });
  const ranked = rows
    .filter((r) => r.final !== null)
    .sort(
      (a, b) =>
        b.final! - a.final! ||
        (b.votes ?? 0) - (a.votes ?? 0) ||
        a.submittedAt - b.submittedAt ||
        a.entryId.localeCompare(b.entryId),
    );
  ranked.forEach((r, i) => {
    r.rank = i + 1;
    r.winner = c.status === 'published' ? Boolean(r.learnItemId) : i < c.winnerCount;
  });
  const unranked = rows.filter((r) => r.final === null);
  return [...ranked, ...unranked].map(({ submittedAt: _, ...r }) => (r.sealed ? { ...r, final: null } : r));
}

export async function contestResults(
  db: Queryable,
  scope: Scope,
  contestId: string,
  page: number,
  pageSize: number,
): Promise<ContestResults> {
  const { c, ref } = await loadContest(db, scope.tenantId, contestId);
  if (c.status !== 'published' && !readsOrg(scope.principal.bindings, ref))
    throw forbidden('评审结果在公布后可见', 'CONTEST_RESULTS_SEALED');
  const rows = await computeResults(db, c, scope.principal.user.id);
  const drops = [c.dropHighest ? '1 个最高分' : '', c.dropLowest ? '1 个最低分' : ''].filter(Boolean);
  const rule = `得分为各评委总分${drops.length ? `去掉${drops.join('和')}后` : ''}的平均分（保留两位小数）；${drops.length ? `评分少于 ${drops.length + 1} 位评委的作品暂不排名` : '没有评委评分的作品暂不排名'}；得分相同时票多者在前`;
  return {
    contestId: c.id,
    status: c.status as ContestResults['status'],
    rule,
    items: rows.slice((page - 1) * pageSize, page * pageSize),
    total: rows.length,
  };
}

/**
 * 「发布到学习」: fixes the results and publishes the best `winnerCount` ranked entries to the learning library of
 * the campaign's org, as micro-videos, in one transaction (through learn/service `addPublishedVideo`).
 */
export async function publishContest(db: Db, scope: Scope, contestId: string): Promise<ContestResults> {
  const { c: loaded, ref } = await loadContest(db, scope.tenantId, contestId);
  if (!keeps(scope.principal.bindings, ref))
    throw forbidden('只有征集组织的书记和管理员可以发布结果', 'CONTEST_NOT_KEEPER');
  await db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(mediaContest)
      .where(and(eq(mediaContest.tenantId, loaded.tenantId), eq(mediaContest.id, loaded.id)))
      .for('update');
    if (!c || c.status === 'published') throw conflict('结果已经发布过了', 'CONTEST_PUBLISHED');
    if (c.status === 'withdrawn') throw conflict('征集已撤销，不能发布结果', 'CONTEST_WITHDRAWN');
    if (phaseOf(c) === 'upcoming') throw conflict('征集尚未开始，不能发布结果', 'CONTEST_NOT_STARTED');
    const rows = await computeResults(tx, c, null);
    const winners = rows.filter((r) => r.rank !== null && r.rank <= c.winnerCount);
    if (winners.length === 0)
      throw conflict(
        `还没有可以排名的作品：每件作品至少需要 ${c.dropHighest + c.dropLowest + 1} 位评委评分`,
        'CONTEST_NOTHING_RANKED',
      );
    const published: { entryId: string; learnItemId: string; rank: number }[] = [];
    for (const w of winners) {
      const [e] = await tx.select().from(mediaContestEntry).where(eq(mediaContestEntry.id, w.entryId));
      const learnItemId = await addPublishedVideo(
        tx,
        { ...scope, org: ref },
        {
          title: e!.title,
          summary:
            `${c.title} · 第 ${w.rank} 名 · ${e!.authorName}（${w.orgName}）${e!.description ? `：${e!.description}` : ''}`.slice(
              0,
              300,
            ),
          author: e!.authorName,
          minutes: e!.minutes,
          keywords: ['微视频征集', c.title.slice(0, 20)],
          video: e!.videoKey
            ? {
                fileName: e!.videoName ?? 'video.mp4',
                mime: e!.videoMime!,
                size: e!.videoSize ?? 0,
                sha256: e!.videoSha256 ?? '',
                storageKey: e!.videoKey,
              }
            : null,
        },
      );
      await tx.update(mediaContestEntry).set({ learnItemId }).where(eq(mediaContestEntry.id, w.entryId));
      published.push({ entryId: w.entryId, learnItemId, rank: w.rank! });
    }
    await tx
      .update(mediaContest)
      .set({ status: 'published', publishedAt: now() })
      .where(and(eq(mediaContest.tenantId, c.tenantId), eq(mediaContest.id, c.id)));
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'media.contest.results',
      recipients: { members: await activeMembersUnder(tx, scope.tenantId, ref.path) },
      data: { orgName: ref.name, title: c.title, winners: String(published.length) },
      link: `/media/contests/${c.id}/results`,
      orgId: c.orgId,
      dedupeKey: `media.contest.results:${c.id}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.publish',
      entityType: 'media_contest',
      entityId: c.id,
      org: ref,
      before: { status: 'open' },
      after: {
        status: 'published',
        winners: published,
        results: rows.map((r) => ({ entryId: r.entryId, rank: r.rank, final: r.final, votes: r.votes })),
      },
    });
  });
  return contestResults(db, scope, contestId, 1, 200);
}

/**
 * 「提醒评委」: a notice to each judge who has not scored every entry (their own entries excepted), with their count;
 * at most once a day per judge and campaign (the notice's dedupe key carries the Beijing date). Until publishing.
 */
export async function remindJudges(db: Db, scope: Scope, contestId: string): Promise<{ reminded: number }> {
  const { c, ref } = await loadContest(db, scope.tenantId, contestId);
  if (!keeps(scope.principal.bindings, ref))
    throw forbidden('只有征集组织的书记和管理员可以提醒评委', 'CONTEST_NOT_KEEPER');
  if (c.status !== 'open')
    throw conflict(
      c.status === 'published' ? '结果已经发布，不需要再提醒评委' : '征集已撤销，不需要再提醒评委',
      'CONTEST_CLOSED',
    );
  const rows = await queryRows<{ userId: string; missing: number }>(
    db,
    sql`select j.user_id as "userId",
               (select count(*)::int from media_contest_entry e
                 where e.tenant_id = j.tenant_id and e.contest_id = j.contest_id and e.user_id is distinct from j.user_id
                   and not exists (select 1 from media_contest_score s
                     where s.tenant_id = j.tenant_id and s.entry_id = e.id and s.judge_user_id = j.user_id)) as missing
          from media_contest_judge j where j.tenant_id = ${c.tenantId} and j.contest_id = ${c.id} order by j.position`,
  );
  const due = rows.filter((r) => r.missing > 0);
  const today = todayInChina();
  await db.transaction(async (tx) => {
    for (const r of due)
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'media.contest.remind',
        recipients: { users: [r.userId] },
        data: { title: c.title, count: String(r.missing) },
        link: `/media/contests/${c.id}/judge`,
        orgId: c.orgId,
        dedupeKey: `media.contest.remind:${c.id}:${r.userId}:${today}`,
      });
    await writeAudit(tx, scope.actor, {
      action: 'media.contest.remind',
      entityType: 'media_contest',
      entityId: c.id,
      org: ref,
      after: { judges: due.length, entries: due.map((r) => r.missing) },
    });
  });
  return { reminded: due.length };
}

// ---------------------------------------------------------------- personal data

/** The account's entries, votes and (as a judge) scores. */
export async function personalContest(db: Queryable, tenantId: string, userId: string) {
  const [entries, votes, scores] = await Promise.all([
    db
      .select({
        contest: mediaContest.title,
        title: mediaContestEntry.title,
        description: mediaContestEntry.description,
        video: mediaContestEntry.videoName,
        submittedAt: mediaContestEntry.submittedAt,
        learnItemId: mediaContestEntry.learnItemId,
      })
      .from(mediaContestEntry)
      .innerJoin(mediaContest, onKey(mediaContest, mediaContestEntry.contestId, mediaContestEntry))
      .where(and(eq(mediaContestEntry.tenantId, tenantId), eq(mediaContestEntry.userId, userId)))
      .orderBy(asc(mediaContestEntry.submittedAt)),
    db
      .select({ contest: mediaContest.title, entry: mediaContestEntry.title, day: mediaContestVote.day })
      .from(mediaContestVote)
      .innerJoin(mediaContest, onKey(mediaContest, mediaContestVote.contestId, mediaContestVote))
      .innerJoin(mediaContestEntry, onKey(mediaContestEntry, mediaContestVote.entryId, mediaContestVote))
      .where(and(eq(mediaContestVote.tenantId, tenantId), eq(mediaContestVote.userId, userId)))
      .orderBy(asc(mediaContestVote.day)),
    db
      .select({
        contest: mediaContest.title,
        entry: mediaContestEntry.title,
        scores: mediaContestScore.scores,
        total: mediaContestScore.total,
        updatedAt: mediaContestScore.updatedAt,
      })
      .from(mediaContestScore)
      .innerJoin(mediaContest, onKey(mediaContest, mediaContestScore.contestId, mediaContestScore))
      .innerJoin(mediaContestEntry, onKey(mediaContestEntry, mediaContestScore.entryId, mediaContestScore))
      .where(and(eq(mediaContestScore.tenantId, tenantId), eq(mediaContestScore.judgeUserId, userId)))
      .orderBy(asc(mediaContestScore.createdAt)),
  ]);
  return {
    entries: entries.map((e) => ({ ...e, submittedAt: e.submittedAt.toISOString() })),
    votes,
    scores: scores.map((s) => ({ ...s, updatedAt: s.updatedAt.toISOString() })),
  };
}

/** A member's entries (also those the demo made for members without an account). */
export async function personalContestEntries(db: Queryable, tenantId: string, memberId: string) {
  const rows = await db
    .select({
      contest: mediaContest.title,
      title: mediaContestEntry.title,
      submittedAt: mediaContestEntry.submittedAt,
      learnItemId: mediaContestEntry.learnItemId,
    })
    .from(mediaContestEntry)
    .innerJoin(mediaContest, onKey(mediaContest, mediaContestEntry.contestId, mediaContestEntry))
    .where(and(eq(mediaContestEntry.tenantId, tenantId), eq(mediaContestEntry.memberId, memberId)))
    .orderBy(asc(mediaContestEntry.submittedAt));
  return rows.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() }));
}
