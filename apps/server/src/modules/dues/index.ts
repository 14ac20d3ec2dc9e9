import type { ServerModule } from '../../platform/module';
import { allPages } from '../../platform/paging';
import { seedDues } from './demo';
import type { ActingScope } from '../../platform/access';
import { AUTO_ARREARS_JOB, AUTO_BILLS_JOB, runAutoArrears, runAutoBills } from './automation';
import { listPayments, reconcilePendingPayments, RECONCILE_JOB } from './payments';
import { duesMatrix } from './authz';
import { duesRoutes } from './routes';
import { baseHistory, listBills, runBillGeneration } from './service';

export const duesModule: ServerModule = {
  name: 'dues',
  routes: duesRoutes,
  authz: duesMatrix,
  background: ({ db, config }) => ({
    jobs: [
      // 生成账单 for a subtree in the background (the scope was checked when the job was queued).
      {
        kind: 'dues.generate',
        run: ({ job, progress }) => {
          const p = job.payload as { scope: ActingScope; month: string };
          return runBillGeneration(db, p.scope, p.month, progress);
        },
      },
      // The tenant's automatic bill run and arrears reminders: their schedules are per tenant, set in 党费设置
      // (automation.ts), so no `cron` here.
      {
        kind: AUTO_BILLS_JOB,
        run: ({ job, now }) =>
          runAutoBills(db, job.tenantId!, (job.payload as { occurrence?: string }).occurrence ?? now().toISOString()),
      },
      { kind: AUTO_ARREARS_JOB, run: ({ job }) => runAutoArrears(db, job.tenantId!) },
      // Orders whose callback never came: queried, settled or closed (issue 28 item 5). Settings are read at run
      // time, like every payment route.
      {
        kind: RECONCILE_JOB,
        run: ({ log }) => reconcilePendingPayments(db, config.payment, undefined, log),
        cron: '*/5 * * * *',
      },
    ],
  }),
  demo:
    () =>
    ({ tx, tenantId, orgs }) =>
      seedDues(tx, tenantId, orgs),
  personalData: {
    ofMember: async ({ db }, { scope, memberId }) => ({
      dues: {
        bases: await allPages((p, s) => baseHistory(db, scope.tenantId, memberId, p, s)),
        bills: await allPages((p, s) => listBills(db, scope.tenantId, '/', { memberId }, p, s)),
        payments: await allPages((p, s) => listPayments(db, scope.tenantId, '/', { memberId }, p, s)),
      },
    }),
  },
};
