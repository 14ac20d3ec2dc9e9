/**
 * 云地图: places of party organizations (`service_place`) — an org's own office (党组织, at most one per org),
 * 党群服务中心, 党员驿站, activity places — kept by the record keepers of the owning org's subtree, listed for everyone
 * signed in, nearest first when a position is given.
 *
 * Who sees which places: the scope mechanism decides the org the caller acts in (their binding, or `orgId` within
 * it); the list then holds the places of that org's subtree **and of the orgs above it** — a 党群服务中心 or 党员驿站
 * run by the committee above is there for the members below (a 党支部's member finds the group's 驿站), while
 * another branch's places stay out. Editing is stricter: only a keeper whose binding covers the owning org.
 *
 * Personal data: a place holds none but its contact phone, which is the place's duty phone (值班电话) shown to everyone
 * who sees the place — not a person's number, so it is stored in the clear, not masked, and not part of anyone's
 * personal-data copy (the form asks for the place's phone; a keeper who types a private mobile makes it public on
 * purpose). Writes are audited.
 */
import {
  EARTH_RADIUS_M,
  RECORD_KEEPERS,
  toGcj02,
  type ServicePlace,
  type ServicePlaceInput,
  type ServicePlacePatch,
  type ServicePlaceKind,
} from '@xianfeng/shared';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { covers, orgOfRow, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { byKey, inTenant, queryRows, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, notFound } from '../../platform/errors';
import { servicePlace } from './schema';

type PlaceRow = typeof servicePlace.$inferSelect;

/** The owning org of a place: its keepers (record keepers covering it) edit and delete it. */
export const orgOfPlace = orgOfRow(servicePlace);

const canEditPlace = (scope: Scope, orgPath: string) =>
  scope.principal.bindings.some(
    (b) =>
      (RECORD_KEEPERS as readonly string[]).includes(b.role) &&
      covers(b.org, { id: '', path: orgPath, tenantId: scope.tenantId, name: '', kind: '' }),
  );

type Listed = {
  id: string;
  org_id: string;
  org_name: string;
  org_path: string;
  kind: ServicePlaceKind;
  name: string;
  address: string;
  phone: string;
  hours: string;
  description: string;
  lng: number;
  lat: number;
  distance_m: number | null;
  updated_at: Date | string;
  total: number | string;
};

function view(scope: Scope, r: Listed): ServicePlace {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    kind: r.kind,
    name: r.name,
    address: r.address,
    phone: r.phone,
    hours: r.hours,
    description: r.description,
    lng: Number(r.lng),
    lat: Number(r.lat),
    distanceM: r.distance_m === null ? null : Math.round(Number(r.distance_m)),
    canEdit: canEditPlace(scope, r.org_path),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/**
 * Great-circle metres from the point to each place (haversine, the same formula and radius as the shared
 * `greatCircleMetres`). Computed in SQL, not in TS, because the list pages: the database must order every visible
 * place by distance before it cuts a page (and counts the total in the same pass); fetching all of them to sort in
 * the process would work for the handful a tenant has today, not for a group with thousands of 驿站.
 */
const distanceSql = (lng: number, lat: number) => sql`(2 * ${EARTH_RADIUS_M}::float8 * asin(least(1::float8, sqrt(
  power(sin(radians(p.lat - ${lat}::float8) / 2), 2)
  + cos(radians(${lat}::float8)) * cos(radians(p.lat)) * power(sin(radians(p.lng - ${lng}::float8) / 2), 2)))))`;

export type PlaceQuery = {
  kind?: ServicePlaceKind | undefined;
  lng?: number | undefined;
  lat?: number | undefined;
  page: number;
  pageSize: number;
};

/**
 * The places the caller sees (the acting org's subtree and the orgs above it; not those of dissolved orgs), nearest
 * first when a point is given.
 */
export async function listPlaces(
  db: Queryable,
  scope: Scope,
  q: PlaceQuery,
): Promise<{ items: ServicePlace[]; total: number }> {
  const point = q.lng !== undefined && q.lat !== undefined ? { lng: q.lng, lat: q.lat } : null;
  const dist: SQL = point ? distanceSql(point.lng, point.lat) : sql`null::float8`;
  const order: SQL = point
    ? sql`distance_m, p.name, p.id`
    : sql`o.path, case p.kind when 'org' then 0 when 'center' then 1 when 'station' then 2 else 3 end, p.name, p.id`;
  const rows = await queryRows<Listed>(
    db,
    sql`select p.id, p.org_id, o.name as org_name, o.path as org_path, p.kind, p.name, p.address, p.phone, p.hours, p.description,
               p.lng, p.lat, ${dist} as distance_m, p.updated_at, count(*) over () as total
        from service_place p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id
        where p.tenant_id = ${scope.tenantId}
          and o.dissolved_at is null and (o.path like ${scope.org.path} || '%' or ${scope.org.path} like o.path || '%')
          ${q.kind ? sql`and p.kind = ${q.kind}` : sql``}
        order by ${order}
        limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.page > 1) {
    const [c] = await queryRows<{ n: number | string }>(
      db,
      sql`select count(*) as n from service_place p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id
          where p.tenant_id = ${scope.tenantId} and o.dissolved_at is null and (o.path like ${scope.org.path} || '%' or ${scope.org.path} like o.path || '%')
          ${q.kind ? sql`and p.kind = ${q.kind}` : sql``}`,
    );
    total = Number(c?.n ?? 0);
  }
  return { items: rows.map((r) => view(scope, r)), total };
}

async function getPlace(db: Queryable, scope: Scope, id: string): Promise<ServicePlace> {
  const rows = await queryRows<Listed>(
    db,
    sql`select p.id, p.org_id, o.name as org_name, o.path as org_path, p.kind, p.name, p.address, p.phone, p.hours, p.description,
               p.lng, p.lat, null::float8 as distance_m, p.updated_at, 1 as total
        from service_place p join org o on o.tenant_id = p.tenant_id and o.id = p.org_id where p.tenant_id = ${scope.tenantId} and p.id = ${id}`,
  );
  if (!rows[0]) throw notFound();
  return view(scope, rows[0]);
}

/** What the keeper typed when it was not GCJ-02 (the audit keeps both: the conversion is part of the record). */
const enteredAs = (v: { datum?: 'gcj02' | 'wgs84' | 'bd09'; lng?: number; lat?: number }) =>
  v.datum && v.datum !== 'gcj02' ? { entered: { datum: v.datum, lng: v.lng, lat: v.lat } } : {};

const audited = (p: Pick<PlaceRow, 'kind' | 'name' | 'address' | 'phone' | 'hours' | 'lng' | 'lat'>) => ({
  kind: p.kind,
  name: p.name,
  address: p.address,
  phone: p.phone,
  hours: p.hours,
  lng: p.lng,
  lat: p.lat,
});

/** An org has at most one place of kind 党组织 (its own office): the second answers 409, in Chinese. */
async function assertOneOffice(tx: Tx, tenantId: string, orgId: string, exceptId: string | null) {
  const [other] = await tx
    .select({ id: servicePlace.id, name: servicePlace.name })
    .from(servicePlace)
    .where(
      inTenant(
        servicePlace,
        tenantId,
        eq(servicePlace.orgId, orgId),
        eq(servicePlace.kind, 'org'),
        exceptId ? sql`${servicePlace.id} <> ${exceptId}` : sql`true`,
      ),
    );
  if (other)
    throw conflict(
      `该组织已有「党组织」位置（${other.name}），每个组织只能登记一处；其他地点请选择其他类型`,
      'ORG_PLACE_EXISTS',
    );
}

export async function createPlace(db: Db, scope: Scope, input: ServicePlaceInput): Promise<ServicePlace> {
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    if (input.kind === 'org') await assertOneOffice(tx, scope.tenantId, scope.org.id, null);
    const row = {
      id,
      tenantId: scope.tenantId,
      orgId: scope.org.id,
      kind: input.kind,
      name: input.name,
      address: input.address,
      phone: input.phone,
      hours: input.hours,
      description: input.description,
      ...toGcj02(input.datum, input.lng, input.lat),
      createdBy: scope.actor.username ?? scope.actor.userId ?? 'system',
    };
    await tx.insert(servicePlace).values(row);
    await writeAudit(tx, scope.actor, {
      action: 'service.place.create',
      entityType: 'service_place',
      entityId: id,
      org: scope.org,
      after: { ...audited(row), ...enteredAs(input) },
    });
  });
  return getPlace(db, scope, id);
}

export async function updatePlace(db: Db, scope: Scope, id: string, patch: ServicePlacePatch): Promise<ServicePlace> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(servicePlace)
      .where(and(eq(servicePlace.tenantId, scope.tenantId), eq(servicePlace.id, id)))
      .for('update');
    if (!before) throw notFound();
    if (patch.kind === 'org' && before.kind !== 'org') await assertOneOffice(tx, scope.tenantId, before.orgId, id);
    const { datum, ...fields } = patch;
    if (datum && fields.lng !== undefined && fields.lat !== undefined)
      Object.assign(fields, toGcj02(datum, fields.lng, fields.lat));
    const [after] = await tx
      .update(servicePlace)
      .set({ ...fields, updatedAt: sql`now()` })
      .where(byKey(servicePlace, scope.tenantId, id))
      .returning();
    await writeAudit(tx, scope.actor, {
      action: 'service.place.update',
      entityType: 'service_place',
      entityId: id,
      org: scope.org,
      before: audited(before),
      after: { ...audited(after!), ...enteredAs(patch) },
    });
  });
  return getPlace(db, scope, id);
}

export async function deletePlace(db: Db, scope: Scope, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(servicePlace)
      .where(and(eq(servicePlace.tenantId, scope.tenantId), eq(servicePlace.id, id)))
      .returning();
    if (!gone) throw notFound();
    await writeAudit(tx, scope.actor, {
      action: 'service.place.delete',
      entityType: 'service_place',
      entityId: id,
      org: scope.org,
      before: audited(gone),
    });
  });
}

// ---------------------------------------------------------------- demo

/**
 * The demo's places, around Beijing (the demo group's seat; GCJ-02 as read off a Chinese map service): the group's
 * 党群服务中心 and its committee office, the power company's office and a 党员驿站 at the first plant, the branch's
 * own place and its activity room, the R&D centre's branch (another subtree: 陈志远 never sees it), and a 驿站 of the
 * engineering company in 雄安.
 */
const DEMO_PLACES: {
  org: string;
  kind: ServicePlaceKind;
  name: string;
  address: string;
  phone: string;
  hours: string;
  description: string;
  lng: number;
  lat: number;
}[] = [
  {
    org: '华夏能源集团党委',
    kind: 'org',
    name: '华夏能源集团党委',
    address: '北京市西城区金融大街 15 号',
    phone: '010-66001001',
    hours: '工作日 8:30-17:30',
    description: '集团党委办公室、组织部',
    lng: 116.3634,
    lat: 39.9195,
  },
  {
    org: '华夏能源集团党委',
    kind: 'center',
    name: '华夏能源集团党群服务中心',
    address: '北京市西城区金融大街 15 号 1 层',
    phone: '010-66001010',
    hours: '周一至周六 9:00-18:00',
    description: '党员教育、组织关系转接咨询、党费缴纳、志愿服务报名',
    lng: 116.3641,
    lat: 39.9187,
  },
  {
    org: '华夏电力有限公司党委',
    kind: 'org',
    name: '华夏电力有限公司党委',
    address: '北京市朝阳区朝阳门外大街 20 号',
    phone: '010-85002001',
    hours: '工作日 8:30-17:30',
    description: '',
    lng: 116.4387,
    lat: 39.9246,
  },
  {
    org: '华夏电力有限公司党委',
    kind: 'station',
    name: '第一发电厂党员驿站',
    address: '北京市石景山区石景山路 38 号 厂区东门',
    phone: '010-68863001',
    hours: '每天 7:00-21:00',
    description: '休息、饮水、充电、急救药箱、学习角',
    lng: 116.2175,
    lat: 39.9072,
  },
  {
    org: '第一发电厂党支部',
    kind: 'org',
    name: '第一发电厂党支部',
    address: '北京市石景山区石景山路 38 号 综合楼 3 层',
    phone: '010-68863018',
    hours: '工作日 8:00-17:00',
    description: '',
    lng: 116.2152,
    lat: 39.9061,
  },
  {
    org: '第一发电厂党支部',
    kind: 'venue',
    name: '第一发电厂党员活动室',
    address: '北京市石景山区石景山路 38 号 综合楼 2 层',
    phone: '010-68863020',
    hours: '预约使用',
    description: '三会一课、主题党日',
    lng: 116.2149,
    lat: 39.9058,
  },
  {
    org: '研发中心党支部',
    kind: 'org',
    name: '研发中心党支部',
    address: '北京市海淀区中关村南大街 5 号',
    phone: '010-62205001',
    hours: '工作日 9:00-17:30',
    description: '',
    lng: 116.3262,
    lat: 39.9567,
  },
  {
    org: '雄安项目部党支部',
    kind: 'station',
    name: '雄安项目部党员驿站',
    address: '河北省雄安新区容城县奥威路 1 号 项目部',
    phone: '0312-5500100',
    hours: '每天 8:00-20:00',
    description: '',
    lng: 115.9125,
    lat: 39.0513,
  },
];

export async function seedPlaces(
  tx: Tx,
  tenantId: string,
  orgs: { id: string; name: string }[],
  rootId: string,
  rootName: string,
) {
  const byName = new Map([[rootName, rootId], ...orgs.map((o) => [o.name, o.id] as [string, string])]);
  const rows = DEMO_PLACES.filter((p) => byName.has(p.org)).map(({ org: orgName, ...p }) => ({
    ...p,
    tenantId,
    orgId: byName.get(orgName)!,
    createdBy: 'demo',
  }));
  if (rows.length) await tx.insert(servicePlace).values(rows);
}
