/** The account's own settings beyond the password: 企业微信/钉钉 bindings (issue 24), and the admin's 登录方式. */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { lazyNamed } from '../../platform/lazy';
import type { WebModule } from '../../platform/module';

const SsoBindingsPage = lazyNamed(() => import('../../platform/sso'), 'SsoBindingsPage');
const SsoAdminPage = lazyNamed(() => import('../../platform/sso'), 'SsoAdminPage');
const SsoReturnPage = lazyNamed(() => import('../../platform/sso'), 'SsoReturnPage');

export const accountModule: WebModule = {
  routes: [
    { path: '/account/sso', element: <SsoBindingsPage /> },
    { path: '/admin/sso', element: <SsoAdminPage /> },
  ],
  publicRoutes: [{ path: '/login/sso/:provider', element: <SsoReturnPage /> }],
  menu: [{ path: '/admin/sso', label: '登录方式', icon: <SafetyCertificateOutlined />, roles: ['admin'], order: 97 }],
};
