/**
 * The member import's work on each row, run inside the sheet worker thread (platform/sheets.ts `SheetStage`): the
 * row checked against the template's rules, duplicates of 身份证号 inside the file found, and — while no row of the
 * file has failed — the row turned into its stored form (AES-GCM, blind indexes, pinyin initials) as column
 * arrays. Parsing and this work share the worker's core; the server's thread only gets finished batches and
 * talks to the database (excel.ts `importMembers`), so it keeps answering during an import.
 */
import {
  DUES_CATEGORY_LABELS,
  EDUCATIONS,
  GENDER_LABELS,
  MEMBER_STATUS_LABELS,
  MemberInput,
  memberProblems,
  OCCUPATIONS,
  parseIdCard,
  setClock,
} from '@xianfeng/shared';
import { fieldCryptoFromKeys, type FieldCryptoKeys } from '../../platform/crypto';
import type { SheetRow } from '../../platform/sheets';
import { MEMBER_ORG_KINDS, MemberBatch, toRow } from './rows';

type ColumnKey = keyof MemberInput | 'orgName';
type Column = { header: string; key: ColumnKey; required: boolean; width: number; note?: string };

export const COLUMNS: Column[] = [
  { header: '姓名', key: 'name', required: true, width: 12 },
  { header: '性别', key: 'gender', required: true, width: 8, note: '男 / 女' },
  { header: '出生日期', key: 'birthDate', required: true, width: 14, note: '如 1985-06-01' },
  { header: '身份证号', key: 'idCardNo', required: true, width: 22, note: '18 位，请设为文本格式' },
  { header: '手机号', key: 'phone', required: true, width: 15 },
  { header: '入党时间', key: 'joinedAt', required: true, width: 14 },
  { header: '党员状态', key: 'status', required: true, width: 12, note: '正式党员 / 预备党员' },
  { header: '转正时间', key: 'fullAt', required: false, width: 14 },
  { header: '民族', key: 'ethnicity', required: false, width: 10, note: '默认汉族' },
  { header: '学历', key: 'education', required: false, width: 12, note: EDUCATIONS.join(' / ') },
  { header: '人员类别', key: 'occupation', required: false, width: 16, note: OCCUPATIONS.join(' / ') },
  { header: '职务', key: 'jobTitle', required: false, width: 16 },
  {
    header: '党费类别',
    key: 'duesCategory',
    required: false,
    width: 12,
    note: Object.values(DUES_CATEGORY_LABELS).join(' / '),
  },
  {
    header: '所属组织',
    key: 'orgName',
    required: false,
    width: 22,
    note: '党支部或党小组名称；留空则为导入时选择的组织',
  },
];

const invert = <K extends string>(labels: Record<K, string>) =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [v as string, k])) as Record<string, K>;
const GENDER_BY_LABEL = invert(GENDER_LABELS);
const STATUS_BY_LABEL = invert(MEMBER_STATUS_LABELS);
const DUES_BY_LABEL = invert(DUES_CATEGORY_LABELS);

import type { RowError } from '../../platform/sheets';
export type { RowError };

/** What the stage is given by `importMembers` (copied into the worker). */
export type ImportCheckInput = {
  tenantId: string;
  /** The org the import was started in: rows without 所属组织 go there. */
  scopeOrg: { id: string; kind: string };
  /** Orgs the importer may place members in (inside its subtree). */
  orgs: { id: string; name: string; kind: string }[];
  keys: FieldCryptoKeys;
  /** The server's clock (the shared clock may be set), so "not later than today" is the server's today. */
  nowMs: number;
};

/** One batch of rows, checked. */
export type CheckedBatch = {
  /** Rows in the batch. */
  read: number;
  errors: RowError[];
  /** The batch's rows in their stored form, column by column (`MemberBatch`), while no row has failed. */
  columns: (string | null)[][] | null;
  /** Every valid row's 身份证号 (normalized) and blind index, for the duplicate check against the database. */
  lookups: { rowNo: number; idx: string; idCardNo: string }[];
};

