import { AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { AuditPage } from './AuditPage';
import { AUDIT_READERS } from '@xianfeng/shared';

export const auditModule: WebModule = {
  routes: [{ path: '/audit', element: <AuditPage /> }],
  menu: [{ path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: AUDIT_READERS, order: 90 }],
};
