/**
 * Surveys, 满意度测评 and 下考上 (the masses rating the org above them): a question builder, an
 * audience by org subtree and role (and employees with one-time codes), a window, one response per
 * person (a database constraint on the register), results and an Excel export.
 *
 * Anonymous surveys: the register (who answered) and the responses (what was answered) are separate
 * rows with no link, no time on the response, and a random order; results are shown only once the
 * window has ended, and text answers only when at least VOICE_RULES.minAnonymousGroup answered.
 */
import {
  answerProblems,
  QUESTION_TYPE_LABELS,
  SURVEY_KIND_LABELS,
  todayInChina,
  VOICE_RULES,
  weightedScore,
  now,
  type Answer,
  type SurveyQuestion,
  type SurveyQuestionResult,
  type RatingUpResult,
  type Survey,
  type SurveyEditInput,
  type SurveyInput,
  type SurveyKind,
  type SurveyResults,
  type SurveyState,
  type SurveyBranchRow,
  type SurveyBreakdown,
  suppressSmallGroups,
} from '@xianfeng/shared';
import ExcelJS from 'exceljs';
import { and, asc, desc, eq, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { inSubtree, type OrgRef, pathPrefixes, type Principal, type Scope } from '../../platform/access';
import { writeAudit, type Actor } from '../../platform/audit';
import { readAll, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { pageOf } from '../../platform/paging';
import { org as orgTable } from '../../platform/schema';
import { codeActor, displayName, orgNames, randomSortKey, readsOrg } from './common';
import { audienceBindings, eligibleBinding, roundKit, stateOf } from './rounds';
import { voiceSurvey, voiceSurveyParticipant, voiceSurveyResponse } from './schema';

type Row = typeof voiceSurvey.$inferSelect;
const responseCount = (db: Queryable, tenantId: string, ids: string[]) =>
  ids.length
    ? db
        .select({ surveyId: voiceSurveyResponse.surveyId, n: sql<number>`count(*)::int` })
        .from(voiceSurveyResponse)
        .where(and(eq(voiceSurveyResponse.tenantId, tenantId), inArray(voiceSurveyResponse.surveyId, ids)))
        .groupBy(voiceSurveyResponse.surveyId)
    : Promise.resolve([]);

async function views(db: Queryable, rows: Row[], p: Principal | null): Promise<Survey[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const tenantId = rows[0]!.tenantId; // the rows come from one tenant's query
  // Also called inside update transactions (surveyView(tx, …)): readAll keeps those reads sequential.
  const [counts, names, mine] = await readAll(db, [
    () => responseCount(db, tenantId, ids),
    () =>
      orgNames(
        db,
        tenantId,
        rows.map((r) => r.orgId),
      ),
    () =>
      p && ids.length
        ? db
            .select({ surveyId: voiceSurveyParticipant.surveyId })
            .from(voiceSurveyParticipant)
            .where(
              and(
                eq(voiceSurveyParticipant.tenantId, tenantId),
                inArray(voiceSurveyParticipant.surveyId, ids),
                eq(voiceSurveyParticipant.userId, p.user.id),
              ),
            )
        : Promise.resolve([]),
  ]);
  const answered = new Set(mine.map((m) => m.surveyId));
  return rows.map((r) => {
    const state = stateOf(r);
    const eligible = p ? Boolean(eligibleBinding(p.bindings, r)) : false;
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: names.get(r.orgId) ?? '',
      kind: r.kind as SurveyKind,
      title: r.title,
      description: r.description,
      anonymous: r.anonymous,
      audienceRoles: r.audienceRoles,
      allowCodes: r.allowCodes,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt.toISOString(),
      state,
      questions: r.questions,
      responses: counts.find((c) => c.surveyId === r.id)?.n ?? 0,
      canAnswer: eligible && state === 'open' && !answered.has(r.id),
      answered: answered.has(r.id),
    };
  });
}

export const surveyView = async (db: Queryable, row: Row, p: Principal | null) => (await views(db, [row], p))[0]!;

const rounds = roundKit(
  voiceSurvey,
  {
    name: 'survey',
    published: () => conflict('问卷已发布', 'VOICE_SURVEY_PUBLISHED'),
    windowPast: () => unprocessable('结束时间已过，请先修改时间再发布', undefined, 'VOICE_WINDOW_PAST'),
    draft: () => conflict('草稿未发布，无需结束', 'VOICE_SURVEY_DRAFT'),
    closed: () => conflict('问卷已结束', 'VOICE_SURVEY_ENDED'),
    notAudience: () => forbidden('您不在本问卷的参与范围内', 'VOICE_NOT_AUDIENCE'),
    notOpen: () => conflict('问卷尚未开始', 'VOICE_NOT_OPEN'),
    ended: () => conflict('问卷已结束', 'VOICE_ENDED'),
  },
  surveyView,
);
const loadRow = rounds.load;

/** For the access layer: the audience reaches a survey from their own binding org; managers through its org. */
export const orgOfSurvey = rounds.orgOf;

// ---- managing -------------------------------------------------------------------

function checkDefinition(input: SurveyEditInput) {
  for (const q of input.questions) {
    if ((q.type === 'rating' || q.type === 'text') && q.options?.length)
      throw unprocessable(
        `「${q.title}」是${QUESTION_TYPE_LABELS[q.type]}题，不需要选项`,
        undefined,
        'VOICE_BAD_QUESTION',
      );
    if (q.maxChoices && q.type !== 'multiple')
      throw unprocessable(`「${q.title}」不是多选题，不能设置最多选几项`, undefined, 'VOICE_BAD_QUESTION');
  }
}

const definition = (input: SurveyEditInput) => ({
  kind: input.kind,
  title: input.title,
  description: input.description,
  anonymous: input.anonymous,
  audienceRoles: input.audienceRoles,
  allowCodes: input.allowCodes,
  opensAt: new Date(input.opensAt),
  closesAt: new Date(input.closesAt),
  questions: input.questions.map((q) => (q.type === 'rating' ? { ...q, scale: q.scale ?? 5 } : q)) as SurveyQuestion[],
});

export async function createSurvey(db: Db, scope: Scope, input: SurveyInput) {
  checkDefinition(input);
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(voiceSurvey)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        orgPath: scope.org.path,
        createdBy: scope.actor.username ?? '',
        ...definition(input),
        createdAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'voice.survey.create',
      entityType: 'voice_survey',
      entityId: row!.id,
      org: scope.org,
      after: { kind: input.kind, title: input.title, anonymous: input.anonymous, questions: input.questions.length },
    });
    return row!;
  });
  return surveyView(db, row, scope.principal);
}

