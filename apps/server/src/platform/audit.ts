/**
 * Hash-chained audit log. Every write to party records calls `writeAudit` inside the same
 * transaction as the change, so a change and its audit entry commit or fail together — and so does
 * its domain event: each entry is also written to the outbox (`outbox_event`, same id), which the job
 * runner turns into work for the processors that subscribe to it (platform/jobs.ts `onEvent`).
 */
import { and, asc, desc, eq, gt, ilike, like, or, sql, type SQL } from 'drizzle-orm';
import { maskPhonesDeep, maskPhonesIn, sha256 } from './crypto';
import type { Queryable, Tx } from './db';
import { auditHead, auditLog, outboxEvent } from './schema';
import { now } from '@xianfeng/shared';

export const GENESIS_HASH = '0'.repeat(64);

/** Who is acting; built once per request by the access layer (or by a CLI/job). */
export type Actor = {
  tenantId: string | null;
  userId: string | null;
  username: string | null;
  requestId: string | null;
};

export const systemActor = (tenantId: string | null): Actor => ({
  tenantId,
  userId: null,
  username: 'system',
  requestId: null,
});

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | null;
  org?: { id: string; path: string } | null;
  before?: unknown;
  after?: unknown;
  /**
   * The domain event beside the entry: its kind (default: the action) and data (default: `after`);
   * redacted like the entry. Give what processors need to act (ids, dates), not personal data.
   */
  event?: { kind?: string; data?: Record<string, unknown> };
};

// Exact names (not substrings): `mustChangePassword` is a flag, not a secret.
const SENSITIVE_KEY = /^(password|oldPassword|newPassword|idCardNo|idCard|phone|mobile|token|secret)$|(Hash|Enc)$/i;

/** Replaces sensitive values so the log proves what changed without holding the data itself. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SENSITIVE_KEY.test(k) && v !== null && v !== undefined ? '[已脱敏]' : redact(v),
      ]),
    );
  }
  return value;
}

/** JSON with sorted keys: jsonb reorders keys, so hashing must not depend on order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

type HashedFields = {
  id: number;
  tenantId: string | null;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  orgId: string | null;
  orgPath: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

export function entryHash(prevHash: string, e: HashedFields): string {
  return sha256(`${prevHash}\n${canonicalJson({ ...e, at: e.at.toISOString() })}`);
}

const toJson = (v: unknown) => (v === undefined ? null : (JSON.parse(JSON.stringify(redact(v))) as unknown));

export async function ensureAuditHead(db: Queryable): Promise<void> {
  await db.insert(auditHead).values({ id: 1, lastId: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
}

export async function writeAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  // Bumping the head row locks it until commit: appends are serialized, the chain stays linear.
  const [head] = await tx
    .update(auditHead)
    .set({ lastId: sql`${auditHead.lastId} + 1` })
    .where(eq(auditHead.id, 1))
    .returning();
  if (!head) throw new Error('audit head missing');
  const fields: HashedFields = {
    id: head.lastId,
    tenantId: actor.tenantId,
    at: now(),
    actorId: actor.userId,
    actorName: actor.username,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    orgId: input.org?.id ?? null,
    orgPath: input.org?.path ?? null,
    before: toJson(input.before),
    after: toJson(input.after),
    requestId: actor.requestId,
  };
  const hash = entryHash(head.lastHash, fields);
  await tx.insert(auditLog).values({ ...fields, prevHash: head.lastHash, hash });
  await tx.update(auditHead).set({ lastHash: hash }).where(eq(auditHead.id, 1));
  // The id comes from the head row locked above: events become visible in id order.
  const data = input.event?.data !== undefined ? toJson(input.event.data) : fields.after;
  await tx.insert(outboxEvent).values({
    id: fields.id,
    tenantId: fields.tenantId,
    kind: input.event?.kind ?? input.action,
    entityType: fields.entityType,
    entityId: fields.entityId,
    orgId: fields.orgId,
    orgPath: fields.orgPath,
    actorId: fields.actorId,
    data: data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data },
    at: fields.at,
  });
}

export type VerifyResult = { ok: boolean; checked: number; firstBrokenId: number | null; reason: string | null };

/** Walks the whole chain in id order and names the first entry that does not link or hash. */
export async function verifyAuditChain(db: Queryable): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  const broken = (id: number, reason: string): VerifyResult => ({ ok: false, checked, firstBrokenId: id, reason });
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.id, expectedId - 1))
      .orderBy(asc(auditLog.id))
      .limit(2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.id !== expectedId) return broken(expectedId, `缺少第 ${expectedId} 条记录（可能被删除）`);
      if (row.prevHash !== prevHash) return broken(row.id, '与上一条记录的哈希不衔接');
      const { prevHash: _p, hash, ...fields } = row;
      if (entryHash(prevHash, fields) !== hash) return broken(row.id, '记录内容与哈希不符（可能被篡改）');
      prevHash = hash;
      expectedId += 1;
      checked += 1;
    }
  }
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  if (head && (head.lastId !== expectedId - 1 || head.lastHash !== prevHash))
    return broken(expectedId, '日志末尾记录缺失（可能被截断）');
  return { ok: true, checked, firstBrokenId: null, reason: null };
}

export type AuditSearch = {
  tenantId: string;
  orgPath: string | null;
  q?: string | undefined;
  entityType?: string | undefined;
  action?: string | undefined;
  page: number;
  pageSize: number;
};

export async function searchAudit(db: Queryable, s: AuditSearch) {
  const conds: SQL[] = [eq(auditLog.tenantId, s.tenantId)];
  if (s.orgPath) conds.push(like(auditLog.orgPath, `${s.orgPath}%`));
  if (s.entityType) conds.push(eq(auditLog.entityType, s.entityType));
  if (s.action) conds.push(eq(auditLog.action, s.action));
  if (s.q) {
    const pattern = `%${s.q.replace(/[\\%_]/g, '\\$&')}%`;
    conds.push(
      or(
        // Actor names that are phone numbers (accounts before finding 6) are not searched: no phone oracle.
        and(ilike(auditLog.actorName, pattern), sql`${auditLog.actorName} !~ '1[0-9]{10}'`),
        ilike(auditLog.entityId, pattern),
        ilike(auditLog.action, pattern),
      )!,
    );
  }
  const where = and(...conds);
  const [items, [count]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(s.pageSize)
      .offset((s.page - 1) * s.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(where),
  ]);
  return {
    // Entries are kept as written (the chain hashes them); phones in them — usernames of member
    // accounts before security finding 6 — are masked on the way out.
    items: items.map(({ prevHash: _p, hash: _h, tenantId: _t, orgPath: _o, ...e }) => ({
      ...e,
      actorName: e.actorName === null ? null : maskPhonesIn(e.actorName),
      before: maskPhonesDeep(e.before),
      after: maskPhonesDeep(e.after),
      at: e.at.toISOString(),
    })),
    total: count?.n ?? 0,
  };
}
