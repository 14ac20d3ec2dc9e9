/**
 * The notices 互动 sends after the fact, from its own domain events (the outbox), so a thread, reply,
 * survey or vote is saved whether or not a notice can be written: the people @mentioned in 支部在线
 * (voice.mentioned, private: no title or text in the notice), and the audience of a published survey or
 * vote (voice.poll.published, which the org's group robots may post). Each notice has a dedupe key, so a
 * retried event sends nothing twice.
 *
 * And every morning the overdue 意见建议 (voice.opinion.overdue): an item still unanswered after its answer
 * period (its `dueOn`, from the org's answer days, VOICE_RULES.answerDays — a local rule, citation unconfirmed)
 * reaches its handler and the secretary of its org once per item, due date and person (the dedupe key), so a
 * rerun, a second process or a retried job sends nothing twice.
 */
import {
  chinaDateLabel,
  chinaDateTimeLabel,
  daysBetween,
  OPINION_CATEGORY_LABELS,
  todayInChina,
  VOICE_RULES,
  type OpinionCategory,
} from '@xianfeng/shared';
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { onKey, type Db } from '../../platform/db';
import type { OutboxEvent } from '../../platform/jobs';
import { appUser, org } from '../../platform/schema';
import { notify } from '../notify/service';
import { loadOrg } from './common';
import { audienceBindings } from './rounds';
import { voiceOpinion, voiceSurvey, voiceVote } from './schema';

export const MENTION_EVENTS = ['voice.thread.created', 'voice.post.created'] as const;
export const POLL_EVENTS = ['voice.survey.published', 'voice.vote.published'] as const;

export async function mentioned(db: Db, e: OutboxEvent) {
  const data = e.data as { threadId: string; postId?: string; mentionedUserIds?: string[] };
  // Nobody is told of their own @mention of themselves.
  const users = (data.mentionedUserIds ?? []).filter((u) => u !== e.actorId);
  if (!users.length || !e.tenantId || !e.orgId) return;
  const [o, [author]] = await Promise.all([
    loadOrg(db, e.tenantId, e.orgId),
    e.actorId
      ? db
          .select({ name: appUser.displayName })
          .from(appUser)
          .where(and(eq(appUser.tenantId, e.tenantId), eq(appUser.id, e.actorId)))
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

export async function pollPublished(db: Db, e: OutboxEvent) {
  if (!e.tenantId) return;
  const survey = e.kind === 'voice.survey.published';
  const id = String((e.data as { surveyId?: string; voteId?: string })[survey ? 'surveyId' : 'voteId']);
  const table = survey ? voiceSurvey : voiceVote;
  const [p] = await db
    .select({
      orgId: table.orgId,
      orgPath: table.orgPath,
      title: table.title,
      audienceRoles: table.audienceRoles,
      opensAt: table.opensAt,
      closesAt: table.closesAt,
    })
    .from(table)
    .where(and(eq(table.tenantId, e.tenantId), eq(table.id, id)));
  if (!p) return;
  const bound = await audienceBindings(db, { tenantId: e.tenantId, ...p });
  const users = [...new Set(bound.map((b) => b.userId))].filter((u) => u !== e.actorId);
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

export const VOICE_OVERDUE_JOB = 'voice.opinion.overdue';

/**
 * The morning run: every item not answered (submitted or assigned) whose due day has passed, in every tenant.
 * Recipients: the handler it is assigned to, and the secretary bound to its org (the nearest org above with one,
 * when it has none). The notice names the org, the category and the dates, never the title, text or submitter.
 */
export async function opinionOverdueNotices(db: Db, today = todayInChina()) {
  const rows = await db
    .select({
      id: voiceOpinion.id,
      tenantId: voiceOpinion.tenantId,
      orgId: voiceOpinion.orgId,
      category: voiceOpinion.category,
      submittedOn: voiceOpinion.submittedOn,
      dueOn: voiceOpinion.dueOn,
      handlerUserId: voiceOpinion.handlerUserId,
      orgName: org.name,
    })
    .from(voiceOpinion)
    .innerJoin(org, onKey(org, voiceOpinion.orgId, voiceOpinion))
    .where(and(inArray(voiceOpinion.status, ['submitted', 'assigned']), lt(voiceOpinion.dueOn, today)))
    .orderBy(asc(voiceOpinion.tenantId), asc(voiceOpinion.dueOn), asc(voiceOpinion.id));
  const rule = VOICE_RULES.answerDays;
  let sent = 0;
  for (const r of rows)
    await db.transaction(async (tx) => {
      const res = await notify(tx, {
        tenantId: r.tenantId,
        kind: 'voice.opinion.overdue',
        recipients: {
          users: r.handlerUserId ? [r.handlerUserId] : [],
          orgRoles: [{ orgId: r.orgId, roles: ['secretary'], nearest: true }],
        },
        data: {
          orgName: r.orgName,
          category: OPINION_CATEGORY_LABELS[r.category as OpinionCategory] ?? '意见建议',
          submittedOn: chinaDateLabel(r.submittedOn),
          dueOn: chinaDateLabel(r.dueOn),
          days: daysBetween(r.dueOn, today),
          basis: `答复期限 ${daysBetween(r.submittedOn, r.dueOn)} 天（${rule.citation}）`,
        },
        link: `/voice/opinions/${r.id}`,
        dedupeKey: `voice.opinion.overdue:${r.id}:${r.dueOn}`,
      });
      sent += res.notified;
    });
  return {
    items: rows.map((r) => ({ id: r.id, dueOn: r.dueOn, daysOverdue: daysBetween(r.dueOn, today) })),
    sent,
    rule: { key: rule.key, value: rule.value, citation: rule.citation, confirmed: rule.confirmed },
  };
}
