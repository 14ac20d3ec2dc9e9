/**
 * Reading an uploaded .xlsx import file the same way in every module: it must really be an
 * .xlsx (ZIP magic), its first sheet must carry the template's required column headers, and it
 * may not exceed the module's row limit. Problems are Chinese 4xx answers naming the column.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError, badRequest, unprocessable } from './errors';

/** A cell's value as the text a user typed, whatever type Excel stored it as. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}

type ImportColumn = { header: string; required?: boolean };

const notXlsx = () => badRequest('请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）', undefined, 'NOT_XLSX');
const unreadable = () => badRequest('无法读取该 Excel 文件，请确认文件未损坏且为 .xlsx 格式', undefined, 'NOT_XLSX');
const noSheet = () =>
  unprocessable('文件中没有工作表', [{ row: 0, field: '', message: '文件中没有工作表' }], 'IMPORT_INVALID');
const tooManyRows = (maxRows: number) => unprocessable(`单次最多导入 ${maxRows} 行`, [], 'IMPORT_TOO_LARGE');

/** The column number of each header of row 1, or a 422 naming the template columns that are missing. */
function headerColumns(headerRow: ExcelJS.Row | undefined, columns: readonly ImportColumn[]): Map<string, number> {
  const colOf = new Map<string, number>();
  headerRow?.eachCell((cell, col) => colOf.set(cellText(cell.value), col));
  const missing = columns.filter((c) => c.required && !colOf.has(c.header));
  if (missing.length)
    throw unprocessable(
      `缺少必填列：${missing.map((c) => c.header).join('、')}（请使用导入模板）`,
      missing.map((c) => ({ row: 1, field: c.header, message: '缺少该列' })),
      'IMPORT_INVALID',
    );
  return colOf;
}

/** The first worksheet of an import file and the column number of each header. */
export async function openImportSheet(
  file: Buffer,
  columns: readonly ImportColumn[],
  maxRows: number,
) {
  if (!isZip(file)) throw notXlsx();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw unreadable();
  }
  const ws = wb.worksheets[0];
  if (!ws) throw noSheet();
  const colOf = headerColumns(ws.getRow(1), columns);
  if (ws.rowCount - 1 > maxRows) throw tooManyRows(maxRows);
  return { ws, colOf };
}

const isZip = (file: Buffer) => file.length >= 4 && file.readUInt32LE(0) === 0x04034b50;

/** One data row of an import sheet: its sheet row number and the text of each template column by key. */
export type SheetRow<K extends string> = { rowNo: number; raw: Record<K, string> };

/**
 * The first worksheet of an import file, read as a stream: the workbook is never held in memory,
 * rows arrive one by one (blank rows skipped) and are gone once the caller moves on. Header and
 * size problems are the same Chinese 4xx answers as {@link openImportSheet}; a file that turns out
 * to be corrupt halfway through is a 400 too. `rowsHint` is the row count the sheet declares
 * (its `<dimension>`), for a progress bar before the end is reached; null when it declares none.
 */
export async function streamImportSheet<K extends string>(
  file: Buffer,
  columns: readonly (ImportColumn & { key: K })[],
  maxRows: number,
): Promise<{ rowsHint: number | null; rows: AsyncGenerator<SheetRow<K>> }> {
  if (!isZip(file)) throw notXlsx();
  const declared = declaredRows(file);
  if (declared !== null && declared - 1 > maxRows) throw tooManyRows(maxRows);
  // Styles are read so that cells typed as dates come back as dates, as with the whole-workbook reader.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const unzipFailure = (e: unknown) => (e instanceof AppError ? e : unreadable());
  const sheets = reader[Symbol.asyncIterator]();
  const first = await sheets.next().catch((e: unknown) => {
    throw unzipFailure(e);
  });
  if (first.done) throw noSheet();
  const rowIter = (first.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  const head = await rowIter.next().catch((e: unknown) => {
    throw unzipFailure(e);
  });
  // A sheet without a first row (the header) has none of the required columns.
  const headerRow = !head.done && head.value.number === 1 ? head.value : undefined;
  const colOf = headerColumns(headerRow, columns);
  const picks = columns.map((c) => [c.key, colOf.get(c.header)] as const);
  const toRecord = (r: ExcelJS.Row) => {
    const raw = {} as Record<K, string>;
    let blank = true;
    for (const [key, col] of picks) {
      const text = col ? cellText(r.getCell(col).value) : '';
      if (text !== '') blank = false;
      raw[key] = text;
    }
    return blank ? null : raw;
  };

  async function* rows(): AsyncGenerator<SheetRow<K>> {
    let n = 0;
    try {
      if (!head.done && !headerRow) {
        const raw = toRecord(head.value);
        if (raw) {
          n++;
          yield { rowNo: head.value.number, raw };
        }
      }
      for (;;) {
        const next = await rowIter.next();
        if (next.done) break;
        const raw = toRecord(next.value);
        if (!raw) continue;
        if (++n > maxRows) throw tooManyRows(maxRows);
        yield { rowNo: next.value.number, raw };
      }
    } catch (e) {
      throw unzipFailure(e);
    } finally {
      // Stop unzipping the rest of the file (later sheets) when the caller is done or gave up.
      await rowIter.return?.(undefined);
      await sheets.return?.(undefined);
    }
  }
  return { rowsHint: declared === null ? null : Math.max(0, declared - 1), rows: rows() };
}

/**
 * The number of rows the first sheet declares in its `<dimension ref="A1:N100001"/>`, read by
 * inflating only the first few KB of `xl/worksheets/sheet1.xml`; null when absent or unreadable.
 */
function declaredRows(file: Buffer): number | null {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  for (let at = file.indexOf(name); at >= 30; at = file.indexOf(name, at + 1)) {
    const h = at - 30; // local file header: 30 bytes, then the name
    if (file.readUInt32LE(h) !== 0x04034b50 || file.readUInt16LE(h + 26) !== name.length) continue;
    const method = file.readUInt16LE(h + 8);
    const start = at + name.length + file.readUInt16LE(h + 28);
    const chunk = file.subarray(start, start + 16 * 1024);
    let head: string;
    try {
      head = (
        method === 0 ? chunk : zlib.inflateRawSync(chunk, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
      ).toString('utf8', 0, 4096);
    } catch {
      return null;
    }
    const m = /<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head);
    return m ? Number(m[1] ?? 1) : null;
  }
  return null;
}
