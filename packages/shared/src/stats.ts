/** The leaders' dashboard (驾驶舱): one payload for an org subtree, every figure with what it counts. */
import { z } from 'zod';
import { DEVELOP_STATUSES } from './develop';
import { Participation } from './learn';
import { VoiceDashboard } from './voice';
import { ARREARS_CITATION, ARREARS_LEVELS } from './dues';
import { AssessDashboard, AUTO_SOURCES } from './assess';
import { RectifyDashboard } from './supervise';
import { ThoughtDashboard } from './thought';
import { LOST_CONTACT_RULE, SUSPECTED_LOST_RULE } from './member';
import { STRUCTURE_RULES, TERM_CITATION } from './org';

const Count = z.record(z.string(), z.number());
const OrgLine = z.object({ orgId: z.string(), orgName: z.string() });

export const DashboardWarning = z.object({
  kind: z.enum(['term_overdue', 'arrears', 'develop_overdue', 'meeting_behind', 'voice_overdue', 'rectify_overdue']),
  level: z.enum(['warning', 'critical']),
  count: z.number(),
  message: z.string(),
  /** The page that fixes it (web path with query). */
  link: z.string(),
  orgs: z.array(OrgLine.extend({ detail: z.string(), link: z.string() })),
});
export type DashboardWarning = z.infer<typeof DashboardWarning>;

/**
 * The 驾驶舱's parts that other modules compute: each key is given by one module's manifest `dashboard` part
 * (platform/module.ts), computed through that module's own service; the stats module adds them to the answer.
 */
export const DashboardParts = z.object({
  /** 志愿服务 this year (the service module's volunteerFigures). */
  volunteer: z.object({
    year: z.number(),
    activities: z.number(),
    members: z.number(),
    minutes: z.number(),
    note: z.string(),
  }),
  /** 学习参与 this month (the learn module's participation): members with any learning ÷ members on the roll. */
  learning: Participation,
  /** 互动 this year (the voice module's voiceDashboard): 意见建议 received, answered on time, ratings. */
  voice: VoiceDashboard,
  /** 整改 now (the supervise module's rectifyDashboard): open and overdue items of the subtree. */
  supervise: RectifyDashboard,
  /** 考核 (the assess module's assessDashboard): the latest published plan's results in the subtree. */
  assess: AssessDashboard,
  /** 思想汇报 (the thought module's thoughtDashboard): who reported for their period, now and at the last quarter's end. */
  thought: ThoughtDashboard,
});
export type DashboardParts = z.infer<typeof DashboardParts>;

