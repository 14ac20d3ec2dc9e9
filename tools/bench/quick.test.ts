/**
 * The quick bench (20k members) inside the test suite. The CI box is a shared 2-core machine, so
 * these assert ratios — API against its own SQL, indexed lookups against a scan, the app against
 * a bare Fastify route — never absolute times.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBench, type BenchResult } from './run';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-quick-bench-'));
let r: BenchResult;
const byName = (prefix: string) => {
  const c = r.cases.find((x) => x.name.startsWith(prefix));
  assert.ok(c, `case ${prefix} measured`);
  return c;
};

describe('quick bench (20k members, PGlite)', { timeout: 480_000 }, () => {
  before(async () => {
    r = await runBench({
      kind: 'pglite',
      members: 20_000,
      orgs: 1_000,
      dataDir,
      seed: 1,
      quick: true,
      importRows: 500,
      iterations: 5,
      httpSeconds: 1,
      log: () => {},
      showProgress: false,
    });
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('finds a member by 身份证号 through the blind index, far cheaper than scanning the member table', () => {
    // Timings flake on a shared 2-core machine (docs/benchmarks.md has them); the plan does not.
    assert.match(r.probe.lookupPlan, /Index (Only )?Scan using \S*id_card\S*/, r.probe.lookupPlan);
    assert.doesNotMatch(r.probe.lookupPlan, /Seq Scan on member/, r.probe.lookupPlan);
    // The API's own search by ID costs less than the subtree statistics scan of the same org.
    assert.ok(
      byName('roster search: 身份证号').raw.p50 < byName('subtree stats (top org)').raw.p50,
      JSON.stringify(r.cases),
    );
  });

  it('keeps the API within a small factor of the SQL it runs for the heavy reads', () => {
    for (const name of ['subtree stats (top org)', 'roster search: name (top org)', 'roster first page']) {
      const c = byName(name);
      assert.ok(c.ratio <= 2.5, `${name}: API ${c.api.p50} ms vs raw ${c.raw.p50} ms`);
    }
  });

  it('imports a real .xlsx through the import job, all rows', () => {
    assert.equal(r.import?.imported, 500);
  });

  it('runs the monthly bill job for every member with a base or a fixed amount, and the generator made a year of bills', () => {
    assert.ok(r.bills, 'bill case measured');
    // ~98% of the generated members are active and billable (left members get none).
    assert.ok(r.bills.created > 19_000 && r.bills.created === r.bills.bills, JSON.stringify(r.bills));
  });

  it('serves the cached read endpoint over HTTP at a useful fraction of a bare Fastify route', () => {
    // A regression guard, not the target (0.5, issue 25): member stats through the principal, org-ref and result
    // caches (platform/cache.ts) against a bare route answering the same payload. 0.30–0.60 measured at load 4–13
    // on 2 cores (0.03 before the caches); the guard leaves a 1.5× margin for a busy CI machine.
    assert.ok(r.http && r.http.ratio > 0.2, JSON.stringify(r.http));
  });

  it('answers subtree stats from the member tally within the target, cold, and from the cache at least as fast', () => {
    // Exact at read time (ADR 0002): a cold read sums the top org's tally rows instead of scanning its members. An
    // absolute bound, unlike the rest: ADR 0002's PGlite target at 1M (300 ms), here at 20k on a busy box.
    const cold = byName('subtree stats (top org), cold compute').api.p50;
    assert.ok(cold < 300, JSON.stringify(r.cases));
    assert.ok(byName('subtree stats cached read (top org)').api.p50 <= cold, JSON.stringify(r.cases));
  });
});
