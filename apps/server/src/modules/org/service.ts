/** The org tree: materialized paths make subtree reads one indexed range scan. */
import { ALLOWED_CHILD_KINDS, ORG_KIND_LABELS, type OrgKind } from '@xianfeng/shared';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { writeAudit, type Actor } from '../../platform/audit';
import { cached } from '../../platform/cache';
import { queryRows, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { nameInitials } from '../member/service';
import { countFrom, pageWhere } from '../../platform/paging';

const childCount = sql<number>`(select count(*)::int from org c where c.tenant_id = "org"."tenant_id" and c.parent_id = "org"."id" and c.dissolved_at is null)`;
const orgColumns = {
  id: org.id,
  parentId: org.parentId,
  name: org.name,
  kind: org.kind,
  path: org.path,
  depth: org.depth,
  sortOrder: org.sortOrder,
  childCount,
  contactPerson: org.contactPerson,
  contactPhone: org.contactPhone,
  address: org.address,
  lat: org.lat,
  lng: org.lng,
  establishedOn: org.establishedOn,
};
export type OrgView = {
  id: string;
  parentId: string | null;
  name: string;
  kind: OrgKind;
  path: string;
  depth: number;
  sortOrder: number;
  childCount: number;
  contactPerson: string | null;
  contactPhone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  establishedOn: string | null;
};

async function nextNo(tx: Queryable): Promise<number> {
  const [row] = await queryRows<{ no: string }>(
    tx,
    sql`select nextval(pg_get_serial_sequence('org', 'no'))::text as no`,
  );
  return Number(row!.no);
}

/** Inserts an org under `parent` (or as a tenant root when parent is null), path included. */
export async function insertOrg(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  parent: OrgRef | null,
  input: { name: string; kind: OrgKind; sortOrder?: number },
): Promise<OrgView> {
  const no = await nextNo(tx);
  const path = `${parent?.path ?? '/'}${no}/`;
  const [row] = await tx
    .insert(org)
    .values({
      no,
      tenantId,
      parentId: parent?.id ?? null,
      name: input.name,
      kind: input.kind,
      path,
      depth: path.split('/').length - 2,
      sortOrder: input.sortOrder ?? 0,
    })
    .returning();
  const created = row!;
  await writeAudit(tx, actor, {
    action: 'org.create',
    entityType: 'org',
    entityId: created.id,
    org: created,
    after: created,
  });
  return { ...created, kind: created.kind as OrgKind, childCount: 0 };
}

export async function createOrg(db: Db, scope: Scope, input: { name: string; kind: OrgKind }): Promise<OrgView> {
  const parent = scope.org;
  const allowed = ALLOWED_CHILD_KINDS[parent.kind as OrgKind];
  if (!allowed.includes(input.kind))
    throw unprocessable(
      `「${ORG_KIND_LABELS[parent.kind as OrgKind]}」下不能设立「${ORG_KIND_LABELS[input.kind]}」`,
      [{ field: 'kind', message: `可设立：${allowed.map((k) => ORG_KIND_LABELS[k]).join('、') || '无'}` }],
      'ORG_KIND_NOT_ALLOWED',
    );
  return db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ id: org.id })
      .from(org)
      .where(and(eq(org.tenantId, scope.tenantId), eq(org.parentId, parent.id), eq(org.name, input.name)));
    if (dup) throw conflict(`「${parent.name}」下已有同名组织「${input.name}」`, 'ORG_NAME_TAKEN');
    const [maxSort] = await tx
      .select({ n: sql<number>`coalesce(max(${org.sortOrder}), 0)::int` })
      .from(org)
      .where(and(eq(org.tenantId, scope.tenantId), eq(org.parentId, parent.id)));
    return insertOrg(tx, scope.actor, scope.tenantId, parent, { ...input, sortOrder: (maxSort?.n ?? 0) + 1 });
  });
}

export async function getOrg(db: Queryable, tenantId: string, id: string): Promise<OrgView> {
  const [row] = await db
    .select(orgColumns)
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  if (!row) throw notFound('组织不存在');
  return row as OrgView;
}

export async function listChildren(db: Queryable, parent: OrgRef, page: number, pageSize: number) {
  const where = and(eq(org.tenantId, parent.tenantId), eq(org.parentId, parent.id), isNull(org.dissolvedAt));
  const { items, total } = await pageWhere(
    db.select(orgColumns).from(org).$dynamic(),
    countFrom(db, org),
    where,
    [asc(org.sortOrder), asc(org.name)],
    page,
    pageSize,
  );
  return { items: items as OrgView[], total };
}

// ---- finding an org by typing ------------------------------------------------

