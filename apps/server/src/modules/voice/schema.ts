import { sql } from 'drizzle-orm';
import {
  boolean,
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
import type { Answer, SurveyQuestion, Role } from '@xianfeng/shared';
import { appUser, org } from '../../platform/schema';
import { idColumn, refColumn, tenantColumn, updatedAtColumn } from '../../platform/columns';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/**
 * An org's choices for 意见建议: how the identity behind an anonymous item is kept, and the answer
 * period. Orgs without a row inherit from the nearest org above, then the defaults (VOICE_RULES).
 */
export const voiceSetting = pgTable('voice_setting', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => org.id),
  tenantId: tenantColumn(),
  anonymity: text('anonymity').notNull(),
  answerDays: integer('answer_days').notNull(),
  updatedAt: updatedAtColumn(),
});

/**
 * 意见建议. An anonymous item has no author columns and no time finer than its day: its author is
 * either in voice_identity (sealed) or nowhere. `sort_key` is random, so items of one day are
 * listed in an order that says nothing about who came first. `receipt_hash`: SHA-256 of the 查询码
 * with which an anonymous submitter or an employee follows and rates the item.
 */
export const voiceOpinion = pgTable(
  'voice_opinion',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    orgPath: text('org_path').notNull(),
    category: text('category').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    channel: text('channel').notNull(),
    anonymous: boolean('anonymous').notNull(),
    authorUserId: uuid('author_user_id').references(() => appUser.id),
    /** The author's own binding org when they submitted (a named member item), for their own access. */
    authorOrgId: uuid('author_org_id'),
    authorName: text('author_name'),
    /** An employee's contact, encrypted; only for named items. */
    contactEnc: text('contact_enc'),
    receiptHash: text('receipt_hash'),
    allowPublic: boolean('allow_public').notNull(),
    published: boolean('published').notNull().default(false),
    status: text('status').notNull(),
    handlerUserId: uuid('handler_user_id'),
    handlerName: text('handler_name'),
    submittedOn: date('submitted_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    sortKey: text('sort_key').notNull(),
    answer: text('answer'),
    answeredBy: text('answered_by'),
    answeredOn: date('answered_on', { mode: 'string' }),
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    ratedOn: date('rated_on', { mode: 'string' }),
    closedOn: date('closed_on', { mode: 'string' }),
  },
  (t) => [
    index('voice_opinion_org_idx').on(t.tenantId, t.orgPath.op('text_pattern_ops'), t.submittedOn, t.sortKey),
    index('voice_opinion_author_idx').on(t.authorUserId),
    uniqueIndex('voice_opinion_receipt_uq')
      .on(t.receiptHash)
      .where(sql`${t.receiptHash} is not null`),
  ],
);

/** The handling trail of an opinion (交办、转办、答复、评价、办结), by day, in order. */
export const voiceOpinionStep = pgTable(
  'voice_opinion_step',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    opinionId: refColumn('opinion_id', () => voiceOpinion.id),
    seq: integer('seq').notNull(),
    on: date('on', { mode: 'string' }).notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [uniqueIndex('voice_opinion_step_uq').on(t.opinionId, t.seq)],
);

/**
 * Files attached to the answer of an opinion (a notice, a photo of the fix), bytes in the file store; the
 * submitter sees them with the answer.
 */
export const voiceOpinionFile = pgTable(
  'voice_opinion_file',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    opinionId: refColumn('opinion_id', () => voiceOpinion.id),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_opinion_file_idx').on(t.opinionId)],
);

/**
 * The sealed identity behind an anonymous opinion (orgs with anonymity `sealed`). Read only by the
 * auditor role through POST /voice-opinions/:id/identity, which requires a reason and audits the read.
 */
export const voiceIdentity = pgTable('voice_identity', {
  opinionId: uuid('opinion_id')
    .primaryKey()
    .references(() => voiceOpinion.id),
  tenantId: tenantColumn(),
  userId: uuid('user_id'),
  nameEnc: text('name_enc').notNull(),
});

