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
 * Listeners are removed when the client goes away or the server closes. The stream registry, heartbeat and
 * session check are platform/sse.ts (shared with the notice stream); this file is the room's fan-out.
 */
import type { FastifyReply } from 'fastify';
import type { SessionPolicy } from '../../platform/auth';
import { busOf } from '../../platform/bus';
import type { Db } from '../../platform/db';
import { openEventStream, SseHub, type SseStream } from '../../platform/sse';
import { questionView, streamQuestions, visibleTo } from './lectures';

export const LECTURE_HEARTBEAT_MS = 25_000;
/** Open rooms one user may hold in one process; the oldest is closed beyond it. */
export const MAX_ROOMS_PER_USER = 8;

type Room = SseStream & {
  lectureId: string;
  userId: string;
  moderator: boolean;
  /** question id → the status last sent */
  sent: Map<string, string>;
};

export class LectureHub {
  /** Rooms by lecture id. */
  private rooms: SseHub<Room>;
  private busy = new Set<string>();
  private again = new Set<string>();

  constructor(
    private readonly db: Db,
    policy: SessionPolicy,
  ) {
    this.rooms = new SseHub<Room>(db, policy, LECTURE_HEARTBEAT_MS, 'lecture');
    const bus = busOf(db);
    if (bus) {
      this.rooms.onClose(bus.on('xf_lecture', (lectureId) => void this.flush(lectureId)));
      this.rooms.onClose(bus.onReconnect(() => this.wakeAll()));
    }
  }

  /** Open rooms (tests). */
  get size(): number {
    return this.rooms.size;
  }

  wakeAll(): void {
    for (const id of this.rooms.keys()) void this.flush(id);
  }

  /** Reads the lecture's questions once and sends every open room of it what it has not seen (one flush at a time per lecture). */
  private async flush(lectureId: string): Promise<void> {
    if (!this.rooms.has(lectureId)) return;
    if (this.busy.has(lectureId)) {
      this.again.add(lectureId);
      return;
    }
    this.busy.add(lectureId);
    try {
      do {
        this.again.delete(lectureId);
        const rows = await streamQuestions(this.db, lectureId);
        for (const room of this.rooms.streams(lectureId)) this.send(room, rows);
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
  async serve(
    reply: FastifyReply,
    lectureId: string,
    userId: string,
    tokenHash: string,
    moderator: boolean,
  ): Promise<void> {
    const rows = await streamQuestions(this.db, lectureId);
    const room: Room = {
      lectureId,
      userId,
      tokenHash,
      moderator,
      sent: new Map(),
      ...openEventStream(reply, () => this.rooms.drop(lectureId, room, false)),
    };
    this.rooms.add(lectureId, room);
    // The cap is per user across all lectures, so it walks every room rather than one key's.
    const mine = this.rooms.all().filter((r) => r.userId === userId);
    if (mine.length > MAX_ROOMS_PER_USER) this.rooms.drop(mine[0]!.lectureId, mine[0]!);
    room.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ lectureId, moderator })}\n\n`);
    this.send(room, rows);
  }

  close(): void {
    this.rooms.close();
  }
}
