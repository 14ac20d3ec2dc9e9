/**
 * 整改 (rectification): findings of 巡察, 组织生活会, 民主生活会, opinions or assessments become items with a
 * responsible org, an optional 责任人 (member), a deadline, measures, evidence files, a status and a 验收人.
 * The steps and who takes them are data (shared/supervise.ts RECTIFY_ACTIONS); so are the verifier rule and the
 * reminder days (RECTIFY_RULES). Reminders and the overdue alert go through notify (reminders.ts).
 *
 * Who reaches an item: the record readers whose binding covers its org, its 责任人 and its 验收人. Everyone else —
 * another member of the same branch included — is told it does not exist.
 */
import {
  daysBetween,
  inGroup,
  now,
  RECORD_KEEPERS,
  RECORD_READERS,
  RECTIFY_ACTIONS,
  RECTIFY_RULES,
  RECTIFY_SOURCE_LABELS,
  RECTIFY_STATUS_LABELS,
  RECTIFY_STATUSES,
  todayInChina,
  type RectifyDashboard,
  type RectifyAction,
  type RectifyActionInput,
  type RectifyBrief,
  type RectifyCounts,
  type RectifyCreateInput,
  type RectifyDetail,
  type RectifyRollup,
  type RectifySource,
  type RectifyStatus,
  type RectifyUpdateInput,
  type RectifyVerifier,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import {
  actorName,
  covers,
  loadBindings,
  loadOrgRef,
  orgThroughPart,
  type Caller,
  type OrgRef,
  type Scope,
} from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable, type Tx, onKey } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { uploadAudit, uploadedFileView, type StoredFile } from '../../platform/files';
import { countFrom, pageWhere } from '../../platform/paging';
import { appUser, org } from '../../platform/schema';
import { member, currentMembersWithin, memberOfUser, userIdsOfMembers } from '../member/service';
import { notify, type Recipients } from '../notify/service';
import { currentCommitteeOf } from '../org/service';
import {
  superviseRectification as item,
  superviseRectificationEvent as event,
  superviseRectificationFile as file,
} from './schema';

type Row = typeof item.$inferSelect;

// ---------------------------------------------------------------- access lookups

async function headOf(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ orgId: item.orgId, orgPath: org.path, ownerUserId: member.userId, verifierUserId: item.verifierUserId })
    .from(item)
    .innerJoin(org, onKey(org, item.orgId, item))
    .leftJoin(member, onKey(member, item.ownerMemberId, item))
    .where(and(eq(item.tenantId, tenantId), eq(item.id, id)));
  return row ?? null;
}

/**
 * An item for anyone with a part in it: its 责任人 and 验收人 reach it through their own binding (the 验收人 may be a
 * committee member, the 责任人 filed in a 党小组); a record reader covering its org reaches its org; anyone else: 404.
 */
export async function orgOfItemForParty(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const head = await headOf(db, tenantId, id);
  if (!head) return null;
  const party = head.ownerUserId === caller.userId || head.verifierUserId === caller.userId;
  return orgThroughPart(db, tenantId, caller, head, party, RECORD_READERS);
}

/** Editing: the item's org — its record keepers (and those above). */
export async function orgOfItem(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await headOf(db, tenantId, id))?.orgId ?? null;
}

// ---------------------------------------------------------------- views

const owner = sql<
  string | null
>`(select name from member where tenant_id = ${item.tenantId} and id = ${item.ownerMemberId})`;
const ownerUser = sql<
  string | null
>`(select user_id from member where tenant_id = ${item.tenantId} and id = ${item.ownerMemberId})`;
const verifierName = sql<string>`coalesce(nullif(${appUser.displayName}, ''), ${appUser.username})`;

const joined = (db: Queryable) =>
  db
    .select({ r: item, orgName: org.name, orgPath: org.path, ownerName: owner, ownerUserId: ownerUser, verifierName })
    .from(item)
    .innerJoin(org, onKey(org, item.orgId, item))
    .innerJoin(appUser, onKey(appUser, item.verifierUserId, item));
type Joined = {
  r: Row;
  orgName: string;
  orgPath: string;
  ownerName: string | null;
  ownerUserId: string | null;
  verifierName: string;
};