/** 党务信箱: a private letter to an org's 书记 or 纪检委员. Subject and messages are encrypted at rest. */
export const voiceLetter = pgTable(
  'voice_letter',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    position: text('position').notNull(),
    fromUserId: refColumn('from_user_id', () => appUser.id),
    fromOrgId: uuid('from_org_id').notNull(),
    fromName: text('from_name').notNull(),
    subjectEnc: text('subject_enc').notNull(),
    status: text('status').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    index('voice_letter_from_idx').on(t.fromUserId, t.updatedAt),
    index('voice_letter_to_idx').on(t.orgId, t.position, t.updatedAt),
  ],
);

export const voiceLetterMessage = pgTable(
  'voice_letter_message',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    letterId: refColumn('letter_id', () => voiceLetter.id),
    side: text('side').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    authorName: text('author_name').notNull(),
    bodyEnc: text('body_enc').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_letter_message_idx').on(t.letterId, t.createdAt)],
);

/**
 * Files on a letter's messages, sealed like the letter: the bytes in the file store are AES-256-GCM sealed to the
 * row (FieldCrypto `sealBytes`, place `voice_letter_file.storage_key/<id>`), the name too; mime and size are
 * plain. `sha256` is of the sealed bytes (a hash of the plain file would let anyone holding a copy confirm it).
 */
export const voiceLetterFile = pgTable(
  'voice_letter_file',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    letterId: refColumn('letter_id', () => voiceLetter.id),
    messageId: refColumn('message_id', () => voiceLetterMessage.id),
    fileNameEnc: text('file_name_enc').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_letter_file_idx').on(t.letterId, t.createdAt)],
);

/** 支部在线: a branch's discussion threads. */
export const voiceThread = pgTable(
  'voice_thread',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    authorName: text('author_name').notNull(),
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    pinned: boolean('pinned').notNull().default(false),
    locked: boolean('locked').notNull().default(false),
    hidden: boolean('hidden').notNull().default(false),
    hiddenReason: text('hidden_reason'),
    /** The author's last change (「已编辑」) and withdrawal, within VOICE_RULES.editMinutes; each audited with before/after. */
    editedAt: timestamp('edited_at', { withTimezone: true, mode: 'date' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    replyCount: integer('reply_count').notNull().default(0),
    lastPostAt: timestamp('last_post_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_thread_org_idx').on(t.orgId, t.pinned, t.lastPostAt)],
);

export const voicePost = pgTable(
  'voice_post',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    threadId: refColumn('thread_id', () => voiceThread.id),
    orgId: uuid('org_id').notNull(),
    body: text('body').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    authorName: text('author_name').notNull(),
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    hidden: boolean('hidden').notNull().default(false),
    hiddenReason: text('hidden_reason'),
    editedAt: timestamp('edited_at', { withTimezone: true, mode: 'date' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [index('voice_post_thread_idx').on(t.threadId, t.createdAt)],
);

/** Files attached to a thread, bytes in the file store. */
export const voiceAttachment = pgTable(
  'voice_attachment',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    threadId: refColumn('thread_id', () => voiceThread.id),
    orgId: uuid('org_id').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_attachment_thread_idx').on(t.threadId)],
);

/** Surveys, 满意度测评 and 下考上 (kind). A draft has no published_at. */
export const voiceSurvey = pgTable(
  'voice_survey',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    anonymous: boolean('anonymous').notNull(),
    audienceRoles: jsonb('audience_roles').$type<Role[]>().notNull(),
    allowCodes: boolean('allow_codes').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true, mode: 'date' }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true, mode: 'date' }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_survey_org_idx').on(t.tenantId, t.orgPath.op('text_pattern_ops'), t.closesAt)],
);

/** Who has answered a survey: one row per person, whatever the anonymity (the database refuses a second). */
export const voiceSurveyParticipant = pgTable(
  'voice_survey_participant',
  {
    surveyId: refColumn('survey_id', () => voiceSurvey.id),
    userId: refColumn('user_id', () => appUser.id),
    tenantId: tenantColumn(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.userId] })],
);

