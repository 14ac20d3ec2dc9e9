/**
 * 通知管理 for administrators (issue #17): the templates with a live preview (placeholders checked by the
 * server on save), the group robots (企业微信 / 钉钉 / 飞书) of any org chosen with the org picker — add,
 * edit, test, delete —, integrators' webhooks (add, edit, test, delete), the delivery log with per-channel
 * statistics and filters by channel, status and date range (server-side, paged), and the dead letters.
 */
import {
  CHANNEL_LABELS,
  CHANNELS,
  DELIVERY_STATUS_LABELS,
  DELIVERY_STATUSES,
  NOTIFY_KIND_KEYS,
  NOTIFY_KINDS,
  ROBOT_PROVIDERS,
  WEBHOOK_EVENTS,
  type Channel,
  type DeliveryStatus,
  type NotifyKind,
  type DeadLetter,
  type DeliveryItem,
  type RobotItem,
  type StatsReply,
  type TemplateItem,
  type TestResult,
  type WebhookItem,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  TimePicker,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { OrgPicker } from '../org/OrgPicker';
import { useSubmit } from '../../platform/useSubmit';

const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
const ROBOT_LABELS = { wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' } as const;

function Templates() {
  const list = useAsync(() => api.get<{ items: TemplateItem[]; total: number }>('/notify/templates'), []);
  const [editing, setEditing] = useState<TemplateItem | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<{ title: string; body: string } | null>(null);
  const { busy, error, setError, run } = useSubmit('inline', { keepError: true });
  useEffect(() => {
    if (!editing) return;
    const kind = editing.kind;
    const h = setTimeout(() => {
      api
        .post<{ title: string; body: string }>('/notify/templates/preview', { kind, title, body })
        .then((p) => {
          setPreview(p);
          setError(null);
        })
        .catch((e) => setError(errorText(e)));
    }, 300);
    return () => clearTimeout(h);
  }, [editing, title, body]);
  const open = (t: TemplateItem) => {
    setEditing(t);
    setTitle(t.title);
    setBody(t.body);
    setPreview(null);
    setError(null);
  };
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<TemplateItem>
        rowKey="kind"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '通知类型', dataIndex: 'label', fixed: 'left' },
          { title: '接收人', dataIndex: 'audience', responsive: ['md'] },
          { title: '标题', dataIndex: 'title', responsive: ['lg'] },
          {
            title: '状态',
            key: 's',
            render: (_, t) => (t.customized ? <Tag color="blue">已修改</Tag> : <Tag>默认</Tag>),
          },
          {
            title: '操作',
            key: 'op',
            render: (_, t) => (
              <Button size="small" onClick={() => open(t)}>
                编辑
              </Button>
            ),
          },
        ]}
      />
      <Modal
        title={editing ? `编辑模板：${editing.label}` : ''}
        open={Boolean(editing)}
        okText="保存"
        confirmLoading={busy}
        onCancel={() => setEditing(null)}
        footer={(_, { OkBtn, CancelBtn }) => (
          <>
            {editing?.customized && (
              <Button
                danger
                onClick={async () => {
                  await api.delete(`/notify/templates/${editing.kind}`);
                  setEditing(null);
                  void list.reload();
                }}
              >
                恢复默认
              </Button>
            )}
            <CancelBtn />
            <OkBtn />
          </>
        )}
        onOk={async () => {
          if (!editing) return;
          await run(async () => {
            await api.put(`/notify/templates/${editing.kind}`, { title, body, urgent: editing.urgent });
            setEditing(null);
            void list.reload();
          });
        }}
      >
        {editing && (
          <Form layout="vertical">
            <Form.Item label="标题">
              <Input aria-label="模板标题" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} />
            </Form.Item>
            <Form.Item label="正文">
              <Input.TextArea
                aria-label="模板正文"
                value={body}
                onChange={(e) => setBody(e.target.value)}
                rows={4}
                maxLength={1000}
              />
            </Form.Item>
            <div className="xf-notify-placeholders">
              可用占位符：
              {editing.placeholders.map((p) => (
                <Tag key={p.name}>
                  {`{{${p.name}}}`} {p.label}
                </Tag>
              ))}
            </div>
            {error ? (
              <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />
            ) : (
              preview && (
                <Card size="small" title="预览（示例数据）" className="xf-notify-preview" style={{ marginTop: 12 }}>
                  <b>{preview.title}</b>
                  <p style={{ margin: '8px 0 0' }}>{preview.body}</p>
                </Card>
              )
            )}
          </Form>
        )}
      </Modal>
    </>
  );
}

