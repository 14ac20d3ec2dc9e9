/**
 * Arrears (欠缴) with reminders and to-do lists; the dues ledger: collection per org per month,
 * 上缴 remittances, 党费使用 with approval, the members' public view, and a reconciliation report
 * whose figures are cross-checked.
 */
import {
  ARREARS_CITATION,
  CENTRAL_VOLUNTARY_CITATION,
  CENTRAL_VOLUNTARY_MIN_FEN,
  ARREARS_REMINDER_STEPS,
  ARREARS_SECRETARY_FROM,
  arrearsLevel,
  ARREARS_LEVELS,
  type ArrearsLevel,
  type LedgerMonth,
  type ReconRow,
  fenToYuan,
  todayInChina,
} from '@xianfeng/shared';
import { and, eq, sql } from 'drizzle-orm';
import { orgOfRow, subtreeOrgIds, type OrgRef, type Scope } from '../../platform/access';
import { systemActor, writeAudit } from '../../platform/audit';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { maskedPhones, memberOfUser, onRollAs } from '../member/service';
import { notify } from '../notify/service';
import type { FieldCrypto } from '../../platform/crypto';
import { duesRemittance, duesUsage } from './schema';
import { currentMonth, decisionOf, isManager, monthOf, monthStart } from './service';

const n = (v: string | number | null | undefined) => Number(v ?? 0);
/** China-time month of a timestamptz column (UTC+8, no daylight saving). */
const chinaMonth = (col: ReturnType<typeof sql.raw>) =>
  sql`to_char((${col} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`;

// ---------- arrears ----------

export type ArrearsRow = {
  memberId: string;
  memberName: string;
  orgId: string;
  orgName: string;
  unpaidMonths: number;
  consecutiveMonths: number;
  oldestUnpaidMonth: string;
  owedFen: number;
  level: ArrearsLevel;
  message: string;
  /** Masked (138****5678); the full number is revealed one member at a time, audited. */
  phone: string;
};

/**
 * Unpaid bills of months before `asOf` (a month's dues are due within it), per member still on the roll: someone who
 * has left (died, 出党, 取消预备党员资格) or whose 党籍 is stopped (失联, member/lost.ts) is not reminded or listed as in arrears; their bills stay in the ledger.
 */
function arrearsSql(tenantId: string, orgPath: string, asOf: string, memberId?: string) {
  return sql`with b as (
      select b.member_id, b.org_id, b.month, b.status, b.due_fen from dues_bill b join org o on o.id = b.org_id and o.tenant_id = b.tenant_id
        join member m on m.id = b.member_id and m.tenant_id = b.tenant_id and ${onRollAs('m')}
      where b.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`} and b.month < ${monthStart(asOf)}::date
        ${memberId ? sql`and b.member_id = ${memberId}` : sql``}
    ), settled as (select member_id, max(month) as last from b where status <> 'unpaid' group by member_id)
    select b.member_id, min(b.org_id::text) as org_id, count(*)::int as unpaid, sum(b.due_fen)::bigint as owed, min(b.month)::text as oldest,
      count(*) filter (where b.month > coalesce(s.last, '1900-01-01'::date))::int as consecutive
    from b left join settled s on s.member_id = b.member_id
    where b.status = 'unpaid' and b.due_fen > 0 group by b.member_id`;
}

const levelMessage = (level: ArrearsLevel, unpaid: number, consecutive: number) =>
  level === 'critical'
    ? `已连续 ${consecutive} 个月未交纳党费。${ARREARS_CITATION}。须由支部大会讨论、报上级党委批准，请立即谈话了解原因`
    : level === 'warning'
      ? `已 ${unpaid} 个月未交纳党费，请支部书记谈话提醒；连续满 6 个月将按自行脱党处理`
      : `有 ${unpaid} 个月党费未交纳`;

/** The level by the regulation: 'critical' needs six consecutive months; otherwise at most a warning. */
const levelOf = (unpaid: number, consecutive: number): ArrearsLevel => {
  const l = arrearsLevel(unpaid)!;
  return l === 'critical' && consecutive < 6 ? 'warning' : l;
};

export async function arrears(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  f: { minMonths: number; asOf?: string | undefined },
  page: number,
  pageSize: number,
) {
  const asOf = f.asOf ?? currentMonth();
  const base = arrearsSql(scope.tenantId, scope.org.path, asOf);
  const rows = await queryRows<{
    member_id: string;
    member_name: string;
    org_id: string;
    org_name: string;
    unpaid: number;
    owed: string;
    oldest: string;
    consecutive: number;
  }>(
    db,
    sql`select a.*, m.name as member_name, o.name as org_name from (${base}) a join member m on m.tenant_id = ${scope.tenantId} and m.id = a.member_id join org o on o.tenant_id = ${scope.tenantId} and o.id = a.org_id::uuid
      where a.unpaid >= ${f.minMonths} order by a.unpaid desc, a.owed desc, m.name, a.member_id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [summary] = await queryRows<{
    total: number;
    notice: number;
    warning: number;
    critical: number;
    owed: string | null;
    matching: number;
  }>(
    db,
    sql`select count(*)::int as total, count(*) filter (where unpaid >= 1)::int as notice, count(*) filter (where unpaid >= 3)::int as warning,
      count(*) filter (where unpaid >= 6 and consecutive >= 6)::int as critical, sum(owed) filter (where unpaid >= ${f.minMonths}) as owed,
      count(*) filter (where unpaid >= ${f.minMonths})::int as matching from (${base}) a`,
  );
  const phones = await maskedPhones(
    db,
    fc,
    scope.tenantId,
    rows.map((r) => r.member_id),
  );
  const items: ArrearsRow[] = rows.map((r) => {
    const level = levelOf(r.unpaid, r.consecutive);
    return {
      memberId: r.member_id,
      memberName: r.member_name,
      orgId: r.org_id,
      orgName: r.org_name,
      unpaidMonths: r.unpaid,
      consecutiveMonths: r.consecutive,
      oldestUnpaidMonth: monthOf(r.oldest),
      owedFen: n(r.owed),
      level,
      message: levelMessage(level, r.unpaid, r.consecutive),
      phone: phones.get(r.member_id) ?? '',
    };
  });
  return {
    items,
    total: summary?.matching ?? 0,
    asOf,
    owedFen: n(summary?.owed),
    summary: { notice: summary?.notice ?? 0, warning: summary?.warning ?? 0, critical: summary?.critical ?? 0 },
    levels: [...ARREARS_LEVELS],
  };
}

