/**
 * Hash-chained audit log. Every write to party records calls `writeAudit` inside the same
 * transaction as the change, so a change and its audit entry commit or fail together — and so does
 * its domain event: each entry is also written to the outbox (`outbox_event`, same id), which the job
 * runner turns into work for the processors that subscribe to it (platform/jobs.ts `onEvent`).
 */
import { inSubtree } from './access';
import { and, asc, desc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deriveKey, maskPhonesDeep, maskPhonesIn, sha256 } from './crypto';
import { queryRows, type Db, type Queryable, type Tx } from './db';
import { auditHead, auditLog, outboxEvent } from './schema';
import { now } from '@xianfeng/shared';
import { countFrom, pageWhere } from './paging';

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

/**
 * The chain's keys (security review #14, finding 4), derived from the installation secret (XF_SECRET_KEY
 * or the key file — never stored in the database): `chain` keys each entry's hash (HMAC), `checkpoint`
 * signs the anchors written outside the database. One installation per process: set once at start by
 * boot, the CLI, the test harness and the generators (`useAuditKeys`).
 */
let keys: { chain: Buffer; checkpoint: Buffer } | null = null;
export function useAuditKeys(secretMaterial: Buffer): void {
  keys = {
    chain: deriveKey(secretMaterial, 'xianfeng/audit-chain/v2'),
    checkpoint: deriveKey(secretMaterial, 'xianfeng/audit-checkpoint/v1'),
  };
}
function auditKeys() {
  if (!keys) throw new Error('audit keys not configured (useAuditKeys)');
  return keys;
}

/** The chain version new databases start with: keyed. */
export const AUDIT_CHAIN_VERSION = 2;

/** Version 1: SHA-256 of the previous hash and the entry (unkeyed). Version 2: HMAC-SHA256 with the chain key. */
export function entryHash(prevHash: string, e: HashedFields, version = 1): string {
  const text = `${prevHash}\n${canonicalJson({ ...e, at: e.at.toISOString() })}`;
  if (version === 1) return sha256(text);
  return crypto.createHmac('sha256', auditKeys().chain).update(text).digest('hex');
}

const toJson = (v: unknown) => (v === undefined ? null : (JSON.parse(JSON.stringify(redact(v))) as unknown));

export async function ensureAuditHead(db: Queryable): Promise<void> {
  await db
    .insert(auditHead)
    .values({ id: 1, lastId: 0, lastHash: GENESIS_HASH, version: AUDIT_CHAIN_VERSION })
    .onConflictDoNothing();
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
  const hash = entryHash(head.lastHash, fields, head.version);
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
    data:
      data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data },
    at: fields.at,
  });
}

export type VerifyResult = {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
  /** The chain's hash version (1 unkeyed, 2 keyed). */
  version?: number;
  /** Signed checkpoints checked against the chain, and the newest entry they anchor. */
  checkpoints?: number;
  anchoredTo?: number | null;
};

/**
 * Walks the whole chain in id order and names the first entry that does not link or hash; then checks
 * it against the signed checkpoints (anchors kept outside the database): each must carry a valid
 * signature and name an entry that is still there with the same hash — so a chain cut back behind a
 * checkpoint, or re-hashed from an edited entry onward, is reported even though it links.
 */
