/**
 * 发展党员 (developing new members): the 5 stages and 25 steps as data, the time rules with
 * their citations, and the rule checks both the server (enforcing) and the web (explaining) use.
 *
 * Source: 《中国共产党发展党员工作细则》(中办发〔2014〕33号, "细则" below) and the Party
 * Constitution (党章). Rows marked `local` are widespread local rules (公示), not national ones;
 * their numbers are settings here. A rule change is a change of one row or one constant.
 * Article numbers were checked against published full texts of the 2014 细则; 第二十三条 (talk
 * before approval) and 第二十五条 (approval within three months) follow the article order but
 * no source at hand quoted them by number.
 */
import { z } from 'zod';
import { BUILTIN_CALENDAR, estimatedYears, estimateWarning, workingDaysEnd, type WorkCalendar } from './calendar';
import { addDays, addMonths, addYears, daysBetween } from './dates';

const XZ = '《中国共产党发展党员工作细则》';
const DZ = '《中国共产党章程》';

export const DEVELOP_STAGES = [
  { no: 1, key: 'apply', label: '申请入党', short: '申请入党' },
  { no: 2, key: 'activist', label: '入党积极分子的确定和培养教育', short: '积极分子培养' },
  { no: 3, key: 'candidate', label: '发展对象的确定和考察', short: '发展对象考察' },
  { no: 4, key: 'admission', label: '预备党员的接收', short: '预备党员接收' },
  { no: 5, key: 'probation', label: '预备党员的教育考察和转正', short: '教育考察转正' },
] as const;

/** Where a person stands; derived from the last completed step. */
export const DEVELOP_STATUSES = ['applicant', 'activist', 'candidate', 'probationary', 'full'] as const;
export type DevelopStatus = (typeof DEVELOP_STATUSES)[number];
export const DEVELOP_STATUS_LABELS: Record<DevelopStatus, string> = {
  applicant: '入党申请人',
  activist: '入党积极分子',
  candidate: '发展对象',
  probationary: '预备党员',
  full: '正式党员',
};

/** Extra fields a step's form asks for (beyond date, responsible, notes, documents). */
export type StepField =
  'contacts' | 'sponsors' | 'review' | 'training' | 'notice' | 'vote' | 'leaving' | 'approval' | 'group';

export type DevelopStep = {
  no: number;
  stage: 1 | 2 | 3 | 4 | 5;
  key: string;
  name: string;
  /** Who normally does it: prefilled as the responsible person/body. */
  responsible: string;
  /** Steps that must be completed first (the pipeline is strictly in order). */
  prerequisites: readonly number[];
  documents: readonly string[];
  fields: readonly StepField[];
  /** The rule in one sentence, shown above the step's form. */
  rule: string;
  citation: string;
  /** Status the person has once this step is done. */
  becomes?: DevelopStatus;
};

const step = (s: Omit<DevelopStep, 'prerequisites'>): DevelopStep => ({
  ...s,
  prerequisites: s.no > 1 ? [s.no - 1] : [],
});

