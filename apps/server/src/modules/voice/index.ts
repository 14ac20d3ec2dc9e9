import type { DashboardWarning } from '@xianfeng/shared';
import type { ServerModule } from '../../platform/module';
import { seedVoice } from './demo';
import {
  MENTION_EVENTS,
  mentioned,
  opinionOverdueNotices,
  POLL_EVENTS,
  pollPublished,
  VOICE_OVERDUE_JOB,
} from './notices';
import { voiceMatrix } from './authz';
import { voiceRoutes } from './routes';
import { voiceIdentity, voiceLetter, voiceLetterFile, voiceLetterMessage, voiceOpinion } from './schema';
import { overdueOpinions, voiceDashboard, voiceDataOfUser } from './service';

export const voiceModule: ServerModule = {
  name: 'voice',
  routes: voiceRoutes,
  authz: voiceMatrix,
  background: ({ db }) => ({
    // 意见逾期未答复: every morning, to the org's secretaries.
    jobs: [{ kind: VOICE_OVERDUE_JOB, run: () => opinionOverdueNotices(db), cron: '50 8 * * *' }],
    events: [
      // @提及 in the forum, and a survey or vote published to the members it asks.
      { name: 'voice.mentions', kinds: MENTION_EVENTS, handle: (e) => mentioned(db, e) },
      { name: 'voice.polls', kinds: POLL_EVENTS, handle: (e) => pollPublished(db, e) },
    ],
  }),
  sealed: [
    { column: voiceOpinion.contactEnc },
    { column: voiceIdentity.nameEnc, key: voiceIdentity.opinionId },
    { column: voiceLetter.subjectEnc },
    { column: voiceLetterMessage.bodyEnc },
    { column: voiceLetterFile.fileNameEnc },
  ],
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, orgs }) =>
      seedVoice(tx, fieldCrypto, tenantId, orgs),
  // 驾驶舱 互动: the voice tables are not on the change feed, and these are indexed subtree scans: always fresh.
  dashboard: {
    key: 'voice',
    compute:
      () =>
      async ({ db, scope: { tenantId, org }, today }) => {
        const [value, overdue] = await Promise.all([
          voiceDashboard(db, tenantId, org, today),
          overdueOpinions(db, tenantId, org.path, 5, today),
        ]);
        if (value.overdueOpen === 0) return { value };
        const warning: DashboardWarning = {
          kind: 'voice_overdue',
          level: 'warning',
          count: value.overdueOpen,
          message: `${value.overdueOpen} 条意见建议逾期未答复`,
          link: `/voice/manage?org=${org.id}&overdue=1`,
          // Org and dates only: the warning never names a submitter nor quotes the item.
          orgs: overdue.map((x) => ({
            orgId: x.orgId,
            orgName: x.orgName,
            detail: `${x.submittedOn} 提交，应于 ${x.dueOn} 前答复`,
            link: `/voice/opinions/${x.id}`,
          })),
        };
        return { value, warnings: [warning] };
      },
  },
  personalData: {
    // 互动: the account's opinions, letters, posts and answers (never another person's).
    ofAccount: async ({ db, fieldCrypto }, { scope }) => ({
      voice: await voiceDataOfUser(db, fieldCrypto, scope.tenantId, scope.principal.user.id),
    }),
  },
};
