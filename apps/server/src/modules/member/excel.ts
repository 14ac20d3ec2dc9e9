/**
 * The member roster as Excel: the import template, all-or-nothing import with row-by-row
 * errors, and export (masked by default).
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
  type Member,
} from '@xianfeng/shared';
import { and, eq, like } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { streamImportSheet, type ImportLimits } from '../../platform/sheets';
import type { ActingScope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { org } from '../../platform/schema';
import { ELSEWHERE_MESSAGE, rosterPaths, settleOutsideLookups, whereIdCards } from './idcheck';
import { insertMemberBatch, MEMBER_ORG_KINDS, MemberBatch, toRow } from './service';

type Column = { header: string; key: keyof MemberInput | 'orgName'; required: boolean; width: number; note?: string };

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

export const MAX_IMPORT_ROWS = 200_000;
/**
 * What a member import may unpack to (checked before parsing, platform/sheets.ts): 200,000 template rows
 * are about 150 MB of sheet XML and 40 MB of shared strings; the sheet is streamed, the strings are held.
 * The parsing worker's heap and time: 512 MB and 300 s — a 100,000-row file with shared strings parses
 * within a 96 MB heap (48 MB is too little) in under a minute; a file that needs more ends its worker with a
 * 422, never the server.
 */
export const MEMBER_IMPORT_LIMITS: ImportLimits = {
  entries: 64,
  sheet: 512 * 1024 * 1024,
  sharedStrings: 64 * 1024 * 1024,
  other: 16 * 1024 * 1024,
  total: 640 * 1024 * 1024,
  heapMb: 512,
  parseSeconds: 300,
};
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export { XLSX_MIME };

const invert = <K extends string>(labels: Record<K, string>) =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [v as string, k])) as Record<string, K>;
const GENDER_BY_LABEL = invert(GENDER_LABELS);
const STATUS_BY_LABEL = invert(MEMBER_STATUS_LABELS);
const DUES_BY_LABEL = invert(DUES_CATEGORY_LABELS);