/** 'HH:MM' as a time of the picker (the day does not matter). */
const atTime = (hhmm: string) =>
  dayjs()
    .hour(Number(hhmm.slice(0, 2)))
    .minute(Number(hhmm.slice(3, 5)))
    .second(0);

/** Kinds a robot may be limited to (the channel test always goes through). */
const ROBOT_KINDS = NOTIFY_KIND_KEYS.filter((k) => k !== 'notify.test').map((k) => ({
  value: k,
  label: NOTIFY_KINDS[k].label,
}));

type RobotForm = {
  provider: RobotItem['provider'];
  name: string;
  url?: string;
  secret?: string;
  clearSecret?: boolean;
  kinds: string[];
  subtree: boolean;
  enabled: boolean;
  quietOn: boolean;
  quiet?: [Dayjs, Dayjs];
};

/** 状态 of a robot or a push address, in both lists. */
const enabledColumn = {
  title: '状态',
  dataIndex: 'enabled',
  render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
};

/**
 * A robot's or a push address's operations — 测试, 编辑, 删除 — a row of small buttons that wraps on phones. The
 * clicked button spins while its request runs, so a second click cannot send it twice.
 */
function TargetOps(props: {
  /** The target's own path: `${path}/test` sends a test message, DELETE `path` removes it. */
  path: string;
  onEdit: () => void;
  deleteTitle: string;
  deleteNote: string;
  onDeleted: () => void;
}) {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  return (
    <Space size={4} wrap>
      <Button
        size="small"
        loading={busyKey === 'test'}
        onClick={() =>
          run(
            async () => {
              const t = await api.post<TestResult>(`${props.path}/test`);
              if (t.ok) message.success(t.message);
              else message.error(t.message);
            },
            { key: 'test' },
          )
        }
      >
        测试
      </Button>
      <Button size="small" onClick={props.onEdit}>
        编辑
      </Button>
      <Popconfirm
        title={props.deleteTitle}
        description={props.deleteNote}
        okText="删除"
        okButtonProps={{ danger: true }}
        onConfirm={() =>
          run(
            async () => {
              await api.delete(props.path);
              message.success('已删除');
              props.onDeleted();
            },
            { key: 'delete' },
          )
        }
      >
        <Button size="small" danger loading={busyKey === 'delete'}>
          删除
        </Button>
      </Popconfirm>
    </Space>
  );
}

