/**
 * The real server (`main.ts`) as a child process, for the crash tests: start it, talk to it over
 * HTTP, wait for a line on its stdout (a test-only hold point, platform/holdpoint.ts), SIGKILL it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { idCardCheckChar, nowMs } from '@xianfeng/shared';
import { DEMO_PASSWORD } from '../demo/seed';
import { embeddedRunsElsewhere, freshPostgres, type Reply } from './harness';

const mainTs = path.resolve(import.meta.dirname, '../main.ts');

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  /** Resolves when stdout has printed a line matching `re` (including lines already printed). */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** SIGKILL, then wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (clean shutdown), then wait until the process is gone. */
  stop(): Promise<void>;
};

/** Starts `main.ts` as its own process and resolves once it listens. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainTs], {
    env: {
      ...process.env,
      PORT: '0',
      XF_LOG_LEVEL: 'error',
      XF_WEB_DIST: '/nonexistent',
      XF_ADMIN_PASSWORD: 'Crash-Test-1',
      // Tests sign in to the demo accounts with the fixture password.
      XF_DEMO_PASSWORD: DEMO_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // stderr still shows in the test's output; its tail goes into the error of a server that did not start.
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    process.stderr.write(d);
    err = (err + d.toString()).slice(-4000);
  });
  const listeners = new Set<() => void>();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (const l of listeners) l();
      const m = /URL: (http:\/\/\S+)/.exec(out);
      if (m)
        resolve({
          url: m[1]!,
          child,
          waitForLine: (re, timeoutMs = 120_000) =>
            new Promise((ok, fail) => {
              const check = () => {
                const hit = out.split('\n').find((l) => re.test(l));
                if (hit === undefined) return;
                listeners.delete(check);
                clearTimeout(timer);
                ok(hit);
              };
              const timer = setTimeout(() => {
                listeners.delete(check);
                fail(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${out.slice(-2000)}`));
              }, timeoutMs);
              listeners.add(check);
              check();
            }),
          output: () => out,
          kill: () => end('SIGKILL'),
          stop: () => end('SIGTERM'),
        });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${out}\n${err}`)));
  });
}

/** One API call with a bearer token; JSON bodies parsed. */
export async function api(
  url: string,
  token: string,
  pathname: string,
  init: RequestInit = {},
): Promise<Pick<Reply, 'status' | 'body'>> {
  const res = await fetch(`${url}/api/v1${pathname}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.arrayBuffer(),
  };
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Polls `check` until it answers true or `ms` pass; answers how long it took, or -1. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return -1;
}

/** The scheduler occurrences a server started with XF_TEST_TICK has run (one `XF-TICK <occurrence> <ms>` line each). */
export const schedulerTicks = (s: ServerProcess) =>
  [...s.output().matchAll(/^XF-TICK (\S+) (\d+)$/gm)].map((m) => m[1]!);

/** The org a demo secretary keeps (`shuji` → 第一发电厂党支部). */
export async function secretaryOrg(url: string, token: string): Promise<string> {
  const me = (await api(url, token, '/me')).body as { roles: { role: string; orgId: string }[] };
  return me.roles.find((r) => r.role === 'secretary')!.orgId;
}

/** Adds a full member to `orgId` through the API; `first17` makes the (valid) ID card number unique. */
/** A new full member's body for POST /members; `first17`: the ID card number's first 17 digits (unique per test). */
export const memberBody = (orgId: string, name: string, first17: string) => ({
  orgId,
  name,
  // The ID card's 17th digit gives the sex (odd: male), and the API checks the two agree.
  gender: Number(first17[16]) % 2 ? 'male' : 'female',
  birthDate: '1980-01-01',
  idCardNo: first17 + idCardCheckChar(first17),
  phone: `139${first17.slice(-8)}`,
  joinedAt: '2010-07-01',
  status: 'full',
  fullAt: '2011-07-01',
});

export async function addMember(url: string, token: string, orgId: string, name: string, first17: string) {
  return api(url, token, '/members', { method: 'POST', body: JSON.stringify(memberBody(orgId, name, first17)) });
}

/**
 * A 主题党日 three days after the servers' today (they share this process's XF_NOW), made on `url` and published on
 * `publishOn` (default the same server): every member of the org is sent a notice naming `title`.
 */
export async function publishMeeting(url: string, token: string, orgId: string, title: string, publishOn = url) {
  const startsAt = new Date(nowMs() + 3 * 86_400_000);
  const made = await api(url, token, '/meetings', {
    method: 'POST',
    body: JSON.stringify({
      orgId,
      kind: 'theme_day',
      title,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
      location: '三楼会议室',
    }),
  });
  if (made.status !== 201) throw new Error(`meeting not made: ${made.status} ${JSON.stringify(made.body)}`);
  const published = await api(publishOn, token, `/meetings/${(made.body as { id: string }).id}/publish`, {
    method: 'POST',
    body: '{}',
  });
  if (published.status !== 200)
    throw new Error(`meeting not published: ${published.status} ${JSON.stringify(published.body)}`);
  return (made.body as { id: string }).id;
}

/**
 * The secretary adds a member through `writer`; `reader` must count it within 5 s — its result cache answered the
 * old count before and is invalidated by the change feed across processes. `name`/`first17` make the member unique
 * per test database.
 */
export async function writeSeenFreshAcross(writer: string, reader: string, name: string, first17: string) {
  const token = await login(writer, 'shuji', DEMO_PASSWORD);
  const branchId = await secretaryOrg(writer, token);
  const stats = async (url: string) => {
    const r = await api(url, token, `/members/stats?orgId=${branchId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body as { total: number }).total;
  };
  const before = await stats(reader);
  assert.equal(await stats(reader), before, 'the reader answers from its cache');
  const created = await addMember(writer, token, branchId, name, first17);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(await stats(writer), before + 1, 'the writer reads its own write');
  const took = await within(5000, async () => (await stats(reader)) === before + 1);
  assert.ok(took >= 0, 'the reader counts the new member within 5 s');
}

/** Polls a job until it is done or failed. */
export async function waitForJob(url: string, token: string, jobId: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await api(url, token, `/jobs/${jobId}`)).body;
    if (job.status === 'done' || job.status === 'failed' || Date.now() > until) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type ServerEnv = Record<string, string>;

/**
 * Where a crash test runs the server: a fresh data folder (the embedded database), or a fresh
 * PostgreSQL database of the suite's server plus a data folder (files, key). Everything is
 * removed after the test file. Call inside `describe`.
 */
export function crashTargets(prefix: string) {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  return {
    embedded: (fn: (env: ServerEnv) => Promise<void>) => fn({ XF_DATA_DIR: tmp() }),
    postgres: async (fn: (env: ServerEnv) => Promise<void>) => {
      const pg = (await freshPostgres())!;
      try {
        await fn({ XF_DATA_DIR: tmp(), DATABASE_URL: pg.url });
      } finally {
        await pg.drop();
      }
    },
    /** The `skip` option of the PostgreSQL variants. */
    noPostgres: !process.env.XF_TEST_PG_URL && 'no PostgreSQL for this run',
    /** The `skip` option of the embedded variants (harness.ts embeddedRunsElsewhere). */
    noEmbedded: embeddedRunsElsewhere,
  };
}
