/**
 * Member accounts: each member of a subtree without a login gets one (username = phone),
 * with a random initial password that must be changed at first login. The list of initial
 * passwords is handed back once, as a spreadsheet for the secretary to distribute.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { hashPassword } from '../../platform/auth';
import { randomPassword } from '../../platform/bootstrap';
import type { FieldCrypto } from '../../platform/crypto';
import type { Db } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { appUser, org } from '../../platform/schema';
import { insertUser } from '../user/service';
import { member } from './schema';

export const MAX_ACCOUNTS_PER_RUN = 500;

export async function createMemberAccounts(db: Db, fc: FieldCrypto, scope: Scope) {
  const candidates = await db
    .select({ id: member.id, name: member.name, orgId: member.orgId, orgName: org.name, phoneEnc: member.phoneEnc })
    .from(member)
    .innerJoin(org, eq(org.id, member.orgId))
    .where(and(eq(member.tenantId, scope.tenantId), isNull(member.userId), isNull(member.leftAt), sql`${org.path} like ${`${scope.org.path}%`}`));
  if (candidates.length > MAX_ACCOUNTS_PER_RUN)
    throw unprocessable(`一次最多开通 ${MAX_ACCOUNTS_PER_RUN} 个账号（本次 ${candidates.length} 人），请按党支部分批开通`, undefined, 'TOO_MANY_ACCOUNTS');
  const withPhone = candidates.map((c) => ({ ...c, phone: fc.decrypt(c.phoneEnc) }));
  const taken = new Set(
    withPhone.length
      ? (await db.select({ u: appUser.username }).from(appUser).where(inArray(sql`lower(${appUser.username})`, withPhone.map((c) => c.phone)))).map((r) => r.u)
      : [],
  );
  const created: { name: string; orgName: string; username: string; password: string }[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const prepared: { c: (typeof withPhone)[number]; password: string; hash: string }[] = [];
  for (const c of withPhone) {
    if (taken.has(c.phone)) {
      skipped.push({ name: c.name, reason: `手机号 ${c.phone.slice(0, 3)}****${c.phone.slice(-4)} 已被其他账号使用` });
      continue;
    }
    taken.add(c.phone);
    const password = randomPassword();
    prepared.push({ c, password, hash: await hashPassword(password) });
  }
  await db.transaction(async (tx) => {
    for (const { c, password, hash } of prepared) {
      const user = await insertUser(tx, scope.actor, scope.tenantId, { username: c.phone, password, displayName: c.name, roles: [{ role: 'member', orgId: c.orgId }], mustChangePassword: true }, hash);
      await tx.update(member).set({ userId: user.id }).where(eq(member.id, c.id));
      created.push({ name: c.name, orgName: c.orgName, username: c.phone, password });
    }
    await writeAudit(tx, scope.actor, { action: 'member.accounts', entityType: 'member', org: scope.org, after: { created: created.length, skipped: skipped.length } });
  });
  return { created, skipped };
}

export async function accountsWorkbook(r: Awaited<ReturnType<typeof createMemberAccounts>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员账号');
  ws.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '所在组织', key: 'orgName', width: 24 },
    { header: '登录名（手机号）', key: 'username', width: 16 },
    { header: '初始密码', key: 'password', width: 20 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const c of r.created) ws.addRow(c);
  if (r.skipped.length) {
    const s = wb.addWorksheet('未开通');
    s.columns = [
      { header: '姓名', key: 'name', width: 12 },
      { header: '原因', key: 'reason', width: 40 },
    ];
    for (const k of r.skipped) s.addRow(k);
  }
  const note = wb.addWorksheet('说明');
  note.addRow(['初始密码仅在此表中出现一次，请妥善分发；党员首次登录须修改密码。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
