/**
 * The form of the next step: the rule and its citation above, the step's own fields, and the
 * server's answer below. A time rule that blocks can be overridden only by an org admin, with a
 * written reason that goes into the audit log.
 */
import {
  checkVote,
  ORG_ADMINS,
  todayInChina,
  type DevelopPersonDetail,
  type DevelopStep,
  type Member,
  type StepDetails,
  type VoteInput,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ApiError, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { useSubmit } from '../../platform/useSubmit';

type Values = {
  date: string;
  responsible: string;
  notes?: string;
  contactIds?: string[];
  sponsorIds?: string[];
  reviewConclusion?: '合格' | '不合格';
  trainingDays?: number;
  trainingHours?: number;
  noticeFrom?: string;
  entitled?: number;
  present?: number;
  written?: number;
  for?: number;
  against?: number;
  abstain?: number;
  special?: boolean;
  specialReason?: string;
  groupName?: string;
  leavingOn?: string;
};

function detailsOf(def: DevelopStep, v: Values): StepDetails {
  const d: StepDetails = {};
  if (def.fields.includes('contacts')) d.contactIds = v.contactIds ?? [];
  if (def.fields.includes('sponsors')) d.sponsorIds = v.sponsorIds ?? [];
  if (def.fields.includes('review') && v.reviewConclusion) d.reviewConclusion = v.reviewConclusion;
  if (def.fields.includes('training')) {
    d.trainingDays = v.trainingDays ?? 0;
    d.trainingHours = v.trainingHours ?? 0;
  }
  if (def.fields.includes('notice') && v.noticeFrom) d.noticeFrom = v.noticeFrom;
  if (def.fields.includes('vote')) d.vote = voteOf(v);
  if (def.fields.includes('leaving') && v.leavingOn) d.leavingOn = v.leavingOn;
  if (def.fields.includes('approval') && v.special) {
    d.special = true;
    d.specialReason = v.specialReason ?? '';
  }
  if (def.fields.includes('group') && v.groupName) d.groupName = v.groupName;
  return d;
}

/** The vote as entered; blank fields count as 0. */
export const voteOf = (v: Partial<VoteInput>): VoteInput => ({
  entitled: v.entitled ?? 0,
  present: v.present ?? 0,
  written: v.written ?? 0,
  for: v.for ?? 0,
  against: v.against ?? 0,
  abstain: v.abstain ?? 0,
});

/** The vote's counts in the order a 支部大会's minutes give them; the three a vote cannot be judged without are required. */
const VOTE_FIELDS: { name: keyof VoteInput; label: string; required: boolean }[] = [
  { name: 'entitled', label: '应到会有表决权人数', required: true },
  { name: 'present', label: '实到会人数', required: true },
  { name: 'written', label: '书面意见人数', required: false },
  { name: 'for', label: '赞成', required: true },
  { name: 'against', label: '反对', required: false },
  { name: 'abstain', label: '弃权', required: false },
];

/**
 * The vote of a 支部大会 (应到、实到、书面意见、赞成、反对、弃权) with the live quorum and majority check; the
 * form's field names are the vote's keys. Used by the admission and conversion steps and the probation decisions.
 */
export function VoteFields({ values }: { values: Partial<VoteInput> | undefined }) {
  return (
    <>
      <div className="xf-dev-grid xf-dev-vote">
        {VOTE_FIELDS.map(({ name, label, required }) => (
          <Form.Item
            key={name}
            name={name}
            label={label}
            rules={required ? [{ required, message: '必填' }] : undefined}
          >
            <InputNumber min={name === 'entitled' ? 1 : 0} max={10000} style={{ width: '100%' }} />
          </Form.Item>
        ))}
      </div>
      {values && (
        <div style={{ marginBottom: 12 }}>
          <VoteResult vote={voteOf(values)} />
        </div>
      )}
    </>
  );
}

function VoteResult({ vote }: { vote: VoteInput }) {
  if (!vote.entitled) return null;
  const problems = checkVote(vote);
  return problems.length ? (
    <Alert type="warning" showIcon message={problems[0]!.message} />
  ) : (
    <Alert
      type="success"
      showIcon
      message={`表决通过：赞成 ${vote.for} 票，超过应到会有表决权正式党员 ${vote.entitled} 人的半数`}
    />
  );
}

/**
 * Up to two of the branch's full members (培养联系人, 入党介绍人), found by name; a form field, so `value` and
 * `onChange` come from its Form.Item.
 */
function TwoMembers({
  members,
  placeholder,
  ...field
}: {
  members: { data?: Page<Member>; loading: boolean };
  placeholder: string;
  value?: string[];
  onChange?: (ids: string[]) => void;
  id?: string;
}) {
  return (
    <Select
      {...field}
      mode="multiple"
      maxCount={2}
      options={(members.data?.items ?? []).map((m) => ({
        value: m.id,
        label: `${m.name}（${m.jobTitle ?? m.orgName}）`,
      }))}
      loading={members.loading}
      optionFilterProp="label"
      placeholder={placeholder}
    />
  );
}

export function StepForm({
  person,
  def,
  onDone,
}: {
  person: DevelopPersonDetail;
  def: DevelopStep;
  onDone(p: DevelopPersonDetail): void;
}) {
  const [form] = Form.useForm<Values>();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [error, setError] = useState<ApiError | string | null>(null);
  const [reason, setReason] = useState('');
  const { busy, run } = useSubmit();
  const needsMembers = def.fields.includes('contacts') || def.fields.includes('sponsors');
  const members = useAsync(
    () =>
      needsMembers
        ? api.get<Page<Member>>('/members', { orgId: person.orgId, status: 'full', pageSize: 200 })
        : Promise.resolve(undefined),
    [needsMembers, person.orgId],
  );
  const values = Form.useWatch([], form) as Values | undefined;

  const submit = async (override?: { reason: string }) => {
    const v = await form.validateFields();
    setError(null);
    await run(
      async () => {
        const p = await api.post<DevelopPersonDetail>(`/develop/persons/${person.id}/steps`, {
          step: def.no,
          date: v.date,
          responsible: v.responsible,
          notes: v.notes ?? '',
          details: detailsOf(def, v),
          ...(override ? { override } : {}),
        });
        message.success(`已办理第 ${def.no} 步「${def.name}」`);
        onDone(p);
      },
      { onError: (e) => setError(e instanceof ApiError ? e : errorText(e)) },
    );
  };

  const overridable = error instanceof ApiError && error.code === 'DEVELOP_RULE_OVERRIDABLE';
  const today = todayInChina();

  return (
    <div className="xf-dev-stepform">
      <Alert
        type="info"
        showIcon
        message={<span className="xf-dev-rule">{def.rule}</span>}
        description={
          <span>
            依据：{def.citation}
            {def.documents.length > 0 && (
              <>
                <br />
                所需材料：{def.documents.join('、')}
              </>
            )}
          </span>
        }
        style={{ marginBottom: 12 }}
      />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          responsible: def.responsible,
          date: today,
          noticeFrom: today,
          written: 0,
          against: 0,
          abstain: 0,
        }}
        onFinish={() => submit()}
      >
        <div className="xf-dev-grid">
          <Form.Item name="date" label="日期" rules={[{ required: true, message: '请填写日期' }]}>
            <Input type="date" max={today} />
          </Form.Item>
          <Form.Item
            name="responsible"
            label="责任人/责任组织"
            rules={[{ required: true, message: '请填写责任人或责任组织' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
        </div>
        {def.fields.includes('contacts') && (
          <Form.Item
            name="contactIds"
            label="培养联系人"
            rules={[{ required: true, message: '请指定一至两名正式党员' }]}
            extra="一至两名正式党员"
          >
            <TwoMembers members={members} placeholder="选择本支部正式党员" />
          </Form.Item>
        )}
        {def.fields.includes('sponsors') && (
          <Form.Item
            name="sponsorIds"
            label="入党介绍人"
            rules={[{ required: true, message: '请选择两名正式党员' }]}
            extra="两名正式党员（预备党员不能作入党介绍人）"
          >
            <TwoMembers members={members} placeholder="选择两名正式党员" />
          </Form.Item>
        )}
        {def.fields.includes('review') && (
          <Form.Item name="reviewConclusion" label="政审结论" rules={[{ required: true, message: '请选择政审结论' }]}>
            <Radio.Group options={['合格', '不合格']} />
          </Form.Item>
        )}
        {def.fields.includes('training') && (
          <div className="xf-dev-grid">
            <Form.Item name="trainingDays" label="培训天数">
              <InputNumber min={0} max={365} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="trainingHours" label="培训学时">
              <InputNumber min={0} max={10000} style={{ width: '100%' }} />
            </Form.Item>
          </div>
        )}
        {def.fields.includes('notice') && (
          <Form.Item
            name="noticeFrom"
            label="公示开始日期"
            extra="公示期 5 个工作日，期满后方可办理下一步"
            rules={[{ required: true, message: '请填写公示开始日期' }]}
          >
            <Input type="date" max={today} />
          </Form.Item>
        )}
        {def.fields.includes('vote') && <VoteFields values={values} />}
        {def.fields.includes('leaving') && (
          <Form.Item
            name="leavingOn"
            label="预计离开本单位日期"
            extra="发展对象近期将调离、毕业或退休的，请填写；三个月内离开的一般不办理接收手续"
          >
            <Input type="date" min={today} />
          </Form.Item>
        )}
        {def.fields.includes('approval') && (
          <>
            <Form.Item name="special" valuePropName="checked">
              <Checkbox>特殊情况（如党组织换届），审批期限延长至六个月</Checkbox>
            </Form.Item>
            {values?.special && (
              <Form.Item
                name="specialReason"
                label="特殊情况说明"
                rules={[{ required: true, message: '请说明特殊情况' }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            )}
          </>
        )}
        {def.fields.includes('group') && (
          <Form.Item name="groupName" label="编入党小组">
            <Input maxLength={50} placeholder="如：第一党小组" />
          </Form.Item>
        )}
        <Form.Item name="notes" label="情况记载">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            className="xf-dev-error"
            message={typeof error === 'string' ? error : error.message}
            description={
              overridable ? (
                can(...ORG_ADMINS) ? (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Typography.Text>此为时间规则。组织管理员可写明理由越权通过，理由记入审计日志。</Typography.Text>
                    <Input.TextArea
                      aria-label="越权通过理由"
                      rows={2}
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      placeholder="越权通过的理由（至少 5 个字）"
                    />
                    <Button
                      danger
                      disabled={reason.trim().length < 5}
                      loading={busy}
                      onClick={() => void submit({ reason: reason.trim() })}
                    >
                      越权通过（记入审计）
                    </Button>
                  </Space>
                ) : (
                  '如确有特殊情况，请联系上级党委组织部门（组织管理员）越权通过。'
                )
              ) : undefined
            }
            style={{ marginBottom: 12 }}
          />
        )}
        <Button type="primary" htmlType="submit" loading={busy} block>
          办理第 {def.no} 步：{def.name}
        </Button>
      </Form>
    </div>
  );
}
