/**
 * 统计: the 党内统计 basics of the org's subtree (GET /members/stats), as a table people can
 * copy into reports and as charts.
 */
import {
  AGE_BANDS,
  EDUCATIONS,
  GENDER_LABELS,
  MEMBER_STATUS_LABELS,
  OCCUPATIONS,
  PARTY_AGE_BANDS,
  PARTY_AGE_NONE,
  type MemberStats,
} from '@xianfeng/shared';
import { Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { useAsync } from '../../platform/useAsync';
import { CountChart } from './Chart';
import { LoadError } from '../../platform/LoadError';

type Dim = {
  key: keyof MemberStats;
  title: string;
  order: readonly string[];
  labels?: Record<string, string>;
  chart: 'pie' | 'bar';
};

const DIMS: Dim[] = [
  { key: 'byStatus', title: '党员状态', order: ['full', 'probationary'], labels: MEMBER_STATUS_LABELS, chart: 'pie' },
  { key: 'byGender', title: '性别', order: ['male', 'female'], labels: GENDER_LABELS, chart: 'pie' },
  { key: 'byEthnicity', title: '民族', order: ['汉族', '少数民族'], chart: 'pie' },
  {
    key: 'byAgeBand',
    title: '年龄',
    order: AGE_BANDS.map((b) => b.key),
    labels: { '≤30': '30岁及以下', '≥61': '61岁及以上' },
    chart: 'bar',
  },
  { key: 'byEducation', title: '学历', order: [...EDUCATIONS, '未填'], chart: 'bar' },
  { key: 'byOccupation', title: '人员类别', order: [...OCCUPATIONS, '未填'], chart: 'bar' },
  {
    key: 'byPartyAgeBand',
    title: '党龄（自转正起算）',
    order: [...PARTY_AGE_BANDS.map((b) => b.key), PARTY_AGE_NONE],
    chart: 'bar',
  },
];

/** The counts of one dimension in its customary order, keeping keys the order doesn't know. */
function rowsOf(stats: MemberStats, d: Dim) {
  const counts = stats[d.key] as Record<string, number>;
  const keys = [...d.order.filter((k) => k in counts), ...Object.keys(counts).filter((k) => !d.order.includes(k))];
  return keys.map((k) => ({ name: d.labels?.[k] ?? k, value: counts[k] ?? 0 }));
}

export function StatsTab({ orgId }: { orgId: string }) {
  const { me } = useAuth();
  const stats = useAsync(() => api.get<MemberStats>('/members/stats', { orgId }), [orgId]);
  const s = stats.data;
  const tables = useMemo(() => (s ? DIMS.map((d) => ({ d, rows: rowsOf(s, d) })) : []), [s]);
  if (stats.error) return <LoadError error={stats.error} onRetry={stats.reload} />;
  if (!s) return <Empty description="正在统计…" />;
  if (s.total === 0) return <Empty description="本组织及下级暂无党员" />;
  return (
    <>
      <div className="xf-stat-grid" style={{ marginBottom: 16 }}>
        <Statistic title="党员总数" value={s.total} suffix="人" />
        <Statistic title="正式党员" value={s.byStatus['full'] ?? 0} suffix="人" />
        <Statistic title="预备党员" value={s.byStatus['probationary'] ?? 0} suffix="人" />
        <Statistic title="女党员" value={s.byGender['female'] ?? 0} suffix="人" />
        <Statistic title="少数民族党员" value={s.byEthnicity['少数民族'] ?? 0} suffix="人" />
      </div>
      {/* Large subtrees may be answered from the last count while a recount runs: say when it was counted. */}
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        统计时间：{new Date(s.asOf).toLocaleString('zh-CN', { hour12: false })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {tables.map(({ d, rows }) => (
          <Col key={d.key} xs={24} lg={d.chart === 'pie' ? 8 : 12}>
            <CountChart title={d.title} type={d.chart} data={rows} large={me?.prefs.largeFont} />
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {tables.map(({ d, rows }) => (
          <Col key={d.key} xs={24} md={12} xl={8}>
            <Table
              size="small"
              bordered
              pagination={false}
              title={() => <strong>{d.title}</strong>}
              rowKey="name"
              dataSource={rows}
              columns={[
                { title: '类别', dataIndex: 'name' },
                { title: '人数', dataIndex: 'value', align: 'right' },
                { title: '占比', align: 'right', render: (_, r) => `${((r.value / s.total) * 100).toFixed(1)}%` },
              ]}
            />
          </Col>
        ))}
      </Row>
    </>
  );
}
