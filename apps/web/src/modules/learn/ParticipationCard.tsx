/**
 * 学习参与率 on the learning Manage tab, for an org chosen in the address (`orgId`, the acting binding's org when
 * absent — the 驾驶舱's figure links here with the org it shows), and the list behind the figure (issue #23): the
 * members of the subtree who have not learned this month, or those who have (`learned=no|yes`, in the address too),
 * paged (`page`), in roster order. On a phone the three columns fit the screen: names and days stay on one line,
 * a long org name wraps.
 */
import type { Participation, ParticipationMember, ParticipationMembers } from '@xianfeng/shared';
import { Card, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { useUrlParams } from '../../platform/useUrlParams';
import { OrgPicker } from '../org/OrgPicker';

const PAGE_SIZE = 20;

export function ParticipationCard() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const learned = params.get('learned') === 'yes' ? 'yes' : 'no';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const part = useAsync(() => api.get<Participation>('/learn/participation', { orgId }), [orgId]);
  const list = useAsync(
    () => api.get<ParticipationMembers>('/learn/participation/members', { orgId, learned, page, pageSize: PAGE_SIZE }),
    [orgId, learned, page],
  );
  const p = part.data;
  const l = list.data;
  const who = learned === 'no' ? '本月未参加学习的党员' : '本月已参加学习的党员';
  return (
    <>
      <Card title="学习参与率（本月）" className="xf-learn-card" data-testid="learn-participation">
        <div className="xf-learn-scope">
          <label htmlFor="xf-learn-participation-org">范围（组织）：</label>
          <OrgPicker
            id="xf-learn-participation-org"
            value={orgId}
            onChange={(id) => id && set({ orgId: id === current?.orgId ? undefined : id })}
            style={{ width: 360, maxWidth: '100%' }}
          />
        </div>
        <LoadError error={part.error} onRetry={part.reload} />
        {p && (
          <>
            <div className="xf-learn-stats">
              <Statistic title="参与学习的党员" value={p.learners} suffix={`/ ${p.members}`} />
              <Statistic title="参与率" value={p.rate === null ? '—' : `${Math.round(p.rate * 1000) / 10}%`} />
              <Statistic title="进行中的必修内容" value={p.requiredOpen} />
            </div>
            <Typography.Paragraph type="secondary">{p.note}</Typography.Paragraph>
          </>
        )}
      </Card>
      <Card
        title={
          <span style={{ whiteSpace: 'normal' }}>
            {l ? `${l.orgName}及下级组织` : ''}
            {who}
          </span>
        }
        className="xf-learn-card"
        data-testid="learn-participation-members"
      >
        <Segmented
          aria-label="本月是否参加学习"
          value={learned}
          onChange={(v) => set({ learned: v === 'yes' ? 'yes' : 'no' })}
          options={[
            { value: 'no', label: `未参加${l ? `（${l.members - l.learners}）` : ''}` },
            { value: 'yes', label: `已参加${l ? `（${l.learners}）` : ''}` },
          ]}
          style={{ marginBottom: 12 }}
        />
        <LoadError error={list.error} onRetry={list.reload} />
        <Table<ParticipationMember>
          rowKey="memberId"
          size="small"
          loading={list.loading}
          dataSource={l?.items}
          locale={{ emptyText: learned === 'no' ? '本月人人都参加了学习' : '本月还没有党员参加学习' }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: l?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => <span data-testid="learn-participation-total">共 {n} 人</span>,
            onChange: (n) => set({ page: n > 1 ? n : undefined }),
          }}
          columns={[
            {
              title: '姓名',
              dataIndex: 'name',
              render: (v: string, m) => (
                <Link to={`/members/${m.memberId}`} className="xf-learn-nowrap">
                  {v}
                </Link>
              ),
            },
            {
              title: '所在组织',
              dataIndex: 'orgName',
              render: (v: string, m) => (
                <>
                  {v}
                  {m.branchName && <Typography.Text type="secondary">（{m.branchName}）</Typography.Text>}
                </>
              ),
            },
            {
              title: '本月学习',
              dataIndex: 'lastDay',
              render: (d: string | null) =>
                d ? <span className="xf-learn-nowrap">最近 {d.slice(5)}</span> : <Tag>未参加</Tag>,
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          在册党员按所在组织、姓名排列；是否参加学习与上方参与率的口径相同。
        </Typography.Paragraph>
      </Card>
    </>
  );
}
