import { AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { RectifyPage } from './RectifyPage';
import './supervise.css';

/** 监督: 整改落实 — the 整改台账 and roll-up for record readers, everyone's own items (责任人 or 验收人). */
export const superviseModule: WebModule = {
  routes: [{ path: '/supervise/rectify', element: <RectifyPage /> }],
  menu: [{ path: '/supervise/rectify', label: '整改落实', icon: <AuditOutlined />, roles: 'any', order: 47 }],
};
