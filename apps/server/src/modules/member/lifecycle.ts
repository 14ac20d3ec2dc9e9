/**
 * A member's life in the organization: profile changes, 组织关系转接 (inside the tenant:
 * request → the receiving org confirms; out of it: a letter), 流动党员 and 失联, and 出党.
 * Records are never deleted.
 */
import { inSubtree, subtreeOrgIds } from '../../platform/access';
import {
  addDays,
  addMonths,
  EXIT_REASON_LABELS,
  FLOW_RULE,
  LOST_CONTACT_MONTHS,
  memberProblems,
  MemberInput,
  parseIdCard,
  TRANSFER_LETTER_VALID_DAYS,
  todayInChina,
  type EXIT_REASONS,
  now,
} from '@xianfeng/shared';
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import { byKey, inTenant, onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { member, memberFlow, memberLost, memberTransfer } from './schema';
import { endAccess, moveMemberBinding } from '../user/service';
import { assertIdCardFree } from './idcheck';
import { assertMemberOrg, getMember, memberExists, toRow, type MemberRow } from './service';
import { countFrom, pageWhere } from '../../platform/paging';

export async function activeRow(db: Queryable, scope: Scope, id: string): Promise<MemberRow> {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, id)));
  if (!row) throw notFound();
  if (row.leftAt) throw conflict('该党员已出党，记录只读', 'MEMBER_LEFT');
  return row;
}

export async function updateMember(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  id: string,
  patch: Partial<Omit<MemberInput, 'orgId'>>,
) {
  // A new 身份证号 is checked before the transaction: a hit outside the caller's scope is charged
  // and audited even though the update is refused (idcheck.ts).
  if (patch.idCardNo !== undefined && parseIdCard(patch.idCardNo).ok) {
    const next = patch.idCardNo.trim().toUpperCase();
    const idx = fc.blindIndex(next);
    const [self] = await db
      .select({ idx: member.idCardIdx })
      .from(member)
      .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, id)));
    if (self && self.idx !== idx) await assertIdCardFree(db, scope, 'member.update', next, idx, memberExists);
  }
  await db.transaction(async (tx) => {
    const row = await activeRow(tx, scope, id);
    const current: MemberInput = {
      orgId: row.orgId,
      name: row.name,
      gender: row.gender as MemberInput['gender'],
      birthDate: row.birthDate,
      idCardNo: fc.decrypt(row.idCardEnc, member.idCardEnc, row.id),
      phone: fc.decrypt(row.phoneEnc, member.phoneEnc, row.id),
      joinedAt: row.joinedAt,
      status: row.status as MemberInput['status'],
      fullAt: row.fullAt,
      ethnicity: row.ethnicity,
      education: row.education as MemberInput['education'],
      occupation: row.occupation as MemberInput['occupation'],
      jobTitle: row.jobTitle,
      duesCategory: row.duesCategory as MemberInput['duesCategory'],
    };
    const next = MemberInput.parse({ ...current, ...patch });
    const problems = memberProblems(next);
    if (problems.length) throw unprocessable(`党员信息有误：${problems[0]!.message}`, problems, 'INVALID_MEMBER');
    const { createdAt: _made, ...values } = toRow(fc, scope.tenantId, next, row.id);
    if (values.idCardIdx !== row.idCardIdx) {
      const [dup] = await tx
        .select({ id: member.id })
        .from(member)
        .where(and(eq(member.tenantId, scope.tenantId), eq(member.idCardIdx, values.idCardIdx)));
      if (dup) throw memberExists();
    }
    // Unchanged numbers keep their ciphertext, so the row changes only where the data did.
    if (values.idCardIdx === row.idCardIdx) values.idCardEnc = row.idCardEnc;
    if (values.phoneIdx === row.phoneIdx) values.phoneEnc = row.phoneEnc;
    await tx
      .update(member)
      .set({ ...values, updatedAt: now() })
      .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, id)));
    await writeAudit(tx, scope.actor, {
      action: 'member.update',
      entityType: 'member',
      entityId: id,
      org: scope.org,
      before: current,
      after: next,
    });
  });
  return getMember(db, fc, scope, id);
}

