/**
 * Issue 13 item 8 in the browser: the secretary records a 党员大会's resolution with its vote. With fewer than half
 * of the voters ticked as present the server refuses to let it vote; with a quorum and a majority the minutes are
 * kept with the vote beside the resolution, at 1280 and at 390 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import { apiCall, DEMO_PASSWORD, itWithShots, noOverflow, startE2e, type E2e } from './harness';

describe('votes at a 党员大会', () => {
  let e: E2e;
  let meetingId = '';
  /** Names of the invited 正式党员 (the voters) and of the invited 预备党员 (attend, no vote). */
  let voters: string[] = [];
  let probationary: string[] = [];
  const it = itWithShots(() => e, 'votes');

  before(async () => {
    e = await startE2e();
    const call = (method: string, url: string, token: string | null, body?: unknown) =>
      apiCall(e, method, url, token, body);
    const { token } = await call('POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD });
    const me = await call('GET', '/me', token);
    const orgId = me.roles[0].orgId as string;
    const m = await call('POST', '/meetings', token, {
      orgId,
      kind: 'party_congress',
      title: '党员大会：审议支部年度工作计划',
      startsAt: new Date(nowMs() - 30 * 60_000).toISOString(),
      endsAt: new Date(nowMs() + 60 * 60_000).toISOString(),
      location: '党员活动室',
    });
    meetingId = m.id;
    await call('POST', `/meetings/${meetingId}/publish`, token, {});
    const att = await call('GET', `/meetings/${meetingId}/attendance?pageSize=200`, token);
    const invited = new Set((att.items as { memberName: string }[]).map((a) => a.memberName));
    const full = await call('GET', `/members?orgId=${orgId}&status=full&pageSize=200`, token);
    const prob = await call('GET', `/members?orgId=${orgId}&status=probationary&pageSize=200`, token);
    voters = (full.items as { name: string }[]).map((x) => x.name).filter((n) => invited.has(n));
    probationary = (prob.items as { name: string }[]).map((x) => x.name).filter((n) => invited.has(n));
    assert.ok(voters.length >= 6, `voters: ${voters.length}`);
  });
  after(() => e.close());

  it('refuses to vote without a quorum (预备党员 do not count), then keeps the passed resolution with its vote', async () => {
    const p = await e.page(1280);
    await e.login(p, 'shuji');
    await p.goto(`/meetings/${meetingId}?tab=minutes`);
    const form = p.locator('form#minutes');
    await form.getByText(new RegExp(`应到会 ${voters.length} 人，已签到 0 人`)).waitFor();
    await form.getByLabel('主持人').fill('张建国');
    await form.getByLabel('记录人').fill('组织委员');
    await form.getByLabel('会议内容').fill('审议支部年度工作计划，党员逐条讨论后举手表决。');
    await form.getByRole('button', { name: /添加决议/ }).click();
    await form.getByLabel('决议 1', { exact: true }).fill('通过支部年度工作计划');
    const half = Math.ceil(voters.length / 2);
    for (const n of [...voters.slice(0, half - 1), ...probationary]) await form.getByLabel(`${n}到会`).check();
    await form.getByLabel('决议 1 赞成票数').fill(String(half - 1));
    await form.getByRole('button', { name: /保存会议记录/ }).click();
    await form
      .getByText(/不足应到会有表决权人数（\d+）的半数，不能表决形成决议/)
      .first()
      .waitFor();
    await e.shot(p, 'votes-no-quorum-1280');

    const passing = Math.floor(voters.length / 2) + 1;
    for (const n of voters.slice(half - 1, passing)) await form.getByLabel(`${n}到会`).check();
    await form.getByLabel('决议 1 赞成票数').fill(String(passing));
    await form.getByRole('button', { name: /保存会议记录/ }).click();
    await p.getByText('会议记录已保存').waitFor();
    await p
      .getByText(`（应到会有表决权 ${voters.length} 人，实到 ${passing} 人；赞成 ${passing}，反对 0，弃权 0）`)
      .waitFor();
    await e.shot(p, 'votes-passed-1280');

    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto(`/meetings/${meetingId}?tab=minutes`);
    await phone.getByText('通过支部年度工作计划').waitFor();
    await phone.getByText(new RegExp(`实到 ${passing} 人；赞成 ${passing}`)).waitFor();
    await noOverflow(phone, 'the minutes with a vote');
    await e.shot(phone, 'votes-passed-390');
    await phone.getByRole('button', { name: '修改会议记录' }).click();
    await phone.getByLabel('决议 1 赞成票数').waitFor();
    await noOverflow(phone, 'the minutes form with votes');
    await e.shot(phone, 'votes-form-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