/** Members in arrears in the subtree by level (≥ 1 month, ≥ 3 months, 6 consecutive months) and what they owe. */
export async function arrearsSummary(db: Queryable, tenantId: string, orgPath: string, asOf: string) {
  const [a] = await queryRows<{ notice: number; warning: number; critical: number; owed: string | null }>(
    db,
    sql`select count(*) filter (where unpaid >= 1)::int as notice, count(*) filter (where unpaid >= 3)::int as warning,
      count(*) filter (where unpaid >= 6 and consecutive >= 6)::int as critical, sum(owed) as owed from (${arrearsSql(tenantId, orgPath, asOf)}) a`,
  );
  return { notice: a?.notice ?? 0, warning: a?.warning ?? 0, critical: a?.critical ?? 0, owedFen: n(a?.owed) };
}

/**
 * Members in arrears per org of the subtree (the org of their bills, with its path so a caller can add a 党小组 into
 * its branch): how many owe ≥ 1 month, ≥ 3 months, and 6 consecutive months before `asOf` — arrearsSummary by org.
 */
export async function arrearsByOrg(db: Queryable, tenantId: string, orgPath: string, asOf: string) {
  return queryRows<{ org_id: string; path: string; notice: number; warning: number; critical: number }>(
    db,
    sql`select a.org_id, o.path, count(*) filter (where unpaid >= 1)::int as notice, count(*) filter (where unpaid >= 3)::int as warning,
      count(*) filter (where unpaid >= 6 and consecutive >= 6)::int as critical
      from (${arrearsSql(tenantId, orgPath, asOf)}) a join org o on o.tenant_id = ${tenantId} and o.id = a.org_id::uuid group by a.org_id, o.path`,
  );
}

export type ArrearsNotice = {
  member_id: string;
  org_id: string;
  unpaid_months: number;
  owed_fen: string | number;
  level: ArrearsLevel;
  member_name: string;
  org_name: string;
};

/**
 * The notices of one arrears reminder: the member always; from 3 unpaid months (ARREARS_SECRETARY_FROM)
 * the nearest secretary too; 党章第九条 only when six consecutive months are unpaid (level critical).
 * `months` is the number of unpaid months, which need not be consecutive — the templates say so.
 */
export async function notifyArrears(tx: Queryable, tenantId: string, r: ArrearsNotice, today: string) {
  const owed = `${fenToYuan(Number(r.owed_fen))} 元`;
  const rule = r.level === 'critical' ? `${ARREARS_CITATION}。` : '';
  await notify(tx, {
    tenantId,
    kind: 'dues.arrears',
    recipients: { members: [r.member_id] },
    data: { months: r.unpaid_months, owed, rule },
    link: '/my/dues',
    dedupeKey: `dues.arrears:${r.member_id}:${today}`,
  });
  if (r.unpaid_months >= ARREARS_SECRETARY_FROM)
    await notify(tx, {
      tenantId,
      kind: 'dues.arrears.secretary',
      recipients: { orgRoles: [{ orgId: r.org_id, roles: ['secretary'], nearest: true }] },
      data: { memberName: r.member_name, orgName: r.org_name, months: r.unpaid_months, owed, rule },
      link: '/dues?tab=arrears',
      orgId: r.org_id,
      dedupeKey: `dues.arrears.secretary:${r.member_id}:${today}`,
    });
}

/**
 * The automatic arrears reminders (issue #17), run daily by the scheduler when the tenant turned them on:
 * a member is reminded when their unpaid months reach a step of ARREARS_REMINDER_STEPS (1, 3, 6) that no
 * reminder of this episode of arrears has reached yet — an episode starts at the oldest unpaid month, and
 * every reminder of the episode (automatic or pressed by the secretary) counts by the unpaid months it
 * named. An episode of arrears whose oldest unpaid month is M began on the 1st of M + 1 (a month's dues
 * are due within it); reminders sent since that day are this episode's. So each step reaches a member at
 * most once (paying the oldest months does not restart it), and someone who paid up and fell behind again
 * starts over.
 * Goes through the same table and notices as the secretary's button (one reminder per member per day).
 */