function brief(j: Joined, today: string): RectifyBrief {
  const { r } = j;
  const closed = r.status === 'closed';
  const daysLeft = daysBetween(today, r.deadline);
  return {
    id: r.id,
    orgId: r.orgId,
    orgName: j.orgName,
    sourceKind: r.sourceKind as RectifySource,
    sourceRef: r.sourceRef,
    title: r.title,
    ownerMemberId: r.ownerMemberId,
    ownerName: j.ownerName ?? j.orgName,
    deadline: r.deadline,
    verifierUserId: r.verifierUserId,
    verifierName: j.verifierName,
    status: r.status as RectifyStatus,
    overdue: !closed && daysLeft < 0,
    daysLeft,
    closedAt: r.closedAt ? r.closedAt.toISOString() : null,
  };
}

async function loadJoined(db: Queryable, tenantId: string, id: string): Promise<Joined> {
  const [row] = await joined(db).where(and(eq(item.tenantId, tenantId), eq(item.id, id)));
  if (!row) throw notFound();
  return row;
}

/** The caller's part in an item: owner side (责任人, or a keeper of the org's subtree), verifier, keeper. */
function partOf(scope: Scope, j: Joined) {
  const ref: OrgRef = { id: j.r.orgId, path: j.orgPath, tenantId: j.r.tenantId, name: j.orgName, kind: '' };
  const me = scope.principal.user.id;
  const keeper = scope.principal.bindings.some((b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, ref));
  const reader = scope.principal.bindings.some((b) => inGroup(RECORD_READERS, b.role) && covers(b.org, ref));
  const verifier = j.r.verifierUserId === me;
  // The 验收人 never works on the item they verify.
  const ownerSide = !verifier && (j.ownerUserId === me || keeper);
  return { keeper, reader, verifier, ownerSide, party: verifier || j.ownerUserId === me };
}

function allowedActions(part: ReturnType<typeof partOf>, status: RectifyStatus): RectifyAction[] {
  return (Object.keys(RECTIFY_ACTIONS) as RectifyAction[]).filter((a) => {
    const def = RECTIFY_ACTIONS[a];
    return (def.from as readonly string[]).includes(status) && (def.by === 'verifier' ? part.verifier : part.ownerSide);
  });
}

export async function getItem(db: Queryable, scope: Scope, id: string, today = todayInChina()): Promise<RectifyDetail> {
  const j = await loadJoined(db, scope.tenantId, id);
  const part = partOf(scope, j);
  if (!part.reader && !part.party) throw notFound();
  const [files, events] = await Promise.all([
    db
      .select()
      .from(file)
      .where(and(eq(file.tenantId, scope.tenantId), eq(file.itemId, id)))
      .orderBy(asc(file.uploadedAt), asc(file.id)),
    db.select().from(event).where(eq(event.itemId, id)).orderBy(asc(event.at), asc(event.id)),
  ]);
  const status = j.r.status as RectifyStatus;
  const open = status !== 'closed';
  return {
    ...brief(j, today),
    finding: j.r.finding,
    measures: j.r.measures,
    createdBy: j.r.createdBy,
    createdAt: j.r.createdAt.toISOString(),
    files: files.map(uploadedFileView),
    events: events.map((e) => ({
      action: e.action,
      label:
        e.action in RECTIFY_ACTIONS
          ? RECTIFY_ACTIONS[e.action as RectifyAction].label
          : e.action === 'create'
            ? '立项'
            : '修改',
      fromStatus: (e.fromStatus as RectifyStatus | null) ?? null,
      toStatus: e.toStatus as RectifyStatus,
      note: e.note,
      byName: e.byName,
      at: e.at.toISOString(),
    })),
    can: {
      edit: part.keeper && open,
      upload: part.ownerSide && (status === 'open' || status === 'in_progress'),
      actions: allowedActions(part, status),
    },
  };
}

// ---------------------------------------------------------------- rules checked on input

function checkDeadline(deadline: string, today: string) {
  if (deadline < today)
    throw unprocessable(
      '整改期限不能早于今天',
      [{ field: 'deadline', message: `请选择 ${today} 或以后的日期` }],
      'RECTIFY_DEADLINE_PAST',
    );
}

