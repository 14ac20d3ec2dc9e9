import type { ServerModule } from '../../platform/module';
import { statsRoutes } from './routes';

export const statsModule: ServerModule = { name: 'stats', routes: statsRoutes };
