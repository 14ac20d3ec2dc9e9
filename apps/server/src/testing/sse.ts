/** Server-sent events read from a fetch response as a browser's EventSource reads them, for tests over loopback. */

/** One event: its `event:` name ('message' when none), its `id:`, and its `data:` parsed as JSON. */
export type ServerEvent = { event: string; id?: string; data: Record<string, unknown> };

/**
 * Reads `res`'s body in the background. `events`: those read so far (comment lines, the keep-alives, skipped);
 * `until(test)`: waits until `test(events)` holds and answers the milliseconds it took, or -1 when `timeoutMs`
 * passed or the stream ended first; `close()` stops reading.
 */
export function openEventStream(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: ServerEvent[] = [];
  let buf = '';
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      buf += decoder.decode(chunk.value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (block.startsWith(':')) continue;
        const ev: ServerEvent = { event: 'message', data: {} };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) ev.event = line.slice(7);
          else if (line.startsWith('id: ')) ev.id = line.slice(4);
          else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6)) as Record<string, unknown>;
        }
        events.push(ev);
      }
    }
    ended = true;
  })();
  return {
    events,
    async until(test: (evs: ServerEvent[]) => boolean, timeoutMs = 2000): Promise<number> {
      const t0 = Date.now();
      while (!test(events)) {
        if (ended || Date.now() - t0 > timeoutMs) return -1;
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - t0;
    },
    async close() {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}
