/**
 * What a business module gives the platform, in one object (the server's counterpart of the web's
 * WebModule in apps/web/src/platform/module.ts). The list of all of them is apps/server/src/modules/index.ts:
 * the HTTP app registers their routes, the demo runs their seeders, and the personal-data copy (PIPL) asks each
 * for its section — so adding a module is adding one line to that list. See docs/architecture.md.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OrgRef, Scope } from './access';
import type { SealedColumn } from './crypto';
import type { Tx } from './db';
import type { Services } from './services';

export type DemoContext = { tx: Tx; tenantId: string; root: OrgRef; orgs: OrgRef[] };
/** Fills the module's own tables from the demo org tree (inside the demo's one transaction). */
export type DemoSeeder = (ctx: DemoContext) => Promise<void>;

/** Whose personal data is being copied: the signed-in account and, when it has one, its member record. */
export type PersonalDataContext = { scope: Scope; memberId: string | null };

export interface ServerModule {
  /** The folder name under apps/server/src/modules. */
  name: string;
  routes: (services: Services) => FastifyPluginAsyncZod;
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
  personalData?: {
    ofMember?: (
      services: Services,
      ctx: PersonalDataContext & { memberId: string },
    ) => Promise<Record<string, unknown>>;
    ofAccount?: (services: Services, ctx: PersonalDataContext) => Promise<Record<string, unknown>>;
  };
}
