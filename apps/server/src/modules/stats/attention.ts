/**
 * 决策参考 — the attention list of an org subtree: the branches that need their leaders now, each reason with its
 * rule's source and the page that fixes it. Every figure is read through the owning module's service function, each
 * asked once for the whole subtree and split by branch (unitOfPath), as the assessment's autoFigures does — a tenant of
 * tens of thousands of branches costs a handful of grouped queries. Rules and thresholds: shared ATTENTION_RULES.
 */
import {
  ATTENTION_RULES,
  addDays,
  todayInChina,
  sumPerUnit,
  unitOfPath,
  type AttentionCode,
  type AttentionItem,
  type AttentionList,
  type AttentionReason,
  type AttentionSort,
} from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { loadOrgRef, type Scope } from '../../platform/access';
import { cached, type Topic } from '../../platform/cache';
import { queryRows, tenantIds, type Queryable } from '../../platform/db';
import { arrearsByOrg } from '../dues/service';
import { requiredProgressByOrg } from '../learn/service';
import { behindLastPeriod } from '../meeting/service';
import { lostByOrg, countUnitMembers, membersWithDataProblemsByOrg } from '../member/service';
import { orgsAsOf, overdueTerms } from '../org/service';
import { rectifyCountsByPath } from '../supervise/service';

const UNIT_KINDS = ['branch', 'general_branch'];

const reason = (
  code: AttentionCode,
  level: AttentionReason['level'],
  message: string,
  link: string,
  citation?: string,
  confirmed?: boolean,
): AttentionReason => ({
  code,
  level,
  message,
  link,
  citation: citation ?? ATTENTION_RULES[code].citation,
  confirmed: confirmed ?? ATTENTION_RULES[code].confirmed,
  new: false,
  worse: false,
});

/** What the list reads of a scope: the tenant and the subtree's root (a job warms it without a caller). */
type Subtree = Pick<Scope, 'tenantId' | 'org'>;

/**
 * One day's view of the subtree that every reason is built on. `historyOf`: this day is the previous period's end
 * as seen on that date — history, computed once that date and not again on every change (see attentionList).
 */
type Day = { db: Queryable; scope: Subtree; today: string; historyOf?: string };
/** One reason's findings: the orgs it names, in the order found. */
type Found = [orgId: string, reason: AttentionReason][];

/**
 * A value of one day over the subtree on the result cache (platform/cache.ts), under the topics of the tables it
 * reads (key: tenant, subtree, day). Every table the list reads is on the change feed (migration 0075 added 失联,
 * terms and activity), so a fixed problem leaves the list with the next computation.
 */
const daily = async <T>(d: Day, name: string, topics: readonly Topic[], compute: () => Promise<T>) => {
  const key = `attention.${name}:${d.scope.tenantId}:${d.scope.org.path}:${d.today}`;
  return d.historyOf
    ? (await cached(d.db, `${key}@${d.historyOf}`, [], compute)).value
    : (await cached(d.db, key, topics, compute)).value;
};

/**
 * The orgs that existed on the day by id, the branches among them (a 党小组's figures count in its branch), unitOf,
 * and each org's trail (the names between the subtree's root and it).
 */
const structure = (d: Day) =>
  daily(d, 'orgs', ['org'], async () => {
    const orgs = (await orgsAsOf(d.db, d.scope.tenantId, d.scope.org.path, d.today)).filter((o) => o.existed);
    const units = orgs.filter((o) => UNIT_KINDS.includes(o.kind));
    const rootDepth = d.scope.org.path.split('/').filter(Boolean).length;
    const nameByNo = new Map(orgs.map((o) => [o.path.split('/').filter(Boolean).pop(), o.name]));
    const trail = (path: string) =>
      path
        .split('/')
        .filter(Boolean)
        .slice(rootDepth, -1)
        .map((no) => nameByNo.get(no) ?? '')
        .filter(Boolean)
        .join(' / ');
    // rank: tree order (orgsAsOf returns path order).
    const byId = new Map(orgs.map((o, rank) => [o.id, { ...o, trail: trail(o.path), rank }]));
    return { byId, units, unitOf: unitOfPath(units) };
  });

const branchMembers = (d: Day) =>
  daily(d, 'members', ['member', 'org'], async () =>
    countUnitMembers(d.db, d.scope.tenantId, d.scope.org.path, (await structure(d)).unitOf),
  );

/**
 * Each reason: the topics of what it reads, and how it finds the orgs it names. Each is cached on its own, so a
 * change in one module recomputes that module's reasons only; the order here is the order of an org's reasons.
 */
