import type { ServerModule } from '../../platform/module';
import { seedSupervise } from './demo';
import { superviseRoutes } from './routes';
import { personalCommitments } from './commitments';
import { personalRectifications } from './service';

/** 监督: 整改 (rectification) items with evidence, verification, reminders, an overdue alert and a roll-up per subtree; 承诺践诺. */
export const superviseModule: ServerModule = {
  name: 'supervise',
  routes: superviseRoutes,
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedSupervise(tx, tenantId, orgs),
  personalData: {
    // 整改 items the member is 责任人 of, with their steps and evidence file names; their yearly commitments.
    ofMember: async ({ db }, { scope, memberId }) => ({
      rectifications: await personalRectifications(db, scope.tenantId, memberId),
      commitments: await personalCommitments(db, scope.tenantId, memberId),
    }),
  },
};