export async function verifyAuditChain(db: Queryable, checkpoints: Checkpoint[] = []): Promise<VerifyResult> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  const version = head?.version ?? 1;
  if (version !== AUDIT_CHAIN_VERSION && checkpoints.length > 0)
    return {
      ok: false,
      checked: 0,
      firstBrokenId: null,
      reason: '哈希链版本被改回未加密钥的版本 1，而已有签名检查点（可能被改写后重算）',
      version,
    };
  const anchors = new Map<number, Checkpoint[]>();
  let valid = 0;
  let newest: Checkpoint | null = null;
  for (const cp of checkpoints) {
    if (!checkpointValid(cp))
      return {
        ok: false,
        checked: 0,
        firstBrokenId: null,
        reason: `检查点签名无效（${cp.at}，第 ${cp.lastId} 条）：检查点文件被改动或密钥不符`,
        version,
      };
    valid += 1;
    if (!newest || cp.lastId > newest.lastId) newest = cp;
    anchors.set(cp.lastId, [...(anchors.get(cp.lastId) ?? []), cp]);
  }
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  const broken = (id: number, reason: string): VerifyResult => ({
    ok: false,
    checked,
    firstBrokenId: id,
    reason,
    version,
    checkpoints: valid,
    anchoredTo: newest?.lastId ?? null,
  });
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
      if (entryHash(prevHash, fields, version) !== hash) return broken(row.id, '记录内容与哈希不符（可能被篡改）');
      for (const cp of anchors.get(row.id) ?? [])
        if (cp.lastHash !== hash) return broken(row.id, `与 ${cp.at} 的签名检查点不符（记录被改写后重算了哈希）`);
      prevHash = hash;
      expectedId += 1;
      checked += 1;
    }
  }
  if (newest && newest.lastId > expectedId - 1)
    return broken(
      expectedId,
      `日志只到第 ${expectedId - 1} 条，而 ${newest.at} 的签名检查点记录到第 ${newest.lastId} 条（末尾记录被删除）`,
    );
  if (head && (head.lastId !== expectedId - 1 || head.lastHash !== prevHash))
    return broken(expectedId, '日志末尾记录缺失（可能被截断）');
  return {
    ok: true,
    checked,
    firstBrokenId: null,
    reason: null,
    version,
    checkpoints: valid,
    anchoredTo: newest?.lastId ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Checkpoints: the chain's head, signed with a key from outside the database, written outside it.

/** A signed statement "the chain had `lastId` entries, the last with hash `lastHash`, at `at`". */
export type Checkpoint = { v: 1; at: string; lastId: number; lastHash: string; sig: string };

const checkpointText = (c: Omit<Checkpoint, 'sig'>) =>
  `xianfeng-audit-checkpoint\n${c.v}\n${c.at}\n${c.lastId}\n${c.lastHash}`;
const sign = (c: Omit<Checkpoint, 'sig'>) =>
  crypto.createHmac('sha256', auditKeys().checkpoint).update(checkpointText(c)).digest('hex');

export function checkpointValid(c: Checkpoint): boolean {
  if (c?.v !== 1 || typeof c.sig !== 'string' || !/^[0-9a-f]{64}$/.test(c.sig)) return false;
  return crypto.timingSafeEqual(Buffer.from(sign(c), 'hex'), Buffer.from(c.sig, 'hex'));
}

/** The checkpoint file in the files area (so backups carry it): one JSON line per checkpoint. */
export const checkpointFile = (dataDir: string) => path.join(dataDir, 'files', 'audit', 'checkpoints.jsonl');

/** Signs the current head; appends it to the checkpoint file (when the head moved since the last line) and returns it. */
export async function writeCheckpoint(
  db: Queryable,
  dataDir: string,
): Promise<{ checkpoint: Checkpoint; written: boolean }> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  if (!head) throw new Error('audit head missing');
  const body = { v: 1 as const, at: now().toISOString(), lastId: head.lastId, lastHash: head.lastHash };
  const checkpoint: Checkpoint = { ...body, sig: sign(body) };
  const file = checkpointFile(dataDir);
  const last = readCheckpoints(file).at(-1);
  if (last && last.lastId === head.lastId && last.lastHash === head.lastHash) return { checkpoint, written: false };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  return { checkpoint, written: true };
}

/**
 * Checkpoints from a checkpoint file, or from a server log (pino JSON lines with an `auditCheckpoint`).
 * Lines that are not checkpoints are skipped; a missing file gives none.
 */
export function readCheckpoints(file: string): Checkpoint[] {
  if (!fs.existsSync(file)) return [];
  const out: Checkpoint[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as Checkpoint & { auditCheckpoint?: Checkpoint };
      const c = parsed.auditCheckpoint ?? parsed;
      if (c && c.v === 1 && typeof c.lastId === 'number') out.push(c);
    } catch {
      // not a JSON line
    }
  }
  return out;
}

