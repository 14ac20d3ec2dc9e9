/**
 * 意见建议: submitted by members (named or anonymous) or by employees with a one-time code, routed
 * to an org, assigned to a handler, transferred, answered, rated by the submitter and closed;
 * overdue when unanswered after the org's answer period; a board of answered items the submitter
 * allowed to be shown. Anonymity: see packages/shared voice.ts.
 */
import { inSubtree, pathPrefixes } from '../../platform/access';
import {
  addDays,
  ANONYMITY_MODES,
  OPINION_CATEGORY_LABELS,
  OPINION_STATUS_LABELS,
  OPINION_FILE_MAX,
  chinaDateLabel,
  now,
  todayInChina,
  VOICE_RULES,
  type AnonymityMode,
  type Opinion,
  type OpinionCategory,
  type OpinionDetail,
  type OpinionInput,
  type OpinionStatus,
  type OpinionTarget,
  type VoiceSettings,
  RECORD_KEEPERS,
} from '@xianfeng/shared';
import ExcelJS from 'exceljs';
import { and, asc, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Caller, OrgRef, Principal, Scope } from '../../platform/access';
import { writeAudit, type Actor } from '../../platform/audit';
import crypto from 'node:crypto';
import type { FieldCrypto } from '../../platform/crypto';
import { byKey, inTenant, onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { appUser, org, userRole } from '../../platform/schema';
import {
  anonymousActor,
  codeActor,
  codeHash,
  displayName,
  isManagerOf,
  loadOrg,
  managesOrg,
  newCode,
  orgNames,
  orgsOnPath,
  ownOrgUnder,
  randomSortKey,
  reachedThrough,
  readsOrg,
} from './common';
import { notify } from '../notify/service';
import { voiceIdentity, voiceOpinion, voiceOpinionFile, voiceOpinionStep, voiceSetting } from './schema';
import { countFrom, pageWhere } from '../../platform/paging';

type Row = typeof voiceOpinion.$inferSelect;

const STEP_LABELS: Record<string, string> = {
  submitted: '提交',
  assigned: '交办',
  transferred: '转办',
  answered: '答复',
  published: '公开答复',
  unpublished: '撤回公开',
  rated: '评价',
  closed: '办结',
  withdrawn: '提交人撤回',
};

// ---- settings -------------------------------------------------------------------

/** The setting of an org: its own row, else the nearest org above with one, else the defaults. */
export async function settingsFor(
  db: Queryable,
  tenantId: string,
  target: { id: string; path: string },
): Promise<VoiceSettings> {
  const rows = await db
    .select({
      orgId: voiceSetting.orgId,
      anonymity: voiceSetting.anonymity,
      answerDays: voiceSetting.answerDays,
      path: org.path,
      name: org.name,
    })
    .from(voiceSetting)
    .innerJoin(org, onKey(org, voiceSetting.orgId, voiceSetting))
    .where(and(eq(voiceSetting.tenantId, tenantId), inArray(org.path, pathPrefixes(target.path))));
  const nearest = rows.sort((a, b) => b.path.length - a.path.length)[0];
  return {
    orgId: target.id,
    anonymity: (nearest?.anonymity as AnonymityMode | undefined) ?? 'sealed',
    answerDays: nearest?.answerDays ?? VOICE_RULES.answerDays.value,
    inheritedFrom: nearest ? (nearest.orgId === target.id ? null : nearest.name) : '平台默认',
    citation: VOICE_RULES.answerDays.citation,
  };
}

export async function putSettings(
  db: Db,
  scope: Scope,
  input: { anonymity: (typeof ANONYMITY_MODES)[number]; answerDays: number },
): Promise<VoiceSettings> {
  return db.transaction(async (tx) => {
    const before = await settingsFor(tx, scope.tenantId, scope.org);
    await tx
      .insert(voiceSetting)
      .values({ orgId: scope.org.id, tenantId: scope.tenantId, ...input, updatedAt: now() })
      .onConflictDoUpdate({ target: voiceSetting.orgId, set: { ...input, updatedAt: now() } });
    await writeAudit(tx, scope.actor, {
      action: 'voice.settings',
      entityType: 'voice_setting',
      entityId: scope.org.id,
      org: scope.org,
      before: { anonymity: before.anonymity, answerDays: before.answerDays },
      after: input,
    });
    return settingsFor(tx, scope.tenantId, scope.org);
  });
}

/** Orgs a member may send an opinion to: their own and every org above (not party groups). */
export async function opinionTargets(db: Queryable, p: Principal): Promise<OpinionTarget[]> {
  const orgs = (await orgsOnPath(db, p)).filter((o) => o.kind !== 'group');
  return Promise.all(
    orgs.map(async (o) => {
      const s = await settingsFor(db, p.user.tenantId, o);
      return { orgId: o.id, orgName: o.name, kind: o.kind, anonymity: s.anonymity, answerDays: s.answerDays };
    }),
  );
}

// ---- views ----------------------------------------------------------------------

const isOverdue = (r: Pick<Row, 'status' | 'dueOn'>, today: string) =>
  (r.status === 'submitted' || r.status === 'assigned') && r.dueOn < today;

function view(r: Row, orgName: string, today: string, userId: string | null): Opinion {
  return {
    id: r.id,
    orgId: r.orgId,
    orgName,
    category: r.category as OpinionCategory,
    title: r.title,
    body: r.body,
    channel: r.channel as Opinion['channel'],
    anonymous: r.anonymous,
    authorName: r.anonymous ? null : r.authorName,
    allowPublic: r.allowPublic,
    published: r.published,
    status: r.status as OpinionStatus,
    handlerName: r.handlerName,
    submittedOn: r.submittedOn,
    dueOn: r.dueOn,
    overdue: isOverdue(r, today),
    answer: r.answer,
    answeredBy: r.answeredBy,
    answeredOn: r.answeredOn,
    rating: r.rating,
    ratingComment: r.ratingComment,
    closedOn: r.closedOn,
    mine: userId !== null && r.authorUserId === userId,
  };
}

async function views(db: Queryable, rows: Row[], userId: string | null, today = todayInChina()) {
  const names = await orgNames(
    db,
    rows[0]?.tenantId ?? '', // the rows come from one tenant's query (none: no names to read)
    rows.map((r) => r.orgId),
  );
  return rows.map((r) => view(r, names.get(r.orgId) ?? '', today, userId));
}

/**
 * Every list's order: by day (newest first), then the random key. Never by an insertion time,
 * so where an anonymous item sits says nothing about when it came in relative to named ones.
 */
const listOrder = [desc(voiceOpinion.submittedOn), asc(voiceOpinion.sortKey)];

/** Opinions under `where` in `order` (the list order unless said), and how many there are. */
const opinionsPage = (db: Queryable, where: SQL | undefined, page: number, pageSize: number, order = listOrder) =>
  pageWhere(db.select().from(voiceOpinion).$dynamic(), countFrom(db, voiceOpinion), where, order, page, pageSize);

// ---- access ---------------------------------------------------------------------

/** For the access layer: the author reaches their own item from their own org; everyone else through the item's org. */
export async function orgOfOpinion(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const [row] = await db
    .select({
      orgId: voiceOpinion.orgId,
      authorUserId: voiceOpinion.authorUserId,
      authorOrgId: voiceOpinion.authorOrgId,
    })
    .from(voiceOpinion)
    .where(and(eq(voiceOpinion.tenantId, tenantId), eq(voiceOpinion.id, id)));
  if (!row) return null;
  return row.authorUserId === caller.userId && row.authorOrgId ? row.authorOrgId : row.orgId;
}

async function loadRow(db: Queryable, tenantId: string, id: string, lock = false): Promise<Row> {
  const q = db
    .select()
    .from(voiceOpinion)
    .where(and(eq(voiceOpinion.tenantId, tenantId), eq(voiceOpinion.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound();
  return row;
}

const orgOfRow = (r: Row, tenantId: string) => ({ id: r.orgId, path: r.orgPath, tenantId });

// ---- submitting -----------------------------------------------------------------

async function insertOpinion(
  tx: Tx,
  actor: Actor,
  target: OrgRef,
  values: Omit<typeof voiceOpinion.$inferInsert, 'orgId' | 'orgPath' | 'status' | 'submittedOn' | 'dueOn' | 'sortKey'>,
  answerDays: number,
) {
  const today = todayInChina();
  const [row] = await tx
    .insert(voiceOpinion)
    .values({
      ...values,
      orgId: target.id,
      orgPath: target.path,
      status: 'submitted',
      submittedOn: today,
      dueOn: addDays(today, answerDays),
      sortKey: randomSortKey(),
    })
    .returning();
  await writeAudit(tx, actor, {
    action: 'voice.opinion.submit',
    entityType: 'voice_opinion',
    entityId: row!.id,
    org: target,
    // What was submitted, never by whom: the actor says that when the item is named.
    after: { category: row!.category, title: row!.title, anonymous: row!.anonymous, channel: row!.channel },
    event: { kind: 'voice.opinion.submitted', data: { opinionId: row!.id, orgId: target.id, dueOn: row!.dueOn } },
  });
  return row!;
}

/**
 * A member's opinion to their own org or one above. Anonymous: no author on the row, a 查询码 to
 * follow it, the identity sealed apart (org setting `sealed`) or not kept (`none`), and an audit
 * entry without the account.
 */
export async function submitOpinion(db: Db, fc: FieldCrypto, scope: Scope, input: OpinionInput) {
  const p = scope.principal;
  const target = (await orgsOnPath(db, p)).find((o) => o.id === input.orgId);
  if (!target || target.kind === 'group')
    throw forbidden('只能向本人所在的党组织或其上级党组织提交意见建议', 'VOICE_NOT_ON_PATH');
  const settings = await settingsFor(db, scope.tenantId, target);
  const name = await displayName(db, p);
  const from = await ownOrgUnder(db, p, target);
  const receipt = input.anonymous ? newCode() : null;
  const row = await db.transaction(async (tx) => {
    const row = await insertOpinion(
      tx,
      input.anonymous ? anonymousActor(scope.tenantId) : scope.actor,
      target,
      {
        tenantId: scope.tenantId,
        category: input.category,
        title: input.title,
        body: input.body,
        channel: 'member',
        anonymous: input.anonymous,
        authorUserId: input.anonymous ? null : p.user.id,
        authorOrgId: input.anonymous ? null : (from?.id ?? null),
        authorName: input.anonymous ? null : name,
        receiptHash: receipt ? codeHash(receipt) : null,
        allowPublic: input.allowPublic,
      },
      settings.answerDays,
    );
    if (input.anonymous && settings.anonymity === 'sealed')
      await tx.insert(voiceIdentity).values({
        opinionId: row.id,
        tenantId: scope.tenantId,
        userId: p.user.id,
        nameEnc: fc.encrypt(name, voiceIdentity.nameEnc, row.id),
      });
    return row;
  });
  return { id: row.id, receipt, dueOn: row.dueOn };
}

/** An employee's opinion through the public link, inside the transaction that used their code. */
export async function submitCodeOpinion(
  tx: Tx,
  fc: FieldCrypto,
  tenantId: string,
  target: OrgRef,
  input: OpinionInput & { name?: string | undefined; contact?: string | undefined },
) {
  const settings = await settingsFor(tx, tenantId, target);
  const receipt = newCode();
  const named = !input.anonymous && input.name ? input.name : null;
  const id = crypto.randomUUID(); // chosen here: the sealed contact is bound to it
  const row = await insertOpinion(
    tx,
    input.anonymous ? anonymousActor(tenantId) : codeActor(tenantId, named),
    target,
    {
      id,
      tenantId,
      category: input.category,
      title: input.title,
      body: input.body,
      channel: 'code',
      anonymous: input.anonymous,
      authorName: input.anonymous ? null : (named ?? '职工'),
      contactEnc: !input.anonymous && input.contact ? fc.encrypt(input.contact, voiceOpinion.contactEnc, id) : null,
      receiptHash: codeHash(receipt),
      allowPublic: input.allowPublic,
    },
    settings.answerDays,
  );
  return { id: row.id, receipt, dueOn: row.dueOn };
}

// ---- reading --------------------------------------------------------------------

export type OpinionFilter = {
  status?: OpinionStatus | undefined;
  category?: OpinionCategory | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
};

function filterWhere(tenantId: string, path: string, f: OpinionFilter, today: string): SQL {
  const conds: SQL[] = [eq(voiceOpinion.tenantId, tenantId), inSubtree(voiceOpinion.orgPath, path)];
  if (f.status) conds.push(eq(voiceOpinion.status, f.status));
  if (f.category) conds.push(eq(voiceOpinion.category, f.category));
  if (f.overdue) conds.push(inArray(voiceOpinion.status, ['submitted', 'assigned']), lt(voiceOpinion.dueOn, today));
  if (f.q) conds.push(ilike(voiceOpinion.title, `%${f.q.replace(/[\\%_]/g, '\\$&')}%`));
  return and(...conds)!;
}

/** The handling queue of an org subtree. */
export async function listOpinions(db: Queryable, scope: Scope, f: OpinionFilter, page: number, pageSize: number) {
  const today = todayInChina();
  const where = filterWhere(scope.tenantId, scope.org.path, f, today);
  const { items: rows, total } = await opinionsPage(db, where, page, pageSize);
  return { items: await views(db, rows, scope.principal.user.id, today), total };
}

/** The caller's own named items (anonymous ones are followed by 查询码, not by account). */
export async function myOpinions(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const where = and(eq(voiceOpinion.tenantId, scope.tenantId), eq(voiceOpinion.authorUserId, scope.principal.user.id));
  const { items: rows, total } = await opinionsPage(db, where, page, pageSize);
  const items = await views(db, rows, scope.principal.user.id);
  const answered = rows.filter((r) => r.answer).map((r) => r.id);
  const files = answered.length
    ? await db
        .select({
          opinionId: voiceOpinionFile.opinionId,
          id: voiceOpinionFile.id,
          fileName: voiceOpinionFile.fileName,
          mime: voiceOpinionFile.mime,
          size: voiceOpinionFile.size,
        })
        .from(voiceOpinionFile)
        .where(and(eq(voiceOpinionFile.tenantId, scope.tenantId), inArray(voiceOpinionFile.opinionId, answered)))
        .orderBy(asc(voiceOpinionFile.createdAt), asc(voiceOpinionFile.id))
    : [];
  for (const o of items)
    if (o.answer) o.answerFiles = files.filter((f) => f.opinionId === o.id).map(({ opinionId: _, ...f }) => f);
  return { items, total };
}

/** 公开答复栏: answered items the submitter allowed and a manager published, on the caller's path or below. */
export async function board(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const p = scope.principal;
  const own = p.bindings.map((b) => b.org.path);
  const above = [...new Set(own.flatMap(pathPrefixes))];
  const where = and(
    eq(voiceOpinion.tenantId, scope.tenantId),
    eq(voiceOpinion.published, true),
    or(inArray(voiceOpinion.orgPath, above), ...own.map((path) => inSubtree(voiceOpinion.orgPath, path)))!,
  );
  const order = [desc(voiceOpinion.answeredOn), asc(voiceOpinion.sortKey)];
  const { items: rows, total } = await opinionsPage(db, where, page, pageSize, order);
  // The board never names the submitter, named or not.
  const items = (await views(db, rows, p.user.id)).map((v) => ({ ...v, authorName: null, ratingComment: null }));
  return { items, total };
}

async function stepsOf(db: Queryable, tenantId: string, id: string) {
  const rows = await db
    .select()
    .from(voiceOpinionStep)
    .where(and(eq(voiceOpinionStep.tenantId, tenantId), eq(voiceOpinionStep.opinionId, id)))
    .orderBy(asc(voiceOpinionStep.seq));
  return rows.map((s) => ({
    on: s.on,
    action: s.action,
    label: STEP_LABELS[s.action] ?? s.action,
    actor: s.actor,
    note: s.note,
  }));
}

/**
 * One item: its author, the managers and readers of its org, or — once published on the board —
 * anyone whose path it is on. Everyone else gets 404.
 */
export async function getOpinion(db: Queryable, fc: FieldCrypto, scope: Scope, id: string): Promise<OpinionDetail> {
  const r = await loadRow(db, scope.tenantId, id);
  const userId = scope.principal.user.id;
  const mine = r.authorUserId === userId;
  const reader = readsOrg(scope, orgOfRow(r, scope.tenantId));
  if (!mine && !reader && !r.published) throw notFound();
  const o = await loadOrg(db, scope.tenantId, r.orgId);
  const v = view(r, o?.name ?? '', todayInChina(), userId);
  const [identity] = r.anonymous
    ? await db
        .select({ id: voiceIdentity.opinionId })
        .from(voiceIdentity)
        .where(inTenant(voiceIdentity, r.tenantId, eq(voiceIdentity.opinionId, r.id)))
    : [];
  return {
    ...(mine || reader ? v : { ...v, authorName: null, ratingComment: null }),
    steps: mine || reader ? await stepsOf(db, r.tenantId, r.id) : [],
    answerFiles: reader || r.answer ? await answerFilesOf(db, r.tenantId, r.id) : [],
    contact: reader && r.contactEnc ? fc.decrypt(r.contactEnc, voiceOpinion.contactEnc, r.id) : null,
    identityKept: Boolean(identity),
  };
}

// ---- handling -------------------------------------------------------------------

async function addStep(tx: Tx, r: Row, action: string, actor: string, note = '') {
  const [last] = await tx
    .select({ seq: sql<number>`coalesce(max(${voiceOpinionStep.seq}), 0)::int` })
    .from(voiceOpinionStep)
    .where(inTenant(voiceOpinionStep, r.tenantId, eq(voiceOpinionStep.opinionId, r.id)));
  await tx.insert(voiceOpinionStep).values({
    tenantId: r.tenantId,
    opinionId: r.id,
    seq: (last?.seq ?? 0) + 1,
    on: todayInChina(),
    action,
    actor,
    note,
  });
}

/** A handling step by a manager of the item's org, in one transaction with its audit entry. */
async function handle(
  db: Db,
  scope: Scope,
  id: string,
  action: string,
  change: (
    r: Row,
    tx: Tx,
    who: string,
  ) => Promise<{ set: Partial<Row>; note?: string; event?: Record<string, unknown> }>,
) {
  const who = await displayName(db, scope.principal);
  await db.transaction(async (tx) => {
    const r = await loadRow(tx, scope.tenantId, id, true);
    if (!managesOrg(scope, orgOfRow(r, scope.tenantId))) throw notFound();
    const { set, note, event } = await change(r, tx, who);
    await tx
      .update(voiceOpinion)
      .set(set)
      .where(byKey(voiceOpinion, r.tenantId, r.id));
    await addStep(tx, r, action, who, note);
    const pick = (x: Partial<Row>) => Object.fromEntries(Object.keys(set).map((k) => [k, x[k as keyof Row] ?? null]));
    await writeAudit(tx, scope.actor, {
      action: `voice.opinion.${action}`,
      entityType: 'voice_opinion',
      entityId: r.id,
      org: { id: (set.orgId as string | undefined) ?? r.orgId, path: (set.orgPath as string | undefined) ?? r.orgPath },
      before: pick(r),
      after: { ...set, note },
      event: { kind: `voice.opinion.${action}`, data: { opinionId: r.id, ...event } },
    });
  });
}

const open = (r: Row) => {
  if (r.status === 'closed') throw conflict('该意见建议已办结', 'VOICE_OPINION_CLOSED');
  if (r.status === 'withdrawn') throw conflict('提交人已撤回该意见建议，无需再办理', 'VOICE_OPINION_WITHDRAWN');
};

/** Users who may handle items of an org: managers whose binding covers it. */
export async function handlers(db: Queryable, tenantId: string, target: { path: string }) {
  const rows = await db
    .selectDistinct({ userId: appUser.id, username: appUser.username, displayName: appUser.displayName })
    .from(userRole)
    .innerJoin(org, onKey(org, userRole.orgId, userRole))
    .innerJoin(appUser, onKey(appUser, userRole.userId, userRole))
    .where(
      and(
        eq(userRole.tenantId, tenantId),
        inArray(userRole.role, [...RECORD_KEEPERS]),
        inArray(org.path, pathPrefixes(target.path)),
        eq(appUser.disabled, false),
      ),
    )
    .orderBy(appUser.username);
  return rows.map((r) => ({ userId: r.userId, name: r.displayName || r.username }));
}

export const assignOpinion = (db: Db, scope: Scope, id: string, input: { userId: string; note?: string | undefined }) =>
  handle(db, scope, id, 'assigned', async (r, tx, who) => {
    open(r);
    if (r.status === 'answered') throw conflict('该意见建议已答复，无需再交办', 'VOICE_OPINION_ANSWERED');
    const h = (await handlers(tx, scope.tenantId, { path: r.orgPath })).find((x) => x.userId === input.userId);
    if (!h) throw unprocessable('承办人须为该党组织或其上级党组织的管理员或书记', undefined, 'VOICE_BAD_HANDLER');
    // The handler hears of it (not when assigning to oneself), once per item and handler; the notice names the
    // org, the category and the dates, never the title or text (an e-mail or SMS copy leaves the platform).
    if (h.userId !== scope.principal.user.id) {
      const o = await loadOrg(tx, scope.tenantId, r.orgId);
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'voice.opinion.assigned',
        recipients: { users: [h.userId] },
        data: {
          orgName: o?.name ?? '',
          category: OPINION_CATEGORY_LABELS[r.category as OpinionCategory] ?? '意见建议',
          by: who,
          submittedOn: chinaDateLabel(r.submittedOn),
          dueOn: chinaDateLabel(r.dueOn),
        },
        link: `/voice/opinions/${r.id}`,
        dedupeKey: `voice.opinion.assigned:${r.id}:${h.userId}`,
      });
    }
    return {
      set: { status: 'assigned', handlerUserId: h.userId, handlerName: h.name },
      note: input.note ? `交办给 ${h.name}：${input.note}` : `交办给 ${h.name}`,
      event: { handlerUserId: h.userId },
    };
  });

export const transferOpinion = (
  db: Db,
  scope: Scope,
  id: string,
  input: { orgId: string; note?: string | undefined },
) =>
  handle(db, scope, id, 'transferred', async (r, tx) => {
    open(r);
    if (r.status === 'answered') throw conflict('该意见建议已答复，不能再转办', 'VOICE_OPINION_ANSWERED');
    const to = await loadOrg(tx, scope.tenantId, input.orgId);
    // A missing org and one outside the caller's authority answer alike, naming neither (security finding 14.13).
    if (!to || to.dissolvedAt || !isManagerOf(scope.principal, { path: to.path, tenantId: scope.tenantId }))
      throw forbidden('无权转办到该组织（或该组织不存在）');
    if (to.kind === 'group') throw unprocessable('党小组不办理意见建议，请转给党支部', undefined, 'VOICE_BAD_TARGET');
    if (to.id === r.orgId) throw unprocessable('已经在该党组织办理', undefined, 'VOICE_SAME_ORG');
    return {
      set: { orgId: to.id, orgPath: to.path, status: 'submitted', handlerUserId: null, handlerName: null },
      note: input.note ? `转办至 ${to.name}：${input.note}` : `转办至 ${to.name}`,
      event: { orgId: to.id },
    };
  });

/**
 * The anonymous author of an item hears of its answer — where that can be done without linking them to it for
 * anyone but themselves (decided for issue 20, 2026-12-02):
 * - only a member's item in the org's `sealed` mode: the platform holds the account (voice_identity) and uses it
 *   here without showing it to anyone. In `none` mode nothing is kept, and an employee's code item has no account:
 *   those submitters follow the item by 查询码 and are not told;
 * - only the platform's own inbox (`inAppOnly`): an e-mail or SMS delivery row is listed to admins and auditors in
 *   发送记录 with the masked address and the time, which would line up with the answer; no group robot;
 * - nothing else is written: no audit entry, no outbox event, no step names them; the answer's reply to the
 *   manager is the same whether or not a notice went out. The notice names no title and no text, and links to
 *   「我的建议」, where the 查询码 opens the item;
 * - the inbox row itself is readable only by its owner (GET /notifications, the live stream, their own
 *   personal-data copy). Residual: a database administrator sees the row beside voice_identity, which already
 *   holds the same link for the auditor's sealed reveal.
 */
async function tellAnonymousAuthor(tx: Tx, r: Row) {
  if (r.channel !== 'member') return;
  const [kept] = await tx
    .select({ userId: voiceIdentity.userId })
    .from(voiceIdentity)
    .where(inTenant(voiceIdentity, r.tenantId, eq(voiceIdentity.opinionId, r.id)));
  if (!kept?.userId) return;
  const o = await loadOrg(tx, r.tenantId, r.orgId);
  await notify(tx, {
    tenantId: r.tenantId,
    kind: 'voice.opinion.answered.anonymous',
    recipients: { users: [kept.userId] },
    data: { orgName: o?.name ?? '', submittedOn: chinaDateLabel(r.submittedOn) },
    link: '/voice/my?tab=mine',
    inAppOnly: true,
    dedupeKey: `voice.opinion.answered.anonymous:${r.id}`,
  });
}

export const answerOpinion = (
  db: Db,
  scope: Scope,
  id: string,
  input: { answer: string; publish?: boolean | undefined },
) =>
  handle(db, scope, id, 'answered', async (r, tx, who) => {
    open(r);
    if (input.publish && !r.allowPublic)
      throw unprocessable('提交人未同意公开，不能在公开答复栏展示', undefined, 'VOICE_NOT_PUBLIC');
    // The named author hears of it through the notice service, in this transaction. No orgId: a group
    // robot must not post it.
    if (r.authorUserId && !r.anonymous) {
      const o = await loadOrg(tx, scope.tenantId, r.orgId);
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'voice.opinion.answered',
        recipients: { users: [r.authorUserId] },
        data: { orgName: o?.name ?? '', submittedOn: chinaDateLabel(r.submittedOn) },
        link: '/voice/my?tab=mine',
        dedupeKey: `voice.opinion.answered:${r.id}`,
      });
    }
    if (r.anonymous) await tellAnonymousAuthor(tx, r);
    return {
      set: {
        status: 'answered',
        answer: input.answer,
        answeredBy: who,
        answeredOn: todayInChina(),
        ...(input.publish ? { published: true } : {}),
      },
      // Who to tell: the named author's account; an anonymous author follows by 查询码.
      event: { authorUserId: r.authorUserId },
    };
  });

