/** The bench results as markdown tables (measured vs target, met or not) for docs/benchmarks.md. */
import type { BenchResult } from './run';

const ok = (met: boolean) => (met ? '✅ met' : '❌ missed');

export function markdownReport(results: BenchResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const slack = r.kind === 'pglite' ? 3 : 1;
    lines.push(
      `### ${r.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} — ${r.members.toLocaleString('en')} members, ${r.orgs.toLocaleString('en')} orgs`,
    );
    if (r.generated)
      lines.push(
        `Generated in ${r.generated.seconds} s (field encryption + blind indexes: ${r.generated.cryptoSeconds} s of Node CPU; stages ms: ${JSON.stringify(r.generated.timings)}).`,
      );
    lines.push('');
    lines.push(
      `| measure | target${slack > 1 ? ' (PGlite: 3×)' : ''} | API p50 / p95 ms | raw SQL p50 / p95 ms | API ÷ raw (≤ 1.5) | result |`,
    );
    lines.push('|---|---|---|---|---|---|');
    for (const c of r.cases) {
      const target = c.targetMs === null ? '—' : `p95 ≤ ${c.targetMs * slack} ms`;
      const met = c.targetMs === null ? 'info' : ok(c.api.p95 <= c.targetMs * slack);
      lines.push(
        `| ${c.name} | ${target} | ${c.api.p50} / ${c.api.p95} | ${c.raw.p50} / ${c.raw.p95} (${c.queries} q) | ${c.ratio} ${c.ratio <= 1.5 ? '' : '❌'} | ${met} |`,
      );
    }
    if (r.import)
      lines.push(
        `| import ${r.import.rows.toLocaleString('en')} rows (.xlsx, async job) | ≤ ${(20 * slack * r.import.rows) / 100_000} s | ${r.import.seconds} s | — | — | ${ok(r.import.seconds <= (20 * slack * r.import.rows) / 100_000)} |`,
      );
    if (r.import?.read)
      lines.push(
        `| GET /api/v1/me every ~100 ms during the import (${r.import.read.n} reads) | info | ${r.import.read.p50} / ${r.import.read.p95} (max ${r.import.read.max}) | — | — | info |`,
      );
    if (r.bills)
      lines.push(
        `| monthly bills for all members (${r.bills.created.toLocaleString('en')} bills, job via API) | ≤ ${(15 * slack * r.members) / 1_000_000} s | ${r.bills.seconds} s | — | — | ${ok(r.bills.seconds <= (15 * slack * r.members) / 1_000_000)} |`,
      );
    if (r.http)
      lines.push(
        `| HTTP ${r.http.endpoint} vs bare Fastify (autocannon -c 10) | ≥ 50% | ${r.http.appRps} vs ${r.http.bareRps} req/s | — | ${r.http.ratio} | ${ok(r.http.ratio >= 0.5)} |`,
      );
    lines.push(
      `| server RSS, peak | ≤ 1024 MiB | ${r.rss.peakMiB} MiB (${Object.entries(r.rss.byPhase)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}) | — | — | ${ok(r.rss.peakMiB <= 1024)} |`,
    );
    lines.push('');
    lines.push(
      `Index probe: blind-index lookup ${r.probe.indexLookupMs} ms vs a scan of the member table ${r.probe.seqScanMs} ms.`,
    );
    for (const m of r.missing) lines.push(`- Not measured: ${m}.`);
    lines.push('');
  }
  return lines.join('\n');
}
