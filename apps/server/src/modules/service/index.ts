import type { ServerModule } from '../../platform/module';
import { seedService } from './demo';
import { hardshipCase, hardshipVisit } from './schema';
import { serviceMatrix } from './authz';
import { serviceRoutes } from './routes';
import { personalVolunteer, volunteerFigures } from './service';

/** 服务: 云地图 (places of orgs, 党群服务中心, 党员驿站, activity places; places.ts), 志愿服务 (activities, sign-ups, QR check-in and check-out, hours, roll-up) and 困难帮扶 (confidential cases and visits). */
export const serviceModule: ServerModule = {
  name: 'service',
  routes: serviceRoutes,
  authz: serviceMatrix,
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, root, orgs }) =>
      seedService(tx, fieldCrypto, tenantId, root, orgs),
  // 驾驶舱 志愿服务: the volunteer tables are not on the change feed, and these are two indexed subtree counts: always fresh.
  dashboard: {
    key: 'volunteer',
    compute:
      () =>
      async ({ db, scope, today }) => {
        const year = Number(today.slice(0, 4));
        return {
          value: {
            year,
            ...(await volunteerFigures(db, scope.tenantId, scope.org.path, year)),
            note: `${year} 年本组织及下级组织发布的志愿服务活动；服务党员和时长按党员所在组织统计，含上级组织发布的活动，只计已记录时长的（签到签退或组织者更正）`,
          },
        };
      },
  },
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
