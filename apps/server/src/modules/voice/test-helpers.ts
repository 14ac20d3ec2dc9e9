/** Helpers for the voice API tests: member accounts with known names, and scanning answers for identities. */
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import type { TestApp } from '../../testing/harness';

/**
 * Gives `n` members of `orgName` without an account an account named `${prefix}1…n`, renamed
 * `names[i]` when given (so a test can look for that name in every answer). Password: the demo's.
 */
export async function memberAccounts(
  t: TestApp,
  orgName: string | { id: string },
  prefix: string,
  names: string[] = [],
  n = names.length,
) {
  const orgId = typeof orgName === 'string' ? await t.orgId(orgName) : orgName.id;
  const [hash] = await queryRows<{ password_hash: string }>(
    t.services.db,
    sql`select password_hash from app_user where username = 'dangyuan'`,
  );
  const members = await queryRows<{ id: string; name: string }>(
    t.services.db,
    sql`select id, name from member where org_id = ${orgId} and user_id is null and left_at is null and status = 'full' order by id limit ${n}`,
  );
  assert.equal(members.length, n, `not enough members without accounts in ${JSON.stringify(orgName)}`);
  const out: { username: string; userId: string; memberId: string; name: string; token: string }[] = [];
  for (const [i, m] of members.entries()) {
    const username = `${prefix}${i + 1}`;
    const name = names[i] ?? m.name;
    const [u] = await queryRows<{ id: string }>(
      t.services.db,
      sql`insert into app_user (tenant_id, username, display_name, password_hash, must_change_password)
          values (${t.tenantId}, ${username}, ${name}, ${hash!.password_hash}, false) returning id`,
    );
    await t.services.db.execute(
      sql`insert into user_role (tenant_id, user_id, role, org_id) values (${t.tenantId}, ${u!.id}, 'member', ${orgId})`,
    );
    await t.services.db.execute(sql`update member set user_id = ${u!.id}, name = ${name} where id = ${m.id}`);
    out.push({ username, userId: u!.id, memberId: m.id, name, token: await t.login(username) });
  }
  return out;
}

/** The identity strings of a person that must never show up next to their anonymous act. */
export type Identity = { userId: string; username: string; name: string; memberId: string };
const needles = (p: Identity) => [p.userId, p.username, p.name, p.memberId];

export function assertNoIdentity(what: string, text: string, p: Identity) {
  for (const n of needles(p)) assert.ok(!text.includes(n), `${what} contains ${n}`);
}

/** Every cell of every sheet of an .xlsx, as one text. */
export async function xlsxText(raw: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.text)))));
  return cells.join('\n');
}

/** A file download through the full stack: status and bytes. */
export async function download(t: TestApp, url: string, token: string) {
  // The personal-data copy is a POST (security finding 14.14: it is audited, and no GET writes).
  const method = url.startsWith('/api/v1/me/personal-data') ? 'POST' : 'GET';
  const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.rawPayload, text: res.body };
}
