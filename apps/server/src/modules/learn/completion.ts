/**
 * 组织部门的学习完成情况 (issue #18, org department views): for one item or exam, how many of the members bound by
 * it have completed it (an item) or passed it (an exam), for the caller's org and each org directly below; who is
 * behind; one click to remind them through notify; and the same in Excel.
 *
 * Who is bound: the members on the roll (onRollAs) of the publishing org's subtree. The figures are for the org the
 * caller reaches the item through (their own org when the item was published above them, else the publishing org),
 * or a lower org named by `orgId`. Members are counted where they are now (member.org_path), so a member who moved
 * brings a completed course along. Records and attempts are matched by member id, so members without an account
 * who were credited (demo, records kept offline) count as they should.
 */
import {
  chinaDateLabel,
  LEARN_AUDIENCE_LABELS,
  todayInChina,
  type BehindRow,
  type LearnAudience,
  type Completion,
  type RemindReply,
} from '@xianfeng/shared';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { OrgRef, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { cached } from '../../platform/cache';
import { queryRows, type Db, type Queryable, onKey } from '../../platform/db';
import { notFound, unprocessable } from '../../platform/errors';
import { pageOf } from '../../platform/paging';
import { org } from '../../platform/schema';
import { openActivistsWithin } from '../develop/service';
import { onRollAs } from '../member/service';
import { notify } from '../notify/service';
import { learnExam, learnItem } from './schema';
import { audienceWhere } from './service';

export type What = 'item' | 'exam';

type Target = {
  what: What;
  id: string;
  title: string;
  required: boolean;
  dueOn: string | null;
  audience: LearnAudience;
  at: OrgRef;
};

/** The most rows an export carries (a top org of a large tenant has far more members behind; the sheet says so). */
export const EXPORT_ROWS = 50_000;

/**
 * The item or exam and the org the figures are for. `scope.org` is where the access layer let the caller in
 * (learn/service.ts reachedThrough): inside the publishing org's subtree. A narrower `orgId` must lie inside it.
 */
async function targetOf(db: Queryable, scope: Scope, what: What, id: string, orgId?: string): Promise<Target> {
  const [row] =
    what === 'item'
      ? await db
          .select({
            title: learnItem.title,
            required: learnItem.required,
            dueOn: learnItem.dueOn,
            audience: learnItem.audience,
            path: org.path,
            published: learnItem.publishedAt,
          })
          .from(learnItem)
          .innerJoin(org, onKey(org, learnItem.orgId, learnItem))
          .where(and(eq(learnItem.tenantId, scope.tenantId), eq(learnItem.id, id)))
      : await db
          .select({
            title: learnExam.title,
            required: learnExam.required,
            dueOn: learnExam.closesOn,
            audience: learnExam.audience,
            path: org.path,
            published: learnExam.createdAt,
          })
          .from(learnExam)
          .innerJoin(org, onKey(org, learnExam.orgId, learnExam))
          .where(and(eq(learnExam.tenantId, scope.tenantId), eq(learnExam.id, id)));
  if (!row || !row.published) throw notFound(what === 'item' ? '学习内容不存在或尚未发布' : '考试不存在');
  let at: OrgRef = scope.org;
  if (orgId && orgId !== scope.org.id) {
    const [o] = await db
      .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
      .from(org)
      .where(and(eq(org.tenantId, scope.tenantId), eq(org.id, orgId)));
    // Outside the caller's reach answers like a missing org: nothing tells whether it exists.
    if (!o || !o.path.startsWith(scope.org.path)) throw notFound('组织不存在或不在您的管理范围内');
    at = o;
  }
  if (!at.path.startsWith(row.path)) throw notFound(what === 'item' ? '学习内容不存在或尚未发布' : '考试不存在');
  return {
    what,
    id,
    title: row.title,
    required: row.required,
    dueOn: row.dueOn,
    audience: row.audience as LearnAudience,
    at,
  };
}

/** Members (alias m) who have done it: completed the item, or passed the exam. */
const doneBy = (t: Pick<Target, 'what' | 'id' | 'at'>): SQL =>
  t.what === 'item'
    ? sql`exists (select 1 from learn_record r where r.tenant_id = ${t.at.tenantId} and r.item_id = ${t.id} and r.member_id = m.id and r.completed_at is not null)`
    : sql`exists (select 1 from learn_attempt a where a.tenant_id = ${t.at.tenantId} and a.exam_id = ${t.id} and a.member_id = m.id and a.passed)`;

/** 入党积极分子 and 发展对象 of the subtree at `path` (develop persons) and which of them have completed the item. */
async function activistsOf(db: Queryable, tenantId: string, itemId: string, path: string) {
  const persons = await openActivistsWithin(db, tenantId, path);
  const done = persons.length
    ? await queryRows<{ id: string }>(
        db,
        sql`select develop_person_id as id from learn_record where tenant_id = ${tenantId} and item_id = ${itemId} and completed_at is not null
              and develop_person_id = any(${sql.param(persons.map((p) => p.id))}::uuid[])`,
      )
    : [];
  const doneIds = new Set(done.map((d) => d.id));
  return { persons, behind: persons.filter((p) => !doneIds.has(p.id)), done: doneIds.size };
}

type Line = Completion['total'];
type OrgLine = { id: string; name: string; path: string };

const lineOf = (o: OrgLine, assigned: number, completed: number, avgScore: number | null): Line => ({
  orgId: o.id,
  orgName: o.name,
  assigned,
  completed,
  rate: assigned > 0 ? Math.round((completed / assigned) * 1000) / 1000 : null,
  avgScore,
});

/** 入党积极分子/发展对象 items: the develop persons of each org's subtree (a few per branch; one query per org). */
async function activistLine(db: Queryable, tenantId: string, itemId: string, o: OrgLine): Promise<Line> {
  const a = await activistsOf(db, tenantId, itemId, o.path);
  return lineOf(o, a.persons.length, a.done, null);
}

/**
 * The join from the roll (alias m) to what each member did, as `d(member_id, passed, best)`. An item joins its
 * completed records directly, so the planner takes a hash join over a large subtree and an index probe per member
 * over a small one (1M: 4 s against 9 s for a probe per member; a branch: 80 ms against 1 s for hashing the item's
 * records). A member may hold two records of one item (credited offline before they had an account, then studied),
 * which the counts below take once. An exam's attempts are aggregated per member (best score, passed at least once).
 */
const doneJoin = (t: Pick<Target, 'what' | 'id' | 'at'>): SQL =>
  t.what === 'item'
    ? sql`left join (select r.member_id, true as passed, null::float8 as best from learn_record r
            where r.tenant_id = ${t.at.tenantId} and r.item_id = ${t.id} and r.completed_at is not null) d on d.member_id = m.id`
    : sql`left join lateral (select m.id as member_id, bool_or(a.passed) as passed, max(a.score)::float8 as best
            from learn_attempt a where a.tenant_id = ${t.at.tenantId} and a.exam_id = ${t.id} and a.member_id = m.id and a.submitted_at is not null) d on true`;

/**
 * The figures of `o` and of each org directly below it, from one pass over the roll of `o`'s subtree grouped by
 * the next segment of the member's org path (a path is `/1/23/…/`, so the segment names the child the member is
 * under; members filed in `o` itself count in its total only). One pass instead of one count per child: at the top
 * of a 1M-member tenant the child count is in the thousands (docs/benchmarks.md, 学习).
 */
async function lines(db: Queryable, tenantId: string, t: Target, kids: OrgLine[]) {
  const { at } = t;
  if (t.audience === 'activist') {
    const children: Line[] = [];
    for (const k of kids) children.push(await activistLine(db, tenantId, t.id, k));
    return { total: await activistLine(db, tenantId, t.id, at), children };
  }
  const rows = await queryRows<{
    seg: string;
    assigned: number;
    done: number;
    score_sum: number | null;
    scored: number;
  }>(
    db,
    sql`select split_part(substr(m.org_path, ${at.path.length + 1}), '/', 1) as seg,
          (count(*) filter (where d.passed is null) + count(distinct m.id) filter (where d.passed is not null))::int as assigned,
          count(distinct m.id) filter (where d.passed)::int as done,
          sum(d.best)::float8 as score_sum, count(d.best)::int as scored
        from member m ${doneJoin(t)}
        where m.tenant_id = ${tenantId} and ${onRollAs('m')} and ${audienceWhere(t.audience)}
          and m.org_path collate "C" like ${`${at.path}%`}
        group by 1`,
  );
  const avg = (sum: number, n: number) => (t.what === 'exam' && n > 0 ? Math.round((sum / n) * 10) / 10 : null);
  const bySeg = new Map(rows.map((r) => [r.seg, r]));
  const children = kids.map((k) => {
    const r = bySeg.get(k.path.slice(at.path.length, -1));
    return lineOf(k, r?.assigned ?? 0, r?.done ?? 0, avg(r?.score_sum ?? 0, r?.scored ?? 0));
  });
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
  const total = lineOf(
    at,
    sum((r) => r.assigned),
    sum((r) => r.done),
    avg(
      sum((r) => r.score_sum ?? 0),
      sum((r) => r.scored),
    ),
  );
  return { total, children };
}

/** The figures of the org and all its children, on the result cache (served stale while recounted, see cache.ts). */
async function cachedLines(db: Queryable, tenantId: string, t: Target) {
  return cached(db, `learn.completion:${tenantId}:${t.what}:${t.id}:${t.at.id}`, ['learn', 'member', 'org'], async () =>
    lines(db, tenantId, t, await childrenOf(db, tenantId, t.at.id)),
  );
}

async function childrenOf(db: Queryable, tenantId: string, parentId: string) {
  return db
    .select({ id: org.id, name: org.name, path: org.path })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.parentId, parentId), isNull(org.dissolvedAt)))
    .orderBy(org.path);
}

