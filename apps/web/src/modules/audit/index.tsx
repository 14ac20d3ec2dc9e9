import { lazyNamed } from '../../platform/lazy';
import { AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { AUDIT_READERS } from '@xianfeng/shared';

const AuditPage = lazyNamed(() => import('./AuditPage'), 'AuditPage');

export const auditModule: WebModule = {
  routes: [{ path: '/audit', element: <AuditPage /> }],
  menu: [{ path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: AUDIT_READERS, order: 90 }],
};
