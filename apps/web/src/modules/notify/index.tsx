import { lazyNamed } from '../../platform/lazy';
import { BellOutlined, NotificationOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { NotifyBell } from './NotifyBell';
import './notify.css';

const NotifyAdminPage = lazyNamed(() => import('./AdminPage'), 'NotifyAdminPage');
const InboxPage = lazyNamed(() => import('./InboxPage'), 'InboxPage');
const NotifySettingsPage = lazyNamed(() => import('./SettingsPage'), 'NotifySettingsPage');

export const notifyModule: WebModule = {
  routes: [
    { path: '/notifications', element: <InboxPage /> },
    { path: '/notifications/settings', element: <NotifySettingsPage /> },
    { path: '/notify/admin', element: <NotifyAdminPage /> },
  ],
  menu: [
    { path: '/notifications', label: '我的通知', icon: <BellOutlined />, roles: 'any', order: 95 },
    { path: '/notify/admin', label: '通知管理', icon: <NotificationOutlined />, roles: ['admin'], order: 96 },
  ],
  headerItems: [{ key: 'notify-bell', order: 10, render: () => <NotifyBell /> }],
};