const noteOf = (t: Target) =>
  (t.audience === 'activist'
    ? '应学人数为本组织及下级组织的入党积极分子和发展对象（没有账号，由支部登记线下学习）；'
    : `应${t.what === 'item' ? '学' : '考'}人数为本组织及下级组织的在册${t.audience === 'probationary' ? '预备党员' : '党员'}（按党员现所在组织统计）；`) +
  (t.audience === 'activist'
    ? '完成指已由支部登记线下学习'
    : t.what === 'item'
      ? '完成指按学习时长达到要求（视频、课程为时长的 80%，文章、电子书为阅读 60 秒以上）'
      : '完成指已通过考试（任一次成绩达到及格分）；平均分为参加考试党员的最高成绩的平均') +
  '；数据可能来自缓存，以统计时间为准';

export async function completion(
  db: Queryable,
  scope: Scope,
  what: What,
  id: string,
  orgId: string | undefined,
  page: number,
  pageSize: number,
): Promise<Completion> {
  const t = await targetOf(db, scope, what, id, orgId);
  const c = await cachedLines(db, scope.tenantId, t);
  const { total, children } = c.value;
  return {
    what,
    id,
    title: t.title,
    required: t.required,
    dueOn: t.dueOn,
    audience: t.audience,
    total,
    children: { items: children.slice((page - 1) * pageSize, page * pageSize), total: children.length },
    asOf: c.asOf.toISOString(),
    note: noteOf(t),
  };
}

