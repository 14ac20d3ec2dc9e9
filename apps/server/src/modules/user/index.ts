import type { ServerModule } from '../../platform/module';
import { userRoutes } from './routes';

export const userModule: ServerModule = { name: 'user', routes: userRoutes };
