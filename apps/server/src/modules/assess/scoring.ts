/**
 * 考核 scoring: the automatic figures, read only through the owning modules' service functions (meeting compliance,
 * dues bills, learning records, 整改 roll-up), and the pure arithmetic from a unit's inputs to its lines, total and
 * rank. Rules and citations: shared/assess.ts (AUTO_SOURCES, ASSESS_RULES).
 */
import {
  ASSESS_RULES,
  AUTO_SOURCES,
  chinaDate,
  unitOfPath,
  type AutoSource,
  type IndicatorMethod,
  type UnitLine,
} from '@xianfeng/shared';
import type { OrgRef } from '../../platform/access';
import type { Queryable } from '../../platform/db';
import { collectionByOrg, addMonths } from '../dues/service';
import { learnersByOrg } from '../learn/service';
import { complianceByUnit } from '../meeting/service';
import { countUnitMembers } from '../member/service';
import { rectifyCountsByPath } from '../supervise/service';
import { ratingUpResults } from '../voice/service';
import type { AutoFigure, PlanItemRow, ScoreMap } from './schema';

export type Period = { year: number; quarter: number | null; from: string; to: string; label: string };

export function periodOf(year: number, quarter: number | null): Period {
  if (!quarter) return { year, quarter: null, from: `${year}-01-01`, to: `${year}-12-31`, label: `${year} 年度` };
  const m1 = (quarter - 1) * 3 + 1;
  const last = new Date(Date.UTC(year, m1 + 2, 0)).getUTCDate();
  return {
    year,
    quarter,
    from: `${year}-${String(m1).padStart(2, '0')}-01`,
    to: `${year}-${String(m1 + 2).padStart(2, '0')}-${last}`,
    label: `${year} 年第 ${quarter} 季度`,
  };
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${r2(x * 100)}%`;
const noData = (what: string): AutoFigure => ({
  ratio: 1,
  basis: `${what}，按满分计（${ASSESS_RULES.noData.citation}）`,
  num: null,
  den: null,
});

/** Adds `row`'s numbers into the unit's running totals. */
function addTo<T extends Record<string, number>>(sums: Map<string, T>, id: string | undefined, row: T) {
  if (!id) return;
  const s = sums.get(id);
  if (!s) sums.set(id, { ...row });
  else for (const k of Object.keys(row) as (keyof T & string)[]) (s as Record<string, number>)[k]! += row[k] as number;
}

/**
 * One automatic figure of every assessed org (`units`, all inside `root`, the plan's org) for the period, counted
 * up to `today` (a period still running is counted so far). Everything is read through the owning module's service
 * functions, each asked once for the whole subtree and split by unit here — a tenant of tens of thousands of
 * branches costs a handful of grouped queries, not a few per branch.
 */
export async function autoFigures(
  db: Queryable,
  tenantId: string,
  root: OrgRef,
  units: OrgRef[],
  source: AutoSource,
  p: Period,
  today: string,
): Promise<Map<string, AutoFigure>> {
  const out = new Map<string, AutoFigure>();
  const until = today < p.to ? today : p.to;
  if (until < p.from) {
    for (const u of units) out.set(u.id, noData('考核期尚未开始'));
    return out;
  }
  const unitOf = unitOfPath(units);
  switch (source) {
    case 'meeting_compliance': {
      const view = p.quarter ? { year: p.year, quarter: p.quarter } : { year: p.year };
      const byUnit = await complianceByUnit(db, tenantId, root, view, today);
      for (const u of units) {
        const bound = (byUnit.get(u.id) ?? []).filter((i) => i.required > 0);
        if (bound.length === 0) {
          out.set(u.id, noData('考核期内没有应开的组织生活'));
          continue;
        }
        const ratio = bound.reduce((s, i) => s + Math.min(1, i.actual / i.required), 0) / bound.length;
        out.set(u.id, {
          ratio: r4(ratio),
          basis: bound.map((i) => `${i.label} ${i.actual}/${i.required}`).join('；'),
          num: bound.reduce((s, i) => s + Math.min(i.actual, i.required), 0),
          den: bound.reduce((s, i) => s + i.required, 0),
        });
      }
      return out;
    }
    case 'dues_collection': {
      const months: string[] = [];
      for (let m = p.from.slice(0, 7); m <= until.slice(0, 7); m = addMonths(m, 1)) months.push(m);
      const sums = new Map<string, { bills: number; paid: number }>();
      for (const r of await collectionByOrg(db, tenantId, root.path, months[0]!, months[months.length - 1]!))
        addTo(sums, unitOf(r.path), { bills: r.bills, paid: r.paid_bills });
      for (const u of units) {
        const { bills, paid } = sums.get(u.id) ?? { bills: 0, paid: 0 };
        out.set(
          u.id,
          bills === 0
            ? noData('考核期内没有党费账单')
            : {
                ratio: r4(paid / bills),
                basis: `${months[0]} 至 ${months[months.length - 1]} 已缴 ${paid} 笔 / 应缴 ${bills} 笔（${pct(paid / bills)}）`,
                num: paid,
                den: bills,
              },
        );
      }
      return out;
    }
    case 'learning_completion': {
      const members = await countUnitMembers(db, tenantId, root.path, unitOf);
      const learners = new Map<string, Set<string>>();
      for (const r of await learnersByOrg(db, tenantId, root.path, p.from, until)) {
        const id = unitOf(r.path);
        if (id) learners.set(id, (learners.get(id) ?? new Set()).add(r.member_id));
      }
      for (const u of units) {
        const all = members.get(u.id)?.all ?? 0;
        if (all === 0) {
          out.set(u.id, noData('没有在册党员'));
          continue;
        }
        const done = Math.min(all, learners.get(u.id)?.size ?? 0);
        out.set(u.id, {
          ratio: r4(done / all),
          basis: `${p.from} 至 ${until} 完成学习的党员 ${done} 人 / 在册党员 ${all} 人（${pct(done / all)}）`,
          num: done,
          den: all,
        });
      }
      return out;
    }
    case 'rectify_closure': {
      const sums = new Map<string, { total: number; closed: number; overdue: number }>();
      for (const r of await rectifyCountsByPath(db, tenantId, root.path, today))
        addTo(sums, unitOf(r.path), {
          total: r.n,
          closed: r.status === 'closed' ? r.n : 0,
          overdue: r.overdue ? r.n : 0,
        });
      for (const u of units) {
        const c = sums.get(u.id);
        out.set(
          u.id,
          !c || c.total === 0
            ? noData('没有整改事项')
            : {
                ratio: r4(c.closed / c.total),
                basis: `整改事项已销号 ${c.closed} 件 / 共 ${c.total} 件（其中逾期 ${c.overdue} 件）`,
                num: c.closed,
                den: c.total,
              },
        );
      }
      return out;
    }
    case 'masses_rating': {
      // Every round of the plan's subtree in the year: ratingUpResults pages at 200 by default, which was per branch
      // when each branch was asked alone and would now silently drop rounds of a large plan.
      const rounds = await ratingUpResults(db, tenantId, root.path, { year: p.year, limit: Number.MAX_SAFE_INTEGER });
      for (const u of units) {
        // The rounds that rated this org itself (not an org under it), ended inside the period so far.
        const own = rounds.filter((r) => {
          const ended = chinaDate(new Date(r.closesAt));
          return r.orgId === u.id && r.score !== null && ended >= p.from && ended <= until;
        });
        if (own.length === 0) {
          out.set(u.id, noData('考核期内没有评议本组织的下考上测评'));
          continue;
        }
        const average = own.reduce((s, r) => s + r.score!, 0) / own.length;
        out.set(u.id, {
          ratio: r4(average / 100),
          basis:
            own.map((r) => `「${r.title}」${r2(r.score!)} 分（${r.responses} 份）`).join('；') +
            (own.length > 1 ? `；平均 ${r2(average)} 分` : ''),
          num: r2(average),
          den: 100,
        });
      }
      return out;
    }
  }
}

/** The ratio of a business KPI value against its target (ASSESS_RULES.kpi). */
export function kpiRatio(value: number, target: number, higherBetter: boolean): number {
  if (higherBetter) return r4(Math.min(1, value / target));
  return r4(value <= target ? 1 : target / value);
}

export type UnitInputs = {
  review: ScoreMap;
  self: ScoreMap;
  kpi: Record<string, number>;
  auto: Record<string, AutoFigure> | null;
};

/** The lines of one unit (without files) and its total; null total while a weighted line is not scored yet. */
export function computeLines(
  items: PlanItemRow[],
  u: UnitInputs,
): { lines: Omit<UnitLine, 'files'>[]; total: number | null } {
  let total = 0;
  let complete = true;
  const lines = items.map((it) => {
    const method = it.method as IndicatorMethod;
    const self = u.self[it.key] ?? null;
    const review = u.review[it.key] ?? null;
    const value = method === 'kpi' ? (u.kpi[it.key] ?? null) : null;
    let ratio: number | null = null;
    let points: number | null = null;
    let basis = '';
    let citation: string | null = null;
    if (method === 'auto') {
      const f = u.auto?.[it.key];
      citation = it.source ? AUTO_SOURCES[it.source as AutoSource].citation : null;
      if (f) {
        ratio = f.ratio;
        basis = f.basis;
      } else basis = '公布结果时按记录自动计算';
    } else if (method === 'manual') {
      if (review) {
        ratio = r4(review.score / it.maxScore);
        basis = `评分 ${review.score}/${it.maxScore}${review.note ? `：${review.note}` : ''}`;
      } else basis = self ? `自评 ${self.score}/${it.maxScore}，待上级评分` : '待自评和上级评分';
    } else if (method === 'kpi') {
      if (value !== null && it.target) {
        ratio = kpiRatio(value, it.target, it.higherBetter);
        basis = `实际 ${value}${it.unit ?? ''} / 目标 ${it.target}${it.unit ?? ''}（${it.higherBetter ? '越高越好' : '越低越好'}）`;
      } else basis = '待录入或导入指标值';
      citation = ASSESS_RULES.kpi.citation;
    } else {
      const sign = method === 'bonus' ? 1 : -1;
      if (review) {
        points = sign * review.score;
        basis = `${method === 'bonus' ? '加' : '减'} ${review.score} 分（上限 ${it.maxScore}）${review.note ? `：${review.note}` : ''}`;
      } else {
        points = 0;
        basis = self ? `自报 ${self.score} 分，待上级认定` : '无';
      }
    }
    if (WEIGHTED(method)) {
      if (ratio === null) complete = false;
      else points = r2(it.weight * ratio);
    }
    if (points !== null) total += points;
    return {
      key: it.key,
      name: it.name,
      method,
      category: it.category as UnitLine['category'],
      weight: it.weight,
      maxScore: it.maxScore,
      self,
      review,
      value,
      ratio,
      points,
      basis,
      citation,
    };
  });
  return { lines, total: complete ? r2(Math.max(0, total)) : null };
}

const WEIGHTED = (m: IndicatorMethod) => m === 'auto' || m === 'manual' || m === 'kpi';

/** Competition ranking (1, 1, 3) of totals within each parent. */
export function rankWithinParents<T extends { id: string; parentId: string; total: number | null }>(
  units: T[],
): Map<string, { rank: number; peers: number }> {
  const byParent = new Map<string, T[]>();
  for (const u of units) byParent.set(u.parentId, [...(byParent.get(u.parentId) ?? []), u]);
  const out = new Map<string, { rank: number; peers: number }>();
  for (const list of byParent.values()) {
    const sorted = [...list].sort((a, b) => (b.total ?? -1) - (a.total ?? -1));
    sorted.forEach((u, i) => {
      const rank = i > 0 && sorted[i - 1]!.total === u.total ? out.get(sorted[i - 1]!.id)!.rank : i + 1;
      out.set(u.id, { rank, peers: list.length });
    });
  }
  return out;
}
