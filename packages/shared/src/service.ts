/**
 * 服务 (the `service` module): 志愿服务 — volunteer activities an org publishes, members' sign-ups, check-in and
 * check-out by the activity's rotating QR code, hours. Rules as data with their sources, and the wire shapes.
 */
import { z } from 'zod';

/**
 * The rules the software applies to volunteer hours. `confirmed: false` — read from secondary reposts, not
 * checked against the official text.
 */
export const VOLUNTEER_RULES = {
  /** Check-in opens this long before the start (as a meeting's sign-in does). */
  checkinOpensMinutesBefore: 30,
  /** Check-out by QR is accepted until this long after the end; later, the organizer corrects the hours. */
  checkoutClosesMinutesAfter: 120,
  /** The most a correction may set: the activity's own length is the cap (checked in the service). */
  hours: {
    rule: '服务时长按签到至签退计算，只计活动时间之内的部分（早到、晚走不计），不含往返交通时间；组织者可更正并须写明理由',
    citation:
      '《志愿服务条例》（国务院令第685号，2017）第十九条：如实记录志愿者的志愿服务情况；《志愿服务记录与证明出具办法（试行）》（民政部，2020）：服务时长为实际提供志愿服务的时间，以小时为单位，不含往返交通时间',
    confirmed: false,
  },
  signup: {
    rule: '报名人数不超过活动名额；活动开始后不能报名，也不能取消报名；未报名的党员可在签到时间内扫码现场签到，占用剩余名额',
    citation: '本系统规则（名额、报名截止时间由组织者在活动中设定）',
    confirmed: true,
  },
  change: {
    rule: '组织者可修改已发布的活动（开始后不能改时间；名额不能少于已报名人数），也可在活动结束前取消（已记录服务时长的不能取消），取消时通知已报名的志愿者',
    citation: '本系统规则',
    confirmed: true,
  },
} as const;

/** Minutes → hours as shown (one decimal). */
export const hoursOf = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

// ---- wire shapes -----------------------------------------------------------------------------------

const Title = z.string().trim().min(1, '请填写活动名称').max(100, '活动名称最多 100 字');

export const VolunteerActivityInput = z
  .strictObject({
    orgId: z.uuid('组织编号格式不正确'),
    title: Title,
    description: z.string().trim().max(2000, '活动说明最多 2000 字').default(''),
    place: z.string().trim().min(1, '请填写活动地点').max(200, '活动地点最多 200 字'),
    startsAt: z.iso.datetime({ offset: true, message: '开始时间格式不正确' }),
    endsAt: z.iso.datetime({ offset: true, message: '结束时间格式不正确' }),
    slots: z.number('请填写名额').int('名额须为整数').min(1, '名额至少 1 人').max(1000, '名额最多 1000 人'),
    skills: z.string().trim().max(200, '技能要求最多 200 字').default(''),
  })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), { message: '结束时间须晚于开始时间', path: ['endsAt'] })
  .refine((v) => Date.parse(v.endsAt) - Date.parse(v.startsAt) <= 24 * 3_600_000, {
    message: '一次活动最长 24 小时',
    path: ['endsAt'],
  });
export type VolunteerActivityInput = z.infer<typeof VolunteerActivityInput>;

/**
 * 修改活动: any of the fields (time only before the start; the server refuses slots below the members signed up). When
 * both times are given they are checked together; one time alone is checked against the stored other one.
 */
export const VolunteerActivityPatch = z
  .strictObject({
    title: Title.optional(),
    description: z.string().trim().max(2000, '活动说明最多 2000 字').optional(),
    place: z.string().trim().min(1, '请填写活动地点').max(200, '活动地点最多 200 字').optional(),
    startsAt: z.iso.datetime({ offset: true, message: '开始时间格式不正确' }).optional(),
    endsAt: z.iso.datetime({ offset: true, message: '结束时间格式不正确' }).optional(),
    slots: z.number('请填写名额').int('名额须为整数').min(1, '名额至少 1 人').max(1000, '名额最多 1000 人').optional(),
    skills: z.string().trim().max(200, '技能要求最多 200 字').optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: '没有要修改的内容' });
export type VolunteerActivityPatch = z.infer<typeof VolunteerActivityPatch>;

/** 取消活动: the reason goes to every volunteer signed up (notice) and into the audit log. */
export const VolunteerCancelInput = z.strictObject({
  reason: z.string('请写明取消原因').trim().min(2, '请写明取消原因').max(200, '取消原因最多 200 字'),
});
export type VolunteerCancelInput = z.infer<typeof VolunteerCancelInput>;

