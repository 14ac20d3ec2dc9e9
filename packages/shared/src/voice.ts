/**
 * 互动 (voice): 意见建议 with tracked answers, 党务信箱, 支部在线, surveys and 满意度测评, votes,
 * and 下考上 (the masses rating the org above them). Vocabulary, the rule table with its sources,
 * the anonymity choices, the one-time code alphabet, and the wire shapes both sides use.
 *
 * Anonymity (decided here, documented in docs/user-guide.md "互动" and tested in voice tests):
 * - An anonymous 意见建议 never carries its author. The org it is routed to chooses how the identity is
 *   kept: `sealed` (default) — in a separate table only the auditor role reads, one person and one
 *   reason at a time, every read written to the audit log; `none` — not kept at all. The submitter
 *   follows an anonymous item with a 查询码 (receipt) shown once.
 * - Anonymous surveys and all votes keep a register of who took part (one answer / one ballot per
 *   person, a database constraint) apart from the answers and ballots, which carry no person, no
 *   time and a random order. Results of anonymous surveys and secret votes are shown only once the
 *   window has ended (a running tally next to the register would let a watcher diff one person's answer).
 * - Employees who are not members answer through an org's public link with a one-time code; codes
 *   are handed out on slips and are not tied to a person.
 */
import { z } from 'zod';
import { ROLES } from './roles';

/** Unconfirmed citations are marked so: read from secondary sources, not the official text. */
const QZ = '《中国共产党党员权利保障条例》（2020 年修订）';

/** `confirmed: false`: the citation is read from secondary sources (or is the platform's own rule), not checked against the official text. */
export type VoiceRule = {
  key: string;
  label: string;
  value: number;
  citation: string;
  local: boolean;
  confirmed: boolean;
};

/** The numbers of the module as data, each with its source. */
export const VOICE_RULES = {
  answerDays: {
    key: 'answerDays',
    label: '意见建议答复期限（自然日，组织可在设置中改）',
    value: 15,
    citation: `地方/企业规定（非条例要求）：常见为 15 日内答复。${QZ}要求党组织对党员的意见建议认真研究、及时答复（条款号未核实）`,
    local: true,
    confirmed: false,
  },
  minAnonymousGroup: {
    key: 'minAnonymousGroup',
    label: '匿名问卷文字回答至少达到的份数才显示（防止少数人被认出）',
    value: 3,
    citation: '本平台的匿名保护规则（非党内法规）',
    local: true,
    confirmed: false,
  },
  minBreakdownGroup: {
    key: 'minBreakdownGroup',
    label: '匿名问卷按支部分列结果时，一个支部至少达到的答卷份数（不足的支部只显示参与人数，不显示得分和选项）',
    value: 5,
    citation:
      '本平台的匿名保护规则（非党内法规）：员工调查的通行做法是分组报告的最小人数为 5（“5 人规则”），并对较小的分组做补充隐藏，防止用总数减去其他分组反推；管理者知道谁参加了（参与登记），分组太小时平均分就是少数几个人的回答',
    local: true,
    confirmed: false,
  },
  editMinutes: {
    key: 'editMinutes',
    label: '支部在线的话题和回复，作者在发出后多少分钟内可以修改或撤回',
    value: 30,
    citation:
      '本平台默认值（非党内法规）：给作者改正笔误的时间，过后内容作为支部讨论的记录保留；修改和撤回都记入审计日志',
    local: true,
    confirmed: false,
  },
  codeValidDays: {
    key: 'codeValidDays',
    label: '一次性参与码默认有效天数',
    value: 30,
    citation: '本平台默认值（非党内法规）',
    local: true,
    confirmed: false,
  },
} as const satisfies Record<string, VoiceRule>;

export const LETTER_RULE_CITATION = `${QZ}规定党员有向党组织提出意见、进行检举控告的权利，党组织应当为其保密（条款号未核实）；《中国共产党纪律检查委员会工作条例》规定纪检委员受理党员来信（条款号未核实）`;

// ---- 意见建议 ----------------------------------------------------------------

export const OPINION_CATEGORIES = ['suggestion', 'opinion', 'complaint', 'praise'] as const;
export type OpinionCategory = (typeof OPINION_CATEGORIES)[number];
export const OPINION_CATEGORY_LABELS: Record<OpinionCategory, string> = {
  suggestion: '建议',
  opinion: '意见',
  complaint: '诉求',
  praise: '表扬',
};

