/**
 * 微视频征集 (issue #19): a campaign of an org for its subtree. Members submit videos within the submit window;
 * named judges score each entry against the rubric, each on their own (a judge sees the others' scores only after
 * submitting his own); an optional public vote, one vote per member per day per campaign; results as data (a
 * trimmed mean of the judges' totals, as configured); the winners are published to the learning library in one step.
 *
 * The rules below are this system's (the regulations ask for micro-video collections in 宣传 work, not for a scoring
 * method), so they are marked unconfirmed.
 */
import { z } from 'zod';
import type { Citation } from './learn';
import { SafeText } from './media';
import { Uuid } from './api';

export const CONTEST_SCORING_SOURCE: Citation = {
  text: '本系统规则：每位评委按评分细则独立打分，提交本人评分前看不到其他评委的评分；作品得分为各评委总分去掉设定的最高分、最低分后的平均分（保留两位小数）',
  confirmed: false,
};
export const CONTEST_VOTE_SOURCE: Citation = {
  text: '本系统规则：网络投票每人每天对每个征集活动限投 1 票（按北京时间的日期），结果公布前可投；票数单独显示，不计入评委得分，得分相同时票多者在前',
  confirmed: false,
};

/** open → published (results out), or open → withdrawn (撤销: nothing more is taken; entries and scores are kept). */
export const CONTEST_STATUSES = ['open', 'published', 'withdrawn'] as const;
export type ContestStatus = (typeof CONTEST_STATUSES)[number];
/** Where a campaign is by the shared clock: before the submit window, in it, after it (judging), results out — or withdrawn. */
export const CONTEST_PHASES = ['upcoming', 'collecting', 'judging', 'published', 'withdrawn'] as const;
export type ContestPhase = (typeof CONTEST_PHASES)[number];
export const CONTEST_PHASE_LABELS: Record<ContestPhase, string> = {
  upcoming: '未开始',
  collecting: '征集中',
  judging: '评审中',
  published: '已公布结果',
  withdrawn: '已撤销',
};

export const CONTEST_JUDGES_MIN = 2;
export const CONTEST_JUDGES_MAX = 15;
export const CONTEST_RUBRIC_MAX = 10;

export const RubricItem = z.strictObject({
  name: SafeText(30, '评分项名称').refine((s) => s.trim() !== '', '请填写评分项名称'),
  max: z.number('满分须为数字').int('满分须为整数').min(1, '满分至少 1 分').max(100, '满分不能超过 100 分'),
});
export type RubricItem = z.infer<typeof RubricItem>;

const day = z.iso.date('日期须为 YYYY-MM-DD');
export const ContestInput = z.strictObject({
  orgId: Uuid,
  title: SafeText(60, '标题').refine((s) => s.trim().length >= 2, '标题至少 2 个字'),
  rules: SafeText(5000, '征集规则').refine((s) => s.trim() !== '', '请填写征集规则'),
  submitFrom: day,
  submitTo: day,
  rubric: z
    .array(RubricItem, '评分细则须为列表')
    .min(1, '请至少设一个评分项')
    .max(CONTEST_RUBRIC_MAX, `评分项最多 ${CONTEST_RUBRIC_MAX} 个`),
  /** Highest / lowest judge totals dropped from each entry's mean (0 or 1 each). */
  dropHighest: z.union([z.literal(0), z.literal(1)], '去掉最高分的个数须为 0 或 1'),
  dropLowest: z.union([z.literal(0), z.literal(1)], '去掉最低分的个数须为 0 或 1'),
  publicVote: z.boolean('是否开启网络投票须为是或否'),
  /** How many of the best entries 「发布到学习」 publishes. */
  winnerCount: z.number('获奖作品数须为数字').int().min(1, '获奖作品数至少 1').max(20, '获奖作品数不能超过 20'),
  /** The judges: members of the campaign org's subtree (on the roll, with an account). */
  judgeMemberIds: z
    .array(Uuid, '评委须为列表')
    .min(CONTEST_JUDGES_MIN, `请至少选 ${CONTEST_JUDGES_MIN} 位评委`)
    .max(CONTEST_JUDGES_MAX, `评委最多 ${CONTEST_JUDGES_MAX} 位`),
});
export type ContestInput = z.infer<typeof ContestInput>;
/**
 * Changing a campaign after creation (any of the fields; not its org). The rules (contests.ts `updateContest`):
 * nothing after the results or a withdrawal; the rubric and the drops not once a judge has scored; a judge who has
 * scored cannot be removed; the start date not once collecting has begun; the public vote not switched off once
 * votes were cast; the dates as on creation.
 */
export const ContestPatch = ContestInput.omit({ orgId: true }).partial();
export type ContestPatch = z.infer<typeof ContestPatch>;
export const ContestWithdraw = z.strictObject({
  reason: SafeText(200, '撤销理由').refine((s) => s.trim().length >= 2, '请填写撤销理由（至少 2 个字）'),
});

