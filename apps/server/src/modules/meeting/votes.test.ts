/**
 * Votes at a 党员大会 and a 支委会 (条例 第十一条、第十二条; issue 13 item 8): resolutions need at least half of
 * the invited 正式党员 present (预备党员 do not vote) and more than half of them in favour; the votes are kept
 * with the minutes and printed in the 台账.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs, quorumProblem, voteProblem } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp } from '../../testing/harness';

const MIN = 60_000;
const iso = (ms: number) => new Date(nowMs() + ms).toISOString();

describe('the quorum and majority rules as data', () => {
  it('reads 半数以上 as at least half present, and passing as more than half of those due', () => {
    assert.equal(quorumProblem('party_congress', { entitled: 10, present: 5 }), null);
    assert.match(quorumProblem('party_congress', { entitled: 10, present: 4 })!, /不足应到会有表决权人数（10）的半数/);
    assert.match(quorumProblem('committee', { entitled: 0, present: 0 })!, /没有应到会有表决权的人员/);
    assert.equal(quorumProblem('theme_day', { entitled: 10, present: 0 }), null);
    const body = { entitled: 10, present: 8 };
    assert.match(voteProblem('party_congress', body, { for: 5, against: 3, abstain: 0 }, 1)!, /未获通过.*赞成 5 票/);
    assert.equal(voteProblem('party_congress', body, { for: 6, against: 2, abstain: 0 }, 1), null);
    assert.match(
      voteProblem('party_congress', body, { for: 6, against: 2, abstain: 1 }, 2)!,
      /第 2 项决议的票数（9）多于/,
    );
  });
});

describe('党员大会 minutes with resolutions', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let shuji: string;
  let branch: string;
  before(async () => {
    t = await startTestApp();
    shuji = await t.login('shuji');
    branch = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());
  const minutes = (id: string, over: Record<string, unknown>) =>
    put(`/meetings/${id}/minutes`, shuji, {
      host: '张建国',
      recorder: '组织委员',
      content: '讨论了支部年度工作计划，党员充分发言后表决。',
      resolutions: ['通过支部 2027 年度工作计划'],
      ...over,
    });

  it('refuses a resolution without a vote, without a quorum or without a majority; keeps the passed vote', async () => {
    const created = await post('/meetings', shuji, {
      orgId: branch,
      kind: 'party_congress',
      title: '党员大会：审议年度工作计划',
      startsAt: iso(-30 * MIN),
      endsAt: iso(60 * MIN),
      location: '党员活动室',
    });
    assert.equal(created.status, 201, created.raw);
    const id = created.body.id as string;
    assert.equal((await post(`/meetings/${id}/publish`, shuji, {})).status, 200);
    const invited = await queryRows<{ member_id: string; status: string }>(
      t.services.db,
      sql`select a.member_id, m.status from meeting_attendance a join member m on m.id = a.member_id
          where a.meeting_id = ${id} and a.invited order by m.name`,
    );
    const full = invited.filter((r) => r.status === 'full').map((r) => r.member_id);
    const probationary = invited.filter((r) => r.status === 'probationary').map((r) => r.member_id);
    assert.ok(full.length >= 6 && probationary.length >= 1, `full ${full.length}, probationary ${probationary.length}`);

    const shown = await get(`/meetings/${id}/minutes`, shuji);
    assert.equal(shown.body.voting.entitled, full.length);
    assert.equal(shown.body.voting.present, 0);
    assert.match(shown.body.voting.citation, /第十一条/);

    const half = Math.ceil(full.length / 2);
    // Fewer than half of the voters, plus every probationary member: no quorum (预备党员 do not count).
    const few = await minutes(id, {
      attendees: [...full.slice(0, half - 1), ...probationary],
      votes: [{ for: half - 1, against: 0, abstain: 0 }],
    });
    assert.equal(few.status, 422, few.raw);
    assert.equal(few.body.error.code, 'VOTE_NOT_PASSED');
    assert.match(few.body.error.message, /不足应到会有表决权人数（\d+）的半数/);

    const noVote = await minutes(id, { attendees: full.slice(0, half) });
    assert.equal(noVote.status, 422);
    assert.equal(noVote.body.error.code, 'VOTE_REQUIRED');

    const notPassed = await minutes(id, {
      attendees: full.slice(0, half),
      votes: [{ for: Math.floor(full.length / 2), against: 0, abstain: 0 }],
    });
    assert.equal(notPassed.status, 422);
    assert.match(notPassed.body.error.message, /未获通过/);
    // Nothing of a refused record is kept: the meeting is not held.
    assert.equal((await get(`/meetings/${id}`, shuji)).body.status, 'published');

    const passedFor = Math.floor(full.length / 2) + 1;
    const ok = await minutes(id, {
      attendees: full.slice(0, passedFor),
      votes: [{ for: passedFor, against: 0, abstain: 0 }],
    });
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual(ok.body.votes, [
      { for: passedFor, against: 0, abstain: 0, entitled: full.length, present: passedFor },
    ]);
    assert.equal((await get(`/meetings/${id}`, shuji)).body.status, 'held');
  });

  it('takes no votes for kinds that do not vote', async () => {
    const created = await post('/meetings', shuji, {
      orgId: branch,
      kind: 'theme_day',
      title: '主题党日',
      startsAt: iso(-30 * MIN),
      endsAt: iso(60 * MIN),
      location: '党员活动室',
    });
    const id = created.body.id as string;
    await post(`/meetings/${id}/publish`, shuji, {});
    const [one] = await queryRows<{ member_id: string }>(
      t.services.db,
      sql`select member_id from meeting_attendance where meeting_id = ${id} and invited limit 1`,
    );
    const r = await minutes(id, { attendees: [one!.member_id], votes: [{ for: 1, against: 0, abstain: 0 }] });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'NO_VOTES_FOR_KIND');
  });
});
