import { lazyNamed } from '../../platform/lazy';
import { AuditOutlined, CalendarOutlined, CarryOutOutlined, MessageOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import { ComplianceCard, PlannedMeetingsCard, UpcomingMeetingsCard } from './HomeCards';
import './meeting.css';
import { RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';

const CheckinPage = lazyNamed(() => import('./CheckinPage'), 'CheckinPage');
const CompliancePage = lazyNamed(() => import('./CompliancePage'), 'CompliancePage');
const MakeupPage = lazyNamed(() => import('./MakeupPage'), 'MakeupPage');
const MeetingDetailPage = lazyNamed(() => import('./MeetingDetailPage'), 'MeetingDetailPage');
const MeetingsPage = lazyNamed(() => import('./MeetingsPage'), 'MeetingsPage');
const MemberMeetingsTab = lazyNamed(() => import('./MemberMeetingsTab'), 'MemberMeetingsTab');
const MyMeetingsPage = lazyNamed(() => import('./MyMeetingsPage'), 'MyMeetingsPage');
const PlanPage = lazyNamed(() => import('./PlanPage'), 'PlanPage');
const QrScreenPage = lazyNamed(() => import('./QrScreenPage'), 'QrScreenPage');
const RoomPage = lazyNamed(() => import('./RoomPage'), 'RoomPage');
const TalksPage = lazyNamed(() => import('./TalksPage'), 'TalksPage');

export const meetingModule: WebModule = {
  routes: [
    { path: '/meetings', element: <MeetingsPage /> },
    { path: '/meetings/plan', element: <PlanPage /> },
    { path: '/meetings/:id', element: <MeetingDetailPage /> },
    { path: '/meetings/:id/qr', element: <QrScreenPage /> },
    { path: '/compliance', element: <CompliancePage /> },
    { path: '/talks', element: <TalksPage /> },
    { path: '/my/meetings', element: <MyMeetingsPage /> },
    { path: '/my/meetings/:id', element: <MakeupPage /> },
    // 线上参会 (issue #27): the meeting's link, sign-in with the host's code, statements and votes.
    { path: '/my/meeting-room/:id', element: <RoomPage /> },
    // What the venue QR code encodes (GET /meetings/:id/checkin-qr → url), and a short form.
    { path: '/m/meetings/:id/checkin', element: <CheckinPage /> },
    { path: '/checkin', element: <CheckinPage /> },
  ],
  menu: [
    { path: '/meetings', label: '组织生活', icon: <CalendarOutlined />, roles: RECORD_READERS, order: 30 },
    { path: '/compliance', label: '合规检查', icon: <AuditOutlined />, roles: RECORD_READERS, order: 31 },
    { path: '/talks', label: '谈心谈话', icon: <MessageOutlined />, roles: RECORD_READERS, order: 32 },
    { path: '/my/meetings', label: '我的会议', icon: <CarryOutOutlined />, roles: ['member'], order: 4 },
  ],
  homeCards: [
    { key: 'meetings-upcoming', roles: 'any', order: 10, render: () => <UpcomingMeetingsCard /> },
    { key: 'meetings-planned', roles: RECORD_KEEPERS, order: 15, render: (b) => <PlannedMeetingsCard binding={b} /> },
    { key: 'meetings-compliance', roles: RECORD_READERS, order: 20, render: (b) => <ComplianceCard binding={b} /> },
  ],
  memberTabs: [
    { key: 'meetings', label: '组织生活', roles: RECORD_READERS, render: (m) => <MemberMeetingsTab m={m} /> },
  ],
};
