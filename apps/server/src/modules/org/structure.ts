/**
 * Changing the tree (edit, move with subtree, dissolve or merge), committee terms and
 * elections, and the structure warnings org departments check (换届逾期, too few members, …).
 */
import {
  ALLOWED_CHILD_KINDS,
  COMMITTEE_POSITIONS,
  COMMITTEE_SIZE,
  ELECTION_CITATION,
  evaluateElection,
  ORG_KIND_LABELS,
  STRUCTURE_RULES,
  TERM_CITATION,
  TERM_POSTPONE,
  TERM_YEARS,
  TERM_YEARS_ALLOWED,
  termEnd,
  termYearsLabel,
  addMonths,
  inGroup,
  RECORD_KEEPERS,
  type TermPostponeInput,
  todayInChina,
  type ElectionInput,
  type OrgKind,
  now,
  ORG_ADMINS,
} from '@xianfeng/shared';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { assertCoversAll, covers, inSubtree, loadOrgRef, type OrgRef, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { pageOf } from '../../platform/paging';
import { org } from '../../platform/schema';
import {
  countActiveMembers,
  countBranchMembers,
  currentMembersWithin,
  moveAllMembers,
  notFullMembers,
} from '../member/service';
import { committeeMember, orgElection, orgTerm } from './schema';
import { getOrg, type OrgView } from './service';

function assertChildKind(parent: { kind: string; name: string }, kind: string) {
  const allowed = ALLOWED_CHILD_KINDS[parent.kind as OrgKind];
  if (!allowed.includes(kind as OrgKind))
    throw unprocessable(
      `「${parent.name}」（${ORG_KIND_LABELS[parent.kind as OrgKind]}）下不能设立${ORG_KIND_LABELS[kind as OrgKind]}`,
      undefined,
      'ORG_KIND_NOT_ALLOWED',
    );
}

export async function updateOrg(
  db: Db,
  scope: Scope,
  patch: Partial<Omit<OrgView, 'id' | 'parentId' | 'kind' | 'path' | 'depth' | 'childCount'>>,
) {
  return db.transaction(async (tx) => {
    const before = await getOrg(tx, scope.tenantId, scope.org.id);
    if (patch.name && patch.name !== before.name && before.parentId) {
      const [dup] = await tx
        .select({ id: org.id })
        .from(org)
        .where(
          and(
            eq(org.tenantId, scope.tenantId),
            eq(org.parentId, before.parentId),
            eq(org.name, patch.name),
            isNull(org.dissolvedAt),
          ),
        );
      if (dup) throw conflict(`同级已有名为「${patch.name}」的组织`, 'ORG_NAME_TAKEN');
    }
    await tx
      .update(org)
      .set({ ...patch, updatedAt: now() })
      .where(and(eq(org.tenantId, scope.tenantId), eq(org.id, scope.org.id)));
    const after = await getOrg(tx, scope.tenantId, scope.org.id);
    await writeAudit(tx, scope.actor, {
      action: 'org.update',
      entityType: 'org',
      entityId: after.id,
      org: scope.org,
      before,
      after,
    });
    return after;
  });
}

/** Moves an org with its whole subtree: one UPDATE rewrites the path prefix of every descendant. */
export async function moveOrg(db: Db, scope: Scope, newParentId: string) {
  const moving = scope.org;
  const [dest] = await assertCoversAll(db, scope, ORG_ADMINS, [newParentId]);
  const depthOf = (path: string) => path.split('/').length - 2;
  if (depthOf(moving.path) === 1) throw badRequest('不能移动最上级党组织', undefined, 'ORG_IS_ROOT');
  if (dest!.path.startsWith(moving.path))
    throw badRequest('不能把组织移到它自己或它的下级组织之下', undefined, 'ORG_MOVE_CYCLE');
  assertChildKind(dest!, moving.kind);
  const ownSegment = moving.path.slice(moving.path.slice(0, -1).lastIndexOf('/') + 1);
  const newPath = `${dest!.path}${ownSegment}`;
  const delta = depthOf(newPath) - depthOf(moving.path);
  return db.transaction(async (tx) => {
    const before = await getOrg(tx, scope.tenantId, moving.id);
    await tx
      .update(org)
      .set({
        path: sql`${newPath} || substr(${org.path}, ${moving.path.length + 1})`,
        depth: sql`${org.depth} + ${delta}`,
        updatedAt: now(),
      })
      .where(and(eq(org.tenantId, scope.tenantId), inSubtree(org.path, moving.path)));
    await tx.update(org).set({ parentId: dest!.id }).where(eq(org.id, moving.id));
    const after = await getOrg(tx, scope.tenantId, moving.id);
    await writeAudit(tx, scope.actor, {
      action: 'org.move',
      entityType: 'org',
      entityId: moving.id,
      org: { id: moving.id, path: newPath },
      before,
      after,
    });
    return after;
  });
}

/** Dissolves an empty org, or merges it into another (members and sub-orgs move there first). */
export async function dissolveOrg(db: Db, scope: Scope, input: { reason: string; mergeIntoId?: string | undefined }) {
  const target = scope.org;
  if (target.path.split('/').length === 3) throw badRequest('不能撤销最上级党组织', undefined, 'ORG_IS_ROOT');
  const into = input.mergeIntoId ? (await assertCoversAll(db, scope, ORG_ADMINS, [input.mergeIntoId]))[0]! : null;
  if (into && (into.id === target.id || into.path.startsWith(target.path)))
    throw badRequest('不能合并到自身或自己的下级组织', undefined, 'ORG_MERGE_CYCLE');
  return db.transaction(async (tx) => {
    const children = await tx
      .select({ id: org.id, kind: org.kind, name: org.name })
      .from(org)
      .where(and(eq(org.parentId, target.id), isNull(org.dissolvedAt)));
    const members = await countActiveMembers(tx, scope.tenantId, target.id);
    if (!into && (children.length > 0 || members > 0))
      throw conflict(
        `「${target.name}」还有 ${children.length} 个下级组织、${members} 名党员，须先转出或选择合并到其他组织`,
        'ORG_NOT_EMPTY',
      );
    let movedMembers = 0;
    if (into) {
      if (members > 0 && !['branch', 'group'].includes(into.kind))
        throw unprocessable('党员只能并入党支部或党小组', undefined, 'ORG_CANNOT_HOLD_MEMBERS');
      for (const child of children) assertChildKind(into, child.kind);
      movedMembers = await moveAllMembers(tx, scope.tenantId, target.id, into.id);
      for (const child of children) {
        const ref = (await loadOrgRef(tx, scope.tenantId, child.id))!;
        const seg = ref.path.slice(target.path.length);
        await tx
          .update(org)
          .set({
            path: sql`${into.path + seg} || substr(${org.path}, ${ref.path.length + 1})`,
            depth: sql`${org.depth} + ${into.path.split('/').length - target.path.split('/').length}`,
          })
          .where(and(eq(org.tenantId, scope.tenantId), inSubtree(org.path, ref.path)));
        await tx.update(org).set({ parentId: into.id }).where(eq(org.id, child.id));
      }
    }
    await tx.update(org).set({ dissolvedAt: now() }).where(eq(org.id, target.id));
    await writeAudit(tx, scope.actor, {
      action: into ? 'org.merge' : 'org.dissolve',
      entityType: 'org',
      entityId: target.id,
      org: target,
      after: { reason: input.reason, mergeIntoId: into?.id ?? null, movedMembers, movedOrgs: children.length },
    });
    return { dissolved: true, movedMembers, movedOrgs: children.length };
  });
}

/**
 * Committee members and candidates linked to a member record must be current members of this org's
 * subtree (issue 14 item 13: any member id of the tenant, or of another tenant, was accepted). Every other
 * id answers alike, naming only the row, so the check tells nothing about members elsewhere.
 */
async function assertOwnMembers(
  db: Queryable,
  scope: Scope,
  people: { memberId?: string | null | undefined }[],
  field: string,
  label: string,
) {
  const ids = [...new Set(people.map((p) => p.memberId).filter((x): x is string => !!x))];
  const ok = await currentMembersWithin(db, scope.tenantId, [scope.org.path], ids);
  const bad = people.flatMap((p, i) => (p.memberId && !ok.has(p.memberId) ? [i] : []));
  if (bad.length)
    throw unprocessable(
      `第 ${bad[0]! + 1} 位${label}不是本组织的党员，不能关联`,
      bad.map((i) => ({ field: `${field}.${i}.memberId`, message: '须为本组织（含下级组织）的在册党员' })),
      'NOT_OWN_MEMBER',
    );
  // 预备党员 have no right to be elected (党章 第七条): a committee member or candidate is a 正式党员.
  const probationary = await notFullMembers(db, scope.tenantId, ids);
  const notFull = people.flatMap((p, i) => (p.memberId && probationary.has(p.memberId) ? [i] : []));
  if (notFull.length)
    throw unprocessable(
      `第 ${notFull[0]! + 1} 位${label}是预备党员，预备党员没有被选举权（${ELECTION_CITATION.voters}）`,
      notFull.map((i) => ({ field: `${field}.${i}.memberId`, message: '须为正式党员' })),
      'NOT_FULL_MEMBER',
    );
}

export async function recordElection(db: Db, scope: Scope, input: ElectionInput) {
  if (input.heldOn > todayInChina()) throw unprocessable('选举日期不能晚于今天', undefined, 'DATE_IN_FUTURE');
  await assertOwnMembers(db, scope, input.candidates, 'candidates', '候选人');
  const full =
    scope.org.kind === 'branch'
      ? ((await countBranchMembers(db, scope.tenantId, [scope.org.id])).get(scope.org.id)?.full ?? 0)
      : null;
  if (input.secretaryOnly && (full === null || full >= STRUCTURE_RULES.committeeAtFullMembers.value || input.seats > 2))
    throw unprocessable(
      '只有不设支部委员会的党支部（正式党员不足 7 人）选举书记、副书记时才可等额选举；选举委员须差额选举',
      [{ field: 'secretaryOnly', message: '不适用' }],
      'MARGIN_REQUIRED',
    );
  if (full !== null) {
    // A branch's 党员大会 elects: those with a vote are its 正式党员 (including its 党小组), no more.
    if (input.dueVoters > full)
      throw unprocessable(
        `应到会有选举权人数（${input.dueVoters}）不能多于本支部的正式党员人数（${full}）；预备党员没有选举权`,
        [{ field: 'dueVoters', message: `不能多于 ${full}` }],
        'TOO_MANY_VOTERS',
      );
  }
  const result = evaluateElection(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(orgElection)
      .values({ tenantId: scope.tenantId, orgId: scope.org.id, ...input, candidates: input.candidates, result })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'org.election',
      entityType: 'org_election',
      entityId: row!.id,
      org: scope.org,
      after: { ...input, result },
    });
    return { id: row!.id, ...result };
  });
}