function behindQuery(tenantId: string, t: Target) {
  const progress =
    t.what === 'item'
      ? sql`(select r.progress from learn_record r where r.tenant_id = ${tenantId} and r.item_id = ${t.id} and r.member_id = m.id)`
      : sql`(select max(a.score) from learn_attempt a where a.tenant_id = ${tenantId} and a.exam_id = ${t.id} and a.member_id = m.id and a.submitted_at is not null)`;
  const last =
    t.what === 'item'
      ? sql`(select r.updated_at from learn_record r where r.tenant_id = ${tenantId} and r.item_id = ${t.id} and r.member_id = m.id)`
      : sql`(select max(a.started_at) from learn_attempt a where a.tenant_id = ${tenantId} and a.exam_id = ${t.id} and a.member_id = m.id)`;
  const where = sql`m.tenant_id = ${tenantId} and ${onRollAs('m')} and ${audienceWhere(t.audience)} and m.org_path like ${`${t.at.path}%`} and not ${doneBy(t)}`;
  return { progress, last, where };
}

type BehindSql = {
  id: string;
  name: string;
  org_name: string;
  has_account: boolean;
  progress: number | null;
  last: Date | string | null;
};
const behindRow = (r: BehindSql): BehindRow => ({
  memberId: r.id,
  name: r.name,
  orgName: r.org_name,
  person: false,
  hasAccount: r.has_account,
  progress: r.progress === null ? null : Number(r.progress),
  lastActive: r.last === null ? null : new Date(r.last).toISOString(),
});

