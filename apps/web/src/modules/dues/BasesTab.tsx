/**
 * 缴费基数: every member's base in force for a month (or only those without one), editing a
 * member's base, the payroll Excel import (all or nothing, every row/field problem listed), and
 * the members' correction requests to decide.
 */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Input, Modal, Switch, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { api, errorText, fieldProblems, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { useAfterSave } from '../../platform/FormDialog';
import { BaseDialog, type BaseTarget } from './BaseDialog';
import { DecideButtons, DecideDialog, MonthPicker, useFilters } from './common';
import { ApprovalTag, categoryLabel, dateTime, monthText, rateText, thisMonth, yuan, yuanPlain } from './format';
import type { BaseRow, Correction } from './types';
import { PagedTable } from '../../platform/PagedTable';
import { RECORD_KEEPERS } from '@xianfeng/shared';
import { useSubmit } from '../../platform/useSubmit';

const SOURCE_LABELS: Record<string, string> = { manual: '手工核定', import: '工资表导入', correction: '更正申请' };
type Problem = { row?: number; field?: string; message: string };

function ImportDialog({
  open,
  orgId,
  onClose,
}: {
  open: boolean;
  orgId: string;
  onClose: (imported: boolean) => void;
}) {
  const { message } = AntApp.useApp();
  const { busy, run } = useSubmit();
  const template = useSubmit('toast');
  const [result, setResult] = useState<{ imported: number } | { message: string; problems: Problem[] } | null>(null);
  return (
    <Modal
      title="从工资表导入党费基数"
      open={open}
      width={720}
      footer={null}
      onCancel={() => {
        const imported = Boolean(result && 'imported' in result);
        setResult(null);
        onClose(imported);
      }}
      destroyOnHidden
    >
      <p>
        按模板整理工资表（每人一行：姓名、身份证号、月核定基数、生效月份，类别可留空），任何一行有误都不会导入，并会列出每一处错误。
      </p>
      <div className="xf-toolbar">
        <Button
          icon={<DownloadOutlined />}
          loading={template.busy}
          onClick={() => template.run(() => api.download('/dues/bases/import-template'))}
        >
          下载导入模板
        </Button>
        <Upload
          accept=".xlsx"
          showUploadList={false}
          beforeUpload={async (f) => {
            if (!/\.xlsx$/i.test(f.name)) {
              message.error('请选择 .xlsx 格式的 Excel 文件');
              return Upload.LIST_IGNORE;
            }
            setResult(null);
            await run(
              async () => {
                const form = new FormData();
                form.append('file', f, f.name);
                setResult(await api.post<{ imported: number }>(`/dues/bases/import?orgId=${orgId}`, form));
              },
              { onError: (e) => setResult({ message: errorText(e), problems: fieldProblems(e) }) },
            );
            return false;
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} loading={busy}>
            选择填好的工资表
          </Button>
        </Upload>
      </div>
      {result && 'imported' in result && (
        <Alert type="success" showIcon message={`导入成功：已核定 ${result.imported} 名党员的基数`} />
      )}
      {result && 'problems' in result && (
        <>
          <Alert
            type="error"
            showIcon
            message={result.message}
            description={
              result.problems.length
                ? `共 ${result.problems.length} 处问题，本次没有导入任何数据。`
                : '本次没有导入任何数据。'
            }
            style={{ marginBottom: 12 }}
          />
          {result.problems.length > 0 && (
            <Table<Problem & { key: number }>
              size="small"
              dataSource={result.problems.map((p, i) => ({ ...p, key: i }))}
              pagination={result.problems.length > 10 ? { pageSize: 10, size: 'small' } : false}
              columns={[
                { title: '行号', dataIndex: 'row', width: 80, render: (r?: number) => (r ? `第 ${r} 行` : '—') },
                { title: '列', dataIndex: 'field', width: 120, render: (f?: string) => f || '—' },
                { title: '问题', dataIndex: 'message' },
              ]}
            />
          )}
        </>
      )}
    </Modal>
  );
}

function Corrections({ orgId, onDecided }: { orgId?: string; onDecided: () => void }) {
  const { message } = AntApp.useApp();
  const list = useAsync(
    () => api.get<Page<Correction>>('/dues/corrections', { orgId, status: 'pending', pageSize: 50 }),
    [orgId],
  );
  const [deciding, setDeciding] = useState<{ c: Correction; approve: boolean } | null>(null);
  if (!list.data || list.data.items.length === 0) return null;
  return (
    <Card size="small" title={`待处理的基数更正申请（${list.data.total}）`} className="xf-dues-block">
      <Table<Correction>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={list.data.items}
        columns={[
          { title: '党员', dataIndex: 'memberName' },
          { title: '申请基数', dataIndex: 'proposedBaseFen', render: (f: number) => yuan(f) },
          { title: '原因', dataIndex: 'reason' },
          { title: '申请时间', dataIndex: 'createdAt', render: dateTime, responsive: ['md'] },
          { title: '状态', dataIndex: 'status', render: (s: string) => <ApprovalTag status={s} /> },
          {
            title: '操作',
            key: 'op',
            render: (_, c) => <DecideButtons approveLabel="同意" onDecide={(approve) => setDeciding({ c, approve })} />,
          },
        ]}
      />
      <DecideDialog
        open={Boolean(deciding)}
        approve={deciding?.approve ?? true}
        title={
          deciding
            ? `${deciding.approve ? '同意' : '驳回'} ${deciding.c.memberName} 的基数更正（自 ${monthText(thisMonth())} 起）`
            : ''
        }
        onClose={() => setDeciding(null)}
        onDecide={async (note) => {
          if (!deciding) return;
          await api.post(`/dues-corrections/${deciding.c.id}/decision`, {
            approve: deciding.approve,
            note,
            ...(deciding.approve ? { effectiveFrom: thisMonth() } : {}),
          });
          message.success(deciding.approve ? '已同意，新基数自本月起生效' : '已驳回');
          void list.reload();
          onDecided();
        }}
      />
    </Card>
  );
}

export function BasesTab() {
  const { current, can } = useAuth();
  const afterSave = useAfterSave();
  const orgId = current?.orgId;
  const manager = can(...RECORD_KEEPERS);
  const [month, setMonth] = useState(thisMonth());
  const { filters, filter, page, pageSize, pagination } = useFilters({ q: '', missing: false }, '人');
  const { q, missing } = filters;
  const [editing, setEditing] = useState<BaseTarget | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useAsync(
    () => api.get<Page<BaseRow>>('/dues/bases', { orgId, month, q, missing: missing || undefined, page, pageSize }),
    [orgId, month, q, missing, page, pageSize],
  );
  return (
    <>
      {manager && <Corrections orgId={orgId} onDecided={() => void list.reload()} />}
      <div className="xf-toolbar">
        <MonthPicker aria-label="月份" value={month} onChange={(m) => m && setMonth(m)} />
        <Input.Search
          allowClear
          placeholder="搜索姓名"
          onSearch={(v) => filter({ q: v.trim() })}
          style={{ width: 200 }}
        />
        <label className="xf-dues-switch">
          <Switch size="small" checked={missing} onChange={(v) => filter({ missing: v })} /> 只看未核定
        </label>
        {manager && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
            从工资表导入
          </Button>
        )}
      </div>
      <PagedTable<BaseRow>
        rowKey="memberId"
        scroll={{ x: 'max-content' }}
        list={list}
        pagination={pagination}
        columns={[
          { title: '姓名', dataIndex: 'memberName', fixed: 'left' },
          { title: '所在组织', dataIndex: 'orgName', responsive: ['md'] },
          {
            title: '类别',
            key: 'cat',
            render: (_, r) => categoryLabel(r.base?.category ?? r.memberCategory),
            responsive: ['md'],
          },
          {
            title: '月核定基数（元）',
            key: 'base',
            align: 'right',
            render: (_, r) => (r.base ? yuanPlain(r.base.monthlyBaseFen) : <Tag color="orange">未核定</Tag>),
          },
          {
            title: '比例',
            key: 'rate',
            render: (_, r) => (r.base ? rateText(r.base.rateBp) : '—'),
            responsive: ['md'],
          },
          {
            title: '月交（元）',
            key: 'm',
            align: 'right',
            render: (_, r) => (r.base ? yuanPlain(r.base.monthlyFen) : '—'),
          },
          { title: '起始月', key: 'from', render: (_, r) => r.base?.effectiveFrom ?? '—', responsive: ['md'] },
          {
            title: '来源',
            responsive: ['md'],
            key: 'src',
            render: (_, r) => (r.base ? (SOURCE_LABELS[r.base.source] ?? r.base.source) : '—'),
          },
          ...(manager
            ? [
                {
                  title: '操作',
                  key: 'op',
                  render: (_: unknown, r: BaseRow) => (
                    <Button
                      size="small"
                      onClick={() =>
                        setEditing({
                          memberId: r.memberId,
                          memberName: r.memberName,
                          category: r.memberCategory,
                          base: r.base,
                        })
                      }
                    >
                      核定基数
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <BaseDialog
        target={editing}
        onClose={afterSave(
          () => setEditing(null),
          (saved) => `已核定：每月应交 ${yuan(saved.monthlyFen)}`,
          list.reload,
        )}
      />
      <ImportDialog
        open={importing && Boolean(orgId)}
        orgId={orgId ?? ''}
        onClose={(imported) => {
          setImporting(false);
          if (imported) void list.reload();
        }}
      />
    </>
  );
}
