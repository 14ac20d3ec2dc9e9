import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Everything the process reads from its environment, validated once at start. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  XF_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  XF_ADMIN_PASSWORD: z.string().optional(),
  XF_DEMO: z.enum(['0', '1']).default('1'),
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
  /** How often the job runner looks for due jobs, schedules and events, in ms (it is also woken by new events). */
  XF_JOB_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
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
  XF_ALIPAY_GATEWAY: z.url().default('https://openapi.alipay.com/gateway.do'),
  XF_ALIPAY_APP_ID: z.string().optional(),
  XF_ALIPAY_PRIVATE_KEY: z.string().optional(),
  XF_ALIPAY_PUBLIC_KEY: z.string().optional(),
});

/** PEM text given inline (with literal \n allowed) or as a path to a PEM file. */
function pem(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  return fs.readFileSync(value, 'utf8');
}

export type WechatPayConfig = {
  baseUrl: string;
  mchid: string;
  appid: string;
  serialNo: string;
  privateKeyPem: string;
  apiV3Key: string;
  platformPublicKeyPem: string;
  platformSerial: string | undefined;
};
export type AlipayConfig = { gateway: string; appId: string; privateKeyPem: string; alipayPublicKeyPem: string };
/** Online payment settings; a provider is enabled only when all its keys are given. Read at request time. */
export type PaymentConfig = { notifyBaseUrl: string; wechat: WechatPayConfig | null; alipay: AlipayConfig | null };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  secretKey: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['XF_LOG_LEVEL'];
  sessionTtlMs: number;
  sessionIdleMs: number;
  webDist: string | undefined;
  publicRatePerMin: number;
  jobPollMs: number;
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
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.XF_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.XF_ADMIN_PASSWORD,
    demo: e.XF_DEMO === '1',
    secretKey: e.XF_SECRET_KEY,
    logLevel: e.XF_LOG_LEVEL,
    sessionTtlMs: e.XF_SESSION_TTL_MIN * 60_000,
    sessionIdleMs: e.XF_SESSION_IDLE_MIN * 60_000,
    webDist: e.XF_WEB_DIST ?? path.resolve(import.meta.dirname, '../../../web/dist'),
    publicRatePerMin: e.XF_PUBLIC_RATE_PER_MIN,
    jobPollMs: e.XF_JOB_POLL_MS,
    payment: {
      notifyBaseUrl: (e.XF_PAY_NOTIFY_BASE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      wechat:
        e.XF_WECHATPAY_MCHID && e.XF_WECHATPAY_APPID && e.XF_WECHATPAY_SERIAL_NO && e.XF_WECHATPAY_PRIVATE_KEY && e.XF_WECHATPAY_APIV3_KEY && e.XF_WECHATPAY_PLATFORM_PUBLIC_KEY
          ? {
              baseUrl: e.XF_WECHATPAY_BASE_URL.replace(/\/$/, ''),
              mchid: e.XF_WECHATPAY_MCHID,
              appid: e.XF_WECHATPAY_APPID,
              serialNo: e.XF_WECHATPAY_SERIAL_NO,
              privateKeyPem: pem(e.XF_WECHATPAY_PRIVATE_KEY)!,
              apiV3Key: e.XF_WECHATPAY_APIV3_KEY,
              platformPublicKeyPem: pem(e.XF_WECHATPAY_PLATFORM_PUBLIC_KEY)!,
              platformSerial: e.XF_WECHATPAY_PLATFORM_SERIAL,
            }
          : null,
      alipay:
        e.XF_ALIPAY_APP_ID && e.XF_ALIPAY_PRIVATE_KEY && e.XF_ALIPAY_PUBLIC_KEY
          ? { gateway: e.XF_ALIPAY_GATEWAY, appId: e.XF_ALIPAY_APP_ID, privateKeyPem: pem(e.XF_ALIPAY_PRIVATE_KEY)!, alipayPublicKeyPem: pem(e.XF_ALIPAY_PUBLIC_KEY)! }
          : null,
    },
  };
}
