/**
 * A real server for API tests: a fresh database (in-memory PGlite, or a new database on the
 * PostgreSQL named by XF_TEST_PG_URL), the demo enterprise, and requests through Fastify's
 * full stack via inject.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed';
import { demoSeeders } from '../demo/seeders';
import { bootstrap } from '../platform/bootstrap';
import { loadConfig } from '../platform/config';
import { createFieldCrypto } from '../platform/crypto';
import { useAuditKeys } from '../platform/audit';
import { openDatabase } from '../platform/db';
import type { Services } from '../platform/services';
import { JobRunner } from '../platform/jobs';
import pino from 'pino';
import { readSeed, SEED_ADMIN_PASSWORD, TEST_AUDIT_SECRET } from './seed';
import { feedOf } from '../platform/cache';

export const ADMIN_PASSWORD = SEED_ADMIN_PASSWORD;
export { TEST_AUDIT_SECRET };
export { DEMO_PASSWORD };

// Replies are asserted field by field in tests; typing every shape here would only repeat the schemas.
// `raw` is the body as text, `rawPayload` as bytes (a video, an image).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any; headers: Record<string, unknown>; raw: string; rawPayload: Buffer };

export type TestApp = {
  app: FastifyInstance;
  services: Services;
  tenantId: string;
  rootOrgId: string;
  /** Signs a user in and returns a bearer token. */
  login(username: string, password?: string): Promise<string>;
  request(opts: {
    method: InjectOptions['method'];
    url: string;
    token?: string | undefined;
    body?: unknown;
    headers?: Record<string, string>;
  }): Promise<Reply>;
  orgId(name: string): Promise<string>;
  /** The member record of a demo account (`dangyuan` → 陈志远's member id). */
  memberId(username: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * The `skip` option of a test's embedded-database variant in a PostgreSQL run (XF_TEST_PG_URL): `npm test` runs
 * every file on PGlite first, so its PostgreSQL pass runs only the PostgreSQL variants of the slow process-level
 * tests (crash, scheduler, backup) instead of repeating the embedded ones.
 */
export const embeddedRunsElsewhere =
  Boolean(process.env.XF_TEST_PG_URL) && 'the embedded variant runs in the PGlite pass';

/**
 * Set by tools/test.mjs for its PostgreSQL pass (XF_TEST_SWEEP=light): the exhaustive sweeps of the app's own code —
 * many fuzz runs per route, every allowed role of every route — ran in full in the PGlite pass; on PostgreSQL each
 * route is swept once (what can differ there is the SQL, its types and concurrency, not the role check).
 */
export const lightSweep = process.env.XF_TEST_SWEEP === 'light';

/** A new database on the PostgreSQL named by XF_TEST_PG_URL (a copy of `template` when given), or null. */
export async function freshPostgres(template?: string | null): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.XF_TEST_PG_URL;
  if (!base) return null;
  const name = `xf_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * `log`: capture the server's log lines at that level (default: silent). `publicRatePerMin`: the
 * per-address limit on public routes (default: high enough never to bite; tests of the limit set it).
 */
export async function startTestApp(
  opts: {
    demo?: boolean;
    log?: { level: string; stream: NodeJS.WritableStream };
    /** Serve slow cached results stale as production does (platform/cache.ts); off so figures are exact. */
    staleReads?: boolean;
    /** The per-address limit on public routes (default: high enough never to bite; tests of the limit set it). */
    publicRatePerMin?: number;
    /** Further environment for loadConfig (e.g. XF_METRICS_TOKEN). */
    env?: Record<string, string>;
    /**
     * A PostgreSQL of the test's own (e.g. a primary with a streaming replica, replica.test.ts) instead of a fresh
     * database on XF_TEST_PG_URL; no seeded copy (use `demo: false`); left as it is at close.
     */
    postgres?: { url: string; readUrl?: string; readWaitMs?: number; warn?: (msg: string) => void };
  } = {},
): Promise<TestApp> {
  // With the demo, copy the run's seeded database (testing/seed.ts) instead of seeding it again.
  const seed = opts.demo === false || opts.postgres ? null : readSeed();
  const own = opts.postgres;
  const pgdb = own ? { url: own.url, drop: async () => {} } : await freshPostgres(seed?.pgTemplate);
  // Tests sign in far more often than people; the limit itself is tested in http.test.ts.
  const config = loadConfig({
    XF_WEB_DIST: '/nonexistent',
    XF_DATA_DIR: '/nonexistent',
    XF_PUBLIC_RATE_PER_MIN: String(opts.publicRatePerMin ?? 100_000),
    XF_LOG_LEVEL: opts.log?.level ?? 'silent',
    ...opts.env,
  });
  // Dropping the test database at the end terminates its connections: expected, not news.
  const database = await openDatabase({
    databaseUrl: pgdb?.url,
    readUrl: own?.readUrl,
    ...(own?.readWaitMs === undefined ? {} : { readWaitMs: own.readWaitMs }),
    ...(own?.warn ? { warn: own.warn } : {}),
    dataDir: null,
    onIdleError: () => {},
    ...(seed && !pgdb ? { loadDataDir: new Blob([fs.readFileSync(seed.tarball)]) } : {}),
  });
  // The audit chain's keys: one fixed test secret for every test app and seed (the key is per process).
  useAuditKeys(TEST_AUDIT_SECRET);
  const services: Services = {
    db: database.db,
    dbKind: database.kind,
    config: { ...config, databaseUrl: pgdb?.url },
    fieldCrypto: createFieldCrypto(seed?.masterKey ?? crypto.randomBytes(32)),
    sessionPolicy: { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs },
    jobs: new JobRunner(
      database.db,
      opts.log ? pino({ level: config.logLevel }, opts.log.stream) : pino({ level: config.logLevel }),
      { exclusive: database.kind === 'pglite' },
    ),
  };
  const first = seed
    ? { tenantId: seed.tenantId, rootOrgId: seed.rootOrgId }
    : await bootstrap(database.db, { adminPassword: ADMIN_PASSWORD, tenantName: '测试企业', rootName: '党委' });
  if (!seed && opts.demo !== false) await seedDemo(database.db, first.tenantId, first.rootOrgId, demoSeeders(services));
  const feed = feedOf(database.db);
  if (feed && !opts.staleReads) feed.staleAfterMs = Infinity;
  const app = await buildApp(services, { logStream: opts.log?.stream });
  await app.ready();
  await services.jobs.start(200);

  const request: TestApp['request'] = async ({ method, url, token, body, headers }) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined
        ? {}
        : typeof body === 'string' || Buffer.isBuffer(body)
          ? { payload: body }
          : { payload: body as object }),
    });
    let parsed: unknown = undefined;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, headers: res.headers, raw: res.body, rawPayload: res.rawPayload };
  };

  return {
    app,
    services,
    tenantId: first.tenantId,
    rootOrgId: first.rootOrgId,
    request,
    async login(username, password = username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) {
      const r = await request({ method: 'POST', url: '/api/v1/auth/login', body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.raw}`);
      return r.body.token as string;
    },
    async orgId(name) {
      const { queryRows } = await import('../platform/db');
      const { sql } = await import('drizzle-orm');
      const [row] = await queryRows<{ id: string }>(database.db, sql`select id from org where name = ${name}`);
      if (!row) throw new Error(`no org named ${name}`);
      return row.id;
    },
    async memberId(username) {
      const { queryRows } = await import('../platform/db');
      const { sql } = await import('drizzle-orm');
      const [row] = await queryRows<{ id: string }>(
        database.db,
        sql`select m.id from member m join app_user u on u.id = m.user_id where u.username = ${username}`,
      );
      if (!row) throw new Error(`no member record for the account ${username}`);
      return row.id;
    },
    async close() {
      await app.close();
      await services.jobs.stop();
      await database.close();
      await pgdb?.drop();
    },
  };
}

