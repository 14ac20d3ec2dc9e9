import type { DrawRule } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { appUser, org } from '../../platform/schema';
import { developPerson } from '../develop/service';
import { member } from '../member/service';
import { createdAtColumn, idColumn, refColumn, tenantColumn, updatedAtColumn } from '../../platform/columns';

/**
 * One piece of learning content: a course, a micro-video, a 党建百科 entry or a book of the
 * e-library. Published by an org; seen by everyone in that org's subtree (and by the managers
 * above it). Never deleted: `published_at` null is a draft, `retired_at` takes it off the shelves.
 */
export const learnItem = pgTable(
  'learn_item',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    body: text('body').notNull().default(''),
    /** Keywords joined by spaces (a plain text column, so the generated grams stay immutable). */
    keywords: text('keywords').notNull().default(''),
    author: text('author').notNull().default(''),
    minutes: integer('minutes').notNull().default(5),
    required: boolean('required').notNull().default(false),
    dueOn: date('due_on', { mode: 'string' }),
    /**
     * Who a required item binds (LEARN_AUDIENCES): `all` 全体党员 on the roll of the subtree, `probationary` 预备党员
     * only, `activist` the 入党积极分子 and 发展对象 of the subtree (develop persons; their study is registered offline).
     */
    audience: text('audience').notNull().default('all'),
    /** Pinyin initials of the title (学习党章 → xxdz), for search as people type. */
    titleInitials: text('title_initials').notNull(),
    /**
     * 1- and 2-character substrings of title, keywords, summary and the first 3000 characters of the
     * body (ASCII folded), by the roster's member_name_grams(): a GIN index answers "contains q" for
     * CJK on PGlite and PostgreSQL alike (pg_trgm makes no trigrams of CJK in the C locale).
     */
    searchGrams: text('search_grams')
      .array()
      .notNull()
      .generatedAlwaysAs(sql`member_name_grams(title || ' ' || keywords || ' ' || summary || ' ' || left(body, 3000))`),
    /** The same for the title's pinyin initials: "dzxx" finds 党章学习 anywhere in the initials. */
    initialsGrams: text('initials_grams')
      .array()
      .notNull()
      .generatedAlwaysAs(sql`member_name_grams(title_initials)`),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    index('learn_item_org_idx').on(t.tenantId, t.orgId, t.publishedAt),
    index('learn_item_search_grams_idx').using('gin', t.searchGrams),
    index('learn_item_initials_grams_idx').using('gin', t.initialsGrams),
  ],
);

/** Files of an item (the video, a cover image, the book's PDF), bytes in the platform file store. */
export const learnFile = pgTable(
  'learn_file',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    itemId: refColumn('item_id', () => learnItem.id),
    /** video | cover | document */
    role: text('role').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by'),
    createdAt: createdAtColumn(),
    /** A rendition or poster: the original video it was made from (one of each per original). */
    sourceId: uuid('source_id').references((): AnyPgColumn => learnFile.id),
    /** An original video: the job making its rendition and poster (media.ts); null when none was queued. */
    jobId: uuid('job_id'),
  },
  (t) => [
    index('learn_file_item_idx').on(t.itemId),
    uniqueIndex('learn_file_source_role_idx')
      .on(t.sourceId, t.role)
      .where(sql`${t.sourceId} is not null`),
  ],
);

/**
 * A person's learning of one item: time spent, how far, when completed. One row per user and item.
 * `org_id` is the learner's org (their member record's, else the acting binding's) — the scope of
 * the record for managers, never the item's org.
 */
