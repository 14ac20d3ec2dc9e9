/**
 * 失联与停止党籍 of one member: 登记失联 → 查找记录 → 已取得联系, or 停止党籍 (6 months on, searched, approved above)
 * → 恢复党籍 or, two years on, 除名. Each step is one small form posting dates and text (StepForm).
 */
import {
  LOST_CONTACT_RULE,
  LOST_STATUS_LABELS,
  now,
  todayInChina,
  type LostRecord,
  type Member,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, errorText, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import type { Flowing } from './FlowTab';

const notFuture = (d: Dayjs) => d.isAfter(dayjs(now()), 'day');

export const lostTag = (status: LostRecord['status']) => (
  <Tag color={status === 'suspended' ? 'volcano' : status === 'lost' ? 'orange' : 'default'}>
    {LOST_STATUS_LABELS[status]}
  </Tag>
);

type Field = { name: string; label: string; kind: 'date' | 'text' | 'long'; placeholder?: string };

/** One step of the path: its fields, posted as YYYY-MM-DD dates and trimmed text. */
function StepForm(props: {
  name: string;
  title: string;
  hint?: string;
  fields: Field[];
  submit: string;
  danger?: boolean;
  /** Values the form starts with (a flowing member's last contact, when 登记失联 follows the 流动党员 escalation). */
  initial?: Record<string, Dayjs | string>;
  /** Resolves true when the step was recorded: the form is then cleared. */
  onSubmit: (body: Record<string, string>) => Promise<boolean>;
}) {
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  return (
    <Card size="small" title={props.title} style={{ marginBottom: 12 }}>
      {props.hint && <Typography.Paragraph type="secondary">{props.hint}</Typography.Paragraph>}
      <Form
        form={form}
        name={props.name}
        initialValues={props.initial}
        layout="vertical"
        style={{ maxWidth: 560 }}
        onFinish={async (v: Record<string, Dayjs | string | undefined>) => {
          setBusy(true);
          try {
            const body = Object.fromEntries(
              props.fields.map((f) => [
                f.name,
                f.kind === 'date' ? (v[f.name] as Dayjs).format('YYYY-MM-DD') : String(v[f.name] ?? '').trim(),
              ]),
            );
            if (await props.onSubmit(body)) form.resetFields();
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.label}
            rules={
              f.kind === 'date'
                ? [{ required: true, message: `请选择${f.label}` }]
                : f.placeholder
                  ? []
                  : [{ required: true, message: `请填写${f.label}` }]
            }
          >
            {f.kind === 'date' ? (
              <DatePicker disabledDate={notFuture} />
            ) : f.kind === 'long' ? (
              <Input.TextArea rows={2} maxLength={500} placeholder={f.placeholder} />
            ) : (
              <Input maxLength={200} placeholder={f.placeholder} />
            )}
          </Form.Item>
        ))}
        <Button htmlType="submit" type={props.danger ? 'default' : 'primary'} danger={props.danger} loading={busy}>
          {props.submit}
        </Button>
      </Form>
    </Card>
  );
}

const APPROVAL: Field[] = [
  { name: 'approvedOn', label: '上级批准日期', kind: 'date' },
  { name: 'approvedBy', label: '批准的上级党组织', kind: 'text' },
];

