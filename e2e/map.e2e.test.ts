/**
 * 云地图 in the browser (issue 22), with the network outside loopback blocked: every request the pages make is
 * recorded, anything not to 127.0.0.1/localhost is aborted, and the test fails if there was any. 陈志远 (dangyuan) on a
 * 390px phone sees the demo's places of his branch and the orgs above on the map and the list (not another branch's),
 * lets the browser tell his position and gets the nearest 党员驿站 first, opens it and finds a tap-to-call link; without
 * the permission he is told so and keeps the list. The 书记 张建国 (shuji) at 1280px adds a place with the form,
 * and on a phone enters one in 百度's BD-09 coordinates, stored converted to GCJ-02. With
 * XF_MAP_TILE_URL set (a tile server on loopback, made here), the map loads its tiles under the points and nothing else.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe } from 'node:test';
import { gcj02ToBd09, wgs84ToGcj02 } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { startFakeTencent, type FakeTencent } from '../apps/server/src/modules/service/fake/tencent';
import { itWithShots, noOverflow, startE2e, type E2e } from './harness';

const MINE = [
  '华夏能源集团党委',
  '华夏能源集团党群服务中心',
  '华夏电力有限公司党委',
  '第一发电厂党员驿站',
  '第一发电厂党支部',
  '第一发电厂党员活动室',
];
/** The 驿站's GCJ-02 position as a phone's GPS (WGS-84) would report it: the inverse of wgs84ToGcj02, by iteration. */
function gpsAt(gcj: { lng: number; lat: number }) {
  let w = { ...gcj };
  for (let i = 0; i < 5; i++) {
    const g = wgs84ToGcj02(w.lng, w.lat);
    w = { lng: w.lng - (g.lng - gcj.lng), lat: w.lat - (g.lat - gcj.lat) };
  }
  return w;
}

/** Blocks and records every request that would leave loopback; returns the list of what was tried. */
async function loopbackOnly(page: Page): Promise<string[]> {
  const outside: string[] = [];
  await page.context().route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (
      ['127.0.0.1', 'localhost', '[::1]'].includes(host) ||
      route.request().url().startsWith('data:') ||
      route.request().url().startsWith('blob:')
    )
      return route.continue();
    outside.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !outside.includes(r.url())) outside.push(r.url());
  });
  return outside;
}

