import type { SessionPolicy } from './auth';
import type { Config } from './config';
import type { FieldCrypto } from './crypto';
import type { Db } from './db';
import type { JobRunner } from './jobs';

/** What every module's routes are built with; created once at boot. */
export type Services = {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  config: Config;
  fieldCrypto: FieldCrypto;
  sessionPolicy: SessionPolicy;
  jobs: JobRunner;
};
