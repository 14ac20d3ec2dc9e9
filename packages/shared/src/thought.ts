/**
 * 思想汇报 (thought reports): who is expected to report and how often (rules as data, with their sources),
 * the periods a report belongs to, the secretary's marks, and the wire shapes of the thought routes.
 */
import { z } from 'zod';
import { ProxyReason } from './api';
import { endOfMonth } from './dates';

/** How often someone reports. A period is `2026-11` (monthly), `2026-Q4` (quarterly) or `2026-H2` (half-yearly). */
export const THOUGHT_CADENCES = ['monthly', 'quarterly', 'half_year'] as const;
export type ThoughtCadence = (typeof THOUGHT_CADENCES)[number];
export const THOUGHT_CADENCE_LABELS: Record<ThoughtCadence, string> = {
  monthly: '每月',
  quarterly: '每季度',
  half_year: '每半年',
};
/** The 流动党员 cadence of a branch that has not set one. */
export const DEFAULT_FLOWING_CADENCE: ThoughtCadence = 'quarterly';

/** Who is expected to hand in thought reports. */
export const THOUGHT_CATEGORIES = ['probationary', 'activist', 'candidate', 'flowing'] as const;
export type ThoughtCategory = (typeof THOUGHT_CATEGORIES)[number];
export const THOUGHT_CATEGORY_LABELS: Record<ThoughtCategory, string> = {
  probationary: '预备党员',
  activist: '入党积极分子',
  candidate: '发展对象',
  flowing: '流动党员',
};

const XZ = '《中国共产党发展党员工作细则》';
/**
 * The rule of each category: its cadence (`branch` = the branch's 流动党员 setting) and where it comes from.
 * `confirmed: false` — read from secondary reposts, not checked against the official text: the 细则 asks the
 * party organization to educate and assess activists and probationary members, among other ways by hearing
 * their own reports (听取本人汇报); "a written report every quarter" is a widespread local rule, not a number
 * of the 细则. For 流动党员 the 2006 opinion of the 中央组织部 asks them to report regularly to the branch that
 * manages them; the interval is the branch's.
 */
export const THOUGHT_RULES: Record<
  ThoughtCategory,
  { cadence: ThoughtCadence | 'branch'; citation: string; confirmed: boolean; note: string }
> = {
  activist: {
    cadence: 'quarterly',
    citation: `${XZ}「入党积极分子的确定和培养教育」一章（第十一条：培养教育考察）；每季度一次书面思想汇报为通行的本地做法`,
    confirmed: false,
    note: '入党积极分子定期向党组织汇报思想',
  },
  candidate: {
    cadence: 'quarterly',
    citation: `${XZ}「发展对象的确定和考察」一章；每季度一次书面思想汇报为通行的本地做法`,
    confirmed: false,
    note: '发展对象继续接受培养考察，定期汇报思想',
  },
  probationary: {
    cadence: 'quarterly',
    citation: `${XZ}「预备党员的教育考察和转正」一章（听取本人汇报等方式）；每季度一次书面思想汇报为通行的本地做法`,
    confirmed: false,
    note: '预备期内定期向党组织汇报思想、学习和工作情况',
  },
  flowing: {
    cadence: 'branch',
    citation:
      '中共中央组织部《关于加强和改进流动党员管理工作的意见》（2006）：流动党员定期向党组织汇报；间隔由所在支部确定',
    confirmed: false,
    note: '按所在支部规定的周期汇报（默认每季度）',
  },
};

export const PERIOD_RE = /^(\d{4})-(Q[1-4]|H[12]|0[1-9]|1[0-2])$/;

/** The period of `cadence` that contains the day `date` (YYYY-MM-DD). */
export function periodOf(cadence: ThoughtCadence, date: string): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (cadence === 'monthly') return date.slice(0, 7);
  if (cadence === 'quarterly') return `${year}-Q${Math.ceil(month / 3)}`;
  return `${year}-H${month <= 6 ? 1 : 2}`;
}

