/**
 * Votes (亮点工程评选, 评先评优): candidates with their pages, eligible voters by subtree and role,
 * 1…N choices per ballot, a window, and rules for when results show. Ballots are secret: the voter
 * register (who voted — its primary key refuses a second ballot) and the ballots (what was chosen)
 * are separate rows with no link and no time. Results are counted from the marks on the ballots.
 */
import {
  now,
  type Candidate as CandidateT,
  type Vote,
  type VoteCreateInput,
  type VoteKind,
  type VoteResults,
  type VoteVisibility,
} from '@xianfeng/shared';
import type { z } from 'zod';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Principal, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { readAll, type Db, type Queryable, onKey } from '../../platform/db';
import type { StoredFile } from '../../platform/files';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { orgNames, reachedThrough } from './common';
import { eligibleBinding, roundKit, stateOf } from './rounds';
import { voiceBallot, voiceCandidate, voiceMark, voiceVote, voiceVoter } from './schema';
import { pageOf } from '../../platform/paging';

type Row = typeof voiceVote.$inferSelect;

/** Whether the caller may see the tally: once ended for all who see the vote; after voting when the vote says so. */
const resultsVisible = (r: Row, voted: boolean) =>
  stateOf(r) === 'ended' || (r.visibility === 'after_vote' && voted && Boolean(r.publishedAt));

async function views(db: Queryable, rows: Row[], p: Principal): Promise<Vote[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const tenantId = rows[0]!.tenantId; // the rows come from one tenant's query
  // Also called inside create and update transactions (viewOf(tx, …)): readAll keeps those reads sequential.
  const [candidates, ballots, mine, names] = await readAll(db, [
    () =>
      db
        .select()
        .from(voiceCandidate)
        .where(and(eq(voiceCandidate.tenantId, tenantId), inArray(voiceCandidate.voteId, ids)))
        .orderBy(asc(voiceCandidate.sortOrder)),
    () =>
      db
        .select({ voteId: voiceBallot.voteId, n: sql<number>`count(*)::int` })
        .from(voiceBallot)
        .where(and(eq(voiceBallot.tenantId, tenantId), inArray(voiceBallot.voteId, ids)))
        .groupBy(voiceBallot.voteId),
    () =>
      db
        .select({ voteId: voiceVoter.voteId })
        .from(voiceVoter)
        .where(
          and(eq(voiceVoter.tenantId, tenantId), inArray(voiceVoter.voteId, ids), eq(voiceVoter.userId, p.user.id)),
        ),
    () =>
      orgNames(
        db,
        tenantId,
        rows.map((r) => r.orgId),
      ),
  ]);
  const voted = new Set(mine.map((m) => m.voteId));
  return rows.map((r) => {
    const state = stateOf(r);
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: names.get(r.orgId) ?? '',
      kind: r.kind as VoteKind,
      title: r.title,
      description: r.description,
      maxChoices: r.maxChoices,
      audienceRoles: r.audienceRoles,
      visibility: r.visibility as VoteVisibility,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt.toISOString(),
      state,
      ballots: ballots.find((b) => b.voteId === r.id)?.n ?? 0,
      candidates: candidates
        .filter((c) => c.voteId === r.id)
        .map((c): z.infer<typeof CandidateT> => ({
          id: c.id,
          name: c.name,
          summary: c.summary,
          body: c.body,
          photo: c.photoKey !== null,
        })),
      canVote: state === 'open' && !voted.has(r.id) && Boolean(eligibleBinding(p.bindings, r)),
      voted: voted.has(r.id),
      resultsVisible: resultsVisible(r, voted.has(r.id)),
    };
  });
}

const viewOf = async (db: Queryable, r: Row, p: Principal) => (await views(db, [r], p))[0]!;

const rounds = roundKit(
  voiceVote,
  {
    name: 'vote',
    published: () => conflict('投票已发布', 'VOICE_VOTE_PUBLISHED'),
    windowPast: () => unprocessable('结束时间已过，不能发布', undefined, 'VOICE_WINDOW_PAST'),
    draft: () => conflict('草稿未发布，无需结束', 'VOICE_VOTE_DRAFT'),
    closed: () => conflict('投票已结束', 'VOICE_ENDED'),
    notAudience: () => forbidden('您不在本次投票的投票人范围内', 'VOICE_NOT_AUDIENCE'),
    notOpen: () => conflict('投票尚未开始', 'VOICE_NOT_OPEN'),
    ended: () => conflict('投票已结束', 'VOICE_ENDED'),
  },
  viewOf,
);
const loadRow = rounds.load;

/** For the access layer: the audience reaches a vote from their own binding org; managers through its org. */
export const orgOfVote = rounds.orgOf;