function Robots() {
  const { current } = useAuth();
  const { message } = AntApp.useApp();
  const [orgId, setOrgId] = useState<string | undefined>(current?.orgId);
  useEffect(() => setOrgId(current?.orgId), [current?.orgId]);
  const { page, pageSize, setPage, pagination } = usePaging('个');
  const list = useAsync(
    () =>
      orgId
        ? api.get<Page<RobotItem>>(`/orgs/${orgId}/robots`, { page, pageSize })
        : Promise.resolve({ items: [], total: 0 }),
    [orgId, page, pageSize],
  );
  /** The robot being edited, 'new' while adding, null when the dialog is closed. */
  const [editing, setEditing] = useState<RobotItem | 'new' | null>(null);
  const [form] = Form.useForm<RobotForm>();
  const quietOn = Form.useWatch('quietOn', form);
  /** The robot being edited (null while adding or closed). */
  const shown = editing !== null && editing !== 'new' ? editing : null;
  const save = async (v: RobotForm) => {
    const quietHours =
      v.quietOn && v.quiet ? { start: v.quiet[0].format('HH:mm'), end: v.quiet[1].format('HH:mm') } : null;
    const common = {
      provider: v.provider,
      name: v.name,
      kinds: v.kinds ?? [],
      subtree: v.subtree,
      enabled: v.enabled,
      quietHours,
    };
    if (editing === 'new') {
      await api.post(`/orgs/${orgId}/robots`, {
        ...common,
        url: v.url ?? '',
        secret: v.secret?.trim() ? v.secret.trim() : null,
      });
      message.success('已添加群机器人');
    } else if (editing) {
      await api.patch(`/notify-robots/${editing.id}`, {
        ...common,
        ...(v.url?.trim() ? { url: v.url.trim() } : {}),
        secret: v.clearSecret ? '' : v.secret?.trim() ? v.secret.trim() : null,
      });
      message.success('已保存');
    }
    setEditing(null);
    void list.reload();
  };
  return (
    <>
      <div className="xf-toolbar">
        <div className="xf-org-filter">
          <OrgPicker
            value={orgId}
            onChange={(v) => {
              setOrgId(v ?? current?.orgId);
              setPage(1);
            }}
            placeholder="选择组织，查看其群机器人"
          />
        </div>
        <Button type="primary" onClick={() => setEditing('new')} disabled={!orgId}>
          添加群机器人
        </Button>
      </div>
      <PagedTable<RobotItem>
        list={list}
        pagination={pagination}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '该组织还没有群机器人' }}
        columns={[
          { title: '名称', dataIndex: 'name', fixed: 'left' },
          {
            title: '类型',
            dataIndex: 'provider',
            responsive: ['sm'],
            render: (p: RobotItem['provider']) => ROBOT_LABELS[p],
          },
          {
            title: '地址',
            dataIndex: 'urlMasked',
            responsive: ['md'],
            render: (u: string) => (
              <span className="xf-notify-url" title={u}>
                {u}
              </span>
            ),
          },
          { title: '签名', dataIndex: 'hasSecret', render: (v: boolean) => (v ? '已设置' : '—'), responsive: ['md'] },
          {
            title: '推送',
            dataIndex: 'kinds',
            responsive: ['lg'],
            render: (k: string[]) =>
              k.length ? k.map((x) => NOTIFY_KINDS[x as NotifyKind]?.label ?? x).join('、') : '全部通知',
          },
          enabledColumn,
          {
            title: '操作',
            key: 'op',
            render: (_, r) => (
              <TargetOps
                path={`/notify-robots/${r.id}`}
                onEdit={() => setEditing(r)}
                deleteTitle={`删除群机器人「${r.name}」？`}
                deleteNote="删除后不再向该群推送通知"
                onDeleted={() => void list.reload()}
              />
            ),
          },
        ]}
      />
      <FormDialog<RobotForm>
        title={shown ? `编辑群机器人：${shown.name}` : '添加群机器人'}
        open={editing !== null}
        onClose={() => setEditing(null)}
        form={form}
        name="robot"
        initialValues={
          shown
            ? {
                provider: shown.provider,
                name: shown.name,
                url: '',
                secret: '',
                clearSecret: false,
                kinds: shown.kinds,
                subtree: shown.subtree,
                enabled: shown.enabled,
                quietOn: shown.quietHours !== null,
                quiet: shown.quietHours ? [atTime(shown.quietHours.start), atTime(shown.quietHours.end)] : undefined,
              }
            : {
                provider: 'wecom',
                subtree: false,
                enabled: true,
                kinds: [],
                quietOn: true,
                quiet: [atTime('22:00'), atTime('07:00')],
              }
        }
        onSubmit={save}
      >
        <Form.Item name="provider" label="类型">
          <Select options={ROBOT_PROVIDERS.map((p) => ({ value: p, label: ROBOT_LABELS[p] }))} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="url"
          label={shown ? `Webhook 地址（现为 ${shown.urlMasked}，留空不修改）` : 'Webhook 地址'}
          rules={shown ? [] : [{ required: true, message: '请填写 Webhook 地址' }]}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item
          name="secret"
          label={shown?.hasSecret ? '签名密钥（已设置；留空不修改）' : '签名密钥（钉钉 SEC…、飞书；没有可不填）'}
        >
          <Input.Password maxLength={200} autoComplete="new-password" />
        </Form.Item>
        {shown?.hasSecret && (
          <Form.Item name="clearSecret" valuePropName="checked">
            <Checkbox>删除已保存的密钥</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="kinds" label="推送的通知类型（不选为全部）">
          <Select mode="multiple" allowClear options={ROBOT_KINDS} placeholder="全部通知" aria-label="推送的通知类型" />
        </Form.Item>
        <Form.Item label="夜间免打扰（此时段内暂缓推送，紧急通知除外）">
          <Space wrap>
            <Form.Item name="quietOn" valuePropName="checked" noStyle>
              <Switch aria-label="开启免打扰" />
            </Form.Item>
            <Form.Item name="quiet" noStyle>
              <TimePicker.RangePicker format="HH:mm" minuteStep={5} disabled={!quietOn} order={false} inputReadOnly />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item name="subtree" label="同时推送下级组织的通知" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch aria-label="启用" />
        </Form.Item>
      </FormDialog>
    </>
  );
}

