/**
 * 党内统计年报: the yearly tables of an org subtree as of a day, composed from the member, org and develop
 * modules' service functions (no second entry of anything), and the cross-table checks that catch a mismatch
 * here rather than at upload to the 全国党员管理信息系统.
 */
import {
  AGE_BANDS,
  EDUCATIONS,
  EXIT_REASON_LABELS,
  OCCUPATIONS,
  ORG_KIND_LABELS,
  PARTY_AGE_BANDS,
  PARTY_AGE_NONE,
  STRUCTURE_RULES,
  unitOfPath,
  isCalendarDate,
  now,
  todayInChina,
  type AnnualCheck,
  type AnnualReport,
  type AnnualTable,
} from '@xianfeng/shared';
import type { Scope } from '../../platform/access';
import { cached } from '../../platform/cache';
import type { Queryable } from '../../platform/db';
import { badRequest } from '../../platform/errors';
import { developedIn } from '../develop/service';
import { memberStats, annualMemberFacts, memberDataProblems, type AnnualFact } from '../member/service';
import { orgsAsOf } from '../org/service';

/** How many problems a check lists by name (the rest are counted). */
export const CHECK_ITEMS = 50;

/** The report's day: YYYY-MM-DD, a real date, not before 1921 nor after the end of the current year. */
export function reportDate(date: string | undefined): string {
  const today = todayInChina();
  if (date === undefined) return `${today.slice(0, 4)}-12-31`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isCalendarDate(date))
    throw badRequest('统计日期须为 YYYY-MM-DD 格式的有效日期', undefined, 'BAD_DATE');
  if (date < '1921-07-01') throw badRequest('统计日期不能早于 1921 年', undefined, 'BAD_DATE');
  if (date > `${today.slice(0, 4)}-12-31`) throw badRequest('统计日期不能晚于今年年底', undefined, 'BAD_DATE');
  return date;
}

type Unit = { key: string; orgId: string | null; label: string };
type Col = { key: string; label: string; group?: string };

const OUT_REASONS = ['withdrawal', 'removed', 'self_left', 'expelled', 'probation_cancelled'] as const;

/**
 * The report on the versioned result cache (platform/cache.ts; topics member, org, develop — transfers, 失联 and
 * 流动 steps all update the member row): a repeated read costs no SQL; after a change a small subtree is recounted
 * at once, a large one is served as counted (`computedAt`) while one recount runs, for at most 60 s.
 */
export async function annualReport(db: Queryable, scope: Scope, dateIn: string | undefined): Promise<AnnualReport> {
  const date = reportDate(dateIn);
  const key = `stats.annual:${scope.tenantId}:${scope.org.id}:${date}:${todayInChina()}`;
  return (await cached(db, key, ['member', 'org', 'develop'], () => computeReport(db, scope, date))).value;
}

