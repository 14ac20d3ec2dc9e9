import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { seedMeetings } from './demo';
import { invitationsOf } from './invitations';
import { meetingRoutes } from './routes';
import { remoteOfMember } from './remote';
import { talksOfMember } from './talks';

export const meetingModule: ServerModule = {
  name: 'meeting',
  routes: meetingRoutes,
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedMeetings(tx, tenantId, orgs),
  personalData: {
    ofMember: async ({ db }, { scope, memberId }) => {
      // 网上过组织生活 (issue #27): their statements (发言) and votes in meetings.
      const remote = await remoteOfMember(db, scope.tenantId, memberId);
      return {
        meetings: await allPages((p, s) => invitationsOf(db, scope.tenantId, memberId, 'all', undefined, p, s)),
        meetingStatements: remote.statements,
        meetingBallots: remote.ballots,
        // 谈心谈话: talks held with them, and the ones they held as the talker (day and topic only).
        talks: await talksOfMember(db, scope.tenantId, memberId),
      };
    },
  },
};
