import type { ServerModule } from '../../platform/module';
import { jobRoutes } from './routes';

export const jobModule: ServerModule = { name: 'job', routes: jobRoutes };
