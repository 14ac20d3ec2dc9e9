/**
 * 学习教育 (learn): courses, micro-videos, 党建百科 and the e-library, a question bank with daily
 * practice and exams, and optional learning points.
 *
 * Points measure learning, not app-opening. The rules below are data, each with its source:
 * - no points for opening the app, signing in or "checking in" (打卡) — there is no such reason;
 * - one award per piece of content and reason, ever (re-reading the same article earns nothing);
 * - a cap per reason per day and one for the whole day;
 * - no rankings: nobody can list anyone else's points (there is no such route);
 * - the whole scheme is off unless an administrator turns it on.
 * Source of the stance: the central guidance against 「指尖上的形式主义」 (formalism at the fingertips:
 * forced app check-ins, points rankings, time-online quotas). The exact document and article were read
 * from secondary reports and are marked unconfirmed below.
 */
import { z } from 'zod';
import { Paging, Uuid } from './api';

export const LEARN_KINDS = ['course', 'video', 'article', 'book'] as const;
export type LearnKind = (typeof LEARN_KINDS)[number];
export const LEARN_KIND_LABELS: Record<LearnKind, string> = {
  course: '课程',
  video: '微视频',
  article: '党建百科',
  book: '电子书库',
};

export type Citation = { text: string; confirmed: boolean };

/**
 * 必修对象: whom a required item or exam binds within the publishing org's subtree. `all` every member on the roll,
 * `probationary` the 预备党员 only, `activist` the 入党积极分子 and 发展对象 (develop persons: they have no account, so
 * their study is registered offline by the branch, and an exam cannot bind them).
 */
export const LEARN_AUDIENCES = ['all', 'probationary', 'activist'] as const;
export type LearnAudience = (typeof LEARN_AUDIENCES)[number];
export const LEARN_AUDIENCE_LABELS: Record<LearnAudience, string> = {
  all: '全体党员',
  probationary: '预备党员',
  activist: '入党积极分子和发展对象',
};
export const AUDIENCE_RULE = {
  text: '必修内容可以只面向预备党员或入党积极分子（含发展对象）：他们的教育培养另有要求；只有被指定的人看到必修、收到提醒、计入完成率',
  citation: {
    text: '《中国共产党发展党员工作细则》（2014年）第十一条（入党积极分子的培养教育）、第二十六条（预备党员的教育和考察）',
    confirmed: false,
  } satisfies Citation,
};
/** Does a required item with this audience bind a learner of this member status (null: no member record)? */
export const audienceBinds = (audience: string, memberStatus: string | null) =>
  audience === 'all' || (audience === 'probationary' && memberStatus === 'probationary');

export const FINGERTIP_FORMALISM: Citation = {
  text: '中央层面整治形式主义为基层减负专项工作机制办公室《关于防治“指尖上的形式主义”的若干意见》（2023年）：不得强制打卡、不得以积分排名考核、不得要求在线时长',
  confirmed: false,
};
export const BASIC_LOAD_RULES: Citation = {
  text: '中共中央办公厅《整治形式主义为基层减负若干规定》（2024年）关于政务应用程序“指尖上的形式主义”的规定',
  confirmed: false,
};

/**
 * 学习截止提醒 (issue #18 via #17's scheduler): members who have not completed a required item, or not
 * passed a required exam, hear of it this many days before its deadline — each stage once. The lead times
 * are this platform's own arrangement, not a regulation; the source says so. Missed mornings catch up: a
 * stage is sent on the first morning within its window (3 → days 3 and 2, 1 → the last day before).
 */
export const LEARN_DUE_REMIND = {
  daysBefore: [3, 1] as const,
  citation: {
    text: '本平台的提醒安排（截止前 3 天、前 1 天各一次），不是规章条文；提醒只发给尚未完成的党员，不排名、不通报，以符合基层减负要求',
    confirmed: false,
  } satisfies Citation,
};

export const POINT_REASONS = [
  'course_complete',
  'video_complete',
  'article_read',
  'daily_practice',
  'exam_pass',
] as const;
export type PointReason = (typeof POINT_REASONS)[number];

export type PointRule = { reason: PointReason; label: string; points: number; dailyCap: number; citation: Citation };

/** Points per action and the cap per day. A rule change is a change of one row. */
export const POINT_RULES: Record<PointReason, PointRule> = {
  course_complete: {
    reason: 'course_complete',
    label: '学完一门课程',
    points: 2,
    dailyCap: 6,
    citation: FINGERTIP_FORMALISM,
  },
  video_complete: {
    reason: 'video_complete',
    label: '看完一个微视频',
    points: 1,
    dailyCap: 3,
    citation: FINGERTIP_FORMALISM,
  },
  article_read: {
    reason: 'article_read',
    label: '读完一篇百科或一本书',
    points: 1,
    dailyCap: 3,
    citation: FINGERTIP_FORMALISM,
  },
  daily_practice: {
    reason: 'daily_practice',
    label: '每日一练答对一题',
    points: 1,
    dailyCap: 5,
    citation: FINGERTIP_FORMALISM,
  },
  exam_pass: { reason: 'exam_pass', label: '通过一场考试', points: 5, dailyCap: 10, citation: FINGERTIP_FORMALISM },
};
/** All reasons together, per day. */
export const DAILY_POINTS_CAP = 15;

