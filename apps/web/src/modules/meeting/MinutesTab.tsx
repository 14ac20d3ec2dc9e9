/**
 * 会议记录: host, recorder, agenda, content (started from the kind's template), resolutions,
 * the lecture's speaker and topic; attendees come from the sign-in, absentees are listed with
 * their leave reason or a reason the secretary writes here.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { MEETING_TEMPLATES, minutesProblem, now } from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Descriptions,
  Form,
  Grid,
  Input,
  InputNumber,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, errorText, fieldProblems } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { dateTime, timeOnly, type Meeting, type Minutes } from './labels';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

type Values = {
  host: string;
  recorder: string;
  agenda: string;
  content: string;
  /** Each resolution with its vote (the vote only at a 党员大会 or 支委会). */
  resolutions: { text: string; for?: number; against?: number; abstain?: number }[];
  speaker?: string;
  topic?: string;
  speakerIsSecretary: boolean;
  absentReasons: Record<string, string>;
  /** Absentees ticked as present (from the paper sign-in sheet). */
  present: Record<string, boolean>;
};

export function MinutesTab({ m, manager, onSaved }: { m: Meeting; manager: boolean; onSaved: () => void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, error, setError, run } = useSubmit();
  const [editing, setEditing] = useState(false);
  const minutes = useAsync(() => api.get<Minutes>(`/meetings/${m.id}/minutes`), [m.id]);
  const d = minutes.data;
  const started = !dayjs(m.startsAt).isAfter(dayjs(now()));
  const lecture = m.kind === 'lecture';
  const phone = !Grid.useBreakpoint().md;

  useEffect(() => {
    if (!d) return;
    setEditing(!d.recorded && manager && started && m.status !== 'cancelled');
  }, [d, manager, started, m.status]);

  const startEditing = () => {
    if (!d) return;
    form.setFieldsValue({
      host: d.host ?? '',
      recorder: d.recorder ?? '',
      agenda: d.agenda,
      // The first draft: the kind's outline, then the members' statements and the votes taken in the meeting.
      content: d.content ?? [MEETING_TEMPLATES[m.kind].minutes, d.draft.content].filter(Boolean).join('\n'),
      resolutions: d.recorded
        ? d.resolutions.map((text, i) => ({ text, ...d.votes[i] }))
        : d.draft.resolutions.map((text, i) => ({ text, ...d.draft.votes[i] })),
      speaker: d.speaker ?? undefined,
      topic: d.topic ?? undefined,
      speakerIsSecretary: d.speakerIsSecretary,
      present: {},
      absentReasons: Object.fromEntries(
        d.absentees
          .filter((a) => !a.reason.startsWith('请假'))
          .map((a) => [a.memberId, a.reason === '未说明原因' ? '' : a.reason]),
      ),
    });
  };
  useEffect(() => {
    if (editing) startEditing();
  }, [editing]);

  if (minutes.error) return <LoadError error={minutes.error} onRetry={minutes.reload} />;
  if (!d) return <Typography.Text type="secondary">加载中…</Typography.Text>;

  const save = async (v: Values) => {
    await run(
      async () => {
        const kept = (v.resolutions ?? []).filter((r) => r.text?.trim());
        const attendees = Object.entries(v.present ?? {})
          .filter(([, on]) => on)
          .map(([id]) => id);
        const absentReasons = Object.fromEntries(
          Object.entries(v.absentReasons ?? {})
            .filter(([id, r]) => r && r.trim() && !attendees.includes(id))
            .map(([k, r]) => [k, r.trim()]),
        );
        const saved = await api.put<Minutes>(`/meetings/${m.id}/minutes`, {
          host: v.host.trim(),
          recorder: v.recorder.trim(),
          agenda: v.agenda ?? '',
          content: v.content,
          resolutions: kept.map((r) => r.text.trim()),
          votes: d.voting
            ? kept.map((r) => ({ for: r.for ?? 0, against: r.against ?? 0, abstain: r.abstain ?? 0 }))
            : [],
          absentReasons,
          attendees,
          ...(lecture && {
            speaker: v.speaker?.trim() || undefined,
            topic: v.topic?.trim() || undefined,
            speakerIsSecretary: v.speakerIsSecretary,
          }),
        });
        minutes.setData(saved);
        setEditing(false);
        message.success('会议记录已保存');
        onSaved();
      },
      {
        onError: (e) => {
          const known = form.getFieldsValue(true) as Record<string, unknown>;
          form.setFields(
            fieldProblems(e)
              .filter((p) => p.field && p.field in known)
              .map((p) => ({ name: p.field as keyof Values, errors: [p.message] })),
          );
          setError(errorText(e));
        },
      },
    );
  };

  const people = (
    <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
      <Descriptions.Item
        label={`出席（${d.present}/${d.due}）${d.presentOnline ? `：现场 ${d.presentInPerson}，线上 ${d.presentOnline}` : ''}`}
      >
        {d.attendees.length === 0
          ? '暂无签到'
          : d.attendees.map((a) => (
              <Tag
                key={a.memberId}
                color={a.late ? 'orange' : a.online ? 'blue' : undefined}
                title={`${timeOnly(a.checkedInAt)} 签到`}
              >
                {a.name}
                {[a.online ? '线上' : '', a.late ? '迟到' : '', a.leftEarlyAt ? '早退' : ''].filter(Boolean).length
                  ? `（${[a.online ? '线上' : '', a.late ? '迟到' : '', a.leftEarlyAt ? '早退' : ''].filter(Boolean).join('，')}）`
                  : ''}
              </Tag>
            ))}
      </Descriptions.Item>
      {!editing && (
        <Descriptions.Item label={`缺席（${d.absentees.length}）`}>
          {d.absentees.length === 0 ? (
            '无'
          ) : (
            <div className="xf-absent-list">
              {d.absentees.map((a) => (
                <span key={a.memberId}>
                  {a.name}（{a.reason}）{a.makeupDoneAt ? <Tag color="green">已补学</Tag> : null}
                </span>
              ))}
            </div>
          )}
        </Descriptions.Item>
      )}
    </Descriptions>
  );

  if (!editing)
    return (
      <>
        {!started && <Alert type="info" showIcon message="会议开始后才能填写会议记录" style={{ marginBottom: 12 }} />}
        {!d.recorded && started && !manager && (
          <Alert type="info" showIcon message="尚未填写会议记录" style={{ marginBottom: 12 }} />
        )}
        {d.recorded && (
          <>
            <Descriptions bordered size="small" column={phone ? 1 : 2} style={{ marginBottom: 16 }}>
              <Descriptions.Item label="主持人">{d.host}</Descriptions.Item>
              <Descriptions.Item label="记录人">{d.recorder}</Descriptions.Item>
              {lecture && (
                <Descriptions.Item label="主讲人">
                  {d.speaker ?? '—'}
                  {d.speakerIsSecretary ? '（书记讲党课）' : ''}
                </Descriptions.Item>
              )}
              {lecture && <Descriptions.Item label="党课题目">{d.topic ?? '—'}</Descriptions.Item>}
              <Descriptions.Item label="议程" span={2}>
                <div className="xf-pre">{d.agenda || '—'}</div>
              </Descriptions.Item>
              <Descriptions.Item label="会议内容" span={2}>
                <div className="xf-pre">{d.content}</div>
              </Descriptions.Item>
              <Descriptions.Item label="决议" span={2}>
                {d.resolutions.length ? (
                  <ol className="xf-resolutions">
                    {d.resolutions.map((r, i) => {
                      const v = d.votes[i];
                      return (
                        <li key={i}>
                          {r}
                          {v && (
                            <Typography.Text type="secondary">
                              （应到会有表决权 {v.entitled} 人，实到 {v.present} 人；赞成 {v.for}，反对 {v.against}
                              ，弃权 {v.abstain}）
                            </Typography.Text>
                          )}
                        </li>
                      );
                    })}
                  </ol>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label="记录时间" span={2}>
                {dateTime(d.recordedAt)}
              </Descriptions.Item>
            </Descriptions>
          </>
        )}
        {people}
        {manager && started && m.status !== 'cancelled' && (
          <Button type="primary" onClick={() => setEditing(true)}>
            {d.recorded ? '修改会议记录' : '填写会议记录'}
          </Button>
        )}
      </>
    );

  return (
    <Form<Values> name="minutes" form={form} layout="vertical" onFinish={save} scrollToFirstError>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <div className="xf-form-grid">
        <Form.Item name="host" label="主持人" rules={[{ required: true, whitespace: true, message: '请填写主持人' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="recorder"
          label="记录人"
          rules={[{ required: true, whitespace: true, message: '请填写记录人' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        {lecture && (
          <>
            <Form.Item name="speaker" label="主讲人">
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="topic" label="党课题目">
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item className="xf-span-2" name="speakerIsSecretary" valuePropName="checked">
              <Checkbox>由党支部书记讲授（计入“书记每年讲党课”）</Checkbox>
            </Form.Item>
          </>
        )}
      </div>
      <Form.Item name="agenda" label="议程">
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
      </Form.Item>
      <Form.Item
        name="content"
        label="会议内容"
        extra="提纲只是提示：请在各项后写明会议的实际内容，只有提纲不能保存"
        rules={[
          { required: true, whitespace: true, message: '请填写会议内容' },
          {
            validator: (_, v: string | undefined) =>
              v && minutesProblem(v) ? Promise.reject(new Error(minutesProblem(v)!)) : Promise.resolve(),
          },
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 6, maxRows: 20 }} maxLength={50000} />
      </Form.Item>
      {d.voting && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`表决：${d.voting.voters}应到会 ${d.voting.entitled} 人，已签到 ${d.voting.present} 人（保存时按勾选的到会人员重新计算）`}
          description={`须有半数以上有表决权的人员到会方可表决，赞成超过应到会人数的半数为通过；每项决议请登记票数。依据：${d.voting.citation}`}
        />
      )}
      <Form.List name="resolutions">
        {(fields, { add, remove }) => (
          <Form.Item label="决议">
            {fields.map((f, i) => (
              <div key={f.key} className="xf-resolution-block">
                <div className="xf-resolution-row">
                  <Form.Item
                    name={[f.name, 'text']}
                    noStyle
                    rules={[{ required: true, whitespace: true, message: '请填写决议内容' }]}
                  >
                    <Input maxLength={1000} placeholder={`决议 ${i + 1}`} aria-label={`决议 ${i + 1}`} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label="删除此决议"
                    onClick={() => remove(f.name)}
                  />
                </div>
                {d.voting && (
                  <Space wrap className="xf-resolution-vote">
                    {(['for', 'against', 'abstain'] as const).map((k) => (
                      <Form.Item
                        key={k}
                        name={[f.name, k]}
                        noStyle
                        rules={k === 'for' ? [{ required: true, message: '请填写赞成票数' }] : []}
                      >
                        <InputNumber
                          min={0}
                          max={10000}
                          addonBefore={{ for: '赞成', against: '反对', abstain: '弃权' }[k]}
                          aria-label={`决议 ${i + 1} ${{ for: '赞成', against: '反对', abstain: '弃权' }[k]}票数`}
                          style={{ width: 140 }}
                        />
                      </Form.Item>
                    ))}
                  </Space>
                )}
              </div>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add(d.voting ? { text: '', against: 0, abstain: 0 } : { text: '' })}
            >
              添加决议
            </Button>
          </Form.Item>
        )}
      </Form.List>
      {people}
      {d.absentees.length > 0 && (
        <Form.Item
          label="未签到人员：到会的请勾选，缺席的填写原因"
          extra="可对照纸质签到表勾选实际到会的人员；请假的党员已带出请假事由"
        >
          <div className="xf-absentees">
            {d.absentees.map((a) => (
              <div key={a.memberId} className="xf-absentee" data-member={a.name}>
                <Form.Item name={['present', a.memberId]} valuePropName="checked" noStyle>
                  <Checkbox aria-label={`${a.name}到会`}>到会</Checkbox>
                </Form.Item>
                <span className="xf-absentee-name">{a.name}</span>
                <Form.Item noStyle dependencies={[['present', a.memberId]]}>
                  {({ getFieldValue }) =>
                    getFieldValue(['present', a.memberId]) ? (
                      <Typography.Text type="success">到会</Typography.Text>
                    ) : a.reason.startsWith('请假') ? (
                      <Typography.Text type="secondary">{a.reason}</Typography.Text>
                    ) : (
                      <Form.Item name={['absentReasons', a.memberId]} noStyle>
                        <Input
                          maxLength={200}
                          placeholder="缺席原因，如：值班、出差"
                          aria-label={`${a.name}缺席原因`}
                        />
                      </Form.Item>
                    )
                  }
                </Form.Item>
              </div>
            ))}
          </div>
        </Form.Item>
      )}
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy}>
          保存会议记录
        </Button>
        {d.recorded && <Button onClick={() => setEditing(false)}>取消</Button>}
      </Space>
    </Form>
  );
}
