/**
 * 扫码签到 (member, phone): the page the venue QR code opens —
 * `/m/meetings/:id/checkin?token=…` (also `/checkin?meeting=…&token=…`). One big button signs
 * in; when the meeting checks the venue, the phone's position is sent along.
 */
import { CheckCircleFilled, EnvironmentOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { timeOnly, when, type Attendance, type InvitationPage } from './labels';

type Signed = Attendance & { alreadySignedIn: boolean };

function position(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('本机浏览器不支持定位，请联系书记代为签到'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      (e) =>
        reject(
          new Error(
            e.code === e.PERMISSION_DENIED
              ? '无法获取位置：请在手机设置中允许浏览器使用定位，然后重试'
              : '暂时无法获取位置，请到开阔处重试，或请书记代为签到',
          ),
        ),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

export function CheckinPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const meetingId = params.id ?? search.get('meeting') ?? '';
  const token = search.get('token') ?? '';
  const [busy, setBusy] = useState<'locating' | 'signing' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signed, setSigned] = useState<Signed | null>(null);
  // The member's own invitation says what the meeting is and whether it checks the venue.
  const inv = useAsync(async () => {
    const page = await api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'upcoming', pageSize: 100 });
    return page.items.find((i) => i.meetingId === meetingId) ?? null;
  }, [meetingId]);
  const m = inv.data?.meeting;

  if (!meetingId || !token)
    return (
      <Result
        status="warning"
        title="签到链接不完整"
        subTitle="请用手机相机或微信扫描会场屏幕上的签到二维码。"
        extra={
          <Link to="/my/meetings">
            <Button size="large">我的会议</Button>
          </Link>
        }
      />
    );

  const signIn = async () => {
    setError(null);
    try {
      let where: { lat: number; lng: number } | undefined;
      if (m?.venue) {
        setBusy('locating');
        where = await position();
      }
      setBusy('signing');
      try {
        setSigned(await api.post<Signed>(`/meetings/${meetingId}/checkin`, { token, ...where }));
      } catch (e) {
        // The meeting checks the venue but we did not know: locate, then try once more.
        if (!(e instanceof ApiError && e.code === 'CHECKIN_LOCATION_REQUIRED') || where) throw e;
        setBusy('locating');
        where = await position();
        setBusy('signing');
        setSigned(await api.post<Signed>(`/meetings/${meetingId}/checkin`, { token, ...where }));
      }
    } catch (e) {
      setError(e instanceof ApiError || !(e instanceof Error) ? errorText(e) : e.message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="xf-phone-page">
      <Card className="xf-checkin-card">
        {signed ? (
          <div className="xf-checkin-done" role="status">
            <CheckCircleFilled className="xf-checkin-icon" />
            <div className="xf-checkin-big">{signed.alreadySignedIn ? '您已签到' : '签到成功'}</div>
            <div className="xf-checkin-line">
              {signed.memberName} · {timeOnly(signed.checkedInAt)} 签到{signed.late ? '（迟到）' : ''}
            </div>
            {m && <div className="xf-checkin-line">{m.title}</div>}
            <Link to="/my/meetings">
              <Button size="large" block style={{ marginTop: 24 }}>
                返回我的会议
              </Button>
            </Link>
          </div>
        ) : (
          <>
            <div className="xf-checkin-head">
              <QrcodeOutlined /> 会议签到
            </div>
            {m ? (
              <>
                <Typography.Title level={3} className="xf-checkin-title">
                  {m.title}
                </Typography.Title>
                <div className="xf-checkin-line">{when(m)}</div>
                <div className="xf-checkin-line">{m.location}</div>
                {m.venue && (
                  <div className="xf-checkin-line">
                    <EnvironmentOutlined /> 本次会议需在会场附近签到，请允许获取位置
                  </div>
                )}
              </>
            ) : (
              <div className="xf-checkin-line">扫码后点击下方按钮完成签到</div>
            )}
            {error && <Alert type="error" showIcon message={error} className="xf-checkin-error" />}
            <Button
              type="primary"
              size="large"
              block
              className="xf-big-button"
              loading={busy !== null}
              onClick={() => void signIn()}
            >
              {busy === 'locating' ? '正在定位…' : busy === 'signing' ? '正在签到…' : '签到'}
            </Button>
            {error && (
              <div className="xf-checkin-line" style={{ marginTop: 12 }}>
                二维码每分钟更换。如提示过期，请重新扫描会场屏幕上的二维码；没有手机的同志可请书记代为签到。
              </div>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
