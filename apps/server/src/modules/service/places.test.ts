/**
 * 云地图 through the real HTTP stack on the demo enterprise: who sees which places (the acting org's subtree and the
 * orgs above, never another branch's), nearest first by great-circle distance with paging that agrees with the whole
 * order, the keepers' add / edit / delete with Chinese 4xx answers for bad input (coordinates outside China, a lng/lat
 * pair with one half missing, a second 党组织 place of an org), and the map's base: no tile server unless configured.
 * Nothing here depends on the day.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gcj02ToBd09, gcj02ToWgs84, greatCircleMetres, wgs84ToGcj02, type ServicePlace } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { loadConfig } from '../../platform/config';
import { startTestApp, type TestApp } from '../../testing/harness';

/** The demo's places (places.ts DEMO_PLACES), by name. */
const GROUP = ['华夏能源集团党委', '华夏能源集团党群服务中心'];
const POWER = ['华夏电力有限公司党委', '第一发电厂党员驿站'];
const BRANCH = ['第一发电厂党支部', '第一发电厂党员活动室'];
const RD = '研发中心党支部';
const XIONGAN = '雄安项目部党员驿站';
/** At the 第一发电厂党员驿站's gate (GCJ-02). */
const AT_STATION = { lng: 116.2175, lat: 39.9072 };

