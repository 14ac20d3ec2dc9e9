/**
 * 签到二维码 screen for the projector at the venue: the whole window, a big rotating QR code
 * fetched again before it expires (a photo of an old code stops working), and the live count
 * of who has signed in.
 */
import { CloseOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Alert, Button, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { when, type CheckinQr, type Meeting } from './labels';

export function QrScreenPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [qr, setQr] = useState<CheckinQr | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const meeting = useAsync(() => api.get<Meeting>(`/meetings/${id}`), [id]);

  // Fetch a fresh code, then again at the server's refreshAt (within 5–60 s whatever the clocks say).
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let next = 15_000;
      try {
        const q = await api.get<CheckinQr>(`/meetings/${id}/checkin-qr`);
        if (!alive) return;
        setQr(q);
        setError(null);
        next = Math.min(60_000, Math.max(5_000, Date.parse(q.refreshAt) - Date.now() + 500));
      } catch (e) {
        if (alive) setError(errorText(e));
      }
      if (alive) timer = setTimeout(() => void load(), next);
    };
    void load();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [id]);

  // The count of signed-in members, and the countdown.
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const counts = setInterval(() => void meeting.reload(), 5000);
    return () => {
      clearInterval(tick);
      clearInterval(counts);
    };
  }, [meeting.reload]);

  const m = meeting.data;
  const left = qr ? Math.max(0, Math.round((Date.parse(qr.refreshAt) - now) / 1000)) : 0;
  return (
    <div className="xf-qr-screen" role="dialog" aria-label="签到二维码">
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
            navigate(`/meetings/${id}?tab=checkin`);
          }}
        />
      </div>
      <h1 className="xf-qr-title">{m?.title ?? '会议签到'}</h1>
      {m && (
        <div className="xf-qr-sub">
          {when(m)} · {m.location}
        </div>
      )}
      {error && <Alert type="error" showIcon message={error} className="xf-qr-error" />}
      <div className="xf-qr-box">
        {qr ? (
          <img src={qr.dataUrl} alt="签到二维码" className="xf-qr-img" data-token={qr.token} />
        ) : (
          <Spin size="large" />
        )}
      </div>
      <div className="xf-qr-hint">请用手机扫码签到{m?.venue ? '（需在会场附近并允许定位）' : ''}</div>
      <div className="xf-qr-count">
        已签到 <strong>{m?.counts.signedIn ?? 0}</strong>
        {m && m.counts.invited > 0 ? ` / 应到 ${m.counts.invited}` : ''} 人
      </div>
      {qr && <div className="xf-qr-refresh">二维码每分钟更换，{left} 秒后更新</div>}
    </div>
  );
}
