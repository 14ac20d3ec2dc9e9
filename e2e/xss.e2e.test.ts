/**
 * Issue 9, web security: user text is never markup. Xianfeng accepts no rich text — every field
 * is plain text that React renders escaped, and the lint rule in eslint.config.js forbids
 * `dangerouslySetInnerHTML` and `innerHTML` — so the sanitizer for rich text is "there is no
 * HTML to sanitize". This test is the proof in a real browser: a secretary stores script and
 * markup payloads in a member's name and in a meeting's title, agenda and minutes; the pages that
 * show them (member list and detail, meeting list and detail, minutes, a member's 补学 list on a
 * phone) show the payload as literal text, no payload runs (no dialog, no global set, no
 * request to the attacker's host) and the CSP reports no violation.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, itWithShots, startE2e, type E2e } from './harness';

const MARK = 'xfpwned';
/** Classic payloads: each would run `window.<MARK>=1` (or fetch evil.invalid) if rendered as HTML. */
const PAYLOADS = [
  `<img src=x onerror="window.${MARK}=1">`,
  `<script>window.${MARK}=1</script>`,
  `"><svg onload="window.${MARK}=1">`,
  `<a href="javascript:window.${MARK}=1">点我</a>`,
  `<iframe src="https://evil.invalid/"></iframe>`,
];

describe('user text is rendered as text, never as markup', () => {
  let e: E2e;
  let memberId = '';
  let meetingId = '';
  const it = itWithShots(() => e, 'xss');

  before(async () => {
    e = await startE2e();
    const call = async (method: string, url: string, token: string | null, body?: unknown) => {
      const r = await fetch(`${e.server.url}/api/v1${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${url}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const { token } = await call('POST', '/auth/login', null, { username: 'shuji', password: DEMO_PASSWORD });
    const me = await call('GET', '/me', token);
    const orgId = me.roles[0].orgId as string;
    const member = await call('POST', '/members', token, {
      orgId,
      name: `${PAYLOADS[0]}王`,
      gender: 'male',
      birthDate: '1980-05-01',
      idCardNo: '110101198005010077',
      phone: '13900000079',
      joinedAt: '2005-07-01',
      status: 'full',
      jobTitle: PAYLOADS[1],
    });
    memberId = member.id;
    // Under way: notices can still go out, minutes can already be written.
    const start = new Date(Date.now() - 1800_000);
    const meeting = await call('POST', '/meetings', token, {
      orgId,
      kind: 'theme_day',
      title: `主题党日${PAYLOADS[2]}`,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3600_000).toISOString(),
      location: PAYLOADS[3],
      agenda: PAYLOADS.join('\n'),
    });
    meetingId = meeting.id;
    // Invites the branch, so the member sees it in 我的会议.
    await call('POST', `/meetings/${meetingId}/publish`, token, {});
    await call('PUT', `/meetings/${meetingId}/minutes`, token, {
      host: '张建国',
      recorder: '李明',
      content: `会议内容：\n${PAYLOADS.join('\n')}`,
      resolutions: [PAYLOADS[4]],
      // Held only with attendance: the member with the payload name was there (the paper sheet).
      attendees: [memberId],
    });
  });
  after(() => e?.close());

  /** Opens a page, waits for it to settle, and asserts no payload ran and the text shows literally. */
  async function visit(page: Page, url: string, literal: string, then?: () => Promise<void>) {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const evil: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('evil.invalid') || /\/x$/.test(new URL(r.url()).pathname)) evil.push(r.url());
    });
    await page.goto(url);
    await then?.();
    await page.getByText(literal, { exact: false }).first().waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate((m) => (window as unknown as Record<string, unknown>)[m], MARK), undefined, `${url}: a payload ran`);
    assert.deepEqual(dialogs, [], `${url}: a dialog opened`);
    assert.deepEqual(evil, [], `${url}: the page requested what a payload points at`);
    assert.equal(await page.locator('main img[src="x"], main iframe, main svg[onload], main script').count(), 0, `${url}: payload became an element`);
  }

  it('the secretary sees the payloads as text in lists, details and minutes', async () => {
    const page = await e.page();
    await e.login(page, 'shuji');
    await visit(page, `/members?q=${encodeURIComponent('王')}`, PAYLOADS[0]!);
    await visit(page, `/members/${memberId}`, PAYLOADS[0]!);
    await visit(page, '/meetings', PAYLOADS[2]!);
    await visit(page, `/meetings/${meetingId}`, PAYLOADS[3]!);
    await visit(page, `/meetings/${meetingId}`, PAYLOADS[1]!, () => page.getByRole('tab', { name: '会议记录' }).click());
    await e.shot(page, 'xss-minutes-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('a member on a phone sees the meeting title as text', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    // Minutes make the meeting held; the member missed it, so it waits under 补学.
    await visit(page, '/my/meetings', PAYLOADS[2]!, () => page.getByRole('tab', { name: '补学' }).click());
    await e.shot(page, 'xss-my-meetings-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
