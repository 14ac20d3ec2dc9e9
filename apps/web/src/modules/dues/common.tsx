/**
 * Small pieces shared by the 党费管理 tabs: month/date pickers in 'YYYY-MM' / 'YYYY-MM-DD', a paged list's filters, a
 * decision dialog, job polling.
 */
import { Alert, Button, DatePicker, Input, Modal } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import type { Job } from './types';
import { useSubmit } from '../../platform/useSubmit';

export function MonthPicker({
  value,
  onChange,
  id,
  allowClear = false,
  ...rest
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  allowClear?: boolean;
  'aria-label'?: string;
  style?: React.CSSProperties;
}) {
  return (
    <DatePicker
      id={id}
      picker="month"
      format="YYYY-MM"
      allowClear={allowClear}
      value={value ? dayjs(`${value}-01`) : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM') : undefined)}
      {...rest}
    />
  );
}

export function DateInput({
  value,
  onChange,
  id,
  ...rest
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}) {
  return (
    <DatePicker
      id={id}
      format="YYYY-MM-DD"
      allowClear={false}
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)}
      {...rest}
    />
  );
}

/**
 * A server-paged list's filters and its paging (`usePaging`, `unit` counts the rows in 「共 N …」). `filter` sets
 * some of them and goes back to the first page: a list filtered anew starts at its top.
 */
export function useFilters<F extends object>(initial: F, unit: string) {
  const paging = usePaging(unit);
  const [filters, setFilters] = useState<F>(initial);
  const filter = (patch: Partial<F>) => {
    paging.setPage(1);
    setFilters((f) => ({ ...f, ...patch }));
  };
  return { ...paging, filters, filter };
}

/** 批准 (or 同意) and 驳回 side by side in a request's 操作 cell; either opens the DecideDialog. */
export function DecideButtons({
  approveLabel = '批准',
  onDecide,
}: {
  approveLabel?: string;
  onDecide: (approve: boolean) => void;
}) {
  return (
    <span className="xf-dues-ops">
      <Button size="small" type="primary" onClick={() => onDecide(true)}>
        {approveLabel}
      </Button>
      <Button size="small" danger onClick={() => onDecide(false)}>
        驳回
      </Button>
    </span>
  );
}

/** Who decided a request, and their note: the 审批 column of the exemptions and the usages. */
export const decisionColumn = {
  title: '审批',
  key: 'd',
  render: (_: unknown, r: { decidedBy: string | null; decisionNote: string | null }) =>
    r.decidedBy ? `${r.decidedBy}${r.decisionNote ? `：${r.decisionNote}` : ''}` : '—',
};

/** 批准 / 驳回 with a note; the note is required to reject. */
export function DecideDialog({
  open,
  title,
  approve,
  onDecide,
  onClose,
}: {
  open: boolean;
  title: string;
  approve: boolean;
  onDecide: (note: string) => Promise<void>;
  onClose: () => void;
}) {
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useSubmit();
  return (
    <Modal
      title={title}
      open={open}
      okText={approve ? '批准' : '驳回'}
      okButtonProps={{ danger: !approve, disabled: !approve && note.trim().length < 2 }}
      confirmLoading={busy}
      onCancel={onClose}
      afterOpenChange={(o) => {
        if (o) {
          setNote('');
          setError(null);
        }
      }}
      onOk={async () => {
        await run(async () => {
          await onDecide(note.trim());
          onClose();
        });
      }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Input.TextArea
        aria-label="处理意见"
        placeholder={approve ? '处理意见（可不填）' : '请填写驳回理由'}
        value={note}
        maxLength={200}
        autoSize={{ minRows: 2, maxRows: 4 }}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a background job until it ends, reporting progress; resolves with the finished job. */
export async function waitForJob(
  jobId: string,
  onProgress: (j: Job) => void,
  alive: () => boolean = () => true,
): Promise<Job> {
  for (;;) {
    const job = await api.get<Job>(`/jobs/${jobId}`);
    onProgress(job);
    if (job.status === 'done' || job.status === 'failed' || !alive()) return job;
    await sleep(500);
  }
}

/**
 * The org whose bills or arrears a tab lists: `?orgId=` when a link gave one (the 驾驶舱's figures open the list of
 * the org they count, which may be below one's own), else the role's org. A banner names an org from the address
 * and leads back to one's own.
 */
export function useDuesOrg() {
  const { current } = useAuth();
  const [params, setParams] = useSearchParams();
  const asked = params.get('orgId');
  const other = asked && asked !== current?.orgId ? asked : undefined;
  const named = useAsync(() => (other ? api.get<{ name: string }>(`/orgs/${other}`) : Promise.resolve(null)), [other]);
  const banner = other ? (
    <Alert
      type="info"
      showIcon
      className="xf-dues-block"
      data-testid="dues-org-scope"
      message={`范围：${named.data?.name ?? '…'}及下级组织`}
      action={
        <Button size="small" onClick={() => setParams({ tab: params.get('tab') ?? 'bills' }, { replace: true })}>
          看本组织
        </Button>
      }
    />
  ) : null;
  return { orgId: other ?? current?.orgId, params, banner };
}
