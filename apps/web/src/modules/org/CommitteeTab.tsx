/**
 * 班子与换届: the current committee with its term and the next 换届 date, past terms,
 * registering a new term, and recording an election checked against the election regulation.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  COMMITTEE_POSITIONS,
  TERM_POSTPONE,
  TERM_YEARS,
  TERM_YEARS_ALLOWED,
  addMonths,
  termYearsLabel,
  type ElectionResult,
  type Org,
  type TermPostponement,
  now,
  RECORD_KEEPERS,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  type FormListFieldData,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { LoadError } from '../../platform/LoadError';
import { FormDialog } from '../../platform/FormDialog';

type Committee = {
  current: {
    id: string;
    startsOn: string;
    endsOn: string;
    termYears: number;
    termLabel: string;
    electionDueOn: string;
    postponedTo: string | null;
    postponement: TermPostponement | null;
    overdue: boolean;
  } | null;
  members: { id: string; name: string; position: string; memberId: string | null }[];
  history: { id: string; startsOn: string; endsOn: string; termYears: number; postponedTo: string | null }[];
  citation: string;
  postponeCitation: string;
};
type PostponeValues = { until: Dayjs; approvedOn: Dayjs; documentNo?: string; reason: string };
type Position = (typeof COMMITTEE_POSITIONS)[number];
type TermValues = { startsOn: Dayjs; termYears?: number; members: { position: Position; name: string }[] };
type ElectionValues = {
  heldOn: Dayjs;
  seats: number;
  dueVoters: number;
  presentVoters: number;
  ballotsIssued: number;
  ballotsReturned: number;
  secretaryOnly?: boolean;
  candidates: { name: string; votes: number }[];
};

/** Rows of a form list (委员, 候选人): each row's fields with a remove icon, and a dashed 「添加…」 below them. */
function FormRows({
  name,
  addLabel,
  newRow,
  children,
}: {
  name: string;
  addLabel: string;
  newRow: object;
  children: (row: FormListFieldData) => ReactNode;
}) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginTop: 8 }}>
              {children(f)}
              <MinusCircleOutlined aria-label="删除" onClick={() => remove(f.name)} />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newRow)} block>
            {addLabel}
          </Button>
        </>
      )}
    </Form.List>
  );
}