/** submitted → assigned (交办给承办人) → answered → closed (评价后或管理员办结). */
/** `withdrawn`: the submitter took it back before any answer (out of the queues, the overdue count and 应答复). */
export const OPINION_STATUSES = ['submitted', 'assigned', 'answered', 'closed', 'withdrawn'] as const;
export type OpinionStatus = (typeof OPINION_STATUSES)[number];
export const OPINION_STATUS_LABELS: Record<OpinionStatus, string> = {
  submitted: '待办理',
  assigned: '办理中',
  answered: '已答复',
  closed: '已办结',
  withdrawn: '已撤回',
};
/** Whether the submitter may still withdraw an item: not yet answered (nor closed, nor withdrawn). */
export const opinionWithdrawable = (o: { status: OpinionStatus; answer: string | null }) =>
  (o.status === 'submitted' || o.status === 'assigned') && o.answer === null;

export const ANONYMITY_MODES = ['sealed', 'none'] as const;
export type AnonymityMode = (typeof ANONYMITY_MODES)[number];
export const ANONYMITY_LABELS: Record<AnonymityMode, string> = {
  sealed: '身份封存：匿名提交时身份单独封存，仅审计员可按事由查阅，每次查阅留痕',
  none: '完全匿名：匿名提交时不保存任何身份信息',
};

const text = (label: string, min: number, max: number) =>
  z
    .string(`请填写${label}`)
    .trim()
    .min(min, min > 1 ? `${label}至少 ${min} 个字` : `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 字`);

export const OpinionInput = z.strictObject({
  orgId: z.uuid('请选择提交给哪个党组织'),
  category: z.enum(OPINION_CATEGORIES, '类别须为建议、意见、诉求或表扬'),
  title: text('标题', 2, 60),
  body: text('内容', 5, 2000),
  anonymous: z.boolean().default(false),
  /** The submitter lets the answer be shown on the board (公开答复栏). */
  allowPublic: z.boolean().default(false),
});
export type OpinionInput = z.infer<typeof OpinionInput>;

/** An employee's opinion through the org's public link. */
export const PublicOpinionInput = OpinionInput.extend({
  code: z.string().trim().min(1, '请输入参与码').max(40),
  name: z.string().trim().max(30, '姓名不能超过 30 字').optional(),
  contact: z.string().trim().max(50, '联系方式不能超过 50 字').optional(),
});

export const OpinionStep = z.object({
  on: z.string(),
  action: z.string(),
  label: z.string(),
  actor: z.string(),
  note: z.string(),
});

/** A file attached to the answer (the platform's upload limits: images, PDF, Office; 10 MB; at most OPINION_FILE_MAX). */
export const OpinionFile = z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number() });
export type OpinionFile = z.infer<typeof OpinionFile>;
export const OPINION_FILE_MAX = 5;

export const Opinion = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  category: z.enum(OPINION_CATEGORIES),
  title: z.string(),
  body: z.string(),
  channel: z.enum(['member', 'code']),
  anonymous: z.boolean(),
  /** The author's name; null when anonymous. Never an account id. */
  authorName: z.string().nullable(),
  allowPublic: z.boolean(),
  published: z.boolean(),
  status: z.enum(OPINION_STATUSES),
  handlerName: z.string().nullable(),
  submittedOn: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  answeredOn: z.string().nullable(),
  rating: z.number().nullable(),
  ratingComment: z.string().nullable(),
  closedOn: z.string().nullable(),
  /** Whether the caller wrote it (so may rate it). */
  mine: z.boolean(),
  /** In the submitter's own list: the files of the answer, once answered. */
  answerFiles: z.array(OpinionFile).optional(),
});
export type Opinion = z.infer<typeof Opinion>;

export const OpinionDetail = Opinion.extend({
  steps: z.array(OpinionStep),
  /** Files of the answer: managers see them at once, the submitter (and the board) once it is answered. */
  answerFiles: z.array(OpinionFile),
  /** A manager sees an employee's contact when they left one (not anonymous). */
  contact: z.string().nullable(),
  /** Whether the identity of this anonymous item is sealed (auditor may read it) or not kept. */
  identityKept: z.boolean(),
});
export type OpinionDetail = z.infer<typeof OpinionDetail>;

/** The answer to an anonymous submission: the 查询码 to follow it, shown once. */
export const OpinionReceipt = z.object({ id: z.string(), receipt: z.string().nullable(), dueOn: z.string() });
export type OpinionReceipt = z.infer<typeof OpinionReceipt>;

export const RatingInput = z.strictObject({
  rating: z.number('请选择满意度').int('满意度须为 1–5 的整数').min(1, '满意度须为 1–5').max(5, '满意度须为 1–5'),
  comment: z.string().trim().max(500, '评价不能超过 500 字').optional(),
});