export async function sendAutomaticReminders(db: Db, root: OrgRef) {
  const tenantId = root.tenantId;
  const asOf = currentMonth();
  const today = todayInChina();
  const steps = sql.join(
    ARREARS_REMINDER_STEPS.map((x) => sql`${x}`),
    sql`, `,
  );
  return db.transaction(async (tx) => {
    const rows = await queryRows<ArrearsNotice>(
      tx,
      sql`with a as (${arrearsSql(tenantId, root.path, asOf)}),
        due as (
          select a.*, (select max(st) from unnest(array[${steps}]::int[]) st where st <= a.unpaid) as step,
            (select coalesce(max(r.unpaid_months), 0) from dues_reminder r
              where r.member_id = a.member_id and r.sent_on >= a.oldest::date + interval '1 month') as reached
          from a where a.unpaid >= 1),
        ins as (
          insert into dues_reminder (tenant_id, org_id, member_id, sent_on, unpaid_months, owed_fen, level, sent_by)
          select ${tenantId}, due.org_id::uuid, due.member_id, ${today}::date, due.unpaid, due.owed,
            case when due.unpaid >= 6 and due.consecutive >= 6 then 'critical' when due.unpaid >= 3 then 'warning' else 'notice' end, 'system'
          from due where due.step is not null and due.reached < due.step
          on conflict (member_id, sent_on) do nothing returning member_id, org_id, unpaid_months, owed_fen, level)
      select ins.*, m.name as member_name, o.name as org_name from ins
        join member m on m.tenant_id = ${tenantId} and m.id = ins.member_id join org o on o.tenant_id = ${tenantId} and o.id = ins.org_id`,
    );
    for (const r of rows) await notifyArrears(tx, tenantId, r, today);
    if (rows.length > 0) {
      await writeAudit(tx, systemActor(tenantId), {
        action: 'dues.remind',
        entityType: 'dues_reminder',
        org: root,
        after: { automatic: true, steps: [...ARREARS_REMINDER_STEPS], reminded: rows.length, asOf },
      });
    }
    return { reminded: rows.length };
  });
}

/**
 * Reminds every member in arrears of at least `minMonths` (one reminder per member per day), through the
 * notice service: the member always; from 3 months unpaid also the secretary of the member's branch
 * (the nearest org above with one), with 党章第九条 when six consecutive months are unpaid.
 */
export async function sendReminders(db: Db, scope: Scope, minMonths: number) {
  const asOf = currentMonth();
  const today = todayInChina();
  return db.transaction(async (tx) => {
    const rows = await queryRows<{
      member_id: string;
      org_id: string;
      unpaid_months: number;
      owed_fen: string | number;
      level: ArrearsLevel;
      member_name: string;
      org_name: string;
    }>(
      tx,
      sql`with a as (${arrearsSql(scope.tenantId, scope.org.path, asOf)}), ins as (
        insert into dues_reminder (tenant_id, org_id, member_id, sent_on, unpaid_months, owed_fen, level, sent_by)
        select ${scope.tenantId}, a.org_id::uuid, a.member_id, ${today}::date, a.unpaid, a.owed,
          case when a.unpaid >= 6 and a.consecutive >= 6 then 'critical' when a.unpaid >= 3 then 'warning' else 'notice' end, ${scope.actor.username}
        from a where a.unpaid >= ${minMonths}
        on conflict (member_id, sent_on) do nothing returning member_id, org_id, unpaid_months, owed_fen, level)
      select ins.*, m.name as member_name, o.name as org_name from ins
        join member m on m.tenant_id = ${scope.tenantId} and m.id = ins.member_id join org o on o.tenant_id = ${scope.tenantId} and o.id = ins.org_id`,
    );
    const reminded = rows.length;
    for (const r of rows) await notifyArrears(tx, scope.tenantId, r, today);
    if (reminded > 0)
      await writeAudit(tx, scope.actor, {
        action: 'dues.remind',
        entityType: 'dues_reminder',
        org: scope.org,
        after: { minMonths, reminded, asOf },
      });
    return { reminded };
  });
}

