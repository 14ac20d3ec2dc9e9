/**
 * 签到二维码 screen for the projector at the venue (platform/QrScreen.tsx), with the live count of who has
 * signed in.
 */
import { useCallback } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { QrScreen } from '../../platform/QrScreen';
import { useAsync } from '../../platform/useAsync';
import { when, type CheckinQr, type Meeting } from './labels';

export function QrScreenPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const meeting = useAsync(() => api.get<Meeting>(`/meetings/${id}`), [id]);
  const load = useCallback(() => api.get<CheckinQr>(`/meetings/${id}/checkin-qr`), [id]);
  const m = meeting.data;
  return (
    <QrScreen
      label="签到二维码"
      title={m?.title ?? '会议签到'}
      sub={m && `${when(m)} · ${m.location}`}
      hint={`请用手机扫码签到${m?.venue ? '（需在会场附近并允许定位）' : ''}`}
      count={
        <>
          已签到 <strong>{m?.counts.signedIn ?? 0}</strong>
          {m && m.counts.invited > 0 ? ` / 应到 ${m.counts.invited}` : ''} 人
        </>
      }
      load={load}
      onPoll={meeting.reload}
      onClose={() => navigate(`/meetings/${id}?tab=checkin`)}
    />
  );
}
