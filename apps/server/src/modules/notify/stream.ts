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
 * keep an idle session alive) and the stream ends when it is over. The stream registry, heartbeat and
 * session check are platform/sse.ts (shared with the lecture rooms); this file is the notices' fan-out.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { busOf } from '../../platform/bus';
import type { Db } from '../../platform/db';
import type { SessionPolicy } from '../../platform/auth';
import { openEventStream, SseHub, type SseStream } from '../../platform/sse';
import { latestSeq, notificationsAfter, unreadCount } from './service';

export const HEARTBEAT_MS = 25_000;
/** Streams one user may hold in one process; the oldest is closed beyond it. */
export const MAX_STREAMS_PER_USER = 8;

type Stream = SseStream & {
  tenantId: string;
  userId: string;
  lastSeq: number;
  unread: number;
  busy: boolean;
  again: boolean;
};

export class StreamHub {
  /** Streams by user id. */
  private streams: SseHub<Stream>;

  constructor(
    private readonly db: Db,
    policy: SessionPolicy,
  ) {
    this.streams = new SseHub<Stream>(db, policy, HEARTBEAT_MS, 'notifications');
    const bus = busOf(db);
    if (bus) {
      this.streams.onClose(bus.on('xf_notify', (userId) => this.wake(userId)));
      this.streams.onClose(bus.onReconnect(() => this.wakeAll()));
    }
  }

  get size(): number {
    return this.streams.size;
  }

  wake(userId: string): void {
    for (const s of this.streams.streams(userId)) void this.flush(s);
  }

  wakeAll(): void {
    for (const s of this.streams.all()) void this.flush(s);
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
        const items = await notificationsAfter(this.db, s.tenantId, s.userId, s.lastSeq);
        const unread = await unreadCount(this.db, s.tenantId, s.userId);
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
  async serve(
    req: FastifyRequest,
    reply: FastifyReply,
    tenantId: string,
    userId: string,
    tokenHash: string,
  ): Promise<void> {
    const lastEventId = Number(req.headers['last-event-id'] ?? NaN);
    const [seq, unread] = await Promise.all([
      latestSeq(this.db, tenantId, userId),
      unreadCount(this.db, tenantId, userId),
    ]);
    const s: Stream = {
      tenantId,
      userId,
      tokenHash,
      // A reconnect resumes after what the browser saw; a new stream starts at the newest notice.
      lastSeq: Number.isFinite(lastEventId) && lastEventId >= 0 && lastEventId <= seq ? lastEventId : seq,
      unread,
      busy: false,
      again: false,
      ...openEventStream(reply, () => this.streams.drop(userId, s, false)),
    };
    this.streams.add(userId, s);
    const mine = this.streams.streams(userId);
    if (mine.length > MAX_STREAMS_PER_USER) this.streams.drop(userId, mine[0]!);
    s.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ unread, seq })}\n\n`);
    if (s.lastSeq < seq) void this.flush(s);
  }

  close(): void {
    this.streams.close();
  }
}
