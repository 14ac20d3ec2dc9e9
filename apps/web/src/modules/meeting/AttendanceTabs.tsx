/**
 * The attendance of one meeting, three ways: 通知与回执 (who confirmed, who asked for leave and
 * why, who has not answered), 签到 (live, with manual sign-in for members without a phone) and
 * 补学 (which absentees have studied the materials).
 */
import { BellOutlined, CheckOutlined, ReloadOutlined, UserAddOutlined } from '@ant-design/icons';
import { nowMs, type InviteesReply, type Member, type ReplyReminderResult } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Form,
  Grid,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type ReactNode } from 'react';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import {
  dateTime,
  METHOD_LABELS,
  ResponseTag,
  timeOnly,
  type Attendance,
  type AttendancePage,
  type Meeting,
} from './labels';
import { LoadError } from '../../platform/LoadError';
import { ProxyReasonField } from '../../platform/ProxyReason';
import { useSubmit } from '../../platform/useSubmit';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';

type Filter =
  'all' | 'pending' | 'confirmed' | 'leave' | 'signed_in' | 'absent' | 'late' | 'makeup_pending' | 'makeup_done';

const PAGE_SIZE = 50;

/**
 * One tab's list: its filter, its page and the attendance rows they select. Choosing another filter goes back to
 * the first page. `stamp` changes when the meeting's counts do (publish, sign-in), so the list follows.
 */
function useAttendance(m: Meeting, initial: Filter) {
  const [filter, setFilter] = useState<Filter>(initial);
  const [page, setPage] = useState(1);
  const stamp = `${m.status}|${m.counts.invited}|${m.counts.signedIn}|${m.counts.confirmed}|${m.counts.leave}`;
  const list = useAsync(
    () =>
      api.get<AttendancePage>(`/meetings/${m.id}/attendance`, {
        filter: filter === 'all' ? undefined : filter,
        page,
        pageSize: PAGE_SIZE,
      }),
    [m.id, stamp, filter, page],
  );
  const choose = (f: Filter) => {
    setFilter(f);
    setPage(1);
  };
  return { filter, choose, page, setPage, list };
}
type AttendanceView = ReturnType<typeof useAttendance>;

/**
 * The tab's filters above its people: a table on the desktop, cards on the phone; `line` is what a card shows
 * under the name.
 */
function People({
  view,
  filters,
  loading = view.list.loading,
  columns,
  line,
  action,
  empty,
}: {
  view: AttendanceView;
  filters: { value: Filter; label: string }[];
  loading?: boolean;
  columns: ColumnsType<Attendance>;
  line: (a: Attendance) => ReactNode;
  action?: (a: Attendance) => ReactNode;
  empty: string;
}) {
  const phone = !Grid.useBreakpoint().md;
  const { list, page, setPage } = view;
  const pagination = {
    current: page,
    pageSize: PAGE_SIZE,
    total: list.data?.total ?? 0,
    simple: phone,
    showSizeChanger: false,
    hideOnSinglePage: true,
    onChange: setPage,
  };
  const segmented = (
    <Segmented<Filter> className="xf-segmented" value={view.filter} onChange={view.choose} options={filters} />
  );
  if (phone)
    return (
      <>
        {segmented}
        <List<Attendance>
          loading={loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: empty }}
          pagination={{ ...pagination, align: 'center' }}
          renderItem={(a) => (
            <List.Item className="xf-person" actions={action ? [action(a)] : undefined}>
              <div style={{ minWidth: 0 }}>
                <div className="xf-person-name">
                  {a.memberName} <ResponseTag a={a} />
                </div>
                <div className="xf-person-line">{line(a)}</div>
              </div>
            </List.Item>
          )}
        />
      </>
    );
  return (
    <>
      {segmented}
      <Table<Attendance>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list.data?.items}
        pagination={pagination}
        locale={{ emptyText: empty }}
        columns={[
          { title: '姓名', dataIndex: 'memberName', width: 110 },
          { title: '所在组织', dataIndex: 'orgName', width: 200, ellipsis: true },
          ...columns,
          ...(action ? [{ title: '操作', width: 110, render: (_: unknown, a: Attendance) => action(a) }] : []),
        ]}
      />
    </>
  );
}