export const learnRecord = pgTable(
  'learn_record',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    /** The learner's account; null only on records brought in for members without one (the demo's history). */
    userId: uuid('user_id').references(() => appUser.id),
    memberId: uuid('member_id').references(() => member.id),
    /** An 入党积极分子's / 发展对象's study, registered offline by the branch (they have no account). */
    developPersonId: uuid('develop_person_id').references(() => developPerson.id),
    orgId: refColumn('org_id', () => org.id),
    itemId: refColumn('item_id', () => learnItem.id),
    seconds: integer('seconds').notNull().default(0),
    progress: integer('progress').notNull().default(0),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    /**
     * The Beijing month (YYYY-MM) of the latest activity; written only when it changes, so the change
     * feed's `learn` topic (UPDATE OF active_month) moves once per person, item and month, not per report.
     */
    activeMonth: text('active_month').notNull(),
    lastReportAt: timestamp('last_report_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex('learn_record_user_item_uq').on(t.userId, t.itemId),
    uniqueIndex('learn_record_person_item_uq').on(t.developPersonId, t.itemId),
    index('learn_record_org_idx').on(t.tenantId, t.orgId, t.updatedAt),
    index('learn_record_item_idx').on(t.itemId),
    // The org views probe "has this member completed this item" per member of a subtree (0068); completed_at in
    // the key answers it from the index alone.
    index('learn_record_member_item_idx').on(t.memberId, t.itemId, t.completedAt),
    index('learn_record_month_idx').on(t.tenantId, t.activeMonth, t.orgId),
  ],
);

/**
 * 课时: a course (`learn_item.kind = 'course'`) is its lessons in `position` order — text, a PDF, audio or video
 * (the file is one of the item's `learn_file` rows). Retired lessons are off the course, never deleted.
 */
export const learnLesson = pgTable(
  'learn_lesson',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    itemId: refColumn('item_id', () => learnItem.id),
    position: integer('position').notNull(),
    /** text | pdf | audio | video (LESSON_KINDS) */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    minutes: integer('minutes').notNull().default(5),
    fileId: uuid('file_id').references(() => learnFile.id),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAtColumn(),
  },
  (t) => [index('learn_lesson_item_idx').on(t.itemId, t.position)],
);

/** A learner's progress in one lesson; the course's `learn_record` is complete when every lesson is. */
export const learnLessonRecord = pgTable(
  'learn_lesson_record',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    userId: uuid('user_id').references(() => appUser.id),
    memberId: uuid('member_id').references(() => member.id),
    itemId: refColumn('item_id', () => learnItem.id),
    lessonId: refColumn('lesson_id', () => learnLesson.id),
    seconds: integer('seconds').notNull().default(0),
    progress: integer('progress').notNull().default(0),
    /** A text lesson: the furthest the learner scrolled, 0–100 % of the text (never goes down; TEXT_READ_RULE). */
    readTo: integer('read_to').notNull().default(0),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    lastReportAt: timestamp('last_report_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex('learn_lesson_record_user_uq').on(t.userId, t.lessonId),
    index('learn_lesson_record_item_idx').on(t.userId, t.itemId),
  ],
);

/** 题库: a question of an org's bank. Retired, never deleted (past attempts keep pointing at it). */
export const learnQuestion = pgTable(
  'learn_question',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    kind: text('kind').notNull(),
    /** 题目分类 (QUESTION_CATEGORIES): what a random draw picks by. */
    category: text('category').notNull().default('其他'),
    /** 难度 (QUESTION_DIFFICULTIES): 易 / 中 / 难; a draw may pick by it. */
    difficulty: text('difficulty').notNull().default('中'),
    stem: text('stem').notNull(),
    /** The choices of a choice or true/false question; empty for a fill-in (填空) question. */
    options: jsonb('options').$type<string[]>().notNull(),
    /** The key of a choice question (indices into `options`); empty for a fill-in question. */
    answer: jsonb('answer').$type<number[]>().notNull(),
    /** A fill-in question's key: per blank, the accepted answers (compared after normalising, see shared). */
    accepted: jsonb('accepted').$type<string[][]>(),
    explanation: text('explanation').notNull().default(''),
    source: text('source').notNull().default(''),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('learn_question_org_idx').on(t.tenantId, t.orgId),
    index('learn_question_category_idx').on(t.tenantId, t.category, t.kind),
  ],
);

