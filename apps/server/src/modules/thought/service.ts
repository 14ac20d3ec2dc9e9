/**
 * 思想汇报 (thought reports): members submit, the record keepers of their org subtree read, mark and comment,
 * the member sees the feedback; who is expected each period (shared/thought.ts), the list of those who have not
 * reported yet with reminders, and the 思想动态 overview (counts and rates only).
 *
 * Who reads a report's text (and the comment): its writer, and the record keepers (系统管理员, 组织部管理员, 书记)
 * whose binding covers the report's org. Nobody else — not the 审计员, not another branch's 书记, not another
 * member of the same branch: the access lookup answers 404 to them, and the service checks again.
 */
import {
  addMonths,
  DEFAULT_FLOWING_CADENCE,
  inGroup,
  now,
  periodLabel,
  periodOf,
  periodRange,
  RECORD_KEEPERS,
  shortestCadence,
  THOUGHT_CATEGORY_LABELS,
  THOUGHT_CATEGORIES,
  THOUGHT_MARK_LABELS,
  THOUGHT_RULES,
  THOUGHT_THEME_LABELS,
  THOUGHT_THEMES,
  type ThoughtTheme,
  todayInChina,
  type ThoughtCadence,
  type ThoughtCategory,
  type ThoughtCommentInput,
  type ThoughtDashboard,
  type ThoughtMark,
  type ThoughtMe,
  type ThoughtOverdueRow,
  type ThoughtOverview,
  type ThoughtReportBrief,
  type ThoughtReportDetail,
  type ThoughtReportInput,
  type ThoughtSettings,
  type PaperReportInput,
  type ProxyReportInput,
} from '@xianfeng/shared';
import crypto from 'node:crypto';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { actorName, covers, loadOrgRef, orgThroughPart, type Caller, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable, onKey } from '../../platform/db';
import { forbidden, notFound, unprocessable } from '../../platform/errors';
import { countFrom, pageWhere } from '../../platform/paging';
import { appUser, org } from '../../platform/schema';
import { developPerson, openActivistsWithin, personBrief } from '../develop/service';
import { member, onRollAs, memberOfUser } from '../member/service';
import { notify } from '../notify/service';
import { thoughtReport, thoughtSetting } from './schema';

type ReportRow = typeof thoughtReport.$inferSelect;

// ---------------------------------------------------------------- access lookups

async function headOf(db: Queryable, tenantId: string, id: string) {
  const [row] = await db
    .select({
      orgId: thoughtReport.orgId,
      orgPath: org.path,
      memberUserId: member.userId,
      submittedBy: thoughtReport.submittedBy,
    })
    .from(thoughtReport)
    .innerJoin(org, onKey(org, thoughtReport.orgId, thoughtReport))
    .leftJoin(member, onKey(member, thoughtReport.memberId, thoughtReport))
    .where(and(eq(thoughtReport.tenantId, tenantId), eq(thoughtReport.id, id)));
  return row ?? null;
}

const isWriter = (head: { memberUserId: string | null; submittedBy: string | null }, userId: string) =>
  head.memberUserId === userId || head.submittedBy === userId;

/**
 * Reading a report: its writer reaches it through their own binding (they may have moved since); a record keeper
 * whose binding covers the report's org reaches the report's org; anyone else is told it does not exist.
 */
export async function orgOfReportForReader(
  db: Queryable,
  tenantId: string,
  id: string,
  caller: Caller,
): Promise<string | null> {
  const head = await headOf(db, tenantId, id);
  if (!head) return null;
  return orgThroughPart(db, tenantId, caller, head, isWriter(head, caller.userId), RECORD_KEEPERS);
}

/** Commenting: the report's org — its record keepers (and those above) mark and comment. */
export async function orgOfReport(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await headOf(db, tenantId, id))?.orgId ?? null;
}

// ---------------------------------------------------------------- views

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Joined = {
  r: ReportRow;
  memberName: string | null;
  personName: string | null;
  orgName: string;
  /** The member's own account, and the name of the account that submitted: they differ for 代为填写. */
  memberUserId: string | null;
  submitterName: string | null;
};