/** The 25 steps (发展党员工作流程), in order. */
export const DEVELOP_STEPS: readonly DevelopStep[] = [
  step({
    no: 1,
    stage: 1,
    key: 'application',
    name: '递交入党申请书',
    responsible: '入党申请人',
    documents: ['入党申请书'],
    fields: [],
    rule: '年满十八岁方可申请入党；向工作、学习所在单位党组织提出申请',
    citation: `${XZ}第五条、第六条`,
    becomes: 'applicant',
  }),
  step({
    no: 2,
    stage: 1,
    key: 'talk',
    name: '党组织派人谈话',
    responsible: '党支部',
    documents: ['谈话记录'],
    fields: [],
    rule: '党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话',
    citation: `${XZ}第七条`,
  }),
  step({
    no: 3,
    stage: 2,
    key: 'activist',
    name: '推荐和确定入党积极分子',
    responsible: '支部委员会',
    documents: ['党员推荐/团组织推优材料', '支委会会议记录'],
    fields: [],
    rule: '采取党员推荐、群团组织推优等方式产生人选，由支部委员会研究决定',
    citation: `${XZ}第八条`,
    becomes: 'activist',
  }),
  step({
    no: 4,
    stage: 2,
    key: 'activist_filing',
    name: '上级党委备案',
    responsible: '基层党委',
    documents: ['入党积极分子备案表'],
    fields: [],
    rule: '确定的入党积极分子报上级党委备案',
    citation: `${XZ}第八条`,
  }),
  step({
    no: 5,
    stage: 2,
    key: 'contacts',
    name: '指定培养联系人',
    responsible: '党支部',
    documents: [],
    fields: ['contacts'],
    rule: '党组织应当指定一至两名正式党员作入党积极分子的培养联系人',
    citation: `${XZ}第九条`,
  }),
  step({
    no: 6,
    stage: 2,
    key: 'education',
    name: '培养教育考察',
    responsible: '党支部、培养联系人',
    documents: ['入党积极分子培养教育考察登记表'],
    fields: [],
    rule: '党支部每半年对入党积极分子进行一次考察（从确定为积极分子起，每次考察间隔不超过 6 个月）',
    citation: `${XZ}第十条、第十一条`,
  }),
  step({
    no: 7,
    stage: 3,
    key: 'candidate',
    name: '确定发展对象',
    responsible: '支部委员会',
    documents: ['征求意见情况', '支委会会议记录'],
    fields: [],
    rule: '经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，听取各方意见后由支部委员会讨论同意，可列为发展对象',
    citation: `${XZ}第十三条`,
    becomes: 'candidate',
  }),
  step({
    no: 8,
    stage: 3,
    key: 'candidate_filing',
    name: '报上级党委备案',
    responsible: '基层党委',
    documents: ['发展对象备案表'],
    fields: [],
    rule: '确定的发展对象报上级党委备案',
    citation: `${XZ}第十三条`,
  }),
  step({
    no: 9,
    stage: 3,
    key: 'sponsors',
    name: '确定入党介绍人',
    responsible: '党支部',
    documents: [],
    fields: ['sponsors'],
    rule: '发展对象应当有两名正式党员作入党介绍人（预备党员不能作入党介绍人）',
    citation: `${XZ}第十四条；${DZ}第五条`,
  }),
  step({
    no: 10,
    stage: 3,
    key: 'political_review',
    name: '进行政治审查',
    responsible: '党支部',
    documents: ['政治审查材料（结论性材料）'],
    fields: ['review'],
    rule: '党组织必须对发展对象进行政治审查；未经政治审查或者政治审查不合格的，不能发展入党',
    citation: `${XZ}第十六条`,
  }),
  step({
    no: 11,
    stage: 3,
    key: 'training',
    name: '开展集中培训',
    responsible: '基层党委',
    documents: ['培训结业证书'],
    fields: ['training'],
    rule: '对发展对象进行短期集中培训，时间一般不少于三天（或不少于二十四个学时）',
    citation: `${XZ}第十七条`,
  }),
  step({
    no: 12,
    stage: 4,
    key: 'committee_review',
    name: '支部委员会审查',
    responsible: '支部委员会',
    documents: ['支委会审查意见', '公示材料'],
    fields: ['notice'],
    rule: '支部委员会对发展对象进行严格审查，集体讨论认为合格后报基层党委预审；审查后对拟发展对象进行公示（公示期按工作日计）',
    citation: `${XZ}第十九条；公示为各地通行做法`,
  }),
  step({
    no: 13,
    stage: 4,
    key: 'pre_review',
    name: '上级党委预审',
    responsible: '基层党委',
    documents: ['预审意见'],
    fields: [],
    rule: '基层党委对发展对象进行预审，公示期满无异议后方可预审；审查合格的发放《入党志愿书》',
    citation: `${XZ}第十九条；公示为各地通行做法`,
  }),
  step({
    no: 14,
    stage: 4,
    key: 'volunteer_form',
    name: '填写入党志愿书',
    responsible: '发展对象',
    documents: ['入党志愿书'],
    fields: [],
    rule: '预审合格的发展对象在入党介绍人指导下如实填写《入党志愿书》',
    citation: `${XZ}第十五条、第十九条`,
  }),
  step({
    no: 15,
    stage: 4,
    key: 'branch_vote',
    name: '支部大会讨论',
    responsible: '党支部',
    documents: ['支部大会会议记录', '表决票'],
    fields: ['vote', 'leaving'],
    rule: '有表决权的到会人数须超过应到会有表决权人数的半数；赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员的决议（会前书面意见计入票数）',
    citation: `${XZ}第二十条、第二十一条`,
  }),
  step({
    no: 16,
    stage: 4,
    key: 'upper_talk',
    name: '上级党委派人谈话',
    responsible: '基层党委（党委委员或组织员）',
    documents: ['谈话记录'],
    fields: [],
    rule: '基层党委审批前，应当指派党委委员或组织员同发展对象谈话',
    citation: `${XZ}第二十三条；${DZ}第五条`,
  }),
  step({
    no: 17,
    stage: 4,
    key: 'approval',
    name: '上级党委审批',
    responsible: '基层党委',
    documents: ['审批意见', '入党志愿书'],
    fields: ['approval'],
    rule: '基层党委对接收预备党员的决议应当在三个月内审批；如遇特殊情况可适当延长审批时间，但不得超过六个月。批准后即为预备党员，预备期从支部大会通过之日算起',
    citation: `${XZ}第二十五条`,
    becomes: 'probationary',
  }),
  step({
    no: 18,
    stage: 4,
    key: 'upper_filing',
    name: '再上级党委组织部门备案',
    responsible: '基层党委',
    documents: ['备案材料'],
    fields: [],
    rule: '基层党委审批后报上级党委组织部门备案',
    citation: `${XZ}第二十五条`,
  }),
  step({
    no: 19,
    stage: 5,
    key: 'placement',
    name: '编入党支部和党小组',
    responsible: '党支部',
    documents: [],
    fields: ['group'],
    rule: '党组织应当及时将上级党委批准的预备党员编入党支部和党小组',
    citation: `${XZ}第二十九条`,
  }),
  step({
    no: 20,
    stage: 5,
    key: 'oath',
    name: '入党宣誓',
    responsible: '基层党委或党支部',
    documents: ['宣誓照片'],
    fields: [],
    rule: '预备党员必须面向党旗进行入党宣誓',
    citation: `${DZ}第六条；${XZ}第三十条`,
  }),
  step({
    no: 21,
    stage: 5,
    key: 'continued_education',
    name: '继续教育考察',
    responsible: '党支部、入党介绍人',
    documents: ['预备党员考察登记表'],
    fields: [],
    rule: '党组织对预备党员应当认真教育和考察',
    citation: `${DZ}第七条；${XZ}第三十一条`,
  }),
  step({
    no: 22,
    stage: 5,
    key: 'conversion_application',
    name: '提出转正申请',
    responsible: '预备党员',
    documents: ['转正申请书', '公示材料'],
    fields: ['notice'],
    rule: '预备期满时本人向党支部提出书面转正申请；党支部对拟转正人选进行公示（公示期按工作日计）',
    citation: `${XZ}第三十三条；公示为各地通行做法`,
  }),
  step({
    no: 23,
    stage: 5,
    key: 'conversion_vote',
    name: '支部大会讨论转正',
    responsible: '党支部',
    documents: ['支部大会会议记录', '表决票'],
    fields: ['vote'],
    rule: '预备期为一年，从支部大会通过之日算起，期满方可讨论转正；到会人数、赞成人数要求与接收预备党员的支部大会相同',
    citation: `${DZ}第七条；${XZ}第三十二条、第三十三条`,
  }),
  step({
    no: 24,
    stage: 5,
    key: 'conversion_approval',
    name: '上级党委审批转正',
    responsible: '基层党委',
    documents: ['审批意见'],
    fields: [],
    rule: '党委对党支部上报的预备党员转正的决议，应当在三个月内审批；党龄从预备期满转为正式党员之日算起',
    citation: `${XZ}第三十四条`,
    becomes: 'full',
  }),
  step({
    no: 25,
    stage: 5,
    key: 'archive',
    name: '材料归档',
    responsible: '党支部、基层党委',
    documents: ['入党志愿书、入党申请书、政治审查材料、转正申请书和培养教育考察材料'],
    fields: [],
    rule: '预备党员转正后，党支部应当及时将入党志愿书、入党申请书、政治审查材料、转正申请书和培养教育考察材料交党委存入本人人事档案；无人事档案的，建立党员档案',
    citation: `${XZ}第三十七条`,
  }),
];

