/** Member vocabulary (党员信息) shared by server validation, Excel import and the web forms. */
import { z } from 'zod';
import { parseIdCard } from './idcard';
import { todayInChina } from './clock';
import { addYears, fullYears } from './dates';

export const GENDERS = ['male', 'female'] as const;
export const GENDER_LABELS = { male: '男', female: '女' } as const;

export const MEMBER_STATUSES = ['probationary', 'full'] as const;
export const MEMBER_STATUS_LABELS = { probationary: '预备党员', full: '正式党员' } as const;

/** 党内统计 education bands. */
export const EDUCATIONS = ['研究生', '大学本科', '大学专科', '中专', '高中', '初中及以下'] as const;
/** 党内统计 occupation categories (DOMAIN.md). */
export const OCCUPATIONS = [
  '工人',
  '农牧渔民',
  '专业技术人员',
  '管理人员',
  '党政机关工作人员',
  '学生',
  '离退休',
  '其他',
] as const;

export const DUES_CATEGORIES = ['employed', 'retired', 'student', 'farmer', 'unemployed', 'other_low'] as const;
export const DUES_CATEGORY_LABELS = {
  employed: '在职',
  retired: '离退休',
  student: '学生',
  farmer: '农民',
  unemployed: '下岗失业',
  other_low: '低保/困难',
} as const;

/** 党内统计 age bands. */
export const AGE_BANDS = [
  { key: '≤30', max: 30 },
  { key: '31-35', max: 35 },
  { key: '36-40', max: 40 },
  { key: '41-45', max: 45 },
  { key: '46-50', max: 50 },
  { key: '51-55', max: 55 },
  { key: '56-60', max: 60 },
  { key: '≥61', max: 200 },
] as const;

const isoDate = (label: string) =>
  z.iso.date(`${label}须为 YYYY-MM-DD 格式的日期`).refine((d) => d <= todayInChina(), `${label}不能晚于今天`);

/** The fields of a member that callers provide; cross-field rules are checked in `memberProblems`. */
export const MemberInput = z.strictObject({
  orgId: z.uuid('所属组织编号不正确'),
  name: z.string().trim().min(1, '请填写姓名').max(50, '姓名不能超过 50 字'),
  gender: z.preprocess(
    (v) => (v === '男' ? 'male' : v === '女' ? 'female' : v),
    z.enum(GENDERS, '性别须为 male（男）或 female（女）'),
  ),
  birthDate: isoDate('出生日期'),
  idCardNo: z.string().trim().min(1, '请填写身份证号'),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '手机号须为 11 位中国大陆手机号'),
  joinedAt: isoDate('入党时间'),
  status: z.enum(MEMBER_STATUSES, '党员状态须为 probationary（预备党员）或 full（正式党员）'),
  fullAt: isoDate('转正时间').nullish(),
  ethnicity: z.string().trim().max(20).default('汉族'),
  education: z.enum(EDUCATIONS, `学历须为：${EDUCATIONS.join('、')}`).nullish(),
  occupation: z.enum(OCCUPATIONS, `人员类别须为：${OCCUPATIONS.join('、')}`).nullish(),
  jobTitle: z.string().trim().max(100).nullish(),
  duesCategory: z.enum(DUES_CATEGORIES).default('employed'),
});
export type MemberInput = z.infer<typeof MemberInput>;

/** Rules across fields: the ID number must be valid and agree with birth date and gender. */
export function memberProblems(m: MemberInput): { field: keyof MemberInput; message: string }[] {
  const out: { field: keyof MemberInput; message: string }[] = [];
  const id = parseIdCard(m.idCardNo);
  if (!id.ok) out.push({ field: 'idCardNo', message: id.message });
  else {
    if (id.info.birthDate !== m.birthDate)
      out.push({ field: 'birthDate', message: `出生日期与身份证号不一致（身份证为 ${id.info.birthDate}）` });
    if (id.info.gender !== m.gender)
      out.push({ field: 'gender', message: `性别与身份证号不一致（身份证为${GENDER_LABELS[id.info.gender]}）` });
  }
  const age18 = addYears(m.birthDate, 18);
  if (m.joinedAt < age18) out.push({ field: 'joinedAt', message: '入党时须年满 18 岁' });
  // Probation lasts one year from admission: conversion cannot come earlier.
  const oneYearOn = addYears(m.joinedAt, PROBATION_YEARS);
  if (m.status === 'full' && m.fullAt && m.fullAt < oneYearOn)
    out.push({ field: 'fullAt', message: `转正时间不能早于入党满一年（${oneYearOn}）` });
  if (m.status === 'probationary' && m.fullAt) out.push({ field: 'fullAt', message: '预备党员不应有转正时间' });
  return out;
}

