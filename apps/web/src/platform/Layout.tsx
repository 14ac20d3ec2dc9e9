/**
 * The main frame: menu (a side bar on desktop, a drawer on phones), the org/role switcher for
 * users with several bindings, the 大字模式 toggle and the user menu.
 */
import {
  DownloadOutlined,
  KeyOutlined,
  LinkOutlined,
  LogoutOutlined,
  MenuOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Switch } from 'antd';
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { bindingLabel, useAuth } from './auth';
import { allows } from './module';
import { modules } from '../modules';
import { api } from './api';
import { useOffline } from './offline';
import { QueueBanner } from './QueueBanner';
import { useSubmit } from './useSubmit';

// Loaded only for a user with several bindings; until it arrives, the current binding is shown as text.
const BindingSelect = lazy(async () => ({ default: (await import('./BindingSelect')).BindingSelect }));

export function Brand({ light }: { light?: boolean }) {
  return (
    <div className="xf-brand" style={{ color: light ? '#fff' : undefined }}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span>先锋 · 智慧党建</span>
    </div>
  );
}

export function MainLayout({ children }: { children?: ReactNode }) {
  const { me, current, setCurrent, logout, setLargeFont } = useAuth();
  const { busyKey, run } = useSubmit('toast');
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const offline = useOffline();

  const items = useMemo(
    () =>
      modules
        .flatMap((m) => m.menu ?? [])
        .filter((e) => allows(e.roles, current?.role))
        .sort((a, b) => a.order - b.order)
        .map((e) => ({
          key: e.path,
          icon: e.icon,
          label: current?.role === 'member' ? (e.memberLabel ?? e.label) : e.label,
        })),
    [current],
  );
  const headerItems = useMemo(() => modules.flatMap((m) => m.headerItems ?? []).sort((a, b) => a.order - b.order), []);
  const selected = items
    .filter((i) => (i.key === '/' ? location.pathname === '/' : location.pathname.startsWith(i.key)))
    .map((i) => i.key);
  const menu = (
    <Menu
      mode="inline"
      theme={phone ? 'light' : 'dark'}
      selectedKeys={selected}
      items={items}
      onClick={(e) => {
        navigate(e.key);
        setDrawerOpen(false);
      }}
    />
  );

  if (!me) return null;
  const largeFont = me.prefs.largeFont;
  const toggleLargeFont = (on: boolean) => run(() => setLargeFont(on), { key: 'large-font' });

  const bindingText = current && (
    <span className="xf-binding" title={bindingLabel(current)}>
      {bindingLabel(current)}
    </span>
  );
  const switcher: ReactNode =
    me.roles.length > 1 ? (
      <Suspense fallback={bindingText}>
        <BindingSelect
          roles={me.roles}
          current={current}
          onChange={(b) => {
            setCurrent(b);
            navigate('/');
          }}
        />
      </Suspense>
    ) : (
      bindingText
    );

  const userMenu = (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'password', icon: <KeyOutlined />, label: '修改密码', onClick: () => navigate('/password') },
          { key: 'sso', icon: <LinkOutlined />, label: '绑定企业微信/钉钉', onClick: () => navigate('/account/sso') },
          {
            key: 'personal-data',
            icon: <DownloadOutlined />,
            label: '下载我的个人信息',
            onClick: () =>
              void run(() => api.download('/me/personal-data', undefined, 'POST'), { key: 'personal-data' }),
          },
          {
            key: 'logout',
            icon: <LogoutOutlined />,
            label: '退出登录',
            onClick: () => void logout().then(() => navigate('/login')),
          },
        ],
      }}
    >
      {/* The name a screen reader says includes the visible name (axe: label-content-name-mismatch). */}
      <Button type="text" icon={<UserOutlined />} aria-label={phone ? '用户菜单' : `用户菜单：${me.displayName}`}>
        {!phone && me.displayName}
      </Button>
    </Dropdown>
  );

  return (
    <Layout className={largeFont ? 'xf-large' : undefined} style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider width={220} theme="dark" className="xf-sider">
          <Brand light />
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="xf-header">
          <Space size={phone ? 4 : 12} className="xf-header-left">
            {phone && (
              <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" onClick={() => setDrawerOpen(true)} />
            )}
            {phone ? <Brand /> : switcher}
          </Space>
          <Space size={phone ? 4 : 12}>
            {headerItems.map((h) => (
              <span key={h.key}>{h.render()}</span>
            ))}
            {/* Says what it does in words, on the phone too; the whole label is the tap target. */}
            <label className="xf-large-toggle" title={largeFont ? '关闭大字模式' : '打开大字模式：更大的字和按钮'}>
              <span className="xf-large-toggle-text">大字模式</span>
              <Switch
                checked={largeFont}
                loading={busyKey === 'large-font'}
                onChange={toggleLargeFont}
                aria-label="大字模式"
              />
            </label>
            {userMenu}
          </Space>
        </Layout.Header>
        {phone && me.roles.length > 0 && <div className="xf-phone-switcher">{switcher}</div>}
        {offline && (
          <Alert
            className="xf-offline-banner"
            type="warning"
            showIcon
            banner
            role="status"
            message="当前离线，显示的是上次同步的内容"
          />
        )}
        <QueueBanner />
        <Layout.Content className="xf-content">{children ?? <Outlet />}</Layout.Content>
      </Layout>
      <Drawer
        placement="left"
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
        width={260}
        title={<Brand />}
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
    </Layout>
  );
}