export const VOLUNTEER_SIGNUP_STATES = ['signed_up', 'cancelled', 'checked_in', 'checked_out'] as const;
export type VolunteerSignupState = (typeof VOLUNTEER_SIGNUP_STATES)[number];
export const VOLUNTEER_SIGNUP_STATE_LABELS: Record<VolunteerSignupState, string> = {
  signed_up: '已报名',
  cancelled: '已取消',
  checked_in: '已签到',
  checked_out: '已签退',
};

export const VolunteerActivity = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  description: z.string(),
  place: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  slots: z.number(),
  skills: z.string(),
  status: z.enum(['published', 'cancelled']),
  /** Sign-ups not cancelled. */
  signedUp: z.number(),
  checkedIn: z.number(),
  /** Hours recorded so far (minutes, summed). */
  minutes: z.number(),
  createdBy: z.string(),
  /** The signed-in member's own sign-up state (null: not signed up, or not a member). */
  mine: z.enum(VOLUNTEER_SIGNUP_STATES).nullable(),
});
export type VolunteerActivity = z.infer<typeof VolunteerActivity>;

export const VolunteerSignup = z.object({
  id: z.string(),
  activityId: z.string(),
  activityTitle: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgName: z.string(),
  state: z.enum(VOLUNTEER_SIGNUP_STATES),
  signedUpAt: z.string(),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  /** Hours in minutes (computed at check-out, or as corrected). */
  minutes: z.number().nullable(),
  correctionReason: z.string().nullable(),
  correctedBy: z.string().nullable(),
  /** The serial of its e-certificate (志愿服务证明), once hours are recorded; a correction gives a new one. */
  certificateSerial: z.string().nullable(),
  /** 现场签到: the member did not sign up beforehand and took a free place by scanning the activity's QR code. */
  walkIn: z.boolean(),
  /** The activity was cancelled by its organizers. */
  activityCancelled: z.boolean(),
});
export type VolunteerSignup = z.infer<typeof VolunteerSignup>;

// ---- e-certificate (志愿服务证明) ------------------------------------------------------------------

/**
 * A certificate's serial: `ZYFW-XXXX-XXXX-XXXX` (12 random characters, about 60 bits: not guessable, so the public
 * check cannot be walked to list who volunteered). Set when hours are first recorded and replaced by a correction.
 */
export const CERTIFICATE_SERIAL_RE = /^(ZYFW|ZYND)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
/** The prefix of a yearly certificate's serial (年度志愿服务证明); a one-activity certificate's is `ZYFW`. */
export const YEAR_CERTIFICATE_PREFIX = 'ZYND';
export const CertificateSerial = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(
    z.string().regex(CERTIFICATE_SERIAL_RE, '证书编号格式不正确（应为 ZYFW-XXXX-XXXX-XXXX 或 ZYND-XXXX-XXXX-XXXX）'),
  );

/**
 * A name as the public check shows it: the surname and a mask (陈志远 → 陈**, 李明 → 李*), so a verifier can match it
 * against the paper without the page publishing who volunteered. Latin names keep their first letter.
 */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/**
 * What the public verification page answers for a serial: that it is genuine and what it certifies — the masked
 * name, the activity, its time and hours, the issuing org. Nothing else about the person (no org of theirs, no id,
 * no phone).
 */
export const CertificateCheck = z.object({
  serial: z.string(),
  genuine: z.literal(true),
  memberName: z.string(),
  activityTitle: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  minutes: z.number(),
  issuer: z.string(),
});
export type CertificateCheck = z.infer<typeof CertificateCheck>;

/** Which year's hours a yearly certificate (年度志愿服务证明) sums up: activities starting in that Beijing year. */
export const YearCertificateInput = z.strictObject({
  year: z
    .number('请选择年份')
    .int('年份须为整数')
    .min(2000, '年份须在 2000～2100 之间')
    .max(2100, '年份须在 2000～2100 之间'),
});
export type YearCertificateInput = z.infer<typeof YearCertificateInput>;

/**
 * The public check of a yearly certificate: genuine while every activity it lists still has the hours it states (a
 * correction or cancellation of one of them voids it — the member downloads a new one). The name masked, the year,
 * the total and the activities as the paper lists them (each with its organizing org); nothing else about the person.
 */