export const Member = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  gender: z.enum(GENDERS),
  ethnicity: z.string(),
  birthDate: z.string(),
  age: z.number(),
  idCardNo: z.string(),
  phone: z.string(),
  joinedAt: z.string(),
  fullAt: z.string().nullable(),
  status: z.enum(MEMBER_STATUSES),
  /** 党龄 in whole years, counted from `partyAgeFrom`; null for a probationary member, who has none yet. */
  partyYears: z.number().nullable(),
  /** The day 党龄 counts from: the day probation ended and the member became full (党章第七条). */
  partyAgeFrom: z.string().nullable(),
  education: z.string().nullable(),
  occupation: z.string().nullable(),
  jobTitle: z.string().nullable(),
  duesCategory: z.enum(DUES_CATEGORIES),
  /** 政治生日: the anniversary of joining, MM-DD. */
  politicalBirthday: z.string(),
  flowing: z.boolean(),
  /** 停止党籍 since this day (失联); off the roll until restored or removed. */
  suspendedOn: z.string().nullable(),
  userId: z.string().nullable(),
});
export type Member = z.infer<typeof Member>;

/** 出党 reasons; the record stays, marked with the reason and date. */
export const EXIT_REASONS = ['death', 'withdrawal', 'removed', 'self_left', 'expelled', 'probation_cancelled'] as const;
export const EXIT_REASON_LABELS = {
  death: '去世',
  withdrawal: '退党',
  removed: '除名',
  self_left: '自行脱党',
  expelled: '开除党籍',
  /** Only a 预备党员 (党章 第七条); recorded through 发展党员 with the 支部大会 vote when the person came that way. */
  probation_cancelled: '取消预备党员资格',
} as const;

export const TRANSFER_STATUS_LABELS = {
  pending: '待接收',
  done: '已转入',
  rejected: '已退回',
  cancelled: '已撤销',
} as const;

/** 流动党员 with no contact for this many months are flagged 失联 (DOMAIN.md: 失联党员). */
export const LOST_CONTACT_MONTHS = 6;
/**
 * Reminders about 流动党员 (issue #17): the branch secretary is told when a flowing member has not been
 * contacted for `contactEveryMonths` (a regular contact is due), and again `lostWarnDays` days before the
 * 失联 mark, and when it is reached. The monthly cadence is common practice, not a national rule (unconfirmed).
 */
export const FLOW_CONTACT_RULE = {
  /** The interval of a branch that has not set one (the nearest org at or above a member's org that set one applies). */
  contactEveryMonths: 1,
  /**
   * The bounds a branch may set: at least monthly… and at most every 5 months, so that a regular contact is always
   * due (and reminded) before the 6 months of the 失联 mark — a longer interval would let the first reminder be the
   * 失联 one. This software's own bound, from LOST_CONTACT_MONTHS, not a number of a regulation.
   */
  minMonths: 1,
  maxMonths: 5,
  lostWarnDays: 30,
  citation:
    '流出地党组织应定期与流动党员联系（常见做法为每月至少一次，各地规定不一，未核实）；连续 6 个月失去联系的列为失联党员（DOMAIN.md：失联党员）',
  citationConfirmed: false,
} as const;
/**
 * 失联党员 → 停止党籍 → 恢复党籍 or 除名 (issue #13 item 9). 停止党籍 is not an exit: the record stays, the member is off the
 * roll (not invited, not billed, not counted, no vote) until restored or removed. Any member can be put on this path,
 * not only a registered 流动党员.
 */