export const ContestView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  rules: z.string(),
  submitFrom: z.string(),
  submitTo: z.string(),
  rubric: z.array(z.object({ name: z.string(), max: z.number() })),
  dropHighest: z.number(),
  dropLowest: z.number(),
  publicVote: z.boolean(),
  winnerCount: z.number(),
  status: z.enum(CONTEST_STATUSES),
  phase: z.enum(CONTEST_PHASES),
  judges: z.array(z.object({ memberId: z.string(), name: z.string(), orgName: z.string() })),
  entryCount: z.number(),
  publishedAt: z.string().nullable(),
  /** The caller: may manage it (keeper of the org), is a judge, may submit (member of the subtree). */
  canManage: z.boolean(),
  isJudge: z.boolean(),
  canSubmit: z.boolean(),
  /** Whether the caller voted today (only with a public vote). */
  votedToday: z.boolean(),
});
export type ContestView = z.infer<typeof ContestView>;

export const ENTRY_MINUTES_MAX = 30;
/** Sent as the query string of the multipart upload (the video is the field `file`). */
export const EntryQuery = z.strictObject({
  title: SafeText(60, '作品名称').refine((s) => s.trim().length >= 2, '作品名称至少 2 个字'),
  description: SafeText(500, '作品简介').default(''),
  minutes: z.coerce
    .number('时长须为数字')
    .int('时长须为整数分钟')
    .min(1, '时长至少 1 分钟')
    .max(ENTRY_MINUTES_MAX, `时长不能超过 ${ENTRY_MINUTES_MAX} 分钟`)
    .default(3),
});
export type EntryQuery = z.infer<typeof EntryQuery>;

export const EntryView = z.object({
  id: z.string(),
  contestId: z.string(),
  title: z.string(),
  description: z.string(),
  authorName: z.string(),
  orgName: z.string(),
  minutes: z.number(),
  hasVideo: z.boolean(),
  submittedAt: z.string(),
  /** Public votes (null when the campaign has no public vote). */
  votes: z.number().nullable(),
  mine: z.boolean(),
  /** For a judge: his own item scores (null: not scored yet). Never anyone else's. */
  myScores: z.array(z.number()).nullable(),
  /** Published to the learning library: the learn item. */
  learnItemId: z.string().nullable(),
});
export type EntryView = z.infer<typeof EntryView>;

export const ScoreInput = z.strictObject({
  scores: z
    .array(z.number('分数须为数字').int('分数须为整数').min(0, '分数不能为负'), '分数须为列表')
    .min(1)
    .max(CONTEST_RUBRIC_MAX),
});
export type ScoreInput = z.infer<typeof ScoreInput>;

export const JudgeScore = z.object({
  judgeName: z.string(),
  scores: z.array(z.number()),
  total: z.number(),
  mine: z.boolean(),
});
export const EntryScores = z.object({
  entryId: z.string(),
  rubric: z.array(z.object({ name: z.string(), max: z.number() })),
  items: z.array(JudgeScore),
});
export type EntryScores = z.infer<typeof EntryScores>;

export const ResultRow = z.object({
  entryId: z.string(),
  rank: z.number().nullable(),
  title: z.string(),
  authorName: z.string(),
  orgName: z.string(),
  /** Each judge's total in judge order (null: not scored), and whether it was dropped from the mean. */
  judgeTotals: z.array(z.object({ judgeName: z.string(), total: z.number().nullable(), dropped: z.boolean() })),
  /** The trimmed mean, 2 decimals; null while fewer scores than the trimming needs. */
  final: z.number().nullable(),
  votes: z.number().nullable(),
  winner: z.boolean(),
  /** A judge who has not scored this entry sees no one's scores of it (nor its mean) until he has. */
  sealed: z.boolean(),
  learnItemId: z.string().nullable(),
});
export type ResultRow = z.infer<typeof ResultRow>;
export const ContestResults = z.object({
  contestId: z.string(),
  status: z.enum(CONTEST_STATUSES),
  rule: z.string(),
  items: z.array(ResultRow),
  total: z.number(),
});
export type ContestResults = z.infer<typeof ContestResults>;

/**
 * The trimmed mean of judge totals: drop `dropHighest` highest and `dropLowest` lowest, average the rest, round to
 * 2 decimals. Null when no total would remain.
 */
export function trimmedMean(
  totals: number[],
  dropHighest: number,
  dropLowest: number,
): { mean: number | null; dropped: number[] } {
  const order = totals.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  if (order.length <= dropHighest + dropLowest) return { mean: null, dropped: [] };
  const dropped = [...order.slice(0, dropLowest), ...order.slice(order.length - dropHighest)].map((x) => x.i);
  const kept = order.slice(dropLowest, order.length - dropHighest);
  const mean = kept.reduce((s, x) => s + x.v, 0) / kept.length;
  return { mean: Math.round(mean * 100) / 100, dropped };
}
