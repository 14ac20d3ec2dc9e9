/**
 * The server half of the load test (tools/bench/load.ts forks it): a generated tenant, the real
 * server started by boot() on it (HTTP on loopback), and what a meeting morning looks like —
 * every active member with an account, a 书记 who publishes a 主题党日 at the top org (so every
 * member is invited), sessions for the phones that are still signed in. It runs in its own
 * process so the load generator does not share (and distort) the server's event loop, and it
 * answers the driver over IPC: the setup, then the database-side checks after the run, and the
 * server's RSS all along.
 *
 * Sessions are inserted directly (SHA-256 of a random token, as login stores them): argon2id for
 * a thousand members would take minutes on two cores and is not what the setup measures. Logins
 * themselves are part of the mix (load.ts), against one shared argon2id hash of LOAD_PASSWORD.
 */
import { useAuditKeys } from '../../apps/server/src/platform/audit';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { todayInChina } from '@xianfeng/shared';
import { boot, type Running } from '../../apps/server/src/boot';
import { hashPassword, newToken } from '../../apps/server/src/platform/auth';
import { installationFieldCrypto, loadMasterKey, sha256 } from '../../apps/server/src/platform/crypto';
import { openDatabase } from '../../apps/server/src/platform/db';
import { api } from '../../apps/server/src/testing/serverProcess';
import { MAX_INVITEES } from '../../apps/server/src/modules/meeting/invitees';
import { generate } from '../gen/generate';
import { rawConn, type Conn } from '../lib/conn';
import { progressBar } from '../lib/progress';

export const LOAD_PASSWORD = 'Xianfeng@2026';

export type LoadServerStart = {
  type: 'start';
  members: number;
  dataDir: string;
  databaseUrl?: string | undefined;
  seed: number;
};
export type LoadMember = { memberId: string; username: string; token: string; invitationId: string };
export type LoadReady = {
  type: 'ready';
  url: string;
  meetingId: string;
  secretaryToken: string;
  members: LoadMember[];
  setup: { generateMs: number; accountsMs: number; meetingMs: number; stages: Record<string, number> };
};
export type LoadVerify = { type: 'verify'; signedIn: string[] };
export type LoadVerified = {
  type: 'verified';
  /** Attendance rows of the meeting (one per invited member, none added by sign-ins). */
  rows: number;
  invited: number;
  /** Members with more than one attendance row for the meeting. */
  duplicates: number;
  /** Signed in per the driver (a 200) but not in the database. */
  lost: string[];
  /** Signed in per the database, but the driver never got a 200 for them. */
  unexpected: string[];
  signedInDb: number;
  /** meeting.checkin audit rows for the meeting: exactly one per sign-in. */
  auditRows: number;
  rss: { peakMiB: number; nowMiB: number };
};

const send = (m: LoadReady | LoadVerified | { type: 'error'; message: string }) => process.send?.(m);

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage.rss()));
setInterval(sampleRss, 100).unref();

