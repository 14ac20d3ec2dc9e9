/**
 * Sensitive personal fields (身份证号, phone, letters…): AES-256-GCM encryption at rest, an HMAC blind
 * index so exact lookups still work, and masking for display. The key material comes from
 * XF_SECRET_KEY or a key file created in XF_DATA_DIR on first start.
 *
 * Ciphertext versions (security review #14, finding 11):
 * - `v2.` — key from HKDF over the installation secret (`deriveKey`), and the value bound to its place with AAD
 *   `table.column/rowId`: a ciphertext copied into another row or column (by someone with database write access)
 *   does not open there.
 * - `v1.` — the first format: key from HKDF over SHA-256(XF_SECRET_KEY), no AAD. Still read; `resealFields`
 *   rewrites every `v1.` value as `v2.` at start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getTableName, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from './db';

export type FieldCrypto = {
  /** Seals `plain` for the column `column` of the row `rowId` (its primary key). */
  encrypt(plain: string, column: AnyPgColumn, rowId: string): string;
  /** Opens a value read from `column` of the row `rowId`; throws if it was sealed for another place or altered. */
  decrypt(sealed: string, column: AnyPgColumn, rowId: string): string;
  /**
   * The same seal for bytes (a file): the `v2` key and the place `table.column/rowId` as AAD, the result
   * `v2.` + iv + tag + ciphertext as bytes (no base64: a 10 MB file stays 10 MB).
   */
  sealBytes(plain: Buffer, column: AnyPgColumn, rowId: string): Buffer;
  /** Opens bytes sealed by `sealBytes` for this place; throws if sealed elsewhere or altered. */
  openBytes(sealed: Buffer, column: AnyPgColumn, rowId: string): Buffer;
  /** Deterministic keyed hash of a normalized value, for equality lookups. */
  blindIndex(plain: string): string;
  /**
   * A 32-byte key of its own for one purpose (HKDF from the master key with `purpose` as info), e.g. the
   * meeting check-in tokens' signing key — independent of the field and blind-index keys (security #14.11).
   */
  subkey(purpose: string): Buffer;
};

