import type { ServerModule } from '../../platform/module';
import { seedThought } from './demo';
import { thoughtRoutes } from './routes';
import { thoughtReport } from './schema';
import { personalThought } from './service';

/** 思想汇报: members' reports, the secretary's marks and comments, who is expected, reminders, 思想动态. */
export const thoughtModule: ServerModule = {
  name: 'thought',
  routes: thoughtRoutes,
  sealed: [{ column: thoughtReport.textEnc }, { column: thoughtReport.commentEnc }],
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, orgs }) =>
      seedThought(tx, fieldCrypto, tenantId, orgs),
  personalData: {
    // 思想汇报: the member's own reports with their text and the feedback.
    ofMember: async ({ db, fieldCrypto }, { scope, memberId }) => ({
      thoughtReports: await personalThought(db, fieldCrypto, scope.tenantId, memberId),
    }),
  },
};
