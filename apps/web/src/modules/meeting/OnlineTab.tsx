/**
 * 线上参会 for the host (issue #27): the spoken sign-in code (rotating with the venue QR code), who is signed in
 * online and still connected, marking someone as having left early, the members' statements, and the votes —
 * opened here, voted online in the app and by show of hands in the room (entered when closing).
 */
import { ReloadOutlined } from '@ant-design/icons';
import {
  MOTION_KINDS,
  MOTION_RULES,
  REMOTE_ATTENDANCE_RULE,
  nowMs,
  type MotionKind,
  type VoteCount,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { api, errorText } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { LoadError } from '../../platform/LoadError';
import {
  timeOnly,
  type Attendance,
  type AttendancePage,
  type Meeting,
  type Minutes,
  type Motion,
  type QueuedHand,
} from './labels';
import { useSubmit } from '../../platform/useSubmit';
import { StatementItem } from './StatementItem';

type Code = { code: string; refreshAt: string; expiresAt: string; opensAt: string; closesAt: string };

/** 「赞成 6 票，反对 0 票，弃权 1 票（会场 5 票，线上 2 票）· 通过」 */
export const tallyText = (t: NonNullable<Motion['tally']>) =>
  `应到会有表决权 ${t.entitled} 人，到会 ${t.present} 人；赞成 ${t.for} 票，反对 ${t.against} 票，弃权 ${t.abstain} 票（会场 ${t.room.for + t.room.against + t.room.abstain} 票，线上 ${t.online} 票）`;

export function OnlineTab({ m }: { m: Meeting }) {
  const { message } = AntApp.useApp();
  const [tick, setTick] = useState(0);
  const code = useAsync(() => api.get<Code>(`/meetings/${m.id}/remote-code`), [m.id, tick]);
  const people = useAsync(
    () => api.get<AttendancePage>(`/meetings/${m.id}/attendance`, { filter: 'signed_in', pageSize: 200 }),
    [m.id, tick],
  );
  const minutes = useAsync(() => api.get<Minutes>(`/meetings/${m.id}/minutes`), [m.id, tick]);
  // 举手: the queue is looked at every 5 seconds (the rest of the tab every 15).
  const [handTick, setHandTick] = useState(0);
  const hands = useAsync(
    () => api.get<{ items: QueuedHand[]; total: number }>(`/meetings/${m.id}/hands`, { pageSize: 200 }),
    [m.id, tick, handTick],
  );
  useEffect(() => {
    const t = setInterval(() => setHandTick((x) => x + 1), 5_000);
    return () => clearInterval(t);
  }, []);
  const { busyKey: busy, run: submit } = useSubmit('toast');
  const [closing, setClosing] = useState<Motion | null>(null);
  const [room, setRoom] = useState<VoteCount>({ for: 0, against: 0, abstain: 0 });
  const [form] = Form.useForm<{ title: string; kind: MotionKind }>();
  const [refusal, setRefusal] = useState<string | null>(null);

  // The code changes every minute; the lists follow who joins. Refresh every 15 seconds while the tab is open.
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 15_000);
    return () => clearInterval(t);
  }, []);

  const run = async (key: string, fn: () => Promise<void>) => {
    await submit(
      async () => {
        await fn();
        setTick((x) => x + 1);
      },
      { key },
    );
  };

  const online = (people.data?.items ?? []).filter((a) => a.presence === 'online');
  const inRoom = (people.data?.items ?? []).filter((a) => a.presence === 'in_person');
  const connected = (a: Attendance) =>
    !a.leftEarlyAt &&
    a.seenAt !== null &&
    nowMs() - new Date(a.seenAt).getTime() < REMOTE_ATTENDANCE_RULE.connectedSeconds * 1000;
  const motions = minutes.data?.draft.motions ?? [];
  const statements = minutes.data?.draft.statements ?? [];
  const voting = minutes.data?.voting !== null;

  const open = (v: { title: string; kind: MotionKind }) =>
    run('motion', async () => {
      setRefusal(null);
      try {
        await api.post(`/meetings/${m.id}/motions`, v);
        form.resetFields();
        message.success('已发起表决');
      } catch (e) {
        setRefusal(errorText(e));
      }
    });

  return (
    <div className="xf-online-host">
      <LoadError
        error={code.error ?? people.error ?? minutes.error ?? hands.error}
        onRetry={() => setTick((x) => x + 1)}
      />
      <Card size="small" title="线上签到码" className="xf-online-code-card">
        <div className="xf-online-code" aria-label="线上签到码">
          {code.data?.code ?? '······'}
        </div>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          请在会上宣读或共享屏幕展示。线上参会的党员在本人账号的「我的会议」中输入此码签到，计为线上到会；签到码每分钟更换，几分钟内有效
          {code.data ? `（当前码 ${timeOnly(code.data.expiresAt)} 后失效）` : ''}。
        </Typography.Paragraph>
        {m.online && (
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {m.online.serviceLabel} 会议号 <Typography.Text strong>{m.online.number}</Typography.Text> ·{' '}
            <a href={m.online.link} target="_blank" rel="noopener noreferrer">
              入会链接
            </a>
          </Typography.Paragraph>
        )}
      </Card>

      <Card
        size="small"
        title={`线上到会 ${online.length} 人 · 现场 ${inRoom.length} 人`}
        extra={
          <Button size="small" icon={<ReloadOutlined />} aria-label="刷新" onClick={() => setTick((x) => x + 1)} />
        }
      >
        <List
          dataSource={online}
          locale={{ emptyText: '暂无线上签到的党员' }}
          renderItem={(a) => (
            <List.Item
              actions={
                a.leftEarlyAt
                  ? [<Tag key="left" color="orange">{`${timeOnly(a.leftEarlyAt)} 早退`}</Tag>]
                  : [
                      <Button
                        key="left"
                        size="small"
                        loading={busy === `left:${a.memberId}`}
                        onClick={() =>
                          void run(`left:${a.memberId}`, async () => {
                            await api.post(`/meetings/${m.id}/left-early`, { memberId: a.memberId });
                            message.success(`已标记 ${a.memberName} 早退`);
                          })
                        }
                      >
                        标记早退
                      </Button>,
                    ]
              }
            >
              <Space wrap size={4}>
                <Typography.Text strong>{a.memberName}</Typography.Text>
                <span>{timeOnly(a.checkedInAt!)} 签到</span>
                {!a.leftEarlyAt && (connected(a) ? <Tag color="green">在线</Tag> : <Tag>未响应</Tag>)}
              </Space>
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={`举手（${hands.data?.total ?? 0}）`} className="xf-hands">
        <List
          dataSource={hands.data?.items ?? []}
          locale={{ emptyText: '暂无举手' }}
          renderItem={(h) => (
            <List.Item
              actions={[
                ...(h.calledAt
                  ? []
                  : [
                      <Button
                        key="call"
                        size="small"
                        type="primary"
                        loading={busy === `call:${h.memberId}`}
                        onClick={() =>
                          void run(`call:${h.memberId}`, async () => {
                            await api.post(`/meetings/${m.id}/hands/${h.memberId}`, { action: 'call' });
                            message.success(`已请 ${h.name} 发言`);
                          })
                        }
                      >
                        点名发言
                      </Button>,
                    ]),
                <Button
                  key="clear"
                  size="small"
                  loading={busy === `clear:${h.memberId}`}
                  onClick={() =>
                    void run(`clear:${h.memberId}`, async () => {
                      await api.post(`/meetings/${m.id}/hands/${h.memberId}`, { action: 'clear' });
                      message.success(`已放下 ${h.name} 的举手`);
                    })
                  }
                >
                  放下
                </Button>,
              ]}
            >
              <Space wrap size={4}>
                <Typography.Text strong>{`${h.position}. ${h.name}`}</Typography.Text>
                <span>{timeOnly(h.raisedAt)} 举手</span>
                {h.online && <Tag color="blue">线上</Tag>}
                {h.calledAt && <Tag color="green">发言中</Tag>}
              </Space>
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={`发言（${statements.length}）`}>
        <List dataSource={statements} locale={{ emptyText: '暂无发言' }} renderItem={(s) => <StatementItem s={s} />} />
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          发言署名写入「会议记录」的草稿，可在保存前修改。
        </Typography.Paragraph>
      </Card>

      {voting && (
        <Card size="small" title="表决">
          <Form
            name="motion"
            form={form}
            layout="inline"
            onFinish={open}
            initialValues={{ kind: 'resolution' }}
            className="xf-motion-form"
          >
            <Form.Item name="title" rules={[{ required: true, whitespace: true, message: '请填写表决事项' }]}>
              <Input placeholder="表决事项，如：通过支部年度工作计划" maxLength={200} aria-label="表决事项" />
            </Form.Item>
            <Form.Item name="kind">
              <Select
                aria-label="事项类型"
                style={{ minWidth: 170 }}
                options={MOTION_KINDS.map((k) => ({
                  value: k,
                  label: `${MOTION_RULES[k].label}${MOTION_RULES[k].remote ? '' : '（须现场）'}`,
                }))}
              />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'motion'}>
                发起表决
              </Button>
            </Form.Item>
          </Form>
          {refusal && (
            <Alert type="error" showIcon message={refusal} style={{ margin: '8px 0' }} className="xf-motion-refusal" />
          )}
          <List
            dataSource={motions}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未发起表决" /> }}
            renderItem={(x) => (
              <List.Item
                actions={
                  x.status === 'open'
                    ? [
                        <Button
                          key="close"
                          size="small"
                          onClick={() => {
                            setRoom({ for: 0, against: 0, abstain: 0 });
                            setClosing(x);
                          }}
                        >
                          结束表决
                        </Button>,
                      ]
                    : []
                }
              >
                <div>
                  <Typography.Text strong>{x.title}</Typography.Text>{' '}
                  {x.status === 'open' ? (
                    <Tag color="processing">表决中 · 线上已投 {x.cast} 票</Tag>
                  ) : x.tally?.passed ? (
                    <Tag color="success">通过</Tag>
                  ) : (
                    <Tag color="error">未通过</Tag>
                  )}
                  {x.tally && <div className="xf-motion-tally">{tallyText(x.tally)}</div>}
                  {x.tally?.problem && <Typography.Text type="secondary">{x.tally.problem}</Typography.Text>}
                </div>
              </List.Item>
            )}
          />
        </Card>
      )}

      <Modal
        title={closing ? `结束表决：${closing.title}` : ''}
        open={Boolean(closing)}
        okText="结束并计票"
        confirmLoading={busy === 'close'}
        onCancel={() => setClosing(null)}
        onOk={() =>
          void run('close', async () => {
            await api.post(`/meetings/${m.id}/motions/${closing!.id}/close`, { room });
            setClosing(null);
            message.success('表决已结束');
          })
        }
      >
        <Typography.Paragraph>
          线上已投 {closing?.cast ?? 0} 票。请登记会场举手表决的票数（会场签到的有表决权党员在会场举手表决）：
        </Typography.Paragraph>
        <Space wrap>
          {(['for', 'against', 'abstain'] as const).map((k) => (
            <label key={k}>
              {k === 'for' ? '赞成' : k === 'against' ? '反对' : '弃权'}{' '}
              <InputNumber
                min={0}
                max={10000}
                value={room[k]}
                aria-label={`会场${k === 'for' ? '赞成' : k === 'against' ? '反对' : '弃权'}票数`}
                onChange={(v) => setRoom((r) => ({ ...r, [k]: Number(v ?? 0) }))}
              />
            </label>
          ))}
        </Space>
      </Modal>
    </div>
  );
}
