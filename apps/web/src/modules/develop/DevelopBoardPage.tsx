/**
 * 发展党员 board: people at each stage in the chosen org's subtree, what is overdue and what
 * falls due soon (the secretary's to-do list), the yearly plan (名额) and its usage, and the
 * roster of people in development. New applicants are registered here.
 */
import { FlagOutlined, PlusOutlined, ScheduleOutlined } from '@ant-design/icons';
import {
  DEVELOP_STATUS_LABELS,
  DEVELOP_STATUSES,
  EDUCATIONS,
  ORG_ADMINS,
  RECORD_KEEPERS,
  todayInChina,
  type Deadline,
  type DevelopBoard,
  type DevelopPerson,
  type DevelopPersonDetail,
  type DevelopStatus,
  type PlanUsage,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Select,
  Statistic,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { OrgFilter, OrgPicker } from '../org/OrgPicker';
import { DueTag, StatusTag } from './labels';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';
import { FormDialog } from '../../platform/FormDialog';

const thisYear = () => Number(todayInChina().slice(0, 4));

function DeadlineList({ items, empty }: { items: Deadline[]; empty: string }) {
  return (
    <List<Deadline>
      size="small"
      dataSource={items}
      locale={{ emptyText: empty }}
      renderItem={(d) => (
        <List.Item className="xf-dev-deadline" extra={<DueTag d={d} />}>
          <List.Item.Meta
            title={
              <span>
                <Link to={`/develop/${d.personId}`}>{d.name}</Link> <StatusTag status={d.status} />
              </span>
            }
            description={
              <span>
                {d.what}：<span className="xf-nowrap">{d.dueOn}</span>
                <span className="xf-dev-muted"> · {d.orgName}</span>
              </span>
            }
          />
        </List.Item>
      )}
    />
  );
}

export function DevelopBoardPage() {
  const { current, can } = useAuth();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const [params, set] = useUrlParams();
  const [applying, setApplying] = useState(false);
  const [planning, setPlanning] = useState(false);
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const year = Number(params.get('year') ?? thisYear());
  const status = (params.get('status') ?? undefined) as DevelopStatus | undefined;
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? 1);
  const tab = params.get('tab') ?? 'todo';

  const board = useAsync(
    () => (orgId ? api.get<DevelopBoard>(`/orgs/${orgId}/develop-board`, { year }) : Promise.resolve(undefined)),
    [orgId, year],
  );
  const persons = useAsync(
    () => api.get<Page<DevelopPerson>>('/develop/persons', { orgId, status, q, page, pageSize: 20 }),
    [orgId, status, q, page],
  );
  const b = board.data;

  const stats: { key: DevelopStatus; label: string }[] = DEVELOP_STATUSES.filter((s) => s !== 'full').map((s) => ({
    key: s,
    label: DEVELOP_STATUS_LABELS[s],
  }));

  const personTable = phone ? (
    <List<DevelopPerson>
      loading={persons.loading}
      dataSource={persons.data?.items ?? []}
      locale={{ emptyText: '没有发展中的人员' }}
      pagination={{
        current: page,
        total: persons.data?.total ?? 0,
        pageSize: 20,
        simple: true,
        align: 'center',
        onChange: (p) => set({ page: p }),
      }}
      renderItem={(p) => (
        <List.Item className="xf-dev-card" onClick={() => navigate(`/develop/${p.id}`)}>
          <div style={{ width: '100%', minWidth: 0 }}>
            <div className="xf-dev-card-title">
              <Link to={`/develop/${p.id}`}>{p.name}</Link> <StatusTag status={p.status} />
            </div>
            <div className="xf-dev-muted">
              已完成第 {p.lastStep} 步 · {p.orgName}
            </div>
            {p.nextDue && (
              <div>
                {p.nextDue.what}：{p.nextDue.dueOn} <DueTag d={p.nextDue} />
              </div>
            )}
          </div>
        </List.Item>
      )}
    />
  ) : (
    <Table<DevelopPerson>
      rowKey="id"
      size="middle"
      loading={persons.loading}
      dataSource={persons.data?.items ?? []}
      locale={{ emptyText: '没有发展中的人员' }}
      pagination={{
        current: page,
        total: persons.data?.total ?? 0,
        pageSize: 20,
        showTotal: (t) => `共 ${t} 人`,
        onChange: (p) => set({ page: p }),
      }}
      columns={[
        { title: '姓名', dataIndex: 'name', render: (v: string, p) => <Link to={`/develop/${p.id}`}>{v}</Link> },
        { title: '所在党支部', dataIndex: 'orgName' },
        { title: '身份', dataIndex: 'status', render: (s: DevelopStatus) => <StatusTag status={s} /> },
        { title: '进度', dataIndex: 'lastStep', render: (n: number) => `${n}/25` },
        { title: '申请日期', dataIndex: 'appliedAt' },
        {
          title: '下一期限',
          dataIndex: 'nextDue',
          render: (d: Deadline | null) =>
            d ? (
              <span>
                {d.what}：{d.dueOn} <DueTag d={d} />
              </span>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );

  return (
    <Card
      title={
        <span>
          <FlagOutlined /> 发展党员
        </span>
      }
      className="xf-develop"
    >
      <div className="xf-toolbar">
        <OrgFilter className="xf-dev-org" value={orgId} onPick={(orgId) => set({ orgId })} />
        <Select
          aria-label="年度"
          value={year}
          style={{ width: 110 }}
          options={Array.from({ length: 6 }, (_, i) => thisYear() - i).map((y) => ({ value: y, label: `${y}年` }))}
          onChange={(v: number) => set({ year: v === thisYear() ? undefined : v })}
        />
        {can(...RECORD_KEEPERS) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)}>
            登记入党申请人
          </Button>
        )}
        {can(...ORG_ADMINS) && (
          <Button icon={<ScheduleOutlined />} onClick={() => setPlanning(true)}>
            年度发展计划
          </Button>
        )}
      </div>
      <LoadError error={board.error} onRetry={board.reload} />
      <div className="xf-stat-grid xf-dev-stats">
        {stats.map((s) => (
          <Card key={s.key} size="small" hoverable onClick={() => set({ status: s.key, tab: 'people' })}>
            <Statistic title={s.label} value={b?.counts[s.key] ?? 0} suffix="人" loading={board.loading && !b} />
          </Card>
        ))}
        <Card size="small">
          <Statistic title={`${year}年接收预备党员`} value={b?.admittedThisYear ?? 0} suffix="人" />
        </Card>
        <Card size="small">
          <Statistic title={`${year}年转为正式党员`} value={b?.convertedThisYear ?? 0} suffix="人" />
        </Card>
        <Card size="small">
          <div className="xf-dev-plan-title">{year}年发展计划</div>
          {b?.plan ? (
            <>
              <Progress
                percent={b.plan.quota ? Math.round((b.plan.used / b.plan.quota) * 100) : 100}
                status={b.plan.used > b.plan.quota ? 'exception' : 'normal'}
                size="small"
              />
              <Typography.Text type="secondary">
                已用 {b.plan.used} / 名额 {b.plan.quota}
              </Typography.Text>
            </>
          ) : (
            <Typography.Text type="secondary">本组织未单独下达名额</Typography.Text>
          )}
        </Card>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'todo' ? undefined : k })}
        items={[
          {
            key: 'todo',
            label: `待办${b ? `（逾期 ${b.overdue.length}）` : ''}`,
            children: (
              <div className="xf-dev-todo">
                <Typography.Title level={5} type="danger">
                  逾期事项
                </Typography.Title>
                <DeadlineList items={b?.overdue ?? []} empty="没有逾期事项" />
                <Typography.Title level={5}>30 天内到期</Typography.Title>
                <DeadlineList items={b?.upcoming ?? []} empty="近期没有到期事项" />
              </div>
            ),
          },
          {
            key: 'people',
            label: '发展名册',
            children: (
              <>
                <div className="xf-toolbar">
                  <Select
                    allowClear
                    placeholder="全部阶段"
                    aria-label="阶段"
                    style={{ width: 150 }}
                    value={status}
                    options={DEVELOP_STATUSES.map((s) => ({ value: s, label: DEVELOP_STATUS_LABELS[s] }))}
                    onChange={(v?: string) => set({ status: v })}
                  />
                  <Input.Search
                    key={q}
                    defaultValue={q}
                    allowClear
                    placeholder="姓名"
                    aria-label="搜索姓名"
                    style={{ maxWidth: 240 }}
                    onSearch={(v) => set({ q: v.trim() })}
                  />
                </div>
                <LoadError error={persons.error} onRetry={persons.reload} />
                {personTable}
              </>
            ),
          },
          {
            key: 'plans',
            label: '年度计划',
            children: b?.plans.length ? (
              <Table<PlanUsage>
                rowKey="orgId"
                size="small"
                pagination={false}
                dataSource={b.plans}
                columns={[
                  { title: '组织', dataIndex: 'orgName' },
                  { title: '名额', dataIndex: 'quota' },
                  { title: '已接收', dataIndex: 'used' },
                  {
                    title: '使用',
                    render: (_: unknown, r) => (
                      <Progress
                        percent={r.quota ? Math.round((r.used / r.quota) * 100) : 100}
                        size="small"
                        status={r.used > r.quota ? 'exception' : 'normal'}
                      />
                    ),
                  },
                ]}
              />
            ) : (
              <Empty description={`${year}年本组织及下级未设置发展计划`} />
            ),
          },
        ]}
      />
      {applying && (
        <ApplyModal
          defaultOrgId={orgId}
          onClose={() => setApplying(false)}
          onCreated={(p) => navigate(`/develop/${p.id}`)}
        />
      )}
      {planning && (
        <PlanModal
          orgId={orgId}
          year={year}
          quota={b?.plan?.quota}
          onClose={() => setPlanning(false)}
          onSaved={() => {
            setPlanning(false);
            void board.reload();
          }}
        />
      )}
    </Card>
  );
}

