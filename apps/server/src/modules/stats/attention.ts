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
  unitOfPath,
  type AttentionCode,
  type AttentionItem,
  type AttentionList,
  type AttentionReason,
  type AttentionSort,
} from '@xianfeng/shared';
import type { Scope } from '../../platform/access';
import { cached, type Topic } from '../../platform/cache';
import type { Queryable } from '../../platform/db';
import { arrearsByOrg } from '../dues/service';
import { requiredProgressByOrg } from '../learn/service';
import { behindLastPeriod } from '../meeting/service';
import { lostByOrg, countBranchMembers, membersWithDataProblemsByOrg } from '../member/service';
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

/**
 * The figures of one day over the subtree, each from its module's service and on the result cache under the topics of
 * the tables it reads (platform/cache.ts, key: tenant, subtree, day): a change in one module recomputes that module's
 * figure only. Every table read is on the change feed (migration 0075 added 失联, terms and activity), so a fixed
 * problem leaves the list with the next computation.
 */
async function figures(db: Queryable, scope: Scope, today: string) {
  const { tenantId, org: root } = scope;
  const fig = async <T>(name: string, topics: readonly Topic[], compute: () => Promise<T>) =>
    (await cached(db, `attention.${name}:${tenantId}:${root.path}:${today}`, topics, compute)).value;
  const orgs = (await fig('orgs', ['org'], () => orgsAsOf(db, tenantId, root.path, today))).filter((o) => o.existed);
  const units = orgs.filter((o) => UNIT_KINDS.includes(o.kind));
  const year = today.slice(0, 4);
  const [meetings, arrears, rectify, lost, members, terms, learning, badData] = await Promise.all([
    fig('meetings', ['meeting', 'member', 'org'], () => behindLastPeriod(db, tenantId, root, today)),
    fig('arrears', ['dues', 'member', 'org'], () => arrearsByOrg(db, tenantId, root.path, today.slice(0, 7))),
    fig('rectify', ['supervise', 'org'], () => rectifyCountsByPath(db, tenantId, root.path, today)),
    fig('lost', ['member', 'activity', 'org'], () => lostByOrg(db, tenantId, root.path, today)),
    fig('members', ['member', 'org'], () =>
      countBranchMembers(
        db,
        tenantId,
        units.map((u) => u.id),
      ),
    ),
    fig('terms', ['org'], () =>
      overdueTerms(db, tenantId, root, addDays(today, ATTENTION_RULES.term_due.daysAhead + 1), Number.MAX_SAFE_INTEGER),
    ),
    fig('learning', ['learn', 'member', 'org'], () =>
      requiredProgressByOrg(db, tenantId, root.path, `${year}-01-01`, addDays(today, -1)),
    ),
    fig('data', ['member', 'org'], () => membersWithDataProblemsByOrg(db, tenantId, root.path, today)),
  ]);
  return { orgs, units, meetings, arrears, rectify, lost, members, terms, learning, badData };
}

/** The topics of all figures: the composed list is cached under them. */
const ATTENTION_TOPICS: readonly Topic[] = ['org', 'member', 'meeting', 'dues', 'supervise', 'learn', 'activity'];