export const YearCertificateCheck = z.object({
  serial: z.string(),
  genuine: z.literal(true),
  kind: z.literal('year'),
  memberName: z.string(),
  year: z.number(),
  minutes: z.number(),
  issuedOn: z.string(),
  activities: z.array(
    z.object({
      activityTitle: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      minutes: z.number(),
      issuer: z.string(),
    }),
  ),
});
export type YearCertificateCheck = z.infer<typeof YearCertificateCheck>;
/** What the public check answers for a serial of either kind. */
export const AnyCertificateCheck = z.union([YearCertificateCheck, CertificateCheck]);
export type AnyCertificateCheck = z.infer<typeof AnyCertificateCheck>;

export const VolunteerScanInput = z.strictObject({
  token: z.string().trim().min(1, '请扫描活动现场的二维码').max(200, '二维码内容不正确'),
});

export const VolunteerCorrectionInput = z.strictObject({
  minutes: z.number('请填写时长').int('时长以分钟计，须为整数').min(0, '时长不能为负'),
  reason: z.string().trim().min(2, '请写明更正理由').max(500, '理由最多 500 字'),
});
export type VolunteerCorrectionInput = z.infer<typeof VolunteerCorrectionInput>;

/** A member's hours: the total and the activities (the profile tab and the member's own page). */
export const VolunteerHours = z.object({
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  totalMinutes: z.number(),
  yearMinutes: z.number(),
  activities: z.number(),
  items: z.array(VolunteerSignup),
  total: z.number(),
});
export type VolunteerHours = z.infer<typeof VolunteerHours>;

/** An org subtree's roll-up (this year): activities held, members served, hours; and per child org. */
const RollupLine = z.object({ activities: z.number(), members: z.number(), minutes: z.number() });
export const VolunteerRollup = RollupLine.extend({
  orgId: z.string(),
  orgName: z.string(),
  year: z.number(),
  children: z.array(RollupLine.extend({ orgId: z.string(), orgName: z.string() })),
  note: z.string(),
});
export type VolunteerRollup = z.infer<typeof VolunteerRollup>;

export const VolunteerQr = z.object({
  token: z.string(),
  url: z.string(),
  dataUrl: z.string(),
  refreshAt: z.string(),
  expiresAt: z.string(),
});
export type VolunteerQr = z.infer<typeof VolunteerQr>;

// ---- 困难帮扶 ----------------------------------------------------------------------------------------

/**
 * Who keeps hardship records: the branch secretary and the org department (组织部管理员) whose binding covers the
 * member's org — not the 系统管理员, not the 审计员, not the member or other members. A local rule of minimum
 * necessary access (个人信息保护法 第六条, 第二十八条 on sensitive personal information), not a party regulation.
 */
export const HARDSHIP_KEEPERS = ['org_admin', 'secretary'] as const;
export const HARDSHIP_RULE = {
  rule: '困难党员帮扶记录只有本支部书记和上级组织部管理员可以查看和填写；系统管理员、审计员和其他党员都看不到',
  citation: '个人信息保护法第六条（最小必要）、第二十八条（敏感个人信息）；本系统规则',
  confirmed: false,
} as const;

export const HARDSHIP_LEVELS = ['general', 'serious', 'special'] as const;
export type HardshipLevel = (typeof HARDSHIP_LEVELS)[number];
export const HARDSHIP_LEVEL_LABELS: Record<HardshipLevel, string> = {
  general: '一般困难',
  serious: '比较困难',
  special: '特别困难',
};

export const HardshipCaseInput = z.strictObject({
  /** The org whose keepers open the case; the member must be of its subtree. */
  orgId: z.uuid('组织编号格式不正确'),
  memberId: z.uuid('党员编号格式不正确'),
  level: z.enum(HARDSHIP_LEVELS, '困难程度须为 一般困难、比较困难 或 特别困难'),
  situation: z.string().trim().min(5, '请填写困难情况（至少 5 字）').max(5000, '困难情况最多 5000 字'),
});
export type HardshipCaseInput = z.infer<typeof HardshipCaseInput>;

export const HardshipVisitInput = z.strictObject({
  visitedOn: z.iso.date('走访日期须为 YYYY-MM-DD'),
  visitors: z.string().trim().min(1, '请填写走访人').max(200, '走访人最多 200 字'),
  help: z.string().trim().min(1, '请填写帮扶内容').max(500, '帮扶内容最多 500 字'),
  amountFen: z
    .number('金额须为数字')
    .int('金额以分计，须为整数')
    .min(0, '金额不能为负')
    .max(100_000_000, '金额过大')
    .default(0),
  note: z.string().trim().max(5000, '情况记录最多 5000 字').default(''),
});
export type HardshipVisitInput = z.infer<typeof HardshipVisitInput>;

