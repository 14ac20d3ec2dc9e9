import { lazyNamed } from '../../platform/lazy';
import { DisconnectOutlined, IdcardOutlined, NodeIndexOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import { MyFlowCard } from './MyFlowCard';
import './member.css';
import { RECORD_READERS } from '@xianfeng/shared';

const FlowingPage = lazyNamed(() => import('./FlowingPage'), 'FlowingPage');
const LostMembersPage = lazyNamed(() => import('./LostMembersPage'), 'LostMembersPage');
const MemberDetailPage = lazyNamed(() => import('./MemberDetailPage'), 'MemberDetailPage');
const MembersPage = lazyNamed(() => import('./MembersPage'), 'MembersPage');
const MyProfilePage = lazyNamed(() => import('./MyProfilePage'), 'MyProfilePage');
const MyFlowPage = lazyNamed(() => import('./MyFlowPage'), 'MyFlowPage');
const TransfersPage = lazyNamed(() => import('./TransfersPage'), 'TransfersPage');

export const memberModule: WebModule = {
  routes: [
    { path: '/members', element: <MembersPage /> },
    { path: '/members/:id', element: <MemberDetailPage /> },
    { path: '/transfers', element: <TransfersPage /> },
    { path: '/flowing', element: <FlowingPage /> },
    { path: '/lost-members', element: <LostMembersPage /> },
    { path: '/me/profile', element: <MyProfilePage /> },
    // 流动党员报到 (issue #22): reached from the 工作台 card and the reminder notice; no menu entry for everyone.
    { path: '/my/flow', element: <MyFlowPage /> },
  ],
  menu: [
    { path: '/members', label: '党员管理', icon: <TeamOutlined />, roles: RECORD_READERS, order: 20 },
    { path: '/transfers', label: '组织关系转接', icon: <SwapOutlined />, roles: RECORD_READERS, order: 21 },
    { path: '/flowing', label: '流动党员', icon: <NodeIndexOutlined />, roles: RECORD_READERS, order: 22 },
    { path: '/lost-members', label: '失联党员', icon: <DisconnectOutlined />, roles: RECORD_READERS, order: 23 },
    { path: '/me/profile', label: '我的档案', icon: <IdcardOutlined />, roles: ['member'], order: 5 },
  ],
  homeCards: [{ key: 'member-flow', roles: ['member'], order: 8, render: () => <MyFlowCard /> }],
};
