/**
 * Live notices: GET /api/v1/notifications/stream, server-sent events, one stream per signed-in tab.
 *
 * Fan-out: `notify()` (and marking read) calls pg_notify('xf_notify', userId) in its transaction; every
 * server process on the database hears it at commit through the listening connection (platform/bus.ts)
 * and each of its streams of that user reads its new notices from the database (seq > the last one it
 * sent). The signal carries no data, so a lost one costs only time: after the listening connection
 * reconnects, every stream catches up; a reconnecting browser sends Last-Event-ID and gets what it missed.
 *
 * Events: `hello` {unread, seq} on connect; `notification` {item, unread} with id = seq; `unread`
 * {unread} when the count changes otherwise (read elsewhere). A comment line every 25 s keeps proxies
 * from closing the connection; at that beat the session is checked (not renewed: an open tab does not
 * keep an idle session alive) and the stream ends when it is over.
 */
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { busOf } from '../../platform/bus';
import type { Db } from '../../platform/db';
import { appUser, session } from '../../platform/schema';
import type { SessionPolicy } from '../../platform/auth';
import { latestSeq, notificationsAfter, unreadCount } from './service';

export const HEARTBEAT_MS = 25_000;
/** Streams one user may hold in one process; the oldest is closed beyond it. */
export const MAX_STREAMS_PER_USER = 8;

type Stream = {
  userId: string;
  tokenHash: string;
  lastSeq: number;
  unread: number;
  busy: boolean;
  again: boolean;
  write(chunk: string): void;
  close(): void;
};

export class StreamHub {
  private byUser = new Map<string, Set<Stream>>();
  private unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
  ) {
    const bus = busOf(db);
    if (bus) {
      this.unsubscribe.push(bus.on('xf_notify', (userId) => this.wake(userId)));
      this.unsubscribe.push(bus.onReconnect(() => this.wakeAll()));
    }
  }

  get size(): number {
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  wake(userId: string): void {
    for (const s of this.byUser.get(userId) ?? []) void this.flush(s);
  }

  wakeAll(): void {
    for (const set of this.byUser.values()) for (const s of set) void this.flush(s);
  }

  /** Sends a stream its notices after its last seq (one flush at a time per stream). */
  private async flush(s: Stream): Promise<void> {
    if (s.busy) {
      s.again = true;
      return;
    }
    s.busy = true;
    try {
      do {
        s.again = false;
        const items = await notificationsAfter(this.db, s.userId, s.lastSeq);
        const unread = await unreadCount(this.db, s.userId);
        for (const item of items) {
          s.lastSeq = item.seq;
          s.write(`id: ${item.seq}\nevent: notification\ndata: ${JSON.stringify({ item, unread })}\n\n`);
        }
        if (items.length === 0 && unread !== s.unread)
          s.write(`event: unread\ndata: ${JSON.stringify({ unread })}\n\n`);
        s.unread = unread;
        if (items.length === 50) s.again = true;
      } while (s.again);
    } catch {
      // The database is briefly unreachable: the next signal or heartbeat tries again.
    } finally {
      s.busy = false;
    }
  }

  /** Serves one stream until the client goes away or its session ends. */
  async serve(req: FastifyRequest, reply: FastifyReply, userId: string, tokenHash: string): Promise<void> {
    const lastEventId = Number(req.headers['last-event-id'] ?? NaN);
    const [seq, unread] = await Promise.all([latestSeq(this.db, userId), unreadCount(this.db, userId)]);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.socket?.setNoDelay?.(true);
    let closed = false;
    const s: Stream = {
      userId,
      tokenHash,
      // A reconnect resumes after what the browser saw; a new stream starts at the newest notice.
      lastSeq: Number.isFinite(lastEventId) && lastEventId >= 0 && lastEventId <= seq ? lastEventId : seq,
      unread,
      busy: false,
      again: false,
      write: (chunk) => {
        if (!closed) raw.write(chunk);
      },
      close: () => {
        if (closed) return;
        closed = true;
        raw.end();
      },
    };
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(s);
    if (set.size > MAX_STREAMS_PER_USER) {
      const oldest = set.values().next().value!;
      set.delete(oldest);
      oldest.close();
    }
    s.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ unread, seq })}\n\n`);
    if (s.lastSeq < seq) void this.flush(s);
    this.ensureTimer();
    const done = () => {
      closed = true;
      set.delete(s);
      if (set.size === 0) this.byUser.delete(userId);
    };
    raw.on('close', done);
    raw.on('error', done);
  }

  private ensureTimer() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Keep-alive, and the end of streams whose session is over. */
  private async beat(): Promise<void> {
    const now = Date.now();
    for (const set of this.byUser.values())
      for (const s of set) {
        s.write(': ping\n\n');
        try {
          const [row] = await this.db
            .select({ expiresAt: session.expiresAt, lastSeenAt: session.lastSeenAt, disabled: appUser.disabled })
            .from(session)
            .innerJoin(appUser, eq(appUser.id, session.userId))
            .where(eq(session.tokenHash, s.tokenHash));
          if (
            !row ||
            row.disabled ||
            row.expiresAt.getTime() <= now ||
            row.lastSeenAt.getTime() + this.policy.idleMs <= now
          ) {
            s.write(`event: bye\ndata: ${JSON.stringify({ reason: '登录已过期' })}\n\n`);
            s.close();
          }
        } catch {
          // Checked again at the next beat.
        }
      }
    if (this.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    if (this.timer) clearInterval(this.timer);
    for (const set of this.byUser.values()) for (const s of set) s.close();
    this.byUser.clear();
  }
}