export const publishOpinion = (db: Db, scope: Scope, id: string, published: boolean) =>
  handle(db, scope, id, published ? 'published' : 'unpublished', async (r) => {
    if (published && !r.allowPublic)
      throw unprocessable('提交人未同意公开，不能在公开答复栏展示', undefined, 'VOICE_NOT_PUBLIC');
    if (published && !r.answer) throw unprocessable('答复后才能公开', undefined, 'VOICE_NOT_ANSWERED');
    return { set: { published } };
  });

export const closeOpinion = (db: Db, scope: Scope, id: string, input: { note?: string | undefined }) =>
  handle(db, scope, id, 'closed', async (r) => {
    open(r);
    if (!r.answer) throw unprocessable('请先答复，再办结', undefined, 'VOICE_NOT_ANSWERED');
    return { set: { status: 'closed', closedOn: todayInChina() }, note: input.note ?? '' };
  });

/** The submitter's rating of the answer, which closes the item. */
async function rate(
  tx: Tx,
  actor: Actor,
  r: Row,
  input: { rating: number; comment?: string | undefined },
  who: string,
) {
  if (r.status === 'closed' && r.rating !== null) throw conflict('已经评价过了', 'VOICE_ALREADY_RATED');
  if (!r.answer) throw conflict('还没有答复，答复后才能评价', 'VOICE_NOT_ANSWERED');
  const today = todayInChina();
  const set = {
    rating: input.rating,
    ratingComment: input.comment ?? null,
    ratedOn: today,
    status: 'closed',
    closedOn: r.closedOn ?? today,
  };
  await tx
    .update(voiceOpinion)
    .set(set)
    .where(byKey(voiceOpinion, r.tenantId, r.id));
  await addStep(tx, r, 'rated', who, `满意度 ${input.rating}/5${input.comment ? `：${input.comment}` : ''}`);
  await writeAudit(tx, actor, {
    action: 'voice.opinion.rated',
    entityType: 'voice_opinion',
    entityId: r.id,
    org: { id: r.orgId, path: r.orgPath },
    after: { rating: input.rating },
  });
}

