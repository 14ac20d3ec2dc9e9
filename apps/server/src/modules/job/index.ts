import type { ServerModule } from '../../platform/module';
import { jobMatrix } from './authz';
import { jobRoutes } from './routes';

export const jobModule: ServerModule = { name: 'job', routes: jobRoutes, authz: jobMatrix };
