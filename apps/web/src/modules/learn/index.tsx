import { lazyNamed } from '../../platform/lazy';
import { ReadOutlined } from '@ant-design/icons';
import { RECORD_READERS } from '@xianfeng/shared';
import type { WebModule } from '../../platform/module';
import { LearnTodoCard } from './LearnTodoCard';

const MemberLearnTab = lazyNamed(() => import('./MemberLearnTab'), 'MemberLearnTab');

const AttemptPage = lazyNamed(() => import('./AttemptPage'), 'AttemptPage');
const CompletionPage = lazyNamed(() => import('./CompletionPage'), 'CompletionPage');
const ItemPage = lazyNamed(() => import('./ItemPage'), 'ItemPage');
const LearnPage = lazyNamed(() => import('./LearnPage'), 'LearnPage');

export const learnModule: WebModule = {
  routes: [
    { path: '/learn', element: <LearnPage /> },
    { path: '/learn/items/:id', element: <ItemPage /> },
    { path: '/learn/attempts/:id', element: <AttemptPage /> },
    { path: '/learn/completion/:what/:id', element: <CompletionPage /> },
  ],
  menu: [{ path: '/learn', label: '学习教育', icon: <ReadOutlined />, roles: 'any', order: 28 }],
  memberTabs: [{ key: 'learning', label: '学习', roles: RECORD_READERS, render: (m) => <MemberLearnTab m={m} /> }],
  homeCards: [{ key: 'learn-todo', roles: 'any', order: 40, render: () => <LearnTodoCard /> }],
};
