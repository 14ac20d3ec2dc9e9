/**
 * 减免审批 (特殊困难减免): the branch requests (reason, months, what is still paid — 0 = 免交),
 * the committee above approves or rejects; approved months' bills change at once.
 */
import { PlusOutlined } from '@ant-design/icons';
import { APPROVAL_STATUSES, APPROVAL_STATUS_LABELS, EXEMPTION_CITATION, RECORD_KEEPERS } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { decisionColumn, DecideButtons, DecideDialog, MonthPicker, useFilters } from './common';
import { addMonths, ApprovalTag, dateTime, thisMonth, toFen, yuan } from './format';
import type { Exemption } from './types';
import { PagedTable } from '../../platform/PagedTable';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';
import { MemberSelect } from '../member/MemberSelect';

function RequestDialog({
  open,
  orgId,
  onClose,
}: {
  open: boolean;
  orgId?: string;
  onClose: (saved?: Exemption) => void;
}) {
  return (
    <FormDialog<{ memberId: string; fromMonth: string; toMonth: string; reduced: string; reason: string }>
      title="申请特殊困难减免"
      open={open}
      okText="提交上级审批"
      onClose={() => onClose()}
      intro={<Alert type="info" showIcon message={EXEMPTION_CITATION} style={{ marginBottom: 12 }} />}
      initialValues={{ fromMonth: thisMonth(), toMonth: addMonths(thisMonth(), 2), reduced: '0' }}
      onSubmit={async (v) =>
        onClose(
          await api.post<Exemption>(`/members/${v.memberId}/dues-exemptions`, {
            fromMonth: v.fromMonth,
            toMonth: v.toMonth,
            reducedFen: toFen(v.reduced) ?? 0,
            reason: v.reason.trim(),
          }),
        )
      }
    >
      <Form.Item name="memberId" label="党员" rules={[{ required: true, message: '请选择党员' }]}>
        <MemberSelect orgId={orgId} />
      </Form.Item>
      <div className="xf-dues-form-row">
        <Form.Item name="fromMonth" label="自" rules={[{ required: true, message: '请选择月份' }]}>
          <MonthPicker aria-label="减免开始月份" />
        </Form.Item>
        <Form.Item name="toMonth" label="至" rules={[{ required: true, message: '请选择月份' }]}>
          <MonthPicker aria-label="减免结束月份" />
        </Form.Item>
      </div>
      <Form.Item
        name="reduced"
        label="减免后每月交纳（元，0 为免交）"
        rules={[
          {
            validator: (_, v) =>
              toFen(v) !== undefined ? Promise.resolve() : Promise.reject(new Error('请填写金额，0 为免交')),
          },
        ]}
      >
        <Input inputMode="decimal" suffix="元" />
      </Form.Item>
      <Form.Item
        name="reason"
        label="困难情况与支部意见"
        rules={[{ required: true, min: 2, message: '请填写减免原因' }]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} />
      </Form.Item>
    </FormDialog>
  );
}

export function ExemptionsTab() {
  const { current, can } = useAuth();
  const { message } = AntApp.useApp();
  const afterSave = useAfterSave();
  const orgId = current?.orgId;
  const manager = can(...RECORD_KEEPERS);
  const { filters, filter, page, pageSize, pagination } = useFilters<{ status?: string }>({ status: 'pending' }, '件');
  const { status } = filters;
  const [requesting, setRequesting] = useState(false);
  const [deciding, setDeciding] = useState<{ e: Exemption; approve: boolean } | null>(null);
  const list = useAsync(
    () => api.get<Page<Exemption>>('/dues/exemptions', { orgId, status, page, pageSize }),
    [orgId, status, page, pageSize],
  );
  return (
    <>
      <div className="xf-toolbar">
        <Select
          aria-label="审批状态"
          allowClear
          placeholder="全部"
          style={{ width: 130 }}
          value={status}
          onChange={(s) => filter({ status: s })}
          options={APPROVAL_STATUSES.map((s) => ({ value: s, label: APPROVAL_STATUS_LABELS[s] }))}
        />
        {manager && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRequesting(true)}>
            申请减免
          </Button>
        )}
      </div>
      <PagedTable<Exemption>
        list={list}
        scroll={{ x: 'max-content' }}
        pagination={pagination}
        locale={{ emptyText: '没有减免申请' }}
        columns={[
          { title: '党员', dataIndex: 'memberName', fixed: 'left' },
          {
            title: '月份',
            key: 'm',
            render: (_, e) => (e.fromMonth === e.toMonth ? e.fromMonth : `${e.fromMonth} 至 ${e.toMonth}`),
          },
          { title: '减免后月交', dataIndex: 'reducedFen', render: (f: number) => (f ? yuan(f) : '免交') },
          { title: '原因', dataIndex: 'reason' },
          { title: '申请时间', dataIndex: 'createdAt', render: dateTime, responsive: ['md'] },
          { title: '状态', dataIndex: 'status', render: (s: string) => <ApprovalTag status={s} /> },
          decisionColumn,
          ...(manager
            ? [
                {
                  title: '操作',
                  key: 'op',
                  // Approval is for the committee above the branch (its own branch cannot approve).
                  render: (_: unknown, e: Exemption) =>
                    e.status === 'pending' && e.orgId === orgId ? (
                      <span className="xf-dues-muted">待上级党委审批</span>
                    ) : e.status === 'pending' ? (
                      <DecideButtons onDecide={(approve) => setDeciding({ e, approve })} />
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <RequestDialog
        open={requesting}
        orgId={orgId}
        onClose={afterSave(() => setRequesting(false), '已提交，待上级党委审批', list.reload)}
      />
      <DecideDialog
        open={Boolean(deciding)}
        approve={deciding?.approve ?? true}
        title={deciding ? `${deciding.approve ? '批准' : '驳回'} ${deciding.e.memberName} 的减免申请` : ''}
        onClose={() => setDeciding(null)}
        onDecide={async (note) => {
          if (!deciding) return;
          const r = await api.post<Exemption & { billsChanged?: number }>(
            `/dues-exemptions/${deciding.e.id}/decision`,
            {
              approve: deciding.approve,
              note,
            },
          );
          message.success(
            deciding.approve ? `已批准${r.billsChanged ? `，${r.billsChanged} 张账单已调整` : ''}` : '已驳回',
          );
          void list.reload();
        }}
      />
    </>
  );
}
