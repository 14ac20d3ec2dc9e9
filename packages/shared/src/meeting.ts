/**
 * 组织生活 (三会一课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话): vocabulary, the cadence rule
 * table with its source per row, the periods a compliance check looks at, and wire shapes.
 *
 * Source of the national rows: 《中国共产党支部工作条例（试行）》(2018, 中共中央印发).
 * Rows marked `local: true` are common local rules (地方/企业党委的细化要求), not the regulation;
 * they are only checked when asked for.
 */
import { z } from 'zod';
import { ProxyReason } from './api';
import type { OrgKind } from './roles';

export const MEETING_KINDS = [
  'party_congress',
  'committee',
  'group',
  'lecture',
  'theme_day',
  'org_life',
  'democratic_review',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  party_congress: '党员大会',
  committee: '支委会',
  group: '党小组会',
  lecture: '党课',
  theme_day: '主题党日',
  org_life: '组织生活会',
  democratic_review: '民主评议党员',
};

/** planned (from the yearly plan, not yet announced) → published (notice sent) → held (minutes recorded); or cancelled. */
export const MEETING_STATUSES = ['planned', 'published', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
  planned: '计划中',
  published: '已通知',
  held: '已召开',
  cancelled: '已取消',
};

/** What a compliance rule counts: a meeting kind, a secretary's lecture, or a first talk with a member in the year. */
export type TallyKind = MeetingKind | 'lecture_secretary' | 'talk';

export type CadenceRule = {
  rule: string;
  label: string;
  /** Held meetings (or talks) of these tally kinds count. */
  counts: readonly TallyKind[];
  /** One per period of this length. */
  grain: 'month' | 'quarter' | 'year';
  /**
   * Which orgs the rule binds: 'unit' = a branch or general branch (its party groups' meetings
   * count for it too); 'group' = each party group on its own.
   */
  level: 'unit' | 'group';
  appliesTo: readonly OrgKind[];
  /** Only branches that have a branch committee (≥ 7 full members, or any general branch). */
  needsCommittee?: boolean;
  /** Required = one per active member of the unit (谈心谈话 with every member). */
  perMember?: boolean;
  citation: string;
  /** False when the article number could not be checked against the official text (only secondary reposts). */
  citationConfirmed: boolean;
  local: boolean;
  /** Where the yearly plan puts it: months (1–12) and day of month; theme day uses the org's fixed day. */
  plan: { months: readonly number[]; day: number | 'theme_day'; start: string; end: string } | null;
};

const REG = '《中国共产党支部工作条例（试行）》';
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

/** The cadence table (三会一课 and more). A rule change is a change of one row here. */
export const CADENCE_RULES: readonly CadenceRule[] = [
  {
    rule: 'party_congress_quarterly',
    label: '党员大会每季度召开 1 次',
    counts: ['party_congress'],
    grain: 'quarter',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    citation: `${REG}第十一条：党员大会……一般每季度召开 1 次（条号据转载文本，未能对照官方原文核实）`,
    citationConfirmed: false,
    local: false,
    plan: { months: [2, 5, 8, 11], day: 20, start: '09:00', end: '11:00' },
  },
  {
    rule: 'committee_monthly',
    label: '支委会每月召开 1 次',
    counts: ['committee'],
    grain: 'month',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    needsCommittee: true,
    citation: `${REG}第十二条：党支部委员会会议一般每月召开 1 次（适用于设立支部委员会的党支部：正式党员 7 人以上，见第六章）（条号据转载文本，未能对照官方原文核实）`,
    citationConfirmed: false,
    local: false,
    plan: { months: MONTHS, day: 5, start: '16:00', end: '17:00' },
  },
  {
    rule: 'group_monthly',
    label: '党小组会每月召开 1 次',
    counts: ['group'],
    grain: 'month',
    level: 'group',
    appliesTo: ['group'],
    citation: `${REG}第十三条：党小组会一般每月召开 1 次（条号据转载文本，未能对照官方原文核实）`,
    citationConfirmed: false,
    local: false,
    plan: { months: MONTHS, day: 10, start: '16:00', end: '17:00' },
  },
  {
    rule: 'secretary_lecture_yearly',
    label: '党支部书记每年至少讲 1 次党课（地方规定）',
    counts: ['lecture_secretary'],
    grain: 'year',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    // The regulation names 党委（党组）书记 (第十六条), not the branch secretary: a local rule, off by default.
    citation: `地方规定（非条例要求）：许多地方和企业党委要求党支部书记每年至少为党员讲 1 次党课；${REG}第十六条规定的是党委（党组）书记每年至少讲 1 次党课（条号据转载文本，未能对照官方原文核实）`,
    citationConfirmed: false,
    local: true,
    plan: { months: [7], day: 1, start: '09:00', end: '11:00' },
  },
  {
    rule: 'theme_day_monthly',
    label: '每月相对固定 1 天开展主题党日',
    counts: ['theme_day'],
    grain: 'month',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    citation: `${REG}第十六条：党支部应当每月相对固定 1 天开展主题党日（条号据转载文本，未能对照官方原文核实）`,
    citationConfirmed: false,
    local: false,
    plan: { months: MONTHS, day: 'theme_day', start: '14:30', end: '17:00' },
  },
  {
    rule: 'org_life_yearly',
    label: '每年至少召开 1 次组织生活会',
    counts: ['org_life'],
    grain: 'year',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    citation: `${REG}第十七条：组织生活会一般每年召开 1 次，一般安排在第四季度（条号据转载文本，未能对照官方原文核实）`,
    citationConfirmed: false,
    local: false,
    plan: { months: [12], day: 12, start: '09:00', end: '12:00' },
  },
  {
    rule: 'democratic_review_yearly',
    label: '每年开展 1 次民主评议党员',
    counts: ['democratic_review'],
    grain: 'year',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    citation: `${REG}：党支部一般每年开展 1 次民主评议党员（条号未能核实；曾引作第二十二条）`,
    citationConfirmed: false,
    local: false,
    plan: { months: [12], day: 18, start: '09:00', end: '12:00' },
  },
  {
    rule: 'talk_yearly',
    label: '每年与每名党员谈心谈话不少于 1 次',
    counts: ['talk'],
    grain: 'year',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    perMember: true,
    citation: `${REG}：党支部委员和党员之间、党员和党员之间，每年谈心谈话一般不少于 1 次（条号未能核实；曾引作第二十三条）`,
    citationConfirmed: false,
    local: false,
    plan: null,
  },
  {
    rule: 'lecture_quarterly_local',
    label: '党课每季度至少 1 次（地方规定）',
    counts: ['lecture', 'lecture_secretary'],
    grain: 'quarter',
    level: 'unit',
    appliesTo: ['branch', 'general_branch'],
    citation: '地方规定（非条例要求）：许多地方和企业党委要求党支部每季度至少上 1 次党课',
    citationConfirmed: true,
    local: true,
    plan: null,
  },
];

