/**
 * Sign-in through 企业微信 / 钉钉 (issue 24): the buttons on the login page (started at once inside the provider's
 * own app), the page the provider sends the browser back to, the member's 绑定 page and the admin's settings.
 */
import { DeleteOutlined, LinkOutlined } from '@ant-design/icons';
import { SSO_LABEL, ssoInAppProvider, type SsoAppView, type SsoBindingView, type SsoProvider } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Popconfirm,
  Space,
  Spin,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from './api';
import { useAuth } from './auth';
import { go } from './sso-buttons';
import { Brand } from './Layout';
import { useAsync } from './useAsync';
import { useSubmit } from './useSubmit';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/** Where WeCom (`?code=&state=`) and DingTalk (`?authCode=&state=`) send the browser back. */
export function SsoReturnPage() {
  const { provider } = useParams<{ provider: SsoProvider }>();
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const [outcome, setOutcome] = useState<{ kind: 'error' | 'unbound'; text: string } | null>(null);
  const ran = useRef(false);
  useEffect(() => {
    if (ran.current) return;
    ran.current = true;
    const q = new URLSearchParams(window.location.search);
    const code = q.get('code') ?? q.get('authCode') ?? '';
    const state = q.get('state') ?? '';
    if (!provider || !(provider in SSO_LABEL)) return setOutcome({ kind: 'error', text: '不支持的登录方式' });
    if (!code)
      return setOutcome({ kind: 'error', text: `没有从${SSO_LABEL[provider]}拿到授权（可能取消了授权），请重新登录` });
    const binding = state.startsWith('bind.');
    (binding
      ? api
          .post('/me/sso/bind', { provider, code, state })
          .then(() => navigate('/account/sso?bound=1', { replace: true }))
      : api
          .post<{ status: 'signedIn' } | { status: 'unbound'; message: string }>(`/auth/sso/${provider}/callback`, {
            code,
            state,
          })
          .then(async (r) => {
            if (r.status === 'unbound') return setOutcome({ kind: 'unbound', text: r.message });
            await refresh();
            navigate('/', { replace: true });
          })
    ).catch((e: unknown) => setOutcome({ kind: 'error', text: errorText(e) }));
  }, [provider, navigate, refresh]);
  return (
    <div className="xf-login">
      <Card className="xf-login-card">
        <Brand />
        {!outcome ? (
          <div className="xf-sso-wait">
            <Spin /> <span>正在通过{provider && provider in SSO_LABEL ? SSO_LABEL[provider] : ''}登录…</span>
          </div>
        ) : (
          <>
            <Alert
              type={outcome.kind === 'error' ? 'error' : 'info'}
              showIcon
              message={outcome.kind === 'error' ? '没有登录成功' : '还没有绑定'}
              description={outcome.text}
              style={{ marginBottom: 16 }}
            />
            <Link to="/login">
              <Button type="primary" block size="large">
                用用户名或手机号登录
              </Button>
            </Link>
          </>
        )}
      </Card>
    </div>
  );
}

/** 绑定企业微信/钉钉: the signed-in person's own bindings. */
export function SsoBindingsPage() {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  const { data, error, reload } = useAsync(
    () => api.get<{ providers: SsoProvider[]; bindings: SsoBindingView[] }>('/me/sso'),
    [],
  );
  const justBound = new URLSearchParams(window.location.search).has('bound');
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!data) return <Spin />;
  const providers = [...new Set([...data.providers, ...data.bindings.map((b) => b.provider)])];
  return (
    <div className="xf-page-narrow">
      <Card title="绑定企业微信/钉钉">
        {justBound && (
          <Alert type="success" showIcon message="绑定成功，以后可以直接用它登录" style={{ marginBottom: 16 }} />
        )}
        <Typography.Paragraph type="secondary">
          绑定后，在企业微信或钉钉里打开先锋，或在登录页点「企业微信登录」「钉钉登录」，不用输入密码就能登录。每个账号只能绑定一个企业微信、一个钉钉。
        </Typography.Paragraph>
        {providers.length === 0 ? (
          <Empty description="单位尚未开启企业微信或钉钉登录" />
        ) : (
          <List
            dataSource={providers}
            renderItem={(p) => {
              const b = data.bindings.find((x) => x.provider === p);
              return (
                <List.Item
                  actions={[
                    b ? (
                      <Popconfirm
                        key="unbind"
                        title={`解除${SSO_LABEL[p]}绑定？解除后不能再用它登录`}
                        onConfirm={() =>
                          run(
                            async () => {
                              await api.post('/me/sso/unbind', { provider: p });
                              message.success('已解除绑定');
                              void reload();
                            },
                            { key: p },
                          )
                        }
                      >
                        <Button danger icon={<DeleteOutlined />} loading={busyKey === p}>
                          解除绑定
                        </Button>
                      </Popconfirm>
                    ) : (
                      <Button
                        key="bind"
                        type="primary"
                        icon={<LinkOutlined />}
                        loading={busyKey === p}
                        onClick={() =>
                          run(
                            () =>
                              go('/me/sso/start', { provider: p, inApp: ssoInAppProvider(navigator.userAgent) === p }),
                            { key: p },
                          )
                        }
                      >
                        绑定{SSO_LABEL[p]}
                      </Button>
                    ),
                  ]}
                >
                  <List.Item.Meta
                    title={SSO_LABEL[p]}
                    description={b ? `已绑定（${b.externalId}），${when(b.createdAt)} 绑定` : '未绑定'}
                  />
                </List.Item>
              );
            }}
          />
        )}
      </Card>
    </div>
  );
}