export async function rateMine(
  db: Db,
  scope: Scope,
  id: string,
  input: { rating: number; comment?: string | undefined },
) {
  await db.transaction(async (tx) => {
    const r = await loadRow(tx, scope.tenantId, id, true);
    if (r.authorUserId !== scope.principal.user.id) throw notFound();
    await rate(tx, scope.actor, r, input, r.authorName ?? '提交人');
  });
}

/**
 * The submitter takes an item back before it is answered: status `withdrawn` (out of the handling queues, the
 * overdue job and count, and the dashboard's 应答复), a step 「提交人撤回」, an audit entry. A named member does it
 * in the app; an anonymous member or an employee with the 查询码 — their audit entry has the anonymous or code
 * actor, as their rating does, so the entry links no account to the item. The text stays readable to the
 * handling managers, marked 已撤回 (as a withdrawn forum post stays for moderators). After an answer: 409.
 */
async function withdraw(tx: Tx, actor: Actor, r: Row, who: string) {
  if (r.status === 'withdrawn') throw conflict('该意见建议已撤回', 'VOICE_OPINION_WITHDRAWN');
  if (r.answer !== null || r.status === 'answered' || r.status === 'closed')
    throw conflict('该意见建议已经答复，不能撤回；如对答复不满意，可以在评价中说明', 'VOICE_OPINION_ANSWERED');
  await tx
    .update(voiceOpinion)
    .set({ status: 'withdrawn', closedOn: todayInChina() })
    .where(byKey(voiceOpinion, r.tenantId, r.id));
  await addStep(tx, r, 'withdrawn', who);
  await writeAudit(tx, actor, {
    action: 'voice.opinion.withdrawn',
    entityType: 'voice_opinion',
    entityId: r.id,
    org: { id: r.orgId, path: r.orgPath },
    before: { status: r.status },
    after: { status: 'withdrawn' },
  });
}

