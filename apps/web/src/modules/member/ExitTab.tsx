/** 出党登记: records why and when a member left; the record is kept, never deleted. */
import { EXIT_REASON_LABELS, EXIT_REASONS, type Member, now } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, errorText } from '../../platform/api';

type Values = { reason: (typeof EXIT_REASONS)[number]; date: Dayjs; note?: string };

export function ExitTab({ m }: { m: Member }) {
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Typography.Paragraph type="secondary">
        党员去世、退党、除名、自行脱党或开除党籍时在此登记。登记后该党员不再计入花名册和统计，档案记录永久保留。失联党员的停止党籍、恢复党籍和除名在“失联”页办理（停止党籍不是出党）。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        name="memberExit"
        layout="vertical"
        style={{ maxWidth: 560 }}
        initialValues={{ date: dayjs(now()) }}
        onFinish={(v) =>
          modal.confirm({
            title: `确认为「${m.name}」办理出党登记？`,
            content: `原因：${EXIT_REASON_LABELS[v.reason]}，日期：${v.date.format('YYYY-MM-DD')}。登记后档案只读。`,
            okText: '确认登记',
            okButtonProps: { danger: true },
            onOk: async () => {
              setError(null);
              try {
                await api.post(`/members/${m.id}/exit`, {
                  reason: v.reason,
                  date: v.date.format('YYYY-MM-DD'),
                  note: v.note?.trim() ?? '',
                });
                message.success('已办理出党登记');
                navigate('/members');
              } catch (e) {
                setError(errorText(e));
              }
            },
          })
        }
      >
        <Form.Item name="reason" label="出党原因" rules={[{ required: true, message: '请选择出党原因' }]}>
          <Select
            options={EXIT_REASONS.map((r) => ({ value: r, label: EXIT_REASON_LABELS[r] }))}
            placeholder="请选择"
          />
        </Form.Item>
        <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(now()), 'day')} />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={3} maxLength={500} placeholder="如：组织决定文号" />
        </Form.Item>
        <Button danger htmlType="submit">
          办理出党登记
        </Button>
      </Form>
    </>
  );
}
