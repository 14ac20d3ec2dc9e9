/**
 * 监督 (supervise): 整改 (rectification) items — where a finding came from, who must fix it by when, the
 * status flow with who may take each step, who may verify, and when reminders go out — as data with their
 * sources, and the wire shapes of the supervise routes.
 */
import { z } from 'zod';

/** Where a finding comes from. */
export const RECTIFY_SOURCES = ['inspection', 'org_life', 'democratic_life', 'opinion', 'assessment'] as const;
export type RectifySource = (typeof RECTIFY_SOURCES)[number];
export const RECTIFY_SOURCE_LABELS: Record<RectifySource, string> = {
  inspection: '巡察',
  org_life: '组织生活会',
  democratic_life: '民主生活会',
  opinion: '意见建议',
  assessment: '考核',
};

/** 待整改 → 整改中 → 待验收 → 已销号; 退回 sends a submitted item back to 整改中. */
export const RECTIFY_STATUSES = ['open', 'in_progress', 'pending_check', 'closed'] as const;
export type RectifyStatus = (typeof RECTIFY_STATUSES)[number];
export const RECTIFY_STATUS_LABELS: Record<RectifyStatus, string> = {
  open: '待整改',
  in_progress: '整改中',
  pending_check: '待验收',
  closed: '已销号',
};

/**
 * The steps of an item, who takes each (`owner`: the 责任人, or a record keeper of the responsible org's
 * subtree when the org itself is responsible; `verifier`: the item's 验收人 only) and what it needs.
 */
export const RECTIFY_ACTIONS = {
  start: { from: ['open'], to: 'in_progress', by: 'owner', label: '开始整改', needsNote: false, needsEvidence: false },
  submit: {
    from: ['in_progress'],
    to: 'pending_check',
    by: 'owner',
    label: '提交验收',
    needsNote: true,
    needsEvidence: true,
  },
  accept: {
    from: ['pending_check'],
    to: 'closed',
    by: 'verifier',
    label: '验收销号',
    needsNote: false,
    needsEvidence: false,
  },
  return: {
    from: ['pending_check'],
    to: 'in_progress',
    by: 'verifier',
    label: '退回整改',
    needsNote: true,
    needsEvidence: false,
  },
} as const satisfies Record<
  string,
  {
    from: readonly RectifyStatus[];
    to: RectifyStatus;
    by: 'owner' | 'verifier';
    label: string;
    needsNote: boolean;
    needsEvidence: boolean;
  }
>;
export type RectifyAction = keyof typeof RECTIFY_ACTIONS;
export const RECTIFY_ACTION_KEYS = Object.keys(RECTIFY_ACTIONS) as RectifyAction[];

/**
 * The rules the module applies, each with its source. `confirmed: false`: read from secondary reposts, not yet
 * checked against the official text; `local`: a rule of this system, not of a regulation.
 */
export const RECTIFY_RULES = {
  /** Who may verify (验收) and close an item. */
  verifier: {
    text: '验收人须为上级党组织的管理员或书记，或责任组织本届支委会（党委）成员；整改责任人不能验收自己的整改',
    citation:
      '《中国共产党巡视工作条例》（2024年修订）关于被巡视党组织落实整改主体责任、上级党组织督促检查整改的规定；《中国共产党党内监督条例》第三十三条（监督发现问题的整改）。验收人范围为本系统规则',
    confirmed: false,
    local: true,
  },
  /** When the owner is reminded before the deadline (days before; each once), and the overdue alert. */
  reminders: {
    text: '整改期限前 7 天和前 1 天提醒责任人；逾期当天起向责任人和验收人发出逾期预警（各一次）',
    citation: '本系统规则',
    confirmed: true,
    local: true,
    daysBefore: [7, 1] as const,
  },
  /** Submitting for verification needs evidence of what was done. */
  evidence: {
    text: '提交验收须至少上传一份整改佐证材料（图片、PDF 或 Office 文件）并说明整改情况',
    citation: '本系统规则（整改情况应有据可查）',
    confirmed: true,
    local: true,
  },
} as const;

