/**
 * The voice module's face to other modules: the figures of the dashboard, the 下考上 results the
 * assessment module reads, and a person's part for their personal-data copy. Other modules call
 * only these functions (and the lookups the routes use).
 */
import { todayInChina, VOICE_RULES, type VoiceDashboard, type VoiceOverview } from '@xianfeng/shared';
import type { FieldCrypto } from '../../platform/crypto';
import type { Queryable } from '../../platform/db';
import { forumOfUser } from './forum';
import { lettersOfUser } from './letters';
import { opinionFigures, opinionsOfUser, opinionYearFigures } from './opinions';
import { latestSatisfaction, ratingUpResults, surveysOfUser } from './surveys';
import { votesOfUser } from './votes';

export { ratingUpResults };
export { overdueOpinions } from './opinions';

/** Open and overdue 意见建议, the submitters' satisfaction with answers, and the latest 满意度/下考上 score. */
export async function voiceOverview(
  db: Queryable,
  tenantId: string,
  org: { path: string },
  today = todayInChina(),
): Promise<VoiceOverview> {
  const [figures, latest] = await Promise.all([
    opinionFigures(db, tenantId, org.path, today),
    latestSatisfaction(db, tenantId, org.path),
  ]);
  return {
    openOpinions: figures.open,
    overdueOpinions: figures.overdue,
    averageRating: figures.averageRating,
    ratedCount: figures.rated,
    latestSatisfaction: latest,
    citation: VOICE_RULES.answerDays.citation,
  };
}

/**
 * The 驾驶舱's 互动 figure: this year's 意见建议 of the subtree (received, answered on time, ratings, overdue
 * now) and the latest ended 满意度测评 / 下考上 score. Counts only — nothing here names a submitter.
 */
export async function voiceDashboard(
  db: Queryable,
  tenantId: string,
  org: { path: string },
  today = todayInChina(),
): Promise<VoiceDashboard> {
  const [f, latest] = await Promise.all([
    opinionYearFigures(db, tenantId, org.path, today),
    latestSatisfaction(db, tenantId, org.path),
  ]);
  const year = Number(today.slice(0, 4));
  return {
    year,
    ...f,
    onTimeRate: f.due > 0 ? Math.round((f.answeredOnTime / f.due) * 1000) / 1000 : null,
    latestSatisfaction: latest,
    citation: VOICE_RULES.answerDays.citation,
    confirmed: VOICE_RULES.answerDays.confirmed,
    note: `${year} 年本组织及下级收到的意见建议（按提交日期）；按时答复率 = 期限内答复的 ÷ 已答复或已过期限的（未到期未答复的不计）`,
  };
}

/**
 * What a person submitted in 互动, for their personal-data copy — minus what anonymity promises:
 * anonymous opinions and anonymous survey answers are not linked to anyone (they are reached by
 * 查询码 only), and ballots are secret, so only the fact of taking part is listed.
 */
export async function voiceDataOfUser(db: Queryable, fc: FieldCrypto, tenantId: string, userId: string) {
  return {
    opinions: await opinionsOfUser(db, tenantId, userId),
    letters: await lettersOfUser(db, fc, tenantId, userId),
    forum: await forumOfUser(db, tenantId, userId),
    surveys: await surveysOfUser(db, tenantId, userId),
    votes: await votesOfUser(db, tenantId, userId),
    note: '匿名提交的意见建议和匿名问卷答卷不与任何账号关联，因此不在本文件中（可用提交时获得的查询码查看）；投票为无记名投票，只列出参与过的投票。',
  };
}