export const STEP_COUNT = DEVELOP_STEPS.length;
export const stepOf = (no: number): DevelopStep | undefined => DEVELOP_STEPS.find((s) => s.no === no);

/** The numbers of the time rules, one place. */
export const DEVELOP_RULES = {
  minAge: 18,
  talkWithinMonths: 1,
  activistMinYears: 1,
  assessmentEveryMonths: 6,
  minAssessments: 2,
  trainingMinDays: 3,
  trainingMinHours: 24,
  /** 公示 length in working days: a local rule, commonly 5. */
  noticeWorkingDays: 5,
  approvalMonths: 3,
  approvalMonthsSpecial: 6,
  probationYears: 1,
  /** 延长预备期: once, at least half a year, at most a year (细则 第三十二条). */
  extensionMinMonths: 6,
  extensionMaxMonths: 12,
  /** A 发展对象 who will leave their unit within this many months is generally not admitted (see RULE_CITATIONS.leaving). */
  leavingWithinMonths: 3,
  /** How far ahead the board and the to-do list warn. */
  upcomingDays: 30,
} as const;

export const RULE_CITATIONS = {
  age: `${XZ}第五条；${DZ}第一条`,
  talk: `${XZ}第七条`,
  assessment: `${XZ}第十一条`,
  activistYear: `${XZ}第十三条`,
  contacts: `${XZ}第九条`,
  sponsors: `${XZ}第十四条；${DZ}第五条`,
  review: `${XZ}第十六条`,
  training: `${XZ}第十七条`,
  notice: '发展党员公示制度（各地通行做法，公示期一般为 5 个工作日）',
  quorum: `${XZ}第二十条`,
  vote: `${XZ}第二十一条`,
  approval: `${XZ}第二十五条`,
  /** Found only in secondary texts (organisation departments' guides), which do not name the document or article. */
  leaving:
    '中央组织部有关发展党员工作的规定：发展对象未来三个月内将离开工作、学习单位的，一般不办理接收预备党员的手续（据转载文本，出处文件与条款未能核实）',
  probation: `${XZ}第三十二条；${DZ}第七条`,
  /** 延长预备期 / 取消预备党员资格: 细则 第三十二条 as quoted by secondary texts (the official text was not opened). */
  probationDecision: `${XZ}第三十二条（需要继续考察和教育的，可以延长一次预备期，延长时间不能少于半年，最长不超过一年；不履行党员义务、不具备党员条件的，应当取消其预备党员资格；条号与条文据转载文本，未能对照官方原文核实）；${DZ}第七条（延长预备期或取消预备党员资格，都应当经支部大会讨论通过和上级党组织批准）`,
  conversionApproval: `${XZ}第三十四条`,
  plan: `${XZ}第三条（有领导、有计划地进行）`,
  order: '发展党员工作流程（须按程序逐步进行）',
} as const;

// ---- dates (ISO strings, China calendar days) ---------------------------------------------

/**
 * The last day of a 公示 of `days` working days starting on `from` (counted when it is a working day),
 * on the tenant's working-day calendar (calendar.ts: the built-in years and those an administrator entered).
 */
export function noticeEnd(
  from: string,
  days: number = DEVELOP_RULES.noticeWorkingDays,
  calendar: WorkCalendar = BUILTIN_CALENDAR,
): string {
  return workingDaysEnd(from, days, calendar);
}

// ---- wire shapes ---------------------------------------------------------------------------

const isoDate = (label: string) => z.iso.date(`${label}须为 YYYY-MM-DD 格式的日期`);