type AppForm = { appId: string; agentId?: string; corpId?: string; secret?: string; enabled: boolean };

function AppCard({
  provider,
  app,
  onSaved,
}: {
  provider: SsoProvider;
  app: SsoAppView | undefined;
  onSaved: () => void;
}) {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  const [form] = Form.useForm<AppForm>();
  const wecom = provider === 'wecom';
  return (
    <Card title={`${SSO_LABEL[provider]}登录`} style={{ marginBottom: 16 }}>
      {app && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="回调地址">
            <Typography.Text copyable>{app.redirectUri}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="Secret">{app.secretMasked}</Descriptions.Item>
        </Descriptions>
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          appId: app?.appId ?? '',
          agentId: app?.agentId ?? '',
          corpId: app?.corpId ?? '',
          enabled: app?.enabled ?? true,
        }}
        onFinish={(v) =>
          run(
            async () => {
              await api.put(`/sso/apps/${provider}`, {
                appId: v.appId,
                ...(wecom ? { agentId: v.agentId } : { corpId: v.corpId }),
                ...(v.secret ? { secret: v.secret } : {}),
                enabled: v.enabled,
              });
              message.success('已保存');
              form.setFieldValue('secret', '');
              onSaved();
            },
            { key: 'save' },
          )
        }
      >
        <Form.Item
          name="appId"
          label={wecom ? '企业ID（corpid）' : 'Client ID（原 AppKey）'}
          rules={[{ required: true }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {wecom ? (
          <Form.Item name="agentId" label="应用 AgentId" rules={[{ required: true, message: '请填写 AgentId' }]}>
            <Input autoComplete="off" inputMode="numeric" />
          </Form.Item>
        ) : (
          <Form.Item name="corpId" label="组织 corpId（可选：只允许本组织的钉钉账号登录）">
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          name="secret"
          label={wecom ? '应用 Secret' : 'Client Secret（原 AppSecret）'}
          extra={app ? '留空则不修改' : undefined}
          rules={app ? [] : [{ required: true, message: '请填写 Secret' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="enabled" label="开启" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busyKey === 'save'}>
            保存
          </Button>
          {app && (
            <Popconfirm
              title={`删除${SSO_LABEL[provider]}登录设置？已有的绑定保留，但不能再用它登录`}
              onConfirm={() => run(() => api.delete(`/sso/apps/${provider}`).then(onSaved), { key: 'delete' })}
            >
              <Button danger loading={busyKey === 'delete'}>
                删除设置
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
    </Card>
  );
}

type AdminBinding = SsoBindingView & { userId: string; username: string };

/** 登录方式 (admins): the WeCom and DingTalk apps, and who has bound which account. */
export function SsoAdminPage() {
  const { busyKey, run } = useSubmit('toast');
  const [page, setPage] = useState(1);
  const apps = useAsync(() => api.get<{ items: SsoAppView[] }>('/sso/apps'), []);
  const bindings = useAsync(
    () => api.get<{ items: AdminBinding[]; total: number }>('/sso/bindings', { page, pageSize: 20 }),
    [page],
  );
  if (apps.error) return <Alert type="error" showIcon message={apps.error} />;
  if (!apps.data) return <Spin />;
  return (
    <div className="xf-page-narrow">
      <Typography.Title level={4}>登录方式</Typography.Title>
      <Typography.Paragraph type="secondary">
        在企业微信管理后台「应用管理 →
        自建应用」或钉钉开放平台创建应用后，把下面的回调地址填为应用的可信域名/回调地址，再填写应用的标识和
        Secret。Secret 加密保存，只显示末 4 位。
      </Typography.Paragraph>
      {(['wecom', 'dingtalk'] as const).map((p) => (
        <AppCard key={p} provider={p} app={apps.data!.items.find((a) => a.provider === p)} onSaved={apps.reload} />
      ))}
      <Card title="已绑定的账号">
        <Table<AdminBinding>
          rowKey="id"
          size="small"
          scroll={{ x: true }}
          dataSource={bindings.data?.items ?? []}
          loading={bindings.loading}
          pagination={{ current: page, pageSize: 20, total: bindings.data?.total ?? 0, onChange: setPage }}
          columns={[
            { title: '用户', dataIndex: 'username' },
            { title: '方式', dataIndex: 'provider', render: (p: SsoProvider) => SSO_LABEL[p] },
            { title: '外部账号', dataIndex: 'externalId' },
            { title: '最近登录', dataIndex: 'lastSignInAt', render: when },
            {
              title: '操作',
              key: 'op',
              render: (_, b) => (
                <Popconfirm
                  title={`解除 ${b.username} 的${SSO_LABEL[b.provider]}绑定？`}
                  onConfirm={() => run(() => api.delete(`/sso/bindings/${b.id}`).then(bindings.reload), { key: b.id })}
                >
                  <Button size="small" danger loading={busyKey === b.id}>
                    解除
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
