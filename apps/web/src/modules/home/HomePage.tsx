/**
 * 工作台: what the signed-in person should look at first. Managers see their org's numbers, structure warnings
 * and the modules' to-do cards, and can switch to the member view of their own record; members see the member
 * home (MemberHome.tsx: 现在要办, news, my records).
 */
import { RECORD_READERS, ROLE_LABELS, type MemberStats } from '@xianfeng/shared';
import { Alert, Card, List, Segmented, Statistic, Tag, Typography } from 'antd';
import { modules } from '..';
import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { allows, type HomeCard } from '../../platform/module';
import { useAsync } from '../../platform/useAsync';
import { LoadError } from '../../platform/LoadError';
import { MemberHome } from './MemberHome';

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

/** Module cards folded into the member view's 现在要办 (or shown there as news): not repeated beside it. */
const IN_MEMBER_VIEW = new Set([
  'meetings-upcoming',
  'dues',
  'media-must-read',
  'learn-todo',
  'voice-polls',
  'media-news',
]);

/** A manager's choice of home, kept on this device: their desktop 工作台, or the member view of their own record. */
const VIEW_KEY = 'xf.home.view';
const readView = () => {
  try {
    return localStorage.getItem(VIEW_KEY) === 'member' ? 'member' : 'desk';
  } catch {
    return 'desk';
  }
};

export function HomePage() {
  const { me, current } = useAuth();
  const [view, setView] = useState<'desk' | 'member'>(readView);
  if (!me || !current) return <Alert type="warning" showIcon message="您的账号还没有分配角色，请联系管理员" />;
  const manager = allows(RECORD_READERS, current.role);
  const memberView = !manager || view === 'member';
  const choose = (v: 'desk' | 'member') => {
    setView(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      // Private mode: the choice lasts this visit.
    }
  };
  const cards = modules
    .flatMap((m) => m.homeCards ?? [])
    .filter((c) => allows(c.roles, memberView ? 'member' : current.role))
    .sort((a, b) => a.order - b.order);
  // Keyed by binding too: switching org or role reloads every card.
  const render = (c: HomeCard) => (
    <Fragment key={`${c.key}-${current.role}-${current.orgId}`}>{c.render(current)}</Fragment>
  );
  return (
    <>
      <div className="xf-home-head">
        <div>
          <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 4 }}>
            {me.displayName}，您好
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
            当前身份：{current.orgName} · {ROLE_LABELS[current.role]}
          </Typography.Paragraph>
        </div>
        {manager && (
          <Segmented
            className="xf-home-view"
            aria-label="首页视图"
            value={view}
            onChange={(v) => choose(v as 'desk' | 'member')}
            options={[
              { value: 'desk', label: '工作台' },
              { value: 'member', label: '党员视图' },
            ]}
          />
        )}
      </div>
      {memberView ? (
        <MemberHome
          extraCards={cards.filter((c) => !IN_MEMBER_VIEW.has(c.key)).map(render)}
          news={cards.filter((c) => c.key === 'media-news').map(render)}
        />
      ) : (
        <>
          <ManagerHome orgId={current.orgId} />
          {/* A grid, not columns: a card with nothing to say renders nothing and leaves no hole. */}
          <div className="xf-home-cards">{cards.map(render)}</div>
        </>
      )}
    </>
  );
}