/** What needs doing: for a member their own dues; for the branch and above, the work waiting. */
export async function todo(db: Queryable, scope: Scope) {
  const items: { kind: string; level: 'info' | 'warning' | 'critical'; count: number; message: string }[] = [];
  const self = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (self) {
    const [mine] = await queryRows<{ unpaid: number; owed: string | null; consecutive: number }>(
      db,
      sql`select * from (${arrearsSql(scope.tenantId, '/', currentMonth(), self.id)}) a`,
    );
    const [current] = await queryRows<{ id: string; due_fen: string }>(
      db,
      sql`select id, due_fen from dues_bill where member_id = ${self.id} and month = ${monthStart(currentMonth())}::date and status = 'unpaid'`,
    );
    if (current)
      items.push({
        kind: 'pay_current',
        level: 'info',
        count: 1,
        message: `本月党费 ${(n(current.due_fen) / 100).toFixed(2)} 元待交纳`,
      });
    if (mine) {
      const level = levelOf(mine.unpaid, mine.consecutive);
      items.push({
        kind: 'my_arrears',
        level: level === 'notice' ? 'info' : level,
        count: mine.unpaid,
        message: `您有 ${mine.unpaid} 个月党费未交纳，合计 ${(n(mine.owed) / 100).toFixed(2)} 元${level === 'critical' ? `。${ARREARS_CITATION}` : ''}`,
      });
    }
    const [rem] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from dues_reminder where tenant_id = ${scope.tenantId} and member_id = ${self.id} and read_at is null`,
    );
    if (rem && rem.n > 0)
      items.push({ kind: 'reminders', level: 'warning', count: rem.n, message: `支部发来 ${rem.n} 条党费提醒` });
  }
  if (isManager(scope) || scope.role === 'auditor') {
    const path = `${scope.org.path}%`;
    const a = await arrearsSummary(db, scope.tenantId, scope.org.path, currentMonth());
    if (a?.critical)
      items.push({
        kind: 'arrears_critical',
        level: 'critical',
        count: a.critical,
        message: `${a.critical} 名党员已连续 6 个月未交党费（党章第九条），请支部大会研究处理`,
      });
    if (a?.warning)
      items.push({
        kind: 'arrears_warning',
        level: 'warning',
        count: a.warning,
        message: `${a.warning} 名党员已 3 个月以上未交党费，请谈话提醒`,
      });
    if (a?.notice)
      items.push({ kind: 'arrears', level: 'info', count: a.notice, message: `${a.notice} 名党员有欠缴党费` });
    const [c] = await queryRows<{
      corrections: number;
      exemptions: number;
      usages: number;
      conflicts: number;
      current: number;
    }>(
      db,
      sql`select
        (select count(*)::int from dues_correction x join org o on o.tenant_id = x.tenant_id and o.id = x.org_id where x.tenant_id = ${scope.tenantId} and x.status = 'pending' and o.path like ${path}) as corrections,
        (select count(*)::int from dues_exemption x join org o on o.tenant_id = x.tenant_id and o.id = x.org_id where x.tenant_id = ${scope.tenantId} and x.status = 'pending' and o.path like ${path} and o.path <> ${scope.org.path}) as exemptions,
        (select count(*)::int from dues_usage x join org o on o.tenant_id = x.tenant_id and o.id = x.org_id where x.tenant_id = ${scope.tenantId} and x.status = 'pending' and o.path like ${path}) as usages,
        (select count(*)::int from dues_payment x join org o on o.tenant_id = x.tenant_id and o.id = x.org_id where x.tenant_id = ${scope.tenantId} and x.status = 'conflict' and o.path like ${path}) as conflicts,
        (select count(*)::int from dues_bill x join org o on o.tenant_id = x.tenant_id and o.id = x.org_id where x.tenant_id = ${scope.tenantId} and x.month = ${monthStart(currentMonth())}::date and o.path like ${path}) as current`,
    );
    if (c?.corrections)
      items.push({
        kind: 'corrections',
        level: 'info',
        count: c.corrections,
        message: `${c.corrections} 条党费基数更正申请待处理`,
      });
    if (c?.exemptions)
      items.push({
        kind: 'exemptions',
        level: 'info',
        count: c.exemptions,
        message: `${c.exemptions} 条特殊困难减免申请待上级审批`,
      });
    if (c?.usages)
      items.push({ kind: 'usages', level: 'info', count: c.usages, message: `${c.usages} 笔党费使用待审批` });
    if (c?.conflicts)
      items.push({
        kind: 'conflicts',
        level: 'warning',
        count: c.conflicts,
        message: `${c.conflicts} 笔重复支付待退款`,
      });
    if (c && c.current === 0)
      items.push({ kind: 'generate', level: 'info', count: 0, message: `${currentMonth()} 的党费账单尚未生成` });
  }
  return { items, total: items.length };
}

/**
 * A member's reminders, newest first (20). Reading them changes nothing: a GET must not write (issue 14
 * item 14 — a cross-site page could otherwise mark them read through the member's cookie); the page marks
 * them read with `markRemindersRead` (POST).
 */
export async function myReminders(db: Db, scope: Scope, memberId: string) {
  const rows = await queryRows<{
    id: string;
    sent_on: string;
    unpaid_months: number;
    owed_fen: string;
    level: string;
    sent_by: string | null;
    read_at: string | null;
  }>(
    db,
    sql`select id, sent_on::text as sent_on, unpaid_months, owed_fen, level, sent_by, read_at::text as read_at
        from dues_reminder where tenant_id = ${scope.tenantId} and member_id = ${memberId}
        order by sent_on desc, id limit 20`,
  );
  return rows.map((r) => ({
    id: r.id,
    sentOn: r.sent_on,
    unpaidMonths: r.unpaid_months,
    owedFen: n(r.owed_fen),
    level: r.level,
    sentBy: r.sent_by,
    read: r.read_at !== null,
  }));
}

/** The member has seen their reminders: marks them read (the 工作台 card stops counting them). */
export async function markRemindersRead(db: Db, scope: Scope, memberId: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update dues_reminder set read_at = now()
        where tenant_id = ${scope.tenantId} and member_id = ${memberId} and read_at is null returning id`,
  );
  return rows.length;
}

// ---------- remittances (上缴) ----------

/** Of a `dues_payment` row, the 自愿多交 owed to the Central Committee: all of it from 1000 元 up, else nothing. */
const centralShare = sql`case when extra_fen >= ${CENTRAL_VOLUNTARY_MIN_FEN} then extra_fen else 0 end`;

/**
 * Money owed to the Central Committee still held in the subtree: voluntary payments of 1000 元 or more paid in
 * it (CENTRAL_VOLUNTARY_CITATION), less what its remittances out of the subtree carried up.
 */
export async function centralHeldFen(db: Queryable, tenantId: string, orgPath: string): Promise<number> {
  const sub = subtreeOrgIds(tenantId, orgPath);
  const [r] = await queryRows<{ owed: string | null; sent: string | null }>(
    db,
    sql`select (select sum(${centralShare}) from dues_payment where tenant_id = ${tenantId} and status = 'paid' and org_id in ${sub}) as owed,
      (select sum(central_fen) from dues_remittance where tenant_id = ${tenantId} and org_id in ${sub} and (to_org_id is null or to_org_id not in ${sub})) as sent`,
  );
  return Math.max(0, n(r?.owed) - n(r?.sent));
}

export async function recordRemittance(
  db: Db,
  scope: Scope,
  input: { periodMonth: string; amountFen: number; remittedOn: string; note?: string | undefined },
) {
  const [self] = await db.select({ parentId: org.parentId }).from(org).where(eq(org.id, scope.org.id));
  return db.transaction(async (tx) => {
    // Money owed to the Central Committee goes up first: it is never the branch's to keep.
    const centralFen = Math.min(input.amountFen, await centralHeldFen(tx, scope.tenantId, scope.org.path));
    const [row] = await tx
      .insert(duesRemittance)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        toOrgId: self?.parentId ?? null,
        periodMonth: monthStart(input.periodMonth),
        amountFen: input.amountFen,
        centralFen,
        remittedOn: input.remittedOn,
        note: input.note ?? null,
        recordedBy: scope.actor.username,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'dues.remit',
      entityType: 'dues_remittance',
      entityId: row!.id,
      org: scope.org,
      after: { ...input, centralFen, toOrgId: row!.toOrgId },
    });
    return remittanceView(row!, scope.org.name, null);
  });
}

