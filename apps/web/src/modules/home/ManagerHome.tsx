/** The desktop 工作台's own part: the org's member figures and its structure warnings (HomePage.tsx loads it). */
import type { MemberStats } from '@xianfeng/shared';
import { Card, List, Statistic, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';

type Warning = { orgId: string; orgName: string; code: string; message: string; citation: string };

export function ManagerHome({ orgId }: { orgId: string }) {
  const stats = useAsync(() => api.get<MemberStats>('/members/stats', { orgId }), [orgId]);
  const warnings = useAsync(() => api.get<Page<Warning>>(`/orgs/${orgId}/warnings`, { pageSize: 10 }), [orgId]);
  const s = stats.data;
  return (
    <>
      <LoadError error={stats.error} onRetry={stats.reload} />
      <div className="xf-stat-grid">
        <Card>
          <Statistic title="党员总数" value={s?.total ?? 0} loading={stats.loading} />
        </Card>
        <Card>
          <Statistic title="正式党员" value={s?.byStatus['full'] ?? 0} loading={stats.loading} />
        </Card>
        <Card>
          <Statistic title="预备党员" value={s?.byStatus['probationary'] ?? 0} loading={stats.loading} />
        </Card>
        <Card>
          <Statistic title="女党员" value={s?.byGender['female'] ?? 0} loading={stats.loading} />
        </Card>
      </div>
      <Card title="组织设置预警" style={{ marginTop: 16 }} extra={<Link to="/orgs">组织管理</Link>}>
        <LoadError error={warnings.error} onRetry={warnings.reload} />
        <List
          loading={warnings.loading}
          locale={{ emptyText: '没有预警，组织设置齐全' }}
          dataSource={warnings.data?.items ?? []}
          footer={
            warnings.data && warnings.data.total > warnings.data.items.length
              ? `共 ${warnings.data.total} 条，仅显示前 10 条`
              : undefined
          }
          renderItem={(w) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <>
                    <Tag color="red">{w.orgName}</Tag>
                    {w.message}
                  </>
                }
                description={w.citation}
              />
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}
