import type { ServerModule } from '../../platform/module';
import { seedAssess } from './demo';
import { assessRoutes } from './routes';
import { personalAssess } from './service';

/** 考核: the indicator library, assessments of 党支部 fusing party work and business KPIs, self-assessment, review, results, appeals. */
export const assessModule: ServerModule = {
  name: 'assess',
  routes: assessRoutes,
  demo:
    () =>
    ({ tx, tenantId, root, orgs }) =>
      seedAssess(tx, tenantId, root, orgs),
  personalData: {
    // Assessments are of orgs; the account's own part: the reviews it gave and the appeals it filed.
    ofAccount: async ({ db }, { scope }) => ({
      assessments: await personalAssess(db, scope.tenantId, scope.principal.user.id),
    }),
  },
};
