/** 党费台账 by month: collected, remitted and used as bars, the balance as a line (元). */
import { fenToYuan } from '@xianfeng/shared';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useAuth } from '../../platform/auth';
import { PARTY_RED } from '../../platform/theme';
import type { LedgerMonth } from './types';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const toYuan = (fen: number) => Number(fenToYuan(fen));

export function LedgerChart({ items }: { items: LedgerMonth[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const large = Boolean(useAuth().me?.prefs.largeFont);
  const key = JSON.stringify(items);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const rows = JSON.parse(key) as LedgerMonth[];
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    const fontSize = large ? 16 : 12;
    chart.setOption({
      animation: false,
      color: [PARTY_RED, '#fa8c16', '#1677ff', '#52a35a'],
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)} 元` },
      legend: { top: 0, textStyle: { fontSize } },
      grid: { left: 8, right: 16, top: large ? 44 : 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => `${Number(r.month.slice(5))}月`), axisLabel: { fontSize } },
      yAxis: { type: 'value', name: '元', axisLabel: { fontSize } },
      series: [
        { name: '收缴', type: 'bar', data: rows.map((r) => toYuan(r.collectedFen)), barMaxWidth: 18 },
        { name: '上缴', type: 'bar', data: rows.map((r) => toYuan(r.remittedFen)), barMaxWidth: 18 },
        { name: '使用', type: 'bar', data: rows.map((r) => toYuan(r.usedFen)), barMaxWidth: 18 },
        { name: '结余', type: 'line', data: rows.map((r) => toYuan(r.balanceFen)), symbolSize: 6 },
      ],
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [key, large]);
  return <div ref={ref} className="xf-dues-chart" role="img" aria-label="党费按月收缴、上缴、使用与结余图表" />;
}