export const LOST_CONTACT_RULE = {
  /** 失去联系 this long (from the last contact) and not found by searching → 停止党籍 may be decided. */
  suspendAfterMonths: LOST_CONTACT_MONTHS,
  /** 停止党籍 this long and still not in contact → 除名 is due. */
  removeAfterYears: 2,
  citation:
    '《中国共产党党员教育管理工作条例》（2019）：对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，经党支部研究、报上级党组织批准，停止其党籍；停止党籍2年后仍没有取得联系的，按照自行脱党予以除名。停止党籍后本人主动与党组织取得联系并要求恢复党籍的，经党支部审查、支部大会讨论、报上级党组织批准，可以恢复党籍（据转载文本概括，条号未能对照官方原文核实）',
  citationConfirmed: false,
  /**
   * This system's reading, not a written rule (unconfirmed): a member whose 党籍 is stopped neither has the rights nor
   * the duties of membership while it is stopped, so they are not invited, not billed for those months, not counted
   * in the roll figures (shown apart as 停止党籍) and not among those due to vote.
   */
  offRollReading: '停止党籍期间不参加组织生活、不交纳党费、不计入党员人数和应到会人数（本系统的理解，未找到成文规定）',
} as const;

export const LOST_STATUSES = ['lost', 'suspended', 'found', 'restored', 'removed', 'exited'] as const;
export const LOST_STATUS_LABELS = {
  lost: '失联（查找中）',
  suspended: '停止党籍',
  found: '已取得联系',
  restored: '已恢复党籍',
  removed: '已除名',
  exited: '已出党',
} as const satisfies Record<(typeof LOST_STATUSES)[number], string>;

const Day = z.iso.date('日期须为 YYYY-MM-DD');
/** 登记失联: when the branch last had contact and what happened. */
export const LostBody = z.strictObject({
  lastContactOn: Day,
  circumstances: z.string().trim().min(2, '请填写失联情况').max(500, '失联情况不超过 500 字'),
});
/** One search for a lost member (phone, visit, the unit, family, the 流入地 org…). */
export const LostSearchBody = z.strictObject({
  on: Day,
  how: z.string().trim().min(2, '请填写查找方式').max(200, '查找方式不超过 200 字'),
  result: z.string().trim().max(500, '查找结果不超过 500 字').default(''),
});
/** Contact regained before 停止党籍: the path ends, the member is on the roll as before. */
export const LostFoundBody = z.strictObject({ on: Day, note: z.string().trim().max(500).default('') });
/** 停止党籍: the branch decided (支委会/支部大会) and the org above approved. */
export const SuspendBody = z.strictObject({
  decidedOn: Day,
  approvedOn: Day,
  approvedBy: z.string().trim().min(2, '请填写批准的上级党组织').max(100),
});
/** 恢复党籍: the member came back; the 支部大会 discussed it and the org above approved. */
export const RestoreBody = z.strictObject({
  meetingOn: Day,
  approvedOn: Day,
  approvedBy: z.string().trim().min(2, '请填写批准的上级党组织').max(100),
  note: z.string().trim().min(2, '请填写本人说明的情况').max(500),
});
/** 除名 after two years of 停止党籍 without contact. */
export const LostRemoveBody = z.strictObject({
  decidedOn: Day,
  approvedOn: Day,
  approvedBy: z.string().trim().min(2, '请填写批准的上级党组织').max(100),
});
export const LostRecord = z.object({
  id: z.string(),
  memberId: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  status: z.enum(LOST_STATUSES),
  lastContactOn: z.string(),
  circumstances: z.string(),
  searches: z.array(z.object({ on: z.string(), how: z.string(), result: z.string() })),
  /** The first day 停止党籍 may be decided (last contact + 6 months). */
  suspendFrom: z.string(),
  suspendedOn: z.string().nullable(),
  /** The day 除名 becomes due (停止党籍 + 2 years), when suspended. */
  removeFrom: z.string().nullable(),
  decision: z.record(z.string(), z.string()).nullable(),
  endedOn: z.string().nullable(),
});
export type LostRecord = z.infer<typeof LostRecord>;

/**
 * 疑似失联 — this system's aid, not a written rule: members on the roll with no recorded activity for as long as
 * 失联 takes (their own use of the app, a meeting sign-in, dues paid in cash) are listed for the branch to check.
 * The branch decides; only 登记失联 starts the 失联 path (LOST_CONTACT_RULE).
 */
export const SUSPECTED_LOST_RULE = {
  afterMonths: LOST_CONTACT_MONTHS,
  reading:
    '系统内连续 6 个月没有本人活动记录（登录、签到、交纳党费、学习等）的党员列为“疑似失联”，供党支部核实；是否失联由党支部确认后登记（本系统的做法，非成文规定）',
  citation: LOST_CONTACT_RULE.citation,
  citationConfirmed: false,
} as const;

