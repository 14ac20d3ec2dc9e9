/**
 * 云地图 (the `service` module): places of party organizations — an org's own office (党组织), 党群服务中心, 党员驿站
 * and activity places — with address, contact phone and opening hours, shown on a map and a list, nearest first.
 *
 * Coordinates are **GCJ-02** (国测局坐标, "火星坐标"): the datum Chinese map services (高德, 腾讯, the coordinate pickers
 * people copy from) publish and expect; every stored `lng`/`lat` is GCJ-02. A phone's GPS position (the browser's
 * Geolocation API) is WGS-84 and is converted with `wgs84ToGcj02` before it is compared with a place — uncorrected, the
 * two differ by 300–600 m in most of China. A tile server configured for the map must draw GCJ-02 tiles too (高德-style
 * tiles; 天地图 tiles are CGCS2000 ≈ WGS-84 and would sit a few hundred metres off).
 */
import { z } from 'zod';
import { Paging } from './api';

export const SERVICE_PLACE_KINDS = ['org', 'center', 'station', 'venue'] as const;
export type ServicePlaceKind = (typeof SERVICE_PLACE_KINDS)[number];
export const SERVICE_PLACE_KIND_LABELS: Record<ServicePlaceKind, string> = {
  org: '党组织',
  center: '党群服务中心',
  station: '党员驿站',
  venue: '活动场所',
};

/**
 * The range a place's coordinates must fall in: mainland China and its islands, the area GCJ-02 is defined for
 * (outside it GCJ-02 equals WGS-84 and a point is almost certainly a typo — a swapped lng/lat, a dropped digit).
 */
export const CHINA_BOUNDS = { minLng: 73.4, maxLng: 135.1, minLat: 3.8, maxLat: 53.6 } as const;

const Lng = z
  .number('请填写经度')
  .min(CHINA_BOUNDS.minLng, `经度须在 ${CHINA_BOUNDS.minLng}～${CHINA_BOUNDS.maxLng} 之间（中国境内，GCJ-02）`)
  .max(CHINA_BOUNDS.maxLng, `经度须在 ${CHINA_BOUNDS.minLng}～${CHINA_BOUNDS.maxLng} 之间（中国境内，GCJ-02）`);
const Lat = z
  .number('请填写纬度')
  .min(CHINA_BOUNDS.minLat, `纬度须在 ${CHINA_BOUNDS.minLat}～${CHINA_BOUNDS.maxLat} 之间（中国境内，GCJ-02）`)
  .max(CHINA_BOUNDS.maxLat, `纬度须在 ${CHINA_BOUNDS.minLat}～${CHINA_BOUNDS.maxLat} 之间（中国境内，GCJ-02）`);

/** A landline (区号-号码, optional -分机), a mobile, or a 400/800 number: digits and hyphens, 5–20 characters. */
const Phone = z
  .string()
  .trim()
  .regex(/^(\d[\d-]{3,18}\d)?$/, '联系电话格式不正确（数字和连字符，如 010-12345678 或 13800000000）')
  .default('');

/**
 * The coordinate systems a keeper may enter a place's position in; it is converted to GCJ-02 on save.
 * - `gcj02`: 高德, 腾讯 and their coordinate pickers (the stored datum);
 * - `wgs84`: GPS receivers, phones' raw position, 天地图 (CGCS2000 differs from WGS-84 by centimetres);
 * - `bd09`: 百度地图 and its 拾取坐标系统.
 */
export const COORD_DATUMS = ['gcj02', 'wgs84', 'bd09'] as const;
export type CoordDatum = (typeof COORD_DATUMS)[number];
export const COORD_DATUM_LABELS: Record<CoordDatum, string> = {
  gcj02: 'GCJ-02（高德、腾讯地图）',
  wgs84: 'WGS-84（GPS、天地图）',
  bd09: 'BD-09（百度地图）',
};

const Datum = z.enum(COORD_DATUMS, '坐标系须为 gcj02（高德、腾讯）、wgs84（GPS、天地图）、bd09（百度）之一');

