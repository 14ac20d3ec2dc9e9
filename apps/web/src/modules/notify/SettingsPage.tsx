/**
 * 通知设置: which optional channels (e-mail, SMS) reach me when the server has them, my quiet hours, and
 * the kinds of notice I do not want (urgent ones still come). The inbox always receives everything else.
 */
import { NOTIFY_KINDS, NOTIFY_KIND_KEYS, type NotifySettings, type NotifySettingsBody } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Form, Input, Space, Switch, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText, fieldProblems } from '../../platform/api';
import { CheckList } from '../../platform/CheckList';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';

type FormValues = {
  email: string;
  emailOn: boolean;
  smsOn: boolean;
  quietOn: boolean;
  quiet?: [Dayjs, Dayjs];
  receive: string[];
};

/** Kinds a member may choose among (the channel test is for administrators' set-up only). */
const CHOOSABLE = NOTIFY_KIND_KEYS.filter((k) => k !== 'notify.test');

/** 'HH:MM' as a time of the picker (the day does not matter). */
const atTime = (hhmm: string) =>
  dayjs()
    .hour(Number(hhmm.slice(0, 2)))
    .minute(Number(hhmm.slice(3, 5)))
    .second(0);

const toForm = (s: NotifySettings): FormValues => ({
  email: s.email ?? '',
  emailOn: s.channels.email,
  smsOn: s.channels.sms,
  quietOn: s.quietHours !== null,
  quiet: s.quietHours ? [atTime(s.quietHours.start), atTime(s.quietHours.end)] : undefined,
  receive: CHOOSABLE.filter((k) => !s.mutedKinds.includes(k)),
});

export function NotifySettingsPage() {
  const { message } = AntApp.useApp();
  const r = useAsync(() => api.get<NotifySettings>('/me/notify-settings'), []);
  const [form] = Form.useForm<FormValues>();
  const { busy, error, setError, run } = useSubmit();
  const quietOn = Form.useWatch('quietOn', form);
  useEffect(() => {
    if (r.data) form.setFieldsValue(toForm(r.data));
  }, [r.data, form]);

  const save = async (v: FormValues) => {
    const body: NotifySettingsBody = {
      email: v.email.trim() || null,
      channels: { email: v.emailOn, sms: v.smsOn },
      quietHours: v.quietOn && v.quiet ? { start: v.quiet[0].format('HH:mm'), end: v.quiet[1].format('HH:mm') } : null,
      mutedKinds: CHOOSABLE.filter((k) => !v.receive.includes(k)),
    };
    await run(
      async () => {
        r.setData(await api.put<NotifySettings>('/me/notify-settings', body));
        message.success('通知设置已保存');
      },
      {
        onError: (e) => {
          const problems = fieldProblems(e);
          setError(problems.length ? `${errorText(e)}：${problems.map((p) => p.message).join('；')}` : errorText(e));
        },
      },
    );
  };

  const s = r.data;
  return (
    <Card title="通知设置" extra={<Link to="/notifications">返回我的通知</Link>} loading={r.loading && !s}>
      <LoadError error={r.error} onRetry={r.reload} />
      {s && (
        <Form form={form} layout="vertical" onFinish={save} initialValues={toForm(s)} style={{ maxWidth: 640 }}>
          <Typography.Paragraph type="secondary">
            所有通知都会进入站内「我的通知」。下面可以选择还通过哪些渠道接收，以及不想接收的通知类型（标为紧急的通知仍会送达）。
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Form.Item label="电子邮件" required={false}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Form.Item name="emailOn" valuePropName="checked" noStyle>
                <Switch disabled={!s.available.email} aria-label="接收邮件通知" />
              </Form.Item>
              {!s.available.email && <Typography.Text type="secondary">本系统未配置邮件服务</Typography.Text>}
              <Form.Item name="email" noStyle rules={[{ type: 'email', message: '邮箱格式不正确' }]}>
                <Input placeholder="接收通知的邮箱" autoComplete="email" inputMode="email" maxLength={200} />
              </Form.Item>
            </Space>
          </Form.Item>
          <Form.Item label="短信">
            <Space wrap>
              <Form.Item name="smsOn" valuePropName="checked" noStyle>
                <Switch disabled={!s.available.sms || !s.hasPhone} aria-label="接收短信通知" />
              </Form.Item>
              {!s.available.sms ? (
                <Typography.Text type="secondary">本系统未配置短信服务</Typography.Text>
              ) : (
                !s.hasPhone && <Typography.Text type="secondary">您的党员信息中没有手机号</Typography.Text>
              )}
            </Space>
          </Form.Item>
          <Form.Item label="免打扰时段（短信、邮件在此时段内暂缓发送，紧急通知除外）">
            <Space wrap>
              <Form.Item name="quietOn" valuePropName="checked" noStyle>
                <Switch aria-label="开启免打扰" />
              </Form.Item>
              <Form.Item name="quiet" noStyle>
                <TimePicker.RangePicker format="HH:mm" minuteStep={5} disabled={!quietOn} order={false} inputReadOnly />
              </Form.Item>
            </Space>
          </Form.Item>
          <Form.Item name="receive" label="接收的通知类型">
            <CheckList
              column
              aria-label="接收的通知类型"
              options={CHOOSABLE.map((k) => ({
                value: k,
                label: `${NOTIFY_KINDS[k].label}（${NOTIFY_KINDS[k].audience}）`,
              }))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            保存
          </Button>
        </Form>
      )}
    </Card>
  );
}