export const OpinionTarget = z.object({
  orgId: z.string(),
  orgName: z.string(),
  kind: z.string(),
  anonymity: z.enum(ANONYMITY_MODES),
  answerDays: z.number(),
});
export type OpinionTarget = z.infer<typeof OpinionTarget>;

export const VoiceSettings = z.object({
  orgId: z.string(),
  anonymity: z.enum(ANONYMITY_MODES),
  answerDays: z.number(),
  /** Where the setting comes from: this org, an org above, or the default. */
  inheritedFrom: z.string().nullable(),
  citation: z.string(),
});
export type VoiceSettings = z.infer<typeof VoiceSettings>;

export const VoiceSettingsInput = z.strictObject({
  orgId: z.uuid('编号格式不正确'),
  anonymity: z.enum(ANONYMITY_MODES, '匿名方式须为 sealed（身份封存）或 none（完全匿名）'),
  answerDays: z.number().int().min(1, '答复期限至少 1 天').max(90, '答复期限不能超过 90 天'),
});

// ---- 党务信箱 ----------------------------------------------------------------

export const LETTER_POSITIONS = ['书记', '纪检委员'] as const;
export type LetterPosition = (typeof LETTER_POSITIONS)[number];

export const LETTER_STATUSES = ['unread', 'read', 'replied', 'closed'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];
export const LETTER_STATUS_LABELS: Record<LetterStatus, string> = {
  unread: '未读',
  read: '已读',
  replied: '已回复',
  closed: '已办结',
};

export const LetterInput = z.strictObject({
  orgId: z.uuid('请选择收信的党组织'),
  position: z.enum(LETTER_POSITIONS, '收信人须为书记或纪检委员'),
  subject: text('主题', 2, 60),
  body: text('内容', 5, 5000),
});

export const LetterTarget = z.object({
  orgId: z.string(),
  orgName: z.string(),
  position: z.enum(LETTER_POSITIONS),
  /** Someone holds the position with an account, so the letter can be read. */
  available: z.boolean(),
});
export type LetterTarget = z.infer<typeof LetterTarget>;

export const Letter = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  position: z.enum(LETTER_POSITIONS),
  subject: z.string(),
  fromName: z.string(),
  status: z.enum(LETTER_STATUSES),
  sentAt: z.string(),
  updatedAt: z.string(),
  /** Whether the caller sent it (else they read it as the addressee). */
  mine: z.boolean(),
});
export type Letter = z.infer<typeof Letter>;

/** A file on a letter's message: sealed like the letter; only the writer and the addressees fetch it. */
export const LetterFile = z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number() });
export type LetterFile = z.infer<typeof LetterFile>;
/** Files per message (the platform's upload limits: images, PDF, Office; 10 MB each). */
export const LETTER_FILE_MAX = 5;

export const LetterDetail = Letter.extend({
  messages: z.array(
    z.object({
      id: z.string(),
      side: z.enum(['sender', 'reader']),
      authorName: z.string(),
      body: z.string(),
      at: z.string(),
      files: z.array(LetterFile),
      /** Whether the caller wrote it and may still attach files (letter not closed, fewer than LETTER_FILE_MAX). */
      canAttach: z.boolean(),
    }),
  ),
  citation: z.string(),
});
export type LetterDetail = z.infer<typeof LetterDetail>;

export const MessageInput = z.strictObject({ body: text('内容', 1, 5000) });

// ---- 支部在线 ----------------------------------------------------------------

export const ThreadInput = z.strictObject({
  orgId: z.uuid('请选择支部'),
  title: text('标题', 2, 80),
  body: text('内容', 1, 5000),
  mentions: z.array(z.uuid('编号格式不正确')).max(20, '一次最多提醒 20 人').default([]),
});
export const PostInput = z.strictObject({
  body: text('内容', 1, 5000),
  mentions: z.array(z.uuid('编号格式不正确')).max(20, '一次最多提醒 20 人').default([]),
});
/** The author's change within VOICE_RULES.editMinutes: a reply's text, or a thread's title and text. */
export const PostEdit = z.strictObject({ body: text('内容', 1, 5000) });
export const ThreadEdit = z.strictObject({ title: text('标题', 2, 80), body: text('内容', 1, 5000) });
export const ThreadModeration = z
  .strictObject({
    pinned: z.boolean(),
    locked: z.boolean(),
    hidden: z.boolean(),
    reason: z.string().trim().max(200),
  })
  .partial();
export const PostModeration = z.strictObject({ hidden: z.boolean(), reason: z.string().trim().max(200).optional() });

