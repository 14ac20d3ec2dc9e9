/**
 * The service worker (vite.config.ts, Workbox): registered once the page has loaded, so it never competes with
 * the first screen; asks the server for a new version every hour and when the member comes back to the app.
 * When a new version is waiting, a notice says so in plain words and updates on one tap.
 */
import { App as AntApp, Button } from 'antd';
import { useEffect } from 'react';

const CHECK_EVERY_MS = 60 * 60 * 1000;

export function UpdatePrompt() {
  const { notification } = AntApp.useApp();
  useEffect(() => {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    let timer: number | undefined;
    let onVisible: (() => void) | undefined;
    void import('virtual:pwa-register').then(({ registerSW }) => {
      const update = registerSW({
        onNeedRefresh() {
          notification.open({
            key: 'xf-update',
            message: '先锋有新版本',
            description: '点「立即更新」换用新版本，页面会重新打开。正在填写的内容请先保存。',
            duration: 0,
            placement: 'bottom',
            actions: (
              <Button type="primary" size="large" onClick={() => void update(true)}>
                立即更新
              </Button>
            ),
          });
        },
        onRegisteredSW(_url, registration) {
          if (!registration) return;
          const check = () => void registration.update().catch(() => undefined);
          timer = window.setInterval(check, CHECK_EVERY_MS);
          onVisible = () => {
            if (document.visibilityState === 'visible') check();
          };
          document.addEventListener('visibilitychange', onVisible);
        },
      });
    });
    return () => {
      if (timer) window.clearInterval(timer);
      if (onVisible) document.removeEventListener('visibilitychange', onVisible);
    };
  }, [notification]);
  return null;
}
