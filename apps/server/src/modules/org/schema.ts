import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { ElectionResult, TermPostponement } from '@xianfeng/shared';
import { org } from '../../platform/schema';
import { createdAtColumn, idColumn, refColumn, tenantColumn } from '../../platform/columns';

/** One term (届) of an org's committee: from an election to the next 换届. */
export const orgTerm = pgTable(
  'org_term',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    termYears: integer('term_years').notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    electionId: uuid('election_id'),
    /** 换届 postponed with the approval of the org above (TERM_POSTPONE); null when held on time. */
    postponedTo: date('postponed_to', { mode: 'string' }),
    postponement: jsonb('postponement').$type<TermPostponement>(),
    /** The date the next 换届 is due: the term's end, or the approved later date. Every "overdue" reads this. */
    electionDueOn: date('election_due_on', { mode: 'string' })
      .notNull()
      .generatedAlwaysAs(sql`coalesce(postponed_to, ends_on)`),
    createdAt: createdAtColumn(),
  },
  (t) => [index('org_term_org_idx').on(t.orgId, t.startsOn)],
);

/** 支委/党委 members of a term with their positions (书记, 组织委员, …). */
export const committeeMember = pgTable(
  'committee_member',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    termId: refColumn('term_id', () => orgTerm.id),
    memberId: uuid('member_id'),
    name: text('name').notNull(),
    position: text('position').notNull(),
  },
  (t) => [index('committee_member_term_idx').on(t.termId)],
);

/** An election (换届选举) with its numbers and the evaluated result, kept as the record of the vote. */
export const orgElection = pgTable(
  'org_election',
  {
    id: idColumn(),
    tenantId: tenantColumn(),
    orgId: refColumn('org_id', () => org.id),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    seats: integer('seats').notNull(),
    dueVoters: integer('due_voters').notNull(),
    presentVoters: integer('present_voters').notNull(),
    ballotsIssued: integer('ballots_issued').notNull(),
    ballotsReturned: integer('ballots_returned').notNull(),
    candidates: jsonb('candidates').$type<{ name: string; memberId?: string | null; votes: number }[]>().notNull(),
    result: jsonb('result').$type<ElectionResult>().notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index('org_election_org_idx').on(t.orgId, t.heldOn)],
);