export const cadenceRule = (rule: string) => CADENCE_RULES.find((r) => r.rule === rule);

/** A compliance view: a whole year, a quarter, or a month, each evaluated "so far" as of a date. */
export type ComplianceView = { year: number; quarter?: number | undefined; month?: number | undefined };

const monthStart = (y: number, m: number) =>
  `${y + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01`;

/**
 * The window each rule is checked over, and how many periods are required in it.
 * A year view checks every period of the year that has begun by `today`; a quarter or month
 * view checks the periods of the rule's own length that contain it (the quarter of a month for
 * a quarterly rule, the year so far for a yearly one). Periods not yet begun are not required.
 */
export function ruleWindow(
  rule: Pick<CadenceRule, 'grain'>,
  view: ComplianceView,
  today: string,
): { from: string; to: string; required: number } {
  const viewFirst = view.month ?? (view.quarter ? (view.quarter - 1) * 3 + 1 : 1);
  const viewLast = view.month ?? (view.quarter ? view.quarter * 3 : 12);
  const len = rule.grain === 'month' ? 1 : rule.grain === 'quarter' ? 3 : 12;
  const first = Math.floor((viewFirst - 1) / len) * len + 1;
  const last = Math.ceil(viewLast / len) * len;
  const todayMonth = today.slice(0, 7);
  let required = 0;
  for (let m = first; m <= last; m += len) if (monthStart(view.year, m).slice(0, 7) <= todayMonth) required += 1;
  return { from: monthStart(view.year, first), to: monthStart(view.year, last + 1), required };
}

/**
 * The periods of a rule that are due in `year` as of `asOf` (a date, inclusive): only periods that
 * have ENDED by then — a month on its last day, a quarter on 31 March/30 June/30 September/31
 * December, a year on 31 December. A period still running is not due and so cannot be "missed"
 * (#16 item 9, #13 item 13: on 1 July the third quarter's 党员大会 is not behind). `from`–`to`
 * (exclusive) spans the ended periods; meetings after `to` are not counted against them.
 */
export function dueWindow(
  rule: Pick<CadenceRule, 'grain'>,
  year: number,
  asOf: string,
): { from: string; to: string; required: number } {
  const len = rule.grain === 'month' ? 1 : rule.grain === 'quarter' ? 3 : 12;
  const asOfYear = Number(asOf.slice(0, 4));
  // Months of `year` wholly over by the end of asOf's day: all 12 for a past year, none for a future one.
  const endsMonth = (d: string) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return day === last ? m : m - 1;
  };
  const over = asOfYear > year ? 12 : asOfYear < year ? 0 : endsMonth(asOf);
  const required = Math.floor(over / len);
  return { from: monthStart(year, 1), to: monthStart(year, required * len + 1), required };
}

export const ComplianceQuery = z
  .object({
    year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确'),
    quarter: z.coerce.number().int().min(1, '季度须为 1–4').max(4, '季度须为 1–4').optional(),
    month: z.coerce.number().int().min(1, '月份须为 1–12').max(12, '月份须为 1–12').optional(),
    /** Also check the rows marked local (地方规定). */
    includeLocal: z.stringbool().default(false),
    /**
     * Only the periods of the year that have ended by today (dueWindow), as the 驾驶舱 counts them: the
     * 工作台's 「未达标」 card, which on the first day of a month listed the month just begun as missed (#16).
     */
    due: z.stringbool().default(false),
  })
  .refine((q) => !(q.quarter && q.month), { message: '季度和月份只能二选一', path: ['month'] })
  .refine((q) => !(q.due && (q.quarter || q.month)), { message: '「截至目前」只用于全年', path: ['due'] });

export const ComplianceItem = z.object({
  rule: z.string(),
  label: z.string(),
  required: z.number(),
  actual: z.number(),
  ok: z.boolean(),
  citation: z.string(),
  local: z.boolean(),
  /** Orgs under the checked org that are behind on this rule (0 for a single branch that is fine). */
  behind: z.number(),
  /** Orgs the rule applies to within the checked org's subtree. */
  orgs: z.number(),
  from: z.string(),
  to: z.string(),
});
export type ComplianceItem = z.infer<typeof ComplianceItem>;
/**
 * Attendance at the held meetings of the view's period (issue #27): due, present in the room and online. For a
 * branch, a 总支 or a 党小组 (a subtree of a few dozen meetings); null above, where the counters alone answer.
 */
