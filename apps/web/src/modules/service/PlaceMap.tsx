/**
 * 云地图's map: an ECharts scatter of the places over a plain base — a light background and a faint graticule drawn by
 * the chart itself, so by default the browser asks no server but ours for anything (an intranet needs nothing more).
 * Positions are GCJ-02 degrees. The y axis is Web Mercator (in degrees of the projected latitude), so one pixel is
 * the same distance across and up, and — when the installation configures a tile server (XF_MAP_TILE_URL, GCJ-02
 * tiles) — the standard {z}/{x}/{y} tiles line up under the points; they are drawn as ECharts images under the grid
 * and redrawn on zoom, pan and resize. Pinch / wheel to zoom, drag to pan; tap a point for its details. Places that
 * would sit within CLUSTER_PX of each other on the screen are one red badge with their count; tapping it zooms in.
 */
import {
  distanceText,
  greatCircleMetres,
  SERVICE_PLACE_KIND_LABELS,
  SERVICE_PLACE_KINDS,
  type MapConfig,
  type ServicePlace,
  type ServicePlaceKind,
} from '@xianfeng/shared';
import { ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { PARTY_RED } from '../../platform/theme';

echarts.use([
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  GraphicComponent,
  CanvasRenderer,
]);

export const KIND_COLORS: Record<ServicePlaceKind, string> = {
  org: PARTY_RED,
  center: '#d46b08',
  station: '#b8860b',
  venue: '#1d5fa8',
};

const DEG = 180 / Math.PI;
/** Places closer than this on the screen are drawn as one badge with their count (redone on every zoom). */
const CLUSTER_PX = 24;
/** Latitude → Web Mercator y, in degrees (so x and y share one scale). */
const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * DEG;

type Extent = { x0: number; x1: number; y0: number; y1: number };

/** The points' extent, padded, widened to the box's aspect ratio (equal scale both ways), at least ~1 km across. */
function extentFor(points: { lng: number; lat: number }[], width: number, height: number): Extent {
  const xs = points.map((p) => p.lng);
  const ys = points.map((p) => mercY(p.lat));
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  const min = 0.012;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  let w = Math.max(x1 - x0, min) * 1.25;
  let h = Math.max(y1 - y0, min) * 1.25;
  const aspect = width / Math.max(1, height);
  if (w / h > aspect) h = w / aspect;
  else w = h * aspect;
  x0 = cx - w / 2;
  x1 = cx + w / 2;
  y0 = cy - h / 2;
  y1 = cy + h / 2;
  return { x0, x1, y0, y1 };
}

/** The standard slippy-map tiles covering an extent at a zoom where a tile pixel is about a screen pixel. */
function tilesFor(e: Extent, widthPx: number) {
  const pxPerDeg = widthPx / (e.x1 - e.x0);
  const z = Math.max(3, Math.min(18, Math.round(Math.log2((pxPerDeg * 360) / 256))));
  const n = 2 ** z;
  const tx = (lng: number) => Math.floor(((lng + 180) / 360) * n);
  const ty = (y: number) => Math.floor(((1 - y / 180) / 2) * n);
  const out: { z: number; x: number; y: number; lng0: number; lng1: number; yTop: number; yBottom: number }[] = [];
  for (let x = tx(e.x0); x <= tx(e.x1); x++)
    for (let y = ty(e.y1); y <= ty(e.y0); y++) {
      if (y < 0 || y >= n) continue;
      out.push({
        z,
        x: ((x % n) + n) % n,
        y,
        lng0: (x / n) * 360 - 180,
        lng1: ((x + 1) / n) * 360 - 180,
        yTop: 180 * (1 - (2 * y) / n),
        yBottom: 180 * (1 - (2 * (y + 1)) / n),
      });
    }
  return out.length > 64 ? [] : out;
}

export function PlaceMap({
  places,
  me,
  config,
  onPick,
  height,
}: {
  places: ServicePlace[];
  /** The phone's position (GCJ-02), when the user asked for 离我最近. */
  me: { lng: number; lat: number } | null;
  config: MapConfig | null;
  onPick: (p: ServicePlace) => void;
  height: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const scale = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const key = JSON.stringify([places.map((p) => [p.id, p.kind, p.name, p.lng, p.lat, p.address]), me, config?.tileUrl]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    const byId = new Map(places.map((p) => [p.id, p]));
    const all = [...places, ...(me ? [me] : [])];
    const tileUrl = config?.tileUrl ?? null;

    const drawTiles = () => {
      if (!tileUrl) return;
      const w = chart.getWidth();
      const h = chart.getHeight();
      const a = chart.convertFromPixel({ gridIndex: 0 }, [0, h]) as number[];
      const b = chart.convertFromPixel({ gridIndex: 0 }, [w, 0]) as number[];
      const e = { x0: a[0]!, y0: a[1]!, x1: b[0]!, y1: b[1]! };
      const elements = tilesFor(e, w).map((t) => {
        const [px0, py0] = chart.convertToPixel({ gridIndex: 0 }, [t.lng0, t.yTop]) as number[];
        const [px1, py1] = chart.convertToPixel({ gridIndex: 0 }, [t.lng1, t.yBottom]) as number[];
        const image = tileUrl.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y));
        return {
          type: 'image' as const,
          silent: true,
          z: -10,
          style: { image, x: px0!, y: py0!, width: px1! - px0!, height: py1! - py0! },
        };
      });
      chart.setOption({ graphic: { elements } }, { replaceMerge: ['graphic'] });
    };

    /**
     * Names beside the points without overlap: in list order (the nearest first when sorted by distance), a name is
     * shown when its box is clear of the boxes already shown — to the right of its point, or to the left near the
     * right edge; the rest are a tap (or hover) away. Redone after zooming.
     */
    const placeLabels = () => {
      const w = chart.getWidth();
      const h = chart.getHeight() - 36; // the legend's strip
      const taken: { x0: number; y0: number; x1: number; y1: number }[] = [];
      const points = places.map((p) => {
        const [x, y] = chart.convertToPixel({ gridIndex: 0 }, [p.lng, mercY(p.lat)]) as number[];
        return { x: x!, y: y! };
      });
      // The markers themselves are not to be covered by a name.
      for (const pt of [
        ...points,
        ...(me
          ? [chart.convertToPixel({ gridIndex: 0 }, [me.lng, mercY(me.lat)]) as number[]].map(([x, y]) => ({
              x: x!,
              y: y!,
            }))
          : []),
      ])
        taken.push({ x0: pt.x - 7, y0: pt.y - 7, x1: pt.x + 7, y1: pt.y + 7 });
      // Clusters: in list order, a place within CLUSTER_PX of a cluster's first place joins it; a cluster of two or
      // more is drawn as one badge with the count (a tap zooms in on it), its places are hidden until they part.
      const clusters: { x: number; y: number; at: ServicePlace; members: ServicePlace[] }[] = [];
      places.forEach((p, i) => {
        const { x, y } = points[i]!;
        const c = clusters.find((c) => Math.hypot(c.x - x, c.y - y) < CLUSTER_PX);
        if (c) c.members.push(p);
        else clusters.push({ x, y, at: p, members: [p] });
      });
      const groups = clusters.filter((c) => c.members.length > 1);
      const hidden = new Set(groups.flatMap((c) => c.members.map((m) => m.id)));
      for (const c of groups) taken.push({ x0: c.x - 16, y0: c.y - 16, x1: c.x + 16, y1: c.y + 16 });
      const shown = new Map<string, 'left' | 'right'>();
      places.forEach((p, i) => {
        if (hidden.has(p.id)) return;
        const { x, y } = points[i]!;
        if (x < 0 || x > w || y < 0 || y > h) return;
        const width = p.name.length * 11 + 8;
        const side = x + 10 + width > w ? 'left' : 'right';
        const box =
          side === 'right'
            ? { x0: x + 9, y0: y - 9, x1: x + 11 + width, y1: y + 9 }
            : { x0: x - 11 - width, y0: y - 9, x1: x - 9, y1: y + 9 };
        if (box.x0 < 0) return;
        if (taken.some((t) => box.x0 < t.x1 && box.x1 > t.x0 && box.y0 < t.y1 && box.y1 > t.y0)) return;
        taken.push(box);
        shown.set(p.id, side);
      });
      chart.setOption({
        series: [
          ...SERVICE_PLACE_KINDS.map((k) => ({
            id: k,
            data: places
              .filter((p) => p.kind === k && !hidden.has(p.id))
              .map((p) => ({
                id: p.id,
                name: p.name,
                value: [p.lng, mercY(p.lat)],
                label: { show: shown.has(p.id), position: shown.get(p.id) ?? 'right' },
              })),
          })),
          {
            id: 'clusters',
            data: groups.map((c) => ({
              name: c.members.map((m) => m.name).join('、'),
              cluster: c.members.length,
              value: [c.at.lng, mercY(c.at.lat)],
              symbolSize: 24 + 4 * String(c.members.length).length,
            })),
          },
        ],
      });
      el.dataset.labels = String(shown.size);
      el.dataset.clusters = groups.map((c) => c.members.length).join(',');
      // Where the first badge is (for tests and for anyone reading the page's state).
      el.dataset.clusterAt = groups[0] ? `${Math.round(groups[0].x)},${Math.round(groups[0].y)}` : '';
      el.dataset.visible = String(places.length - hidden.size);
      // How wide the view is, as the plain base has no streets to judge by.
      const [lng0, y0] = chart.convertFromPixel({ gridIndex: 0 }, [0, h / 2]) as number[];
      const [lng1] = chart.convertFromPixel({ gridIndex: 0 }, [w, h / 2]) as number[];
      const lat = (2 * Math.atan(Math.exp(y0! / DEG)) - Math.PI / 2) * DEG;
      if (scale.current)
        scale.current.textContent = `图宽约 ${distanceText(greatCircleMetres({ lng: lng0!, lat }, { lng: lng1!, lat }))}`;
    };

    const render = () => {
      const w = el.clientWidth || 360;
      const h = el.clientHeight || 300;
      const e = all.length ? extentFor(all, w, h) : extentFor([{ lng: 116.397, lat: 39.909 }], w, h);
      chart.setOption(
        {
          animation: false,
          backgroundColor: tileUrl ? '#eef0f2' : '#f4f1ea',
          grid: { left: 0, right: 0, top: 0, bottom: 0 },
          tooltip: {
            trigger: 'item',
            confine: true,
            formatter: (p: { data: { id?: string; name: string; cluster?: number } }) => {
              if (p.data.cluster) return `${p.data.cluster} 个地点：${p.data.name}<br/>点击放大`;
              const place = p.data.id ? byId.get(p.data.id) : null;
              return place
                ? `${place.name}<br/>${SERVICE_PLACE_KIND_LABELS[place.kind]} · ${place.address}`
                : '我的位置';
            },
          },
          legend: {
            data: SERVICE_PLACE_KINDS.map((k) => SERVICE_PLACE_KIND_LABELS[k]),
            bottom: 6,
            left: 'center',
            itemWidth: 10,
            itemHeight: 10,
            textStyle: { fontSize: 12 },
            backgroundColor: 'rgba(255,255,255,0.85)',
            padding: [4, 8],
            borderRadius: 4,
          },
          dataZoom: [
            { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
            { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
          ],
          xAxis: {
            type: 'value',
            min: e.x0,
            max: e.x1,
            axisLine: { show: false },
            axisTick: { show: false },
            axisLabel: { show: false },
            splitLine: { show: !tileUrl, lineStyle: { color: '#e4ddcf' } },
          },
          yAxis: {
            type: 'value',
            min: e.y0,
            max: e.y1,
            axisLine: { show: false },
            axisTick: { show: false },
            axisLabel: { show: false },
            splitLine: { show: !tileUrl, lineStyle: { color: '#e4ddcf' } },
          },
          series: [
            ...SERVICE_PLACE_KINDS.map((k) => ({
              id: k,
              type: 'scatter' as const,
              name: SERVICE_PLACE_KIND_LABELS[k],
              symbolSize: k === 'org' || k === 'center' ? 20 : 13,
              symbol: k === 'station' ? 'diamond' : k === 'venue' ? 'rect' : 'pin',
              itemStyle: { color: KIND_COLORS[k], borderColor: '#fff', borderWidth: 1 },
              label: {
                show: false,
                position: 'right' as const,
                formatter: '{b}',
                fontSize: 11,
                color: '#333',
                backgroundColor: 'rgba(255,255,255,0.8)',
                padding: [1, 3],
              },
              data: places
                .filter((p) => p.kind === k)
                .map((p) => ({ id: p.id, name: p.name, value: [p.lng, mercY(p.lat)] })),
            })),
            {
              id: 'clusters',
              type: 'scatter' as const,
              name: '聚合',
              symbol: 'circle',
              z: 3,
              itemStyle: { color: PARTY_RED, borderColor: '#fff', borderWidth: 2, opacity: 0.92 },
              label: {
                show: true,
                position: 'inside' as const,
                formatter: (p: { data: { cluster: number } }) => String(p.data.cluster),
                color: '#fff',
                fontSize: 12,
                fontWeight: 'bold' as const,
              },
              data: [],
            },
            ...(me
              ? [
                  {
                    id: 'me',
                    type: 'scatter' as const,
                    name: '我的位置',
                    symbol: 'circle',
                    symbolSize: 14,
                    itemStyle: { color: '#1677ff', borderColor: '#fff', borderWidth: 3 },
                    data: [{ name: '我的位置', value: [me.lng, mercY(me.lat)] }],
                  },
                ]
              : []),
          ],
        },
        { notMerge: true },
      );
      drawTiles();
      placeLabels();
    };
    render();
    chart.on('click', (p) => {
      const cluster = p.data as { cluster?: number; value?: number[] } | undefined;
      if (cluster?.cluster && cluster.value) {
        // Zoom in three times around the badge (both axes keep the same scale).
        const [cx, cy] = cluster.value as [number, number];
        const a = chart.convertFromPixel({ gridIndex: 0 }, [0, chart.getHeight()]) as number[];
        const b = chart.convertFromPixel({ gridIndex: 0 }, [chart.getWidth(), 0]) as number[];
        const hw = (b[0]! - a[0]!) / 6;
        const hh = (b[1]! - a[1]!) / 6;
        chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: cx - hw, endValue: cx + hw });
        chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 1, startValue: cy - hh, endValue: cy + hh });
        return;
      }
      const id = (p.data as { id?: string } | undefined)?.id;
      const place = id ? byId.get(id) : undefined;
      if (place) pick.current(place);
    });
    chart.on('datazoom', () => {
      drawTiles();
      placeLabels();
    });
    const ro = new ResizeObserver(() => {
      chart.resize();
      render();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
    // `key` stands for places, me and the tile URL.
  }, [key]);

  return (
    <div className="xf-map-wrap">
      <div ref={scale} className="xf-map-scale" aria-hidden />
      <div
        ref={ref}
        className="xf-map"
        style={{ height }}
        role="img"
        aria-label={`云地图：${places.length} 个地点`}
        data-points={places.length}
      />
      <div className="xf-map-note">
        {config?.tileUrl ? config.tileAttribution || '底图：本单位配置的瓦片服务' : '简洁底图（不连接外部地图服务）'} ·
        坐标 GCJ-02 · 双指或滚轮缩放
      </div>
    </div>
  );
}
