import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { S3Config } from './s3';

/** Everything the process reads from its environment, validated once at start. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  XF_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  /**
   * A direct PostgreSQL connection when DATABASE_URL goes through PgBouncer in transaction mode: migrations,
   * the start-up lock and LISTEN need a session of their own. Default: DATABASE_URL.
   */
  DATABASE_DIRECT_URL: z.string().optional(),
  /**
   * A streaming read replica of DATABASE_URL's database for the heavy read-only queries (statistics, exports,
   * roll-ups; platform/replica.ts). Unset: everything runs on DATABASE_URL.
   */
  DATABASE_READ_URL: z.string().optional(),
  /** How long a heavy read waits for the replica to catch up with the primary before it runs on the primary. */
  XF_READ_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  /** Enables GET /metrics for scrapers presenting it as a bearer token (platform/metrics.ts); at least 16 characters. */
  XF_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (a random token, e.g. openssl rand -hex 24)')
    .optional(),
  /**
   * Uploaded files in S3-compatible storage instead of XF_DATA_DIR/files (platform/s3.ts): on when XF_S3_BUCKET is
   * set; then the endpoint and both keys are required.
   */
  XF_S3_ENDPOINT: z.url().optional(),
  XF_S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)',
    )
    .optional(),
  XF_S3_REGION: z.string().default('us-east-1'),
  XF_S3_ACCESS_KEY_ID: z.string().optional(),
  XF_S3_SECRET_ACCESS_KEY: z.string().optional(),
  XF_S3_PREFIX: z
    .string()
    .regex(/^([\w.-]+\/)*$/, 'must be empty or end with / (e.g. xianfeng/)')
    .default(''),
  XF_S3_PATH_STYLE: z.enum(['0', '1']).default('1'),
  /** Connections of this process's PostgreSQL pool. */
  XF_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  XF_ADMIN_PASSWORD: z.string().optional(),
  /** Unset: a demo on a loopback HOST only; a server reachable from the network needs XF_DEMO=1 said out loud. */
  XF_DEMO: z.enum(['0', '1']).optional(),
  /** The demo accounts' password; unset: random per installation, printed at the first start. */
  XF_DEMO_PASSWORD: z.string().optional(),
  XF_SECRET_KEY: z.string().optional(),
  XF_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Session lifetime and idle timeout in minutes. */
  XF_SESSION_TTL_MIN: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 60),
  XF_SESSION_IDLE_MIN: z.coerce.number().int().positive().default(120),
  /** Where the built web app lives; empty disables static serving (API only). */
  XF_WEB_DIST: z.string().optional(),
  /** Requests per minute per address to login and other public routes. */
  XF_PUBLIC_RATE_PER_MIN: z.coerce.number().int().positive().default(60),
  /** Requests per minute per address to the signed payment callbacks (behind a proxy, all of a provider's share one address). */
  XF_PAY_NOTIFY_RATE_PER_MIN: z.coerce.number().int().positive().default(1200),
  /**
   * The reverse proxies whose X-Forwarded-For / -Proto / -Host are believed (issue 28 item 1, issue 14
   * item 10): comma-separated addresses, CIDR ranges, or `loopback` / `linklocal` / `uniquelocal`.
   * Unset: no proxy is trusted and every forwarding header is ignored. Used for the client's address (rate
   * limits, WeChat H5 payer_client_ip, audit, logs) and the protocol (the session cookie's Secure flag).
   */
  XF_TRUSTED_PROXIES: z.string().optional(),
  /** How often the job runner looks for due jobs, schedules and events, in ms (it is also woken by new events). */
  XF_JOB_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** The ffmpeg program for phone renditions and posters of learning videos (default: `ffmpeg` on PATH; optional). */
  XF_FFMPEG: z.string().optional(),
  /** Minutes between signed audit checkpoints (security review #14, finding 4). */
  XF_AUDIT_CHECKPOINT_MIN: z.coerce.number().min(0.01).max(1440).default(10),
  XF_AUDIT_LOGS: z.string().optional(),
  /** The address people open the app at, for links in e-mails and group messages (default http://HOST:PORT). */
  XF_PUBLIC_URL: z.url().optional(),
  /** Hosts, addresses or CIDR ranges that robot and webhook URLs may reach although private (comma-separated). */
  XF_OUTBOUND_ALLOW_PRIVATE: z.string().optional(),
  /**
   * 云地图's tile layer (modules/service): a tile URL template with {z} {x} {y}, GCJ-02 Web Mercator tiles (an intranet
   * tile server, or 高德-style tiles). Unset (the default): the map draws on a plain base and the browser asks no
   * outside server for anything. Its origin is added to the Content-Security-Policy's img-src.
   */
  XF_MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/\S*$/, 'must be an http(s) URL')
    .refine((v) => ['{z}', '{x}', '{y}'].every((k) => v.includes(k)), 'must contain {z}, {x} and {y}')
    .optional(),
  /** The attribution shown under the map when XF_MAP_TILE_URL is set (e.g. the tile provider's 审图号). */
  XF_MAP_TILE_ATTRIBUTION: z.string().max(200).default(''),
  /**
   * 云地图's address lookup (地址解析) through the Tencent LBS WebService geocoder: off unless the key is set. The SK
   * (SecretKey of the key's SN校验) signs every request (`sig`); without it the key must be limited by IP in the
   * provider's console. The URL is the provider's endpoint (tests point it at a local fake).
   */
  XF_GEOCODER_TENCENT_KEY: z.string().trim().min(1).optional(),
  XF_GEOCODER_TENCENT_SK: z.string().trim().min(1).optional(),
  XF_GEOCODER_TENCENT_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s) origin such as https://apis.map.qq.com')
    .default('https://apis.map.qq.com'),
  /**
   * Sign-in from 企业微信 / 钉钉 (modules/auth/sso): the providers' origins — their API, and the pages a browser is sent
   * to for authorisation. Only tests (a local fake) and a proxy in front of the providers change them.
   */
  XF_WECOM_API_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s) origin such as https://qyapi.weixin.qq.com')
    .default('https://qyapi.weixin.qq.com'),
  XF_WECOM_OAUTH_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s) origin such as https://open.weixin.qq.com')
    .default('https://open.weixin.qq.com'),
  XF_WECOM_LOGIN_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s) origin such as https://login.work.weixin.qq.com')
    .default('https://login.work.weixin.qq.com'),
  XF_DINGTALK_API_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s) origin such as https://api.dingtalk.com')
    .default('https://api.dingtalk.com'),
  XF_DINGTALK_LOGIN_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s) origin such as https://login.dingtalk.com')
    .default('https://login.dingtalk.com'),
  /** E-mail notices over SMTP: off unless XF_SMTP_HOST and XF_SMTP_FROM are set. */
  XF_SMTP_HOST: z.string().optional(),
  XF_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  XF_SMTP_SECURE: z.enum(['0', '1']).optional(),
  XF_SMTP_USER: z.string().optional(),
  XF_SMTP_PASS: z.string().optional(),
  XF_SMTP_FROM: z.string().optional(),
  /** SMS notices: off unless a provider and its keys are set. */
  XF_SMS_PROVIDER: z.enum(['aliyun']).optional(),
  XF_SMS_ALIYUN_ENDPOINT: z.url().default('https://dysmsapi.aliyuncs.com'),
  XF_SMS_ALIYUN_ACCESS_KEY_ID: z.string().optional(),
  XF_SMS_ALIYUN_ACCESS_KEY_SECRET: z.string().optional(),
  XF_SMS_SIGN_NAME: z.string().optional(),
  XF_SMS_TEMPLATE_CODE: z.string().optional(),
  /** Online dues payment (modules/dues/providers): the public base URL providers call back, and each provider's keys. */
  XF_PAY_NOTIFY_BASE_URL: z.url().optional(),
  XF_WECHATPAY_BASE_URL: z.url().default('https://api.mch.weixin.qq.com'),
  XF_WECHATPAY_MCHID: z.string().optional(),
  XF_WECHATPAY_APPID: z.string().optional(),
  XF_WECHATPAY_SERIAL_NO: z.string().optional(),
  XF_WECHATPAY_PRIVATE_KEY: z.string().optional(),
  XF_WECHATPAY_APIV3_KEY: z.string().optional(),
  XF_WECHATPAY_PLATFORM_PUBLIC_KEY: z.string().optional(),
  XF_WECHATPAY_PLATFORM_SERIAL: z.string().optional(),
  /** During a platform key rotation (issue 28 item 6): the new key and its serial, accepted beside the current one. */
  XF_WECHATPAY_PLATFORM_PUBLIC_KEY_NEXT: z.string().optional(),
  XF_WECHATPAY_PLATFORM_SERIAL_NEXT: z.string().optional(),
  XF_ALIPAY_GATEWAY: z.url().default('https://openapi.alipay.com/gateway.do'),
  XF_ALIPAY_APP_ID: z.string().optional(),
  XF_ALIPAY_PRIVATE_KEY: z.string().optional(),
  XF_ALIPAY_PUBLIC_KEY: z.string().optional(),
  /**
   * The merchant's Alipay account (PID, 2088 + 12 digits): every notification's seller_id must be it (issue 28
   * item 5). Required when Alipay is configured.
   */
  XF_ALIPAY_SELLER_ID: z
    .string()
    .regex(/^2088\d{12}$/, 'must be the merchant PID: 2088 followed by 12 digits')
    .optional(),
});