export type TermInput = {
  startsOn: string;
  termYears?: number | undefined;
  electionId?: string | undefined;
  members: { name: string; memberId?: string | null | undefined; position: (typeof COMMITTEE_POSITIONS)[number] }[];
};

export async function startTerm(db: Db, scope: Scope, input: TermInput) {
  const years = input.termYears ?? TERM_YEARS[scope.org.kind as OrgKind];
  if (!years) throw unprocessable(`${ORG_KIND_LABELS[scope.org.kind as OrgKind]}不设委员会任期`, undefined, 'NO_TERMS');
  const allowed = TERM_YEARS_ALLOWED[scope.org.kind as OrgKind];
  if (!allowed.includes(years))
    throw unprocessable(
      `${ORG_KIND_LABELS[scope.org.kind as OrgKind]}每届任期为${allowed.map((y) => termYearsLabel(scope.org.kind as OrgKind, y)).join('或')}，不能登记 ${years} 年（依据：${TERM_CITATION}）`,
      [{ field: 'termYears', message: `任期须为 ${allowed.join(' 或 ')} 年` }],
      'TERM_YEARS',
    );
  if (input.members.filter((m) => m.position === '书记').length > 1)
    throw unprocessable('一届委员会只能有一名书记', undefined, 'TWO_SECRETARIES');
  await assertOwnMembers(db, scope, input.members, 'members', '委员');
  return db.transaction(async (tx) => {
    if (input.electionId) {
      const [e] = await tx
        .select({ id: orgElection.id })
        .from(orgElection)
        .where(and(eq(orgElection.id, input.electionId), eq(orgElection.orgId, scope.org.id)));
      if (!e) throw notFound('选举记录不存在');
    }
    const [term] = await tx
      .insert(orgTerm)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        startsOn: input.startsOn,
        termYears: years,
        endsOn: termEnd(input.startsOn, years),
        electionId: input.electionId ?? null,
      })
      .returning();
    if (input.members.length)
      await tx.insert(committeeMember).values(
        input.members.map((m) => ({
          tenantId: scope.tenantId,
          orgId: scope.org.id,
          termId: term!.id,
          memberId: m.memberId ?? null,
          name: m.name,
          position: m.position,
        })),
      );
    await writeAudit(tx, scope.actor, {
      action: 'org.term',
      entityType: 'org_term',
      entityId: term!.id,
      org: scope.org,
      after: { ...input, termYears: years },
    });
    return term!;
  });
}