/**
 * The one audit verification, for GET /api/v1/audit/verify and `npm run audit:verify` alike: the chain
 * against the signed checkpoints of the files area and of every server log named (XF_AUDIT_LOGS, and
 * the CLI's --log files). What it proves: docs/security.md, "What audit:verify proves".
 */
export function verifyInstallationAudit(
  db: Queryable,
  dataDir: string,
  logs: readonly string[],
): Promise<VerifyResult> {
  return verifyAuditChain(db, [checkpointFile(dataDir), ...logs].flatMap(readCheckpoints));
}

/**
 * Migrates a version-1 (unkeyed) chain to version 2 (keyed), once, at start: the whole chain is verified
 * unkeyed first — a broken chain stays as it is, version 1, and keeps being reported — then every entry's
 * hash is recomputed with the key under the head's lock, and an `audit.rekey` entry records the
 * legacy head hash. Returns what happened.
 */
/**
 * Whether the newest audit entry verifies with this process's key: false when it does not (this process was
 * given another XF_SECRET_KEY than the processes that wrote the database, or that entry was altered), null when
 * there is nothing to check (no keyed entry yet). Boot refuses to run a process whose key is not the database's:
 * it would chain entries nobody else can verify and seal fields nobody else can read (issue 26).
 */
export async function auditKeyMatches(db: Queryable): Promise<boolean | null> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  if (!head || head.version !== AUDIT_CHAIN_VERSION || head.lastId === 0) return null;
  const [row] = await db.select().from(auditLog).where(eq(auditLog.id, head.lastId));
  if (!row) return null;
  const { prevHash, hash, ...fields } = row;
  return entryHash(prevHash, fields, AUDIT_CHAIN_VERSION) === hash;
}

export async function upgradeAuditChain(
  db: Db,
  checkpoints: Checkpoint[] = [],
): Promise<'current' | 'upgraded' | 'broken' | 'downgraded'> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  if (!head || head.version === AUDIT_CHAIN_VERSION) return 'current';
  // Checkpoints are only written by keyed chains: a version-1 head beside them was set back by hand
  // (to re-hash an edited chain without the key) — never "upgrade" that, report it.
  if (checkpoints.length > 0) return 'downgraded';
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .update(auditHead)
      .set({ lastId: auditHead.lastId })
      .where(eq(auditHead.id, 1))
      .returning();
    if (locked!.version === AUDIT_CHAIN_VERSION) return 'current';
    const legacy = await verifyAuditChain(tx);
    if (!legacy.ok) return 'broken';
    let prevHash = GENESIS_HASH;
    for (let after = 0; ;) {
      const rows = await tx.select().from(auditLog).where(gt(auditLog.id, after)).orderBy(asc(auditLog.id)).limit(2000);
      if (rows.length === 0) break;
      const ids: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const { prevHash: _p, hash: _h, ...fields } = row;
        const hash = entryHash(prevHash, fields, AUDIT_CHAIN_VERSION);
        ids.push(row.id);
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await queryRows(
        tx,
        sql`update audit_log a set prev_hash = u.p, hash = u.h from unnest(${sql.param(ids)}::bigint[], ${sql.param(prevs)}::text[], ${sql.param(hashes)}::text[]) as u(id, p, h) where a.id = u.id returning 1`,
      );
      after = rows.at(-1)!.id;
    }
    await tx.update(auditHead).set({ lastHash: prevHash, version: AUDIT_CHAIN_VERSION }).where(eq(auditHead.id, 1));
    await writeAudit(tx, systemActor(null), {
      action: 'audit.rekey',
      entityType: 'audit',
      after: { entries: legacy.checked, legacyHeadHash: locked!.lastHash, version: AUDIT_CHAIN_VERSION },
    });
    return 'upgraded';
  });
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
  if (s.orgPath) conds.push(inSubtree(auditLog.orgPath, s.orgPath));
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
  const { items, total } = await pageWhere(
    db.select().from(auditLog).$dynamic(),
    countFrom(db, auditLog),
    where,
    [desc(auditLog.id)],
    s.page,
    s.pageSize,
  );
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
    total,
  };
}
