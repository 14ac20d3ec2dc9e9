/**
 * An org admin's scope for benchmarks that call service functions directly (no HTTP): the service layer takes a
 * Scope, and what it reads of one is the tenant and the org. The principal and actor are placeholders — these
 * benches never write audited records.
 */
import { sql } from 'drizzle-orm';
import { loadOrgRef, type Scope } from '../../apps/server/src/platform/access';
import { queryRows, type Queryable } from '../../apps/server/src/platform/db';

/** The generated tenant's top org (the first root by number). */
export async function topOrg(db: Queryable) {
  const [top] = await queryRows<{ tenant_id: string; id: string }>(
    db,
    sql`select tenant_id, id from org where parent_id is null order by no limit 1`,
  );
  if (!top) throw new Error('no org: generate a tenant first (npm run gen)');
  return { tenantId: top.tenant_id, orgId: top.id };
}

export async function adminScope(db: Queryable, tenantId: string, orgId: string): Promise<Scope> {
  const org = await loadOrgRef(db, tenantId, orgId);
  if (!org) throw new Error(`org ${orgId} not found`);
  return {
    tenantId,
    org,
    role: 'admin',
    principal: {} as Scope['principal'],
    actor: { username: 'bench' } as Scope['actor'],
  };
}