/**
 * Records the org above's approval to hold the 换届 later than the term's end (TERM_POSTPONE): by at most a year,
 * approved by someone whose binding is strictly above the org (the org's own secretary cannot postpone its own
 * election), and only for the current term. A second approval replaces the first within the same one-year bound.
 */
export async function postponeTerm(db: Db, scope: Scope, input: TermPostponeInput) {
  const approver = scope.principal.bindings.find(
    (b) =>
      b.role === 'admin' ||
      (inGroup(RECORD_KEEPERS, b.role) && b.org.path !== scope.org.path && covers(b.org, scope.org)),
  );
  if (!approver)
    throw forbidden(
      `延期换届须报上级党组织批准，由上级党组织登记（依据：${TERM_POSTPONE.citation}）`,
      'NEEDS_HIGHER_APPROVAL',
    );
  return db.transaction(async (tx) => {
    const [term] = await tx
      .select()
      .from(orgTerm)
      .where(and(eq(orgTerm.tenantId, scope.tenantId), eq(orgTerm.orgId, scope.org.id)))
      .orderBy(desc(orgTerm.startsOn))
      .limit(1)
      .for('update');
    if (!term) throw unprocessable('尚未登记委员会任期，无需延期换届', undefined, 'NO_TERM');
    const latest = addMonths(term.endsOn, TERM_POSTPONE.maxMonths);
    const field = (f: string, message: string, code: string) => unprocessable(message, [{ field: f, message }], code);
    if (input.until <= term.endsOn)
      throw field('until', `延期至的日期须晚于本届任期届满日 ${term.endsOn}`, 'POSTPONE_NOT_LATER');
    if (input.until > latest)
      throw field(
        'until',
        `延期换届一般不超过 1 年：本届任期 ${term.endsOn} 届满，最迟延期至 ${latest}（依据：${TERM_POSTPONE.citation}）`,
        'POSTPONE_TOO_LONG',
      );
    if (input.approvedOn > todayInChina()) throw field('approvedOn', '批准日期不能晚于今天', 'APPROVED_IN_FUTURE');
    const postponement = {
      approvedOn: input.approvedOn,
      documentNo: input.documentNo,
      reason: input.reason,
      approvedBy: scope.actor.username,
      approverOrg: approver.org.id,
    };
    const [row] = await tx
      .update(orgTerm)
      .set({ postponedTo: input.until, postponement })
      .where(eq(orgTerm.id, term.id))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'org.term.postpone',
      entityType: 'org_term',
      entityId: term.id,
      org: scope.org,
      before: { postponedTo: term.postponedTo, postponement: term.postponement },
      after: { postponedTo: input.until, postponement },
    });
    return { id: row!.id, endsOn: row!.endsOn, postponedTo: row!.postponedTo, electionDueOn: row!.electionDueOn };
  });
}