/** The 入党积极分子/发展对象 of the subtree who have not completed an `activist` item (never reminded: no account). */
async function activistsBehind(db: Queryable, tenantId: string, t: Target): Promise<BehindRow[]> {
  const a = await activistsOf(db, tenantId, t.id, t.at.path);
  return a.behind.map((p) => ({
    memberId: p.id,
    person: true,
    name: p.name,
    orgName: p.orgName,
    hasAccount: false,
    progress: null,
    lastActive: null,
  }));
}

async function behindRows(db: Queryable, tenantId: string, t: Target, limit: number, offset: number) {
  const q = behindQuery(tenantId, t);
  return queryRows<BehindSql>(
    db,
    sql`select m.id, m.name, o.name as org_name, m.user_id is not null as has_account, ${q.progress} as progress, ${q.last} as last
        from member m join org o on o.tenant_id = m.tenant_id and o.id = m.org_id
        where ${q.where}
        order by m.org_path collate "C", m.name collate "C", m.id limit ${limit} offset ${offset}`,
  );
}

/** The members of the org who have not completed the item (or passed the exam), in roster order. */
export async function behind(
  db: Queryable,
  scope: Scope,
  what: What,
  id: string,
  orgId: string | undefined,
  page: number,
  pageSize: number,
): Promise<{ items: BehindRow[]; total: number }> {
  const t = await targetOf(db, scope, what, id, orgId);
  if (t.audience === 'activist') {
    const all = await activistsBehind(db, scope.tenantId, t);
    return pageOf(all, page, pageSize);
  }
  // The total is the figures' (assigned − completed, the same cached pass the page shows above the list), not a
  // second anti-join count: at the top of a large tenant that count cost seconds for one page of names.
  const [rows, figures] = await Promise.all([
    behindRows(db, scope.tenantId, t, pageSize, (page - 1) * pageSize),
    cachedLines(db, scope.tenantId, t),
  ]);
  const { assigned, completed } = figures.value.total;
  return { items: rows.map(behindRow), total: assigned - completed };
}

/**
 * 提醒未完成的: one notice to each member of the org with an account who has not done it. Each member at most once
 * a day per item or exam (the dedupe key names the day, so a branch and the committee above it clicking on the
 * same day send one notice). Only required items and exams, and not after the deadline has passed by a month.
 */
