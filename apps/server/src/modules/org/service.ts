/** The org tree: materialized paths make subtree reads one indexed range scan. */
import { ALLOWED_CHILD_KINDS, ORG_KIND_LABELS, type OrgKind } from '@xianfeng/shared';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { OrgRef, Scope } from '../../platform/access';
import { writeAudit, type Actor } from '../../platform/audit';
import { queryRows, type Db, type Queryable, type Tx } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';

const childCount = sql<number>`(select count(*)::int from org c where c.parent_id = "org"."id" and c.dissolved_at is null)`;
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
  const [row] = await queryRows<{ no: string }>(tx, sql`select nextval(pg_get_serial_sequence('org', 'no'))::text as no`);
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
  await writeAudit(tx, actor, { action: 'org.create', entityType: 'org', entityId: created.id, org: created, after: created });
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
      .where(and(eq(org.parentId, parent.id), eq(org.name, input.name)));
    if (dup) throw conflict(`「${parent.name}」下已有同名组织「${input.name}」`, 'ORG_NAME_TAKEN');
    const [maxSort] = await tx
      .select({ n: sql<number>`coalesce(max(${org.sortOrder}), 0)::int` })
      .from(org)
      .where(eq(org.parentId, parent.id));
    return insertOrg(tx, scope.actor, scope.tenantId, parent, { ...input, sortOrder: (maxSort?.n ?? 0) + 1 });
  });
}

export async function getOrg(db: Queryable, tenantId: string, id: string): Promise<OrgView> {
  const [row] = await db.select(orgColumns).from(org).where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  if (!row) throw notFound('组织不存在');
  return row as OrgView;
}

export async function listChildren(db: Queryable, parent: OrgRef, page: number, pageSize: number) {
  const where = and(eq(org.parentId, parent.id), isNull(org.dissolvedAt));
  const [items, [count]] = await Promise.all([
    db
      .select(orgColumns)
      .from(org)
      .where(where)
      .orderBy(asc(org.sortOrder), asc(org.name))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(org).where(where),
  ]);
  return { items: items as OrgView[], total: count?.n ?? 0 };
}