/** Keepers of the survey's org change a draft; once published its questions are fixed. */
export const updateSurvey = (db: Db, scope: Scope, id: string, input: SurveyEditInput) =>
  rounds.manage(db, scope, id, async (r, tx) => {
    if (r.publishedAt) throw conflict('已发布的问卷不能再修改题目', 'VOICE_SURVEY_PUBLISHED');
    checkDefinition(input);
    const [u] = await tx
      .update(voiceSurvey)
      .set(definition(input))
      .where(and(eq(voiceSurvey.tenantId, r.tenantId), eq(voiceSurvey.id, r.id)))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'voice.survey.update',
      entityType: 'voice_survey',
      entityId: r.id,
      org: { id: r.orgId, path: r.orgPath },
      before: { title: r.title },
      after: { title: input.title, questions: input.questions.length },
    });
    return surveyView(tx, u!, scope.principal);
  });

export const publishSurvey = rounds.publish;

/** Ends an open survey now (results of an anonymous one become visible). */
export const closeSurvey = rounds.close;

export async function listSurveys(
  db: Queryable,
  scope: Scope,
  f: { kind?: SurveyKind | undefined },
  page: number,
  pageSize: number,
) {
  const kind = f.kind ? eq(voiceSurvey.kind, f.kind) : undefined;
  const { items: rows, total } = await rounds.listed(db, scope, page, pageSize, kind);
  return { items: await views(db, rows, scope.principal), total };
}