type WebhookForm = { name: string; url: string; kinds: string[]; enabled: boolean };

function Webhooks() {
  const { message, modal } = AntApp.useApp();
  const { page, pageSize, pagination } = usePaging('个');
  const list = useAsync(() => api.get<Page<WebhookItem>>('/notify/webhooks', { page, pageSize }), [page, pageSize]);
  const [editing, setEditing] = useState<WebhookItem | 'new' | null>(null);
  const isNew = editing === 'new';
  return (
    <>
      <div className="xf-toolbar">
        <Button type="primary" onClick={() => setEditing('new')}>
          登记推送地址
        </Button>
      </div>
      <PagedTable<WebhookItem>
        list={list}
        pagination={pagination}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '还没有登记对外推送地址' }}
        columns={[
          { title: '名称', dataIndex: 'name', fixed: 'left' },
          { title: '地址', dataIndex: 'url', responsive: ['md'] },
          {
            title: '事件',
            dataIndex: 'kinds',
            render: (k: string[]) => k.map((x) => WEBHOOK_EVENTS[x] ?? '全部').join('、'),
          },
          enabledColumn,
          {
            title: '操作',
            key: 'op',
            render: (_, w) => (
              <TargetOps
                path={`/notify/webhooks/${w.id}`}
                onEdit={() => setEditing(w)}
                deleteTitle={`删除推送地址「${w.name}」？`}
                deleteNote="删除后不再向该地址推送事件"
                onDeleted={() => void list.reload()}
              />
            ),
          },
        ]}
      />
      <FormDialog<WebhookForm>
        title={isNew ? '登记对外推送地址' : '编辑对外推送地址'}
        open={editing !== null}
        onClose={() => setEditing(null)}
        name="webhook"
        initialValues={
          editing && editing !== 'new'
            ? { name: editing.name, url: editing.url, kinds: editing.kinds, enabled: editing.enabled }
            : { enabled: true }
        }
        onSubmit={async (v) => {
          if (editing === 'new') {
            const made = await api.post<WebhookItem & { secret: string }>('/notify/webhooks', v);
            modal.info({ title: '签名密钥（只显示这一次）', content: <code>{made.secret}</code> });
          } else if (editing) {
            await api.patch(`/notify/webhooks/${editing.id}`, v);
            message.success('已保存');
          }
          setEditing(null);
          void list.reload();
        }}
      >
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="url" label="推送地址" rules={[{ required: true, message: '请填写推送地址' }]}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="kinds" label="事件" rules={[{ required: true, message: '请至少选择一种事件' }]}>
          <Select
            mode="multiple"
            options={Object.entries(WEBHOOK_EVENTS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch aria-label="启用" />
        </Form.Item>
      </FormDialog>
    </>
  );
}

type LogFilter = { channel?: Channel; status?: DeliveryStatus; from?: string; to?: string };