export const Attachment = z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number() });
export const ForumPost = z.object({
  id: z.string(),
  body: z.string(),
  authorName: z.string(),
  at: z.string(),
  hidden: z.boolean(),
  /** The author changed it after posting (「已编辑」); `editedAt` when. */
  edited: z.boolean(),
  editedAt: z.string().nullable(),
  /** The author took it back: the text is gone for members (moderators still read it). */
  withdrawn: z.boolean(),
  mine: z.boolean(),
  /** Own, not hidden or withdrawn: until when the author may edit or withdraw it; null otherwise. */
  editableUntil: z.string().nullable(),
  mentions: z.array(z.object({ userId: z.string(), name: z.string() })),
});
export type ForumPost = z.infer<typeof ForumPost>;
export const ForumThread = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  authorName: z.string(),
  pinned: z.boolean(),
  locked: z.boolean(),
  hidden: z.boolean(),
  replyCount: z.number(),
  lastPostAt: z.string(),
  createdAt: z.string(),
});
export type ForumThread = z.infer<typeof ForumThread>;
export const ForumThreadDetail = ForumThread.extend({
  body: z.string(),
  hiddenReason: z.string().nullable(),
  mine: z.boolean(),
  edited: z.boolean(),
  editedAt: z.string().nullable(),
  withdrawn: z.boolean(),
  editableUntil: z.string().nullable(),
  canModerate: z.boolean(),
  mentions: z.array(z.object({ userId: z.string(), name: z.string() })),
  attachments: z.array(Attachment),
  posts: z.array(ForumPost),
  postTotal: z.number(),
});
export type ForumThreadDetail = z.infer<typeof ForumThreadDetail>;
/** People of a branch who can be @mentioned: members with an account. */
export const Mentionable = z.object({ userId: z.string(), name: z.string() });

// ---- surveys, 满意度测评, 下考上 ----------------------------------------------

export const SURVEY_KINDS = ['survey', 'satisfaction', 'rating_up'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const SURVEY_KIND_LABELS: Record<SurveyKind, string> = {
  survey: '问卷调查',
  satisfaction: '满意度测评',
  rating_up: '下考上测评',
};

export const QUESTION_TYPES = ['single', 'multiple', 'rating', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const QUESTION_TYPE_LABELS: Record<QuestionType, string> = {
  single: '单选',
  multiple: '多选',
  rating: '评分',
  text: '文字',
};

const QuestionFields = {
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,20}$/, '题目编号须为 1–20 位字母或数字'),
  type: z.enum(QUESTION_TYPES, '题型须为单选、多选、评分或文字'),
  title: text('题目', 1, 200),
  required: z.boolean().default(true),
  options: z
    .array(z.string().trim().min(1, '选项不能为空').max(100, '选项不能超过 100 字'))
    .max(20, '最多 20 个选项')
    .optional(),
  /** multiple: at most this many choices. */
  maxChoices: z.number().int().min(1).max(20).optional(),
  /** rating: 1..scale. */
  scale: z.union([z.literal(5), z.literal(10)]).optional(),
  /** rating_up / satisfaction: the indicator's weight in the total score. */
  weight: z.number().min(0).max(100).optional(),
};
/** A question as the server answers it. */
export const SurveyQuestionView = z.object(QuestionFields);
export const SurveyQuestion = z.strictObject(QuestionFields).superRefine((q, ctx) => {
  if ((q.type === 'single' || q.type === 'multiple') && (q.options?.length ?? 0) < 2)
    ctx.addIssue({ code: 'custom', path: ['options'], message: `「${q.title}」至少需要 2 个选项` });
  if (q.options && new Set(q.options).size !== q.options.length)
    ctx.addIssue({ code: 'custom', path: ['options'], message: `「${q.title}」有重复的选项` });
});
export type SurveyQuestion = z.infer<typeof SurveyQuestion>;

const windowFields = {
  opensAt: z.iso.datetime({ offset: true, message: '开始时间须为带时区的 ISO 8601 时间' }),
  closesAt: z.iso.datetime({ offset: true, message: '结束时间须为带时区的 ISO 8601 时间' }),
};

/** Who may take part: holders of these roles at an org in the subtree of the survey's or vote's org. */
const audienceRoles = z
  .array(z.enum(ROLES, '角色不正确'))
  .min(1, '请至少选择一种参与角色')
  .max(ROLES.length)
  .default(['member']);