function brief({ r, memberName, personName, orgName, memberUserId, submitterName }: Joined): ThoughtReportBrief {
  return {
    id: r.id,
    memberId: r.memberId,
    memberName: memberName ?? personName ?? '',
    paper: r.developPersonId !== null,
    orgId: r.orgId,
    orgName,
    title: r.title,
    period: r.period,
    themes: r.themes as ThoughtTheme[],
    submittedAt: r.submittedAt.toISOString(),
    enteredBy:
      r.memberId !== null && r.submittedBy !== null && r.submittedBy !== memberUserId ? (submitterName ?? '') : null,
    mark: (r.mark as ThoughtMark | null) ?? null,
    commentedAt: iso(r.commentedAt),
  };
}

function detail(fc: FieldCrypto, j: Joined): ThoughtReportDetail {
  const { r } = j;
  return {
    ...brief(j),
    text: fc.decrypt(r.textEnc, thoughtReport.textEnc, r.id),
    comment: r.commentEnc ? fc.decrypt(r.commentEnc, thoughtReport.commentEnc, r.id) : null,
    commentedBy: r.commentedBy,
  };
}

const joined = (db: Queryable) =>
  db
    .select({
      r: thoughtReport,
      memberName: member.name,
      personName: developPerson.name,
      orgName: org.name,
      memberUserId: member.userId,
      submitterName: appUser.displayName,
    })
    .from(thoughtReport)
    .innerJoin(org, onKey(org, thoughtReport.orgId, thoughtReport))
    .leftJoin(member, onKey(member, thoughtReport.memberId, thoughtReport))
    .leftJoin(developPerson, onKey(developPerson, thoughtReport.developPersonId, thoughtReport))
    .leftJoin(appUser, onKey(appUser, thoughtReport.submittedBy, thoughtReport));

async function loadJoined(db: Queryable, tenantId: string, id: string): Promise<Joined> {
  const [row] = await joined(db).where(and(eq(thoughtReport.tenantId, tenantId), eq(thoughtReport.id, id)));
  if (!row) throw notFound();
  return row;
}

// ---------------------------------------------------------------- who is expected

type Setting = { path: string; cadence: ThoughtCadence; orgId: string };

async function settingsOf(db: Queryable, tenantId: string): Promise<Setting[]> {
  return (
    await db
      .select({ path: org.path, cadence: thoughtSetting.flowingCadence, orgId: thoughtSetting.orgId })
      .from(thoughtSetting)
      .innerJoin(org, onKey(org, thoughtSetting.orgId, thoughtSetting))
      .where(eq(thoughtSetting.tenantId, tenantId))
  ).map((s) => ({ ...s, cadence: s.cadence as ThoughtCadence }));
}

/** The 流动党员 cadence at an org: the nearest org at or above it that set one, else the default. */
function flowingCadenceAt(settings: Setting[], orgPath: string): { cadence: ThoughtCadence; orgId: string | null } {
  const s = settings.filter((x) => orgPath.startsWith(x.path)).sort((a, b) => b.path.length - a.path.length)[0];
  return s ? { cadence: s.cadence, orgId: s.orgId } : { cadence: DEFAULT_FLOWING_CADENCE, orgId: null };
}

function cadenceOf(categories: ThoughtCategory[], flowing: ThoughtCadence): ThoughtCadence {
  return shortestCadence(
    categories.map((c) => {
      const rule = THOUGHT_RULES[c].cadence;
      return rule === 'branch' ? flowing : rule;
    }),
  );
}

type Expected = {
  kind: 'member' | 'develop';
  id: string;
  name: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  userId: string | null;
  categories: ThoughtCategory[];
  cadence: ThoughtCadence;
  period: string;
  submitted: boolean;
  lastSubmittedAt: Date | null;
};

