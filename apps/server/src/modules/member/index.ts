import type { ServerModule } from '../../platform/module';
import { getOrg } from '../org/service';
import { seedMembers } from './demo';
import { activityOf } from './activity';
import { lifecycleHistory } from './lifecycle';
import { lostHistory } from './lost';
import { memberRoutes } from './routes';
import { member } from './schema';
import { memberOfUser, toView } from './service';

export const memberModule: ServerModule = {
  name: 'member',
  routes: memberRoutes,
  demo: seedMembers,
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
