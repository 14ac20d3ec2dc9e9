import type { ServerModule } from '../../platform/module';
import { seedService } from './demo';
import { hardshipCase, hardshipVisit } from './schema';
import { serviceRoutes } from './routes';
import { personalVolunteer } from './service';

/** 服务: 志愿服务 (activities, sign-ups, QR check-in and check-out, hours, roll-up) and 困难帮扶 (confidential cases and visits). */
export const serviceModule: ServerModule = {
  name: 'service',
  routes: serviceRoutes,
  demo: ({ fieldCrypto }) => ({ tx, tenantId, root, orgs }) => seedService(tx, fieldCrypto, tenantId, root, orgs),
  sealed: [{ column: hardshipCase.situationEnc }, { column: hardshipVisit.noteEnc }],
  personalData: {
    // 志愿服务: the member's sign-ups, check-in and check-out times, and hours (with any correction and its reason).
    ofMember: async ({ db }, { scope, memberId }) => ({ volunteer: await personalVolunteer(db, scope.tenantId, memberId) }),
  },
};