/** What counted as the member's last activity, in words (unknown actions: the general phrase). */
export const ACTIVITY_LABELS: Record<string, string> = {
  'auth.login': '登录系统',
  'meeting.checkin': '会议签到',
  'meeting.makeup': '补学',
  'meeting.reply': '回复会议通知',
  'dues.payment.order': '在线交纳党费',
  'dues.payment.offline': '交纳党费（线下）',
};
export const activityLabel = (action: string | null) =>
  action ? (ACTIVITY_LABELS[action] ?? '在系统中办理事项') : '无活动记录';

export const SuspectedLost = z.object({
  memberId: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  /** The last recorded activity (ISO time), null when none since the record was made. */
  lastActiveAt: z.string().nullable(),
  lastAction: z.string().nullable(),
  /** The day the silence is counted from: the last activity, or the day the record was made. */
  silentSince: z.string(),
});
export type SuspectedLost = z.infer<typeof SuspectedLost>;

/** Validity of an outgoing transfer letter in days; varies locally, so it is data. */
export const TRANSFER_LETTER_VALID_DAYS = 90;

export const MemberPatch = MemberInput.omit({ orgId: true }).partial();
export const TransferBody = z.discriminatedUnion('direction', [
  z.strictObject({
    direction: z.literal('internal'),
    toOrgId: z.uuid('接收组织编号不正确'),
    reason: z.string().trim().min(1, '请填写转接原因').max(200),
  }),
  z.strictObject({
    direction: z.literal('out'),
    destination: z.string().trim().min(2, '请填写转往的党组织').max(200),
    letterNo: z.string().trim().min(1, '请填写介绍信编号').max(50),
    reason: z.string().trim().min(1, '请填写转接原因').max(200),
  }),
]);
/**
 * 流动党员 are members away 6 months or more without moving their membership (issue #13 item 13): someone away for a
 * shorter time stays under the branch's normal care and is not registered as flowing.
 */
export const FLOW_RULE = {
  minMonthsAway: 6,
  citation:
    '中组部《关于加强和改进流动党员管理工作的意见》（2006）：外出 6 个月以上的党员为流动党员（据转载文本概括，未能对照官方原文核实）；DOMAIN.md：流动党员',
  citationConfirmed: false,
} as const;
export const FlowBody = z.strictObject({
  location: z.string().trim().min(1, '请填写流入地').max(200),
  since: z.iso.date('外出日期须为 YYYY-MM-DD'),
  /** When the member expects to be back: at least FLOW_RULE.minMonthsAway after `since`. */
  expectedUntil: z.iso.date('预计返回日期须为 YYYY-MM-DD'),
  contact: z.string().trim().max(100).default(''),
});
/**
 * 流动党员 taking part in the organizational life of the party organization where they are (issue #27): the home branch
 * (or an org above it) registers the 流入地党组织; its meetings invite the member, who signs in there like its own
 * members, and the attendance counts for the home branch too (where the membership is).
 */
