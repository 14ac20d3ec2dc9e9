import { DashboardOutlined } from '@ant-design/icons';
import { READERS, type WebModule } from '../../platform/module';
import { DashboardPage } from './DashboardPage';
import './stats.css';

export const statsModule: WebModule = {
  routes: [{ path: '/dashboard', element: <DashboardPage /> }],
  menu: [{ path: '/dashboard', label: '驾驶舱', icon: <DashboardOutlined />, roles: READERS, order: 5 }],
};