export type TransferRequest =
  | { direction: 'internal'; toOrgId: string; reason: string }
  | { direction: 'out'; destination: string; letterNo: string; reason: string };

export async function requestTransfer(db: Db, scope: Scope, memberId: string, t: TransferRequest) {
  const today = todayInChina();
  return db.transaction(async (tx) => {
    const row = await activeRow(tx, scope, memberId);
    // 停止党籍 keeps the record where it is until 恢复党籍 or 除名 (党员教育管理工作条例): there is no one to transfer.
    if (row.suspendedOn) throw conflict('该党员已停止党籍，不能转接组织关系；恢复党籍后方可办理', 'LOST_SUSPENDED');
    const [open] = await tx
      .select({ id: memberTransfer.id })
      .from(memberTransfer)
      .where(
        inTenant(
          memberTransfer,
          scope.tenantId,
          eq(memberTransfer.memberId, memberId),
          eq(memberTransfer.status, 'pending'),
        ),
      );
    if (open) throw conflict('该党员已有待接收的转接申请', 'TRANSFER_PENDING');
    let toOrgId: string | null = null;
    if (t.direction === 'internal') {
      // Any org of the tenant may receive: the sender need not manage the receiver.
      const [to] = await tx
        .select({ id: org.id, kind: org.kind, name: org.name, path: org.path, tenantId: org.tenantId })
        .from(org)
        .where(and(eq(org.tenantId, scope.tenantId), eq(org.id, t.toOrgId), isNull(org.dissolvedAt)));
      if (!to) throw notFound('接收组织不存在');
      if (to.id === row.orgId) throw unprocessable('接收组织与当前所在组织相同', undefined, 'TRANSFER_SAME_ORG');
      assertMemberOrg(to);
      toOrgId = to.id;
    }
    const [created] = await tx
      .insert(memberTransfer)
      .values({
        tenantId: scope.tenantId,
        memberId,
        direction: t.direction,
        fromOrgId: row.orgId,
        toOrgId,
        destination: t.direction === 'out' ? t.destination : null,
        letterNo: t.direction === 'out' ? t.letterNo : null,
        validUntil: t.direction === 'out' ? addDays(today, TRANSFER_LETTER_VALID_DAYS) : null,
        reason: t.reason,
        // The old branch stays responsible until the new one receives; an outgoing letter ends it here.
        status: t.direction === 'out' ? 'done' : 'pending',
        requestedBy: scope.actor.username,
        decidedBy: t.direction === 'out' ? scope.actor.username : null,
        decidedAt: t.direction === 'out' ? now() : null,
      })
      .returning();
    let access = null;
    if (t.direction === 'out') {
      await tx
        .update(member)
        .set({ leftAt: today, leftReason: 'transferred_out', updatedAt: now() })
        .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, memberId)));
      // Leaving the enterprise ends the account, its sessions and its roles here (finding 9).
      if (row.userId) access = await endAccess(tx, scope.tenantId, row.userId);
    }
    await writeAudit(tx, scope.actor, {
      action: `member.transfer_${t.direction}`,
      entityType: 'member_transfer',
      entityId: created!.id,
      org: scope.org,
      after: access ? { ...created, accessEnded: access } : created,
    });
    return created!;
  });
}

/** For the access layer: a transfer is decided by its receiving org. */
export async function receivingOrgOfTransfer(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({ to: memberTransfer.toOrgId })
    .from(memberTransfer)
    .where(and(eq(memberTransfer.tenantId, tenantId), eq(memberTransfer.id, id)));
  return row?.to ?? null;
}

