/**
 * 宣传 (media): articles in channels, reviewed before publishing, optionally shown on the public portal,
 * optionally 必读 for an org subtree.
 *
 * An article's body is never markup. It is a small block document (ArticleDoc below): paragraphs,
 * headings, lists, images that name an uploaded file and links whose address is http(s) or mailto, with
 * bold/italic marks on text. The web renders it as React elements; the public portal's HTML comes from
 * one server-side allow-list renderer that escapes every text (docs/adr/0001-article-documents.md).
 * Text that carries script, event-handler attributes or javascript: links is refused with a Chinese
 * message, even though it would only ever be shown as text.
 */
import { z } from 'zod';
import { Uuid } from './api';
import type { Citation } from './learn';

/** Channels every org has; an administrator adds others per org (they are seen by the org's subtree). */
export const BUILTIN_CHANNELS = ['要闻', '通知公告', '基层动态', '企地共建'] as const;

export const ARTICLE_STATUSES = ['draft', 'in_review', 'published', 'rejected'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const ARTICLE_STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: '草稿',
  in_review: '待审核',
  published: '已发布',
  rejected: '已退回',
};

/** Who reviews: the rule and its source (the source read from secondary texts: unconfirmed). */
export const REVIEW_RULE: Citation = {
  text: '《中国共产党宣传工作条例》（2019年）关于宣传阵地“谁主管谁负责”、内容审核把关的要求；本系统规则：党支部（及党总支）的稿件由上一级党组织的管理员审核后发布，最上级党组织的稿件由本级管理员审核',
  confirmed: false,
};

// ---------------------------------------------------------------- the document

/** What makes a text refused: script elements, event-handler attributes, script URLs. */
const UNSAFE_TEXT: RegExp[] = [
  /<\s*\/?\s*script\b/i,
  /<[^>]*\son[a-z]+\s*=/i,
  /^\s*on[a-z]+\s*=/i,
  /(java|vb)script\s*:/i,
  /data\s*:\s*text\/html/i,
];
export const UNSAFE_TEXT_MESSAGE = '内容不能包含脚本、事件处理代码（on…=）或 javascript: 链接';
/** True when a text carries something that would run if it were ever taken for markup. */
export const isUnsafeText = (s: string): boolean => UNSAFE_TEXT.some((re) => re.test(s));

/** A plain text field that refuses script-like content. */
export const SafeText = (max: number, label: string) =>
  z
    .string(`${label}须为文字`)
    .max(max, `${label}不能超过 ${max} 字`)
    .refine((s) => !isUnsafeText(s), `${label}${UNSAFE_TEXT_MESSAGE}`);

/** Link addresses: http, https and mailto only. */
export const SAFE_HREF = /^(https?:\/\/[^\s<>"']+|mailto:[^\s<>"':]+@[^\s<>"']+)$/i;
export const isSafeHref = (href: string): boolean => SAFE_HREF.test(href) && !isUnsafeText(href);

export const MARKS = ['bold', 'italic'] as const;
const Marks = z.array(z.enum(MARKS, '文字样式只能是加粗或斜体')).max(2).optional();

export const TextRun = z.strictObject({ type: z.literal('text'), text: SafeText(5000, '正文'), marks: Marks });
export const LinkRun = z.strictObject({
  type: z.literal('link'),
  text: SafeText(500, '链接文字').refine((s) => s.trim() !== '', '链接文字不能为空'),
  href: z
    .string('链接地址须为文字')
    .trim()
    .max(1000, '链接地址不能超过 1000 字')
    .refine(isSafeHref, '链接地址只能以 http://、https:// 或 mailto: 开头，不能是 javascript: 等脚本链接'),
  marks: Marks,
});
export const Inline = z.discriminatedUnion('type', [TextRun, LinkRun], '文字段须为文字或链接');
export type Inline = z.infer<typeof Inline>;
const Inlines = z.array(Inline).max(200, '一段文字最多 200 个片段');