async function checkOwner(db: Queryable, tenantId: string, at: OrgRef, memberId: string | null | undefined) {
  if (!memberId) return;
  const inside = await currentMembersWithin(db, tenantId, [at.path], [memberId]);
  if (!inside.has(memberId))
    throw unprocessable(
      `责任人须为${at.name}（含下级组织）的在册党员`,
      [{ field: 'ownerMemberId', message: '请从本组织党员中选择' }],
      'RECTIFY_OWNER_OUT_OF_SCOPE',
    );
}

/** Why an account may verify items of `at` (RECTIFY_RULES.verifier), or null when it may not. */
async function verifierReason(db: Queryable, tenantId: string, at: OrgRef, userId: string): Promise<string | null> {
  const bindings = await loadBindings(db, tenantId, userId);
  const upper = bindings.find((b) => inGroup(RECORD_KEEPERS, b.role) && b.org.id !== at.id && covers(b.org, at));
  if (upper) return `上级党组织：${upper.org.name}`;
  const committee = await currentCommitteeOf(db, tenantId, at.id);
  const seats = (committee?.seats ?? []).filter((s) => s.memberId);
  const users = await userIdsOfMembers(
    db,
    tenantId,
    seats.map((s) => s.memberId!),
  );
  const seat = seats.find((s) => users.get(s.memberId!) === userId);
  return seat ? `${at.name}${seat.position}` : null;
}

async function checkVerifier(
  db: Queryable,
  tenantId: string,
  at: OrgRef,
  verifierUserId: string,
  ownerMemberId: string | null | undefined,
) {
  const [u] = await db
    .select({ id: appUser.id, disabled: appUser.disabled })
    .from(appUser)
    .where(and(eq(appUser.tenantId, tenantId), eq(appUser.id, verifierUserId)));
  const reason = u && !u.disabled ? await verifierReason(db, tenantId, at, verifierUserId) : null;
  if (!reason)
    throw unprocessable(
      RECTIFY_RULES.verifier.text,
      [{ field: 'verifierUserId', message: '请从可选的验收人中选择' }],
      'RECTIFY_VERIFIER_OUT_OF_SCOPE',
    );
  // The 责任人 never verifies: the member named, or — when the org itself is responsible — its own 书记 and keepers.
  const isOwner = ownerMemberId
    ? (await userIdsOfMembers(db, tenantId, [ownerMemberId])).get(ownerMemberId) === verifierUserId
    : (await loadBindings(db, tenantId, verifierUserId)).some(
        (b) => inGroup(RECORD_KEEPERS, b.role) && b.org.id === at.id,
      );
  if (isOwner)
    throw unprocessable(
      '整改责任人不能验收自己的整改，请另选验收人',
      [{ field: 'verifierUserId', message: '验收人不能是责任人' }],
      'RECTIFY_VERIFIER_IS_OWNER',
    );
}

/** The accounts that may verify items of the org in scope, with the reason each qualifies. */
export async function verifiersOf(
  db: Queryable,
  scope: Scope,
): Promise<{ items: RectifyVerifier[]; total: number; rule: string; citation: string; confirmed: boolean }> {
  const at = scope.org;
  const upper = await queryRows<{ id: string; name: string; org: string }>(
    db,
    sql`select distinct on (u.id) u.id, coalesce(nullif(u.display_name, ''), u.username) as name, o.name as org
        from user_role r join app_user u on u.tenant_id = r.tenant_id and u.id = r.user_id join org o on o.tenant_id = r.tenant_id and o.id = r.org_id
        where r.tenant_id = ${scope.tenantId} and not u.disabled and r.role = any(${sql.param([...RECORD_KEEPERS])}::text[])
          and o.id <> ${at.id} and ${at.path} like o.path || '%'
        order by u.id, length(o.path) desc`,
  );
  const committee = await currentCommitteeOf(db, scope.tenantId, at.id);
  const seats = (committee?.seats ?? []).filter((s) => s.memberId);
  const users = await userIdsOfMembers(
    db,
    scope.tenantId,
    seats.map((s) => s.memberId!),
  );
  const items: RectifyVerifier[] = upper.map((u) => ({ userId: u.id, name: u.name, why: `上级党组织：${u.org}` }));
  for (const s of seats) {
    const userId = users.get(s.memberId!);
    if (userId && !items.some((i) => i.userId === userId))
      items.push({ userId, name: s.name, why: `${at.name}${s.position}` });
  }
  const { text, citation, confirmed } = RECTIFY_RULES.verifier;
  return { items, total: items.length, rule: text, citation, confirmed };
}

