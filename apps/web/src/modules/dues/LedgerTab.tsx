/**
 * 台账与上缴: the org's monthly ledger (chart and table, opening and closing balance),
 * remittances upward (上缴), usage entries with approval (党费使用), the reconciliation report
 * with its checks, and the Excel export of everything.
 */
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Form, Input, Select, Table, Tag } from 'antd';
import { useState, type ReactNode } from 'react';
import type { ColumnsType } from 'antd/es/table';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { DateInput, decisionColumn, DecideButtons, DecideDialog, MonthPicker } from './common';
import { addMonths, ApprovalTag, Figure, thisMonth, thisYear, toFen, today, yuan, yuanPlain } from './format';
import { LedgerChart } from './LedgerChart';
import type { Ledger, LedgerMonth, Reconciliation, ReconRow, Remittance, Usage } from './types';
import { LoadError } from '../../platform/LoadError';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useSubmit } from '../../platform/useSubmit';

const money = (title: string, dataIndex: string) => ({
  title,
  dataIndex,
  align: 'right' as const,
  render: (f: number) => yuanPlain(f),
});

type EntryKind = 'remittance' | 'usage';
function EntryDialog({
  kind,
  orgId,
  centralHeldFen = 0,
  onClose,
}: {
  kind: EntryKind | null;
  orgId?: string;
  /** Money owed to the Central Committee still held: it goes up first with the next remittance. */
  centralHeldFen?: number;
  onClose: (saved: boolean) => void;
}) {
  return (
    <FormDialog<{ month: string; date: string; amount: string; purpose?: string; note?: string }>
      title={kind === 'remittance' ? '登记党费上缴' : '登记党费使用'}
      open={Boolean(kind)}
      okText={kind === 'remittance' ? '登记上缴' : '提交审批'}
      onClose={() => onClose(false)}
      intro={
        kind === 'remittance' &&
        centralHeldFen > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message={`待上缴中央 ${yuan(centralHeldFen)}`}
            description="党员自愿一次多交 1000 元以上的党费，全部上缴中央。本次上缴先计入这部分，请在上缴金额中包含它。"
          />
        )
      }
      initialValues={{ month: addMonths(thisMonth(), -1), date: today() }}
      onSubmit={async (v) => {
        if (!orgId) return;
        const note = v.note?.trim() ? { note: v.note.trim() } : {};
        if (kind === 'remittance')
          await api.post('/dues/remittances', {
            orgId,
            periodMonth: v.month,
            amountFen: toFen(v.amount),
            remittedOn: v.date,
            ...note,
          });
        else
          await api.post('/dues/usages', {
            orgId,
            spentOn: v.date,
            amountFen: toFen(v.amount),
            purpose: (v.purpose ?? '').trim(),
            ...note,
          });
        onClose(true);
      }}
    >
      {kind === 'remittance' && (
        <Form.Item name="month" label="所属月份" rules={[{ required: true, message: '请选择月份' }]}>
          <MonthPicker aria-label="所属月份" style={{ width: '100%' }} />
        </Form.Item>
      )}
      {kind === 'usage' && (
        <Form.Item name="purpose" label="用途" rules={[{ required: true, min: 2, message: '请填写用途' }]}>
          <Input maxLength={200} placeholder="如：购买党员教育学习书籍" />
        </Form.Item>
      )}
      <Form.Item
        name="amount"
        label="金额（元）"
        rules={[
          { required: true, message: '请填写金额' },
          {
            validator: (_, v) =>
              !v || (toFen(v) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error('请填写大于 0 的金额')),
          },
        ]}
      >
        <Input inputMode="decimal" suffix="元" />
      </Form.Item>
      <Form.Item
        name="date"
        label={kind === 'remittance' ? '上缴日期' : '使用日期'}
        rules={[{ required: true, message: '请选择日期' }]}
      >
        <DateInput aria-label={kind === 'remittance' ? '上缴日期' : '使用日期'} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
      </Form.Item>
    </FormDialog>
  );
}

function LedgerTable({ l }: { l: Ledger }) {
  const t = l.totals;
  return (
    <Table<LedgerMonth>
      rowKey="month"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={l.items}
      columns={[
        { title: '月份', dataIndex: 'month', fixed: 'left' },
        money('应缴', 'billedFen'),
        money('已缴（账单）', 'paidBillsFen'),
        money('未缴', 'unpaidFen'),
        money('实收', 'collectedFen'),
        money('其中自愿多交', 'extraFen'),
        money('上缴', 'remittedFen'),
        money('使用', 'usedFen'),
        money('本月净额', 'netFen'),
        money('结余', 'balanceFen'),
        money('其中待上缴中央', 'centralHeldFen'),
        money('可用结余', 'usableFen'),
      ]}
      summary={() => (
        <Table.Summary.Row className="xf-dues-sum">
          <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
          {(
            [
              'billedFen',
              'paidBillsFen',
              'unpaidFen',
              'collectedFen',
              'extraFen',
              'remittedFen',
              'usedFen',
              'netFen',
              'closingFen',
              'closingCentralHeldFen',
              'closingUsableFen',
            ] as const
          ).map((k, i) => (
            <Table.Summary.Cell key={k} index={i + 1} align="right">
              {yuanPlain(t[k] ?? 0)}
            </Table.Summary.Cell>
          ))}
        </Table.Summary.Row>
      )}
    />
  );
}

