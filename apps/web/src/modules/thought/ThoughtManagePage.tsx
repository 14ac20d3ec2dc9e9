/**
 * 思想汇报管理 (desktop): the reports of the org subtree to read, mark and comment (书记, 组织部, 系统管理员); who
 * has not reported this period, with 「提醒」; the 思想动态 overview (counts and rates, never a report's text);
 * the 流动党员 cadence of the org and the rules with their sources.
 */
import { SolutionOutlined } from '@ant-design/icons';
import {
  inGroup,
  periodLabel,
  RECORD_KEEPERS,
  THOUGHT_CADENCE_LABELS,
  THOUGHT_CADENCES,
  THOUGHT_CATEGORY_LABELS,
  THOUGHT_MARK_LABELS,
  THOUGHT_MARKS,
  type ThoughtCadence,
  type ThoughtMark,
  type ThoughtOverdueRow,
  type ThoughtOverview,
  type ThoughtReportBrief,
  type ThoughtReportDetail,
  type ThoughtSettings,
  type ThoughtTheme,
  todayInChina,
} from '@xianfeng/shared';
import dayjs, { type Dayjs } from 'dayjs';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { RecordDrawer } from '../../platform/RecordDrawer';
import { PagedTable } from '../../platform/PagedTable';
import { ProxyReasonField } from '../../platform/ProxyReason';
import { useSubmit } from '../../platform/useSubmit';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { OrgFilter } from '../org/OrgPicker';
import { fmtDay, MarkTag, THEME_OPTIONS, ThemeTags, themeRule } from './labels';

function ReportDrawer({ id, onClose, onSaved }: { id: string | null; onClose: () => void; onSaved: () => void }) {
  const report = useAsync(
    () => (id ? api.get<ThoughtReportDetail>(`/thought-reports/${id}`) : Promise.resolve(null)),
    [id],
  );
  const { busy, error, run } = useSubmit();
  const { message } = AntApp.useApp();
  const r = report.data;
  return (
    <RecordDrawer title={r ? r.title : '思想汇报'} open={id !== null} onClose={onClose} width={640} load={report}>
      {(r) => (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="姓名">{r.memberName}</Descriptions.Item>
            <Descriptions.Item label="组织">{r.orgName}</Descriptions.Item>
            <Descriptions.Item label="期次">{periodLabel(r.period)}</Descriptions.Item>
            <Descriptions.Item label="主要内容">
              {r.themes.length ? <ThemeTags themes={r.themes} /> : '未选'}
            </Descriptions.Item>
            <Descriptions.Item label={r.paper ? '收到（书面）' : '提交'}>{fmtDay(r.submittedAt)}</Descriptions.Item>
            {r.enteredBy !== null && (
              <Descriptions.Item label="代为填写">{r.enteredBy || '书记'}代为录入</Descriptions.Item>
            )}
          </Descriptions>
          <div className="xf-thought-text">
            {r.text || <Typography.Text type="secondary">（只保存了纸质原件）</Typography.Text>}
          </div>
          {r.comment && (
            <div className="xf-thought-feedback">
              <div className="xf-thought-feedback-head">
                {r.commentedBy} 批阅于 {fmtDay(r.commentedAt)} · <MarkTag mark={r.mark} />
              </div>
              {r.comment}
            </div>
          )}
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {r.comment ? '修改批阅' : '批阅'}
          </Typography.Title>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Form<{ mark: ThoughtMark; comment: string }>
            layout="vertical"
            initialValues={{ mark: r.mark ?? 'read', comment: r.comment ?? '' }}
            onFinish={async (v) => {
              await run(async () => {
                await api.post(`/thought-reports/${r.id}/comment`, v);
                message.success('已批阅，已通知本人');
                await report.reload();
                onSaved();
              });
            }}
          >
            <Form.Item name="mark" label="批阅结果">
              <Radio.Group
                optionType="button"
                options={THOUGHT_MARKS.map((m) => ({ value: m, label: THOUGHT_MARK_LABELS[m] }))}
              />
            </Form.Item>
            <Form.Item name="comment" label="批阅意见" rules={[{ required: true, message: '请填写批阅意见' }]}>
              <Input.TextArea aria-label="批阅意见" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              保存批阅
            </Button>
          </Form>
        </>
      )}
    </RecordDrawer>
  );
}