export async function remindBehind(
  db: Db,
  scope: Scope,
  what: What,
  id: string,
  orgId: string | undefined,
): Promise<RemindReply> {
  return db.transaction(async (tx) => {
    const t = await targetOf(tx, scope, what, id, orgId);
    if (!t.required) throw unprocessable('只有必修内容和必考考试可以提醒未完成的党员');
    if (t.audience === 'activist')
      return { reminded: 0, already: 0, withoutAccount: (await activistsBehind(tx, scope.tenantId, t)).length };
    const q = behindQuery(scope.tenantId, t);
    const rows = await queryRows<{ id: string; has_account: boolean }>(
      tx,
      sql`select m.id, m.user_id is not null as has_account from member m where ${q.where} order by m.id`,
    );
    const members = rows.filter((r) => r.has_account).map((r) => r.id);
    const withoutAccount = rows.length - members.length;
    if (members.length === 0) return { reminded: 0, already: 0, withoutAccount };
    const r = await notify(tx, {
      tenantId: scope.tenantId,
      kind: 'learn.remind',
      recipients: { members },
      data: {
        title: t.title,
        orgName: t.at.name,
        what: what === 'item' ? '必修内容' : '必考考试',
        dueDate: t.dueOn ? chinaDateLabel(t.dueOn) : '未设置',
        action: what === 'item' ? '学完' : '通过考试',
      },
      link: what === 'item' ? `/learn/items/${id}` : '/learn?tab=practice',
      dedupeKey: `learn.remind:${what}:${id}:${todayInChina()}`,
    });
    await writeAudit(tx, scope.actor, {
      action: 'learn.remind',
      entityType: what === 'item' ? 'learn_item' : 'learn_exam',
      entityId: id,
      after: { orgId: t.at.id, reminded: r.notified, already: r.already, withoutAccount },
    });
    return { reminded: r.notified, already: r.already, withoutAccount };
  });
}

/** The completion table of the org and every org below it directly, and who is behind (up to EXPORT_ROWS), audited. */
export async function completionWorkbook(
  db: Db,
  scope: Scope,
  what: What,
  id: string,
  orgId: string | undefined,
): Promise<Buffer> {
  const t = await targetOf(db, scope, what, id, orgId);
  // Exact, not cached: the export is a record of the moment (audited).
  const figures = await lines(db, scope.tenantId, t, await childrenOf(db, scope.tenantId, t.at.id));
  const orgLines = [figures.total, ...figures.children];
  const rows =
    t.audience === 'activist'
      ? await activistsBehind(db, scope.tenantId, t)
      : (await behindRows(db, scope.tenantId, t, EXPORT_ROWS + 1, 0)).map(behindRow);

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('完成情况');
  ws.addRow([
    `${t.title}（${what === 'item' ? '必修内容' : '考试'}${t.audience !== 'all' ? `，面向${LEARN_AUDIENCE_LABELS[t.audience]}` : ''}${t.dueOn ? `，截止 ${t.dueOn}` : ''}）`,
  ]);
  ws.addRow([
    '党组织',
    what === 'item' ? '应学人数' : '应考人数',
    what === 'item' ? '已完成' : '已通过',
    '完成率',
    ...(what === 'exam' ? ['平均分'] : []),
  ]);
  orgLines.forEach((l, i) =>
    ws.addRow([
      i === 0 ? `${l.orgName}（合计）` : l.orgName,
      l.assigned,
      l.completed,
      l.rate === null ? '—' : `${(l.rate * 100).toFixed(1)}%`,
      ...(what === 'exam' ? [l.avgScore ?? '—'] : []),
    ]),
  );
  ws.addRow([]);
  ws.addRow([`统计时间 ${new Date().toISOString()}；${noteOf(t)}`]);
  ws.getColumn(1).width = 28;
  const ws2 = wb.addWorksheet('未完成名单');
  ws2.addRow(['姓名', '所在组织', '已开通账号', what === 'item' ? '学习进度（%）' : '最高成绩', '最近学习']);
  for (const r of rows.slice(0, EXPORT_ROWS))
    ws2.addRow([
      r.name,
      r.orgName,
      r.hasAccount ? '是' : '否',
      r.progress ?? '未开始',
      r.lastActive ? r.lastActive.slice(0, 10) : '',
    ]);
  if (rows.length > EXPORT_ROWS) ws2.addRow([`仅列出前 ${EXPORT_ROWS} 人，请到下级组织分别导出`]);
  ws2.getColumn(2).width = 24;
  await db.transaction((tx) =>
    writeAudit(tx, scope.actor, {
      action: 'learn.completion.export',
      entityType: what === 'item' ? 'learn_item' : 'learn_exam',
      entityId: id,
      after: { orgId: t.at.id, rows: Math.min(rows.length, EXPORT_ROWS) },
    }),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
