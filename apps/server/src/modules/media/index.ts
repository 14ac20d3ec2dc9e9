import type { ServerModule } from '../../platform/module';
import { seedContest, seedLectures, seedMedia, seedShowcase } from './demo';
import { mediaMatrix } from './authz';
import { mediaRoutes } from './routes';
import { personalComments } from './comments';
import { personalContest, personalContestEntries } from './contests';
import { personalLectures } from './lectures';
import { personalHonors, personalMedia, releaseArticle, RELEASE_JOB } from './service';

/** 宣传: channels, articles reviewed before publishing, the public portal, 必读 notices, 典型/先锋岗 stories and 党建品牌. */
export const mediaModule: ServerModule = {
  name: 'media',
  routes: mediaRoutes,
  authz: mediaMatrix,
  // 定时发布: the job queued for a scheduled article's time sends the members' notice (once).
  background: ({ db }) => ({
    jobs: [
      {
        kind: RELEASE_JOB,
        run: ({ job }) => releaseArticle(db, job.tenantId!, (job.payload as { articleId: string }).articleId),
        lane: 'quick',
      },
    ],
  }),
  demo:
    () =>
    async ({ tx, tenantId, root, orgs }) => {
      await seedMedia(tx, tenantId, root, orgs);
      await seedLectures(tx, tenantId, orgs);
      await seedShowcase(tx, tenantId, root, orgs);
      await seedContest(tx, tenantId, orgs);
    },
  personalData: {
    // 典型/党员先锋岗: the stories that name the member (linked to their record), with the post and state.
    ofMember: async ({ db }, { scope, memberId }) => ({
      mediaHonors: await personalHonors(db, scope.tenantId, memberId),
      // 微视频征集: the member's entries (demo entries of members without an account too).
      mediaContestEntries: await personalContestEntries(db, scope.tenantId, memberId),
    }),
    // 宣传: the articles the account wrote (with their text) and the articles it read; lecture questions and attendance.
    ofAccount: async ({ db }, { scope }) => ({
      media: await personalMedia(db, scope.tenantId, scope.principal.user.id),
      // 网上课堂: the questions the account asked and the lectures it joined.
      mediaLectures: await personalLectures(db, scope.tenantId, scope.principal.user.id),
      // 评论: the comments the account wrote, held and rejected ones too (with the reason).
      mediaComments: await personalComments(db, scope.tenantId, scope.principal.user.id),
      // 微视频征集: the account's entries, its public votes and, as a judge, its scores.
      mediaContest: await personalContest(db, scope.tenantId, scope.principal.user.id),
    }),
  },
};