function QueueTab({ orgId }: { orgId?: string }) {
  const [status, setStatus] = useState<'pending' | 'commented' | 'all'>('pending');
  const { page, pageSize, setPage, pagination } = usePaging('份');
  const list = useAsync(
    () => api.get<Page<ThoughtReportBrief>>('/thought/queue', { orgId, status, page, pageSize }),
    [orgId, status, page, pageSize],
  );
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <Segmented
        value={status}
        onChange={(v) => {
          setStatus(v as typeof status);
          setPage(1);
        }}
        options={[
          { value: 'pending', label: '待批阅' },
          { value: 'commented', label: '已批阅' },
          { value: 'all', label: '全部' },
        ]}
        style={{ marginBottom: 12 }}
      />
      <PagedTable<ThoughtReportBrief>
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 720 }}
        onOpen={(r) => setOpen(r.id)}
        columns={[
          {
            title: '姓名',
            dataIndex: 'memberName',
            width: 130,
            render: (n: string, r) => (
              <>
                {n} {r.paper && <Tag>书面</Tag>}
                {r.enteredBy !== null && <Tag color="gold">代为填写</Tag>}
              </>
            ),
          },
          { title: '组织', dataIndex: 'orgName', width: 180, ellipsis: true },
          { title: '期次', dataIndex: 'period', width: 150, render: (p: string) => periodLabel(p) },
          { title: '标题', dataIndex: 'title', ellipsis: true },
          {
            title: '主要内容',
            dataIndex: 'themes',
            width: 200,
            render: (themes: ThoughtTheme[]) => <ThemeTags themes={themes} />,
          },
          { title: '提交', dataIndex: 'submittedAt', width: 110, render: fmtDay },
          { title: '结果', dataIndex: 'mark', width: 90, render: (m: ThoughtMark | null) => <MarkTag mark={m} /> },
          {
            title: '',
            key: 'op',
            width: 80,
            render: (_, r) => (
              <Button type="link" size="small" onClick={() => setOpen(r.id)}>
                {r.mark ? '查看' : '批阅'}
              </Button>
            ),
          },
        ]}
      />
      <ReportDrawer id={open} onClose={() => setOpen(null)} onSaved={() => void list.reload()} />
    </>
  );
}

/**
 * A report the branch records for someone on the 本期未交 list (their period, a title, then the dialog's own
 * fields): saved through `save`, its refusal shown above the form and the form kept.
 */
function RecordDialog<T extends { title: string; period: string }>(props: {
  row: ThoughtOverdueRow;
  heading: string;
  okText: string;
  intro?: ReactNode;
  initial?: Partial<T>;
  save: (v: T) => Promise<unknown>;
  onClose: (saved: boolean) => void;
  children: ReactNode;
}) {
  const { row } = props;
  return (
    <FormDialog<T>
      title={props.heading}
      open
      onClose={() => props.onClose(false)}
      okText={props.okText}
      intro={props.intro}
      initialValues={{ title: `${periodLabel(row.period)}思想汇报`, period: row.period, ...props.initial }}
      onSubmit={async (v) => {
        await props.save(v);
        props.onClose(true);
      }}
    >
      <Form.Item name="period" label="期次">
        <Select aria-label="期次" disabled options={[{ value: row.period, label: periodLabel(row.period) }]} />
      </Form.Item>
      <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
        <Input aria-label="标题" maxLength={100} />
      </Form.Item>
      {props.children}
      <Form.Item name="themes" label="主要内容（可选，最多 3 项）" rules={[themeRule]}>
        <Select aria-label="主要内容" mode="multiple" options={THEME_OPTIONS} />
      </Form.Item>
    </FormDialog>
  );
}

