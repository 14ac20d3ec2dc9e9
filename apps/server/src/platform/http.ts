/**
 * The Fastify instance with everything cross-cutting: zod schemas and OpenAPI, request ids,
 * the error shape, sessions, and the access hook that enforces each route's declaration.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { now } from '@xianfeng/shared';
import { z } from 'zod';
import { decide, targetIsWellFormed, type Access, type Principal, type Scope } from './access';
import { resolvePrincipal, type SessionPolicy } from './auth';
import { afterLocalWrite } from './cache';
import { METRICS } from './counters';
import { routeLabel } from './metrics';
import type { Db } from './db';
import { AppError, forbidden, unauthorized } from './errors';
import { sharedRateLimitStore } from './hits';

// Zod's own messages in Chinese, for whatever a schema does not word itself.
z.config(z.locales.zhCN());

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    scope: Scope | null;
  }
  interface FastifyInstance {
    /** Every API route with its declared access: what the authorization matrix test reads. */
    /** Every route with its declared access and the module that registered it (none: the platform's own). */
    routeTable: { method: string; url: string; access: Access; module?: string }[];
  }
}

export const SESSION_COOKIE = 'xf_session';

type RouteSeries = {
  requests: ReturnType<typeof METRICS.requests.series>;
  latency: ReturnType<typeof METRICS.latency.series>;
};
/** Methods that change nothing: no CSRF origin check, no read-back of the data versions after them. */
const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

export type HttpDeps = {
  db: Db;
  sessionPolicy: SessionPolicy;
  logLevel: string;
  webDist?: string | undefined;
  /** Where log lines go (default stdout); tests capture them to prove no personal data is logged. */
  logStream?: NodeJS.WritableStream;
  /** Requests per minute per client address to each public route other than health/OpenAPI (login, provider callbacks). */
  publicRatePerMin?: number;
  /**
   * Count rate limits in the database, shared by every process (PostgreSQL, where several processes may serve one
   * database). Otherwise in this process's memory: the embedded database belongs to one process.
   */
  sharedRateLimits?: boolean;
  /** Further origins images may come from (the map's tile server when XF_MAP_TILE_URL is set); none by default. */
  imgOrigins?: string[];
  /**
   * Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed (XF_TRUSTED_PROXIES). Only a
   * request whose socket peer is one of them gets `req.ip` from X-Forwarded-For and `req.protocol` from
   * X-Forwarded-Proto; from anyone else those headers are ignored. Empty or absent: none.
   */
  trustedProxies?: string[];
};

/**
 * The web app's Content-Security-Policy: everything from our own origin. Ant Design writes
 * its styles at run time, hence 'unsafe-inline' for styles only; images may be data/blob URLs
 * (QR codes, previews).
 */
const csp = (imgOrigins: string[] = []) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...imgOrigins].join(' '),
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');

/**
 * How long a browser may keep a file of the web build. Files under assets/ carry a hash of their content in
 * their name, so a new build has new names: kept a year and never revalidated. Everything else (index.html,
 * the service worker, the manifest, icons) keeps its name across builds: revalidated on every use (ETag).
 */
export function webCacheControl(relative: string): string {
  const file = relative
    .split(path.sep)
    .join('/')
    .replace(/\.(br|gz)$/, '');
  return file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export function scopeOf(req: FastifyRequest): Scope {
  if (!req.scope) throw new Error(`route ${req.routeOptions.url} used scope without declaring access`);
  return req.scope;
}

function tokenFrom(req: FastifyRequest): { token: string; viaCookie: boolean } | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), viaCookie: false };
  const c = req.cookies[SESSION_COOKIE];
  return c ? { token: c, viaCookie: true } : null;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: '请求格式不正确',
  401: '请先登录',
  403: '没有权限执行此操作',
  404: '记录不存在或无权查看',
  405: '不支持的请求方法',
  406: '不支持的响应格式',
  413: '请求内容过大',
  415: '不支持的内容类型',
  429: '请求过于频繁，请稍后再试',
};

function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply.status(status).send({ error: details === undefined ? { code, message } : { code, message, details } });
}

/**
 * The checks on a signed-in caller before the body is parsed: a live session, CSRF for cookie sessions, a pending
 * password change, and the route's roles. Calls `done` once, with the refusal if there is one.
 */
