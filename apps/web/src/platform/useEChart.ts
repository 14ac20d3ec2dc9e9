/**
 * One ECharts instance on a div for the lifetime of its options: created, resized with its
 * container, and disposed when `deps` change or the component goes away.
 */
import type { EChartsCoreOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { useEffect, useRef } from 'react';

export function useEChart(option: () => EChartsCoreOption, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption(option());
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
    // The caller names what the option depends on (deps), as with useMemo.
  }, deps);
  return ref;
}
