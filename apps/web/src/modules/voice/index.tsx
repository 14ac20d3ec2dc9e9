import { lazyNamed } from '../../platform/lazy';
import { BulbOutlined, FormOutlined, MailOutlined, MessageOutlined, TeamOutlined } from '@ant-design/icons';
import { RECORD_READERS } from '@xianfeng/shared';
import type { WebModule } from '../../platform/module';
import { LettersCard, OpinionsCard, PollsCard } from './HomeCards';
import './voice.css';

const ForumPage = lazyNamed(() => import('./ForumPages'), 'ForumPage');
const ThreadPage = lazyNamed(() => import('./ForumPages'), 'ThreadPage');
const LetterPage = lazyNamed(() => import('./LettersPage'), 'LetterPage');
const LettersPage = lazyNamed(() => import('./LettersPage'), 'LettersPage');
const ManagePage = lazyNamed(() => import('./ManagePage'), 'ManagePage');
const MyOpinionsPage = lazyNamed(() => import('./MyOpinionsPage'), 'MyOpinionsPage');
const OpinionDetailPage = lazyNamed(() => import('./OpinionDetailPage'), 'OpinionDetailPage');
const PollsPage = lazyNamed(() => import('./PollsPages'), 'PollsPage');
const SurveyAnswerPage = lazyNamed(() => import('./PollsPages'), 'SurveyAnswerPage');
const VotePage = lazyNamed(() => import('./PollsPages'), 'VotePage');
const PublicPage = lazyNamed(() => import('./PublicPage'), 'PublicPage');
const SurveyEditorPage = lazyNamed(() => import('./SurveyPages'), 'SurveyEditorPage');
const SurveyResultsPage = lazyNamed(() => import('./SurveyPages'), 'SurveyResultsPage');

export const voiceModule: WebModule = {
  routes: [
    { path: '/voice/my', element: <MyOpinionsPage /> },
    { path: '/voice/letters', element: <LettersPage /> },
    { path: '/voice/letters/:id', element: <LetterPage /> },
    { path: '/voice/forum', element: <ForumPage /> },
    { path: '/voice/forum/:id', element: <ThreadPage /> },
    { path: '/voice/polls', element: <PollsPage /> },
    { path: '/voice/surveys/new', element: <SurveyEditorPage /> },
    { path: '/voice/surveys/:id', element: <SurveyAnswerPage /> },
    { path: '/voice/surveys/:id/edit', element: <SurveyEditorPage /> },
    { path: '/voice/surveys/:id/results', element: <SurveyResultsPage /> },
    { path: '/voice/votes/:id', element: <VotePage /> },
    { path: '/voice/manage', element: <ManagePage /> },
    { path: '/voice/opinions/:id', element: <OpinionDetailPage /> },
  ],
  // An org's public link for employees without an account: no login.
  publicRoutes: [{ path: '/v/:orgId', element: <PublicPage /> }],
  menu: [
    { path: '/voice/my', label: '我要建议', icon: <BulbOutlined />, roles: ['member'], order: 7 },
    { path: '/voice/polls', label: '问卷投票', icon: <FormOutlined />, roles: ['member'], order: 8 },
    { path: '/voice/letters', label: '党务信箱', icon: <MailOutlined />, roles: 'any', order: 9 },
    { path: '/voice/forum', label: '支部在线', icon: <TeamOutlined />, roles: 'any', order: 10 },
    { path: '/voice/manage', label: '互动管理', icon: <MessageOutlined />, roles: RECORD_READERS, order: 45 },
  ],
  homeCards: [
    { key: 'voice-polls', roles: 'any', order: 12, render: () => <PollsCard /> },
    { key: 'voice-letters', roles: 'any', order: 13, render: () => <LettersCard /> },
    { key: 'voice-opinions', roles: RECORD_READERS, order: 35, render: (b) => <OpinionsCard binding={b} /> },
  ],
};