describe('云地图 in the browser', () => {
  let e: E2e;
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'map');

  it('a member sees the demo places on a 390px phone, nearest first from the phone’s position, and calls one', async () => {
    const page = await e.page(390);
    const outside = await loopbackOnly(page);
    const station = { lng: 116.2175, lat: 39.9072 };
    const gps = gpsAt(station);
    await page.context().grantPermissions(['geolocation'], { origin: e.server.url });
    await page.context().setGeolocation({ longitude: gps.lng, latitude: gps.lat, accuracy: 20 });
    await e.login(page, 'dangyuan');
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menuitem', { name: /云地图/ }).click();
    await page.waitForURL('**/service-map');
    const map = page.locator('.xf-map');
    await map.waitFor();
    await page.locator('.xf-map canvas').first().waitFor();
    assert.equal(await map.getAttribute('data-points'), String(MINE.length), 'the map draws the six places');
    const names = await page
      .locator('.xf-place-item')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-place')));
    assert.deepEqual([...names].sort(), [...MINE].sort());
    assert.equal(await page.locator('[data-place="研发中心党支部"]').count(), 0, 'another branch’s place is not shown');
    await page.getByText('简洁底图（不连接外部地图服务）', { exact: false }).waitFor();
    await noOverflow(page, 'the map page at 390px');
    await e.shot(page, 'map-390');
    // 离我最近: the browser's (granted) position, converted to GCJ-02 — the 驿站 at the gate comes first, within metres.
    await page.getByRole('button', { name: /离我最近/ }).click();
    await page.getByText('按离「我的位置」的距离由近到远排列').waitFor();
    const first = page.locator('.xf-place-item').first();
    await first.locator('.xf-place-distance').waitFor();
    assert.equal(await first.getAttribute('data-place'), '第一发电厂党员驿站');
    assert.match(await first.locator('.xf-place-distance').innerText(), /^\d+ 米$/);
    const metres = Number((await first.locator('.xf-place-distance').innerText()).replace(/\D/g, ''));
    assert.ok(metres < 30, `the 驿站 is ${metres} m away (the GPS position was converted to GCJ-02)`);
    assert.equal(await map.getAttribute('data-points'), String(MINE.length));
    await e.shot(page, 'map-near-390');
    // Details with a tap-to-call link.
    await first.click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByText('每天 7:00-21:00', { exact: false }).waitFor();
    assert.equal(await drawer.getByRole('link', { name: /拨打 010-68863001/ }).getAttribute('href'), 'tel:01068863001');
    assert.equal(await drawer.getByRole('button', { name: '修改' }).count(), 0, 'a member edits nothing');
    await noOverflow(page, 'the details at 390px');
    await e.shot(page, 'map-detail-390');
    assert.deepEqual(outside, [], 'no request left loopback');
    assert.deepEqual(e.pageErrors, []);
  });

  it('without the location permission the member is told so and keeps the list', async () => {
    const page = await e.page(390);
    const outside = await loopbackOnly(page);
    await page.context().clearPermissions();
    await e.login(page, 'dangyuan');
    await page.goto('/service-map');
    await page.locator('.xf-place-item').first().waitFor();
    await page.getByRole('button', { name: /离我最近/ }).click();
    await page.getByText(/未获得定位权限|暂时无法获取位置/).waitFor();
    assert.equal(await page.locator('.xf-place-item').count(), MINE.length, 'the list stays');
    // The list view alone (the fallback).
    await page.getByText('列表', { exact: true }).click();
    assert.equal(await page.locator('.xf-map').count(), 0);
    assert.equal(await page.locator('.xf-place-item').count(), MINE.length);
    await e.shot(page, 'map-list-390');
    assert.deepEqual(outside, [], 'no request left loopback');
  });

  it('the 书记 adds a place at 1280px and it appears on the map and in the list', async () => {
    const page = await e.page(1280);
    const outside = await loopbackOnly(page);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /云地图/ }).click();
    await page.waitForURL('**/service-map');
    const map = page.locator('.xf-map');
    await page.locator('.xf-map canvas').first().waitFor();
    assert.equal(await map.getAttribute('data-points'), String(MINE.length));
    await e.shot(page, 'map-1280');
    // Places that would overlap are one badge with their count (the 石景山 ones, the two at 金融大街); a click zooms in
    // and the badges split until each place stands alone or in a smaller group.
    const before = (await map.getAttribute('data-clusters')) ?? '';
    const sizes = before.split(',').filter(Boolean).map(Number);
    assert.ok(
      sizes.length > 0 && sizes.every((n) => n >= 2) && sizes.reduce((a, b) => a + b, 0) <= MINE.length,
      `clusters at first: ${before}`,
    );
    const visibleBefore = Number(await map.getAttribute('data-visible'));
    assert.equal(
      visibleBefore,
      MINE.length - sizes.reduce((a, b) => a + b, 0),
      'a place in a badge is not drawn on its own',
    );
    const at = ((await map.getAttribute('data-cluster-at')) ?? '').split(',').map(Number) as [number, number];
    await map.click({ position: { x: at[0], y: at[1] } });
    await page.waitForFunction((b) => document.querySelector('.xf-map')?.getAttribute('data-clusters') !== b, before);
    // Zoomed in three times (on the first badge, the two places at 金融大街 15 号, which share a building and stay one
    // badge): the 石景山 places, 200–300 m apart, now stand on their own.
    assert.ok(
      Number(await map.getAttribute('data-visible')) > visibleBefore,
      `more places drawn singly after the zoom (${await map.getAttribute('data-clusters')})`,
    );
    await e.shot(page, 'map-cluster-zoomed-1280');
    await page.getByRole('button', { name: /登记地点/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('第一发电厂职工书屋');
    await dialog.getByLabel('地址').fill('北京市石景山区石景山路 38 号 综合楼 1 层');
    await dialog.getByLabel('联系电话').fill('010-68863066');
    await dialog.getByLabel('开放时间').fill('工作日 12:00-13:30');
    await dialog.getByLabel('粘贴坐标').fill('116.2151,39.9063');
    await e.shot(page, 'map-form-1280');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已登记').waitFor();
    await page.locator('[data-place="第一发电厂职工书屋"]').first().waitFor();
    await page.waitForFunction(() => document.querySelector('.xf-map')?.getAttribute('data-points') === '7');
    // Out of range coordinates are refused with the server's Chinese message.
    await page.getByRole('button', { name: /登记地点/ }).click();
    const again = page.getByRole('dialog');
    await again.getByLabel('名称').fill('坐标错误');
    await again.getByLabel('地址').fill('某地');
    await again.getByLabel('粘贴坐标').fill('39.9063,116.2151');
    await again.getByRole('button', { name: /保\s*存/ }).click();
    await again.getByText(/经度须在 73.4～135.1 之间/).waitFor();
    await again.getByRole('button', { name: /取\s*消/ }).click();
    await e.shot(page, 'map-added-1280');
    assert.deepEqual(outside, [], 'no request left loopback');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 书记 on a 390px phone enters a place picked on 百度地图 (BD-09) and it is stored converted to GCJ-02', async () => {
    const page = await e.page(390);
    const outside = await loopbackOnly(page);
    await e.login(page, 'shuji');
    await page.goto('/service-map');
    await page.locator('.xf-map canvas').first().waitFor();
    await page.getByRole('button', { name: /登\s?记/ }).click(); // at 390 the button says 登记
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('第一发电厂职工之家');
    await dialog.getByLabel('地址').fill('北京市石景山区石景山路 38 号 职工之家');
    await dialog.getByText('BD-09', { exact: true }).click();
    // The same spot as 116.2151,39.9063 on 高德, as 百度's coordinate picker gives it.
    const gcj = { lng: 116.2151, lat: 39.9063 };
    const bd = gcj02ToBd09(gcj.lng, gcj.lat);
    await dialog.getByLabel('粘贴坐标').fill(`${bd.lng.toFixed(6)},${bd.lat.toFixed(6)}`);
    const converted = dialog.getByTestId('place-converted');
    await converted.getByText(/保存时换算为 GCJ-02：116\.215\d+, 39\.906\d+（移动约 \d+ 米）/).waitFor();
    await noOverflow(page, 'the place form at 390px');
    await e.shot(page, 'map-form-bd09-390');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已登记').waitFor();
    const item = page.locator('[data-place="第一发电厂职工之家"]').first();
    await item.waitFor();
    await item.click();
    const detail = page.locator('.xf-place-detail[data-place="第一发电厂职工之家"]');
    const coords = await detail.getByText(/坐标（GCJ-02）：/).innerText();
    const [lng, lat] = (/：([\d.]+), ([\d.]+)/.exec(coords) ?? []).slice(1).map(Number);
    assert.ok(Math.abs(lng! - gcj.lng) < 2e-6 && Math.abs(lat! - gcj.lat) < 2e-6, `stored as GCJ-02: ${coords}`);
    await e.shot(page, 'map-bd09-detail-390');
    assert.deepEqual(outside, [], 'no request left loopback');
    assert.deepEqual(e.pageErrors, []);
  });
});

