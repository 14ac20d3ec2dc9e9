/** The 党费 tab of a member's detail page: base in force and history, bills and payments with receipts. */
import { RECORD_KEEPERS, type Member } from '@xianfeng/shared';
import { Button, Card, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { useAfterSave } from '../../platform/FormDialog';
import { BaseDialog } from './BaseDialog';
import {
  BillStatusTag,
  categoryLabel,
  channelLabel,
  dateTime,
  Figure,
  PaymentStatusTag,
  rateText,
  yuan,
  yuanPlain,
} from './format';
import type { DuesBase, DuesBill, DuesPayment } from './types';

export function MemberDuesTab({ m }: { m: Member }) {
  const { can } = useAuth();
  const afterSave = useAfterSave();
  const manager = can(...RECORD_KEEPERS);
  const [editing, setEditing] = useState(false);
  const bases = useAsync(() => api.get<Page<DuesBase>>(`/members/${m.id}/dues-bases`, { pageSize: 20 }), [m.id]);
  const bills = useAsync(() => api.get<Page<DuesBill>>('/dues/bills', { memberId: m.id, pageSize: 24 }), [m.id]);
  const payments = useAsync(
    () => api.get<Page<DuesPayment>>('/dues/payments', { memberId: m.id, pageSize: 24 }),
    [m.id],
  );
  const base = bases.data?.items[0] ?? null;
  const unpaid = (bills.data?.items ?? []).filter((b) => b.status === 'unpaid');
  return (
    <div className="xf-dues-member">
      <div className="xf-dues-stats xf-dues-stats-wide">
        <Figure label="月核定基数" value={base ? yuan(base.monthlyBaseFen) : '未核定'} />
        <Figure label="每月应交" value={base ? `${yuan(base.monthlyFen)}（${rateText(base.rateBp)}）` : '—'} />
        <Figure
          label="未交"
          value={`${unpaid.length} 个月 · ${yuan(unpaid.reduce((s, b) => s + b.dueFen, 0))}`}
          className={unpaid.length >= 3 ? 'xf-dues-stat-warning' : undefined}
        />
        {manager && (
          <div className="xf-dues-stat-action">
            <Button onClick={() => setEditing(true)}>核定基数</Button>
          </div>
        )}
      </div>
      <Card size="small" title="账单" className="xf-dues-block">
        <Table<DuesBill>
          rowKey="id"
          size="small"
          loading={bills.loading}
          dataSource={bills.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '月份', dataIndex: 'month' },
            { title: '类别', dataIndex: 'category', render: categoryLabel },
            { title: '基数（元）', dataIndex: 'baseFen', align: 'right', render: yuanPlain },
            { title: '应交（元）', dataIndex: 'dueFen', align: 'right', render: yuanPlain },
            { title: '状态', dataIndex: 'status', render: (s: DuesBill['status']) => <BillStatusTag status={s} /> },
            { title: '缴费时间', dataIndex: 'paidAt', render: dateTime },
          ]}
        />
      </Card>
      <Card size="small" title="缴费记录" className="xf-dues-block">
        <Table<DuesPayment>
          rowKey="id"
          size="small"
          loading={payments.loading}
          dataSource={payments.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '月份', dataIndex: 'months', render: (ms: string[]) => ms.join('、') },
            { title: '金额（元）', dataIndex: 'amountFen', align: 'right', render: yuanPlain },
            { title: '方式', dataIndex: 'channel', render: channelLabel },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: DuesPayment['status']) => <PaymentStatusTag status={s} />,
            },
            { title: '时间', dataIndex: 'paidAt', render: dateTime },
            {
              title: '收据',
              key: 'r',
              render: (_, p) => (p.receiptNo ? <Link to={`/dues/receipt/${p.id}`}>{p.receiptNo}</Link> : '—'),
            },
          ]}
        />
      </Card>
      <BaseDialog
        target={editing ? { memberId: m.id, memberName: m.name, category: base?.category ?? 'employed', base } : null}
        onClose={afterSave(
          () => setEditing(false),
          (saved) => `已核定：每月应交 ${yuan(saved.monthlyFen)}`,
          bases.reload,
        )}
      />
    </div>
  );
}
