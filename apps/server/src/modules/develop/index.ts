import type { ServerModule } from '../../platform/module';
import { seedDevelop } from './demo';
import { DEVELOP_REMIND_JOB, developReminders } from './reminders';
import { developMatrix } from './authz';
import { developRoutes } from './routes';
import { developPerson } from './schema';
import { developRecordOfMember } from './service';

export const developModule: ServerModule = {
  name: 'develop',
  routes: developRoutes,
  authz: developMatrix,
  // 发展党员 deadlines: every morning, the steps due within DEVELOP_RULES.upcomingDays or overdue (reminders.ts).
  background: ({ db, fieldCrypto }) => ({
    jobs: [{ kind: DEVELOP_REMIND_JOB, run: () => developReminders(db, fieldCrypto), cron: '40 8 * * *' }],
  }),
  sealed: [{ column: developPerson.idCardEnc }, { column: developPerson.phoneEnc }],
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, orgs }) =>
      seedDevelop(tx, fieldCrypto, tenantId, orgs),
  personalData: {
    ofMember: async ({ db, fieldCrypto }, { scope, memberId }) => ({
      development: await developRecordOfMember(db, fieldCrypto, scope, memberId),
    }),
  },
};