/** A 1×1 PNG: enough for a tile the browser draws. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('云地图 with a configured tile server and address lookup', () => {
  let e: E2e;
  let tiles: http.Server;
  let geocoder: FakeTencent;
  const asked: string[] = [];
  before(async () => {
    // The fake 腾讯位置服务 knows one address: the 第一发电厂 gate, where the demo's 党员驿站 stands.
    geocoder = await startFakeTencent([{ name: '第一发电厂大门', lng: 116.2176, lat: 39.9071 }]);
    tiles = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    const port = (tiles.address() as AddressInfo).port;
    e = await startE2e({
      env: {
        XF_MAP_TILE_URL: `http://127.0.0.1:${port}/gcj/{z}/{x}/{y}.png`,
        XF_MAP_TILE_ATTRIBUTION: '测试瓦片服务',
        ...geocoder.env(),
      },
    });
  });
  after(async () => {
    await e.close();
    await new Promise((resolve) => tiles.close(resolve));
    await geocoder.close();
  });
  const it = itWithShots(() => e, 'map-tiles');

  it('draws the standard tiles around the places (loopback only, allowed by the CSP)', async () => {
    const page = await e.page(1280);
    const outside = await loopbackOnly(page);
    await e.login(page, 'dangyuan');
    await page.goto('/service-map');
    await page.locator('.xf-map canvas').first().waitFor();
    await page.getByText('测试瓦片服务', { exact: false }).waitFor();
    for (let i = 0; i < 50 && asked.length === 0; i++) await page.waitForTimeout(100);
    assert.ok(asked.length > 0, 'the map asked the tile server for tiles');
    // Tiles of the area shown (Beijing: x 842–845, y 387–389 at zoom 10; scaled for other zooms).
    const wrong = asked.filter((u) => {
      const m = /^\/gcj\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(u);
      if (!m) return true;
      const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const f = 2 ** (z - 10);
      return x < 840 * f || x > 847 * f || y < 385 * f || y > 391 * f;
    });
    assert.deepEqual(wrong, [], `tiles outside Beijing or malformed: ${asked.join(' ')}`);
    await e.shot(page, 'map-tiles-1280');
    assert.deepEqual(outside, [], 'no request left loopback');
    assert.deepEqual(e.pageErrors, [], 'no CSP violation');
  });

  it('a member types an address on a 390px phone and gets the places nearest to it first', async () => {
    const page = await e.page(390);
    const outside = await loopbackOnly(page);
    await e.login(page, 'dangyuan');
    await page.goto('/service-map');
    await page.locator('.xf-place-item').first().waitFor();
    const before = geocoder.seen.length;
    await page.getByLabel('出发地址').fill('北京市石景山区第一发电厂大门');
    // antd spaces two-character button labels: 「查 找」.
    await page.getByRole('button', { name: /^查\s?找$/ }).click();
    await page.getByText('按离「第一发电厂大门」的距离由近到远排列').waitFor();
    const first = page.locator('.xf-place-item').first();
    await first.locator('.xf-place-distance').waitFor();
    assert.equal(await first.getAttribute('data-place'), '第一发电厂党员驿站');
    assert.equal(geocoder.seen.length, before + 1, 'one lookup, through the server');
    assert.equal(geocoder.seen.at(-1)!.params.address, '北京市石景山区第一发电厂大门');
    await noOverflow(page, 'the address lookup at 390px');
    await e.shot(page, 'map-address-390');
    // An address the provider does not know: a Chinese message, the list stays.
    await page.getByLabel('出发地址').fill('不存在的地方');
    await page.getByLabel('出发地址').press('Enter');
    await page.getByText(/没有找到这个地址/).waitFor();
    assert.ok((await page.locator('.xf-place-item').count()) > 0);
    assert.deepEqual(outside, [], 'the browser asked only the server (the lookup leaves from the server)');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the 书记 fills a new place’s point from its address at 1280px', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto('/service-map');
    await page.locator('.xf-place-item').first().waitFor();
    await page.getByRole('button', { name: /登记地点/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('地址').fill('北京市石景山区第一发电厂大门西侧');
    await dialog.getByRole('button', { name: '按地址查坐标' }).click();
    await dialog.getByTestId('place-lookup').getByText('已按「第一发电厂大门」填入坐标（GCJ-02）').waitFor();
    assert.equal(await dialog.getByLabel('经度').inputValue(), '116.217600');
    assert.equal(await dialog.getByLabel('纬度').inputValue(), '39.907100');
    await e.shot(page, 'map-place-lookup-1280');
    assert.deepEqual(e.pageErrors, []);
  });
});
