/**
 * 通知管理 for administrators (issue #17): the templates with a live preview (placeholders checked by the
 * server on save), the acting org's group robots (企业微信 / 钉钉 / 飞书), integrators' webhooks, the
 * delivery log with per-channel statistics, and the dead letters with 重新发送.
 */
import {
  CHANNEL_LABELS,
  DELIVERY_STATUS_LABELS,
  ROBOT_PROVIDERS,
  WEBHOOK_EVENTS,
  type DeadLetter,
  type DeliveryItem,
  type RobotItem,
  type StatsReply,
  type TemplateItem,
  type TestResult,
  type WebhookItem,
} from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Select, Switch, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';

const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
const ROBOT_LABELS = { wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' } as const;

function Templates() {
  const list = useAsync(() => api.get<{ items: TemplateItem[]; total: number }>('/notify/templates'), []);
  const [editing, setEditing] = useState<TemplateItem | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<{ title: string; body: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
          { title: '操作', key: 'op', render: (_, t) => <Button size="small" onClick={() => open(t)}>编辑</Button> },
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
          setBusy(true);
          try {
            await api.put(`/notify/templates/${editing.kind}`, { title, body, urgent: editing.urgent });
            setEditing(null);
            void list.reload();
          } catch (e) {
            setError(errorText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {editing && (
          <Form layout="vertical">
            <Form.Item label="标题">
              <Input aria-label="模板标题" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} />
            </Form.Item>
            <Form.Item label="正文">
              <Input.TextArea aria-label="模板正文" value={body} onChange={(e) => setBody(e.target.value)} rows={4} maxLength={1000} />
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

function Robots() {
  const { current } = useAuth();
  const { message } = AntApp.useApp();
  const orgId = current?.orgId;
  const list = useAsync(
    () => (orgId ? api.get<{ items: RobotItem[]; total: number }>(`/orgs/${orgId}/robots`) : Promise.resolve({ items: [], total: 0 })),
    [orgId],
  );
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ provider: RobotItem['provider']; name: string; url: string; secret?: string; subtree: boolean }>();
  return (
    <>
      <div className="xf-toolbar">
        <Button type="primary" onClick={() => { setError(null); form.resetFields(); setAdding(true); }}>
          添加群机器人
        </Button>
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<RobotItem>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '本组织还没有群机器人' }}
        columns={[
          { title: '名称', dataIndex: 'name', fixed: 'left' },
          { title: '类型', dataIndex: 'provider', render: (p: RobotItem['provider']) => ROBOT_LABELS[p] },
          { title: '地址', dataIndex: 'urlMasked', responsive: ['md'] },
          { title: '签名', dataIndex: 'hasSecret', render: (v: boolean) => (v ? '已设置' : '—'), responsive: ['md'] },
          { title: '状态', dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          {
            title: '操作',
            key: 'op',
            render: (_, r) => (
              <Button
                size="small"
                onClick={async () => {
                  try {
                    const t = await api.post<TestResult>(`/notify-robots/${r.id}/test`);
                    if (t.ok) message.success(t.message);
                    else message.error(t.message);
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
              >
                测试
              </Button>
            ),
          },
        ]}
      />
      <Modal title="添加群机器人" open={adding} okText="保存" onCancel={() => setAdding(false)} onOk={() => form.submit()} forceRender>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ provider: 'wecom', subtree: false }}
          onFinish={async (v) => {
            try {
              await api.post(`/orgs/${orgId}/robots`, { ...v, secret: v.secret?.trim() ? v.secret.trim() : null });
              setAdding(false);
              void list.reload();
            } catch (e) {
              setError(errorText(e));
            }
          }}
        >
          <Form.Item name="provider" label="类型">
            <Select options={ROBOT_PROVIDERS.map((p) => ({ value: p, label: ROBOT_LABELS[p] }))} />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="url" label="Webhook 地址" rules={[{ required: true, message: '请填写 Webhook 地址' }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="secret" label="签名密钥（钉钉 SEC…、飞书；没有可不填）">
            <Input.Password maxLength={200} />
          </Form.Item>
          <Form.Item name="subtree" label="同时推送下级组织的通知" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Webhooks() {
  const { message, modal } = AntApp.useApp();
  const list = useAsync(() => api.get<{ items: WebhookItem[]; total: number }>('/notify/webhooks'), []);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; url: string; kinds: string[] }>();
  return (
    <>
      <div className="xf-toolbar">
        <Button type="primary" onClick={() => { setError(null); form.resetFields(); setAdding(true); }}>
          登记推送地址
        </Button>
      </div>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<WebhookItem>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '还没有登记对外推送地址' }}
        columns={[
          { title: '名称', dataIndex: 'name', fixed: 'left' },
          { title: '地址', dataIndex: 'url', responsive: ['md'] },
          { title: '事件', dataIndex: 'kinds', render: (k: string[]) => k.map((x) => WEBHOOK_EVENTS[x] ?? '全部').join('、') },
          {
            title: '操作',
            key: 'op',
            render: (_, w) => (
              <Button
                size="small"
                onClick={async () => {
                  try {
                    const t = await api.post<TestResult>(`/notify/webhooks/${w.id}/test`);
                    if (t.ok) message.success(t.message);
                    else message.error(t.message);
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
              >
                测试
              </Button>
            ),
          },
        ]}
      />
      <Modal title="登记对外推送地址" open={adding} okText="保存" onCancel={() => setAdding(false)} onOk={() => form.submit()} forceRender>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            try {
              const made = await api.post<WebhookItem & { secret: string }>('/notify/webhooks', v);
              setAdding(false);
              void list.reload();
              modal.info({ title: '签名密钥（只显示这一次）', content: <code>{made.secret}</code> });
            } catch (e) {
              setError(errorText(e));
            }
          }}
        >
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="url" label="推送地址" rules={[{ required: true, message: '请填写推送地址' }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="kinds" label="事件" rules={[{ required: true, message: '请至少选择一种事件' }]}>
            <Select mode="multiple" options={Object.entries(WEBHOOK_EVENTS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Deliveries() {
  const { page, pageSize, pagination } = usePaging('条');
  const stats = useAsync(() => api.get<StatsReply>('/notify/stats'), []);
  const list = useAsync(() => api.get<Page<DeliveryItem>>('/notify/deliveries', { page, pageSize }), [page, pageSize]);
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
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<DeliveryItem>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={pagination(list.data?.total ?? 0)}
        scroll={{ x: 'max-content' }}
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
  const { page, pageSize, pagination } = usePaging('条');
  const list = useAsync(() => api.get<Page<DeadLetter>>('/notify/dead-letters', { page, pageSize }), [page, pageSize]);
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<DeadLetter>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={pagination(list.data?.total ?? 0)}
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
                onClick={async () => {
                  try {
                    await api.post(`/notify/dead-letters/${d.id}/resend`);
                    message.success('已重新排队发送');
                    void list.reload();
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
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
