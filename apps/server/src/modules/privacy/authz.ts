/**
 * Who may call each route of the privacy module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import type { RouteMatrix } from '../../platform/module';

export const privacyMatrix: RouteMatrix = {
  'POST /api/v1/me/personal-data': 'any',
};
