/**
 * 宣传 through the real HTTP stack on the demo enterprise: an article goes draft → review by the org above
 * → published; rejection needs a reason; documents refuse script, event handlers and javascript: links
 * with a Chinese message; the portal shows published public articles only and no member's personal data;
 * the one HTML renderer escapes every text; 必读 reaches members' to-dos and the secretary's unread list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paragraphs, type ArticleDoc } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { renderArticlePage, renderDoc } from './render';
import { personalMedia } from './service';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);

describe('media (宣传)', () => {
  let t: TestApp;
  let admin: string;
  let shuji: string; // secretary, 第一发电厂党支部 (under 发电运营党总支 under 华夏电力有限公司党委)
  let shuji2: string; // secretary, 研发中心党支部 (another subsidiary)
  let dianli: string; // org_admin, 华夏电力有限公司党委 (covers the branch's review org)
  let member: string; // dangyuan, 第一发电厂党支部
  let branchId: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, dianli, member] = await signIn(t, 'admin', 'shuji', 'shuji2', 'dianli', 'dangyuan');
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(() => t.close());

  const { get, post, patch } = api(() => t);
  const draft = async (over: Record<string, unknown> = {}, token = shuji) => {
    const r = await post('/media/articles', token, {
      orgId: branchId,
      channel: '基层动态',
      title: '支部动态',
      byline: '第一发电厂党支部',
      body: paragraphs('正文第一段。'),
      ...over,
    });
    assert.equal(r.status, 201, r.raw);
    return r.body;
  };

  describe('review before publishing (REVIEW_RULE: a branch article is reviewed by the org above)', () => {
    it('publishes a branch article only after a manager of the org above approves it', async () => {
      const a = await draft({ title: '审核流程测试文章' });
      assert.equal(a.status, 'draft');
      assert.equal(a.canEdit, true);
      // Members do not see drafts, not even in their own branch.
      assert.equal((await get(`/media-articles/${a.id}`, member)).status, 404);
      const feed0 = (await get('/media/articles?pageSize=200', member)).body;
      assert.ok(!feed0.items.some((x: { id: string }) => x.id === a.id));

      const sub = await post(`/media-articles/${a.id}/submit`, shuji);
      assert.equal(sub.status, 200, sub.raw);
      assert.equal(sub.body.status, 'in_review');
      assert.equal(sub.body.reviewOrgName, '发电运营党总支');
      // The branch's own secretary is not the reviewer: the review org is above their scope.
      assert.equal((await post(`/media-articles/${a.id}/review`, shuji, { approve: true })).status, 404);
      // Nor is a secretary of another subsidiary.
      assert.equal((await post(`/media-articles/${a.id}/review`, shuji2, { approve: true })).status, 404);
      // Editing while under review is refused.
      const locked = await patch(`/media-articles/${a.id}`, shuji, { title: '改标题' });
      assert.equal(locked.status, 409);
      assert.match(locked.body.error.message, /审核中/);

      // The reviewer hears of it (nobody is bound at 发电运营党总支, so the nearest managers above: 电力公司党委).
      const inbox = (await get('/notifications?pageSize=50', dianli)).body;
      assert.ok(
        inbox.items.some(
          (n: { title: string; link: string }) =>
            n.title.includes('第一发电厂党支部提交了稿件待审核') && n.link === `/media/articles/${a.id}`,
        ),
        JSON.stringify(inbox.items.slice(0, 2)),
      );
      const queue = (await get('/media/review-queue', dianli)).body;
      assert.ok(
        queue.items.some((x: { id: string }) => x.id === a.id),
        'in the reviewer’s queue',
      );
      assert.ok(
        !(await get('/media/review-queue', shuji)).body.items.some((x: { id: string }) => x.id === a.id),
        'not in the writer’s queue',
      );
      const ok = await post(`/media-articles/${a.id}/review`, dianli, { approve: true });
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.status, 'published');
      assert.ok(ok.body.publishedAt);
      const told = (await get('/notifications?pageSize=50', shuji)).body;
      assert.ok(
        told.items.some(
          (n: { title: string; link: string }) =>
            n.title === '【宣传】您的稿件已通过并发布' && n.link === `/media/articles/${a.id}`,
        ),
      );
      const feed = (await get('/media/articles?pageSize=200', member)).body;
      assert.ok(
        feed.items.some((x: { id: string }) => x.id === a.id),
        'a member of the branch sees it in the feed',
      );
      // Another subsidiary's member-line does not reach a branch's article.
      assert.ok(
        !(await get('/media/articles?pageSize=200', shuji2)).body.items.some((x: { id: string }) => x.id === a.id),
      );
      // A second approval is a conflict, not a second publication.
      assert.equal((await post(`/media-articles/${a.id}/review`, dianli, { approve: true })).status, 409);
    });

    it('needs a reason to reject, and a rejected article is edited and submitted again', async () => {
      const a = await draft({ title: '将被退回的文章' });
      await post(`/media-articles/${a.id}/submit`, shuji);
      const noReason = await post(`/media-articles/${a.id}/review`, dianli, { approve: false });
      assert.equal(noReason.status, 400);
      assert.match(JSON.stringify(noReason.body), /退回时须填写理由/);
      const rej = await post(`/media-articles/${a.id}/review`, dianli, { approve: false, reason: '请补充活动时间' });
      assert.equal(rej.body.status, 'rejected');
      assert.equal(rej.body.rejectReason, '请补充活动时间');
      const edited = await patch(`/media-articles/${a.id}`, shuji, { body: paragraphs('活动于本月举行。') });
      assert.equal(edited.status, 200, edited.raw);
      assert.equal((await post(`/media-articles/${a.id}/submit`, shuji)).body.status, 'in_review');
    });

    it('lets nobody approve an article they wrote themselves below the top org', async () => {
      // dianli writes for 第一发电厂党支部 (in dianli's scope) and would be its reviewer too.
      const a = await draft({ title: '自己写的稿件' }, dianli);
      await post(`/media-articles/${a.id}/submit`, dianli);
      const self = await post(`/media-articles/${a.id}/review`, dianli, { approve: true });
      assert.equal(self.status, 403);
      assert.match(self.body.error.message, /不能审核自己/);
      assert.ok(
        !(await get('/media/review-queue?pageSize=200', dianli)).body.items.some((x: { id: string }) => x.id === a.id),
      );
    });

    it('publishes only into a channel the org has; an admin adds channels, a secretary may not', async () => {
      const bad = await post('/media/articles', shuji, {
        orgId: branchId,
        channel: '不存在的栏目',
        title: 'x',
        body: paragraphs('x'),
      });
      assert.equal(bad.status, 422);
      assert.match(bad.body.error.message, /栏目/);
      assert.equal((await post('/media/channels', shuji, { orgId: branchId, name: '支部风采' })).status, 403);
      const ch = await post('/media/channels', admin, { orgId: t.rootOrgId, name: '理论学习' });
      assert.equal(ch.status, 201, ch.raw);
      assert.equal((await post('/media/channels', admin, { orgId: t.rootOrgId, name: '理论学习' })).status, 409);
      const list = (await get(`/media/channels?orgId=${branchId}`, shuji)).body;
      assert.deepEqual(
        list.items.map((c: { name: string }) => c.name),
        ['要闻', '通知公告', '基层动态', '企地共建', '理论学习'],
      );
      await draft({ channel: '理论学习', title: '栏目测试' });
    });
  });

  describe('documents refuse script (UNSAFE_TEXT) and only allow-listed blocks', () => {
    const doc = (blocks: unknown[]) => ({ version: 1, blocks });
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a script element in the title', { title: '<script>alert(1)</script>' }, /标题内容不能包含脚本/],
      [
        'an event handler in body text',
        { body: doc([{ type: 'paragraph', content: [{ type: 'text', text: '<img src=x onerror="alert(1)">' }] }]) },
        /正文内容不能包含脚本/,
      ],
      [
        'a javascript: link',
        { body: doc([{ type: 'paragraph', content: [{ type: 'link', text: '点我', href: 'javascript:alert(1)' }] }]) },
        /链接地址只能以 http/,
      ],
      [
        'a data: link',
        {
          body: doc([
            { type: 'paragraph', content: [{ type: 'link', text: '点我', href: 'data:text/html,<b>x</b>' }] },
          ]),
        },
        /链接地址只能以 http/,
      ],
      ['a raw html block', { body: doc([{ type: 'html', html: '<b>x</b>' }]) }, /正文块只能是段落、标题、列表或图片/],
      ['an extra attribute on a block', { body: doc([{ type: 'paragraph', content: [], onclick: 'x' }]) }, /./],
      ['a heading level 1', { body: doc([{ type: 'heading', level: 1, content: [] }]) }, /标题级别只能是 2 或 3/],
    ];
    for (const [what, over, message] of cases)
      it(`rejects ${what} with a Chinese 400`, async () => {
        const r = await post('/media/articles', shuji, {
          orgId: branchId,
          channel: '基层动态',
          title: '标题',
          body: paragraphs('x'),
          ...over,
        });
        assert.equal(r.status, 400, r.raw);
        assert.match(JSON.stringify(r.body.error), message);
        assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
      });

    it('accepts markup-looking text that runs nothing, and keeps it as text', async () => {
      const a = await draft({
        title: '比较 a<b 与 "引号" & 符号',
        body: paragraphs('<b>不是加粗</b> <iframe src="https://evil.invalid/"></iframe>'),
      });
      assert.equal(a.title, '比较 a<b 与 "引号" & 符号');
      assert.equal(a.body.blocks[0].content[0].text, '<b>不是加粗</b> <iframe src="https://evil.invalid/"></iframe>');
    });

    it('accepts only images uploaded to the article itself, sniffed as images', async () => {
      const a = await draft({ title: '带图片的文章' });
      const up = async (data: Buffer, name: string, token = shuji) => {
        const { body, headers } = multipartFile(data, name);
        const x = await t.app.inject({
          method: 'POST',
          url: `/api/v1/media-articles/${a.id}/files`,
          payload: body,
          headers: { ...headers, authorization: `Bearer ${token}` },
        });
        return { status: x.statusCode, body: JSON.parse(x.body) };
      };
      const fake = await up(Buffer.from('<svg onload="alert(1)"></svg>'), 'x.png');
      assert.equal(fake.status, 400);
      assert.match(fake.body.error.message, /图片/);
      const img = await up(PNG, '现场.png');
      assert.equal(img.status, 201);
      const other = await draft({ title: '另一篇' });
      const foreign = await patch(`/media-articles/${other.id}`, shuji, {
        body: { version: 1, blocks: [{ type: 'image', fileId: img.body.id }] },
      });
      assert.equal(foreign.status, 422);
      assert.match(foreign.body.error.message, /图片须先上传到本文章/);
      const ok = await patch(`/media-articles/${a.id}`, shuji, {
        coverFileId: img.body.id,
        body: { version: 1, blocks: [{ type: 'image', fileId: img.body.id, caption: '活动现场' }] },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const served = await t.app.inject({
        method: 'GET',
        url: `/api/v1/media-articles/${a.id}/files/${img.body.id}`,
        headers: { authorization: `Bearer ${shuji}` },
      });
      assert.equal(served.statusCode, 200);
      assert.equal(served.headers['content-type'], 'image/png');
    });
  });

  describe('the server-side renderer (the only HTML made from user content)', () => {
    it('escapes every text and drops script links even in a document that skipped validation', () => {
      const evil = {
        version: 1,
        blocks: [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: '<script>window.x=1</script><img src=x onerror=alert(1)>' }],
          },
          { type: 'heading', level: 2, content: [{ type: 'text', text: '"><svg onload=alert(1)>', marks: ['bold'] }] },
          {
            type: 'list',
            ordered: false,
            items: [
              [{ type: 'link', text: '坏链接', href: 'javascript:alert(1)' }],
              [{ type: 'link', text: '好链接', href: 'https://www.12371.cn/?a=1&b=2' }],
            ],
          },
          { type: 'image', fileId: 'x" onerror="alert(1)', caption: 'c' },
          { type: 'html', html: '<iframe src="https://evil.invalid/">' },
        ],
      } as unknown as ArticleDoc;
      const html = renderDoc(evil, (id) => `/f/${id}`);
      assert.ok(
        !/<script|<img src=x|<svg|<iframe|javascript:|onerror=/i.test(html.replace(/&lt;[^&]*&gt;/g, '')),
        html,
      );
      assert.ok(!/<(script|svg|iframe)/i.test(html), html);
      assert.ok(!html.includes('href="javascript'), html);
      assert.match(html, /&lt;script&gt;window\.x=1&lt;\/script&gt;/);
      assert.match(html, /<strong>&quot;&gt;&lt;svg onload=alert\(1\)&gt;<\/strong>/);
      assert.match(html, /<li>坏链接<\/li>/);
      assert.match(html, /<a href="https:\/\/www\.12371\.cn\/\?a=1&amp;b=2" rel="noopener noreferrer nofollow"/);
      assert.ok(!html.includes('/f/x'), 'an image with a malformed id is dropped');
      const page = renderArticlePage(
        {
          title: '<script>t</script>',
          summary: '"><b>',
          byline: '<i>署名</i>',
          orgName: 'o',
          channel: '要闻',
          publishedAt: new Date(),
          body: evil,
        },
        { tenantName: '<b>单位</b>', pageUrl: 'https://x/"a', coverUrl: null, fileUrl: () => null, listUrl: '/l' },
      );
      assert.ok(!/<script>t|<b>单位|<i>署名|<b>"|content=""><b>/.test(page), page);
      assert.match(page, /<meta property="og:title" content="&lt;script&gt;t&lt;\/script&gt;">/);
    });
  });

  describe('public portal (GET /api/v1/public/articles, outside contract)', () => {
    let pub: { id: string };
    const SECRET = '13912345678';
    before(async () => {
      // One published public article, and one of every unsafe kind carrying a member's phone in its text.
      const a = await draft({ title: '公开的支部新闻', summary: '门户可见', isPublic: true });
      await post(`/media-articles/${a.id}/submit`, shuji);
      await post(`/media-articles/${a.id}/review`, dianli, { approve: true });
      pub = a;
      const leak = (title: string) => draft({ title, isPublic: true, body: paragraphs(`联系人手机 ${SECRET}`) });
      await leak('公开草稿不可见');
      const inReview = await leak('公开待审不可见');
      await post(`/media-articles/${inReview.id}/submit`, shuji);
      const notPublic = await draft({
        title: '内部文章不可见',
        isPublic: false,
        body: paragraphs(`联系人手机 ${SECRET}`),
      });
      await post(`/media-articles/${notPublic.id}/submit`, shuji);
      await post(`/media-articles/${notPublic.id}/review`, dianli, { approve: true });
      const rejected = await leak('公开退回不可见');
      await post(`/media-articles/${rejected.id}/submit`, shuji);
      await post(`/media-articles/${rejected.id}/review`, dianli, { approve: false, reason: '不宜公开' });
    });

    it('lists published public articles only, pinned first, paged, without login', async () => {
      const r = await get('/public/articles?pageSize=200');
      assert.equal(r.status, 200, r.raw);
      const titles = r.body.items.map((x: { title: string }) => x.title);
      assert.ok(titles.includes('公开的支部新闻'));
      assert.ok(titles.includes('集团党委召开党建工作推进会'), 'the demo’s public news');
      for (const hidden of [
        '公开草稿不可见',
        '公开待审不可见',
        '内部文章不可见',
        '公开退回不可见',
        '关于开展党章专题学习的通知',
        '第一发电厂党支部开展党章学习交流',
      ])
        assert.ok(!titles.includes(hidden), `${hidden} must not be on the portal`);
      assert.equal(titles[0], '集团党委召开党建工作推进会', 'pinned first');
      const [{ n }] = (await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from media_article where tenant_id = ${t.tenantId} and status = 'published' and is_public`,
      )) as [{ n: number }];
      assert.equal(r.body.total, n);
      const p2 = (await get('/public/articles?page=2&pageSize=2')).body;
      assert.equal(p2.total, n);
      assert.deepEqual(
        p2.items.map((x: { id: string }) => x.id),
        r.body.items.slice(2, 4).map((x: { id: string }) => x.id),
      );
      assert.deepEqual(Object.keys(r.body.items[0]).sort(), [
        'byline',
        'channel',
        'coverUrl',
        'id',
        'orgName',
        'publishedAt',
        'summary',
        'title',
        'url',
      ]);
      const bad = await get('/public/articles?pageSize=500');
      assert.equal(bad.status, 400);
      assert.match(bad.raw, /每页最多 200 条/);
    });

    it('serves a phone page with an Open Graph card, and 404 for anything not published and public', async () => {
      const page = await t.app.inject({ method: 'GET', url: `/api/v1/public/articles/${pub.id}` });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
      assert.match(page.body, /<meta property="og:title" content="公开的支部新闻">/);
      assert.match(page.body, /<meta property="og:description" content="门户可见">/);
      assert.match(
        page.body,
        /<meta property="og:url" content="http:\/\/[^"]+\/api\/v1\/public\/articles\/[0-9a-f-]+\?tenant=/,
      );
      assert.match(page.body, /<p>正文第一段。<\/p>/);
      for (const row of await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from media_article where tenant_id = ${t.tenantId} and not (status = 'published' and is_public)`,
      ))
        assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/public/articles/${row.id}` })).statusCode, 404);
    });

    it('shows no member’s personal data: no names but the chosen byline, no phone, no ID number, no account', async () => {
      const list = await get('/public/articles?pageSize=200');
      let all = list.raw;
      for (const x of list.body.items as { url: string }[]) {
        const u = new URL(x.url);
        const r = await t.app.inject({ method: 'GET', url: u.pathname + u.search });
        assert.equal(r.statusCode, 200);
        all += r.body;
      }
      const portal = await t.app.inject({ method: 'GET', url: '/api/v1/public/portal?pageSize=200' });
      all += portal.body;
      assert.ok(!all.includes(SECRET), 'the phone in an unpublished/non-public article');
      assert.ok(!/(?<!\d)1[3-9]\d{9}(?!\d)/.test(all), 'no phone number');
      assert.ok(!/1\d{2}\*{4}\d{4}/.test(all), 'no masked phone');
      assert.ok(!/(?<!\d)\d{17}[\dXx](?!\d)/.test(all), 'no ID number');
      assert.ok(!/\d{3}\*{8,}/.test(all), 'no masked ID number');
      // Accounts and people behind the articles: writers, reviewers, readers.
      for (const who of ['shuji', 'dianli', 'dangyuan', '张建国', '李强', '陈志远', '刘芳', 'demo'])
        assert.ok(!all.includes(who), `${who} appears on the portal`);
      // No member's name at all (names of two characters or more), except as part of a byline an editor chose.
      const bylines = (list.body.items as { byline: string }[]).map((x) => x.byline).join(' ');
      const names = await queryRows<{ name: string }>(
        t.services.db,
        sql`select distinct name from member where tenant_id = ${t.tenantId}`,
      );
      const leaked = names.map((m) => m.name).filter((n) => n.length >= 2 && all.includes(n) && !bylines.includes(n));
      assert.deepEqual(leaked, []);
    });

    it('serves the images of a portal article and nothing else', async () => {
      const a = await draft({ title: '带图的公开文章', isPublic: true });
      const { body, headers } = multipartFile(PNG, 'p.png');
      const up = await t.app.inject({
        method: 'POST',
        url: `/api/v1/media-articles/${a.id}/files`,
        payload: body,
        headers: { ...headers, authorization: `Bearer ${shuji}` },
      });
      const fileId = JSON.parse(up.body).id;
      const withImage = await patch(`/media-articles/${a.id}`, shuji, {
        body: { version: 1, blocks: [{ type: 'image', fileId }] },
      });
      assert.equal(withImage.status, 200, withImage.raw);
      const before = await t.app.inject({ method: 'GET', url: `/api/v1/public/articles/${a.id}/files/${fileId}` });
      assert.equal(before.statusCode, 404, 'not yet published');
      await post(`/media-articles/${a.id}/submit`, shuji);
      const approved = await post(`/media-articles/${a.id}/review`, dianli, { approve: true });
      assert.equal(approved.body.status, 'published', approved.raw);
      const img = await t.app.inject({ method: 'GET', url: `/api/v1/public/articles/${a.id}/files/${fileId}` });
      assert.equal(img.statusCode, 200, img.body);
      assert.equal(img.headers['content-type'], 'image/png');
      const page = await t.app.inject({ method: 'GET', url: `/api/v1/public/articles/${a.id}` });
      assert.match(
        page.body,
        new RegExp(`<img src="http://[^"]+/api/v1/public/articles/${a.id}/files/${fileId}\\?tenant=`),
      );
      // Withdrawn: gone from the portal with its images.
      await post(`/media-articles/${a.id}/withdraw`, shuji);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/api/v1/public/articles/${a.id}/files/${fileId}` })).statusCode,
        404,
      );
    });
  });

  describe('必读 notices', () => {
    it('puts an unread 必读 notice in a member’s to-do until read, and lists who has not read it, paged', async () => {
      const todo = (await get('/media/me/todo', member)).body;
      const notice = todo.items.find((x: { title: string }) => x.title === '关于开展党章专题学习的通知');
      assert.ok(notice, JSON.stringify(todo));
      // The secretary sees the branch's members who have not read it (their own part of the group's subtree).
      const before = (await get(`/media-articles/${notice.id}/unread?pageSize=200`, shuji)).body;
      assert.ok(before.total > 0 && before.total <= before.members);
      assert.ok(
        before.items.some((x: { name: string }) => x.name === '陈志远'),
        JSON.stringify(before.items.slice(0, 3)),
      );
      assert.ok(
        before.items.every(
          (x: { orgName: string }) => x.orgName === '第一发电厂党支部' || x.orgName.includes('党小组'),
        ),
        'only the secretary’s own branch',
      );
      const p2 = (await get(`/media-articles/${notice.id}/unread?page=2&pageSize=2`, shuji)).body;
      assert.deepEqual(p2.items, before.items.slice(2, 4));
      // A member may not see who has not read.
      assert.equal((await get(`/media-articles/${notice.id}/unread`, member)).status, 403);

      const r1 = await post(`/media-articles/${notice.id}/read`, member);
      assert.equal(r1.status, 200, r1.raw);
      const r2 = await post(`/media-articles/${notice.id}/read`, member);
      assert.equal(r2.body.readCount, r1.body.readCount, 'a second reading counts once');
      assert.ok(!(await get('/media/me/todo', member)).body.items.some((x: { id: string }) => x.id === notice.id));
      const after = (await get(`/media-articles/${notice.id}/unread?pageSize=200`, shuji)).body;
      assert.equal(after.total, before.total - 1);
      assert.ok(!after.items.some((x: { name: string }) => x.name === '陈志远'));
      // The whole group's list for the org department at the top.
      const zuzhibu = await t.login('zuzhibu');
      const top = (await get(`/media-articles/${notice.id}/unread?pageSize=1`, zuzhibu)).body;
      assert.ok(top.members > before.members);
    });
  });

  describe('personal data copy', () => {
    it('holds the articles a person wrote and those they read', async () => {
      const [u] = await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = 'shuji'`);
      const mine = await personalMedia(t.services.db, t.tenantId, u!.id);
      assert.ok(mine.authored.some((a) => a.title === '审核流程测试文章' && a.body.includes('正文第一段')));
      const [m] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from app_user where username = 'dangyuan'`,
      );
      const reads = await personalMedia(t.services.db, t.tenantId, m!.id);
      assert.equal(reads.authored.length, 0);
      assert.ok(reads.reads.some((r) => r.title === '关于开展党章专题学习的通知'));
    });
  });

  describe('audit', () => {
    it('writes one audit entry per change in its transaction', async () => {
      const a = await draft({ title: '审计测试' });
      await post(`/media-articles/${a.id}/submit`, shuji);
      await post(`/media-articles/${a.id}/review`, dianli, { approve: true });
      const rows = await queryRows<{ action: string }>(
        t.services.db,
        sql`select action from audit_log where entity_id = ${a.id} order by id`,
      );
      assert.deepEqual(
        rows.map((r) => r.action),
        ['media.article.create', 'media.article.submit', 'media.article.approve'],
      );
    });
  });
});