const FINDERS: { code: AttentionCode; topics: readonly Topic[]; find: (d: Day) => Promise<Found> }[] = [
  {
    // 换届: any org with a term (committees too), overdue or due within daysAhead.
    code: 'term_due',
    topics: ['org'],
    find: async ({ db, scope, today }) => {
      const terms = await overdueTerms(
        db,
        scope.tenantId,
        scope.org,
        addDays(today, ATTENTION_RULES.term_due.daysAhead + 1),
        Number.MAX_SAFE_INTEGER,
      );
      return terms.items.map((t) => {
        const overdue = t.endsOn < today;
        return [
          t.orgId,
          reason(
            'term_due',
            overdue ? 'critical' : 'warning',
            overdue ? `换届逾期：本届任期应于 ${t.endsOn} 换届` : `本届任期将于 ${t.endsOn} 届满，请准备换届`,
            `/orgs?org=${t.orgId}`,
            terms.citation,
          ),
        ];
      });
    },
  },
  {
    code: 'meeting_missed',
    topics: ['meeting', 'member', 'org'],
    find: async ({ db, scope, today }) =>
      [...(await behindLastPeriod(db, scope.tenantId, scope.org, today))].map(([unitId, behind]) => [
        unitId,
        reason(
          'meeting_missed',
          'warning',
          behind
            .map(
              (b) => `${b.period}：${b.label}，实际 ${b.actual} 次${b.required > 1 ? `（应 ${b.required} 次）` : ''}`,
            )
            .join('；'),
          `/compliance?orgId=${unitId}`,
          [...new Set(behind.map((b) => b.citation))].join('；'),
          false,
        ),
      ]),
  },
  {
    code: 'arrears',
    topics: ['dues', 'member', 'org'],
    find: async (d) => {
      const { unitOf } = await structure(d);
      const rows = await arrearsByOrg(d.db, d.scope.tenantId, d.scope.org.path, d.today.slice(0, 7));
      const T = ATTENTION_RULES.arrears;
      return [...sumPerUnit(unitOf, rows, ['warning', 'critical'])]
        .filter(([, a]) => a.warning >= T.minMembers)
        .map(([unitId, a]) => [
          unitId,
          reason(
            'arrears',
            a.critical > 0 ? 'critical' : 'warning',
            `${a.warning} 名党员 ${T.months} 个月以上未交党费${a.critical > 0 ? `，其中 ${a.critical} 名已连续 6 个月` : ''}`,
            '/dues?tab=arrears',
          ),
        ]);
    },
  },
  {
    code: 'rectify_overdue',
    topics: ['supervise', 'org'],
    find: async (d) => {
      const { unitOf } = await structure(d);
      const rows = await rectifyCountsByPath(d.db, d.scope.tenantId, d.scope.org.path, d.today);
      const overdue = sumPerUnit(
        unitOf,
        rows.map((r) => ({ path: r.path, overdue: r.overdue ? r.n : 0 })),
        ['overdue'],
      );
      return [...overdue]
        .filter(([, r]) => r.overdue > 0)
        .map(([unitId, r]) => [
          unitId,
          reason(
            'rectify_overdue',
            'critical',
            `${r.overdue} 件整改事项已逾期未销号`,
            `/supervise/rectify?tab=ledger&org=${unitId}`,
          ),
        ]);
    },
  },
  {
    code: 'lost',
    topics: ['member', 'activity', 'org'],
    find: async (d) => {
      const { units, unitOf } = await structure(d);
      const lost = await lostByOrg(d.db, d.scope.tenantId, d.scope.org.path, d.today);
      const lostN = sumPerUnit(unitOf, lost.lost, ['n']);
      const suspectedN = sumPerUnit(unitOf, lost.suspected, ['n']);
      const found: Found = [];
      for (const u of units) {
        const l = lostN.get(u.id)?.n ?? 0;
        const s = suspectedN.get(u.id)?.n ?? 0;
        if (l + s === 0) continue;
        const parts = [
          l > 0 ? `${l} 名党员已登记失联待处理` : '',
          s > 0 ? `${s} 名党员 ${lost.silentBefore} 以来没有活动记录（疑似失联）` : '',
        ].filter(Boolean);
        found.push([u.id, reason('lost', l > 0 ? 'critical' : 'warning', parts.join('；'), '/lost-members')]);
      }
      return found;
    },
  },
  {
    code: 'too_few_members',
    topics: ['member', 'org'],
    find: async (d) => {
      const [{ units }, members] = await Promise.all([structure(d), branchMembers(d)]);
      const min = ATTENTION_RULES.too_few_members.value;
      return units
        .filter((u) => u.kind === 'branch' && (members.get(u.id)?.full ?? 0) < min)
        .map((u) => [
          u.id,
          reason(
            'too_few_members',
            'warning',
            `正式党员仅 ${members.get(u.id)?.full ?? 0} 人，不足 ${min} 人`,
            `/orgs?org=${u.id}`,
          ),
        ]);
    },
  },
  {
    // 必学: per branch, the completions of the required items that bind it (published by it or an org above it) over
    // its members × those items; only items whose deadline has passed this year count.
    code: 'learning_behind',
    topics: ['learn', 'member', 'org'],
    find: async (d) => {
      const year = d.today.slice(0, 4);
      const [{ units, unitOf }, members, learning] = await Promise.all([
        structure(d),
        branchMembers(d),
        requiredProgressByOrg(d.db, d.scope.tenantId, d.scope.org.path, `${year}-01-01`, addDays(d.today, -1)),
      ]);
      const found: Found = [];
      if (learning.items.length === 0) return found;
      const done = new Map<string, number>(); // `${unit}:${item}` → completions
      for (const r of learning.done) {
        const u = unitOf(r.path);
        if (u) done.set(`${u}:${r.item_id}`, (done.get(`${u}:${r.item_id}`) ?? 0) + r.n);
      }
      for (const u of units) {
        const all = members.get(u.id)?.all ?? 0;
        const binding = learning.items.filter((i) => u.path.startsWith(i.path));
        if (all === 0 || binding.length === 0) continue;
        let completed = 0;
        let worst = binding[0]!;
        let worstDone = Infinity;
        for (const i of binding) {
          const n = Math.min(all, done.get(`${u.id}:${i.id}`) ?? 0);
          completed += n;
          if (n < worstDone) [worst, worstDone] = [i, n];
        }
        const due = all * binding.length;
        if (completed / due < ATTENTION_RULES.learning_behind.minRate)
          found.push([
            u.id,
            reason(
              'learning_behind',
              'warning',
              `今年已到期的 ${binding.length} 项必学内容完成 ${completed}/${due} 人次（${Math.round((completed / due) * 100)}%），「${worst.title}」完成 ${worstDone} 人`,
              `/learn/completion/item/${worst.id}?orgId=${u.id}`,
            ),
          ]);
      }
      return found;
    },
  },
  {
    // 数据质量: the annual report's member checks, per branch; the link opens the report's check list for it.
    code: 'data_quality',
    topics: ['member', 'org'],
    find: async (d) => {
      const { unitOf } = await structure(d);
      const rows = await membersWithDataProblemsByOrg(d.db, d.scope.tenantId, d.scope.org.path, d.today);
      return [...sumPerUnit(unitOf, rows, ['n'])]
        .filter(([, x]) => x.n > 0)
        .map(([unitId, x]) => [
          unitId,
          reason(
            'data_quality',
            'warning',
            `${x.n} 名党员的信息不全或有误，影响党内统计年报`,
            `/stats/annual?orgId=${unitId}`,
          ),
        ]);
    },
  },
];

