import type { ServerModule } from '../../platform/module';
import { seedVoice } from './demo';
import { voiceRoutes } from './routes';
import { voiceDataOfUser } from './service';

export const voiceModule: ServerModule = {
  name: 'voice',
  routes: voiceRoutes,
  demo: ({ fieldCrypto }) => ({ tx, tenantId, orgs }) => seedVoice(tx, fieldCrypto, tenantId, orgs),
  personalData: {
    // 互动: the account's opinions, letters, posts and answers (never another person's).
    ofAccount: async ({ db, fieldCrypto }, { scope }) => ({
      voice: await voiceDataOfUser(db, fieldCrypto, scope.tenantId, scope.principal.user.id),
    }),
  },
};
