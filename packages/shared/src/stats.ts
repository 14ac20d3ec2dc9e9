/** The leaders' dashboard (驾驶舱): one payload for an org subtree, every figure with what it counts. */
import { z } from 'zod';
import { DEVELOP_STATUSES } from './develop';

const Count = z.record(z.string(), z.number());
const OrgLine = z.object({ orgId: z.string(), orgName: z.string() });

export const DashboardWarning = z.object({
  kind: z.enum(['term_overdue', 'arrears', 'develop_overdue', 'meeting_behind']),
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
  warnings: z.array(DashboardWarning),
  trend: z.object({
    months: z.array(z.string()),
    meetingsHeld: z.array(z.number()),
    duesCollectedFen: z.array(z.number()),
    note: z.string(),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;
