import { DashboardOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import { DashboardPage } from './DashboardPage';
import './stats.css';
import { RECORD_READERS } from '@xianfeng/shared';

export const statsModule: WebModule = {
  routes: [{ path: '/dashboard', element: <DashboardPage /> }],
  menu: [{ path: '/dashboard', label: '驾驶舱', icon: <DashboardOutlined />, roles: RECORD_READERS, order: 5 }],
};