/** Reading counts as learning after this many seconds on the page (an article is not "read" by opening it). */
export const MIN_READ_SECONDS = 60;
/** A video or course is complete when this share of its length was watched. */
export const COMPLETE_SHARE = 0.8;
/**
 * Heartbeats (学习进度上报) are credited no faster than the wall clock: each report claims the seconds just before
 * it, and only the part after the previous credited instant counts (learn/service.ts reportProgress). Watching
 * at double speed or sending reports twice as often earns no more; the web counts only time the video plays.
 */
export const REPORT_SECONDS = 30;
/** Questions in one day's practice. */
export const DAILY_QUESTIONS = 5;

/**
 * Points for one award, given what the person already earned today for that reason and in total:
 * the rule's points, cut to what is left under both caps (0 when a cap is reached).
 */
export function pointsFor(reason: PointReason, earnedTodayForReason: number, earnedToday: number, units = 1): number {
  const r = POINT_RULES[reason];
  const wanted = r.points * units;
  return Math.max(0, Math.min(wanted, r.dailyCap - earnedTodayForReason, DAILY_POINTS_CAP - earnedToday));
}

// ---- questions ----
export const QUESTION_KINDS = ['single', 'multi', 'judge', 'fill'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  single: '单选题',
  multi: '多选题',
  judge: '判断题',
  fill: '填空题',
};
/** The kinds whose options are shown in a new order on every attempt (选项乱序); 正确/错误 stay as they are. */
export const SHUFFLED_KINDS: readonly QuestionKind[] = ['single', 'multi'];

/** 题目分类: what a question is about. A draw names categories; the list is data, one row to add one. */
export const QUESTION_CATEGORIES = ['党章', '党规', '党史', '理论', '业务', '其他'] as const;
export type QuestionCategory = (typeof QUESTION_CATEGORIES)[number];
const Category = z.enum(QUESTION_CATEGORIES, `分类须为 ${QUESTION_CATEGORIES.join('、')} 之一`);

/** 难度: the levels are data (one row to add one); a draw may pick by them. */
export const QUESTION_DIFFICULTIES = ['易', '中', '难'] as const;
export type QuestionDifficulty = (typeof QUESTION_DIFFICULTIES)[number];
const Difficulty = z.enum(QUESTION_DIFFICULTIES, `难度须为 ${QUESTION_DIFFICULTIES.join('、')} 之一`);

/**
 * A fill-in answer as it is compared: Unicode NFKC (full-width letters, digits, punctuation and the ideographic
 * space become their half-width forms), every kind of space removed, Latin letters in lower case. So
 * 「１９２１」, 「1921 」 and 「1 9 2 1」 are the same answer; 「，」 and 「,」 too.
 */
export const normaliseFill = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
/**
 * A stem as duplicates are found by: normalised like a fill-in answer, then without punctuation, symbols and
 * blank marks — 「党的最高领导机关是（ ）。」 and 「党的最高领导机关是____」 are the same question.
 */
export const normaliseStem = (s: string) => normaliseFill(s).replace(/[\p{P}\p{S}_]/gu, '');
/** The blanks of a fill-in stem: two or more underscores (half- or full-width), or an empty pair of brackets. */
export const BLANK_MARK = /_{2,}|＿+|[（(]\s*[)）]/gu;
export const blanksIn = (stem: string) => stem.match(BLANK_MARK)?.length ?? 0;
export const FILL_RULE =
  '填空题在题干中用 ____ 或（ ）标出每个空；每个空可以有几个都算对的答案，判分时不区分全角半角、不计空格、英文不分大小写';

/**
 * 随机组卷: an exam defined as "N questions of each type drawn from these categories" (and, when given, of these
 * difficulties). Every learner gets their own paper, drawn on the server from the publisher's bank (its org and
 * the orgs above it) by a seed of the learner and the exam, so the same person always gets the same paper and two
 * people usually differ.
 */
export const DrawRule = z.strictObject({
  categories: z.array(Category).min(1, '请至少选一个分类').max(QUESTION_CATEGORIES.length),
  /** Only questions of these difficulties; absent: every difficulty. */
  difficulties: z.array(Difficulty).min(1, '请至少选一个难度').max(QUESTION_DIFFICULTIES.length).optional(),
  counts: z
    .strictObject({
      single: z.number().int().min(0).max(100).default(0),
      multi: z.number().int().min(0).max(100).default(0),
      judge: z.number().int().min(0).max(100).default(0),
      fill: z.number().int().min(0).max(100).default(0),
    })
    .refine((c) => c.single + c.multi + c.judge + c.fill >= 1, '请至少抽取一道题')
    .refine((c) => c.single + c.multi + c.judge + c.fill <= 100, '一场考试最多 100 道题'),
});
export type DrawRule = z.infer<typeof DrawRule>;
export const drawTotal = (d: DrawRule) => d.counts.single + d.counts.multi + d.counts.judge + (d.counts.fill ?? 0);

