/**
 * 宣传 comments and the sensitive-word filter.
 *
 * Members comment on published articles, published lectures (the recording) and 微视频征集 entries. A comment that contains a word of the tenant's sensitive-word list
 * is held (待审核): its author sees it, nobody else does, until a moderator (the article org's 书记/管理员)
 * approves or rejects it with a reason (the moderators of a lecture or entry: the hosting org's / the campaign org's
 * 书记/管理员). A comment without a hit is shown at once.
 *
 * The word list is tenant data an administrator edits; a tenant that never edited it uses DEFAULT_SENSITIVE_WORDS.
 * Matching: one Aho–Corasick automaton per list version (built once, then every comment is one pass over its
 * text, however long the list), on a normalized text — full-width to half-width (NFKC), lower case, and spaces,
 * punctuation and symbols removed, so 「赌 博」 and 「賭-博」 style spacing does not slip past.
 */
import { z } from 'zod';
import { SafeText } from './media';
import type { Citation } from './learn';

export const COMMENT_MAX_CHARS = 500;

/**
 * How often one person may comment, over all articles together (deleted comments count too, so deleting does not
 * make room). A rule of this system against flooding, not of a regulation.
 */
export const COMMENT_RATE_LIMITS: readonly { seconds: number; max: number; label: string }[] = [
  { seconds: 60, max: 5, label: '1 分钟' },
  { seconds: 86_400, max: 100, label: '24 小时' },
];
export const COMMENT_RATE_SOURCE: Citation = {
  text: '本系统规则：防止刷屏，每人 1 分钟内最多 5 条、24 小时内最多 100 条评论（已删除的也计入）',
  confirmed: false,
};
export const SENSITIVE_WORD_MAX_CHARS = 20;
export const SENSITIVE_WORDS_MAX = 20_000;
/** Words per add/remove request (an import of a list file is one request). */
export const SENSITIVE_WORDS_PER_EDIT = 5_000;

/**
 * The list a tenant starts with: a small example of words commonly filtered on enterprise platforms (gambling,
 * fraud, pornography, weapons and drugs, abuse). Not from a regulation — each organization keeps its own list.
 */
export const DEFAULT_SENSITIVE_WORDS: readonly string[] = [
  '赌博',
  '博彩',
  '网络赌场',
  '代开发票',
  '办假证',
  '刷单返利',
  '高利贷',
  '传销',
  '色情',
  '裸聊',
  '枪支弹药',
  '毒品',
  '冰毒',
  '傻逼',
  '王八蛋',
  '去死',
];
export const SENSITIVE_WORDS_SOURCE: Citation = {
  text: '《网络信息内容生态治理规定》（2019年）第六条、第七条关于不良信息的规定；本系统规则：评论命中本单位敏感词表的先审后发，默认词表仅为示例，由管理员按本单位要求维护',
  confirmed: false,
};

export const COMMENT_STATUSES = ['shown', 'held', 'rejected'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];
export const COMMENT_STATUS_LABELS: Record<CommentStatus, string> = {
  shown: '已显示',
  held: '待审核',
  rejected: '未通过',
};

export const CommentInput = z.strictObject({
  text: SafeText(COMMENT_MAX_CHARS, '评论').refine((s) => s.trim() !== '', '请填写评论内容'),
});
export const CommentDecision = z
  .strictObject({
    approve: z.boolean('请选择通过或拒绝'),
    reason: SafeText(200, '拒绝理由').optional(),
  })
  .refine((v) => v.approve || (v.reason ?? '').trim() !== '', { message: '拒绝时须填写理由', path: ['reason'] });
export type CommentDecision = z.infer<typeof CommentDecision>;

/** What a comment is on: a published article, a published lecture (its recording), a 微视频征集 entry (its video). */
export const COMMENT_SUBJECTS = ['article', 'lecture', 'entry'] as const;
export type CommentSubject = (typeof COMMENT_SUBJECTS)[number];
export const COMMENT_SUBJECT_LABELS: Record<CommentSubject, string> = {
  article: '文章',
  lecture: '讲座',
  entry: '微视频作品',
};

