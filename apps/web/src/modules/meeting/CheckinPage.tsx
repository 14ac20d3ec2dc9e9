/**
 * 扫码签到 (member, phone): the page the venue QR code opens —
 * `/m/meetings/:id/checkin?token=…` (also `/checkin?meeting=…&token=…`). One big button signs
 * in; when the meeting checks the venue, the phone's position is sent along.
 *
 * 离线签到 (issue 24): with no network the sign-in is kept on the phone (platform/queue.ts) and the page says
 * 「已记录，联网后自动提交」; it is sent when the network returns and the server counts it at the time inside the
 * code. The page follows the kept sign-in: 签到成功 once it went through, the server's reason if it was refused.
 */
import { CheckCircleFilled, ClockCircleFilled, EnvironmentOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, errorText, unreached } from '../../platform/api';
import { enqueue, useQueue } from '../../platform/queue';
import { useAsync } from '../../platform/useAsync';
import { CHECKIN_INVITATIONS_QUERY, timeOnly, when, type Attendance, type InvitationPage } from './labels';

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
  const path = `/meetings/${meetingId}/checkin`;
  const [busy, setBusy] = useState<'locating' | 'signing' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signed, setSigned] = useState<Signed | null>(null);
  const [queuedId, setQueuedId] = useState<string | null>(null);
  // The member's own invitation says what the meeting is and whether it checks the venue.
  const inv = useAsync(async () => {
    const page = await api.get<InvitationPage>('/meeting-invitations/mine', CHECKIN_INVITATIONS_QUERY);
    return page.items.find((i) => i.meetingId === meetingId) ?? null;
  }, [meetingId]);
  const m = inv.data?.meeting;
  // This code's sign-in kept on the phone (made now, or before the page was opened again).
  const kept = useQueue().find((i) => i.id === queuedId || (i.path === path && i.body.token === token));

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

  const keep = (where: { lat: number; lng: number } | undefined) => {
    const id = enqueue({
      title: `会议签到：${m?.title ?? '会议'}`,
      path,
      body: { token, ...where, queued: true },
    });
    if (!id) throw new ApiError(0, 'OFFLINE', '当前离线，且手机上没有您的登录信息，无法保存签到；请联网后重新扫码');
    setQueuedId(id);
  };

  const signIn = async () => {
    setError(null);
    let where: { lat: number; lng: number } | undefined;
    try {
      if (m?.venue) {
        setBusy('locating');
        where = await position();
      }
      setBusy('signing');
      try {
        setSigned(await api.post<Signed>(path, { token, ...where }));
      } catch (e) {
        if (unreached(e)) return keep(where);
        // The meeting checks the venue but we did not know: locate, then try once more.
        if (!(e instanceof ApiError && e.code === 'CHECKIN_LOCATION_REQUIRED') || where) throw e;
        setBusy('locating');
        where = await position();
        setBusy('signing');
        try {
          setSigned(await api.post<Signed>(path, { token, ...where }));
        } catch (e2) {
          if (unreached(e2)) return keep(where);
          throw e2;
        }
      }
    } catch (e) {
      setError(e instanceof ApiError || !(e instanceof Error) ? errorText(e) : e.message);
    } finally {
      setBusy(null);
    }
  };

  const done = signed ?? (kept?.state === 'sent' ? (kept.result as Signed) : null);
  const back = (
    <Link to="/my/meetings">
      <Button size="large" block style={{ marginTop: 24 }}>
        返回我的会议
      </Button>
    </Link>
  );

  return (
    <div className="xf-phone-page">
      <Card className="xf-checkin-card">
        {done ? (
          <div className="xf-checkin-done" role="status">
            <CheckCircleFilled className="xf-checkin-icon" />
            <div className="xf-checkin-big">{done.alreadySignedIn ? '您已签到' : '签到成功'}</div>
            <div className="xf-checkin-line">
              {done.memberName} · {timeOnly(done.checkedInAt)} 签到{done.late ? '（迟到）' : ''}
            </div>
            {done.checkinSubmittedAt && <div className="xf-checkin-line">离线签到，已在联网后提交</div>}
            {m && <div className="xf-checkin-line">{m.title}</div>}
            {back}
          </div>
        ) : kept?.state === 'waiting' ? (
          <div className="xf-checkin-done" role="status">
            <ClockCircleFilled className="xf-checkin-icon xf-checkin-icon-queued" />
            <div className="xf-checkin-big">已记录，联网后自动提交</div>
            <div className="xf-checkin-line">扫码时间 {timeOnly(new Date(kept.queuedAt).toISOString())}</div>
            {m && <div className="xf-checkin-line">{m.title}</div>}
            <div className="xf-checkin-line xf-checkin-note">
              手机没有网络，签到已保存在本机。签到时间以扫码时间为准；手机联网后会自动提交，不用再扫码。请在 24
              小时内让手机联网，并且不要退出登录。
            </div>
            {back}
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
            {kept?.state === 'failed' && (
              <Alert
                type="error"
                showIcon
                message="离线签到未能提交"
                description={kept.error}
                className="xf-checkin-error"
              />
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
            {(error || kept?.state === 'failed') && (
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