export const VoteInput = z.strictObject({
  /** 应到会有表决权的正式党员 */
  entitled: z.number().int().min(1, '应到会人数至少为 1').max(10000),
  /** 实到会有表决权的正式党员 */
  present: z.number().int().min(0).max(10000),
  /** 因故未到会、会前提交书面意见的正式党员 */
  written: z.number().int().min(0).max(10000).default(0),
  for: z.number().int().min(0).max(10000),
  against: z.number().int().min(0).max(10000),
  abstain: z.number().int().min(0).max(10000),
});
export type VoteInput = z.infer<typeof VoteInput>;

export const StepDetails = z
  .strictObject({
    contactIds: z.array(z.uuid('培养联系人编号不正确')).max(5),
    sponsorIds: z.array(z.uuid('入党介绍人编号不正确')).max(5),
    reviewConclusion: z.enum(['合格', '不合格'], '政审结论须为“合格”或“不合格”'),
    trainingDays: z.number().min(0).max(365),
    trainingHours: z.number().min(0).max(10000),
    noticeFrom: isoDate('公示开始日期'),
    vote: VoteInput,
    special: z.boolean(),
    specialReason: z.string().trim().max(200),
    groupName: z.string().trim().max(50),
    /** 预计离开工作、学习单位的日期, asked at the admission meeting (step 15). */
    leavingOn: isoDate('预计离开本单位日期'),
  })
  .partial();
export type StepDetails = z.infer<typeof StepDetails>;

export const StepInput = z.strictObject({
  step: z.number().int().min(1).max(25, '步骤编号须为 1–25'),
  date: isoDate('日期'),
  responsible: z.string().trim().min(1, '请填写责任人或责任组织').max(100),
  notes: z.string().trim().max(2000).default(''),
  details: StepDetails.default({}),
  /** An org admin's explicit decision to proceed despite a time rule, with the reason. */
  override: z
    .strictObject({ reason: z.string().trim().min(5, '越权通过须写明理由（至少 5 个字）').max(500) })
    .optional(),
});
export type StepInput = z.infer<typeof StepInput>;

export const PersonInput = z.strictObject({
  orgId: z.uuid('所属党支部编号不正确'),
  name: z.string().trim().min(1, '请填写姓名').max(50, '姓名不能超过 50 字'),
  idCardNo: z.string().trim().min(1, '请填写身份证号').max(18, '身份证号须为 18 位'),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '手机号须为 11 位中国大陆手机号'),
  ethnicity: z.string().trim().max(20).default('汉族'),
  education: z.string().trim().max(20).nullish(),
  occupation: z.string().trim().max(20).nullish(),
  jobTitle: z.string().trim().max(100).nullish(),
  /** Date the written application was received (step 1). */
  appliedAt: isoDate('申请日期'),
  responsible: z.string().trim().max(100).default('入党申请人'),
  notes: z.string().trim().max(2000).default(''),
});
export type PersonInput = z.infer<typeof PersonInput>;

export const AssessmentInput = z.strictObject({
  on: isoDate('考察日期'),
  assessor: z.string().trim().min(1, '请填写考察人').max(100),
  summary: z.string().trim().min(1, '请填写考察意见').max(2000),
});

export const PlanInput = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  quota: z.number().int().min(0, '名额不能为负').max(100000),
});

/**
 * 延长预备期 / 取消预备党员资格: decided by a 支部大会 (same quorum and majority as admission) and approved by
 * the party committee above (党章 第七条); the secretary records both, like the steps' approvals.
 */
export const PROBATION_DECISIONS = ['extend', 'cancel'] as const;
export type ProbationDecisionKind = (typeof PROBATION_DECISIONS)[number];
export const PROBATION_DECISION_LABELS: Record<ProbationDecisionKind, string> = {
  extend: '延长预备期',
  cancel: '取消预备党员资格',
};
const decisionCommon = {
  /** The 支部大会 that passed the resolution. */
  meetingOn: isoDate('支部大会日期'),
  vote: VoteInput,
  /** The day the party committee above approved it. */
  approvedOn: isoDate('上级党委批准日期'),
  reason: z.string().trim().min(2, '请填写理由（至少 2 个字）').max(500, '理由不能超过 500 字'),
};
export const ProbationDecisionInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('extend'),
      months: z
        .number('请填写延长的月数')
        .int('延长月数须为整数')
        .min(DEVELOP_RULES.extensionMinMonths, '延长预备期不能少于半年（6 个月）')
        .max(DEVELOP_RULES.extensionMaxMonths, '延长预备期最长不超过一年（12 个月）'),
      ...decisionCommon,
    }),
    z.strictObject({ kind: z.literal('cancel'), ...decisionCommon }),
  ],
  '决定类型须为延长预备期或取消预备党员资格',
);
export type ProbationDecisionInput = z.infer<typeof ProbationDecisionInput>;

export const ProbationDecision = z.object({
  kind: z.enum(PROBATION_DECISIONS),
  months: z.number().nullable(),
  meetingOn: z.string(),
  vote: z.record(z.string(), z.number()),
  approvedOn: z.string(),
  reason: z.string(),
  recordedBy: z.string(),
});
export type ProbationDecision = z.infer<typeof ProbationDecision>;

export type Violation = { rule: string; message: string; citation: string; overridable: boolean };

export const ViolationShape = z.object({
  rule: z.string(),
  message: z.string(),
  citation: z.string(),
  overridable: z.boolean(),
});

