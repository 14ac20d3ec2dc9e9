import { lazyNamed } from '../../platform/lazy';
import { EnvironmentOutlined, HeartOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { HARDSHIP_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { WebModule } from '../../platform/module';
import './service.css';

const HardshipPage = lazyNamed(() => import('./HardshipPage'), 'HardshipPage');
const MapPage = lazyNamed(() => import('./MapPage'), 'MapPage');
const MemberVolunteerTab = lazyNamed(() => import('./MemberVolunteerTab'), 'MemberVolunteerTab');
const MyVolunteerPage = lazyNamed(() => import('./MyVolunteerPage'), 'MyVolunteerPage');
const QrPage = lazyNamed(() => import('./QrPage'), 'QrPage');
const ScanPage = lazyNamed(() => import('./ScanPage'), 'ScanPage');
const VolunteerPage = lazyNamed(() => import('./VolunteerPage'), 'VolunteerPage');
const VerifyPage = lazyNamed(() => import('./VerifyPage'), 'VerifyPage');

/** 服务: 云地图 (places of orgs, 党群服务中心, 驿站, nearest first, no outside tile server); 志愿服务 — the organizer's page, the member's phone page, the QR screen and the page the QR code opens; 困难帮扶. */
export const serviceModule: WebModule = {
  routes: [
    { path: '/volunteer', element: <VolunteerPage /> },
    { path: '/volunteer/:id/qr', element: <QrPage /> },
    { path: '/my/volunteer', element: <MyVolunteerPage /> },
    { path: '/hardship', element: <HardshipPage /> },
    { path: '/service-map', element: <MapPage /> },
    // What the activity's QR code encodes (GET /volunteer-activities/:id/qr → url).
    { path: '/m/volunteer/:id/scan', element: <ScanPage /> },
  ],
  // The public check of a 志愿服务证明 (no login): what the certificate's QR code opens.
  publicRoutes: [
    { path: '/verify/volunteer', element: <VerifyPage /> },
    { path: '/verify/volunteer/:serial', element: <VerifyPage /> },
  ],
  menu: [
    { path: '/my/volunteer', label: '我的志愿服务', icon: <HeartOutlined />, roles: 'any', order: 12 },
    { path: '/service-map', label: '云地图', icon: <EnvironmentOutlined />, roles: 'any', order: 13 },
    { path: '/volunteer', label: '志愿服务', icon: <HeartOutlined />, roles: RECORD_READERS, order: 47 },
    { path: '/hardship', label: '困难帮扶', icon: <SafetyCertificateOutlined />, roles: HARDSHIP_KEEPERS, order: 48 },
  ],
  memberTabs: [
    { key: 'volunteer', label: '志愿服务', roles: RECORD_READERS, render: (m) => <MemberVolunteerTab m={m} /> },
  ],
};