const placeFields = {
  kind: z.enum(SERVICE_PLACE_KINDS, '类型须为 党组织、党群服务中心、党员驿站、活动场所 之一'),
  name: z.string().trim().min(1, '请填写名称').max(100, '名称最多 100 字'),
  address: z.string().trim().min(1, '请填写地址').max(200, '地址最多 200 字'),
  phone: Phone,
  hours: z.string().trim().max(100, '开放时间最多 100 字').default(''),
  description: z.string().trim().max(500, '简介最多 500 字').default(''),
  lng: Lng,
  lat: Lat,
};

/**
 * A new place. `datum`: the coordinate system `lng`/`lat` are given in (default GCJ-02); WGS-84 and BD-09 are converted
 * to GCJ-02 on save (`toGcj02`), so what is stored is always GCJ-02.
 */
export const ServicePlaceInput = z.strictObject({
  orgId: z.uuid('组织编号格式不正确'),
  ...placeFields,
  datum: Datum.default('gcj02'),
});
export type ServicePlaceInput = z.infer<typeof ServicePlaceInput>;

/** An edit: any of the fields; the owning org does not change (delete and add under the other org). */
export const ServicePlacePatch = z
  .strictObject({
    kind: placeFields.kind.optional(),
    name: placeFields.name.optional(),
    address: placeFields.address.optional(),
    phone: z
      .string()
      .trim()
      .regex(/^(\d[\d-]{3,18}\d)?$/, '联系电话格式不正确（数字和连字符，如 010-12345678 或 13800000000）')
      .optional(),
    hours: z.string().trim().max(100, '开放时间最多 100 字').optional(),
    description: z.string().trim().max(500, '简介最多 500 字').optional(),
    lng: Lng.optional(),
    lat: Lat.optional(),
    /** The system of the new `lng`/`lat`; WGS-84 and BD-09 need both (a conversion moves both). */
    datum: Datum.optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'datum'), { message: '没有要修改的内容' })
  .refine((v) => !v.datum || v.datum === 'gcj02' || (v.lng !== undefined && v.lat !== undefined), {
    message: '按 WGS-84 或 BD-09 换算坐标时须同时填写经度和纬度',
    path: ['lat'],
  });
export type ServicePlacePatch = z.infer<typeof ServicePlacePatch>;

/** The list's query: paging, an org (default: the caller's own), a kind, and the point of 离我最近 (both or neither, GCJ-02). */
export const ServicePlaceQuery = Paging.extend({
  orgId: z.uuid('组织编号格式不正确').optional(),
  kind: z.enum(SERVICE_PLACE_KINDS, '类型须为 党组织、党群服务中心、党员驿站、活动场所 之一').optional(),
  lng: z.coerce
    .number('经度须为数字')
    .min(-180, '经度须在 -180～180 之间')
    .max(180, '经度须在 -180～180 之间')
    .optional(),
  lat: z.coerce.number('纬度须为数字').min(-90, '纬度须在 -90～90 之间').max(90, '纬度须在 -90～90 之间').optional(),
}).refine((v) => (v.lng === undefined) === (v.lat === undefined), { message: '经度和纬度须同时填写', path: ['lat'] });

export const ServicePlace = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(SERVICE_PLACE_KINDS),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  hours: z.string(),
  description: z.string(),
  lng: z.number(),
  lat: z.number(),
  /** Great-circle metres from the query point (null without one). */
  distanceM: z.number().nullable(),
  /** Whether the caller may edit or delete it (a record keeper whose binding covers its org). */
  canEdit: z.boolean(),
  updatedAt: z.string(),
});
export type ServicePlace = z.infer<typeof ServicePlace>;

/** The map's base: no tile server unless the installation sets one (XF_MAP_TILE_URL). */
export const MapConfig = z.object({
  /** A tile URL template with {z} {x} {y} (GCJ-02 Web Mercator tiles), or null: the plain base, no outside request. */
  tileUrl: z.string().nullable(),
  tileAttribution: z.string(),
  /** Whether the address lookup (地址解析) is configured; without it places are located by hand (coordinates). */
  geocoder: z.boolean(),
});
export type MapConfig = z.infer<typeof MapConfig>;

/** An address to look up (地址解析), optionally within a city (腾讯位置服务 `region`, e.g. 北京市). */
export const GeocodeInput = z.strictObject({
  address: z.string('请填写地址').trim().min(2, '请填写地址（至少 2 个字）').max(80, '地址最多 80 个字'),
  region: z.string().trim().max(20, '城市最多 20 个字').optional(),
});
export type GeocodeInput = z.infer<typeof GeocodeInput>;

