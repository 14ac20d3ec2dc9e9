/**
 * 党费 in Excel: the payroll import of 核定基数 (all-or-nothing, errors by row and column, like
 * the member import) and the export of the ledger, bills, payments, remittances, usage and the
 * reconciliation.
 */
import {
  DUES_BILL_STATUS_LABELS,
  DUES_CATEGORY_LABELS,
  DUES_CATEGORIES,
  fenToYuan,
  MAX_MONTHLY_BASE_FEN,
  PAYMENT_CHANNEL_LABELS,
  PAYMENT_STATUS_LABELS,
  PHONE_REVEALERS,
  type DuesCategory,
} from '@xianfeng/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  noDataRows,
  refuseRowErrors,
  streamImportSheet,
  type ImportLimits,
  type RowError,
} from '../../platform/sheets';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import { onKey, type Db } from '../../platform/db';
import { org } from '../../platform/schema';
import { member, revealPhones } from '../member/service';
import { arrears, ledger, listRemittances, listUsages, reconciliation, type ArrearsRow } from './ledger';
import { listPayments } from './payments';
import { getSettings, listBills, writeBase } from './service';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_BASE_IMPORT_ROWS = 50_000;
/**
 * What a dues-base import may unpack to (checked before parsing, platform/sheets.ts): 50,000 rows of its
 * few columns are about 20 MB of XML. The parsing worker's heap and time: 256 MB and 120 s; past them the worker
 * ends with a 422, never the server.
 */
export const BASE_IMPORT_LIMITS: ImportLimits = {
  entries: 64,
  sheet: 48 * 1024 * 1024,
  sharedStrings: 16 * 1024 * 1024,
  other: 8 * 1024 * 1024,
  total: 64 * 1024 * 1024,
  heapMb: 256,
  parseSeconds: 120,
};

const COLUMNS = [
  { header: '姓名', key: 'name', required: true, width: 12 },
  { header: '身份证号', key: 'idCardNo', required: true, width: 22, note: '用于匹配党员，请设为文本格式' },
  {
    header: '月核定基数（元）',
    key: 'base',
    required: true,
    width: 18,
    note: '税后工资扣除社保、公积金、年金后的月收入；离退休为离退休费',
  },
  { header: '生效月份', key: 'month', required: true, width: 12, note: '如 2026-01（新基数自该月起适用）' },
  {
    header: '党费类别',
    key: 'category',
    required: false,
    width: 12,
    note: `${Object.values(DUES_CATEGORY_LABELS).join(' / ')}；留空为党员信息中的类别`,
  },
  { header: '备注', key: 'note', required: false, width: 20 },
] as const;

const CATEGORY_BY_LABEL = Object.fromEntries(Object.entries(DUES_CATEGORY_LABELS).map(([k, v]) => [v, k])) as Record<
  string,
  DuesCategory
>;

export async function baseTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党费基数');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    cell.font = c.required ? { bold: true, color: { argb: 'FFC8161D' } } : { bold: true };
    if ('note' in c) cell.note = c.note;
  });
  ws.addRow(['张三', '11010119850601001X', '6500.00', '2026-01', '在职', '']);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** "6500", "6,500.5", "6500.50" 元 → 分; a message when it is not a plausible amount. */
export function yuanToFen(text: string): number | string {
  const t = text.replace(/[,，\s]/g, '').replace(/元$/, '');
  if (t === '') return '请填写月核定基数';
  if (/^-/.test(t)) return '月核定基数不能为负数';
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return `「${text}」不是有效的金额（单位：元，最多两位小数）`;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  if (fen > MAX_MONTHLY_BASE_FEN) return '月核定基数超过 100 万元，请核对';
  return fen;
}