export const ParagraphBlock = z.strictObject({ type: z.literal('paragraph'), content: Inlines });
export const HeadingBlock = z.strictObject({
  type: z.literal('heading'),
  level: z.union([z.literal(2), z.literal(3)], '标题级别只能是 2 或 3'),
  content: Inlines,
});
export const ListBlock = z.strictObject({
  type: z.literal('list'),
  ordered: z.boolean('列表须说明是否编号'),
  items: z.array(Inlines).min(1, '列表至少一项').max(100, '列表最多 100 项'),
});
export const ImageBlock = z.strictObject({
  type: z.literal('image'),
  fileId: Uuid,
  caption: SafeText(200, '图片说明').optional(),
});
export const Block = z.discriminatedUnion(
  'type',
  [ParagraphBlock, HeadingBlock, ListBlock, ImageBlock],
  '正文块只能是段落、标题、列表或图片',
);
export type Block = z.infer<typeof Block>;

export const ArticleDoc = z.strictObject({
  version: z.literal(1, '文档版本须为 1'),
  blocks: z.array(Block).max(500, '正文最多 500 块'),
});
export type ArticleDoc = z.infer<typeof ArticleDoc>;

/** The text of a run list, a block, a document (for summaries and search). */
export const inlineText = (xs: Inline[]) => xs.map((x) => x.text).join('');
export const docText = (d: ArticleDoc): string =>
  d.blocks
    .map((b) =>
      b.type === 'list'
        ? b.items.map(inlineText).join('\n')
        : b.type === 'image'
          ? (b.caption ?? '')
          : inlineText(b.content),
    )
    .filter(Boolean)
    .join('\n');
/** Image file ids a document names. */
export const docImages = (d: ArticleDoc): string[] => d.blocks.flatMap((b) => (b.type === 'image' ? [b.fileId] : []));
/** A document of plain paragraphs (demo data, tests). */
export const paragraphs = (...texts: string[]): ArticleDoc => ({
  version: 1,
  blocks: texts.map((text) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })),
});

// ---------------------------------------------------------------- 典型, 党员先锋岗, 党建品牌

/**
 * What an article is: news (in a channel), a 典型 story (身边人身边事) or a 党员先锋岗 story — both naming members
 * from the member records (honorees) — or an org's 党建品牌 (one per org; its body is built from the brand's fields).
 * They are all articles: the same review by the org above, files, comments and portal.
 */
export const ARTICLE_KINDS = ['news', 'story', 'pioneer', 'brand'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];
export const ARTICLE_KIND_LABELS: Record<ArticleKind, string> = {
  news: '新闻',
  story: '身边人身边事',
  pioneer: '党员先锋岗',
  brand: '党建品牌',
};
/** The channel each non-news kind is filed in (fixed by the kind; no news article and no admin channel may take these names). */
export const KIND_CHANNELS: Record<Exclude<ArticleKind, 'news'>, string> = {
  story: '身边人身边事',
  pioneer: '党员先锋岗',
  brand: '党建品牌',
};
export const kindOfChannel = (channel: string): ArticleKind | null =>
  (Object.entries(KIND_CHANNELS).find(([, c]) => c === channel)?.[0] as ArticleKind | undefined) ?? null;
export const HONOREE_MAX = 20;
export const BRAND_PHOTO_MAX = 12;

/** A member a story is about; for 党员先锋岗 the post (岗位) they stand at. */
export const HonoreeInput = z.strictObject({
  memberId: Uuid,
  post: SafeText(50, '岗位名称').default(''),
});
export type HonoreeInput = z.infer<typeof HonoreeInput>;
export const HonoreeView = z.object({ memberId: z.string(), name: z.string(), orgName: z.string(), post: z.string() });
export type HonoreeView = z.infer<typeof HonoreeView>;