/**
 * One kind of the year's entries below the ledger (上缴, 使用): a card with its 「登记…」 button for a keeper, the
 * entries, and (as `children`) the dialogs that add and decide them.
 */
function EntriesCard<T extends object>({
  title,
  addLabel,
  manager,
  onAdd,
  list,
  empty,
  columns,
  children,
}: {
  title: string;
  addLabel: string;
  manager: boolean;
  onAdd: () => void;
  list: { data?: Page<T>; loading: boolean };
  empty: string;
  columns: ColumnsType<T>;
  children: ReactNode;
}) {
  return (
    <Card
      size="small"
      title={title}
      className="xf-dues-block"
      extra={
        manager && (
          <Button size="small" icon={<PlusOutlined />} onClick={onAdd}>
            {addLabel}
          </Button>
        )
      }
    >
      <Table<T>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: empty }}
        columns={columns}
      />
      {children}
    </Card>
  );
}

function Remittances({
  orgId,
  year,
  manager,
  centralHeldFen,
  onChanged,
}: {
  orgId?: string;
  year: number;
  manager: boolean;
  centralHeldFen: number;
  onChanged: () => void;
}) {
  const afterSave = useAfterSave();
  const [adding, setAdding] = useState(false);
  const list = useAsync(
    () => api.get<Page<Remittance>>('/dues/remittances', { orgId, year, pageSize: 100 }),
    [orgId, year],
  );
  return (
    <EntriesCard<Remittance>
      title="党费上缴"
      addLabel="登记上缴"
      manager={manager}
      onAdd={() => setAdding(true)}
      list={list}
      empty="这一年没有上缴记录"
      columns={[
        { title: '所属月份', dataIndex: 'periodMonth' },
        { title: '上缴组织', dataIndex: 'orgName' },
        { title: '上缴至', dataIndex: 'toOrgName', render: (n: string | null) => n ?? '—' },
        money('金额（元）', 'amountFen'),
        money('其中上缴中央', 'centralFen'),
        { title: '上缴日期', dataIndex: 'remittedOn' },
        { title: '备注', dataIndex: 'note', render: (n: string | null) => n ?? '' },
      ]}
    >
      <EntryDialog
        kind={adding ? 'remittance' : null}
        orgId={orgId}
        centralHeldFen={centralHeldFen}
        onClose={afterSave(
          () => setAdding(false),
          '已登记上缴',
          () => {
            void list.reload();
            onChanged();
          },
        )}
      />
    </EntriesCard>
  );
}

function Usages({
  orgId,
  year,
  manager,
  onChanged,
}: {
  orgId?: string;
  year: number;
  manager: boolean;
  onChanged: () => void;
}) {
  const { message } = AntApp.useApp();
  const afterSave = useAfterSave();
  const [adding, setAdding] = useState(false);
  const [deciding, setDeciding] = useState<{ u: Usage; approve: boolean } | null>(null);
  const list = useAsync(() => api.get<Page<Usage>>('/dues/usages', { orgId, year, pageSize: 100 }), [orgId, year]);
  return (
    <EntriesCard<Usage>
      title="党费使用"
      addLabel="登记使用"
      manager={manager}
      onAdd={() => setAdding(true)}
      list={list}
      empty="这一年没有使用记录"
      columns={[
        { title: '日期', dataIndex: 'spentOn' },
        { title: '组织', dataIndex: 'orgName' },
        { title: '用途', dataIndex: 'purpose' },
        money('金额（元）', 'amountFen'),
        { title: '状态', dataIndex: 'status', render: (s: string) => <ApprovalTag status={s} /> },
        decisionColumn,
        ...(manager
          ? [
              {
                title: '操作',
                key: 'op',
                render: (_: unknown, u: Usage) =>
                  u.status === 'pending' ? <DecideButtons onDecide={(approve) => setDeciding({ u, approve })} /> : null,
              },
            ]
          : []),
      ]}
    >
      <EntryDialog
        kind={adding ? 'usage' : null}
        orgId={orgId}
        onClose={afterSave(() => setAdding(false), '已提交，批准后计入台账并公开', list.reload)}
      />
      <DecideDialog
        open={Boolean(deciding)}
        approve={deciding?.approve ?? true}
        title={
          deciding
            ? `${deciding.approve ? '批准' : '驳回'}：${deciding.u.purpose}（${yuan(deciding.u.amountFen)}）`
            : ''
        }
        onClose={() => setDeciding(null)}
        onDecide={async (note) => {
          if (!deciding) return;
          await api.post(`/dues-usages/${deciding.u.id}/decision`, { approve: deciding.approve, note });
          message.success(deciding.approve ? '已批准，计入台账' : '已驳回');
          void list.reload();
          onChanged();
        }}
      />
    </EntriesCard>
  );
}

