/**
 * What the parts of the voice module share: role groups, who the caller is (name, member record,
 * the orgs on their path), random keys, one-time codes and receipts, and the anonymous actor.
 */
import crypto from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH, normalizeCode, RECORD_KEEPERS, RECORD_READERS, type Role } from '@xianfeng/shared';
import { and, eq, inArray, isNull, type Column } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  actorName,
  type Caller,
  covers,
  pathPrefixes,
  type OrgRef,
  type Principal,
  type Scope,
} from '../../platform/access';
import type { Actor } from '../../platform/audit';
import { sha256 } from '../../platform/crypto';
import { byKey, type Queryable } from '../../platform/db';
import { org } from '../../platform/schema';
import { memberOfUser } from '../member/service';

/** Who reads the sealed identity behind an anonymous opinion (with a reason, audited). */
export const AUDITORS = ['auditor'] as const;

/** The audit actor of an anonymous act: no account, no request id (a request id leads to the log line). */
export const anonymousActor = (tenantId: string): Actor => ({
  tenantId,
  userId: null,
  username: '匿名',
  requestId: null,
});

/** The actor of an employee's act through a one-time code. */
export const codeActor = (tenantId: string, name?: string | null): Actor => ({
  tenantId,
  userId: null,
  username: name ? `职工 ${name}（参与码）` : '职工（参与码）',
  requestId: null,
});

/** A random key for list order: items of one day come in an order unrelated to who came first. */
export const randomSortKey = () => crypto.randomBytes(8).toString('hex');

/** A one-time code or 查询码: CODE_LENGTH symbols of CODE_ALPHABET from the system CSPRNG. */
export function newCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
  return s;
}

/** How a code or receipt is stored: SHA-256 of its normalized text (the text itself is never kept). */
export const codeHash = (code: string) => sha256(`voice-code:${normalizeCode(code)}`);

export const isManagerOf = (
  p: Principal,
  target: { path: string; tenantId: string },
  roles: readonly Role[] = RECORD_KEEPERS,
) => p.bindings.some((b) => roles.includes(b.role) && covers(b.org, target as OrgRef));

/** The caller's name as others see it: their member record's name, else the account's (`actorName`). */
export async function displayName(db: Queryable, p: Principal): Promise<string> {
  const self = await memberOfUser(db, p.user.tenantId, p.user.id);
  return self?.name ?? actorName({ principal: p });
}

/** The orgs the caller belongs to: their bindings' orgs and their member record's org. */
export async function ownOrgs(db: Queryable, p: Principal): Promise<OrgRef[]> {
  const refs = new Map(p.bindings.map((b) => [b.org.id, b.org]));
  const self = await memberOfUser(db, p.user.tenantId, p.user.id);
  if (self && !refs.has(self.orgId)) {
    const [o] = await db
      .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
      .from(org)
      .where(byKey(org, p.user.tenantId, self.orgId));
    if (o) refs.set(o.id, o);
  }
  return [...refs.values()];
}

/** Live orgs on the caller's path: each own org and every org above it, root first. */
export async function orgsOnPath(db: Queryable, p: Principal): Promise<OrgRef[]> {
  const own = await ownOrgs(db, p);
  const paths = [...new Set(own.flatMap((o) => pathPrefixes(o.path)))];
  if (paths.length === 0) return [];
  const rows = await db
    .select({ id: org.id, path: org.path, tenantId: org.tenantId, name: org.name, kind: org.kind })
    .from(org)
    .where(and(eq(org.tenantId, p.user.tenantId), inArray(org.path, paths), isNull(org.dissolvedAt)));
  return rows.sort((a, b) => a.path.length - b.path.length || a.path.localeCompare(b.path));
}

/** Of the caller's own orgs, one at or below `target` (the org the caller acts from), or null. */
export async function ownOrgUnder(db: Queryable, p: Principal, target: { path: string }): Promise<OrgRef | null> {
  const own = await ownOrgs(db, p);
  return own.filter((o) => o.path.startsWith(target.path)).sort((a, b) => b.path.length - a.path.length)[0] ?? null;
}

export async function loadOrg(db: Queryable, tenantId: string, id: string) {
  const [o] = await db
    .select()
    .from(org)
    .where(and(eq(org.tenantId, tenantId), eq(org.id, id)));
  return o ?? null;
}

export async function orgNames(db: Queryable, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: org.id, name: org.name })
    .from(org)
    .where(and(eq(org.tenantId, tenantId), inArray(org.id, unique)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The acting scope of a request, narrowed to whether it may manage the given org. */
export const managesOrg = (scope: Scope, target: { path: string; tenantId: string }) =>
  isManagerOf(scope.principal, target);
export const readsOrg = (scope: Scope, target: { path: string; tenantId: string }) =>
  isManagerOf(scope.principal, target, RECORD_READERS);

/** The org through which the caller reaches a record, for the access layer (platform/route.ts `recordOrg`). */
export type OrgLookup = (db: Queryable, tenantId: string, id: string, caller: Caller) => Promise<string | null>;

/**
 * For the access layer: a row that belongs to another (a letter's message or file, an opinion's file, a vote's
 * candidate) is reached exactly as the row it belongs to is; a missing row is reached by nobody.
 */
export const reachedThrough =
  (table: PgTable & { id: Column; tenantId: Column }, parentKey: AnyPgColumn, orgOfParent: OrgLookup): OrgLookup =>
  async (db, tenantId, id, caller) => {
    const [r] = await db
      .select({ parentId: parentKey })
      .from(table)
      .where(byKey(table, tenantId, id));
    return r ? orgOfParent(db, tenantId, r.parentId as string, caller) : null;
  };