export async function importBases(db: Db, fc: FieldCrypto, scope: Scope, file: Buffer, fileName: string) {
  const sheet = await streamImportSheet(file, COLUMNS, MAX_BASE_IMPORT_ROWS, BASE_IMPORT_LIMITS);
  const raw: { rowNo: number; v: Partial<Record<(typeof COLUMNS)[number]['key'], string>> }[] = [];
  for await (const { rowNo, raw: v } of sheet.rows) raw.push({ rowNo, v });
  if (raw.length === 0) throw noDataRows();

  // Members of the importer's subtree, found by the blind index of their ID number.
  const idxs = [...new Set(raw.map((r) => fc.blindIndex(r.v.idCardNo!.toUpperCase())))];
  const found = new Map<string, typeof member.$inferSelect>();
  for (let i = 0; i < idxs.length; i += 5000) {
    const rows = await db
      .select({ m: member })
      .from(member)
      .innerJoin(org, onKey(org, member.orgId, member))
      .where(
        and(
          eq(member.tenantId, scope.tenantId),
          inArray(member.idCardIdx, idxs.slice(i, i + 5000)),
          isNull(member.leftAt),
          sql`${org.path} like ${`${scope.org.path}%`}`,
        ),
      );
    for (const r of rows) found.set(r.m.idCardIdx, r.m);
  }

  const errors: RowError[] = [];
  const good: {
    rowNo: number;
    m: typeof member.$inferSelect;
    base: number;
    month: string;
    category?: DuesCategory;
    note?: string;
  }[] = [];
  const seen = new Map<string, number>();
  for (const { rowNo, v } of raw) {
    const err = (field: string, message: string) => errors.push({ row: rowNo, field, message });
    const before = errors.length;
    if (!v.name) err('姓名', '请填写姓名');
    let m: typeof member.$inferSelect | undefined;
    if (!v.idCardNo) err('身份证号', '请填写身份证号');
    else if (/E\+\d+$/i.test(v.idCardNo))
      err('身份证号', '身份证号被 Excel 存为科学计数法，请将该列设为文本格式后重新填写');
    else {
      m = found.get(fc.blindIndex(v.idCardNo.toUpperCase()));
      if (!m) err('身份证号', '找不到该身份证号的党员，或不在您的管理范围内');
      else if (v.name && m.name !== v.name) err('姓名', `与身份证号对应的党员姓名「${m.name}」不一致`);
    }
    const base = yuanToFen(v.base ?? '');
    if (typeof base === 'string') err('月核定基数（元）', base);
    const month = /^\d{4}-\d{2}-\d{2}$/.test(v.month ?? '')
      ? v.month!.slice(0, 7)
      : (v.month ?? '').replace(/[/.年]/, '-').replace(/月$/, '');
    const mm = /^(\d{4})-(\d{1,2})$/.exec(month);
    const monthOk = mm && Number(mm[2]) >= 1 && Number(mm[2]) <= 12;
    if (!monthOk) err('生效月份', `「${v.month ?? ''}」不是有效的月份，请填写如 2026-01`);
    let category: DuesCategory | undefined;
    if (v.category) {
      category =
        CATEGORY_BY_LABEL[v.category] ??
        (DUES_CATEGORIES.includes(v.category as DuesCategory) ? (v.category as DuesCategory) : undefined);
      if (!category)
        err(
          '党费类别',
          `「${v.category}」不是有效的党费类别，应为 ${Object.values(DUES_CATEGORY_LABELS).join('、')} 之一`,
        );
    }
    if (errors.length > before || !m || typeof base === 'string' || !monthOk) continue;
    const ym = `${mm[1]}-${mm[2]!.padStart(2, '0')}`;
    const key = `${m.id}|${ym}`;
    if (seen.has(key)) {
      err('身份证号', `与第 ${seen.get(key)} 行是同一党员的同一生效月份`);
      continue;
    }
    seen.set(key, rowNo);
    good.push({
      rowNo,
      m,
      base,
      month: ym,
      ...(category ? { category } : {}),
      ...(v.note ? { note: v.note.slice(0, 200) } : {}),
    });
  }
  refuseRowErrors(errors);
  const settings = await getSettings(db, scope.tenantId);
  const imported = await db.transaction(async (tx) => {
    for (const g of good)
      await writeBase(
        tx,
        scope.actor,
        scope.tenantId,
        g.m,
        scope.org,
        { monthlyBaseFen: g.base, effectiveFrom: g.month, category: g.category, note: g.note },
        'import',
        settings,
        false,
      );
    await writeAudit(tx, scope.actor, {
      action: 'dues.base.import',
      entityType: 'dues_base',
      org: scope.org,
      after: { fileName, rows: good.length },
    });
    return good.length;
  });
  return { imported };
}

const yuan = (fen: number) => Number(fenToYuan(fen));