// ---------------------------------------------------------------- notices

/** The owner of an item as notice recipients: the 责任人, or the responsible org's 书记. */
const ownerRecipients = (r: Row): Recipients =>
  r.ownerMemberId
    ? { members: [r.ownerMemberId] }
    : { orgRoles: [{ orgId: r.orgId, roles: ['secretary'], nearest: true }] };

const noticeData = (r: Row, orgName: string, extra: Record<string, string> = {}) => ({
  title: r.title,
  orgName,
  source: RECTIFY_SOURCE_LABELS[r.sourceKind as RectifySource] ?? r.sourceKind,
  deadline: r.deadline,
  ...extra,
});

// ---------------------------------------------------------------- writes

async function addEvent(
  tx: Tx,
  itemId: string,
  e: { action: string; fromStatus: string | null; toStatus: string; note?: string | null; byName: string },
) {
  await tx.insert(event).values({ itemId, ...e, note: e.note ?? null, at: now() });
}

/**
 * A module that raises items from its own records (assessment lines) wants at most one open item per record. The
 * check runs in the writing transaction after a lock on the source, so two requests at once cannot both pass it.
 * Hand-written items are not limited: their `sourceRef` is free text (「巡察反馈意见第 3 条」) that may repeat.
 */
async function refuseOpenFromSameSource(tx: Tx, tenantId: string, sourceKind: string, sourceRef: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`supervise.source:${tenantId}:${sourceKind}:${sourceRef}`}, 0))`,
  );
  const [open] = await tx
    .select({ title: item.title })
    .from(item)
    .where(
      and(
        eq(item.tenantId, tenantId),
        eq(item.sourceKind, sourceKind),
        eq(item.sourceRef, sourceRef),
        sql`${item.status} <> 'closed'`,
      ),
    )
    .limit(1);
  if (open) throw conflict(`已据此下达整改事项「${open.title}」，尚未销号`, 'RECTIFY_SOURCE_OPEN');
}

export async function createItem(
  db: Db,
  scope: Scope,
  input: RectifyCreateInput,
  today = todayInChina(),
  opts: { oneOpenPerSourceRef?: boolean } = {},
): Promise<RectifyDetail> {
  const at = scope.org;
  checkDeadline(input.deadline, today);
  await checkOwner(db, scope.tenantId, at, input.ownerMemberId);
  await checkVerifier(db, scope.tenantId, at, input.verifierUserId, input.ownerMemberId);
  const byName = actorName(scope);
  const id = await db.transaction(async (tx) => {
    if (opts.oneOpenPerSourceRef && input.sourceRef)
      await refuseOpenFromSameSource(tx, scope.tenantId, input.sourceKind, input.sourceRef);
    const [r] = await tx
      .insert(item)
      .values({
        tenantId: scope.tenantId,
        orgId: at.id,
        sourceKind: input.sourceKind,
        sourceRef: input.sourceRef || null,
        title: input.title,
        finding: input.finding,
        measures: input.measures,
        ownerMemberId: input.ownerMemberId ?? null,
        deadline: input.deadline,
        verifierUserId: input.verifierUserId,
        status: 'open',
        createdBy: byName,
        createdAt: now(),
      })
      .returning();
    await addEvent(tx, r!.id, { action: 'create', fromStatus: null, toStatus: 'open', byName });
    await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'supervise.rectify.assigned',
      recipients: ownerRecipients(r!),
      data: noticeData(r!, at.name),
      link: `/supervise/rectify?item=${r!.id}`,
      orgId: at.id,
      dedupeKey: `supervise.rectify.assigned:${r!.id}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'supervise.rectify.create',
      entityType: 'supervise_rectification',
      entityId: r!.id,
      org: at,
      after: { ...input },
    });
    return r!.id;
  });
  return getItem(db, scope, id, today);
}