function admit(
  req: FastifyRequest,
  access: Exclude<Access, { public: true }>,
  viaCookie: boolean,
  principal: Principal | null,
  done: (err?: Error) => void,
): void {
  if (!principal) return done(unauthorized('登录已过期，请重新登录', 'SESSION_EXPIRED'));
  // Cookie sessions: a state-changing request must come from our own origin (CSRF).
  if (viaCookie && !SAFE_METHODS.includes(req.method)) {
    const origin = req.headers.origin;
    // req.host: the Host header, or a trusted proxy's X-Forwarded-Host (never an untrusted peer's).
    if (origin && origin !== 'null' && URL.canParse(origin) && new URL(origin).host !== req.host)
      return done(forbidden('跨站请求被拒绝', 'CSRF_REJECTED'));
    if (origin === 'null') return done(forbidden('跨站请求被拒绝', 'CSRF_REJECTED'));
  }
  req.principal = principal;
  if (principal.user.mustChangePassword && !access.duringPasswordChange)
    return done(forbidden('首次登录或密码已被重置，请先修改密码', 'PASSWORD_CHANGE_REQUIRED'));
  // The role needs no input: refuse it before validation, so a caller without the role learns
  // nothing about the route's input rules.
  if (access.roles !== 'any' && !principal.bindings.some((b) => (access.roles as readonly string[]).includes(b.role)))
    return done(forbidden('您的角色无权执行此操作'));
  done();
}

