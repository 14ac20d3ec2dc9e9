/** 志愿服务 screen for the place: the activity's rotating QR code (platform/QrScreen.tsx) and who is checked in. */
import type { VolunteerActivity, VolunteerQr } from '@xianfeng/shared';
import { useCallback } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { QrScreen } from '../../platform/QrScreen';
import { useAsync } from '../../platform/useAsync';
import { when } from './labels';

export function QrPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const activity = useAsync(() => api.get<VolunteerActivity>(`/volunteer-activities/${id}`), [id]);
  const load = useCallback(() => api.get<VolunteerQr>(`/volunteer-activities/${id}/qr`), [id]);
  const a = activity.data;
  return (
    <QrScreen
      label="志愿服务签到二维码"
      title={a?.title ?? '志愿服务签到'}
      sub={a && `${when(a)} · ${a.place}`}
      hint="到场请扫码签到，离开时再扫一次签退"
      count={
        <>
          已签到 <strong>{a?.checkedIn ?? 0}</strong> / 报名 {a?.signedUp ?? 0} 人
        </>
      }
      load={load}
      onPoll={activity.reload}
      onClose={() => navigate(`/volunteer?activity=${id}`)}
    />
  );
}
