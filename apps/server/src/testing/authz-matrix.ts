/**
 * The authorization matrix: who may call each route, written down once more, by hand, apart
 * from the routes themselves — each module's entries in its own `authz.ts` (its manifest's `authz`), the
 * platform's few here. authz.test.ts checks that every route's declared access equals its entry (a permission
 * change needs both edits, so it is never an accident), that a module's list names exactly the routes it
 * registers, that a new route without an entry fails the suite, and probes each route as every role, from
 * inside and outside its org subtree, and anonymously.
 */
import type { Allowed, RouteMatrix } from '../platform/module';
import { MODULES } from '../modules';

export type { Allowed };

/** The routes the platform registers itself (app.ts, platform/member-home.ts), outside any module. */
export const PLATFORM_MATRIX: RouteMatrix = {
  'GET /api/openapi.json': 'public',
  'GET /api/health': 'public',
  // Grants nothing: each of its reads is the module's own route, checked as its own request (platform/member-home.ts).
  'GET /api/v1/me/home': 'any',
};

export const AUTHZ_MATRIX: RouteMatrix = Object.assign({}, PLATFORM_MATRIX, ...MODULES.map((m) => m.authz));

/**
 * Routes that check a 身份证号 for duplicates across the tenant (security review #14, finding 2).
 * Each must answer a number of a member outside the caller's scope without saying where or who,
 * charge it to the caller's daily budget and audit it (member/idcheck.ts). authz.test.ts probes
 * each with a foreign member's number, and fails when a route whose body takes `idCardNo` is
 * missing here.
 */
export const ID_NUMBER_ROUTES = [
  'POST /api/v1/members',
  'PATCH /api/v1/members/:id',
  'POST /api/v1/members/import',
  'POST /api/v1/develop/persons',
] as const;

/**
 * Body fields that name orgs besides the route's own target (security review #14, finding 1: a
 * joint activity naming the committee above reached every member under it). Each must be within
 * the caller's authority; authz.test.ts probes each with an org of another subtree (403), and
 * fails when the OpenAPI document shows an org field that is neither the route's target, listed
 * here, nor in ANY_ORG_FIELDS with the reason any org of the tenant is right.
 */
export const SECONDARY_ORG_FIELDS: Record<string, string> = {
  'POST /api/v1/meetings': 'jointOrgIds',
  'PATCH /api/v1/meetings/:id': 'jointOrgIds',
  'POST /api/v1/users': 'roles[].orgId',
  // 互动: a member writes only to their own org or one above; a transfer goes only to an org the caller manages.
  'POST /api/v1/voice/opinions': 'orgId',
  'POST /api/v1/voice/letters': 'orgId',
  'POST /api/v1/voice-opinions/:id/transfer': 'orgId',
};
export const ANY_ORG_FIELDS: Record<string, string> = {
  // 组织关系转接 goes to any org of the tenant; the receiving org confirms it (transfers/:id/decision).
  'POST /api/v1/members/:id/transfers': 'toOrgId',
  // 流动党员's 流入地党组织 (一方隶属、参加多重组织生活) may be any branch of the tenant, like a transfer's receiving org;
  // only its name is answered (flowhost.test).
  'POST /api/v1/members/:id/flow/host': 'hostOrgId',
  // 互动's public link: the org of the link an employee opened; the one-time code must belong to it.
  'POST /api/v1/public/voice/code': 'orgId',
  'POST /api/v1/public/voice/opinions': 'orgId',
  'POST /api/v1/public/voice/surveys/:id/responses': 'orgId',
};
