/**
 * The leaders' dashboard (驾驶舱) for an org subtree. Composed only from other modules' service
 * functions; each part is computed (or taken from the result cache) on its own so a change in
 * one area recomputes only that area's figures. The core figures (members, development, meetings, dues,
 * terms, trend) are composed here; every other module's figure is its manifest's `dashboard` part
 * (platform/module.ts), asked for in the order of the module list.
 */
import {
  DashboardParts,
  RECORD_READERS,
  todayInChina,
  type Dashboard,
  type DashboardWarning,
  now,
} from '@xianfeng/shared';
import { reachableAncestors, type Scope } from '../../platform/access';
import type { FieldCrypto } from '../../platform/crypto';
import { cached, type Topic } from '../../platform/cache';
import type { Queryable } from '../../platform/db';
import type { DashboardContext, DashboardFigure, DashboardPart } from '../../platform/module';
import { pipeline } from '../develop/service';
import { arrearsSummary, collectedByMonth, monthCollection, addMonths } from '../dues/service';
import { complianceSummary, dueRules, heldByMonth, monthRules } from '../meeting/service';
import { memberStats } from '../member/service';
import { overdueTerms } from '../org/service';

/** How many orgs or people a warning lists by name (the page it links to has the rest). */
const LISTED = 5;

type Part<T> = { value: T; asOf: Date };

/**
 * One part of the dashboard on the versioned result cache: recomputed only when one of its
 * topics' tables changed (platform/cache.ts); `asOf` is when the served value was computed.
 */
const part = <T>(db: Queryable, key: string, topics: readonly Topic[], compute: () => Promise<T>): Promise<Part<T>> =>
  cached(db, `stats.${key}`, topics, compute);

/** The twelve months `YYYY-MM` ending with `month`, oldest first. */
export const lastMonths = (month: string, n = 12) => Array.from({ length: n }, (_, i) => addMonths(month, i - n + 1));

/** The last day (YYYY-MM-DD) of a month `YYYY-MM`. */
export const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

const rate = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 1000) / 1000 : null);

/** A module's dashboard part with its compute bound to the services (once, when the routes are built). */
export type BoundPart = Omit<DashboardPart, 'compute'> & {
  module: string;
  run: (ctx: DashboardContext) => Promise<DashboardFigure<keyof DashboardParts>>;
};

/**
 * The parts of `modules` that declare one, bound to `bind` (their services). Every key of the answer's
 * `DashboardParts` must come from exactly one module: checked here, at start-up, not in a leader's browser.
 */
export function boundParts<M extends { name: string; dashboard?: DashboardPart }>(
  modules: readonly M[],
  bind: (p: DashboardPart) => BoundPart['run'],
): BoundPart[] {
  const parts = modules.flatMap((m) =>
    m.dashboard ? [{ ...m.dashboard, module: m.name, run: bind(m.dashboard) }] : [],
  );
  for (const key of Object.keys(DashboardParts.shape)) {
    const by = parts.filter((p) => p.key === key).map((p) => p.module);
    if (by.length !== 1) throw new Error(`驾驶舱 part "${key}" must come from one module, not [${by.join(', ')}]`);
  }
  return parts;
}

/** One module's part, on the result cache when it names its topics (else computed now). */
async function modulePart(
  db: Queryable,
  p: BoundPart,
  ctx: DashboardContext,
  k: string,
): Promise<Part<DashboardFigure<keyof DashboardParts>>> {
  if (!p.topics) return { value: await p.run(ctx), asOf: now() };
  const key = `${p.key}:${k}${p.overMembers ? `:${ctx.members}` : ''}`;
  return part(db, key, p.topics, () => p.run(ctx));
}

