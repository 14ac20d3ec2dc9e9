import { lazyNamed } from '../../platform/lazy';
import { AlertOutlined, BarChartOutlined, DashboardOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import './stats.css';
import { RECORD_READERS } from '@xianfeng/shared';

const AnnualReportPage = lazyNamed(() => import('./AnnualReportPage'), 'AnnualReportPage');
const AttentionPage = lazyNamed(() => import('./AttentionPage'), 'AttentionPage');
const DashboardPage = lazyNamed(() => import('./DashboardPage'), 'DashboardPage');

export const statsModule: WebModule = {
  routes: [
    { path: '/dashboard', element: <DashboardPage /> },
    { path: '/stats/annual', element: <AnnualReportPage /> },
    { path: '/stats/attention', element: <AttentionPage /> },
  ],
  menu: [
    { path: '/dashboard', label: '驾驶舱', icon: <DashboardOutlined />, roles: RECORD_READERS, order: 5 },
    { path: '/stats/attention', label: '决策参考', icon: <AlertOutlined />, roles: RECORD_READERS, order: 5.5 },
    { path: '/stats/annual', label: '党内统计', icon: <BarChartOutlined />, roles: RECORD_READERS, order: 6 },
  ],
};
