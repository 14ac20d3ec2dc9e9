/**
 * The notices 互动 sends after the fact, from its own domain events (the outbox), so a thread, reply,
 * survey or vote is saved whether or not a notice can be written: the people @mentioned in 支部在线
 * (voice.mentioned, private: no title or text in the notice), and the audience of a published survey or
 * vote (voice.poll.published, which the org's group robots may post). Each notice has a dedupe key, so a
 * retried event sends nothing twice.
 */
import { chinaDateTimeLabel, type Role } from '@xianfeng/shared';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import type { JobRunner, OutboxEvent } from '../../platform/jobs';
import { appUser, org, userRole } from '../../platform/schema';
import { notify } from '../notify/service';
import { loadOrg } from './common';
import { voiceSurvey, voiceVote } from './schema';

const MENTION_EVENTS = ['voice.thread.created', 'voice.post.created'] as const;
const POLL_EVENTS = ['voice.survey.published', 'voice.vote.published'] as const;

async function mentioned(db: Db, e: OutboxEvent) {
  const data = e.data as { threadId: string; postId?: string; mentionedUserIds?: string[] };
  // Nobody is told of their own @mention of themselves.
  const users = (data.mentionedUserIds ?? []).filter((u) => u !== e.actorId);
  if (!users.length || !e.tenantId || !e.orgId) return;
  const [o, [author]] = await Promise.all([
    loadOrg(db, e.tenantId, e.orgId),
    e.actorId
      ? db.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, e.actorId))
      : Promise.resolve([]),
  ]);
  await db.transaction((tx) =>
    notify(tx, {
      tenantId: e.tenantId!,
      kind: 'voice.mentioned',
      recipients: { users },
      data: { author: author?.name || '有人', orgName: o?.name ?? '', where: data.postId ? '回复' : '话题' },
      link: `/voice/forum/${data.threadId}`,
      dedupeKey: `voice.mentioned:${data.postId ?? data.threadId}`,
    }),
  );
}

/** The audience of a survey or vote: enabled accounts bound with one of its roles at an org of its subtree. */
async function audience(db: Db, tenantId: string, orgPath: string, roles: Role[]) {
  if (!roles.length) return [];
  const rows = await db
    .selectDistinct({ id: userRole.userId })
    .from(userRole)
    .innerJoin(org, eq(org.id, userRole.orgId))
    .innerJoin(appUser, eq(appUser.id, userRole.userId))
    .where(
      and(
        eq(org.tenantId, tenantId),
        like(org.path, `${orgPath}%`),
        inArray(userRole.role, roles),
        eq(appUser.disabled, false),
        sql`${org.dissolvedAt} is null`,
      ),
    );
  return rows.map((r) => r.id);
}

async function pollPublished(db: Db, e: OutboxEvent) {
  if (!e.tenantId) return;
  const survey = e.kind === 'voice.survey.published';
  const id = String((e.data as { surveyId?: string; voteId?: string })[survey ? 'surveyId' : 'voteId']);
  const table = survey ? voiceSurvey : voiceVote;
  const [p] = await db
    .select({ orgId: table.orgId, orgPath: table.orgPath, title: table.title, audienceRoles: table.audienceRoles, opensAt: table.opensAt, closesAt: table.closesAt })
    .from(table)
    .where(and(eq(table.tenantId, e.tenantId), eq(table.id, id)));
  if (!p) return;
  const users = (await audience(db, e.tenantId, p.orgPath, p.audienceRoles)).filter((u) => u !== e.actorId);
  const o = await loadOrg(db, e.tenantId, p.orgId);
  await db.transaction((tx) =>
    notify(tx, {
      tenantId: e.tenantId!,
      kind: 'voice.poll.published',
      recipients: { users },
      data: {
        what: survey ? '问卷' : '投票',
        orgName: o?.name ?? '',
        title: p.title,
        opens: chinaDateTimeLabel(p.opensAt),
        closes: chinaDateTimeLabel(p.closesAt),
      },
      link: survey ? `/voice/surveys/${id}` : `/voice/votes/${id}`,
      orgId: p.orgId,
      dedupeKey: `voice.poll.published:${id}`,
    }),
  );
}

export function registerVoiceNotices(db: Db, jobs: JobRunner) {
  jobs.onEvent('voice.mentions', MENTION_EVENTS, (e) => mentioned(db, e));
  jobs.onEvent('voice.polls', POLL_EVENTS, (e) => pollPublished(db, e));
}
