/**
 * One ECharts instance on a div for the lifetime of its options: created, resized with its
 * container, and disposed when `deps` change or the component goes away.
 *
 * `onPick` makes the chart's items clickable with ECharts' own click event (a tap on a phone): a bar, a pie slice, a
 * line's point, or a category axis's label (give that axis `triggerEvent: true`). It is told the item's category
 * name, series and data index. A clickable chart also writes its items' centres (CSS pixels inside the chart) to
 * `data-hits` once drawn — `[[seriesIndex, dataIndex, x, y], …]` — so a browser test can tap an exact item.
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import * as echarts from 'echarts/core';
import { useEffect, useRef } from 'react';

export type Pick = { name: string; seriesIndex: number; dataIndex: number };

type Layout =
  | { x: number; y: number; width: number; height: number }
  | { cx: number; cy: number; r: number; r0?: number; startAngle: number; endAngle: number }
  | number[];

/** The centre of a drawn item: a bar's rectangle, a slice's middle, a point. */
function centre(l: Layout): [number, number] | null {
  if (Array.isArray(l)) return l.length >= 2 ? [l[0]!, l[1]!] : null;
  if ('width' in l) return [l.x + l.width / 2, l.y + l.height / 2];
  if ('cx' in l) {
    const a = (l.startAngle + l.endAngle) / 2;
    const r = ((l.r0 ?? 0) + l.r) / 2;
    return [l.cx + r * Math.cos(a), l.cy + r * Math.sin(a)];
  }
  return null;
}

type Model = {
  getSeries(): { seriesIndex: number; getData(): { count(): number; getItemLayout(i: number): Layout | null } }[];
};

function markHits(chart: EChartsType, el: HTMLElement) {
  const model = (chart as unknown as { getModel(): Model | undefined }).getModel();
  if (!model) return;
  const hits: number[][] = [];
  for (const s of model.getSeries()) {
    const data = s.getData();
    for (let i = 0; i < data.count(); i++) {
      const layout = data.getItemLayout(i);
      const c = layout && centre(layout);
      if (c && Number.isFinite(c[0]) && Number.isFinite(c[1]))
        hits.push([s.seriesIndex, i, Math.round(c[0]), Math.round(c[1])]);
    }
  }
  el.dataset.hits = JSON.stringify(hits);
}

export function useEChart(
  option: () => EChartsCoreOption,
  deps: unknown[],
  opts: { onPick?: ((p: Pick) => void) | undefined } = {},
) {
  const ref = useRef<HTMLDivElement>(null);
  // The latest handler, without drawing the chart again when only the handler changed.
  const pick = useRef(opts.onPick);
  pick.current = opts.onPick;
  const clickable = Boolean(opts.onPick);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption(option());
    if (clickable) {
      chart.on('click', (p) => {
        const e = p as {
          componentType: string;
          name?: string;
          value?: unknown;
          seriesIndex?: number;
          dataIndex?: number;
        };
        if (e.componentType === 'series')
          pick.current?.({ name: e.name ?? '', seriesIndex: e.seriesIndex ?? 0, dataIndex: e.dataIndex ?? 0 });
        else if (e.componentType === 'xAxis' || e.componentType === 'yAxis') {
          // A category label: its index on the axis is the item's.
          const axis = (chart.getOption() as Record<string, { data?: unknown[] }[] | undefined>)[e.componentType]?.[0];
          const name = String(e.value ?? '');
          const i = axis?.data?.indexOf(name) ?? -1;
          if (i >= 0) pick.current?.({ name, seriesIndex: 0, dataIndex: i });
        }
      });
      chart.on('finished', () => markHits(chart, el));
    }
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
    // The caller names what the option depends on (deps), as with useMemo.
  }, [...deps, clickable]);
  return ref;
}
