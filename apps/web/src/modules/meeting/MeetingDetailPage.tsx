/**
 * One meeting for the secretary: what, when, where and the counts; publish, edit, cancel, the
 * QR screen and the 台账; tabs for 通知与回执, 签到, 会议记录, 照片与附件 and 补学.
 */
import {
  ArrowLeftOutlined,
  DownloadOutlined,
  EditOutlined,
  NotificationOutlined,
  QrcodeOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Descriptions, Dropdown, Input, Space, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { NotFound } from '../../platform/pages';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { CheckinTab, MakeupTab, NoticeTab } from './AttendanceTabs';
import { FilesTab } from './FilesTab';
import { KindTag, StatusTag, when, type Meeting } from './labels';
import { MeetingFormModal } from './MeetingForm';
import { MinutesTab } from './MinutesTab';
import { PublishDialog } from './PublishDialog';
import { MEETING_MODE_LABELS, now, RECORD_KEEPERS } from '@xianfeng/shared';
import { OnlineTab } from './OnlineTab';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

export function MeetingDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const { busyKey: busy, run: submit } = useSubmit('toast');
  const manager = can(...RECORD_KEEPERS);
  const meeting = useAsync(() => api.record<Meeting>(`/meetings/${id}`), [id]);
  const m = meeting.data;

  if (meeting.error) return <LoadError error={meeting.error} onRetry={meeting.reload} />;
  if (m === null)
    return (
      <NotFound
        title="未找到该会议"
        subTitle="该会议不存在，或不在您所在组织的范围内。"
        back={{ to: '/meetings', label: '返回组织生活' }}
      />
    );
  if (!m) return <Card loading />;

  const run = async (key: string, fn: () => Promise<void>) => {
    await submit(
      async () => {
        await fn();
      },
      { key },
    );
  };
  const refresh = () => void meeting.reload();
  const open = m.status !== 'cancelled' && m.status !== 'held';
  const over = dayjs(m.endsAt).isBefore(dayjs(now()));

  const publish = () => setPublishing(true);

  const cancel = () => {
    let reason = '';
    modal.confirm({
      title: '取消会议',
      content: (
        <Input.TextArea
          aria-label="取消原因"
          placeholder="请填写取消原因（将告知已通知的党员）"
          autoSize={{ minRows: 2 }}
          maxLength={200}
          onChange={(e) => (reason = e.target.value)}
        />
      ),
      okText: '确认取消会议',
      okButtonProps: { danger: true },
      cancelText: '不取消',
      onOk: () =>
        run('cancel', async () => {
          meeting.setData(await api.post<Meeting>(`/meetings/${m.id}/cancel`, { reason: reason.trim() }));
          message.success('会议已取消');
        }),
    });
  };

  const month = dayjs(m.startsAt);
  const ledger = (format: 'docx' | 'pdf') =>
    run('ledger', () =>
      api.download(`/orgs/${m.orgId}/meeting-ledger`, { year: month.year(), month: month.month() + 1, format }),
    );

  return (
    <Card
      className="xf-meeting-detail"
      title={
        <Space wrap size={[8, 4]}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate('/meetings')} />
          <Typography.Text strong className="xf-wrap" style={{ fontSize: 'inherit' }}>
            {m.title}
          </Typography.Text>
          <KindTag kind={m.kind} />
          <StatusTag status={m.status} />
        </Space>
      }
    >
      {m.status === 'cancelled' && (
        <Alert type="warning" showIcon message={`会议已取消：${m.cancelReason ?? ''}`} style={{ marginBottom: 12 }} />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="时间">{when(m)}</Descriptions.Item>
        <Descriptions.Item label="地点">{m.location}</Descriptions.Item>
        {m.mode !== 'in_person' && (
          <Descriptions.Item label="会议形式">
            {MEETING_MODE_LABELS[m.mode]}
            {m.online && (
              <>
                {'：'}
                {m.online.serviceLabel} 会议号 {m.online.number}{' '}
                <a href={m.online.link} target="_blank" rel="noopener noreferrer">
                  入会链接
                </a>
              </>
            )}
          </Descriptions.Item>
        )}
        <Descriptions.Item label="组织">{m.orgName}</Descriptions.Item>
        {m.kind === 'lecture' && <Descriptions.Item label="主讲人">{m.speaker ?? '—'}</Descriptions.Item>}
        {m.kind === 'lecture' && <Descriptions.Item label="党课题目">{m.topic ?? '—'}</Descriptions.Item>}
        {m.venue && <Descriptions.Item label="定位签到">会场 {m.venue.radiusM} 米内</Descriptions.Item>}
        <Descriptions.Item label="回执">
          通知 {m.counts.invited} 人 · 确认 {m.counts.confirmed} · 请假 {m.counts.leave} · 未回复 {m.counts.pending}
        </Descriptions.Item>
        <Descriptions.Item label="签到">
          {m.counts.signedIn} 人{m.counts.late ? `（迟到 ${m.counts.late}）` : ''}
        </Descriptions.Item>
      </Descriptions>
      <div className="xf-toolbar">
        {manager && open && !over && (
          <Button
            type={m.status === 'planned' ? 'primary' : 'default'}
            icon={<NotificationOutlined />}
            loading={busy === 'publish'}
            onClick={publish}
          >
            {m.status === 'planned' ? '发布通知' : '补发通知'}
          </Button>
        )}
        {manager && m.status !== 'cancelled' && (
          <Button icon={<QrcodeOutlined />} onClick={() => navigate(`/meetings/${m.id}/qr`)}>
            签到二维码
          </Button>
        )}
        {manager && m.status !== 'cancelled' && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            修改
          </Button>
        )}
        <Dropdown
          menu={{
            items: [
              { key: 'docx', label: 'Word（.docx）', onClick: () => void ledger('docx') },
              { key: 'pdf', label: 'PDF', onClick: () => void ledger('pdf') },
            ],
          }}
        >
          <Button icon={<DownloadOutlined />} loading={busy === 'ledger'}>
            {month.month() + 1}月台账
          </Button>
        </Dropdown>
        {manager && open && (
          <Button danger icon={<StopOutlined />} loading={busy === 'cancel'} onClick={cancel}>
            取消会议
          </Button>
        )}
      </div>
      <Tabs
        activeKey={params.get('tab') ?? 'notice'}
        onChange={(tab) => setParams(tab === 'notice' ? {} : { tab }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'notice', label: '通知与回执', children: <NoticeTab m={m} manager={manager} /> },
          { key: 'checkin', label: '签到', children: <CheckinTab m={m} manager={manager} onChanged={refresh} /> },
          ...(manager && m.mode !== 'in_person' && m.status !== 'cancelled'
            ? [{ key: 'online', label: '线上参会', children: <OnlineTab m={m} /> }]
            : []),
          { key: 'minutes', label: '会议记录', children: <MinutesTab m={m} manager={manager} onSaved={refresh} /> },
          { key: 'files', label: '照片与附件', children: <FilesTab m={m} manager={manager} /> },
          { key: 'makeup', label: '补学', children: <MakeupTab m={m} manager={manager} /> },
        ]}
      />
      <PublishDialog
        m={m}
        open={publishing}
        onClose={(saved) => {
          setPublishing(false);
          if (saved) meeting.setData(saved);
        }}
      />
      <MeetingFormModal
        open={editing}
        meeting={m}
        onClose={(saved) => {
          setEditing(false);
          if (saved) meeting.setData(saved);
        }}
      />
    </Card>
  );
}