export async function dashboard(
  db: Queryable,
  fc: FieldCrypto,
  scope: Scope,
  parts: readonly BoundPart[],
  today = todayInChina(),
): Promise<Dashboard> {
  const { tenantId, org } = scope;
  const month = today.slice(0, 7);
  const year = Number(today.slice(0, 4));
  // The last complete month: on 1 July (and all through July) that is June. Leaders see it beside
  // the month in progress, which on its first day has naturally collected and held almost nothing.
  const lastMonth = addMonths(month, -1);
  const through = lastDayOf(lastMonth);
  const dueYear = Number(through.slice(0, 4));
  const months = lastMonths(month);
  const k = `${tenantId}:${org.id}:${today}`;
  const stats = memberStats(db, scope);
  const trail = reachableAncestors(db, scope, RECORD_READERS);
  const [members, develop, meetings, current, dues, lastDues, arrears, terms, trend, figures] = await Promise.all([
    stats.then((v) => ({ value: v, asOf: new Date(v.asOf) })),
    part(db, `develop:${k}`, ['develop', 'org'], () => pipeline(db, fc, scope, today)),
    // Only periods that have ended count as due (dueWindow): a quarter still running is not missed.
    part(db, `meetings:${k}`, ['meeting', 'member', 'org'], () =>
      complianceSummary(db, tenantId, org, dueYear, LISTED, today, dueRules(dueYear, through)),
    ),
    part(db, `meetingsNow:${k}`, ['meeting', 'member', 'org'], () =>
      complianceSummary(db, tenantId, org, year, 0, today, monthRules(today)),
    ),
    part(db, `bills:${k}`, ['dues', 'org'], () => monthCollection(db, tenantId, org.path, month)),
    part(db, `billsLast:${k}`, ['dues', 'org'], () => monthCollection(db, tenantId, org.path, lastMonth)),
    part(db, `arrears:${k}`, ['dues', 'org'], () => arrearsSummary(db, tenantId, org.path, month)),
    // org_term is not on the feed, and this is one indexed query: always fresh.
    Promise.resolve(overdueTerms(db, tenantId, org, today, LISTED)).then((value) => ({ value, asOf: now() })),
    part(db, `trend:${k}`, ['meeting', 'dues', 'org'], async () => ({
      meetingsHeld: await heldByMonth(db, tenantId, org, months),
      duesCollectedFen: await collectedByMonth(db, tenantId, org.path, months),
    })),
    // The other modules' parts, side by side; a part over members (学习参与) waits for the member count above.
    Promise.all(
      parts.map(async (p) =>
        modulePart(db, p, { db, scope, today, members: p.overMembers ? (await stats).total : null }, k),
      ),
    ),
  ]);
  const asOf = new Date(
    Math.min(
      ...[members, develop, meetings, current, dues, lastDues, arrears, terms, trend, ...figures].map((p) =>
        p.asOf.getTime(),
      ),
    ),
  );
  const byKey = Object.fromEntries(parts.map((p, i) => [p.key, figures[i]!.value.value])) as DashboardParts;

  const warnings: DashboardWarning[] = [];
  const t = terms.value;
  if (t.total > 0)
    warnings.push({
      kind: 'term_overdue',
      level: 'critical',
      count: t.total,
      message: `${t.total} 个党组织换届逾期（任期已届满未换届）`,
      link: `/orgs?org=${t.items[0]!.orgId}`,
      orgs: t.items.map((o) => ({
        orgId: o.orgId,
        orgName: o.orgName,
        detail: `任期 ${o.endsOn} 届满`,
        link: `/orgs?org=${o.orgId}`,
      })),
    });
  const a = arrears.value;
  if (a.warning > 0)
    warnings.push({
      kind: 'arrears',
      level: a.critical > 0 ? 'critical' : 'warning',
      count: a.warning,
      message: `${a.warning} 名党员 3 个月以上未交党费${a.critical > 0 ? `，其中 ${a.critical} 名已连续 6 个月` : ''}`,
      link: `/dues?tab=arrears&orgId=${org.id}&minMonths=3`,
      orgs: [],
    });
  const d = develop.value;
  if (d.overdue > 0)
    warnings.push({
      kind: 'develop_overdue',
      level: 'warning',
      count: d.overdue,
      message: `${d.overdue} 项发展党员环节已超期${d.overdueCapped ? '（按前 5000 条记录统计）' : ''}`,
      link: `/develop?orgId=${org.id}`,
      orgs: d.firstOverdue.map((x) => ({
        orgId: x.orgId,
        orgName: x.orgName,
        detail: `${x.name}：${x.what}（应于 ${x.dueOn} 前）`,
        link: `/develop/${x.personId}`,
      })),
    });
  const m = meetings.value;
  if (m.units > m.onTrack)
    warnings.push({
      kind: 'meeting_behind',
      level: 'warning',
      count: m.units - m.onTrack,
      message: `截至 ${through} 有 ${m.units - m.onTrack} 个党支部组织生活未按规定开展`,
      link: `/compliance?orgId=${org.id}&behind=1`,
      orgs: m.worst.map((o) => ({
        orgId: o.orgId,
        orgName: o.orgName,
        detail: `${o.behind} 项未达标`,
        link: `/compliance?orgId=${o.orgId}`,
      })),
    });

  // The modules' warnings after the core ones, in the order of the module list.
  for (const f of figures) warnings.push(...(f.value.warnings ?? []));

  const s = members.value;
  const bill = dues.value;
  return {
    org: { orgId: org.id, orgName: org.name },
    trail: (await trail).map((a) => ({ orgId: a.id, orgName: a.name })),
    asOf: asOf.toISOString(),
    today,
    members: {
      total: s.total,
      full: s.byStatus.full ?? 0,
      probationary: s.byStatus.probationary ?? 0,
      byAgeBand: s.byAgeBand,
      byEducation: s.byEducation,
      note: '本组织及下级组织中在册党员（不含出党、去世等已离开组织的），按党员状态、年龄段、学历统计',
    },
    develop: {
      counts: d.counts,
      open: d.open,
      admittedThisYear: d.admittedThisYear,
      overdue: d.overdue,
      note: `在培养中的发展对象记录按当前阶段计数（不含已终止的）；今年接收预备党员为 ${year} 年完成第 15 步（支部大会讨论接收）的人数`,
    },
    meetings: {
      year: dueYear,
      through,
      units: m.units,
      onTrack: m.onTrack,
      onTrackRate: rate(m.onTrack, m.units),
      worst: m.worst,
      note: `${dueYear} 年截至 ${through}（上一个完整月末）：受“三会一课”等规定约束的党支部中，已结束的每个月、每个季度（及已结束的年度）都开展了规定会议的支部所占比例；尚未结束的月份、季度和年度不计为应开`,
      current: {
        month,
        units: current.value.units,
        done: current.value.onTrack,
        rate: rate(current.value.onTrack, current.value.units),
        note: `${month} 月进行中：已开展本月规定的每月会议（主题党日、支部委员会、党小组会）的党支部；月底前开展即可，不计为未达标`,
      },
    },
    dues: {
      month,
      bills: bill.bills,
      paidBills: bill.paidBills,
      billedFen: bill.billedFen,
      paidFen: bill.paidFen,
      collectionRate: rate(bill.paidFen, bill.billedFen),
      lastMonth: {
        month: lastMonth,
        bills: lastDues.value.bills,
        paidBills: lastDues.value.paidBills,
        billedFen: lastDues.value.billedFen,
        paidFen: lastDues.value.paidFen,
        collectionRate: rate(lastDues.value.paidFen, lastDues.value.billedFen),
      },
      arrearsMembers: a.notice,
      arrears3Members: a.warning,
      note: `${month} 月（进行中）账单：应缴金额与其中已缴金额（收缴率 = 已缴 ÷ 应缴），旁边是上一个完整月 ${lastMonth} 的收缴率；欠缴人数按本月之前的未缴账单统计`,
    },
    ...byKey,
    warnings,
    trend: {
      months,
      ...trend.value,
      note: '近 12 个月每月召开的会议次数（按会议所在月，不含谈心谈话），及每月实收党费（按缴费到账月，含自愿多交）',
    },
  };
}