export function CommitteeTab({ org }: { org: Org }) {
  const { can, current: binding } = useAuth();
  const { message } = AntApp.useApp();
  const committee = useAsync(() => api.get<Committee>(`/orgs/${org.id}/committee`), [org.id]);
  const [dialog, setDialog] = useState<null | 'term' | 'election' | 'postpone'>(null);
  const [election, setElection] = useState<(ElectionResult & { id: string }) | null>(null);
  // The new term's first values: blank, or the elected of the election just recorded (its id goes with the term).
  const [termStart, setTermStart] = useState<{ values: Partial<TermValues>; electionId?: string }>({ values: {} });
  const manager = can(...RECORD_KEEPERS);
  // A delay is approved from above: offered to keepers acting from an org above this one (the server checks too).
  const approverAbove = manager && binding?.orgId !== org.id;
  const defaultYears = TERM_YEARS[org.kind];
  const c = committee.data;

  if (org.kind === 'group') return <Empty description="党小组不设委员会，设组长一名（可在党员档案中注明）" />;

  const openTerm = (names: string[] = [], electionId?: string) => {
    setTermStart({
      values: {
        startsOn: dayjs(now()),
        members: names.length
          ? names.map((name, i) => ({ name, position: i === 0 ? '书记' : '委员' }))
          : [{ position: '书记', name: '' }],
      },
      electionId,
    });
    setDialog('term');
  };

  return (
    <>
      <LoadError error={committee.error} onRetry={committee.reload} />
      {manager && (
        <div className="xf-toolbar">
          <Button type="primary" onClick={() => openTerm()}>
            登记新一届委员会
          </Button>
          <Button onClick={() => setDialog('election')}>登记换届选举</Button>
          {approverAbove && c?.current && <Button onClick={() => setDialog('postpone')}>批准延期换届</Button>}
        </div>
      )}
      {election && (
        <Alert
          style={{ marginBottom: 16 }}
          type={election.valid && election.warnings.length === 0 ? 'success' : 'warning'}
          showIcon
          closable
          onClose={() => setElection(null)}
          message={
            election.valid
              ? `选举有效，当选：${election.elected.join('、') || '无'}`
              : '选举不符合《中国共产党基层组织选举工作条例》，请核对'
          }
          description={
            <>
              {election.warnings.map((w, i) => (
                <div key={i} className="xf-election-warning">
                  <Typography.Text strong>{w.message}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">依据：{w.citation}</Typography.Text>
                </div>
              ))}
              {!election.valid && election.elected.length === 0 && <div>本次选举无人当选。</div>}
              {election.elected.length > 0 && manager && (
                <Button size="small" style={{ marginTop: 8 }} onClick={() => openTerm(election.elected, election.id)}>
                  以当选人登记新一届委员会
                </Button>
              )}
            </>
          }
        />
      )}
      {c && !c.current && <Empty description="尚未登记委员会任期" />}
      {c?.current && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="本届任期">
              {c.current.startsOn} 至 {c.current.endsOn}（{c.current.termLabel}）
            </Descriptions.Item>
            <Descriptions.Item label="下次换届">
              {c.current.electionDueOn}{' '}
              {c.current.overdue ? (
                <Tag color="red">换届逾期</Tag>
              ) : c.current.postponedTo ? (
                <Tag color="orange">经批准延期</Tag>
              ) : (
                <Tag color="green">任期内</Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="委员人数">{c.members.length} 人</Descriptions.Item>
            {c.current.postponement && (
              <Descriptions.Item label="延期换届" span={3}>
                {c.current.postponement.approvedOn} 经上级党组织批准延期至 {c.current.postponedTo}
                {c.current.postponement.documentNo ? `（${c.current.postponement.documentNo}）` : ''}：
                {c.current.postponement.reason}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={c.members}
            locale={{ emptyText: '本届未登记委员' }}
            columns={[
              { title: '职务', dataIndex: 'position', width: 120 },
              { title: '姓名', dataIndex: 'name' },
            ]}
          />
        </>
      )}
      {c && c.history.length > 1 && (
        <List
          style={{ marginTop: 16 }}
          size="small"
          header={<Typography.Text strong>历届任期</Typography.Text>}
          dataSource={c.history}
          renderItem={(t) => (
            <List.Item>
              {t.startsOn} 至 {t.endsOn}（{termYearsLabel(org.kind, t.termYears)}）
              {t.postponedTo ? `，延期至 ${t.postponedTo} 换届` : ''}
            </List.Item>
          )}
        />
      )}
      {c && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
          {c.citation}
        </Typography.Paragraph>
      )}

      <FormDialog<TermValues>
        title="登记新一届委员会"
        open={dialog === 'term'}
        onClose={() => setDialog(null)}
        okText="登记"
        width={560}
        name="orgTerm"
        initialValues={termStart.values}
        onSubmit={async (v) => {
          await api.post(`/orgs/${org.id}/terms`, {
            startsOn: v.startsOn.format('YYYY-MM-DD'),
            ...(v.termYears ? { termYears: v.termYears } : {}),
            ...(termStart.electionId ? { electionId: termStart.electionId } : {}),
            members: (v.members ?? []).filter((m) => m.name?.trim()).map((m) => ({ ...m, name: m.name.trim() })),
          });
          message.success('已登记新一届委员会');
          setDialog(null);
          setElection(null);
          await committee.reload();
        }}
      >
        <Space wrap align="start">
          <Form.Item name="startsOn" label="任期开始日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="termYears" label="每届任期" extra={defaultYears ? `不选按 ${defaultYears} 年` : undefined}>
            <Select
              style={{ width: 200 }}
              allowClear
              placeholder={defaultYears ? `${defaultYears} 年` : undefined}
              options={TERM_YEARS_ALLOWED[org.kind].map((y) => ({ value: y, label: termYearsLabel(org.kind, y) }))}
            />
          </Form.Item>
        </Space>
        <Typography.Text strong>委员</Typography.Text>
        <FormRows name="members" addLabel="添加委员" newRow={{ position: '委员', name: '' }}>
          {(f) => (
            <>
              <Form.Item name={[f.name, 'position']} rules={[{ required: true, message: '请选择职务' }]} noStyle>
                <Select
                  style={{ width: 120 }}
                  aria-label="职务"
                  options={COMMITTEE_POSITIONS.map((p) => ({ value: p, label: p }))}
                />
              </Form.Item>
              <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
                <Input placeholder="姓名" aria-label="委员姓名" style={{ width: 160 }} />
              </Form.Item>
            </>
          )}
        </FormRows>
      </FormDialog>

      <FormDialog<ElectionValues>
        title="登记换届选举"
        open={dialog === 'election'}
        onClose={() => setDialog(null)}
        okText="登记并校验"
        width={600}
        name="orgElection"
        intro={
          <Typography.Paragraph type="secondary">
            系统按《中国共产党基层组织选举工作条例》校验：差额不少于
            20%、到会超过应到会的五分之四、得票超过实到会人数的一半。
          </Typography.Paragraph>
        }
        initialValues={{ heldOn: dayjs(now()), candidates: [{ name: '', votes: 0 }] }}
        onSubmit={async (v) => {
          const r = await api.post<ElectionResult & { id: string }>(`/orgs/${org.id}/elections`, {
            ...v,
            heldOn: v.heldOn.format('YYYY-MM-DD'),
            candidates: v.candidates.map((x) => ({ name: x.name.trim(), votes: x.votes ?? 0 })),
          });
          setElection(r);
          setDialog(null);
        }}
      >
        <div className="xf-form-grid">
          <Form.Item name="heldOn" label="选举日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(now()))} />
          </Form.Item>
          <Form.Item name="seats" label="应选人数" rules={[{ required: true, message: '请填写' }]}>
            <InputNumber min={1} max={31} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="dueVoters" label="应到会有选举权人数" rules={[{ required: true, message: '请填写' }]}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="presentVoters" label="实到会有选举权人数" rules={[{ required: true, message: '请填写' }]}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="ballotsIssued" label="发出选票" rules={[{ required: true, message: '请填写' }]}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="ballotsReturned" label="收回选票" rules={[{ required: true, message: '请填写' }]}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        {org.kind === 'branch' && (
          <Form.Item
            name="secretaryOnly"
            valuePropName="checked"
            extra="正式党员不足 7 人、不设支部委员会的党支部，由党员大会选举书记（副书记）时可以等额选举"
          >
            <Checkbox>只选举书记、副书记（不设支委会，可等额）</Checkbox>
          </Form.Item>
        )}
        <Typography.Text strong>候选人及得票</Typography.Text>
        <FormRows name="candidates" addLabel="添加候选人" newRow={{ name: '', votes: 0 }}>
          {(f) => (
            <>
              <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
                <Input placeholder="候选人姓名" aria-label="候选人姓名" style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name={[f.name, 'votes']} rules={[{ required: true, message: '请填写得票' }]}>
                <InputNumber min={0} precision={0} placeholder="得票" aria-label="得票" addonAfter="票" />
              </Form.Item>
            </>
          )}
        </FormRows>
      </FormDialog>

      <FormDialog<PostponeValues>
        title="批准延期换届"
        open={dialog === 'postpone'}
        onClose={() => setDialog(null)}
        okText="登记"
        width={560}
        name="termPostpone"
        intro={<Typography.Paragraph type="secondary">{TERM_POSTPONE.citation}</Typography.Paragraph>}
        initialValues={{ approvedOn: dayjs(now()) }}
        onSubmit={async (v) => {
          await api.post(`/orgs/${org.id}/term/postpone`, {
            until: v.until.format('YYYY-MM-DD'),
            approvedOn: v.approvedOn.format('YYYY-MM-DD'),
            documentNo: v.documentNo ?? '',
            reason: v.reason,
          });
          message.success('已登记延期换届');
          setDialog(null);
          await committee.reload();
        }}
      >
        <div className="xf-form-grid">
          <Form.Item
            name="until"
            label="延期至"
            extra={
              c?.current
                ? `本届 ${c.current.endsOn} 届满，最迟 ${addMonths(c.current.endsOn, TERM_POSTPONE.maxMonths)}`
                : undefined
            }
            rules={[{ required: true, message: '请选择延期至的日期' }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="approvedOn" label="批准日期" rules={[{ required: true, message: '请选择批准日期' }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(now()))} />
          </Form.Item>
        </div>
        <Form.Item name="documentNo" label="批准文号">
          <Input maxLength={100} placeholder="如：电力党委〔2026〕12 号" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="特殊情况说明"
          rules={[{ required: true, min: 5, message: '请写明延期换届的特殊情况（至少 5 个字）' }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </FormDialog>
    </>
  );
}
