/**
 * One person in development: who they are, the 5 stages (Steps) and the 25-step timeline with
 * dates, responsible bodies, notes and scans, the form of the next step, the half-yearly
 * assessments of an activist, and the generated paperwork.
 */
import {
  ArrowLeftOutlined,
  DownloadOutlined,
  ClockCircleOutlined,
  PaperClipOutlined,
  StopOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  DEVELOP_STAGES,
  DEVELOP_STEPS,
  DEVELOP_RULES,
  GENDER_LABELS,
  PROBATION_DECISION_LABELS,
  RECORD_KEEPERS,
  stepOf,
  todayInChina,
  type DevelopFile,
  type DevelopPersonDetail,
  type ProbationDecisionKind,
  type StepRecord,
  type VoteInput,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Form,
  Input,
  InputNumber,
  List,
  Steps,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { NotFound } from '../../platform/pages';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { DOCUMENT_MENU, DueTag, StatusTag } from './labels';
import { StepForm, VoteFields, voteOf } from './StepForm';
import { PersonThoughtReports } from '../thought/PersonReports';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';
import { FormDialog } from '../../platform/FormDialog';

function detailText(p: DevelopPersonDetail, r: StepRecord): string[] {
  const d = r.details as {
    vote?: VoteInput;
    trainingDays?: number;
    trainingHours?: number;
    reviewConclusion?: string;
    noticeFrom?: string;
    special?: boolean;
    specialReason?: string;
    groupName?: string;
    leavingOn?: string;
  };
  const out: string[] = [];
  if (r.step === 5 && p.contacts.length) out.push(`培养联系人：${p.contacts.map((c) => c.name).join('、')}`);
  if (r.step === 9 && p.sponsors.length) out.push(`入党介绍人：${p.sponsors.map((c) => c.name).join('、')}`);
  if (d.reviewConclusion) out.push(`政审结论：${d.reviewConclusion}`);
  if (d.trainingDays || d.trainingHours) out.push(`集中培训 ${d.trainingDays ?? 0} 天 / ${d.trainingHours ?? 0} 学时`);
  const notice = p.notices.find((x) => x.step === r.step);
  if (notice) out.push(`公示：${notice.from} 至 ${notice.to}${notice.warning ? `（${notice.warning}）` : ''}`);
  if (d.vote)
    out.push(
      `表决：应到 ${d.vote.entitled}，实到 ${d.vote.present}，书面 ${d.vote.written}；赞成 ${d.vote.for}，反对 ${d.vote.against}，弃权 ${d.vote.abstain}`,
    );
  if (d.leavingOn) out.push(`预计离开本单位：${d.leavingOn}`);
  if (d.special) out.push(`特殊情况：${d.specialReason ?? ''}`);
  if (d.groupName) out.push(`编入：${d.groupName}`);
  return out;
}

export function PersonPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  /** Downloads and uploads: the clicked document, file or step spins while it runs. */
  const { busyKey, run } = useSubmit('toast');
  const manager = can(...RECORD_KEEPERS);
  const [closing, setClosing] = useState(false);
  const [deciding, setDeciding] = useState<ProbationDecisionKind | null>(null);
  const detail = useAsync(() => api.record<DevelopPersonDetail>(`/develop/persons/${id}`), [id]);
  const p = detail.data;

  if (detail.error) return <LoadError error={detail.error} onRetry={detail.reload} />;
  if (p === null)
    return (
      <NotFound
        title="未找到该发展对象"
        subTitle="该记录不存在，或不在您所在组织的范围内。"
        back={{ to: '/develop', label: '返回发展党员' }}
      />
    );
  if (!p) return <Card loading />;

  const next = p.nextStep ? stepOf(p.nextStep)! : null;
  const currentStage = next ? next.stage - 1 : 5;
  const filesOf = (n: number) => p.files.filter((f) => f.step === n);
  const upload = (step: number) => (
    <Upload
      showUploadList={false}
      accept="image/*,.pdf,.docx,.xlsx"
      customRequest={uploadRequest(
        run,
        async (fd) => {
          const f = await api.post<DevelopFile>(`/develop/persons/${p.id}/files?step=${step}`, fd);
          message.success(`已上传 ${f.fileName}`);
          void detail.reload();
        },
        { key: `step-${step}` },
      )}
    >
      <Button size="small" type="link" icon={<UploadOutlined />} loading={busyKey === `step-${step}`}>
        上传材料
      </Button>
    </Upload>
  );

  return (
    <div className="xf-dev-person">
      <div className="xf-toolbar">
        <Link to="/develop">
          <Button icon={<ArrowLeftOutlined />}>发展党员</Button>
        </Link>
        <Dropdown
          menu={{
            items: DOCUMENT_MENU.map((d) => ({
              key: d.key,
              label: d.label,
              onClick: () =>
                void run(() => api.download(`/develop/persons/${p.id}/document`, { kind: d.key }), { key: 'document' }),
            })),
          }}
        >
          <Button icon={<DownloadOutlined />} loading={busyKey === 'document'}>
            生成文书
          </Button>
        </Dropdown>
        {manager && !p.closedAt && p.lastStep < 17 && (
          <Button danger icon={<StopOutlined />} onClick={() => setClosing(true)}>
            终止发展
          </Button>
        )}
        {manager && !p.closedAt && p.lastStep >= 17 && p.lastStep < 23 && (
          <>
            {!p.probationDecisions.some((d) => d.kind === 'extend') && (
              <Button icon={<ClockCircleOutlined />} onClick={() => setDeciding('extend')}>
                延长预备期
              </Button>
            )}
            <Button danger icon={<StopOutlined />} onClick={() => setDeciding('cancel')}>
              取消预备党员资格
            </Button>
          </>
        )}
      </div>
      {deciding && (
        <ProbationModal
          person={p}
          kind={deciding}
          onClose={() => setDeciding(null)}
          onDone={(np) => {
            setDeciding(null);
            detail.setData(np);
          }}
        />
      )}
      {p.closedAt && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`已于 ${p.closedAt} 终止发展：${p.closedReason ?? ''}`}
          description="记录保留，不能继续办理。"
        />
      )}
      {closing && (
        <CloseModal
          person={p}
          onClose={() => setClosing(false)}
          onClosed={(np) => {
            setClosing(false);
            detail.setData(np);
          }}
        />
      )}
      <Card
        title={
          <span>
            {p.name} <StatusTag status={p.status} />
          </span>
        }
        extra={<Typography.Text type="secondary">进度 {p.lastStep}/25</Typography.Text>}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label="所在党支部">{p.orgName}</Descriptions.Item>
          <Descriptions.Item label="性别">{GENDER_LABELS[p.gender]}</Descriptions.Item>
          <Descriptions.Item label="出生日期">
            {p.birthDate}（{p.age} 岁）
          </Descriptions.Item>
          <Descriptions.Item label="民族">{p.ethnicity}</Descriptions.Item>
          <Descriptions.Item label="学历">{p.education ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="工作岗位">{p.jobTitle ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="身份证号">{p.idCardNo}</Descriptions.Item>
          <Descriptions.Item label="手机号">{p.phone}</Descriptions.Item>
          <Descriptions.Item label="申请入党">{p.appliedAt}</Descriptions.Item>
          {p.probationEndsOn && (
            <Descriptions.Item label="预备期至">
              {p.probationEndsOn}
              {p.probationDecisions.some((d) => d.kind === 'extend') && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  已延长
                </Tag>
              )}
            </Descriptions.Item>
          )}
          {p.memberId && (
            <Descriptions.Item label="党员档案">
              <Link to={`/members/${p.memberId}`}>查看党员信息</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        {p.probationDecisions.map((d) => (
          <Alert
            key={d.kind}
            type={d.kind === 'cancel' ? 'error' : 'warning'}
            showIcon
            style={{ marginTop: 12 }}
            message={`${PROBATION_DECISION_LABELS[d.kind]}${d.months ? ` ${d.months} 个月` : ''}：支部大会 ${d.meetingOn} 通过，上级党委 ${d.approvedOn} 批准`}
            description={`表决：应到 ${d.vote.entitled}，实到 ${d.vote.present}，赞成 ${d.vote.for}，反对 ${d.vote.against}，弃权 ${d.vote.abstain}。理由：${d.reason}`}
          />
        ))}
        {p.nextDue && (
          <Alert
            type={p.nextDue.overdue ? 'error' : 'warning'}
            showIcon
            style={{ marginTop: 12 }}
            message={
              <span>
                {p.nextDue.what}：{p.nextDue.dueOn} <DueTag d={p.nextDue} />
              </span>
            }
            description={`依据：${p.nextDue.citation}`}
          />
        )}
      </Card>

      <Card className="xf-dev-stages">
        <Steps
          size="small"
          current={currentStage}
          status={p.status === 'full' && !next ? 'finish' : 'process'}
          items={DEVELOP_STAGES.map((s) => {
            const steps = DEVELOP_STEPS.filter((x) => x.stage === s.no);
            const done = steps.filter((x) => x.no <= p.lastStep).length;
            return { title: s.short, description: `${done}/${steps.length} 步` };
          })}
        />
      </Card>

      {manager && next && (
        <Card title={`下一步：第 ${next.no} 步 ${next.name}`} className="xf-dev-next">
          {p.lastStep >= 3 && p.lastStep < 7 && <AssessmentBox person={p} onSaved={() => void detail.reload()} />}
          <StepForm key={next.no} person={p} def={next} onDone={(np) => detail.setData(np)} />
        </Card>
      )}

      <Card title="发展全过程（25 个步骤）" className="xf-dev-timeline">
        {DEVELOP_STAGES.map((stage) => (
          <div key={stage.no}>
            <Typography.Title level={5} className="xf-dev-stage-title">
              第{'一二三四五'[stage.no - 1]}阶段 · {stage.label}
            </Typography.Title>
            <Timeline
              items={DEVELOP_STEPS.filter((s) => s.stage === stage.no).map((s) => {
                const r = p.steps.find((x) => x.step === s.no);
                const files = filesOf(s.no);
                return {
                  color: r ? (r.override ? 'orange' : 'green') : s.no === p.nextStep ? 'blue' : 'gray',
                  children: (
                    <div className={`xf-dev-step${r ? '' : ' xf-dev-step-pending'}`} data-step={s.no}>
                      <div className="xf-dev-step-head">
                        <strong>
                          {s.no}. {s.name}
                        </strong>
                        {r ? (
                          <Tag color="success">{r.date}</Tag>
                        ) : s.no === p.nextStep ? (
                          <Tag color="processing">待办理</Tag>
                        ) : (
                          <Tag>未开始</Tag>
                        )}
                        {r?.override && <Tag color="warning">越权通过</Tag>}
                      </div>
                      {r && (
                        <div className="xf-dev-muted">
                          {r.responsible}
                          {r.notes ? `：${r.notes}` : ''}
                        </div>
                      )}
                      {r && detailText(p, r).map((line) => <div key={line}>{line}</div>)}
                      {r?.override && (
                        <div className="xf-dev-override">
                          越权通过（{r.override.by}）：{r.override.reason}；原因：
                          {r.override.violations.map((v) => v.message).join('；')}
                        </div>
                      )}
                      {s.no === 6 && p.assessments.length > 0 && (
                        <div className="xf-dev-muted">半年考察：{p.assessments.map((a) => a.on).join('、')}</div>
                      )}
                      {files.map((f) => (
                        <div key={f.id}>
                          <Button
                            type="link"
                            size="small"
                            icon={<PaperClipOutlined />}
                            loading={busyKey === f.id}
                            onClick={() =>
                              run(() => api.download(`/develop/persons/${p.id}/files/${f.id}`), { key: f.id })
                            }
                          >
                            {f.fileName}
                          </Button>
                        </div>
                      ))}
                      {manager && s.no <= Math.min(25, p.lastStep + 1) && upload(s.no)}
                    </div>
                  ),
                };
              })}
            />
          </div>
        ))}
      </Card>

      {/* 考察: the person's thought reports (the thought module's), for those who keep the record. */}
      {manager && <PersonThoughtReports personId={p.id} />}
    </div>
  );
}

function AssessmentBox({ person, onSaved }: { person: DevelopPersonDetail; onSaved(): void }) {
  const { busy, error, run } = useSubmit();
  const [form] = Form.useForm<{ on: string; assessor: string; summary: string }>();
  return (
    <div className="xf-dev-assess">
      <Typography.Title level={5}>半年考察记录</Typography.Title>
      <Typography.Paragraph type="secondary">
        党支部每半年对入党积极分子进行一次考察（《中国共产党发展党员工作细则》第十一条）；办理第 6
        步前至少登记两次，列为发展对象之前仍每半年考察一次。
      </Typography.Paragraph>
      <List
        size="small"
        dataSource={person.assessments}
        locale={{ emptyText: '尚无考察记录' }}
        renderItem={(a) => (
          <List.Item>
            <span>
              <Tag>{a.on}</Tag>
              {a.assessor}：{a.summary}
            </span>
          </List.Item>
        )}
      />
      {error && <Alert type="error" showIcon message={error} style={{ margin: '8px 0' }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ on: todayInChina(), assessor: '党支部组织委员' }}
        onFinish={async (v) => {
          await run(async () => {
            await api.post(`/develop/persons/${person.id}/assessments`, v);
            form.resetFields(['summary']);
            onSaved();
          });
        }}
      >
        <div className="xf-dev-grid">
          <Form.Item name="on" label="考察日期" rules={[{ required: true, message: '请填写日期' }]}>
            <Input type="date" max={todayInChina()} />
          </Form.Item>
          <Form.Item name="assessor" label="考察人" rules={[{ required: true, message: '请填写考察人' }]}>
            <Input maxLength={100} />
          </Form.Item>
        </div>
        <Form.Item name="summary" label="考察意见" rules={[{ required: true, message: '请填写考察意见' }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          登记考察
        </Button>
      </Form>
    </div>
  );
}

function CloseModal({
  person,
  onClose,
  onClosed,
}: {
  person: DevelopPersonDetail;
  onClose(): void;
  onClosed(p: DevelopPersonDetail): void;
}) {
  return (
    <FormDialog<{ date: string; reason: string }>
      open
      title={`终止发展：${person.name}`}
      okText="终止发展"
      danger
      onClose={onClose}
      intro={
        <Typography.Paragraph type="secondary">
          如本人撤回申请、调离或经考察不具备条件。记录保留，不再计入看板和待办。
        </Typography.Paragraph>
      }
      initialValues={{ date: todayInChina() }}
      onSubmit={async (v) => onClosed(await api.post<DevelopPersonDetail>(`/develop/persons/${person.id}/close`, v))}
    >
      <Form.Item name="date" label="终止日期" rules={[{ required: true, message: '请填写日期' }]}>
        <Input type="date" max={todayInChina()} />
      </Form.Item>
      <Form.Item name="reason" label="终止原因" rules={[{ required: true, min: 2, message: '请填写终止原因' }]}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    </FormDialog>
  );
}

type DecisionValues = {
  meetingOn: string;
  approvedOn: string;
  months?: number;
  reason: string;
  entitled?: number;
  present?: number;
  written?: number;
  for?: number;
  against?: number;
  abstain?: number;
};

/** 延长预备期 / 取消预备党员资格: the 支部大会's resolution and vote, the approval from above, and the reason. */
function ProbationModal({
  person,
  kind,
  onClose,
  onDone,
}: {
  person: DevelopPersonDetail;
  kind: ProbationDecisionKind;
  onClose(): void;
  onDone(p: DevelopPersonDetail): void;
}) {
  const [form] = Form.useForm<DecisionValues>();
  const values = Form.useWatch([], form);
  const label = PROBATION_DECISION_LABELS[kind];
  return (
    <FormDialog<DecisionValues>
      open
      title={`${label}：${person.name}`}
      okText={label}
      danger={kind === 'cancel'}
      onClose={onClose}
      width={640}
      form={form}
      intro={
        <Typography.Paragraph type="secondary">
          {kind === 'extend'
            ? `预备期满（${person.probationEndsOn}）后，需要继续考察和教育的，经支部大会讨论通过和上级党委批准，可以延长一次预备期，不少于半年、最长不超过一年。转正讨论随之推后，党龄从延长的预备期满之日算起。`
            : '不履行党员义务、不具备党员条件的，经支部大会讨论通过和上级党委批准，取消其预备党员资格。发展记录和党员档案保留，党员档案登记为出党（取消预备党员资格）。'}
        </Typography.Paragraph>
      }
      initialValues={{ months: DEVELOP_RULES.extensionMinMonths, written: 0, against: 0, abstain: 0 }}
      onSubmit={async (v) => {
        const body = {
          kind,
          ...(kind === 'extend' ? { months: v.months } : {}),
          meetingOn: v.meetingOn,
          approvedOn: v.approvedOn,
          reason: v.reason,
          vote: voteOf(v),
        };
        onDone(await api.post<DevelopPersonDetail>(`/develop/persons/${person.id}/probation`, body));
      }}
    >
      <div className="xf-dev-grid">
        <Form.Item name="meetingOn" label="支部大会日期" rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" max={todayInChina()} />
        </Form.Item>
        <Form.Item name="approvedOn" label="上级党委批准日期" rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" max={todayInChina()} />
        </Form.Item>
        {kind === 'extend' && (
          <Form.Item name="months" label="延长月数（6–12）" rules={[{ required: true, message: '请填写月数' }]}>
            <InputNumber
              min={DEVELOP_RULES.extensionMinMonths}
              max={DEVELOP_RULES.extensionMaxMonths}
              style={{ width: '100%' }}
            />
          </Form.Item>
        )}
      </div>
      <VoteFields values={values} />
      <Form.Item name="reason" label="理由" rules={[{ required: true, min: 2, message: '请填写理由' }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormDialog>
  );
}