/** Marks the indices chosen; same shape for every choice kind (a judge question has options 正确/错误). */
export const AnswerKey = z.array(z.number().int().min(0).max(9)).max(10);
/** A fill-in question's key: per blank, the answers that count as right. */
export const AcceptedKey = z
  .array(
    z
      .array(z.string().trim().min(1, '答案不能为空').max(100, '每个答案不超过 100 字'))
      .min(1, '每个空至少一个答案')
      .max(10, '每个空最多 10 个答案'),
  )
  .max(10, '最多 10 个空');
/** What a learner writes into a fill-in question's blanks, in order. */
export const FillAnswer = z.array(z.string().max(200, '每个空不超过 200 字')).max(10);

/** A question's own fields (what 新增题目 and 编辑题目 both send), without the bank it goes into. */
const questionFields = {
  kind: z.enum(QUESTION_KINDS, '题型须为 single、multi、judge 或 fill'),
  category: Category.default('其他'),
  difficulty: Difficulty.default('中'),
  stem: z.string().trim().min(4, '题干至少 4 个字').max(500, '题干不能超过 500 字'),
  options: z.array(z.string().trim().min(1, '选项不能为空').max(200)).max(8, '最多 8 个选项').default([]),
  answer: AnswerKey.default([]),
  /** Fill-in only: the accepted answers of each blank. */
  accepted: AcceptedKey.default([]),
  explanation: z.string().trim().max(1000).default(''),
  source: z.string().trim().max(200).default(''),
};
/** The checks of a question, the same on adding and on editing it. */
function checkQuestion(
  q: { kind: QuestionKind; stem: string; options: string[]; answer: number[]; accepted: string[][] },
  ctx: z.RefinementCtx,
) {
  if (q.kind === 'fill') {
    if (q.options.length > 0 || q.answer.length > 0)
      ctx.addIssue({ code: 'custom', path: ['options'], message: '填空题没有选项，答案写在各个空里' });
    if (q.accepted.length === 0)
      ctx.addIssue({ code: 'custom', path: ['accepted'], message: '请写出每个空的正确答案' });
    else if (blanksIn(q.stem) !== q.accepted.length)
      ctx.addIssue({
        code: 'custom',
        path: ['stem'],
        message: `题干中有 ${blanksIn(q.stem)} 个空（用 ____ 或（ ）标出），答案有 ${q.accepted.length} 个空，须一致`,
      });
    return;
  }
  if (q.accepted.length > 0) ctx.addIssue({ code: 'custom', path: ['accepted'], message: '只有填空题按空写答案' });
  if (q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: '至少两个选项' });
  if (q.answer.length === 0) ctx.addIssue({ code: 'custom', path: ['answer'], message: '请标出正确答案' });
  if (q.answer.some((i) => i >= q.options.length))
    ctx.addIssue({ code: 'custom', path: ['answer'], message: '正确答案须是已有选项' });
  if (new Set(q.answer).size !== q.answer.length)
    ctx.addIssue({ code: 'custom', path: ['answer'], message: '正确答案不能重复' });
  if (q.kind !== 'multi' && q.answer.length > 1)
    ctx.addIssue({ code: 'custom', path: ['answer'], message: '单选题和判断题只有一个正确答案' });
  if (q.kind === 'judge' && q.options.length !== 2)
    ctx.addIssue({ code: 'custom', path: ['options'], message: '判断题只有“正确”“错误”两个选项' });
}
/** 新增题目: into the bank of `orgId`. */
export const QuestionInput = z.strictObject({ orgId: Uuid, ...questionFields }).superRefine(checkQuestion);
export type QuestionInput = z.infer<typeof QuestionInput>;
/** 编辑题目 (PATCH /learn-questions/:id): the whole question again, checked as on adding; it stays in its org's bank. */
export const QuestionEdit = z.strictObject(questionFields).superRefine(checkQuestion);
export type QuestionEdit = z.infer<typeof QuestionEdit>;

/** A question as a manager sees it (with the key). */
export const Question = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(QUESTION_KINDS),
  category: z.string(),
  difficulty: z.string(),
  stem: z.string(),
  options: z.array(z.string()),
  answer: z.array(z.number()),
  /** A fill-in question's accepted answers per blank (empty for the other kinds). */
  accepted: z.array(z.array(z.string())),
  explanation: z.string(),
  source: z.string(),
  retired: z.boolean(),
});
export type Question = z.infer<typeof Question>;
/**
 * A question as a learner sees it before answering: no key, the options in this attempt's order, and for a
 * fill-in question only how many blanks it has.
 */
export const QuestionToAnswer = Question.pick({ id: true, kind: true, stem: true, options: true }).extend({
  blanks: z.number(),
});
export type QuestionToAnswer = z.infer<typeof QuestionToAnswer>;
/**
 * After answering (错题回顾): the key in the order the options were shown, what was given, whether it was right,
 * the explanation, the source and the difficulty.
 */
