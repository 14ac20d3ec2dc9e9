/**
 * Export for the 全国党员管理信息系统 bulk import: the subtree's members and orgs in the column layout and code
 * tables of packages/shared/src/official.ts, so nothing is typed twice. The import needs full 身份证号 and phone
 * numbers: only org admins may export, and each export is audited (who, which org, how many rows).
 */
import {
  EDUCATION_CODES,
  ETHNICITY_CODES,
  GENDER_CODES,
  GENDER_LABELS,
  MEMBER_STATUS_LABELS,
  OFFICIAL_DATE,
  OFFICIAL_EXPORT_SOURCE,
  OFFICIAL_MEMBER_COLUMNS,
  OFFICIAL_ORG_COLUMNS,
  ORG_KIND_LABELS,
  todayInChina,
} from '@xianfeng/shared';
import ExcelJS from 'exceljs';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { FieldCrypto } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { rosterPages } from '../member/service';
import { orgsAsOf } from '../org/service';

export async function officialWorkbook(
  db: Db,
  fc: FieldCrypto,
  scope: Scope,
): Promise<{ file: Buffer; members: number; orgs: number }> {
  const today = todayInChina();
  const wb = new ExcelJS.Workbook();
  wb.creator = '先锋智慧党建平台';
  const ms = wb.addWorksheet('党员信息');
  ms.addRow([...OFFICIAL_MEMBER_COLUMNS]);
  const all = await orgsAsOf(db, scope.tenantId, scope.org.path, today);
  const byId = new Map(all.map((o) => [o.id, o]));
  // A member filed in a 党小组 belongs to its branch (所在党支部).
  const branchOf = (orgId: string) => {
    const o = byId.get(orgId);
    return o?.kind === 'group' && o.parent_id ? (byId.get(o.parent_id)?.name ?? o.name) : (o?.name ?? '');
  };
  let n = 0;
  for await (const page of rosterPages(db, fc, scope, {}, 2000, true))
    for (const m of page) {
      n += 1;
      ms.addRow([
        n,
        m.name,
        GENDER_CODES[m.gender],
        GENDER_LABELS[m.gender],
        m.idCardNo,
        ETHNICITY_CODES[m.ethnicity] ?? '',
        m.ethnicity,
        OFFICIAL_DATE(m.birthDate),
        m.education ? (EDUCATION_CODES[m.education] ?? '') : '',
        m.education ?? '',
        m.occupation ?? '',
        branchOf(m.orgId),
        OFFICIAL_DATE(m.joinedAt),
        OFFICIAL_DATE(m.fullAt),
        MEMBER_STATUS_LABELS[m.status],
        m.jobTitle ?? '',
        m.phone,
        m.flowing ? '是' : '否',
      ]);
    }
  const os = wb.addWorksheet('党组织信息');
  os.addRow([...OFFICIAL_ORG_COLUMNS]);
  const live = all.filter((o) => o.existed && o.kind !== 'group');
  live.forEach((o, i) =>
    os.addRow([
      i + 1,
      o.name,
      ORG_KIND_LABELS[o.kind],
      o.parent_id ? (byId.get(o.parent_id)?.name ?? '') : '',
      '',
      '',
      '',
      '',
    ]),
  );
  for (const ws of [ms, os]) {
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((c) => (c.width = 16));
    // Codes and ID numbers stay text (leading zeros, 18 digits).
    ws.eachRow((row) => row.eachCell((cell) => (cell.numFmt = '@')));
  }
  const note = wb.addWorksheet('说明');
  note.addRow(['用途', '导入全国党员管理信息系统（批量导入）；党员信息含完整身份证号和手机号，请妥善保管，用后删除']);
  note.addRow(['范围', `${scope.org.name} 及全部下级组织的在册党员（含停止党籍的，不含已出党的）；导出日期 ${today}`]);
  note.addRow([
    '代码',
    '性别：GB/T 2261.1（1 男，2 女）；民族：GB/T 3304（01 汉族 …）；学历：GB/T 4658（10 研究生，20 大学本科，30 大学专科，40 中专，60 高中，70 初中及以下）',
  ]);
  note.addRow([
    '来源',
    `${OFFICIAL_EXPORT_SOURCE.citation}${OFFICIAL_EXPORT_SOURCE.confirmed ? '' : '。列的顺序和日期格式尚未与系统导入模板核实，导入前请对照当年的模板调整'}`,
  ]);
  note.getColumn(1).width = 10;
  note.getColumn(2).width = 100;
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  await db.transaction((tx) =>
    writeAudit(tx, scope.actor, {
      action: 'stats.official_export',
      entityType: 'org',
      entityId: scope.org.id,
      org: scope.org,
      after: { members: n, orgs: live.length },
    }),
  );
  return { file, members: n, orgs: live.length };
}
