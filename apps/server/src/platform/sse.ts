/**
 * The plumbing shared by the server-sent-event streams (notify/stream.ts, media/lectures-stream.ts): opening a
 * hijacked response as an event stream, and a registry of open streams grouped by a string key (a user, a
 * lecture) with the keep-alive beat. Each module keeps its own events and fan-out; only the bookkeeping that
 * must behave the same everywhere lives here.
 *
 * The beat writes a comment line (proxies close idle connections) and re-checks each stream's session: the
 * stream authenticated once at connect, so without this a signed-out, idle, expired or disabled user would
 * keep receiving events. The check reads without renewing, so an open tab does not keep an idle session
 * alive. Sessions expire in real time, hence Date.now() rather than the shared test clock.
 */
import { eq } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { SessionPolicy } from './auth';
import type { Db } from './db';
import { registerStreams } from './counters';
import { appUser, session } from './schema';

export type SseStream = {
  /** The session the stream was opened with; checked at every beat. */
  tokenHash: string;
  write(chunk: string): void;
  close(): void;
};

/**
 * Hijacks the reply and starts an event stream. `gone` runs once the client goes away; after that, and after
 * close(), writes are dropped (writing to an ended response would throw).
 */
export function openEventStream(reply: FastifyReply, gone: () => void): Pick<SseStream, 'write' | 'close'> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx would otherwise buffer the stream and deliver events late
    'x-accel-buffering': 'no',
  });
  raw.socket?.setNoDelay?.(true);
  let closed = false;
  const done = () => {
    closed = true;
    gone();
  };
  raw.on('close', done);
  raw.on('error', done);
  return {
    write: (chunk) => {
      if (!closed) raw.write(chunk);
    },
    close: () => {
      if (closed) return;
      closed = true;
      raw.end();
    },
  };
}

/** Open streams by key, with the keep-alive beat (running only while a stream is open). */
export class SseHub<S extends SseStream> {
  private byKey = new Map<string, Set<S>>();
  private unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
    private readonly heartbeatMs: number,
    /** The kind of stream in metrics (`xf_sse_streams{kind}`). */
    readonly kind = 'events',
  ) {
    this.unsubscribe.push(registerStreams(this));
  }

  /** Registers a teardown (a bus listener) for close(). */
  onClose(unsubscribe: () => void): void {
    this.unsubscribe.push(unsubscribe);
  }

  get size(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.size;
    return n;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** A copy, so callers may drop streams while walking it. */
  streams(key: string): S[] {
    return [...(this.byKey.get(key) ?? [])];
  }

  /** Every open stream, in key order then opening order (a copy). */
  all(): S[] {
    return [...this.byKey.values()].flatMap((set) => [...set]);
  }

  add(key: string, stream: S): void {
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(stream);
    this.ensureTimer();
  }

  /** Forgets the stream; closes it too unless the client already went away. */
  drop(key: string, stream: S, close = true): void {
    const set = this.byKey.get(key);
    set?.delete(stream);
    if (set && set.size === 0) this.byKey.delete(key);
    if (close) stream.close();
  }

  private ensureTimer() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  /** Keep-alive, and the end (`bye`) of streams whose session is over. */
  async beat(): Promise<void> {
    const now = Date.now();
    for (const [key, set] of [...this.byKey])
      for (const s of [...set]) {
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
            this.drop(key, s);
          }
        } catch {
          // The database is briefly unreachable: checked again at the next beat.
        }
      }
    if (this.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const set of this.byKey.values()) for (const s of set) s.close();
    this.byKey.clear();
  }
}
