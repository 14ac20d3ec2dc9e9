/**
 * 考核 scoring: the automatic figures, read only through the owning modules' service functions (meeting compliance,
 * dues bills, learning records, 整改 roll-up), and the pure arithmetic from a unit's inputs to its lines, total and
 * rank. Rules and citations: shared/assess.ts (AUTO_SOURCES, ASSESS_RULES).
 */
import { ASSESS_RULES, AUTO_SOURCES, chinaDate, type AutoSource, type IndicatorMethod, type UnitLine } from '@xianfeng/shared';
import type { OrgRef } from '../../platform/access';
import type { Queryable } from '../../platform/db';
import { monthCollection } from '../dues/ledger';
import { addMonths } from '../dues/service';
import { learnersWithin } from '../learn/service';
import { compliance } from '../meeting/compliance';
import { countBranchMembers } from '../member/service';
import { rollup } from '../supervise/service';
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

/**
 * One automatic figure of one assessed org for the period, counted up to `today` (a period still running is
 * counted so far). Everything is read through the owning module's service functions.
 */
export async function autoFigure(
  db: Queryable,
  tenantId: string,
  unit: OrgRef,
  source: AutoSource,
  p: Period,
  today: string,
): Promise<AutoFigure> {
  const until = today < p.to ? today : p.to;
  if (until < p.from) return noData('考核期尚未开始');
  switch (source) {
    case 'meeting_compliance': {
      const view = p.quarter ? { year: p.year, quarter: p.quarter } : { year: p.year };
      const { items } = await compliance(db, tenantId, unit, view, false, today);
      const bound = items.filter((i) => i.required > 0);
      if (bound.length === 0) return noData('考核期内没有应开的组织生活');
      const ratio = bound.reduce((s, i) => s + Math.min(1, i.actual / i.required), 0) / bound.length;
      const done = bound.reduce((s, i) => s + Math.min(i.actual, i.required), 0);
      const due = bound.reduce((s, i) => s + i.required, 0);
      return {
        ratio: r4(ratio),
        basis: bound.map((i) => `${i.label} ${i.actual}/${i.required}`).join('；'),
        num: done,
        den: due,
      };
    }
    case 'dues_collection': {
      const months: string[] = [];
      for (let m = p.from.slice(0, 7); m <= until.slice(0, 7); m = addMonths(m, 1)) months.push(m);
      let bills = 0;
      let paid = 0;
      for (const m of months) {
        const c = await monthCollection(db, tenantId, unit.path, m);
        bills += c.bills;
        paid += c.paidBills;
      }
      if (bills === 0) return noData('考核期内没有党费账单');
      return {
        ratio: r4(paid / bills),
        basis: `${months[0]} 至 ${months[months.length - 1]} 已缴 ${paid} 笔 / 应缴 ${bills} 笔（${pct(paid / bills)}）`,
        num: paid,
        den: bills,
      };
    }
    case 'learning_completion': {
      const members = (await countBranchMembers(db, tenantId, [unit.id])).get(unit.id)?.all ?? 0;
      if (members === 0) return noData('没有在册党员');
      const learners = Math.min(members, await learnersWithin(db, tenantId, unit.path, p.from, until));
      return {
        ratio: r4(learners / members),
        basis: `${p.from} 至 ${until} 完成学习的党员 ${learners} 人 / 在册党员 ${members} 人（${pct(learners / members)}）`,
        num: learners,
        den: members,
      };
    }
    case 'rectify_closure': {
      const r = await rollup(db, { tenantId, org: unit }, today);
      if (r.total === 0) return noData('没有整改事项');
      return {
        ratio: r4(r.closed / r.total),
        basis: `整改事项已销号 ${r.closed} 件 / 共 ${r.total} 件（其中逾期 ${r.overdue} 件）`,
        num: r.closed,
        den: r.total,
      };
    }
    case 'masses_rating': {
      // The rounds that rated this org itself (not an org under it), ended inside the period so far.
      const rounds = (await ratingUpResults(db, tenantId, unit.path, { year: p.year })).filter((r) => {
        const ended = chinaDate(new Date(r.closesAt));
        return r.orgId === unit.id && r.score !== null && ended >= p.from && ended <= until;
      });
      if (rounds.length === 0) return noData('考核期内没有评议本组织的下考上测评');
      const average = rounds.reduce((s, r) => s + r.score!, 0) / rounds.length;
      return {
        ratio: r4(average / 100),
        basis:
          rounds.map((r) => `「${r.title}」${r2(r.score!)} 分（${r.responses} 份）`).join('；') +
          (rounds.length > 1 ? `；平均 ${r2(average)} 分` : ''),
        num: r2(average),
        den: 100,
      };
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