/** Accounts (one shared argon2id hash), member role bindings, and a live session per member. */
async function prepareAccounts(conn: Conn, running: Running, n: number) {
  const [t] = await conn.query<{ tenant_id: string; root: string }>(
    `select tenant_id, id as root from org where parent_id is null order by no limit 1`,
  );
  const tenantId = t!.tenant_id;
  const hash = await hashPassword(LOAD_PASSWORD);
  const members = await conn.query<{ id: string; org_id: string; name: string }>(
    `select id, org_id, name from member where tenant_id = $1 and left_at is null and user_id is null order by id limit $2`,
    [tenantId, n],
  );
  const expires = new Date(Date.now() + running.services.sessionPolicy.ttlMs).toISOString();
  const users = members.map((m, i) => ({
    ...m,
    userId: crypto.randomUUID(),
    username: `load${String(i + 1).padStart(6, '0')}`,
    token: newToken(),
  }));
  const secretary = { userId: crypto.randomUUID(), token: newToken() };
  await conn.insertRows(
    'app_user',
    [
      ['id', 'uuid'],
      ['tenant_id', 'uuid'],
      ['username', 'text'],
      ['display_name', 'text'],
      ['password_hash', 'text'],
      ['must_change_password', 'boolean'],
    ],
    [
      ...users.map((u) => [u.userId, tenantId, u.username, u.name, hash, false]),
      [secretary.userId, tenantId, 'load-shuji', '负载测试书记', hash, false],
    ],
  );
  // As member accounts are made (member/accounts.ts): the member role at the member's own org.
  await conn.insertRows(
    'user_role',
    [
      ['tenant_id', 'uuid'],
      ['user_id', 'uuid'],
      ['role', 'text'],
      ['org_id', 'uuid'],
    ],
    [...users.map((u) => [tenantId, u.userId, 'member', u.org_id]), [tenantId, secretary.userId, 'secretary', t!.root]],
  );
  await conn.insertRows(
    'session',
    [
      ['token_hash', 'text'],
      ['user_id', 'uuid'],
      ['expires_at', 'timestamptz'],
    ],
    [...users.map((u) => [sha256(u.token), u.userId, expires]), [sha256(secretary.token), secretary.userId, expires]],
  );
  await conn.query(
    `update member m set user_id = u.uid from (select unnest($1::uuid[]) as mid, unnest($2::uuid[]) as uid) u where m.id = u.mid`,
    [users.map((u) => u.id), users.map((u) => u.userId)],
  );
  return { rootOrgId: t!.root, users, secretaryToken: secretary.token };
}

async function start(msg: LoadServerStart) {
  const t0 = performance.now();
  fs.mkdirSync(msg.dataDir, { recursive: true });
  let stages: Record<string, number> = {};
  {
    const database = await openDatabase({ databaseUrl: msg.databaseUrl, dataDir: msg.dataDir });
    const fc = installationFieldCrypto(undefined, msg.dataDir);
    useAuditKeys(loadMasterKey(undefined, msg.dataDir)); // = the served installation's secret (its key file)
    const orgs = Math.max(10, Math.round(msg.members / 20));
    // The generator's members include some who left (0.8 %): ask for a few more so `members` are active.
    const want = Math.ceil(msg.members * 1.02) + 5;
    stages.open = Math.round(performance.now() - t0);
    const g = await generate(
      database,
      fc,
      { members: want, orgs, seed: msg.seed, today: todayInChina(), adminPassword: LOAD_PASSWORD, attendanceMonths: 1 },
      progressBar(false),
    );
    stages = { ...stages, ...g.timings };
    await database.close();
  }
  const t1 = performance.now();
  const running = await boot({
    PORT: '0',
    HOST: '127.0.0.1',
    XF_DATA_DIR: msg.dataDir,
    DATABASE_URL: msg.databaseUrl,
    XF_DEMO: '0',
    XF_LOG_LEVEL: 'warn',
    XF_WEB_DIST: '',
    // Every phone here comes from 127.0.0.1: the per-address limit on login would see one
    // client signing in hundreds of times. At a venue each phone has its own address.
    XF_PUBLIC_RATE_PER_MIN: '1000000',
  });
  stages.boot = Math.round(performance.now() - t1);
  // The server's own database handle (PGlite allows one per folder); closing stays with running.close().
  const conn = await rawConn({ db: running.services.db, kind: running.services.dbKind, close: async () => {} });
  const accounts = await prepareAccounts(conn, running, msg.members);
  const t2 = performance.now();

  // The 书记 creates and publishes the 主题党日 through the API: real invitations for every member.
  const now = Date.now();
  const created = await api(running.url, accounts.secretaryToken, '/meetings', {
    method: 'POST',
    body: JSON.stringify({
      orgId: accounts.rootOrgId,
      kind: 'theme_day',
      title: '主题党日：重温入党誓词（负载测试）',
      // Starts in 10 minutes: sign-in is open (from 30 minutes before) and nobody is late.
      startsAt: new Date(now + 10 * 60_000).toISOString(),
      endsAt: new Date(now + 130 * 60_000).toISOString(),
      location: '集团大礼堂',
    }),
  });
  if (created.status !== 201) throw new Error(`create meeting: ${created.status} ${JSON.stringify(created.body)}`);
  const meeting = created.body as { id: string };
  const published = await api(running.url, accounts.secretaryToken, `/meetings/${meeting.id}/publish`, {
    method: 'POST',
    body: '{}',
  });
  if (published.status !== 200)
    throw new Error(`publish meeting: ${published.status} ${JSON.stringify(published.body)}`);
  const inv = await conn.query<{ id: string; member_id: string }>(
    `select id, member_id from meeting_attendance where meeting_id = $1`,
    [meeting.id],
  );
  const invitation = new Map(inv.map((r) => [r.member_id, r.id]));
  // A meeting invites at most MAX_INVITEES (2,000) people (meeting/invitees.ts: larger gatherings are held per
  // subordinate org), so in a larger tenant the phones are the invited members among the accounts.
  const members: LoadMember[] = accounts.users
    .filter((u) => invitation.has(u.id))
    .map((u) => ({ memberId: u.id, username: u.username, token: u.token, invitationId: invitation.get(u.id)! }));
  if (members.length < Math.min(accounts.users.length, MAX_INVITEES) * 0.9)
    throw new Error(`only ${members.length} of ${accounts.users.length} load members were invited to the meeting`);
  const t3 = performance.now();
  send({
    type: 'ready',
    url: running.url,
    meetingId: meeting.id,
    secretaryToken: accounts.secretaryToken,
    members,
    setup: { generateMs: Math.round(t1 - t0), accountsMs: Math.round(t2 - t1), meetingMs: Math.round(t3 - t2), stages },
  });

  process.on('message', (m: LoadVerify | { type: 'reset-rss' } | { type: 'close' }) => {
    void (async () => {
      if (m.type === 'reset-rss') peakRss = process.memoryUsage.rss();
      if (m.type === 'verify') send(await verify(conn, meeting.id, m.signedIn));
      if (m.type === 'close') {
        conn.release();
        await running.close();
        process.exit(0);
      }
    })().catch(fail);
  });
}

