/**
 * Member import files made the way a user would make them: the downloaded template, its
 * example row removed, one row per synthetic member (valid 身份证号 with the GB 11643 check
 * digit). Used by the API import tests and the browser e2e tests.
 */
import { GENDER_LABELS, MEMBER_STATUS_LABELS, todayInChina, type MemberInput } from '@xianfeng/shared';
import ExcelJS from 'exceljs';
import { randomMember, seededRandom } from '../demo/people';

/** Demo branches the rows are spread over (by name, in the 所属组织 column). */
export const SHEET_BRANCHES = ['第一发电厂党支部', '研发中心党支部', '设计院党支部', '雄安项目部党支部'];

export type SheetOptions = {
  /** Sheet row (header = 1) whose ID number gets a wrong check digit. */
  breakRow?: number | undefined;
  seed?: number;
  branches?: readonly string[];
  /** Changes one generated member before it is written (e.g. a name the test searches for). */
  edit?: (row: number, m: MemberInput) => MemberInput;
};

/** An .xlsx of `n` members built on the import template (the bytes of GET /members/import-template). */
export async function memberSheet(template: ArrayBuffer | Buffer, n: number, opts: SheetOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  ws.spliceRows(2, 1); // drop the example row
  const rng = seededRandom(opts.seed ?? 4242);
  const branches = opts.branches ?? SHEET_BRANCHES;
  const seen = new Set<string>();
  let added = 0;
  while (added < n) {
    let m = randomMember(rng, 'x', { today: todayInChina() });
    if (seen.has(m.idCardNo)) continue;
    seen.add(m.idCardNo);
    added += 1;
    const row = added + 1;
    if (opts.edit) m = opts.edit(row, m);
    const idCard =
      row === opts.breakRow ? m.idCardNo.slice(0, 17) + (m.idCardNo.endsWith('0') ? '1' : '0') : m.idCardNo;
    ws.addRow([
      m.name,
      GENDER_LABELS[m.gender],
      m.birthDate,
      idCard,
      m.phone,
      m.joinedAt,
      MEMBER_STATUS_LABELS[m.status],
      m.fullAt ?? '',
      m.ethnicity,
      m.education,
      m.occupation,
      m.jobTitle,
      '在职',
      branches[added % branches.length],
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The cell texts of the first sheet of an .xlsx, row by row (for checking exports). */
export async function sheetRows(file: ArrayBuffer | Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((r) => {
    const values = r.values as ExcelJS.CellValue[];
    out.push(values.slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}