/** Everyone of the subtree at `path` expected to report, with their current period and whether they did. */
async function expectedWithin(db: Queryable, tenantId: string, path: string, today: string): Promise<Expected[]> {
  const settings = await settingsOf(db, tenantId);
  const members = await queryRows<{
    id: string;
    name: string;
    org_id: string;
    org_name: string;
    org_path: string;
    status: string;
    flowing: boolean;
    user_id: string | null;
  }>(
    db,
    sql`select m.id, m.name, m.org_id, o.name as org_name, o.path as org_path, m.status, m.flowing, m.user_id
        from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
        where m.tenant_id = ${tenantId} and ${onRollAs('m')} and m.org_path like ${`${path}%`}
          and (m.status = 'probationary' or m.flowing)
        order by o.path, m.name, m.id`,
  );
  const persons = await openActivistsWithin(db, tenantId, path);
  const out: Expected[] = [];
  for (const m of members) {
    const categories: ThoughtCategory[] = [];
    if (m.status === 'probationary') categories.push('probationary');
    if (m.flowing) categories.push('flowing');
    const cadence = cadenceOf(categories, flowingCadenceAt(settings, m.org_path).cadence);
    out.push({
      kind: 'member',
      id: m.id,
      name: m.name,
      orgId: m.org_id,
      orgName: m.org_name,
      orgPath: m.org_path,
      userId: m.user_id,
      categories,
      cadence,
      period: periodOf(cadence, today),
      submitted: false,
      lastSubmittedAt: null,
    });
  }
  for (const p of persons) {
    const categories: ThoughtCategory[] = [p.status as ThoughtCategory];
    const cadence = cadenceOf(categories, DEFAULT_FLOWING_CADENCE);
    out.push({
      kind: 'develop',
      id: p.id,
      name: p.name,
      orgId: p.orgId,
      orgName: p.orgName,
      orgPath: p.orgPath,
      userId: null,
      categories,
      cadence,
      period: periodOf(cadence, today),
      submitted: false,
      lastSubmittedAt: null,
    });
  }
  // What each of them has submitted (period and last time), in two queries.
  const byKind = async (col: 'member_id' | 'develop_person_id', ids: string[]) =>
    ids.length
      ? queryRows<{ who: string; period: string; at: Date }>(
          db,
          sql`select ${sql.raw(col)} as who, period, max(submitted_at) as at from thought_report
              where tenant_id = ${tenantId} and ${sql.raw(col)} = any(${sql.param(ids)}::uuid[]) group by 1, 2`,
        )
      : [];
  const done = [
    ...(await byKind(
      'member_id',
      out.filter((e) => e.kind === 'member').map((e) => e.id),
    )),
    ...(await byKind(
      'develop_person_id',
      out.filter((e) => e.kind === 'develop').map((e) => e.id),
    )),
  ];
  const index = new Map(out.map((e) => [e.id, e]));
  for (const d of done) {
    const e = index.get(d.who);
    if (!e) continue;
    const at = new Date(d.at);
    if (d.period === e.period) e.submitted = true;
    if (!e.lastSubmittedAt || at > e.lastSubmittedAt) e.lastSubmittedAt = at;
  }
  return out;
}

// ---------------------------------------------------------------- member side

/** What the signed-in person is expected to report now. */
export async function meOf(db: Queryable, scope: Scope, today = todayInChina()): Promise<ThoughtMe> {
  const me = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  const period = periodOf(DEFAULT_FLOWING_CADENCE, today);
  if (!me || me.leftAt)
    return {
      memberId: null,
      memberName: null,
      categories: [],
      cadence: null,
      period,
      periodLabel: periodLabel(period),
      submitted: false,
    };
  const categories: ThoughtCategory[] = [];
  if (me.status === 'probationary') categories.push('probationary');
  if (me.flowing) categories.push('flowing');
  const ref = await loadOrgRef(db, scope.tenantId, me.orgId);
  const cadence = categories.length
    ? cadenceOf(categories, flowingCadenceAt(await settingsOf(db, scope.tenantId), ref?.path ?? '').cadence)
    : null;
  const p = periodOf(cadence ?? DEFAULT_FLOWING_CADENCE, today);
  const [done] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(thoughtReport)
    .where(
      and(eq(thoughtReport.tenantId, scope.tenantId), eq(thoughtReport.memberId, me.id), eq(thoughtReport.period, p)),
    );
  return {
    memberId: me.id,
    memberName: me.name,
    categories: categories.map((c) => ({
      category: c,
      label: THOUGHT_CATEGORY_LABELS[c],
      citation: THOUGHT_RULES[c].citation,
      confirmed: THOUGHT_RULES[c].confirmed,
    })),
    cadence,
    period: p,
    periodLabel: periodLabel(p),
    submitted: (done?.n ?? 0) > 0,
  };
}

