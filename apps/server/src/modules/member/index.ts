import type { ServerModule } from '../../platform/module';
import { getOrg } from '../org/service';
import { seedMembers } from './demo';
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
    // The member's own record with full numbers, and its transfers, flows, 失联 episodes and leaving.
    ofMember: async ({ db, fieldCrypto }, { scope }) => {
      const row = (await memberOfUser(db, scope.tenantId, scope.principal.user.id))!;
      return {
        profile: toView(fieldCrypto, row, (await getOrg(db, scope.tenantId, row.orgId)).name, true),
        ...(await lifecycleHistory(db, scope.tenantId, row.id)),
        lostContact: await lostHistory(db, scope.tenantId, row.id),
      };
    },
  },
};
