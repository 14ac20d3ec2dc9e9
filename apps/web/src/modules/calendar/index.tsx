import { lazyNamed } from '../../platform/lazy';
import { CalendarOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';

const CalendarPage = lazyNamed(() => import('./CalendarPage'), 'CalendarPage');

export const calendarModule: WebModule = {
  routes: [{ path: '/calendar', element: <CalendarPage /> }],
  menu: [{ path: '/calendar', label: '节假日安排', icon: <CalendarOutlined />, roles: ['admin'], order: 92 }],
};
