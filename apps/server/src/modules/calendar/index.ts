import type { ServerModule } from '../../platform/module';
import { calendarMatrix } from './authz';
import { calendarRoutes } from './routes';

/**
 * 节假日安排: the working-day calendar every "N working days" rule counts on. No demo data (the built-in
 * years are the demo's) and no personal data (dates and a notice's name only).
 */
export const calendarModule: ServerModule = {
  name: 'calendar',
  routes: calendarRoutes,
  authz: calendarMatrix,
};
