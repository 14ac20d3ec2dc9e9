/**
 * 「企业微信登录」/「钉钉登录」 on the login page (issue 24), kept apart from platform/sso.tsx so the login page
 * loads no table or form code for it. Inside WeCom / DingTalk the page starts that provider at once.
 */
import { SSO_LABEL, ssoInAppProvider, type SsoProvider } from '@xianfeng/shared';
import { Button, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, errorText } from './api';

const AUTO_KEY = 'xf.sso.auto';

export async function go(path: string, body: Record<string, unknown>) {
  const { url } = await api.post<{ url: string }>(path, body);
  window.location.assign(url);
}

/** 「企业微信登录」/「钉钉登录」 on the login page, for the providers the organisation has set up. */
export function SsoButtons({ onError }: { onError: (message: string) => void }) {
  const [providers, setProviders] = useState<SsoProvider[]>([]);
  const [busy, setBusy] = useState<SsoProvider | null>(null);
  const start = async (p: SsoProvider, inApp: boolean) => {
    setBusy(p);
    try {
      await go(`/auth/sso/${p}/start`, { inApp });
    } catch (e) {
      onError(errorText(e));
      setBusy(null);
    }
  };
  const started = useRef(false);
  useEffect(() => {
    api
      .get<{ providers: SsoProvider[] }>('/auth/sso/providers')
      .then(({ providers: list }) => {
        setProviders(list);
        // Opened inside WeCom / DingTalk: sign in with it straight away — once per visit, so a refusal stays readable.
        const inApp = ssoInAppProvider(navigator.userAgent);
        if (inApp && list.includes(inApp) && !started.current && !sessionStorage.getItem(AUTO_KEY)) {
          started.current = true;
          sessionStorage.setItem(AUTO_KEY, '1');
          void start(inApp, true);
        }
      })
      .catch(() => setProviders([]));
  }, []);
  if (providers.length === 0) return null;
  return (
    <div className="xf-sso-buttons">
      <Typography.Text type="secondary">或者</Typography.Text>
      {providers.map((p) => (
        <Button
          key={p}
          block
          size="large"
          loading={busy === p}
          onClick={() => void start(p, ssoInAppProvider(navigator.userAgent) === p)}
        >
          {SSO_LABEL[p]}登录
        </Button>
      ))}
    </div>
  );
}
