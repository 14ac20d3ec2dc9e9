/**
 * 工作台: what the signed-in person should look at first. Managers see their org's numbers,
 * structure warnings and transfers waiting for them; members see their own record.
 */
import { RECORD_READERS, ROLE_LABELS, type Member, type MemberStats } from '@xianfeng/shared';
import { Alert, Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { modules } from '..';
import { Fragment } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { allows } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { LoadError } from '../../platform/LoadError';

type Warning = { orgId: string; orgName: string; code: string; message: string; citation: string };

function ManagerHome({ orgId }: { orgId: string }) {
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

function MemberHome() {
  const me = useAsync(() => api.get<Member>('/members/me'), []);
  if (me.error) return <Alert type="info" showIcon message="您的账号尚未关联党员档案" />;
  const m = me.data;
  return (
    <Card loading={me.loading} title="我的党员档案">
      {m && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Statistic title="党龄（年）" value={m.partyYears ?? '预备期'} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="政治生日" value={m.politicalBirthday} />
          </Col>
          <Col xs={24} md={12}>
            <Typography.Paragraph>
              {m.name}，{m.orgName}，{m.status === 'full' ? '正式党员' : '预备党员'}，{m.joinedAt} 入党
            </Typography.Paragraph>
          </Col>
        </Row>
      )}
    </Card>
  );
}

export function HomePage() {
  const { me, current } = useAuth();
  if (!me || !current) return <Alert type="warning" showIcon message="您的账号还没有分配角色，请联系管理员" />;
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {me.displayName}，您好
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        当前身份：{current.orgName} · {ROLE_LABELS[current.role]}
      </Typography.Paragraph>
      {allows(RECORD_READERS, current.role) ? <ManagerHome orgId={current.orgId} /> : <MemberHome />}
      {/* A grid, not columns: a card with nothing to say renders nothing and leaves no hole. */}
      <div className="xf-home-cards">
        {modules
          .flatMap((m) => m.homeCards ?? [])
          .filter((c) => allows(c.roles, current.role))
          .sort((a, b) => a.order - b.order)
          .map((c) => (
            // Keyed by binding too: switching org or role reloads every card.
            <Fragment key={`${c.key}-${current.role}-${current.orgId}`}>{c.render(current)}</Fragment>
          ))}
      </div>
    </>
  );
}
