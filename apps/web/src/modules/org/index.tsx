import { ApartmentOutlined } from '@ant-design/icons';
import { READERS, type WebModule } from '../../platform/module';
import { OrgsPage } from './OrgsPage';
import './org.css';

export { OrgPicker } from './OrgPicker';

export const orgModule: WebModule = {
  routes: [{ path: '/orgs', element: <OrgsPage /> }],
  menu: [{ path: '/orgs', label: '组织管理', icon: <ApartmentOutlined />, roles: READERS, order: 10 }],
};