/**
 * What the lookup found, in GCJ-02 (the provider's own datum). `reliability` is the provider's 1–10 (≥ 7: the
 * point is reliable; below: check it on the map); `level` how precise the match is (the provider's 1–11).
 */
export const GeocodeResult = z.object({
  lng: z.number(),
  lat: z.number(),
  title: z.string(),
  reliability: z.number().nullable(),
  level: z.number().nullable(),
  provider: z.literal('tencent'),
});
export type GeocodeResult = z.infer<typeof GeocodeResult>;
/** Below this provider reliability the page asks to check the point before using it. */
export const GEOCODE_RELIABLE = 7;

// ---- geometry ---------------------------------------------------------------------------------------

export const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance in metres (haversine). The server's SQL ordering uses the same formula and radius. */
export function greatCircleMetres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a WGS-84 point is where GCJ-02 applies (the usual rectangle test; outside it the two are the same). */
export const inChina = (lng: number, lat: number) =>
  lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;

/**
 * WGS-84 (GPS, the browser's position) → GCJ-02, the published conversion formula (Krasovsky 1940 ellipsoid
 * constants) that every open implementation uses; accurate to about a metre against the official one.
 */
export function wgs84ToGcj02(lng: number, lat: number): { lng: number; lat: number } {
  if (!inChina(lng, lat)) return { lng, lat };
  const a = 6378245.0;
  const ee = 0.006693421622965943;
  const x = lng - 105.0;
  const y = lat - 35.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLat += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLat += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  let dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLng += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLng += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLng += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - ee * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lng: lng + dLng, lat: lat + dLat };
}

/**
 * GCJ-02 → WGS-84: the inverse of `wgs84ToGcj02` by fixed-point iteration (w ← w − (gcj(w) − g)); the offset changes
 * so slowly with position that a few steps reach 1e-9° (≈ 0.1 mm). Outside China the two are the same.
 */
export function gcj02ToWgs84(lng: number, lat: number): { lng: number; lat: number } {
  if (!inChina(lng, lat)) return { lng, lat };
  let w = { lng, lat };
  for (let i = 0; i < 10; i++) {
    const g = wgs84ToGcj02(w.lng, w.lat);
    const dLng = g.lng - lng;
    const dLat = g.lat - lat;
    w = { lng: w.lng - dLng, lat: w.lat - dLat };
    if (Math.abs(dLng) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return w;
}

/** BD-09 (百度) is GCJ-02 shifted and slightly rotated by Baidu's published constants (x_pi = π × 3000 / 180). */
const X_PI = (Math.PI * 3000.0) / 180.0;

/** BD-09 (百度地图, 百度拾取坐标系统) → GCJ-02. Outside China the point is returned unchanged. */
export function bd09ToGcj02(lng: number, lat: number): { lng: number; lat: number } {
  if (!inChina(lng, lat)) return { lng, lat };
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return { lng: z * Math.cos(theta), lat: z * Math.sin(theta) };
}

/** GCJ-02 → BD-09 (百度). Outside China the point is returned unchanged. */
export function gcj02ToBd09(lng: number, lat: number): { lng: number; lat: number } {
  if (!inChina(lng, lat)) return { lng, lat };
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * X_PI);
  return { lng: z * Math.cos(theta) + 0.0065, lat: z * Math.sin(theta) + 0.006 };
}

/** A point entered in `datum`, as GCJ-02 (the stored datum). */
export function toGcj02(datum: CoordDatum, lng: number, lat: number): { lng: number; lat: number } {
  if (datum === 'wgs84') return wgs84ToGcj02(lng, lat);
  if (datum === 'bd09') return bd09ToGcj02(lng, lat);
  return { lng, lat };
}

/** Distance as shown: 850 米, 1.2 公里, 36 公里. */
export function distanceText(m: number): string {
  if (m < 1000) return `${Math.round(m)} 米`;
  if (m < 10_000) return `${(m / 1000).toFixed(1)} 公里`;
  return `${Math.round(m / 1000)} 公里`;
}
