/**
 * Surveys for managers: the list of a subtree, the builder (question types single / multiple /
 * rating / text, weights for 满意度 and 下考上 indicators, audience, anonymity, window, employees'
 * codes), publish and close, and the results with charts and the Excel export.
 */
import { DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  QUESTION_TYPE_LABELS,
  QUESTION_TYPES,
  SURVEY_KIND_LABELS,
  SURVEY_KINDS,
  type QuestionType,
  type Survey,
  type SurveyKind,
  type SurveyState,
  type SurveyResults,
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
  Select,
  Space,
  Spin,
  Statistic,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { BackTitle } from '../../platform/BackTitle';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { BranchBreakdown } from './BranchBreakdown';
import { firstWindow, RoundAudienceFields, RoundOrgField } from './RoundFields';
import { ResultBars } from './Chart';
import { fmtDay, KindTag, StateTag } from './labels';
import { useSubmit } from '../../platform/useSubmit';

/**
 * A vote's or a survey's 发布 (while a draft) and 结束 (while open or upcoming), for the record keepers: the
 * clicked button spins until the list is reloaded, so a double click cannot send twice.
 */
export function PublishClose({
  path,
  state,
  onDone,
}: {
  path: string;
  state: SurveyState;
  onDone: () => Promise<void>;
}) {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  const act = (what: 'publish' | 'close', done: string) =>
    run(
      async () => {
        await api.post(`${path}/${what}`, {});
        message.success(done);
        await onDone();
      },
      { key: what },
    );
  if (state === 'draft')
    return (
      <Button size="small" type="primary" loading={busyKey === 'publish'} onClick={() => act('publish', '已发布')}>
        发布
      </Button>
    );
  if (state === 'open' || state === 'upcoming')
    return (
      <Button size="small" loading={busyKey === 'close'} onClick={() => act('close', '已结束')}>
        结束
      </Button>
    );
  return null;
}

export function SurveysTab({ orgId }: { orgId: string | undefined }) {
  const navigate = useNavigate();
  const { can } = useAuth();
  const [kind, setKind] = useState<SurveyKind | undefined>();
  const { page, pageSize, pagination } = usePaging('份');
  const list = useAsync(
    () => api.get<Page<Survey>>('/voice/surveys', { orgId, kind, page, pageSize }),
    [orgId, kind, page, pageSize],
  );
  return (
    <>
      <div className="xf-toolbar">
        <Select
          aria-label="类型"
          allowClear
          placeholder="全部类型"
          style={{ width: 150 }}
          value={kind}
          onChange={setKind}
          options={SURVEY_KINDS.map((k) => ({ value: k, label: SURVEY_KIND_LABELS[k] }))}
        />
        {can(...RECORD_KEEPERS) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/voice/surveys/new')}>
            新建问卷 / 测评
          </Button>
        )}
      </div>
      <PagedTable<Survey>
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 900 }}
        locale={{ emptyText: '还没有问卷' }}
        columns={[
          {
            title: '标题',
            dataIndex: 'title',
            render: (t: string, s) => (
              <>
                <KindTag k={s.kind} /> {t}
              </>
            ),
          },
          { title: '党组织', dataIndex: 'orgName', width: 170 },
          { title: '状态', dataIndex: 'state', width: 90, render: (_: unknown, s) => <StateTag s={s.state} /> },
          { title: '时间', width: 200, render: (_: unknown, s) => `${fmtDay(s.opensAt)} — ${fmtDay(s.closesAt)}` },
          { title: '答卷', dataIndex: 'responses', width: 70 },
          {
            title: '操作',
            width: 220,
            render: (_: unknown, s) => (
              <Space size={4} wrap>
                {s.state === 'draft' && can(...RECORD_KEEPERS) && (
                  <Button size="small" onClick={() => navigate(`/voice/surveys/${s.id}/edit`)}>
                    编辑
                  </Button>
                )}
                {can(...RECORD_KEEPERS) && (
                  <PublishClose path={`/voice-surveys/${s.id}`} state={s.state} onDone={list.reload} />
                )}
                {s.state !== 'draft' && (
                  <Button size="small" onClick={() => navigate(`/voice/surveys/${s.id}/results`)}>
                    结果
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

type QForm = {
  id: string;
  type: QuestionType;
  title: string;
  required: boolean;
  options?: string;
  maxChoices?: number;
  scale?: 5 | 10;
  weight?: number;
};
type SForm = {
  orgId: string;
  kind: SurveyKind;
  title: string;
  description: string;
  anonymous: boolean;
  audienceRoles: string[];
  allowCodes: boolean;
  window: [Dayjs, Dayjs];
  questions: QForm[];
};

const TEMPLATES: Record<SurveyKind, QForm[]> = {
  survey: [{ id: 'q1', type: 'single', title: '', required: true, options: '选项一\n选项二' }],
  satisfaction: [
    { id: 'q1', type: 'rating', title: '组织生活质量', required: true, scale: 5, weight: 30 },
    { id: 'q2', type: 'rating', title: '联系服务党员群众', required: true, scale: 5, weight: 30 },
    { id: 'q3', type: 'rating', title: '党建与业务融合', required: true, scale: 5, weight: 40 },
    { id: 'q4', type: 'text', title: '意见和建议', required: false },
  ],
  rating_up: [
    { id: 'r1', type: 'rating', title: '班子团结、作风建设', required: true, scale: 5, weight: 25 },
    { id: 'r2', type: 'rating', title: '关心群众、解决实际困难', required: true, scale: 5, weight: 25 },
    { id: 'r3', type: 'rating', title: '党务公开、廉洁从业', required: true, scale: 5, weight: 25 },
    { id: 'r4', type: 'rating', title: '推动改革发展', required: true, scale: 5, weight: 25 },
    { id: 'r5', type: 'text', title: '意见建议', required: false },
  ],
};

export function SurveyEditorPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { current } = useAuth();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SForm>();
  const [error, setError] = useState<string | null>(null);
  const existing = useAsync(() => (id ? api.get<Survey>(`/voice-surveys/${id}`) : Promise.resolve(null)), [id]);
  const kind = Form.useWatch('kind', form);
  if (existing.error) return <LoadError error={existing.error} onRetry={existing.reload} />;
  if (id && !existing.data) return <Spin className="xf-center-small" />;
  const s = existing.data;
  const initial: Partial<SForm> = s
    ? {
        orgId: s.orgId,
        kind: s.kind,
        title: s.title,
        description: s.description,
        anonymous: s.anonymous,
        audienceRoles: s.audienceRoles,
        allowCodes: s.allowCodes,
        window: [dayjs(s.opensAt), dayjs(s.closesAt)],
        questions: s.questions.map((q) => ({ ...q, options: q.options?.join('\n') })) as QForm[],
      }
    : {
        orgId: current?.orgId,
        kind: 'satisfaction',
        anonymous: true,
        audienceRoles: ['member'],
        allowCodes: false,
        window: firstWindow(),
        questions: TEMPLATES.satisfaction,
      };
  return (
    <Card
      className="xf-voice-page"
      title={<BackTitle to="/voice/manage?tab=surveys">{s ? '编辑问卷' : '新建问卷 / 测评'}</BackTitle>}
    >
      <Form<SForm>
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={(changed) => {
          if (!s && changed.kind) form.setFieldValue('questions', TEMPLATES[changed.kind as SurveyKind]);
        }}
        onFinish={async (v) => {
          setError(null);
          const body = {
            kind: v.kind,
            title: v.title,
            description: v.description ?? '',
            anonymous: v.anonymous,
            audienceRoles: v.audienceRoles,
            allowCodes: v.allowCodes,
            opensAt: v.window[0].toISOString(),
            closesAt: v.window[1].toISOString(),
            questions: v.questions.map((q, i) => ({
              id: q.id || `q${i + 1}`,
              type: q.type,
              title: q.title,
              required: q.required,
              ...(q.type === 'single' || q.type === 'multiple'
                ? {
                    options: (q.options ?? '')
                      .split('\n')
                      .map((x) => x.trim())
                      .filter(Boolean),
                  }
                : {}),
              ...(q.type === 'multiple' && q.maxChoices ? { maxChoices: q.maxChoices } : {}),
              ...(q.type === 'rating'
                ? { scale: q.scale ?? 5, ...(q.weight !== undefined && q.weight !== null ? { weight: q.weight } : {}) }
                : {}),
            })),
          };
          try {
            if (s) await api.put(`/voice-surveys/${s.id}`, body);
            else await api.post('/voice/surveys', { ...body, orgId: v.orgId });
            message.success('已保存为草稿，发布后参与人即可填写');
            navigate('/voice/manage?tab=surveys');
          } catch (e) {
            setError(errorText(e));
          }
        }}
      >
        {!s && <RoundOrgField round="survey" />}
        <Form.Item name="kind" label="类型">
          <Select
            disabled={Boolean(s)}
            options={SURVEY_KINDS.map((k) => ({ value: k, label: SURVEY_KIND_LABELS[k] }))}
          />
        </Form.Item>
        {kind === 'rating_up' && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message="下考上：由所选党组织下级的党员和职工群众评议该党组织，评分指标按权重折算为百分制，结果供年度考核使用。"
          />
        )}
        <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item
            name="anonymous"
            label="匿名"
            valuePropName="checked"
            extra="匿名：答卷不含姓名和时间，结束后才公布结果"
          >
            <Switch />
          </Form.Item>
          <Form.Item name="allowCodes" label="职工参与码" valuePropName="checked" extra="允许非党员职工凭参与码填写">
            <Switch />
          </Form.Item>
        </Space>
        <RoundAudienceFields round="survey" />
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  className="xf-voice-qcard"
                  title={`第 ${i + 1} 题`}
                  extra={
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label="删除本题"
                      onClick={() => remove(f.name)}
                    />
                  }
                >
                  <Space wrap align="start">
                    <Form.Item name={[f.name, 'type']} label="题型">
                      <Select
                        style={{ width: 100 }}
                        options={QUESTION_TYPES.map((t) => ({ value: t, label: QUESTION_TYPE_LABELS[t] }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} label="必答" valuePropName="checked" initialValue>
                      <Switch size="small" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'id']} label="编号" initialValue={`q${i + 1}`}>
                      <Input style={{ width: 80 }} />
                    </Form.Item>
                  </Space>
                  <Form.Item name={[f.name, 'title']} label="题目" rules={[{ required: true, message: '请填写题目' }]}>
                    <Input maxLength={200} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const t = form.getFieldValue(['questions', f.name, 'type']) as QuestionType;
                      if (t === 'single' || t === 'multiple')
                        return (
                          <Space wrap align="start">
                            <Form.Item
                              name={[f.name, 'options']}
                              label="选项（每行一个）"
                              rules={[{ required: true, message: '请填写选项' }]}
                            >
                              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} style={{ width: 280 }} />
                            </Form.Item>
                            {t === 'multiple' && (
                              <Form.Item name={[f.name, 'maxChoices']} label="最多选几项">
                                <InputNumber min={1} max={20} />
                              </Form.Item>
                            )}
                          </Space>
                        );
                      if (t === 'rating')
                        return (
                          <Space wrap>
                            <Form.Item name={[f.name, 'scale']} label="分值" initialValue={5}>
                              <Select
                                style={{ width: 100 }}
                                options={[
                                  { value: 5, label: '1–5 分' },
                                  { value: 10, label: '1–10 分' },
                                ]}
                              />
                            </Form.Item>
                            <Form.Item name={[f.name, 'weight']} label="权重">
                              <InputNumber min={0} max={100} />
                            </Form.Item>
                          </Space>
                        );
                      return null;
                    }}
                  </Form.Item>
                </Card>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() =>
                  add({ type: 'single', required: true, id: `q${fields.length + 1}`, options: '选项一\n选项二' })
                }
              >
                添加题目
              </Button>
            </>
          )}
        </Form.List>
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
        <div style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit">
            保存草稿
          </Button>
        </div>
      </Form>
    </Card>
  );
}

