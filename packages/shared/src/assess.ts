/**
 * 考核 (assessment): the indicator library, the automatic sources read from other modules (as data, each with its
 * source), the scoring rules and the wire shapes of the assess routes. Issue 21.
 *
 * A plan (考核) assesses every 党支部 of an org's subtree for a quarter or a year. Its weighted indicators add up to
 * 100; each gives `weight × ratio` (ratio 0–1): automatic ones from the records, manual ones from the reviewer's
 * score over the indicator's maximum, business KPIs from the entered value against the target. Bonus (加分) and
 * deduction (减分) items add or subtract points up to their cap.
 */
import { z } from 'zod';

export const INDICATOR_CATEGORIES = ['party', 'safety', 'output', 'quality', 'cost'] as const;
export type IndicatorCategory = (typeof INDICATOR_CATEGORIES)[number];
export const INDICATOR_CATEGORY_LABELS: Record<IndicatorCategory, string> = {
  party: '党建工作',
  safety: '安全生产',
  output: '生产经营',
  quality: '质量',
  cost: '成本',
};

/** How an indicator is scored. */
export const INDICATOR_METHODS = ['auto', 'manual', 'kpi', 'bonus', 'deduction'] as const;
export type IndicatorMethod = (typeof INDICATOR_METHODS)[number];
export const INDICATOR_METHOD_LABELS: Record<IndicatorMethod, string> = {
  auto: '自动取数',
  manual: '人工评分',
  kpi: '业务指标值',
  bonus: '加分项',
  deduction: '减分项',
};
/** Methods that carry a weight (the weights of a plan add up to 100); bonus and deduction carry a cap instead. */
export const WEIGHTED_METHODS: readonly IndicatorMethod[] = ['auto', 'manual', 'kpi'];

/**
 * The automatic sources: what is read, from which module's service function, and the rule it measures.
 * `confirmed: false`: the citation is from secondary reposts, not checked against the official text.
 */
export const AUTO_SOURCES = {
  meeting_compliance: {
    label: '三会一课完成率',
    module: 'meeting',
    serviceFunction: 'meeting/compliance.ts compliance()',
    formula:
      '考核期内各项组织生活制度（支部党员大会、支委会、党小组会、党课、主题党日）实际次数与应开次数之比的平均值，每项不超过 100%',
    citation: '《中国共产党支部工作条例（试行）》第十九条（“三会一课”制度）；各项应开次数见组织生活的制度表',
    confirmed: false,
  },
  dues_collection: {
    label: '党费收缴率',
    module: 'dues',
    serviceFunction: 'dues/ledger.ts monthCollection()',
    formula: '考核期内（截至当月）各月党费账单中已缴笔数 ÷ 应缴笔数',
    citation: '《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）第十条（按月交纳党费）',
    confirmed: false,
  },
  learning_completion: {
    label: '学习完成率',
    module: 'learn',
    serviceFunction: 'learn/service.ts learnersWithin()',
    formula: '考核期内完成过至少一项学习内容的在册党员人数 ÷ 在册党员人数',
    citation: '《2019—2023年全国党员教育培训工作规划》关于党员每年集中学习培训的要求；完成率口径为本系统规则',
    confirmed: false,
  },
  rectify_closure: {
    label: '整改销号率',
    module: 'supervise',
    serviceFunction: 'supervise/service.ts rollup()',
    formula: '本组织（含下级）整改事项中已验收销号的件数 ÷ 整改事项总件数（截至计算时）',
    citation: '《中国共产党党内监督条例》第三十三条（监督发现问题的整改）；口径为本系统规则',
    confirmed: false,
  },
  masses_rating: {
    label: '群众评议（下考上）得分率',
    module: 'voice',
    serviceFunction: 'voice/service.ts ratingUpResults()',
    formula:
      '考核期内结束的、以本组织为被评议组织的下考上测评得分（百分制，各评议指标按权重加权）÷ 100；有多次测评时取平均',
    citation: '本系统规则（党员和群众评议上级党组织、评议结果纳入考核）；所依据的具体条款未核实',
    confirmed: false,
  },
} as const satisfies Record<
  string,
  { label: string; module: string; serviceFunction: string; formula: string; citation: string; confirmed: boolean }
>;
export type AutoSource = keyof typeof AUTO_SOURCES;
export const AUTO_SOURCE_KEYS = Object.keys(AUTO_SOURCES) as AutoSource[];

