/** 各项规定未达标的组织数: a horizontal stacked bar per rule (behind in red, fine in green). */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useAuth } from '../../platform/auth';
import { PARTY_RED } from '../../platform/theme';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export function BehindChart({ data }: { data: { name: string; behind: number; ok: number }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const large = Boolean(useAuth().me?.prefs.largeFont);
  // Redraw when the numbers change, not on every render of the page.
  const key = JSON.stringify(data);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    const fontSize = large ? 16 : 12;
    const rows = (JSON.parse(key) as typeof data).reverse();
    chart.setOption({
      animation: false,
      color: [PARTY_RED, '#52a35a'],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, textStyle: { fontSize } },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
      yAxis: { type: 'category', data: rows.map((d) => d.name), axisLabel: { fontSize } },
      series: [
        {
          name: '未达标',
          type: 'bar',
          stack: 'n',
          data: rows.map((d) => d.behind),
          label: { show: true, fontSize, formatter: (p: { value: number }) => (p.value ? String(p.value) : '') },
          barMaxWidth: 28,
        },
        { name: '达标', type: 'bar', stack: 'n', data: rows.map((d) => d.ok), barMaxWidth: 28 },
      ],
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [key, large]);
  return (
    <div
      ref={ref}
      className="xf-behind-chart"
      style={{ height: Math.max(220, data.length * (large ? 44 : 34) + 60) }}
      role="img"
      aria-label="各项规定未达标的组织数图表"
    />
  );
}
