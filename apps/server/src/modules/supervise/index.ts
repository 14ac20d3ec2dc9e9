import type { DashboardWarning } from '@xianfeng/shared';
import type { ServerModule } from '../../platform/module';
import { seedSupervise } from './demo';
import { superviseMatrix } from './authz';
import { superviseRoutes } from './routes';
import { personalCommitments } from './commitments';
import { personalRectifications, rectifyDashboard, rectifyReminders } from './service';

/** 监督: 整改 (rectification) items with evidence, verification, reminders, an overdue alert and a roll-up per subtree; 承诺践诺. */
export const superviseModule: ServerModule = {
  name: 'supervise',
  routes: superviseRoutes,
  authz: superviseMatrix,
  // 整改 deadlines: every morning the owner of each open item is reminded ahead of its deadline and, once it is
  // overdue, the owner and the 验收人 are alerted (service.ts `rectifyReminders`; days in RECTIFY_RULES.reminders).
  background: ({ db }) => ({
    jobs: [{ kind: 'supervise.rectify.remind', run: () => rectifyReminders(db), cron: '45 8 * * *' }],
  }),
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedSupervise(tx, tenantId, orgs),
  // 驾驶舱 整改: open and overdue items of the subtree (the key has the day, so an item falls overdue at midnight).
  dashboard: {
    key: 'supervise',
    topics: ['supervise', 'org'],
    compute:
      () =>
      async ({ db, scope, today }) => {
        const value = await rectifyDashboard(db, scope, today);
        if (value.overdue === 0) return { value };
        const link = `/supervise/rectify?tab=ledger&org=${scope.org.id}&status=overdue`;
        const warning: DashboardWarning = {
          kind: 'rectify_overdue',
          level: 'critical',
          count: value.overdue,
          message: `${value.overdue} 项整改已过整改期限仍未销号`,
          link,
          orgs: [],
        };
        return { value, warnings: [warning] };
      },
  },
  personalData: {
    // 整改 items the member is 责任人 of, with their steps and evidence file names; their yearly commitments.
    ofMember: async ({ db }, { scope, memberId }) => ({
      rectifications: await personalRectifications(db, scope.tenantId, memberId),
      commitments: await personalCommitments(db, scope.tenantId, memberId),
    }),
  },
};