const surveyFields = {
  kind: z.enum(SURVEY_KINDS, '类型须为问卷调查、满意度测评或下考上测评'),
  title: text('标题', 2, 80),
  description: z.string().trim().max(2000, '说明不能超过 2000 字').default(''),
  anonymous: z.boolean().default(true),
  audienceRoles,
  /** Employees who are not members may answer with one-time codes. */
  allowCodes: z.boolean().default(false),
  ...windowFields,
  questions: z.array(SurveyQuestion).min(1, '请至少添加一道题').max(60, '最多 60 道题'),
};
type SurveyFields = z.infer<z.ZodObject<typeof surveyFields>>;
function checkSurvey(s: SurveyFields, ctx: z.RefinementCtx) {
  if (Date.parse(s.closesAt) <= Date.parse(s.opensAt))
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '结束时间须晚于开始时间' });
  const ids = s.questions.map((q) => q.id);
  if (new Set(ids).size !== ids.length)
    ctx.addIssue({ code: 'custom', path: ['questions'], message: '题目编号不能重复' });
  if (s.kind === 'rating_up' && s.questions.every((q) => q.type !== 'rating'))
    ctx.addIssue({ code: 'custom', path: ['questions'], message: '下考上测评至少需要一项评分指标' });
}
export const SurveyInput = z.strictObject({ orgId: z.uuid('请选择党组织'), ...surveyFields }).superRefine(checkSurvey);
/** A draft's new definition; its org stays. */
export const SurveyEditInput = z.strictObject(surveyFields).superRefine(checkSurvey);
export type SurveyEditInput = z.infer<typeof SurveyEditInput>;
export type SurveyInput = z.infer<typeof SurveyInput>;

export const SURVEY_STATES = ['draft', 'upcoming', 'open', 'ended'] as const;
export type SurveyState = (typeof SURVEY_STATES)[number];
export const SURVEY_STATE_LABELS: Record<SurveyState, string> = {
  draft: '草稿',
  upcoming: '未开始',
  open: '进行中',
  ended: '已结束',
};

export const Survey = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(SURVEY_KINDS),
  title: z.string(),
  description: z.string(),
  anonymous: z.boolean(),
  audienceRoles: z.array(z.enum(ROLES)),
  allowCodes: z.boolean(),
  opensAt: z.string(),
  closesAt: z.string(),
  state: z.enum(SURVEY_STATES),
  questions: z.array(SurveyQuestionView),
  responses: z.number(),
  /** For the caller: may answer now / has answered. */
  canAnswer: z.boolean(),
  answered: z.boolean(),
});
export type Survey = z.infer<typeof Survey>;

/** One answer: `choice` (single, option index), `choices` (multiple), `score` (rating), `text`. */
export const Answer = z.strictObject({
  q: z.string().max(20),
  choice: z.number().int().optional(),
  choices: z.array(z.number().int()).max(20).optional(),
  score: z.number().int().optional(),
  text: z.string().trim().max(2000, '文字回答不能超过 2000 字').optional(),
});
export type Answer = z.infer<typeof Answer>;
export const ResponseInput = z.strictObject({ answers: z.array(Answer).max(60) });
export const PublicResponseInput = ResponseInput.extend({ code: z.string().trim().min(1, '请输入参与码').max(40) });

/**
 * Checks answers against the questions: every required question answered, each answer of its
 * question's type and range. Returns the problems in Chinese (empty when fine).
 */