export function NoticeTab({ m, manager = false }: { m: Meeting; manager?: boolean }) {
  const { message } = AntApp.useApp();
  const { busy: reminding, run: runReminding } = useSubmit('toast');
  const view = useAttendance(m, 'all');
  const { list } = view;
  const s = list.data?.summary;
  // 提醒未回复: while the meeting is published and not over, to those who have not answered.
  const canRemind = manager && m.status === 'published' && Date.parse(m.endsAt) > nowMs() && (s?.pending ?? 0) > 0;
  const remind = async () => {
    await runReminding(async () => {
      const r = await api.post<ReplyReminderResult>(`/meetings/${m.id}/reminders`);
      if (r.sent > 0) void message.success(r.message);
      else void message.info(r.message);
    });
  };
  const invitees = useAsync(
    () => api.get<InviteesReply>(`/meetings/${m.id}/invitees`),
    [m.id, m.status, m.counts.invited],
  );
  const rule = invitees.data;
  if (m.status === 'planned')
    return (
      <Alert
        type="info"
        showIcon
        message={`尚未发布会议通知。${rule ? `${rule.rule}，` : ''}点击上方「发布通知」可先查看和调整名单，党员会在手机上收到通知并回复。`}
      />
    );
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      {rule && (
        <Alert
          className="xf-notice-changes"
          type="info"
          showIcon
          message={rule.rule}
          description={
            rule.changes.length > 0 &&
            `名单调整：${rule.changes
              .map((c) => `${c.change === 'added' ? '增加' : '不通知'}${c.name}（${c.reason}）`)
              .join('；')}`
          }
        />
      )}
      <div className="xf-meeting-stats">
        <Statistic title="已通知" value={s?.invited ?? 0} suffix="人" />
        <Statistic title="确认参加" value={s?.confirmed ?? 0} suffix="人" />
        <Statistic title="请假" value={s?.leave ?? 0} suffix="人" />
        <Statistic
          title="未回复"
          value={s?.pending ?? 0}
          suffix="人"
          valueStyle={s?.pending ? { color: '#d4380d' } : undefined}
        />
        {canRemind && (
          <Button
            icon={<BellOutlined />}
            loading={reminding}
            onClick={() => void remind()}
            className="xf-remind-unanswered"
          >
            提醒未回复（{s?.pending} 人）
          </Button>
        )}
      </div>
      <People
        view={view}
        filters={[
          { value: 'all', label: '全部' },
          { value: 'confirmed', label: '已确认' },
          { value: 'leave', label: '请假' },
          { value: 'pending', label: '未回复' },
        ]}
        empty={view.filter === 'pending' ? '所有人都已回复' : '暂无'}
        columns={[
          { title: '回复', width: 130, render: (_, a) => <ResponseTag a={a} /> },
          { title: '请假事由', dataIndex: 'leaveReason', render: (v: string | null) => v ?? '' },
          {
            title: '回复时间',
            dataIndex: 'respondedAt',
            width: 150,
            render: (v: string | null) => (v ? dateTime(v) : ''),
          },
        ]}
        line={(a) =>
          a.response === 'leave'
            ? `请假：${a.leaveReason ?? ''}`
            : a.respondedAt
              ? `${dateTime(a.respondedAt)} 回复`
              : a.orgName
        }
      />
    </>
  );
}