export function loadMasterKey(secret: string | undefined, dataDir: string | null): Buffer {
  if (secret) return crypto.createHash('sha256').update(secret).digest();
  if (!dataDir) return crypto.randomBytes(32);
  const file = path.join(dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}

/**
 * The installation secret as key material for HKDF: the bytes of XF_SECRET_KEY, or of the key file
 * `XF_DATA_DIR/secret.key` (created on first start), or random for an in-memory test database.
 * Unlike `loadMasterKey` (kept for the version-1 field keys), no hash before the KDF: HKDF extracts.
 */
export function loadSecretMaterial(secret: string | undefined, dataDir: string | null): Buffer {
  if (secret) return Buffer.from(secret, 'utf8');
  return loadMasterKey(undefined, dataDir);
}

/**
 * A 32-byte key for one purpose from the installation secret: HKDF-SHA256 (RFC 5869) with a fixed
 * salt and the purpose as `info`, so keys of different purposes are independent.
 */
export function deriveKey(material: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', material, 'xianfeng/kdf/v2', purpose, 32));
}

/** The installation's field crypto: from XF_SECRET_KEY, or the key file in the data folder. */
export const installationFieldCrypto = (secret: string | undefined, dataDir: string | null) =>
  createFieldCrypto(loadSecretMaterial(secret, dataDir), loadMasterKey(secret, dataDir));

/** The AAD of a sealed value: where it lives. */
export const sealedPlace = (column: AnyPgColumn, rowId: string) =>
  `${getTableName(column.table)}.${column.name}/${rowId}`;

/** IVs per refill of the pool: one `randomFillSync` of 48 KiB instead of 4,096 calls for 12 bytes each. */
const IV_POOL_IVS = 4096;
const ivPool = Buffer.alloc(12 * IV_POOL_IVS);
let ivNext = IV_POOL_IVS;

/**
 * A fresh GCM nonce: 12 bytes of the CSPRNG, as `randomBytes(12)` gave, but drawn from a pool filled 48 KiB at a
 * time (a 100k-row import seals 200k values; the per-call cost was 3.4 s of its profile). Each slice of the pool
 * is handed out once and copied out, and the pool is refilled from the CSPRNG when used up, so nonces stay
 * random — unpredictable and, like `randomBytes(12)` ones, unique but for a 2^-96-per-pair chance.
 */
export function freshIv(): Buffer {
  if (ivNext === IV_POOL_IVS) {
    crypto.randomFillSync(ivPool);
    ivNext = 0;
  }
  const start = 12 * ivNext++;
  return Buffer.from(ivPool.subarray(start, start + 12));
}

/** iv (12) + tag (16) + ciphertext of `plain` under `key`, with `aad` when given. */
function sealRaw(key: Buffer, plain: Buffer, aad: string | null): Buffer {
  const iv = freshIv();
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  if (aad !== null) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function openRaw(key: Buffer, raw: Buffer, aad: string | null): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  if (aad !== null) decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

const seal = (key: Buffer, version: string, plain: string, aad: string | null): string =>
  `${version}.${sealRaw(key, Buffer.from(plain, 'utf8'), aad).toString('base64')}`;

const open = (key: Buffer, body: string, aad: string | null): string =>
  openRaw(key, Buffer.from(body, 'base64'), aad).toString('utf8');

const V2_BYTES = Buffer.from('v2.', 'ascii');

/** What a FieldCrypto was made from: a worker thread of this process makes the same one from it. */
export type FieldCryptoKeys = { material: Uint8Array; legacy: Uint8Array };
const keysOf = new WeakMap<FieldCrypto, FieldCryptoKeys>();

/**
 * @param material the installation secret (`loadSecretMaterial`): the v2 field key is HKDF over it.
 * @param legacyMaster the first format's master key (`loadMasterKey`), for `v1.` values, the blind index and
 *   `subkey` — those keep their keys so existing indexes and issued tokens stay valid. Tests may pass one buffer.
 */
export function createFieldCrypto(material: Buffer, legacyMaster: Buffer = material): FieldCrypto {
  // Separate keys per purpose, so the blind index never reveals anything about the cipher key.
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', legacyMaster, Buffer.alloc(0), info, 32));
  const v1Key = derive('xianfeng/field-encryption/v1');
  const v2Key = deriveKey(material, 'xianfeng/field-encryption/v2');
  const idxKey = derive('xianfeng/blind-index/v1');
  const fc: FieldCrypto = {
    encrypt: (plain, column, rowId) => seal(v2Key, 'v2', plain, sealedPlace(column, rowId)),
    decrypt(sealed, column, rowId) {
      if (sealed.startsWith('v2.')) return open(v2Key, sealed.slice(3), sealedPlace(column, rowId));
      if (sealed.startsWith('v1.')) return open(v1Key, sealed.slice(3), null);
      throw new Error('unknown ciphertext version');
    },
    sealBytes: (plain, column, rowId) => Buffer.concat([V2_BYTES, sealRaw(v2Key, plain, sealedPlace(column, rowId))]),
    openBytes(sealed, column, rowId) {
      if (!sealed.subarray(0, 3).equals(V2_BYTES)) throw new Error('unknown ciphertext version');
      return openRaw(v2Key, sealed.subarray(3), sealedPlace(column, rowId));
    },
    blindIndex(plain) {
      return crypto.createHmac('sha256', idxKey).update(plain.trim().toUpperCase()).digest('base64url');
    },
    subkey(purpose) {
      if (purpose.startsWith('xianfeng/field-encryption/') || purpose === 'xianfeng/blind-index/v1')
        throw new Error('reserved key purpose');
      return derive(purpose);
    },
  };
  keysOf.set(fc, { material, legacy: legacyMaster });
  return fc;
}

/**
 * The key material of a FieldCrypto made by {@link createFieldCrypto}, for a worker thread of this process that
 * seals values for it (the member import's sheet worker): the keys stay in this process, copied into the worker's
 * memory, never written or sent anywhere.
 */
export function fieldCryptoKeys(fc: FieldCrypto): FieldCryptoKeys {
  const keys = keysOf.get(fc);
  if (!keys) throw new Error('field crypto not made by createFieldCrypto');
  return keys;
}

/** The FieldCrypto of {@link fieldCryptoKeys}, inside the worker thread. */
export const fieldCryptoFromKeys = (keys: FieldCryptoKeys): FieldCrypto =>
  createFieldCrypto(Buffer.from(keys.material), Buffer.from(keys.legacy));

/**
 * A column holding sealed values, and the uuid column its rows are known by (the row id bound into each
 * value; `id` unless said). Modules list theirs in their manifest (`ServerModule.sealed`).
 */
export type SealedColumn = { column: AnyPgColumn; key?: AnyPgColumn };

/**
 * Rewrites every `v1.` value of the sealed columns as `v2.` (bound to its row and column), in batches of
 * `batch` rows, each batch one statement — so a stop part-way loses nothing and the next start goes on.
 * Returns how many values were resealed.
 */
export async function resealFields(
  db: Db,
  fc: FieldCrypto,
  columns: readonly SealedColumn[],
  onProgress: (column: string, done: number) => void = () => {},
  batch = 1000,
): Promise<number> {
  // Loaded here, not at the top: the member import's sheet worker loads this module for the field crypto alone,
  // and the database drivers behind ./db took it 1.6–3 s to load on a busy box.
  const { queryRows } = await import('./db');
  let total = 0;
  for (const { column, key } of columns) {
    const table = sql.identifier(getTableName(column.table));
    const col = sql.identifier(column.name);
    const id = sql.identifier(key?.name ?? 'id');
    let done = 0;
    for (;;) {
      const rows = await queryRows<{ id: string; v: string }>(
        db,
        sql`select ${id} as id, ${col} as v from ${table} where ${col} like 'v1.%' limit ${batch}`,
      );
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.id);
      const values = rows.map((r) => fc.encrypt(fc.decrypt(r.v, column, r.id), column, r.id));
      // Only a value still `v1.` is replaced: a concurrent write of a new value wins.
      await db.execute(
        sql`update ${table} t set ${col} = s.v from unnest(${sql.param(ids)}::uuid[], ${sql.param(values)}::text[]) as s(id, v)
            where t.${id} = s.id and t.${col} like 'v1.%'`,
      );
      done += rows.length;
      onProgress(`${getTableName(column.table)}.${column.name}`, done);
    }
    total += done;
  }
  return total;
}

/** 身份证号: keep the 3-digit region prefix and the last 4, e.g. `110***********1234`. */
export function maskIdCard(id: string): string {
  if (id.length <= 7) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** Mobile phone: `138****5678`. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/**
 * A mainland mobile number as typed at a login box or kept in an old username: 11 digits from 1,
 * optionally with +86/86 in front and spaces or dashes between groups. Returns the 11 digits or null.
 */
export function phoneShaped(value: string): string | null {
  const digits = value
    .trim()
    .replace(/[\s-]/g, '')
    .replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(digits) ? digits : null;
}

/**
 * Masks every mobile number inside a free text (security review #14, finding 6): old usernames,
 * audit actor names and entries written while member accounts were named by their phone.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<!\d)(?:\+?86)?1\d{10}(?!\d)/g, (m) => maskPhone(m.slice(-11)));
}

/** `maskPhonesIn` over every string of a JSON value (keys included). */
export function maskPhonesDeep<T>(value: T): T {
  if (typeof value === 'string') return maskPhonesIn(value) as T;
  if (Array.isArray(value)) return value.map(maskPhonesDeep) as T;
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskPhonesIn(k), maskPhonesDeep(v)])) as T;
  return value;
}

// Node's one-shot hash (20.12+) where there is one: every signed-in request hashes its token.
export const sha256: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'hex')
    : (s) => crypto.createHash('sha256').update(s).digest('hex');