export const QuestionResult = QuestionToAnswer.extend({
  chosen: z.array(z.number()),
  answer: z.array(z.number()),
  /** Fill-in: what was written per blank, and the accepted answers per blank. */
  filled: z.array(z.string()),
  accepted: z.array(z.array(z.string())),
  correct: z.boolean(),
  explanation: z.string(),
  source: z.string(),
  category: z.string(),
  difficulty: z.string(),
});
export type QuestionResult = z.infer<typeof QuestionResult>;

/** How many usable questions the bank holds per category, type and difficulty (for a draw form). */
export const BankCount = z.object({
  category: z.string(),
  kind: z.enum(QUESTION_KINDS),
  difficulty: z.string(),
  count: z.number(),
});
export type BankCount = z.infer<typeof BankCount>;

export const AnswersBody = z.strictObject({
  /** Per question: the indices chosen (as the options were shown), or a fill-in question's text per blank. */
  answers: z
    .record(Uuid, z.union([AnswerKey, FillAnswer], '答案须为选项序号或每个空的文字'))
    .refine((a) => Object.keys(a).length <= 200, '答案过多'),
});

// ---- content ----
/** The editable fields without defaults (a PATCH must not reset what it does not name). */
const itemFields = {
  title: z.string().trim().min(2, '标题至少 2 个字').max(100, '标题不能超过 100 字'),
  summary: z.string().trim().max(500, '简介不能超过 500 字'),
  body: z.string().max(50_000, '正文不能超过 5 万字'),
  keywords: z.array(z.string().trim().min(1).max(20)).max(10, '关键词最多 10 个'),
  author: z.string().trim().max(50),
  /** Length of a course or video in minutes (a book or article: reading time). */
  minutes: z.number().int().min(1, '时长至少 1 分钟').max(600, '时长不能超过 600 分钟'),
  /** 必修: every member of the publishing org's subtree should complete it by `dueOn`. */
  required: z.boolean(),
  dueOn: z.iso.date('截止日期须为 YYYY-MM-DD').nullable(),
  /** 必修对象 (LEARN_AUDIENCES). */
  audience: z.enum(
    LEARN_AUDIENCES,
    '必修对象须为 all（全体党员）、probationary（预备党员）或 activist（入党积极分子）',
  ),
  /** false: a draft only the publishing org's managers see. */
  published: z.boolean(),
};
export const ItemInput = z.strictObject({
  orgId: Uuid,
  kind: z.enum(LEARN_KINDS, '类型须为 course、video、article 或 book'),
  title: itemFields.title,
  summary: itemFields.summary.default(''),
  body: itemFields.body.default(''),
  keywords: itemFields.keywords.default([]),
  author: itemFields.author.default(''),
  minutes: itemFields.minutes.default(5),
  required: itemFields.required.default(false),
  dueOn: itemFields.dueOn.default(null),
  audience: itemFields.audience.default('all'),
  published: itemFields.published.default(true),
});
export type ItemInput = z.infer<typeof ItemInput>;
export const ItemPatch = z
  .strictObject({
    ...itemFields,
    /** true: off the shelves (kept, with everyone's records). */
    retired: z.boolean(),
  })
  .partial();
export type ItemPatch = z.infer<typeof ItemPatch>;

/**
 * A video's phone-friendly rendition (H.264/AAC MP4, at most 720 px high) and poster frame, made by the server's
 * ffmpeg in a background job: `original` — none made (no ffmpeg on the server, or uploaded before it was installed),
 * the original plays; `queued`/`running` with `percent`; `done` with the files to play; `failed` with the Chinese
 * reason (shown to the item's managers; the original keeps playing).
 */
export const MEDIA_STATES = ['original', 'queued', 'running', 'done', 'failed'] as const;
export const MediaRendition = z.object({
  state: z.enum(MEDIA_STATES),
  percent: z.number(),
  renditionId: z.string().nullable(),
  posterId: z.string().nullable(),
  reason: z.string().nullable(),
});
export type MediaRendition = z.infer<typeof MediaRendition>;

