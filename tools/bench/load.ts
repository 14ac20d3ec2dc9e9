/**
 * The loopback load test (issue 9): a meeting morning. Hundreds of members open the app on their
 * phones in the same minutes — 工作台, 我的会议, the meeting, 我的党费 — and scan the rotating
 * sign-in QR code, some of them twice; a few have to sign in with their password first; the
 * 书记 watches the attendance list and the venue screen fetches a new QR code.
 *
 * The server runs in a child process (load-server.ts, the real boot() on loopback HTTP); this
 * process drives it with autocannon's programmatic API: one request template whose setupRequest
 * draws the next request from the weighted mix below, for a member of the pool, and whose
 * onResponse times it (per request type) and follows the sign-ins. After the run the sign-ins
 * are checked against the database (exactly one attendance row and one audit row per member who
 * signed in, none lost, none extra) and against the 书记's attendance list through the API.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { api } from '../../apps/server/src/testing/serverProcess';
import type { LoadMember, LoadReady, LoadServerStart, LoadVerified } from './load-server';
import { LOAD_PASSWORD } from './load-server';

export type LoadOptions = {
  members: number;
  seconds: number;
  /** Concurrent connections (phones waiting on an answer at the same moment). */
  connections: number;
  /** Requests per second over all connections (open loop); 0 = as fast as the server answers. */
  rate: number;
  /** Holds the PGlite files and the field key; removed afterwards when `keepData` is false. */
  dataDir: string;
  databaseUrl?: string | undefined;
  seed: number;
  log: (line: string) => void;
};

export type KindStats = {
  name: string;
  label: string;
  count: number;
  non2xx: number;
  s5xx: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};
export type LoadResult = {
  members: number;
  seconds: number;
  connections: number;
  rate: number;
  database: 'pglite' | 'postgres';
  setup: LoadReady['setup'];
  kinds: KindStats[];
  total: {
    requests: number;
    rps: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    s5xx: number;
    p50: number;
    p95: number;
    p99: number;
  };
  signIns: {
    /** Members with a first sign-in (alreadySignedIn: false) answered. */
    members: number;
    /** Of the sign-in requests, those for a member already signed in (a second scan or a double tap). */
    repeats: number;
    /** Members who got `alreadySignedIn: false` more than once: a sign-in counted twice. */
    doubleFirsts: number;
    /** Sign-in answers for someone else than the member who sent it. */
    wrongMember: number;
    /** Members who pressed 签到 three times at once after the run, and who of them got one first answer. */
    doubleTap: { members: number; requests: number; exactlyOneFirst: number };
  };
  logins: number;
  db: Omit<LoadVerified, 'type' | 'rss'>;
  /** The 书记's attendance list (filter signed_in, all pages) equals the members who signed in. */
  attendanceListMatches: boolean;
  rssMiB: LoadVerified['rss'];
  errorSamples: string[];
};

// autocannon ships no types; this is the part of its programmatic API used here.
type AcRequest = { method: string; path: string; headers: Record<string, string>; body?: string };
type AcContext = { kind?: number; t0?: number; member?: LoadMember };
type AcOptions = {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  timeout: number;
  requests: {
    setupRequest(req: AcRequest, ctx: AcContext): AcRequest;
    onResponse(status: number, body: string, ctx: AcContext): void;
  }[];
};
type AcResult = { errors: number; timeouts: number };
const autocannon = createRequire(import.meta.url)('autocannon') as (o: AcOptions) => Promise<AcResult>;

type Kind = {
  name: string;
  label: string;
  weight: number;
  build(m: LoadMember): { method: string; path: string; token: string | null; body?: unknown };
};

/** Members who press 签到 three times at once after the run. */
const DOUBLE_TAPPERS = 10;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const r1 = (x: number) => Math.round(x * 10) / 10;

