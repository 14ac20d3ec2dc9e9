import type { ServerModule } from '../../platform/module';
import { seedLearn } from './demo';
import { learnRoutes } from './routes';
import { memberLearning, pointsOfUser } from './service';

export const learnModule: ServerModule = {
  name: 'learn',
  routes: learnRoutes,
  demo:
    () =>
    ({ tx, tenantId, root, orgs }) =>
      seedLearn(tx, tenantId, root, orgs),
  personalData: {
    // 学习教育: records and answers of the member record, points of the account (own only; no rankings exist).
    ofAccount: async ({ db }, { scope, memberId }) => ({
      learning: {
        ...(memberId ? await memberLearning(db, scope.tenantId, memberId) : { records: [], attempts: [] }),
        points: await pointsOfUser(db, scope.tenantId, scope.principal.user.id),
      },
    }),
  },
};
