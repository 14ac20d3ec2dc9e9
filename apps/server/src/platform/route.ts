/**
 * The shapes every module's routes repeat, written once. They keep each route's declaration explicit: `access` —
 * who may call (`roles`) and which org the call touches (`target`, whose subtree the scope mechanism checks) — is
 * still written at the route, and it is what `config.access` holds (the authorization matrix reads it there).
 *
 *   app.post('/supervise-commitments/:id/progress',
 *     onRecord({ access: { roles: 'any', target: recordOrg(orgOfCommitment) }, tags, summary: '…', body, response }),
 *     async (req) => reportProgress(db, scopeOf(req), req.params.id, req.body));
 */
import { Uuid } from '@xianfeng/shared';
import type { FastifySchema } from 'fastify';
import { z } from 'zod';
import type { Access, OrgTarget } from './access';

/** `:id` in the path, a UUID (a malformed one is answered with the platform's Chinese 400). */
export const byId = { params: z.object({ id: Uuid }) };

/** `?orgId=`, optional: a list over that org's subtree, or over the caller's own binding org without it. */
export const optionalOrg = { from: 'query' as const, key: 'orgId', optional: true };

/** The org of the record named by `:id`, found by `lookup` (null: 404); the caller must cover it. */
export const recordOrg = (lookup: NonNullable<OrgTarget['lookup']>) => ({ from: 'params' as const, key: 'id', lookup });

/** A route's options: its schema, and `access` (see above) as the first field beside it. */
export function declared<S extends FastifySchema & { access: Access }>({ access, ...schema }: S) {
  return { schema, config: { access } };
}

/** A route acting on one record, `:id` (`byId` joined to its schema). */
export function onRecord<S extends FastifySchema & { access: Access }>(options: S) {
  const { schema, config } = declared(options);
  return { schema: { ...schema, ...byId }, config };
}
