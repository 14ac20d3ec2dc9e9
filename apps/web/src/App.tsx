/** Providers, routing, and the guard that sends visitors to sign-in and forced changes to /password. */
import { App as AntApp, ConfigProvider, Grid } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import './platform/dayjsClock';
import { useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './platform/auth';
import { MainLayout } from './platform/Layout';
import { lazyNamed, Splash } from './platform/lazy';
import { UpdatePrompt } from './platform/pwa';
import { themeFor } from './platform/theme';
import { modules } from './modules';

dayjs.locale('zh-cn');

// Signing in and changing the password happen once; a member who is signed in never loads their code (nor antd's
// form machinery) with the home page.
const LoginPage = lazyNamed(() => import('./platform/pages'), 'LoginPage');
const ChangePasswordPage = lazyNamed(() => import('./platform/pages'), 'ChangePasswordPage');
const NotFoundPage = lazyNamed(() => import('./platform/pages'), 'NotFoundPage');

function RequireLogin({ children }: { children: ReactNode }) {
  const { me, ready } = useAuth();
  const location = useLocation();
  if (!ready) return <Splash />;
  // Back to where they were going after signing in — e.g. a scanned sign-in QR link with its token.
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.mustChangePassword && location.pathname !== '/password') return <Navigate to="/password" replace />;
  return children;
}

function Themed({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const large = Boolean(me?.prefs.largeFont);
  const phone = !Grid.useBreakpoint().md;
  useEffect(() => {
    document.documentElement.classList.toggle('xf-large', large);
  }, [large]);
  return (
    <ConfigProvider locale={zhCN} theme={themeFor(large, phone)}>
      <AntApp>
        <UpdatePrompt />
        {children}
      </AntApp>
    </ConfigProvider>
  );
}

function Shell() {
  const { me } = useAuth();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {modules
        .flatMap((m) => m.publicRoutes ?? [])
        .map((r) => (
          <Route key={r.path} path={r.path} element={r.element} />
        ))}
      <Route
        path="/password"
        element={
          <RequireLogin>
            {me?.mustChangePassword ? (
              <ChangePasswordPage />
            ) : (
              <MainLayout>
                <ChangePasswordPage />
              </MainLayout>
            )}
          </RequireLogin>
        }
      />
      <Route
        element={
          <RequireLogin>
            <MainLayout />
          </RequireLogin>
        }
      >
        {modules
          .flatMap((m) => m.routes)
          .map((r) => (
            <Route key={r.path} path={r.path} element={r.element} />
          ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Themed>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </Themed>
    </AuthProvider>
  );
}
