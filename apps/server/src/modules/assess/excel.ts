/**
 * Business KPI values of a plan in Excel: a template with one row per assessed 党支部 and KPI indicator, and the
 * import — all or nothing: one bad row and nothing is written, every error listed by row in Chinese.
 */
import ExcelJS from 'exceljs';
import type { Scope } from '../../platform/access';
import type { Db, Queryable } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { noDataRows, refuseRowErrors, streamImportSheet, type ImportLimits } from '../../platform/sheets';
import { kpiRows, writeKpi, type KpiValue } from './service';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_ROWS = 20_000;
const LIMITS: ImportLimits = {
  entries: 64,
  sheet: 16 * 1024 * 1024,
  sharedStrings: 8 * 1024 * 1024,
  other: 8 * 1024 * 1024,
  total: 32 * 1024 * 1024,
  heapMb: 128,
  parseSeconds: 60,
};

const COLUMNS = [
  { header: '党组织', key: 'org', required: true, width: 24 },
  { header: '指标', key: 'indicator', required: true, width: 20 },
  { header: '目标值', key: 'target', required: false, width: 10 },
  { header: '单位', key: 'unit', required: false, width: 10 },
  { header: '指标值', key: 'value', required: true, width: 12 },
] as const;

export async function kpiTemplate(db: Queryable, tenantId: string, planId: string): Promise<Buffer> {
  const { p, units, items } = await kpiRows(db, tenantId, planId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('业务指标');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  COLUMNS.forEach(
    (c, i) =>
      (ws.getRow(1).getCell(i + 1).font = c.required ? { bold: true, color: { argb: 'FFC8161D' } } : { bold: true }),
  );
  for (const u of units)
    for (const it of items)
      ws.addRow({
        org: u.orgName,
        indicator: it.name,
        target: it.target,
        unit: it.unit ?? '',
        value: u.kpi[it.key] ?? null,
      });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  wb.title = p.title;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function importKpi(db: Db, scope: Scope, planId: string, file: Buffer, fileName: string) {
  const { units, items } = await kpiRows(db, scope.tenantId, planId);
  if (items.length === 0) throw unprocessable('本次考核没有业务指标，不需要导入', undefined, 'ASSESS_NO_KPI');
  const sheet = await streamImportSheet(file, COLUMNS, MAX_ROWS, LIMITS);
  const errors: { row: number; field: string; message: string }[] = [];
  const good: KpiValue[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  for await (const { rowNo, raw: v } of sheet.rows) {
    rows++;
    const err = (field: string, message: string) => errors.push({ row: rowNo, field, message });
    const u = units.find((x) => x.orgName === v.org);
    const it = items.find((x) => x.name === v.indicator);
    if (!v.org) err('党组织', '请填写党组织名称');
    else if (!u) err('党组织', `「${v.org}」不是本次考核的党支部`);
    if (!v.indicator) err('指标', '请填写指标名称');
    else if (!it)
      err('指标', `「${v.indicator}」不是本次考核的业务指标，应为 ${items.map((i) => i.name).join('、')} 之一`);
    const text = (v.value ?? '').replace(/,/g, '').replace(/%$/, '');
    const value = Number(text);
    if (!text) err('指标值', '请填写指标值');
    else if (!Number.isFinite(value)) err('指标值', `「${v.value}」不是数字`);
    else if (value < 0) err('指标值', '指标值不能为负数');
    if (!u || !it || !text || !Number.isFinite(value) || value < 0) continue;
    const k = `${u.id}|${it.key}`;
    if (seen.has(k)) {
      err('指标', `与第 ${seen.get(k)} 行是同一党组织的同一指标`);
      continue;
    }
    seen.set(k, rowNo);
    good.push({ unitId: u.id, key: it.key, value });
  }
  if (rows === 0) throw noDataRows();
  refuseRowErrors(errors);
  const { written } = await writeKpi(db, scope, planId, good, 'import', fileName);
  return { imported: written };
}
