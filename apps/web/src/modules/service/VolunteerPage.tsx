/**
 * 志愿服务 (organizer, desktop): the activities published by the org subtree with their sign-ups and hours; 发布活动;
 * an activity's roster with check-in/out times, the hours counted and 更正时长 (with a reason, audited); the QR
 * screen for the place; and the subtree's roll-up (activities, members served, hours) per child org.
 */
import { EditOutlined, HeartOutlined, PlusOutlined, QrcodeOutlined, StopOutlined } from '@ant-design/icons';
import {
  hoursOf,
  inGroup,
  nowMs,
  RECORD_KEEPERS,
  todayInChina,
  VOLUNTEER_RULES,
  type VolunteerActivity,
  type VolunteerRollup,
  type VolunteerSignup,
} from '@xianfeng/shared';
import dayjs, { type Dayjs } from 'dayjs';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { FormDialog } from '../../platform/FormDialog';
import { MinutePicker, endAfterStart } from '../../platform/MinutePicker';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { OrgFilter } from '../org/OrgPicker';
import { dateTime, hoursText, StateTag, when } from './labels';

type NewActivity = {
  title: string;
  place: string;
  startsAt: Dayjs;
  endsAt: Dayjs;
  slots: number;
  skills?: string;
  description?: string;
};

