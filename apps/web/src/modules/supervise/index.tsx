import { lazyNamed } from '../../platform/lazy';
import { AuditOutlined, FlagOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import './supervise.css';

const CommitmentsPage = lazyNamed(() => import('./CommitmentsPage'), 'CommitmentsPage');
const RectifyPage = lazyNamed(() => import('./RectifyPage'), 'RectifyPage');

/** 监督: 承诺践诺 (everyone) and 整改落实 — the 整改台账 and roll-up for record readers, everyone's own items (责任人 or 验收人). */
export const superviseModule: WebModule = {
  routes: [
    { path: '/supervise/rectify', element: <RectifyPage /> },
    { path: '/supervise/commitments', element: <CommitmentsPage /> },
  ],
  menu: [
    { path: '/supervise/commitments', label: '承诺践诺', icon: <FlagOutlined />, roles: 'any', order: 12 },
    { path: '/supervise/rectify', label: '整改落实', icon: <AuditOutlined />, roles: 'any', order: 47 },
  ],
};
