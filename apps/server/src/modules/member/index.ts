import type { ServerModule } from '../../platform/module';
import type { ActingScope } from '../../platform/access';
import { getOrg } from '../org/service';
import { seedMembers } from './demo';
import { activityOf, recordActivity } from './activity';
import { importMembers } from './excel';
import { FLOW_REMIND_JOB, flowReminders } from './reminders';
import { lifecycleHistory } from './lifecycle';
import { lostHistory } from './lost';
import { memberMatrix } from './authz';
import { memberRoutes } from './routes';
import { foldMemberTally } from './stats';
import { member } from './schema';
import { memberOfUser, toView } from './service';

export const memberModule: ServerModule = {
  name: 'member',
  routes: memberRoutes,
  authz: memberMatrix,
  demo: seedMembers,
  background: ({ db, fieldCrypto }) => ({
    jobs: [
      // Large imports run in the background; the scope was checked when the job was queued.
      {
        kind: 'member.import',
        run: ({ job, progress }) => {
          const p = job.payload as { scope: ActingScope; fileName: string };
          return importMembers(db, fieldCrypto, p.scope, job.input!, p.fileName, progress);
        },
      },
      { kind: FLOW_REMIND_JOB, run: () => flowReminders(db), cron: '35 8 * * *' },
      // The member statistics' tally (stats.ts): the writers' appended deltas folded into the base, so reads stay small.
      { kind: 'member.tally.fold', run: () => foldMemberTally(db), cron: '* * * * *' },
    ],
    // 疑似失联 reads each member's last activity: every domain event of a member's account moves it.
    events: [{ name: 'member.activity', kinds: '*', tap: recordActivity }],
  }),
  sealed: [{ column: member.idCardEnc }, { column: member.phoneEnc }],
  personalData: {
    // The member's own record with full numbers, and its transfers, flows, 失联 episodes, leaving and last activity.
    ofMember: async ({ db, fieldCrypto }, { scope }) => {
      const row = (await memberOfUser(db, scope.tenantId, scope.principal.user.id))!;
      return {
        profile: toView(fieldCrypto, row, (await getOrg(db, scope.tenantId, row.orgId)).name, true),
        ...(await lifecycleHistory(db, scope.tenantId, row.id)),
        lostContact: await lostHistory(db, scope.tenantId, row.id),
        // When the member was last seen active (疑似失联 reads it).
        lastActivity: await activityOf(db, row.id),
      };
    },
  },
};