export const LearnFile = z.object({
  id: z.string(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  role: z.string(),
  /** Videos only: the rendition and poster made from it. */
  media: MediaRendition.optional(),
});
export type LearnFile = z.infer<typeof LearnFile>;

export const ItemBrief = z.object({
  id: z.string(),
  kind: z.enum(LEARN_KINDS),
  title: z.string(),
  summary: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  minutes: z.number(),
  required: z.boolean(),
  dueOn: z.string().nullable(),
  audience: z.enum(LEARN_AUDIENCES),
  /** Required, and its audience includes the caller: on their to-do list, reminded, counted. */
  forMe: z.boolean(),
  publishedAt: z.string().nullable(),
  hasVideo: z.boolean(),
  hasCover: z.boolean(),
  /** The caller's own progress 0–100 (null: never opened). */
  progress: z.number().nullable(),
  completed: z.boolean(),
});
export type ItemBrief = z.infer<typeof ItemBrief>;
export const ItemDetail = ItemBrief.extend({
  body: z.string(),
  keywords: z.array(z.string()),
  author: z.string(),
  files: z.array(LearnFile),
  /** May the caller edit it (a manager of the publishing org). */
  editable: z.boolean(),
  /** Whether the server has ffmpeg to make phone renditions and posters of uploaded videos (GET /learn-items/:id). */
  transcoder: z.boolean().optional(),
});
export type ItemDetail = z.infer<typeof ItemDetail>;

export const SearchHit = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(LEARN_KINDS),
  summary: z.string(),
  orgName: z.string(),
  publishedAt: z.string().nullable(),
  /** Where q was found: the title, its pinyin initials, keywords, or only the summary/body. */
  matched: z.enum(['title', 'initials', 'keywords', 'text']),
  /**
   * The title's characters (UTF-16 offsets, [start, end)) whose pinyin initials spell a letters-only word of q:
   * 「ztdr」 marks 主题党日. Empty when no word matched by initials.
   */
  titleMarks: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** When the words are found in the body but not in the title or summary: about 80 characters around the first one. */
  snippet: z.string().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/**
 * 搜索高亮: `text` cut into parts, `hit` where one of the search words occurs (Latin letters case-insensitive, CJK
 * as is; overlapping and adjacent hits merged), plus any `ranges` given. The web renders the parts as text and <mark> elements — never as
 * HTML, so a title or a query holding markup shows as written.
 */
export function highlightParts(
  text: string,
  q: string,
  ranges: readonly (readonly [number, number])[] = [],
): { text: string; hit: boolean }[] {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const hay = fold(text);
  const words = [...new Set(fold(q).trim().split(/\s+/).filter(Boolean))].slice(0, 5);
  const marks: boolean[] = new Array<boolean>(text.length).fill(false);
  for (const w of words)
    for (let at = hay.indexOf(w); at !== -1; at = hay.indexOf(w, at + 1)) marks.fill(true, at, at + w.length);
  // Ranges the server found (pinyin initials) are marked as well; out-of-bounds parts are ignored by fill.
  for (const [from, to] of ranges) marks.fill(true, Math.max(0, from), Math.min(text.length, to));
  const parts: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts[parts.length - 1];
    if (last && last.hit === marks[i]) last.text += text[i];
    else parts.push({ text: text[i]!, hit: marks[i]! });
  }
  return parts;
}

export const ProgressBody = z.strictObject({
  /** Seconds spent since the last report (watching or reading). */
  seconds: z.number().int().min(0).max(3600, '单次上报不超过 3600 秒'),
  /** Position reached, 0–100 (% of the video or the page). */
  position: z.number().int().min(0).max(100).optional(),
});

