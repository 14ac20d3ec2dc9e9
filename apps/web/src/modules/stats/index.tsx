import { BarChartOutlined, DashboardOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import { AnnualReportPage } from './AnnualReportPage';
import { DashboardPage } from './DashboardPage';
import './stats.css';
import { RECORD_READERS } from '@xianfeng/shared';

export const statsModule: WebModule = {
  routes: [
    { path: '/dashboard', element: <DashboardPage /> },
    { path: '/stats/annual', element: <AnnualReportPage /> },
  ],
  menu: [
    { path: '/dashboard', label: '驾驶舱', icon: <DashboardOutlined />, roles: RECORD_READERS, order: 5 },
    { path: '/stats/annual', label: '党内统计', icon: <BarChartOutlined />, roles: RECORD_READERS, order: 6 },
  ],
};