export const ComplianceAttendance = z.object({
  held: z.number(),
  due: z.number(),
  present: z.number(),
  inPerson: z.number(),
  online: z.number(),
  leftEarly: z.number(),
  /** Of the above: 流动党员 of this org at the meetings of the org where they are (一方隶属、参加多重组织生活). */
  flowElsewhere: z.object({ due: z.number(), present: z.number() }).optional(),
  rule: z.string(),
  flowRule: z.string().optional(),
});
export const ComplianceReply = z.object({
  items: z.array(ComplianceItem),
  asOf: z.string(),
  attendance: ComplianceAttendance.nullable().optional(),
});
export type ComplianceReply = z.infer<typeof ComplianceReply>;

export const ComplianceRollupRow = z.object({
  orgId: z.string(),
  orgName: z.string(),
  orgKind: z.string(),
  path: z.string(),
  behind: z.number(),
  items: z.array(z.object({ rule: z.string(), required: z.number(), actual: z.number(), ok: z.boolean() })),
});
export type ComplianceRollupRow = z.infer<typeof ComplianceRollupRow>;

// ---- sign-in ---------------------------------------------------------------

/** The venue screen shows a new QR token every window; a token is accepted for this many windows. */
export const CHECKIN_TOKEN_WINDOW_SECONDS = 60;
export const CHECKIN_TOKEN_VALID_WINDOWS = 3;
/** Sign-in opens this long before the start and closes at the end. */
export const CHECKIN_OPENS_MINUTES_BEFORE = 30;
/** Signing in after the start plus this grace is noted as late. */
export const CHECKIN_LATE_GRACE_MINUTES = 5;

/**
 * 离线签到 (issue #24): a member at a meeting place with no signal scans the venue QR code; the phone keeps the
 * sign-in and sends it, marked `queued`, when the network returns. The server counts it at the time inside the signed
 * token (the window the screen showed it in), which must fall inside the meeting's sign-in window, and only when it
 * arrives within `maxDelayHours` of that time. Sent later, it is refused and the secretary enters the paper sheet
 * instead (allowed up to 72 hours after the meeting).
 *
 * Why 24 hours: a meeting place without signal (a construction site, a tunnel, a mine, a village 党员活动室) is left
 * the same day; a member on an overnight shift or whose phone went flat reconnects by the next day at the latest.
 * Each extra hour is an hour in which a photo of the screen's code could be forwarded to someone who was not there
 * and sent as "queued" — so the bound is short, and every sign-in sent late is marked for the secretary with the
 * time it arrived (`checkinSubmittedAt`), who knows who was in the room. A rule of this software: no regulation
 * speaks of offline sign-in.
 */
export const QUEUED_CHECKIN_RULE = {
  maxDelayHours: 24,
  citation: '本软件规则：离线签到须在扫码后 24 小时内联网提交（无上级文件规定，未核实）',
  citationConfirmed: false,
} as const;

// ---- templates -------------------------------------------------------------

/** Agenda and minutes outline per kind, offered when a secretary starts a meeting or its minutes. */
export const MEETING_TEMPLATES: Record<MeetingKind, { agenda: string[]; minutes: string }> = {
  party_congress: {
    agenda: ['清点到会人数，报告应到、实到、请假人数', '传达学习上级精神', '讨论决定支部重要事项', '表决并形成决议'],
    minutes:
      '一、学习内容：\n二、讨论事项：\n三、表决情况（应到会有表决权党员 人，赞成 人，反对 人，弃权 人）：\n四、形成决议：',
  },
  committee: {
    agenda: ['学习上级文件精神', '研究本月支部工作', '讨论党员教育管理、发展党员等事项', '部署下月工作'],
    minutes: '一、学习内容：\n二、研究事项：\n三、会议决定：\n四、任务分工：',
  },
  group: {
    agenda: ['组织政治学习', '党员汇报思想、工作情况', '讨论党小组工作'],
    minutes: '一、学习内容：\n二、交流发言：\n三、小组意见：',
  },
  lecture: {
    agenda: ['主讲人讲授党课', '交流讨论'],
    minutes: '主讲人：\n党课题目：\n主要内容：\n交流讨论：',
  },
  theme_day: {
    agenda: ['重温入党誓词', '集中学习', '民主议事', '志愿服务或实践活动'],
    minutes: '一、活动主题：\n二、学习内容：\n三、议事情况：\n四、实践活动：',
  },
  org_life: {
    agenda: ['通报上年度整改落实情况', '支部班子对照检查', '党员个人对照检查、开展批评和自我批评', '明确整改措施'],
    minutes: '一、整改情况通报：\n二、对照检查：\n三、批评与自我批评：\n四、整改措施：',
  },
  democratic_review: {
    agenda: ['个人自评', '党员互评', '民主测评', '支部综合评定等次'],
    minutes:
      '一、个人自评情况：\n二、党员互评情况：\n三、民主测评结果：\n四、评定等次（优秀、合格、基本合格、不合格）：',
  },
};

/**
 * Minutes must say what happened at the meeting: the outline the form starts from is a prompt,
 * not a record. What the secretary wrote beyond the outline's own labels must have at least this
 * many characters (punctuation and spaces not counted) — a local quality rule of this software,
 * not a regulation: 《中国共产党支部工作条例（试行）》 asks for meetings to be recorded, not for a length.
 */
export const MINUTES_MIN_OWN_CHARS = 10;