describe('云地图 places (service module)', () => {
  let t: TestApp;
  let tok: Record<'shuji' | 'shuji2' | 'dangyuan' | 'zuzhibu' | 'dianli', string>;
  let branchId: string;

  before(async () => {
    t = await startTestApp();
    tok = {
      shuji: await t.login('shuji'),
      shuji2: await t.login('shuji2'),
      dangyuan: await t.login('dangyuan'),
      zuzhibu: await t.login('zuzhibu'),
      dianli: await t.login('dianli'),
    };
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  const call = (who: keyof typeof tok, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request({ method, url: `/api/v1${url}`, token: tok[who], body });
  const list = async (who: keyof typeof tok, query = '') => {
    const r = await call(who, 'GET', `/service/places?pageSize=200${query}`);
    assert.equal(r.status, 200, r.raw);
    return r.body as { items: ServicePlace[]; total: number };
  };

  it('shows a member the places of their branch and of the orgs above it, never another branch’s', async () => {
    const mine = await list('dangyuan');
    assert.deepEqual(
      mine.items.map((p) => p.name).sort(),
      [...GROUP, ...POWER, ...BRANCH].sort(),
      JSON.stringify(mine.items.map((p) => p.name)),
    );
    assert.equal(mine.total, 6, 'total counts the visible places');
    assert.ok(
      mine.items.every((p) => !p.canEdit),
      'a member edits nothing',
    );
    assert.equal(
      mine.items.every((p) => p.distanceM === null),
      true,
      'no distance without a point',
    );
    const office = mine.items.find((p) => p.name === '第一发电厂党支部')!;
    assert.equal(office.kind, 'org');
    assert.equal(office.phone, '010-68863018', 'the duty phone is shown in full');
    // Another branch's 书记: the group's places and their own, not 第一发电厂's.
    const rd = await list('shuji2');
    assert.deepEqual(rd.items.map((p) => p.name).sort(), [...GROUP, RD].sort());
    assert.deepEqual(
      rd.items.filter((p) => p.canEdit).map((p) => p.name),
      [RD],
      'shuji2 edits only the own branch’s place',
    );
    // The 组织部 at the top sees all, and edits all.
    const all = await list('zuzhibu');
    assert.equal(all.total, 8, JSON.stringify(all.items.map((p) => p.name)));
    assert.ok(
      all.items.every((p) => p.canEdit),
      'the 组织部 edits every place',
    );
    // Naming an org outside one's scope is refused by the scope mechanism; within it narrows the list.
    const foreign = await call('dangyuan', 'GET', `/service/places?orgId=${await t.orgId(RD)}`);
    assert.equal(foreign.status, 403, foreign.raw);
    const narrowed = await list('zuzhibu', `&orgId=${await t.orgId('研发中心党支部')}`);
    assert.deepEqual(
      narrowed.items.map((p) => p.name).sort(),
      [...GROUP, RD].sort(),
      'the org’s subtree and the orgs above',
    );
    const kind = await list('dangyuan', '&kind=station');
    assert.deepEqual(
      kind.items.map((p) => p.name),
      ['第一发电厂党员驿站'],
    );
  });

  it('orders by great-circle distance from the point, nearest first, and pages that order', async () => {
    const near = await list('zuzhibu', `&lng=${AT_STATION.lng}&lat=${AT_STATION.lat}`);
    assert.equal(near.items[0]!.name, '第一发电厂党员驿站', 'the place at the point comes first');
    assert.equal(near.items[0]!.distanceM, 0);
    assert.equal(near.items.at(-1)!.name, XIONGAN, '雄安 is the farthest from 石景山');
    for (const p of near.items) {
      const want = greatCircleMetres(AT_STATION, p);
      assert.ok(Math.abs(p.distanceM! - want) <= 1, `${p.name}: SQL ${p.distanceM} m, TS ${want.toFixed(1)} m`);
    }
    const ds = near.items.map((p) => p.distanceM!);
    assert.deepEqual(
      ds,
      [...ds].sort((a, b) => a - b),
      'non-decreasing distances',
    );
    // From 雄安 the order turns round.
    const far = await list('zuzhibu', '&lng=115.91&lat=39.05');
    assert.equal(far.items[0]!.name, XIONGAN);
    assert.ok(far.items[0]!.distanceM! < 300, `${far.items[0]!.distanceM} m`);
    // Pages of 3 put together are the whole order, and each carries the total.
    const paged: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const r = await call(
        'zuzhibu',
        'GET',
        `/service/places?pageSize=3&page=${page}&lng=${AT_STATION.lng}&lat=${AT_STATION.lat}`,
      );
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.total, 8, `page ${page} total`);
      paged.push(...r.body.items.map((p: ServicePlace) => p.id));
    }
    assert.deepEqual(
      paged,
      near.items.map((p) => p.id),
    );
    const beyond = await call('zuzhibu', 'GET', '/service/places?pageSize=3&page=9');
    assert.deepEqual([beyond.body.items.length, beyond.body.total], [0, 8], 'a page past the end keeps the total');
    // A GPS (WGS-84) position is converted before it is compared: the raw one is hundreds of metres off.
    const gps = { lng: AT_STATION.lng - 0.0062, lat: AT_STATION.lat - 0.0013 };
    const gcj = wgs84ToGcj02(gps.lng, gps.lat);
    assert.ok(greatCircleMetres(gcj, AT_STATION) < 60, `converted: ${greatCircleMetres(gcj, AT_STATION)} m`);
    assert.ok(greatCircleMetres(gps, AT_STATION) > 300, 'unconverted: far off');
  });

  it('refuses bad input in Chinese: coordinates outside China, half a point, a bad phone, unknown fields, a second 党组织 place', async () => {
    const good = {
      orgId: branchId,
      kind: 'station',
      name: '探针驿站',
      address: '北京市石景山区',
      phone: '010-68860000',
      hours: '每天',
      lng: 116.22,
      lat: 39.9,
    };
    const cases: [string, unknown, RegExp][] = [
      ['lng outside China', { ...good, lng: 12.5 }, /经度须在 73.4～135.1 之间/],
      ['lng and lat swapped', { ...good, lng: 39.9, lat: 116.22 }, /经度须在|纬度须在/],
      ['lat missing', { ...good, lat: undefined }, /请填写纬度/],
      ['lat a string', { ...good, lat: '39.9' }, /请填写纬度/],
      ['bad phone', { ...good, phone: '打这个电话' }, /联系电话格式不正确/],
      ['no name', { ...good, name: ' ' }, /请填写名称/],
      ['bad kind', { ...good, kind: 'shop' }, /类型须为/],
      ['unknown field', { ...good, owner: 'x' }, /owner|未知|不允许|Unrecognized/i],
    ];
    const wrong: string[] = [];
    for (const [what, body, msg] of cases) {
      const r = await call('shuji', 'POST', '/service/places', body);
      if (r.status !== 400 || !msg.test(r.raw)) wrong.push(`${what} → ${r.status} ${r.raw.slice(0, 160)}`);
    }
    for (const [what, q, msg] of [
      ['lng without lat', '&lng=116.2', /经度和纬度须同时填写/],
      ['lat beyond 90', '&lng=116.2&lat=91', /纬度须在 -90～90 之间/],
      ['lng not a number', '&lng=abc&lat=39.9', /经度须为数字/],
      ['bad kind', '&kind=shop', /类型须为/],
    ] as const) {
      const r = await call('dangyuan', 'GET', `/service/places?pageSize=5${q}`);
      if (r.status !== 400 || !msg.test(r.raw)) wrong.push(`query ${what} → ${r.status} ${r.raw.slice(0, 160)}`);
    }
    assert.deepEqual(wrong, []);
    const second = await call('shuji', 'POST', '/service/places', { ...good, kind: 'org' });
    assert.equal(second.status, 409, second.raw);
    assert.match(second.body.error.message, /已有「党组织」位置/);
    const [row] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from service_place where name = '探针驿站'`,
    );
    assert.equal(row?.n, 0, 'nothing was written');
  });

  it('lets the keepers of the owning org add, edit and delete a place (audited); members and other branches cannot', async () => {
    const body = {
      orgId: branchId,
      kind: 'venue',
      name: '第一发电厂职工书屋',
      address: '北京市石景山区石景山路 38 号 综合楼 1 层',
      lng: 116.2151,
      lat: 39.9063,
    };
    const byMember = await call('dangyuan', 'POST', '/service/places', body);
    assert.equal(byMember.status, 403, byMember.raw);
    const byOther = await call('shuji2', 'POST', '/service/places', body);
    assert.equal(byOther.status, 403, byOther.raw);
    const created = await call('shuji', 'POST', '/service/places', body);
    assert.equal(created.status, 201, created.raw);
    const id = created.body.id as string;
    assert.deepEqual(
      [created.body.phone, created.body.hours, created.body.canEdit, created.body.orgName],
      ['', '', true, '第一发电厂党支部'],
    );
    assert.ok(
      (await list('dangyuan')).items.some((p) => p.id === id),
      'the member sees the new place',
    );
    // Edits: the keeper of the branch and the one above; not a member (403), not another branch (404).
    const edited = await call('shuji', 'PATCH', `/service-places/${id}`, {
      phone: '010-68863099',
      hours: '工作日 12:00-13:30',
    });
    assert.equal(edited.status, 200, edited.raw);
    assert.equal(edited.body.phone, '010-68863099');
    assert.equal((await call('dianli', 'PATCH', `/service-places/${id}`, { name: '职工书屋' })).body.name, '职工书屋');
    assert.equal((await call('dangyuan', 'PATCH', `/service-places/${id}`, { name: 'x' })).status, 403);
    assert.equal((await call('shuji2', 'PATCH', `/service-places/${id}`, { name: 'x' })).status, 404);
    assert.equal((await call('shuji2', 'DELETE', `/service-places/${id}`)).status, 404);
    const empty = await call('shuji', 'PATCH', `/service-places/${id}`, {});
    assert.equal(empty.status, 400, empty.raw);
    assert.match(empty.raw, /没有要修改的内容/);
    const outside = await call('shuji', 'PATCH', `/service-places/${id}`, { lat: 60 });
    assert.equal(outside.status, 400);
    assert.match(outside.raw, /纬度须在 3.8～53.6 之间/);
    const toOrg = await call('shuji', 'PATCH', `/service-places/${id}`, { kind: 'org' });
    assert.equal(toOrg.status, 409, 'the branch already has its 党组织 place');
    const moved = await call('shuji', 'PATCH', `/service-places/${id}`, { orgId: await t.orgId(RD) });
    assert.equal(moved.status, 400, 'the owner does not change by an edit');
    const gone = await call('shuji', 'DELETE', `/service-places/${id}`);
    assert.equal(gone.status, 200, gone.raw);
    assert.equal((await call('shuji', 'DELETE', `/service-places/${id}`)).status, 404);
    const audit = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where entity_id = ${id} order by id`,
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['service.place.create', 'service.place.update', 'service.place.update', 'service.place.delete'],
    );
    // A dissolved org's places leave the map (the 雄安 project ends).
    await t.services.db.execute(sql`update org set dissolved_at = now() where name = '雄安项目部党支部'`);
    await afterLocalWrite(t.services.db);
    const after = await list('zuzhibu');
    assert.equal(after.total, 7, JSON.stringify(after.items.map((p) => p.name)));
    assert.ok(!after.items.some((p) => p.name === XIONGAN), 'the dissolved org’s 驿站 is gone');
  });

  it('converts coordinates entered as WGS-84 or BD-09 (百度) to GCJ-02 on save, keeps GCJ-02 as entered, and audits what was typed', async () => {
    const base = { orgId: branchId, kind: 'venue', address: '北京市石景山区石景山路 38 号' };
    // A 百度 pick, a GPS reading and a 高德 pick of the same spot must all be stored as the same GCJ-02 point.
    const gcj = { lng: 116.2151, lat: 39.9063 };
    const bd = gcj02ToBd09(gcj.lng, gcj.lat);
    const wgs = gcj02ToWgs84(gcj.lng, gcj.lat);
    const made: Record<string, ServicePlace> = {};
    for (const [datum, p] of [
      ['bd09', bd],
      ['wgs84', wgs],
      ['gcj02', gcj],
    ] as const) {
      const r = await call('shuji', 'POST', '/service/places', { ...base, name: `换算测试-${datum}`, ...p, datum });
      assert.equal(r.status, 201, r.raw);
      made[datum] = r.body;
      assert.ok(
        greatCircleMetres(r.body, gcj) < 0.5,
        `${datum} is stored as the GCJ-02 point: ${r.body.lng},${r.body.lat}`,
      );
    }
    assert.deepEqual([made.gcj02!.lng, made.gcj02!.lat], [gcj.lng, gcj.lat], 'GCJ-02 is stored as entered');
    assert.ok(greatCircleMetres(bd, gcj) > 500, 'the BD-09 numbers themselves are far off: the conversion matters');
    const noDatum = await call('shuji', 'POST', '/service/places', { ...base, name: '换算测试-默认', ...gcj });
    assert.deepEqual([noDatum.status, noDatum.body.lng], [201, gcj.lng], 'without a datum the point is GCJ-02');
    const [audit] = await queryRows<{ after: { lng: number; entered?: { datum: string; lng: number } } }>(
      t.services.db,
      sql`select after from audit_log where action = 'service.place.create' and entity_id = ${made.bd09!.id}`,
    );
    assert.equal(audit?.after.entered?.datum, 'bd09', JSON.stringify(audit));
    assert.equal(audit?.after.entered?.lng, bd.lng);
    assert.ok(Math.abs(audit!.after.lng - gcj.lng) < 1e-5, 'the stored point is audited as well');
    // Bad input: an unknown datum; a conversion of half a point in an edit.
    const bad = await call('shuji', 'POST', '/service/places', {
      ...base,
      name: '换算测试-坏',
      ...gcj,
      datum: 'cgcs2000',
    });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.raw, /坐标系须为/);
    const half = await call('shuji', 'PATCH', `/service-places/${made.gcj02!.id}`, { lng: 116.3, datum: 'bd09' });
    assert.equal(half.status, 400, half.raw);
    assert.match(half.raw, /须同时填写经度和纬度/);
    const onlyDatum = await call('shuji', 'PATCH', `/service-places/${made.gcj02!.id}`, { datum: 'wgs84' });
    assert.equal(onlyDatum.status, 400, onlyDatum.raw);
    // An edit in WGS-84 moves the place to the converted point.
    const edited = await call('shuji', 'PATCH', `/service-places/${made.gcj02!.id}`, { ...wgs, datum: 'wgs84' });
    assert.equal(edited.status, 200, edited.raw);
    assert.ok(greatCircleMetres(edited.body, gcj) < 0.5, `edited: ${edited.body.lng},${edited.body.lat}`);
    for (const p of [...Object.values(made), noDatum.body as ServicePlace])
      assert.equal((await call('shuji', 'DELETE', `/service-places/${p.id}`)).status, 200);
  });

  it('has no tile server unless one is configured: then its origin is allowed for images and nothing else', async () => {
    const cfg = await call('dangyuan', 'GET', '/service/map-config');
    assert.deepEqual(cfg.body, { tileUrl: null, tileAttribution: '', geocoder: false });
    assert.match(cfg.headers['content-security-policy'] as string, /img-src 'self' data: blob:;/);
    assert.throws(
      () => loadConfig({ XF_MAP_TILE_URL: 'https://tiles.example.cn/tiles.png' }),
      /must contain \{z\}, \{x\} and \{y\}/,
    );
    assert.throws(() => loadConfig({ XF_MAP_TILE_URL: 'ftp://tiles.example.cn/{z}/{x}/{y}.png' }), /http\(s\) URL/);
    const tiled = await startTestApp({
      env: {
        XF_MAP_TILE_URL: 'https://tiles.intranet.example:8443/gcj/{z}/{x}/{y}.png',
        XF_MAP_TILE_ATTRIBUTION: '内网瓦片',
      },
    });
    try {
      const r = await tiled.request({
        method: 'GET',
        url: '/api/v1/service/map-config',
        token: await tiled.login('dangyuan'),
      });
      assert.deepEqual(r.body, {
        tileUrl: 'https://tiles.intranet.example:8443/gcj/{z}/{x}/{y}.png',
        tileAttribution: '内网瓦片',
        geocoder: false,
      });
      const csp = r.headers['content-security-policy'] as string;
      assert.match(csp, /img-src 'self' data: blob: https:\/\/tiles\.intranet\.example:8443;/);
      assert.match(csp, /connect-src 'self';/, 'only images come from the tile server');
    } finally {
      await tiled.close();
    }
  });
});
