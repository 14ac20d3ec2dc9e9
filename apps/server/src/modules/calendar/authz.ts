/**
 * Who may call each route of the calendar module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import type { RouteMatrix } from '../../platform/module';

export const calendarMatrix: RouteMatrix = {
  // 节假日安排: read by every page that counts working days; kept by the 系统管理员 (at the top org — checked in the service).
  'GET /api/v1/calendar/years': 'any',
  'PUT /api/v1/calendar/years/:year': ['admin'],
  'DELETE /api/v1/calendar/years/:year': ['admin'],
};