type ApplyValues = {
  orgId: string;
  name: string;
  idCardNo: string;
  phone: string;
  ethnicity: string;
  education?: string;
  jobTitle?: string;
  appliedAt: string;
  notes?: string;
};

function ApplyModal({
  defaultOrgId,
  onClose,
  onCreated,
}: {
  defaultOrgId: string;
  onClose(): void;
  onCreated(p: DevelopPersonDetail): void;
}) {
  const { message } = AntApp.useApp();
  return (
    <FormDialog<ApplyValues>
      open
      title="登记入党申请人（第 1 步：递交入党申请书）"
      okText="登记"
      onClose={onClose}
      intro={
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="年满十八岁方可申请入党（《中国共产党发展党员工作细则》第五条）。收到申请书后一个月内须派人谈话。"
        />
      }
      initialValues={{ orgId: defaultOrgId, ethnicity: '汉族', appliedAt: todayInChina() }}
      onSubmit={async (v) => {
        const p = await api.post<DevelopPersonDetail>('/develop/persons', {
          ...v,
          education: v.education ?? null,
          jobTitle: v.jobTitle || null,
          notes: v.notes ?? '',
        });
        message.success(`已登记 ${p.name} 的入党申请`);
        onCreated(p);
      }}
    >
      <Form.Item name="orgId" label="所在党支部" rules={[{ required: true, message: '请选择党支部' }]}>
        <OrgPicker selectable={['branch']} />
      </Form.Item>
      <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="idCardNo" label="身份证号" rules={[{ required: true, message: '请填写身份证号' }]}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}>
        <Input maxLength={11} inputMode="numeric" />
      </Form.Item>
      <Form.Item name="ethnicity" label="民族">
        <Input maxLength={20} />
      </Form.Item>
      <Form.Item name="education" label="学历">
        <Select allowClear options={EDUCATIONS.map((e) => ({ value: e, label: e }))} />
      </Form.Item>
      <Form.Item name="jobTitle" label="工作岗位">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="appliedAt" label="递交申请书日期" rules={[{ required: true, message: '请填写日期' }]}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="notes" label="备注">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormDialog>
  );
}

function PlanModal({
  orgId,
  year,
  quota,
  onClose,
  onSaved,
}: {
  orgId: string;
  year: number;
  quota?: number | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const [target, setTarget] = useState(orgId);
  const [value, setValue] = useState<number | null>(quota ?? null);
  const { busy, error, run } = useSubmit();
  return (
    <Modal
      open
      title={`${year}年发展计划（名额）`}
      okText="保存"
      confirmLoading={busy}
      onCancel={onClose}
      onOk={async () => {
        await run(async () => {
          await api.put(`/orgs/${target}/develop-plan`, { year, quota: value ?? 0 });
          onSaved();
        });
      }}
    >
      <Typography.Paragraph type="secondary">
        名额按组织及其下级在当年支部大会通过接收的人数计算；超出名额时，接收须由组织管理员写明理由越权通过。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="组织">
          <OrgPicker value={target} onChange={(v) => v && setTarget(v)} />
        </Form.Item>
        <Form.Item label="名额">
          <InputNumber min={0} max={100000} value={value} onChange={(v) => setValue(v)} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