/** The scoring rules of this system (not of a regulation), with their wording for the pages. */
export const ASSESS_RULES = {
  weights: {
    text: '计权重的指标（自动取数、人工评分、业务指标值）权重之和须为 100',
    citation: '本系统规则',
    confirmed: true,
    local: true,
  },
  noData: {
    text: '自动取数的指标在考核期内没有可统计的记录（如没有党费账单、没有整改事项）时按满分计，并在得分依据中注明',
    citation: '本系统规则',
    confirmed: true,
    local: true,
  },
  kpi: {
    text: '业务指标值越高越好的：得分率 = 实际值 ÷ 目标值（不超过 100%）；越低越好的：实际值不超过目标值为 100%，超过时为 目标值 ÷ 实际值',
    citation: '本系统规则（党建与生产经营深度融合，业务指标按目标完成情况计分）',
    confirmed: true,
    local: true,
  },
  selfDeadline: {
    text: '考核可设自评截止日期（含当日）；截止后党支部不能再自评或上传自评佐证材料，须由上级党组织为该党支部重新开放自评并定新的截止日期',
    citation: '本系统规则',
    confirmed: true,
    local: true,
  },
  flow: {
    text: '党支部自评（人工评分项须附佐证材料）→ 上级党组织评分 → 公布结果（按所属上级组织排名）→ 党支部可在关闭前申诉，评分人答复 → 关闭后不能再修改',
    citation: '本系统规则；考核分级负责参照《中国共产党支部工作条例（试行）》第三十一条（上级党组织对党支部的考核）',
    confirmed: false,
    local: true,
  },
} as const;

export const PLAN_STATUSES = ['open', 'published', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  open: '评分中',
  published: '已公布（可申诉）',
  closed: '已关闭',
};