/**
 * A key as people have it: PEM text (literal \n allowed), bare base64 DER as the providers' key tools
 * write it (Alipay's 密钥工具: PKCS#1 or PKCS#8 private keys, SPKI public keys), or a path to a file
 * holding either. Returns normalised PEM (PKCS#8 private, SPKI public). Errors name the variable and
 * what was wrong, never the value: a key must not reach stderr or a log line.
 */
export function readKey(name: string, value: string, kind: 'private' | 'public'): string {
  const what = kind === 'private' ? '私钥' : '公钥';
  const fail = (why: string) => new Error(`${name}: ${why}（值未显示）`);
  const fromText = (text: string): string | null => {
    const t = text.trim();
    if (t.includes('-----BEGIN')) {
      const pemText = t.replace(/\\n/g, '\n');
      try {
        return kind === 'private'
          ? crypto.createPrivateKey(pemText).export({ type: 'pkcs8', format: 'pem' }).toString()
          : crypto.createPublicKey(pemText).export({ type: 'spki', format: 'pem' }).toString();
      } catch {
        throw fail(`不是有效的 PEM ${what}`);
      }
    }
    const compact = t.replace(/\s+|\\n/g, '');
    if (compact.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
      const der = Buffer.from(compact, 'base64');
      const types = kind === 'private' ? (['pkcs8', 'pkcs1'] as const) : (['spki', 'pkcs1'] as const);
      for (const type of types) {
        try {
          return kind === 'private'
            ? crypto
                .createPrivateKey({ key: der, format: 'der', type: type as 'pkcs8' | 'pkcs1' })
                .export({ type: 'pkcs8', format: 'pem' })
                .toString()
            : crypto
                .createPublicKey({ key: der, format: 'der', type: type as 'spki' | 'pkcs1' })
                .export({ type: 'spki', format: 'pem' })
                .toString();
        } catch {
          /* try the next encoding */
        }
      }
      throw fail(`看起来是 base64，但不是有效的 ${kind === 'private' ? 'PKCS#8 或 PKCS#1' : 'SPKI 或 PKCS#1'} ${what}`);
    }
    return null;
  };
  const inline = fromText(value);
  if (inline) return inline;
  // Otherwise a file path (never echoed: a mistyped key would be printed as a "path").
  let content: string;
  try {
    content = fs.readFileSync(value.trim(), 'utf8');
  } catch {
    throw fail(`既不是 PEM 或 base64 ${what}，也不是可读取的密钥文件路径`);
  }
  const fromFile = fromText(content);
  if (!fromFile) throw fail(`密钥文件的内容不是 PEM 或 base64 ${what}`);
  return fromFile;
}

