/**
 * 月度账单: generate a month's bills (a background job; running it twice creates nothing twice)
 * with its progress, the bills with filters, recording an offline cash/transfer payment, and
 * the payment record (online and offline) with receipts.
 */
import { PlusOutlined } from '@ant-design/icons';
import {
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  PAYMENT_STATUS_LABELS,
  DUES_BILL_STATUSES,
  DUES_BILL_STATUS_LABELS,
  RECORD_KEEPERS,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Segmented,
  Select,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { DateInput, MonthPicker, useDuesOrg, useFilters, waitForJob } from './common';
import {
  BillStatusTag,
  categoryLabel,
  channelLabel,
  dateTime,
  PaymentStatusTag,
  rateText,
  thisMonth,
  toFen,
  today,
  yuan,
  yuanPlain,
} from './format';
import type { DuesBill, DuesPayment, Job } from './types';
import { PagedTable } from '../../platform/PagedTable';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';
import { AutomationBar } from './AutomationBar';
import { useSubmit } from '../../platform/useSubmit';

function OfflineDialog({ bill, onClose }: { bill: DuesBill | null; onClose: (saved?: DuesPayment) => void }) {
  return (
    <FormDialog<{
      method: 'cash' | 'transfer';
      paidOn: string;
      catchUp: boolean;
      aheadMonths: number;
      extra: string;
      reference?: string;
      note?: string;
    }>
      title={bill ? `登记线下缴费：${bill.memberName} ${bill.month}（${yuan(bill.dueFen)}）` : ''}
      open={Boolean(bill)}
      okText="登记并出具收据"
      onClose={() => onClose()}
      initialValues={{
        method: 'cash',
        paidOn: today(),
        catchUp: true,
        aheadMonths: 0,
        extra: '',
        reference: '',
        note: '',
      }}
      onSubmit={async (v) => {
        if (!bill) return;
        const saved = await api.post<DuesPayment>(`/dues-bills/${bill.id}/offline-payment`, {
          method: v.method,
          paidOn: v.paidOn,
          catchUp: v.catchUp,
          aheadMonths: v.aheadMonths ?? 0,
          extraFen: toFen(v.extra) ?? 0,
          ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        onClose(saved);
      }}
    >
      <Form.Item name="method" label="缴费方式">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'cash', label: '现金' },
            { value: 'transfer', label: '银行转账' },
          ]}
        />
      </Form.Item>
      <Form.Item name="paidOn" label="缴费日期" rules={[{ required: true, message: '请选择日期' }]}>
        <DateInput aria-label="缴费日期" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="catchUp" valuePropName="checked">
        <Checkbox>同时补交此前未交的月份</Checkbox>
      </Form.Item>
      <Form.Item name="aheadMonths" label="预交以后月数">
        <InputNumber min={0} max={6} precision={0} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item
        name="extra"
        label="自愿多交（元）"
        rules={[
          {
            validator: (_, v) =>
              !v || toFen(v) !== undefined ? Promise.resolve() : Promise.reject(new Error('请填写金额')),
          },
        ]}
      >
        <Input inputMode="decimal" suffix="元" placeholder="没有请留空" />
      </Form.Item>
      <Form.Item name="reference" label="转账流水号 / 收据存根号">
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input maxLength={200} />
      </Form.Item>
    </FormDialog>
  );
}

function Generate({ orgId, month, onDone }: { orgId?: string; month: string; onDone: () => void }) {
  const { message } = AntApp.useApp();
  const { busy, run } = useSubmit('toast');
  const [job, setJob] = useState<Job | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const running = Boolean(job && (job.status === 'queued' || job.status === 'running'));
  const start = async () => {
    setResult(null);
    await run(async () => {
      const { jobId } = await api.post<{ jobId: string }>('/dues/bills/generate', { orgId, month });
      const done = await waitForJob(jobId, setJob);
      if (done.status === 'failed') message.error(done.error?.message ?? '生成失败');
      else {
        const r = done.result as { created: number; missingBase: number } | null;
        setResult(
          `${month} 账单已生成：新生成 ${r?.created ?? 0} 张${r?.missingBase ? `，${r.missingBase} 名党员未核定基数未生成` : ''}`,
        );
        onDone();
      }
    });
    setJob(null);
  };
  const percent = job && job.total > 0 ? Math.floor((job.progress / job.total) * 100) : 0;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} loading={busy || running} onClick={() => void start()}>
        生成 {month} 账单
      </Button>
      {running && (
        <Progress percent={percent} status="active" size="small" style={{ width: 200 }} aria-label="生成进度" />
      )}
      {result && (
        <Alert
          type="success"
          showIcon
          message={result}
          className="xf-dues-inline-alert"
          closable
          onClose={() => setResult(null)}
        />
      )}
    </>
  );
}