export async function decideTransfer(db: Db, scope: Scope, id: string, accept: boolean, note: string) {
  return db.transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(memberTransfer)
      .where(and(eq(memberTransfer.id, id), eq(memberTransfer.tenantId, scope.tenantId)));
    if (!t) throw notFound();
    if (t.status !== 'pending') throw conflict('该转接已处理', 'TRANSFER_DECIDED');
    const at = now();
    await tx
      .update(memberTransfer)
      .set({ status: accept ? 'done' : 'rejected', decidedBy: scope.actor.username, decidedAt: at, note })
      .where(and(eq(memberTransfer.tenantId, scope.tenantId), eq(memberTransfer.id, id)));
    let bindingsMoved = 0;
    if (accept) {
      const [moved] = await tx
        .update(member)
        .set({ orgId: t.toOrgId!, updatedAt: at })
        .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, t.memberId)))
        .returning({ userId: member.userId });
      // The member's own binding follows them: no member role left behind at the old branch (finding 9).
      if (moved?.userId)
        bindingsMoved = await moveMemberBinding(tx, scope.tenantId, moved.userId, t.fromOrgId, t.toOrgId!);
    }
    await writeAudit(tx, scope.actor, {
      action: accept ? 'member.transfer_accept' : 'member.transfer_reject',
      entityType: 'member_transfer',
      entityId: id,
      org: scope.org,
      before: t,
      after: { status: accept ? 'done' : 'rejected', note, ...(bindingsMoved ? { bindingsMoved } : {}) },
    });
    return { status: accept ? 'done' : 'rejected' };
  });
}

/** Transfers touching the subtree (incoming or outgoing), newest first. */
export async function listTransfers(
  db: Queryable,
  scope: Scope,
  status: string | undefined,
  page: number,
  pageSize: number,
) {
  const sub = subtreeOrgIds(scope.tenantId, scope.org.path);
  const where = and(
    eq(memberTransfer.tenantId, scope.tenantId),
    or(sql`${memberTransfer.fromOrgId} in ${sub}`, sql`${memberTransfer.toOrgId} in ${sub}`),
    status ? eq(memberTransfer.status, status) : undefined,
  );
  const fromOrg = sql<string>`(select name from org where tenant_id = ${memberTransfer.tenantId} and id = ${memberTransfer.fromOrgId})`;
  const toOrg = sql<
    string | null
  >`(select name from org where tenant_id = ${memberTransfer.tenantId} and id = ${memberTransfer.toOrgId})`;
  const { items, total } = await pageWhere(
    db
      .select({
        id: memberTransfer.id,
        memberId: memberTransfer.memberId,
        memberName: member.name,
        direction: memberTransfer.direction,
        fromOrgId: memberTransfer.fromOrgId,
        fromOrgName: fromOrg,
        toOrgId: memberTransfer.toOrgId,
        toOrgName: toOrg,
        destination: memberTransfer.destination,
        letterNo: memberTransfer.letterNo,
        validUntil: memberTransfer.validUntil,
        reason: memberTransfer.reason,
        status: memberTransfer.status,
        requestedAt: memberTransfer.requestedAt,
      })
      .from(memberTransfer)
      .innerJoin(member, onKey(member, memberTransfer.memberId, memberTransfer))
      .$dynamic(),
    countFrom(db, memberTransfer),
    where,
    [desc(memberTransfer.requestedAt)],
    page,
    pageSize,
  );
  return { items: items.map((i) => ({ ...i, requestedAt: i.requestedAt.toISOString() })), total };
}

export async function registerFlow(
  db: Db,
  scope: Scope,
  memberId: string,
  f: { location: string; since: string; expectedUntil: string; contact: string },
) {
  if (f.since > todayInChina()) throw unprocessable('外出日期不能晚于今天', undefined, 'DATE_IN_FUTURE');
  const minUntil = addMonths(f.since, FLOW_RULE.minMonthsAway);
  if (f.expectedUntil < minUntil)
    throw unprocessable(
      `外出不满 ${FLOW_RULE.minMonthsAway} 个月（${minUntil} 前返回）的，不作为流动党员登记，由所在支部正常管理`,
      { citation: FLOW_RULE.citation },
      'FLOW_TOO_SHORT',
    );
  return db.transaction(async (tx) => {
    const m = await activeRow(tx, scope, memberId);
    if (m.suspendedOn) throw conflict('该党员已停止党籍，不能登记为流动党员', 'LOST_SUSPENDED');
    await tx
      .update(memberFlow)
      .set({ endedOn: f.since })
      .where(
        and(eq(memberFlow.tenantId, scope.tenantId), eq(memberFlow.memberId, memberId), isNull(memberFlow.endedOn)),
      );
    const [row] = await tx
      .insert(memberFlow)
      .values({ tenantId: scope.tenantId, memberId, ...f, lastContactOn: todayInChina() })
      .returning();
    await tx
      .update(member)
      .set({ flowing: true, updatedAt: now() })
      .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, memberId)));
    await writeAudit(tx, scope.actor, {
      action: 'member.flow',
      entityType: 'member',
      entityId: memberId,
      org: scope.org,
      after: f,
    });
    return row!;
  });
}