const Day = z.iso.date('日期须为 YYYY-MM-DD');
const Text = (what: string, max: number) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 字`);

export const RectifyCreateInput = z.strictObject({
  /** The responsible org (整改责任组织). */
  orgId: z.uuid('组织编号格式不正确'),
  sourceKind: z.enum(RECTIFY_SOURCES, `问题来源须为：${RECTIFY_SOURCES.join('、')}`),
  /** Optional reference: the report and article, or an in-app link such as /voice/opinions/<id>. */
  sourceRef: z.string().trim().max(200, '来源说明不能超过 200 字').optional(),
  title: Text('问题标题', 100),
  finding: Text('问题描述', 2000),
  measures: Text('整改措施', 2000),
  /** The 责任人 (a member of the org's subtree); omitted: the org itself is responsible. */
  ownerMemberId: z.uuid('责任人编号格式不正确').nullable().optional(),
  deadline: Day,
  verifierUserId: z.uuid('验收人编号格式不正确'),
});
export type RectifyCreateInput = z.infer<typeof RectifyCreateInput>;

export const RectifyUpdateInput = RectifyCreateInput.omit({ orgId: true }).partial();
export type RectifyUpdateInput = z.infer<typeof RectifyUpdateInput>;

export const RectifyActionInput = z.strictObject({
  action: z.enum(
    RECTIFY_ACTION_KEYS as [RectifyAction, ...RectifyAction[]],
    '操作须为 start、submit、accept 或 return',
  ),
  note: z.string().trim().max(2000, '说明不能超过 2000 字').optional(),
});
export type RectifyActionInput = z.infer<typeof RectifyActionInput>;

export const RectifyBrief = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  sourceKind: z.enum(RECTIFY_SOURCES),
  sourceRef: z.string().nullable(),
  title: z.string(),
  ownerMemberId: z.string().nullable(),
  /** The member's name, or the org's when the org itself is responsible. */
  ownerName: z.string(),
  deadline: z.string(),
  verifierUserId: z.string(),
  verifierName: z.string(),
  status: z.enum(RECTIFY_STATUSES),
  /** Not closed and the deadline has passed (Beijing date). */
  overdue: z.boolean(),
  /** Days to the deadline (negative: overdue by that many). */
  daysLeft: z.number(),
  closedAt: z.string().nullable(),
});
export type RectifyBrief = z.infer<typeof RectifyBrief>;

export const RectifyFile = z.object({
  id: z.string(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type RectifyFile = z.infer<typeof RectifyFile>;

export const RectifyEvent = z.object({
  action: z.string(),
  label: z.string(),
  fromStatus: z.enum(RECTIFY_STATUSES).nullable(),
  toStatus: z.enum(RECTIFY_STATUSES),
  note: z.string().nullable(),
  byName: z.string(),
  at: z.string(),
});
export type RectifyEvent = z.infer<typeof RectifyEvent>;

export const RectifyDetail = RectifyBrief.extend({
  finding: z.string(),
  measures: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  files: z.array(RectifyFile),
  events: z.array(RectifyEvent),
  /** What the caller may do now (the web shows these buttons). */
  can: z.object({
    edit: z.boolean(),
    upload: z.boolean(),
    actions: z.array(z.enum(RECTIFY_ACTION_KEYS as [RectifyAction, ...RectifyAction[]])),
  }),
});
export type RectifyDetail = z.infer<typeof RectifyDetail>;

export const RectifyVerifier = z.object({ userId: z.string(), name: z.string(), why: z.string() });
export type RectifyVerifier = z.infer<typeof RectifyVerifier>;

const Counts = z.object({
  total: z.number(),
  open: z.number(),
  in_progress: z.number(),
  pending_check: z.number(),
  closed: z.number(),
  overdue: z.number(),
  /** closed / total in percent (one decimal); null when there is nothing. */
  closureRate: z.number().nullable(),
});
export type RectifyCounts = z.infer<typeof Counts>;
/** The 整改 roll-up of an org's subtree, and of each org directly below it (with their subtrees). */
export const RectifyRollup = Counts.extend({
  orgId: z.string(),
  orgName: z.string(),
  today: z.string(),
  children: z.array(Counts.extend({ orgId: z.string(), orgName: z.string() })),
});
export type RectifyRollup = z.infer<typeof RectifyRollup>;

// ================================================================ 承诺践诺 (yearly commitments)

/** The year-end rating of a commitment. */
export const COMMIT_RATINGS = ['excellent', 'good', 'fair', 'poor'] as const;
export type CommitRating = (typeof COMMIT_RATINGS)[number];
export const COMMIT_RATING_LABELS: Record<CommitRating, string> = {
  excellent: '优秀',
  good: '良好',
  fair: '一般',
  poor: '较差',
};

/**
 * 承诺践诺 rules. `confirmed: false`: from secondary reposts, not checked against the official text; `local`: a rule
 * of this system.
 */
export const COMMIT_RULES = {
  /** Members and orgs publish yearly commitments, shown to the org's members; progress is public within the org. */
  publish: {
    text: '党员和党组织每年作出公开承诺，在本组织内公示，年中报告践诺进展，年底评议',
    citation: '中共中央组织部关于在创先争优活动中开展公开承诺的有关通知（2010）；各地党员承诺践诺制度的通行做法',
    confirmed: false,
    local: false,
  },
  /** Who reviews: a member's commitment — the record keepers of the member's org; an org's — those of the org above. */
  reviewer: {
    text: '党员的承诺由所在党组织的书记或管理员评议；党组织的承诺由上级党组织的书记或管理员评议；不能评议自己的承诺',
    citation: '本系统规则',
    confirmed: true,
    local: true,
  },
  /** The year-end review opens on this day of the commitment's year (MM-DD) and stays open afterwards. */
  review: {
    text: '年终评议从当年 12 月 1 日起进行；评议后承诺不能再修改或报告进展',
    citation: '本系统规则',
    confirmed: true,
    local: true,
    opensOn: '12-01',
  },
} as const;

export const CommitItemInput = z.strictObject({
  text: Text('承诺事项', 200),
  /** How it is measured: 「全年完成 40 学时」「带教 2 名新员工」. */
  measure: Text('衡量标准', 100),
});
export const CommitCreateInput = z.strictObject({
  /** The org whose own commitment this is; omitted: the signed-in member's own commitment. */
  orgId: z.uuid('组织编号格式不正确').optional(),
  year: z.number().int('年份须为整数').min(2000, '年份不正确').max(2100, '年份不正确'),
  items: z.array(CommitItemInput).min(1, '至少填写一项承诺').max(10, '每年最多 10 项承诺'),
});
export type CommitCreateInput = z.infer<typeof CommitCreateInput>;

export const CommitProgressInput = z.strictObject({
  itemIndex: z.number().int().min(0, '承诺事项不正确').max(9, '承诺事项不正确'),
  percent: z.number().int('完成进度须为整数').min(0, '完成进度须在 0–100 之间').max(100, '完成进度须在 0–100 之间'),
  note: Text('进展说明', 1000),
});
export type CommitProgressInput = z.infer<typeof CommitProgressInput>;

export const CommitReviewInput = z.strictObject({
  rating: z.enum(COMMIT_RATINGS, '评议等次须为 excellent、good、fair 或 poor'),
  comment: Text('评议意见', 1000),
});
export type CommitReviewInput = z.infer<typeof CommitReviewInput>;

export const CommitBrief = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  year: z.number(),
  /** The member's name, or null for the org's own commitment. */
  memberId: z.string().nullable(),
  ownerName: z.string(),
  items: z.array(z.object({ text: z.string(), measure: z.string(), percent: z.number() })),
  /** Average of the items' progress. */
  percent: z.number(),
  rating: z.enum(COMMIT_RATINGS).nullable(),
});
export type CommitBrief = z.infer<typeof CommitBrief>;

export const CommitDetail = CommitBrief.extend({
  createdAt: z.string(),
  reviewComment: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  progress: z.array(
    z.object({ itemIndex: z.number(), percent: z.number(), note: z.string(), byName: z.string(), at: z.string() }),
  ),
  files: z.array(RectifyFile),
  can: z.object({ report: z.boolean(), review: z.boolean() }),
  /** The day the year-end review opens. */
  reviewOpensOn: z.string(),
});
export type CommitDetail = z.infer<typeof CommitDetail>;

/**
 * The 驾驶舱's 整改 figure for an org subtree (supervise/service.ts `rectifyDashboard`, the module's dashboard part):
 * items not yet 销号 (open = 待整改 + 整改中 + 待验收) and of those the ones past their deadline today.
 */
export const RectifyDashboard = z.object({
  today: z.string(),
  total: z.number(),
  open: z.number(),
  pendingCheck: z.number(),
  overdue: z.number(),
  closed: z.number(),
  /** closed / total in percent (one decimal); null when there is nothing. */
  closureRate: z.number().nullable(),
  note: z.string(),
});
export type RectifyDashboard = z.infer<typeof RectifyDashboard>;