/** A multipart/form-data body carrying one file, as browsers upload it; spread into `request()`. */
export function multipartFile(file: Buffer | Uint8Array, filename = 'upload.xlsx', field = 'file') {
  const boundary = '----xianfeng-test-boundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An admin token with the forced password change done. */
export async function adminToken(t: TestApp): Promise<string> {
  const token = await t.login('admin');
  const r = await t.request({
    method: 'POST',
    url: '/api/v1/auth/password',
    token,
    body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Changed-Pass-2' },
  });
  if (r.status !== 204) throw new Error(`admin password change failed: ${r.raw}`);
  return token;
}

/**
 * Signs the demo accounts in, in turn, and returns their bearer tokens in the same order; `admin` is the
 * administrator with the forced password change done (`adminToken`), so it must come before any other use of it.
 * `[admin, shuji, member] = await signIn(t, 'admin', 'shuji', 'dangyuan')`.
 */
export async function signIn<const N extends readonly string[]>(
  t: TestApp,
  ...names: N
): Promise<{ [K in keyof N]: string }> {
  const tokens: string[] = [];
  for (const name of names) tokens.push(name === 'admin' ? await adminToken(t) : await t.login(name));
  return tokens as { [K in keyof N]: string };
}

/**
 * The API's verbs on a test app, the path taken below `/api/v1`: `get(url, token)`, `post(url, token, body = {})`,
 * `put`/`patch(url, token, body)`, `del(url, token)`. `app` is read on each call, so the helpers may be made before
 * `before()` starts the app: `const { get, post } = api(() => t)`.
 */
export function api(app: () => TestApp) {
  const send = (method: InjectOptions['method'], url: string, token: string | undefined, body?: unknown) =>
    app().request({ method, url: `/api/v1${url}`, token, body });
  return {
    get: (url: string, token?: string) => send('GET', url, token),
    post: (url: string, token?: string, body: unknown = {}) => send('POST', url, token, body),
    put: (url: string, token: string | undefined, body: unknown) => send('PUT', url, token, body),
    patch: (url: string, token: string | undefined, body: unknown) => send('PATCH', url, token, body),
    del: (url: string, token?: string) => send('DELETE', url, token),
  };
}
