/**
 * 谈心谈话 (issue #22): the year's coverage of an org — each seat of its current committee against each member on
 * the roll, members nobody has talked with, 「提醒委员」 — and the talk records with 「登记谈话」.
 */
import { MessageOutlined } from '@ant-design/icons';
import {
  inGroup,
  RECORD_KEEPERS,
  todayInChina,
  type TalkCoverage,
  type TalkCoverageRow,
  type TalkRecord,
  type TalkReminderResult,
} from '@xianfeng/shared';
import dayjs, { type Dayjs } from 'dayjs';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Spin,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';
import { MemberSelect } from '../member/MemberSelect';
import { OrgFilter } from '../org/OrgPicker';
import { useSubmit } from '../../platform/useSubmit';

const OTHER = '__other__';
const rate = (a: number, b: number) => (b ? Math.round((a / b) * 100) : 0);

type TalkForm = {
  memberId: string;
  talkerSeat: string;
  talker?: string;
  heldOn: Dayjs;
  topic: string;
  summary?: string;
};

function TalkDialog({
  orgId,
  seats,
  onClose,
}: {
  orgId: string;
  seats: TalkCoverage['seats'];
  onClose: (saved: boolean) => void;
}) {
  const [form] = Form.useForm<TalkForm>();
  const seat = Form.useWatch('talkerSeat', form);
  return (
    <FormDialog<TalkForm>
      title="登记谈心谈话"
      open
      onClose={() => onClose(false)}
      okText="登记"
      form={form}
      initialValues={{
        talkerSeat: seats[0]?.memberId ?? OTHER,
        heldOn: dayjs(todayInChina()),
        topic: '思想、工作和生活情况',
      }}
      onSubmit={async (v) => {
        await api.post('/talks', {
          orgId,
          memberId: v.memberId,
          ...(v.talkerSeat === OTHER ? { talker: v.talker ?? '' } : { talkerMemberId: v.talkerSeat }),
          heldOn: v.heldOn.format('YYYY-MM-DD'),
          topic: v.topic,
          summary: v.summary ?? '',
        });
        onClose(true);
      }}
    >
      <Form.Item name="memberId" label="谈话对象" rules={[{ required: true, message: '请选择谈话对象' }]}>
        <MemberSelect orgId={orgId} />
      </Form.Item>
      <Form.Item name="talkerSeat" label="谈话人" rules={[{ required: true, message: '请选择谈话人' }]}>
        <Select
          options={[
            ...seats.map((s) => ({ value: s.memberId, label: `${s.name}（${s.position}）` })),
            { value: OTHER, label: '其他人（填写姓名，不计入委员覆盖）' },
          ]}
        />
      </Form.Item>
      {seat === OTHER && (
        <Form.Item name="talker" label="谈话人姓名" rules={[{ required: true, message: '请填写谈话人' }]}>
          <Input aria-label="谈话人姓名" maxLength={50} />
        </Form.Item>
      )}
      <Form.Item name="heldOn" label="谈话日期" rules={[{ required: true, message: '请选择谈话日期' }]}>
        <DatePicker aria-label="谈话日期" disabledDate={(d) => d.isAfter(dayjs(todayInChina()), 'day')} />
      </Form.Item>
      <Form.Item name="topic" label="谈话主题" rules={[{ required: true, message: '请填写谈话主题' }]}>
        <Input aria-label="谈话主题" maxLength={200} />
      </Form.Item>
      <Form.Item name="summary" label="谈话要点（党员看不到）">
        <Input.TextArea aria-label="谈话要点" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
      </Form.Item>
    </FormDialog>
  );
}