export async function createHttp(deps: HttpDeps): Promise<FastifyInstance> {
  const CSP = csp(deps.imgOrigins);
  const app = Fastify({
    logger: {
      level: deps.logLevel,
      // Credentials and personal data never reach the log.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // Query strings carry searches by phone or 身份证号 (`?q=…`): only the path is logged.
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
      },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: 1024 * 1024,
    // Start-up registers every module's plugin; on a loaded 2-core machine the default 10 s per plugin
    // has been exceeded (a server that then refuses to start is worse than a slow start).
    pluginTimeout: 120_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : crypto.randomUUID();
    },
    // One setting for every use of the client's address and protocol: rate limits (keyed on req.ip),
    // the session cookie's Secure flag (secure: 'auto' reads req.protocol), the WeChat H5 payer IP,
    // audit and logs. Issue 28 item 1 / issue 14 item 10.
    trustProxy: deps.trustedProxies?.length ? deps.trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false } },
    // A request that reaches a process while it is stopping gets the platform's own answer (the onRequest hook
    // below), not Fastify's English 503. Fastify still marks those answers `Connection: close`.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.decorateRequest('scope', null);

  await app.register(cookie);
  // Uploads: each route reads its one file through platform/files readUpload, with its own size limit.
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      info: { title: '先锋 Xianfeng API', version: '0.1.0' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  const readVersionsBack = async (req: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    if (!SAFE_METHODS.includes(req.method)) await afterLocalWrite(deps.db);
    return payload;
  };
  // Routes cannot forget their permission: registering one without `access` fails start-up.
  app.decorate('routeTable', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declares no access`);
    // Public routes are where guessing and flooding happen: each gets a per-address limit, unless it
    // declares its own (the signed provider callbacks: their signature is the gate, issue 28 item 2).
    if ('public' in access && !route.config?.rateLimit && !['/api/health', '/api/openapi.json'].includes(route.url))
      route.config = { ...route.config, rateLimit: { max: deps.publicRatePerMin ?? 60, timeWindow: 60_000 } };
    const methods = [route.method].flat();
    for (const method of methods) if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, access });
    // Same-process consistency for the read caches (platform/cache.ts): before the answer to a write goes out,
    // read the data versions back, so the caller's next request never sees what it just changed from a cache,
    // however late the change notification arrives. Only on routes that can write: reads skip the hook.
    if (methods.some((m) => !SAFE_METHODS.includes(m)))
      route.onSend = [...[route.onSend ?? []].flat(), readVersionsBack];
  });

  // After the hook above, so it sees the limits that hook sets; only routes that ask are limited.
  await app.register(rateLimit, {
    global: false,
    ...(deps.sharedRateLimits && { store: sharedRateLimitStore(deps.db) }),
    errorResponseBuilder: (_req, ctx) =>
      new AppError(429, 'RATE_LIMITED', `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`),
  });

  // Callback-style hooks where nothing is awaited: an async hook costs a promise and a microtask per request.
  const securityHeaders = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
  };
  // Set by close() before the server stops listening: a request that still arrives (on a keep-alive connection,
  // or pipelined behind one in flight) is refused with 503 in Chinese and its connection closed, so a load
  // balancer sends it to another process (docs/operations.md, `proxy_next_upstream … http_503`).
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (req, reply, done) => {
    // The web app takes "today" from the server's clock (packages/shared clock.ts), never the device's.
    reply.headers({ ...securityHeaders, 'x-request-id': req.id, 'x-xf-now': now().toISOString() });
    if (!closing) return done();
    reply.header('connection', 'close');
    done(new AppError(503, 'RESTARTING', '服务正在重启，请稍后重试', { requestId: req.id }));
  });

  // Who is calling is settled before the body is even parsed: anonymous callers learn nothing
  // about a route's input rules. Callback style: a cached session is checked without a promise.
  app.addHook('onRequest', (req, _reply, done) => {
    const access = req.routeOptions.config.access;
    if (!access || 'public' in access) return done();
    const presented = tokenFrom(req);
    if (!presented) return done(unauthorized());
    let principal: ReturnType<typeof resolvePrincipal>;
    try {
      principal = resolvePrincipal(deps.db, deps.sessionPolicy, presented.token);
    } catch (err) {
      return done(err as Error);
    }
    if (!(principal instanceof Promise)) return admit(req, access, presented.viaCookie, principal, done);
    principal.then(
      (p) => admit(req, access, presented.viaCookie, p, done),
      (err: Error) => done(err),
    );
  });

  // What it may touch is decided once the body is parsed but before it is validated: a caller
  // outside the scope gets 403/404 whatever else they sent. A malformed target id is left to
  // validation (a field error), and decided after it if it somehow passes.
  // Callback style: most requests were decided before validation, and the second hook then has nothing to do;
  // a decision that needs no database (the target org cached) is made without a promise.
  const decideScope = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void, early: boolean) => {
    const access = req.routeOptions.config.access;
    if (!access || 'public' in access || !req.principal || req.scope || (early && !targetIsWellFormed(req, access)))
      return done();
    let scope: Scope | Promise<Scope>;
    try {
      scope = decide(deps.db, req, access, req.principal);
    } catch (err) {
      return done(err as Error);
    }
    if (!(scope instanceof Promise)) {
      req.scope = scope;
      return done();
    }
    scope.then(
      (s) => {
        req.scope = s;
        done();
      },
      (err: Error) => done(err),
    );
  };
  app.addHook('preValidation', (req, reply, done) => decideScope(req, reply, done, true));
  app.addHook('preHandler', (req, reply, done) => decideScope(req, reply, done, false));

  // Metrics (platform/metrics.ts): every answer by route template, method and status, with its time.
  // The series of a route are found through its config object (one per route) without building labels per answer.
  const seriesOf = new WeakMap<object, Map<string, RouteSeries>>();
  app.addHook('onResponse', (req, reply, done) => {
    const config = req.routeOptions.config;
    let byRoute = seriesOf.get(config);
    if (!byRoute) seriesOf.set(config, (byRoute = new Map()));
    const status = reply.statusCode;
    const key = `${req.method} ${status}`;
    let s = byRoute.get(key);
    if (!s) {
      const labels = { method: req.method, route: routeLabel(req) };
      byRoute.set(
        key,
        (s = {
          requests: METRICS.requests.series({ ...labels, status: String(status) }),
          latency: METRICS.latency.series(labels),
        }),
      );
    }
    s.requests.value += 1;
    METRICS.latency.observeIn(s.latency, reply.elapsedTime / 1000);
    done();
  });

  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) return sendError(reply, err.status, err.code, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => {
        const keys = (v.params as { keys?: string[] }).keys;
        const field = v.instancePath.slice(1).replace(/\//g, '.') || (keys ? keys.join(',') : '');
        return { field, message: v.message ?? '格式不正确' };
      });
      const first = details[0];
      const message = first ? `输入有误：${first.field ? `${first.field}：` : ''}${first.message}` : '输入有误';
      return sendError(reply, 400, 'VALIDATION_FAILED', message, details);
    }
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = 'code' in err && err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'INVALID_JSON' : `HTTP_${status}`;
      const message =
        code === 'INVALID_JSON' || (err as FastifyError).code?.startsWith('FST_ERR_CTP_EMPTY_JSON')
          ? '请求体不是合法的 JSON'
          : (STATUS_MESSAGES[status] ?? '请求无法处理');
      return sendError(reply, status, code, message);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(
      reply,
      500,
      'INTERNAL',
      `服务器出错了，请稍后重试；如仍不成功，请联系管理员并提供请求编号 ${req.id}`,
      {
        requestId: req.id,
      },
    );
  });

  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const webDist = deps.webDist;
  const hasWeb = Boolean(webDist && fs.existsSync(path.join(webDist, 'index.html')));
  if (hasWeb && webDist) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz beside each text file (apps/web/vite.config.ts): sent as they are to a
      // browser that accepts them, no compression work per request. They get no routes of their own.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (res, filePath) => {
        res.setHeader('vary', 'accept-encoding');
        res.setHeader('cache-control', webCacheControl(path.relative(webDist, filePath)));
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes of the web app fall back to its index page; unknown API paths are 404.
    // A hashed asset that is not there (a page of an older build asking for its old chunk) is a 404, not the
    // index page: the browser then reports a failed import, and the app reloads itself onto the new build.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/'))
      return reply.sendFile('index.html');
    return sendError(reply, 404, 'NOT_FOUND', req.url.startsWith('/api/') ? '接口不存在' : '页面不存在');
  });
  return app as unknown as FastifyInstance;
}
