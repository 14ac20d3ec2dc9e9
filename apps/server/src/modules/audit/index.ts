import type { ServerModule } from '../../platform/module';
import { auditMatrix } from './authz';
import { auditRoutes } from './routes';

export const auditModule: ServerModule = { name: 'audit', routes: auditRoutes, authz: auditMatrix };
