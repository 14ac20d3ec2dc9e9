/**
 * Issue 9, web security: user text is never markup. Xianfeng accepts no rich text — every field
 * is plain text that React renders escaped, and the lint rule in eslint.config.js forbids
 * `dangerouslySetInnerHTML` and `innerHTML` — so the sanitizer for rich text is "there is no
 * HTML to sanitize". This test is the proof in a real browser: a secretary stores script and
 * markup payloads in a member's name and in a meeting's title, agenda and minutes; the pages that
 * show them (member list and detail, meeting list and detail, minutes, a member's 补学 list on a
 * phone) show the payload as literal text, no payload runs (no dialog, no global set, no
 * request to the attacker's host) and the CSP reports no violation.
 *
 * Articles (宣传, issue 19) are the one place with formatted text: a block document, never HTML
 * (docs/adr/0001-article-documents.md). Script, event handlers and javascript: links are refused by the
 * API with a Chinese message; markup that runs nothing when shown as text is stored, and the article page,
 * the news feed and the public portal page (the server's one HTML renderer) show it literally.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { nowMs } from '@xianfeng/shared';
import type { Page } from 'playwright-core';
import { apiCall, DEMO_PASSWORD, itWithShots, startE2e, type E2e } from './harness';

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
  let articleId = '';
  /** Accepted in an article (nothing in it would run), yet markup if any page took it for HTML. */
  const ARTICLE_PAYLOADS = [
    '<img src=x>',
    '<iframe src="https://evil.invalid/"></iframe>',
    '"><b>粗体</b><a href="https://evil.invalid/">点我</a>',
  ];
  const it = itWithShots(() => e, 'xss');

  before(async () => {
    e = await startE2e();
    const call = (method: string, url: string, token: string | null, body?: unknown) =>
      apiCall(e, method, url, token, body);
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
    const start = new Date(nowMs() - 1800_000);
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
    // Articles: the running payloads are refused with a Chinese message …
    const para = (text: string) => ({ version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
    for (const p of PAYLOADS.slice(0, 4)) {
      const r = await fetch(`${e.server.url}/api/v1/media/articles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ orgId, channel: '基层动态', title: '标题', body: para(p) }),
      });
      assert.equal(r.status, 400, `${p} must be refused`);
      assert.match((await r.json()).error.message, /不能包含脚本|请求参数/);
    }
    const jsLink = await fetch(`${e.server.url}/api/v1/media/articles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        orgId,
        channel: '基层动态',
        title: '标题',
        body: {
          version: 1,
          blocks: [
            { type: 'paragraph', content: [{ type: 'link', text: '点我', href: `javascript:window.${MARK}=1` }] },
          ],
        },
      }),
    });
    assert.equal(jsLink.status, 400);
    // … and the harmless-as-text ones are stored, published (reviewed by the org above) and made public.
    const article = await call('POST', '/media/articles', token, {
      orgId,
      channel: '基层动态',
      title: `支部动态${ARTICLE_PAYLOADS[0]}`,
      summary: ARTICLE_PAYLOADS[2],
      isPublic: true,
      body: {
        version: 1,
        blocks: [
          { type: 'heading', level: 2, content: [{ type: 'text', text: ARTICLE_PAYLOADS[1] }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: ARTICLE_PAYLOADS[2], marks: ['bold'] },
              { type: 'link', text: ARTICLE_PAYLOADS[0], href: 'https://www.12371.cn/' },
            ],
          },
          { type: 'list', ordered: true, items: ARTICLE_PAYLOADS.map((text) => [{ type: 'text', text }]) },
        ],
      },
    });
    articleId = article.id;
    await call('POST', `/media-articles/${articleId}/submit`, token, {});
    const reviewer = (await call('POST', '/auth/login', null, { username: 'dianli', password: DEMO_PASSWORD })).token;
    await call('POST', `/media-articles/${articleId}/review`, reviewer, { approve: true });
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
    assert.equal(
      await page.evaluate((m) => (window as unknown as Record<string, unknown>)[m], MARK),
      undefined,
      `${url}: a payload ran`,
    );
    assert.deepEqual(dialogs, [], `${url}: a dialog opened`);
    assert.deepEqual(evil, [], `${url}: the page requested what a payload points at`);
    assert.equal(
      await page.locator('main img[src="x"], main iframe, main svg[onload], main script').count(),
      0,
      `${url}: payload became an element`,
    );
  }

  it('the secretary sees the payloads as text in lists, details and minutes', async () => {
    const page = await e.page();
    await e.login(page, 'shuji');
    await visit(page, `/members?q=${encodeURIComponent('王')}`, PAYLOADS[0]!);
    await visit(page, `/members/${memberId}`, PAYLOADS[0]!);
    await visit(page, '/meetings', PAYLOADS[2]!);
    await visit(page, `/meetings/${meetingId}`, PAYLOADS[3]!);
    await visit(page, `/meetings/${meetingId}`, PAYLOADS[1]!, () =>
      page.getByRole('tab', { name: '会议记录' }).click(),
    );
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

  it('an article’s markup-looking text stays text on the article page, in the feed and on the public portal', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await visit(page, `/media/articles/${articleId}`, ARTICLE_PAYLOADS[1]!);
    assert.equal(
      await page.locator('main .xf-article-body a[href="https://evil.invalid/"]').count(),
      0,
      'a link typed as text is no link',
    );
    assert.equal(await page.locator('main .xf-article-body b').count(), 0);
    await e.shot(page, 'xss-article-1280');
    await visit(page, '/media', `支部动态${ARTICLE_PAYLOADS[0]}`);
    const portal = await e.page(390);
    await visit(portal, `/api/v1/public/articles/${articleId}`, ARTICLE_PAYLOADS[2]!);
    assert.equal(await portal.locator('main a[href="https://evil.invalid/"], main b, main iframe').count(), 0);
    assert.equal(
      await portal.locator('meta[property="og:title"]').getAttribute('content'),
      `支部动态${ARTICLE_PAYLOADS[0]}`,
    );
    await e.shot(portal, 'xss-portal-article-390');
    assert.deepEqual(e.pageErrors, []);
  });
});