/** 发布活动, or 修改活动 when `editing` is given (its time fixed once it has started). */
function ActivityDialog({
  orgId,
  editing,
  open,
  onClose,
  onDone,
}: {
  orgId?: string;
  editing?: VolunteerActivity;
  open: boolean;
  onClose: () => void;
  onDone: (a: VolunteerActivity) => void;
}) {
  const started = editing ? Date.parse(editing.startsAt) <= nowMs() : false;
  return (
    <FormDialog<NewActivity>
      title={editing ? '修改志愿服务活动' : '发布志愿服务活动'}
      open={open}
      onClose={onClose}
      okText={editing ? '保存' : '发布'}
      width={560}
      intro={
        editing && (
          <Typography.Paragraph type="secondary">
            {started ? '活动已开始，不能再改时间。' : '改了时间或地点，系统会通知已报名的志愿者。'}名额不能少于已报名的{' '}
            {editing.signedUp} 人。
          </Typography.Paragraph>
        )
      }
      initialValues={
        editing
          ? {
              title: editing.title,
              place: editing.place,
              startsAt: dayjs(editing.startsAt),
              endsAt: dayjs(editing.endsAt),
              slots: editing.slots,
              skills: editing.skills,
              description: editing.description,
            }
          : { slots: 10 }
      }
      onSubmit={async (v) => {
        const fields = {
          title: v.title,
          place: v.place,
          startsAt: v.startsAt.toISOString(),
          endsAt: v.endsAt.toISOString(),
          slots: v.slots,
          skills: v.skills ?? '',
          description: v.description ?? '',
        };
        onDone(
          editing
            ? await api.patch<VolunteerActivity>(`/volunteer-activities/${editing.id}`, fields)
            : await api.post<VolunteerActivity>('/volunteer/activities', { orgId, ...fields }),
        );
      }}
    >
      <Form.Item
        name="title"
        label="活动名称"
        rules={[{ required: true, whitespace: true, message: '请填写活动名称' }, { max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="place"
        label="地点"
        rules={[{ required: true, whitespace: true, message: '请填写活动地点' }, { max: 200 }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Space.Compact block>
        <Form.Item
          name="startsAt"
          label="开始时间"
          rules={[{ required: true, message: '请选择开始时间' }]}
          style={{ flex: 1, marginRight: 12 }}
        >
          <MinutePicker style={{ width: '100%' }} disabled={started} />
        </Form.Item>
        <Form.Item
          name="endsAt"
          label="结束时间"
          dependencies={['startsAt']}
          style={{ flex: 1 }}
          rules={endAfterStart()}
        >
          <MinutePicker style={{ width: '100%' }} disabled={started} />
        </Form.Item>
      </Space.Compact>
      <Form.Item name="slots" label="名额（人）" rules={[{ required: true, message: '请填写名额' }]}>
        <InputNumber
          min={editing ? Math.max(1, editing.signedUp) : 1}
          max={1000}
          precision={0}
          style={{ width: 160 }}
        />
      </Form.Item>
      <Form.Item name="skills" label="技能要求（可不填）">
        <Input maxLength={200} placeholder="如：持电工证者优先" />
      </Form.Item>
      <Form.Item name="description" label="活动说明（可不填）">
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormDialog>
  );
}

function CorrectDialog({
  signup,
  onClose,
  onDone,
}: {
  signup: VolunteerSignup | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = AntApp.useApp();
  const max = signup ? Math.floor((Date.parse(signup.endsAt) - Date.parse(signup.startsAt)) / 60_000) : 0;
  return (
    <FormDialog<{ minutes: number; reason: string }>
      title={signup ? `更正服务时长：${signup.memberName}` : ''}
      open={signup !== null}
      onClose={onClose}
      intro={
        <Typography.Paragraph type="secondary">
          {VOLUNTEER_RULES.hours.rule}。本活动最多 {max} 分钟。更正记入审计日志。
        </Typography.Paragraph>
      }
      initialValues={{ minutes: signup?.minutes ?? max }}
      onSubmit={async (v) => {
        if (!signup) return;
        await api.post(`/volunteer-signups/${signup.id}/correction`, v);
        message.success('服务时长已更正');
        onDone();
      }}
    >
      <Form.Item name="minutes" label="服务时长（分钟）" rules={[{ required: true, message: '请填写时长' }]}>
        <InputNumber min={0} max={max} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item
        name="reason"
        label="更正理由"
        rules={[
          { required: true, whitespace: true, message: '请写明更正理由' },
          { min: 2, message: '请写明更正理由' },
        ]}
      >
        <Input.TextArea rows={2} maxLength={500} placeholder="如：现场忘记扫码签退，按签到表全程参加" />
      </Form.Item>
    </FormDialog>
  );
}

/** 取消活动 with a reason; the volunteers signed up are told. */
function CancelDialog({
  activity,
  onClose,
  onDone,
}: {
  activity: VolunteerActivity | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = AntApp.useApp();
  return (
    <FormDialog<{ reason: string }>
      title={activity ? `取消活动：${activity.title}` : ''}
      open={activity !== null}
      onClose={onClose}
      okText="确认取消活动"
      cancelText="返回"
      danger
      intro={
        <Typography.Paragraph type="secondary">
          取消后不能再报名和签到，已报名的 {activity?.signedUp ?? 0}{' '}
          名志愿者会收到取消通知（含取消原因）。已记录服务时长的活动不能取消。
        </Typography.Paragraph>
      }
      onSubmit={async (v) => {
        if (!activity) return;
        await api.post(`/volunteer-activities/${activity.id}/cancel`, v);
        message.success('活动已取消，已通知报名的志愿者');
        onDone();
      }}
    >
      <Form.Item
        name="reason"
        label="取消原因"
        rules={[
          { required: true, whitespace: true, message: '请写明取消原因' },
          { min: 2, message: '请写明取消原因' },
        ]}
      >
        <Input.TextArea rows={2} maxLength={200} placeholder="如：天气原因，改期另行通知" />
      </Form.Item>
    </FormDialog>
  );
}

function ActivityDrawer({
  id,
  keeper,
  onClose,
  onChanged,
}: {
  id: string | null;
  keeper: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const activity = useAsync(
    () => (id ? api.get<VolunteerActivity>(`/volunteer-activities/${id}`) : Promise.resolve(null)),
    [id],
  );
  const { page, pageSize, pagination } = usePaging('人');
  const signups = useAsync(
    () =>
      id
        ? api.get<Page<VolunteerSignup>>(`/volunteer-activities/${id}/signups`, { page, pageSize })
        : Promise.resolve(null),
    [id, page, pageSize],
  );
  const { message } = AntApp.useApp();
  const [correcting, setCorrecting] = useState<VolunteerSignup | null>(null);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const a = activity.data;
  const started = a ? Date.parse(a.startsAt) <= nowMs() : false;
  const ended = a ? Date.parse(a.endsAt) <= nowMs() : false;
  const cancelled = a?.status === 'cancelled';
  const changed = () => {
    void activity.reload();
    void signups.reload();
    onChanged();
  };
  return (
    <Drawer title={a?.title ?? '志愿服务活动'} open={id !== null} onClose={onClose} width={860} destroyOnHidden>
      <LoadError
        error={activity.error ?? signups.error}
        onRetry={() => void Promise.all([activity.reload(), signups.reload()])}
      />
      {a && (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="时间">{when(a)}</Descriptions.Item>
            <Descriptions.Item label="地点">{a.place}</Descriptions.Item>
            <Descriptions.Item label="发布组织">{a.orgName}</Descriptions.Item>
            <Descriptions.Item label="名额">
              已报名 {a.signedUp} / {a.slots}
            </Descriptions.Item>
            <Descriptions.Item label="签到">{a.checkedIn} 人</Descriptions.Item>
            <Descriptions.Item label="服务时长">{hoursText(a.minutes)}</Descriptions.Item>
            {a.skills && <Descriptions.Item label="技能要求">{a.skills}</Descriptions.Item>}
            <Descriptions.Item label="发布人">{a.createdBy}</Descriptions.Item>
          </Descriptions>
          {cancelled && (
            <Alert type="warning" showIcon message="活动已取消：不能报名和签到" style={{ marginBottom: 12 }} />
          )}
          {keeper && !cancelled && (
            <Space wrap style={{ marginBottom: 12 }}>
              <Link to={`/volunteer/${a.id}/qr`}>
                <Button type="primary" icon={<QrcodeOutlined />}>
                  打开现场签到屏
                </Button>
              </Link>
              {!ended && (
                <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                  修改活动
                </Button>
              )}
              {!ended && (
                <Button danger icon={<StopOutlined />} onClick={() => setCancelling(true)}>
                  取消活动
                </Button>
              )}
            </Space>
          )}
          <ActivityDialog
            editing={a}
            open={editing}
            onClose={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              message.success('活动已修改');
              changed();
            }}
          />
          <CancelDialog
            activity={cancelling ? a : null}
            onClose={() => setCancelling(false)}
            onDone={() => {
              setCancelling(false);
              changed();
            }}
          />
        </>
      )}
      <Table
        rowKey="id"
        size="small"
        loading={signups.loading}
        dataSource={signups.data?.items ?? []}
        pagination={pagination(signups.data?.total ?? 0)}
        columns={[
          { title: '姓名', dataIndex: 'memberName' },
          { title: '组织', dataIndex: 'orgName' },
          {
            title: '状态',
            render: (_, s) => (
              <>
                <StateTag state={s.state} />
                {s.walkIn && <Tag color="purple">现场签到</Tag>}
              </>
            ),
          },
          { title: '签到', render: (_, s) => dateTime(s.checkedInAt) },
          { title: '签退', render: (_, s) => dateTime(s.checkedOutAt) },
          {
            title: '时长',
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
            render: (_, s) => (
              <>
                {hoursText(s.minutes)}
                {s.correctionReason && (
                  <Tag color="gold" title={`${s.correctedBy}：${s.correctionReason}`} style={{ marginLeft: 4 }}>
                    已更正
                  </Tag>
                )}
              </>
            ),
          },
          ...(keeper
            ? [
                {
                  title: '',
                  key: 'act',
                  render: (_: unknown, s: VolunteerSignup) =>
                    started && s.state !== 'cancelled' ? (
                      <Button size="small" onClick={() => setCorrecting(s)}>
                        更正时长
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <CorrectDialog
        signup={correcting}
        onClose={() => setCorrecting(null)}
        onDone={() => {
          setCorrecting(null);
          void signups.reload();
          void activity.reload();
          onChanged();
        }}
      />
    </Drawer>
  );
}

function RollupTab({ orgId }: { orgId?: string }) {
  const year = Number(todayInChina().slice(0, 4));
  const r = useAsync(() => api.get<VolunteerRollup>('/volunteer/rollup', { orgId, year }), [orgId, year]);
  const d = r.data;
  return (
    <>
      <LoadError error={r.error} onRetry={r.reload} />
      {d && (
        <>
          <Space size={48} style={{ marginBottom: 12 }} className="xf-vol-rollup">
            <Statistic title={`${d.year} 年活动（次）`} value={d.activities} />
            <Statistic title="服务党员（人）" value={d.members} />
            <Statistic title="服务时长（小时）" value={hoursOf(d.minutes)} />
          </Space>
          <Typography.Paragraph type="secondary">{d.note}</Typography.Paragraph>
          <Table
            rowKey="orgId"
            size="small"
            pagination={false}
            dataSource={d.children}
            columns={[
              { title: '下级组织', dataIndex: 'orgName' },
              { title: '活动（次）', dataIndex: 'activities', align: 'right' },
              { title: '服务党员（人）', dataIndex: 'members', align: 'right' },
              { title: '服务时长（小时）', align: 'right', render: (_, c) => hoursOf(c.minutes) },
            ]}
          />
        </>
      )}
    </>
  );
}

function ActivitiesTab({
  orgId,
  keeper,
  openId,
  setOpenId,
}: {
  orgId?: string;
  keeper: boolean;
  openId: string | null;
  setOpenId: (id: string | null) => void;
}) {
  const { page, pageSize, pagination } = usePaging('项');
  const list = useAsync(
    () => api.get<Page<VolunteerActivity>>('/volunteer/activities', { orgId, page, pageSize }),
    [orgId, page, pageSize],
  );
  const [creating, setCreating] = useState(false);
  const { message } = AntApp.useApp();
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      {keeper && orgId && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} style={{ marginBottom: 12 }}>
          发布活动
        </Button>
      )}
      <Table
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={pagination(list.data?.total ?? 0)}
        onRow={(a) => ({ onClick: () => setOpenId(a.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: '活动',
            dataIndex: 'title',
            render: (t: string, a) => (
              <>
                <a>{t}</a>
                {a.status === 'cancelled' && (
                  <Tag color="default" style={{ marginLeft: 6 }}>
                    已取消
                  </Tag>
                )}
              </>
            ),
          },
          { title: '时间', render: (_, a) => when(a) },
          { title: '地点', dataIndex: 'place', ellipsis: true },
          { title: '发布组织', dataIndex: 'orgName' },
          { title: '报名/名额', align: 'right', render: (_, a) => `${a.signedUp}/${a.slots}` },
          { title: '签到', align: 'right', dataIndex: 'checkedIn' },
          {
            title: '时长',
            align: 'right',
            render: (_, a) => hoursText(a.minutes),
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
          },
        ]}
      />
      {orgId && (
        <ActivityDialog
          orgId={orgId}
          open={creating}
          onClose={() => setCreating(false)}
          onDone={(a) => {
            setCreating(false);
            message.success('活动已发布，本组织及下级组织的党员可在手机上报名');
            void list.reload();
            setOpenId(a.id);
          }}
        />
      )}
      <ActivityDrawer
        id={openId}
        keeper={keeper}
        onClose={() => setOpenId(null)}
        onChanged={() => void list.reload()}
      />
    </>
  );
}

export function VolunteerPage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const keeper = inGroup(RECORD_KEEPERS, current?.role ?? '');
  const tab = params.get('tab') ?? 'activities';
  const orgId = params.get('org') ?? current?.orgId;
  const openId = params.get('activity');
  return (
    <Card
      className="xf-vol-page"
      title={
        <span>
          <HeartOutlined /> 志愿服务
        </span>
      }
    >
      <div className="xf-toolbar">
        <OrgFilter value={orgId} onPick={(org) => set({ org, activity: null })} />
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k })}
        destroyOnHidden
        items={[
          {
            key: 'activities',
            label: '活动',
            children: (
              <ActivitiesTab orgId={orgId} keeper={keeper} openId={openId} setOpenId={(id) => set({ activity: id })} />
            ),
          },
          { key: 'rollup', label: '汇总', children: <RollupTab orgId={orgId} /> },
        ]}
      />
    </Card>
  );
}
