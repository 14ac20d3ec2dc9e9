import type { ServerModule } from '../../platform/module';
import { seedCommittees } from './demo';
import { orgRoutes } from './routes';

export const orgModule: ServerModule = {
  name: 'org',
  routes: orgRoutes,
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedCommittees(tx, tenantId, orgs),
};
