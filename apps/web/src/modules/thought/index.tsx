import { lazyNamed } from '../../platform/lazy';
import { FileTextOutlined, SolutionOutlined } from '@ant-design/icons';
import { RECORD_READERS } from '@xianfeng/shared';
import type { WebModule } from '../../platform/module';
import './thought.css';

const MyThoughtPage = lazyNamed(() => import('./MyThoughtPage'), 'MyThoughtPage');
const ThoughtManagePage = lazyNamed(() => import('./ThoughtManagePage'), 'ThoughtManagePage');

export const thoughtModule: WebModule = {
  routes: [
    { path: '/thought/mine', element: <MyThoughtPage /> },
    { path: '/thought/manage', element: <ThoughtManagePage /> },
  ],
  menu: [
    { path: '/thought/mine', label: '我的思想汇报', icon: <FileTextOutlined />, roles: 'any', order: 11 },
    { path: '/thought/manage', label: '思想汇报管理', icon: <SolutionOutlined />, roles: RECORD_READERS, order: 46 },
  ],
};
