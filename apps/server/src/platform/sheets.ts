/**
 * Reading an uploaded .xlsx import file the same way in every module: it must really be an
 * .xlsx (ZIP magic), its first sheet must carry the template's required column headers, and it
 * may not exceed the module's row limit. Problems are Chinese 4xx answers naming the column.
 */
import ExcelJS from 'exceljs';
import { badRequest, unprocessable } from './errors';

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

/** The first worksheet of an import file and the column number of each header. */
export async function openImportSheet(
  file: Buffer,
  columns: readonly { header: string; required?: boolean }[],
  maxRows: number,
) {
  if (file.length < 4 || file.readUInt32LE(0) !== 0x04034b50)
    throw badRequest('请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）', undefined, 'NOT_XLSX');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw badRequest('无法读取该 Excel 文件，请确认文件未损坏且为 .xlsx 格式', undefined, 'NOT_XLSX');
  }
  const ws = wb.worksheets[0];
  if (!ws)
    throw unprocessable('文件中没有工作表', [{ row: 0, field: '', message: '文件中没有工作表' }], 'IMPORT_INVALID');
  const colOf = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => colOf.set(cellText(cell.value), col));
  const missing = columns.filter((c) => c.required && !colOf.has(c.header));
  if (missing.length)
    throw unprocessable(
      `缺少必填列：${missing.map((c) => c.header).join('、')}（请使用导入模板）`,
      missing.map((c) => ({ row: 1, field: c.header, message: '缺少该列' })),
      'IMPORT_INVALID',
    );
  if (ws.rowCount - 1 > maxRows) throw unprocessable(`单次最多导入 ${maxRows} 行`, [], 'IMPORT_TOO_LARGE');
  return { ws, colOf };
}