/** Every org of the subtree with at least one reason, most critical first (then most reasons, then tree order). */
async function computeAttention(db: Queryable, scope: Scope, today: string) {
  const { org: root } = scope;
  const { orgs, units, meetings, arrears, rectify, lost, members, terms, learning, badData } = await figures(
    db,
    scope,
    today,
  );
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const unitOf = unitOfPath(units);
  const T = ATTENTION_RULES;

  const reasons = new Map<string, AttentionReason[]>();
  const add = (orgId: string | undefined, r: AttentionReason) => {
    if (orgId && byId.has(orgId)) reasons.set(orgId, [...(reasons.get(orgId) ?? []), r]);
  };
  const sum = <K extends string>(rows: ({ path: string } & Record<K, number>)[], keys: K[]) => {
    const out = new Map<string, Record<K, number>>();
    for (const r of rows) {
      const u = unitOf(r.path);
      if (!u) continue;
      const s = out.get(u) ?? (Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>);
      for (const k of keys) s[k] += r[k];
      out.set(u, s);
    }
    return out;
  };

  // 换届: any org with a term (committees too), overdue or due within daysAhead.
  for (const t of terms.items) {
    const overdue = t.endsOn < today;
    add(
      t.orgId,
      reason(
        'term_due',
        overdue ? 'critical' : 'warning',
        overdue ? `换届逾期：本届任期应于 ${t.endsOn} 换届` : `本届任期将于 ${t.endsOn} 届满，请准备换届`,
        `/orgs?org=${t.orgId}`,
        terms.citation,
      ),
    );
  }

  for (const [unitId, behind] of meetings)
    add(
      unitId,
      reason(
        'meeting_missed',
        'warning',
        behind
          .map((b) => `${b.period}：${b.label}，实际 ${b.actual} 次${b.required > 1 ? `（应 ${b.required} 次）` : ''}`)
          .join('；'),
        `/compliance?orgId=${unitId}`,
        [...new Set(behind.map((b) => b.citation))].join('；'),
        false,
      ),
    );

  for (const [unitId, a] of sum(arrears, ['warning', 'critical']))
    if (a.warning >= T.arrears.minMembers)
      add(
        unitId,
        reason(
          'arrears',
          a.critical > 0 ? 'critical' : 'warning',
          `${a.warning} 名党员 ${T.arrears.months} 个月以上未交党费${a.critical > 0 ? `，其中 ${a.critical} 名已连续 6 个月` : ''}`,
          '/dues?tab=arrears',
        ),
      );

  const overdue = sum(
    rectify.map((r) => ({ path: r.path, overdue: r.overdue ? r.n : 0 })),
    ['overdue'],
  );
  for (const [unitId, r] of overdue)
    if (r.overdue > 0)
      add(
        unitId,
        reason(
          'rectify_overdue',
          'critical',
          `${r.overdue} 件整改事项已逾期未销号`,
          `/supervise/rectify?tab=ledger&org=${unitId}`,
        ),
      );

  const lostN = sum(lost.lost, ['n']);
  const suspectedN = sum(lost.suspected, ['n']);
  for (const u of units) {
    const l = lostN.get(u.id)?.n ?? 0;
    const s = suspectedN.get(u.id)?.n ?? 0;
    if (l + s === 0) continue;
    const parts = [
      l > 0 ? `${l} 名党员已登记失联待处理` : '',
      s > 0 ? `${s} 名党员 ${lost.silentBefore} 以来没有活动记录（疑似失联）` : '',
    ].filter(Boolean);
    add(u.id, reason('lost', l > 0 ? 'critical' : 'warning', parts.join('；'), '/lost-members'));
  }

  for (const u of units) {
    if (u.kind !== 'branch') continue;
    const full = members.get(u.id)?.full ?? 0;
    if (full < T.too_few_members.value)
      add(
        u.id,
        reason(
          'too_few_members',
          'warning',
          `正式党员仅 ${full} 人，不足 ${T.too_few_members.value} 人`,
          `/orgs?org=${u.id}`,
        ),
      );
  }

  // 必学: per branch, the completions of the required items that bind it (published by it or an org above it) over its
  // members × those items; only items whose deadline has passed this year count.
  if (learning.items.length > 0) {
    const done = new Map<string, number>(); // `${unit}:${item}` → completions
    for (const d of learning.done) {
      const u = unitOf(d.path);
      if (u) done.set(`${u}:${d.item_id}`, (done.get(`${u}:${d.item_id}`) ?? 0) + d.n);
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
      if (completed / due < T.learning_behind.minRate)
        add(
          u.id,
          reason(
            'learning_behind',
            'warning',
            `今年已到期的 ${binding.length} 项必学内容完成 ${completed}/${due} 人次（${Math.round((completed / due) * 100)}%），「${worst.title}」完成 ${worstDone} 人`,
            `/learn/completion/item/${worst.id}?orgId=${u.id}`,
          ),
        );
    }
  }

  // 数据质量: the annual report's member checks, per branch; the link opens the report's check list for it.
  for (const [unitId, d] of sum(badData, ['n']))
    if (d.n > 0)
      add(
        unitId,
        reason(
          'data_quality',
          'warning',
          `${d.n} 名党员的信息不全或有误，影响党内统计年报`,
          `/stats/annual?orgId=${unitId}`,
        ),
      );

  const rootDepth = root.path.split('/').filter(Boolean).length;
  const nameByNo = new Map(orgs.map((o) => [o.path.split('/').filter(Boolean).pop(), o.name]));
  const trail = (path: string) =>
    path
      .split('/')
      .filter(Boolean)
      .slice(rootDepth, -1)
      .map((no) => nameByNo.get(no) ?? '')
      .filter(Boolean)
      .join(' / ');
  const severity = { critical: 0, warning: 1 } as const;
  const items: AttentionItem[] = [...reasons]
    .map(([orgId, rs]) => {
      const o = byId.get(orgId)!;
      rs.sort((a, b) => severity[a.level] - severity[b.level]);
      return {
        orgId,
        orgName: o.name,
        orgKind: o.kind,
        trail: trail(o.path),
        critical: rs.filter((r) => r.level === 'critical').length,
        reasons: rs,
        path: o.path,
      };
    })
    .sort(
      (a, b) =>
        b.critical - a.critical ||
        b.reasons.length - a.reasons.length ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    )
    .map(({ path: _path, ...rest }) => rest);
  return items;
}

