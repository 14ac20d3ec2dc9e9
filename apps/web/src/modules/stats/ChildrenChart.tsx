/**
 * 下级组织对比 on the 驾驶舱: a bar per org directly below the one shown, for the figure chosen above the chart
 * (党员, 发展党员, 组织生活达标率, 党费收缴率), each counted like the dashboard's own card. Clicking (tapping) a bar or
 * an org's name drills down: that org's own 驾驶舱 opens, in the address, so the browser's back button and the
 * trail lead back up. At a 党支部 the drill-down ends (its cards and charts open the lists behind them), so the
 * chart is not shown there. The figure chosen stays in the address (`by=`) while drilling down.
 */
import { type DashboardChildren } from '@xianfeng/shared';
import { Card, Pagination, Segmented, Typography } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { PARTY_RED } from '../../platform/theme';
import { useAsync } from '../../platform/useAsync';
import { useEChart } from '../../platform/useEChart';
import { usePaging } from '../../platform/usePaging';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Row = DashboardChildren['rows'][number];
const BY = {
  members: '党员人数',
  develop: '发展党员',
  meetings: '组织生活达标率',
  dues: '党费收缴率',
} as const;
type By = keyof typeof BY;
const isBy = (v: string | null): v is By => v !== null && v in BY;

const percent = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 1000) / 10 : 0);

/** The bars of one figure: series of [name, values, what a value means in the tooltip]. */
function seriesOf(by: By, rows: Row[]) {
  switch (by) {
    case 'members':
      return [
        { name: '正式党员', values: rows.map((r) => r.full), unit: ' 人' },
        { name: '预备党员', values: rows.map((r) => r.probationary), unit: ' 人' },
      ];
    case 'develop':
      return [{ name: '在培养', values: rows.map((r) => r.developOpen), unit: ' 人' }];
    case 'meetings':
      return [
        { name: '达标党支部占比', values: rows.map((r) => percent(r.meetingsOnTrack, r.meetingsUnits)), unit: '%' },
      ];
    case 'dues':
      return [{ name: '收缴率', values: rows.map((r) => percent(r.duesPaidFen, r.duesBilledFen)), unit: '%' }];
  }
}

/** What a bar says in words (the screen reader's list and the tooltip's detail). */
function detail(by: By, r: Row) {
  switch (by) {
    case 'members':
      return `党员 ${r.members} 人（正式 ${r.full}，预备 ${r.probationary}）`;
    case 'develop':
      return `在培养的发展党员 ${r.developOpen} 人`;
    case 'meetings':
      return `组织生活达标 ${r.meetingsOnTrack} / ${r.meetingsUnits} 个党支部`;
    case 'dues':
      return `党费已缴 ${r.duesPaidBills} / ${r.duesBills} 笔（${percent(r.duesPaidFen, r.duesBilledFen)}%）`;
  }
}

export function ChildrenChart({ orgId, large }: { orgId: string; large: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const by: By = isBy(params.get('by')) ? (params.get('by') as By) : 'members';
  const paging = usePaging('个组织', 10);
  const r = useAsync(
    () => api.get<DashboardChildren>('/stats/children', { orgId, page: paging.page, pageSize: paging.pageSize }),
    [orgId, paging.page, paging.pageSize],
  );
  const c = r.data;
  const rows = c?.rows ?? [];
  const dashboardOf = (id: string) =>
    `/dashboard?orgId=${id}${by === 'members' ? '' : `&by=${by}`}${params.get('screen') === 'big' ? '&screen=big' : ''}`;
  // Drilling down is a step the back button undoes (a push, not a replace).
  const open = (i: number) => {
    const row = rows[i];
    if (row) navigate(dashboardOf(row.orgId));
  };
  const key = JSON.stringify([by, rows]);
  const ref = useEChart(
    () => {
      const [b, rs] = JSON.parse(key) as [By, Row[]];
      const fontSize = large ? 16 : 12;
      const narrow = window.innerWidth < 768;
      const series = seriesOf(b, rs);
      const pct = b === 'meetings' || b === 'dues';
      return {
        animation: false,
        color: [PARTY_RED, '#fa8c16'],
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (ps: { dataIndex: number }[]) => {
            const row = rs[ps[0]?.dataIndex ?? -1];
            return row ? `${row.orgName}<br/>${detail(b, row)}<br/>点击进入其驾驶舱` : '';
          },
        },
        legend: series.length > 1 ? { top: 0, textStyle: { fontSize } } : undefined,
        grid: { left: 8, right: 40, top: series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
        xAxis: {
          type: 'value',
          max: pct ? 100 : undefined,
          minInterval: 1,
          axisLabel: { fontSize, formatter: pct ? '{value}%' : '{value}' },
        },
        yAxis: {
          type: 'category',
          inverse: true,
          data: rs.map((x) => x.orgName),
          triggerEvent: true,
          // Whole names where there is room (a phone keeps the bars wide enough to tap).
          axisLabel: {
            fontSize,
            width: (narrow ? 90 : 180) * (large ? 1.3 : 1),
            overflow: 'truncate',
            cursor: 'pointer',
          },
        },
        series: series.map((s, i) => ({
          name: s.name,
          type: 'bar',
          stack: 'total',
          data: s.values,
          barMaxWidth: 22,
          cursor: 'pointer',
          label: {
            show: i === series.length - 1,
            position: 'right',
            fontSize,
            // The whole bar's figure after the last part of a stack.
            formatter: (p: { dataIndex: number }) =>
              b === 'members' ? String(rs[p.dataIndex]?.members ?? '') : `${s.values[p.dataIndex]}${s.unit.trim()}`,
          },
        })),
      };
    },
    [key, large],
    { onPick: (p) => open(p.dataIndex) },
  );
  // Nothing below a 党支部 to drill into (its 党小组 are counted in its own figures).
  if (c && (c.org.orgKind === 'branch' || c.org.orgKind === 'group' || c.total === 0)) return null;
  return (
    <Card size="small" className="xf-dash-card" data-testid="dash-children" title="下级组织对比">
      <div className="xf-dash-by">
        <Segmented
          size="small"
          aria-label="对比的数字"
          value={by}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'members') next.delete('by');
            else next.set('by', String(v));
            setParams(next, { replace: true });
          }}
          options={Object.entries(BY).map(([value, label]) => ({ value, label }))}
        />
      </div>
      <LoadError error={r.error} onRetry={r.reload} />
      <div
        ref={ref}
        className="xf-dash-chart xf-chart-pick"
        style={{ height: Math.max(160, rows.length * (large ? 44 : 36) + 60) }}
        role="img"
        aria-label={`各下级组织的${BY[by]}条形图，点击进入该组织的驾驶舱`}
        data-testid="dash-children-chart"
      />
      {/* The same bars as links, for the keyboard and screen readers. */}
      <ul className="xf-dash-sr">
        {rows.map((row) => (
          <li key={row.orgId}>
            <Link to={dashboardOf(row.orgId)}>
              {row.orgName}：{detail(by, row)}
            </Link>
          </li>
        ))}
      </ul>
      {c && c.total > paging.pageSize && (
        <Pagination size="small" simple style={{ marginTop: 8 }} {...paging.pagination(c.total)} />
      )}
      {c && (
        <Typography.Text type="secondary" className="xf-dash-note">
          点条形或组织名称进入该组织的驾驶舱，逐级查看到党支部；页面顶部的上级组织名称或浏览器的「返回」回到上一级。
          {c.note}。
        </Typography.Text>
      )}
    </Card>
  );
}