export async function submitReport(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  input: ThoughtReportInput,
  today = todayInChina(),
): Promise<ThoughtReportDetail> {
  const me = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!me || me.leftAt) throw forbidden('只有党员本人可以提交思想汇报：您的账号没有关联党员档案', 'THOUGHT_NOT_MEMBER');
  if (input.memberId && input.memberId !== me.id)
    throw forbidden('只能以本人身份提交思想汇报，不能替他人提交', 'THOUGHT_NOT_SELF');
  return writeMemberReport(db, fc, scope, me, input, today, 'thought.report.submit', {});
}

/**
 * 代为填写: a record keeper covering the member's org (the route checked it) enters a report the member dictated or
 * handed in — the member's report for its period (it counts as submitted), `submitted_by` the keeper's account,
 * so the record says who entered it; the audit carries the reason. Not for oneself (the member's own page is for
 * that) and not for a member who has left.
 */
export async function recordReportFor(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  memberId: string,
  input: ProxyReportInput,
  today = todayInChina(),
): Promise<ThoughtReportDetail> {
  const [m] = await db
    .select({ id: member.id, orgId: member.orgId, userId: member.userId, leftAt: member.leftAt })
    .from(member)
    .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, memberId)));
  if (!m) throw notFound();
  if (m.leftAt) throw unprocessable('该党员已不在册，不能代为填写思想汇报', undefined, 'THOUGHT_MEMBER_LEFT');
  if (m.userId !== null && m.userId === scope.principal.user.id)
    throw forbidden('本人的思想汇报请在「我的思想汇报」中提交，不用代为填写', 'THOUGHT_PROXY_SELF');
  return writeMemberReport(db, fc, scope, m, input, today, 'thought.report.proxy', {
    onBehalf: true,
    reason: input.reason,
  });
}

/**
 * A member's report for a period that has begun, written by the signed-in account (the member, or the keeper who
 * enters it for them), sealed, and audited by its title and period — never its text.
 */
async function writeMemberReport(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  m: { id: string; orgId: string },
  input: { title: string; period: string; text: string; themes: ThoughtTheme[] },
  today: string,
  action: string,
  audited: Record<string, unknown>,
): Promise<ThoughtReportDetail> {
  const range = periodRange(input.period);
  if (range.from > today)
    throw unprocessable(
      `${periodLabel(input.period)}尚未开始，不能提前提交`,
      [{ field: 'period', message: '请选择本期或以前的期次' }],
      'THOUGHT_PERIOD_FUTURE',
    );
  if (Number(input.period.slice(0, 4)) < 2000)
    throw unprocessable(
      '期次年份不正确',
      [{ field: 'period', message: '请选择本期或以前的期次' }],
      'THOUGHT_PERIOD_OLD',
    );
  const at = await loadOrgRef(db, scope.tenantId, m.orgId);
  if (!at) throw notFound();
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(thoughtReport).values({
      id,
      tenantId: scope.tenantId,
      orgId: m.orgId,
      memberId: m.id,
      period: input.period,
      title: input.title,
      themes: input.themes,
      textEnc: fc.encrypt(input.text, thoughtReport.textEnc, id),
      submittedBy: scope.principal.user.id,
      submittedAt: now(),
    });
    await writeAudit(tx, scope.actor, {
      action,
      entityType: 'thought_report',
      entityId: id,
      org: at,
      after: { memberId: m.id, period: input.period, title: input.title, ...audited },
    });
  });
  return detail(fc, await loadJoined(db, scope.tenantId, id));
}

