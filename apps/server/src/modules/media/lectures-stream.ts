/**
 * The lecture room's live Q&A: GET /api/v1/media-lectures/:id/stream, server-sent events, one per open room.
 *
 * Fan-out: asking and deciding call pg_notify('xf_lecture', lectureId) in their transaction; every server
 * process on the database hears it at commit on the listening connection (platform/bus.ts), reads the
 * lecture's questions once, and sends each of its open streams of that lecture the questions it may see
 * (approved ones; its viewer's own; all for moderators) that are new or changed since it last sent them.
 * The signal carries no data: after the listening connection reconnects every room re-reads; a browser
 * that reconnects gets the whole list again (`hello` then `question` events).
 *
 * Events: `hello` {lectureId}; `question` {LectureQuestion}. A comment line every 25 s keeps proxies from
 * closing the connection; at that beat the session is checked and the stream ends (`bye`) when it is over.
 * Listeners are removed when the client goes away or the server closes.
 */
import { eq } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { SessionPolicy } from '../../platform/auth';
import { busOf } from '../../platform/bus';
import type { Db } from '../../platform/db';
import { appUser, session } from '../../platform/schema';
import { questionView, streamQuestions, visibleTo } from './lectures';

export const LECTURE_HEARTBEAT_MS = 25_000;
/** Open rooms one user may hold in one process; the oldest is closed beyond it. */
export const MAX_ROOMS_PER_USER = 8;

type Room = {
  lectureId: string;
  userId: string;
  tokenHash: string;
  moderator: boolean;
  /** question id → the status last sent */
  sent: Map<string, string>;
  write(chunk: string): void;
  close(): void;
};

export class LectureHub {
  private byLecture = new Map<string, Set<Room>>();
  private busy = new Set<string>();
  private again = new Set<string>();
  private unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
  ) {
    const bus = busOf(db);
    if (bus) {
      this.unsubscribe.push(bus.on('xf_lecture', (lectureId) => void this.flush(lectureId)));
      this.unsubscribe.push(bus.onReconnect(() => this.wakeAll()));
    }
  }

  /** Open rooms (tests). */
  get size(): number {
    let n = 0;
    for (const s of this.byLecture.values()) n += s.size;
    return n;
  }

  wakeAll(): void {
    for (const id of this.byLecture.keys()) void this.flush(id);
  }

  /** Reads the lecture's questions once and sends every open room of it what it has not seen (one flush at a time per lecture). */
  private async flush(lectureId: string): Promise<void> {
    if (!this.byLecture.has(lectureId)) return;
    if (this.busy.has(lectureId)) {
      this.again.add(lectureId);
      return;
    }
    this.busy.add(lectureId);
    try {
      do {
        this.again.delete(lectureId);
        const rows = await streamQuestions(this.db, lectureId);
        for (const room of this.byLecture.get(lectureId) ?? []) this.send(room, rows);
      } while (this.again.has(lectureId));
    } catch {
      // The database is briefly unreachable: the next signal or heartbeat tries again.
    } finally {
      this.busy.delete(lectureId);
    }
  }

  private send(room: Room, rows: Awaited<ReturnType<typeof streamQuestions>>) {
    for (const q of rows) {
      if (!visibleTo(q, room.userId, room.moderator)) continue;
      if (room.sent.get(q.id) === q.status) continue;
      room.sent.set(q.id, q.status);
      room.write(`id: ${q.id}\nevent: question\ndata: ${JSON.stringify(questionView(q, room.userId))}\n\n`);
    }
  }

  /** Serves one room until the client goes away, its session ends or the server closes. */
  async serve(reply: FastifyReply, lectureId: string, userId: string, tokenHash: string, moderator: boolean): Promise<void> {
    const rows = await streamQuestions(this.db, lectureId);
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
    const room: Room = {
      lectureId,
      userId,
      tokenHash,
      moderator,
      sent: new Map(),
      write: (chunk) => {
        if (!closed) raw.write(chunk);
      },
      close: () => {
        if (closed) return;
        closed = true;
        raw.end();
      },
    };
    let set = this.byLecture.get(lectureId);
    if (!set) this.byLecture.set(lectureId, (set = new Set()));
    set.add(room);
    const mine = [...this.byLecture.values()].flatMap((s) => [...s]).filter((r) => r.userId === userId);
    if (mine.length > MAX_ROOMS_PER_USER) this.drop(mine[0]!);
    room.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ lectureId, moderator })}\n\n`);
    this.send(room, rows);
    this.ensureTimer();
    const done = () => this.drop(room, false);
    raw.on('close', done);
    raw.on('error', done);
  }

  private drop(room: Room, close = true) {
    const set = this.byLecture.get(room.lectureId);
    set?.delete(room);
    if (set && set.size === 0) this.byLecture.delete(room.lectureId);
    if (close) room.close();
  }

  private ensureTimer() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), LECTURE_HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Keep-alive, and the end of rooms whose session is over (real time: sessions expire in real time). */
  private async beat(): Promise<void> {
    const at = Date.now();
    for (const set of [...this.byLecture.values()])
      for (const room of [...set]) {
        room.write(': ping\n\n');
        try {
          const [row] = await this.db
            .select({ expiresAt: session.expiresAt, lastSeenAt: session.lastSeenAt, disabled: appUser.disabled })
            .from(session)
            .innerJoin(appUser, eq(appUser.id, session.userId))
            .where(eq(session.tokenHash, room.tokenHash));
          if (!row || row.disabled || row.expiresAt.getTime() <= at || row.lastSeenAt.getTime() + this.policy.idleMs <= at) {
            room.write(`event: bye\ndata: ${JSON.stringify({ reason: '登录已过期' })}\n\n`);
            this.drop(room);
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
    for (const set of this.byLecture.values()) for (const room of set) room.close();
    this.byLecture.clear();
  }
}