function Bills() {
  const { can } = useAuth();
  const afterSave = useAfterSave();
  // A link may name the org, month and status (the 驾驶舱's collection rate opens a month's unpaid bills).
  const { orgId, params, banner } = useDuesOrg();
  const manager = can(...RECORD_KEEPERS);
  const asked = params.get('status');
  const { filters, filter, page, pageSize, pagination } = useFilters<{
    month?: string;
    status?: DuesBill['status'];
    q: string;
  }>({ month: params.get('month') ?? thisMonth(), status: DUES_BILL_STATUSES.find((s) => s === asked), q: '' }, '张');
  const { month, status, q } = filters;
  const [paying, setPaying] = useState<DuesBill | null>(null);
  const list = useAsync(
    () => api.get<Page<DuesBill>>('/dues/bills', { orgId, month, status, q, page, pageSize }),
    [orgId, month, status, q, page, pageSize],
  );
  return (
    <>
      {manager && <AutomationBar />}
      {banner}
      <div className="xf-toolbar">
        <MonthPicker aria-label="账单月份" allowClear value={month} onChange={(m) => filter({ month: m })} />
        <Select
          aria-label="状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 120 }}
          value={status}
          onChange={(s) => filter({ status: s })}
          options={DUES_BILL_STATUSES.map((s) => ({ value: s, label: DUES_BILL_STATUS_LABELS[s] }))}
        />
        <Input.Search
          allowClear
          placeholder="搜索姓名"
          style={{ width: 180 }}
          onSearch={(v) => filter({ q: v.trim() })}
        />
        {manager && <Generate orgId={orgId} month={month ?? thisMonth()} onDone={() => void list.reload()} />}
      </div>
      <PagedTable<DuesBill>
        scroll={{ x: 'max-content' }}
        list={list}
        pagination={pagination}
        columns={[
          { title: '姓名', dataIndex: 'memberName', fixed: 'left' },
          { title: '所在组织', dataIndex: 'orgName', responsive: ['md'] },
          { title: '月份', dataIndex: 'month' },
          { title: '类别', dataIndex: 'category', render: categoryLabel, responsive: ['md'] },
          { title: '基数（元）', dataIndex: 'baseFen', align: 'right', render: yuanPlain, responsive: ['md'] },
          { title: '比例', dataIndex: 'rateBp', render: rateText, responsive: ['md'] },
          { title: '应交（元）', dataIndex: 'dueFen', align: 'right', render: yuanPlain },
          { title: '状态', dataIndex: 'status', render: (s: DuesBill['status']) => <BillStatusTag status={s} /> },
          { title: '缴费时间', dataIndex: 'paidAt', render: dateTime, responsive: ['md'] },
          {
            title: '操作',
            key: 'op',
            render: (_, b) =>
              b.status === 'paid' && b.paymentId ? (
                <Link to={`/dues/receipt/${b.paymentId}`}>收据</Link>
              ) : b.status === 'unpaid' && manager && b.dueFen > 0 ? (
                <Button size="small" onClick={() => setPaying(b)}>
                  登记线下缴费
                </Button>
              ) : null,
          },
        ]}
      />
      <OfflineDialog
        bill={paying}
        onClose={afterSave(
          () => setPaying(null),
          (saved) => `已登记 ${yuan(saved.amountFen)}，收据号 ${saved.receiptNo ?? ''}`,
          list.reload,
        )}
      />
    </>
  );
}

function Payments() {
  const { current } = useAuth();
  const orgId = current?.orgId;
  const { filters, filter, page, pageSize, pagination } = useFilters<{
    month?: string;
    channel?: string;
    status?: string;
  }>({}, '笔');
  const { month, channel, status } = filters;
  const list = useAsync(
    () => api.get<Page<DuesPayment>>('/dues/payments', { orgId, month, channel, status, page, pageSize }),
    [orgId, month, channel, status, page, pageSize],
  );
  return (
    <>
      <div className="xf-toolbar">
        <MonthPicker aria-label="缴费月份" allowClear value={month} onChange={(m) => filter({ month: m })} />
        <Select
          aria-label="支付方式"
          allowClear
          placeholder="全部方式"
          style={{ width: 130 }}
          value={channel}
          onChange={(c) => filter({ channel: c })}
          options={PAYMENT_CHANNELS.map((c) => ({ value: c, label: channelLabel(c) }))}
        />
        <Select
          aria-label="支付状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 150 }}
          value={status}
          onChange={(s) => filter({ status: s })}
          options={PAYMENT_STATUSES.map((s) => ({ value: s, label: PAYMENT_STATUS_LABELS[s] }))}
        />
      </div>
      <PagedTable<DuesPayment>
        scroll={{ x: 'max-content' }}
        list={list}
        pagination={pagination}
        columns={[
          { title: '姓名', dataIndex: 'memberName', fixed: 'left' },
          { title: '所在组织', dataIndex: 'orgName', responsive: ['md'] },
          {
            title: '月份',
            dataIndex: 'months',
            render: (m: string[]) => (m.length > 1 ? `${m[0]} 至 ${m.at(-1)}` : m[0]),
          },
          { title: '金额（元）', dataIndex: 'amountFen', align: 'right', render: yuanPlain },
          {
            title: '自愿多交',
            dataIndex: 'extraFen',
            align: 'right',
            render: (f: number) => (f ? yuanPlain(f) : '—'),
            responsive: ['md'],
          },
          { title: '方式', dataIndex: 'channel', render: channelLabel },
          { title: '状态', dataIndex: 'status', render: (s: DuesPayment['status']) => <PaymentStatusTag status={s} /> },
          { title: '缴费时间', dataIndex: 'paidAt', render: dateTime, responsive: ['md'] },
          {
            title: '交易单号',
            dataIndex: 'providerTradeNo',
            render: (t: string | null) => t ?? '—',
            responsive: ['xxl'],
          },
          {
            title: '收据',
            key: 'r',
            render: (_, p) => (p.receiptNo ? <Link to={`/dues/receipt/${p.id}`}>{p.receiptNo}</Link> : '—'),
          },
        ]}
      />
    </>
  );
}

export function BillsTab() {
  const [view, setView] = useState<'bills' | 'payments'>('bills');
  return (
    <>
      <Segmented
        className="xf-dues-segmented"
        value={view}
        onChange={(v) => setView(v as 'bills' | 'payments')}
        options={[
          { value: 'bills', label: '账单' },
          { value: 'payments', label: '缴费记录' },
        ]}
      />
      {view === 'bills' ? <Bills /> : <Payments />}
    </>
  );
}