export function SurveyResultsPage() {
  const { id } = useParams();
  const { busy, run } = useSubmit('toast');
  const res = useAsync(() => api.get<SurveyResults>(`/voice-surveys/${id}/results`), [id]);
  const r = res.data;
  return (
    <Card
      className="xf-voice-page"
      title={<BackTitle to="/voice/manage?tab=surveys">{r?.title ?? '问卷结果'}</BackTitle>}
      extra={
        r && (
          <Button
            icon={<DownloadOutlined />}
            loading={busy}
            onClick={() => run(() => api.download(`/voice-surveys/${id}/export`))}
          >
            导出 Excel
          </Button>
        )
      }
    >
      <LoadError error={res.error} onRetry={res.reload} />
      {!r && !res.error && <Spin className="xf-center-small" />}
      {r && (
        <>
          <div className="xf-stat-grid">
            <Statistic title="答卷" value={r.responses} suffix="份" />
            {r.score !== null && (
              <Statistic title={r.kind === 'rating_up' ? '下考上得分' : '满意度得分'} value={r.score} suffix="分" />
            )}
          </div>
          {r.note && <Alert type="info" showIcon message={r.note} style={{ margin: '12px 0' }} />}
          {r.responses === 0 && <Empty description="还没有答卷" />}
          {r.questions.map((q, i) => (
            <Card
              key={q.id}
              size="small"
              className="xf-voice-qcard"
              title={`${i + 1}. ${q.title}`}
              extra={`${q.answered} 人作答`}
            >
              {q.options && (
                <ResultBars
                  labels={q.options.map((o) => o.label)}
                  values={q.options.map((o) => o.count)}
                  unit="人"
                  label={`第 ${i + 1} 题结果`}
                />
              )}
              {q.distribution && (
                <>
                  <Typography.Paragraph>
                    平均 {q.average ?? '—'} 分{q.weight !== undefined ? ` · 权重 ${q.weight}` : ''}
                  </Typography.Paragraph>
                  <ResultBars
                    labels={q.distribution.map((_, k) => `${k + 1} 分`)}
                    values={q.distribution}
                    unit="人"
                    label={`第 ${i + 1} 题评分分布`}
                  />
                </>
              )}
              {q.texts &&
                (q.textsWithheld ? (
                  <Typography.Text type="secondary">文字回答少于 3 份，为保护匿名暂不显示</Typography.Text>
                ) : (
                  <ul className="xf-voice-texts">
                    {q.texts.map((t, k) => (
                      <li key={k}>{t}</li>
                    ))}
                  </ul>
                ))}
            </Card>
          ))}
          {r.respondents && (
            <Typography.Paragraph type="secondary">填写人：{r.respondents.join('、')}</Typography.Paragraph>
          )}
          {r.responses > 0 && <BranchBreakdown surveyId={r.surveyId} />}
        </>
      )}
    </Card>
  );
}