export function answerProblems(
  questions: readonly z.infer<typeof SurveyQuestionView>[],
  answers: readonly Answer[],
): string[] {
  const problems: string[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  for (const a of answers) {
    const q = byId.get(a.q);
    if (!q) {
      problems.push(`没有编号为 ${a.q} 的题目`);
      continue;
    }
    const n = questions.indexOf(q) + 1;
    if (seen.has(a.q)) problems.push(`第 ${n} 题回答了两次`);
    seen.add(a.q);
    const given = (['choice', 'choices', 'score', 'text'] as const).filter((k) => a[k] !== undefined);
    const want = { single: 'choice', multiple: 'choices', rating: 'score', text: 'text' }[q.type];
    if (given.length !== 1 || given[0] !== want) {
      problems.push(
        `第 ${n} 题是${QUESTION_TYPE_LABELS[q.type]}题，${
          { single: '请选择一个选项', multiple: '请选择选项', rating: '请打分', text: '请填写文字' }[q.type]
        }`,
      );
      continue;
    }
    const options = q.options?.length ?? 0;
    if (q.type === 'single' && !(a.choice! >= 0 && a.choice! < options)) problems.push(`第 ${n} 题的选项不存在`);
    if (q.type === 'multiple') {
      const c = a.choices!;
      if (c.some((i) => !(i >= 0 && i < options))) problems.push(`第 ${n} 题的选项不存在`);
      else if (new Set(c).size !== c.length) problems.push(`第 ${n} 题重复选择了同一选项`);
      else if (q.required && c.length === 0) problems.push(`第 ${n} 题为必答题，请至少选择一项`);
      else if (q.maxChoices && c.length > q.maxChoices) problems.push(`第 ${n} 题最多选择 ${q.maxChoices} 项`);
    }
    if (q.type === 'rating' && !(a.score! >= 1 && a.score! <= (q.scale ?? 5)))
      problems.push(`第 ${n} 题的分数须为 1–${q.scale ?? 5}`);
    if (q.type === 'text' && q.required && !a.text) problems.push(`第 ${n} 题为必答题，请填写`);
  }
  for (const [i, q] of questions.entries())
    if (q.required && !seen.has(q.id)) problems.push(`第 ${i + 1} 题为必答题，请回答`);
  return problems;
}

export const SurveyQuestionResult = z.object({
  id: z.string(),
  type: z.enum(QUESTION_TYPES),
  title: z.string(),
  answered: z.number(),
  /** single/multiple: count per option. */
  options: z.array(z.object({ label: z.string(), count: z.number() })).optional(),
  /** rating: count per score 1..scale, the average, the weight. */
  distribution: z.array(z.number()).optional(),
  average: z.number().nullable().optional(),
  weight: z.number().optional(),
  /** text: the answers in a random order, never with a person or a time when anonymous. */
  texts: z.array(z.string()).optional(),
  /** text answers held back because fewer than the minimum group answered anonymously. */
  textsWithheld: z.boolean().optional(),
});
export type SurveyQuestionResult = z.infer<typeof SurveyQuestionResult>;

export const SurveyResults = z.object({
  surveyId: z.string(),
  title: z.string(),
  kind: z.enum(SURVEY_KINDS),
  anonymous: z.boolean(),
  state: z.enum(SURVEY_STATES),
  responses: z.number(),
  /** satisfaction / rating_up: the weighted score out of 100 over the rating questions. */
  score: z.number().nullable(),
  questions: z.array(SurveyQuestionResult),
  /** Named surveys: who answered (name only). */
  respondents: z.array(z.string()).optional(),
  note: z.string().nullable(),
});
export type SurveyResults = z.infer<typeof SurveyResults>;

/**
 * A survey's results by branch (支部): the audience accounts and the responses are counted by the branch
 * they belong to (a 党小组 counts to its branch; a person bound at a committee or 总支 directly is its own
 * row; an employee's code counts to the org that handed it out). For an anonymous survey a branch with
 * fewer than VOICE_RULES.minBreakdownGroup responses is `suppressed` (counts only), and further
 * branches, smallest first, until the hidden ones together reach the minimum, so that the total minus
 * the shown branches does not give a small branch's answers away.
 */
export const SurveyBranchRow = z.object({
  /** null: responses given before the branch was recorded with each response. */
  orgId: z.string().nullable(),
  orgName: z.string(),
  /** Audience accounts of the branch (enabled accounts bound with an audience role). */
  invited: z.number(),
  /** All responses counted to the branch, of which `viaCode` through employees' one-time codes. */
  responses: z.number(),
  viaCode: z.number(),
  /** Responses through accounts ÷ invited, 0..1; null when nobody was invited. */
  rate: z.number().nullable(),
  suppressed: z.boolean(),
  /** satisfaction / rating_up: the weighted score out of 100; null when suppressed or a plain survey. */
  score: z.number().nullable(),
  /** Per rating question: the average; per single/multiple question: the count per option. None when suppressed. */
  cells: z.array(
    z.object({ q: z.string(), average: z.number().nullable().optional(), counts: z.array(z.number()).optional() }),
  ),
});
export type SurveyBranchRow = z.infer<typeof SurveyBranchRow>;

export const SurveyBreakdown = z.object({
  surveyId: z.string(),
  title: z.string(),
  kind: z.enum(SURVEY_KINDS),
  anonymous: z.boolean(),
  /** The minimum responses for a branch's answers to be shown (anonymous surveys); null for named ones. */
  minGroup: z.number().nullable(),
  /** The questions the rows carry cells for (rating, single, multiple), in order. */
  questions: z.array(
    z.object({
      id: z.string(),
      type: z.enum(QUESTION_TYPES),
      title: z.string(),
      options: z.array(z.string()).optional(),
    }),
  ),
  items: z.array(SurveyBranchRow),
  total: z.number(),
  /** Over all branches: invited, responses, rate, and how many branches are suppressed. */
  invited: z.number(),
  responses: z.number(),
  suppressedBranches: z.number(),
  note: z.string(),
});
export type SurveyBreakdown = z.infer<typeof SurveyBreakdown>;

/**
 * Which groups to hide, given each group's responses: every group with 1..min-1 responses (primary), then,
 * while the hidden groups together have fewer than `min` responses and some group is still shown, the
 * shown group with the fewest responses (secondary) — so no hidden total below `min` can be worked out as
 * the overall result minus the shown groups. Groups with no responses have no answers to hide.
 */
export function suppressSmallGroups(responses: number[], min: number): boolean[] {
  const hide = responses.map((n) => n > 0 && n < min);
  let hidden = responses.reduce((s, n, i) => s + (hide[i] ? n : 0), 0);
  while (hidden > 0 && hidden < min) {
    let next = -1;
    for (const [i, n] of responses.entries()) if (!hide[i] && n > 0 && (next < 0 || n < responses[next]!)) next = i;
    if (next < 0) break;
    hide[next] = true;
    hidden += responses[next]!;
  }
  return hide;
}

/** 下考上 results of one rated org, read by the assessment module. */
export const RatingUpResult = z.object({
  surveyId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  closesAt: z.string(),
  responses: z.number(),
  score: z.number().nullable(),
  indicators: z.array(z.object({ title: z.string(), weight: z.number(), average: z.number().nullable() })),
});
export type RatingUpResult = z.infer<typeof RatingUpResult>;

/**
 * Weighted score out of 100 over rating questions: Σ wᵢ·(avgᵢ/scaleᵢ) / Σ wᵢ × 100 (weight 1 when
 * unset); questions nobody answered leave the sum. Null when no rating was given.
 */
export function weightedScore(items: { average: number | null; scale: number; weight: number }[]): number | null {
  const used = items.filter((i) => i.average !== null && i.weight > 0);
  const w = used.reduce((s, i) => s + i.weight, 0);
  if (w === 0) return null;
  const v = used.reduce((s, i) => s + i.weight * (i.average! / i.scale), 0) / w;
  return Math.round(v * 1000) / 10;
}

// ---- votes -------------------------------------------------------------------

export const VOTE_KINDS = ['highlight', 'honour', 'other'] as const;
export type VoteKind = (typeof VOTE_KINDS)[number];
export const VOTE_KIND_LABELS: Record<VoteKind, string> = {
  highlight: '亮点工程评选',
  honour: '评先评优',
  other: '其他投票',
};

/** When voters see results: after they voted, or only once the vote has ended. Managers: once it has ended. */
export const VOTE_VISIBILITIES = ['after_close', 'after_vote'] as const;
export type VoteVisibility = (typeof VOTE_VISIBILITIES)[number];
export const VOTE_VISIBILITY_LABELS: Record<VoteVisibility, string> = {
  after_close: '投票结束后公布',
  after_vote: '投票后即可查看实时结果',
};

export const CandidateInput = z.strictObject({
  name: text('候选名称', 1, 60),
  summary: z.string().trim().max(200, '简介不能超过 200 字').default(''),
  body: z.string().trim().max(5000, '介绍不能超过 5000 字').default(''),
});

export const VoteCreateInput = z
  .strictObject({
    orgId: z.uuid('请选择党组织'),
    kind: z.enum(VOTE_KINDS, '类型须为亮点工程评选、评先评优或其他投票'),
    title: text('标题', 2, 80),
    description: z.string().trim().max(2000, '说明不能超过 2000 字').default(''),
    maxChoices: z.number().int().min(1, '每人至少可投 1 票').max(50),
    audienceRoles,
    visibility: z.enum(VOTE_VISIBILITIES).default('after_close'),
    ...windowFields,
    candidates: z.array(CandidateInput).min(2, '至少需要 2 个候选').max(100, '最多 100 个候选'),
  })
  .superRefine((v, ctx) => {
    if (Date.parse(v.closesAt) <= Date.parse(v.opensAt))
      ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '结束时间须晚于开始时间' });
    if (v.maxChoices > v.candidates.length)
      ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: '每人可投票数不能多于候选数' });
    if (new Set(v.candidates.map((c) => c.name)).size !== v.candidates.length)
      ctx.addIssue({ code: 'custom', path: ['candidates'], message: '候选名称不能重复' });
  });
