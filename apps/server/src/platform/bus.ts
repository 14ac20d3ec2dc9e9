/**
 * Cross-process signals over the database's LISTEN/NOTIFY, on the same listening connection as the
 * cache's change feed (platform/cache.ts): a writer calls `pg_notify(channel, payload)` in its
 * transaction, and at commit every server process on the database — and this one — hears it.
 *
 * Channels (fixed, LISTENed at connect):
 * - `xf_outbox`: an event was committed (a trigger on outbox_event); job runners wake up.
 * - `xf_notify`: a notice was added for a user (payload: the user id); live streams push it.
 * - `xf_lecture`: a question of an online lecture was asked or decided (payload: the lecture id); the
 *   lecture rooms' streams (media/lectures-stream.ts) re-read its questions.
 *
 * Signals are hints, not data: a listener re-reads the database, so a missed signal (the connection
 * was down) costs latency, never correctness. After a reconnect, `onReconnect` listeners resync.
 */
import type { Queryable } from './db';

export const BUS_CHANNELS = ['xf_outbox', 'xf_notify', 'xf_lecture'] as const;
export type BusChannel = (typeof BUS_CHANNELS)[number];

export class Bus {
  private subs = new Map<string, Set<(payload: string) => void>>();
  private reconnects = new Set<() => void>();

  on(channel: BusChannel, fn: (payload: string) => void): () => void {
    let set = this.subs.get(channel);
    if (!set) this.subs.set(channel, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  onReconnect(fn: () => void): () => void {
    this.reconnects.add(fn);
    return () => this.reconnects.delete(fn);
  }

  emit(channel: string, payload: string): void {
    for (const fn of this.subs.get(channel) ?? []) {
      try {
        fn(payload);
      } catch {
        // One listener's failure is not the others'.
      }
    }
  }

  reconnected(): void {
    for (const fn of this.reconnects) {
      try {
        fn();
      } catch {
        // as above
      }
    }
  }

  /** Listeners on a channel (tests). */
  count(channel: BusChannel): number {
    return this.subs.get(channel)?.size ?? 0;
  }
}

const buses = new WeakMap<object, Bus>();

export function registerBus(db: object, bus: Bus): void {
  buses.set(db, bus);
}

/** The bus of a database handle; undefined for a transaction. */
export const busOf = (db: Queryable): Bus | undefined => buses.get(db);