export async function updateItem(
  db: Db,
  scope: Scope,
  id: string,
  input: RectifyUpdateInput,
  today = todayInChina(),
): Promise<RectifyDetail> {
  const j = await loadJoined(db, scope.tenantId, id);
  if (j.r.status === 'closed') throw conflict('该整改事项已销号，不能再修改', 'RECTIFY_CLOSED');
  const at = await loadOrgRef(db, scope.tenantId, j.r.orgId);
  if (!at) throw notFound();
  if (input.deadline !== undefined && input.deadline !== j.r.deadline) checkDeadline(input.deadline, today);
  const ownerMemberId = input.ownerMemberId !== undefined ? input.ownerMemberId : j.r.ownerMemberId;
  if (input.ownerMemberId !== undefined) await checkOwner(db, scope.tenantId, at, input.ownerMemberId);
  if (input.verifierUserId !== undefined || input.ownerMemberId !== undefined)
    await checkVerifier(db, scope.tenantId, at, input.verifierUserId ?? j.r.verifierUserId, ownerMemberId);
  const changes = Object.fromEntries(
    Object.entries(input).filter(([k, v]) => v !== undefined && v !== (j.r as Record<string, unknown>)[k]),
  );
  if (Object.keys(changes).length === 0) return getItem(db, scope, id, today);
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, (j.r as Record<string, unknown>)[k]]));
  const byName = actorName(scope);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(item)
      .set({ ...changes, sourceRef: input.sourceRef === undefined ? j.r.sourceRef : input.sourceRef || null })
      .where(and(eq(item.tenantId, scope.tenantId), eq(item.id, id), sql`${item.status} <> 'closed'`))
      .returning({ id: item.id });
    if (done.length === 0) throw conflict('该整改事项已销号，不能再修改', 'RECTIFY_CLOSED');
    const labels: Record<string, string> = {
      deadline: '期限',
      measures: '整改措施',
      finding: '问题描述',
      title: '标题',
      ownerMemberId: '责任人',
      verifierUserId: '验收人',
      sourceKind: '来源',
      sourceRef: '来源说明',
    };
    await addEvent(tx, id, {
      action: 'edit',
      fromStatus: j.r.status,
      toStatus: j.r.status,
      note: `修改了${Object.keys(changes)
        .map((k) => labels[k] ?? k)
        .join('、')}`,
      byName,
    });
    await writeAudit(tx, scope.actor, {
      action: 'supervise.rectify.update',
      entityType: 'supervise_rectification',
      entityId: id,
      org: at,
      before,
      after: changes,
    });
  });
  return getItem(db, scope, id, today);
}

