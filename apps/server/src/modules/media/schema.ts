import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ArticleDoc, BrandFields, RubricItem } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { appUser, org } from '../../platform/schema';
import { member } from '../member/service';
import { createdAtColumn, idColumn, refColumn, tenantColumn, updatedAtColumn } from '../../platform/columns';

/** A channel an administrator added to an org (the four built-in ones are data in shared/media.ts). */
export const mediaChannel = pgTable(
  'media_channel',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    name: text('name').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex('media_channel_org_name_uq').on(t.tenantId, t.orgId, t.name)],
);

/**
 * An article of an org: draft → in_review → published (or rejected with a reason, then edited and
 * submitted again). `review_org_id` is fixed at submission: the org whose managers review it (the org
 * above; the org itself for the top org). The body is a block document (never markup).
 */
export const mediaArticle = pgTable(
  'media_article',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    channel: text('channel').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    byline: text('byline').notNull().default(''),
    body: jsonb('body').$type<ArticleDoc>().notNull(),
    coverFileId: uuid('cover_file_id'),
    isPublic: boolean('is_public').notNull().default(false),
    pinned: boolean('pinned').notNull().default(false),
    mustRead: boolean('must_read').notNull().default(false),
    status: text('status').notNull().default('draft'),
    rejectReason: text('reject_reason'),
    reviewOrgId: uuid('review_org_id').references(() => org.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'date' }),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    readCount: integer('read_count').notNull().default(0),
    /** 定时发布 as asked by the writer; on approval `published_at` becomes the later of it and the approval. */
    publishAt: timestamp('publish_at', { withTimezone: true, mode: 'date' }),
    /** When the members' notice went out (once, when the article became visible). */
    announcedAt: timestamp('announced_at', { withTimezone: true, mode: 'date' }),
    /** Comments shown to everyone. */
    commentCount: integer('comment_count').notNull().default(0),
    /** news | story (典型 身边人身边事) | pioneer (党员先锋岗) | brand (党建品牌, one per org) — fixed at creation. */
    kind: text('kind').notNull().default('news'),
    /** A 党建品牌's fields (its body is made from them); null for other kinds. */
    brand: jsonb('brand').$type<BrandFields>(),
    /** The account that wrote it (null for the demo's history): its part of that person's data copy. */
    authorUserId: uuid('author_user_id').references(() => appUser.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    index('media_article_org_idx').on(t.tenantId, t.orgId, t.status, t.publishedAt),
    index('media_article_public_idx').on(t.tenantId, t.isPublic, t.status, t.publishedAt),
    index('media_article_review_idx').on(t.tenantId, t.status, t.reviewOrgId),
    index('media_article_author_idx').on(t.authorUserId),
    // One 党建品牌 per org (changed by withdrawing, editing and submitting it again).
    uniqueIndex('media_article_brand_uq')
      .on(t.tenantId, t.orgId)
      .where(sql`kind = 'brand'`),
  ],
);

/** The members a 典型 / 党员先锋岗 story is about (linked to their member records), in the order given. */
export const mediaHonoree = pgTable(
  'media_honoree',
  {
    tenantId: tenantColumn(),
    articleId: refColumn('article_id', () => mediaArticle.id),
    memberId: refColumn('member_id', () => member.id),
    /** 党员先锋岗: the post (岗位) the member stands at. */
    post: text('post').notNull().default(''),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.memberId] }), index('media_honoree_member_idx').on(t.memberId)],
);

/** Images of an article (cover and body images), bytes in the platform file store. */
export const mediaFile = pgTable(
  'media_file',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    articleId: refColumn('article_id', () => mediaArticle.id),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by'),
    createdAt: createdAtColumn(),
  },
  (t) => [index('media_file_article_idx').on(t.articleId)],
);

