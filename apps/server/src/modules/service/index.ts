import type { ServerModule } from '../../platform/module';
import { seedService } from './demo';
import { serviceRoutes } from './routes';
import { personalVolunteer } from './service';

/** 服务: 志愿服务 (activities, sign-ups, QR check-in and check-out, hours, roll-up). */
export const serviceModule: ServerModule = {
  name: 'service',
  routes: serviceRoutes,
  demo: () => ({ tx, tenantId, root, orgs }) => seedService(tx, tenantId, root, orgs),
  personalData: {
    // 志愿服务: the member's sign-ups, check-in and check-out times, and hours (with any correction and its reason).
    ofMember: async ({ db }, { scope, memberId }) => ({ volunteer: await personalVolunteer(db, scope.tenantId, memberId) }),
  },
};
