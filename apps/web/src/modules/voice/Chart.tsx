/** Horizontal bars for survey options, score distributions and vote counts. */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useAuth } from '../../platform/auth';
import { PARTY_RED } from '../../platform/theme';
import { useEChart } from '../../platform/useEChart';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export function ResultBars({
  labels,
  values,
  unit,
  label,
}: {
  labels: string[];
  values: number[];
  unit: string;
  label: string;
}) {
  const large = Boolean(useAuth().me?.prefs.largeFont);
  const key = JSON.stringify([labels, values, unit]);
  const ref = useEChart(() => {
    const [ls, vs, u] = JSON.parse(key) as [string[], number[], string];
    const fontSize = large ? 16 : 12;
    return {
      animation: false,
      color: [PARTY_RED],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} ${u}` },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
      yAxis: { type: 'category', inverse: true, data: ls, axisLabel: { fontSize, width: 140, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          data: vs,
          barMaxWidth: 22,
          label: { show: true, position: 'right', fontSize, formatter: `{c} ${u}` },
        },
      ],
    };
  }, [key, large]);
  const height = Math.max(120, labels.length * (large ? 44 : 36) + 24);
  return <div ref={ref} className="xf-voice-chart" style={{ height }} role="img" aria-label={label} />;
}
