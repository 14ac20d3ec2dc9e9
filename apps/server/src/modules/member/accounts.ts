/**
 * Member accounts: each member of a subtree without a login gets one, with a random initial
 * password that must be changed at first login. The list of initial passwords is handed back once,
 * as a spreadsheet for the secretary to distribute.
 *
 * Login names are not personal data (security review #14, finding 6): a generated `dy` + 8
 * characters, never the phone number — usernames show in account lists and audit entries that
 * masked viewers read. Members still sign in with their phone: `userIdByPhone` finds the account
 * through the phone's blind index. `renamePhoneLogins` (run at every start) renames accounts
 * opened before, whose username was the phone.
 */
import crypto from 'node:crypto';
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Scope } from '../../platform/access';
import { systemActor, writeAudit } from '../../platform/audit';
import { hashPassword } from '../../platform/auth';
import { randomPassword } from '../../platform/bootstrap';
import { maskPhone, phoneShaped, type FieldCrypto } from '../../platform/crypto';
import { queryRows, type Db, type Queryable, onKey } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { org, tenant } from '../../platform/schema';
import { insertUser } from '../user/service';
import { member, memberTransfer } from './schema';

// No 0/o, 1/l/i: read aloud and typed from a printed list.
const LOGIN_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
/** A member's login name: `dy` (党员) + 8 random characters, about 2^40 names; never personal data. */
export function newLoginName(): string {
  const bytes = crypto.randomBytes(8);
  return `dy${Array.from(bytes, (b) => LOGIN_ALPHABET[b % LOGIN_ALPHABET.length]).join('')}`;
}

/**
 * The account behind a phone number typed at login: the current member with that phone (blind
 * index) who has an account. None or more than one (a shared number, or the same number in two
 * tenants) → null: the login name still works, a phone that names two people opens neither.
 */
export async function userIdByPhone(db: Queryable, fc: FieldCrypto, typed: string): Promise<string | null> {
  const ids = await userIdsByPhone(db, fc, typed);
  return ids.length === 1 ? ids[0]! : null;
}

/** The accounts of current members with this phone (at most 3: login only needs to tell one from several). */
export async function userIdsByPhone(db: Queryable, fc: FieldCrypto, typed: string): Promise<string[]> {
  const phone = phoneShaped(typed);
  if (!phone) return [];
  const rows = await db
    .select({ userId: member.userId })
    .from(member)
    // Per tenant (a nested loop over the few tenants), so the (tenant_id, phone_idx) index serves it.
    .where(
      and(
        inArray(member.tenantId, db.select({ id: tenant.id }).from(tenant)),
        eq(member.phoneIdx, fc.blindIndex(phone)),
        isNotNull(member.userId),
        isNull(member.leftAt),
      ),
    )
    .limit(3);
  return [...new Set(rows.map((r) => r.userId!))];
}

/**
 * Renames member accounts whose username is a phone number (opened before finding 6 was fixed) to a
 * generated login name, in one transaction per account with an audit entry that names neither the
 * old name nor the number; transfers that recorded the old name as requester or decider follow.
 * The members keep signing in with their phone. Returns how many were renamed.
 */
export async function renamePhoneLogins(db: Db): Promise<number> {
  const rows = await queryRows<{ id: string; tenant_id: string | null; username: string }>(
    db,
    sql`select u.id, u.tenant_id, u.username from app_user u
        where u.username ~ '^[+]?(86)?1[0-9]{10}$' and exists (select 1 from member m where m.user_id = u.id)`,
  );
  for (const u of rows) {
    await db.transaction(async (tx) => {
      let name = newLoginName();
      while ((await queryRows(tx, sql`select 1 from app_user where lower(username) = ${name}`)).length)
        name = newLoginName();
      await tx.execute(sql`update app_user set username = ${name} where id = ${u.id}`);
      await tx.update(memberTransfer).set({ requestedBy: name }).where(eq(memberTransfer.requestedBy, u.username));
      await tx.update(memberTransfer).set({ decidedBy: name }).where(eq(memberTransfer.decidedBy, u.username));
      await writeAudit(tx, systemActor(u.tenant_id), {
        action: 'user.rename',
        entityType: 'user',
        entityId: u.id,
        before: { username: maskPhone(phoneShaped(u.username) ?? u.username) },
        after: { username: name, reason: '登录名不再使用手机号（安全评审 #14 第 6 项），仍可用手机号登录' },
      });
    });
  }
  return rows.length;
}

