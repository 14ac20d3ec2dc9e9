import { lazyNamed } from '../../platform/lazy';
import { FlagOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import { DevelopTodoCard } from './HomeCards';
import './develop.css';
import { RECORD_READERS, RECORD_KEEPERS } from '@xianfeng/shared';

const DevelopBoardPage = lazyNamed(() => import('./DevelopBoardPage'), 'DevelopBoardPage');
const PersonPage = lazyNamed(() => import('./PersonPage'), 'PersonPage');

export const developModule: WebModule = {
  routes: [
    { path: '/develop', element: <DevelopBoardPage /> },
    { path: '/develop/:id', element: <PersonPage /> },
  ],
  menu: [{ path: '/develop', label: '发展党员', icon: <FlagOutlined />, roles: RECORD_READERS, order: 25 }],
  homeCards: [
    { key: 'develop-todo', roles: RECORD_KEEPERS, order: 30, render: (b) => <DevelopTodoCard binding={b} /> },
  ],
};
