import type { ServerModule } from '../../platform/module';
import { seedMedia } from './demo';
import { mediaRoutes } from './routes';
import { personalMedia } from './service';

/** 宣传: channels, articles reviewed before publishing, the public portal, 必读 notices. */
export const mediaModule: ServerModule = {
  name: 'media',
  routes: mediaRoutes,
  demo: () => ({ tx, tenantId, root, orgs }) => seedMedia(tx, tenantId, root, orgs),
  personalData: {
    // 宣传: the articles the account wrote (with their text) and the articles it read.
    ofAccount: async ({ db }, { scope }) => ({ media: await personalMedia(db, scope.tenantId, scope.principal.user.id) }),
  },
};