const OUTLINE_LABELS = [
  ...new Set(
    Object.values(MEETING_TEMPLATES).flatMap((t) =>
      t.minutes
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ),
].sort((a, b) => b.length - a.length);

/** The minutes' text without the outline labels, spaces and punctuation: what the secretary wrote. */
export function minutesOwnText(content: string): string {
  let rest = content;
  for (const label of OUTLINE_LABELS) rest = rest.split(label).join('');
  return rest.replace(/[\s\p{P}]/gu, '');
}

/** Why minutes cannot be saved as they are, or null: only the outline, or too little of the secretary's own. */
export function minutesProblem(content: string): string | null {
  const own = Array.from(minutesOwnText(content)).length;
  if (own >= MINUTES_MIN_OWN_CHARS) return null;
  return own === 0
    ? '会议内容只有提纲：请在提纲各项后写明会议的实际内容（学习了什么、讨论和决定了什么）'
    : `会议内容太少：除提纲外至少写 ${MINUTES_MIN_OWN_CHARS} 个字，写明学习了什么、讨论和决定了什么`;
}

// ---- votes at a 党员大会 and a 支委会 ---------------------------------------------

/**
 * Resolutions of a 党员大会 or a 支委会 are passed by vote. Who votes: the invited 正式党员 (预备党员 attend
 * without a vote, 党章 第七条); for a 支委会, its committee members. The present voters are those of them signed in.
 *
 * Decided (issue 13 item 8): 条例 第十一条 says the vote needs 「半数以上」 of the voters present and passes with
 * 「超过」 half of those due to attend. 以上 includes the number itself in Chinese normative texts (the convention
 * 《中华人民共和国刑法》第九十九条 writes down), so exactly half present is a quorum here; passing needs more than half.
 * The 细则's stricter 「超过半数」 quorum stays the rule of the 发展党员 votes (a special rule for those).
 */
export const MEETING_VOTE_RULES: Partial<
  Record<MeetingKind, { voters: string; citation: string; confirmed: boolean }>
> = {
  party_congress: {
    voters: '应到会有表决权的正式党员（含各党小组；预备党员列席，不参加表决）',
    citation: `${REG}第十一条：表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过（条号与条文据转载文本，未能对照官方原文核实）；《中国共产党章程》第七条（预备党员没有表决权）`,
    confirmed: false,
  },
  committee: {
    voters: '应到会的支部委员会委员',
    citation: `${REG}第十二条：支部委员会会议须有半数以上委员到会方可召开，重要事项按照少数服从多数原则作出决定（“赞成超过应到会委员半数为通过”系本系统对少数服从多数的从严理解；条号与条文据转载文本，未能核实）`,
    confirmed: false,
  },
};

export const VoteCount = z.strictObject({
  for: z.number().int('票数须为整数').min(0, '票数不能为负').max(10000),
  against: z.number().int('票数须为整数').min(0, '票数不能为负').max(10000),
  abstain: z.number().int('票数须为整数').min(0, '票数不能为负').max(10000),
});
export type VoteCount = z.infer<typeof VoteCount>;

/** Voters due to attend and present (signed in), as the meeting's attendance says. */
export type VotingBody = { entitled: number; present: number };

/** Whether the meeting may vote at all: at least half of its voters present (半数以上, inclusive). */
export function quorumProblem(kind: MeetingKind, body: VotingBody): string | null {
  if (!MEETING_VOTE_RULES[kind]) return null;
  if (body.entitled === 0) return `本次${MEETING_KIND_LABELS[kind]}没有应到会有表决权的人员，不能形成决议`;
  if (body.present * 2 < body.entitled)
    return `到会有表决权的人数（${body.present}）不足应到会有表决权人数（${body.entitled}）的半数，不能表决形成决议`;
  return null;
}

/** The problem with one resolution's vote, or null when it passed. */
export function voteProblem(kind: MeetingKind, body: VotingBody, vote: VoteCount, n: number): string | null {
  const cast = vote.for + vote.against + vote.abstain;
  if (cast > body.present) return `第 ${n} 项决议的票数（${cast}）多于到会有表决权的人数（${body.present}）`;
  if (vote.for * 2 <= body.entitled)
    return `第 ${n} 项决议未获通过：赞成 ${vote.for} 票，未超过应到会有表决权人数（${body.entitled}）的半数。未通过的事项请写在会议内容中，不列为决议`;
  return null;
}

/** How a meeting is held: in the room, online only, or both (hybrid: a room and a video link). */
export const MEETING_MODES = ['in_person', 'online', 'hybrid'] as const;
export type MeetingMode = (typeof MEETING_MODES)[number];
export const MEETING_MODE_LABELS: Record<MeetingMode, string> = {
  in_person: '现场',
  online: '线上',
  hybrid: '现场 + 线上',
};

/** The enterprise's own video service; Xianfeng carries its link and meeting number, no video of its own. */
export const ONLINE_SERVICES = ['tencent', 'dingtalk', 'feishu', 'jitsi', 'other'] as const;
export type OnlineService = (typeof ONLINE_SERVICES)[number];
export const ONLINE_SERVICE_LABELS: Record<OnlineService, string> = {
  tencent: '腾讯会议',
  dingtalk: '钉钉会议',
  feishu: '飞书会议',
  jitsi: 'Jitsi（自建）',
  other: '其他视频会议',
};

export const OnlineJoin = z.strictObject({
  service: z.enum(ONLINE_SERVICES, `视频会议须为：${ONLINE_SERVICES.join('、')}`),
  link: z
    .string()
    .trim()
    .max(500, '入会链接不能超过 500 个字符')
    .refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'https:' && Boolean(u.hostname) && !u.username && !u.password;
      } catch {
        return false;
      }
    }, '入会链接须为 https:// 开头的完整网址'),
  number: z
    .string()
    .trim()
    .min(1, '请填写会议号')
    .max(40, '会议号不能超过 40 个字符')
    .regex(/^[0-9A-Za-z][0-9A-Za-z -]*$/, '会议号只能包含数字、字母、空格和短横线'),
});
export type OnlineJoin = z.infer<typeof OnlineJoin>;

/** The meeting's online part as the API shows it. */
export type OnlineJoinView = OnlineJoin & { serviceLabel: string };

// ---- wire shapes -----------------------------------------------------------