export async function act(
  db: Db,
  scope: Scope,
  id: string,
  input: RectifyActionInput,
  today = todayInChina(),
): Promise<RectifyDetail> {
  const j = await loadJoined(db, scope.tenantId, id);
  const part = partOf(scope, j);
  if (!part.reader && !part.party) throw notFound();
  const def = RECTIFY_ACTIONS[input.action];
  const status = j.r.status as RectifyStatus;
  if (def.by === 'verifier' && !part.verifier)
    throw forbidden(`只有本事项的验收人可以${def.label}`, 'RECTIFY_NOT_VERIFIER');
  if (def.by === 'owner' && !part.ownerSide)
    throw forbidden(
      part.verifier ? '验收人不能办理自己验收的整改事项' : `只有整改责任人或本组织书记、管理员可以${def.label}`,
      'RECTIFY_NOT_OWNER',
    );
  if (!(def.from as readonly string[]).includes(status))
    throw conflict(`当前状态为「${RECTIFY_STATUS_LABELS[status]}」，不能${def.label}`, 'RECTIFY_BAD_TRANSITION');
  if (def.needsNote && !input.note)
    throw unprocessable(
      input.action === 'return' ? '退回须说明理由' : '请填写整改情况说明',
      [{ field: 'note', message: '请填写说明' }],
      'RECTIFY_NOTE_REQUIRED',
    );
  if (def.needsEvidence) {
    const [n] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(file)
      .where(and(eq(file.tenantId, scope.tenantId), eq(file.itemId, id)));
    if ((n?.n ?? 0) === 0) throw unprocessable(RECTIFY_RULES.evidence.text, undefined, 'RECTIFY_EVIDENCE_REQUIRED');
  }
  const byName = actorName(scope);
  const at = await loadOrgRef(db, scope.tenantId, j.r.orgId);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(item)
      .set({ status: def.to, closedAt: def.to === 'closed' ? now() : null })
      .where(and(eq(item.id, id), eq(item.status, status)))
      .returning({ id: item.id });
    if (done.length === 0) throw conflict('该整改事项刚被其他人处理过，请刷新后再试', 'RECTIFY_BAD_TRANSITION');
    await addEvent(tx, id, { action: input.action, fromStatus: status, toStatus: def.to, note: input.note, byName });
    const link = `/supervise/rectify?item=${id}`;
    const data = noticeData(j.r, j.orgName, { by: byName, note: input.note ?? '' });
    const at_ = now().toISOString();
    if (input.action === 'submit')
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'supervise.rectify.submitted',
        recipients: { users: [j.r.verifierUserId] },
        data,
        link,
        orgId: j.r.orgId,
        dedupeKey: `supervise.rectify.submitted:${id}:${at_}`,
      });
    if (input.action === 'return' || input.action === 'accept')
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: input.action === 'return' ? 'supervise.rectify.returned' : 'supervise.rectify.closed',
        recipients: ownerRecipients(j.r),
        data,
        link,
        orgId: j.r.orgId,
        dedupeKey: `supervise.rectify.${input.action}:${id}:${at_}`,
      });
    await writeAudit(tx, scope.actor, {
      action: `supervise.rectify.${input.action}`,
      entityType: 'supervise_rectification',
      entityId: id,
      org: at ?? scope.org,
      before: { status },
      after: { status: def.to, note: input.note ?? null },
    });
  });
  return getItem(db, scope, id, today);
}

/** Records an evidence file the route stored (it is removed again if this refuses). */
export async function addFile(db: Db, scope: Scope, id: string, stored: StoredFile) {
  const j = await loadJoined(db, scope.tenantId, id);
  const part = partOf(scope, j);
  if (!part.reader && !part.party) throw notFound();
  if (j.r.status === 'closed') throw conflict('该整改事项已销号，不能再上传材料', 'RECTIFY_CLOSED');
  if (j.r.status === 'pending_check')
    throw conflict('整改事项待验收，验收人退回后才能补充材料', 'RECTIFY_BAD_TRANSITION');
  if (!part.ownerSide) throw forbidden('只有整改责任人或本组织书记、管理员可以上传佐证材料', 'RECTIFY_NOT_OWNER');
  const byName = actorName(scope);
  return db.transaction(async (tx) => {
    const [f] = await tx
      .insert(file)
      .values({ ...stored, tenantId: scope.tenantId, itemId: id, uploadedBy: byName, uploadedAt: now() })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'supervise.rectify.file',
      entityType: 'supervise_rectification',
      entityId: id,
      org: scope.org,
      after: uploadAudit(f!),
    });
    return uploadedFileView(f!);
  });
}

export async function loadFile(db: Queryable, scope: Scope, id: string, fileId: string) {
  await getItem(db, scope, id);
  const [f] = await db
    .select()
    .from(file)
    .where(and(eq(file.tenantId, scope.tenantId), eq(file.itemId, id), eq(file.id, fileId)));
  if (!f) throw notFound();
  return f;
}

// ---------------------------------------------------------------- lists and roll-up

export type ListFilter = { status?: RectifyStatus; overdue?: boolean; sourceKind?: RectifySource };

const overdueSql = (today: string) => sql`(${item.status} <> 'closed' and ${item.deadline} < ${today}::date)`;
const listOrder = [sql`${item.status} = 'closed'`, asc(item.deadline), asc(item.id)];

async function page(db: Queryable, where: SQL | undefined, today: string, pageNo: number, pageSize: number) {
  return pageWhere(
    joined(db).$dynamic(),
    countFrom(db, item).innerJoin(org, onKey(org, item.orgId, item)),
    where,
    listOrder,
    pageNo,
    pageSize,
    (r) => brief(r, today),
  );
}