/**
 * 复核 of a case: a new level and/or closing it (脱困, 结案) or taking it up again, with the reason. Kept in the case's
 * record list as an entry of its own (the reason sealed like a visit's note), so the history stays with the case.
 */
export const HardshipReviewInput = z
  .strictObject({
    level: z.enum(HARDSHIP_LEVELS, '困难程度须为 一般困难、比较困难 或 特别困难').optional(),
    status: z.enum(['open', 'closed'], '状态须为 帮扶中 或 已结案').optional(),
    reason: z.string().trim().min(4, '请填写复核情况（至少 4 字）').max(2000, '复核情况最多 2000 字'),
  })
  .refine((r) => r.level !== undefined || r.status !== undefined, {
    path: ['level'],
    message: '请选择新的困难程度或结案',
  });
export type HardshipReviewInput = z.infer<typeof HardshipReviewInput>;

/** A case in a list: no situation text. */
export const HardshipCaseBrief = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  level: z.enum(HARDSHIP_LEVELS),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  visits: z.number(),
  lastVisitOn: z.string().nullable(),
  amountFen: z.number(),
});
export type HardshipCaseBrief = z.infer<typeof HardshipCaseBrief>;

export const HardshipCaseDetail = HardshipCaseBrief.extend({ situation: z.string(), createdBy: z.string() });
export type HardshipCaseDetail = z.infer<typeof HardshipCaseDetail>;

export const HardshipVisit = z.object({
  id: z.string(),
  caseId: z.string(),
  visitedOn: z.string(),
  visitors: z.string(),
  help: z.string(),
  amountFen: z.number(),
  note: z.string(),
  createdBy: z.string(),
});
export type HardshipVisit = z.infer<typeof HardshipVisit>;

// ---- 困难帮扶 年度复核汇总

/**
 * The yearly review of hardship cases (年度复核): each open case is reviewed at least once a year — the situation
 * checked, the level adjusted or the case closed (动态管理). A common local practice; no national text is confirmed.
 */
export const HARDSHIP_REVIEW_RULE = {
  rule: '困难党员帮扶档案实行动态管理：在帮扶中的档案每年至少复核一次，核实困难情况，调整困难程度或结案',
  citation: '各地困难党员帮扶工作的通行做法（动态管理、定期复核）；本系统规则，待核实',
  confirmed: false,
} as const;

/** An open case without a review in the year (names, levels and dates only; never situation or visit text). */
export const HardshipNotReviewed = z.object({
  caseId: z.string(),
  memberName: z.string(),
  orgName: z.string(),
  level: z.enum(HARDSHIP_LEVELS),
  /** Beijing date the case was opened. */
  openedOn: z.string(),
  lastReviewOn: z.string().nullable(),
  lastVisitOn: z.string().nullable(),
});
export type HardshipNotReviewed = z.infer<typeof HardshipNotReviewed>;

/**
 * 年度复核汇总 of an org subtree and a Beijing year (HARDSHIP_KEEPERS only): the cases on record that year by level and
 * status, what was opened, reviewed and closed in the year, the visits and the help given, and the open cases not
 * reviewed in the year (paged). `note` says what each figure counts.
 */
export const HardshipSummary = z.object({
  orgId: z.string(),
  orgName: z.string(),
  year: z.number(),
  /** Cases on record in the year, and of them open / closed now. */
  cases: z.number(),
  open: z.number(),
  closed: z.number(),
  byLevel: z.array(z.object({ level: z.enum(HARDSHIP_LEVELS), open: z.number(), closed: z.number() })),
  /** Opened in the year; reviewed at least once in the year; closed by a review in the year. */
  opened: z.number(),
  reviewed: z.number(),
  closedInYear: z.number(),
  /** Visits in the year (review entries not counted), the members visited, the visits with money, the money in 分. */
  visits: z.number(),
  membersVisited: z.number(),
  visitsWithMoney: z.number(),
  amountFen: z.number(),
  /** Open cases without a review in the year, the most serious first. */
  notReviewed: z.object({ items: z.array(HardshipNotReviewed), total: z.number() }),
  note: z.string(),
});
export type HardshipSummary = z.infer<typeof HardshipSummary>;