/** Published surveys the caller is in the audience of, not yet ended; unanswered first. */
export async function openSurveys(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const rows = await rounds.ofAudience(db, scope, now(), 'soonest');
  const mine = (await views(db, rows, scope.principal)).sort((a, b) => Number(a.answered) - Number(b.answered));
  return pageOf(mine, page, pageSize);
}

export const getSurvey = rounds.get;

// ---- answering ------------------------------------------------------------------

function checkAnswers(r: Row, answers: Answer[]) {
  const problems = answerProblems(r.questions, answers);
  if (problems.length)
    throw unprocessable(
      problems[0]!,
      problems.map((message) => ({ field: 'answers', message })),
      'VOICE_BAD_ANSWER',
    );
}

/**
 * The branch a response counts to: the nearest 党支部 at or above `from` (the respondent's binding org,
 * or the org of an employee's code) inside the survey's subtree, else `from` itself (a person bound at a
 * committee or 总支, or a survey held at a 党小组).
 */
async function unitOf(db: Queryable, r: Row, from: { id: string; path: string }): Promise<string> {
  const prefixes = pathPrefixes(from.path).filter((p) => p.startsWith(r.orgPath));
  if (!prefixes.length) return from.id;
  const [branch] = await db
    .select({ id: orgTable.id })
    .from(orgTable)
    .where(and(eq(orgTable.tenantId, r.tenantId), inArray(orgTable.path, prefixes), eq(orgTable.kind, 'branch')))
    .orderBy(desc(orgTable.depth))
    .limit(1);
  return branch?.id ?? from.id;
}

async function insertResponse(
  tx: Tx,
  r: Row,
  actor: Actor,
  values: {
    channel: 'member' | 'code';
    respondentUserId: string | null;
    respondentName: string | null;
    unitOrgId: string;
    answers: Answer[];
  },
) {
  await tx.insert(voiceSurveyResponse).values({
    tenantId: r.tenantId,
    surveyId: r.id,
    ...values,
    submittedOn: values.respondentUserId ? todayInChina() : null,
    sortKey: randomSortKey(),
  });
  // The register entry: who took part (when named or through an account), never what they answered.
  await writeAudit(tx, actor, {
    action: 'voice.survey.respond',
    entityType: 'voice_survey',
    entityId: r.id,
    org: { id: r.orgId, path: r.orgPath },
  });
}

/** A member's response: in the audience, inside the window, once (the register's primary key refuses a second). */
export async function respond(db: Db, scope: Scope, id: string, answers: Answer[]) {
  const p = scope.principal;
  const name = await displayName(db, p);
  await db.transaction(async (tx) => {
    const r = await loadRow(tx, scope.tenantId, id);
    const binding = rounds.checkAnswering(scope, r);
    checkAnswers(r, answers);
    const [registered] = await tx
      .insert(voiceSurveyParticipant)
      .values({ surveyId: r.id, userId: p.user.id, tenantId: r.tenantId })
      .onConflictDoNothing()
      .returning();
    if (!registered) throw conflict('您已提交过该问卷，每人只能提交一次', 'VOICE_ALREADY_ANSWERED');
    await insertResponse(tx, r, scope.actor, {
      channel: 'member',
      respondentUserId: r.anonymous ? null : p.user.id,
      respondentName: r.anonymous ? null : name,
      unitOrgId: await unitOf(tx, r, binding.org),
      answers,
    });
  });
}

/** An employee's response with a one-time code (handed out by `from`), inside the transaction that used the code. */
export async function respondWithCode(tx: Tx, from: OrgRef, id: string, answers: Answer[]) {
  const tenantId = from.tenantId;
  const r = await loadRow(tx, tenantId, id);
  if (!r.publishedAt || !r.allowCodes) throw notFound('问卷不存在或不接受参与码');
  rounds.checkWindow(r);
  checkAnswers(r, answers);
  await insertResponse(tx, r, codeActor(tenantId), {
    channel: 'code',
    respondentUserId: null,
    respondentName: null,
    unitOrgId: await unitOf(tx, r, from),
    answers,
  });
}

