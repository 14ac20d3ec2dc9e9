import { lazyNamed } from '../../platform/lazy';
import { ApartmentOutlined } from '@ant-design/icons';
import { type WebModule } from '../../platform/module';
import './org.css';
import { RECORD_READERS } from '@xianfeng/shared';

const OrgsPage = lazyNamed(() => import('./OrgsPage'), 'OrgsPage');

export const orgModule: WebModule = {
  routes: [{ path: '/orgs', element: <OrgsPage /> }],
  menu: [{ path: '/orgs', label: '组织管理', icon: <ApartmentOutlined />, roles: RECORD_READERS, order: 10 }],
};