/** 127.0.0.0/8, ::1 and localhost: where a demo with known accounts reaches nobody else. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * XF_TRUSTED_PROXIES as a list for Fastify's trustProxy (proxy-addr). Each entry must be an IP
 * address, a CIDR range or one of proxy-addr's names; anything else stops start-up, since a typo here
 * would silently trust nobody (or, worse, be read as something else). "Trust everyone" is not offered:
 * it would let any client choose its own address for the rate limits.
 */
export function parseTrustedProxies(value: string | undefined): string[] {
  if (!value) return [];
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry)) continue;
    const [addr, bits, extra] = entry.split('/');
    const kind = net.isIP(addr ?? '');
    const bitsOk =
      bits === undefined ||
      (/^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 6 ? 128 : 32)) ||
      (kind === 4 && net.isIPv4(bits));
    if (!kind || extra !== undefined || !bitsOk)
      throw new Error(
        `Invalid configuration:\nXF_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`,
      );
  }
  return entries;
}

/** The rotation key: both the key and its serial, and a serial other than the current one's. */
function nextPlatformKey(
  key: string | undefined,
  serial: string | undefined,
  current: string | undefined,
): { serial: string; pem: string }[] {
  if (!key && !serial) return [];
  if (!key || !serial)
    throw new Error(
      'Invalid configuration:\nXF_WECHATPAY_PLATFORM_PUBLIC_KEY_NEXT and XF_WECHATPAY_PLATFORM_SERIAL_NEXT go together',
    );
  if (!current)
    throw new Error(
      'Invalid configuration:\nXF_WECHATPAY_PLATFORM_SERIAL must be set when a second platform key is given',
    );
  if (serial === current)
    throw new Error(
      'Invalid configuration:\nXF_WECHATPAY_PLATFORM_SERIAL_NEXT must differ from XF_WECHATPAY_PLATFORM_SERIAL',
    );
  return [{ serial, pem: readKey('XF_WECHATPAY_PLATFORM_PUBLIC_KEY_NEXT', key, 'public') }];
}