const instant = (label: string) =>
  z.iso.datetime({ offset: true, message: `${label}须为带时区的 ISO 8601 时间，如 2026-03-15T14:30:00+08:00` });
const text = (label: string, max: number) => z.string().trim().max(max, `${label}不能超过 ${max} 字`);

export const Venue = z.strictObject({
  lat: z.number().min(-90, '纬度须在 -90 到 90 之间').max(90, '纬度须在 -90 到 90 之间'),
  lng: z.number().min(-180, '经度须在 -180 到 180 之间').max(180, '经度须在 -180 到 180 之间'),
  radiusM: z.number().int().min(20, '签到范围至少 20 米').max(5000, '签到范围最多 5000 米'),
});

export const MeetingInput = z.strictObject({
  orgId: z.uuid('组织编号不正确'),
  kind: z.enum(MEETING_KINDS, `会议类型须为：${MEETING_KINDS.join('、')}`),
  title: text('会议名称', 100).min(1, '请填写会议名称'),
  startsAt: instant('开始时间'),
  endsAt: instant('结束时间'),
  location: text('地点', 200).min(1, '请填写会议地点'),
  agenda: text('议程', 5000).optional(),
  /** Optional geofence for sign-in. */
  venue: Venue.nullish(),
  /** Joint activities (联合主题党日, 企地共建): members of these orgs are invited too. */
  jointOrgIds: z.array(z.uuid('组织编号不正确')).max(20).optional(),
  speaker: text('主讲人', 50).optional(),
  topic: text('党课题目', 200).optional(),
  /** 现场 / 线上 / 现场 + 线上 (issue #27); online and hybrid need the video service's link and number. */
  mode: z.enum(MEETING_MODES, '会议形式须为：in_person（现场）、online（线上）、hybrid（现场 + 线上）').optional(),
  online: OnlineJoin.nullish(),
});
export type MeetingInput = z.infer<typeof MeetingInput>;

export const MeetingPatch = MeetingInput.omit({ orgId: true, kind: true }).partial();
export type MeetingPatch = z.infer<typeof MeetingPatch>;

export const Meeting = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  location: z.string(),
  agenda: z.string().nullable(),
  venue: z.object({ lat: z.number(), lng: z.number(), radiusM: z.number() }).nullable(),
  jointOrgIds: z.array(z.string()),
  speaker: z.string().nullable(),
  topic: z.string().nullable(),
  mode: z.enum(MEETING_MODES),
  online: z.object({ service: z.string(), serviceLabel: z.string(), link: z.string(), number: z.string() }).nullable(),
  status: z.enum(MEETING_STATUSES),
  planKey: z.string().nullable(),
  publishedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  counts: z.object({
    invited: z.number(),
    confirmed: z.number(),
    leave: z.number(),
    pending: z.number(),
    signedIn: z.number(),
    late: z.number(),
  }),
});
export type Meeting = z.infer<typeof Meeting>;

/** One member's answer and attendance for a meeting, as the API shows it. */
export type Attendance = {
  id: string;
  meetingId: string;
  memberId: string;
  memberName: string;
  orgId: string;
  orgName: string;
  invited: boolean;
  response: 'pending' | 'confirmed' | 'leave';
  leaveReason: string | null;
  respondedAt: string | null;
  checkedInAt: string | null;
  /**
   * 离线签到 (issue #24): when a sign-in kept on the member's phone with no signal reached the server; `checkedInAt`
   * is then the time inside the QR code. Null for a sign-in sent on the spot.
   */
  checkinSubmittedAt: string | null;
  /**
   * `online`: joined the 网上课堂 lecture this 党课 records (media module); `code`: signed in remotely with the host's
   * code; `manual_online`: signed in by the secretary as taking part online (代签（线上）, a member without a phone).
   */
  checkinMethod: CheckinMethod | null;
  /** In the room or online (a `code` sign-in or a 网上课堂 lecture), when signed in (issue #27). */
  presence: 'in_person' | 'online' | null;
  /** The host marked them as having left before the end. */
  leftEarlyAt: string | null;
  /** Their meeting page last checked in (remote participants: "connected"). */
  seenAt: string | null;
  late: boolean;
  absentReason: string | null;
  makeupDoneAt: string | null;
  makeupReflection: string | null;
  /** 代为填写: the branch entered the 补学 confirmation for the member (issue #24). */
  makeupOnBehalf: boolean;
  /** Invited as a 流动党员 registered with the meeting's org (参加流入地组织生活; counts for their home branch too). */
  viaFlow: boolean;
};

export const PlanBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  /** The fixed day of the month for 主题党日 (1–28 so every month has it). */
  themeDay: z.number().int().min(1, '主题党日须在每月 1–28 日之间').max(28, '主题党日须在每月 1–28 日之间').default(15),
  location: text('地点', 200).min(1).default('党员活动室'),
});

// ---- who is invited -----------------------------------------------------------

/**
 * Who a meeting invites by default, per kind, with its source. `committee`: the members of the
 * org's current committee term; `org`: every member of the org and its subtree (a branch's party
 * groups included — 党小组 members are branch members), and of the joint orgs of a joint activity.
 * The secretary may add or leave out people before publishing, each with a reason.
 */
