/** 审计日志: search who changed what, and verify that nobody edited the hash-chained log. */
import type { AuditEntry, AuditVerifyReply } from '@xianfeng/shared';
import { Alert, Button, Card, Input, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { LoadError } from '../../platform/LoadError';
import { useSubmit } from '../../platform/useSubmit';

export function AuditPage() {
  const { busy, run } = useSubmit('toast');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [verify, setVerify] = useState<AuditVerifyReply | null>(null);
  const list = useAsync(() => api.get<Page<AuditEntry>>('/audit', { q, page, pageSize: 20 }), [q, page]);
  return (
    <Card title="审计日志">
      <div className="xf-toolbar">
        <Input.Search
          placeholder="按操作人、操作、对象检索"
          allowClear
          style={{ maxWidth: 320 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
        />
        <Button
          loading={busy}
          onClick={() => run(async () => setVerify(await api.get<AuditVerifyReply>('/audit/verify')))}
        >
          校验日志完整性
        </Button>
      </div>
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={verify.ok ? 'success' : 'error'}
          message={
            verify.ok
              ? `哈希链完整：已校验 ${verify.checked} 条记录${verify.checkpoints ? `，${verify.checkpoints} 个签名检查点（最新锚定到第 ${verify.anchoredTo} 条）` : ''}`
              : `日志被篡改或缺失：${verify.firstBrokenId ? `第 ${verify.firstBrokenId} 条记录，` : ''}${verify.reason ?? ''}`
          }
        />
      )}
      <LoadError error={list.error} onRetry={list.reload} />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items}
        scroll={{ x: 800 }}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 条`,
        }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: '操作人', dataIndex: 'actorName', width: 120 },
          { title: '操作', dataIndex: 'action', width: 180 },
          { title: '对象', dataIndex: 'entityType', width: 120 },
          {
            title: '变更',
            render: (_, e) => (
              <Typography.Text
                type="secondary"
                ellipsis={{ tooltip: JSON.stringify(e.after) }}
                style={{ maxWidth: 360 }}
              >
                {JSON.stringify(e.after)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
}
