import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { seedMeetings } from './demo';
import { invitationsOf } from './invitations';
import { meetingMatrix } from './authz';
import { meetingRoutes } from './routes';
import { MAKEUP_REMIND_JOB, MEETING_REMIND_JOB, remindMakeup, remindMeeting } from './service';
import { remoteOfMember } from './remote';
import { talksOfMember } from './talks';

export const meetingModule: ServerModule = {
  name: 'meeting',
  routes: meetingRoutes,
  authz: meetingMatrix,
  // The reminders a published meeting queues for its own times: before it starts, and at a 补学 deadline.
  background: ({ db }) => ({
    jobs: [
      {
        kind: MEETING_REMIND_JOB,
        run: ({ job }) => remindMeeting(db, job.payload as { meetingId: string; startsAt: string; lead: string }),
        lane: 'quick',
      },
      {
        kind: MAKEUP_REMIND_JOB,
        run: ({ job }) => remindMakeup(db, job.payload as { meetingId: string; due: string }),
        lane: 'quick',
      },
    ],
  }),
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
