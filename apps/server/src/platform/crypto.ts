/**
 * Sensitive personal fields (身份证号, phone): AES-256-GCM encryption at rest, an HMAC blind
 * index so exact lookups still work, and masking for display. The key comes from
 * XF_SECRET_KEY or a key file created in XF_DATA_DIR on first start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type FieldCrypto = {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
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

export function createFieldCrypto(masterKey: Buffer): FieldCrypto {
  // Separate keys per purpose, so the blind index never reveals anything about the cipher key.
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  const encKey = derive('xianfeng/field-encryption/v1');
  const idxKey = derive('xianfeng/blind-index/v1');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown ciphertext version');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return crypto.createHmac('sha256', idxKey).update(plain.trim().toUpperCase()).digest('base64url');
    },
    subkey(purpose) {
      if (purpose === 'xianfeng/field-encryption/v1' || purpose === 'xianfeng/blind-index/v1') throw new Error('reserved key purpose');
      return derive(purpose);
    },
  };
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
  const digits = value.trim().replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
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

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
