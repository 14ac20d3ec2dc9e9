/**
 * What a survey and a vote share — a "round": held by an org for an audience (audience roles at orgs in its
 * subtree), a draft until published, then upcoming, open and ended by its window. Each file keeps its own table,
 * views, wording and what is answered; the steps that are the same for both live here once: the org the caller
 * reaches a round through, loading it, its keepers publishing and closing it, who may see it, its audience's
 * list, and the checks before a person answers.
 */
import { inGroup, now, RECORD_KEEPERS, type Role, type SurveyState } from '@xianfeng/shared';
import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { type Caller, inSubtree, loadBindings, pathPrefixes, type Principal, type Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import { onKey, type Db, type Queryable, type Tx } from '../../platform/db';
import { type AppError, notFound } from '../../platform/errors';
import { countFrom, pageWhere } from '../../platform/paging';
import { appUser, org, userRole } from '../../platform/schema';
import { readsOrg } from './common';
import type { voiceSurvey, voiceVote } from './schema';

type RoundTable = typeof voiceSurvey | typeof voiceVote;
type Eligible = { audienceRoles: Role[]; orgPath: string };

export function stateOf(s: { publishedAt: Date | null; opensAt: Date; closesAt: Date }, at = now()): SurveyState {
  if (!s.publishedAt) return 'draft';
  if (at < s.opensAt) return 'upcoming';
  if (at < s.closesAt) return 'open';
  return 'ended';
}

/** The caller's binding that makes them part of the audience: an audience role at an org in the subtree. */
export const eligibleBinding = (bindings: Principal['bindings'], s: Eligible) =>
  bindings.find((b) => s.audienceRoles.includes(b.role) && b.org.path.startsWith(s.orgPath));

/**
 * A round's audience as its publish notice reaches it and its per-branch results count it: the enabled accounts
 * bound with an audience role at a live org of its subtree — one row per such binding (a person may have several),
 * in tree order.
 */
export function audienceBindings(db: Queryable, r: { tenantId: string; orgPath: string; audienceRoles: Role[] }) {
  if (!r.audienceRoles.length) return Promise.resolve([]);
  return db
    .select({ userId: userRole.userId, path: org.path })
    .from(userRole)
    .innerJoin(org, onKey(org, userRole.orgId, userRole))
    .innerJoin(appUser, onKey(appUser, userRole.userId, userRole))
    .where(
      and(
        eq(org.tenantId, r.tenantId),
        inSubtree(org.path, r.orgPath),
        inArray(userRole.role, r.audienceRoles),
        eq(appUser.disabled, false),
        sql`${org.dissolvedAt} is null`,
      ),
    )
    .orderBy(asc(org.path), asc(userRole.userId));
}

/** How a round speaks: its name in audit actions and events, and its errors in its own words. */
export interface RoundWords {
  /** `voice.<name>.publish`, entity `voice_<name>`, event `voice.<name>.published` with `<name>Id`. */
  name: 'survey' | 'vote';
  published: () => AppError;
  windowPast: () => AppError;
  /** Closing a draft; closing one already ended. */
  draft: () => AppError;
  closed: () => AppError;
  /** Answering: a reader of the org outside the audience; before the window; after it. */
  notAudience: () => AppError;
  notOpen: () => AppError;
  ended: () => AppError;
}

/**
 * The shared steps over one round table. `view` is the file's own response shape of a row; the table's row type
 * `R` is named by the caller (the two tables' rows differ beyond the shared columns).
 */
export function roundKit<T extends RoundTable, R extends T['$inferSelect'], V>(
  table: T,
  words: RoundWords,
  view: (db: Queryable, row: R, p: Principal) => Promise<V>,
) {
  const t = table as RoundTable;
  const byId = (tenantId: string, id: string) => and(eq(t.tenantId, tenantId), eq(t.id, id));

  async function load(db: Queryable, tenantId: string, id: string, lock = false): Promise<R> {
    const q = db.select().from(t).where(byId(tenantId, id));
    const [row] = lock ? await q.for('update') : await q;
    if (!row) throw notFound();
    return row as R;
  }

  /** For the access layer: the audience reaches a round from their own binding org; managers through its org. */
  async function orgOf(db: Queryable, tenantId: string, id: string, caller: Caller): Promise<string | null> {
    const [r] = await db
      .select({ orgId: t.orgId, orgPath: t.orgPath, audienceRoles: t.audienceRoles, publishedAt: t.publishedAt })
      .from(t)
      .where(byId(tenantId, id));
    if (!r) return null;
    const b = r.publishedAt ? eligibleBinding(await loadBindings(db, tenantId, caller.userId), r) : undefined;
    return b?.org.id ?? r.orgId;
  }

  /** Whether the caller keeps the round's records (a keeper at its org or above): who may change it. */
  const keeps = (scope: Scope, r: R) =>
    scope.principal.bindings.some((b) => inGroup(RECORD_KEEPERS, b.role) && r.orgPath.startsWith(b.org.path));

  /** A keeper's change, on the round locked for the transaction; others get 404. */
  function manage<U>(db: Db, scope: Scope, id: string, fn: (r: R, tx: Tx) => Promise<U>): Promise<U> {
    return db.transaction(async (tx) => {
      const r = await load(tx, scope.tenantId, id, true);
      if (!keeps(scope, r)) throw notFound();
      return fn(r, tx);
    });
  }

  /** Sets columns of a round and returns the updated row. */
  async function update(tx: Tx, r: R, set: { publishedAt?: Date; opensAt?: Date; closesAt?: Date }): Promise<R> {
    const [u] = await tx.update(t).set(set).where(byId(r.tenantId, r.id)).returning();
    return u as R;
  }

  const audit = (r: R) => ({
    entityType: `voice_${words.name}`,
    entityId: r.id,
    org: { id: r.orgId, path: r.orgPath },
  });

  /** Publishes a draft whose window has not passed; the audience is told through the event. */
  const publish = (db: Db, scope: Scope, id: string) =>
    manage(db, scope, id, async (r, tx) => {
      if (r.publishedAt) throw words.published();
      if (r.closesAt <= now()) throw words.windowPast();
      const u = await update(tx, r, { publishedAt: now() });
      await writeAudit(tx, scope.actor, {
        action: `voice.${words.name}.publish`,
        ...audit(r),
        after: { opensAt: r.opensAt, closesAt: r.closesAt },
        event: {
          kind: `voice.${words.name}.published`,
          data: { [`${words.name}Id`]: r.id, orgId: r.orgId, audienceRoles: r.audienceRoles },
        },
      });
      return view(tx, u, scope.principal);
    });

  /** Ends a published round now (one not yet open ends before it opens). */
  const close = (db: Db, scope: Scope, id: string) =>
    manage(db, scope, id, async (r, tx) => {
      const state = stateOf(r);
      if (state === 'draft') throw words.draft();
      if (state === 'ended') throw words.closed();
      const at = now();
      const u = await update(tx, r, { closesAt: at, ...(state === 'upcoming' ? { opensAt: at } : {}) });
      await writeAudit(tx, scope.actor, {
        action: `voice.${words.name}.close`,
        ...audit(r),
        before: { closesAt: r.closesAt },
        after: { closesAt: at },
      });
      return view(tx, u, scope.principal);
    });

  /** Who sees a round: readers of its org, and its audience once it is published. */
  const sees = (scope: Scope, r: R) =>
    readsOrg(scope, { path: r.orgPath, tenantId: r.tenantId }) ||
    Boolean(r.publishedAt && eligibleBinding(scope.principal.bindings, r));

  /** One round for whoever sees it; else 404. */
  async function get(db: Queryable, scope: Scope, id: string): Promise<V> {
    const r = await load(db, scope.tenantId, id);
    if (!sees(scope, r)) throw notFound();
    return view(db, r, scope.principal);
  }

  /** The rounds of the scope's subtree (and these further conditions), newest first. */
  const listed = (db: Queryable, scope: Scope, page: number, pageSize: number, ...more: (SQL | undefined)[]) =>
    pageWhere(
      db.select().from(t).$dynamic(),
      countFrom(db, t),
      and(eq(t.tenantId, scope.tenantId), inSubtree(t.orgPath, scope.org.path), ...more),
      [desc(t.createdAt), asc(t.id)],
      page,
      pageSize,
    ) as Promise<{ items: R[]; total: number }>;

  /**
   * The published rounds whose audience the caller is in, closing after `after`, by closing time (`soonest`
   * first or `latest` first).
   */
  async function ofAudience(db: Queryable, scope: Scope, after: Date, order: 'soonest' | 'latest'): Promise<R[]> {
    const p = scope.principal;
    const paths = [...new Set(p.bindings.flatMap((b) => pathPrefixes(b.org.path)))];
    if (paths.length === 0) return [];
    const rows = await db
      .select()
      .from(t)
      .where(
        and(
          eq(t.tenantId, scope.tenantId),
          inArray(t.orgPath, paths),
          isNotNull(t.publishedAt),
          sql`${t.closesAt} > ${after}`,
        ),
      )
      .orderBy(order === 'soonest' ? asc(t.closesAt) : desc(t.closesAt), asc(t.id));
    return (rows as R[]).filter((r) => eligibleBinding(p.bindings, r));
  }

  /**
   * Before a member answers: in the audience (a reader of the org outside it is told so; anyone else gets 404)
   * and inside the window. Returns the binding that makes them part of the audience.
   */
  function checkAnswering(scope: Scope, r: R) {
    const binding = r.publishedAt ? eligibleBinding(scope.principal.bindings, r) : undefined;
    if (!binding) {
      if (readsOrg(scope, { path: r.orgPath, tenantId: r.tenantId })) throw words.notAudience();
      throw notFound();
    }
    checkWindow(r);
    return binding;
  }

  function checkWindow(r: R) {
    const state = stateOf(r);
    if (state === 'upcoming') throw words.notOpen();
    if (state === 'ended') throw words.ended();
  }

  return {
    load,
    orgOf,
    keeps,
    manage,
    update,
    publish,
    close,
    sees,
    get,
    listed,
    ofAudience,
    checkAnswering,
    checkWindow,
  };
}