export async function withdrawMine(db: Db, scope: Scope, id: string) {
  await db.transaction(async (tx) => {
    const r = await loadRow(tx, scope.tenantId, id, true);
    if (r.authorUserId !== scope.principal.user.id) {
      // A handling manager is told why; anyone else learns nothing of the item (as for rating).
      if (readsOrg(scope, orgOfRow(r, scope.tenantId)))
        throw forbidden('只能撤回自己提交的意见建议', 'VOICE_NOT_AUTHOR');
      throw notFound();
    }
    await withdraw(tx, scope.actor, r, r.authorName ?? '提交人');
  });
}

export async function withdrawByReceipt(db: Db, receipt: string) {
  await db.transaction(async (tx) => {
    const r = await byReceipt(tx, receipt, true);
    await withdraw(
      tx,
      r.anonymous ? anonymousActor(r.tenantId) : codeActor(r.tenantId, r.authorName),
      r,
      r.anonymous ? '匿名提交人' : (r.authorName ?? '提交人'),
    );
  });
}

// ---- 查询码 (receipts) --------------------------------------------------------------

async function byReceipt(db: Queryable, receipt: string, lock = false): Promise<Row> {
  const q = db
    .select()
    .from(voiceOpinion)
    .where(eq(voiceOpinion.receiptHash, codeHash(receipt)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('查询码不正确，请核对后重试', 'VOICE_BAD_RECEIPT');
  return row;
}

/** What a 查询码 shows: the item and its answer, without anything about the org's handling people. */
export async function opinionByReceipt(db: Queryable, receipt: string) {
  const r = await byReceipt(db, receipt);
  const o = await loadOrg(db, r.tenantId, r.orgId);
  const v = view(r, o?.name ?? '', todayInChina(), null);
  return {
    ...v,
    steps: await stepsOf(db, r.tenantId, r.id),
    answerFiles: r.answer ? await answerFilesOf(db, r.tenantId, r.id) : [],
    contact: null,
    identityKept: false,
    mine: true,
  };
}

export async function rateByReceipt(db: Db, receipt: string, input: { rating: number; comment?: string | undefined }) {
  await db.transaction(async (tx) => {
    const r = await byReceipt(tx, receipt, true);
    await rate(
      tx,
      r.anonymous ? anonymousActor(r.tenantId) : codeActor(r.tenantId, r.authorName),
      r,
      input,
      r.anonymous ? '匿名提交人' : (r.authorName ?? '提交人'),
    );
  });
}

// ---- files of the answer -----------------------------------------------------------------

async function answerFilesOf(db: Queryable, tenantId: string, opinionId: string) {
  return db
    .select({
      id: voiceOpinionFile.id,
      fileName: voiceOpinionFile.fileName,
      mime: voiceOpinionFile.mime,
      size: voiceOpinionFile.size,
    })
    .from(voiceOpinionFile)
    .where(and(eq(voiceOpinionFile.tenantId, tenantId), eq(voiceOpinionFile.opinionId, opinionId)))
    .orderBy(asc(voiceOpinionFile.createdAt), asc(voiceOpinionFile.id));
}

/** Before an upload: a manager of the item's org, the item not closed, fewer than OPINION_FILE_MAX files. */
export async function checkAnswerFile(db: Queryable, scope: Scope, id: string): Promise<Row> {
  const r = await loadRow(db, scope.tenantId, id);
  if (!managesOrg(scope, orgOfRow(r, scope.tenantId))) throw notFound();
  if (r.status === 'closed') throw conflict('该意见建议已办结，不能再添加答复附件', 'VOICE_OPINION_CLOSED');
  if (r.status === 'withdrawn') throw conflict('提交人已撤回该意见建议，无需再办理', 'VOICE_OPINION_WITHDRAWN');
  const [n] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(voiceOpinionFile)
    .where(inTenant(voiceOpinionFile, r.tenantId, eq(voiceOpinionFile.opinionId, r.id)));
  if ((n?.n ?? 0) >= OPINION_FILE_MAX)
    throw unprocessable(`每条答复最多 ${OPINION_FILE_MAX} 个附件`, undefined, 'VOICE_TOO_MANY_FILES');
  return r;
}

export async function insertAnswerFile(
  db: Db,
  scope: Scope,
  r: Row,
  file: { id: string; fileName: string; mime: string; size: number; sha256: string; storageKey: string },
) {
  return db.transaction(async (tx) => {
    const [a] = await tx
      .insert(voiceOpinionFile)
      .values({
        ...file,
        tenantId: scope.tenantId,
        opinionId: r.id,
        uploadedBy: scope.principal.user.id,
        createdAt: now(),
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'voice.opinion.file.add',
      entityType: 'voice_opinion',
      entityId: r.id,
      org: orgOfRow(r, scope.tenantId),
      after: { fileId: a!.id, fileName: file.fileName, size: file.size },
    });
    return { id: a!.id, fileName: a!.fileName, mime: a!.mime, size: a!.size };
  });
}

/** For the access layer: a file reaches whoever reaches its item (the author from their own org). */
export const orgOfOpinionFile = reachedThrough(voiceOpinionFile, voiceOpinionFile.opinionId, orgOfOpinion);

const fileRow = async (db: Queryable, tenantId: string, id: string) => {
  const [f] = await db
    .select()
    .from(voiceOpinionFile)
    .where(and(eq(voiceOpinionFile.tenantId, tenantId), eq(voiceOpinionFile.id, id)));
  if (!f) throw notFound();
  return f;
};

/** A file of an answer, as getOpinion shows it: readers of the org always; the author and the board once answered. */
export async function loadAnswerFile(db: Queryable, scope: Scope, id: string) {
  const f = await fileRow(db, scope.tenantId, id);
  const r = await loadRow(db, scope.tenantId, f.opinionId);
  const reader = readsOrg(scope, orgOfRow(r, scope.tenantId));
  if (!reader && !((r.authorUserId === scope.principal.user.id || r.published) && r.answer)) throw notFound();
  return f;
}

/** The same for a 查询码 holder (an anonymous member or an employee): only files of their own item's answer. */
export async function answerFileByReceipt(db: Queryable, receipt: string, id: string) {
  const r = await byReceipt(db, receipt);
  const f = await fileRow(db, r.tenantId, id);
  if (f.opinionId !== r.id || !r.answer) throw notFound();
  return f;
}

// ---- sealed identity ------------------------------------------------------------------

/**
 * The auditor reads who submitted an anonymous item (org setting `sealed`). Each read needs a
 * reason and is written to the audit log under the auditor's name — without the identity itself.
 */
export async function revealIdentity(db: Db, fc: FieldCrypto, scope: Scope, id: string, reason: string) {
  return db.transaction(async (tx) => {
    const r = await loadRow(tx, scope.tenantId, id);
    if (!r.anonymous) throw unprocessable('该意见建议是实名提交的', undefined, 'VOICE_NOT_ANONYMOUS');
    const [row] = await tx
      .select()
      .from(voiceIdentity)
      .where(inTenant(voiceIdentity, r.tenantId, eq(voiceIdentity.opinionId, r.id)));
    if (!row)
      throw unprocessable(
        r.channel === 'code'
          ? '职工通过参与码匿名提交，平台没有其身份信息'
          : '该组织选择完全匿名，平台未保存提交人身份',
        undefined,
        'VOICE_IDENTITY_NOT_KEPT',
      );
    await writeAudit(tx, scope.actor, {
      action: 'voice.identity.read',
      entityType: 'voice_opinion',
      entityId: r.id,
      org: { id: r.orgId, path: r.orgPath },
      after: { reason },
    });
    const [u] = row.userId
      ? await tx
          .select({ username: appUser.username })
          .from(appUser)
          .where(and(eq(appUser.tenantId, scope.tenantId), eq(appUser.id, row.userId)))
      : [];
    return {
      name: fc.decrypt(row.nameEnc, voiceIdentity.nameEnc, row.opinionId),
      username: u?.username ?? null,
      reason,
    };
  });
}

// ---- export and figures ---------------------------------------------------------------

export async function exportOpinions(db: Queryable, scope: Scope, f: OpinionFilter): Promise<Buffer> {
  const today = todayInChina();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('意见建议');
  ws.columns = [
    { header: '提交日期', key: 'submittedOn', width: 12 },
    { header: '党组织', key: 'orgName', width: 24 },
    { header: '类别', key: 'category', width: 8 },
    { header: '标题', key: 'title', width: 30 },
    { header: '内容', key: 'body', width: 50 },
    { header: '提交人', key: 'author', width: 12 },
    { header: '状态', key: 'status', width: 10 },
    { header: '答复期限', key: 'dueOn', width: 12 },
    { header: '是否逾期', key: 'overdue', width: 10 },
    { header: '承办人', key: 'handlerName', width: 12 },
    { header: '答复', key: 'answer', width: 50 },
    { header: '答复日期', key: 'answeredOn', width: 12 },
    { header: '满意度', key: 'rating', width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  const where = filterWhere(scope.tenantId, scope.org.path, f, today);
  for (let page = 1; ; page++) {
    const rows = await db
      .select()
      .from(voiceOpinion)
      .where(where)
      .orderBy(...listOrder)
      .limit(500)
      .offset((page - 1) * 500);
    for (const v of await views(db, rows, null, today))
      ws.addRow({
        ...v,
        category: OPINION_CATEGORY_LABELS[v.category],
        author: v.anonymous ? '匿名' : v.authorName,
        status: OPINION_STATUS_LABELS[v.status],
        overdue: v.overdue ? '逾期' : '',
      });
    if (rows.length < 500) break;
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Open and overdue items of a subtree, and the submitters' average rating over the last 12 months. */
export async function opinionFigures(db: Queryable, tenantId: string, path: string, today = todayInChina()) {
  const [row] = await db
    .select({
      open: sql<number>`count(*) filter (where ${voiceOpinion.status} in ('submitted','assigned'))::int`,
      overdue: sql<number>`count(*) filter (where ${voiceOpinion.status} in ('submitted','assigned') and ${voiceOpinion.dueOn} < ${today})::int`,
      rated: sql<number>`count(${voiceOpinion.rating}) filter (where ${voiceOpinion.ratedOn} > ${addDays(today, -365)})::int`,
      avg: sql<
        number | null
      >`avg(${voiceOpinion.rating}) filter (where ${voiceOpinion.ratedOn} > ${addDays(today, -365)})::float8`,
    })
    .from(voiceOpinion)
    .where(and(eq(voiceOpinion.tenantId, tenantId), inSubtree(voiceOpinion.orgPath, path)));
  return {
    open: row?.open ?? 0,
    overdue: row?.overdue ?? 0,
    rated: row?.rated ?? 0,
    averageRating: row?.avg === null || row?.avg === undefined ? null : Math.round(row.avg * 10) / 10,
  };
}

/**
 * This year's 意见建议 of a subtree for the 驾驶舱, by the day they came in: received; due (answered, or past the
 * due day unanswered — an item still within its period is not yet due); answered on time (answered on or before
 * the due day); ratings given this year; unanswered past the due day now. One indexed subtree scan.
 */
export async function opinionYearFigures(db: Queryable, tenantId: string, path: string, today = todayInChina()) {
  const from = `${today.slice(0, 4)}-01-01`;
  const [row] = await db
    .select({
      received: sql<number>`count(*) filter (where ${voiceOpinion.submittedOn} >= ${from} and ${voiceOpinion.submittedOn} <= ${today})::int`,
      due: sql<number>`count(*) filter (where ${voiceOpinion.submittedOn} >= ${from} and ${voiceOpinion.submittedOn} <= ${today}
        and (${voiceOpinion.answeredOn} is not null or (${voiceOpinion.dueOn} < ${today} and ${voiceOpinion.status} <> 'withdrawn')))::int`,
      onTime: sql<number>`count(*) filter (where ${voiceOpinion.submittedOn} >= ${from} and ${voiceOpinion.submittedOn} <= ${today}
        and ${voiceOpinion.answeredOn} <= ${voiceOpinion.dueOn})::int`,
      overdue: sql<number>`count(*) filter (where ${voiceOpinion.status} in ('submitted','assigned') and ${voiceOpinion.dueOn} < ${today})::int`,
      rated: sql<number>`count(${voiceOpinion.rating}) filter (where ${voiceOpinion.ratedOn} >= ${from} and ${voiceOpinion.ratedOn} <= ${today})::int`,
      avg: sql<
        number | null
      >`avg(${voiceOpinion.rating}) filter (where ${voiceOpinion.ratedOn} >= ${from} and ${voiceOpinion.ratedOn} <= ${today})::float8`,
    })
    .from(voiceOpinion)
    .where(and(eq(voiceOpinion.tenantId, tenantId), inSubtree(voiceOpinion.orgPath, path)));
  return {
    received: row?.received ?? 0,
    due: row?.due ?? 0,
    answeredOnTime: row?.onTime ?? 0,
    overdueOpen: row?.overdue ?? 0,
    rated: row?.rated ?? 0,
    averageRating: row?.avg === null || row?.avg === undefined ? null : Math.round(row.avg * 10) / 10,
  };
}

/** The overdue items of a subtree (for the dashboard's warning list), oldest due first. */
export async function overdueOpinions(
  db: Queryable,
  tenantId: string,
  path: string,
  limit: number,
  today = todayInChina(),
) {
  const rows = await db
    .select()
    .from(voiceOpinion)
    .where(filterWhere(tenantId, path, { overdue: true }, today))
    .orderBy(asc(voiceOpinion.dueOn), asc(voiceOpinion.sortKey))
    .limit(limit);
  return views(db, rows, null, today);
}

/** A person's named items for their personal-data copy (anonymous ones are not linked to them). */
export async function opinionsOfUser(db: Queryable, tenantId: string, userId: string) {
  const rows = await db
    .select()
    .from(voiceOpinion)
    .where(and(eq(voiceOpinion.tenantId, tenantId), eq(voiceOpinion.authorUserId, userId)))
    .orderBy(...listOrder);
  return (await views(db, rows, userId)).map(({ mine: _m, ...v }) => v);
}