export const INVITEE_RULES: Record<MeetingKind, { who: 'committee' | 'org'; label: string; citation: string }> = {
  party_congress: {
    who: 'org',
    label: '党员大会通知本支部全体党员（含各党小组党员；预备党员参加，无表决权）',
    citation: `${REG}第十一条（党员大会，全体党员参加；条号依转载文本，待核对）；《中国共产党章程》第七条（预备党员没有表决权）`,
  },
  committee: {
    who: 'committee',
    label: '支委会通知本届支部委员会委员',
    citation: `${REG}第十二条（支部委员会会议，支委参加；条号依转载文本，待核对）`,
  },
  group: {
    who: 'org',
    label: '党小组会通知本党小组党员',
    citation: `${REG}第十三条（党小组会；条号依转载文本，待核对）`,
  },
  lecture: {
    who: 'org',
    label: '党课通知本组织全体党员（含各党小组党员）',
    citation: `${REG}第十六条（党课；条号依转载文本，待核对）`,
  },
  theme_day: {
    who: 'org',
    label: '主题党日通知本支部全体党员（含各党小组党员）',
    citation: `${REG}第十六条（主题党日；条号依转载文本，待核对）`,
  },
  org_life: {
    who: 'org',
    label: '组织生活会通知本支部全体党员（含各党小组党员）',
    citation: `${REG}第十七条（组织生活会；条号依转载文本，待核对）`,
  },
  democratic_review: {
    who: 'org',
    label: '民主评议党员通知本支部全体党员（含各党小组党员）',
    citation: `${REG}（民主评议党员；条号未核实）`,
  },
};

/** One person on a meeting's invitation list and why they are on it (本届支委、党小组、预备党员 …). */
export const Invitee = z.object({
  memberId: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  status: z.string(),
  /** Why the rule invites them, e.g. 「组织委员」「第一党小组」「预备党员（无表决权）」. */
  why: z.string(),
});
export type Invitee = z.infer<typeof Invitee>;

/** A change the secretary made to the default list, with the reason given. */
export const InvitationChange = z.object({
  memberId: z.string(),
  name: z.string(),
  change: z.enum(['added', 'removed']),
  reason: z.string(),
});
export type InvitationChange = z.infer<typeof InvitationChange>;

/** What the publish dialog shows: the rule, the default list, who is invited now, and the changes. */
export const InviteesReply = z.object({
  rule: z.string(),
  citation: z.string(),
  /** Things the secretary should know, e.g. a committee member without a member record. */
  notes: z.array(z.string()),
  defaults: z.array(Invitee),
  /** Invited now (after an earlier notice), with their names, including people added by hand. */
  invited: z.array(Invitee),
  changes: z.array(InvitationChange),
});
export type InviteesReply = z.infer<typeof InviteesReply>;

const reason = text('原因', 200).min(2, '请写明原因（至少 2 个字）');

export const PublishBody = z.strictObject({
  /**
   * The invitation list. Default: the kind's list (INVITEE_RULES), plus anyone invited before; on a
   * second notice nobody who was left out on purpose comes back.
   */
  memberIds: z.array(z.uuid('党员编号不正确')).min(1, '通知名单不能为空').max(2000).optional(),
  /** For each member added to or left out of the default list: why (required for each). */
  reasons: z.record(z.uuid('党员编号不正确'), reason).optional(),
});

export const CancelBody = z.strictObject({ reason: text('取消原因', 200).min(1, '请填写取消原因') });

export const RespondBody = z.discriminatedUnion('response', [
  z.strictObject({ response: z.literal('confirmed') }),
  z.strictObject({ response: z.literal('leave'), reason: text('请假事由', 200).min(2, '请填写请假事由') }),
]);

const point = { lat: z.number().min(-90).max(90).optional(), lng: z.number().min(-180).max(180).optional() };
export const CheckinBody = z.union([
  /** `online`: 代签（线上） — the member takes part online (an online or hybrid meeting) but cannot sign in themself. */
  z.strictObject({ memberId: z.uuid('党员编号不正确'), online: z.boolean().optional() }),
  /** `queued`: kept on the phone with no signal and sent later (离线签到): judged by the time inside the token. */
  z.strictObject({
    token: z.string().min(1, '请扫描现场签到二维码').max(200),
    ...point,
    queued: z.boolean().optional(),
  }),
]);

export const MinutesBody = z.strictObject({
  host: text('主持人', 50).min(1, '请填写主持人'),
  recorder: text('记录人', 50).min(1, '请填写记录人'),
  agenda: text('议程', 5000).default(''),
  content: text('会议内容', 50000).min(1, '请填写会议内容'),
  resolutions: z.array(text('决议', 1000).min(1)).max(50).default([]),
  /** The vote on each resolution, in the same order: required for a 党员大会 and a 支委会 (MEETING_VOTE_RULES). */
  votes: z.array(VoteCount).max(50).default([]),
  /** Reasons for absentees who did not ask for leave in the system, keyed by member id. */
  absentReasons: z.record(z.uuid(), text('缺席原因', 200)).default({}),
  /** People at the meeting who did not sign in (from the paper sign-in sheet): recorded as present. */
  attendees: z.array(z.uuid('党员编号不正确')).max(2000).default([]),
  speaker: text('主讲人', 50).optional(),
  topic: text('党课题目', 200).optional(),
  /** The lecture was given by the branch secretary (counts for the yearly secretary's lecture). */
  speakerIsSecretary: z.boolean().default(false),
});

export const MakeupBody = z.strictObject({
  reflection: text('学习体会', 2000).min(10, '学习体会至少 10 个字'),
  /** Sent from the phone's queue (issue 24, made offline): a confirmation already recorded answers with the record. */
  queued: z.boolean().optional(),
});
/** 代为填写 of a 补学 confirmation: the member's words as they gave them, and why the branch enters them. */
export const MakeupProxyBody = z.strictObject({
  memberId: z.uuid('党员编号不正确'),
  reflection: MakeupBody.shape.reflection,
  reason: ProxyReason,
});
export type MakeupProxyBody = z.infer<typeof MakeupProxyBody>;