/** The topics of all reasons: the composed list is cached under them. */
const ATTENTION_TOPICS: readonly Topic[] = [...new Set(FINDERS.flatMap((f) => f.topics))];

/** Each org's reasons on the day, in FINDERS' order. The reasons are the cached findings' own objects: read-only. */
async function reasonsOf(d: Day) {
  const [{ byId }, ...found] = await Promise.all([
    structure(d),
    ...FINDERS.map((f) => daily(d, f.code, f.topics, () => f.find(d))),
  ]);
  const reasons = new Map<string, AttentionReason[]>();
  for (const list of found)
    for (const [orgId, r] of list) {
      if (!byId.has(orgId)) continue;
      const rs = reasons.get(orgId);
      if (rs) rs.push(r);
      else reasons.set(orgId, [r]);
    }
  return { byId, reasons };
}

/** Every org of the subtree with at least one reason, most critical first (then most reasons, then tree order). */
async function computeAttention(d: Day) {
  const { byId, reasons } = await reasonsOf(d);
  const severity = { critical: 0, warning: 1 } as const;
  const items: AttentionItem[] = [...reasons]
    .map(([orgId, cachedReasons]) => {
      const o = byId.get(orgId)!;
      // Copies: markChanges marks this list's reasons; the previous period's are only read.
      const rs = cachedReasons.map((r) => ({ ...r })).sort((a, b) => severity[a.level] - severity[b.level]);
      return {
        orgId,
        orgName: o.name,
        orgKind: o.kind,
        trail: o.trail,
        critical: rs.filter((r) => r.level === 'critical').length,
        reasons: rs,
        rank: o.rank,
      };
    })
    .sort((a, b) => b.critical - a.critical || b.reasons.length - a.reasons.length || a.rank - b.rank)
    .map(({ rank: _rank, ...rest }) => rest);
  return items;
}

