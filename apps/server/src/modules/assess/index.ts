import type { ServerModule } from '../../platform/module';
import { seedAssess } from './demo';
import { assessMatrix } from './authz';
import { assessRoutes } from './routes';
import { assessDashboard, personalAssess } from './service';

/** 考核: the indicator library, assessments of 党支部 fusing party work and business KPIs, self-assessment, review, results, appeals. */
export const assessModule: ServerModule = {
  name: 'assess',
  routes: assessRoutes,
  authz: assessMatrix,
  demo:
    () =>
    ({ tx, tenantId, root, orgs }) =>
      seedAssess(tx, tenantId, root, orgs),
  // 驾驶舱 考核: the latest published plan's results in the subtree (publishing and closing move the topic).
  dashboard: {
    key: 'assess',
    topics: ['assess', 'org'],
    compute:
      () =>
      async ({ db, scope }) => ({ value: await assessDashboard(db, scope) }),
  },
  personalData: {
    // Assessments are of orgs; the account's own part: the reviews it gave and the appeals it filed.
    ofAccount: async ({ db }, { scope }) => ({
      assessments: await personalAssess(db, scope.tenantId, scope.principal.user.id),
    }),
  },
};
