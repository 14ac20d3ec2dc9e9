/**
 * 党费 routes. Who may call each and which org it touches is declared here (config.access);
 * members reach only their own bills, payments and receipts (lookup to the record's org, then
 * an ownership check in the service). Provider callbacks are public but signature-verified.
 * The routes are in *.routes.ts by area; this plugin registers them in one order.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../platform/services';
import { settingsRoutes } from './settings.routes';
import { meRoutes } from './me.routes';
import { billsRoutes } from './bills.routes';
import { exemptionsRoutes } from './exemptions.routes';
import { ledgerRoutes } from './ledger.routes';
import { offlineRoutes } from './offline.routes';
import { automationRoutes } from './automation.routes';

export const duesRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    await settingsRoutes(app, services);
    await automationRoutes(app, services);
    await meRoutes(app, services);
    await billsRoutes(app, services);
    await exemptionsRoutes(app, services);
    await ledgerRoutes(app, services);
    await offlineRoutes(app, services);
  };
