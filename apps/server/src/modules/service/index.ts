import type { ServerModule } from '../../platform/module';
import { seedService } from './demo';
import { hardshipCase, hardshipVisit } from './schema';
import { serviceRoutes } from './routes';
import { personalVolunteer } from './service';

/** 服务: 云地图 (places of orgs, 党群服务中心, 党员驿站, activity places; places.ts), 志愿服务 (activities, sign-ups, QR check-in and check-out, hours, roll-up) and 困难帮扶 (confidential cases and visits). */
export const serviceModule: ServerModule = {
  name: 'service',
  routes: serviceRoutes,
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, root, orgs }) =>
      seedService(tx, fieldCrypto, tenantId, root, orgs),
  sealed: [{ column: hardshipCase.situationEnc }, { column: hardshipVisit.noteEnc }],
  personalData: {
    // 云地图's places (places.ts) hold no personal data: their contact phone is the place's duty phone, shown to all
    // who see the place, so no person's copy includes it.
    // 志愿服务: the member's sign-ups, check-in and check-out times, and hours (with any correction and its reason).
    ofMember: async ({ db }, { scope, memberId }) => ({
      volunteer: await personalVolunteer(db, scope.tenantId, memberId),
    }),
  },
};