/** The current term (latest start) with its members, the term history, and whether 换届 is overdue. */
export async function getCommittee(db: Queryable, scope: Scope) {
  const terms = await db
    .select()
    .from(orgTerm)
    .where(and(eq(orgTerm.tenantId, scope.tenantId), eq(orgTerm.orgId, scope.org.id)))
    .orderBy(desc(orgTerm.startsOn))
    .limit(20);
  const current = terms[0] ?? null;
  const members = current
    ? await db
        .select()
        .from(committeeMember)
        .where(and(eq(committeeMember.tenantId, scope.tenantId), eq(committeeMember.termId, current.id)))
    : [];
  const today = todayInChina();
  return {
    current: current && {
      ...current,
      createdAt: undefined,
      termLabel: termYearsLabel(scope.org.kind as OrgKind, current.termYears),
      overdue: current.electionDueOn < today,
    },
    members: members.map(({ id, name, position, memberId }) => ({ id, name, position, memberId })),
    history: terms.map(({ id, startsOn, endsOn, termYears, postponedTo }) => ({
      id,
      startsOn,
      endsOn,
      termYears,
      postponedTo,
    })),
    citation: TERM_CITATION,
    postponeCitation: TERM_POSTPONE.citation,
  };
}

export type StructureWarning = { orgId: string; orgName: string; code: string; message: string; citation: string };