export const LearnRecord = z.object({
  itemId: z.string(),
  title: z.string(),
  kind: z.enum(LEARN_KINDS),
  seconds: z.number(),
  progress: z.number(),
  completedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type LearnRecord = z.infer<typeof LearnRecord>;

export const ProgressReply = z.object({
  progress: z.number(),
  completed: z.boolean(),
  /** Points awarded by this report (0 when points are off or a cap is reached). */
  points: z.number(),
  note: z.string().nullable(),
});
export type ProgressReply = z.infer<typeof ProgressReply>;

// ---- lessons (课时) of a course ----
/** A course is lessons in order; each is text, a PDF, audio or video (the file is one of the course's files). */
export const LESSON_KINDS = ['text', 'pdf', 'audio', 'video'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];
export const LESSON_KIND_LABELS: Record<LessonKind, string> = {
  text: '图文',
  pdf: 'PDF 文档',
  audio: '音频',
  video: '视频',
};
/** The course file role each lesson kind plays (`learn_file.role`); text has none. */
export const LESSON_FILE_ROLE: Record<LessonKind, 'document' | 'audio' | 'video' | null> = {
  text: null,
  pdf: 'document',
  audio: 'audio',
  video: 'video',
};
/** At most this many lessons in one course (retired ones included): the lesson list is one page of them. */
export const MAX_LESSONS = 100;
/**
 * A lesson is completed when this many seconds of it were credited (the course rule, per lesson: 80 % of its
 * length, watched, listened to or read while the page is in front); the course when every lesson not retired is.
 */
export const lessonSecondsToComplete = (minutes: number) => Math.ceil(minutes * 60 * COMPLETE_SHARE);
export const LESSON_RULE = {
  text: '课程按课时学习：视频、音频和 PDF 课时学满时长的八成即学完（视频、音频只记播放的时间，PDF 从打开文档起计时）；图文课时要读到末尾，并且页面在前台的时间不少于按字数算的最短阅读时间，才算读完；停用的课时不计，其余课时都学完，课程即学完',
  citation: FINGERTIP_FORMALISM,
};
/**
 * 图文课时读完 (issue #18: "a text lesson counts when read to the end"): the page reports the furthest position the
 * learner scrolled to (0–100 % of the text); the lesson is read when that reached the end and the time credited by
 * the clock (page in front) is at least the minimum reading time for its length. No regulation sets a reading pace:
 * this is the platform's own setting, chosen so that a reader who scrolls through without reading is not counted
 * while a slow reader is never held back (the pace is a brisk reader's, and only a minimum).
 */
export const TEXT_READ_RULE = {
  /** The end: the furthest position reported reaches this % of the text. */
  endAt: 100,
  /** Minimum reading time: the text's characters (spaces not counted) at this many per minute… */
  charsPerMinute: 600,
  /** …and never less than this. */
  minSeconds: 15,
  /** The page sends its position at most this often while the learner scrolls (and once more on leaving). */
  reportEverySeconds: 5,
  citation: {
    text: '本平台自定的学习设置（不是规章条文）：图文读到末尾，且阅读时间不少于每分钟 600 字计算的时长（至少 15 秒）',
    confirmed: true,
  } satisfies Citation,
};
/** The characters of a text lesson that count for its reading time (spaces and line breaks not counted). */
export const textLength = (body: string) => [...body.replace(/\s+/g, '')].length;
/** The minimum reading time of a text lesson, in seconds (TEXT_READ_RULE). */
export const textReadSeconds = (body: string) =>
  Math.max(TEXT_READ_RULE.minSeconds, Math.ceil((textLength(body) / TEXT_READ_RULE.charsPerMinute) * 60));

const lessonFields = {
  title: z.string().trim().min(2, '课时标题至少 2 个字').max(100, '课时标题不能超过 100 字'),
  body: z.string().max(50_000, '正文不能超过 5 万字'),
  minutes: z.number().int().min(1, '时长至少 1 分钟').max(600, '时长不能超过 600 分钟'),
  /** The course file (uploaded through POST /learn-items/:id/files) a PDF, audio or video lesson plays. */
  fileId: Uuid.nullable(),
};
export const LessonInput = z.strictObject({
  kind: z.enum(LESSON_KINDS, '课时类型须为 text（图文）、pdf、audio（音频）或 video（视频）'),
  title: lessonFields.title,
  body: lessonFields.body.default(''),
  minutes: lessonFields.minutes.default(5),
  fileId: lessonFields.fileId.default(null),
});
export type LessonInput = z.infer<typeof LessonInput>;
export const LessonPatch = z
  .strictObject({
    ...lessonFields,
    /** true: off the course (kept with everyone's progress); false: back on it. */
    retired: z.boolean(),
  })
  .partial();
export type LessonPatch = z.infer<typeof LessonPatch>;
/** The new order: every lesson of the course that is not retired, each once. */
export const LessonOrder = z.strictObject({
  lessonIds: z.array(Uuid).min(1, '请给出课时顺序').max(MAX_LESSONS),
});

export const Lesson = z.object({
  id: z.string(),
  position: z.number(),
  kind: z.enum(LESSON_KINDS),
  title: z.string(),
  body: z.string(),
  minutes: z.number(),
  file: LearnFile.nullable(),
  retired: z.boolean(),
  /** The caller's own progress in it: credited seconds, 0–100 (null: never opened), completed. */
  seconds: z.number(),
  progress: z.number().nullable(),
  completed: z.boolean(),
  /** A text lesson: how far the caller has read, 0–100 % (null: another kind, or never opened). */
  readTo: z.number().nullable(),
  /** A text lesson: the minimum reading time in seconds (TEXT_READ_RULE); null for the other kinds. */
  readSeconds: z.number().nullable(),
});
export type Lesson = z.infer<typeof Lesson>;
/** The course's lessons (a page) with the caller's progress in the course. */
export const LessonPage = z.object({
  items: z.array(Lesson),
  total: z.number(),
  course: z.object({ lessons: z.number(), done: z.number(), progress: z.number().nullable(), completed: z.boolean() }),
  rule: z.string(),
});
export type LessonPage = z.infer<typeof LessonPage>;
export const LessonProgressReply = ProgressReply.extend({
  course: z.object({ lessons: z.number(), done: z.number(), progress: z.number(), completed: z.boolean() }),
  /** A text lesson: the furthest position kept (0–100 %); null for the other kinds. */
  readTo: z.number().nullable(),
});
export type LessonProgressReply = z.infer<typeof LessonProgressReply>;

// ---- exams and practice ----
export const ExamInput = z
  .strictObject({
    orgId: Uuid,
    title: z.string().trim().min(2, '标题至少 2 个字').max(100),
    /** Fixed questions (the same paper for everyone) — or leave empty and give `draw`. */
    questionIds: z.array(Uuid).max(100, '一场考试最多 100 道题').default([]),
    /** Random paper per learner (随机组卷). Exactly one of `questionIds` and `draw`. */
    draw: DrawRule.optional(),
    passScore: z.number().int().min(1).max(100, '及格分为 1–100'),
    minutes: z.number().int().min(1).max(240, '考试时长不超过 240 分钟'),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    opensOn: z.iso.date('开始日期须为 YYYY-MM-DD'),
    closesOn: z.iso.date('截止日期须为 YYYY-MM-DD'),
    required: z.boolean().default(false),
    /** 必考对象: 全体党员 or 预备党员 (入党积极分子 have no account to sit an exam). */
    audience: z
      .enum(
        ['all', 'probationary'],
        '必考对象须为 all（全体党员）或 probationary（预备党员）；入党积极分子没有账号，不能在线考试',
      )
      .default('all'),
  })
  .refine((e) => e.closesOn >= e.opensOn, { path: ['closesOn'], message: '截止日期不能早于开始日期' })
  .refine((e) => new Set(e.questionIds).size === e.questionIds.length, {
    path: ['questionIds'],
    message: '题目不能重复',
  })
  .refine((e) => e.questionIds.length > 0 !== Boolean(e.draw), {
    path: ['questionIds'],
    message: '请选择题目，或设置随机抽题规则（二者选一）',
  });
export type ExamInput = z.infer<typeof ExamInput>;

export const Exam = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  questionCount: z.number(),
  /** The draw rule of a random paper (null: fixed questions). */
  draw: DrawRule.nullable(),
  passScore: z.number(),
  minutes: z.number(),
  maxAttempts: z.number(),
  opensOn: z.string(),
  closesOn: z.string(),
  required: z.boolean(),
  audience: z.enum(LEARN_AUDIENCES),
  /** Required, and its audience includes the caller. */
  forMe: z.boolean(),
  /** The caller's best score, attempts used and whether passed. */
  mine: z.object({ attempts: z.number(), best: z.number().nullable(), passed: z.boolean() }),
});
export type Exam = z.infer<typeof Exam>;

