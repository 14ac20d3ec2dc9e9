import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateElection, termEnd, type ElectionInput } from './org';

const base: ElectionInput = {
  heldOn: '2026-06-30',
  seats: 5,
  dueVoters: 40,
  presentVoters: 33,
  ballotsIssued: 33,
  ballotsReturned: 33,
  candidates: [
    { name: '甲', votes: 30 },
    { name: '乙', votes: 28 },
    { name: '丙', votes: 25 },
    { name: '丁', votes: 20 },
    { name: '戊', votes: 17 },
    { name: '己', votes: 10 },
  ],
};

describe('election rules (基层组织选举工作条例)', () => {
  it('accepts 6 candidates for 5 seats (差额 ≥ 20%, rounded up) and elects the five with more than half', () => {
    const r = evaluateElection(base);
    assert.equal(r.minCandidates, 6);
    assert.equal(r.valid, true);
    assert.deepEqual(r.elected, ['甲', '乙', '丙', '丁', '戊']);
  });

  it('warns when candidates are fewer than seats + 20% (5 candidates for 5 seats)', () => {
    const r = evaluateElection({ ...base, candidates: base.candidates.slice(0, 5) });
    assert.equal(r.valid, false);
    assert.ok(r.warnings.some((w) => w.rule === 'margin'));
  });

  it('rounds the 20% margin up: 3 seats need 4 candidates', () => {
    assert.equal(evaluateElection({ ...base, seats: 3 }).minCandidates, 4);
  });

  it('voids the election when exactly 4/5 of those due attend, and holds it at one more', () => {
    const atFourFifths = evaluateElection({ ...base, presentVoters: 32, ballotsIssued: 32, ballotsReturned: 32 });
    assert.equal(atFourFifths.valid, false);
    assert.deepEqual(atFourFifths.elected, []);
    assert.ok(atFourFifths.warnings.some((w) => w.rule === 'quorum'));
    assert.equal(evaluateElection({ ...base, presentVoters: 33 }).valid, true);
  });

  it('does not elect a candidate with exactly half of the voters present, nor fill the seat from below', () => {
    const r = evaluateElection({
      ...base,
      presentVoters: 34,
      ballotsIssued: 34,
      ballotsReturned: 34,
      candidates: [...base.candidates.slice(0, 4), { name: '戊', votes: 17 }, { name: '己', votes: 16 }],
    });
    assert.deepEqual(r.elected, ['甲', '乙', '丙', '丁']);
    assert.ok(r.warnings.some((w) => w.rule === 'majority'));
  });

  it('voids a round in which more ballots came back than were issued', () => {
    const r = evaluateElection({ ...base, ballotsReturned: 34 });
    assert.equal(r.valid, false);
    assert.ok(r.warnings.some((w) => w.rule === 'ballots'));
  });

  it('computes the next 换届 date from the term length', () => {
    assert.equal(termEnd('2023-05-20', 3), '2026-05-20');
  });
});
