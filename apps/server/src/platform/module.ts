/**
 * What a business module gives the platform, in one object (the server's counterpart of the web's
 * WebModule in apps/web/src/platform/module.ts). The list of all of them is apps/server/src/modules/index.ts:
 * the HTTP app registers their routes, the demo runs their seeders, and the personal-data copy (PIPL) asks each
 * for its section — so adding a module is adding one line to that list. See docs/architecture.md.
 */
import type { DashboardParts, DashboardWarning, Role } from '@xianfeng/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OrgRef, Scope } from './access';
import type { Topic } from './cache';
import type { SealedColumn } from './crypto';
import type { Queryable, Tx } from './db';
import type { Background } from './jobs';
import type { Services } from './services';

export type DemoContext = { tx: Tx; tenantId: string; root: OrgRef; orgs: OrgRef[] };
/** Fills the module's own tables from the demo org tree (inside the demo's one transaction). */
export type DemoSeeder = (ctx: DemoContext) => Promise<void>;

/** Whose personal data is being copied: the signed-in account and, when it has one, its member record. */
export type PersonalDataContext = { scope: Scope; memberId: string | null };

/**
 * What a dashboard part is computed for: the 驾驶舱's org subtree as of `today` (Beijing), read through `db` (the
 * dashboard's read handle, possibly a replica: platform/replica.ts). `members` is the count of members on the roll of
 * the subtree — the dashboard's own member figure — given only to a part that asks for it (`overMembers`).
 */
export type DashboardContext = { db: Queryable; scope: Scope; today: string; members: number | null };

/** A part's figure and the warnings it raises (each linking to the page that fixes it). */
export type DashboardFigure<K extends keyof DashboardParts> = {
  value: DashboardParts[K];
  warnings?: DashboardWarning[];
};

type DashboardPartOf<K extends keyof DashboardParts> = {
  /** The key of the 驾驶舱's answer the figure goes under (shared/stats.ts `DashboardParts`). */
  key: K;
  /**
   * The change-feed topics of the tables the figure reads: the part is then kept on the result cache
   * (platform/cache.ts; the key has the tenant, org and day). Without topics it is computed on every request —
   * only for a figure whose tables are not on the feed and that is one indexed subtree query (say so).
   */
  topics?: readonly Topic[];
  /** The figure is a rate over the subtree's members: `ctx.members` is given (and is part of the cache key). */
  overMembers?: boolean;
  compute: (services: Services) => (ctx: DashboardContext) => Promise<DashboardFigure<K>>;
};
/** A module's part of the 驾驶舱 (modules/stats: the dashboard asks every module of the list for its part). */
export type DashboardPart = { [K in keyof DashboardParts]: DashboardPartOf<K> }[keyof DashboardParts];

/** Who may call a route: anyone, any signed-in account, or these roles. */
export type Allowed = 'public' | 'any' | readonly Role[];
/** The authorization matrix's entries, keyed `METHOD /path` as Fastify registers them. */
export type RouteMatrix = Record<string, Allowed>;

export interface ServerModule {
  /** The folder name under apps/server/src/modules. */
  name: string;
  routes: (services: Services) => FastifyPluginAsyncZod;
  /**
   * Who may call each of its routes, written a second time apart from the routes' `config.access` (its `authz.ts`):
   * platform/authz.test.ts requires the two to agree, requires the list to name exactly the module's routes, and
   * probes every route as every role from inside and outside its org subtree.
   */
  authz: RouteMatrix;
  /**
   * The module's background work (platform/jobs.ts): the kinds of job it queues, with the recurring schedule of
   * each daily sweep (`cron`), and its processors of domain events. Registered on the job runner when the app is built.
   */
  background?: (services: Services) => Background;
  /** The demo enterprise's data of this module. Seeders run in the order of the module list. */
  demo?: (services: Services) => DemoSeeder;
  /**
   * The module's part of the person's own data copy (PIPL art. 45): keys merged into the copy's `member`
   * object (records kept about the member) and into its top level (records of the account).
   */
  /**
   * Columns the module keeps sealed with `FieldCrypto` (personal numbers, letters, robot secrets): the start-up
   * pass rewrites any value of an older ciphertext version in them (platform/crypto.ts `resealFields`).
   */
  sealed?: SealedColumn[];
  /** The module's figure on the 驾驶舱 for an org subtree, computed through its own service. */
  dashboard?: DashboardPart;
  personalData?: {
    ofMember?: (
      services: Services,
      ctx: PersonalDataContext & { memberId: string },
    ) => Promise<Record<string, unknown>>;
    ofAccount?: (services: Services, ctx: PersonalDataContext) => Promise<Record<string, unknown>>;
  };
}