/** Loaded by the sheet worker: the function each batch of rows goes through. */
export function createStage(input: ImportCheckInput): (rows: SheetRow<ColumnKey>[]) => CheckedBatch {
  setClock(new Date(input.nowMs));
  const fc = fieldCryptoFromKeys(input.keys);
  const orgsByName = new Map<string, { id: string; kind: string }[]>();
  for (const o of input.orgs) orgsByName.set(o.name, [...(orgsByName.get(o.name) ?? []), o]);
  const seenIds = new Map<string, number>();
  let failed = false;
  return (rows) => {
    const errors: RowError[] = [];
    const lookups: CheckedBatch['lookups'] = [];
    const batch = new MemberBatch();
    for (const { rowNo, raw } of rows) {
      const member = checkRow(rowNo, raw, input.scopeOrg, orgsByName, errors);
      if (!member) continue;
      const idKey = member.idCardNo.toUpperCase();
      const firstRow = seenIds.get(idKey);
      if (firstRow) {
        errors.push({ row: rowNo, field: '身份证号', message: `与第 ${firstRow} 行的身份证号重复` });
        continue;
      }
      seenIds.set(idKey, rowNo);
      if (errors.length) failed = true;
      if (!failed) {
        // Nothing has failed yet: keep the row as it will be stored.
        const row = toRow(fc, input.tenantId, member);
        batch.push(row);
        lookups.push({ rowNo, idx: row.idCardIdx, idCardNo: idKey });
      } else {
        // The import will fail: only what finds more errors (the database duplicate check) is still worth doing.
        lookups.push({ rowNo, idx: fc.blindIndex(idKey), idCardNo: idKey });
      }
    }
    if (errors.length) failed = true;
    return { read: rows.length, errors, columns: failed ? null : batch.columns, lookups };
  };
}

/** One sheet row checked against the template's rules: the member to create, or null with its errors recorded. */
function checkRow(
  rowNo: number,
  raw: Record<ColumnKey, string>,
  scopeOrg: { id: string; kind: string },
  orgsByName: Map<string, { id: string; kind: string }[]>,
  errors: RowError[],
): MemberInput | null {
  const before = errors.length;
  const err = (field: string, message: string) => errors.push({ row: rowNo, field, message });
  let orgId = scopeOrg.id;
  if (raw.orgName) {
    const found = (orgsByName.get(raw.orgName) ?? []).filter((o) => MEMBER_ORG_KINDS.includes(o.kind));
    if (found.length === 0) err('所属组织', `找不到党支部或党小组「${raw.orgName}」，或不在您的管理范围内`);
    else if (found.length > 1) err('所属组织', `有多个名为「${raw.orgName}」的组织，请在该组织下分别导入`);
    else orgId = found[0]!.id;
  } else if (!MEMBER_ORG_KINDS.includes(scopeOrg.kind)) err('所属组织', '请填写所属党支部或党小组');

  if (/^\d+(\.\d+)?E\+\d+$/i.test(raw.idCardNo))
    err('身份证号', '身份证号被 Excel 存为科学计数法，请将该列设为文本格式后重新填写');
  const candidate = {
    orgId,
    name: raw.name,
    gender: GENDER_BY_LABEL[raw.gender] ?? raw.gender,
    birthDate: raw.birthDate,
    idCardNo: raw.idCardNo,
    phone: raw.phone,
    joinedAt: raw.joinedAt,
    status: STATUS_BY_LABEL[raw.status] ?? raw.status,
    fullAt: raw.fullAt || null,
    ethnicity: raw.ethnicity || undefined,
    education: raw.education || null,
    occupation: raw.occupation || null,
    jobTitle: raw.jobTitle || null,
    duesCategory: raw.duesCategory ? (DUES_BY_LABEL[raw.duesCategory] ?? raw.duesCategory) : undefined,
  };
  const parsed = MemberInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const col = COLUMNS.find((c) => c.key === issue.path[0]);
      err(col?.header ?? String(issue.path[0] ?? ''), issue.message);
    }
    // The ID number's own rules are worth reporting in the same pass as the field errors.
    const id = raw.idCardNo ? parseIdCard(raw.idCardNo) : null;
    if (id && !id.ok) err('身份证号', id.message);
    return null;
  }
  for (const p of memberProblems(parsed.data))
    err(COLUMNS.find((c) => c.key === p.field)?.header ?? p.field, p.message);
  return errors.length === before ? parsed.data : null;
}
