import type { ServerModule } from '../../platform/module';
import { seedCommittees } from './demo';
import { TERM_REMIND_JOB, termReminders } from './reminders';
import { orgMatrix } from './authz';
import { orgRoutes } from './routes';

export const orgModule: ServerModule = {
  name: 'org',
  routes: orgRoutes,
  authz: orgMatrix,
  // 换届提醒: every morning, the orgs whose term ends soon or has ended (reminders.ts).
  background: ({ db }) => ({ jobs: [{ kind: TERM_REMIND_JOB, run: () => termReminders(db), cron: '30 8 * * *' }] }),
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedCommittees(tx, tenantId, orgs),
};