/** A regular check-in with a flowing member (by phone, message, visit): resets the 失联 clock. */
export async function recordFlowContact(db: Db, scope: Scope, memberId: string, on: string, ended: boolean) {
  return db.transaction(async (tx) => {
    const [flow] = await tx
      .select()
      .from(memberFlow)
      .where(
        and(eq(memberFlow.tenantId, scope.tenantId), eq(memberFlow.memberId, memberId), isNull(memberFlow.endedOn)),
      );
    if (!flow) throw notFound('该党员不是流动党员');
    await tx
      .update(memberFlow)
      .set({ lastContactOn: on, endedOn: ended ? on : null })
      .where(and(eq(memberFlow.tenantId, scope.tenantId), eq(memberFlow.id, flow.id)));
    if (ended)
      await tx
        .update(member)
        .set({ flowing: false, updatedAt: now() })
        .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, memberId)));
    await writeAudit(tx, scope.actor, {
      action: ended ? 'member.flow_end' : 'member.flow_contact',
      entityType: 'member',
      entityId: memberId,
      org: scope.org,
      after: { on },
    });
    return { lastContactOn: on, ended };
  });
}

/**
 * The 流入地党组织 of an open flow (issue #27, 一方隶属、参加多重组织生活): any 党支部, 党总支 or 党小组 of the tenant that is
 * not the member's own branch (like 组织关系转接's receiving org, it may be outside the caller's scope: only its name is
 * shown back). Null removes it. Its meetings then invite the member (meeting/invitees.ts).
 */
export async function setFlowHost(db: Db, scope: Scope, memberId: string, hostOrgId: string | null) {
  return db.transaction(async (tx) => {
    const m = await activeRow(tx, scope, memberId);
    const [flow] = await tx
      .select()
      .from(memberFlow)
      .where(
        and(eq(memberFlow.tenantId, scope.tenantId), eq(memberFlow.memberId, memberId), isNull(memberFlow.endedOn)),
      )
      .for('update');
    if (!flow) throw unprocessable('该党员不是流动党员，请先登记流动党员', undefined, 'NOT_FLOWING');
    let hostName: string | null = null;
    if (hostOrgId) {
      const [host] = await tx
        .select({ id: org.id, name: org.name, kind: org.kind, path: org.path, dissolvedAt: org.dissolvedAt })
        .from(org)
        .where(and(eq(org.tenantId, scope.tenantId), eq(org.id, hostOrgId)));
      if (!host || host.dissolvedAt)
        throw unprocessable(
          '流入地党组织不存在或已撤销',
          [{ field: 'hostOrgId', message: '请选择本系统中的党组织' }],
          'HOST_ORG_NOT_FOUND',
        );
      if (!['branch', 'general_branch', 'group'].includes(host.kind))
        throw unprocessable(
          '流入地党组织须为党支部、党总支或党小组',
          [{ field: 'hostOrgId', message: '请选择党支部、党总支或党小组' }],
          'HOST_ORG_KIND',
        );
      const [home] = await tx
        .select({ path: org.path })
        .from(org)
        .where(byKey(org, scope.tenantId, m.orgId));
      if (home!.path.startsWith(host.path) || host.path.startsWith(home!.path))
        throw unprocessable(
          '流入地党组织不能是本人所在的党组织（或其上级、下级）',
          [{ field: 'hostOrgId', message: '请选择流入地的党组织' }],
          'HOST_ORG_OWN',
        );
      hostName = host.name;
    }
    await tx
      .update(memberFlow)
      .set({ hostOrgId })
      .where(and(eq(memberFlow.tenantId, scope.tenantId), eq(memberFlow.id, flow.id)));
    await writeAudit(tx, scope.actor, {
      action: 'member.flow_host',
      entityType: 'member',
      entityId: memberId,
      org: scope.org,
      before: { hostOrgId: flow.hostOrgId },
      after: { hostOrgId, hostOrgName: hostName },
    });
    return { hostOrgId, hostOrgName: hostName };
  });
}

