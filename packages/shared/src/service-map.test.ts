/**
 * The coordinate conversions against published reference points. Sources (both open implementations of the same
 * published formulas; the official GCJ-02 algorithm is not public, so "published" here means these widely used
 * reference implementations — `confirmed: false` in spirit: not checked against 国家测绘地理信息局's own tool):
 * - googollee/eviltransform, python/test.py (commit 3416646): WGS-84 → GCJ-02 for a point each in 上海, 深圳, 北京,
 *   compared there to 6 decimal places; and its gcj2wgs_exact within 0.5 m.
 * - wandergis/coordtransform, test/app.js: BD-09 → GCJ-02 and GCJ-02 → BD-09 of (116.404, 39.915), the 天安门 area.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bd09ToGcj02,
  gcj02ToBd09,
  gcj02ToWgs84,
  greatCircleMetres,
  inChina,
  toGcj02,
  wgs84ToGcj02,
} from './service-map';

/** [wgsLng, wgsLat, gcjLng, gcjLat], from eviltransform's TESTS (given there as lat, lng). */
const WGS_GCJ: [string, number, number, number, number][] = [
  ['上海', 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597],
  ['深圳', 113.912316, 22.543847, 113.9171764808363, 22.540796131694766],
  ['北京', 116.377817, 39.911954, 116.38404722455657, 39.91334545536069],
];
const near = (a: number, b: number, digits: number, what: string) =>
  assert.ok(Math.abs(a - b) < 0.5 * 10 ** -digits, `${what}: ${a} ≠ ${b} to ${digits} decimals`);

describe('coordinate conversions (WGS-84, GCJ-02, BD-09)', () => {
  it('converts WGS-84 to GCJ-02 as the reference points say, to 6 decimals (≈ 0.1 m)', () => {
    for (const [city, wl, wb, gl, gb] of WGS_GCJ) {
      const g = wgs84ToGcj02(wl, wb);
      near(g.lng, gl, 6, `${city} lng`);
      near(g.lat, gb, 6, `${city} lat`);
    }
  });

  it('inverts GCJ-02 to WGS-84 within 0.5 m of the reference points, and round-trips to a millimetre', () => {
    for (const [city, wl, wb, gl, gb] of WGS_GCJ) {
      const w = gcj02ToWgs84(gl, gb);
      assert.ok(greatCircleMetres(w, { lng: wl, lat: wb }) < 0.5, `${city}: ${JSON.stringify(w)}`);
      const back = wgs84ToGcj02(w.lng, w.lat);
      assert.ok(greatCircleMetres(back, { lng: gl, lat: gb }) < 0.001, `${city} round trip`);
    }
  });

  it('converts BD-09 and GCJ-02 both ways as the reference points say', () => {
    const g = bd09ToGcj02(116.404, 39.915);
    near(g.lng, 116.39762729119315, 9, 'bd→gcj lng');
    near(g.lat, 39.90865673957631, 9, 'bd→gcj lat');
    const b = gcj02ToBd09(116.404, 39.915);
    near(b.lng, 116.41036949371029, 9, 'gcj→bd lng');
    near(b.lat, 39.92133699351021, 9, 'gcj→bd lat');
    // The two are inverse to within a few centimetres (the published pair is not exactly inverse).
    const round = bd09ToGcj02(b.lng, b.lat);
    assert.ok(greatCircleMetres(round, { lng: 116.404, lat: 39.915 }) < 0.1, JSON.stringify(round));
  });

  it('leaves points outside China unchanged, and converts by the datum entered', () => {
    for (const [lng, lat] of [
      [2.2945, 48.8584], // Paris
      [-74.0445, 40.6892], // New York
      [139.6917, 35.6895], // Tokyo: east of the rectangle's 137.8347° edge
    ] as const) {
      assert.equal(inChina(lng, lat), false, `${lng},${lat} is outside`);
      assert.deepEqual(wgs84ToGcj02(lng, lat), { lng, lat });
      assert.deepEqual(gcj02ToWgs84(lng, lat), { lng, lat });
      assert.deepEqual(bd09ToGcj02(lng, lat), { lng, lat });
      assert.deepEqual(gcj02ToBd09(lng, lat), { lng, lat });
    }
    assert.equal(inChina(116.4, 39.9), true);
    assert.deepEqual(toGcj02('gcj02', 116.404, 39.915), { lng: 116.404, lat: 39.915 });
    assert.deepEqual(toGcj02('wgs84', 116.377817, 39.911954), wgs84ToGcj02(116.377817, 39.911954));
    assert.deepEqual(toGcj02('bd09', 116.404, 39.915), bd09ToGcj02(116.404, 39.915));
    // The sizes of the shifts, as the datums are known for: WGS-84 → GCJ-02 a few hundred metres in Beijing, BD-09 → GCJ-02 about 700 m.
    const wShift = greatCircleMetres({ lng: 116.377817, lat: 39.911954 }, toGcj02('wgs84', 116.377817, 39.911954));
    assert.ok(wShift > 300 && wShift < 700, `WGS shift ${wShift}`);
    const bShift = greatCircleMetres({ lng: 116.404, lat: 39.915 }, toGcj02('bd09', 116.404, 39.915));
    assert.ok(bShift > 500 && bShift < 1000, `BD shift ${bShift}`);
  });
});