export const Dashboard = z.object({
  org: OrgLine,
  /** The orgs above this one that the caller may also oversee, the top first: the way back up after a drill-down. */
  trail: z.array(OrgLine),
  /** When the figures were computed (统计时间), ISO 8601; parts may come from a cache. */
  asOf: z.string(),
  today: z.string(),
  members: z.object({
    total: z.number(),
    full: z.number(),
    probationary: z.number(),
    byAgeBand: Count,
    byEducation: Count,
    note: z.string(),
  }),
  develop: z.object({
    counts: z.record(z.enum(DEVELOP_STATUSES), z.number()),
    open: z.number(),
    admittedThisYear: z.number(),
    overdue: z.number(),
    note: z.string(),
  }),
  meetings: z.object({
    /** The year checked and the day through which (the end of the last complete month). */
    year: z.number(),
    through: z.string(),
    units: z.number(),
    onTrack: z.number(),
    /** onTrack / units, 0..1; null when no branch is bound by the rules. */
    onTrackRate: z.number().nullable(),
    worst: z.array(OrgLine.extend({ behind: z.number() })),
    note: z.string(),
    /** The month in progress: branches that have already held this month's monthly meetings (never "behind"). */
    current: z.object({
      month: z.string(),
      units: z.number(),
      done: z.number(),
      rate: z.number().nullable(),
      note: z.string(),
    }),
  }),
  dues: z.object({
    month: z.string(),
    bills: z.number(),
    paidBills: z.number(),
    billedFen: z.number(),
    paidFen: z.number(),
    /** paidFen / billedFen, 0..1; null without bills this month. */
    collectionRate: z.number().nullable(),
    /** The last complete month's bills, beside the month in progress. */
    lastMonth: z.object({
      month: z.string(),
      bills: z.number(),
      paidBills: z.number(),
      billedFen: z.number(),
      paidFen: z.number(),
      collectionRate: z.number().nullable(),
    }),
    arrearsMembers: z.number(),
    arrears3Members: z.number(),
    note: z.string(),
  }),
  ...DashboardParts.shape,
  warnings: z.array(DashboardWarning),
  trend: z.object({
    months: z.array(z.string()),
    meetingsHeld: z.array(z.number()),
    duesCollectedFen: z.array(z.number()),
    note: z.string(),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;

/**
 * 组织生活月度达标热力图 (GET /api/v1/stats/meetings-heatmap): per org directly below the one asked for (or that org
 * itself when it is a branch), per month of the year, how many of its branches met every monthly rule that binds them.
 */
export const MeetingsHeatmap = z.object({
  org: OrgLine,
  year: z.number(),
  /** The month still running (its cells are "so far"), when the year is this year. */
  runningMonth: z.number().nullable(),
  rows: z.array(
    OrgLine.extend({
      orgKind: z.string(),
      /** Branches (党支部, 党总支) of the row counted in each month. */
      units: z.number(),
      /** Twelve months: branches that met every monthly rule; null for months not begun. */
      ok: z.array(z.number().nullable()),
    }),
  ),
  total: z.number(),
  /** The monthly rules checked, with their sources. */
  rules: z.array(z.object({ rule: z.string(), label: z.string(), citation: z.string() })),
  asOf: z.string(),
});
export type MeetingsHeatmap = z.infer<typeof MeetingsHeatmap>;

/**
 * 下级组织对比 on the 驾驶舱 (GET /api/v1/stats/children): each org directly below the one asked for, counted over its
 * own subtree with the dashboard's own rules — members on the roll, open 发展党员 records, branches on track with
 * branch life (the last complete month's year so far), the last complete month's dues. A chart of it drills down:
 * a row opens that org's 驾驶舱. Paged, in the tree's order.
 */
export const DashboardChildren = z.object({
  /** The org asked for; at a 党支部 the rows are its 党小组, and the web stops drilling there. */
  org: OrgLine.extend({ orgKind: z.string() }),
  /** The dues month counted (the last complete month, YYYY-MM) and the branch-life period (its year, to its end). */
  duesMonth: z.string(),
  meetingsYear: z.number(),
  meetingsThrough: z.string(),
  rows: z.array(
    OrgLine.extend({
      orgKind: z.string(),
      /** Orgs directly below this one (0: a branch with nothing under it — its own 驾驶舱 has no 下级组织). */
      childCount: z.number(),
      members: z.number(),
      full: z.number(),
      probationary: z.number(),
      developOpen: z.number(),
      meetingsUnits: z.number(),
      meetingsOnTrack: z.number(),
      duesBills: z.number(),
      duesPaidBills: z.number(),
      duesBilledFen: z.number(),
      duesPaidFen: z.number(),
    }),
  ),
  total: z.number(),
  note: z.string(),
  asOf: z.string(),
});
export type DashboardChildren = z.infer<typeof DashboardChildren>;

/**
 * 党内统计年报 (GET /api/v1/stats/annual-report): the yearly tables as of a day for an org subtree, computed from
 * the records, with the cross-table checks. Each table is laid out like the official ones: rows are 合计 and the
 * direct lower units, columns may sit under a group header (merged in the .xlsx).
 */
export const AnnualTable = z.object({
  code: z.string(),
  /** 表号 as printed, e.g. 「党统 1 表」. */
  number: z.string(),
  title: z.string(),
  /** 计量单位: 人 or 个. */
  unit: z.string(),
  columns: z.array(z.object({ key: z.string(), label: z.string(), group: z.string().optional() })),
  /** 合计 first (orgId = the report's org), then each direct lower unit (its subtree), then 本级 when it has any. */
  rows: z.array(z.object({ orgId: z.string().nullable(), label: z.string(), values: z.array(z.number()) })),
  note: z.string(),
});
export type AnnualTable = z.infer<typeof AnnualTable>;

export const AnnualCheck = z.object({
  code: z.string(),
  ok: z.boolean(),
  /** How many problems (records or table cells) the check found. */
  count: z.number(),
  message: z.string(),
  level: z.enum(['error', 'warning']),
  /** The first problems, each linking to the page that fixes it (web path). */
  items: z.array(z.object({ label: z.string(), detail: z.string(), link: z.string() })),
});
export type AnnualCheck = z.infer<typeof AnnualCheck>;

export const AnnualReport = z.object({
  org: OrgLine,
  /** 统计时间: the day the tables stand on, and the year's first day (the changes count from it). */
  date: z.string(),
  from: z.string(),
  year: z.number(),
  tables: z.array(AnnualTable),
  checks: z.array(AnnualCheck),
  totals: z.object({ members: z.number(), full: z.number(), probationary: z.number() }),
  computedAt: z.string(),
});
export type AnnualReport = z.infer<typeof AnnualReport>;

// ---------- 决策参考 (attention list) ----------

/**
 * What puts a branch on a leader's attention list, each with its threshold and source. Meeting reasons cite the
 * cadence rule they check (CADENCE_RULES); `confirmed: false` where the article could not be checked against the
 * official text; `local` where the threshold is this system's reading, not a regulation's number.
 */
export const ATTENTION_RULES = {
  meeting_missed: {
    label: '组织生活未按期开展',
    text: '上一个已结束的月份（支委会、党小组会、主题党日）或季度（党员大会、党课）没有开展规定的会议；12 月 31 日至次年 3 月底还查上一年度的组织生活会和民主评议党员（查到 3 月底为本系统的做法）',
    citation:
      '各项会议的依据见组织生活制度表（《中国共产党支部工作条例（试行）》第十一至十七条，民主评议党员条号未能核实；党课每季度为地方规定）',
    confirmed: false,
    local: false,
  },
  arrears: {
    label: '党费欠缴',
    /** A branch is listed when at least this many of its members owe ARREARS_LEVELS' warning months or more. */
    minMembers: 1,
    months: ARREARS_LEVELS.find((l) => l.level === 'warning')!.fromMonths,
    text: '有党员 3 个月以上未交纳党费（连续 6 个月未交为严重）',
    citation: ARREARS_CITATION,
    confirmed: true,
    local: true,
  },
  rectify_overdue: {
    label: '整改逾期',
    text: '有整改事项超过整改期限仍未销号',
    citation: AUTO_SOURCES.rectify_closure.citation,
    confirmed: false,
    local: false,
  },
  lost: {
    label: '党员失联',
    text: `有登记为失联、尚未查找到或未作处理的党员，或连续 ${SUSPECTED_LOST_RULE.afterMonths} 个月没有活动记录的疑似失联党员`,
    citation: LOST_CONTACT_RULE.citation,
    confirmed: false,
    local: false,
  },
  too_few_members: {
    label: '正式党员不足 3 人',
    value: STRUCTURE_RULES.minFullMembersForBranch.value,
    text: '党支部正式党员少于 3 人（含党小组的党员）',
    citation: STRUCTURE_RULES.minFullMembersForBranch.citation,
    confirmed: false,
    local: false,
  },
  term_due: {
    label: '换届到期',
    /** Listed from this many days before the (possibly postponed) due date; overdue is critical. */
    daysAhead: 90,
    text: '本届任期已届满未换届（严重），或将在 90 天内届满',
    citation: TERM_CITATION,
    confirmed: false,
    local: false,
  },
  learning_behind: {
    label: '必学内容完成率低',
    /** Listed when fewer than this share of the (member × required item) pairs whose deadline passed this year are done. */
    minRate: 0.5,
    text: '今年已过完成期限的必学内容，本支部党员完成人次不到应完成人次的 50%',
    citation: AUTO_SOURCES.learning_completion.citation,
    confirmed: false,
    local: true,
  },
  data_quality: {
    label: '党员信息不全或有误',
    text: '有党员缺少党内统计所需的信息（民族、学历、职业、转正时间），或有不合理的数据（18 岁前入党、入党不满一年转正、预备期超过 2 年）——年报上报前要改正',
    citation:
      '党员基本信息项见 2017 年中组部《党组织和党员基本信息采集》；年满十八岁见《中国共产党章程》第一条，预备期一年、延长不超过一年见第七条',
    confirmed: false,
    local: false,
  },
} as const;
export type AttentionCode = keyof typeof ATTENTION_RULES;
export const ATTENTION_CODES = Object.keys(ATTENTION_RULES) as AttentionCode[];

export const AttentionReason = z.object({
  code: z.enum(ATTENTION_CODES as [AttentionCode, ...AttentionCode[]]),
  level: z.enum(['warning', 'critical']),
  message: z.string(),
  /** The page that shows or fixes it (web path with query). */
  link: z.string(),
  citation: z.string(),
  confirmed: z.boolean(),
  /** Not there when the same rules are evaluated as of the end of the previous month (`AttentionList.previous`). */
  new: z.boolean(),
  /** New, or there before as a warning and critical now. */
  worse: z.boolean(),
});
export type AttentionReason = z.infer<typeof AttentionReason>;

/** The list's orders: most serious first, or the orgs with something new or worse since the previous period first. */
export const ATTENTION_SORTS = ['severity', 'new'] as const;
export type AttentionSort = (typeof ATTENTION_SORTS)[number];

export const AttentionItem = z.object({
  orgId: z.string(),
  orgName: z.string(),
  orgKind: z.string(),
  /** The orgs between the asked org and this one, for telling equal names apart. */
  trail: z.string(),
  critical: z.number(),
  reasons: z.array(AttentionReason),
});
export type AttentionItem = z.infer<typeof AttentionItem>;

export const AttentionList = z.object({
  org: OrgLine,
  today: z.string(),
  /** Branches (and committees, for 换届) of the subtree with at least one reason, most critical reasons first. */
  items: z.array(AttentionItem),
  total: z.number(),
  /** How many orgs have each reason (over the whole list, not the page). */
  counts: z.record(z.string(), z.number()),
  /** The day the list is compared with: the end of the previous month, the same rules evaluated as of it. */
  previous: z.string(),
  /** Orgs with at least one new or worse reason, and the new reasons, over the whole list. */
  newOrgs: z.number(),
  newReasons: z.number(),
  sort: z.enum(ATTENTION_SORTS),
  /** Only the orgs with this reason (the 「薄弱环节」 filter); `total` counts them, `counts` stays the whole list's. */
  code: z.enum(ATTENTION_CODES as [AttentionCode, ...AttentionCode[]]).nullable(),
  rules: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      text: z.string(),
      citation: z.string(),
      confirmed: z.boolean(),
      local: z.boolean(),
    }),
  ),
  computedAt: z.string(),
});
export type AttentionList = z.infer<typeof AttentionList>;