const Line = (label: string) => SafeText(300, label).refine((s) => s.trim() !== '', `${label}不能为空行`);
/** An org's 党建品牌: the article's title is its name; these fields make its body (brandDoc). */
export const BrandFields = z.strictObject({
  slogan: SafeText(50, '品牌口号').refine((s) => s.trim() !== '', '请填写品牌口号'),
  idea: SafeText(1000, '品牌理念').refine((s) => s.trim() !== '', '请填写品牌理念'),
  practices: z.array(Line('主要做法'), '主要做法须为列表').min(1, '请至少写一条主要做法').max(20, '主要做法最多 20 条'),
  results: z.array(Line('工作成效'), '工作成效须为列表').max(20, '工作成效最多 20 条'),
  /** Photos: files uploaded to this article (shown in the body, in order). */
  photoFileIds: z.array(Uuid, '品牌照片须为文件列表').max(BRAND_PHOTO_MAX, `品牌照片最多 ${BRAND_PHOTO_MAX} 张`),
});
export type BrandFields = z.infer<typeof BrandFields>;

/** The body of a 党建品牌 article, made from its fields (so the web, the portal and the data copy need nothing new). */
export function brandDoc(b: BrandFields): ArticleDoc {
  const t = (text: string) => [{ type: 'text' as const, text }];
  const blocks: Block[] = [
    { type: 'paragraph', content: [{ type: 'text', text: b.slogan, marks: ['bold'] }] },
    { type: 'heading', level: 2, content: t('品牌理念') },
    { type: 'paragraph', content: t(b.idea) },
    { type: 'heading', level: 2, content: t('主要做法') },
    { type: 'list', ordered: true, items: b.practices.map(t) },
  ];
  if (b.results.length)
    blocks.push(
      { type: 'heading', level: 2, content: t('工作成效') },
      { type: 'list', ordered: false, items: b.results.map(t) },
    );
  for (const fileId of b.photoFileIds) blocks.push({ type: 'image', fileId });
  return { version: 1, blocks };
}

// ---------------------------------------------------------------- API shapes

/** An instant with its offset (schedules, lecture times). */
const instant = (label: string) =>
  z.iso.datetime({ offset: true, message: `${label}须为带时区的 ISO 8601 时间，如 2026-03-15T14:30:00+08:00` });
/** How far ahead an article may be scheduled. */
export const SCHEDULE_MAX_DAYS = 366;

const Channel = z.string('请选择栏目').trim().min(1, '请选择栏目').max(20, '栏目名称不能超过 20 字');

const ArticleFields = {
  channel: Channel,
  title: SafeText(100, '标题').refine((s) => s.trim() !== '', '请填写标题'),
  summary: SafeText(300, '摘要'),
  /** The byline shown with the article (on the portal too): an org's name or the author's chosen name. */
  byline: SafeText(50, '署名'),
  body: ArticleDoc,
  coverFileId: Uuid.nullable(),
  isPublic: z.boolean('是否公开须为是或否'),
  pinned: z.boolean('是否置顶须为是或否'),
  mustRead: z.boolean('是否必读须为是或否'),
  /** 定时发布: when set, an approved article becomes visible at this time (by the shared clock), not before. */
  publishAt: instant('定时发布时间').nullable(),
};
export const ArticleInput = z
  .strictObject({
    orgId: Uuid,
    ...ArticleFields,
    summary: ArticleFields.summary.default(''),
    byline: ArticleFields.byline.default(''),
    coverFileId: ArticleFields.coverFileId.default(null),
    isPublic: ArticleFields.isPublic.default(false),
    pinned: ArticleFields.pinned.default(false),
    mustRead: ArticleFields.mustRead.default(false),
    publishAt: ArticleFields.publishAt.default(null),
    /** news, a 典型 story, a 党员先锋岗 story or the org's 党建品牌 (fixed once created). */
    kind: z.enum(ARTICLE_KINDS, '类型须为 news、story、pioneer 或 brand').default('news'),
    honorees: z
      .array(HonoreeInput, '典型人物须为列表')
      .max(HONOREE_MAX, `一篇最多 ${HONOREE_MAX} 名典型人物`)
      .default([]),
    brand: BrandFields.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if ((v.kind === 'story' || v.kind === 'pioneer') && v.honorees.length === 0)
      ctx.addIssue({ code: 'custom', path: ['honorees'], message: '请选择至少一名典型人物（党员）' });
    if (v.kind === 'pioneer' && v.honorees.some((h) => h.post.trim() === ''))
      ctx.addIssue({ code: 'custom', path: ['honorees'], message: '党员先锋岗须写明岗位名称' });
    if (v.kind !== 'story' && v.kind !== 'pioneer' && v.honorees.length)
      ctx.addIssue({ code: 'custom', path: ['honorees'], message: '只有典型和先锋岗文章可以关联党员' });
    if (v.kind === 'brand' && !v.brand)
      ctx.addIssue({ code: 'custom', path: ['brand'], message: '请填写党建品牌的口号、理念和做法' });
    if (v.kind !== 'brand' && v.brand)
      ctx.addIssue({ code: 'custom', path: ['brand'], message: '只有党建品牌可以填写品牌内容' });
  });
