import { ReadOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { AttemptPage } from './AttemptPage';
import { ItemPage } from './ItemPage';
import { LearnPage } from './LearnPage';
import { LearnTodoCard } from './LearnTodoCard';

export const learnModule: WebModule = {
  routes: [
    { path: '/learn', element: <LearnPage /> },
    { path: '/learn/items/:id', element: <ItemPage /> },
    { path: '/learn/attempts/:id', element: <AttemptPage /> },
  ],
  menu: [{ path: '/learn', label: '学习教育', icon: <ReadOutlined />, roles: 'any', order: 28 }],
  homeCards: [{ key: 'learn-todo', roles: 'any', order: 40, render: () => <LearnTodoCard /> }],
};