async function verify(conn: Conn, meetingId: string, signedIn: string[]): Promise<LoadVerified> {
  sampleRss();
  const [c] = await conn.query<{ rows: number; invited: number; distinct_members: number }>(
    `select count(*)::int as rows, (count(*) filter (where invited))::int as invited, count(distinct member_id)::int as distinct_members
     from meeting_attendance where meeting_id = $1`,
    [meetingId],
  );
  const db = new Set(
    (
      await conn.query<{ member_id: string }>(
        `select member_id from meeting_attendance where meeting_id = $1 and checked_in_at is not null`,
        [meetingId],
      )
    ).map((r) => r.member_id),
  );
  const sent = new Set(signedIn);
  const [audit] = await conn.query<{ n: number }>(
    `select count(*)::int as n from audit_log where action = 'meeting.checkin' and after->>'meetingId' = $1`,
    [meetingId],
  );
  return {
    type: 'verified',
    rows: c!.rows,
    invited: c!.invited,
    duplicates: c!.rows - c!.distinct_members,
    lost: [...sent].filter((id) => !db.has(id)),
    unexpected: [...db].filter((id) => !sent.has(id)),
    signedInDb: db.size,
    auditRows: audit!.n,
    rss: { peakMiB: Math.round(peakRss / 2 ** 20), nowMiB: Math.round(process.memoryUsage.rss() / 2 ** 20) },
  };
}

function fail(err: unknown) {
  send({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
  setTimeout(() => process.exit(1), 100);
}

process.once('message', (m: LoadServerStart) => {
  if (m.type === 'start') start(m).catch(fail);
});
