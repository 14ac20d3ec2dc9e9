import type { ServerModule } from '../../platform/module';
import { seedThought } from './demo';
import { thoughtMatrix } from './authz';
import { thoughtRoutes } from './routes';
import { thoughtReport } from './schema';
import { personalThought, thoughtDashboard } from './service';

/** 思想汇报: members' reports, the secretary's marks and comments, who is expected, reminders, 思想动态. */
export const thoughtModule: ServerModule = {
  name: 'thought',
  routes: thoughtRoutes,
  authz: thoughtMatrix,
  sealed: [{ column: thoughtReport.textEnc }, { column: thoughtReport.commentEnc }],
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, orgs }) =>
      seedThought(tx, fieldCrypto, tenantId, orgs),
  // 驾驶舱 思想汇报: reported for the current period, and at the last quarter's end (reports, the roll, development).
  dashboard: {
    key: 'thought',
    topics: ['thought', 'member', 'develop', 'org'],
    compute:
      () =>
      async ({ db, scope, today }) => ({ value: await thoughtDashboard(db, scope, today) }),
  },
  personalData: {
    // 思想汇报: the member's own reports with their text and the feedback.
    ofMember: async ({ db, fieldCrypto }, { scope, memberId }) => ({
      thoughtReports: await personalThought(db, fieldCrypto, scope.tenantId, memberId),
    }),
  },
};