export const MAX_ACCOUNTS_PER_RUN = 500;

export async function createMemberAccounts(db: Db, scope: Scope) {
  const candidates = await db
    .select({ id: member.id, name: member.name, orgId: member.orgId, orgName: org.name, phoneIdx: member.phoneIdx })
    .from(member)
    .innerJoin(org, onKey(org, member.orgId, member))
    .where(
      and(
        eq(member.tenantId, scope.tenantId),
        isNull(member.userId),
        isNull(member.leftAt),
        sql`${org.path} like ${`${scope.org.path}%`}`,
      ),
    )
    // The sheet handed to the secretary lists the accounts in roster order (org, then name).
    .orderBy(sql`${org.path} collate "C"`, sql`${member.name} collate "C"`, member.id);
  if (candidates.length > MAX_ACCOUNTS_PER_RUN)
    throw unprocessable(
      `一次最多开通 ${MAX_ACCOUNTS_PER_RUN} 个账号（本次 ${candidates.length} 人），请按党支部分批开通`,
      undefined,
      'TOO_MANY_ACCOUNTS',
    );
  // A phone shared with another member who has (or gets) an account cannot sign in by phone: the
  // list says so, the login name works.
  const phoneIdxs = candidates.map((c) => c.phoneIdx);
  const withAccount = new Set(
    (
      await queryRows<{ phone_idx: string }>(
        db,
        sql`select phone_idx from member where tenant_id = ${scope.tenantId} and user_id is not null and left_at is null`,
      )
    ).map((r) => r.phone_idx),
  );
  const seen = new Map<string, number>();
  for (const i of phoneIdxs) seen.set(i, (seen.get(i) ?? 0) + 1);
  const taken = new Set(
    (await queryRows<{ u: string }>(db, sql`select lower(username) as u from app_user where username like 'dy%'`)).map(
      (r) => r.u,
    ),
  );
  const created: { name: string; orgName: string; username: string; password: string; byPhone: string }[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const prepared: {
    c: (typeof candidates)[number];
    username: string;
    password: string;
    hash: string;
    byPhone: boolean;
  }[] = [];
  for (const c of candidates) {
    let username = newLoginName();
    while (taken.has(username)) username = newLoginName();
    taken.add(username);
    const password = randomPassword();
    const byPhone = !withAccount.has(c.phoneIdx) && seen.get(c.phoneIdx) === 1;
    prepared.push({ c, username, password, hash: await hashPassword(password), byPhone });
  }
  await db.transaction(async (tx) => {
    for (const { c, username, password, hash, byPhone } of prepared) {
      const user = await insertUser(
        tx,
        scope.actor,
        scope.tenantId,
        {
          username,
          password,
          displayName: c.name,
          roles: [{ role: 'member', orgId: c.orgId }],
          mustChangePassword: true,
        },
        hash,
      );
      await tx
        .update(member)
        .set({ userId: user.id })
        .where(and(eq(member.tenantId, scope.tenantId), eq(member.id, c.id)));
      created.push({
        name: c.name,
        orgName: c.orgName,
        username,
        password,
        byPhone: byPhone ? '可用' : '不可用（手机号与他人相同，请用登录名）',
      });
    }
    await writeAudit(tx, scope.actor, {
      action: 'member.accounts',
      entityType: 'member',
      org: scope.org,
      after: { created: created.length, skipped: skipped.length },
    });
  });
  return { created, skipped };
}

export async function accountsWorkbook(r: Awaited<ReturnType<typeof createMemberAccounts>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员账号');
  ws.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '所在组织', key: 'orgName', width: 24 },
    { header: '登录名', key: 'username', width: 14 },
    { header: '初始密码', key: 'password', width: 20 },
    { header: '手机号登录', key: 'byPhone', width: 30 },
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
  note.addRow(['登录时可填写登录名，也可直接填写本人在党员信息中登记的手机号。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