function alipaySellerId(id: string | undefined): string {
  if (!id)
    throw new Error(
      'Invalid configuration:\nXF_ALIPAY_SELLER_ID must be set when Alipay is configured (the merchant PID, 2088…, shown in 支付宝商家平台 → 账号中心): notifications are checked against it',
    );
  return id;
}

function s3Config(e: z.infer<typeof EnvSchema>): S3Config | null {
  if (!e.XF_S3_BUCKET) return null;
  const missing = (['XF_S3_ENDPOINT', 'XF_S3_ACCESS_KEY_ID', 'XF_S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
  if (missing.length)
    throw new Error(`Invalid configuration:\n${missing.join(', ')} must be set when XF_S3_BUCKET is set`);
  return {
    endpoint: e.XF_S3_ENDPOINT!.replace(/\/$/, ''),
    bucket: e.XF_S3_BUCKET,
    region: e.XF_S3_REGION,
    accessKeyId: e.XF_S3_ACCESS_KEY_ID!,
    secretAccessKey: e.XF_S3_SECRET_ACCESS_KEY!,
    prefix: e.XF_S3_PREFIX,
    pathStyle: e.XF_S3_PATH_STYLE === '1',
  };
}

export const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host);

export type WechatPayConfig = {
  baseUrl: string;
  mchid: string;
  appid: string;
  serialNo: string;
  privateKeyPem: string;
  apiV3Key: string;
  platformPublicKeyPem: string;
  platformSerial: string | undefined;
  /**
   * Further platform keys by serial, accepted beside the current one: WeChat Pay signs with either while it
   * rotates its platform certificate / public key (issue 28 item 6). A signature is checked with the key of
   * the serial it names (`Wechatpay-Serial`), never with another.
   */
  otherPlatformKeys?: { serial: string; pem: string }[];
};
export type AlipayConfig = {
  gateway: string;
  appId: string;
  /** The merchant PID (2088…): notifications for another seller are refused. */
  sellerId: string;
  privateKeyPem: string;
  alipayPublicKeyPem: string;
};
/** Online payment settings; a provider is enabled only when all its keys are given. Read at request time. */
export type PaymentConfig = { notifyBaseUrl: string; wechat: WechatPayConfig | null; alipay: AlipayConfig | null };

export type SmtpConfig = {
  host: string;
  port: number;
  secure: boolean;
  user: string | undefined;
  pass: string | undefined;
  from: string;
};
export type SmsConfig = {
  provider: 'aliyun';
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
};
/** Outbound notices: where links point, which private addresses may be reached, e-mail and SMS (null = off). */
export type NotifyConfig = {
  publicUrl: string;
  outboundAllow: string[];
  smtp: SmtpConfig | null;
  sms: SmsConfig | null;
};

/** The address lookup of 云地图 (Tencent LBS WebService geocoder); null = not configured. */
export type GeocoderConfig = { provider: 'tencent'; key: string; sk: string | null; baseUrl: string };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseDirectUrl: string | undefined;
  /** A read replica for the heavy reads (DATABASE_READ_URL); undefined: none. */
  databaseReadUrl: string | undefined;
  readWaitMs: number;
  dbPoolMax: number;
  /** Uploaded files in S3-compatible storage (null: the local folder). */
  s3: S3Config | null;
  /** The bearer token of GET /metrics; unset: no metrics endpoint. */
  metricsToken: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  demoPassword: string | undefined;
  secretKey: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['XF_LOG_LEVEL'];
  sessionTtlMs: number;
  sessionIdleMs: number;
  webDist: string | undefined;
  publicRatePerMin: number;
  payNotifyRatePerMin: number;
  /** Proxies whose forwarding headers are believed (Fastify trustProxy); empty: none. */
  trustedProxies: string[];
  jobPollMs: number;
  /** ffmpeg as XF_FFMPEG names it, and the PATH to look for it on otherwise (learn/media.ts). */
  ffmpeg: { path: string | undefined; searchPath: string | undefined };
  /** The origins of 企业微信 and 钉钉 for sign-in (tests: a local fake). */
  sso: { wecom: { api: string; oauth: string; login: string }; dingtalk: { api: string; login: string } };
  /** How often the audit chain's head is signed and written outside the database (files area + log). */
  auditCheckpointMs: number;
  /** 云地图's tile layer: null = the plain base, no outside request (the default). */
  map: { tileUrl: string | null; tileAttribution: string; geocoder: GeocoderConfig | null };
  /** Server log files (XF_AUDIT_LOGS, comma-separated) whose signed checkpoints audit verification also reads. */
  auditLogs: string[];
  notify: NotifyConfig;
  payment: PaymentConfig;
};

