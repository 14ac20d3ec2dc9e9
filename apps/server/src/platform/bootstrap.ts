/** First start: the tenant, its root org and the `admin` account. */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ensureAuditHead, systemActor } from './audit';
import { hashPassword } from './auth';
import { queryRows, type Db } from './db';
import { tenant } from './schema';
import { insertOrg } from '../modules/org/service';
import { insertUser } from '../modules/user/service';

export type Bootstrapped = { created: boolean; tenantId: string; rootOrgId: string; adminPassword: string | null };

/** A random password that satisfies the policy (upper, lower, digit, symbol). */
export function randomPassword(): string {
  const body = crypto.randomBytes(9).toString('base64url');
  return `Xf-${body}7a`;
}

export async function bootstrap(
  db: Db,
  opts: { adminPassword?: string | undefined; tenantName: string; rootName: string },
): Promise<Bootstrapped> {
  await ensureAuditHead(db);
  const [row] = await queryRows<{ id: string; root: string }>(
    db,
    sql`select t.id, (select o.id from org o where o.tenant_id = t.id and o.parent_id is null order by o.no limit 1) as root from tenant t order by t.created_at limit 1`,
  );
  if (row) return { created: false, tenantId: row.id, rootOrgId: row.root, adminPassword: null };

  const adminPassword = opts.adminPassword ?? randomPassword();
  const passwordHash = await hashPassword(adminPassword);
  return db.transaction(async (tx) => {
    const [t] = await tx.insert(tenant).values({ name: opts.tenantName }).returning();
    const actor = systemActor(t!.id);
    const root = await insertOrg(tx, actor, t!.id, null, { name: opts.rootName, kind: 'committee' });
    await insertUser(
      tx,
      actor,
      t!.id,
      {
        username: 'admin',
        password: adminPassword,
        displayName: '系统管理员',
        roles: [{ role: 'admin', orgId: root.id }],
        mustChangePassword: true,
      },
      passwordHash,
    );
    return { created: true, tenantId: t!.id, rootOrgId: root.id, adminPassword };
  });
}
