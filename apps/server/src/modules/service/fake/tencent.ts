/**
 * A fake 腾讯位置服务 geocoder on loopback for the tests (geocode.test, map.e2e): it checks the key and the `sig`
 * as the provider documents it, with its own code (parameters sorted, raw values, path + '?' + query + SK, MD5
 * lower-case hex), and answers like the provider: 347 for an address containing 不存在, 121 (daily quota) for one
 * containing 太多, else 金融大街 — or the point of a `places` entry whose name the address contains.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GEOCODER_PATH } from '../geocode';

export const FAKE_TENCENT_KEY = 'TEST1-KEY22-GEOCO-DERXX-FAKE0-00000';
export const FAKE_TENCENT_SK = 'fakeSecretKeyForTheLoopbackOnly22';

export type FakeTencent = {
  server: http.Server;
  seen: { path: string; params: Record<string, string> }[];
  /** The settings that point the server at this fake. */
  env: () => Record<string, string>;
  close: () => Promise<void>;
};

export async function startFakeTencent(
  places: { name: string; lng: number; lat: number }[] = [],
): Promise<FakeTencent> {
  const seen: FakeTencent['seen'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams.entries());
    seen.push({ path: url.pathname, params });
    const send = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname !== GEOCODER_PATH) return send({ status: 404, message: '请求路径错误' });
    const { sig, ...rest } = params;
    const raw = Object.keys(rest)
      .sort()
      .map((k) => `${k}=${rest[k]}`)
      .join('&');
    const want = crypto.createHash('md5').update(`${GEOCODER_PATH}?${raw}${FAKE_TENCENT_SK}`).digest('hex');
    if (rest.key !== FAKE_TENCENT_KEY) return send({ status: 110, message: '请求来源未被授权' });
    if (sig !== want) return send({ status: 111, message: '签名验证失败' });
    if (rest.address?.includes('不存在')) return send({ status: 347, message: '查询无结果' });
    if (rest.address?.includes('太多')) return send({ status: 121, message: '此key每日调用量已达到上限' });
    const place = places.find((p) => rest.address?.includes(p.name));
    send({
      status: 0,
      message: 'query ok',
      result: {
        title: place?.name ?? '金融大街',
        location: place ? { lng: place.lng, lat: place.lat } : { lng: 116.358, lat: 39.916 },
        reliability: place || rest.region === '北京市' ? 7 : 5,
        level: 9,
        ad_info: { adcode: '110102' },
      },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    seen,
    env: () => ({
      XF_GEOCODER_TENCENT_KEY: FAKE_TENCENT_KEY,
      XF_GEOCODER_TENCENT_SK: FAKE_TENCENT_SK,
      XF_GEOCODER_TENCENT_URL: base,
    }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
