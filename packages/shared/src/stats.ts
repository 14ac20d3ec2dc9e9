/** The leaders' dashboard (驾驶舱): one payload for an org subtree, every figure with what it counts. */
import { z } from 'zod';
import { DEVELOP_STATUSES } from './develop';
import { Participation } from './learn';
import { VoiceDashboard } from './voice';

const Count = z.record(z.string(), z.number());
const OrgLine = z.object({ orgId: z.string(), orgName: z.string() });

export const DashboardWarning = z.object({
  kind: z.enum(['term_overdue', 'arrears', 'develop_overdue', 'meeting_behind', 'voice_overdue']),
  level: z.enum(['warning', 'critical']),
  count: z.number(),
  message: z.string(),
  /** The page that fixes it (web path with query). */
  link: z.string(),
  orgs: z.array(OrgLine.extend({ detail: z.string(), link: z.string() })),
});
export type DashboardWarning = z.infer<typeof DashboardWarning>;

export const Dashboard = z.object({
  org: OrgLine,
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
    current: z.object({ month: z.string(), units: z.number(), done: z.number(), rate: z.number().nullable(), note: z.string() }),
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
  /** 志愿服务 this year (the service module's volunteerFigures). */
  volunteer: z.object({ year: z.number(), activities: z.number(), members: z.number(), minutes: z.number(), note: z.string() }),
  /** 学习参与 this month (the learn module's participation): members with any learning ÷ members on the roll. */
  learning: Participation,
  /** 互动 this year (the voice module's voiceDashboard): 意见建议 received, answered on time, ratings. */
  voice: VoiceDashboard,
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