/** Structure problems across the subtree, computed set-wise (one query per fact, not per org). */
export async function structureWarnings(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const orgs = await db
    .select({ id: org.id, name: org.name, kind: org.kind, path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), inSubtree(org.path, scope.org.path), isNull(org.dissolvedAt)))
    .orderBy(org.path);
  const ids = orgs.map((o) => o.id);
  const counts = await countBranchMembers(db, scope.tenantId, ids);
  // Latest term per org, and its members' positions.
  const latest = ids.length
    ? await db
        .selectDistinctOn([orgTerm.orgId], {
          orgId: orgTerm.orgId,
          id: orgTerm.id,
          endsOn: orgTerm.endsOn,
          dueOn: orgTerm.electionDueOn,
        })
        .from(orgTerm)
        .where(and(eq(orgTerm.tenantId, scope.tenantId), inArray(orgTerm.orgId, ids)))
        .orderBy(orgTerm.orgId, desc(orgTerm.startsOn))
    : [];
  const termIds = latest.map((t) => t.id);
  const positions = termIds.length
    ? await db
        .select({ termId: committeeMember.termId, position: committeeMember.position })
        .from(committeeMember)
        .where(and(eq(committeeMember.tenantId, scope.tenantId), inArray(committeeMember.termId, termIds)))
    : [];
  const today = todayInChina();
  const out: StructureWarning[] = [];
  for (const o of orgs) {
    if (o.kind === 'group') continue;
    const term = latest.find((t) => t.orgId === o.id);
    const posts = positions.filter((p) => p.termId === term?.id);
    const w = (code: string, message: string, citation: string) =>
      out.push({ orgId: o.id, orgName: o.name, code, message, citation });
    if (term && term.dueOn < today)
      w(
        'TERM_OVERDUE',
        term.dueOn === term.endsOn
          ? `换届逾期：本届任期已于 ${term.endsOn} 届满`
          : `换届逾期：本届任期 ${term.endsOn} 届满，经批准延期至 ${term.dueOn}，仍未换届`,
        term.dueOn === term.endsOn ? TERM_CITATION : TERM_POSTPONE.citation,
      );
    if (!posts.some((p) => p.position === '书记')) w('NO_SECRETARY', '未配备书记', TERM_CITATION);
    if (o.kind === 'branch') {
      const { full: n, all } = counts.get(o.id) ?? { full: 0, all: 0 };
      if (n < STRUCTURE_RULES.minFullMembersForBranch.value)
        w('TOO_FEW_MEMBERS', `正式党员仅 ${n} 人，不足 3 人`, STRUCTURE_RULES.minFullMembersForBranch.citation);
      if (n >= STRUCTURE_RULES.committeeAtFullMembers.value && posts.length < 3)
        w('NO_COMMITTEE', `正式党员 ${n} 人，应设立支部委员会`, STRUCTURE_RULES.committeeAtFullMembers.citation);
      if (posts.length > COMMITTEE_SIZE.max)
        w(
          'COMMITTEE_TOO_LARGE',
          `支部委员会 ${posts.length} 人，一般由 ${COMMITTEE_SIZE.min} 至 ${COMMITTEE_SIZE.usualMax} 人组成，不超过 ${COMMITTEE_SIZE.max} 人`,
          STRUCTURE_RULES.committeeAtFullMembers.citation,
        );
      if (all > STRUCTURE_RULES.maxMembersPerBranch.value)
        w(
          'TOO_MANY_MEMBERS',
          `党员 ${all} 人（含预备党员），超过一般上限 50 人，可考虑分设支部`,
          STRUCTURE_RULES.maxMembersPerBranch.citation,
        );
    }
  }
  return pageOf(out, page, pageSize);
}

