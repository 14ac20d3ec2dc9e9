/**
 * The one scope mechanism. Every route declares, in `config.access`, who may call it and
 * which org it touches; a platform hook enforces it before the handler runs, and a route
 * registered without a declaration makes the server refuse to start.
 *
 * Rule: a role binding (role, org) covers that org and its whole subtree. A request is
 * allowed when one of the user's bindings has an allowed role and covers the target org.
 */
import type { Role } from '@xianfeng/shared';
import { and, asc, eq, inArray, like, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from './audit';
import { exactCache } from './cache';
import { onKey, type Queryable } from './db';
import { forbidden, notFound } from './errors';
import { appUser, org, userRole } from './schema';

/**
 * The rows whose org path is `path` or below it — the org subtree (an org's path is its ancestors' ids joined, so a
 * subtree is a path prefix; the paths' text_pattern_ops indexes serve the `like`).
 */
export const inSubtree = (pathColumn: Column | SQL, path: string): SQL => like(pathColumn, `${path}%`);

/** The org paths from the root down to `path` itself: '/1/7/42/' → ['/1/', '/1/7/', '/1/7/42/'] (the org and every org above it). */
export function pathPrefixes(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
}

/**
 * The ids of the tenant's orgs at `path` or below it, as a sub-select for `x.org_id in …`. The `tenant_id` keeps it
 * on the tenant's shard under Citus (docs/scale-out.md) and leads the path index.
 */
export const subtreeOrgIds = (tenantId: string, path: string): SQL =>
  sql`(select id from org where tenant_id = ${tenantId} and path like ${`${path}%`})`;

export type OrgRef = { id: string; path: string; tenantId: string; name: string; kind: string };

/**
 * How to find the org a request touches:
 * - `org`: the value at params/query/body[key] is an org id;
 * - `lookup`: the value is the id of some record; `lookup` returns that record's org id
 *   (null when the record does not exist, answered as 404). It is told who is calling, for
 *   records a person reaches through their own part in them — a member signing in to a
 *   meeting of the branch above their 党小组 touches their own invitation, so the org is theirs;
 * - omitted key value (optional): the user's own binding org is the target.
 */
export type OrgTarget = {
  from: 'params' | 'query' | 'body';
  key: string;
  optional?: boolean;
  lookup?: (db: Queryable, tenantId: string, id: string, caller: Caller) => Promise<string | null>;
};

/**
 * The plainest `lookup`: a record of `table` belongs to the org in its own `org_id` column (null when the id is not a
 * record of this tenant, answered as 404). For the many records whose managers are simply those covering that org;
 * records reached through another row or through the caller's part in them keep their own lookup.
 */
export const orgOfRow =
  (table: PgTable & { id: Column; tenantId: Column; orgId: PgColumn }) =>
  async (db: Queryable, tenantId: string, id: string): Promise<string | null> => {
    const [row] = await db
      .select({ orgId: table.orgId })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
    return (row?.orgId as string | undefined) ?? null;
  };

/**
 * The `lookup` answer for a record a person reaches through their own part in it (the writer of a 思想汇报, the 责任人
 * or 验收人 of a 整改 item): a party to it reaches it through their own first binding (they may have moved or sit in
 * another org since); anyone else reaches the record's org when a binding of one of `roles` covers it; else null (404).
 */
export async function orgThroughPart(
  db: Queryable,
  tenantId: string,
  caller: Caller,
  record: { orgId: string; orgPath: string },
  isParty: boolean,
  roles: readonly Role[],
): Promise<string | null> {
  const bindings = await loadBindings(db, tenantId, caller.userId);
  if (isParty) return bindings[0]?.org.id ?? null;
  const target = { id: record.orgId, path: record.orgPath, tenantId, name: '', kind: '' };
  return bindings.some((b) => roles.includes(b.role) && covers(b.org, target)) ? record.orgId : null;
}

/** Who is calling, for a lookup that depends on the caller's own part in a record. */
export type Caller = { userId: string; body: unknown };

export type Access =
  | { public: true }
  /**
   * roles: who may call; 'any' means every signed-in user.
   * target: the org touched; without it the route acts on the caller's own binding org.
   * duringPasswordChange: reachable while a forced password change is pending.
   */
  | { roles: readonly Role[] | 'any'; target?: OrgTarget; duringPasswordChange?: boolean };

export type Binding = { role: Role; org: OrgRef };

export type Principal = {
  user: typeof appUser.$inferSelect;
  tokenHash: string;
  /** The user's roles, all in the user's own tenant (`loadBindings`). */
  bindings: Binding[];
};

/** What a handler gets: the checked org, the binding that allowed it, and the audit actor. */
export type Scope = {
  tenantId: string;
  principal: Principal;
  role: Role;
  org: OrgRef;
  actor: Actor;
};

/**
 * The signed-in user's name as the author of what they write (a 帮扶 visit's 记录人, a score's 评分人, a comment's
 * author): the account's display name, else its user name. Read from the principal (the user's row as this request
 * found it; a change to the user ends the cached principal), so it costs no query.
 */
export const actorName = (scope: Pick<Scope, 'principal'>): string =>
  scope.principal.user.displayName || scope.principal.user.username;

/** The part of a scope a background job needs: it was checked when the job was queued. */
export type ActingScope = Pick<Scope, 'tenantId' | 'org' | 'actor'>;

export const covers = (ancestor: OrgRef, target: OrgRef) =>
  ancestor.tenantId === target.tenantId && target.path.startsWith(ancestor.path);

/**
 * A user's role bindings. A user belongs to one tenant (`app_user.tenant_id`, which is also every scope's tenant:
 * `decide`), and its roles are made in it (user/service `insertUser`): the tenant is the user's own, read by it.
 */
export async function loadBindings(db: Queryable, tenantId: string, userId: string): Promise<Binding[]> {
  const rows = await db
    .select({ role: userRole.role, org })
    .from(userRole)
    .innerJoin(org, onKey(org, userRole.orgId, userRole))
    .where(and(eq(userRole.tenantId, tenantId), eq(userRole.userId, userId)));
  return rows.map((r) => ({
    role: r.role as Role,
    org: { id: r.org.id, path: r.org.path, tenantId: r.org.tenantId, name: r.org.name, kind: r.org.kind },
  }));
}

/**
 * An org's reference, cached per database until the `org` topic changes (a move or rename is
 * seen by the very next request). Inside a transaction it is always read from the database.
 */
export function loadOrgRef(db: Queryable, tenantId: string, id: string): Promise<OrgRef | null> {
  const ref = orgRefNow(db, tenantId, id);
  return ref instanceof Promise ? ref : Promise.resolve(ref);
}

/** `loadOrgRef` answered from memory when cached (no promise: the access hook stays synchronous). */
function orgRefNow(db: Queryable, tenantId: string, id: string): OrgRef | null | Promise<OrgRef | null> {
  const cache = exactCache<OrgRef>(db, 'orgRef', ['org'], { max: 20_000, ttlMs: 10 * 60_000 });
  if (!cache) return readOrgRef(db, tenantId, id);
  const key = `${tenantId}:${id}`;
  return cache.get(key) ?? cache.load(key, () => readOrgRef(db, tenantId, id));
}

async function readOrgRef(db: Queryable, tenantId: string, id: string): Promise<OrgRef | null> {
  const [row] = await db
    .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  return row ?? null;
}

/**
 * The orgs above `scope.org` (top first) that one of the caller's bindings with `roles` also covers: where a page that
 * drilled down from a group to a branch may go back up to. The paths of the ancestors are the prefixes of the org's
 * own path, so this is one indexed lookup of a handful of rows.
 */
export async function reachableAncestors(db: Queryable, scope: Scope, roles: readonly Role[]): Promise<OrgRef[]> {
  const prefixes = pathPrefixes(scope.org.path).slice(0, -1);
  const grants = scope.principal.bindings.filter((b) => roles.includes(b.role));
  if (prefixes.length === 0 || grants.length === 0) return [];
  const rows = await db
    .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), inArray(org.path, prefixes)))
    .orderBy(asc(org.depth));
  return rows.filter((a) => grants.some((b) => covers(b.org, a)));
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readKey(req: FastifyRequest, t: OrgTarget): string | undefined {
  const source = (t.from === 'params' ? req.params : t.from === 'query' ? req.query : req.body) as
    Record<string, unknown> | undefined;
  const v = source?.[t.key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * True when scope can be decided before validation: the target is in the path, optional and
 * absent, or present and shaped like an id. A missing or malformed one is left to validation,
 * so the caller gets a field error rather than a bare 404.
 */
export function targetIsWellFormed(req: FastifyRequest, access: Exclude<Access, { public: true }>): boolean {
  if (!access.target || access.target.from === 'params') return true;
  const raw = readKey(req, access.target);
  return raw === undefined ? Boolean(access.target.optional) : UUID_RE.test(raw);
}

/** Whether one of these bindings is at the tenant's root org (its path has one number): it covers everything. */
const coversTenant = (bindings: { org: { path: string } }[]) =>
  bindings.some((b) => b.org.path.split('/').filter(Boolean).length === 1);

/**
 * Decides a request. Records addressed by id in the path answer 404 when out of scope (no
 * hint that they exist); an org named in a body or query answers 403. Answered without a promise when
 * nothing needs the database (no lookup, the target org cached); a refusal is then thrown, not rejected.
 */
export function decide(
  db: Queryable,
  req: FastifyRequest,
  access: Exclude<Access, { public: true }>,
  principal: Principal,
): Scope | Promise<Scope> {
  const allowed = principal.bindings.filter((b) => access.roles === 'any' || access.roles.includes(b.role));
  if (allowed.length === 0) throw forbidden('您的角色无权执行此操作');
  const tenantId = principal.user.tenantId;
  const actor: Actor = { tenantId, userId: principal.user.id, username: principal.user.username, requestId: req.id };
  const t = access.target;
  const raw = t ? readKey(req, t) : undefined;

  if (!t || (raw === undefined && t.optional)) {
    // No explicit target: act on the widest allowed binding (shortest path).
    const b = [...allowed].sort((x, y) => x.org.path.length - y.org.path.length)[0]!;
    return { tenantId, principal, role: b.role, org: b.org, actor };
  }
  if (raw === undefined || !UUID_RE.test(raw)) throw notFound();
  const decided: Decided = { db, t, allowed, tenantId, principal, actor };
  if (!t.lookup) return onTarget(decided, raw);
  return t.lookup(db, tenantId, raw, { userId: principal.user.id, body: req.body }).then((orgId) => {
    if (!orgId) throw notFound();
    return onTarget(decided, orgId);
  });
}

/** What `decide` knows once the caller's allowed bindings are found, for deciding on the target org. */
type Decided = {
  db: Queryable;
  t: OrgTarget;
  allowed: Binding[];
  tenantId: string;
  principal: Principal;
  actor: Actor;
};

function onTarget(d: Decided, orgId: string): Scope | Promise<Scope> {
  const ref = orgRefNow(d.db, d.tenantId, orgId);
  return ref instanceof Promise ? ref.then((r) => scopeAt(d, r)) : scopeAt(d, ref);
}

function scopeAt(d: Decided, target: OrgRef | null): Scope {
  const { t, allowed } = d;
  // An org named in a body or query that does not exist answers exactly like one outside the scope, so
  // 403 versus 404 cannot tell whether an org id exists (issue 14 item 13) — except to a caller whose
  // binding covers the whole tenant, who may be told plainly.
  if (!target) throw t.from === 'params' ? notFound() : coversTenant(allowed) ? notFound('组织不存在') : outOfScope(t);
  // The most specific binding that covers the target decides which role is acting.
  const b = allowed.filter((x) => covers(x.org, target)).sort((x, y) => y.org.path.length - x.org.path.length)[0];
  if (!b) throw outOfScope(t);
  return { tenantId: d.tenantId, principal: d.principal, role: b.role, org: target, actor: d.actor };
}

const outOfScope = (t: OrgTarget) => (t.from === 'params' ? notFound() : forbidden('无权访问该组织的数据'));

/**
 * For records that name further orgs besides the route's target (e.g. the role bindings of a
 * new user): each must be covered by a binding of the acting user with one of `roles`.
 */
export async function assertCoversAll(
  db: Queryable,
  scope: Scope,
  roles: readonly Role[],
  orgIds: string[],
): Promise<OrgRef[]> {
  const refs: OrgRef[] = [];
  for (const id of orgIds) {
    const ref = await loadOrgRef(db, scope.tenantId, id);
    const mine = scope.principal.bindings.filter((b) => roles.includes(b.role));
    // Neither the existence nor the name of an org outside the caller's scope is told (issue 14 item 13).
    if (!ref) throw coversTenant(mine) ? notFound('组织不存在') : forbidden('无权在该组织分配角色');
    if (!mine.some((b) => covers(b.org, ref))) throw forbidden('无权在该组织分配角色');
    refs.push(ref);
  }
  return refs;
}
