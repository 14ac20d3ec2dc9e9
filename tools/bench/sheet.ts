/**
 * A member-import workbook (the app's template columns) of N synthetic rows whose 身份证号 use a
 * region code the generator never uses, so they never collide with generated members.
 * Run as a child process by the bench (`node --import tsx tools/bench/sheet.ts N out.xlsx [seed]`),
 * so building 100k rows in ExcelJS does not count against the server's memory.
 */
import fs from 'node:fs';
import {
  DUES_CATEGORY_LABELS,
  GENDER_LABELS,
  idCardCheckChar,
  MEMBER_STATUS_LABELS,
  todayInChina,
} from '@xianfeng/shared';
import ExcelJS from 'exceljs';
import { randomMember, seededRandom } from '../../apps/server/src/demo/people';
import { COLUMNS } from '../../apps/server/src/modules/member/excel';

export async function buildImportSheet(rows: number, seed: number, file: string): Promise<void> {
  const rng = seededRandom(seed);
  const today = todayInChina();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('党员信息');
  ws.addRow(COLUMNS.map((c) => c.header)).commit();
  const seen = new Set<string>();
  for (let i = 0; i < rows; i++) {
    const m = randomMember(rng, '', { today, retired: rng.next() < 0.15 });
    let id = '';
    do {
      const body = `650102${m.birthDate.replace(/-/g, '')}${rng.int(0, 9)}${String(rng.int(0, 49) * 2 + (m.gender === 'male' ? 1 : 0)).padStart(2, '0')}`;
      id = body + idCardCheckChar(body);
    } while (seen.has(id));
    seen.add(id);
    const v: Record<string, string> = {
      name: m.name,
      gender: GENDER_LABELS[m.gender],
      birthDate: m.birthDate,
      idCardNo: id,
      phone: m.phone,
      joinedAt: m.joinedAt,
      status: MEMBER_STATUS_LABELS[m.status],
      fullAt: m.fullAt ?? '',
      ethnicity: m.ethnicity ?? '汉族',
      education: m.education ?? '',
      occupation: m.occupation ?? '',
      jobTitle: m.jobTitle ?? '',
      duesCategory: DUES_CATEGORY_LABELS[m.duesCategory],
      orgName: '',
    };
    ws.addRow(COLUMNS.map((c) => v[c.key] ?? '')).commit();
  }
  ws.commit();
  await wb.commit();
}

if (process.argv[1]?.endsWith('sheet.ts')) {
  const [n, out, seed] = process.argv.slice(2);
  if (!n || !out) throw new Error('usage: sheet.ts ROWS OUT.xlsx [SEED]');
  await buildImportSheet(Number(n), Number(seed ?? 7), out);
  console.log(`${out}: ${fs.statSync(out).size} bytes`);
}
