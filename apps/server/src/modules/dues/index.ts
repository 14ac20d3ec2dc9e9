import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { seedDues } from './demo';
import { listPayments } from './payments';
import { duesRoutes } from './routes';
import { baseHistory, listBills } from './service';

export const duesModule: ServerModule = {
  name: 'dues',
  routes: duesRoutes,
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedDues(tx, tenantId, orgs),
  personalData: {
    ofMember: async ({ db }, { scope, memberId }) => ({
      dues: {
        bases: await allPages((p, s) => baseHistory(db, scope.tenantId, memberId, p, s)),
        bills: await allPages((p, s) => listBills(db, scope.tenantId, '/', { memberId }, p, s)),
        payments: await allPages((p, s) => listPayments(db, scope.tenantId, '/', { memberId }, p, s)),
      },
    }),
  },
};
