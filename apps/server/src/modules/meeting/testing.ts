/**
 * What the online-meeting tests share (remote attendance, 举手, 线上代签, 流动党员 at the host branch): times on the
 * shared clock, a join link, and a hybrid 党员大会 that is under way.
 */
import assert from 'node:assert/strict';
import { nowMs } from '@xianfeng/shared';
import type { TestApp } from '../../testing/harness';

export const MIN = 60_000;
/** `ms` after the shared clock's now (negative: before), as the API takes times. */
export const iso = (ms: number) => new Date(nowMs() + ms).toISOString();
export const JOIN = { service: 'tencent', link: 'https://meeting.tencent.com/dm/AbCdEf123', number: '123 456 789' };

/**
 * A 党员大会 of `orgId`, in the room and online, that began 10 minutes ago and lasts 90; published (its invitations
 * sent) unless `publish: false`. `over` replaces any field of the request.
 */
export async function hybridMeeting(
  t: TestApp,
  token: string,
  orgId: string,
  over: Record<string, unknown> = {},
  { publish = true } = {},
): Promise<string> {
  const r = await t.request({
    method: 'POST',
    url: '/api/v1/meetings',
    token,
    body: {
      orgId,
      kind: 'party_congress',
      title: '党员大会（现场 + 线上）',
      startsAt: iso(-10 * MIN),
      endsAt: iso(80 * MIN),
      location: '党员活动室',
      mode: 'hybrid',
      online: JOIN,
      ...over,
    },
  });
  assert.equal(r.status, 201, r.raw);
  const id = r.body.id as string;
  if (publish) {
    const p = await t.request({ method: 'POST', url: `/api/v1/meetings/${id}/publish`, token, body: {} });
    assert.equal(p.status, 200, p.raw);
  }
  return id;
}

/** The code the host reads out for remote sign-in, as the host's page shows it now. */
export async function remoteCode(t: TestApp, token: string, meetingId: string): Promise<string> {
  const r = await t.request({ method: 'GET', url: `/api/v1/meetings/${meetingId}/remote-code`, token });
  assert.equal(r.status, 200, r.raw);
  return r.body.code as string;
}