/** A signed-in person's first reading of a published article (the 必读 receipt and the read count). */
export const mediaRead = pgTable(
  'media_read',
  {
    tenantId: tenantColumn(),
    articleId: refColumn('article_id', () => mediaArticle.id),
    userId: refColumn('user_id', () => appUser.id),
    memberId: uuid('member_id').references(() => member.id),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.userId] }), index('media_read_member_idx').on(t.articleId, t.memberId)],
);

/**
 * An online lecture (网上课堂/讲座) of an org, for its subtree: a speaker, a time, and an uploaded video (bytes in
 * the platform file store) or an external live-stream address. draft → published (the notice goes out).
 */
export const mediaLecture = pgTable(
  'media_lecture',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    title: text('title').notNull(),
    speaker: text('speaker').notNull(),
    summary: text('summary').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    streamUrl: text('stream_url'),
    videoKey: text('video_key'),
    videoName: text('video_name'),
    videoMime: text('video_mime'),
    videoSize: integer('video_size'),
    videoSha256: text('video_sha256'),
    status: text('status').notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [index('media_lecture_org_idx').on(t.tenantId, t.orgId, t.startsAt)],
);

/** A question asked in a lecture: pending until the moderator approves (shown to all) or rejects it. */
export const mediaLectureQuestion = pgTable(
  'media_lecture_question',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    lectureId: refColumn('lecture_id', () => mediaLecture.id),
    userId: refColumn('user_id', () => appUser.id),
    askerName: text('asker_name').notNull(),
    text: text('text').notNull(),
    status: text('status').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('media_lecture_question_lecture_idx').on(t.lectureId, t.createdAt),
    index('media_lecture_question_user_idx').on(t.userId),
  ],
);

/** A member's joining of a lecture during its time, once (the 党课 attendance goes to the meeting module). */
export const mediaLectureAttendance = pgTable(
  'media_lecture_attendance',
  {
    tenantId: tenantColumn(),
    lectureId: refColumn('lecture_id', () => mediaLecture.id),
    memberId: refColumn('member_id', () => member.id),
    userId: uuid('user_id').references(() => appUser.id),
    orgId: refColumn('org_id', () => org.id),
    meetingId: uuid('meeting_id'),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lectureId, t.memberId] }), index('media_lecture_attendance_user_idx').on(t.userId)],
);

/**
 * A comment on one subject — a published article, a published lecture (its recording) or a contest entry (its
 * video); exactly one of the three ids is set. `shown` at once, or `held` when it hit the sensitive-word list (only
 * its author and the moderators see it) until a moderator approves (shown) or rejects it with a reason.
 * `orgId` is the subject's own org: its record keepers moderate, the queue filters on it.
 */
export const mediaComment = pgTable(
  'media_comment',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    articleId: uuid('article_id').references(() => mediaArticle.id),
    lectureId: uuid('lecture_id').references(() => mediaLecture.id),
    entryId: uuid('entry_id').references(() => mediaContestEntry.id),
    orgId: refColumn('org_id', () => org.id),
    userId: refColumn('user_id', () => appUser.id),
    authorName: text('author_name').notNull(),
    text: text('text').notNull(),
    status: text('status').notNull(),
    /** The sensitive words it hit (moderators see them). */
    hits: jsonb('hits').$type<string[]>().notNull().default([]),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    check('media_comment_one_subject', sql`num_nonnulls(${t.articleId}, ${t.lectureId}, ${t.entryId}) = 1`),
    index('media_comment_article_idx').on(t.articleId, t.status, t.createdAt),
    index('media_comment_lecture_idx').on(t.lectureId, t.status, t.createdAt),
    index('media_comment_entry_idx').on(t.entryId, t.status, t.createdAt),
    index('media_comment_held_idx').on(t.tenantId, t.status, t.createdAt),
    index('media_comment_user_idx').on(t.userId),
  ],
);