export const StepRecord = z.object({
  step: z.number(),
  name: z.string(),
  date: z.string(),
  responsible: z.string(),
  notes: z.string(),
  details: z.record(z.string(), z.unknown()),
  override: z.object({ reason: z.string(), by: z.string(), violations: z.array(ViolationShape) }).nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const DevelopFile = z.object({
  id: z.string(),
  step: z.number(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  createdAt: z.string(),
});
export type DevelopFile = z.infer<typeof DevelopFile>;

export const Deadline = z.object({
  personId: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  status: z.enum(DEVELOP_STATUSES),
  what: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  days: z.number(),
  citation: z.string(),
});
export type Deadline = z.infer<typeof Deadline>;

export const DevelopPerson = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  gender: z.enum(['male', 'female']),
  birthDate: z.string(),
  age: z.number(),
  ethnicity: z.string(),
  education: z.string().nullable(),
  occupation: z.string().nullable(),
  jobTitle: z.string().nullable(),
  idCardNo: z.string(),
  phone: z.string(),
  status: z.enum(DEVELOP_STATUSES),
  lastStep: z.number(),
  appliedAt: z.string(),
  memberId: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
  nextStep: z.number().nullable(),
  nextDue: Deadline.nullable(),
});
export type DevelopPerson = z.infer<typeof DevelopPerson>;

export const Assessment = z.object({ id: z.string(), on: z.string(), assessor: z.string(), summary: z.string() });
export type Assessment = z.infer<typeof Assessment>;

export const DevelopPersonDetail = DevelopPerson.extend({
  steps: z.array(StepRecord),
  assessments: z.array(Assessment),
  files: z.array(DevelopFile),
  sponsors: z.array(z.object({ id: z.string(), name: z.string() })),
  contacts: z.array(z.object({ id: z.string(), name: z.string() })),
  deadlines: z.array(Deadline),
  /**
   * The 公示 periods recorded (steps 12 and 22), their last day counted on the tenant's working-day calendar;
   * `warning` says which years had no holiday data and were estimated.
   */
  notices: z.array(z.object({ step: z.number(), from: z.string(), to: z.string(), warning: z.string().nullable() })),
  /** 延长预备期 / 取消预备党员资格 recorded for this person. */
  probationDecisions: z.array(ProbationDecision),
  /** The last day of probation (extended when an extension was approved); null before admission. */
  probationEndsOn: z.string().nullable(),
});
export type DevelopPersonDetail = z.infer<typeof DevelopPersonDetail>;

export const PlanUsage = z.object({
  orgId: z.string(),
  orgName: z.string(),
  year: z.number(),
  quota: z.number(),
  used: z.number(),
});
export type PlanUsage = z.infer<typeof PlanUsage>;

export const DevelopBoard = z.object({
  orgId: z.string(),
  orgName: z.string(),
  year: z.number(),
  counts: z.record(z.enum(DEVELOP_STATUSES), z.number()),
  admittedThisYear: z.number(),
  convertedThisYear: z.number(),
  plan: PlanUsage.nullable(),
  plans: z.array(PlanUsage),
  overdue: z.array(Deadline),
  upcoming: z.array(Deadline),
});
export type DevelopBoard = z.infer<typeof DevelopBoard>;

// ---- the rules ------------------------------------------------------------------------------

export type StepFacts = { date: string; details: StepDetails };

/** Everything the pure checks need about one person; member lookups are done by the server. */
export type RuleContext = {
  birthDate: string;
  steps: ReadonlyMap<number, StepFacts>;
  assessments: readonly string[];
  today: string;
  noticeWorkingDays?: number;
  /** The tenant's working-day calendar (for 公示 periods); the built-in years when absent. */
  calendar?: WorkCalendar;
  /** Months of an approved 延长预备期, if any. */
  extensionMonths?: number | undefined;
};

const v = (rule: string, message: string, citation: string, overridable: boolean): Violation => ({
  rule,
  message,
  citation,
  overridable,
});

/** Vote rules shared by admission (15) and conversion (23). Returns hard violations only. */
export function checkVote(vote: VoteInput): Violation[] {
  const out: Violation[] = [];
  const cast = vote.for + vote.against + vote.abstain;
  if (vote.present > vote.entitled)
    out.push(
      v(
        'vote_present',
        `实到会人数（${vote.present}）不能超过应到会有表决权人数（${vote.entitled}）`,
        RULE_CITATIONS.vote,
        false,
      ),
    );
  if (vote.present + vote.written > vote.entitled)
    out.push(
      v(
        'vote_written',
        `实到会人数与书面意见人数之和（${vote.present + vote.written}）不能超过应到会有表决权人数（${vote.entitled}）`,
        RULE_CITATIONS.vote,
        false,
      ),
    );
  if (cast > vote.present + vote.written)
    out.push(
      v(
        'vote_count',
        `票数多于投票人数：赞成、反对、弃权共 ${cast} 票，但实到会 ${vote.present} 人、书面意见 ${vote.written} 人`,
        RULE_CITATIONS.vote,
        false,
      ),
    );
  if (out.length) return out;
  if (vote.present * 2 <= vote.entitled)
    out.push(
      v(
        'vote_quorum',
        `会议无效：有表决权的到会人数（${vote.present}）未超过应到会有表决权人数（${vote.entitled}）的半数`,
        RULE_CITATIONS.quorum,
        false,
      ),
    );
  else if (vote.for * 2 <= vote.entitled)
    out.push(
      v(
        'vote_majority',
        `表决未通过：赞成 ${vote.for} 票，未超过应到会有表决权的正式党员（${vote.entitled} 人）的半数`,
        RULE_CITATIONS.vote,
        false,
      ),
    );
  return out;
}

/**
 * The checks of one step against the person's record: order, dates, and the time rules.
 * Hard violations (order, impossible dates, bad votes) cannot be overridden; time rules can,
 * by an org admin with a written reason.
 */
export function checkStep(ctx: RuleContext, no: number, date: string, details: StepDetails): Violation[] {
  const out: Violation[] = [];
  const def = stepOf(no);
  if (!def) return [v('order', `没有第 ${no} 步`, RULE_CITATIONS.order, false)];
  const at = (n: number) => ctx.steps.get(n);
  if (at(no)) return [v('order', `第 ${no} 步「${def.name}」已经办理，记录不可重复`, RULE_CITATIONS.order, false)];
  for (const p of def.prerequisites)
    if (!at(p))
      return [
        v(
          'order',
          `须先完成第 ${p} 步「${stepOf(p)!.name}」，才能办理第 ${no} 步「${def.name}」`,
          RULE_CITATIONS.order,
          false,
        ),
      ];
  if (date > ctx.today)
    out.push(v('future', `日期 ${date} 晚于今天，不能登记尚未发生的事项`, RULE_CITATIONS.order, false));
  const prev = at(no - 1);
  if (prev && date < prev.date)
    out.push(
      v(
        'before_previous',
        `日期 ${date} 早于上一步「${stepOf(no - 1)!.name}」的日期 ${prev.date}`,
        RULE_CITATIONS.order,
        false,
      ),
    );
  const R = DEVELOP_RULES;

  switch (no) {
    case 1: {
      const adult = addYears(ctx.birthDate, R.minAge);
      if (date < adult)
        out.push(
          v(
            'age',
            `申请入党须年满 ${R.minAge} 岁：出生于 ${ctx.birthDate}，${adult} 才满 ${R.minAge} 岁`,
            RULE_CITATIONS.age,
            false,
          ),
        );
      break;
    }
    case 2: {
      const due = addMonths(at(1)!.date, R.talkWithinMonths);
      if (date > due)
        out.push(
          v(
            'talk_within_month',
            `党组织应在收到入党申请书后一个月内（${due} 前）派人谈话，实际 ${date}`,
            RULE_CITATIONS.talk,
            true,
          ),
        );
      break;
    }
    case 6: {
      const start = at(3)!.date;
      const dates = [...ctx.assessments].filter((d) => d >= start && d <= date).sort();
      if (dates.length < R.minAssessments)
        out.push(
          v(
            'assessment_count',
            `培养教育考察期间应每半年考察一次，至少 ${R.minAssessments} 次考察记录，现有 ${dates.length} 次`,
            RULE_CITATIONS.assessment,
            true,
          ),
        );
      let from = start;
      for (const d of dates) {
        if (d > addMonths(from, R.assessmentEveryMonths)) {
          out.push(
            v(
              'assessment_gap',
              `考察间隔超过半年：${from} 之后的下一次考察在 ${d}（应在 ${addMonths(from, R.assessmentEveryMonths)} 前）`,
              RULE_CITATIONS.assessment,
              true,
            ),
          );
          break;
        }
        from = d;
      }
      break;
    }
    case 7: {
      // Half-yearly assessments go on after step 6 for as long as the person is an activist (细则第十一条).
      const last = [at(6)!.date, ...ctx.assessments]
        .filter((d) => d <= date)
        .sort()
        .at(-1)!;
      const due = addMonths(last, R.assessmentEveryMonths);
      if (date > due)
        out.push(
          v(
            'assessment_gap',
            `入党积极分子须每半年考察一次：上次考察在 ${last}，${due} 前应再考察一次，才能列为发展对象`,
            RULE_CITATIONS.assessment,
            true,
          ),
        );
      const activistOn = at(3)!.date;
      const eligible = addYears(activistOn, R.activistMinYears);
      if (date < eligible)
        out.push(
          v(
            'activist_one_year',
            `入党积极分子须经过一年以上培养教育和考察：${activistOn} 确定为积极分子，${eligible} 起方可列为发展对象（还差 ${daysBetween(date, eligible)} 天）`,
            RULE_CITATIONS.activistYear,
            true,
          ),
        );
      break;
    }
    case 9: {
      const ids = details.sponsorIds ?? [];
      if (ids.length !== 2 || new Set(ids).size !== 2)
        out.push(v('sponsors_two', '须确定两名不同的正式党员作入党介绍人', RULE_CITATIONS.sponsors, false));
      break;
    }
    case 5: {
      const ids = details.contactIds ?? [];
      if (ids.length < 1 || ids.length > 2 || new Set(ids).size !== ids.length)
        out.push(v('contacts', '须指定一至两名正式党员作培养联系人', RULE_CITATIONS.contacts, false));
      break;
    }
    case 10:
      if (!details.reviewConclusion) out.push(v('review', '请填写政治审查结论', RULE_CITATIONS.review, false));
      else if (details.reviewConclusion !== '合格')
        out.push(v('review', '政治审查不合格的，不能发展入党', RULE_CITATIONS.review, false));
      break;
    case 11: {
      const days = details.trainingDays ?? 0;
      const hours = details.trainingHours ?? 0;
      if (days < R.trainingMinDays && hours < R.trainingMinHours)
        out.push(
          v(
            'training',
            `集中培训一般不少于 ${R.trainingMinDays} 天或 ${R.trainingMinHours} 个学时，登记为 ${days} 天、${hours} 学时`,
            RULE_CITATIONS.training,
            true,
          ),
        );
      break;
    }
    case 12:
    case 22: {
      if (!details.noticeFrom) out.push(v('notice', '请填写公示开始日期', RULE_CITATIONS.notice, false));
      else {
        if (details.noticeFrom < date)
          out.push(
            v(
              'notice',
              `公示开始日期（${details.noticeFrom}）不能早于本步骤日期（${date}）`,
              RULE_CITATIONS.notice,
              false,
            ),
          );
        if (details.noticeFrom > ctx.today)
          out.push(v('notice', '公示开始日期不能晚于今天', RULE_CITATIONS.notice, false));
      }
      if (no === 22) {
        const end = probationEnd(ctx)!;
        if (date < addMonths(end, -1))
          out.push(
            v(
              'conversion_early',
              `转正申请应在预备期满时提出（预备期至 ${end}），${date} 过早`,
              RULE_CITATIONS.probation,
              true,
            ),
          );
      }
      break;
    }
    case 13:
    case 23: {
      const notice = at(no - 1)!.details.noticeFrom;
      const days = ctx.noticeWorkingDays ?? R.noticeWorkingDays;
      if (notice) {
        const end = noticeEnd(notice, days, ctx.calendar);
        const estimated = estimateWarning(estimatedYears(notice, end, ctx.calendar));
        if (date <= end)
          out.push(
            v(
              'notice_period',
              `公示期为 ${days} 个工作日（${notice} 至 ${end}${estimated ? `；${estimated}` : ''}），公示期满后方可进行「${def.name}」`,
              RULE_CITATIONS.notice,
              true,
            ),
          );
      }
      if (no === 23) {
        const end = probationEnd(ctx)!;
        if (date < end)
          out.push(
            v(
              'probation_one_year',
              ctx.extensionMonths
                ? `预备期已延长 ${ctx.extensionMonths} 个月，至 ${end} 期满，期满后方可讨论转正`
                : `预备期为一年（自 ${admittedOn(ctx)} 支部大会通过之日算起），${end} 期满后方可讨论转正`,
              RULE_CITATIONS.probation,
              false,
            ),
          );
        out.push(...voteViolations(details));
      }
      break;
    }
    case 15: {
      out.push(...voteViolations(details));
      const leavingBy = addMonths(date, R.leavingWithinMonths);
      // 「一般不办理」: the committee above may still admit with a recorded reason (an override), not silently.
      if (details.leavingOn && details.leavingOn >= date && details.leavingOn <= leavingBy)
        out.push(
          v(
            'leaving_soon',
            `发展对象预计 ${details.leavingOn} 离开工作、学习单位（支部大会后三个月内），一般不办理接收预备党员的手续`,
            RULE_CITATIONS.leaving,
            true,
          ),
        );
      break;
    }
    case 17:
    case 24: {
      // Counted from the branch meeting's resolution: admission (15) or conversion (23).
      const voted = at(no === 17 ? 15 : 23)!.date;
      // 细则 allows up to six months only for admission (17); conversion (24) has no extension,
      // so a late conversion approval needs an org admin's override with a reason.
      const special = details.special === true && no === 17;
      if (details.special === true && no === 24)
        out.push(
          v(
            'approval_special',
            '预备党员转正的决议应当在三个月内审批，没有延长审批时间的规定',
            RULE_CITATIONS.conversionApproval,
            false,
          ),
        );
      else if (special && !details.specialReason)
        out.push(v('approval_special', '延长审批时间须写明特殊情况（如党组织换届）', RULE_CITATIONS.approval, false));
      const months = special ? R.approvalMonthsSpecial : R.approvalMonths;
      const due = addMonths(voted, months);
      const limit = addMonths(voted, R.approvalMonthsSpecial);
      // 细则第二十五条: never beyond six months, special case or not — no override reaches past it.
      if (no === 17 && date > limit)
        out.push(
          v(
            'approval_beyond_six_months',
            `接收预备党员的审批不得超过六个月：支部大会 ${voted} 通过，最迟 ${limit} 审批，实际 ${date}。应重新履行程序`,
            RULE_CITATIONS.approval,
            false,
          ),
        );
      else if (date > due)
        out.push(
          v(
            'approval_within',
            `上级党委应在支部大会通过后${special ? '六' : '三'}个月内（${due} 前）审批，实际 ${date}`,
            no === 17 ? RULE_CITATIONS.approval : RULE_CITATIONS.conversionApproval,
            special ? false : true,
          ),
        );
      break;
    }
  }
  return out;
}

function voteViolations(details: StepDetails): Violation[] {
  if (!details.vote) return [v('vote', '请填写表决情况（应到、实到、赞成、反对、弃权）', RULE_CITATIONS.vote, false)];
  return checkVote(details.vote);
}

/** 入党时间: the date of the branch meeting that admitted the person (step 15). */
export function admittedOn(ctx: Pick<RuleContext, 'steps'>): string | null {
  return ctx.steps.get(15)?.date ?? null;
}

/**
 * The day probation ends (期满): a year after the admitting 支部大会, plus an approved extension. 党龄 counts from
 * this day once the person is converted (党章 第七条). Null before admission.
 */
export function probationEnd(ctx: Pick<RuleContext, 'steps' | 'extensionMonths'>): string | null {
  const admitted = admittedOn(ctx);
  if (!admitted) return null;
  return addMonths(addYears(admitted, DEVELOP_RULES.probationYears), ctx.extensionMonths ?? 0);
}

/**
 * The checks of a 延长预备期 / 取消预备党员资格 against the person's record (hard rules, no override): only a
 * 预备党员 before the 转正 vote, an extension once and only when probation has run out, the vote as for admission,
 * and the approval after the meeting and not in the future.
 */
export function checkProbationDecision(
  ctx: RuleContext,
  lastStep: number,
  decided: readonly ProbationDecisionKind[],
  input: ProbationDecisionInput,
): Violation[] {
  const c = RULE_CITATIONS.probationDecision;
  if (lastStep < 17 || !admittedOn(ctx))
    return [v('not_probationary', '只有经上级党委批准的预备党员才能延长预备期或取消预备党员资格', c, false)];
  if (lastStep >= 23)
    return [v('already_voted', '支部大会已通过转正决议，不能再延长预备期或取消预备党员资格', c, false)];
  const out: Violation[] = [];
  if (input.kind === 'extend' && decided.includes('extend'))
    out.push(v('extend_once', '预备期只能延长一次：延长期满后应讨论转正或取消预备党员资格', c, false));
  const end = probationEnd(ctx)!;
  if (input.kind === 'extend' && input.meetingOn < end)
    out.push(
      v('extend_early', `预备期满（${end}）后，支部大会方可讨论延长预备期，会议日期 ${input.meetingOn} 过早`, c, false),
    );
  const joined = ctx.steps.get(17)!.date;
  if (input.meetingOn < joined)
    out.push(v('before_admission', `支部大会日期不能早于上级党委批准其为预备党员的日期（${joined}）`, c, false));
  if (input.meetingOn > ctx.today) out.push(v('future', '支部大会日期不能晚于今天', c, false));
  if (input.approvedOn < input.meetingOn)
    out.push(
      v(
        'approval_order',
        `上级党委批准日期（${input.approvedOn}）不能早于支部大会日期（${input.meetingOn}）`,
        c,
        false,
      ),
    );
  if (input.approvedOn > ctx.today) out.push(v('future', '上级党委批准日期不能晚于今天', c, false));
  return [...out, ...checkVote(input.vote)];
}

/** Status after the given last completed step. */
export function statusAfter(lastStep: number): DevelopStatus {
  let s: DevelopStatus = 'applicant';
  for (const d of DEVELOP_STEPS) if (d.no <= lastStep && d.becomes) s = d.becomes;
  return s;
}

/** What is due next for a person (board, to-do list): the open deadline, if any. */
export function nextDeadline(
  ctx: RuleContext,
  lastStep: number,
): { what: string; dueOn: string; citation: string } | null {
  const at = (n: number) => ctx.steps.get(n)?.date;
  const R = DEVELOP_RULES;
  if (lastStep === 1)
    return {
      what: '派人谈话（收到申请书后一个月内）',
      dueOn: addMonths(at(1)!, R.talkWithinMonths),
      citation: RULE_CITATIONS.talk,
    };
  if (lastStep >= 3 && lastStep < 6) {
    const last =
      [...ctx.assessments]
        .filter((d) => d >= at(3)!)
        .sort()
        .at(-1) ?? at(3)!;
    return {
      what: '入党积极分子半年考察',
      dueOn: addMonths(last, R.assessmentEveryMonths),
      citation: RULE_CITATIONS.assessment,
    };
  }
  if (lastStep === 6) {
    // Still an activist: the half-yearly assessment stays due (细则第十一条) until the person becomes a
    // development target. The year's end is only a date from which step 7 may happen, so the assessment
    // comes first when it falls earlier, and once the year is over.
    const eligible = addYears(at(3)!, R.activistMinYears);
    const last = [at(6)!, ...ctx.assessments].sort().at(-1)!;
    const assess = addMonths(last, R.assessmentEveryMonths);
    if (assess < eligible || eligible < ctx.today)
      return { what: '入党积极分子半年考察', dueOn: assess, citation: RULE_CITATIONS.assessment };
    return { what: '可列为发展对象（培养满一年）', dueOn: eligible, citation: RULE_CITATIONS.activistYear };
  }
  if (lastStep === 12 && ctx.steps.get(12)?.details.noticeFrom)
    return {
      what: '公示期满，报上级党委预审',
      dueOn: addDays(noticeEnd(ctx.steps.get(12)!.details.noticeFrom!, ctx.noticeWorkingDays, ctx.calendar), 1),
      citation: RULE_CITATIONS.notice,
    };
  if (lastStep >= 15 && lastStep < 17)
    return {
      what: '上级党委审批接收预备党员（三个月内）',
      dueOn: addMonths(at(15)!, R.approvalMonths),
      citation: RULE_CITATIONS.approval,
    };
  if (lastStep >= 17 && lastStep < 23)
    return {
      what: ctx.extensionMonths ? '延长的预备期满，讨论转正' : '预备期满，讨论转正',
      dueOn: probationEnd(ctx)!,
      citation: RULE_CITATIONS.probation,
    };
  if (lastStep === 23)
    return {
      what: '上级党委审批转正（三个月内）',
      dueOn: addMonths(at(23)!, R.approvalMonths),
      citation: RULE_CITATIONS.conversionApproval,
    };
  return null;
}

/** Deadlines that are informational (a date from which something may happen), never "overdue". */
export const isEarliestDate = (what: string) => what.startsWith('可列为') || what.startsWith('公示期满');
