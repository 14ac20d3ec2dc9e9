/** The pages of the shell itself: sign-in, password change (forced or chosen), not found. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { passwordProblems } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Form, Input, Result, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api, errorText } from './api';
import { useAuth } from './auth';
import { Brand } from './Layout';
import { SsoButtons } from './sso-buttons';
import { useSubmit } from './useSubmit';

export function LoginPage() {
  const { me, login } = useAuth();
  const { busy, error, setError, run } = useSubmit();
  const from = (useLocation().state as { from?: string } | null)?.from;
  if (me) return <Navigate to={me.mustChangePassword ? '/password' : (from ?? '/')} replace />;
  return (
    <div className="xf-login">
      <Card className="xf-login-card">
        <Brand />
        <Typography.Paragraph type="secondary" className="xf-login-sub">
          组织生活 · 党员管理 · 党费 · 学习，一个平台办完
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form
          layout="vertical"
          size="large"
          onFinish={async (v: { username: string; password: string }) => {
            await run(async () => {
              await login(v.username.trim(), v.password);
            });
          }}
        >
          <Form.Item
            name="username"
            label="用户名或手机号"
            rules={[{ required: true, message: '请输入用户名或手机号' }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder="用户名或手机号" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <SsoButtons onError={setError} />
      </Card>
    </div>
  );
}

export function ChangePasswordPage() {
  const { me, refresh } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const forced = Boolean(me?.mustChangePassword);
  return (
    <div className={forced ? 'xf-login' : 'xf-page-narrow'}>
      <Card className="xf-login-card" title="修改密码">
        {forced && (
          <Alert
            type="warning"
            showIcon
            message="首次登录或密码已被重置，请先设置新密码"
            style={{ marginBottom: 16 }}
          />
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form
          layout="vertical"
          onFinish={async (v: { oldPassword: string; newPassword: string }) => {
            setError(null);
            try {
              await api.post('/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
              message.success('密码已修改');
              await refresh();
              navigate('/', { replace: true });
            } catch (e) {
              setError(errorText(e));
            }
          }}
        >
          <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label="新密码"
            extra="至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名"
            rules={[
              { required: true, message: '请输入新密码' },
              {
                validator: (_, value: string | undefined) => {
                  const problem = value ? passwordProblems(value, me?.username ?? '')[0] : undefined;
                  return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="确认新密码"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error('两次输入的新密码不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            确认修改
          </Button>
        </Form>
      </Card>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <NotFound title="页面不存在" subTitle="您访问的页面不存在，或已被移走。" back={{ to: '/', label: '返回首页' }} />
  );
}

/**
 * What a page shows for a record that is not there, or not in the reader's scope (`api.record` gave null): what was
 * looked for and the way back to its list. The member's own pages pass `button={{ size: 'large' }}` (a 44 px
 * target on the phone) where the managers' pages have the primary button.
 */
export function NotFound({
  title,
  subTitle,
  back,
  button = { type: 'primary' },
}: {
  title: string;
  subTitle?: string;
  back: { to: string; label: string };
  button?: ButtonProps;
}) {
  return (
    <Result
      status="404"
      title={title}
      subTitle={subTitle}
      extra={
        <Link to={back.to}>
          <Button {...button}>{back.label}</Button>
        </Link>
      }
    />
  );
}
