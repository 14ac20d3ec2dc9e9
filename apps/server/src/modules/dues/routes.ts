/**
 * 党费 routes. Who may call each and which org it touches is declared here (config.access);
 * members reach only their own bills, payments and receipts (lookup to the record's org, then
 * an ownership check in the service). Provider callbacks are public but signature-verified.
 * The routes are in *.routes.ts by area; this plugin registers them in one order.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ActingScope } from '../../platform/access';
import type { Services } from '../../platform/services';
import { reconcilePendingPayments, RECONCILE_JOB } from './payments';
import { runBillGeneration } from './service';
import { settingsRoutes } from './settings.routes';
import { meRoutes } from './me.routes';
import { billsRoutes } from './bills.routes';
import { exemptionsRoutes } from './exemptions.routes';
import { ledgerRoutes } from './ledger.routes';
import { offlineRoutes } from './offline.routes';
import { automationRoutes } from './automation.routes';
import { registerDuesJobs } from './automation';

export const duesRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, jobs } = services;

    jobs.register('dues.generate', async ({ job, progress }) => {
      const p = job.payload as { scope: ActingScope; month: string };
      return runBillGeneration(db, p.scope, p.month, progress);
    });
    registerDuesJobs(db, jobs);
    // Orders whose callback never came: queried, settled or closed (issue 28 item 5). Settings are read at
    // run time, like every payment route.
    jobs.register(RECONCILE_JOB, () => reconcilePendingPayments(db, services.config.payment, undefined, app.log));
    jobs.recurring({ name: RECONCILE_JOB, kind: RECONCILE_JOB, cron: '*/5 * * * *' });
    await settingsRoutes(app, services);
    await automationRoutes(app, services);
    await meRoutes(app, services);
    await billsRoutes(app, services);
    await exemptionsRoutes(app, services);
    await ledgerRoutes(app, services);
    await offlineRoutes(app, services);
  };
