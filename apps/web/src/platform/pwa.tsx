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
    let cancelled = false;
    const register = () => {
      if (cancelled) return;
      void import('virtual:pwa-register').then(({ registerSW }) => {
        if (cancelled) return;
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
    };
    // The register chunk is fetched once the page has loaded and the browser is idle: off the first screen's
    // critical path (it used to be asked for at first render, beside the home page's own requests).
    const start = () => {
      if (cancelled) return;
      // Safari has no requestIdleCallback.
      if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(register, { timeout: 3000 });
      else setTimeout(register, 1000);
    };
    if (document.readyState === 'complete') start();
    else window.addEventListener('load', start, { once: true });
    return () => {
      cancelled = true;
      window.removeEventListener('load', start);
      if (timer) window.clearInterval(timer);
      if (onVisible) document.removeEventListener('visibilitychange', onVisible);
    };
  }, [notification]);
  return null;
}
