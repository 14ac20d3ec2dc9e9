/**
 * The 党内统计年报 as an .xlsx in the layout of the official tables: one sheet per table, each with the table
 * number (表号) at the top right, the title, 填报单位 / 统计时间 / 计量单位, two header rows where columns sit
 * under a group (merged cells), the 合计 row and the units, and the 口径 note below. The layout follows the
 * common printed 党内统计 forms; the official table numbering and columns are unconfirmed (see user guide).
 */
import ExcelJS from 'exceljs';
import type { AnnualReport } from '@xianfeng/shared';

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

export async function annualWorkbook(r: AnnualReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '先锋智慧党建平台';
  for (const t of r.tables) {
    const ws = wb.addWorksheet(t.number.replace(/\s/g, ''), { views: [{ state: 'frozen', xSplit: 1, ySplit: 6 }] });
    const width = t.columns.length + 1;
    ws.getColumn(1).width = 28;
    for (let c = 2; c <= width; c++)
      ws.getColumn(c).width = Math.max(8, Math.min(16, (t.columns[c - 2]!.label.length + 2) * 1.6));
    // Row 1: the table number at the right; row 2: the title across; row 3: unit, time, measure.
    ws.mergeCells(1, 1, 1, width);
    const no = ws.getCell(1, 1);
    no.value = t.number;
    no.alignment = { horizontal: 'right' };
    ws.mergeCells(2, 1, 2, width);
    const title = ws.getCell(2, 1);
    title.value = `${t.title}`;
    title.font = { bold: true, size: 16 };
    title.alignment = { horizontal: 'center' };
    ws.getCell(3, 1).value = `填报单位：${r.org.orgName}`;
    const mid = Math.max(2, Math.floor(width / 2));
    ws.getCell(3, mid).value = `统计时间：${r.date}（本年变动自 ${r.from} 起）`;
    ws.getCell(3, width).value = `计量单位：${t.unit}`;
    ws.getCell(3, width).alignment = { horizontal: 'right' };
    ws.addRow([]); // 4: spacer
    // Rows 5–6: the header. A column without a group spans both rows; a group's label is merged across its columns.
    const h1 = 5;
    const h2 = 6;
    ws.getCell(h1, 1).value = '单位';
    ws.mergeCells(h1, 1, h2, 1);
    let c = 0;
    while (c < t.columns.length) {
      const col = t.columns[c]!;
      if (!col.group) {
        ws.getCell(h1, c + 2).value = col.label;
        ws.mergeCells(h1, c + 2, h2, c + 2);
        c += 1;
        continue;
      }
      let end = c;
      while (end + 1 < t.columns.length && t.columns[end + 1]!.group === col.group) end += 1;
      ws.getCell(h1, c + 2).value = col.group;
      if (end > c) ws.mergeCells(h1, c + 2, h1, end + 2);
      for (let k = c; k <= end; k++) ws.getCell(h2, k + 2).value = t.columns[k]!.label;
      c = end + 1;
    }
    for (const rowNo of [h1, h2])
      for (let k = 1; k <= width; k++) {
        const cell = ws.getCell(rowNo, k);
        cell.font = { bold: true };
        cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
        cell.border = border;
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF5E6E6' } };
      }
    ws.getRow(h2).height = 36;
    // The 栏次 row (甲, 1, 2, …) as on the printed forms.
    const seq = ws.addRow(['甲', ...t.columns.map((_, i) => i + 1)]);
    seq.eachCell((cell) => {
      cell.alignment = { horizontal: 'center' };
      cell.border = border;
      cell.font = { color: { argb: 'FF888888' } };
    });
    for (const row of t.rows) {
      const x = ws.addRow([row.label, ...row.values]);
      x.eachCell({ includeEmpty: true }, (cell, n) => {
        cell.border = border;
        if (n > 1) cell.numFmt = '0';
      });
      if (row === t.rows[0]) x.font = { bold: true };
    }
    const noteRow = ws.addRow([`说明：${t.note}`]);
    ws.mergeCells(noteRow.number, 1, noteRow.number, width);
    noteRow.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    noteRow.height = 60;
    ws.addRow([`计算时间：${r.computedAt}　数据来源：先锋智慧党建平台党员、组织、发展党员记录`]);
    ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  }
  // One more sheet: the checks, so a mismatch travels with the tables.
  const cs = wb.addWorksheet('核对结果');
  cs.columns = [
    { header: '核对项', width: 24 },
    { header: '结果', width: 10 },
    { header: '问题数', width: 10 },
    { header: '说明', width: 60 },
  ];
  cs.getRow(1).font = { bold: true };
  for (const k of r.checks)
    cs.addRow([k.code, k.ok ? '通过' : k.level === 'warning' ? '提醒' : '未通过', k.count, k.message]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