/** Flowing members of the subtree, with 失联 when the last contact is 6 months old or more. */
export async function listFlowing(db: Queryable, scope: Scope, page: number, pageSize: number) {
  const lostBefore = addMonths(todayInChina(), -LOST_CONTACT_MONTHS);
  const where = and(
    eq(memberFlow.tenantId, scope.tenantId),
    isNull(memberFlow.endedOn),
    sql`${member.orgId} in ${subtreeOrgIds(scope.tenantId, scope.org.path)}`,
    isNull(member.leftAt),
  );
  const { items, total } = await pageWhere(
    db
      .select({
        memberId: member.id,
        name: member.name,
        orgId: member.orgId,
        location: memberFlow.location,
        since: memberFlow.since,
        expectedUntil: memberFlow.expectedUntil,
        contact: memberFlow.contact,
        lastContactOn: memberFlow.lastContactOn,
        hostOrgId: memberFlow.hostOrgId,
        hostOrgName: sql<
          string | null
        >`(select h.name from org h where h.tenant_id = ${memberFlow.tenantId} and h.id = ${memberFlow.hostOrgId})`,
        // On the 失联 path already (lost.ts): its open episode's status, so the list shows it instead of a bare flag.
        lostStatus: sql<
          'lost' | 'suspended' | null
        >`(select l.status from member_lost l where l.tenant_id = ${member.tenantId} and l.member_id = ${member.id} and l.status in ('lost', 'suspended') limit 1)`,
      })
      .from(memberFlow)
      .innerJoin(member, onKey(member, memberFlow.memberId, memberFlow))
      .$dynamic(),
    countFrom(db, memberFlow).innerJoin(member, onKey(member, memberFlow.memberId, memberFlow)),
    where,
    [memberFlow.lastContactOn],
    page,
    pageSize,
  );
  return { items: items.map((i) => ({ ...i, lostContact: i.lastContactOn <= lostBefore })), total };
}

export async function exitParty(
  db: Db,
  scope: Scope,
  memberId: string,
  e: { reason: (typeof EXIT_REASONS)[number]; date: string; note: string },
) {
  if (e.date > todayInChina()) throw unprocessable('日期不能晚于今天', undefined, 'DATE_IN_FUTURE');
  await db.transaction(async (tx) => recordExit(tx, scope, await activeRow(tx, scope, memberId), e));
  return { leftAt: e.date, leftReason: e.reason };
}

/**
 * 出党 inside the caller's transaction: the record stays, marked; an open 失联 episode ends with it (as 除名 when
 * that path led here, lost.ts); the account, its sessions and roles end in the same transaction (finding 9).
 */
export async function recordExit(
  tx: Tx,
  scope: Scope,
  row: MemberRow,
  e: { reason: (typeof EXIT_REASONS)[number]; date: string; note: string },
  lostOutcome: 'exited' | 'removed' = 'exited',
) {
  if (e.date < row.joinedAt) throw unprocessable('出党日期不能早于入党时间', undefined, 'DATE_BEFORE_JOIN');
  if (e.reason === 'probation_cancelled' && row.status !== 'probationary')
    throw unprocessable('只有预备党员可以取消预备党员资格', undefined, 'NOT_PROBATIONARY');
  await tx
    .update(member)
    .set({ leftAt: e.date, leftReason: e.reason, flowing: false, suspendedOn: null, updatedAt: now() })
    .where(and(eq(member.tenantId, row.tenantId), eq(member.id, row.id)));
  await tx
    .update(memberLost)
    .set({ status: lostOutcome, endedOn: e.date })
    .where(
      and(
        eq(memberLost.tenantId, row.tenantId),
        eq(memberLost.memberId, row.id),
        inArray(memberLost.status, ['lost', 'suspended']),
      ),
    );
  const access = row.userId ? await endAccess(tx, row.tenantId, row.userId) : null;
  await writeAudit(tx, scope.actor, {
    action: 'member.exit',
    entityType: 'member',
    entityId: row.id,
    org: scope.org,
    after: { ...e, label: EXIT_REASON_LABELS[e.reason], ...(access ? { accessEnded: access } : {}) },
  });
}

