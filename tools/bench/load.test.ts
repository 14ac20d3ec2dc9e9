/**
 * The load test in its short form (issue 9): 200 members on a generated tenant, 15 s of the
 * meeting-morning mix (load.ts) through real HTTP on loopback, then the sign-ins checked against
 * the database. Runs alone after the other test files (tools/test.mjs runs bench tests with
 * concurrency 1), so the timing bound below competes with nothing of ours.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadReport, runLoad, tempDataDir, type LoadResult } from './load';

const dataDir = tempDataDir();
let r: LoadResult;

describe('load: 200 members open the app and scan the sign-in QR for 15 s (PGlite)', { timeout: 300_000 }, () => {
  before(async () => {
    r = await runLoad({ members: 200, seconds: 15, connections: 10, rate: 0, dataDir, seed: 7, log: () => {} });
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('answers every request of the mix with a 2xx: no 5xx, no connection errors, no timeouts', (t) => {
    // The numbers, for whoever reads the test output (node's runner prints diagnostics with the results).
    for (const line of loadReport(r).split('\n')) t.diagnostic(line);
    assert.ok(r.total.requests > 50, `only ${r.total.requests} requests answered`);
    assert.deepEqual(
      { errors: r.total.errors, timeouts: r.total.timeouts, non2xx: r.total.non2xx, s5xx: r.total.s5xx },
      { errors: 0, timeouts: 0, non2xx: 0, s5xx: 0 },
      r.errorSamples.join('\n'),
    );
    for (const kind of ['login', 'upcoming', 'meeting', 'dues', 'checkin'])
      assert.ok(
        r.kinds.some((k) => k.name === kind && k.count > 0),
        `${kind} was part of the mix`,
      );
  });

  it('signs each member in exactly once, however often they scan or tap', () => {
    assert.ok(r.signIns.members >= 10, `only ${r.signIns.members} sign-ins`);
    assert.equal(r.signIns.doubleFirsts, 0, 'a member got "签到成功" twice');
    assert.equal(r.signIns.wrongMember, 0, 'a sign-in answered for another member');
    assert.equal(r.signIns.doubleTap.members, 10);
    assert.equal(r.signIns.doubleTap.exactlyOneFirst, 10, 'three taps at once made more or less than one sign-in');
  });

  it('stores exactly what was answered: one attendance row per invited member, none lost, none extra, one audit row each', () => {
    assert.equal(r.db.duplicates, 0);
    assert.equal(r.db.rows, r.db.invited, 'sign-ins of invited members add no rows');
    assert.deepEqual(r.db.lost, [], 'answered "签到成功" but not in the database');
    assert.deepEqual(r.db.unexpected, [], 'signed in in the database but never answered');
    assert.equal(r.db.auditRows, r.db.signedInDb, 'one meeting.checkin audit row per sign-in');
    assert.ok(r.db.signedInDb >= r.signIns.members);
  });

  it("shows the 书记's attendance list exactly the members who signed in", () => {
    assert.ok(r.attendanceListMatches);
  });

  it('keeps the p95 of the mix within a bound only a real regression breaks', () => {
    // Measured on the shared 2-core box at load average 15–17 (other agents' builds and tests):
    // p95 of all requests 1.3–3.4 s, of sign-ins 0.9–2.6 s, with 10 connections in a closed loop
    // (each phone sends its next request when the last is answered, so p95 ≈ queueing behind 9
    // others). 15 s is 4–5× the worst of those: a lost index, a request holding a lock or a
    // serial bottleneck (seconds per request) breaks it; a busy box does not.
    const checkin = r.kinds.find((k) => k.name === 'checkin')!;
    assert.ok(r.total.p95 < 15_000, `p95 ${r.total.p95} ms`);
    assert.ok(checkin.p95 < 15_000, `sign-in p95 ${checkin.p95} ms`);
  });
});
