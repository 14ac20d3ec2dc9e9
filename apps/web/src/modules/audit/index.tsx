import { AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { AuditPage } from './AuditPage';

export const auditModule: WebModule = {
  routes: [{ path: '/audit', element: <AuditPage /> }],
  menu: [{ path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: ['admin', 'auditor'], order: 90 }],
};