function ReconciliationCard({ orgId, year }: { orgId?: string; year: number }) {
  const from = `${year}-01`;
  const to = year === thisYear() ? thisMonth() : `${year}-12`;
  const r = useAsync(
    () => api.get<Reconciliation>('/dues/reconciliation', { orgId, from, to, pageSize: 200 }),
    [orgId, from, to],
  );
  return (
    <Card
      size="small"
      title={`对账报表（${from} 至 ${to}）`}
      className="xf-dues-block"
      extra={r.data && (r.data.ok ? <Tag color="green">勾稽相符</Tag> : <Tag color="red">存在不符</Tag>)}
    >
      <LoadError error={r.error} onRetry={r.reload} />
      {r.data && (
        <>
          <ul className="xf-dues-checks">
            {r.data.checks.map((c) => (
              <li key={c.name} data-testid="recon-check">
                {c.ok ? (
                  <CheckCircleFilled style={{ color: '#52a35a' }} />
                ) : (
                  <CloseCircleFilled style={{ color: '#c8161d' }} />
                )}{' '}
                {c.label}
                {!c.ok && (
                  <span className="xf-dues-muted">
                    （应为 {yuan(c.expectedFen)}，实为 {yuan(c.actualFen)}）
                  </span>
                )}
              </li>
            ))}
          </ul>
          <Table<ReconRow>
            rowKey="orgId"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={r.data.items}
            columns={[
              {
                title: '组织',
                dataIndex: 'orgName',
                fixed: 'left',
                render: (n: string, row) => <span style={{ paddingLeft: row.depth * 12 }}>{n}</span>,
              },
              money('应缴', 'billedFen'),
              money('已缴', 'paidBillsFen'),
              money('未缴', 'unpaidFen'),
              money('免交', 'exemptedFen'),
              money('实收', 'collectedFen'),
              money('自愿多交', 'extraFen'),
              money('上缴', 'remittedOutFen'),
              money('收到上缴', 'remittedInFen'),
              money('使用', 'usedFen'),
              money('结余', 'netFen'),
            ]}
          />
        </>
      )}
    </Card>
  );
}

export function LedgerTab() {
  const { current, can } = useAuth();
  const orgId = current?.orgId;
  const manager = can(...RECORD_KEEPERS);
  const [year, setYear] = useState(thisYear());
  const { busy: exporting, run: runExporting } = useSubmit('toast');
  const l = useAsync(() => api.get<Ledger>('/dues/ledger', { orgId, year }), [orgId, year]);
  const years = [thisYear(), thisYear() - 1, thisYear() - 2];
  return (
    <>
      <div className="xf-toolbar">
        <Select
          aria-label="年度"
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: `${y} 年` }))}
          style={{ width: 110 }}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={exporting}
          onClick={async () => {
            await runExporting(async () => {
              await api.download('/dues/export', { orgId, year });
            });
          }}
        >
          导出 Excel
        </Button>
      </div>
      <LoadError error={l.error} onRetry={l.reload} />
      {l.data && (
        <>
          <div className="xf-dues-stats xf-dues-stats-wide">
            <Figure label="年初结余" value={yuan(l.data.openingFen)} />
            <Figure label="全年实收" value={yuan(l.data.totals.collectedFen ?? 0)} />
            <Figure label="上缴" value={yuan(l.data.totals.remittedFen ?? 0)} />
            <Figure label="使用" value={yuan(l.data.totals.usedFen ?? 0)} />
            <Figure label="结余" value={yuan(l.data.totals.closingFen ?? 0)} />
            {(l.data.totals.closingCentralHeldFen ?? 0) > 0 && (
              <Figure
                label="其中待上缴中央"
                value={yuan(l.data.totals.closingCentralHeldFen ?? 0)}
                title={l.data.centralRule}
              />
            )}
            <Figure label="可用结余" value={yuan(l.data.totals.closingUsableFen ?? 0)} />
          </div>
          <Card size="small" title={`${l.data.org.name} ${year} 年党费台账`} className="xf-dues-block">
            <LedgerChart items={l.data.items} />
            <LedgerTable l={l.data} />
          </Card>
        </>
      )}
      <Remittances
        orgId={orgId}
        year={year}
        manager={manager}
        centralHeldFen={l.data?.totals.closingCentralHeldFen ?? 0}
        onChanged={() => void l.reload()}
      />
      <Usages orgId={orgId} year={year} manager={manager} onChanged={() => void l.reload()} />
      <ReconciliationCard orgId={orgId} year={year} />
    </>
  );
}