export const Attempt = z.object({
  id: z.string(),
  kind: z.enum(['exam', 'daily']),
  examId: z.string().nullable(),
  title: z.string(),
  learner: z.string(),
  startedAt: z.string(),
  /** When the time is up (exams), ISO 8601. */
  deadline: z.string().nullable(),
  submittedAt: z.string().nullable(),
  score: z.number().nullable(),
  passed: z.boolean().nullable(),
  questions: z.array(QuestionToAnswer),
  /** After submission: each question's key, the answer given and the explanation. */
  results: z.array(QuestionResult).nullable(),
  points: z.number(),
});
export type Attempt = z.infer<typeof Attempt>;

export const ExamResultRow = z.object({
  attemptId: z.string(),
  learner: z.string(),
  orgName: z.string(),
  score: z.number().nullable(),
  passed: z.boolean().nullable(),
  submittedAt: z.string().nullable(),
});

// ---- points, settings, participation, to-do ----
export const LearnSettings = z.strictObject({ pointsEnabled: z.boolean() });
export type LearnSettings = z.infer<typeof LearnSettings>;

export const MyPoints = z.object({
  enabled: z.boolean(),
  total: z.number(),
  today: z.number(),
  dailyCap: z.number(),
  rules: z.array(
    z.object({
      reason: z.enum(POINT_REASONS),
      label: z.string(),
      points: z.number(),
      dailyCap: z.number(),
      today: z.number(),
    }),
  ),
  recent: z.array(
    z.object({
      on: z.string(),
      reason: z.enum(POINT_REASONS),
      label: z.string(),
      points: z.number(),
      title: z.string(),
    }),
  ),
  citation: z.string(),
});
export type MyPoints = z.infer<typeof MyPoints>;

/**
 * 积分排行 (optional, off by default). The 2023 guidance against 「指尖上的形式主义」 names points rankings among
 * the practices not to force on members; so a ranking exists only where an org turns it on, lists only the
 * members of one 党支部 to each other (never to other branches, never published upwards by name), shows only
 * members who earned points, and needs the tenant's points to be on.
 */
export const RANKING_RULE = {
  text: '学习积分排行默认关闭；党支部可自行开启，仅在本支部党员之间显示，不向其他支部公开，不作为考核排名',
  citation: FINGERTIP_FORMALISM,
};
export const RankingSetting = z.strictObject({ rankingEnabled: z.boolean() });
export type RankingSetting = z.infer<typeof RankingSetting>;
export const Ranking = z.object({
  /** Shown at all: points on for the tenant and the ranking turned on by the branch. */
  enabled: z.boolean(),
  pointsEnabled: z.boolean(),
  /** The 党支部 whose members are ranked (the caller's own), null when the caller is in none. */
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  year: z.string(),
  items: z.array(z.object({ rank: z.number(), name: z.string(), points: z.number(), me: z.boolean() })),
  total: z.number(),
  mine: z.object({ rank: z.number().nullable(), points: z.number() }),
  note: z.string(),
});
export type Ranking = z.infer<typeof Ranking>;

/**
 * 每日一练的题目范围: an org chooses the categories its subtree's daily practice draws from; the nearest org on a
 * member's line with a choice wins (a branch's choice over its committee's); none: every category. Practice stays
 * optional — no streak, no check-in, no reminder (FINGERTIP_FORMALISM).
 */