export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员信息');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC8161D' } };
    if (c.note) cell.note = c.note;
  });
  ws.addRow([
    '张三',
    '男',
    '1985-06-01',
    '11010119850601001X',
    '13800000000',
    '2010-07-01',
    '正式党员',
    '2011-07-01',
    '汉族',
    '大学本科',
    '专业技术人员',
    '工程师',
    '在职',
    '',
  ]);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet('填写说明');
  help.addRows([
    ['红色列为必填。示例行请删除后再导入。'],
    ['日期格式：YYYY-MM-DD。身份证号须为文本格式，避免 Excel 截断为科学计数法。'],
    ['导入为整体操作：任何一行有误则全部不导入，并列出每一处错误。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type RowError = { row: number; field: string; message: string };

/** Progress of an import in rows: read and checked so far, of the rows the sheet declares. */
export type Progress = (done: number, total: number) => Promise<void>;

/** Valid rows are written in batches of this size, each one INSERT … SELECT FROM unnest. */
const BATCH_ROWS = 5000;
/** Progress is reported every this many rows (the job runner writes it at most 4× a second). */
const PROGRESS_EVERY = 1000;

/**
 * All-or-nothing import of the roster sheet. The file is streamed: each row is checked as it is
 * read and, while no row has failed, turned into its stored form (encrypted, blind-indexed) and
 * kept only as compact column arrays; the workbook itself is never in memory. Duplicates of
 * 身份证号 are a Set inside the file and one set-based lookup per batch against the database.
 * Only when every row passed are the batches written, in one transaction with one audit entry.
 */
export async function importMembers(
  db: Db,
  fc: FieldCrypto,
  scope: ActingScope,
  file: Buffer,
  fileName: string,
  progress?: Progress,
) {
  // Orgs the importer may place members in: member-holding orgs inside its subtree, by name.
  const orgs = await db
    .select({ id: org.id, name: org.name, kind: org.kind })
    .from(org)
    .where(and(eq(org.tenantId, scope.tenantId), like(org.path, `${scope.org.path}%`)));
  // Its worker ends when the rows below have been read (or the loop gave up).
  const sheet = await streamImportSheet(file, COLUMNS, MAX_IMPORT_ROWS, MEMBER_IMPORT_LIMITS);
  const orgsByName = new Map<string, { id: string; kind: string }[]>();
  for (const o of orgs) orgsByName.set(o.name, [...(orgsByName.get(o.name) ?? []), o]);

  const errors: RowError[] = [];
  const seenIds = new Map<string, number>();
  const batches: MemberBatch[] = [];
  let batch = new MemberBatch();
  // Blind indexes still to be looked up in the database, with their rows.
  let pending: { rowNo: number; idx: string; idCardNo: string }[] = [];
  // Numbers found outside the importer's scope: answered without saying where, charged and audited (idcheck.ts).
  const elsewhere: number[] = [];
  const elsewhereSample: string[] = [];
  const paths = rosterPaths(scope);
  let insideHits = 0;
  const checkPending = async () => {
    const found = await whereIdCards(
      db,
      scope.tenantId,
      paths,
      pending.map((p) => p.idx),
    );
    for (const p of pending)
      if (found.inside.has(p.idx)) {
        insideHits++;
        errors.push({ row: p.rowNo, field: '身份证号', message: '该身份证号的党员已在系统中' });
      } else if (found.outside.has(p.idx)) {
        elsewhere.push(p.rowNo);
        if (elsewhereSample.length < 50) elsewhereSample.push(p.idCardNo);
      }
    pending = [];
  };

  let read = 0;
  await progress?.(0, sheet.rowsHint ?? 0);
  for await (const { rowNo, raw } of sheet.rows) {
    read++;
    if (read % PROGRESS_EVERY === 0) await progress?.(read, Math.max(read, sheet.rowsHint ?? 0));
    const input = checkRow(rowNo, raw, scope, orgsByName, errors);
    if (!input) continue;
    const idKey = input.idCardNo.toUpperCase();
    const firstRow = seenIds.get(idKey);
    if (firstRow) {
      errors.push({ row: rowNo, field: '身份证号', message: `与第 ${firstRow} 行的身份证号重复` });
      continue;
    }
    seenIds.set(idKey, rowNo);
    if (errors.length === 0) {
      // Nothing has failed yet: keep the row as it will be stored.
      const row = toRow(fc, scope.tenantId, input);
      batch.push(row);
      pending.push({ rowNo, idx: row.idCardIdx, idCardNo: idKey });
      if (batch.size === BATCH_ROWS) {
        batches.push(batch);
        batch = new MemberBatch();
      }
    } else {
      // The import will fail: only what finds more errors (the database duplicate check) is still worth doing.
      batches.length = 0;
      batch = new MemberBatch();
      pending.push({ rowNo, idx: fc.blindIndex(idKey), idCardNo: idKey });
    }
    if (pending.length === BATCH_ROWS) await checkPending();
  }
  await checkPending();
  batches.push(batch);
  await progress?.(read, read);

  if (read === 0)
    throw unprocessable('文件中没有可导入的数据行', [{ row: 2, field: '', message: '没有数据行' }], 'IMPORT_INVALID');
  // Every checked number that is not a member of the importer's own roster reached past it.
  const open = seenIds.size > insideHits;
  await settleOutsideLookups(db, scope, 'member.import', elsewhere.length, elsewhereSample, open);
  for (const row of elsewhere) errors.push({ row, field: '身份证号', message: ELSEWHERE_MESSAGE });
  if (errors.length) {
    errors.sort((a, b) => a.row - b.row);
    throw unprocessable(
      `导入失败：共 ${errors.length} 处错误，未导入任何数据。第一处：第 ${errors[0]!.row} 行「${errors[0]!.field}」${errors[0]!.message}`,
      errors.slice(0, 1000),
      'IMPORT_INVALID',
    );
  }

  const imported = await db.transaction(async (tx) => {
    let n = 0;
    for (const b of batches.splice(0)) n += await insertMemberBatch(tx, b);
    await writeAudit(tx, scope.actor, {
      action: 'member.import',
      entityType: 'member',
      org: scope.org,
      after: { fileName, rows: n },
    });
    return n;
  });
  return { imported };
}

/** One sheet row checked against the template's rules: the member to create, or null with its errors recorded. */
function checkRow(
  rowNo: number,
  raw: Record<Column['key'], string>,
  scope: ActingScope,
  orgsByName: Map<string, { id: string; kind: string }[]>,
  errors: RowError[],
): MemberInput | null {
  const before = errors.length;
  const err = (field: string, message: string) => errors.push({ row: rowNo, field, message });
  let orgId = scope.org.id;
  if (raw.orgName) {
    const found = (orgsByName.get(raw.orgName) ?? []).filter((o) => MEMBER_ORG_KINDS.includes(o.kind));
    if (found.length === 0) err('所属组织', `找不到党支部或党小组「${raw.orgName}」，或不在您的管理范围内`);
    else if (found.length > 1) err('所属组织', `有多个名为「${raw.orgName}」的组织，请在该组织下分别导入`);
    else orgId = found[0]!.id;
  } else if (!MEMBER_ORG_KINDS.includes(scope.org.kind)) err('所属组织', '请填写所属党支部或党小组');

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

export async function exportWorkbook(members: AsyncIterable<Member[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员信息');
  ws.columns = [
    ...COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })),
    { header: '党龄（年）', key: 'partyYears', width: 10 },
    { header: '年龄', key: 'age', width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  for await (const batch of members) {
    for (const m of batch)
      ws.addRow({
        ...m,
        gender: GENDER_LABELS[m.gender],
        status: MEMBER_STATUS_LABELS[m.status],
        duesCategory: DUES_CATEGORY_LABELS[m.duesCategory],
      });
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