/** The end of the month before `today`'s: the previous period the list is compared with. */
export const previousPeriodEnd = (today: string) => addDays(`${today.slice(0, 7)}-01`, -1);

/**
 * Marks each reason new (the org did not have it at the previous period's end) or worse (new, or a warning then and
 * critical now). Both days come from the same set-based evaluation, so this is a lookup per reason.
 */
function markChanges(items: AttentionItem[], before: Map<string, AttentionReason[]>) {
  for (const i of items) {
    const was = new Map((before.get(i.orgId) ?? []).map((r) => [r.code, r.level]));
    for (const r of i.reasons) {
      const then = was.get(r.code);
      r.new = then === undefined;
      r.worse = r.new || (then === 'warning' && r.level === 'critical');
    }
  }
}

export async function attentionList(
  db: Queryable,
  scope: Subtree,
  page: number,
  pageSize: number,
  sort: AttentionSort = 'severity',
  code: AttentionCode | null = null,
  today = todayInChina(),
): Promise<AttentionList> {
  // On the result cache under every reason's topics, marked against the previous period's end, with the figures over
  // the whole list; per request only the order, the filter and the page. The previous period's reasons are history:
  // computed once a day (the first list of the day), so a change today recomputes today's reasons only. An edit
  // today of last month's records changes the 新增/加重 marks from tomorrow.
  // Today's and the previous period's reasons run one after the other: at 1M members, the two days' dozen
  // statements at once took longer on two cores than in turn (cold 9.8 s against 7.5 s).
  const previous = previousPeriodEnd(today);
  const { value: list, asOf } = await cached(
    db,
    `attention.list:${scope.tenantId}:${scope.org.path}:${today}`,
    ATTENTION_TOPICS,
    async () => {
      const severity = await computeAttention({ db, scope, today });
      const before = await reasonsOf({ db, scope, today: previous, historyOf: today });
      markChanges(severity, before.reasons);
      const worse = (i: AttentionItem) => i.reasons.some((r) => r.worse);
      // How many orgs each reason touches: the weakest dimensions are the largest counts.
      const counts: Record<string, number> = {};
      for (const i of severity) for (const c of new Set(i.reasons.map((r) => r.code))) counts[c] = (counts[c] ?? 0) + 1;
      return {
        severity,
        // Worse first; within each group the severity order stays.
        new: [...severity.filter(worse), ...severity.filter((i) => !worse(i))],
        counts,
        newOrgs: severity.filter(worse).length,
        newReasons: severity.reduce((n, i) => n + i.reasons.filter((r) => r.new).length, 0),
      };
    },
  );
  const { counts, newOrgs, newReasons } = list;
  const items = code ? list[sort].filter((i) => i.reasons.some((r) => r.code === code)) : list[sort];
  return {
    org: { orgId: scope.org.id, orgName: scope.org.name },
    today,
    items: items.slice((page - 1) * pageSize, page * pageSize),
    total: items.length,
    counts,
    previous,
    newOrgs,
    newReasons,
    sort,
    code,
    rules: Object.entries(ATTENTION_RULES).map(([code, r]) => ({
      code,
      label: r.label,
      text: r.text,
      citation: r.citation,
      confirmed: r.confirmed,
      local: r.local,
    })),
    computedAt: asOf.toISOString(),
  };
}

/**
 * The list of every tenant's root org, computed just after midnight by a daily job (stats/index.ts): its key has the
 * day, so the first leader to open 决策参考 in the morning would otherwise wait for the whole computation (seconds at
 * the top of a large tenant; the previous period's history is made with it). The result cache is the process's own:
 * with several server processes, the one that ran the job answers at once and the others compute on their first read.
 */
export async function warmAttention(db: Queryable, today = todayInChina()) {
  // Tenant by tenant, so each statement on org names its tenant (docs/scale-out.md), as learn/reminders.ts does.
  let n = 0;
  for (const tenantId of await tenantIds(db)) {
    const roots = await queryRows<{ id: string }>(
      db,
      sql`select id from org where tenant_id = ${tenantId} and parent_id is null and dissolved_at is null order by no`,
    );
    for (const r of roots) {
      const org = await loadOrgRef(db, tenantId, r.id);
      if (org) await attentionList(db, { tenantId, org }, 1, 20, 'severity', null, today);
      n++;
    }
  }
  return { roots: n };
}