/** A tenant's sensitive-word list (absent: the default list of shared/media-comments.ts), versioned for the matcher cache. */
export const mediaWordList = pgTable('media_word_list', {
  tenantId: uuid('tenant_id').primaryKey(),
  words: jsonb('words').$type<string[]>().notNull(),
  version: integer('version').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: updatedAtColumn(),
});

/** 微视频征集: a campaign of an org for its subtree (rules in shared/media-contest.ts). */
export const mediaContest = pgTable(
  'media_contest',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    title: text('title').notNull(),
    rules: text('rules').notNull(),
    /** The submit window, Beijing dates, both days included. */
    submitFrom: date('submit_from', { mode: 'string' }).notNull(),
    submitTo: date('submit_to', { mode: 'string' }).notNull(),
    rubric: jsonb('rubric').$type<RubricItem[]>().notNull(),
    dropHighest: integer('drop_highest').notNull().default(0),
    dropLowest: integer('drop_lowest').notNull().default(0),
    publicVote: boolean('public_vote').notNull().default(false),
    winnerCount: integer('winner_count').notNull().default(3),
    /** open → published (results fixed, winners in the learning library). */
    status: text('status').notNull().default('open'),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index('media_contest_org_idx').on(t.tenantId, t.orgId, t.submitFrom)],
);

/** A judge of a campaign: a member with an account, named by the campaign's org. */
export const mediaContestJudge = pgTable(
  'media_contest_judge',
  {
    tenantId: tenantColumn(),
    contestId: refColumn('contest_id', () => mediaContest.id),
    userId: refColumn('user_id', () => appUser.id),
    memberId: refColumn('member_id', () => member.id),
    name: text('name').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contestId, t.userId] }), index('media_contest_judge_user_idx').on(t.userId)],
);

/** A member's entry: the video in the platform file store (folder `media`). */
export const mediaContestEntry = pgTable(
  'media_contest_entry',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    contestId: refColumn('contest_id', () => mediaContest.id),
    memberId: refColumn('member_id', () => member.id),
    /** The submitting account (null only for the demo's entries of members without one). */
    userId: uuid('user_id').references(() => appUser.id),
    /** The member's org when submitting. */
    orgId: refColumn('org_id', () => org.id),
    authorName: text('author_name').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    minutes: integer('minutes').notNull().default(3),
    /** The video (null only for demo entries, which come without files). */
    videoKey: text('video_key'),
    videoName: text('video_name'),
    videoMime: text('video_mime'),
    videoSize: integer('video_size'),
    videoSha256: text('video_sha256'),
    /** The learn item it was published as (「发布到学习」). */
    learnItemId: uuid('learn_item_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('media_contest_entry_member_uq').on(t.contestId, t.memberId),
    index('media_contest_entry_user_idx').on(t.userId),
  ],
);

/** One judge's scores of one entry (one row per judge and entry; editable until the results are published). */
export const mediaContestScore = pgTable(
  'media_contest_score',
  {
    tenantId: tenantColumn(),
    contestId: refColumn('contest_id', () => mediaContest.id),
    entryId: refColumn('entry_id', () => mediaContestEntry.id),
    judgeUserId: refColumn('judge_user_id', () => appUser.id),
    scores: jsonb('scores').$type<number[]>().notNull(),
    total: integer('total').notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.judgeUserId] }),
    index('media_contest_score_judge_idx').on(t.judgeUserId),
  ],
);

/** A public vote: one per member (account) per Beijing day per campaign — the primary key says so. */
export const mediaContestVote = pgTable(
  'media_contest_vote',
  {
    tenantId: tenantColumn(),
    contestId: refColumn('contest_id', () => mediaContest.id),
    userId: refColumn('user_id', () => appUser.id),
    day: date('day', { mode: 'string' }).notNull(),
    entryId: refColumn('entry_id', () => mediaContestEntry.id),
    createdAt: createdAtColumn(),
  },
  (t) => [primaryKey({ columns: [t.contestId, t.userId, t.day] }), index('media_contest_vote_entry_idx').on(t.entryId)],
);