export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_READ_URL && !e.DATABASE_URL)
    throw new Error(
      'Invalid configuration:\nDATABASE_READ_URL: a read replica needs DATABASE_URL (its PostgreSQL primary)',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.XF_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseDirectUrl: e.DATABASE_DIRECT_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    readWaitMs: e.XF_READ_WAIT_MS,
    dbPoolMax: e.XF_DB_POOL_MAX,
    metricsToken: e.XF_METRICS_TOKEN,
    s3: s3Config(e),
    adminPassword: e.XF_ADMIN_PASSWORD,
    demo: e.XF_DEMO ? e.XF_DEMO === '1' : isLoopback(e.HOST),
    demoPassword: e.XF_DEMO_PASSWORD,
    secretKey: e.XF_SECRET_KEY,
    logLevel: e.XF_LOG_LEVEL,
    sessionTtlMs: e.XF_SESSION_TTL_MIN * 60_000,
    sessionIdleMs: e.XF_SESSION_IDLE_MIN * 60_000,
    webDist: e.XF_WEB_DIST ?? path.resolve(import.meta.dirname, '../../../web/dist'),
    publicRatePerMin: e.XF_PUBLIC_RATE_PER_MIN,
    payNotifyRatePerMin: e.XF_PAY_NOTIFY_RATE_PER_MIN,
    trustedProxies: parseTrustedProxies(e.XF_TRUSTED_PROXIES),
    jobPollMs: e.XF_JOB_POLL_MS,
    ffmpeg: { path: e.XF_FFMPEG, searchPath: env.PATH ?? process.env.PATH },
    auditCheckpointMs: Math.round(e.XF_AUDIT_CHECKPOINT_MIN * 60_000),
    map: {
      tileUrl: e.XF_MAP_TILE_URL ?? null,
      tileAttribution: e.XF_MAP_TILE_ATTRIBUTION,
      geocoder: e.XF_GEOCODER_TENCENT_KEY
        ? {
            provider: 'tencent',
            key: e.XF_GEOCODER_TENCENT_KEY,
            sk: e.XF_GEOCODER_TENCENT_SK ?? null,
            baseUrl: e.XF_GEOCODER_TENCENT_URL.replace(/\/$/, ''),
          }
        : null,
    },
    sso: {
      wecom: {
        api: e.XF_WECOM_API_URL.replace(/\/$/, ''),
        oauth: e.XF_WECOM_OAUTH_URL.replace(/\/$/, ''),
        login: e.XF_WECOM_LOGIN_URL.replace(/\/$/, ''),
      },
      dingtalk: { api: e.XF_DINGTALK_API_URL.replace(/\/$/, ''), login: e.XF_DINGTALK_LOGIN_URL.replace(/\/$/, '') },
    },
    auditLogs: (e.XF_AUDIT_LOGS ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean)
      .map((f) => path.resolve(f)),
    notify: {
      publicUrl: (e.XF_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      outboundAllow: (e.XF_OUTBOUND_ALLOW_PRIVATE ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      smtp:
        e.XF_SMTP_HOST && e.XF_SMTP_FROM
          ? {
              host: e.XF_SMTP_HOST,
              secure: e.XF_SMTP_SECURE === '1',
              port: e.XF_SMTP_PORT ?? (e.XF_SMTP_SECURE === '1' ? 465 : 587),
              user: e.XF_SMTP_USER,
              pass: e.XF_SMTP_PASS,
              from: e.XF_SMTP_FROM,
            }
          : null,
      sms:
        e.XF_SMS_PROVIDER === 'aliyun' &&
        e.XF_SMS_ALIYUN_ACCESS_KEY_ID &&
        e.XF_SMS_ALIYUN_ACCESS_KEY_SECRET &&
        e.XF_SMS_SIGN_NAME &&
        e.XF_SMS_TEMPLATE_CODE
          ? {
              provider: 'aliyun',
              endpoint: e.XF_SMS_ALIYUN_ENDPOINT.replace(/\/$/, ''),
              accessKeyId: e.XF_SMS_ALIYUN_ACCESS_KEY_ID,
              accessKeySecret: e.XF_SMS_ALIYUN_ACCESS_KEY_SECRET,
              signName: e.XF_SMS_SIGN_NAME,
              templateCode: e.XF_SMS_TEMPLATE_CODE,
            }
          : null,
    },
    payment: {
      notifyBaseUrl: (e.XF_PAY_NOTIFY_BASE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      wechat:
        e.XF_WECHATPAY_MCHID &&
        e.XF_WECHATPAY_APPID &&
        e.XF_WECHATPAY_SERIAL_NO &&
        e.XF_WECHATPAY_PRIVATE_KEY &&
        e.XF_WECHATPAY_APIV3_KEY &&
        e.XF_WECHATPAY_PLATFORM_PUBLIC_KEY
          ? {
              baseUrl: e.XF_WECHATPAY_BASE_URL.replace(/\/$/, ''),
              mchid: e.XF_WECHATPAY_MCHID,
              appid: e.XF_WECHATPAY_APPID,
              serialNo: e.XF_WECHATPAY_SERIAL_NO,
              privateKeyPem: readKey('XF_WECHATPAY_PRIVATE_KEY', e.XF_WECHATPAY_PRIVATE_KEY, 'private'),
              apiV3Key: e.XF_WECHATPAY_APIV3_KEY,
              platformPublicKeyPem: readKey(
                'XF_WECHATPAY_PLATFORM_PUBLIC_KEY',
                e.XF_WECHATPAY_PLATFORM_PUBLIC_KEY,
                'public',
              ),
              platformSerial: e.XF_WECHATPAY_PLATFORM_SERIAL,
              otherPlatformKeys: nextPlatformKey(
                e.XF_WECHATPAY_PLATFORM_PUBLIC_KEY_NEXT,
                e.XF_WECHATPAY_PLATFORM_SERIAL_NEXT,
                e.XF_WECHATPAY_PLATFORM_SERIAL,
              ),
            }
          : null,
      alipay:
        e.XF_ALIPAY_APP_ID && e.XF_ALIPAY_PRIVATE_KEY && e.XF_ALIPAY_PUBLIC_KEY
          ? {
              gateway: e.XF_ALIPAY_GATEWAY,
              appId: e.XF_ALIPAY_APP_ID,
              sellerId: alipaySellerId(e.XF_ALIPAY_SELLER_ID),
              privateKeyPem: readKey('XF_ALIPAY_PRIVATE_KEY', e.XF_ALIPAY_PRIVATE_KEY, 'private'),
              alipayPublicKeyPem: readKey('XF_ALIPAY_PUBLIC_KEY', e.XF_ALIPAY_PUBLIC_KEY, 'public'),
            }
          : null,
    },
  };
}
