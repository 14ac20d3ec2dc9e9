/**
 * 志愿服务签到签退 (member, phone): the page the activity's QR code opens — `/m/volunteer/:id/scan?token=…`. It shows
 * the activity and one big button: 签到 before the member has checked in, 签退 after; the answer shows the times and
 * the hours counted.
 */
import { CheckCircleFilled, QrcodeOutlined } from '@ant-design/icons';
import type { VolunteerActivity, VolunteerSignup } from '@xianfeng/shared';
import { Alert, Button, Card, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { hoursText, timeOnly, when } from './labels';
import { useSubmit } from '../../platform/useSubmit';

type Scanned = VolunteerSignup & { already: boolean };

export function ScanPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const activity = useAsync(() => api.get<VolunteerActivity>(`/volunteer-activities/${id}`), [id]);
  const { busy, error, run } = useSubmit();
  const [done, setDone] = useState<Scanned | null>(null);
  const a = activity.data;

  if (!token)
    return (
      <Result
        status="warning"
        title="签到链接不完整"
        subTitle="请用手机相机或微信扫描活动现场屏幕上的二维码。"
        extra={
          <Link to="/my/volunteer">
            <Button size="large">我的志愿服务</Button>
          </Link>
        }
      />
    );

  const what: 'checkin' | 'checkout' = a?.mine === 'checked_in' ? 'checkout' : 'checkin';
  const go = async () => {
    await run(async () => {
      setDone(
        what === 'checkout'
          ? await api.post<Scanned>(`/volunteer-activities/${id}/checkout`, { token })
          : await api.post<Scanned>(`/volunteer-activities/${id}/checkin`, { token }),
      );
      await activity.reload();
    });
  };

  return (
    <div className="xf-phone-page">
      <LoadError error={activity.error} onRetry={activity.reload} />
      <Card className="xf-checkin-card">
        {done ? (
          <div className="xf-checkin-done" role="status">
            <CheckCircleFilled className="xf-checkin-icon" />
            <div className="xf-checkin-big">
              {done.state === 'checked_out'
                ? done.already
                  ? '您已签退'
                  : '签退成功'
                : done.already
                  ? '您已签到'
                  : done.walkIn
                    ? '现场签到成功'
                    : '签到成功'}
            </div>
            {done.walkIn && !done.already && done.state === 'checked_in' && (
              <div className="xf-checkin-line">您没有提前报名，已为您登记报名并占用一个剩余名额。</div>
            )}
            <div className="xf-checkin-line">
              {done.memberName} · {timeOnly(done.checkedInAt)} 签到
              {done.checkedOutAt ? ` · ${timeOnly(done.checkedOutAt)} 签退` : ''}
            </div>
            {done.state === 'checked_out' && (
              <div className="xf-checkin-line">本次服务时长：{hoursText(done.minutes)}</div>
            )}
            <div className="xf-checkin-line">{done.activityTitle}</div>
            {done.state === 'checked_in' && (
              <div className="xf-checkin-line">活动结束离开时，请再扫一次现场二维码签退。</div>
            )}
            <Link to="/my/volunteer">
              <Button size="large" block style={{ marginTop: 24 }}>
                我的志愿服务
              </Button>
            </Link>
          </div>
        ) : (
          <>
            <div className="xf-checkin-head">
              <QrcodeOutlined /> 志愿服务{what === 'checkout' ? '签退' : '签到'}
            </div>
            {a && (
              <>
                <Typography.Title level={3} className="xf-checkin-title">
                  {a.title}
                </Typography.Title>
                <div className="xf-checkin-line">{when(a)}</div>
                <div className="xf-checkin-line">{a.place}</div>
              </>
            )}
            {error && <Alert type="error" showIcon message={error} className="xf-checkin-error" />}
            <Button
              type="primary"
              size="large"
              block
              className="xf-big-button"
              loading={busy}
              disabled={!a}
              onClick={() => void go()}
            >
              {what === 'checkout' ? '签退' : '签到'}
            </Button>
            {error && (
              <div className="xf-checkin-line" style={{ marginTop: 12 }}>
                二维码每分钟更换。如提示过期，请重新扫描现场屏幕上的二维码；时长有误可请组织者更正。
              </div>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