export async function createVote(db: Db, scope: Scope, input: VoteCreateInput) {
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(voiceVote)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        orgPath: scope.org.path,
        kind: input.kind,
        title: input.title,
        description: input.description,
        maxChoices: input.maxChoices,
        audienceRoles: input.audienceRoles,
        visibility: input.visibility,
        createdAt: now(),
        opensAt: new Date(input.opensAt),
        closesAt: new Date(input.closesAt),
        createdBy: scope.actor.username ?? '',
      })
      .returning();
    await tx
      .insert(voiceCandidate)
      .values(input.candidates.map((c, i) => ({ tenantId: scope.tenantId, voteId: row!.id, ...c, sortOrder: i + 1 })));
    await writeAudit(tx, scope.actor, {
      action: 'voice.vote.create',
      entityType: 'voice_vote',
      entityId: row!.id,
      org: scope.org,
      after: {
        title: input.title,
        kind: input.kind,
        candidates: input.candidates.map((c) => c.name),
        maxChoices: input.maxChoices,
      },
    });
    return row!;
  });
  return viewOf(db, row, scope.principal);
}

export const publishVote = rounds.publish;
export const closeVote = rounds.close;

export async function listVotes(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const { items: rows, total } = await rounds.listed(db, scope, page, pageSize);
  return { items: await views(db, rows, scope.principal), total };
}

/** Published votes the caller may vote in or has voted in, open ones and those ended in the last 30 days. */
export async function openVotes(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const rows = await rounds.ofAudience(db, scope, new Date(now().getTime() - 30 * 86_400_000), 'latest');
  const mine = (await views(db, rows, scope.principal)).sort((a, b) => Number(b.canVote) - Number(a.canVote));
  return pageOf(mine, page, pageSize);
}

export const getVote = rounds.get;

/** One secret ballot: in the audience, inside the window, 1…maxChoices distinct candidates of this vote, once. */
export async function castBallot(db: Db, scope: Scope, id: string, choices: string[]) {
  const p = scope.principal;
  await db.transaction(async (tx) => {
    const r = await loadRow(tx, scope.tenantId, id);
    rounds.checkAnswering(scope, r);
    if (new Set(choices).size !== choices.length)
      throw unprocessable('不能重复选择同一候选', undefined, 'VOICE_BAD_BALLOT');
    if (choices.length > r.maxChoices)
      throw unprocessable(`每人最多选择 ${r.maxChoices} 个候选`, undefined, 'VOICE_BAD_BALLOT');
    const known = await tx
      .select({ id: voiceCandidate.id })
      .from(voiceCandidate)
      .where(and(eq(voiceCandidate.voteId, r.id), inArray(voiceCandidate.id, choices)));
    if (known.length !== choices.length) throw unprocessable('所选候选不属于本次投票', undefined, 'VOICE_BAD_BALLOT');
    const [registered] = await tx
      .insert(voiceVoter)
      .values({ voteId: r.id, userId: p.user.id, tenantId: r.tenantId })
      .onConflictDoNothing()
      .returning();
    if (!registered) throw conflict('您已投过票，每人只能投一次', 'VOICE_ALREADY_VOTED');
    const [ballot] = await tx.insert(voiceBallot).values({ tenantId: r.tenantId, voteId: r.id }).returning();
    await tx.insert(voiceMark).values(choices.map((c) => ({ ballotId: ballot!.id, candidateId: c, voteId: r.id })));
    // The register entry: who voted, never for whom.
    await writeAudit(tx, scope.actor, {
      action: 'voice.vote.cast',
      entityType: 'voice_vote',
      entityId: r.id,
      org: { id: r.orgId, path: r.orgPath },
    });
  });
  return getVote(db, scope, id);
}

export async function tallyVote(db: Queryable, r: Row): Promise<VoteResults> {
  const [candidates, counts, [ballots]] = await Promise.all([
    db.select().from(voiceCandidate).where(eq(voiceCandidate.voteId, r.id)).orderBy(asc(voiceCandidate.sortOrder)),
    db
      .select({ candidateId: voiceMark.candidateId, n: sql<number>`count(*)::int` })
      .from(voiceMark)
      .where(eq(voiceMark.voteId, r.id))
      .groupBy(voiceMark.candidateId),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(voiceBallot)
      .where(eq(voiceBallot.voteId, r.id)),
  ]);
  const total = ballots?.n ?? 0;
  const rows = candidates.map((c) => {
    const votes = counts.find((x) => x.candidateId === c.id)?.n ?? 0;
    return { id: c.id, name: c.name, votes, share: total ? Math.round((votes / total) * 1000) / 1000 : 0 };
  });
  return {
    voteId: r.id,
    state: stateOf(r),
    ballots: total,
    marks: rows.reduce((s, c) => s + c.votes, 0),
    candidates: rows.sort((a, b) => b.votes - a.votes),
  };
}