/** First and last day of a period (both inclusive). */
export function periodRange(period: string): { from: string; to: string } {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = m[1]!;
  const p = m[2]!;
  const [first, last] = p.startsWith('Q')
    ? [3 * Number(p[1]) - 2, 3 * Number(p[1])]
    : p.startsWith('H')
      ? p === 'H1'
        ? [1, 6]
        : [7, 12]
      : [Number(p), Number(p)];
  const mm = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${mm(first)}-01`, to: endOfMonth(`${year}-${mm(last)}-01`) };
}

/** 2026-Q4 → 2026年第四季度, 2026-H1 → 2026年上半年, 2026-03 → 2026年3月. */
export function periodLabel(period: string): string {
  const m = PERIOD_RE.exec(period);
  if (!m) return period;
  const p = m[2]!;
  if (p.startsWith('Q')) return `${m[1]}年第${'一二三四'[Number(p[1]) - 1]}季度`;
  if (p.startsWith('H')) return `${m[1]}年${p === 'H1' ? '上' : '下'}半年`;
  return `${m[1]}年${Number(p)}月`;
}

/** The shortest of some cadences (a 预备党员 who is also a 流动党员 reports at the more frequent one). */
export function shortestCadence(list: ThoughtCadence[]): ThoughtCadence {
  return [...THOUGHT_CADENCES].find((c) => list.includes(c)) ?? DEFAULT_FLOWING_CADENCE;
}

/** The secretary's mark on a report. */
export const THOUGHT_MARKS = ['read', 'good', 'improve'] as const;
export type ThoughtMark = (typeof THOUGHT_MARKS)[number];
export const THOUGHT_MARK_LABELS: Record<ThoughtMark, string> = { read: '已阅', good: '优秀', improve: '需改进' };

/**
 * 思想动态 themes: what a report is about, chosen by its writer (up to three) when submitting — or by the branch
 * for a written report. The overview counts them per quarter, so an org sees what its members are thinking about
 * without anyone reading a text they may not read and without the software guessing from private text.
 */
export const THOUGHT_THEMES = ['study', 'work', 'branch_life', 'concern', 'hardship', 'suggestion', 'other'] as const;
export type ThoughtTheme = (typeof THOUGHT_THEMES)[number];
export const THOUGHT_THEME_LABELS: Record<ThoughtTheme, string> = {
  study: '理论学习体会',
  work: '岗位工作',
  branch_life: '组织生活',
  concern: '思想困惑',
  hardship: '生活困难',
  suggestion: '意见建议',
  other: '其他',
};
const Themes = z
  .array(z.enum(THOUGHT_THEMES, '主题不在可选范围内'))
  .max(3, '主题最多选 3 个')
  .refine((xs) => new Set(xs).size === xs.length, '主题不能重复')
  .default([]);

// ---- wire shapes -----------------------------------------------------------------------------------

const Period = z.string().trim().regex(PERIOD_RE, '期次格式应为 2026-Q4（季度）、2026-H2（半年）或 2026-11（月）');

export const ThoughtReportInput = z.strictObject({
  /** Whose report: the signed-in member's own; another member's id is refused. Omitted = oneself. */
  memberId: z.uuid('党员编号格式不正确').optional(),
  title: z.string().trim().min(1, '请填写标题').max(100, '标题最多 100 字'),
  period: Period,
  text: z.string().trim().min(20, '汇报内容至少 20 字').max(20000, '汇报内容最多 20000 字'),
  themes: Themes,
});
export type ThoughtReportInput = z.infer<typeof ThoughtReportInput>;

/**
 * 代为填写 (issue 24): a member with no phone, or who cannot use one, dictates or hands in a report and the branch's
 * record keeper enters it for them — the member's report, marked on the record (`enteredBy`) and in the audit with
 * the reason, and shown to the member as entered on their behalf.
 */
export const ProxyReportInput = z.strictObject({
  title: z.string().trim().min(1, '请填写标题').max(100, '标题最多 100 字'),
  period: Period,
  text: z.string().trim().min(20, '汇报内容至少 20 字').max(20000, '汇报内容最多 20000 字'),
  themes: Themes,
  reason: ProxyReason,
});
export type ProxyReportInput = z.infer<typeof ProxyReportInput>;

/** 登记书面思想汇报: what the branch records of a written report an 入党积极分子 or 发展对象 handed in. */
export const PaperReportInput = z.strictObject({
  title: z.string().trim().min(1, '请填写标题').max(100, '标题最多 100 字'),
  period: Period,
  receivedOn: z.iso.date('收到日期须为 YYYY-MM-DD'),
  /** The text, or a summary of it (may be left empty when only the paper is kept). */
  text: z.string().trim().max(20000, '汇报内容最多 20000 字').default(''),
  themes: Themes,
});
export type PaperReportInput = z.infer<typeof PaperReportInput>;

export const ThoughtCommentInput = z.strictObject({
  mark: z.enum(THOUGHT_MARKS, '批阅结果须为 已阅、优秀 或 需改进'),
  comment: z.string().trim().min(1, '请填写批阅意见').max(2000, '批阅意见最多 2000 字'),
});
export type ThoughtCommentInput = z.infer<typeof ThoughtCommentInput>;

/** A report in a list: no text. */
export const ThoughtReportBrief = z.object({
  id: z.string(),
  memberId: z.string().nullable(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  period: z.string(),
  /** What it is about, as its writer (or the branch, for a written report) chose. */
  themes: z.array(z.enum(THOUGHT_THEMES)),
  /** A written report of an 入党积极分子/发展对象, recorded by the branch (`submittedAt` = the day received). */
  paper: z.boolean(),
  submittedAt: z.string(),
  /** A member's report entered for them by a record keeper (代为填写): who entered it; null when their own. */
  enteredBy: z.string().nullable(),
  mark: z.enum(THOUGHT_MARKS).nullable(),
  commentedAt: z.string().nullable(),
});
export type ThoughtReportBrief = z.infer<typeof ThoughtReportBrief>;

/** One report with its text and feedback: for its writer and the record keepers of its org only. */
export const ThoughtReportDetail = ThoughtReportBrief.extend({
  text: z.string(),
  comment: z.string().nullable(),
  commentedBy: z.string().nullable(),
});
export type ThoughtReportDetail = z.infer<typeof ThoughtReportDetail>;

/** What the signed-in person is expected to report, for the phone page. */
export const ThoughtMe = z.object({
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  /** Why they are expected (empty: nobody asks, they may still report). */
  categories: z.array(
    z.object({ category: z.enum(THOUGHT_CATEGORIES), label: z.string(), citation: z.string(), confirmed: z.boolean() }),
  ),
  cadence: z.enum(THOUGHT_CADENCES).nullable(),
  /** The period a report written today belongs to (the member's cadence, quarterly when none). */
  period: z.string(),
  periodLabel: z.string(),
  submitted: z.boolean(),
});
export type ThoughtMe = z.infer<typeof ThoughtMe>;

/** Someone expected to report in their current period who has not. */
export const ThoughtOverdueRow = z.object({
  /** `member` (has a member record) or `develop` (an 积极分子/发展对象 of the development records). */
  kind: z.enum(['member', 'develop']),
  id: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  categories: z.array(z.enum(THOUGHT_CATEGORIES)),
  cadence: z.enum(THOUGHT_CADENCES),
  period: z.string(),
  periodEnd: z.string(),
  lastSubmittedAt: z.string().nullable(),
  /** Whether a reminder can reach them in the system (a member with an account). */
  canRemind: z.boolean(),
});
export type ThoughtOverdueRow = z.infer<typeof ThoughtOverdueRow>;

export const ThoughtRemindInput = z.strictObject({
  orgId: z.uuid('组织编号格式不正确'),
  /** Members to remind; omitted = everyone of the org's overdue list who has an account. */
  memberIds: z.array(z.uuid('党员编号格式不正确')).max(500, '一次最多提醒 500 人').optional(),
});
export const ThoughtRemindReply = z.object({ reminded: z.number(), skipped: z.number() });

const Rate = z.object({ expected: z.number(), submitted: z.number(), rate: z.number().nullable() });
/** 思想动态: counts and rates only — never a report's text or title. */
export const ThoughtOverview = Rate.extend({
  orgId: z.string(),
  orgName: z.string(),
  today: z.string(),
  byCategory: z.array(Rate.extend({ category: z.enum(THOUGHT_CATEGORIES), label: z.string() })),
  byOrg: z.array(Rate.extend({ orgId: z.string(), orgName: z.string() })),
  /** Reports received this quarter, and how they were marked. */
  quarter: z.string(),
  received: z.number(),
  marks: z.object({ pending: z.number(), read: z.number(), good: z.number(), improve: z.number() }),
  /** The themes of the reports received this quarter (a report counts once under each of its themes). */
  byTheme: z.array(z.object({ theme: z.enum(THOUGHT_THEMES), label: z.string(), count: z.number() })),
});
export type ThoughtOverview = z.infer<typeof ThoughtOverview>;

export const ThoughtSettings = z.object({
  orgId: z.string(),
  flowingCadence: z.enum(THOUGHT_CADENCES),
  /** Whether the org set it itself (false: inherited from above, or the default). */
  own: z.boolean(),
  rules: z.array(
    z.object({
      category: z.enum(THOUGHT_CATEGORIES),
      label: z.string(),
      cadence: z.string(),
      citation: z.string(),
      confirmed: z.boolean(),
    }),
  ),
});
export type ThoughtSettings = z.infer<typeof ThoughtSettings>;
export const ThoughtSettingsInput = z.strictObject({
  orgId: z.uuid('组织编号格式不正确'),
  flowingCadence: z.enum(THOUGHT_CADENCES, '周期须为 monthly、quarterly 或 half_year'),
});

/**
 * 驾驶舱 思想汇报: of those expected to report (预备党员, 流动党员, 入党积极分子 and 发展对象 of the development
 * records), how many have reported for their current period, and how many had for their period at the end of the
 * last quarter — the last complete picture (on the first day of a quarter the running one is near zero).
 */
export const ThoughtDashboard = z.object({
  current: Rate,
  lastQuarter: Rate.extend({ asOf: z.string() }),
  note: z.string(),
});
export type ThoughtDashboard = z.infer<typeof ThoughtDashboard>;
