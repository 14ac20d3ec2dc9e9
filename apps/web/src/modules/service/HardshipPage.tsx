/**
 * 困难帮扶 (branch secretary and org department, desktop): the org subtree's cases — member, level, visits, last
 * visit, help in money — with no situation text in the list; a case opens in a drawer with the situation and its
 * visits; 建立帮扶档案 and 登记走访. Nobody else has this menu, and the server answers them 403/404.
 */
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  fenToYuan,
  HARDSHIP_LEVEL_LABELS,
  HARDSHIP_LEVELS,
  HARDSHIP_RULE,
  todayInChina,
  type HardshipCaseBrief,
  type HardshipCaseDetail,
  type HardshipLevel,
  type HardshipVisit,
} from '@xianfeng/shared';
import dayjs, { type Dayjs } from 'dayjs';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { FormDialog } from '../../platform/FormDialog';
import { PagedTable } from '../../platform/PagedTable';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { MemberSelect } from '../member/MemberSelect';
import { OrgFilter } from '../org/OrgPicker';
import { LevelTag } from './HardshipLevelTag';
import { HardshipSummaryPanel } from './HardshipSummary';
import { useSubmit } from '../../platform/useSubmit';

function OpenDialog({
  orgId,
  open,
  onClose,
  onDone,
}: {
  orgId: string;
  open: boolean;
  onClose: () => void;
  onDone: (c: HardshipCaseDetail) => void;
}) {
  return (
    <FormDialog<{ memberId: string; level: HardshipLevel; situation: string }>
      title="建立帮扶档案"
      open={open}
      onClose={onClose}
      okText="建立"
      initialValues={{ level: 'general' }}
      onSubmit={async (v) => onDone(await api.post<HardshipCaseDetail>('/hardship/cases', { orgId, ...v }))}
    >
      <Form.Item name="memberId" label="党员" rules={[{ required: true, message: '请选择党员' }]}>
        <MemberSelect orgId={orgId} />
      </Form.Item>
      <Form.Item name="level" label="困难程度">
        <Radio.Group
          optionType="button"
          options={HARDSHIP_LEVELS.map((l) => ({ value: l, label: HARDSHIP_LEVEL_LABELS[l] }))}
        />
      </Form.Item>
      <Form.Item
        name="situation"
        label="困难情况"
        rules={[
          { required: true, whitespace: true, message: '请填写困难情况' },
          { min: 5, message: '请填写困难情况（至少 5 字）' },
        ]}
      >
        <Input.TextArea rows={4} maxLength={5000} placeholder="家庭、健康、收入等方面的困难" />
      </Form.Item>
    </FormDialog>
  );
}

function VisitForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const [form] = Form.useForm<{ visitedOn: Dayjs; visitors: string; help: string; amount?: number; note?: string }>();
  const { busy, error, run } = useSubmit();
  const { message } = AntApp.useApp();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ visitedOn: dayjs(todayInChina()) }}
      onFinish={async (v) => {
        await run(async () => {
          await api.post<HardshipVisit>(`/hardship-cases/${caseId}/visits`, {
            visitedOn: v.visitedOn.format('YYYY-MM-DD'),
            visitors: v.visitors,
            help: v.help,
            amountFen: Math.round((v.amount ?? 0) * 100),
            note: v.note ?? '',
          });
          message.success('走访记录已登记');
          form.resetFields(['help', 'amount', 'note']);
          onDone();
        });
      }}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <div className="xf-hardship-visit-grid">
        <Form.Item name="visitedOn" label="走访日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(todayInChina()), 'day')} />
        </Form.Item>
        <Form.Item
          name="visitors"
          label="走访人"
          rules={[{ required: true, whitespace: true, message: '请填写走访人' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="help"
          label="帮扶内容"
          rules={[{ required: true, whitespace: true, message: '请填写帮扶内容' }]}
        >
          <Input maxLength={500} placeholder="如：送去慰问金和慰问品" />
        </Form.Item>
        <Form.Item name="amount" label="金额（元，可不填）">
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
      </div>
      <Form.Item name="note" label="情况记录（可不填）">
        <Input.TextArea rows={2} maxLength={5000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        登记走访
      </Button>
    </Form>
  );
}

function ReviewForm({ c, onDone }: { c: HardshipCaseDetail; onDone: () => void }) {
  const [form] = Form.useForm<{ level: HardshipLevel; close: boolean; reason: string }>();
  const { busy, error, run } = useSubmit();
  const { message } = AntApp.useApp();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ level: c.level, close: false }}
      onFinish={async (v) => {
        await run(async () => {
          await api.post<HardshipCaseDetail>(`/hardship-cases/${c.id}/review`, {
            ...(v.level !== c.level ? { level: v.level } : {}),
            ...(v.close ? { status: c.status === 'open' ? 'closed' : 'open' } : {}),
            reason: v.reason,
          });
          message.success('复核已登记');
          form.resetFields(['reason', 'close']);
          onDone();
        });
      }}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form.Item name="level" label="困难程度">
        <Radio.Group
          optionType="button"
          options={HARDSHIP_LEVELS.map((l) => ({ value: l, label: HARDSHIP_LEVEL_LABELS[l] }))}
        />
      </Form.Item>
      <Form.Item name="close" valuePropName="checked">
        <Checkbox>{c.status === 'open' ? '结案（已脱困）' : '重新纳入帮扶'}</Checkbox>
      </Form.Item>
      <Form.Item
        name="reason"
        label="复核情况"
        rules={[
          { required: true, whitespace: true, message: '请填写复核情况' },
          { min: 4, message: '请填写复核情况（至少 4 字）' },
        ]}
      >
        <Input.TextArea aria-label="复核情况" rows={2} maxLength={2000} />
      </Form.Item>
      <Button htmlType="submit" loading={busy}>
        登记复核
      </Button>
    </Form>
  );
}

function CaseDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const detail = useAsync(
    () => (id ? api.get<HardshipCaseDetail>(`/hardship-cases/${id}`) : Promise.resolve(null)),
    [id],
  );
  const { page, pageSize, pagination } = usePaging('次', 10);
  const visits = useAsync(
    () =>
      id ? api.get<Page<HardshipVisit>>(`/hardship-cases/${id}/visits`, { page, pageSize }) : Promise.resolve(null),
    [id, page, pageSize],
  );
  const c = detail.data;
  return (
    <Drawer
      title={c ? `帮扶档案：${c.memberName}` : '帮扶档案'}
      open={id !== null}
      onClose={onClose}
      width="min(760px, 100vw)"
      destroyOnHidden
    >
      <LoadError
        error={detail.error ?? visits.error}
        onRetry={() => void Promise.all([detail.reload(), visits.reload()])}
      />
      {c && (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="组织">{c.orgName}</Descriptions.Item>
            <Descriptions.Item label="困难程度">
              <LevelTag level={c.level} />
              {c.status === 'closed' && <Tag>已结案</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="建档">
              {dayjs(c.createdAt).format('YYYY-MM-DD')}（{c.createdBy}）
            </Descriptions.Item>
            <Descriptions.Item label="累计帮扶金额">{fenToYuan(c.amountFen)} 元</Descriptions.Item>
          </Descriptions>
          <div className="xf-hardship-situation">{c.situation}</div>
          <Typography.Title level={5}>走访帮扶记录</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            loading={visits.loading}
            dataSource={visits.data?.items ?? []}
            pagination={pagination(visits.data?.total ?? 0)}
            columns={[
              { title: '日期', dataIndex: 'visitedOn', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
              { title: '走访人', dataIndex: 'visitors' },
              { title: '帮扶内容', dataIndex: 'help' },
              { title: '金额（元）', align: 'right', render: (_, v) => (v.amountFen ? fenToYuan(v.amountFen) : '—') },
              { title: '情况', dataIndex: 'note' },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            登记走访
          </Typography.Title>
          <VisitForm
            caseId={c.id}
            onDone={() => {
              void detail.reload();
              void visits.reload();
              onChanged();
            }}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            复核（调整困难程度、结案）
          </Typography.Title>
          <ReviewForm
            key={`${c.level}-${c.status}`}
            c={c}
            onDone={() => {
              void detail.reload();
              void visits.reload();
              onChanged();
            }}
          />
        </>
      )}
    </Drawer>
  );
}

export function HardshipPage() {
  const { current } = useAuth();
  const [params, setParams] = useSearchParams();
  const orgParam = params.get('org') ?? undefined;
  const orgId = orgParam ?? current?.orgId;
  const openId = params.get('case');
  const tab = params.get('tab') === 'summary' ? 'summary' : 'cases';
  const set = (next: Record<string, string | null | undefined>) => {
    const kept = { org: orgParam, case: openId, tab: tab === 'summary' ? tab : null };
    const p = Object.fromEntries(Object.entries({ ...kept, ...next }).filter(([, v]) => v)) as Record<string, string>;
    setParams(p, { replace: true });
  };
  const { page, pageSize, pagination } = usePaging('户');
  const list = useAsync(
    () => api.get<Page<HardshipCaseBrief>>('/hardship/cases', { orgId, page, pageSize }),
    [orgId, page, pageSize],
  );
  const [opening, setOpening] = useState(false);
  // Bumped by every change made in the case drawer, so the 年度复核汇总 counts it at once.
  const [changes, setChanges] = useState(0);
  const { message } = AntApp.useApp();
  return (
    <Card
      className="xf-hardship-page"
      title={
        <span>
          <SafetyCertificateOutlined /> 困难帮扶
        </span>
      }
    >
      <Alert type="info" showIcon message={HARDSHIP_RULE.rule} style={{ marginBottom: 12 }} />
      <div className="xf-toolbar">
        <OrgFilter value={orgId} onPick={(org) => set({ org, case: null })} />
        {orgId && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
            建立帮扶档案
          </Button>
        )}
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'summary' ? k : null })}
        items={[
          {
            key: 'cases',
            label: '帮扶档案',
            children: (
              <>
                <PagedTable
                  list={list}
                  pagination={pagination}
                  onOpen={(c) => set({ case: c.id })}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    { title: '党员', dataIndex: 'memberName', render: (n: string) => <a>{n}</a> },
                    { title: '组织', dataIndex: 'orgName' },
                    {
                      title: '困难程度',
                      render: (_, c) => (
                        <>
                          <LevelTag level={c.level} />
                          {c.status === 'closed' && <Tag>已结案</Tag>}
                        </>
                      ),
                    },
                    { title: '走访次数', dataIndex: 'visits', align: 'right' },
                    {
                      title: '最近走访',
                      render: (_, c) => c.lastVisitOn ?? <Typography.Text type="warning">尚未走访</Typography.Text>,
                    },
                    { title: '累计帮扶（元）', align: 'right', render: (_, c) => fenToYuan(c.amountFen) },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'summary',
            label: '年度复核汇总',
            children: (
              <HardshipSummaryPanel key={orgId} orgId={orgId} changes={changes} onOpen={(id) => set({ case: id })} />
            ),
          },
        ]}
      />
      {orgId && (
        <OpenDialog
          orgId={orgId}
          open={opening}
          onClose={() => setOpening(false)}
          onDone={(c) => {
            setOpening(false);
            message.success('帮扶档案已建立');
            void list.reload();
            set({ case: c.id });
          }}
        />
      )}
      <CaseDrawer
        id={openId}
        onClose={() => set({ case: null })}
        onChanged={() => {
          void list.reload();
          setChanges((n) => n + 1);
        }}
      />
    </Card>
  );
}