type PaperValues = { title: string; period: string; receivedOn: Dayjs; text?: string; themes?: ThoughtTheme[] };

function PaperDialog({ row, onClose }: { row: ThoughtOverdueRow | null; onClose: (saved: boolean) => void }) {
  if (!row) return null;
  return (
    <RecordDialog<PaperValues>
      row={row}
      heading={`登记书面思想汇报：${row.name}`}
      okText="登记"
      initial={{ receivedOn: dayjs(todayInChina()) }}
      onClose={onClose}
      save={(v) =>
        api.post(`/thought-persons/${row.id}/reports`, {
          title: v.title,
          period: v.period,
          receivedOn: v.receivedOn.format('YYYY-MM-DD'),
          text: v.text ?? '',
          themes: v.themes ?? [],
        })
      }
    >
      <Form.Item name="receivedOn" label="收到日期" rules={[{ required: true, message: '请选择收到日期' }]}>
        <DatePicker aria-label="收到日期" disabledDate={(d) => d.isAfter(dayjs(todayInChina()), 'day')} />
      </Form.Item>
      <Form.Item name="text" label="内容或摘要（可不填，只保存纸质原件时留空）">
        <Input.TextArea aria-label="内容或摘要" autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20000} />
      </Form.Item>
    </RecordDialog>
  );
}

type ProxyValues = { title: string; period: string; text: string; themes?: ThoughtTheme[]; reason: string };

/**
 * 代为填写 (issue 24): a member without a phone, or who cannot use one, dictates or hands in their report and the
 * 书记 enters it — the member's report for the period, marked as entered for them (the reason goes to the audit).
 */
function ProxyDialog({ row, onClose }: { row: ThoughtOverdueRow | null; onClose: (saved: boolean) => void }) {
  if (!row) return null;
  return (
    <RecordDialog<ProxyValues>
      row={row}
      heading={`代为填写思想汇报：${row.name}`}
      okText="保存"
      intro={
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="用于本人没有手机或不会使用手机的党员：按本人口述或交来的书面汇报录入。汇报记在本人名下，标明由您代为填写，本人以后登录可以看到；原因记入审计日志。"
        />
      }
      onClose={onClose}
      save={(v) =>
        api.post(`/members/${row.id}/thought-reports`, {
          title: v.title,
          period: v.period,
          text: v.text,
          themes: v.themes ?? [],
          reason: v.reason,
        })
      }
    >
      <Form.Item
        name="text"
        label="汇报内容（按本人口述或书面汇报录入）"
        rules={[{ required: true, min: 20, message: '汇报内容至少 20 字' }]}
      >
        <Input.TextArea aria-label="汇报内容" autoSize={{ minRows: 4, maxRows: 12 }} maxLength={20000} />
      </Form.Item>
      <ProxyReasonField />
    </RecordDialog>
  );
}

