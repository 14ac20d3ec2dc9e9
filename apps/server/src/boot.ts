/**
 * Starts Xianfeng from an environment: config → database (+migrations) → first-start
 * bootstrap and demo data → HTTP. Used by main.ts, the e2e harness and tools.
 */
import { buildApp } from './app';
import cluster from 'node:cluster';
import crypto from 'node:crypto';
import { DEMO_USERS, seedDemo } from './demo/seed';
import { demoSeeders } from './demo/seeders';
import { MODULES } from './modules';
import { renamePhoneLogins } from './modules/member/accounts';
import { bootstrap } from './platform/bootstrap';
import { loadConfig, type Config } from './platform/config';
import {
  auditKeyMatches,
  checkpointFile,
  readCheckpoints,
  upgradeAuditChain,
  useAuditKeys,
  writeCheckpoint,
} from './platform/audit';
import { installationFieldCrypto, loadSecretMaterial, resealFields } from './platform/crypto';
import { openDatabase } from './platform/db';
import type { Services } from './platform/services';
import { JobRunner } from './platform/jobs';
import { registerTestTick } from './platform/holdpoint';
import pino from 'pino';

export type Login = { username: string; password: string; role: string; note?: string };
export type Running = {
  url: string;
  services: Services;
  logins: Login[];
  /** True when this start created the database content. */
  created: boolean;
  /** What start-up warned the operator about (each logged once, at level warn): a setting that is probably wrong. */
  warnings: string[];
  close(): Promise<void>;
};

/**
 * What the operator should hear about at start: settings that work but are probably wrong for a real installation.
 * Plain English, one sentence each, naming the variable and what to set.
 */
export function startupWarnings(env: Record<string, string | undefined>, config: Config): string[] {
  const warnings: string[] = [];
  if (!env.XF_PUBLIC_URL?.trim())
    warnings.push(
      `XF_PUBLIC_URL is not set, so the links in e-mails, SMS and group-robot messages and the QR codes printed on volunteer certificates point at ${config.notify.publicUrl}, ` +
        'which phones and other computers usually cannot open. Set XF_PUBLIC_URL to the address your users open (for example https://dangjian.example.cn).',
    );
  return warnings;
}

export async function boot(
  env: Record<string, string | undefined>,
  opts: { logTo?: pino.DestinationStream } = {},
): Promise<Running> {
  const config = loadConfig(env);
  const logger = opts.logTo ? pino({ level: config.logLevel }, opts.logTo) : pino({ level: config.logLevel });
  // On PostgreSQL the start-up lock is held until the demo is seeded: processes started together wait in turn.
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    directUrl: config.databaseDirectUrl,
    readUrl: config.databaseReadUrl,
    readWaitMs: config.readWaitMs,
    warn: (msg) => logger.warn(msg),
    poolMax: config.dbPoolMax,
    holdStartupLock: true,
    dataDir: config.dataDir,
  });
  // The audit chain is keyed with the installation secret (outside the database); an old unkeyed chain
  // is verified and re-keyed once (security review #14, finding 4).
  useAuditKeys(loadSecretMaterial(config.secretKey, config.dataDir));
  // Every process on one database must have the same secret (issue 26): one with another key would chain audit
  // entries nobody else can verify and seal fields nobody else can read. The newest entry tells.
  if ((await auditKeyMatches(database.db)) === false) {
    await database.close();
    throw new Error(
      'XF_SECRET_KEY（或数据目录中的 secret.key）与写入此数据库的密钥不一致：同一数据库上的每个服务进程必须使用同一个 XF_SECRET_KEY。' +
        ' The secret key (XF_SECRET_KEY or XF_DATA_DIR/secret.key) is not the one this database was written with: give every server process the same XF_SECRET_KEY' +
        ' (or, if the keys are the same, the newest audit entry was altered: run npm run audit:verify).',
    );
  }
  const upgraded = await upgradeAuditChain(database.db, readCheckpoints(checkpointFile(config.dataDir)));
  if (upgraded === 'upgraded') logger.info('audit chain re-keyed (version 2)');
  else if (upgraded !== 'current')
    logger.error({ audit: upgraded }, 'audit chain NOT re-keyed: npm run audit:verify names the problem');
  const services: Services = {
    db: database.db,
    dbKind: database.kind,
    config,
    fieldCrypto: installationFieldCrypto(config.secretKey, config.dataDir),
    sessionPolicy: { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs },
    jobs: new JobRunner(database.db, logger, { exclusive: database.kind === 'pglite' }),
  };
  // Values sealed in the first ciphertext format get the current one, bound to their row and column (security
  // review #14, finding 11). Batched and resumable; nothing to do after the first start on this version.
  const resealed = await resealFields(
    database.db,
    services.fieldCrypto,
    MODULES.flatMap((m) => m.sealed ?? []),
    (column, done) => logger.info({ column, done }, 'resealing sensitive fields'),
  );
  if (resealed) logger.info({ resealed }, 'sensitive fields resealed (ciphertext version 2)');
  const first = await bootstrap(database.db, {
    adminPassword: config.adminPassword,
    tenantName: '我的企业',
    rootName: '党委',
  });
  // Member accounts opened when usernames were phone numbers get a login name (security review #14, finding 6).
  const renamed = await renamePhoneLogins(database.db);
  if (renamed) logger.info({ renamed }, 'member accounts named by phone renamed to login names');
  // Demo accounts get XF_DEMO_PASSWORD or a random password of this installation, printed once (security review #14, finding 7).
  const demoPassword = config.demoPassword ?? `Demo-${crypto.randomBytes(9).toString('base64url')}-7a`;
  if (first.created && config.demo)
    await seedDemo(database.db, first.tenantId, first.rootOrgId, demoSeeders(services), demoPassword);
  await database.startupDone?.();

  const logins: Login[] = [];
  if (first.adminPassword)
    logins.push({ username: 'admin', password: first.adminPassword, role: 'admin', note: '首次登录须修改密码' });
  else if (config.adminPassword)
    logins.push({
      username: 'admin',
      password: config.adminPassword,
      role: 'admin',
      note: '若已修改过密码，以修改后的为准',
    });
  if (config.demo && (first.created || config.demoPassword))
    for (const u of DEMO_USERS)
      logins.push({ username: u.username, password: demoPassword, role: u.role, note: `演示账号 · ${u.displayName}` });

  // Signed checkpoints of the chain's head, outside the database: at start, every XF_AUDIT_CHECKPOINT_MIN and at close.
  const checkpoint = async () => {
    try {
      const { checkpoint, written } = await writeCheckpoint(database.db, config.dataDir);
      if (written) logger.info({ auditCheckpoint: checkpoint }, 'audit checkpoint');
    } catch (err) {
      logger.error({ err }, 'audit checkpoint failed');
    }
  };
  await checkpoint();
  const checkpointTimer = setInterval(() => void checkpoint(), config.auditCheckpointMs);
  checkpointTimer.unref();

  // Logged once per installation start: with XF_WORKERS=N only the first worker says it.
  const warnings = startupWarnings(env, config);
  if (!cluster.isWorker || cluster.worker?.id === 1) for (const w of warnings) logger.warn(w);

  const app = await buildApp(services);
  registerTestTick(services.jobs);
  await services.jobs.start(config.jobPollMs);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    services,
    logins,
    created: first.created,
    warnings,
    async close() {
      await app.close();
      await services.jobs.stop();
      clearInterval(checkpointTimer);
      await checkpoint();
      await database.close();
    },
  };
}