export async function computeReport(db: Queryable, scope: Scope, date: string): Promise<AnnualReport> {
  const year = Number(date.slice(0, 4));
  const from = `${year}-01-01`;
  const { tenantId, org } = scope;
  const [facts, orgs, dev, problems] = await Promise.all([
    annualMemberFacts(db, tenantId, org.path, from, date),
    orgsAsOf(db, tenantId, org.path, date),
    developedIn(db, tenantId, org.path, from, date),
    memberDataProblems(db, tenantId, org.path, date < todayInChina() ? date : todayInChina(), CHECK_ITEMS),
  ]);

  // Units: 合计, the direct lower orgs (their subtrees), and 本级 (the root org's own members).
  const children = orgs
    .filter((o) => o.parent_id === org.id)
    .sort((a, b) => a.sort_order - b.sort_order || a.path.localeCompare(b.path));
  const units: Unit[] = [
    { key: '*', orgId: org.id, label: '合计' },
    ...children.map((c) => ({ key: c.path, orgId: c.id, label: c.name })),
    { key: org.path, orgId: org.id, label: `${org.name}（本级）` },
  ];
  // Look-ups by (unit, dim, key) and by unit: a cell must not scan the facts (54,000 of them at 1M, one per org).
  const indexed = (f: AnnualFact[]) => {
    const sums = new Map<string, number>();
    for (const x of f) {
      const k = `${x.unit}\n${x.dim}\n${x.key}`;
      sums.set(k, (sums.get(k) ?? 0) + x.n);
    }
    return (unit: string, dim: string, key = '') => sums.get(`${unit}\n${dim}\n${key}`) ?? 0;
  };
  const factsOf = indexed(facts);
  const devOf = indexed(dev);
  const factsByUnit = new Map<string, AnnualFact[]>();
  for (const x of facts) {
    const list = factsByUnit.get(x.unit);
    if (list) list.push(x);
    else factsByUnit.set(x.unit, [x]);
  }

  const table = (
    code: string,
    number: string,
    title: string,
    unit: string,
    columns: Col[],
    value: (u: Unit, col: Col) => number,
    note: string,
    keepEmptySelf = false,
  ): AnnualTable => {
    const rows = units.map((u) => ({ orgId: u.orgId, label: u.label, values: columns.map((c) => value(u, c)) }));
    // 本级 only when the root itself holds some (or the table counts the root org itself).
    const self = rows[rows.length - 1]!;
    if (!keepEmptySelf && self.values.every((v) => v === 0)) rows.pop();
    return { code, number, title, unit, columns, rows, note };
  };

  // 表1: 党员数量变动 — start + gains − losses = end, for every unit (relative to that unit's subtree).
  const gainCols: Col[] = [
    { key: 'gain', label: '小计', group: '本年增加' },
    { key: 'gain:admitted', label: '发展党员', group: '本年增加' },
    { key: 'gain:restored', label: '恢复党籍', group: '本年增加' },
    { key: 'gain:transfer_in', label: '转入', group: '本年增加' },
  ];
  const lossCols: Col[] = [
    { key: 'loss', label: '小计', group: '本年减少' },
    { key: 'loss:death', label: '死亡', group: '本年减少' },
    ...OUT_REASONS.map((r) => ({ key: `loss:${r}`, label: `出党：${EXIT_REASON_LABELS[r]}`, group: '本年减少' })),
    { key: 'loss:suspended', label: '停止党籍', group: '本年减少' },
    { key: 'loss:transfer_out', label: '转出', group: '本年减少' },
    { key: 'loss:other', label: '其他原因', group: '本年减少' },
  ];
  // Every change counts in its subtotal; a reason outside the known ones (old or imported records) under 其他原因.
  const known = new Set([...gainCols, ...lossCols].map((c) => c.key));
  const sumDims = (u: Unit, test: (dim: string) => boolean) =>
    (factsByUnit.get(u.key) ?? []).filter((x) => test(x.dim)).reduce((s, x) => s + x.n, 0);
  const flowValue = (u: Unit, c: Col) => {
    if (c.key === 'gain' || c.key === 'loss') return sumDims(u, (d) => d.startsWith(`${c.key}:`));
    if (c.key === 'loss:other') return sumDims(u, (d) => d.startsWith('loss:') && !known.has(d));
    return factsOf(u.key, c.key);
  };
  const t1 = table(
    'changes',
    '党统 1 表',
    '党员数量变动情况',
    '人',
    [{ key: 'start', label: '上年底党员数' }, ...gainCols, ...lossCols, { key: 'end', label: '本期末党员数' }],
    flowValue,
    `${year - 1} 年底（${from} 前）与 ${date} 在册的党员（不含停止党籍的），及其间的增减：增减按各单位自身范围计，单位之间的转接在合计中不计增减；一年内进出同一范围的不计。`,
  );

  const endDim = (dim: string, key: string) => (u: Unit) => factsOf(u.key, dim, key);
  const total = (u: Unit) => factsOf(u.key, 'end');
  const byKey = (dim: string) => (u: Unit, c: Col) => (c.key === 'total' ? total(u) : endDim(dim, c.key)(u));

  // 表2: 党员基本情况 — sex, ethnicity, status, 流动党员 and education.
  const t2 = table(
    'basic',
    '党统 2 表',
    '党员基本情况',
    '人',
    [
      { key: 'total', label: '党员总数' },
      { key: 'gender:female', label: '女', group: '其中' },
      { key: 'ethnic:少数民族', label: '少数民族', group: '其中' },
      { key: 'status:full', label: '正式党员', group: '其中' },
      { key: 'status:probationary', label: '预备党员', group: '其中' },
      { key: 'flowing:flowing', label: '流动党员', group: '其中' },
      ...[...EDUCATIONS, '未填'].map((e) => ({ key: `education:${e}`, label: e, group: '学历' })),
    ],
    (u, c) => {
      if (c.key === 'total') return total(u);
      const [dim, key] = c.key.split(':') as [string, string];
      return factsOf(u.key, dim, key);
    },
    `${date} 在册党员（不含停止党籍的），按组织关系所在单位统计；正式/预备按该日是否已转正。`,
  );
  const t3 = table(
    'age',
    '党统 3 表',
    '党员年龄情况',
    '人',
    [
      { key: 'total', label: '党员总数' },
      ...AGE_BANDS.map((b) => ({
        key: b.key,
        label: b.key.replace('≤30', '30岁及以下').replace('≥61', '61岁及以上'),
        group: '年龄（岁）',
      })),
    ],
    byKey('age'),
    `${date} 的周岁年龄。`,
  );
  const t4 = table(
    'occupation',
    '党统 4 表',
    '党员职业（人员类别）情况',
    '人',
    [
      { key: 'total', label: '党员总数' },
      ...[...OCCUPATIONS, '未填'].map((o) => ({ key: o, label: o, group: '职业' })),
    ],
    byKey('occupation'),
    '按党员信息中的人员类别统计；「未填」须在核对中补齐。',
  );
  const t5 = table(
    'party_age',
    '党统 5 表',
    '党员党龄情况',
    '人',
    [
      { key: 'total', label: '党员总数' },
      { key: PARTY_AGE_NONE, label: '预备党员（不计党龄）' },
      ...PARTY_AGE_BANDS.map((b) => ({ key: b.key, label: b.key, group: '正式党员党龄' })),
    ],
    byKey('party'),
    `党龄从转正之日算起（党章第七条），到 ${date} 的整年数；未填转正时间的正式党员按入党满一年计。`,
  );

  // 表6: 发展党员 in the year (develop module).
  const admittedCols: Col[] = [
    { key: 'gender:female', label: '女', group: '接收预备党员中' },
    { key: 'ethnic:少数民族', label: '少数民族', group: '接收预备党员中' },
    { key: 'young', label: '35岁及以下', group: '接收预备党员中' },
    { key: 'college', label: '大专及以上学历', group: '接收预备党员中' },
    ...OCCUPATIONS.map((o) => ({ key: `occupation:${o}`, label: o, group: '接收预备党员中' })),
  ];
  const t6 = table(
    'develop',
    '党统 6 表',
    '发展党员情况',
    '人',
    [
      { key: 'stage:1', label: '申请入党', group: '本年' },
      { key: 'stage:3', label: '确定入党积极分子', group: '本年' },
      { key: 'stage:7', label: '确定发展对象', group: '本年' },
      { key: 'stage:15', label: '接收预备党员', group: '本年' },
      { key: 'stage:24', label: '预备党员转正', group: '本年' },
      ...admittedCols,
    ],
    (u, c) => {
      if (c.key === 'young') return ['≤30', '31-35'].reduce((s, k) => s + devOf(u.key, 'age', k), 0);
      if (c.key === 'college')
        return ['研究生', '大学本科', '大学专科'].reduce((s, k) => s + devOf(u.key, 'education', k), 0);
      const [dim, key] = c.key.split(':') as [string, string];
      return devOf(u.key, dim, key);
    },
    `${from} 至 ${date} 完成发展党员相应步骤的人数（发展党员模块的记录：第 1、3、7、15、24 步）；接收预备党员按支部大会讨论通过之日统计，其构成按当日年龄。`,
  );

  // 表7: 党组织 — by kind, and branches against the set-up rules (党小组 members count for their branch).
  const existing = orgs.filter((o) => o.existed);
  const endCount = new Map<string, { full: number; all: number }>();
  for (const f of facts.filter((x) => x.dim.startsWith('org:'))) {
    const id = f.dim.slice(4);
    const c = endCount.get(id) ?? { full: 0, all: 0 };
    c.all += f.n;
    if (f.key === 'full') c.full += f.n;
    endCount.set(id, c);
  }
  const branchCount = new Map<string, { full: number; all: number }>();
  for (const o of existing) {
    const own = endCount.get(o.id) ?? { full: 0, all: 0 };
    const target = o.kind === 'group' ? o.parent_id : o.kind === 'branch' ? o.id : null;
    if (!target) continue;
    const c = branchCount.get(target) ?? { full: 0, all: 0 };
    branchCount.set(target, { full: c.full + own.full, all: c.all + own.all });
  }
  const branches = existing.filter((o) => o.kind === 'branch');
  const tooFew = branches.filter(
    (b) => (branchCount.get(b.id)?.full ?? 0) < STRUCTURE_RULES.minFullMembersForBranch.value,
  );
  const tooMany = branches.filter((b) => (branchCount.get(b.id)?.all ?? 0) > STRUCTURE_RULES.maxMembersPerBranch.value);
  const committee = branches.filter(
    (b) => (branchCount.get(b.id)?.full ?? 0) >= STRUCTURE_RULES.committeeAtFullMembers.value,
  );
  // Each org's unit once (the root's own row, or the direct child whose subtree holds it), then the counts of
  // 表7 per unit in one pass — not a pass over every org for every cell (50,000 orgs × 1,700 units at 1M).
  const childUnit = unitOfPath(children.map((c) => ({ id: c.path, path: c.path })));
  const unitOfOrg = (o: { path: string }) => childUnit(o.path) ?? org.path; // the root itself: 本级
  const orgCounts = new Map<string, Map<string, number>>();
  const countOrg = (o: { path: string }, column: string) => {
    for (const unit of ['*', unitOfOrg(o)]) {
      const counts = orgCounts.get(unit) ?? new Map<string, number>();
      counts.set(column, (counts.get(column) ?? 0) + 1);
      orgCounts.set(unit, counts);
    }
  };
  for (const o of existing) {
    if (o.kind !== 'group') countOrg(o, 'all');
    countOrg(o, o.kind);
  }
  for (const [column, list] of [
    ['tooFew', tooFew],
    ['tooMany', tooMany],
    ['committeeDue', committee],
  ] as const)
    for (const o of list) countOrg(o, column);
  const t7 = table(
    'orgs',
    '党统 7 表',
    '党组织情况',
    '个',
    [
      { key: 'all', label: '党组织总数' },
      { key: 'committee', label: ORG_KIND_LABELS.committee, group: '按类型' },
      { key: 'general_branch', label: ORG_KIND_LABELS.general_branch, group: '按类型' },
      { key: 'branch', label: ORG_KIND_LABELS.branch, group: '按类型' },
      { key: 'group', label: ORG_KIND_LABELS.group, group: '按类型' },
      { key: 'tooFew', label: `正式党员不足 ${STRUCTURE_RULES.minFullMembersForBranch.value} 人`, group: '党支部中' },
      { key: 'tooMany', label: `党员超过 ${STRUCTURE_RULES.maxMembersPerBranch.value} 人`, group: '党支部中' },
      {
        key: 'committeeDue',
        label: `正式党员 ${STRUCTURE_RULES.committeeAtFullMembers.value} 人以上（应设支委会）`,
        group: '党支部中',
      },
    ],
    (u, c) => orgCounts.get(u.key)?.get(c.key) ?? 0,
    `${date} 存在的党组织（按现在的组织树；未填成立日期的视为一直存在）。党组织总数不含党小组。设置条件：${STRUCTURE_RULES.minFullMembersForBranch.citation}；${STRUCTURE_RULES.maxMembersPerBranch.citation}；${STRUCTURE_RULES.committeeAtFullMembers.citation}。`,
    true,
  );

  const tables = [t1, t2, t3, t4, t5, t6, t7];
  const checks: AnnualCheck[] = [];
  const col = (t: AnnualTable, key: string) => t.columns.findIndex((c) => c.key === key);

  // Identity: start + gains − losses = end on every row of 表1.
  const iStart = col(t1, 'start');
  const iEnd = col(t1, 'end');
  const iGain = col(t1, 'gain');
  const iLoss = col(t1, 'loss');
  const identityBad = t1.rows.filter(
    (r) => r.values[iStart]! + r.values[iGain]! - r.values[iLoss]! !== r.values[iEnd]!,
  );
  checks.push({
    code: 'changes_balance',
    ok: identityBad.length === 0,
    count: identityBad.length,
    level: 'error',
    message: identityBad.length
      ? `${identityBad.length} 个单位「上年底 + 增加 − 减少」不等于期末党员数`
      : '每个单位：上年底党员数 + 本年增加 − 本年减少 = 期末党员数',
    items: identityBad.map((r) => ({
      label: r.label,
      detail: `上年底 ${r.values[iStart]} + 增加 ${r.values[iGain]} − 减少 ${r.values[iLoss]} ≠ 期末 ${r.values[iEnd]}`,
      link: `/members?orgId=${r.orgId}`,
    })),
  });

  // Totals agree across the member tables, and each table's rows add up to its 合计.
  const endTotal = t1.rows[0]!.values[iEnd]!;
  const disagree: AnnualCheck['items'] = [];
  const sumBad: AnnualCheck['items'] = [];
  const sums: [AnnualTable, string[]][] = [
    [t1, ['start', 'end']],
    [t2, t2.columns.map((c) => c.key)],
    [t3, t3.columns.map((c) => c.key)],
    [t4, t4.columns.map((c) => c.key)],
    [t5, t5.columns.map((c) => c.key)],
    [t6, t6.columns.map((c) => c.key)],
    [t7, t7.columns.map((c) => c.key)],
  ];
  for (const [t, keys] of sums)
    for (const k of keys) {
      const i = col(t, k);
      const parts = t.rows.slice(1).reduce((s, r) => s + r.values[i]!, 0);
      if (parts !== t.rows[0]!.values[i]!)
        sumBad.push({
          label: `${t.number}「${t.columns[i]!.label}」`,
          detail: `各单位之和 ${parts}，合计 ${t.rows[0]!.values[i]}`,
          link: `/stats/annual?table=${t.code}`,
        });
    }
  for (const t of [t2, t3, t4, t5]) {
    const v = t.rows[0]!.values[col(t, 'total')]!;
    if (v !== endTotal)
      disagree.push({
        label: `${t.number}党员总数`,
        detail: `${v}，党统 1 表期末 ${endTotal}`,
        link: `/stats/annual?table=${t.code}`,
      });
  }
  // Each breakdown adds up to the table's total, per row (a missing field shows in 「未填」, never lost).
  const parts: [AnnualTable, string[]][] = [
    [t2, [...EDUCATIONS, '未填'].map((e) => `education:${e}`)],
    [t2, ['status:full', 'status:probationary']],
    [t3, AGE_BANDS.map((b) => b.key)],
    [t4, [...OCCUPATIONS, '未填']],
    [t5, [PARTY_AGE_NONE, ...PARTY_AGE_BANDS.map((b) => b.key)]],
  ];
  for (const [t, keys] of parts)
    for (const r of t.rows) {
      const s = keys.reduce((a, k) => a + r.values[col(t, k)]!, 0);
      if (s !== r.values[col(t, 'total')]!)
        disagree.push({
          label: `${t.number}「${r.label}」`,
          detail: `分项之和 ${s}，党员总数 ${r.values[col(t, 'total')]}`,
          link: `/stats/annual?table=${t.code}`,
        });
    }
  // 正式党员 in 表2 = 党龄 counted in 表5.
  const full2 = t2.rows[0]!.values[col(t2, 'status:full')]!;
  const full5 = t5.rows[0]!.values[col(t5, 'total')]! - t5.rows[0]!.values[col(t5, PARTY_AGE_NONE)]!;
  if (full2 !== full5)
    disagree.push({
      label: '正式党员',
      detail: `党统 2 表 ${full2}，党统 5 表 ${full5}`,
      link: '/stats/annual?table=party_age',
    });
  checks.push({
    code: 'tables_agree',
    ok: disagree.length === 0,
    count: disagree.length,
    level: 'error',
    message: disagree.length
      ? `${disagree.length} 处各表之间的数字不一致`
      : '各表党员总数、分项之和、正式党员数相互一致',
    items: disagree,
  });
  checks.push({
    code: 'rows_sum',
    ok: sumBad.length === 0,
    count: sumBad.length,
    level: 'error',
    message: sumBad.length ? `${sumBad.length} 列各单位之和不等于合计` : '各表各单位之和等于合计',
    items: sumBad,
  });

  // Against the roster: on or after today the period's end is today's roll.
  const today = todayInChina();
  if (date >= today) {
    const roster = (await memberStats(db, scope)).total;
    checks.push({
      code: 'roster',
      ok: roster === endTotal,
      count: roster === endTotal ? 0 : 1,
      level: 'error',
      message:
        roster === endTotal
          ? `期末党员数与党员花名册在册人数一致（${roster} 人）`
          : `期末党员数 ${endTotal} 与党员花名册在册人数 ${roster} 不一致`,
      items:
        roster === endTotal
          ? []
          : [{ label: '党员花名册', detail: `在册 ${roster} 人`, link: `/members?orgId=${org.id}` }],
    });
  }

  // Members whose record lacks a field the tables need, or holds an impossible value.
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  for (const p of problems)
    checks.push({
      code: p.code,
      ok: p.count === 0,
      count: p.count,
      level: 'error',
      message: p.count ? `${p.count} 名${p.message}` : `没有${p.message}`,
      items: p.members.map((m) => ({
        label: m.name,
        detail: `${orgName.get(m.orgId) ?? ''}，${p.message.replace(/^(正式|预备)?党员/, '')}`,
        link: `/members/${m.memberId}?edit=${p.field}`,
      })),
    });
  checks.push({
    code: 'branch_setup',
    ok: tooFew.length === 0,
    count: tooFew.length,
    level: 'warning',
    message: tooFew.length
      ? `${tooFew.length} 个党支部正式党员不足 ${STRUCTURE_RULES.minFullMembersForBranch.value} 人，不符合单独设立党支部的条件`
      : `每个党支部都有 ${STRUCTURE_RULES.minFullMembersForBranch.value} 名以上正式党员`,
    items: tooFew.slice(0, CHECK_ITEMS).map((b) => ({
      label: b.name,
      detail: `正式党员 ${branchCount.get(b.id)?.full ?? 0} 人`,
      link: `/orgs?org=${b.id}`,
    })),
  });

  const s = t2.rows[0]!;
  return {
    org: { orgId: org.id, orgName: org.name },
    date,
    from,
    year,
    tables,
    checks,
    totals: {
      members: endTotal,
      full: s.values[col(t2, 'status:full')]!,
      probationary: s.values[col(t2, 'status:probationary')]!,
    },
    computedAt: now().toISOString(),
  };
}