const remittanceView = (r: typeof duesRemittance.$inferSelect, orgName: string, toOrgName: string | null) => ({
  id: r.id,
  orgId: r.orgId,
  orgName,
  toOrgId: r.toOrgId,
  toOrgName: toOrgName ?? (r.toOrgId ? null : '上级党组织'),
  periodMonth: monthOf(r.periodMonth),
  amountFen: r.amountFen,
  centralFen: r.centralFen,
  remittedOn: r.remittedOn,
  note: r.note,
  recordedBy: r.recordedBy,
  createdAt: r.createdAt.toISOString(),
});

export async function listRemittances(
  db: Queryable,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  f: { year?: number | undefined },
  page: number,
  pageSize: number,
) {
  const where = sql`r.tenant_id = ${scope.tenantId} and (o.path like ${`${scope.org.path}%`} or r.to_org_id = ${scope.org.id})
    ${f.year ? sql`and extract(year from r.remitted_on) = ${f.year}` : sql``}`;
  const rows = await queryRows<{ id: string; org_name: string; to_name: string | null }>(
    db,
    sql`select r.id, o.name as org_name, t.name as to_name from dues_remittance r join org o on o.tenant_id = r.tenant_id and o.id = r.org_id left join org t on t.tenant_id = r.tenant_id and t.id = r.to_org_id
      where ${where} order by r.remitted_on desc, r.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dues_remittance r join org o on o.tenant_id = r.tenant_id and o.id = r.org_id where ${where}`,
  );
  const items = [];
  for (const r of rows) {
    const [row] = await db
      .select()
      .from(duesRemittance)
      .where(and(eq(duesRemittance.tenantId, scope.tenantId), eq(duesRemittance.id, r.id)));
    items.push(remittanceView(row!, r.org_name, r.to_name));
  }
  return { items, total: count?.n ?? 0 };
}

// ---------- usage (党费使用) ----------

export const orgOfUsage = orgOfRow(duesUsage);

const usageView = (r: typeof duesUsage.$inferSelect, orgName: string) => ({
  id: r.id,
  orgId: r.orgId,
  orgName,
  spentOn: r.spentOn,
  amountFen: r.amountFen,
  purpose: r.purpose,
  note: r.note,
  status: r.status,
  requestedBy: r.requestedByName,
  decidedBy: r.decidedBy,
  decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
  decisionNote: r.decisionNote,
  createdAt: r.createdAt.toISOString(),
});

export async function requestUsage(
  db: Db,
  scope: Scope,
  input: { spentOn: string; amountFen: number; purpose: string; note?: string | undefined },
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(duesUsage)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        spentOn: input.spentOn,
        amountFen: input.amountFen,
        purpose: input.purpose,
        note: input.note ?? null,
        requestedBy: scope.principal.user.id,
        requestedByName: scope.actor.username,
      })
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'dues.usage.request',
      entityType: 'dues_usage',
      entityId: row!.id,
      org: scope.org,
      after: input,
    });
    return usageView(row!, scope.org.name);
  });
}

export async function decideUsage(db: Db, scope: Scope, id: string, d: { approve: boolean; note: string }) {
  return db.transaction(async (tx) => {
    const [u] = await tx
      .select()
      .from(duesUsage)
      .where(and(eq(duesUsage.tenantId, scope.tenantId), eq(duesUsage.id, id)))
      .for('update');
    if (!u) throw notFound();
    if (u.status !== 'pending') throw conflict('该笔使用已审批', 'ALREADY_DECIDED');
    if (u.requestedBy === scope.principal.user.id) throw forbidden('不能审批自己提交的党费使用', 'SELF_APPROVAL');
    const [row] = await tx
      .update(duesUsage)
      .set(decisionOf(scope, d))
      .where(and(eq(duesUsage.tenantId, scope.tenantId), eq(duesUsage.id, id)))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: d.approve ? 'dues.usage.approve' : 'dues.usage.reject',
      entityType: 'dues_usage',
      entityId: id,
      org: scope.org,
      before: { status: 'pending' },
      after: { status: row!.status, note: d.note },
    });
    return usageView(row!, scope.org.name);
  });
}