function OverdueTab({ orgId, canRemind }: { orgId?: string; canRemind: boolean }) {
  const { page, pageSize, pagination } = usePaging('人');
  const list = useAsync(
    () => api.get<Page<ThoughtOverdueRow>>('/thought/overdue', { orgId, page, pageSize }),
    [orgId, page, pageSize],
  );
  const { message } = AntApp.useApp();
  const afterSave = useAfterSave();
  const { busyKey: busy, run } = useSubmit('toast');
  const [paper, setPaper] = useState<ThoughtOverdueRow | null>(null);
  const [proxy, setProxy] = useState<ThoughtOverdueRow | null>(null);
  const remind = async (memberIds?: string[]) => {
    if (!orgId) return;
    await run(
      async () => {
        const r = await api.post<{ reminded: number; skipped: number }>('/thought/reminders', {
          orgId,
          ...(memberIds ? { memberIds } : {}),
        });
        message.success(r.reminded ? `已提醒 ${r.reminded} 人` : '今天已提醒过，或没有可以在系统中提醒的人');
      },
      { key: memberIds?.[0] ?? 'all' },
    );
  };
  return (
    <>
      <div className="xf-toolbar" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">
          本期应交而尚未提交思想汇报的人员（预备党员、入党积极分子、发展对象、流动党员）。
        </Typography.Text>
        {canRemind && (
          <Button
            onClick={() => void remind()}
            loading={busy === 'all'}
            disabled={!list.data?.items.some((r) => r.canRemind)}
          >
            全部提醒
          </Button>
        )}
      </div>
      <PagedTable<ThoughtOverdueRow>
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 760 }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 100 },
          {
            title: '身份',
            dataIndex: 'categories',
            width: 160,
            render: (cs: ThoughtOverdueRow['categories']) =>
              cs.map((c) => <Tag key={c}>{THOUGHT_CATEGORY_LABELS[c]}</Tag>),
          },
          { title: '组织', dataIndex: 'orgName', ellipsis: true },
          { title: '本期', dataIndex: 'period', width: 150, render: (p: string) => periodLabel(p) },
          { title: '截止', dataIndex: 'periodEnd', width: 110 },
          { title: '上次提交', dataIndex: 'lastSubmittedAt', width: 110, render: fmtDay },
          {
            title: '',
            key: 'op',
            width: 190,
            render: (_, r) =>
              !canRemind ? (
                r.canRemind ? null : (
                  <Typography.Text type="secondary">线下提醒</Typography.Text>
                )
              ) : r.kind === 'develop' ? (
                <Button size="small" type="link" onClick={() => setPaper(r)}>
                  登记书面汇报
                </Button>
              ) : (
                <Space size={4}>
                  {r.canRemind && (
                    <Button size="small" loading={busy === r.id} onClick={() => void remind([r.id])}>
                      提醒
                    </Button>
                  )}
                  <Button size="small" type="link" onClick={() => setProxy(r)}>
                    代为填写
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <ProxyDialog row={proxy} onClose={afterSave(() => setProxy(null), '已代为填写', list.reload)} />
      <PaperDialog row={paper} onClose={afterSave(() => setPaper(null), '已登记', list.reload)} />
    </>
  );
}

const pct = (rate: number | null) => (rate === null ? '—' : `${rate}%`);