export const PRACTICE_RULE = {
  text: '每日一练从本组织选定的分类中抽题；本组织没有选定时，按上级组织最近的一次选定；都没有选定时从全部分类抽题。每日一练自愿参加，不打卡、不排名、不催促',
  citation: FINGERTIP_FORMALISM,
};
export const PracticeSettingBody = z.strictObject({
  orgId: Uuid,
  /** null: no choice of this org's own (its members follow the org above it). */
  categories: z.array(Category).min(1, '请至少选一个分类，或清除设置').max(QUESTION_CATEGORIES.length).nullable(),
});
export const PracticeSetting = z.object({
  orgId: z.string(),
  orgName: z.string(),
  /** This org's own choice (null: none). */
  categories: z.array(z.string()).nullable(),
  /** What its members' practice draws from: the nearest choice on the line, and whose it is. */
  effective: z.object({
    categories: z.array(z.string()).nullable(),
    fromOrgId: z.string().nullable(),
    fromOrgName: z.string().nullable(),
  }),
  note: z.string(),
});
export type PracticeSetting = z.infer<typeof PracticeSetting>;

export const Participation = z.object({
  month: z.string(),
  members: z.number(),
  /** Members with any learning (content studied, practice or exam) this month. */
  learners: z.number(),
  rate: z.number().nullable(),
  /** Required items and exams of the subtree that are past due and not finished by everyone. */
  requiredOpen: z.number(),
  note: z.string(),
});
export type Participation = z.infer<typeof Participation>;

/**
 * The members behind 学习参与率 (issue #23, every figure links to its list): the members on the roll of an org
 * subtree, whether they learned this month as `participation` counts it, filtered by `learned`.
 */
export const ParticipationMembersQuery = Paging.extend({
  orgId: Uuid.optional(),
  learned: z.enum(['yes', 'no'], '参加情况只能是 yes（本月已参加学习）或 no（本月未参加学习）').optional(),
});
export type ParticipationMembersQuery = z.infer<typeof ParticipationMembersQuery>;
export const ParticipationMember = z.object({
  memberId: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  /** A 党小组's branch (groups of different branches share names such as 第一党小组); null for other orgs. */
  branchName: z.string().nullable(),
  learned: z.boolean(),
  /** The member's latest learning day this month (Beijing date); null when they have not learned this month. */
  lastDay: z.string().nullable(),
});
export type ParticipationMember = z.infer<typeof ParticipationMember>;
export const ParticipationMembers = z.object({
  month: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  /** The subtree's members on the roll, and those of them who learned this month (the figure's two numbers). */
  members: z.number(),
  learners: z.number(),
  items: z.array(ParticipationMember),
  /** The list's length under the `learned` filter. */
  total: z.number(),
});
export type ParticipationMembers = z.infer<typeof ParticipationMembers>;

export const LearnTodo = z.object({
  kind: z.enum(['item', 'exam']),
  id: z.string(),
  title: z.string(),
  dueOn: z.string().nullable(),
  days: z.number().nullable(),
  overdue: z.boolean(),
});
export type LearnTodo = z.infer<typeof LearnTodo>;

// ---- org department views: completion of a required item or exam down the subtree ----
const CompletionLine = z.object({
  orgId: z.string(),
  orgName: z.string(),
  /** Members on the roll of this org's subtree who are bound by the item or exam. */
  assigned: z.number(),
  /** Of them: completed the item, or passed the exam. */
  completed: z.number(),
  /** completed / assigned, 0..1; null without members. */
  rate: z.number().nullable(),
  /** Average best score of those who submitted the exam (null for items or without attempts). */
  avgScore: z.number().nullable(),
});
export const Completion = z.object({
  what: z.enum(['item', 'exam']),
  id: z.string(),
  title: z.string(),
  required: z.boolean(),
  dueOn: z.string().nullable(),
  audience: z.enum(LEARN_AUDIENCES),
  /** The org the figures are for (the deeper of the caller's org and the publishing org). */
  total: CompletionLine,
  /** The same for each direct lower org (paged). */
  children: z.object({ items: z.array(CompletionLine), total: z.number() }),
  asOf: z.string(),
  note: z.string(),
});
export type Completion = z.infer<typeof Completion>;

export const BehindRow = z.object({
  /** The member's id — or, for an 入党积极分子/发展对象 (`person`), the develop person's id. */
  memberId: z.string(),
  person: z.boolean(),
  name: z.string(),
  orgName: z.string(),
  /** Has an account (can study online and be reminded). */
  hasAccount: z.boolean(),
  /** Progress 0–100 of an item, or the best score of an exam; null: never started. */
  progress: z.number().nullable(),
  lastActive: z.string().nullable(),
});
export type BehindRow = z.infer<typeof BehindRow>;

export const RemindReply = z.object({ reminded: z.number(), already: z.number(), withoutAccount: z.number() });
export type RemindReply = z.infer<typeof RemindReply>;

/** 线下学习登记: the branch records that 入党积极分子/发展对象 (no account) completed an item bound to them. */
export const OfflineBody = z.strictObject({
  personIds: z.array(Uuid).min(1, '请选择人员').max(200, '一次最多登记 200 人'),
});
export const OfflineReply = z.object({ registered: z.number(), already: z.number() });
export type OfflineReply = z.infer<typeof OfflineReply>;