const Text = (what: string, max: number) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 字`);
const Score = z.number('分数须为数字').min(0, '分数不能为负数').max(1000, '分数不能超过 1000');

export const IndicatorInput = z
  .strictObject({
    /** The org that keeps it in its library (its subtree's plans may use it). */
    orgId: z.uuid('组织编号格式不正确'),
    name: Text('指标名称', 60),
    category: z.enum(INDICATOR_CATEGORIES, `指标类别须为：${INDICATOR_CATEGORIES.join('、')}`),
    method: z.enum(INDICATOR_METHODS, `计分方式须为：${INDICATOR_METHODS.join('、')}`),
    source: z
      .enum(AUTO_SOURCE_KEYS as [AutoSource, ...AutoSource[]], `自动取数来源须为：${AUTO_SOURCE_KEYS.join('、')}`)
      .optional(),
    /** Manual: the highest score a reviewer may give; bonus/deduction: the cap of points. */
    maxScore: z.number('满分须为数字').positive('满分须大于 0').max(100, '满分不能超过 100'),
    unit: z.string().trim().max(20, '单位不能超过 20 字').optional(),
    target: z.number('目标值须为数字').positive('目标值须大于 0').optional(),
    higherBetter: z.boolean().optional(),
    description: z.string().trim().max(500, '说明不能超过 500 字').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'auto' && !v.source)
      ctx.addIssue({ code: 'custom', path: ['source'], message: '自动取数的指标须选择取数来源' });
    if (v.method !== 'auto' && v.source)
      ctx.addIssue({ code: 'custom', path: ['source'], message: '只有自动取数的指标才有取数来源' });
    if (v.method === 'kpi' && v.target === undefined)
      ctx.addIssue({ code: 'custom', path: ['target'], message: '业务指标须填写目标值' });
  });
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const Indicator = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  category: z.enum(INDICATOR_CATEGORIES),
  method: z.enum(INDICATOR_METHODS),
  source: z.enum(AUTO_SOURCE_KEYS as [AutoSource, ...AutoSource[]]).nullable(),
  maxScore: z.number(),
  unit: z.string().nullable(),
  target: z.number().nullable(),
  higherBetter: z.boolean(),
  description: z.string().nullable(),
});
export type Indicator = z.infer<typeof Indicator>;

export const AssessPlanItemInput = z.strictObject({
  indicatorId: z.uuid('指标编号格式不正确'),
  /** Weighted methods: 0–100; bonus/deduction: 0 (their cap is the indicator's maximum). */
  weight: z.number('权重须为数字').min(0, '权重不能为负数').max(100, '权重不能超过 100'),
  /** A KPI's target for this plan (defaults to the indicator's). */
  target: z.number('目标值须为数字').positive('目标值须大于 0').optional(),
});
export const AssessPlanInput = z.strictObject({
  /** The org whose 党支部 (in its subtree) are assessed; its keepers and those above review. */
  orgId: z.uuid('组织编号格式不正确'),
  title: Text('考核名称', 80),
  year: z.number('年份须为数字').int('年份须为整数').min(2000, '年份不正确').max(2100, '年份不正确'),
  /** 1–4: a quarter; omitted: the whole year. */
  quarter: z.number().int().min(1, '季度须为 1–4').max(4, '季度须为 1–4').optional(),
  items: z.array(AssessPlanItemInput).min(1, '请至少选择一项指标').max(50, '指标不能超过 50 项'),
  /** 自评截止日期 (inclusive); omitted or null: open until the results are published. */
  selfDeadline: z.iso.date('自评截止日期须为 YYYY-MM-DD').nullable().optional(),
});
export type AssessPlanInput = z.infer<typeof AssessPlanInput>;
export const AssessPlanPatch = AssessPlanInput.omit({ orgId: true }).partial();
export type AssessPlanPatch = z.infer<typeof AssessPlanPatch>;

/** One indicator of a plan, copied from the library when the plan is made (later library edits do not move it). */
export const AssessPlanItem = z.object({
  key: z.string(),
  indicatorId: z.string(),
  name: z.string(),
  category: z.enum(INDICATOR_CATEGORIES),
  method: z.enum(INDICATOR_METHODS),
  source: z.enum(AUTO_SOURCE_KEYS as [AutoSource, ...AutoSource[]]).nullable(),
  maxScore: z.number(),
  weight: z.number(),
  unit: z.string().nullable(),
  target: z.number().nullable(),
  higherBetter: z.boolean(),
});
export type AssessPlanItem = z.infer<typeof AssessPlanItem>;

export const AssessPlan = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  year: z.number(),
  quarter: z.number().nullable(),
  periodLabel: z.string(),
  from: z.string(),
  to: z.string(),
  status: z.enum(PLAN_STATUSES),
  selfDeadline: z.string().nullable(),
  items: z.array(AssessPlanItem),
  units: z.number(),
  selfDone: z.number(),
  reviewDone: z.number(),
  openAppeals: z.number(),
  publishedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** The caller keeps the plan's org (edit, publish, close, KPI values). */
  canManage: z.boolean(),
});
export type AssessPlan = z.infer<typeof AssessPlan>;

export const ScoresInput = z.strictObject({
  scores: z
    .array(
      z.strictObject({
        key: z.string().min(1, '缺少指标'),
        score: Score,
        note: z.string().trim().max(1000, '说明不能超过 1000 字').optional(),
      }),
    )
    .min(1, '请至少为一项指标评分'),
});
export type ScoresInput = z.infer<typeof ScoresInput>;

export const KpiValuesInput = z.strictObject({
  values: z
    .array(
      z.strictObject({
        unitId: z.uuid('考核对象编号格式不正确'),
        key: z.string().min(1, '缺少指标'),
        value: z.number('指标值须为数字').min(0, '指标值不能为负数'),
      }),
    )
    .min(1, '请至少填写一个指标值'),
});
export type KpiValuesInput = z.infer<typeof KpiValuesInput>;

export const AppealInput = z.strictObject({ reason: Text('申诉理由', 1000) });
export const AppealAnswerInput = z.strictObject({
  answer: Text('答复意见', 1000),
  /** Corrected reviewer scores (manual, bonus, deduction items), if the appeal is upheld. */
  scores: ScoresInput.shape.scores.optional(),
});
export type AppealAnswerInput = z.infer<typeof AppealAnswerInput>;

export const AssessFile = z.object({
  id: z.string(),
  key: z.string(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type AssessFile = z.infer<typeof AssessFile>;

/** One indicator of one assessed org: the inputs and what it contributes. */
export const UnitLine = z.object({
  key: z.string(),
  name: z.string(),
  method: z.enum(INDICATOR_METHODS),
  category: z.enum(INDICATOR_CATEGORIES),
  weight: z.number(),
  maxScore: z.number(),
  self: z.object({ score: z.number(), note: z.string().nullable() }).nullable(),
  review: z.object({ score: z.number(), note: z.string().nullable() }).nullable(),
  /** KPI value entered or imported. */
  value: z.number().nullable(),
  /** 0–1 for weighted items (null: not scored yet). */
  ratio: z.number().nullable(),
  /** Points this line adds (negative for a deduction). */
  points: z.number().nullable(),
  /** Why: the automatic source's figures, the KPI against its target, the reviewer's score. */
  basis: z.string(),
  citation: z.string().nullable(),
  files: z.array(AssessFile),
});
export type UnitLine = z.infer<typeof UnitLine>;

export const UnitBrief = z.object({
  id: z.string(),
  planId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  parentId: z.string(),
  parentName: z.string(),
  selfAt: z.string().nullable(),
  reviewAt: z.string().nullable(),
  total: z.number().nullable(),
  /** Rank among the assessed orgs under the same parent (1 = best), after publishing. */
  rank: z.number().nullable(),
  peers: z.number().nullable(),
  appeal: z.enum(['none', 'open', 'answered']),
});
export type UnitBrief = z.infer<typeof UnitBrief>;

export const UnitDetail = UnitBrief.extend({
  planTitle: z.string(),
  planStatus: z.enum(PLAN_STATUSES),
  periodLabel: z.string(),
  lines: z.array(UnitLine),
  selfBy: z.string().nullable(),
  reviewBy: z.string().nullable(),
  appealReason: z.string().nullable(),
  appealBy: z.string().nullable(),
  appealAnswer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  /** 整改 items raised from this unit's results (in the supervise module), newest first, with their status. */
  /** The last day this org may self-assess (the plan's deadline, or later when the org above reopened it); null: no deadline. */
  selfDeadline: z.string().nullable(),
  selfReopenedBy: z.string().nullable(),
  rectifications: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      title: z.string(),
      status: z.enum(['open', 'in_progress', 'pending_check', 'closed']),
      deadline: z.string(),
      overdue: z.boolean(),
    }),
  ),
  can: z.object({
    self: z.boolean(),
    review: z.boolean(),
    appeal: z.boolean(),
    answer: z.boolean(),
    /** A keeper of an org above may turn a line that lost points into a 整改 item (after publishing). */
    rectify: z.boolean(),
    /** A keeper of an org above may reopen 自评 after the deadline (while the plan is open). */
    reopen: z.boolean(),
  }),
});
export type UnitDetail = z.infer<typeof UnitDetail>;

/**
 * 整改 from a result: the org above turns one indicator that lost points (or a deduction) into a rectification
 * item of the assessed branch. Title and finding default to the indicator, its points and basis; the 验收人 defaults
 * to the caller (a keeper above qualifies under the supervise module's verifier rule).
 */
export const RectifyFromResultInput = z.strictObject({
  key: z.string().min(1, '请指明指标').max(40, '指标不正确'),
  title: z.string().trim().max(100, '问题标题不能超过 100 字').optional(),
  finding: z.string().trim().max(2000, '问题描述不能超过 2000 字').optional(),
  measures: Text('整改措施', 2000),
  deadline: z.iso.date('日期须为 YYYY-MM-DD'),
  ownerMemberId: z.uuid('责任人编号格式不正确').nullable().optional(),
  verifierUserId: z.uuid('验收人编号格式不正确').optional(),
});
export type RectifyFromResultInput = z.infer<typeof RectifyFromResultInput>;

/** The org above reopens 自评 for one assessed org after the deadline, until `until` (inclusive). */
export const ReopenSelfInput = z.strictObject({ until: z.iso.date('日期须为 YYYY-MM-DD') });
export type ReopenSelfInput = z.infer<typeof ReopenSelfInput>;

/** Score bands of the 驾驶舱's 考核 figure: a distribution of totals (out of 100), not a rating rule. */
export const ASSESS_SCORE_BANDS = [
  { key: '90+', label: '90 分及以上', min: 90 },
  { key: '80-90', label: '80–90 分', min: 80 },
  { key: '60-80', label: '60–80 分', min: 60 },
  { key: '<60', label: '60 分以下', min: -Infinity },
] as const;

/**
 * The 驾驶舱's 考核 figure for an org subtree (assess/service.ts `assessDashboard`, the module's dashboard part): the
 * latest published (or closed) plan that assessed an org of the subtree, and its results within the subtree.
 */
export const AssessDashboard = z.object({
  plan: z
    .object({
      planId: z.string(),
      title: z.string(),
      periodLabel: z.string(),
      orgId: z.string(),
      orgName: z.string(),
      publishedAt: z.string().nullable(),
    })
    .nullable(),
  /** Assessed orgs of the subtree in that plan, and those with a total. */
  units: z.number(),
  scored: z.number(),
  average: z.number().nullable(),
  highest: z.number().nullable(),
  lowest: z.number().nullable(),
  bands: z.array(z.object({ key: z.string(), label: z.string(), count: z.number() })),
  /** The subtree's highest totals (at most 5), with their rank among the orgs under the same parent. */
  top: z.array(
    z.object({
      unitId: z.string(),
      orgId: z.string(),
      orgName: z.string(),
      total: z.number(),
      rank: z.number().nullable(),
      peers: z.number().nullable(),
    }),
  ),
  note: z.string(),
});
export type AssessDashboard = z.infer<typeof AssessDashboard>;