export async function listUsages(
  db: Queryable,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  f: { status?: string | undefined; year?: number | undefined },
  page: number,
  pageSize: number,
) {
  const where = sql`u.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`}
    ${f.status ? sql`and u.status = ${f.status}` : sql``} ${f.year ? sql`and extract(year from u.spent_on) = ${f.year}` : sql``}`;
  const rows = await queryRows<{ id: string; org_name: string }>(
    db,
    sql`select u.id, o.name as org_name from dues_usage u join org o on o.tenant_id = u.tenant_id and o.id = u.org_id where ${where} order by u.spent_on desc, u.id limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dues_usage u join org o on o.tenant_id = u.tenant_id and o.id = u.org_id where ${where}`,
  );
  const items = [];
  for (const r of rows) {
    const [row] = await db
      .select()
      .from(duesUsage)
      .where(and(eq(duesUsage.tenantId, scope.tenantId), eq(duesUsage.id, r.id)));
    items.push(usageView(row!, r.org_name));
  }
  return { items, total: count?.n ?? 0 };
}

// ---------- ledger ----------

/**
 * The subtree's ledger by month for a year: bills (应缴/已缴/未缴 by bill month), money collected
 * (by the China-time month it was paid), remitted out of the subtree, approved usage, and the
 * running balance from all earlier years.
 */
export async function ledger(db: Queryable, scope: Pick<Scope, 'tenantId' | 'org'>, year: number) {
  const sub = subtreeOrgIds(scope.tenantId, scope.org.path);
  const start = `${year}-01`;
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const bills = await queryRows<{ m: string; billed: string; paid: string; unpaid: string }>(
    db,
    sql`select to_char(month, 'YYYY-MM') as m, sum(due_fen) as billed, sum(due_fen) filter (where status = 'paid') as paid, sum(due_fen) filter (where status = 'unpaid') as unpaid
      from dues_bill where org_id in ${sub} and month >= ${`${year}-01-01`}::date and month <= ${`${year}-12-01`}::date group by 1`,
  );
  const flows = await queryRows<{
    m: string;
    collected: string | null;
    extra: string | null;
    remitted: string | null;
    used: string | null;
    central: string | null;
    central_sent: string | null;
  }>(
    db,
    sql`select m, sum(collected) as collected, sum(extra) as extra, sum(remitted) as remitted, sum(used) as used, sum(central) as central, sum(central_sent) as central_sent from (
        select ${chinaMonth(sql.raw('paid_at'))} as m, amount_fen as collected, extra_fen as extra, 0 as remitted, 0 as used,
          ${centralShare} as central, 0 as central_sent
          from dues_payment where tenant_id = ${scope.tenantId} and status = 'paid' and org_id in ${sub}
        union all select to_char(remitted_on, 'YYYY-MM'), 0, 0, amount_fen, 0, 0, central_fen from dues_remittance where tenant_id = ${scope.tenantId} and org_id in ${sub} and (to_org_id is null or to_org_id not in ${sub})
        union all select to_char(spent_on, 'YYYY-MM'), 0, 0, 0, amount_fen, 0, 0 from dues_usage where tenant_id = ${scope.tenantId} and status = 'approved' and org_id in ${sub}
      ) f where m <= ${`${year}-12`} group by m`,
  );
  const byBill = new Map(bills.map((b) => [b.m, b]));
  const byFlow = new Map(flows.filter((f) => f.m >= start).map((f) => [f.m, f]));
  const earlier = flows.filter((f) => f.m < start);
  const openingFen = earlier.reduce((s, f) => s + n(f.collected) - n(f.remitted) - n(f.used), 0);
  const openingCentralFen = earlier.reduce((s, f) => s + n(f.central) - n(f.central_sent), 0);
  let balance = openingFen;
  let centralHeld = openingCentralFen;
  const items: LedgerMonth[] = months.map((m) => {
    const b = byBill.get(m);
    const f = byFlow.get(m);
    const net = n(f?.collected) - n(f?.remitted) - n(f?.used);
    balance += net;
    centralHeld += n(f?.central) - n(f?.central_sent);
    return {
      month: m,
      billedFen: n(b?.billed),
      paidBillsFen: n(b?.paid),
      unpaidFen: n(b?.unpaid),
      collectedFen: n(f?.collected),
      extraFen: n(f?.extra),
      remittedFen: n(f?.remitted),
      usedFen: n(f?.used),
      netFen: net,
      balanceFen: balance,
      centralFen: n(f?.central),
      centralHeldFen: Math.max(0, centralHeld),
      usableFen: balance - Math.max(0, centralHeld),
    };
  });
  const sum = (k: keyof LedgerMonth) => items.reduce((s, i) => s + (i[k] as number), 0);
  return {
    org: { id: scope.org.id, name: scope.org.name },
    year,
    openingFen,
    items,
    total: items.length,
    totals: {
      billedFen: sum('billedFen'),
      paidBillsFen: sum('paidBillsFen'),
      unpaidFen: sum('unpaidFen'),
      collectedFen: sum('collectedFen'),
      extraFen: sum('extraFen'),
      remittedFen: sum('remittedFen'),
      usedFen: sum('usedFen'),
      netFen: sum('netFen'),
      closingFen: balance,
      centralFen: sum('centralFen'),
      closingCentralHeldFen: Math.max(0, centralHeld),
      closingUsableFen: balance - Math.max(0, centralHeld),
    },
    centralRule: CENTRAL_VOLUNTARY_CITATION,
  };
}

/** One month's bills in the subtree: how many and how much billed, how many and how much of it paid. */
export async function monthCollection(db: Queryable, tenantId: string, orgPath: string, month: string) {
  const [r] = await queryRows<{ bills: number; paid_bills: number; billed: string | null; paid: string | null }>(
    db,
    sql`select count(*)::int as bills, (count(*) filter (where b.status = 'paid'))::int as paid_bills,
        sum(b.due_fen) as billed, sum(b.due_fen) filter (where b.status = 'paid') as paid
      from dues_bill b join org o on o.id = b.org_id and o.tenant_id = b.tenant_id
      where b.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`} and b.month = ${monthStart(month)}::date`,
  );
  return { month, bills: r?.bills ?? 0, paidBills: r?.paid_bills ?? 0, billedFen: n(r?.billed), paidFen: n(r?.paid) };
}

/** `monthCollection` for every org of a subtree and every month from `fromMonth` to `toMonth` at once, by org path. */
export async function collectionByOrg(
  db: Queryable,
  tenantId: string,
  rootPath: string,
  fromMonth: string,
  toMonth: string,
) {
  return queryRows<{ path: string; month: string; bills: number; paid_bills: number }>(
    db,
    sql`select o.path, to_char(b.month, 'YYYY-MM') as month, count(*)::int as bills, (count(*) filter (where b.status = 'paid'))::int as paid_bills
      from dues_bill b join org o on o.id = b.org_id and o.tenant_id = b.tenant_id
      where b.tenant_id = ${tenantId} and o.path like ${`${rootPath}%`}
        and b.month between ${monthStart(fromMonth)}::date and ${monthStart(toMonth)}::date
      group by 1, 2`,
  );
}

