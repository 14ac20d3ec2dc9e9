import type { ServerModule } from '../../platform/module';
import { authMatrix } from './authz';
import { authRoutes } from './routes';
import { ssoApp } from './schema';
import { myBindings } from './sso';

export const authModule: ServerModule = {
  name: 'auth',
  routes: authRoutes,
  authz: authMatrix,
  sealed: [{ column: ssoApp.secretEnc }],
  personalData: {
    // The 企业微信/钉钉 accounts bound to this account (issue 24).
    ofAccount: async (services, { scope }) => ({
      ssoBindings: (await myBindings(services.db, scope.tenantId, scope.principal.user.id)).map((b) => ({
        provider: b.provider,
        externalId: b.externalId,
        boundAt: b.createdAt,
        lastSignInAt: b.lastSignInAt,
      })),
    }),
  },
};