export const TalkInput = z
  .strictObject({
    orgId: z.uuid('组织编号不正确'),
    memberId: z.uuid('党员编号不正确'),
    /** The talker's name as written; filled from `talkerMemberId` when that is given and this is empty. */
    talker: text('谈话人', 50).default(''),
    /** The talker's member record (a 支委 of the branch, or any member): what the yearly coverage counts. */
    talkerMemberId: z.uuid('谈话人编号不正确').optional(),
    heldOn: z.iso.date('谈话日期须为 YYYY-MM-DD'),
    topic: text('谈话主题', 200).min(1, '请填写谈话主题'),
    summary: text('谈话要点', 5000).default(''),
  })
  .refine((t) => t.talker !== '' || t.talkerMemberId, { path: ['talker'], message: '请填写谈话人' });

/**
 * 谈心谈话 coverage (issue #22): the regulation asks for talks between the 支委 and the members, and between members,
 * at least once a year. The system reads this as: every seat of the current committee with every other member of the
 * org's roll, each year. `talk_yearly` in COMPLIANCE_RULES counts the weaker fact (every member talked with by
 * someone); this rule is the full matrix shown on the coverage page.
 */
export const TALK_COVERAGE_RULE = {
  perYear: 1,
  citation: `${REG}：党支部委员和党员之间、党员和党员之间，每年谈心谈话一般不少于 1 次（条号未能核实）`,
  citationConfirmed: false,
  reading:
    '本系统的理解（未核实）：现任支委会每名委员每年与本支部每名党员（含其他委员）至少谈话 1 次；支部书记应与每名委员谈话。覆盖率 = 已谈的「委员—党员」对数 ÷ 应谈对数。',
} as const;

export const TalkCoverageSeat = z.object({
  memberId: z.string(),
  name: z.string(),
  position: z.string(),
  /** Members of the roll (other than this seat) this seat talked with in the year. */
  covered: z.number(),
  /** Members of the roll other than this seat. */
  due: z.number(),
});
export const TalkCoverageRow = z.object({
  memberId: z.string(),
  name: z.string(),
  orgName: z.string(),
  /** Talks with this member in the year, by anyone. */
  talks: z.number(),
  lastOn: z.string().nullable(),
  /** For each seat (by member id): the last day that seat talked with this member in the year. */
  bySeat: z.record(z.string(), z.string()),
});
export const TalkCoverage = z.object({
  year: z.number(),
  orgId: z.string(),
  orgName: z.string(),
  /** Members on the roll of the org's subtree. */
  members: z.number(),
  /** Of them, talked with at least once in the year (what talk_yearly counts). */
  talkedWith: z.number(),
  /** Seat × member pairs due (a seat does not talk with itself) and covered. */
  pairsDue: z.number(),
  pairsCovered: z.number(),
  /** Seats of the current committee linked to a member record; empty when the org has no committee on record. */
  seats: z.array(TalkCoverageSeat),
  /** Seats without a member record (cannot be counted). */
  unlinkedSeats: z.array(z.string()),
  items: z.array(TalkCoverageRow),
  total: z.number(),
  citation: z.string(),
  citationConfirmed: z.boolean(),
  reading: z.string(),
});
export type TalkCoverage = z.infer<typeof TalkCoverage>;
export type TalkCoverageRow = z.infer<typeof TalkCoverageRow>;
export const TalkReminderResult = z.object({ seats: z.number(), sent: z.number(), message: z.string() });
export type TalkRecord = {
  id: string;
  orgId: string;
  memberId: string;
  memberName: string;
  talker: string;
  talkerMemberId: string | null;
  heldOn: string;
  topic: string;
  summary: string;
  createdAt: string;
};
export type TalkReminderResult = z.infer<typeof TalkReminderResult>;

/** The answer to 「提醒未回复」 (POST /meetings/:id/reminders); `message` says in Chinese what happened. */
export const ReplyReminderResult = z.object({
  /** Invited members who have not answered. */
  pending: z.number(),
  /** Reminded now. */
  sent: z.number(),
  /** Already reminded today (at most once per person per day). */
  already: z.number(),
  /** Without an account to reach. */
  unreachable: z.number(),
  message: z.string(),
});
export type ReplyReminderResult = z.infer<typeof ReplyReminderResult>;

/**
 * 补学 (make-up study) of a member absent from a held meeting (issue #17): the deadline the 补学提醒 names,
 * and how long before it the second reminder goes out. No national rule fixes the period; "within a month"
 * is common local practice, so the citation is marked unconfirmed.
 */
export const MAKEUP_RULE = {
  days: 30,
  remindDaysBefore: 7,
  citation: '各地党组织常见做法：缺席组织生活的党员应在一个月内补学（各地规定不一，未找到统一的上级文件条文，未核实）',
  citationConfirmed: false,
} as const;

// ---- 网上过组织生活 (issue #27): meeting mode, remote attendance, statements and votes ------------------

/** How a signed-in member took part: in the room (QR, the secretary, the paper sheet) or online. */
export type Presence = 'in_person' | 'online';
export const CHECKIN_METHODS = ['qr', 'manual', 'online', 'code', 'manual_online'] as const;
export type CheckinMethod = (typeof CHECKIN_METHODS)[number];
/**
 * The sign-ins that count as online: `code` (the member's own account with the host's spoken code), `online` (a
 * 网上课堂 lecture), `manual_online` (代签（线上）: the secretary signs in a remote member who has no phone).
 */
export const ONLINE_CHECKIN_METHODS: readonly CheckinMethod[] = ['code', 'online', 'manual_online'];
export const presenceOf = (method: string | null): Presence | null =>
  method === null ? null : (ONLINE_CHECKIN_METHODS as readonly string[]).includes(method) ? 'online' : 'in_person';

