/**
 * Who may call each route of the auth module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import type { RouteMatrix } from '../../platform/module';

export const authMatrix: RouteMatrix = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'any',
  'POST /api/v1/auth/password': 'any',
  'GET /api/v1/me': 'any',
  'PATCH /api/v1/me/prefs': 'any',
  'GET /api/v1/auth/sso/providers': 'public',
  'POST /api/v1/auth/sso/:provider/start': 'public',
  'POST /api/v1/auth/sso/:provider/callback': 'public',
  'GET /api/v1/me/sso': 'any',
  'POST /api/v1/me/sso/start': 'any',
  'POST /api/v1/me/sso/bind': 'any',
  'POST /api/v1/me/sso/unbind': 'any',
  'GET /api/v1/sso/apps': ['admin'],
  'PUT /api/v1/sso/apps/:provider': ['admin'],
  'DELETE /api/v1/sso/apps/:provider': ['admin'],
  'GET /api/v1/sso/bindings': ['admin'],
  'DELETE /api/v1/sso/bindings/:id': ['admin'],
};
