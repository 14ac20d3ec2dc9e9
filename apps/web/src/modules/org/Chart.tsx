/** A small ECharts wrapper: pie or bar of labelled counts, resized with its container. */
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { PARTY_RED } from '../../platform/theme';

echarts.use([PieChart, BarChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, CanvasRenderer]);

const PALETTE = [PARTY_RED, '#f0a020', '#3b7dd8', '#52a35a', '#8c5bd6', '#e0603a', '#2fa3a3', '#a0a0a0'];

export function CountChart({
  title,
  data,
  type,
  large,
}: {
  title: string;
  data: { name: string; value: number }[];
  type: 'pie' | 'bar';
  large?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    const fontSize = large ? 16 : 12;
    chart.setOption({
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
                data,
              },
            ],
          }
        : {
            grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
            xAxis: {
              type: 'category',
              data: data.map((d) => d.name),
              axisLabel: { interval: 0, rotate: data.length > 5 ? 35 : 0, fontSize },
            },
            yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
            series: [
              {
                type: 'bar',
                data: data.map((d) => d.value),
                label: { show: true, position: 'top', fontSize },
                barMaxWidth: 36,
              },
            ],
          }),
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [title, data, type, large]);
  return <div ref={ref} className="xf-chart" role="img" aria-label={`${title}图表`} />;
}
