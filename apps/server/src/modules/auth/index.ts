import type { ServerModule } from '../../platform/module';
import { authRoutes } from './routes';

export const authModule: ServerModule = { name: 'auth', routes: authRoutes };