export type VoteCreateInput = z.infer<typeof VoteCreateInput>;

export const BallotInput = z.strictObject({
  choices: z.array(z.uuid('候选编号格式不正确')).min(1, '请至少选择一个候选').max(50),
});

export const Candidate = z.object({
  id: z.string(),
  name: z.string(),
  summary: z.string(),
  body: z.string(),
  /** Whether it has a photo (GET /voice-candidates/:id/photo), uploaded while the vote is a draft. */
  photo: z.boolean(),
});
export const Vote = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(VOTE_KINDS),
  title: z.string(),
  description: z.string(),
  maxChoices: z.number(),
  audienceRoles: z.array(z.enum(ROLES)),
  visibility: z.enum(VOTE_VISIBILITIES),
  opensAt: z.string(),
  closesAt: z.string(),
  state: z.enum(SURVEY_STATES),
  ballots: z.number(),
  candidates: z.array(Candidate),
  canVote: z.boolean(),
  voted: z.boolean(),
  resultsVisible: z.boolean(),
});
export type Vote = z.infer<typeof Vote>;
export const VoteResults = z.object({
  voteId: z.string(),
  state: z.enum(SURVEY_STATES),
  ballots: z.number(),
  /** Marks on all ballots (a ballot marks 1…maxChoices candidates). */
  marks: z.number(),
  candidates: z.array(z.object({ id: z.string(), name: z.string(), votes: z.number(), share: z.number() })),
});
export type VoteResults = z.infer<typeof VoteResults>;

