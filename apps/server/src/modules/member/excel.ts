/**
 * The member roster as Excel: the import template, all-or-nothing import with row-by-row
 * errors, and export (masked by default).
 */
import { inSubtree } from '../../platform/access';
import { DUES_CATEGORY_LABELS, GENDER_LABELS, MEMBER_STATUS_LABELS, nowMs, type Member } from '@xianfeng/shared';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  noDataRows,
  refuseRowErrors,
  streamImportBatches,
  type ImportLimits,
  type RowError,
} from '../../platform/sheets';
import type { ActingScope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { fieldCryptoKeys, type FieldCrypto } from '../../platform/crypto';
import { feedTransaction, type Db } from '../../platform/db';
import { org } from '../../platform/schema';
import { ELSEWHERE_MESSAGE, rosterPaths, settleOutsideLookups, whereIdCards } from './idcheck';
import { COLUMNS, type CheckedBatch, type ImportCheckInput } from './importcheck';
import { insertMemberBatch, MemberBatch } from './service';

export { COLUMNS };

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

/** Progress of an import in rows: read and checked so far, of the rows the sheet declares. */
export type Progress = (done: number, total: number) => Promise<void>;

/** Valid rows are written in batches of this size, each one INSERT … SELECT FROM unnest. */
const BATCH_ROWS = 5000;
/** Progress is reported every this many rows (the job runner writes it at most 4× a second). */
const PROGRESS_EVERY = 1000;
/** The per-row work, run in the sheet worker (importcheck.ts). */
const CHECK_STAGE = new URL('./importcheck.ts', import.meta.url).href;

/**
 * All-or-nothing import of the roster sheet. The file is streamed through a worker thread that parses each row,
 * checks it and, while no row has failed, turns it into its stored form (encrypted, blind-indexed) as compact
 * column arrays (importcheck.ts); the workbook itself is never in memory, and the server's thread only collects
 * the batches and talks to the database. Duplicates of 身份证号 are found inside the file by the worker and
 * against the database by one set-based lookup per 5,000 rows here. The rows are written in one transaction with
 * one audit entry, committed only when every row passed: while no row has failed, each batch whose numbers have
 * been looked up is written at once (platform/db.ts feedTransaction), so the database writes while the worker
 * checks the next rows; at the first error the writing stops and the transaction is rolled back at the end.
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
    .where(and(eq(org.tenantId, scope.tenantId), inSubtree(org.path, scope.org.path)));
  const check: ImportCheckInput = {
    tenantId: scope.tenantId,
    scopeOrg: { id: scope.org.id, kind: scope.org.kind },
    orgs,
    keys: fieldCryptoKeys(fc),
    nowMs: nowMs(),
  };
  // Its worker ends when the batches below have been read (or the loop gave up).
  const sheet = await streamImportBatches<(typeof COLUMNS)[number]['key'], CheckedBatch>(
    file,
    COLUMNS,
    MAX_IMPORT_ROWS,
    MEMBER_IMPORT_LIMITS,
    { module: CHECK_STAGE, data: check },
  );

  const errors: RowError[] = [];
  const writer = feedTransaction(db);
  let written = 0;
  // Complete batches whose rows' numbers are not looked up yet: written once they are, while nothing has failed.
  const batches: MemberBatch[] = [];
  let batch = new MemberBatch();
  // Blind indexes still to be looked up in the database, with their rows.
  let pending: CheckedBatch['lookups'] = [];
  // Numbers found outside the importer's scope: answered without saying where, charged and audited (idcheck.ts).
  const elsewhere: number[] = [];
  const elsewhereSample: string[] = [];
  const paths = rosterPaths(scope);
  let insideHits = 0;
  let checked = 0;
  const checkPending = async () => {
    const looked = batches.splice(0);
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
    if (errors.length > 0 || elsewhere.length > 0) return writer.abandon();
    for (const b of looked) {
      written += b.size;
      writer.add((tx) => insertMemberBatch(tx, b));
    }
  };

  try {
    let read = 0;
    await progress?.(0, sheet.rowsHint ?? 0);
    for await (const checkedBatch of sheet.batches) {
      const before = read;
      read += checkedBatch.read;
      if (Math.floor(read / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY))
        await progress?.(read, Math.max(read, sheet.rowsHint ?? 0));
      for (const e of checkedBatch.errors) errors.push(e);
      if (errors.length === 0 && checkedBatch.columns) {
        // Nothing has failed yet: keep the rows as they will be stored.
        batch.append(checkedBatch.columns);
        if (batch.size >= BATCH_ROWS) {
          batches.push(batch);
          batch = new MemberBatch();
        }
      } else {
        // The import will fail: only what finds more errors (the database duplicate check) is still worth doing.
        batches.length = 0;
        batch = new MemberBatch();
        await writer.abandon();
      }
      checked += checkedBatch.lookups.length;
      for (const l of checkedBatch.lookups) pending.push(l);
      if (pending.length >= BATCH_ROWS) await checkPending();
    }
    batches.push(batch);
    await checkPending();
    await progress?.(read, read);

    if (read === 0) throw noDataRows();
    // Every checked number that is not a member of the importer's own roster reached past it.
    const open = checked > insideHits;
    await settleOutsideLookups(db, scope, 'member.import', elsewhere.length, elsewhereSample, open);
    for (const row of elsewhere) errors.push({ row, field: '身份证号', message: ELSEWHERE_MESSAGE });
    refuseRowErrors(errors);

    await writer.commit((tx) =>
      writeAudit(tx, scope.actor, {
        action: 'member.import',
        entityType: 'member',
        org: scope.org,
        after: { fileName, rows: written },
      }),
    );
    return { imported: written };
  } finally {
    // Rolls back what was written when the import failed (a no-op after commit).
    await writer.abandon();
  }
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