export type ArticleInput = z.infer<typeof ArticleInput>;
/** A change: only the fields given (no defaults, so an edit of the body leaves the flags as they are). Kind is fixed. */
export const ArticlePatch = z
  .strictObject({
    ...ArticleFields,
    honorees: z.array(HonoreeInput, '典型人物须为列表').max(HONOREE_MAX, `一篇最多 ${HONOREE_MAX} 名典型人物`),
    brand: BrandFields,
  })
  .partial();
export type ArticlePatch = z.infer<typeof ArticlePatch>;

export const ReviewInput = z
  .strictObject({
    approve: z.boolean('请选择通过或退回'),
    reason: SafeText(300, '退回理由').optional(),
  })
  .refine((v) => v.approve || (v.reason ?? '').trim() !== '', { message: '退回时须填写理由', path: ['reason'] });
export type ReviewInput = z.infer<typeof ReviewInput>;

export const ChannelInput = z.strictObject({
  orgId: Uuid,
  name: SafeText(20, '栏目名称').refine((s) => s.trim() !== '', '请填写栏目名称'),
});

export const ChannelView = z.object({
  id: z.string().nullable(),
  name: z.string(),
  builtIn: z.boolean(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
});
export type ChannelView = z.infer<typeof ChannelView>;

export const ArticleBrief = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  channel: z.string(),
  title: z.string(),
  summary: z.string(),
  byline: z.string(),
  coverFileId: z.string().nullable(),
  isPublic: z.boolean(),
  pinned: z.boolean(),
  mustRead: z.boolean(),
  status: z.enum(ARTICLE_STATUSES),
  publishedAt: z.string().nullable(),
  /** The scheduled publishing time (定时发布), if any. */
  publishAt: z.string().nullable(),
  /** Approved, waiting for its publishing time: nobody but its keepers and reviewers sees it yet. */
  scheduled: z.boolean(),
  readCount: z.number(),
  /** Comments shown to everyone (approved). */
  commentCount: z.number(),
  read: z.boolean().optional(),
  kind: z.enum(ARTICLE_KINDS),
  /** The members a 典型/先锋岗 story is about (name, org, post — nothing else of their record). */
  honorees: z.array(HonoreeView),
});
export type ArticleBrief = z.infer<typeof ArticleBrief>;

export const ArticleDetail = ArticleBrief.extend({
  body: ArticleDoc,
  /** A 党建品牌's fields (null for other kinds). */
  brand: BrandFields.nullable(),
  rejectReason: z.string().nullable(),
  submittedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewOrgName: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** What the caller may do with it. */
  canEdit: z.boolean(),
  canReview: z.boolean(),
  reviewRule: z.string(),
});
export type ArticleDetail = z.infer<typeof ArticleDetail>;

export const MediaFile = z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number() });
export type MediaFile = z.infer<typeof MediaFile>;

export const UnreadRow = z.object({
  memberId: z.string(),
  name: z.string(),
  orgName: z.string(),
  hasAccount: z.boolean(),
});
export type UnreadRow = z.infer<typeof UnreadRow>;

export const MediaTodo = z.object({ id: z.string(), title: z.string(), orgName: z.string(), publishedAt: z.string() });
export type MediaTodo = z.infer<typeof MediaTodo>;