export function CheckinTab({ m, manager, onChanged }: { m: Meeting; manager: boolean; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const { busyKey: busy, run } = useSubmit('toast');
  const [search, setSearch] = useState('');
  const view = useAttendance(m, 'all');
  const { list } = view;
  const s = list.data?.summary;
  const members = useAsync(
    () =>
      manager
        ? api.get<Page<Member>>('/members', { orgId: m.orgId, q: search || undefined, pageSize: 20 })
        : Promise.resolve({ items: [], total: 0 }),
    [m.orgId, search, manager],
  );

  // Live while the meeting can still be signed in to.
  useEffect(() => {
    if (m.status === 'cancelled') return;
    const t = setInterval(() => void list.reload(), 10_000);
    return () => clearInterval(t);
  }, [m.id, m.status, list.reload]);

  const signIn = async (memberId: string, name: string, online = false) => {
    await run(
      async () => {
        const r = await api.post<Attendance & { alreadySignedIn: boolean }>(
          `/meetings/${m.id}/checkin`,
          online ? { memberId, online } : { memberId },
        );
        message.success(
          r.alreadySignedIn
            ? `${name} 已签到过`
            : `已为 ${name} ${online ? '线上代签' : '签到'}${r.late ? '（迟到）' : ''}`,
        );
        await list.reload();
        onChanged();
      },
      { key: online ? `online:${memberId}` : memberId },
    );
  };

  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <div className="xf-meeting-stats">
        <Statistic title="应到" value={s?.invited ?? 0} suffix="人" />
        <Statistic title="已签到" value={s?.signedIn ?? 0} suffix="人" valueStyle={{ color: '#389e0d' }} />
        <Statistic title="迟到" value={s?.late ?? 0} suffix="人" />
        <Statistic title="请假" value={s?.leave ?? 0} suffix="人" />
      </div>
      {manager && m.status !== 'cancelled' && (
        <div className="xf-toolbar">
          <Select<string>
            showSearch
            className="xf-manual-pick"
            placeholder="代签到：输入姓名查找党员"
            aria-label="代签到党员"
            filterOption={false}
            onSearch={setSearch}
            value={null as unknown as string}
            loading={members.loading}
            options={(members.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.orgName}）` }))}
            onSelect={(id: string) => {
              const p = members.data?.items.find((x) => x.id === id);
              if (p) void signIn(p.id, p.name);
            }}
            suffixIcon={<UserAddOutlined />}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
            刷新
          </Button>
        </div>
      )}
      <People
        view={view}
        filters={[
          { value: 'all', label: '全部' },
          { value: 'signed_in', label: '已签到' },
          { value: 'absent', label: '未签到' },
          { value: 'late', label: '迟到' },
        ]}
        loading={list.loading && !list.data}
        empty={m.status === 'planned' ? '尚未发布通知；可用上方「代签到」直接为党员签到' : '暂无'}
        columns={[
          { title: '状态', width: 130, render: (_, a) => <ResponseTag a={a} /> },
          {
            title: '签到时间',
            dataIndex: 'checkedInAt',
            width: 100,
            render: (v: string | null) => (v ? timeOnly(v) : ''),
          },
          {
            title: '方式',
            dataIndex: 'checkinMethod',
            width: 90,
            render: (v: Attendance['checkinMethod'], a) => (
              <>
                {v === 'qr' ? (
                  '扫码'
                ) : v === 'manual' ? (
                  <Tag>代签</Tag>
                ) : v === 'online' ? (
                  <Tag color="blue">网上课堂</Tag>
                ) : v === 'code' ? (
                  <Tag color="blue">线上</Tag>
                ) : v === 'manual_online' ? (
                  <Tag color="blue">线上代签</Tag>
                ) : (
                  ''
                )}
                {a.checkinSubmittedAt && (
                  <Tag
                    color="gold"
                    title={`手机离线时扫码，${dateTime(a.checkinSubmittedAt)} 联网后提交；签到时间以二维码上的时间为准`}
                  >
                    离线签到
                  </Tag>
                )}
                {a.leftEarlyAt && <Tag color="orange">早退</Tag>}
              </>
            ),
          },
          { title: '请假事由', dataIndex: 'leaveReason', render: (v: string | null) => v ?? '' },
        ]}
        line={(a) =>
          a.checkedInAt
            ? `${timeOnly(a.checkedInAt)} ${METHOD_LABELS[a.checkinMethod ?? 'qr']}${a.checkinSubmittedAt ? ` · 离线签到（${dateTime(a.checkinSubmittedAt)} 提交）` : ''}${a.leftEarlyAt ? ' · 早退' : ''}`
            : a.response === 'leave'
              ? `请假：${a.leaveReason ?? ''}`
              : a.orgName
        }
        action={
          manager && m.status !== 'cancelled'
            ? (a) =>
                a.checkedInAt ? (
                  <CheckOutlined style={{ color: '#389e0d' }} aria-label="已签到" />
                ) : (
                  <Space size={4} wrap>
                    <Button
                      size="small"
                      loading={busy === a.memberId}
                      onClick={() => void signIn(a.memberId, a.memberName)}
                    >
                      代签
                    </Button>
                    {m.mode !== 'in_person' && a.invited && (
                      <Button
                        size="small"
                        loading={busy === `online:${a.memberId}`}
                        title="为没有手机、以电话等方式线上参会的党员代为签到，计为线上到会"
                        onClick={() => void signIn(a.memberId, a.memberName, true)}
                      >
                        线上代签
                      </Button>
                    )}
                  </Space>
                )
            : undefined
        }
      />
    </>
  );
}

/**
 * 代为填写 (issue 24): an absentee without a phone tells the 书记 what they studied; the 书记 enters it for them —
 * recorded as their 补学, marked as entered on their behalf, the reason in the audit.
 */
function MakeupProxyDialog({ m, a, onClose }: { m: Meeting; a: Attendance; onClose: (saved: boolean) => void }) {
  return (
    <FormDialog<{ reflection: string; reason: string }>
      title={`代为确认补学：${a.memberName}`}
      open
      onClose={() => onClose(false)}
      intro={
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="用于没有手机或不会使用手机的党员：按本人口述或交来的书面材料录入学习体会。补学记在本人名下，标明由您代为填写，本人以后登录可以看到；原因记入审计日志。"
        />
      }
      onSubmit={async (v) => {
        await api.post(`/meetings/${m.id}/makeup`, { memberId: a.memberId, ...v });
        onClose(true);
      }}
    >
      <Form.Item
        name="reflection"
        label="学习体会（按本人口述或书面材料录入）"
        rules={[{ required: true, min: 10, message: '学习体会至少 10 个字' }]}
      >
        <Input.TextArea aria-label="学习体会" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
      </Form.Item>
      <ProxyReasonField />
    </FormDialog>
  );
}

export function MakeupTab({ m, manager = false }: { m: Meeting; manager?: boolean }) {
  const view = useAttendance(m, 'absent');
  const { list } = view;
  const s = list.data?.summary;
  const [proxy, setProxy] = useState<Attendance | null>(null);
  const afterSave = useAfterSave();
  if (m.status !== 'held')
    return (
      <Alert type="info" showIcon message="会议记录保存后，缺席的党员可在手机上学习会议材料并提交学习体会（补学）。" />
    );
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <div className="xf-meeting-stats">
        <Statistic title="缺席" value={s?.absent ?? 0} suffix="人" />
        <Statistic title="已补学" value={s?.makeupDone ?? 0} suffix="人" valueStyle={{ color: '#389e0d' }} />
        <Statistic title="待补学" value={(s?.absent ?? 0) - (s?.makeupDone ?? 0)} suffix="人" />
      </div>
      <People
        view={view}
        filters={[
          { value: 'absent', label: '全部缺席' },
          { value: 'makeup_done', label: '已补学' },
          { value: 'makeup_pending', label: '待补学' },
        ]}
        empty="暂无"
        columns={[
          {
            title: '补学',
            width: 150,
            render: (_, a) => <MakeupTag a={a} />,
          },
          {
            title: '学习体会',
            dataIndex: 'makeupReflection',
            render: (v: string | null) => (
              <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0 }}>
                {v ?? ''}
              </Typography.Paragraph>
            ),
          },
        ]}
        line={(a) =>
          a.makeupDoneAt
            ? `${a.makeupOnBehalf ? '已补学（代为填写）' : '已补学'}：${a.makeupReflection ?? ''}`
            : a.response === 'leave'
              ? `请假：${a.leaveReason ?? ''}`
              : '未补学'
        }
        action={
          manager
            ? (a) =>
                a.makeupDoneAt ? (
                  <CheckOutlined style={{ color: '#389e0d' }} aria-label="已补学" />
                ) : (
                  <Button size="small" onClick={() => setProxy(a)}>
                    代为确认
                  </Button>
                )
            : undefined
        }
      />
      {proxy && (
        <MakeupProxyDialog
          m={m}
          a={proxy}
          onClose={afterSave(
            () => setProxy(null),
            () => `已为${proxy.memberName}记录补学（代为填写）`,
            list.reload,
          )}
        />
      )}
    </>
  );
}

function MakeupTag({ a }: { a: Attendance }) {
  if (!a.makeupDoneAt) return <Tag>未补学</Tag>;
  return (
    <Space size={4} wrap>
      <Tag color="green">{dateTime(a.makeupDoneAt)}</Tag>
      {a.makeupOnBehalf && <Tag color="blue">代为填写</Tag>}
    </Space>
  );
}
