import { HomeOutlined } from '@ant-design/icons';
import type { WebModule } from '../../platform/module';
import { HomePage } from './HomePage';
import './home.css';

export const homeModule: WebModule = {
  routes: [{ path: '/', element: <HomePage /> }],
  menu: [{ path: '/', label: '工作台', memberLabel: '首页', icon: <HomeOutlined />, roles: 'any', order: 0 }],
};
