import { lazyNamed } from '../../platform/lazy';
import { AccountBookOutlined, WalletOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import { DuesTodoCard } from './HomeCards';
import './dues.css';
import { RECORD_READERS } from '@xianfeng/shared';

const DuesPage = lazyNamed(() => import('./DuesPage'), 'DuesPage');
const MemberDuesTab = lazyNamed(() => import('./MemberDuesTab'), 'MemberDuesTab');
const MyDuesPage = lazyNamed(() => import('./MyDuesPage'), 'MyDuesPage');
const PayPage = lazyNamed(() => import('./PayPage'), 'PayPage');
const ReceiptPage = lazyNamed(() => import('./ReceiptPage'), 'ReceiptPage');

export const duesModule: WebModule = {
  routes: [
    { path: '/dues', element: <DuesPage /> },
    { path: '/my/dues', element: <MyDuesPage /> },
    { path: '/my/dues/pay', element: <PayPage /> },
    // Where the payment provider sends the payer back ('return'), and a receipt from the record.
    { path: '/dues/receipt/:paymentId', element: <ReceiptPage /> },
  ],
  menu: [
    { path: '/dues', label: '党费管理', icon: <AccountBookOutlined />, roles: RECORD_READERS, order: 40 },
    { path: '/my/dues', label: '我的党费', icon: <WalletOutlined />, roles: ['member'], order: 6 },
  ],
  homeCards: [
    { key: 'dues', roles: ['member', ...RECORD_READERS], order: 30, render: (b) => <DuesTodoCard binding={b} /> },
  ],
  memberTabs: [{ key: 'dues', label: '党费', roles: RECORD_READERS, render: (m) => <MemberDuesTab m={m} /> }],
};