function message(m: unknown): asserts m is { type: string } {
  if (!m || typeof m !== 'object' || !('type' in m))
    throw new Error(`unexpected message from the load server: ${JSON.stringify(m)}`);
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.log;
  const child = fork(path.join(import.meta.dirname, 'load-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: ((m: unknown) => void)[] = [];
  let failed: Error | null = null;
  child.on('message', (m) => {
    message(m);
    if (m.type === 'error') failed = new Error(`load server: ${(m as unknown as { message: string }).message}`);
    replies.shift()?.(m);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = <T>(msg?: unknown) =>
    new Promise<T>((resolve, reject) => {
      replies.push((m) => (failed ? reject(failed) : resolve(m as T)));
      child.once('exit', (code) => reject(failed ?? new Error(`load server exited (${code})`)));
      if (msg) child.send(msg as object);
    });
  try {
    log(`Preparing ${o.members} members (generate, accounts, sessions, a published 主题党日)…`);
    const ready = await ask<LoadReady>({
      type: 'start',
      members: o.members,
      dataDir: o.dataDir,
      databaseUrl: o.databaseUrl,
      seed: o.seed,
    } satisfies LoadServerStart);
    log(
      `Ready in ${((ready.setup.generateMs + ready.setup.accountsMs + ready.setup.meetingMs) / 1000).toFixed(1)} s (generate ${ready.setup.generateMs} ms, accounts ${ready.setup.accountsMs} ms, meeting ${ready.setup.meetingMs} ms; ${JSON.stringify(ready.setup.stages)}): ${ready.url}`,
    );
    const members = ready.members;
    const sec = ready.secretaryToken;
    const meeting = ready.meetingId;
    const year = new Date().getFullYear();

    // ---- the QR on the venue screen: fetched like the screen does, and again during the run ----
    const first = await api(ready.url, sec, `/meetings/${meeting}/checkin-qr`);
    if (first.status !== 200) throw new Error(`checkin-qr: ${first.status} ${JSON.stringify(first.body)}`);
    let qrToken = (first.body as { token: string }).token;
    let qrFetchedAt = performance.now();

    // ---- sign-in bookkeeping --------------------------------------------------------------
    const queue = [...members].sort(() => Math.random() - 0.5);
    // Held out of the timed run, so the double taps after it always find members not signed in yet
    // (on a fast machine everyone else may have arrived before the run ends).
    const tappers = queue.splice(Math.max(0, queue.length - DOUBLE_TAPPERS));
    let next = 0;
    const signed: LoadMember[] = [];
    const firsts = new Map<string, number>();
    const unanswered = new Set<string>(); // sign-ins sent whose answer never came (timeout, end of run)
    let repeats = 0;
    let wrongMember = 0;
    let logins = 0;
    const randomMember = () => members[Math.floor(Math.random() * members.length)]!;

    const kinds: Kind[] = [
      {
        name: 'login',
        label: 'POST /auth/login (argon2id)',
        weight: 6,
        build: (m) => ({
          method: 'POST',
          path: '/api/v1/auth/login',
          token: null,
          body: { username: m.username, password: LOAD_PASSWORD },
        }),
      },
      {
        name: 'me',
        label: 'GET /me (shell)',
        weight: 10,
        build: (m) => ({ method: 'GET', path: '/api/v1/me', token: m.token }),
      },
      {
        name: 'workbench',
        label: 'GET /members/me (工作台)',
        weight: 10,
        build: (m) => ({ method: 'GET', path: '/api/v1/members/me', token: m.token }),
      },
      {
        name: 'upcoming',
        label: 'GET /meeting-invitations/mine (我的会议)',
        weight: 16,
        build: (m) => ({
          method: 'GET',
          path: '/api/v1/meeting-invitations/mine?filter=upcoming&pageSize=5',
          token: m.token,
        }),
      },
      {
        name: 'meeting',
        label: 'GET /meeting-invitations/:id (会议详情)',
        weight: 10,
        build: (m) => ({ method: 'GET', path: `/api/v1/meeting-invitations/${m.invitationId}`, token: m.token }),
      },
      {
        name: 'history',
        label: 'GET /members/me/meetings (参加记录)',
        weight: 4,
        build: (m) => ({ method: 'GET', path: `/api/v1/members/me/meetings?year=${year}&pageSize=50`, token: m.token }),
      },
      {
        name: 'dues',
        label: 'GET /dues/me (我的党费)',
        weight: 8,
        build: (m) => ({ method: 'GET', path: '/api/v1/dues/me', token: m.token }),
      },
      {
        name: 'bills',
        label: 'GET /dues/me/bills (待缴账单)',
        weight: 6,
        build: (m) => ({ method: 'GET', path: '/api/v1/dues/me/bills?status=unpaid&pageSize=200', token: m.token }),
      },
      {
        name: 'checkin',
        label: 'POST /meetings/:id/checkin (扫码签到)',
        weight: 24,
        build: (m) => ({
          method: 'POST',
          path: `/api/v1/meetings/${meeting}/checkin`,
          token: m.token,
          body: { token: qrToken },
        }),
      },
      {
        name: 'attendance',
        label: 'GET /meetings/:id/attendance (书记看签到)',
        weight: 5,
        build: () => ({ method: 'GET', path: `/api/v1/meetings/${meeting}/attendance?pageSize=50`, token: sec }),
      },
      {
        name: 'qr',
        label: 'GET /meetings/:id/checkin-qr (会场屏幕)',
        weight: 0,
        build: () => ({ method: 'GET', path: `/api/v1/meetings/${meeting}/checkin-qr`, token: sec }),
      },
    ];
    const totalWeight = kinds.reduce((s, k) => s + k.weight, 0);
    const QR = kinds.findIndex((k) => k.name === 'qr');
    const CHECKIN = kinds.findIndex((k) => k.name === 'checkin');
    const LOGIN = kinds.findIndex((k) => k.name === 'login');
    const latencies: number[][] = kinds.map(() => []);
    const non2xx = kinds.map(() => 0);
    const s5xx = kinds.map(() => 0);
    const errorSamples: string[] = [];

    const pick = (): number => {
      // The screen shows a new code every minute; a few screens in the hall ask every 20 s or so.
      if (performance.now() - qrFetchedAt > 20_000) {
        qrFetchedAt = performance.now();
        return QR;
      }
      let x = Math.random() * totalWeight;
      for (const [i, k] of kinds.entries()) if ((x -= k.weight) < 0) return i;
      return 0;
    };
    // Who scans: mostly the next member to arrive; one in ten is someone scanning again.
    const scanner = (): LoadMember => {
      if ((next >= queue.length || Math.random() < 0.1) && signed.length > 0) {
        repeats++;
        return signed[Math.floor(Math.random() * signed.length)]!;
      }
      return queue[next++ % queue.length]!;
    };

    const template = {
      setupRequest(req: AcRequest, ctx: AcContext): AcRequest {
        const kind = pick();
        const m = kind === CHECKIN ? scanner() : randomMember();
        const r = kinds[kind]!.build(m);
        ctx.kind = kind;
        ctx.member = m;
        ctx.t0 = performance.now();
        if (kind === CHECKIN) unanswered.add(m.memberId);
        const headers: Record<string, string> = {};
        if (r.token) headers.authorization = `Bearer ${r.token}`;
        if (r.body !== undefined) headers['content-type'] = 'application/json';
        return {
          ...req,
          method: r.method,
          path: r.path,
          headers,
          ...(r.body === undefined ? { body: '' } : { body: JSON.stringify(r.body) }),
        };
      },
      onResponse(status: number, body: string, ctx: AcContext) {
        const kind = ctx.kind ?? 0;
        // The double taps after the run carry no start time: they are checked, not timed.
        if (ctx.t0 !== undefined) latencies[kind]!.push(performance.now() - ctx.t0);
        if (status < 200 || status >= 300) {
          non2xx[kind]!++;
          if (status >= 500) s5xx[kind]!++;
          if (errorSamples.length < 10) errorSamples.push(`${kinds[kind]!.name} ${status} ${body.slice(0, 200)}`);
          return;
        }
        const m = ctx.member!;
        if (kind === CHECKIN) {
          unanswered.delete(m.memberId);
          const a = JSON.parse(body) as { memberId: string; alreadySignedIn: boolean };
          if (a.memberId !== m.memberId) wrongMember++;
          if (!a.alreadySignedIn) {
            firsts.set(m.memberId, (firsts.get(m.memberId) ?? 0) + 1);
            signed.push(m);
          }
        } else if (kind === LOGIN) {
          // The phone now holds the new session.
          m.token = (JSON.parse(body) as { token: string }).token;
          logins++;
        } else if (kind === QR) qrToken = (JSON.parse(body) as { token: string }).token;
      },
    };

    child.send({ type: 'reset-rss' });
    log(`Running ${o.seconds} s, ${o.connections} connections${o.rate ? `, ${o.rate} req/s` : ', closed loop'}…`);
    const ac = await autocannon({
      url: ready.url,
      connections: o.connections,
      duration: o.seconds,
      timeout: 30,
      ...(o.rate ? { overallRate: o.rate } : {}),
      requests: [template],
    });
    // Let answers still on the way land before the database is read.
    await new Promise((r) => setTimeout(r, 500));

    // Double taps, deterministically: members not signed in yet press 签到 three times at once.
    // Exactly one of the three answers must be the first sign-in, whatever the timing.
    let doubleTapRequests = 0;
    await Promise.all(
      tappers.flatMap((m) =>
        [0, 1, 2].map(async () => {
          const res = await api(ready.url, m.token, `/meetings/${meeting}/checkin`, {
            method: 'POST',
            body: JSON.stringify({ token: qrToken }),
          });
          doubleTapRequests++;
          template.onResponse(res.status, JSON.stringify(res.body), { kind: CHECKIN, member: m });
        }),
      ),
    );

    log('Checking the sign-ins against the database and the attendance list…');
    const signedIds = [...firsts.keys()];
    const verified = await ask<LoadVerified>({ type: 'verify', signedIn: signedIds });
    // The 书记's list, every page: exactly the members who got a first sign-in, plus any whose answer never came.
    const listed = new Set<string>();
    for (let page = 1; ; page++) {
      const res = await api(
        ready.url,
        sec,
        `/meetings/${meeting}/attendance?filter=signed_in&pageSize=200&page=${page}`,
      );
      if (res.status !== 200) throw new Error(`attendance list: ${res.status}`);
      const p = res.body as { items: { memberId: string }[]; total: number };
      for (const i of p.items) listed.add(i.memberId);
      if (p.items.length === 0 || listed.size >= p.total) break;
    }
    const lateAnswers = [...unanswered].filter((id) => listed.has(id) && !firsts.has(id));
    const attendanceListMatches =
      listed.size === signedIds.length + lateAnswers.length && signedIds.every((id) => listed.has(id));
    const unexpected = verified.unexpected.filter((id) => !unanswered.has(id));

    const stats: KindStats[] = kinds
      .map((k, i) => {
        const s = [...latencies[i]!].sort((a, b) => a - b);
        return {
          name: k.name,
          label: k.label,
          count: s.length,
          non2xx: non2xx[i]!,
          s5xx: s5xx[i]!,
          p50: r1(pct(s, 50)),
          p95: r1(pct(s, 95)),
          p99: r1(pct(s, 99)),
          max: r1(s[s.length - 1] ?? NaN),
        };
      })
      .filter((k) => k.count > 0);
    const all = latencies.flat().sort((a, b) => a - b);
    const result: LoadResult = {
      members: members.length,
      seconds: o.seconds,
      connections: o.connections,
      rate: o.rate,
      database: o.databaseUrl ? 'postgres' : 'pglite',
      setup: ready.setup,
      kinds: stats,
      total: {
        requests: all.length,
        rps: r1(all.length / o.seconds),
        errors: ac.errors,
        timeouts: ac.timeouts,
        non2xx: non2xx.reduce((a, b) => a + b, 0),
        s5xx: s5xx.reduce((a, b) => a + b, 0),
        p50: r1(pct(all, 50)),
        p95: r1(pct(all, 95)),
        p99: r1(pct(all, 99)),
      },
      signIns: {
        members: firsts.size,
        repeats,
        doubleFirsts: [...firsts.values()].filter((n) => n > 1).length,
        wrongMember,
        doubleTap: {
          members: tappers.length,
          requests: doubleTapRequests,
          exactlyOneFirst: tappers.filter((m) => firsts.get(m.memberId) === 1).length,
        },
      },
      logins,
      db: {
        rows: verified.rows,
        invited: verified.invited,
        duplicates: verified.duplicates,
        lost: verified.lost,
        unexpected,
        signedInDb: verified.signedInDb,
        auditRows: verified.auditRows,
      },
      attendanceListMatches,
      rssMiB: verified.rss,
      errorSamples,
    };
    return result;
  } finally {
    if (child.exitCode === null) {
      child.send({ type: 'close' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill();
    }
  }
}

/** The result as the table docs/benchmarks.md shows. */
export function loadReport(r: LoadResult): string {
  const lines = [
    `${r.members} members, ${r.seconds} s, ${r.connections} connections, ${r.rate ? `${r.rate} req/s offered` : 'closed loop'}, ${r.database}`,
    '',
    '| request | share | count | p50 ms | p95 ms | p99 ms | non-2xx | 5xx |',
    '|---|---|---|---|---|---|---|---|',
    ...r.kinds.map(
      (k) =>
        `| ${k.label} | ${((k.count / r.total.requests) * 100).toFixed(0)} % | ${k.count} | ${k.p50} | ${k.p95} | ${k.p99} | ${k.non2xx} | ${k.s5xx} |`,
    ),
    `| **all** | | ${r.total.requests} (${r.total.rps} req/s) | ${r.total.p50} | ${r.total.p95} | ${r.total.p99} | ${r.total.non2xx} | ${r.total.s5xx} |`,
    '',
    `Errors ${r.total.errors} (timeouts ${r.total.timeouts}). Logins ${r.logins}. Sign-ins: ${r.signIns.members} members signed in, ${r.signIns.repeats} repeat scans answered "已签到", ` +
      `${r.signIns.doubleFirsts} counted twice; double taps: ${r.signIns.doubleTap.exactlyOneFirst} of ${r.signIns.doubleTap.members} members pressing three times at once got exactly one first sign-in. Database: ${r.db.rows} attendance rows for ${r.db.invited} invited, ${r.db.duplicates} duplicates, ` +
      `${r.db.signedInDb} signed in, ${r.db.lost.length} lost, ${r.db.unexpected.length} unexpected, ${r.db.auditRows} audit rows; attendance list ${r.attendanceListMatches ? 'matches' : 'DIFFERS'}. ` +
      `Server RSS peak ${r.rssMiB.peakMiB} MiB (${r.rssMiB.nowMiB} MiB after).`,
    ...(r.errorSamples.length ? ['', 'First non-2xx answers:', ...r.errorSamples.map((e) => `- ${e}`)] : []),
  ];
  return lines.join('\n');
}

export const tempDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'xf-load-'));