/**
 * One response. Anonymous responses carry no person and no time; `sort_key` is random. Named ones
 * carry the respondent and the day. Every response carries its branch (`unit_org_id`), which the
 * per-branch results count by; small branches of an anonymous survey are not shown (VOICE_RULES.minBreakdownGroup).
 */
export const voiceSurveyResponse = pgTable(
  'voice_survey_response',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    surveyId: refColumn('survey_id', () => voiceSurvey.id),
    channel: text('channel').notNull(),
    respondentUserId: uuid('respondent_user_id'),
    respondentName: text('respondent_name'),
    submittedOn: date('submitted_on', { mode: 'string' }),
    /**
     * The branch the response counts to in the per-branch results (the respondent's binding org's
     * branch, or the org of an employee's code); null on responses given before it was recorded.
     */
    unitOrgId: uuid('unit_org_id'),
    answers: jsonb('answers').$type<Answer[]>().notNull(),
    sortKey: text('sort_key').notNull(),
  },
  (t) => [index('voice_survey_response_idx').on(t.surveyId, t.sortKey)],
);

/** Votes (亮点工程, 评先评优). Ballots are always secret. */
export const voiceVote = pgTable(
  'voice_vote',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    maxChoices: integer('max_choices').notNull(),
    audienceRoles: jsonb('audience_roles').$type<Role[]>().notNull(),
    visibility: text('visibility').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true, mode: 'date' }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true, mode: 'date' }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_vote_org_idx').on(t.tenantId, t.orgPath.op('text_pattern_ops'), t.closesAt)],
);

export const voiceCandidate = pgTable(
  'voice_candidate',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    voteId: refColumn('vote_id', () => voiceVote.id),
    name: text('name').notNull(),
    summary: text('summary').notNull().default(''),
    body: text('body').notNull().default(''),
    sortOrder: integer('sort_order').notNull(),
    /** The candidate's photo in the file store (voice/<tenant>/<id>.jpg…), shown on the ballot; null: none. */
    photoKey: text('photo_key'),
    photoMime: text('photo_mime'),
  },
  (t) => [uniqueIndex('voice_candidate_name_uq').on(t.voteId, t.name)],
);

/** The voter register: who has voted, one row per person (the database refuses a second ballot). */
export const voiceVoter = pgTable(
  'voice_voter',
  {
    voteId: refColumn('vote_id', () => voiceVote.id),
    userId: refColumn('user_id', () => appUser.id),
    tenantId: tenantColumn(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.userId] })],
);

/** A ballot: no voter, no time. Its marks are one row per chosen candidate. */
export const voiceBallot = pgTable(
  'voice_ballot',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    voteId: refColumn('vote_id', () => voiceVote.id),
  },
  (t) => [index('voice_ballot_vote_idx').on(t.voteId)],
);

export const voiceMark = pgTable(
  'voice_mark',
  {
    ballotId: refColumn('ballot_id', () => voiceBallot.id),
    candidateId: refColumn('candidate_id', () => voiceCandidate.id),
    voteId: uuid('vote_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ballotId, t.candidateId] }),
    index('voice_mark_vote_idx').on(t.voteId, t.candidateId),
  ],
);

/** A batch of one-time codes handed out on slips; only the codes' hashes are kept. */
export const voiceCodeBatch = pgTable(
  'voice_code_batch',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    purpose: text('purpose').notNull(),
    surveyId: uuid('survey_id').references(() => voiceSurvey.id),
    count: integer('count').notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true, mode: 'date' }).notNull(),
    note: text('note').notNull().default(''),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('voice_code_batch_org_idx').on(t.orgId, t.createdAt)],
);

/** One code: SHA-256 of its text; `used` is set once, in the transaction that uses it. */
export const voiceCode = pgTable(
  'voice_code',
  {
    codeHash: text('code_hash').primaryKey(),
    tenantId: tenantColumn(),
    batchId: refColumn('batch_id', () => voiceCodeBatch.id),
    used: boolean('used').notNull().default(false),
  },
  (t) => [index('voice_code_batch_idx').on(t.batchId, t.used)],
);