export function LostTab({ m, editable, onChanged }: { m: Member; editable: boolean; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const [error, setError] = useState<string | null>(null);
  const list = useAsync(
    () => api.get<Page<LostRecord>>('/lost-members', { orgId: m.orgId, memberId: m.id, state: 'all', pageSize: 50 }),
    [m.id, m.orgId],
  );
  // A flowing member's last contact from the 流动党员 record: 登记失联 starts from it (the escalation after 6 months).
  const flow = useAsync(
    async () =>
      m.flowing
        ? ((await api.get<Page<Flowing>>('/flowing', { orgId: m.orgId, pageSize: 200 })).items.find(
            (f) => f.memberId === m.id,
          ) ?? null)
        : null,
    [m.id, m.flowing, m.orgId],
  );
  const episodes = list.data?.items ?? [];
  const open = episodes.find((e) => e.status === 'lost' || e.status === 'suspended');
  const closed = episodes.filter((e) => e !== open);
  const post = (url: string, done: string) => async (body: Record<string, string>) => {
    setError(null);
    try {
      await api.post(url, body);
      message.success(done);
      onChanged();
      await list.reload();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  const today = todayInChina();

  return (
    <>
      <Typography.Paragraph type="secondary">
        与党组织失去联系 {LOST_CONTACT_RULE.suspendAfterMonths}{' '}
        个月以上、经查找仍无联系的，经党支部研究、上级党组织批准停止党籍； 停止党籍 {LOST_CONTACT_RULE.removeAfterYears}{' '}
        年后仍无联系的，予以除名。停止党籍期间档案保留，不参加组织生活、不交纳党费、不计入党员人数。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {open && (
        <Descriptions bordered size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="状态">{lostTag(open.status)}</Descriptions.Item>
          <Descriptions.Item label="最后联系">{open.lastContactOn}</Descriptions.Item>
          <Descriptions.Item label="失联情况" span={2}>
            {open.circumstances}
          </Descriptions.Item>
          {open.status === 'lost' ? (
            <Descriptions.Item label="可停止党籍" span={2}>
              {open.suspendFrom <= today
                ? `已满 ${LOST_CONTACT_RULE.suspendAfterMonths} 个月（${open.suspendFrom} 起）`
                : `${open.suspendFrom} 起`}
            </Descriptions.Item>
          ) : (
            <>
              <Descriptions.Item label="停止党籍">{open.suspendedOn}</Descriptions.Item>
              <Descriptions.Item label="应予除名">
                {open.removeFrom! <= today ? (
                  <Tag color="red">已满 {LOST_CONTACT_RULE.removeAfterYears} 年</Tag>
                ) : (
                  `${open.removeFrom} 起`
                )}
              </Descriptions.Item>
            </>
          )}
          <Descriptions.Item label="查找记录" span={2}>
            {open.searches.length === 0 ? (
              <Typography.Text type="warning">尚无查找记录</Typography.Text>
            ) : (
              <Timeline
                style={{ marginTop: 8, marginBottom: -24 }}
                items={open.searches.map((s) => ({ children: `${s.on} ${s.how}${s.result ? `：${s.result}` : ''}` }))}
              />
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      {editable && !open && !list.loading && (
        <StepForm
          key={`lostMark-${flow.data?.lastContactOn ?? ''}`}
          name="lostMark"
          title="登记失联"
          hint={
            flow.data
              ? `流动党员：最后联系日期按流动党员记录预填（${flow.data.lastContactOn}）。`
              : '任何党员均可登记，不限流动党员。'
          }
          initial={
            flow.data
              ? {
                  lastContactOn: dayjs(flow.data.lastContactOn),
                  circumstances: `流动党员（外出至${flow.data.location}），${flow.data.lastContactOn} 后未再取得联系`,
                }
              : undefined
          }
          fields={[
            { name: 'lastContactOn', label: '最后联系日期', kind: 'date' },
            { name: 'circumstances', label: '失联情况', kind: 'long' },
          ]}
          submit="登记失联"
          onSubmit={post(`/members/${m.id}/lost`, '已登记失联')}
        />
      )}
      {editable && open && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <StepForm
            key="lostSearch"
            name="lostSearch"
            title="记录查找"
            fields={[
              { name: 'on', label: '查找日期', kind: 'date' },
              { name: 'how', label: '查找方式', kind: 'text' },
              { name: 'result', label: '查找结果', kind: 'long', placeholder: '如：原单位和家属均不知去向' },
            ]}
            submit="记录查找"
            onSubmit={post(`/members/${m.id}/lost/searches`, '已记录查找')}
          />
          {open.status === 'lost' ? (
            <>
              <StepForm
                key="lostFound"
                name="lostFound"
                title="已取得联系"
                fields={[
                  { name: 'on', label: '取得联系日期', kind: 'date' },
                  { name: 'note', label: '说明', kind: 'long', placeholder: '选填' },
                ]}
                submit="登记已取得联系"
                onSubmit={post(`/members/${m.id}/lost/found`, '已取得联系，失联登记结束')}
              />
              <StepForm
                key="lostSuspend"
                name="lostSuspend"
                title="停止党籍"
                hint={`须失去联系满 ${LOST_CONTACT_RULE.suspendAfterMonths} 个月（${open.suspendFrom} 起）且有查找记录；经党支部研究，报上级党组织批准，自批准之日起停止党籍。`}
                fields={[{ name: 'decidedOn', label: '党支部研究日期', kind: 'date' }, ...APPROVAL]}
                submit="停止党籍"
                danger
                onSubmit={post(`/members/${m.id}/suspend`, '已停止党籍')}
              />
            </>
          ) : (
            <>
              <StepForm
                key="lostRestore"
                name="lostRestore"
                title="恢复党籍"
                hint="本人与党组织取得联系并要求恢复党籍的：党支部审查，支部大会讨论，报上级党组织批准。"
                fields={[
                  { name: 'meetingOn', label: '支部大会日期', kind: 'date' },
                  ...APPROVAL,
                  { name: 'note', label: '本人说明的情况', kind: 'long' },
                ]}
                submit="恢复党籍"
                onSubmit={post(`/members/${m.id}/restore`, '已恢复党籍')}
              />
              <StepForm
                key="lostRemove"
                name="lostRemove"
                title="除名"
                hint={`停止党籍满 ${LOST_CONTACT_RULE.removeAfterYears} 年（${open.removeFrom} 起）仍没有取得联系的，按自行脱党予以除名。`}
                fields={[{ name: 'decidedOn', label: '党支部研究日期', kind: 'date' }, ...APPROVAL]}
                submit="除名"
                danger
                onSubmit={post(`/members/${m.id}/lost/remove`, '已除名')}
              />
            </>
          )}
        </Space>
      )}
      {closed.length > 0 && (
        <Card size="small" title="以往失联登记" style={{ marginTop: 12 }}>
          {closed.map((e) => (
            <Typography.Paragraph key={e.id}>
              {lostTag(e.status)} 最后联系 {e.lastContactOn}
              {e.suspendedOn ? `，${e.suspendedOn} 停止党籍` : ''}，{e.endedOn} 结束
            </Typography.Paragraph>
          ))}
        </Card>
      )}
      {!open && closed.length === 0 && !editable && !list.loading && (
        <Typography.Text type="secondary">没有失联登记</Typography.Text>
      )}
    </>
  );
}