/**
 * 换届逾期 across the subtree in one query: orgs whose latest term was due for 换届 (its end, or the approved
 * postponed date — `endsOn` in the result is that due date) before `today`. For
 * the dashboard, which needs the count and the first few orgs (the longest overdue first), not
 * the per-org walk of structureWarnings.
 */
export async function overdueTerms(
  db: Queryable,
  tenantId: string,
  root: Pick<OrgRef, 'path'>,
  today: string,
  limit: number,
) {
  const rows = await queryRows<{ org_id: string; org_name: string; ends_on: string; total: number }>(
    db,
    sql`with latest as (
          select distinct on (t.org_id) t.org_id, t.election_due_on from org_term t join org o on o.tenant_id = t.tenant_id and o.id = t.org_id
          where t.tenant_id = ${tenantId} and o.path like ${`${root.path}%`} and o.dissolved_at is null
          order by t.org_id, t.starts_on desc
        )
        select l.org_id, o.name as org_name, l.election_due_on::text as ends_on, count(*) over ()::int as total
        from latest l join org o on o.tenant_id = ${tenantId} and o.id = l.org_id where l.election_due_on < ${today}::date
        order by l.election_due_on, o.path limit ${limit}`,
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, endsOn: r.ends_on })),
    citation: TERM_CITATION,
  };
}

/**
 * The current committee of an org (its latest term) as other modules need it: who sits on it, in
 * which position, and which member record each is (null when the seat is not linked to one).
 */
export async function currentCommitteeOf(db: Queryable, tenantId: string, orgId: string) {
  const [term] = await db
    .select({ id: orgTerm.id, startsOn: orgTerm.startsOn, endsOn: orgTerm.endsOn, dueOn: orgTerm.electionDueOn })
    .from(orgTerm)
    .where(and(eq(orgTerm.tenantId, tenantId), eq(orgTerm.orgId, orgId)))
    .orderBy(desc(orgTerm.startsOn))
    .limit(1);
  if (!term) return null;
  const seats = await db
    .select({ memberId: committeeMember.memberId, name: committeeMember.name, position: committeeMember.position })
    .from(committeeMember)
    .where(and(eq(committeeMember.tenantId, tenantId), eq(committeeMember.termId, term.id)));
  return { ...term, seats };
}