/** Items of the org subtree in scope; open ones first, by deadline. */
export async function listItems(
  db: Queryable,
  scope: Scope,
  f: ListFilter,
  pageNo: number,
  pageSize: number,
  today = todayInChina(),
) {
  const conds: SQL[] = [eq(item.tenantId, scope.tenantId), sql`${org.path} like ${`${scope.org.path}%`}`];
  if (f.status) conds.push(eq(item.status, f.status));
  if (f.sourceKind) conds.push(eq(item.sourceKind, f.sourceKind));
  if (f.overdue) conds.push(overdueSql(today));
  return page(db, and(...conds), today, pageNo, pageSize);
}

/** Items the signed-in person is 责任人 or 验收人 of. */
export async function myItems(db: Queryable, scope: Scope, pageNo: number, pageSize: number, today = todayInChina()) {
  const me = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  const mine = or(eq(item.verifierUserId, scope.principal.user.id), me ? eq(item.ownerMemberId, me.id) : undefined);
  return page(db, and(eq(item.tenantId, scope.tenantId), mine), today, pageNo, pageSize);
}

const rate = (closed: number, total: number) => (total ? Math.round((closed / total) * 1000) / 10 : null);

/** Counts by status, overdue and the closure rate of the org's subtree, and of each org directly below it. */
/** The items of a subtree counted by the path of their org, status and whether overdue on `today` (one query). */
export async function rectifyCountsByPath(db: Queryable, tenantId: string, rootPath: string, today = todayInChina()) {
  return queryRows<{ path: string; status: RectifyStatus; overdue: boolean; n: number }>(
    db,
    sql`select o.path, i.status, (i.status <> 'closed' and i.deadline < ${today}::date) as overdue, count(*)::int as n
        from supervise_rectification i join org o on o.tenant_id = i.tenant_id and o.id = i.org_id
        where i.tenant_id = ${tenantId} and o.path like ${`${rootPath}%`}
        group by 1, 2, 3`,
  );
}

export async function rollup(
  db: Queryable,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  today = todayInChina(),
): Promise<RectifyRollup> {
  const rows = await rectifyCountsByPath(db, scope.tenantId, scope.org.path, today);
  const count = (prefix: string): RectifyCounts => {
    const c = { total: 0, open: 0, in_progress: 0, pending_check: 0, closed: 0, overdue: 0 };
    for (const r of rows.filter((x) => x.path.startsWith(prefix))) {
      c.total += r.n;
      if ((RECTIFY_STATUSES as readonly string[]).includes(r.status)) c[r.status] += r.n;
      if (r.overdue) c.overdue += r.n;
    }
    return { ...c, closureRate: rate(c.closed, c.total) };
  };
  const children = await db
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), eq(org.parentId, scope.org.id), sql`${org.dissolvedAt} is null`))
    .orderBy(org.sortOrder, org.path);
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    today,
    ...count(scope.org.path),
    children: children.map((c) => ({ orgId: c.id, orgName: c.name, ...count(c.path) })),
  };
}

/**
 * The 驾驶舱's 整改 figure (the module's dashboard part): the subtree's items not yet 销号 and of those the ones past
 * their deadline on `today` — the same counts as the roll-up and the ledger's 逾期 filter.
 */
export async function rectifyDashboard(
  db: Queryable,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  today = todayInChina(),
): Promise<RectifyDashboard> {
  const rows = await rectifyCountsByPath(db, scope.tenantId, scope.org.path, today);
  const sum = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((n, r) => n + r.n, 0);
  const total = sum(() => true);
  const closed = sum((r) => r.status === 'closed');
  return {
    today,
    total,
    open: total - closed,
    pendingCheck: sum((r) => r.status === 'pending_check'),
    overdue: sum((r) => r.overdue),
    closed,
    closureRate: rate(closed, total),
    note: `本组织及下级组织的整改事项：未销号的（待整改、整改中、待验收）及其中截至 ${today} 已过整改期限的；销号率 = 已销号 ÷ 全部`,
  };
}

/**
 * The items another module raised from its own records (`sourceKind` and a `sourceRef` it chose that starts with
 * `refPrefix`, e.g. 考核's `/assess?plan=…&unit=…&item=`), newest first: for that module to show their status.
 */