/** The printable 组织关系介绍信 of an outgoing transfer, as a self-contained HTML page. */
export async function transferLetterHtml(db: Queryable, scope: Scope, id: string): Promise<string> {
  const [t] = await db
    .select({ t: memberTransfer, name: member.name, gender: member.gender, status: member.status, fromOrg: org.name })
    .from(memberTransfer)
    .innerJoin(member, onKey(member, memberTransfer.memberId, memberTransfer))
    .innerJoin(org, onKey(org, memberTransfer.fromOrgId, memberTransfer))
    .where(
      and(eq(memberTransfer.tenantId, scope.tenantId), eq(memberTransfer.id, id), inSubtree(org.path, scope.org.path)),
    );
  if (!t || t.t.direction !== 'out') throw notFound('介绍信不存在');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const d = t.t.requestedAt.toISOString().slice(0, 10).split('-');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>党员组织关系介绍信</title>
<style>body{font-family:"Noto Serif CJK SC","SimSun",serif;max-width:720px;margin:40px auto;line-height:2;font-size:18px}h1{text-align:center;color:#c8161d;letter-spacing:.3em}.no{text-align:right}.sign{text-align:right;margin-top:3em}@media print{button{display:none}}</style></head>
<body><h1>中国共产党党员组织关系介绍信</h1><p class="no">编号：${esc(t.t.letterNo ?? '')}</p>
<p>${esc(t.t.destination ?? '')}：</p>
<p>　　兹介绍${esc(t.name)}同志（${t.gender === 'male' ? '男' : '女'}，${t.status === 'full' ? '正式' : '预备'}党员）的党员组织关系转去你处，请接洽。转接原因：${esc(t.t.reason)}。</p>
<p>　　该同志党费已交到　　年　　月。</p>
<p>（有效期至 ${esc(t.t.validUntil ?? '')}）</p>
<p class="sign">${esc(t.fromOrg)}（盖章）<br>${d[0]} 年 ${Number(d[1])} 月 ${Number(d[2])} 日</p>
<button onclick="print()">打印</button></body></html>`;
}

/** A member's own transfer and 流动 history, oldest first (their personal-data export). */
export async function lifecycleHistory(db: Queryable, tenantId: string, memberId: string) {
  const transfers = await db
    .select({
      direction: memberTransfer.direction,
      fromOrg: sql<string>`(select name from org where tenant_id = ${memberTransfer.tenantId} and id = ${memberTransfer.fromOrgId})`,
      toOrg: sql<
        string | null
      >`(select name from org where tenant_id = ${memberTransfer.tenantId} and id = ${memberTransfer.toOrgId})`,
      destination: memberTransfer.destination,
      letterNo: memberTransfer.letterNo,
      reason: memberTransfer.reason,
      status: memberTransfer.status,
      requestedAt: memberTransfer.requestedAt,
      decidedAt: memberTransfer.decidedAt,
    })
    .from(memberTransfer)
    .where(and(eq(memberTransfer.tenantId, tenantId), eq(memberTransfer.memberId, memberId)))
    .orderBy(memberTransfer.requestedAt);
  const flows = await db
    .select({
      location: memberFlow.location,
      since: memberFlow.since,
      expectedUntil: memberFlow.expectedUntil,
      contact: memberFlow.contact,
      lastContactOn: memberFlow.lastContactOn,
      endedOn: memberFlow.endedOn,
      hostOrgName: sql<
        string | null
      >`(select h.name from org h where h.tenant_id = ${memberFlow.tenantId} and h.id = ${memberFlow.hostOrgId})`,
    })
    .from(memberFlow)
    .where(and(eq(memberFlow.tenantId, tenantId), eq(memberFlow.memberId, memberId)))
    .orderBy(memberFlow.since);
  return { transfers, flows };
}