/** Money collected (paid payments, bills plus 自愿多交) per China-time month `YYYY-MM` of `months`. */
export async function collectedByMonth(
  db: Queryable,
  tenantId: string,
  orgPath: string,
  months: string[],
): Promise<number[]> {
  if (months.length === 0) return [];
  // The first month's start in China time, as an instant (UTC+8, no daylight saving).
  const from = new Date(`${monthStart(months[0]!)}T00:00:00+08:00`);
  const rows = await queryRows<{ m: string; fen: string }>(
    db,
    sql`select ${chinaMonth(sql.raw('p.paid_at'))} as m, sum(p.amount_fen) as fen
      from dues_payment p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id
      where p.tenant_id = ${tenantId} and o.path like ${`${orgPath}%`} and p.status = 'paid' and p.paid_at >= ${from.toISOString()}::timestamptz
      group by 1`,
  );
  const byMonth = new Map(rows.map((r) => [r.m, n(r.fen)]));
  return months.map((m) => byMonth.get(m) ?? 0);
}

/**
 * The org whose public ledger a member sees: their own, or — for a member filed in a 党小组 — the branch above it,
 * since a party group keeps no dues accounts of its own (dues are collected and accounted by the branch).
 */
export async function memberLedgerOrg(db: Queryable, tenantId: string, orgId: string): Promise<OrgRef | null> {
  const rows = await db
    .select({
      id: org.id,
      path: org.path,
      tenantId: org.tenantId,
      name: org.name,
      kind: org.kind,
      parentId: org.parentId,
    })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, orgId)));
  const [home] = rows;
  if (!home) return null;
  const { parentId, ...ref } = home;
  return home.kind === 'group' && parentId ? memberLedgerOrg(db, tenantId, parentId) : ref;
}

/** The members' view of their org's ledger: totals by month, remittances and approved usage — no one's personal bills. */
export async function publicLedger(db: Queryable, scope: Pick<Scope, 'tenantId' | 'org'>, year: number) {
  const l = await ledger(db, scope, year);
  const usages = await listUsages(db, scope, { status: 'approved', year }, 1, 200);
  const remittances = await listRemittances(db, scope, { year }, 1, 200);
  return {
    org: l.org,
    year,
    openingFen: l.openingFen,
    items: l.items.map((i) => ({
      month: i.month,
      collectedFen: i.collectedFen,
      remittedFen: i.remittedFen,
      usedFen: i.usedFen,
      balanceFen: i.balanceFen,
    })),
    total: 12,
    totals: {
      collectedFen: l.totals.collectedFen,
      remittedFen: l.totals.remittedFen,
      usedFen: l.totals.usedFen,
      closingFen: l.totals.closingFen,
    },
    usages: usages.items.map((u) => ({
      spentOn: u.spentOn,
      amountFen: u.amountFen,
      purpose: u.purpose,
      orgName: u.orgName,
    })),
    remittances: remittances.items.map((r) => ({
      remittedOn: r.remittedOn,
      periodMonth: r.periodMonth,
      amountFen: r.amountFen,
      orgName: r.orgName,
      toOrgName: r.toOrgName,
    })),
  };
}

const RECON_KEYS = [
  'billedFen',
  'paidBillsFen',
  'unpaidFen',
  'exemptedFen',
  'collectedFen',
  'allocatedFen',
  'extraFen',
  'remittedOutFen',
  'remittedInFen',
  'usedFen',
  'netFen',
] as const;

/**
 * 对账: every org of the subtree with its own figures for the months [from, to], the totals, and
 * checks that must hold — computed by independent queries, so a broken link shows up as a failed
 * check rather than a silently wrong total.
 */
