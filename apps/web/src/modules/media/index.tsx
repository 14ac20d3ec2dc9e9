import { lazyNamed } from '../../platform/lazy';
import { NotificationOutlined } from '@ant-design/icons';
import { RECORD_READERS } from '@xianfeng/shared';
import type { WebModule } from '../../platform/module';
import { MustReadCard, NewsCard } from './MediaCards';

const ArticlePage = lazyNamed(() => import('./ArticlePage'), 'ArticlePage');
const BrandEditorPage = lazyNamed(() => import('./BrandEditorPage'), 'BrandEditorPage');
const MemberHonorsTab = lazyNamed(() => import('./Showcase'), 'MemberHonorsTab');
const EditorPage = lazyNamed(() => import('./EditorPage'), 'EditorPage');
const LectureRoomPage = lazyNamed(() => import('./LectureRoomPage'), 'LectureRoomPage');
const MediaPage = lazyNamed(() => import('./MediaPage'), 'MediaPage');
const ContestPage = lazyNamed(() => import('./Contests'), 'ContestPage');
const ContestFormPage = lazyNamed(() => import('./Contests'), 'ContestFormPage');
const ContestSubmitPage = lazyNamed(() => import('./Contests'), 'ContestSubmitPage');
const ContestJudgePage = lazyNamed(() => import('./Contests'), 'ContestJudgePage');
const ContestResultsPage = lazyNamed(() => import('./Contests'), 'ContestResultsPage');

export const mediaModule: WebModule = {
  routes: [
    { path: '/media', element: <MediaPage /> },
    { path: '/media/articles/:id', element: <ArticlePage /> },
    { path: '/media/new', element: <EditorPage /> },
    { path: '/media/edit/:id', element: <EditorPage /> },
    { path: '/media/brand/new', element: <BrandEditorPage /> },
    { path: '/media/brand/edit/:id', element: <BrandEditorPage /> },
    { path: '/media/lectures/:id', element: <LectureRoomPage /> },
    { path: '/media/contests/new', element: <ContestFormPage /> },
    { path: '/media/contests/:id', element: <ContestPage /> },
    { path: '/media/contests/:id/edit', element: <ContestFormPage /> },
    { path: '/media/contests/:id/submit', element: <ContestSubmitPage /> },
    { path: '/media/contests/:id/judge', element: <ContestJudgePage /> },
    { path: '/media/contests/:id/results', element: <ContestResultsPage /> },
  ],
  menu: [{ path: '/media', label: '宣传', icon: <NotificationOutlined />, roles: 'any', order: 29 }],
  memberTabs: [
    { key: 'media-honors', label: '典型宣传', roles: RECORD_READERS, render: (m) => <MemberHonorsTab m={m} /> },
  ],
  homeCards: [
    { key: 'media-must-read', roles: 'any', order: 35, render: () => <MustReadCard /> },
    { key: 'media-news', roles: 'any', order: 36, render: () => <NewsCard /> },
  ],
};