function Deliveries() {
  const { page, pageSize, setPage, pagination } = usePaging('条');
  const [filter, setFilterState] = useState<LogFilter>({});
  const setFilter = (f: Partial<LogFilter>) => {
    setFilterState((x) => ({ ...x, ...f }));
    setPage(1);
  };
  const stats = useAsync(() => api.get<StatsReply>('/notify/stats'), []);
  const list = useAsync(
    () => api.get<Page<DeliveryItem>>('/notify/deliveries', { ...filter, page, pageSize }),
    [filter, page, pageSize],
  );
  const day = (d: string | undefined) => (d ? dayjs(d) : null);
  return (
    <>
      {stats.data && (
        <div className="xf-notify-stats">
          {stats.data.items.map((s) => (
            <Tag key={s.channel}>
              {CHANNEL_LABELS[s.channel]}：已发送 {s.sent}，失败 {s.failed}，待发送 {s.pending}
            </Tag>
          ))}
        </div>
      )}
      <div className="xf-filters xf-notify-log-filters">
        <Select<Channel>
          allowClear
          placeholder="渠道"
          aria-label="渠道"
          value={filter.channel}
          onChange={(v) => setFilter({ channel: v })}
          options={CHANNELS.filter((c) => c !== 'inapp').map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
          popupMatchSelectWidth={false}
        />
        <Select<DeliveryStatus>
          allowClear
          placeholder="状态"
          aria-label="状态"
          value={filter.status}
          onChange={(v) => setFilter({ status: v })}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] }))}
        />
        <DatePicker
          placeholder="开始日期"
          aria-label="开始日期"
          value={day(filter.from)}
          maxDate={day(filter.to) ?? undefined}
          onChange={(d) => setFilter({ from: d ? d.format('YYYY-MM-DD') : undefined })}
        />
        <DatePicker
          placeholder="结束日期"
          aria-label="结束日期"
          value={day(filter.to)}
          minDate={day(filter.from) ?? undefined}
          onChange={(d) => setFilter({ to: d ? d.format('YYYY-MM-DD') : undefined })}
        />
      </div>
      <PagedTable<DeliveryItem>
        list={list}
        pagination={pagination}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: Object.values(filter).some(Boolean) ? '没有符合条件的发送记录' : '还没有发送记录' }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', render: time, fixed: 'left' },
          { title: '渠道', dataIndex: 'channel', render: (c: DeliveryItem['channel']) => CHANNEL_LABELS[c] },
          { title: '标题', dataIndex: 'title', responsive: ['md'] },
          { title: '发往', dataIndex: 'target', responsive: ['lg'] },
          { title: '状态', dataIndex: 'status', render: (s: DeliveryItem['status']) => DELIVERY_STATUS_LABELS[s] },
          { title: '次数', dataIndex: 'attempts', responsive: ['md'] },
          { title: '错误', dataIndex: 'lastError', render: (v: string | null) => v ?? '', responsive: ['md'] },
        ]}
      />
    </>
  );
}

function DeadLetters() {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  const { page, pageSize, pagination } = usePaging('条');
  const list = useAsync(() => api.get<Page<DeadLetter>>('/notify/dead-letters', { page, pageSize }), [page, pageSize]);
  return (
    <>
      <PagedTable<DeadLetter>
        list={list}
        pagination={pagination}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有发送失败的消息' }}
        columns={[
          { title: '时间', dataIndex: 'at', render: time, fixed: 'left' },
          { title: '内容', dataIndex: 'what' },
          { title: '错误', dataIndex: 'error', responsive: ['md'] },
          { title: '尝试次数', dataIndex: 'attempts', responsive: ['md'] },
          {
            title: '操作',
            key: 'op',
            render: (_, d) => (
              <Button
                size="small"
                loading={busyKey === d.id}
                onClick={() =>
                  run(
                    async () => {
                      await api.post(`/notify/dead-letters/${d.id}/resend`);
                      message.success('已重新排队发送');
                      void list.reload();
                    },
                    { key: d.id },
                  )
                }
              >
                重新发送
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

export function NotifyAdminPage() {
  return (
    <Card title="通知管理" className="xf-notify-admin">
      <Tabs
        items={[
          { key: 'templates', label: '通知模板', children: <Templates /> },
          { key: 'robots', label: '群机器人', children: <Robots /> },
          { key: 'webhooks', label: '对外推送', children: <Webhooks /> },
          { key: 'deliveries', label: '发送记录', children: <Deliveries /> },
          { key: 'dead', label: '发送失败', children: <DeadLetters /> },
        ]}
      />
    </Card>
  );
}
