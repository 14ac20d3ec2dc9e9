/**
 * 宣传 comments, the sensitive-word filter and 定时发布, through the real HTTP stack on the demo enterprise:
 * a comment that hits the word list is held (its author sees 待审核, nobody else sees it) until a moderator of
 * the article's org approves it or rejects it with a reason; the word list is tenant data the root org's admins
 * edit, matched by one automaton per list version; a scheduled article is invisible everywhere until its time by
 * the shared clock, then becomes visible without anyone acting and its members' notice goes out exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildMatcher, DEFAULT_SENSITIVE_WORDS, normalizeForMatch, now, paragraphs, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { matcherFor, personalComments } from './comments';
import { releaseArticle } from './service';

describe('the sensitive-word matcher (one Aho–Corasick automaton per list)', () => {
  it('finds every listed word in one pass, overlapping and nested ones too, each once, in list order', () => {
    const m = buildMatcher(['he', 'she', 'his', 'hers', '赌博', '网络赌博']);
    assert.deepEqual(m.find('ushers'), ['he', 'she', 'hers']);
    assert.deepEqual(m.find('网络赌博网络赌博'), ['赌博', '网络赌博']);
    assert.deepEqual(m.find('干净的评论'), []);
  });
  it('sees through spaces, punctuation, full-width letters and case', () => {
    const m = buildMatcher(['赌博', 'abc']);
    assert.deepEqual(m.find('赌 博，ＡＢ-Ｃ'), ['赌博', 'abc']);
    assert.equal(normalizeForMatch('Ａ b，c'), 'abc');
  });
  it('ships a default list that holds its own words', () => {
    const m = buildMatcher(DEFAULT_SENSITIVE_WORDS);
    for (const w of DEFAULT_SENSITIVE_WORDS) assert.deepEqual(m.find(`前${w}后`), [w]);
  });
});

describe('media comments, moderation, sensitive words, 定时发布', () => {
  let t: TestApp;
  let admin: string;
  let zuzhibu: string; // org_admin of the group committee (root): moderates the committee's articles
  let dianli: string; // org_admin of 华夏电力有限公司党委: reviews 第一发电厂党支部's articles, not a root admin
  let shuji: string; // secretary, 第一发电厂党支部
  let shuji2: string; // secretary, 研发中心党支部 (another branch)
  let member: string; // dangyuan 陈志远, 第一发电厂党支部
  let other: string; // jijian 熊浩, a member of the same branch
  let news: string; // the committee's pinned public news (demo)
  let branchId: string;

  before(async () => {
    t = await startTestApp();
    [admin, zuzhibu, dianli, shuji, shuji2, member, other] = await signIn(
      t,
      'admin',
      'zuzhibu',
      'dianli',
      'shuji',
      'shuji2',
      'dangyuan',
      'jijian',
    );
    branchId = await t.orgId('第一发电厂党支部');
    const feed = (await get('/media/articles?pageSize=50', member)).body;
    news = feed.items.find((a: { title: string }) => a.title === '集团党委召开党建工作推进会').id;
  });
  after(() => t.close());

  const { get, post, patch, del } = api(() => t);
  const comments = async (token: string, id = news) =>
    (await get(`/media-articles/${id}/comments?pageSize=200`, token)).body;

  describe('comments and moderation', () => {
    it('shows the demo’s comments, the held one only to its author (待审核) and the moderators', async () => {
      const mine = await comments(member);
      const held = mine.items.filter((c: { status: string }) => c.status === 'held');
      assert.equal(held.length, 1);
      assert.equal(held[0].mine, true);
      assert.deepEqual(held[0].hits, [], 'the author is not told which words hit');
      const theirs = await comments(other);
      assert.ok(
        !theirs.items.some((c: { status: string }) => c.status !== 'shown'),
        'another member sees no held comment',
      );
      assert.equal(theirs.total, 2);
      const mod = await comments(zuzhibu);
      assert.deepEqual(mod.items.find((c: { status: string }) => c.status === 'held').hits, ['网络赌场', '刷单返利']);
      const a = (await get(`/media-articles/${news}`, other)).body;
      assert.equal(a.commentCount, 2);
    });

    it('shows a clean comment at once and counts it; holds one that hits the list (spaced out too) and does not count it', async () => {
      const before = (await get(`/media-articles/${news}`, member)).body.commentCount;
      const ok = await post(`/media-articles/${news}/comments`, member, { text: '认真学习会议精神。' });
      assert.equal(ok.status, 201, ok.raw);
      assert.equal(ok.body.status, 'shown');
      const held = await post(`/media-articles/${news}/comments`, member, { text: '有人拉我去赌 博，我拒绝了。' });
      assert.equal(held.status, 201, held.raw);
      assert.equal(held.body.status, 'held');
      assert.equal((await get(`/media-articles/${news}`, member)).body.commentCount, before + 1);
      // The other member of the same branch sees the clean one and not the held one.
      const theirs = await comments(other);
      assert.ok(
        theirs.items.some((c: { id: string }) => c.id === ok.body.id),
        'line 93',
      );
      assert.ok(!theirs.items.some((c: { id: string }) => c.id === held.body.id), 'line 94');
      // The moderators hear of it.
      const [n] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from notification where kind = 'media.comment.held' and dedupe_key = ${`media.comment.held:${held.body.id}`}`,
      );
      assert.ok(n!.n >= 1, 'a notice to the moderators');
    });

    it('lets no member see or decide another member’s held comment; another org’s secretary gets 404', async () => {
      const held = await post(`/media-articles/${news}/comments`, other, { text: '转发：高利贷广告，请大家别上当。' });
      assert.equal(held.body.status, 'held');
      assert.ok(!(await comments(member)).items.some((c: { id: string }) => c.id === held.body.id), 'line 103');
      const byMember = await post(`/media-comments/${held.body.id}/decide`, member, { approve: true });
      assert.equal(byMember.status, 403, byMember.raw);
      // shuji2 keeps another branch: the committee's article is not his to moderate.
      assert.equal((await post(`/media-comments/${held.body.id}/decide`, shuji2, { approve: true })).status, 404);
      // shuji keeps 第一发电厂党支部, below the committee: not a moderator of the committee's article either.
      assert.equal((await post(`/media-comments/${held.body.id}/decide`, shuji, { approve: true })).status, 404);
      const still = (await comments(zuzhibu)).items.find((c: { id: string }) => c.id === held.body.id);
      assert.equal(still.status, 'held');
    });

    it('approves (shown, counted) or rejects with a reason (the author sees it), once; audited', async () => {
      const q = (await get('/media/comment-queue?pageSize=200', zuzhibu)).body;
      assert.ok(q.total >= 2, 'line 116');
      assert.ok(
        q.items.every((c: { status: string }) => c.status === 'held'),
        'line 117',
      );
      const [first, second] = q.items as { id: string; subjectTitle: string; text: string }[];
      assert.equal(first!.subjectTitle, '集团党委召开党建工作推进会');
      const count0 = (await get(`/media-articles/${news}`, member)).body.commentCount;
      const noReason = await post(`/media-comments/${second!.id}/decide`, zuzhibu, { approve: false });
      assert.equal(noReason.status, 400);
      assert.match(noReason.raw, /拒绝时须填写理由/);
      const rej = await post(`/media-comments/${second!.id}/decide`, zuzhibu, {
        approve: false,
        reason: '含有不当内容',
      });
      assert.equal(rej.status, 200, rej.raw);
      const ok = await post(`/media-comments/${first!.id}/decide`, zuzhibu, { approve: true });
      assert.equal(ok.body.status, 'shown');
      assert.equal((await get(`/media-articles/${news}`, member)).body.commentCount, count0 + 1);
      const again = await post(`/media-comments/${first!.id}/decide`, zuzhibu, { approve: false, reason: '再次' });
      assert.equal(again.status, 409);
      assert.match(again.raw, /不在待审核状态/);
      // The demo's held comment was 陈志远's (the oldest): now shown to the other member.
      assert.ok(
        (await comments(other)).items.some((c: { id: string }) => c.id === first!.id),
        'line 133',
      );
      const [audit] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from audit_log where action in ('media.comment.approve', 'media.comment.reject') and entity_id in (${first!.id}, ${second!.id})`,
      );
      assert.equal(audit!.n, 2);
    });

    it('refuses empty, too long and script-like comments with a Chinese 400', async () => {
      for (const [text, msg] of [
        ['   ', /请填写评论内容/],
        ['长'.repeat(501), /评论不能超过 500 字/],
        ['<img src=x onerror=alert(1)>', /脚本/],
      ] as const) {
        const r = await post(`/media-articles/${news}/comments`, member, { text });
        assert.equal(r.status, 400, r.raw);
        assert.match(r.raw, msg);
      }
    });

    it('takes no comment on an unpublished article: hidden (404) from members, refused (409) for its keepers', async () => {
      const d = await post('/media/articles', shuji, {
        orgId: branchId,
        channel: '基层动态',
        title: '未发布',
        body: paragraphs('草稿。'),
      });
      assert.equal((await post(`/media-articles/${d.body.id}/comments`, member, { text: '评论草稿' })).status, 404);
      const r = await post(`/media-articles/${d.body.id}/comments`, shuji, { text: '评论草稿' });
      assert.equal(r.status, 409);
      assert.match(r.raw, /尚未发布/);
    });

    it('pages comments and the queue', async () => {
      const p1 = (await get(`/media-articles/${news}/comments?page=1&pageSize=1`, member)).body;
      const p2 = (await get(`/media-articles/${news}/comments?page=2&pageSize=1`, member)).body;
      assert.equal(p1.items.length, 1);
      assert.equal(p2.items.length, 1);
      assert.notEqual(p1.items[0].id, p2.items[0].id);
      assert.equal(p1.total, p2.total);
      assert.ok(p1.total >= 3, 'line 168');
      assert.equal((await get('/media/comment-queue?status=shown&pageSize=1', zuzhibu)).body.items.length, 1);
    });
  });

  describe('the sensitive-word list (tenant data)', () => {
    it('starts from the default list; the root admin adds and removes words, and the next comment is matched against the new version', async () => {
      const l0 = (await get('/media/sensitive-words?pageSize=200', admin)).body;
      assert.equal(l0.isDefault, true);
      assert.equal(l0.total, DEFAULT_SENSITIVE_WORDS.length);
      const m0 = await matcherFor(t.services.db, t.tenantId);
      assert.equal(await matcherFor(t.services.db, t.tenantId), m0, 'built once per version');
      const clean = await post(`/media-articles/${news}/comments`, member, { text: '这个是测试禁词甲乙' });
      assert.equal(clean.body.status, 'shown');
      const edit = await post('/media/sensitive-words', zuzhibu, {
        add: ['测试禁词', '测试禁词', '  另一个词 '],
        remove: ['毒品'],
      });
      assert.equal(edit.status, 200, edit.raw);
      assert.deepEqual(edit.body, { added: 2, removed: 1, total: DEFAULT_SENSITIVE_WORDS.length + 1, version: 1 });
      assert.notEqual(await matcherFor(t.services.db, t.tenantId), m0, 'rebuilt after the change');
      const held = await post(`/media-articles/${news}/comments`, member, { text: '这个是测试禁词甲乙' });
      assert.equal(held.body.status, 'held');
      const drug = await post(`/media-articles/${news}/comments`, member, { text: '毒品危害大' });
      assert.equal(drug.body.status, 'shown', 'a removed word no longer holds');
      const l1 = (await get('/media/sensitive-words?q=测试&pageSize=10', zuzhibu)).body;
      assert.deepEqual(l1.items, [{ word: '测试禁词' }]);
      assert.equal(l1.isDefault, false);
      const [a] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from audit_log where action = 'media.words.update'`,
      );
      assert.equal(a!.n, 1);
    });

    it('refuses edits by a subsidiary’s admin (403 in Chinese), members (403), and empty or oversized words (400)', async () => {
      const sub = await post('/media/sensitive-words', dianli, { add: ['词'] });
      assert.equal(sub.status, 403);
      assert.match(sub.raw, /最上级党组织的管理员/);
      assert.equal((await post('/media/sensitive-words', member, { add: ['词'] })).status, 403);
      assert.equal((await get('/media/sensitive-words', member)).status, 403);
      const empty = await post('/media/sensitive-words', zuzhibu, {});
      assert.equal(empty.status, 400);
      assert.match(empty.raw, /请填写要添加或删除的敏感词/);
      const long = await post('/media/sensitive-words', zuzhibu, { add: ['长'.repeat(21)] });
      assert.equal(long.status, 400);
      assert.match(long.raw, /敏感词不能超过 20 字/);
    });
  });

  describe('定时发布 (scheduled publishing, by the shared clock)', () => {
    it('refuses a publishing time in the past (Chinese 422)', async () => {
      const r = await post('/media/articles', shuji, {
        orgId: branchId,
        channel: '基层动态',
        title: '过去的时间',
        body: paragraphs('正文。'),
        publishAt: new Date(now().getTime() - 60_000).toISOString(),
      });
      assert.equal(r.status, 422, r.raw);
      assert.match(r.raw, /定时发布时间须晚于当前时间/);
    });

    it('keeps an approved article out of every member view until its time, then shows it with one notice, without anyone acting', async () => {
      const at = new Date(now().getTime() + 3_600_000);
      const d = await post('/media/articles', shuji, {
        orgId: branchId,
        channel: '基层动态',
        title: '定时发布测试文章',
        body: paragraphs('一小时后发布。'),
        isPublic: true,
        mustRead: true,
        publishAt: at.toISOString(),
      });
      assert.equal(d.status, 201, d.raw);
      const id = d.body.id as string;
      assert.equal((await post(`/media-articles/${id}/submit`, shuji)).status, 200);
      const ok = await post(`/media-articles/${id}/review`, dianli, { approve: true });
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.status, 'published');
      assert.equal(ok.body.scheduled, true);
      assert.equal(ok.body.publishedAt, at.toISOString());

      const seen = async () => ({
        detail: (await get(`/media-articles/${id}`, member)).status,
        feed: (await get('/media/articles?pageSize=200', member)).body.items.some((a: { id: string }) => a.id === id),
        todo: (await get('/media/me/todo?pageSize=200', member)).body.items.some((a: { id: string }) => a.id === id),
        portal: (await get('/public/articles?pageSize=200')).body.items.some((a: { id: string }) => a.id === id),
        portalPage: (await get(`/public/articles/${id}`)).status,
        comment: (await post(`/media-articles/${id}/comments`, member, { text: '抢先评论' })).status,
        notices: (await get('/notifications?pageSize=100', member)).body.items.filter(
          (n: { link: string | null }) => n.link === `/media/articles/${id}`,
        ).length,
      });
      assert.deepEqual(await seen(), {
        detail: 404,
        feed: false,
        todo: false,
        portal: false,
        portalPage: 404,
        comment: 404,
        notices: 0,
      });
      // Its keepers see it as scheduled.
      const managed = (await get(`/media/manage?orgId=${branchId}&pageSize=200`, shuji)).body.items.find(
        (a: { id: string }) => a.id === id,
      );
      assert.equal(managed.scheduled, true);

      // The time comes: the job queued at approval runs, nobody acts.
      const offset = now().getTime() - Date.now();
      try {
        setClock(new Date(at.getTime() + 1_000));
        await t.services.jobs.settle();
        const deadline = Date.now() + 5_000;
        while ((await seen()).notices === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        const after = await seen();
        assert.deepEqual(
          { ...after, comment: undefined },
          { detail: 200, feed: true, todo: true, portal: true, portalPage: 200, comment: undefined, notices: 1 },
        );
        // A rerun of the release (a second job, a crash rerun) sends nothing more.
        assert.deepEqual(await releaseArticle(t.services.db, t.tenantId, id), { notified: 0 });
        assert.equal((await seen()).notices, 1);
        // Withdrawn and approved again: still no second notice.
        assert.equal((await post(`/media-articles/${id}/withdraw`, shuji)).status, 200);
        assert.equal((await patch(`/media-articles/${id}`, shuji, { publishAt: null })).status, 200);
        assert.equal((await post(`/media-articles/${id}/submit`, shuji)).status, 200);
        assert.equal((await post(`/media-articles/${id}/review`, dianli, { approve: true })).status, 200);
        assert.equal((await seen()).notices, 1);
      } finally {
        setClock(offset === 0 ? null : new Date(Date.now() + offset));
      }
    });

    it('shows the demo’s scheduled notice to nobody but its keepers before its day', async () => {
      const managed = (await get('/media/manage?status=published&pageSize=200', zuzhibu)).body.items.find(
        (a: { title: string }) => a.title === '关于开展年度民主评议党员工作的通知',
      );
      assert.equal(managed.scheduled, true);
      assert.ok(new Date(managed.publishedAt).getTime() > now().getTime(), 'line 285');
      assert.equal((await get(`/media-articles/${managed.id}`, member)).status, 404);
      const [job] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from job where kind = 'media.article.release' and payload->>'articleId' = ${managed.id} and status = 'queued'`,
      );
      assert.equal(job!.n, 1);
    });
  });

  describe('deleting one’s own comment, and how often one may comment (COMMENT_RATE_LIMITS)', () => {
    const deleteComment = (id: string, token: string) => del(`/media-comments/${id}`, token);
    it('lets only the author delete a comment: its text is erased, the count goes down, audited without the text', async () => {
      const before = (await get(`/media-articles/${news}`, other)).body.commentCount as number;
      const c = await post(`/media-articles/${news}/comments`, other, { text: '这条评论稍后由我自己删除' });
      assert.equal(c.status, 201, c.raw);
      assert.equal((await get(`/media-articles/${news}`, other)).body.commentCount, before + 1);
      const held = await post(`/media-articles/${news}/comments`, other, { text: '高利贷广告别信，这条也会删除' });
      assert.equal(held.body.status, 'held', held.raw);
      // Someone else: 403 on a comment they can see, 404 on one they cannot; a moderator does not delete either (they reject).
      const notMine = await deleteComment(c.body.id, member);
      assert.equal(notMine.status, 403, notMine.raw);
      assert.match(notMine.body.error.message, /只能删除自己的评论/);
      assert.equal((await deleteComment(held.body.id, member)).status, 404);
      assert.equal((await deleteComment(c.body.id, zuzhibu)).status, 403);
      assert.equal(
        (await deleteComment(c.body.id, shuji2)).status,
        403,
        'a reader elsewhere on the line: shown, not theirs',
      );
      // The author.
      const ok = await deleteComment(c.body.id, other);
      assert.equal(ok.status, 204, ok.raw);
      assert.equal((await deleteComment(c.body.id, other)).status, 404, 'deleted once');
      assert.equal((await deleteComment(held.body.id, other)).status, 204, 'a held one too');
      assert.equal(
        (await get(`/media-articles/${news}`, other)).body.commentCount,
        before,
        'the shown one left the count; the held one never was in it',
      );
      for (const token of [other, zuzhibu]) {
        const ids = ((await comments(token)).items as { id: string }[]).map((x) => x.id);
        assert.ok(
          !ids.includes(c.body.id) && !ids.includes(held.body.id),
          'gone from the list (the author’s and the moderator’s)',
        );
      }
      const rows = await queryRows<{ status: string; text: string }>(
        t.services.db,
        sql`select status, text from media_comment where id in (${c.body.id}, ${held.body.id})`,
      );
      assert.deepEqual(
        rows.map((r) => [r.status, r.text]),
        [
          ['deleted', ''],
          ['deleted', ''],
        ],
      );
      const audit = await queryRows<{ before: unknown; after: unknown }>(
        t.services.db,
        sql`select before, after from audit_log where action = 'media.comment.delete' and entity_id = ${c.body.id}`,
      );
      assert.equal(audit.length, 1, 'audited');
      assert.ok(!JSON.stringify(audit).includes('稍后由我自己删除'), 'the audit keeps no text');
      const [u] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from app_user where username = 'jijian'`,
      );
      assert.ok(
        !(await personalComments(t.services.db, t.tenantId, u!.id)).some((x) => x.text.includes('删除')),
        'not in the data copy',
      );
      const queue = (await get('/media/comment-queue?status=held&pageSize=200', zuzhibu)).body.items as {
        id: string;
      }[];
      assert.ok(!queue.some((x) => x.id === held.body.id), 'a deleted held comment leaves the moderators’ queue');
    });

    it('refuses a 6th comment within a minute and a 101st within a day with a Chinese 429; deleting makes no room', async () => {
      const offset = now().getTime() - Date.now();
      try {
        const sent: number[] = [];
        for (let i = 1; i <= 5; i++)
          sent.push((await post(`/media-articles/${news}/comments`, dianli, { text: `第 ${i} 条` })).status);
        assert.deepEqual(sent, [201, 201, 201, 201, 201]);
        const sixth = await post(`/media-articles/${news}/comments`, dianli, { text: '第 6 条' });
        assert.equal(sixth.status, 429, sixth.raw);
        assert.match(sixth.body.error.message, /评论太频繁：1 分钟内最多发表 5 条/);
        // Deleting one does not make room.
        const mine = ((await comments(dianli)).items as { id: string; mine: boolean }[]).find((x) => x.mine)!;
        assert.equal((await deleteComment(mine.id, dianli)).status, 204);
        assert.equal((await post(`/media-articles/${news}/comments`, dianli, { text: '删了一条再发' })).status, 429);
        // A minute later (the shared clock), again.
        setClock(new Date(now().getTime() + 61_000));
        assert.equal((await post(`/media-articles/${news}/comments`, dianli, { text: '一分钟后' })).status, 201);
        // 100 within 24 hours: 6 so far, 94 more written earlier today.
        const [u] = await queryRows<{ id: string }>(
          t.services.db,
          sql`select id from app_user where username = 'dianli'`,
        );
        await queryRows(
          t.services.db,
          sql`insert into media_comment (tenant_id, article_id, org_id, user_id, author_name, text, status, created_at)
              select ${t.tenantId}, ${news}, (select org_id from media_article where id = ${news}), ${u!.id}, '李强', '早些时候', 'shown',
                     ${new Date(now().getTime() - 3_600_000)}::timestamptz from generate_series(1, 94)`,
        );
        setClock(new Date(now().getTime() + 61_000));
        const day = await post(`/media-articles/${news}/comments`, dianli, { text: '第 101 条' });
        assert.equal(day.status, 429, day.raw);
        assert.match(day.body.error.message, /24 小时内最多发表 100 条/);
        // Another person is not limited by it.
        assert.equal((await post(`/media-articles/${news}/comments`, shuji2, { text: '别人不受影响' })).status, 201);
      } finally {
        setClock(offset === 0 ? null : new Date(Date.now() + offset));
      }
    });
  });

  describe('personal data', () => {
    it('copies the member’s comments, held and rejected ones with their state', async () => {
      const [u] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from app_user where username = 'dangyuan'`,
      );
      const mine = await personalComments(t.services.db, t.tenantId, u!.id);
      assert.ok(mine.length >= 4, `${mine.length} comments`);
      assert.ok(
        mine.some((c) => c.text.includes('网络赌场')),
        'the demo comment',
      );
      assert.ok(
        mine.every((c) => c.subjectTitle && c.on === '文章'),
        'with the article',
      );
      const copy = await post('/me/personal-data', member, {});
      assert.equal(copy.status, 200, copy.raw);
      const section = JSON.parse(copy.raw).mediaComments as { text: string; status: string }[];
      assert.ok(
        section.some((c) => c.text === '这个是测试禁词甲乙' && c.status === 'held'),
        'a held comment is in the copy',
      );
      assert.equal(section.length, mine.length);
    });
  });
});