/** Whole reports (text and feedback) under `where`, newest first: a member's own, or one person's for 考察. */
const reportsPage = (db: Queryable, fc: FieldCrypto, where: SQL | undefined, page: number, pageSize: number) =>
  pageWhere(
    joined(db).$dynamic(),
    countFrom(db, thoughtReport),
    where,
    [desc(thoughtReport.submittedAt), desc(thoughtReport.id)],
    page,
    pageSize,
    (r) => detail(fc, r),
  );

/** The member's own reports, newest first, with the feedback. */
export async function myReports(db: Queryable, fc: FieldCrypto, scope: Scope, page: number, pageSize: number) {
  const me = await memberOfUser(db, scope.tenantId, scope.principal.user.id);
  if (!me) return { items: [], total: 0 };
  const where = and(eq(thoughtReport.tenantId, scope.tenantId), eq(thoughtReport.memberId, me.id));
  return reportsPage(db, fc, where, page, pageSize);
}

/** One report with its text: the writer, or a record keeper covering its org (checked again here). */
export async function getReport(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  id: string,
): Promise<ThoughtReportDetail> {
  const j = await loadJoined(db, scope.tenantId, id);
  const writer =
    j.r.submittedBy === scope.principal.user.id ||
    (j.r.memberId !== null && (await memberOfUser(db, scope.tenantId, scope.principal.user.id))?.id === j.r.memberId);
  const ref = await loadOrgRef(db, scope.tenantId, j.r.orgId);
  const keeper =
    ref !== null && scope.principal.bindings.some((b) => inGroup(RECORD_KEEPERS, b.role) && covers(b.org, ref));
  if (!writer && !keeper) throw notFound();
  return detail(fc, j);
}

// ---------------------------------------------------------------- secretary side

export type QueueFilter = { status: 'pending' | 'commented' | 'all'; period?: string };

/** Reports of the org subtree, those not yet commented first; no text in the list. */
export async function queue(db: Queryable, scope: Scope, f: QueueFilter, page: number, pageSize: number) {
  const conds: SQL[] = [eq(thoughtReport.tenantId, scope.tenantId), sql`${org.path} like ${`${scope.org.path}%`}`];
  if (f.status === 'pending') conds.push(sql`${thoughtReport.commentedAt} is null`);
  if (f.status === 'commented') conds.push(sql`${thoughtReport.commentedAt} is not null`);
  if (f.period) conds.push(eq(thoughtReport.period, f.period));
  const where = and(...conds);
  return pageWhere(
    joined(db).$dynamic(),
    countFrom(db, thoughtReport).innerJoin(org, onKey(org, thoughtReport.orgId, thoughtReport)),
    where,
    [sql`${thoughtReport.commentedAt} is null desc`, desc(thoughtReport.submittedAt), desc(thoughtReport.id)],
    page,
    pageSize,
    brief,
  );
}

export async function commentReport(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  id: string,
  input: ThoughtCommentInput,
): Promise<ThoughtReportDetail> {
  const j = await loadJoined(db, scope.tenantId, id);
  if (j.r.submittedBy === scope.principal.user.id)
    throw unprocessable('不能批阅本人的思想汇报，请由上级或其他支委批阅', undefined, 'THOUGHT_OWN_REPORT');
  const by = actorName(scope);
  await db.transaction(async (tx) => {
    await tx
      .update(thoughtReport)
      .set({
        mark: input.mark,
        commentEnc: fc.encrypt(input.comment, thoughtReport.commentEnc, id),
        commentedBy: by,
        commentedAt: now(),
      })
      .where(eq(thoughtReport.id, id));
    if (j.r.submittedBy)
      await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'thought.commented',
        recipients: { users: [j.r.submittedBy] },
        data: {
          orgName: scope.org.name,
          title: j.r.title,
          period: periodLabel(j.r.period),
          mark: THOUGHT_MARK_LABELS[input.mark],
        },
        link: '/thought/mine',
        dedupeKey: `thought.commented:${id}:${now().toISOString()}`,
      });
    await writeAudit(tx, scope.actor, {
      action: 'thought.report.comment',
      entityType: 'thought_report',
      entityId: id,
      org: scope.org,
      before: { mark: j.r.mark },
      after: { mark: input.mark },
    });
  });
  return detail(fc, await loadJoined(db, scope.tenantId, id));
}

