/** 预警: structure problems across the org's subtree (换届逾期, too few members, no secretary, …). */
import { Button, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { LoadError } from '../../platform/LoadError';

export type StructureWarning = { orgId: string; orgName: string; code: string; message: string; citation: string };

export function WarningsTab({ orgId, onSelect }: { orgId: string; onSelect: (id: string) => void }) {
  const [page, setPage] = useState(1);
  const list = useAsync(
    () => api.get<Page<StructureWarning>>(`/orgs/${orgId}/warnings`, { page, pageSize: 20 }),
    [orgId, page],
  );
  return (
    <>
      <LoadError error={list.error} onRetry={list.reload} />
      <List
        loading={list.loading}
        locale={{ emptyText: '没有预警，组织设置齐全' }}
        dataSource={list.data?.items ?? []}
        pagination={
          (list.data?.total ?? 0) > 20
            ? { current: page, pageSize: 20, total: list.data?.total, onChange: setPage, size: 'small' }
            : false
        }
        header={list.data ? <Typography.Text>共 {list.data.total} 条预警</Typography.Text> : undefined}
        renderItem={(w) => (
          <List.Item>
            <List.Item.Meta
              title={
                <span className="xf-wrap">
                  <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onSelect(w.orgId)}>
                    <Tag color="red" style={{ marginInlineEnd: 0, cursor: 'pointer' }}>
                      {w.orgName}
                    </Tag>
                  </Button>{' '}
                  {w.message}
                </span>
              }
              description={<span className="xf-wrap">依据：{w.citation}</span>}
            />
          </List.Item>
        )}
      />
    </>
  );
}