export async function loadPublicSurvey(db: Queryable, tenantId: string, id: string) {
  const r = await loadRow(db, tenantId, id);
  return surveyView(db, r, null);
}

// ---- results --------------------------------------------------------------------

async function responsesOf(db: Queryable, tenantId: string, surveyId: string) {
  return db
    .select({
      answers: voiceSurveyResponse.answers,
      name: voiceSurveyResponse.respondentName,
      on: voiceSurveyResponse.submittedOn,
    })
    .from(voiceSurveyResponse)
    .where(and(eq(voiceSurveyResponse.tenantId, tenantId), eq(voiceSurveyResponse.surveyId, surveyId)))
    .orderBy(asc(voiceSurveyResponse.sortKey));
}

export function tally(
  questions: SurveyQuestion[],
  responses: { answers: Answer[]; name: string | null }[],
  anonymous: boolean,
): SurveyQuestionResult[] {
  return questions.map((q) => {
    const given = responses
      .map((r) => ({ a: r.answers.find((x) => x.q === q.id), name: r.name }))
      .filter((x): x is { a: Answer; name: string | null } => x.a !== undefined);
    const base = { id: q.id, type: q.type, title: q.title, answered: given.length };
    if (q.type === 'single' || q.type === 'multiple') {
      const counts = (q.options ?? []).map(() => 0);
      for (const { a } of given)
        for (const i of q.type === 'single' ? [a.choice!] : a.choices!) counts[i] = (counts[i] ?? 0) + 1;
      return { ...base, options: (q.options ?? []).map((label, i) => ({ label, count: counts[i] ?? 0 })) };
    }
    if (q.type === 'rating') {
      const scale = q.scale ?? 5;
      const distribution = Array.from({ length: scale }, () => 0);
      let sum = 0;
      for (const { a } of given) {
        distribution[a.score! - 1]! += 1;
        sum += a.score!;
      }
      return {
        ...base,
        distribution,
        average: given.length ? Math.round((sum / given.length) * 100) / 100 : null,
        weight: q.weight ?? 1,
      };
    }
    const texts = given
      .filter((x) => x.a.text)
      .map((x) => (anonymous || !x.name ? x.a.text! : `${x.name}：${x.a.text!}`));
    if (anonymous && texts.length < VOICE_RULES.minAnonymousGroup.value)
      return { ...base, texts: [], textsWithheld: texts.length > 0 };
    return { ...base, texts };
  });
}

const scoreOf = (questions: SurveyQuestion[], results: SurveyQuestionResult[]) =>
  weightedScore(
    results
      .filter((r) => r.type === 'rating')
      .map((r) => ({
        average: r.average ?? null,
        scale: questions.find((q) => q.id === r.id)?.scale ?? 5,
        weight: r.weight ?? 1,
      })),
  );

function resultsGate(r: Row) {
  const state = stateOf(r);
  if (state === 'draft') throw conflict('问卷尚未发布', 'VOICE_SURVEY_DRAFT');
  if (r.anonymous && state !== 'ended')
    throw conflict('匿名问卷在结束后才公布结果（防止通过前后对比认出某人的回答）', 'VOICE_RESULTS_AFTER_CLOSE');
  return state;
}

/** A survey for a reader of its org (else 404) whose results are out (resultsGate), with its state. */
async function releasedResults(db: Queryable, scope: Scope, id: string) {
  const r = await loadRow(db, scope.tenantId, id);
  if (!readsOrg(scope, { path: r.orgPath, tenantId: r.tenantId })) throw notFound();
  return { r, state: resultsGate(r) };
}