const overdueRow = (e: Expected): ThoughtOverdueRow => ({
  kind: e.kind,
  id: e.id,
  name: e.name,
  orgId: e.orgId,
  orgName: e.orgName,
  categories: e.categories,
  cadence: e.cadence,
  period: e.period,
  periodEnd: periodRange(e.period).to,
  lastSubmittedAt: iso(e.lastSubmittedAt),
  canRemind: e.kind === 'member' && e.userId !== null,
});

/** Who of the subtree is expected in their current period and has not reported yet. */
export async function overdue(db: Queryable, scope: Scope, page: number, pageSize: number, today = todayInChina()) {
  const all = (await expectedWithin(db, scope.tenantId, scope.org.path, today)).filter((e) => !e.submitted);
  return { items: all.slice((page - 1) * pageSize, page * pageSize).map(overdueRow), total: all.length };
}

/** 「提醒」: a notice to each member of the list (or the chosen ones) who has an account; once a day each. */
export async function remind(db: Db, scope: Scope, memberIds: string[] | undefined, today = todayInChina()) {
  const open = (await expectedWithin(db, scope.tenantId, scope.org.path, today)).filter(
    (e) => !e.submitted && e.kind === 'member',
  );
  const chosen = memberIds ? open.filter((e) => memberIds.includes(e.id)) : open;
  const reachable = chosen.filter((e) => e.userId);
  let reminded = 0;
  await db.transaction(async (tx) => {
    for (const e of reachable) {
      const r = await notify(tx, {
        tenantId: scope.tenantId,
        kind: 'thought.remind',
        recipients: { users: [e.userId!] },
        data: {
          orgName: e.orgName,
          category: e.categories.map((c) => THOUGHT_CATEGORY_LABELS[c]).join('、'),
          period: periodLabel(e.period),
          dueDate: periodRange(e.period).to,
        },
        link: '/thought/mine',
        dedupeKey: `thought.remind:${e.id}:${e.period}:${today}`,
      });
      reminded += r.notified;
    }
    await writeAudit(tx, scope.actor, {
      action: 'thought.remind',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      after: { members: reachable.map((e) => e.id), reminded },
    });
  });
  const asked = memberIds ? memberIds.length : open.length;
  return { reminded, skipped: asked - reminded };
}

/** 思想动态: how many of those expected have reported this period, by category and by org below; marks this quarter. */
/** Expected, submitted and the rate in % (one decimal; null when nobody is expected). */
function rateOf(xs: Expected[]) {
  const submitted = xs.filter((e) => e.submitted).length;
  return { expected: xs.length, submitted, rate: xs.length ? Math.round((submitted / xs.length) * 1000) / 10 : null };
}

/** The 驾驶舱's 思想汇报 figure (shared ThoughtDashboard): now, and as at the last day of the last quarter. */
export async function thoughtDashboard(db: Queryable, scope: Scope, today: string): Promise<ThoughtDashboard> {
  const lastQuarterEnd = periodRange(periodOf('quarterly', addMonths(today, -3))).to;
  const [current, last] = await Promise.all([
    expectedWithin(db, scope.tenantId, scope.org.path, today),
    expectedWithin(db, scope.tenantId, scope.org.path, lastQuarterEnd),
  ]);
  return {
    current: rateOf(current),
    lastQuarter: { asOf: lastQuarterEnd, ...rateOf(last) },
    note: '应交的是预备党员、流动党员（按支部设定的周期）和发展党员档案中的入党积极分子、发展对象；按现在的名单计算',
  };
}

