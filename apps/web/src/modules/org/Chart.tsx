/**
 * A small ECharts wrapper: pie or bar of labelled counts, resized with its container. With `onPick` a bar or a slice
 * (clicked, or tapped on a phone) opens what is behind it.
 */
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { PARTY_RED } from '../../platform/theme';
import { useEChart, type Pick } from '../../platform/useEChart';

echarts.use([PieChart, BarChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, CanvasRenderer]);

const PALETTE = [PARTY_RED, '#f0a020', '#3b7dd8', '#52a35a', '#8c5bd6', '#e0603a', '#2fa3a3', '#a0a0a0'];

export function CountChart({
  title,
  data,
  type,
  large,
  onPick,
  label,
  testId,
}: {
  title: string;
  data: { name: string; value: number }[];
  type: 'pie' | 'bar';
  large?: boolean | undefined;
  /** Called with the clicked item's index in `data`. */
  onPick?: ((index: number) => void) | undefined;
  /** What the chart shows, for a screen reader (default: the title). */
  label?: string;
  testId?: string;
}) {
  // Redraw when the numbers change, not on every render of the page.
  const key = JSON.stringify(data);
  const ref = useEChart(
    () => {
      const rows = JSON.parse(key) as typeof data;
      const fontSize = large ? 16 : 12;
      return {
        color: PALETTE,
        animation: false,
        title: { text: title, left: 'center', textStyle: { fontSize: large ? 20 : 15 } },
        tooltip: {
          trigger: type === 'pie' ? 'item' : 'axis',
          formatter: type === 'pie' ? '{b}：{c} 人（{d}%）' : undefined,
        },
        ...(type === 'pie'
          ? {
              legend: { bottom: 0, type: 'scroll', textStyle: { fontSize } },
              series: [
                {
                  type: 'pie',
                  radius: ['30%', '70%'],
                  center: ['50%', '48%'],
                  // Values inside the ring, names in the legend: nothing is cut off in a narrow column.
                  label: { position: 'inside', formatter: '{c}', fontSize, color: '#fff', fontWeight: 'bold' },
                  labelLine: { show: false },
                  data: rows,
                },
              ],
            }
          : {
              grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
              xAxis: {
                type: 'category',
                data: rows.map((d) => d.name),
                axisLabel: { interval: 0, rotate: rows.length > 5 ? 35 : 0, fontSize },
                triggerEvent: Boolean(onPick),
              },
              yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
              series: [
                {
                  type: 'bar',
                  data: rows.map((d) => d.value),
                  label: { show: true, position: 'top', fontSize },
                  barMaxWidth: 36,
                },
              ],
            }),
      };
    },
    [title, key, type, large],
    { onPick: onPick && ((p: Pick) => onPick(p.dataIndex)) },
  );
  return (
    <div
      ref={ref}
      className={`xf-chart${onPick ? ' xf-chart-pick' : ''}`}
      role="img"
      aria-label={label ?? `${title}图表`}
      data-testid={testId}
    />
  );
}
