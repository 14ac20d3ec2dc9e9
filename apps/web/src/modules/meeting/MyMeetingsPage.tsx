/**
 * 我的会议 (member, phone first): meetings to answer with big 参加 / 请假 buttons, meetings
 * missed that wait for 补学, and the member's own participation record. Simple, large, one
 * column — many members read this on a phone at over sixty.
 */
import {
  BookOutlined,
  CheckOutlined,
  EnvironmentOutlined,
  ClockCircleOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Empty, Input, List, Modal, Select, Spin, Tabs, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import {
  KindTag,
  ResponseTag,
  thisYear,
  when,
  yearOptions,
  type Attendance,
  type Invitation,
  type InvitationPage,
} from './labels';
import { LoadError } from '../../platform/LoadError';
import { warmCheckinPage } from './warm';
import { useSubmit } from '../../platform/useSubmit';

const LEAVE_REASONS = ['出差在外', '身体不适', '值班', '家中有事'];

function LeaveDialog({ inv, onClose }: { inv: Invitation | null; onClose: (saved?: Attendance) => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useSubmit();
  return (
    <Modal
      title="请假"
      open={Boolean(inv)}
      onCancel={() => onClose()}
      okText="提交请假"
      okButtonProps={{ size: 'large', disabled: reason.trim().length < 2 }}
      cancelButtonProps={{ size: 'large' }}
      confirmLoading={busy}
      afterOpenChange={(o) => {
        if (o) {
          setReason('');
          setError(null);
        }
      }}
      onOk={async () => {
        if (!inv) return;
        await run(async () => {
          onClose(
            await api.post<Attendance>(`/meeting-invitations/${inv.id}/respond`, {
              response: 'leave',
              reason: reason.trim(),
            }),
          );
        });
      }}
      destroyOnHidden
    >
      {inv && <p className="xf-my-line">{inv.meeting.title}</p>}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <div className="xf-reason-chips">
        {LEAVE_REASONS.map((r) => (
          <Button key={r} size="large" type={reason === r ? 'primary' : 'default'} onClick={() => setReason(r)}>
            {r}
          </Button>
        ))}
      </div>
      <Input.TextArea
        aria-label="请假事由"
        placeholder="请填写请假事由"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoSize={{ minRows: 2, maxRows: 5 }}
        maxLength={200}
        style={{ fontSize: '1.1em' }}
      />
    </Modal>
  );
}

function Upcoming() {
  const { message } = AntApp.useApp();
  const list = useAsync(
    () => api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'upcoming', pageSize: 50 }),
    [],
  );
  const [leaving, setLeaving] = useState<Invitation | null>(null);
  const { busyKey: busy, run } = useSubmit('toast');
  // Opened from a notice (/my/meetings?meeting=<id>): that meeting is marked and scrolled to.
  const focus = useSearchParams()[0].get('meeting');
  useEffect(() => {
    if (focus && list.data)
      document.querySelector(`[data-meeting-id="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, list.data]);
  const update = (a: Attendance) =>
    list.setData((d) => d && { ...d, items: d.items.map((i) => (i.id === a.id ? { ...i, ...a } : i)) });

  const confirm = async (inv: Invitation) => {
    await run(
      async () => {
        update(await api.post<Attendance>(`/meeting-invitations/${inv.id}/respond`, { response: 'confirmed' }));
        message.success('已确认参加');
      },
      { key: inv.id },
    );
  };

  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Spin className="xf-center-small" />;
  if (list.data.items.length === 0) return <Empty description="近期没有需要参加的会议" />;
  return (
    <>
      <div className="xf-my-list">
        {list.data.items.map((inv) => (
          <Card
            key={inv.id}
            className={inv.meeting.id === focus ? 'xf-my-card xf-my-card-focus' : 'xf-my-card'}
            data-testid="invitation"
            data-meeting-id={inv.meeting.id}
          >
            <div className="xf-my-title">{inv.meeting.title}</div>
            <div className="xf-my-tags">
              <KindTag kind={inv.meeting.kind} />
              <ResponseTag a={inv} />
            </div>
            <div className="xf-my-line">
              <ClockCircleOutlined /> {when(inv.meeting)}
            </div>
            <div className="xf-my-line">
              <EnvironmentOutlined /> {inv.meeting.location}
            </div>
            {inv.meeting.online && (
              <div className="xf-my-line">
                <VideoCameraOutlined /> {inv.meeting.mode === 'online' ? '线上' : '也可线上'}：
                {inv.meeting.online.serviceLabel} 会议号 {inv.meeting.online.number}
              </div>
            )}
            {inv.meeting.orgName !== inv.orgName && <div className="xf-my-line">{inv.meeting.orgName} 联合开展</div>}
            {inv.response === 'leave' && <div className="xf-my-line">请假事由：{inv.leaveReason}</div>}
            {!inv.checkedInAt && (
              <div className="xf-my-actions">
                <Button
                  type={inv.response === 'confirmed' ? 'default' : 'primary'}
                  size="large"
                  icon={inv.response === 'confirmed' ? <CheckOutlined /> : undefined}
                  loading={busy === inv.id}
                  onClick={() => void confirm(inv)}
                >
                  {inv.response === 'confirmed' ? '已确认参加' : '参加'}
                </Button>
                <Button size="large" onClick={() => setLeaving(inv)}>
                  {inv.response === 'leave' ? '修改请假' : '请假'}
                </Button>
              </div>
            )}
            {inv.meeting.online && inv.response !== 'leave' && (
              <Link to={`/my/meeting-room/${inv.meeting.id}`}>
                <Button
                  size="large"
                  block
                  type={inv.checkedInAt ? 'default' : 'primary'}
                  icon={<VideoCameraOutlined />}
                  style={{ marginTop: 12 }}
                >
                  {inv.checkedInAt ? '进入会议：发言与表决' : '线上参会'}
                </Button>
              </Link>
            )}
            {!inv.checkedInAt && (
              <div className="xf-my-hint">
                {inv.meeting.mode === 'online'
                  ? '入会后，在「线上参会」中输入主持人宣读的签到码签到'
                  : inv.meeting.mode === 'hybrid'
                    ? '在会场请扫描屏幕上的二维码签到；线上参会请点「线上参会」输入主持人宣读的签到码'
                    : '到会场后，用手机扫描屏幕上的二维码签到'}
              </div>
            )}
          </Card>
        ))}
      </div>
      <LeaveDialog
        inv={leaving}
        onClose={(saved) => {
          setLeaving(null);
          if (saved) {
            update(saved);
            message.success('已提交请假');
          }
        }}
      />
    </>
  );
}

function Makeup() {
  const list = useAsync(
    () => api.get<InvitationPage>('/meeting-invitations/mine', { filter: 'makeup', pageSize: 50 }),
    [],
  );
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Spin className="xf-center-small" />;
  if (list.data.items.length === 0) return <Empty description="没有需要补学的会议" />;
  return (
    <div className="xf-my-list">
      {list.data.items.map((inv) => (
        <Card key={inv.id} className="xf-my-card">
          <div className="xf-my-title">{inv.meeting.title}</div>
          <div className="xf-my-tags">
            <KindTag kind={inv.meeting.kind} />
            {inv.makeupDoneAt ? <Tag color="green">已补学</Tag> : <Tag color="orange">待补学</Tag>}
          </div>
          <div className="xf-my-line">
            <ClockCircleOutlined /> {when(inv.meeting)}
          </div>
          <Link to={`/my/meetings/${inv.id}`}>
            <Button
              size="large"
              block
              type={inv.makeupDoneAt ? 'default' : 'primary'}
              icon={<BookOutlined />}
              style={{ marginTop: 12 }}
            >
              {inv.makeupDoneAt ? '查看会议材料' : '学习会议材料'}
            </Button>
          </Link>
        </Card>
      ))}
    </div>
  );
}

/** The participation record of a member (own or, for the member-detail tab, anyone's in scope). */
export function ParticipationRecord({ load }: { load: (year: number) => Promise<InvitationPage> }) {
  const [year, setYear] = useState(thisYear());
  const list = useAsync(() => load(year), [year]);
  const s = list.data?.summary;
  return (
    <>
      <div className="xf-toolbar">
        <Select aria-label="年份" options={yearOptions(4, 0)} value={year} onChange={setYear} style={{ width: 120 }} />
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <div className="xf-record-stats">
        <div>
          <strong>{s?.invited ?? 0}</strong>应参加
        </div>
        <div>
          <strong>{s?.attended ?? 0}</strong>已参加
        </div>
        <div>
          <strong>{s?.leave ?? 0}</strong>请假
        </div>
        <div>
          <strong>{s?.madeUp ?? 0}</strong>已补学
        </div>
      </div>
      <List<Invitation>
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: '这一年没有组织生活记录' }}
        renderItem={(inv) => (
          <List.Item className="xf-record-item">
            <div style={{ minWidth: 0, width: '100%' }}>
              <div className="xf-record-title">{inv.meeting.title}</div>
              <div className="xf-my-tags">
                <KindTag kind={inv.meeting.kind} />
                {inv.checkedInAt ? (
                  <Tag color="green">{inv.late ? '参加（迟到）' : '参加'}</Tag>
                ) : inv.meeting.status === 'held' ? (
                  inv.response === 'leave' ? (
                    <Tag color="orange">请假</Tag>
                  ) : (
                    <Tag color="red">缺席</Tag>
                  )
                ) : (
                  <ResponseTag a={inv} />
                )}
                {inv.makeupDoneAt && <Tag color="green">已补学</Tag>}
              </div>
              <div className="xf-my-line">{when(inv.meeting)}</div>
            </div>
          </List.Item>
        )}
      />
    </>
  );
}

export function MyMeetingsPage() {
  const [params, setParams] = useSearchParams();
  useEffect(() => warmCheckinPage(), []);
  const tab = params.get('tab') ?? 'upcoming';
  return (
    <div className="xf-phone-page">
      <Card title="我的会议" className="xf-my-meetings">
        <Tabs
          activeKey={tab}
          onChange={(t) => setParams(t === 'upcoming' ? {} : { tab: t }, { replace: true })}
          size="large"
          destroyOnHidden
          items={[
            { key: 'upcoming', label: '待参加', children: <Upcoming /> },
            { key: 'makeup', label: '补学', children: <Makeup /> },
            {
              key: 'record',
              label: '参会记录',
              children: (
                <ParticipationRecord
                  load={(year) => api.get<InvitationPage>('/members/me/meetings', { year, pageSize: 200 })}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
