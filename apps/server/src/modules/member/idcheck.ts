/**
 * The 身份证号 duplicate check, without making it an oracle (security review #14, finding 2).
 *
 * One person is one member of the tenant, so a writer must be refused when the number already
 * belongs to a member anywhere. Where that member is inside the writer's own roster scope the
 * answer may say so (the writer can see them anyway). Elsewhere the answer says only that the
 * number is registered in another org — never where or who — and every such answer is charged to
 * the writer's daily budget and audited (`member.idcard.lookup`). With the budget spent, any
 * write whose numbers are not all inside the writer's scope is refused with 429 before it can
 * tell anything, so a file of candidate numbers learns at most a budget's worth a day.
 */
import { inGroup, nowMs, RECORD_READERS } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import type { ActingScope, Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { maskIdCard } from '../../platform/crypto';
import { queryRows, type Db, type Queryable } from '../../platform/db';
import { AppError } from '../../platform/errors';

/** Answers naming a number registered outside the writer's scope, per user and rolling 24 hours. */
export const ID_LOOKUP_PER_DAY = 10;
const WINDOW_MS = 24 * 3600_000;
const ACTION = 'member.idcard.lookup';

export const ELSEWHERE_MESSAGE =
  '该身份证号已在其他党组织登记（不在您的管理范围内），不能重复建档；如属组织关系转入，请由原组织办理转接';

/** The org paths whose rosters the writer reads: its reading bindings, or the acting org of a job. */
export function rosterPaths(scope: Scope | ActingScope): string[] {
  if ('principal' in scope)
    return scope.principal.bindings.filter((b) => inGroup(RECORD_READERS, b.role)).map((b) => b.org.path);
  return [scope.org.path];
}

export type IdWhere = { inside: Set<string>; outside: Set<string> };

/** Which of these blind indexes belong to a member inside `paths`, and which to one elsewhere in the tenant. */
export async function whereIdCards(db: Queryable, tenantId: string, paths: string[], idxs: string[]): Promise<IdWhere> {
  const found: IdWhere = { inside: new Set(), outside: new Set() };
  if (idxs.length === 0) return found;
  const patterns = paths.map((p) => `${p}%`);
  const rows = await queryRows<{ idx: string; inside: boolean }>(
    db,
    sql`select id_card_idx as idx, coalesce(org_path like any(${sql.param(patterns)}::text[]), false) as inside
        from member where tenant_id = ${tenantId} and id_card_idx = any(${sql.param(idxs)}::text[])`,
  );
  for (const r of rows) (r.inside ? found.inside : found.outside).add(r.idx);
  return found;
}

/** Budget already used by this user in the window. */
async function used(db: Queryable, tenantId: string, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select coalesce(sum((after->>'charged')::int), 0)::int as n from audit_log
        where tenant_id = ${tenantId} and at > ${new Date(nowMs() - WINDOW_MS)} and action = ${ACTION}
          and actor_id = ${userId}`,
  );
  return row?.n ?? 0;
}

const limitReached = () =>
  new AppError(
    429,
    'ID_LOOKUP_LIMIT',
    `今日已多次查到在其他党组织登记的身份证号（每日上限 ${ID_LOOKUP_PER_DAY} 次），暂停与其他组织的身份证号查重；请明日再试，或请上级组织办理`,
  );

/**
 * Settles what a write learned about numbers outside the writer's scope, before it answers:
 * `found` numbers were found elsewhere (`sample`: some of them, plain, for the masked audit
 * record); `open` says whether any number of the write was not inside the scope (a new number or
 * one elsewhere).
 * Within the budget it audits the answer and returns (the caller then refuses with
 * ELSEWHERE_MESSAGE); past it, or when the budget is spent and the write is not wholly inside,
 * it audits the refusal and throws 429.
 */
export async function settleOutsideLookups(
  db: Db,
  scope: Scope | ActingScope,
  via: string,
  found: number,
  sample: string[],
  open: boolean,
): Promise<void> {
  const userId = scope.actor.userId;
  if (!open || !userId) return;
  const refused = await db.transaction(async (tx) => {
    // One settlement per user at a time, so parallel writes cannot each spend the same budget.
    await queryRows(tx, sql`select id from app_user where tenant_id = ${scope.tenantId} and id = ${userId} for update`);
    const left = ID_LOOKUP_PER_DAY - (await used(tx, scope.tenantId, userId));
    if (found === 0 && left > 0) return false;
    const over = found > left || left <= 0;
    await writeAudit(tx, scope.actor, {
      action: ACTION,
      entityType: 'member',
      org: scope.org,
      after: {
        via,
        found,
        charged: over ? Math.max(left, 0) : found,
        refused: over,
        // Masked: enough to recognise a number in an investigation, not to read it.
        numbers: sample.slice(0, 50).map(maskIdCard),
      },
    });
    return over;
  });
  if (refused) throw limitReached();
}

/**
 * Refuses one 身份证号 that already belongs to a member: `inside` (the caller's own roster) as the
 * caller's error, elsewhere with ELSEWHERE_MESSAGE, charged and audited (see above).
 */
export async function assertIdCardFree(
  db: Db,
  scope: Scope | ActingScope,
  via: string,
  idCardNo: string,
  idx: string,
  inside: () => AppError,
): Promise<void> {
  const w = await whereIdCards(db, scope.tenantId, rosterPaths(scope), [idx]);
  if (w.inside.size) throw inside();
  await settleOutsideLookups(db, scope, via, w.outside.size, [idCardNo], true);
  if (w.outside.size)
    throw new AppError(409, 'MEMBER_EXISTS_ELSEWHERE', ELSEWHERE_MESSAGE, [
      { field: 'idCardNo', message: ELSEWHERE_MESSAGE },
    ]);
}
