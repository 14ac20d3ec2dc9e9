import type { ServerModule } from '../../platform/module';
import { privacyMatrix } from './authz';
import { privacyRoutes } from './routes';

/** The personal-data copy of the person signed in, from the sections of `sources`. */
export const privacyModule = (sources: readonly ServerModule[]): ServerModule => ({
  name: 'privacy',
  routes: privacyRoutes(sources),
  authz: privacyMatrix,
});