export async function itemsFromSource(
  db: Queryable,
  tenantId: string,
  sourceKind: RectifySource,
  refPrefix: string,
  today = todayInChina(),
) {
  const rows = await joined(db)
    .where(
      and(
        eq(item.tenantId, tenantId),
        eq(item.sourceKind, sourceKind),
        sql`${item.sourceRef} like ${`${refPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
      ),
    )
    .orderBy(sql`${item.createdAt} desc`, asc(item.id));
  return rows.map((r) => brief(r, today));
}

// ---------------------------------------------------------------- reminders (run by the scheduler)

/**
 * Every item not closed whose deadline is within the largest reminder horizon or past: the owner hears at each
 * of RECTIFY_RULES.reminders.daysBefore (once each), and once overdue the owner and the 验收人 get the overdue
 * alert (once per deadline — a new deadline set by editing starts again).
 */
export async function rectifyReminders(db: Db, today = todayInChina()) {
  const horizon = Math.max(...RECTIFY_RULES.reminders.daysBefore);
  const rows = await joined(db)
    .where(
      and(inArray(item.status, ['open', 'in_progress']), sql`${item.deadline} <= (${today}::date + ${horizon}::int)`),
    )
    .orderBy(asc(item.deadline), asc(item.id));
  let sent = 0;
  await db.transaction(async (tx) => {
    for (const j of rows) {
      const days = daysBetween(today, j.r.deadline);
      const overdue = days < 0;
      const stage = overdue
        ? 'overdue'
        : `d${[...RECTIFY_RULES.reminders.daysBefore].sort((a, b) => a - b).find((d) => days <= d)}`;
      const recipients = ownerRecipients(j.r);
      const res = await notify(tx, {
        tenantId: j.r.tenantId,
        kind: overdue ? 'supervise.rectify.overdue' : 'supervise.rectify.due',
        recipients: overdue ? { ...recipients, users: [j.r.verifierUserId] } : recipients,
        data: noticeData(j.r, j.orgName, {
          due: overdue ? `已逾期 ${-days} 天` : days === 0 ? '今天到期' : `还有 ${days} 天到期`,
        }),
        link: `/supervise/rectify?item=${j.r.id}`,
        orgId: j.r.orgId,
        urgent: overdue,
        dedupeKey: `supervise.rectify:${j.r.id}:${j.r.deadline}:${stage}`,
      });
      sent += res.notified;
    }
  });
  return { items: rows.length, sent };
}

// ---------------------------------------------------------------- personal data (PIPL copy)

/** The items a member is 责任人 of, with their steps and evidence file names. */
export async function personalRectifications(db: Queryable, tenantId: string, memberId: string) {
  const rows = await joined(db)
    .where(and(eq(item.tenantId, tenantId), eq(item.ownerMemberId, memberId)))
    .orderBy(asc(item.createdAt));
  const ids = rows.map((r) => r.r.id);
  const [files, events] = ids.length
    ? await Promise.all([
        db.select().from(file).where(inArray(file.itemId, ids)),
        db.select().from(event).where(inArray(event.itemId, ids)).orderBy(asc(event.at)),
      ])
    : [[], []];
  return rows.map(({ r, orgName, verifierName: v }) => ({
    title: r.title,
    source: RECTIFY_SOURCE_LABELS[r.sourceKind as RectifySource] ?? r.sourceKind,
    sourceRef: r.sourceRef,
    orgName,
    finding: r.finding,
    measures: r.measures,
    deadline: r.deadline,
    status: RECTIFY_STATUS_LABELS[r.status as RectifyStatus] ?? r.status,
    verifier: v,
    closedAt: r.closedAt?.toISOString() ?? null,
    files: files
      .filter((f) => f.itemId === r.id)
      .map((f) => ({ fileName: f.fileName, uploadedAt: f.uploadedAt.toISOString() })),
    steps: events
      .filter((e) => e.itemId === r.id)
      .map((e) => ({
        action: e.action,
        to: RECTIFY_STATUS_LABELS[e.toStatus as RectifyStatus] ?? e.toStatus,
        note: e.note,
        by: e.byName,
        at: e.at.toISOString(),
      })),
  }));
}
