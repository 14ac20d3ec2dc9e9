import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { seedMeetings } from './demo';
import { invitationsOf } from './invitations';
import { meetingRoutes } from './routes';

export const meetingModule: ServerModule = {
  name: 'meeting',
  routes: meetingRoutes,
  demo: () => ({ tx, tenantId, orgs }) => seedMeetings(tx, tenantId, orgs),
  personalData: {
    ofMember: async ({ db }, { scope, memberId }) => ({
      meetings: await allPages((p, s) => invitationsOf(db, scope.tenantId, memberId, 'all', undefined, p, s)),
    }),
  },
};