export async function reconciliation(
  db: Queryable,
  scope: Pick<Scope, 'tenantId' | 'org'>,
  from: string,
  to: string,
  page: number,
  pageSize: number,
) {
  if (to < from)
    throw unprocessable(
      '结束月份不能早于开始月份',
      [{ field: 'to', message: '结束月份不能早于开始月份' }],
      'INVALID_RANGE',
    );
  const t = scope.tenantId;
  const path = `${scope.org.path}%`;
  const m0 = monthStart(from);
  const m1 = monthStart(to);
  const inPeriod = (col: ReturnType<typeof sql.raw>) => sql`${chinaMonth(col)} between ${from} and ${to}`;
  const rows = await queryRows<
    Record<string, string | number | null> & { org_id: string; org_name: string; depth: number }
  >(
    db,
    sql`with o as (select id, name, depth, path from org where tenant_id = ${t} and path like ${path}),
      b as (select org_id, sum(due_fen) as billed, sum(due_fen) filter (where status = 'paid') as paid, sum(due_fen) filter (where status = 'unpaid') as unpaid,
              sum(standard_fen - due_fen) as exempted from dues_bill where tenant_id = ${t} and month between ${m0}::date and ${m1}::date group by org_id),
      p as (select org_id, sum(amount_fen) as collected, sum(extra_fen) as extra from dues_payment where tenant_id = ${t} and status = 'paid' and ${inPeriod(sql.raw('paid_at'))} group by org_id),
      a as (select p.org_id, sum(pb.amount_fen) as allocated from dues_payment p join dues_payment_bill pb on pb.payment_id = p.id
              where p.tenant_id = ${t} and p.status = 'paid' and ${inPeriod(sql.raw('p.paid_at'))} group by p.org_id),
      ro as (select org_id, sum(amount_fen) as amt from dues_remittance where tenant_id = ${t} and to_char(remitted_on, 'YYYY-MM') between ${from} and ${to} group by org_id),
      ri as (select to_org_id as org_id, sum(amount_fen) as amt from dues_remittance where tenant_id = ${t} and to_char(remitted_on, 'YYYY-MM') between ${from} and ${to} group by to_org_id),
      u as (select org_id, sum(amount_fen) as amt from dues_usage where tenant_id = ${t} and status = 'approved' and to_char(spent_on, 'YYYY-MM') between ${from} and ${to} group by org_id)
    select o.id as org_id, o.name as org_name, o.depth, b.billed, b.paid, b.unpaid, b.exempted, p.collected, p.extra, a.allocated, ro.amt as rout, ri.amt as rin, u.amt as used
    from o left join b on b.org_id = o.id left join p on p.org_id = o.id left join a on a.org_id = o.id left join ro on ro.org_id = o.id
      left join ri on ri.org_id = o.id left join u on u.org_id = o.id
    order by o.path`,
  );
  const all: ReconRow[] = rows.map((r) => {
    const row = {
      orgId: r.org_id,
      orgName: r.org_name,
      depth: r.depth,
      billedFen: n(r.billed),
      paidBillsFen: n(r.paid),
      unpaidFen: n(r.unpaid),
      exemptedFen: n(r.exempted),
      collectedFen: n(r.collected),
      allocatedFen: n(r.allocated),
      extraFen: n(r.extra),
      remittedOutFen: n(r.rout),
      remittedInFen: n(r.rin),
      usedFen: n(r.used),
      netFen: 0,
    };
    row.netFen = row.collectedFen + row.remittedInFen - row.remittedOutFen - row.usedFen;
    return row;
  });
  const totals = Object.fromEntries(RECON_KEYS.map((k) => [k, all.reduce((s, r) => s + r[k], 0)])) as Record<
    (typeof RECON_KEYS)[number],
    number
  >;

  // Independent figures for the checks.
  const [ind] = await queryRows<{
    billed: string | null;
    exempt_due: string | null;
    collected: string | null;
    alloc: string | null;
    extra: string | null;
    orphan_paid: number;
    ext_out: string | null;
    ext_in: string | null;
  }>(
    db,
    sql`select
      (select sum(b.due_fen) from dues_bill b join org o on o.id = b.org_id and o.tenant_id = b.tenant_id where b.tenant_id = ${t} and o.path like ${path} and b.month between ${m0}::date and ${m1}::date) as billed,
      (select sum(b.due_fen) from dues_bill b join org o on o.id = b.org_id and o.tenant_id = b.tenant_id where b.tenant_id = ${t} and o.path like ${path} and b.month between ${m0}::date and ${m1}::date and b.status = 'exempt') as exempt_due,
      (select sum(p.amount_fen) from dues_payment p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id where p.tenant_id = ${t} and o.path like ${path} and p.status = 'paid' and ${inPeriod(sql.raw('p.paid_at'))}) as collected,
      (select sum(pb.amount_fen) from dues_payment_bill pb join dues_payment p on p.tenant_id = ${t} and p.id = pb.payment_id join org o on o.tenant_id = p.tenant_id and o.id = p.org_id
        where p.tenant_id = ${t} and o.path like ${path} and p.status = 'paid' and ${inPeriod(sql.raw('p.paid_at'))}) as alloc,
      (select sum(p.extra_fen) from dues_payment p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id where p.tenant_id = ${t} and o.path like ${path} and p.status = 'paid' and ${inPeriod(sql.raw('p.paid_at'))}) as extra,
      (select count(*)::int from dues_bill b join org o on o.id = b.org_id and o.tenant_id = b.tenant_id left join dues_payment p on p.id = b.payment_id and p.tenant_id = b.tenant_id
        where b.tenant_id = ${t} and o.path like ${path} and b.status = 'paid' and (p.id is null or p.status <> 'paid')) as orphan_paid,
      (select sum(r.amount_fen) from dues_remittance r join org o on o.tenant_id = r.tenant_id and o.id = r.org_id left join org x on x.tenant_id = r.tenant_id and x.id = r.to_org_id
        where r.tenant_id = ${t} and o.path like ${path} and (x.id is null or x.path not like ${path}) and to_char(r.remitted_on, 'YYYY-MM') between ${from} and ${to}) as ext_out,
      (select sum(r.amount_fen) from dues_remittance r join org x on x.tenant_id = r.tenant_id and x.id = r.to_org_id join org o on o.tenant_id = r.tenant_id and o.id = r.org_id
        where r.tenant_id = ${t} and x.path like ${path} and o.path not like ${path} and to_char(r.remitted_on, 'YYYY-MM') between ${from} and ${to}) as ext_in`,
  );
  const check = (name: string, label: string, expectedFen: number, actualFen: number) => ({
    name,
    label,
    expectedFen,
    actualFen,
    ok: expectedFen === actualFen,
  });
  const checks = [
    check(
      'bills_add_up',
      '应缴 = 已缴 + 未缴 + 免交（账单口径）',
      n(ind?.billed),
      totals.paidBillsFen + totals.unpaidFen + n(ind?.exempt_due),
    ),
    check('payments_allocated', '实收 = 分摊到账单的金额 + 自愿多交', n(ind?.collected), n(ind?.alloc) + n(ind?.extra)),
    check('rows_add_up_collected', '各组织实收之和 = 实收总额', n(ind?.collected), totals.collectedFen),
    check('paid_bills_have_payment', '已缴账单均有已到账的缴费记录（异常笔数）', 0, n(ind?.orphan_paid)),
    check(
      'net_internal_transfers_cancel',
      '各组织结余之和 = 实收 − 上缴系统外 + 外部转入 − 使用',
      n(ind?.collected) - n(ind?.ext_out) + n(ind?.ext_in) - totals.usedFen,
      totals.netFen,
    ),
  ];
  return {
    from,
    to,
    items: all.slice((page - 1) * pageSize, page * pageSize),
    total: all.length,
    totals,
    checks,
    ok: checks.every((c) => c.ok),
  };
}

export type { OrgRef };