function OverviewTab({ orgId }: { orgId?: string }) {
  const ov = useAsync(() => api.get<ThoughtOverview>('/thought/overview', { orgId }), [orgId]);
  if (ov.error) return <LoadError error={ov.error} onRetry={ov.reload} />;
  if (!ov.data) return <Spin className="xf-center-small" />;
  const d = ov.data;
  return (
    <>
      <div className="xf-thought-stats">
        <Card size="small">
          <Statistic title="本期应交（人）" value={d.expected} />
        </Card>
        <Card size="small">
          <Statistic title="已交（人）" value={d.submitted} />
        </Card>
        <Card size="small">
          <Statistic title="提交率" value={pct(d.rate)} />
        </Card>
        <Card size="small">
          <Statistic title={`${periodLabel(d.quarter)}收到（份）`} value={d.received} />
        </Card>
      </div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag>待批阅 {d.marks.pending}</Tag>
        <Tag color="blue">已阅 {d.marks.read}</Tag>
        <Tag color="green">优秀 {d.marks.good}</Tag>
        <Tag color="orange">需改进 {d.marks.improve}</Tag>
      </Space>
      <Table
        rowKey="category"
        size="small"
        pagination={false}
        dataSource={d.byCategory}
        style={{ marginBottom: 16 }}
        columns={[
          { title: '身份', dataIndex: 'label' },
          { title: '应交', dataIndex: 'expected', width: 100 },
          { title: '已交', dataIndex: 'submitted', width: 100 },
          { title: '提交率', dataIndex: 'rate', width: 100, render: pct },
        ]}
      />
      <Card size="small" title={`${periodLabel(d.quarter)}汇报的主要内容（份）`} style={{ marginBottom: 16 }}>
        <Space wrap aria-label="汇报主要内容">
          {d.byTheme.map((t) => (
            <Tag key={t.theme} color={t.count > 0 ? 'geekblue' : undefined}>
              {t.label} {t.count}
            </Tag>
          ))}
        </Space>
      </Card>
      {d.byOrg.length > 0 && (
        <Table
          rowKey="orgId"
          size="small"
          pagination={false}
          dataSource={d.byOrg}
          columns={[
            { title: '下级组织', dataIndex: 'orgName' },
            { title: '应交', dataIndex: 'expected', width: 100 },
            { title: '已交', dataIndex: 'submitted', width: 100 },
            { title: '提交率', dataIndex: 'rate', width: 100, render: pct },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        思想动态只统计人数、比例和汇报人自己选择的主要内容份数，不显示任何人的汇报内容。
      </Typography.Paragraph>
    </>
  );
}

function SettingsTab({ orgId, canEdit }: { orgId?: string; canEdit: boolean }) {
  const s = useAsync(() => api.get<ThoughtSettings>('/thought/settings', { orgId }), [orgId]);
  const { message } = AntApp.useApp();
  const { busy, run } = useSubmit('toast');
  if (s.error) return <LoadError error={s.error} onRetry={s.reload} />;
  if (!s.data) return <Spin className="xf-center-small" />;
  const save = (c: ThoughtCadence) =>
    run(async () => {
      s.setData(await api.put<ThoughtSettings>('/thought/settings', { orgId: s.data!.orgId, flowingCadence: c }));
      message.success('已保存');
    });
  return (
    <>
      <Form layout="vertical" style={{ maxWidth: 560 }}>
        <Form.Item label="流动党员思想汇报周期" extra={s.data.own ? '本组织设定' : '沿用上级设定或默认（每季度）'}>
          <Radio.Group
            optionType="button"
            disabled={!canEdit || busy}
            value={s.data.flowingCadence}
            onChange={(e) => void save(e.target.value as ThoughtCadence)}
            options={THOUGHT_CADENCES.map((c) => ({ value: c, label: THOUGHT_CADENCE_LABELS[c] }))}
          />
        </Form.Item>
      </Form>
      <Table
        rowKey="category"
        size="small"
        pagination={false}
        dataSource={s.data.rules}
        columns={[
          { title: '身份', dataIndex: 'label', width: 120 },
          {
            title: '周期',
            dataIndex: 'cadence',
            width: 100,
            render: (c: string) => THOUGHT_CADENCE_LABELS[c as ThoughtCadence] ?? c,
          },
          {
            title: '依据',
            dataIndex: 'citation',
            render: (c: string, r) => (
              <>
                {c} {!r.confirmed && <Tag color="default">待核实原文</Tag>}
              </>
            ),
          },
        ]}
      />
    </>
  );
}

export function ThoughtManagePage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const keeper = inGroup(RECORD_KEEPERS, current?.role ?? '');
  const tab = params.get('tab') ?? (keeper ? 'queue' : 'overview');
  const orgId = params.get('org') ?? current?.orgId;
  return (
    <Card
      className="xf-thought-page"
      title={
        <span>
          <SolutionOutlined /> 思想汇报管理
        </span>
      }
    >
      <div className="xf-toolbar">
        <OrgFilter value={orgId} onPick={(org) => set({ org })} />
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k })}
        destroyOnHidden
        items={[
          ...(keeper ? [{ key: 'queue', label: '批阅', children: <QueueTab orgId={orgId} /> }] : []),
          { key: 'overdue', label: '本期未交', children: <OverdueTab orgId={orgId} canRemind={keeper} /> },
          { key: 'overview', label: '思想动态', children: <OverviewTab orgId={orgId} /> },
          { key: 'settings', label: '汇报周期', children: <SettingsTab orgId={orgId} canEdit={keeper} /> },
        ]}
      />
    </Card>
  );
}