function CoverageTab({ orgId, year, keeper }: { orgId: string; year: number; keeper: boolean }) {
  const [gaps, setGaps] = useState(false);
  const [adding, setAdding] = useState(false);
  const { busy, run } = useSubmit('toast');
  const { message } = AntApp.useApp();
  const afterSave = useAfterSave();
  const { page, pageSize, setPage, pagination } = usePaging('人');
  const cov = useAsync(
    () => api.get<TalkCoverage>(`/orgs/${orgId}/talk-coverage`, { year, gaps, page, pageSize }),
    [orgId, year, gaps, page, pageSize],
  );
  if (cov.error) return <LoadError error={cov.error} onRetry={cov.reload} />;
  if (!cov.data) return <Spin className="xf-center-small" />;
  const c = cov.data;
  const thisYear = year === Number(todayInChina().slice(0, 4));
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={
          <>
            {c.citation} {!c.citationConfirmed && <Tag>待核实原文</Tag>}
          </>
        }
        description={c.reading}
      />
      <div className="xf-talk-stats">
        <Card size="small">
          <Statistic title="在册党员（人）" value={c.members} />
        </Card>
        <Card size="small">
          <Statistic title="已谈心谈话（人）" value={c.talkedWith} suffix={`/ ${c.members}`} />
        </Card>
        <Card size="small">
          <Statistic title="委员—党员覆盖" value={`${rate(c.pairsCovered, c.pairsDue)}%`} />
          <Typography.Text type="secondary">
            {c.pairsCovered} / {c.pairsDue} 对
          </Typography.Text>
        </Card>
      </div>
      {c.seats.length === 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="本组织没有登记现任委员（或委员未关联党员档案），只统计每名党员是否已谈。"
        />
      ) : (
        <div className="xf-talk-seats">
          {c.seats.map((s) => (
            <Card size="small" key={s.memberId}>
              <div className="xf-talk-seat-head">
                <b>{s.name}</b> <Typography.Text type="secondary">{s.position}</Typography.Text>
              </div>
              <Progress
                percent={rate(s.covered, s.due)}
                size="small"
                status={s.covered >= s.due ? 'success' : 'normal'}
              />
              <Typography.Text type="secondary">
                已谈 {s.covered} / {s.due} 人
              </Typography.Text>
            </Card>
          ))}
        </div>
      )}
      {c.unlinkedSeats.length > 0 && (
        <Typography.Paragraph type="secondary">
          未关联党员档案的委员（不计入）：{c.unlinkedSeats.join('、')}
        </Typography.Paragraph>
      )}
      <div className="xf-toolbar">
        <Space wrap>
          <Switch
            checked={gaps}
            onChange={(v) => {
              setGaps(v);
              setPage(1);
            }}
            aria-label="只看未谈完"
          />
          <span>只看未谈完的党员</span>
        </Space>
        {keeper && (
          <Space wrap>
            <Button type="primary" onClick={() => setAdding(true)}>
              登记谈话
            </Button>
            {thisYear && c.seats.length > 0 && (
              <Button
                loading={busy}
                onClick={async () => {
                  await run(async () => {
                    const r = await api.post<TalkReminderResult>(`/orgs/${orgId}/talk-reminders`, {});
                    message.info(r.message);
                  });
                }}
              >
                提醒委员
              </Button>
            )}
          </Space>
        )}
      </div>
      <Table<TalkCoverageRow>
        rowKey="memberId"
        size="small"
        dataSource={c.items}
        pagination={pagination(c.total)}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: '党员',
            dataIndex: 'name',
            fixed: 'left',
            render: (n: string, r) => (
              <span className="xf-nowrap" title={r.orgName}>
                {n}
              </span>
            ),
          },
          ...c.seats.map((s) => ({
            title: <span className="xf-nowrap">{s.name}</span>,
            key: s.memberId,
            render: (_: unknown, r: TalkCoverageRow) =>
              r.memberId === s.memberId ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : r.bySeat[s.memberId] ? (
                <span className="xf-nowrap">{r.bySeat[s.memberId]!.slice(5)}</span>
              ) : (
                <Tag color="orange">未谈</Tag>
              ),
          })),
          {
            title: <span className="xf-nowrap">全年</span>,
            dataIndex: 'talks',
            render: (n: number) => (n ? `${n} 次` : <Tag color="red">无</Tag>),
          },
          { title: '所在组织', dataIndex: 'orgName', responsive: ['md'] },
        ]}
      />
      {adding && (
        <TalkDialog orgId={orgId} seats={c.seats} onClose={afterSave(() => setAdding(false), '已登记', cov.reload)} />
      )}
    </>
  );
}

function RecordsTab({ orgId, year }: { orgId: string; year: number }) {
  const { page, pageSize, pagination } = usePaging('次');
  const list = useAsync(
    () => api.get<Page<TalkRecord>>('/talks', { orgId, year, page, pageSize }),
    [orgId, year, page, pageSize],
  );
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  return (
    <Table<TalkRecord>
      rowKey="id"
      size="small"
      loading={list.loading}
      dataSource={list.data?.items ?? []}
      pagination={pagination(list.data?.total ?? 0)}
      scroll={{ x: 'max-content' }}
      expandable={{ expandedRowRender: (r) => r.summary || '（未填写要点）', rowExpandable: () => true }}
      columns={[
        { title: '日期', dataIndex: 'heldOn', render: (d: string) => <span className="xf-nowrap">{d}</span> },
        { title: '谈话对象', dataIndex: 'memberName', render: (n: string) => <span className="xf-nowrap">{n}</span> },
        {
          title: '谈话人',
          dataIndex: 'talker',
          render: (n: string, r) => (
            <span className="xf-nowrap">
              {n}
              {!r.talkerMemberId && <Tag style={{ marginLeft: 4 }}>未关联</Tag>}
            </span>
          ),
        },
        { title: '主题', dataIndex: 'topic' },
      ]}
    />
  );
}

export function TalksPage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const keeper = inGroup(RECORD_KEEPERS, current?.role ?? '');
  const thisYear = Number(todayInChina().slice(0, 4));
  const tab = params.get('tab') ?? 'coverage';
  const orgId = params.get('org') ?? current?.orgId;
  const year = Number(params.get('year') ?? thisYear);
  return (
    <Card
      className="xf-talk-page"
      title={
        <span>
          <MessageOutlined /> 谈心谈话
        </span>
      }
    >
      <div className="xf-toolbar">
        <OrgFilter minWidth={240} value={orgId} onPick={(org) => set({ org })} />
        <Select
          aria-label="年度"
          value={year}
          style={{ width: 120 }}
          onChange={(y) => set({ year: y === thisYear ? undefined : String(y) })}
          options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))}
        />
      </div>
      {orgId && (
        <Tabs
          activeKey={tab}
          onChange={(k) => set({ tab: k })}
          destroyOnHidden
          items={[
            {
              key: 'coverage',
              label: '覆盖情况',
              children: <CoverageTab key={`${orgId}-${year}`} orgId={orgId} year={year} keeper={keeper} />,
            },
            {
              key: 'records',
              label: '谈话记录',
              children: <RecordsTab key={`${orgId}-${year}`} orgId={orgId} year={year} />,
            },
          ]}
        />
      )}
    </Card>
  );
}