export const FLOW_HOST_RULE = {
  citation:
    '中组部《关于加强和改进流动党员管理工作的意见》（2006）：流动党员实行“一方隶属、参加多重组织生活”，组织关系在流出地党组织，可在流入地党组织参加组织生活；《中国共产党党员教育管理工作条例》（2019）关于流动党员管理（流出地、流入地党组织共同做好教育管理）。据转载文本概括，条号未能对照官方原文核实',
  citationConfirmed: false,
} as const;
export const FlowHostBody = z.strictObject({
  /** The 流入地党组织 (a 党支部, 党总支 or 党小组 of this tenant, not the member's own); null removes it. */
  hostOrgId: z.uuid('流入地党组织编号不正确').nullable(),
});
/** 流动党员「向支部报到」 from the phone: where they are now (if it changed) and a short word; resets the 失联 clock. */
export const FlowCheckinBody = z.strictObject({
  location: z.string().trim().max(200, '所在地不能超过 200 字').optional(),
  note: z.string().trim().max(500, '近况不能超过 500 字').default(''),
});
/** A flowing member's own view (GET /me/flow): null when they are not a flowing member. */
export type MyFlow = {
  memberName: string;
  orgName: string;
  location: string;
  /** The 流入地党组织 whose organizational life they take part in (issue #27), when registered. */
  hostOrgName: string | null;
  since: string;
  expectedUntil: string | null;
  lastContactOn: string;
  /** When the next contact is due (the branch's contact interval after the last). */
  contactDueOn: string;
  /** When 6 months without contact are reached (the 失联 mark). */
  lostOn: string;
  /** Reported in (or contacted) today already. */
  today: boolean;
  rule: string;
  ruleConfirmed: boolean;
};
/** A branch's 流动党员 contact interval, as the 流动党员 page shows and sets it. */
export const FlowSettingsInput = z.strictObject({
  orgId: z.uuid('组织编号格式不正确'),
  contactEveryMonths: z
    .number('联系周期须为月数')
    .int('联系周期须为整月数')
    .min(FLOW_CONTACT_RULE.minMonths, `联系周期至少 ${FLOW_CONTACT_RULE.minMonths} 个月`)
    .max(
      FLOW_CONTACT_RULE.maxMonths,
      `联系周期最多 ${FLOW_CONTACT_RULE.maxMonths} 个月：须在满 6 个月未联系（失联）之前联系`,
    ),
});
export const FlowSettings = z.object({
  orgId: z.string(),
  contactEveryMonths: z.number(),
  /** Whether the org set it itself (false: inherited from the nearest org above, or the default). */
  own: z.boolean(),
  /** Where an inherited interval comes from (null: the default). */
  fromOrgName: z.string().nullable(),
  minMonths: z.number(),
  maxMonths: z.number(),
  rule: z.string(),
  ruleConfirmed: z.boolean(),
});
export type FlowSettings = z.infer<typeof FlowSettings>;
export const ExitBody = z.strictObject({
  reason: z.enum(EXIT_REASONS, '出党原因不正确'),
  date: z.iso.date('日期须为 YYYY-MM-DD'),
  note: z.string().trim().max(500).default(''),
});

export const PARTY_AGE_CITATION =
  '《中国共产党章程》第七条：预备党员的预备期为一年……党员的党龄，从预备期满转为正式党员之日算起';
/** Probation lasts one year from admission (党章第七条); an extension is recorded on the member. */
export const PROBATION_YEARS = 1;

/**
 * The day 党龄 counts from: 转正 (the end of probation, 党章第七条), never 入党. A probationary member
 * has no 党龄 yet (null). A full member recorded without 转正时间 (old records, imports) is counted
 * from the end of the ordinary one-year probation after 入党.
 */
export function partyAgeFrom(m: { status: string; joinedAt: string; fullAt: string | null }): string | null {
  if (m.status !== 'full') return null;
  return m.fullAt ?? addYears(m.joinedAt, PROBATION_YEARS);
}

/** 党龄 in whole years on `today`, or null for a probationary member. */
export function partyYears(
  m: { status: string; joinedAt: string; fullAt: string | null },
  today: string,
): number | null {
  const from = partyAgeFrom(m);
  return from === null ? null : Math.max(0, fullYears(from, today));
}

/** 党龄 as the pages show it: "9 年", or that a probationary member has none yet. */
export const partyAgeText = (m: { partyYears: number | null }): string =>
  m.partyYears === null ? '预备期内，尚不计党龄' : `${m.partyYears} 年`;

/** The statistics key for members who have no 党龄 yet. */
export const PARTY_AGE_NONE = '预备党员';

/** 党龄 bands for statistics (whole years since 转正; probationary members are counted apart as `PARTY_AGE_NONE`). */
export const PARTY_AGE_BANDS = [
  { key: '5年以下', max: 4 },
  { key: '5-9年', max: 9 },
  { key: '10-19年', max: 19 },
  { key: '20-29年', max: 29 },
  { key: '30-39年', max: 39 },
  { key: '40-49年', max: 49 },
  { key: '50年及以上', max: 200 },
] as const;

export const MemberStats = z.object({
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
  byGender: z.record(z.string(), z.number()),
  byEthnicity: z.record(z.string(), z.number()),
  byAgeBand: z.record(z.string(), z.number()),
  byEducation: z.record(z.string(), z.number()),
  byOccupation: z.record(z.string(), z.number()),
  byPartyAgeBand: z.record(z.string(), z.number()),
  /** Members whose 党籍 is stopped (失联): not in `total` or any band (LOST_CONTACT_RULE.offRollReading). */
  suspended: z.number(),
  /** When these numbers were counted (ISO time): a large subtree may be answered from the last count while it is recounted. */
  asOf: z.string(),
});
export type MemberStats = z.infer<typeof MemberStats>;