export async function voteResults(db: Queryable, scope: Scope, id: string): Promise<VoteResults> {
  const r = await loadRow(db, scope.tenantId, id);
  if (!rounds.sees(scope, r)) throw notFound();
  const [voted] = await db
    .select({ v: voiceVoter.voteId })
    .from(voiceVoter)
    .where(
      and(
        eq(voiceVoter.tenantId, r.tenantId),
        eq(voiceVoter.voteId, r.id),
        eq(voiceVoter.userId, scope.principal.user.id),
      ),
    );
  if (!resultsVisible(r, Boolean(voted)))
    throw conflict(r.visibility === 'after_vote' ? '投票后才能查看结果' : '投票结束后公布结果', 'VOICE_RESULTS_HIDDEN');
  return tallyVote(db, r);
}

// ---- candidates' photos ------------------------------------------------------------------

/** For the access layer: a candidate reaches whoever reaches its vote. */
export const orgOfCandidate = reachedThrough(voiceCandidate, voiceCandidate.voteId, orgOfVote);

async function loadCandidate(db: Queryable, tenantId: string, id: string) {
  const [c] = await db
    .select()
    .from(voiceCandidate)
    .where(and(eq(voiceCandidate.tenantId, tenantId), eq(voiceCandidate.id, id)));
  if (!c) throw notFound();
  return c;
}

const published = () => conflict('投票已发布，候选照片不能再更换', 'VOICE_VOTE_PUBLISHED');

/** Before an upload: a keeper of the vote's org, the vote still a draft (what voters saw must not change). */
export async function checkCandidatePhoto(db: Queryable, scope: Scope, id: string) {
  const c = await loadCandidate(db, scope.tenantId, id);
  const r = await loadRow(db, scope.tenantId, c.voteId);
  if (!rounds.keeps(scope, r)) throw notFound();
  if (r.publishedAt) throw published();
  return c;
}

/** Records the stored photo on the candidate (replacing any earlier one); returns the key of the replaced bytes. */
export async function setCandidatePhoto(db: Db, scope: Scope, candidateId: string, file: StoredFile) {
  return db.transaction(async (tx) => {
    const c = await loadCandidate(tx, scope.tenantId, candidateId);
    const r = await loadRow(tx, scope.tenantId, c.voteId, true);
    if (!rounds.keeps(scope, r)) throw notFound();
    if (r.publishedAt) throw published();
    await tx
      .update(voiceCandidate)
      .set({ photoKey: file.storageKey, photoMime: file.mime })
      .where(eq(voiceCandidate.id, c.id));
    await writeAudit(tx, scope.actor, {
      action: 'voice.vote.candidate.photo',
      entityType: 'voice_vote',
      entityId: r.id,
      org: { id: r.orgId, path: r.orgPath },
      before: { candidate: c.name, photo: c.photoKey !== null },
      after: { candidate: c.name, fileName: file.fileName, size: file.size },
    });
    return { replaced: c.photoKey, view: { id: c.id, name: c.name, summary: c.summary, body: c.body, photo: true } };
  });
}

/** A candidate's photo for whoever sees the vote (its readers; the audience once published); else 404. */
export async function candidatePhoto(db: Queryable, scope: Scope, id: string) {
  const c = await loadCandidate(db, scope.tenantId, id);
  await getVote(db, scope, c.voteId);
  if (!c.photoKey || !c.photoMime) throw notFound('该候选没有照片', 'VOICE_NO_PHOTO');
  return {
    storageKey: c.photoKey,
    mime: c.photoMime,
    fileName: `${c.name}${c.photoKey.slice(c.photoKey.lastIndexOf('.'))}`,
  };
}

/** The votes a person took part in (not their choices: ballots are secret), for the personal-data copy. */
export async function votesOfUser(db: Queryable, tenantId: string, userId: string) {
  const rows = await db
    .select({ id: voiceVote.id, title: voiceVote.title, kind: voiceVote.kind })
    .from(voiceVoter)
    .innerJoin(voiceVote, onKey(voiceVote, voiceVoter.voteId, voiceVoter))
    .where(and(eq(voiceVoter.tenantId, tenantId), eq(voiceVoter.userId, userId)));
  return rows.map((r) => ({
    voteId: r.id,
    title: r.title,
    kind: r.kind,
    choices: '（无记名投票：选票不与投票人关联，无法导出）',
  }));
}
