/**
 * A rotating sign-in QR code for the projector at the place (a meeting's venue, a volunteer activity): the whole
 * window, a big code fetched again before it expires (a photo of an old code stops working), a countdown, and
 * whatever count the page shows below it. The server's signed QR tokens (platform/qr-token.ts) are behind `load`.
 */
import { CloseOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Alert, Button, Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { nowMs } from '@xianfeng/shared';
import { errorText } from './api';
import './qr-screen.css';

export type RotatingQr = { token: string; dataUrl: string; refreshAt: string };

export function QrScreen({
  label,
  title,
  sub,
  hint,
  count,
  load,
  onClose,
  onPoll,
}: {
  /** The dialog's accessible name, e.g. 签到二维码. */
  label: string;
  title: ReactNode;
  sub?: ReactNode;
  hint: ReactNode;
  count?: ReactNode;
  load: () => Promise<RotatingQr>;
  onClose: () => void;
  /** Called every 5 seconds (to refresh the count). */
  onPoll?: () => void;
}) {
  const [qr, setQr] = useState<RotatingQr | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(nowMs());

  // Fetch a fresh code, then again at the server's refreshAt (within 5–60 s whatever the clocks say).
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = async () => {
      let wait = 15_000;
      try {
        const q = await load();
        if (!alive) return;
        setQr(q);
        setError(null);
        wait = Math.min(60_000, Math.max(5_000, Date.parse(q.refreshAt) - nowMs() + 500));
      } catch (e) {
        if (alive) setError(errorText(e));
      }
      if (alive) timer = setTimeout(() => void next(), wait);
    };
    void next();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [load]);

  useEffect(() => {
    const tick = setInterval(() => setNow(nowMs()), 1000);
    const poll = onPoll ? setInterval(onPoll, 5000) : undefined;
    return () => {
      clearInterval(tick);
      if (poll) clearInterval(poll);
    };
  }, [onPoll]);

  const left = qr ? Math.max(0, Math.round((Date.parse(qr.refreshAt) - now) / 1000)) : 0;
  return (
    <div className="xf-qr-screen" role="dialog" aria-label={label}>
      <div className="xf-qr-tools">
        <Button
          type="text"
          icon={<FullscreenOutlined />}
          aria-label="全屏"
          onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
        />
        <Button
          type="text"
          icon={<CloseOutlined />}
          aria-label="退出签到屏"
          onClick={() => {
            if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
            onClose();
          }}
        />
      </div>
      <h1 className="xf-qr-title">{title}</h1>
      {sub && <div className="xf-qr-sub">{sub}</div>}
      {error && <Alert type="error" showIcon message={error} className="xf-qr-error" />}
      <div className="xf-qr-box">
        {qr ? <img src={qr.dataUrl} alt={label} className="xf-qr-img" data-token={qr.token} /> : <Spin size="large" />}
      </div>
      <div className="xf-qr-hint">{hint}</div>
      {count && <div className="xf-qr-count">{count}</div>}
      {qr && <div className="xf-qr-refresh">二维码每分钟更换，{left} 秒后更新</div>}
    </div>
  );
}
