/**
 * 地址解析 for 云地图: an address → a GCJ-02 point, through the Tencent LBS WebService geocoder
 * (`GET {base}/ws/geocoder/v1?address=…&key=…&sig=…`), when the operator configured a key (XF_GEOCODER_TENCENT_KEY).
 * Without one nothing leaves the server: the page says address lookup is not configured and the keeper places the
 * point by hand.
 *
 * The signature (腾讯位置服务 WebServiceAPI, SN校验, GET): the request's parameters sorted by name, joined as
 * `name=value` with `&` using the raw (not URL-encoded) values, prefixed with the request path and `?`, the SK
 * appended, MD5 in lower-case hex → `sig`, sent with the parameters, which are URL-encoded on the wire
 * (lbs.qq.com/faq/serverfaq/webservicekey, read 2026-12; not checked against a live key).
 *
 * Answers: `status` 0 with `result.location {lng, lat}` (GCJ-02), `title`, `reliability` (1–10) and `level`; 347 is
 * "no result"; 120/121 the key's per-second/daily quota; anything else (110–112: key, source or signature refused)
 * is the operator's to fix. The key, the SK and the signed URL are never logged nor shown.
 */
import { inChina, type GeocodeInput, type GeocodeResult } from '@xianfeng/shared';
import crypto from 'node:crypto';
import type { GeocoderConfig } from '../../platform/config';
import { AppError, unprocessable } from '../../platform/errors';

export const GEOCODER_PATH = '/ws/geocoder/v1';

/** The `sig` of a GET to `path` with `params` (every parameter but `sig`), signed with the SK. */
export function tencentSig(path: string, params: Record<string, string>, sk: string): string {
  const query = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return crypto.createHash('md5').update(`${path}?${query}${sk}`, 'utf8').digest('hex');
}

/** The request URL for an address: parameters URL-encoded, `sig` last when an SK is configured. */
export function geocoderUrl(cfg: GeocoderConfig, input: GeocodeInput): string {
  const params: Record<string, string> = {
    address: input.address,
    key: cfg.key,
    ...(input.region ? { region: input.region } : {}),
  };
  const query = new URLSearchParams(params);
  if (cfg.sk) query.set('sig', tencentSig(GEOCODER_PATH, params, cfg.sk));
  return `${cfg.baseUrl}${GEOCODER_PATH}?${query.toString()}`;
}

export const geocoderNotConfigured = () =>
  unprocessable(
    '管理员没有配置地址解析服务：请粘贴或填写坐标（可在高德、腾讯地图的坐标拾取工具中取得）',
    undefined,
    'GEOCODER_NOT_CONFIGURED',
  );

const failed = (message: string) => new AppError(502, 'GEOCODER_FAILED', message);

type TencentAnswer = {
  status?: number;
  message?: string;
  result?: { title?: string; location?: { lng?: number; lat?: number }; reliability?: number; level?: number };
};

/** Looks an address up; a clear Chinese error for no result, quota, a refused key or an unreachable provider. */
export async function geocode(
  cfg: GeocoderConfig | null,
  input: GeocodeInput,
  timeoutMs = 8000,
): Promise<GeocodeResult> {
  if (!cfg) throw geocoderNotConfigured();
  let body: TencentAnswer;
  try {
    const res = await fetch(geocoderUrl(cfg, input), { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!res.ok) throw failed(`地址解析服务暂时不可用（HTTP ${res.status}），请稍后再试，或手动填写坐标`);
    body = (await res.json()) as TencentAnswer;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw failed('无法连接地址解析服务（腾讯位置服务），请稍后再试，或手动填写坐标');
  }
  const status = Number(body.status);
  if (status === 347)
    throw new AppError(
      404,
      'GEOCODE_NOT_FOUND',
      '没有找到这个地址的位置：请写完整（省、市、区、街道和门牌号），或手动填写坐标',
    );
  if (status === 120 || status === 121) throw failed('地址解析服务的调用次数已达上限，请稍后再试，或手动填写坐标');
  if (status !== 0)
    throw failed(
      `地址解析服务拒绝了请求（腾讯位置服务 ${Number.isFinite(status) ? status : '?'}：${String(body.message ?? '').slice(0, 60)}），请管理员检查密钥和签名设置`,
    );
  const loc = body.result?.location;
  const lng = Number(loc?.lng);
  const lat = Number(loc?.lat);
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || !inChina(lng, lat))
    throw failed('地址解析服务返回的坐标不在中国境内，请手动填写坐标');
  const reliability = Number.isFinite(Number(body.result?.reliability)) ? Number(body.result?.reliability) : null;
  const level = Number.isFinite(Number(body.result?.level)) ? Number(body.result?.level) : null;
  return {
    lng,
    lat,
    title: String(body.result?.title ?? input.address).slice(0, 100),
    reliability,
    level,
    provider: 'tencent',
  };
}