export async function surveyResults(db: Queryable, scope: Scope, id: string): Promise<SurveyResults> {
  const { r, state } = await releasedResults(db, scope, id);
  return computeResults(db, r, state);
}

async function computeResults(db: Queryable, r: Row, state: SurveyState): Promise<SurveyResults> {
  const responses = await responsesOf(db, r.tenantId, r.id);
  const questions = tally(r.questions, responses, r.anonymous);
  return {
    surveyId: r.id,
    title: r.title,
    kind: r.kind as SurveyKind,
    anonymous: r.anonymous,
    state,
    responses: responses.length,
    score: r.kind === 'survey' ? null : scoreOf(r.questions, questions),
    questions,
    ...(r.anonymous ? {} : { respondents: responses.map((x) => x.name ?? '职工（参与码）') }),
    note: r.anonymous
      ? `匿名问卷：答卷不含任何身份和时间信息，按随机顺序排列；文字回答少于 ${VOICE_RULES.minAnonymousGroup.value} 份时不显示。`
      : null,
  };
}

// ---- results by branch --------------------------------------------------------------

const UNKNOWN_UNIT = '（未记录支部的答卷）';

/**
 * Every branch row of a survey (not paged): audience accounts and responses counted by branch, the
 * branch's answers tallied, and — for an anonymous survey — small branches suppressed (suppressSmallGroups).
 */
async function branchRows(db: Queryable, r: Row) {
  const min = r.anonymous ? VOICE_RULES.minBreakdownGroup.value : null;
  const [orgs, audience, responses] = await Promise.all([
    db
      .select({ id: orgTable.id, name: orgTable.name, path: orgTable.path, kind: orgTable.kind })
      .from(orgTable)
      .where(and(eq(orgTable.tenantId, r.tenantId), inSubtree(orgTable.path, r.orgPath))),
    audienceBindings(db, r),
    db
      .select({
        unit: voiceSurveyResponse.unitOrgId,
        channel: voiceSurveyResponse.channel,
        answers: voiceSurveyResponse.answers,
      })
      .from(voiceSurveyResponse)
      .where(and(eq(voiceSurveyResponse.tenantId, r.tenantId), eq(voiceSurveyResponse.surveyId, r.id)))
      .orderBy(asc(voiceSurveyResponse.sortKey)),
  ]);
  const byPath = new Map(orgs.map((o) => [o.path, o]));
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const unitOfPath = (path: string) => {
    const prefixes = pathPrefixes(path).filter((p) => p.startsWith(r.orgPath));
    for (const p of prefixes.reverse()) if (byPath.get(p)?.kind === 'branch') return byPath.get(p)!.id;
    return byPath.get(path)?.id ?? null;
  };
  type Acc = { orgId: string | null; invited: number; answers: Answer[][]; viaCode: number; viaAccount: number };
  const units = new Map<string, Acc>();
  const acc = (orgId: string | null) => {
    const key = orgId ?? '';
    let u = units.get(key);
    if (!u) units.set(key, (u = { orgId, invited: 0, answers: [], viaCode: 0, viaAccount: 0 }));
    return u;
  };
  const seen = new Set<string>();
  for (const a of audience) {
    if (seen.has(a.userId)) continue; // a person with several bindings counts once, at the first in tree order
    seen.add(a.userId);
    acc(unitOfPath(a.path)).invited += 1;
  }
  for (const x of responses) {
    const u = acc(x.unit && byId.has(x.unit) ? x.unit : null);
    u.answers.push(x.answers);
    if (x.channel === 'code') u.viaCode += 1;
    else u.viaAccount += 1;
  }
  const list = [...units.values()].sort((a, b) =>
    a.orgId === null ? 1 : b.orgId === null ? -1 : byId.get(a.orgId)!.path.localeCompare(byId.get(b.orgId)!.path),
  );
  const hide = min
    ? suppressSmallGroups(
        list.map((u) => u.answers.length),
        min,
      )
    : list.map(() => false);
  const shown = r.questions.filter((q) => q.type !== 'text');
  const rows: SurveyBranchRow[] = list.map((u, i) => {
    const suppressed = hide[i]!;
    const tallied = suppressed
      ? []
      : tally(
          r.questions,
          u.answers.map((answers) => ({ answers, name: null })),
          true,
        );
    return {
      orgId: u.orgId,
      orgName: u.orgId ? byId.get(u.orgId)!.name : UNKNOWN_UNIT,
      invited: u.invited,
      responses: u.answers.length,
      viaCode: u.viaCode,
      rate: u.invited ? Math.round((u.viaAccount / u.invited) * 1000) / 1000 : null,
      suppressed,
      score: suppressed || r.kind === 'survey' || !u.answers.length ? null : scoreOf(r.questions, tallied),
      cells: suppressed
        ? []
        : shown.map((q) => {
            const t = tallied.find((x) => x.id === q.id)!;
            return q.type === 'rating'
              ? { q: q.id, average: t.average ?? null }
              : { q: q.id, counts: (t.options ?? []).map((o) => o.count) };
          }),
    };
  });
  return { rows, min, shown };
}

