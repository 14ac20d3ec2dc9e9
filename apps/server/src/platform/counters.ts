/**
 * The metrics this process counts (platform/metrics.ts renders them for GET /metrics). No imports, so any
 * platform file or module can count without an import cycle.
 */
export type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
export const labelText = (l: Labels) => {
  const keys = Object.keys(l);
  return keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(l[k]!)}"`).join(',')}}` : '';
};
/** A series' key in memory: its labels without the escaping of the exposition text (that is done when rendering). */
const keyOf = (l: Labels) => {
  let k = '';
  for (const name in l) k += `${name}\u0000${l[name]}\u0001`;
  return k;
};
export const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

export class Counter {
  private values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    this.series(labels).value += by;
  }
  /**
   * The series of these labels, to add to directly (`.value += 1`) from a hot path that keeps it: no key is built
   * per increment. Made with 0 here: take it only when about to count.
   */
  series(labels: Labels): { readonly labels: Labels; value: number } {
    const key = keyOf(labels);
    let e = this.values.get(key);
    if (!e) this.values.set(key, (e = { labels, value: 0 }));
    return e;
  }
  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const e of this.values.values()) lines.push(`${this.name}${labelText(e.labels)} ${num(e.value)}`);
    return lines.join('\n');
  }
}

type HistogramSeries = { readonly labels: Labels; counts: number[]; sum: number; count: number };

export class Histogram {
  private values = new Map<string, HistogramSeries>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}
  observe(labels: Labels, v: number): void {
    this.observeIn(this.series(labels), v);
  }
  /** The series of these labels, for `observeIn` from a hot path that keeps it (as Counter.series). */
  series(labels: Labels): HistogramSeries {
    const key = keyOf(labels);
    let e = this.values.get(key);
    if (!e) this.values.set(key, (e = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    return e;
  }
  observeIn(e: HistogramSeries, v: number): void {
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) e.counts[i]! += 1;
    e.sum += v;
    e.count += 1;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const e of this.values.values()) {
      this.buckets.forEach((b, i) =>
        lines.push(`${this.name}_bucket${labelText({ ...e.labels, le: num(b) })} ${e.counts[i]}`),
      );
      lines.push(`${this.name}_bucket${labelText({ ...e.labels, le: '+Inf' })} ${e.count}`);
      lines.push(`${this.name}_sum${labelText(e.labels)} ${num(e.sum)}`);
      lines.push(`${this.name}_count${labelText(e.labels)} ${e.count}`);
    }
    return lines.join('\n');
  }
}

/** Counters the platform and modules add to (one set per process). */
export const METRICS = {
  requests: new Counter('xf_http_requests_total', 'HTTP requests answered, by method, route template and status code.'),
  latency: new Histogram(
    'xf_http_request_duration_seconds',
    'Time to answer HTTP requests, by method and route template.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
  cache: new Counter(
    'xf_cache_requests_total',
    'Result and exact cache look-ups, by cache and result (hit, stale = served stale while recomputing, miss).',
  ),
  deliveries: new Counter(
    'xf_notify_deliveries_total',
    'Notice deliveries attempted, by channel (email, sms, webhook, robot providers) and result (sent, skipped, error).',
  ),
  jobs: new Counter(
    'xf_jobs_finished_total',
    'Jobs run by this process, by kind and outcome (done, failed, retry, dead).',
  ),
  replicaReads: new Counter(
    'xf_db_read_statements_total',
    'Statements of the heavy read path (DATABASE_READ_URL), by where they ran (replica, primary) and why (fresh, replica_behind, replica_down, replica_conflict, not_read_only).',
  ),
};

/** Open server-sent-event streams of this process, by kind (registered by platform/sse.ts hubs). */
export const streamCounts = new Set<{ kind: string; size: number }>();
export function registerStreams(hub: { kind: string; size: number }): () => void {
  streamCounts.add(hub);
  return () => streamCounts.delete(hub);
}
