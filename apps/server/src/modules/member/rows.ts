/**
 * A member as stored: the row values of a validated input (encrypted numbers, blind indexes, pinyin
 * initials) and many of them as column arrays. Kept apart from service.ts, with few imports, because the
 * member import builds rows inside its sheet worker thread (importcheck.ts).
 */
import { now, type MemberInput } from '@xianfeng/shared';
import crypto from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import type { FieldCrypto } from '../../platform/crypto';
import { member } from './schema';

/** Orgs that can hold members: a member's formal membership is in a branch (or one of its groups). */
export const MEMBER_ORG_KINDS = ['branch', 'group'];

const initialsByName = new Map<string, string>();
/**
 * The pinyin initials of a name (张建国 → zjg), for the roster's initials search. Memoized by the whole name (so
 * pinyin-pro's context rules for polyphones apply as before): names repeat a lot, and pinyin was 3.5 s of a
 * 100k-row import's profile. The memo is emptied when it reaches 50,000 names.
 */
export function nameInitials(name: string): string {
  let v = initialsByName.get(name);
  if (v === undefined) {
    v = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
      .join('')
      .toLowerCase();
    if (initialsByName.size >= 50_000) initialsByName.clear();
    initialsByName.set(name, v);
  }
  return v;
}

/**
 * Row values for an already validated input; the ID number is normalized (upper-case X). The row's id is
 * chosen here (a new one unless given) because the sealed numbers are bound to it.
 */
export function toRow(fc: FieldCrypto, tenantId: string, m: MemberInput, id: string = crypto.randomUUID()) {
  const idCardNo = m.idCardNo.trim().toUpperCase();
  return {
    id,
    tenantId,
    orgId: m.orgId,
    name: m.name,
    nameInitials: nameInitials(m.name),
    gender: m.gender,
    ethnicity: m.ethnicity,
    birthDate: m.birthDate,
    idCardEnc: fc.encrypt(idCardNo, member.idCardEnc, id),
    idCardIdx: fc.blindIndex(idCardNo),
    phoneEnc: fc.encrypt(m.phone, member.phoneEnc, id),
    phoneIdx: fc.blindIndex(m.phone),
    education: m.education ?? null,
    occupation: m.occupation ?? null,
    jobTitle: m.jobTitle ?? null,
    joinedAt: m.joinedAt,
    fullAt: m.status === 'full' ? (m.fullAt ?? null) : null,
    status: m.status,
    duesCategory: m.duesCategory,
    // From the app's clock, not the database's: 疑似失联 counts a member's silence from here (activity.ts).
    createdAt: now(),
  };
}

/** A member row's inserted columns with their SQL types, in the order {@link MemberBatch} keeps them. */
export const BULK_COLUMNS = [
  ['id', 'id', 'uuid'],
  ['tenantId', 'tenant_id', 'uuid'],
  ['orgId', 'org_id', 'uuid'],
  ['name', 'name', 'text'],
  ['nameInitials', 'name_initials', 'text'],
  ['gender', 'gender', 'text'],
  ['ethnicity', 'ethnicity', 'text'],
  ['birthDate', 'birth_date', 'date'],
  ['idCardEnc', 'id_card_enc', 'text'],
  ['idCardIdx', 'id_card_idx', 'text'],
  ['phoneEnc', 'phone_enc', 'text'],
  ['phoneIdx', 'phone_idx', 'text'],
  ['education', 'education', 'text'],
  ['occupation', 'occupation', 'text'],
  ['jobTitle', 'job_title', 'text'],
  ['joinedAt', 'joined_at', 'date'],
  ['fullAt', 'full_at', 'date'],
  ['status', 'status', 'text'],
  ['duesCategory', 'dues_category', 'text'],
  ['createdAt', 'created_at', 'timestamptz'],
] as const satisfies readonly (readonly [keyof ReturnType<typeof toRow>, string, string])[];

/**
 * Many member rows kept column by column (one array of strings per column): far less memory
 * than an object per row, and exactly the shape one set-based INSERT … SELECT FROM unnest needs.
 */
export class MemberBatch {
  readonly columns: (string | null)[][] = BULK_COLUMNS.map(() => []);
  get size(): number {
    return this.columns[0]!.length;
  }
  push(row: ReturnType<typeof toRow>): void {
    BULK_COLUMNS.forEach(([key], i) => {
      const v = row[key];
      this.columns[i]!.push(v instanceof Date ? v.toISOString() : (v ?? null));
    });
  }
  /** Appends the rows of another batch's columns (as a worker thread sent them). */
  append(columns: readonly (readonly (string | null)[])[]): void {
    columns.forEach((values, i) => {
      const column = this.columns[i]!;
      for (const v of values) column.push(v);
    });
  }
}