export async function surveyBreakdown(
  db: Queryable,
  scope: Scope,
  id: string,
  page: number,
  pageSize: number,
): Promise<SurveyBreakdown> {
  const { r } = await releasedResults(db, scope, id);
  const { rows, min, shown } = await branchRows(db, r);
  return {
    surveyId: r.id,
    title: r.title,
    kind: r.kind as SurveyKind,
    anonymous: r.anonymous,
    minGroup: min,
    questions: shown.map((q) => ({
      id: q.id,
      type: q.type,
      title: q.title,
      ...(q.options ? { options: q.options } : {}),
    })),
    items: rows.slice((page - 1) * pageSize, page * pageSize),
    total: rows.length,
    invited: rows.reduce((s, x) => s + x.invited, 0),
    responses: rows.reduce((s, x) => s + x.responses, 0),
    suppressedBranches: rows.filter((x) => x.suppressed).length,
    note: breakdownNote(min),
  };
}

const breakdownNote = (min: number | null) =>
  min
    ? `匿名问卷：答卷少于 ${min} 份的支部只显示参与人数，不显示得分和选项；为防止用总数减去其他支部反推，必要时再隐藏人数最少的支部，直到隐藏的支部合计不少于 ${min} 份。文字回答不按支部分列。`
    : '实名问卷：各支部的得分和选项按答卷统计。文字回答不按支部分列。';