// ---- one-time codes ---------------------------------------------------------------

/** No 0/O, 1/I/L: read off a paper slip without mistakes. 31 symbols × 12 ≈ 59 bits. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;
/** Upper case, without spaces or dashes (a slip prints XXXX-XXXX-XXXX). */
export const normalizeCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');
export const formatCode = (c: string) => c.replace(/(.{4})(?=.)/g, '$1-');

export const CODE_PURPOSES = ['opinion', 'survey'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];
export const CodeBatchInput = z
  .strictObject({
    orgId: z.uuid('请选择党组织'),
    purpose: z.enum(CODE_PURPOSES, '用途须为意见建议或问卷测评'),
    surveyId: z.uuid('编号格式不正确').optional(),
    count: z.number().int().min(1, '至少生成 1 个').max(500, '一次最多生成 500 个'),
    validDays: z.number().int().min(1).max(365).default(VOICE_RULES.codeValidDays.value),
    note: z.string().trim().max(100).default(''),
  })
  .refine((b) => b.purpose !== 'survey' || b.surveyId, { message: '问卷测评的参与码须指定问卷', path: ['surveyId'] });
export const CodeBatch = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  purpose: z.enum(CODE_PURPOSES),
  surveyId: z.string().nullable(),
  surveyTitle: z.string().nullable(),
  count: z.number(),
  used: z.number(),
  validUntil: z.string(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type CodeBatch = z.infer<typeof CodeBatch>;

/** What a one-time code opens, for the public page (the code is not used up by looking). */
export const CodeInfo = z.object({
  orgId: z.string(),
  orgName: z.string(),
  purpose: z.enum(CODE_PURPOSES),
  anonymity: z.enum(ANONYMITY_MODES),
  survey: Survey.nullable(),
});
export type CodeInfo = z.infer<typeof CodeInfo>;

export const VoiceOverview = z.object({
  openOpinions: z.number(),
  overdueOpinions: z.number(),
  /** Average 1–5 rating submitters gave to answers in the last 12 months. */
  averageRating: z.number().nullable(),
  ratedCount: z.number(),
  /** The latest ended 满意度测评 or 下考上 score (out of 100). */
  latestSatisfaction: z
    .object({ surveyId: z.string(), title: z.string(), score: z.number().nullable(), responses: z.number() })
    .nullable(),
  citation: z.string(),
});
export type VoiceOverview = z.infer<typeof VoiceOverview>;

/**
 * The 驾驶舱's 互动 figure for an org subtree (voice/service.ts voiceDashboard): this year's 意见建议 by the day
 * they came in, how many of those whose answer was due (answered, or past their due day) were answered by
 * their due day, the submitters' ratings of answers given this year, and what is overdue now.
 */
export const VoiceDashboard = z.object({
  year: z.number(),
  /** 意见建议 submitted this year to the org or an org below (named, anonymous and employees'). */
  received: z.number(),
  /** Of those: answered, or unanswered past their due day. */
  due: z.number(),
  /** Of those: answered on or before their due day. */
  answeredOnTime: z.number(),
  onTimeRate: z.number().nullable(),
  /** Items unanswered past their due day now (whenever submitted). */
  overdueOpen: z.number(),
  /** Ratings (1–5) given this year, and their average. */
  rated: z.number(),
  averageRating: z.number().nullable(),
  /** The latest ended 满意度测评 or 下考上 of the subtree (score out of 100). */
  latestSatisfaction: z
    .object({ surveyId: z.string(), title: z.string(), score: z.number().nullable(), responses: z.number() })
    .nullable(),
  citation: z.string(),
  confirmed: z.boolean(),
  note: z.string(),
});
export type VoiceDashboard = z.infer<typeof VoiceDashboard>;