/** Pinyin initials of a name (华夏电力 → hxdl), remembered per name: names rarely change. */
const initialsMemo = new Map<string, string>();
function orgInitials(name: string): string {
  let v = initialsMemo.get(name);
  if (v === undefined) {
    if (initialsMemo.size > 200_000) initialsMemo.clear();
    v = nameInitials(name);
    initialsMemo.set(name, v);
  }
  return v;
}

type IndexedOrg = {
  id: string;
  no: number;
  name: string;
  kind: OrgKind;
  path: string;
  depth: number;
  initials: string;
};
type OrgIndex = { orgs: IndexedOrg[]; nameByNo: Map<number, string> };

/**
 * Every active org of the tenant with its initials, held in the versioned result cache (topic
 * org): a search is a scan of this array in memory, 50 000 orgs in a few milliseconds.
 */
async function orgIndex(db: Queryable, tenantId: string): Promise<OrgIndex> {
  const r = await cached(db, `org.index:${tenantId}`, ['org'], async () => {
    const rows = await db
      .select({ id: org.id, no: org.no, name: org.name, kind: org.kind, path: org.path, depth: org.depth })
      .from(org)
      .where(and(eq(org.tenantId, tenantId), isNull(org.dissolvedAt)))
      .orderBy(asc(org.path));
    const orgs = rows.map((o) => ({ ...o, kind: o.kind as OrgKind, initials: orgInitials(o.name) }));
    return { orgs, nameByNo: new Map(orgs.map((o) => [o.no, o.name])) };
  });
  return r.value;
}

/**
 * Orgs in the scope's subtree whose name contains `q`, or whose pinyin initials contain it
 * (letters only): 「电力」, 「dl」 and 「hxdl」 all find 华夏电力有限公司党委. Names that start with
 * the query come first, then the higher levels of the tree.
 */
export async function searchOrgs(
  db: Queryable,
  scope: Scope,
  q: string,
  kinds: readonly OrgKind[] | undefined,
  page: number,
  pageSize: number,
) {
  const idx = await orgIndex(db, scope.tenantId);
  const needle = q.trim().toLowerCase();
  const letters = /^[a-z]+$/.test(needle);
  const rank = (o: IndexedOrg) => {
    const name = o.name.toLowerCase();
    if (name.startsWith(needle) || (letters && o.initials.startsWith(needle))) return 0;
    if (name.includes(needle)) return 1;
    return letters && o.initials.includes(needle) ? 2 : -1;
  };
  const hits: { o: IndexedOrg; r: number }[] = [];
  for (const o of idx.orgs) {
    if (!o.path.startsWith(scope.org.path) || (kinds && !kinds.includes(o.kind))) continue;
    const r = rank(o);
    if (r >= 0) hits.push({ o, r });
  }
  hits.sort((a, b) => a.r - b.r || a.o.depth - b.o.depth || a.o.path.localeCompare(b.o.path));
  const pageHits = hits.slice((page - 1) * pageSize, page * pageSize).map((h) => h.o);
  const views = pageHits.length
    ? ((await db
        .select(orgColumns)
        .from(org)
        .where(
          inArray(
            org.id,
            pageHits.map((o) => o.id),
          ),
        )) as OrgView[])
    : [];
  const byId = new Map(views.map((v) => [v.id, v]));
  const rootDepth = scope.org.path.split('/').filter(Boolean).length;
  const trail = (o: IndexedOrg) =>
    o.path
      .split('/')
      .filter(Boolean)
      .slice(rootDepth, -1)
      .map((no) => idx.nameByNo.get(Number(no)) ?? '')
      .filter(Boolean)
      .join(' / ');
  return {
    items: pageHits.flatMap((o) => {
      const v = byId.get(o.id);
      return v ? [{ ...v, trail: trail(o) }] : [];
    }),
    total: hits.length,
  };
}

/**
 * The orgs of a subtree, each with whether it existed at the end of `day` (党内统计年报): established by then (an
 * org without 成立日期 counts as always there) and not dissolved by then; in the current tree, path order.
 */
export async function orgsAsOf(db: Queryable, tenantId: string, path: string, day: string) {
  return queryRows<{
    id: string;
    parent_id: string | null;
    name: string;
    kind: OrgKind;
    path: string;
    sort_order: number;
    existed: boolean;
  }>(
    db,
    sql`select id, parent_id, name, kind, path, sort_order,
               (established_on is null or established_on <= ${day}::date)
                 and (dissolved_at is null or (dissolved_at at time zone 'Asia/Shanghai')::date > ${day}::date) as existed
        from org where tenant_id = ${tenantId} and path like ${`${path}%`}
        order by path collate "C"`,
  );
}

// The public surface other modules use (eslint's module-boundary rule): the committee and term tables they join
// against — this module alone writes them — and the structure queries.
export { committeeMember, orgTerm } from './schema';
export { currentCommitteeOf, overdueTerms } from './structure';
