/**
 * 近 12 个月趋势: meetings held per month (bars, left axis) and dues collected per month (line, 元, right axis). A bar
 * or a point (clicked, or tapped) opens the list behind it: `onPick('meetings' | 'dues', 'YYYY-MM')`.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useAuth } from '../../platform/auth';
import { PARTY_RED } from '../../platform/theme';
import { useEChart } from '../../platform/useEChart';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export function TrendChart({
  months,
  meetings,
  duesFen,
  onPick,
}: {
  months: string[];
  meetings: number[];
  duesFen: number[];
  onPick?: (what: 'meetings' | 'dues', month: string) => void;
}) {
  const large = Boolean(useAuth().me?.prefs.largeFont);
  // Redraw when the numbers change, not on every render of the page.
  const key = JSON.stringify([months, meetings, duesFen]);
  const ref = useEChart(
    () => {
      const [ms, held, fen] = JSON.parse(key) as [string[], number[], number[]];
      const fontSize = large ? 16 : 12;
      return {
        animation: false,
        color: [PARTY_RED, '#fa8c16'],
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: { fontSize } },
        grid: { left: 8, right: 8, top: large ? 64 : 56, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: ms.map((m) => `${Number(m.slice(5))}月`),
          axisLabel: { fontSize, interval: 'auto' },
          triggerEvent: Boolean(onPick),
        },
        yAxis: [
          { type: 'value', name: '会议（次）', minInterval: 1, axisLabel: { fontSize }, nameTextStyle: { fontSize } },
          {
            type: 'value',
            name: '党费（元）',
            axisLabel: { fontSize },
            nameTextStyle: { fontSize },
            splitLine: { show: false },
          },
        ],
        series: [
          {
            name: '召开会议',
            type: 'bar',
            data: held,
            barMaxWidth: 24,
            tooltip: { valueFormatter: (v: number) => `${v} 次` },
          },
          {
            name: '实收党费',
            type: 'line',
            yAxisIndex: 1,
            data: fen.map((f) => f / 100),
            symbolSize: 10,
            tooltip: { valueFormatter: (v: number) => `${v.toFixed(2)} 元` },
          },
        ],
      };
    },
    [key, large],
    { onPick: onPick && ((p) => onPick(p.seriesIndex === 0 ? 'meetings' : 'dues', months[p.dataIndex] ?? '')) },
  );
  return (
    <div
      ref={ref}
      className={`xf-dash-chart${onPick ? ' xf-chart-pick' : ''}`}
      role="img"
      aria-label="近 12 个月召开会议次数与实收党费趋势图，点柱子看该月的会议，点折线上的点看该月已缴的党费账单"
      data-testid="dash-trend-chart"
    />
  );
}