/**
 * What counts as online attendance (a rule of this software, from the "counted honestly"): the member
 * signs in from their own signed-in account, inside the sign-in window of the meeting, with the short code the
 * host reads out or shows in the meeting — it rotates with the venue QR code (platform/qr-token.ts) and is valid
 * for the same few minutes, so it proves the member was in the meeting at that moment, not that they clicked a
 * link. Only invited members may sign in remotely. No national text regulates online attendance; the 2018
 * regulation requires 三会一课 to be held and recorded, so the record says which members were online.
 */
export const REMOTE_ATTENDANCE_RULE = {
  codeDigits: 6,
  /** Wrong codes a member may try per meeting before they wait (a 6-digit code must not be guessable). */
  maxFailures: 5,
  lockMinutes: 10,
  /** The host sees a remote participant as connected while their page checked in within this many seconds. */
  connectedSeconds: 90,
  citation:
    '本系统规则：线上参会须本人账号在签到时间内输入主持人现场宣读或展示的动态签到码（与会场二维码同一机制，几分钟内有效）；未找到关于网上参加组织生活如何计到会的全国性条文，未核实',
  confirmed: false,
} as const;

/** Decisions taken by vote in the system during a meeting (网上表决), by what is decided. */
export const MOTION_KINDS = ['resolution', 'election', 'admission', 'conversion'] as const;
export type MotionKind = (typeof MOTION_KINDS)[number];

const XZ_ = '《中国共产党发展党员工作细则》';
const XJ_ = '《中国共产党基层组织选举工作条例》（2020）';

/**
 * Which decisions may be voted on in the system, including by members signed in online, and which must be
 * taken in the room. Decided for issue #27:
 * - an election is held by secret ballot at the meeting (written ballots, a secret writing place, ballots issued
 *   and returned counted against each other, scrutineers) — a vote by account in an app is neither secret nor
 *   countable that way, so elections are never voted on here (the 换届 module records the paper result);
 * - the admission of a probationary member (and the conversion to full member, which the 细则 puts under the same
 *   rules) is decided by the 支部大会 after the applicant reports in person and the sponsors speak, by secret
 *   ballot — so it is not voted on here either;
 * - other resolutions of a 党员大会 or 支委会 may be, counted against 应到会 (条例 第十一条) like any resolution.
 * The article numbers are from reposted texts and were not checked against the official text.
 */
export const MOTION_RULES: Record<
  MotionKind,
  { label: string; remote: boolean; citation: string; confirmed: boolean }
> = {
  resolution: {
    label: '一般决议事项',
    remote: true,
    citation: `${REG}第十一条（表决须半数以上有表决权的党员到会，赞成超过应到会有表决权党员的半数为通过）；本系统：线上签到的党员计入到会，可在会议期间网上表决（未找到明文许可或禁止网上表决的全国性条文，未核实）`,
    confirmed: false,
  },
  election: {
    label: '选举（换届、补选）',
    remote: false,
    citation: `${XJ_}：选举一律采用无记名投票方式，设秘密写票处，发出与收回的选票当场清点，收回多于发出选举无效（第二十七条），须有超过应到会五分之四的选举人到会（第二十一条）——须在会场以纸质选票进行，不能网上表决（条号据转载文本，未能对照官方原文核实）`,
    confirmed: false,
  },
  admission: {
    label: '接收预备党员',
    remote: false,
    citation: `${XZ_}第二十条、第二十一条：支部大会讨论接收预备党员，发展对象本人到会汇报，入党介绍人介绍情况，与会党员充分讨论后以无记名投票方式表决；讨论两人以上须逐个表决——须在会场进行，不能网上表决（条号依本系统发展党员步骤表，“无记名投票”据转载文本，未能核实）`,
    confirmed: false,
  },
  conversion: {
    label: '预备党员转正',
    remote: false,
    citation: `${XZ_}第二十九条、第三十条：支部大会讨论预备党员转正，到会人数和表决要求与接收预备党员相同——须在会场以无记名投票方式进行，不能网上表决（条号据转载文本，未能核实）`,
    confirmed: false,
  },
};

export const VOTE_CHOICES = ['for', 'against', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export const VOTE_CHOICE_LABELS: Record<VoteChoice, string> = { for: '赞成', against: '反对', abstain: '弃权' };

/**
 * A motion's count when closed: the vote, who could vote, and how it was cast — `room`: the show of hands the
 * host counted in the room (members signed in in person); `online`: the votes cast in the app by members signed
 * in online. for/against/abstain are the sums.
 */
export type MotionTally = VoteCount &
  VotingBody & { online: number; room: VoteCount; onlineVotes: VoteCount; passed: boolean; problem: string | null };

export const RemoteCheckinBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '签到码为 6 位数字，请输入主持人宣读或展示的签到码'),
});
export const StatementBody = z.strictObject({ text: text('发言内容', 2000).min(2, '发言内容至少 2 个字') });
export const MotionBody = z.strictObject({
  title: text('表决事项', 200).min(2, '请填写表决事项'),
  kind: z.enum(MOTION_KINDS, `表决事项类型须为：${MOTION_KINDS.join('、')}`),
});
/** Closing a vote: the show of hands counted in the room (members signed in in person vote there, not in the app). */
export const CloseMotionBody = z.strictObject({ room: VoteCount.default({ for: 0, against: 0, abstain: 0 }) });
export const BallotBody = z.strictObject({ choice: z.enum(VOTE_CHOICES, '请选择赞成、反对或弃权') });
export const LeftEarlyBody = z.strictObject({ memberId: z.uuid('党员编号不正确') });
/** 举手 (issue #27): the member raises (`true`) or lowers (`false`) their own hand. */
export const HandBody = z.strictObject({ raised: z.boolean('请说明举手还是放下') });
/** The host calls on a raised hand (点名发言) or clears it. */
export const HandAnswerBody = z.strictObject({
  action: z.enum(['call', 'clear'], '操作须为 call（点名发言）或 clear（放下）'),
});
