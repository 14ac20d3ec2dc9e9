import type { ServerModule } from '../../platform/module';
import { userMatrix } from './authz';
import { userRoutes } from './routes';

export const userModule: ServerModule = { name: 'user', routes: userRoutes, authz: userMatrix };