/** The end of the month before `today`'s: the previous period the list is compared with. */
export const previousPeriodEnd = (today: string) => addDays(`${today.slice(0, 7)}-01`, -1);

/**
 * Marks each reason new (the org did not have it at the previous period's end) or worse (new, or a warning then and
 * critical now). Both lists come from the same set-based evaluation, so this is a lookup per reason.
 */
function markChanges(items: AttentionItem[], before: AttentionItem[]) {
  const was = new Map<string, AttentionReason['level']>();
  for (const i of before) for (const r of i.reasons) was.set(`${i.orgId}:${r.code}`, r.level);
  for (const i of items)
    for (const r of i.reasons) {
      const then = was.get(`${i.orgId}:${r.code}`);
      r.new = then === undefined;
      r.worse = r.new || (then === 'warning' && r.level === 'critical');
    }
}

export async function attentionList(
  db: Queryable,
  scope: Scope,
  page: number,
  pageSize: number,
  sort: AttentionSort = 'severity',
  code: AttentionCode | null = null,
  today = todayInChina(),
): Promise<AttentionList> {
  // On the result cache under every figure's topics, marked against the previous period's end (history: its
  // figures stay cached until a back-dated write changes them). Sorting, filtering and paging are per request.
  const previous = previousPeriodEnd(today);
  const { value: current, asOf } = await cached(
    db,
    `attention.list:${scope.tenantId}:${scope.org.path}:${today}`,
    ATTENTION_TOPICS,
    async () => {
      const [list, before] = await Promise.all([
        computeAttention(db, scope, today),
        computeAttention(db, scope, previous),
      ]);
      markChanges(list, before);
      return list;
    },
  );
  const worse = (i: AttentionItem) => (i.reasons.some((r) => r.worse) ? 0 : 1);
  // Array.prototype.sort is stable: within each group the severity order stays.
  const all = sort === 'new' ? [...current].sort((a, b) => worse(a) - worse(b)) : current;
  // How many orgs each reason touches, over the whole list: the weakest dimensions are the largest counts.
  const counts: Record<string, number> = {};
  for (const i of all) for (const c of new Set(i.reasons.map((r) => r.code))) counts[c] = (counts[c] ?? 0) + 1;
  const items = code ? all.filter((i) => i.reasons.some((r) => r.code === code)) : all;
  return {
    org: { orgId: scope.org.id, orgName: scope.org.name },
    today,
    items: items.slice((page - 1) * pageSize, page * pageSize),
    total: items.length,
    counts,
    previous,
    newOrgs: all.filter((i) => worse(i) === 0).length,
    newReasons: all.reduce((n, i) => n + i.reasons.filter((r) => r.new).length, 0),
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
