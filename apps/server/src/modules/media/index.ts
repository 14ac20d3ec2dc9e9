import type { ServerModule } from '../../platform/module';
import { seedLectures, seedMedia } from './demo';
import { mediaRoutes } from './routes';
import { personalComments } from './comments';
import { personalLectures } from './lectures';
import { personalMedia } from './service';

/** 宣传: channels, articles reviewed before publishing, the public portal, 必读 notices. */
export const mediaModule: ServerModule = {
  name: 'media',
  routes: mediaRoutes,
  demo: () => async ({ tx, tenantId, root, orgs }) => {
    await seedMedia(tx, tenantId, root, orgs);
    await seedLectures(tx, tenantId, orgs);
  },
  personalData: {
    // 宣传: the articles the account wrote (with their text) and the articles it read; lecture questions and attendance.
    ofAccount: async ({ db }, { scope }) => ({
      media: await personalMedia(db, scope.tenantId, scope.principal.user.id),
      // 网上课堂: the questions the account asked and the lectures it joined.
      mediaLectures: await personalLectures(db, scope.tenantId, scope.principal.user.id),
      // 评论: the comments the account wrote, held and rejected ones too (with the reason).
      mediaComments: await personalComments(db, scope.tenantId, scope.principal.user.id),
    }),
  },
};