/** Everything of a subtree and year in one workbook (amounts in 元 with two decimals). */
export async function exportWorkbook(db: Db, scope: Scope, year: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const money = { numFmt: '#,##0.00' };
  const sheet = (name: string, cols: { header: string; key: string; width: number; money?: boolean }[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = cols.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.width,
      ...(c.money ? { style: money } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    return ws;
  };

  const l = await ledger(db, scope, year);
  const ls = sheet('月度台账', [
    { header: '月份', key: 'month', width: 10 },
    { header: '应缴（元）', key: 'billed', width: 14, money: true },
    { header: '已缴（元）', key: 'paid', width: 14, money: true },
    { header: '未缴（元）', key: 'unpaid', width: 14, money: true },
    { header: '实收（元）', key: 'collected', width: 14, money: true },
    { header: '其中自愿多交', key: 'extra', width: 14, money: true },
    { header: '上缴（元）', key: 'remitted', width: 14, money: true },
    { header: '使用（元）', key: 'used', width: 14, money: true },
    { header: '结余（元）', key: 'balance', width: 14, money: true },
  ]);
  ls.addRow({ month: '上年结转', balance: yuan(l.openingFen) });
  for (const i of l.items)
    ls.addRow({
      month: i.month,
      billed: yuan(i.billedFen),
      paid: yuan(i.paidBillsFen),
      unpaid: yuan(i.unpaidFen),
      collected: yuan(i.collectedFen),
      extra: yuan(i.extraFen),
      remitted: yuan(i.remittedFen),
      used: yuan(i.usedFen),
      balance: yuan(i.balanceFen),
    });
  ls.addRow({
    month: '合计',
    billed: yuan(l.totals.billedFen),
    paid: yuan(l.totals.paidBillsFen),
    unpaid: yuan(l.totals.unpaidFen),
    collected: yuan(l.totals.collectedFen),
    extra: yuan(l.totals.extraFen),
    remitted: yuan(l.totals.remittedFen),
    used: yuan(l.totals.usedFen),
    balance: yuan(l.totals.closingFen),
  }).font = { bold: true };

  const bs = sheet('党费账单', [
    { header: '月份', key: 'month', width: 10 },
    { header: '组织', key: 'org', width: 22 },
    { header: '姓名', key: 'name', width: 12 },
    { header: '类别', key: 'category', width: 10 },
    { header: '基数（元）', key: 'base', width: 14, money: true },
    { header: '比例', key: 'rate', width: 8 },
    { header: '标准（元）', key: 'standard', width: 12, money: true },
    { header: '应缴（元）', key: 'due', width: 12, money: true },
    { header: '状态', key: 'status', width: 8 },
  ]);
  for (let page = 1; page <= 500; page++) {
    const { items } = await listBills(db, scope.tenantId, scope.org.path, {}, page, 200);
    const inYear = items.filter((b) => b.month.startsWith(String(year)));
    for (const b of inYear)
      bs.addRow({
        month: b.month,
        org: b.orgName,
        name: b.memberName,
        category: DUES_CATEGORY_LABELS[b.category as DuesCategory] ?? b.category,
        base: yuan(b.baseFen),
        rate: b.rateBp ? `${b.rateBp / 100}%` : '定额',
        standard: yuan(b.standardFen),
        due: yuan(b.dueFen),
        status: DUES_BILL_STATUS_LABELS[b.status],
      });
    if (items.length < 200 || (items.length > 0 && items.at(-1)!.month < `${year}-01`)) break;
  }

  const ps = sheet('缴费记录', [
    { header: '收据号', key: 'receipt', width: 22 },
    { header: '组织', key: 'org', width: 22 },
    { header: '姓名', key: 'name', width: 12 },
    { header: '方式', key: 'channel', width: 10 },
    { header: '金额（元）', key: 'amount', width: 12, money: true },
    { header: '其中自愿多交', key: 'extra', width: 12, money: true },
    { header: '所缴月份', key: 'months', width: 30 },
    { header: '状态', key: 'status', width: 12 },
    { header: '支付时间', key: 'paidAt', width: 22 },
    { header: '交易号', key: 'trade', width: 30 },
  ]);
  for (let page = 1; page <= 500; page++) {
    const { items } = await listPayments(db, scope.tenantId, scope.org.path, {}, page, 200);
    for (const p of items.filter((x) => (x.paidAt ?? x.createdAt).startsWith(String(year))))
      ps.addRow({
        receipt: p.receiptNo ?? '',
        org: p.orgName,
        name: p.memberName,
        channel: PAYMENT_CHANNEL_LABELS[p.channel],
        amount: yuan(p.amountFen),
        extra: yuan(p.extraFen),
        months: p.months.join('、'),
        status: PAYMENT_STATUS_LABELS[p.status],
        paidAt: p.paidAt ?? '',
        trade: p.providerTradeNo ?? '',
      });
    if (items.length < 200) break;
  }

  const rs = sheet('上缴记录', [
    { header: '上缴日期', key: 'on', width: 12 },
    { header: '所属期', key: 'period', width: 10 },
    { header: '上缴组织', key: 'org', width: 22 },
    { header: '接收组织', key: 'to', width: 22 },
    { header: '金额（元）', key: 'amount', width: 12, money: true },
    { header: '备注', key: 'note', width: 20 },
  ]);
  for (const r of (await listRemittances(db, scope, { year }, 1, 10_000)).items)
    rs.addRow({
      on: r.remittedOn,
      period: r.periodMonth,
      org: r.orgName,
      to: r.toOrgName ?? '',
      amount: yuan(r.amountFen),
      note: r.note ?? '',
    });

  const us = sheet('党费使用', [
    { header: '日期', key: 'on', width: 12 },
    { header: '组织', key: 'org', width: 22 },
    { header: '用途', key: 'purpose', width: 30 },
    { header: '金额（元）', key: 'amount', width: 12, money: true },
    { header: '状态', key: 'status', width: 10 },
    { header: '审批人', key: 'by', width: 14 },
  ]);
  for (const u of (await listUsages(db, scope, { year }, 1, 10_000)).items)
    us.addRow({
      on: u.spentOn,
      org: u.orgName,
      purpose: u.purpose,
      amount: yuan(u.amountFen),
      status: { pending: '待审批', approved: '已批准', rejected: '已驳回' }[u.status] ?? u.status,
      by: u.decidedBy ?? '',
    });

  const rec = await reconciliation(db, scope, `${year}-01`, `${year}-12`, 1, 100_000);
  const cs = sheet('对账', [
    { header: '组织', key: 'org', width: 26 },
    { header: '应缴', key: 'billed', width: 12, money: true },
    { header: '已缴', key: 'paid', width: 12, money: true },
    { header: '未缴', key: 'unpaid', width: 12, money: true },
    { header: '减免', key: 'exempted', width: 12, money: true },
    { header: '实收', key: 'collected', width: 12, money: true },
    { header: '上缴', key: 'out', width: 12, money: true },
    { header: '收到下级上缴', key: 'in', width: 14, money: true },
    { header: '使用', key: 'used', width: 12, money: true },
    { header: '结余', key: 'net', width: 12, money: true },
  ]);
  for (const r of rec.items)
    cs.addRow({
      org: `${'  '.repeat(Math.max(0, r.depth - 1))}${r.orgName}`,
      billed: yuan(r.billedFen),
      paid: yuan(r.paidBillsFen),
      unpaid: yuan(r.unpaidFen),
      exempted: yuan(r.exemptedFen),
      collected: yuan(r.collectedFen),
      out: yuan(r.remittedOutFen),
      in: yuan(r.remittedInFen),
      used: yuan(r.usedFen),
      net: yuan(r.netFen),
    });
  const t = rec.totals;
  cs.addRow({
    org: '合计',
    billed: yuan(t.billedFen),
    paid: yuan(t.paidBillsFen),
    unpaid: yuan(t.unpaidFen),
    exempted: yuan(t.exemptedFen),
    collected: yuan(t.collectedFen),
    out: yuan(t.remittedOutFen),
    in: yuan(t.remittedInFen),
    used: yuan(t.usedFen),
    net: yuan(t.netFen),
  }).font = { bold: true };
  cs.addRow({});
  for (const c of rec.checks)
    cs.addRow({ org: `${c.ok ? '✔' : '✘'} ${c.label}`, billed: yuan(c.expectedFen), paid: yuan(c.actualFen) });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** At most this many members in one arrears export (a branch has ≤ 50; a committee may have thousands). */
export const MAX_ARREARS_EXPORT = 5000;

/**
 * 欠缴名单 for calling members: who, where, how much, since when and their phone. A secretary or
 * the org department (PHONE_REVEALERS) gets full numbers, written to the audit log as one reveal of
 * every member in the file; anyone else who may read the list gets them masked.
 */
export async function arrearsWorkbook(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
  minMonths: number,
): Promise<{ file: Buffer; count: number; full: boolean }> {
  const rows: ArrearsRow[] = [];
  let asOf = '';
  for (let page = 1; rows.length < MAX_ARREARS_EXPORT; page++) {
    const r = await arrears(db, fc, scope, { minMonths }, page, 200);
    asOf = r.asOf;
    rows.push(...r.items);
    if (r.items.length < 200) break;
  }
  rows.splice(MAX_ARREARS_EXPORT);
  const full = (PHONE_REVEALERS as readonly string[]).includes(scope.role);
  const phones = full
    ? await db.transaction((tx) =>
        revealPhones(
          tx,
          fc,
          scope,
          rows.map((r) => r.memberId),
          `导出欠缴名单（${minMonths} 个月以上，统计至 ${asOf}）`,
        ),
      )
    : new Map<string, string>();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('欠缴名单');
  ws.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '手机号', key: 'phone', width: 15 },
    { header: '所在组织', key: 'org', width: 24 },
    { header: '未交月数', key: 'unpaid', width: 10 },
    { header: '连续未交', key: 'consecutive', width: 10 },
    { header: '最早欠缴', key: 'oldest', width: 10 },
    { header: '欠缴（元）', key: 'owed', width: 12, style: { numFmt: '#,##0.00' } },
    { header: '说明', key: 'message', width: 60 },
    { header: '联系情况（手填）', key: 'note', width: 24 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows)
    ws.addRow({
      name: r.memberName,
      phone: phones.get(r.memberId) ?? r.phone,
      org: r.orgName,
      unpaid: r.unpaidMonths,
      consecutive: r.consecutiveMonths,
      oldest: r.oldestUnpaidMonth,
      owed: yuan(r.owedFen),
      message: r.message,
    });
  ws.getColumn('phone').numFmt = '@';
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), count: rows.length, full };
}