/**
 * An exam over fixed questions of the bank (`question_ids`), or a random paper per learner (`draw`: counts per
 * type from categories; each attempt stores the questions it drew), open for the publishing org's subtree
 * between two dates.
 */
export const learnExam = pgTable(
  'learn_exam',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    title: text('title').notNull(),
    questionIds: jsonb('question_ids').$type<string[]>().notNull(),
    draw: jsonb('draw').$type<DrawRule>(),
    passScore: integer('pass_score').notNull(),
    minutes: integer('minutes').notNull(),
    maxAttempts: integer('max_attempts').notNull(),
    opensOn: date('opens_on', { mode: 'string' }).notNull(),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
    required: boolean('required').notNull().default(false),
    /** Who a required exam binds, as on `learn_item.audience`. */
    audience: text('audience').notNull().default('all'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index('learn_exam_org_idx').on(t.tenantId, t.orgId, t.closesOn)],
);

/**
 * One sitting: an exam attempt or a day's practice (每日一练, one per person and day). The answers
 * are the learner's own: only they and the managers of their org see them.
 */
export const learnAttempt = pgTable(
  'learn_attempt',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    /** The learner's account; null only on records brought in for members without one (the demo's history). */
    userId: uuid('user_id').references(() => appUser.id),
    memberId: uuid('member_id').references(() => member.id),
    orgId: refColumn('org_id', () => org.id),
    learner: text('learner').notNull(),
    kind: text('kind').notNull(),
    examId: uuid('exam_id').references(() => learnExam.id),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    questionIds: jsonb('question_ids').$type<string[]>().notNull(),
    /** Per question: the chosen indices as the learner saw the options, or a fill-in question's text per blank. */
    answers: jsonb('answers').$type<Record<string, number[] | string[]>>(),
    /**
     * The options as this attempt shows them (选项乱序): per question, `order[i]` is the index in the question's
     * `options` of the i-th option shown. Grading maps the learner's indices back through it. Null: as stored.
     */
    optionOrders: jsonb('option_orders').$type<Record<string, number[]>>(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }),
    score: integer('score'),
    passed: boolean('passed'),
  },
  (t) => [
    uniqueIndex('learn_attempt_daily_uq')
      .on(t.userId, t.onDate)
      .where(sql`${t.kind} = 'daily'`),
    index('learn_attempt_exam_idx').on(t.examId, t.userId),
    index('learn_attempt_exam_member_idx').on(t.examId, t.memberId),
    index('learn_attempt_org_idx').on(t.tenantId, t.orgId, t.onDate),
  ],
);

/** Points ledger: one award per person, reason and content, ever; the day's caps are checked on insert. */
export const learnPoint = pgTable(
  'learn_point',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    userId: refColumn('user_id', () => appUser.id),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    refId: uuid('ref_id').notNull(),
    title: text('title').notNull(),
    points: integer('points').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex('learn_point_once_uq').on(t.userId, t.reason, t.refId),
    index('learn_point_user_day_idx').on(t.userId, t.onDate),
  ],
);

/** Per-tenant settings of the module: points are off until an administrator turns them on. */
export const learnSettings = pgTable('learn_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  pointsEnabled: boolean('points_enabled').notNull().default(false),
  updatedAt: updatedAtColumn(),
});

/**
 * Per-org settings: `ranking_enabled` — the org's own members see a learning-points ranking of their 党支部.
 * Off unless the org turns it on (and only while the tenant has points on); never shown to other branches.
 */
export const learnOrgSettings = pgTable('learn_org_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => org.id),
  tenantId: tenantColumn(),
  rankingEnabled: boolean('ranking_enabled').notNull().default(false),
  /** 每日一练 draws from these categories for the org's subtree (the nearest org with a choice); null: every category. */
  practiceCategories: text('practice_categories').array(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: updatedAtColumn(),
});