export const CommentView = z.object({
  id: z.string(),
  subjectKind: z.enum(COMMENT_SUBJECTS),
  subjectId: z.string(),
  authorName: z.string(),
  text: z.string(),
  status: z.enum(COMMENT_STATUSES),
  mine: z.boolean(),
  createdAt: z.string(),
  /** For the author and moderators: why it was rejected. */
  reason: z.string().nullable(),
  /** For moderators only: the sensitive words it hit (empty for others). */
  hits: z.array(z.string()),
});
export type CommentView = z.infer<typeof CommentView>;
/** A comment in the moderators' queue, with the title of what it is on and the web page that shows it. */
export const QueuedComment = CommentView.extend({
  subjectTitle: z.string(),
  subjectLink: z.string(),
  orgName: z.string(),
});
export type QueuedComment = z.infer<typeof QueuedComment>;

const Word = z
  .string('敏感词须为文字')
  .trim()
  .min(1, '敏感词不能为空')
  .max(SENSITIVE_WORD_MAX_CHARS, `敏感词不能超过 ${SENSITIVE_WORD_MAX_CHARS} 字`);
const Words = z.array(Word).max(SENSITIVE_WORDS_PER_EDIT, `一次最多 ${SENSITIVE_WORDS_PER_EDIT} 个敏感词`);
/** Add and/or remove words (an import is an add of the file's lines). */
export const SensitiveWordsEdit = z
  .strictObject({ add: Words.default([]), remove: Words.default([]) })
  .refine((v) => v.add.length + v.remove.length > 0, { message: '请填写要添加或删除的敏感词', path: ['add'] });
export type SensitiveWordsEdit = z.infer<typeof SensitiveWordsEdit>;
export const SensitiveWordRow = z.object({ word: z.string() });
export const SensitiveWordsMeta = z.object({ version: z.number(), isDefault: z.boolean(), source: z.string() });

// ---------------------------------------------------------------- matching

/** The form texts and words are compared in. */
export const normalizeForMatch = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');

type Node = { next: Map<string, number>; fail: number; out: number[] };
/** A compiled word list: `find(text)` returns the words it contains (each once, in list order). */
export type WordMatcher = { find(text: string): string[]; size: number };

/** Builds the Aho–Corasick automaton of a word list (normalized; empty words dropped). */
export function buildMatcher(words: readonly string[]): WordMatcher {
  const list = [...new Set(words.map(normalizeForMatch).filter(Boolean))];
  const nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  list.forEach((w, i) => {
    let at = 0;
    for (const ch of w) {
      let n = nodes[at]!.next.get(ch);
      if (n === undefined) {
        n = nodes.length;
        nodes.push({ next: new Map(), fail: 0, out: [] });
        nodes[at]!.next.set(ch, n);
      }
      at = n;
    }
    nodes[at]!.out.push(i);
  });
  // Breadth first: each node's failure link is the longest proper suffix that is also a path from the root.
  const queue: number[] = [...nodes[0]!.next.values()];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    for (const [ch, v] of nodes[u]!.next) {
      let f = nodes[u]!.fail;
      while (f !== 0 && !nodes[f]!.next.has(ch)) f = nodes[f]!.fail;
      const g = nodes[f]!.next.get(ch);
      nodes[v]!.fail = g !== undefined && g !== v ? g : 0;
      nodes[v]!.out.push(...nodes[nodes[v]!.fail]!.out);
      queue.push(v);
    }
  }
  return {
    size: list.length,
    find(text: string) {
      const found = new Set<number>();
      let at = 0;
      for (const ch of normalizeForMatch(text)) {
        while (at !== 0 && !nodes[at]!.next.has(ch)) at = nodes[at]!.fail;
        at = nodes[at]!.next.get(ch) ?? 0;
        for (const i of nodes[at]!.out) found.add(i);
      }
      return [...found].sort((a, b) => a - b).map((i) => list[i]!);
    },
  };
}