export async function overview(db: Queryable, scope: Scope, today = todayInChina()): Promise<ThoughtOverview> {
  const all = await expectedWithin(db, scope.tenantId, scope.org.path, today);
  const rate = rateOf;
  const children = await db
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), eq(org.parentId, scope.org.id)))
    .orderBy(org.path);
  const quarter = periodOf('quarterly', today);
  const { from, to } = periodRange(quarter);
  const [marks] = await queryRows<{ received: number; pending: number; read: number; good: number; improve: number }>(
    db,
    sql`select count(*)::int as received,
               count(*) filter (where r.mark is null)::int as pending,
               count(*) filter (where r.mark = 'read')::int as read,
               count(*) filter (where r.mark = 'good')::int as good,
               count(*) filter (where r.mark = 'improve')::int as improve
        from thought_report r join org o on o.tenant_id = r.tenant_id and o.id = r.org_id
        where r.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`}
          and (r.submitted_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date`,
  );
  const themeCounts = await queryRows<{ theme: string; n: number }>(
    db,
    sql`select t.theme, count(*)::int as n
        from thought_report r join org o on o.tenant_id = r.tenant_id and o.id = r.org_id, unnest(r.themes) as t(theme)
        where r.tenant_id = ${scope.tenantId} and o.path like ${`${scope.org.path}%`}
          and (r.submitted_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date
        group by t.theme`,
  );
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    today,
    ...rate(all),
    byCategory: THOUGHT_CATEGORIES.map((c) => ({
      category: c,
      label: THOUGHT_CATEGORY_LABELS[c],
      ...rate(all.filter((e) => e.categories.includes(c))),
    })),
    byOrg: children.map((c) => ({
      orgId: c.id,
      orgName: c.name,
      ...rate(all.filter((e) => e.orgPath.startsWith(c.path))),
    })),
    quarter,
    received: marks?.received ?? 0,
    marks: {
      pending: marks?.pending ?? 0,
      read: marks?.read ?? 0,
      good: marks?.good ?? 0,
      improve: marks?.improve ?? 0,
    },
    byTheme: THOUGHT_THEMES.map((theme) => ({
      theme,
      label: THOUGHT_THEME_LABELS[theme],
      count: themeCounts.find((c) => c.theme === theme)?.n ?? 0,
    })),
  };
}

// ---------------------------------------------------------------- written reports of 积极分子 / 发展对象

/** For the access layer: the org of a development record (its branch), through the develop module. */
export async function orgOfPersonForThought(db: Queryable, tenantId: string, id: string): Promise<string | null> {
  return (await personBrief(db, tenantId, id))?.orgId ?? null;
}

/**
 * 登记书面思想汇报: an 入党积极分子 or 发展对象 has no account and hands in a written report; the branch's record
 * keeper records it (title, period, received day, optionally the text or a summary) — the report is the person's,
 * not the keeper's (no submitting account), so the keeper may also mark and comment on it.
 */
export async function recordPaperReport(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  personId: string,
  input: PaperReportInput,
  today = todayInChina(),
): Promise<ThoughtReportDetail> {
  const person = await personBrief(db, scope.tenantId, personId);
  if (!person) throw notFound();
  if (person.closedAt || !['activist', 'candidate'].includes(person.status))
    throw unprocessable(
      '只能为入党积极分子和发展对象登记书面思想汇报；党员请本人在系统中提交',
      undefined,
      'THOUGHT_NOT_ACTIVIST',
    );
  if (input.receivedOn > today)
    throw unprocessable(
      '收到日期不能晚于今天',
      [{ field: 'receivedOn', message: '请填写实际收到的日期' }],
      'THOUGHT_RECEIVED_FUTURE',
    );
  if (periodRange(input.period).from > input.receivedOn)
    throw unprocessable(
      `${periodLabel(input.period)}在收到日期之后才开始`,
      [{ field: 'period', message: '请选择收到日期所在或以前的期次' }],
      'THOUGHT_PERIOD_FUTURE',
    );
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(thoughtReport).values({
      id,
      tenantId: scope.tenantId,
      orgId: person.orgId,
      developPersonId: person.id,
      period: input.period,
      title: input.title,
      themes: input.themes,
      textEnc: fc.encrypt(input.text, thoughtReport.textEnc, id),
      submittedAt: new Date(`${input.receivedOn}T12:00:00+08:00`),
    });
    await writeAudit(tx, scope.actor, {
      action: 'thought.report.paper',
      entityType: 'thought_report',
      entityId: id,
      org: scope.org,
      after: { personId: person.id, period: input.period, title: input.title, receivedOn: input.receivedOn },
    });
  });
  return detail(fc, await loadJoined(db, scope.tenantId, id));
}

/**
 * The reports of one development record, newest first, with text: its written reports and, once admitted, those
 * the member submitted (the 考察 of a 预备党员 reads them). For the record keepers of its org.
 */
export async function reportsOfPerson(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  personId: string,
  page: number,
  pageSize: number,
) {
  const person = await personBrief(db, scope.tenantId, personId);
  if (!person) throw notFound();
  const whose = person.memberId
    ? sql`(${thoughtReport.developPersonId} = ${person.id} or ${thoughtReport.memberId} = ${person.memberId})`
    : eq(thoughtReport.developPersonId, person.id);
  const where = and(eq(thoughtReport.tenantId, scope.tenantId), whose);
  return reportsPage(db, fc, where, page, pageSize);
}

// ---------------------------------------------------------------- settings

export async function settingsAt(db: Queryable, scope: Scope): Promise<ThoughtSettings> {
  const at = flowingCadenceAt(await settingsOf(db, scope.tenantId), scope.org.path);
  return {
    orgId: scope.org.id,
    flowingCadence: at.cadence,
    own: at.orgId === scope.org.id,
    rules: THOUGHT_CATEGORIES.map((c) => {
      const r = THOUGHT_RULES[c];
      return {
        category: c,
        label: THOUGHT_CATEGORY_LABELS[c],
        cadence: r.cadence === 'branch' ? at.cadence : r.cadence,
        citation: r.citation,
        confirmed: r.confirmed,
      };
    }),
  };
}

export async function setSettings(db: Db, scope: Scope, cadence: ThoughtCadence): Promise<ThoughtSettings> {
  const before = await settingsAt(db, scope);
  await db.transaction(async (tx) => {
    await tx
      .insert(thoughtSetting)
      .values({
        tenantId: scope.tenantId,
        orgId: scope.org.id,
        flowingCadence: cadence,
        updatedBy: scope.actor.username ?? '系统',
        updatedAt: now(),
      })
      .onConflictDoUpdate({
        target: [thoughtSetting.tenantId, thoughtSetting.orgId],
        set: { flowingCadence: cadence, updatedBy: scope.actor.username ?? '系统', updatedAt: now() },
      });
    await writeAudit(tx, scope.actor, {
      action: 'thought.settings.set',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      before: { flowingCadence: before.flowingCadence },
      after: { flowingCadence: cadence },
    });
  });
  return settingsAt(db, scope);
}

// ---------------------------------------------------------------- personal data (PIPL copy)

/** A member's own reports with their text and the feedback, for their personal-data copy. */
export async function personalThought(db: Queryable, fc: FieldCrypto, tenantId: string, memberId: string) {
  const rows = await joined(db)
    .where(and(eq(thoughtReport.tenantId, tenantId), eq(thoughtReport.memberId, memberId)))
    .orderBy(desc(thoughtReport.submittedAt));
  return rows.map((r) => {
    const d = detail(fc, r);
    return {
      title: d.title,
      period: d.period,
      themes: d.themes.map((t) => THOUGHT_THEME_LABELS[t]),
      text: d.text,
      submittedAt: d.submittedAt,
      enteredBy: d.enteredBy,
      mark: d.mark ? THOUGHT_MARK_LABELS[d.mark] : null,
      comment: d.comment,
      commentedBy: d.commentedBy,
      commentedAt: d.commentedAt,
    };
  });
}