export async function exportBreakdown(
  db: Queryable,
  scope: Scope,
  id: string,
): Promise<{ name: string; data: Buffer }> {
  const { r } = await releasedResults(db, scope, id);
  const { rows, min, shown } = await branchRows(db, r);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('分支部结果');
  const columns: { header: string; key: string; width: number }[] = [
    { header: '支部', key: 'org', width: 26 },
    { header: '应参与（账号）', key: 'invited', width: 12 },
    { header: '答卷', key: 'responses', width: 8 },
    { header: '其中参与码', key: 'viaCode', width: 10 },
    { header: '参与率', key: 'rate', width: 8 },
    ...(r.kind === 'survey' ? [] : [{ header: '综合得分', key: 'score', width: 10 }]),
    ...shown.map((q, i) => ({
      header: `${r.questions.indexOf(q) + 1}. ${q.title}${q.type === 'rating' ? '（平均分）' : ''}`,
      key: `c${i}`,
      width: 24,
    })),
  ];
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  const hiddenText = `（不足 ${min ?? 0} 份或为保护其他支部，不显示）`;
  for (const x of rows) {
    const row: Record<string, unknown> = {
      org: x.orgName,
      invited: x.invited,
      responses: x.responses,
      viaCode: x.viaCode,
      rate: x.rate === null ? '' : `${(x.rate * 100).toFixed(1)}%`,
      score: x.suppressed ? hiddenText : (x.score ?? ''),
    };
    shown.forEach((q, i) => {
      const c = x.cells.find((y) => y.q === q.id);
      row[`c${i}`] = x.suppressed
        ? hiddenText
        : q.type === 'rating'
          ? (c?.average ?? '')
          : (q.options ?? []).map((o, k) => `${o} ${c?.counts?.[k] ?? 0}`).join('；');
    });
    ws.addRow(row);
  }
  ws.addRow({});
  ws.addRow({ org: breakdownNote(min) });
  return { name: `${r.title}-分支部结果.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

export async function exportSurvey(db: Queryable, scope: Scope, id: string): Promise<{ name: string; data: Buffer }> {
  const { r, state } = await releasedResults(db, scope, id);
  const res = await computeResults(db, r, state);
  const wb = new ExcelJS.Workbook();
  const sum = wb.addWorksheet('结果汇总');
  sum.columns = [
    { header: '题号', key: 'no', width: 6 },
    { header: '题目', key: 'title', width: 40 },
    { header: '题型', key: 'type', width: 8 },
    { header: '选项/分值', key: 'option', width: 30 },
    { header: '人数', key: 'count', width: 8 },
    { header: '平均分', key: 'average', width: 8 },
  ];
  sum.getRow(1).font = { bold: true };
  sum.addRow({
    no: '',
    title: `${SURVEY_KIND_LABELS[r.kind as SurveyKind]}：${r.title}`,
    option: `答卷 ${res.responses} 份`,
    average: res.score ?? '',
  });
  for (const [i, q] of res.questions.entries()) {
    const type = QUESTION_TYPE_LABELS[q.type];
    if (q.options)
      for (const o of q.options) sum.addRow({ no: i + 1, title: q.title, type, option: o.label, count: o.count });
    else if (q.distribution)
      q.distribution.forEach((n, s) =>
        sum.addRow({
          no: i + 1,
          title: q.title,
          type,
          option: `${s + 1} 分`,
          count: n,
          average: s === 0 ? q.average : '',
        }),
      );
    else if (q.textsWithheld)
      sum.addRow({ no: i + 1, title: q.title, type, option: '（文字回答份数过少，为保护匿名不导出）' });
    else for (const t of q.texts ?? []) sum.addRow({ no: i + 1, title: q.title, type, option: t });
  }
  // One row per response: anonymous surveys carry no name and no date, in the random order.
  const raw = wb.addWorksheet('答卷');
  const named = !r.anonymous;
  raw.columns = [
    ...(named
      ? [
          { header: '姓名', key: 'name', width: 12 },
          { header: '提交日期', key: 'on', width: 12 },
        ]
      : [{ header: '序号', key: 'no', width: 6 }]),
    ...r.questions.map((q, i) => ({ header: `${i + 1}. ${q.title}`, key: q.id, width: 24 })),
  ];
  raw.getRow(1).font = { bold: true };
  const withheld = new Set(res.questions.filter((q) => q.textsWithheld).map((q) => q.id));
  for (const [i, x] of (await responsesOf(db, r.tenantId, r.id)).entries()) {
    const row: Record<string, unknown> = named ? { name: x.name ?? '职工（参与码）', on: x.on ?? '' } : { no: i + 1 };
    for (const q of r.questions) {
      const a = x.answers.find((y) => y.q === q.id);
      if (!a) continue;
      row[q.id] =
        q.type === 'single'
          ? q.options?.[a.choice!]
          : q.type === 'multiple'
            ? a.choices!.map((c) => q.options?.[c]).join('；')
            : q.type === 'rating'
              ? a.score
              : withheld.has(q.id)
                ? '（不导出）'
                : a.text;
    }
    raw.addRow(row);
  }
  return { name: `${r.title}-结果.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

// ---- for other modules ---------------------------------------------------------------

/** The ended surveys of a subtree (published, window over) that meet these conditions, latest first. */
const endedSurveys = (db: Queryable, tenantId: string, path: string, ...more: (SQL | undefined)[]) =>
  db
    .select()
    .from(voiceSurvey)
    .where(
      and(
        eq(voiceSurvey.tenantId, tenantId),
        inSubtree(voiceSurvey.orgPath, path),
        isNotNull(voiceSurvey.publishedAt),
        lte(voiceSurvey.closesAt, now()),
        ...more,
      ),
    )
    .orderBy(desc(voiceSurvey.closesAt), asc(voiceSurvey.id));

/**
 * 下考上 results of the ended rating rounds of a subtree (the rated org is the survey's org), newest
 * first: what the assessment module reads. `year`: rounds that ended in that year (Beijing time).
 */
export async function ratingUpResults(
  db: Queryable,
  tenantId: string,
  path: string,
  opts: { year?: number | undefined; limit?: number | undefined } = {},
): Promise<RatingUpResult[]> {
  const rows = await endedSurveys(
    db,
    tenantId,
    path,
    eq(voiceSurvey.kind, 'rating_up'),
    opts.year ? sql`extract(year from ${voiceSurvey.closesAt} at time zone 'Asia/Shanghai') = ${opts.year}` : undefined,
  ).limit(opts.limit ?? 200);
  const names = await orgNames(
    db,
    tenantId,
    rows.map((r) => r.orgId),
  );
  const out: RatingUpResult[] = [];
  for (const r of rows) {
    const responses = await responsesOf(db, r.tenantId, r.id);
    const qs = tally(r.questions, responses, r.anonymous);
    out.push({
      surveyId: r.id,
      orgId: r.orgId,
      orgName: names.get(r.orgId) ?? '',
      title: r.title,
      closesAt: r.closesAt.toISOString(),
      responses: responses.length,
      score: scoreOf(r.questions, qs),
      indicators: qs
        .filter((q) => q.type === 'rating')
        .map((q) => ({ title: q.title, weight: q.weight ?? 1, average: q.average ?? null })),
    });
  }
  return out;
}

/** The latest ended 满意度测评 or 下考上 of a subtree with its score, for the dashboard. */
export async function latestSatisfaction(db: Queryable, tenantId: string, path: string) {
  const [r] = await endedSurveys(db, tenantId, path, inArray(voiceSurvey.kind, ['satisfaction', 'rating_up'])).limit(1);
  if (!r) return null;
  const res = await computeResults(db, r, 'ended');
  return { surveyId: r.id, title: r.title, score: res.score, responses: res.responses };
}

/**
 * A person's part in surveys for their personal-data copy: the surveys they answered (the register),
 * and their answers only where the survey was named — anonymous answers are not linked to anyone.
 */
export async function surveysOfUser(db: Queryable, tenantId: string, userId: string) {
  const took = await db
    .select({ id: voiceSurvey.id, title: voiceSurvey.title, kind: voiceSurvey.kind, anonymous: voiceSurvey.anonymous })
    .from(voiceSurveyParticipant)
    .innerJoin(voiceSurvey, onKey(voiceSurvey, voiceSurveyParticipant.surveyId, voiceSurveyParticipant))
    .where(and(eq(voiceSurveyParticipant.tenantId, tenantId), eq(voiceSurveyParticipant.userId, userId)));
  const named = await db
    .select({
      surveyId: voiceSurveyResponse.surveyId,
      answers: voiceSurveyResponse.answers,
      on: voiceSurveyResponse.submittedOn,
    })
    .from(voiceSurveyResponse)
    .where(and(eq(voiceSurveyResponse.tenantId, tenantId), eq(voiceSurveyResponse.respondentUserId, userId)));
  return took.map((s) => ({
    surveyId: s.id,
    title: s.title,
    kind: s.kind,
    anonymous: s.anonymous,
    answers: s.anonymous
      ? '（匿名问卷：答卷不与任何人关联，无法导出）'
      : (named.find((n) => n.surveyId === s.id)?.answers ?? null),
    submittedOn: named.find((n) => n.surveyId === s.id)?.on ?? null,
  }));
}
