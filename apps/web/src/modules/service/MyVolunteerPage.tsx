/**
 * 我的志愿服务 (phone first): my hours (all, this year, activities served), the activities I may join (published by my
 * org or above, not yet ended) with 报名 / 取消报名, and my records. Check-in and check-out happen by scanning the QR
 * code at the place (ScanPage).
 */
import { HeartOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { hoursOf, nowMs, todayInChina, type VolunteerActivity, type VolunteerHours } from '@xianfeng/shared';
import { App as AntApp, Button, Card, Empty, List, Pagination, Select, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { hoursText, StateTag, when } from './labels';
import { useSubmit } from '../../platform/useSubmit';

function OpenActivity({ a, onChanged }: { a: VolunteerActivity; onChanged: () => void }) {
  const { busy, run } = useSubmit('toast');
  const { message } = AntApp.useApp();
  const started = Date.parse(a.startsAt) <= nowMs();
  const full = a.signedUp >= a.slots;
  const act = async (what: 'signup' | 'cancel', done: string) => {
    await run(async () => {
      if (what === 'signup') await api.post(`/volunteer-activities/${a.id}/signup`, {});
      else await api.post(`/volunteer-activities/${a.id}/signup/cancel`, {});
      message.success(done);
      onChanged();
    });
  };
  const mine = a.mine && a.mine !== 'cancelled' ? a.mine : null;
  return (
    <Card size="small" className="xf-vol-card" data-activity={a.title}>
      <div className="xf-vol-title">
        {a.title} <StateTag state={mine} />
      </div>
      <div className="xf-vol-line">{when(a)}</div>
      <div className="xf-vol-line">{a.place}</div>
      <div className="xf-vol-line">
        {a.orgName} · 名额 {a.signedUp}/{a.slots}
        {a.skills && <Tag style={{ marginLeft: 8 }}>{a.skills}</Tag>}
      </div>
      {a.description && (
        <Typography.Paragraph
          type="secondary"
          ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
          style={{ margin: '4px 0 0' }}
        >
          {a.description}
        </Typography.Paragraph>
      )}
      <div style={{ marginTop: 8 }}>
        {mine === 'signed_up' && !started && (
          <Button block size="large" loading={busy} onClick={() => void act('cancel', '已取消报名')}>
            取消报名
          </Button>
        )}
        {!mine && !started && (
          <Button
            type="primary"
            block
            size="large"
            loading={busy}
            disabled={full}
            onClick={() => void act('signup', '报名成功，活动当天请到现场扫码签到')}
          >
            {full ? '名额已满' : '报名'}
          </Button>
        )}
        {mine === 'checked_out' && <div className="xf-vol-line">已签退，感谢您的参与</div>}
        {(mine === 'checked_in' || (mine === 'signed_up' && started)) && (
          <div className="xf-vol-line">
            活动进行中：到现场扫描屏幕上的二维码{mine === 'checked_in' ? '签退' : '签到'}
          </div>
        )}
        {!mine && started && (
          <div className="xf-vol-line">活动已开始，报名已截止{full ? '' : '；名额未满时可到现场扫描二维码签到'}</div>
        )}
      </div>
    </Card>
  );
}

/** 下载志愿服务证明 (PDF) of one record with hours; the serial is shown so it can be checked by hand. */
function CertificateButton({ signupId, serial }: { signupId: string; serial: string }) {
  const { busy, run } = useSubmit('toast');
  return (
    <div className="xf-vol-cert">
      <Button
        size="small"
        icon={<SafetyCertificateOutlined />}
        loading={busy}
        onClick={async () => {
          await run(async () => {
            await api.download(`/volunteer-signups/${signupId}/certificate`);
          });
        }}
      >
        下载志愿服务证明
      </Button>
      <span className="xf-vol-cert-serial">编号 {serial}</span>
    </div>
  );
}

/**
 * 年度志愿服务证明: all of my hours of one year on one PDF, with a serial and the QR code of the public check. Issued by
 * the server on request (a POST: the same hours give the same certificate again).
 */
function YearCertificate() {
  const thisYear = Number(todayInChina().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const { busy, run } = useSubmit('toast');
  return (
    <div className="xf-vol-year-cert">
      <Select
        aria-label="证明年份"
        value={year}
        onChange={setYear}
        options={[0, 1, 2, 3, 4].map((k) => ({ value: thisYear - k, label: `${thisYear - k} 年` }))}
        style={{ width: 110 }}
      />
      <Button
        icon={<SafetyCertificateOutlined />}
        loading={busy}
        onClick={async () => {
          await run(async () => {
            await api.download('/volunteer/year-certificate', undefined, 'POST', { year });
          });
        }}
      >
        下载年度志愿服务证明
      </Button>
    </div>
  );
}

export function MyVolunteerPage() {
  const [page, setPage] = useState(1);
  const open = useAsync(() => api.get<Page<VolunteerActivity>>('/volunteer/open', { pageSize: 20 }), []);
  const mine = useAsync(() => api.get<VolunteerHours>('/volunteer/mine', { page, pageSize: 10 }), [page]);
  const reload = () => {
    void open.reload();
    void mine.reload();
  };
  const h = mine.data;
  return (
    <div className="xf-phone-page">
      <Typography.Title level={3}>
        <HeartOutlined /> 我的志愿服务
      </Typography.Title>
      <LoadError error={mine.error ?? open.error} onRetry={reload} />
      {h && !h.memberId && <Empty description="您的账号没有关联党员档案" />}
      {h?.memberId && (
        <Card size="small" className="xf-vol-hours">
          <div className="xf-vol-stats">
            <Statistic title="累计服务时长（小时）" value={hoursOf(h.totalMinutes)} />
            <Statistic title="今年（小时）" value={hoursOf(h.yearMinutes)} />
            <Statistic title="参加活动" value={h.activities} suffix="次" />
          </div>
          {h.activities > 0 && <YearCertificate />}
        </Card>
      )}
      <Typography.Title level={4} style={{ marginTop: 16 }}>
        可以报名的活动
      </Typography.Title>
      {open.data && open.data.items.length === 0 && <Empty description="暂时没有可报名的志愿服务活动" />}
      {open.data?.items.map((a) => (
        <OpenActivity key={a.id} a={a} onChanged={reload} />
      ))}
      {h?.memberId && (
        <>
          <Typography.Title level={4} style={{ marginTop: 16 }}>
            我的记录
          </Typography.Title>
          <List
            className="xf-vol-records"
            dataSource={h.items}
            locale={{ emptyText: '还没有志愿服务记录' }}
            renderItem={(s) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <>
                      {s.activityTitle} <StateTag state={s.state} />
                      {s.activityCancelled && <Tag color="red">活动已取消</Tag>}
                      {s.walkIn && <Tag color="purple">现场签到</Tag>}
                    </>
                  }
                  description={
                    <>
                      <div>{when(s)}</div>
                      {s.minutes !== null && (
                        <div>
                          服务时长 <strong>{hoursText(s.minutes)}</strong>
                          {s.correctionReason && `（${s.correctedBy}更正：${s.correctionReason}）`}
                        </div>
                      )}
                      {s.certificateSerial && s.state !== 'cancelled' && !!s.minutes && (
                        <CertificateButton signupId={s.id} serial={s.certificateSerial} />
                      )}
                    </>
                  }
                />
              </List.Item>
            )}
          />
          {h.total > 10 && (
            <Pagination
              current={page}
              pageSize={10}
              total={h.total}
              onChange={setPage}
              size="small"
              style={{ marginTop: 8 }}
            />
          )}
        </>
      )}
    </div>
  );
}
