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
});

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
  };
}