/** What the public portal shows of an article: no account, no reviewer, no reader — the byline only. */
export const PublicArticle = z.object({
  id: z.string(),
  channel: z.string(),
  title: z.string(),
  summary: z.string(),
  byline: z.string(),
  orgName: z.string(),
  publishedAt: z.string(),
  coverUrl: z.string().nullable(),
  url: z.string(),
});
export type PublicArticle = z.infer<typeof PublicArticle>;

// ---------------------------------------------------------------- online lectures (网上课堂/讲座)

/**
 * A lecture of an org: its subtree's members watch (an uploaded video or an external live stream) and ask
 * questions during its time; the hosting org's secretary/admins moderate. Joining counts as 党课 attendance
 * for the member's own org (recorded through the meeting module, so it is in the 台账 and the compliance check).
 */
export const LECTURE_STATUSES = ['draft', 'published'] as const;
export type LectureStatus = (typeof LECTURE_STATUSES)[number];
export const LECTURE_QUESTION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type LectureQuestionStatus = (typeof LECTURE_QUESTION_STATUSES)[number];
export const LECTURE_QUESTION_STATUS_LABELS: Record<LectureQuestionStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
};
/** The longest lecture (a day's programme); the room opens this many minutes before the start to watch and wait. */
export const LECTURE_MAX_HOURS = 12;
export const LECTURE_QUESTION_MAX_CHARS = 300;

/** Live-stream addresses: http(s) only, no credentials, nothing script-like. */
export const STREAM_URL = /^https?:\/\/[^\s<>"'@]+$/i;
export const isStreamUrl = (s: string): boolean => STREAM_URL.test(s) && !isUnsafeText(s) && s.length <= 500;

const LectureFields = {
  title: SafeText(100, '讲座标题').refine((s) => s.trim() !== '', '请填写讲座标题'),
  speaker: SafeText(50, '主讲人').refine((s) => s.trim() !== '', '请填写主讲人'),
  summary: SafeText(500, '简介'),
  startsAt: instant('开始时间'),
  endsAt: instant('结束时间'),
  streamUrl: z
    .string('直播地址须为文字')
    .trim()
    .max(500, '直播地址不能超过 500 字')
    .refine((s) => s === '' || isStreamUrl(s), '直播地址须为 http:// 或 https:// 开头的网址')
    .nullable(),
};
export const LectureInput = z.strictObject({
  orgId: Uuid,
  ...LectureFields,
  summary: LectureFields.summary.default(''),
  streamUrl: LectureFields.streamUrl.default(null),
});
export type LectureInput = z.infer<typeof LectureInput>;
export const LecturePatch = z.strictObject(LectureFields).partial();
export type LecturePatch = z.infer<typeof LecturePatch>;

export const LectureView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  title: z.string(),
  speaker: z.string(),
  summary: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  streamUrl: z.string().nullable(),
  video: z.object({ fileName: z.string(), mime: z.string(), size: z.number() }).nullable(),
  status: z.enum(LECTURE_STATUSES),
  publishedAt: z.string().nullable(),
  /** before | live | ended, by the shared clock. */
  phase: z.enum(['before', 'live', 'ended']),
  attendees: z.number(),
  /** What the caller may do: edit and publish (the hosting org's keepers), moderate questions, attend (a member of the subtree). */
  canEdit: z.boolean(),
  canModerate: z.boolean(),
  canAttend: z.boolean(),
  /** The caller's attendance was recorded (joined during the lecture). */
  joined: z.boolean(),
});
export type LectureView = z.infer<typeof LectureView>;

export const LectureQuestionInput = z.strictObject({
  text: SafeText(LECTURE_QUESTION_MAX_CHARS, '提问').refine((s) => s.trim() !== '', '请填写提问内容'),
});
export const LectureQuestionDecision = z.strictObject({ approve: z.boolean('请选择通过或拒绝') });
export const LectureQuestion = z.object({
  id: z.string(),
  lectureId: z.string(),
  askerName: z.string(),
  text: z.string(),
  status: z.enum(LECTURE_QUESTION_STATUSES),
  mine: z.boolean(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type LectureQuestion = z.infer<typeof LectureQuestion>;
export const JoinReply = z.object({ joined: z.literal(true), recorded: z.boolean(), orgName: z.string() });
