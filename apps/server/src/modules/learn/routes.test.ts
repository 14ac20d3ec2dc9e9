/**
 * 学习教育 through the real HTTP stack on the demo enterprise: Chinese and pinyin-initials search
 * best first, content seen along the org line, learning time credited no faster than the clock,
 * optional points with daily caps and no repeats, daily practice and exams graded on the server,
 * another member's answers out of reach, media type-sniffed and served in ranges.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { highlightParts, now, setClock, type Attempt } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { accountFor, MEMBER_ACCOUNT_PASSWORD } from '../../testing/accounts';
import { rightAnswers, wrongAnswer } from './test-helpers';
import { initialsMarks, snippetOf } from './service';

const later = (ms: number) => setClock(new Date(now().getTime() + ms));

describe('learn', () => {
  let t: TestApp;
  let admin: string;
  let member: string; // dangyuan, 第一发电厂党支部
  let secretary: string; // shuji, 第一发电厂党支部
  let secretary2: string; // shuji2, 研发中心党支部 (another subsidiary)
  let zuzhibu: string; // org_admin at the group committee
  let rootId: string;
  let branchId: string;

  before(async () => {
    t = await startTestApp();
    [admin, member, secretary, secretary2, zuzhibu] = await signIn(
      t,
      'admin',
      'dangyuan',
      'shuji',
      'shuji2',
      'zuzhibu',
    );
    rootId = t.rootOrgId;
    branchId = await t.orgId('第一发电厂党支部');
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  const { get, post, put, patch } = api(() => t);
  const firstHit = async (q: string, token = member) =>
    (await get(`/learn/search?q=${encodeURIComponent(q)}`, token)).body;

  describe('search (GET /learn/search, outside contract)', () => {
    it('finds a Chinese substring and ranks a title match above a body match', async () => {
      const r = await firstHit('三会一课');
      assert.ok(r.total >= 2, JSON.stringify(r));
      assert.equal(r.items[0].title, '三会一课', 'the title that starts with the words comes first');
      assert.equal(r.items[0].matched, 'title');
      assert.ok(r.items.some((x: { title: string }) => x.title === '“三会一课”制度规范与台账实务'));
      // 主题党日's body mentions 三会一课: found, but after the title matches.
      const i = r.items.findIndex((x: { title: string }) => x.title === '主题党日');
      assert.ok(i > 1, 'a body-only match ranks after title matches');
      assert.equal(r.items[i].matched, 'text');
      assert.deepEqual(Object.keys(r.items[0]).sort(), [
        'id',
        'kind',
        'matched',
        'orgName',
        'publishedAt',
        'snippet',
        'summary',
        'title',
        'titleMarks',
      ]);
      // The body-only hit carries the part of the body where the words are, with 「…」 where it was cut.
      const body = r.items[i] as { snippet: string | null; summary: string };
      assert.ok(!body.summary.includes('三会一课'), 'the summary does not hold the words, so a snippet is needed');
      assert.ok(body.snippet?.includes('三会一课'), JSON.stringify(body));
      assert.ok(body.snippet!.length <= 82, body.snippet!);
      assert.equal(r.items[0].snippet, null, 'a title match needs no snippet');
    });

    it('marks the title characters an initials query matched (ztdr → 主题党日) and cuts snippets on both sides', async () => {
      const r = await firstHit('ztdr');
      assert.equal(r.items[0].title, '主题党日');
      assert.deepEqual(r.items[0].titleMarks, [[0, 4]]);
      assert.deepEqual(highlightParts(r.items[0].title, 'ztdr', r.items[0].titleMarks), [
        { text: '主题党日', hit: true },
      ]);
      assert.deepEqual(initialsMarks('学习主题党日活动', ['dr', 'xyz']), [[4, 6]], '党日 in the middle');
      assert.deepEqual(initialsMarks('ABC 党建', ['cdj']), [[2, 6]], 'Latin letters are their own initials');
      assert.deepEqual(initialsMarks('主题党日', ['主题']), [], 'only letters-only words are initials');
      assert.deepEqual(
        initialsMarks('𠀀党建', ['dj']),
        [],
        'a character outside the BMP: no marks rather than shifted ones',
      );
      const long = `${'前文'.repeat(50)}三会一课${'后文'.repeat(50)}`;
      const cut = snippetOf(long, ['三会一课'])!;
      assert.ok(cut.startsWith('…') && cut.endsWith('…') && cut.includes('三会一课'), cut);
      assert.equal(snippetOf('开头就是三会一课。', ['三会一课']), '开头就是三会一课。', 'short text is not cut');
      assert.equal(snippetOf('没有这个词', ['三会一课']), null);
    });

    it('finds by pinyin initials (shyk → 三会一课), also in the middle of a title', async () => {
      const r = await firstHit('shyk');
      assert.equal(r.items[0].title, '三会一课');
      assert.equal(r.items[0].matched, 'initials');
      const mid = await firstHit('fzdy'); // 发展党员 inside 发展党员工作流程 and …工作细则
      assert.ok(
        mid.items.some((x: { title: string }) => x.title.startsWith('发展党员工作流程')),
        JSON.stringify(mid),
      );
    });

    it('needs every word of a multi-word query, pages, and filters by kind', async () => {
      const both = await firstHit('党费 比例');
      assert.ok(both.items.length > 0);
      for (const x of both.items) assert.ok(/党费/.test(x.title + x.summary) || x.matched === 'text');
      const none = await firstHit('党费 量子计算');
      assert.equal(none.total, 0);
      const all = await firstHit('党');
      const p2 = (await get('/learn/search?q=党&page=2&pageSize=5', member)).body;
      assert.equal(p2.total, all.total);
      assert.equal(p2.items.length, Math.min(5, all.total - 5));
      const books = (await get('/learn/search?q=中国共产党&kind=book', member)).body;
      assert.ok(books.total >= 4 && books.items.every((x: { kind: string }) => x.kind === 'book'));
    });

    it('marks the matched words of each hit for highlighting, Chinese-safe and as text (highlightParts)', async () => {
      const r = await firstHit('党费 比例');
      const hit = r.items[0] as { title: string; summary: string };
      const marked = [hit.title, hit.summary]
        .flatMap((t) => highlightParts(t, '党费 比例'))
        .filter((p) => p.hit)
        .map((p) => p.text);
      assert.ok(marked.includes('党费'), JSON.stringify(hit));
      assert.deepEqual(highlightParts('主题党日和主题党日活动', '主题党日'), [
        { text: '主题党日', hit: true },
        { text: '和', hit: false },
        { text: '主题党日', hit: true },
        { text: '活动', hit: false },
      ]);
      assert.deepEqual(highlightParts('三会一课 SHYK', 'shyk 一课'), [
        { text: '三会', hit: false },
        { text: '一课', hit: true },
        { text: ' ', hit: false },
        { text: 'SHYK', hit: true },
      ]);
      // Overlapping words merge; markup in the text or the query stays text.
      assert.deepEqual(highlightParts('<b>党的建设</b>', '党的 的建设 <b>'), [
        { text: '<b>党的建设', hit: true },
        { text: '</b>', hit: false },
      ]);
    });

    it('treats % and _ in q literally', async () => {
      assert.equal((await firstHit('100%')).total, 0);
      assert.equal((await firstHit('_')).total, 0);
    });

    it('answers an empty or overlong q with a Chinese 400', async () => {
      const r = await get('/learn/search?q=', member);
      assert.equal(r.status, 400);
      assert.match(r.raw, /请输入搜索词/);
      assert.equal((await get(`/learn/search?q=${'党'.repeat(51)}`, member)).status, 400);
    });

    it("shows a subsidiary's own course only on its line", async () => {
      assert.equal((await firstHit('案例课', member)).items[0]?.title, '电力安全生产“党建+”案例课');
      assert.equal((await firstHit('案例课', secretary2)).total, 0, '研发中心 is under another subsidiary');
    });
  });

  describe('content along the org line', () => {
    let courseId: string;
    it('lets a member read the group committee’s course but not edit it', async () => {
      const list = (await get('/learn/items?kind=course', member)).body;
      const c = list.items.find((x: { title: string }) => x.title === '《中国共产党章程》逐章导读');
      assert.ok(c);
      courseId = c.id;
      assert.equal((await get(`/learn-items/${courseId}`, member)).status, 200);
      assert.equal((await patch(`/learn-items/${courseId}`, member, { title: '改' })).status, 403);
    });

    it('lets only the publishing org’s managers edit (a branch secretary below it gets 404)', async () => {
      const r = await patch(`/learn-items/${courseId}`, secretary, { summary: 'x' });
      assert.equal(r.status, 404);
      const ok = await patch(`/learn-items/${courseId}`, zuzhibu, { author: '集团党委组织部（修订）' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.author, '集团党委组织部（修订）');
      assert.equal(ok.body.title, '《中国共产党章程》逐章导读', 'a PATCH leaves unnamed fields alone');
    });

    it('keeps a branch draft from its members and from other branches, shows it to its secretary', async () => {
      const d = await post('/learn/items', secretary, {
        orgId: branchId,
        kind: 'article',
        title: '支部草稿：学习安排',
        published: false,
      });
      assert.equal(d.status, 201);
      assert.equal((await get(`/learn-items/${d.body.id}`, member)).status, 404);
      assert.equal((await get(`/learn-items/${d.body.id}`, secretary)).status, 200);
      assert.equal((await get(`/learn-items/${d.body.id}`, secretary2)).status, 404);
      assert.equal((await firstHit('支部草稿', member)).total, 0);
    });

    it('refuses a required item without a due date (Chinese 422)', async () => {
      const r = await post('/learn/items', secretary, {
        orgId: branchId,
        kind: 'course',
        title: '必修课',
        required: true,
      });
      assert.equal(r.status, 422);
      assert.match(r.body.error.message, /截止日期/);
    });

    it('refuses another org named in the body with 403', async () => {
      const r = await post('/learn/items', secretary, { orgId: rootId, kind: 'article', title: '越权发布' });
      assert.equal(r.status, 403);
    });
  });

  describe('learning time and points', () => {
    let videos: { id: string; title: string; minutes: number }[];
    before(async () => {
      videos = (await get('/learn/items?kind=video', member)).body.items;
      assert.ok(videos.length >= 3);
    });

    it('credits reported time no faster than the clock (no fast-forward to completion)', async () => {
      const v = videos[0]!;
      const r = await post(`/learn-items/${v.id}/progress`, member, { seconds: 3600 });
      assert.equal(r.status, 200);
      assert.equal(r.body.completed, false);
      assert.match(r.body.note, /实际经过的时间/);
      const rec = (await get('/learn/me/records', member)).body.items.find(
        (x: { itemId: string }) => x.itemId === v.id,
      );
      assert.ok(rec.seconds <= 30, `credited ${rec.seconds}s for a first report`);
    });

    it('awards no points while points are off (the default)', async () => {
      const v = videos[0]!;
      later(v.minutes * 60_000);
      const r = await post(`/learn-items/${v.id}/progress`, member, { seconds: v.minutes * 60 });
      assert.equal(r.body.completed, true);
      assert.equal(r.body.points, 0);
      assert.equal((await get('/learn/me/points', member)).body.enabled, false);
    });

    it('with points on: one award per video, capped at 3 a day for videos (POINT_RULES)', async () => {
      assert.equal((await put('/learn/settings', secretary, { pointsEnabled: true })).status, 403);
      assert.equal((await put('/learn/settings', admin, { pointsEnabled: true })).status, 200);
      // The first video was completed while points were off: watching it again earns nothing.
      later(60_000);
      assert.equal((await post(`/learn-items/${videos[0]!.id}/progress`, member, { seconds: 60 })).body.points, 0);
      // A new branch video plus the demo's: complete four more videos today.
      for (const title of ['支部微视频一', '支部微视频二']) {
        const c = await post('/learn/items', secretary, { orgId: branchId, kind: 'video', title, minutes: 1 });
        assert.equal(c.status, 201);
        videos.push(c.body);
      }
      const got: number[] = [];
      for (const v of videos.slice(1, 5)) {
        await post(`/learn-items/${v.id}/progress`, member, { seconds: 0 });
        later(v.minutes * 60_000);
        const r = await post(`/learn-items/${v.id}/progress`, member, { seconds: v.minutes * 60 });
        assert.equal(r.body.completed, true, v.title);
        got.push(r.body.points);
      }
      assert.deepEqual(got, [1, 1, 1, 0]);
      const mine = (await get('/learn/me/points', member)).body;
      assert.equal(mine.enabled, true);
      assert.equal(mine.rules.find((x: { reason: string }) => x.reason === 'video_complete').today, 3);
      assert.match(mine.citation, /指尖上的形式主义/);
    });

    it('has no route that lists anyone else’s points but the opt-in ranking of the caller’s own branch', async () => {
      const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).body;
      const pointPaths = Object.keys(doc.paths).filter((p) => /point|rank/i.test(p));
      assert.deepEqual(pointPaths, [
        '/api/v1/learn/me/points',
        '/api/v1/learn/ranking',
        '/api/v1/learn/ranking-setting',
      ]);
      // The ranking takes no parameter naming an org or a person: it is always the caller's own branch (ranking.test.ts).
      const params = (doc.paths['/api/v1/learn/ranking'].get.parameters ?? [])
        .map((p: { name: string }) => p.name)
        .sort();
      assert.deepEqual(params, ['page', 'pageSize']);
    });
  });

  describe('daily practice and exams', () => {
    let daily: Attempt;
    it('gives the same five questions all day, without the answer keys', async () => {
      const a = await post('/learn/daily', member);
      assert.equal(a.status, 200);
      daily = a.body;
      assert.equal(daily.questions.length, 5);
      assert.equal(daily.results, null);
      assert.ok(daily.questions.every((q) => !('answer' in q)));
      assert.ok(
        !/"answer"|"accepted"|"explanation"/.test(a.raw),
        'no key of any kind (choice or fill-in) in the reply',
      );
      const again = (await post('/learn/daily', member)).body;
      assert.deepEqual(
        again.questions.map((q: { id: string }) => q.id),
        daily.questions.map((q) => q.id),
      );
    });

    it("keeps a member's answers from another member, shows them to their branch's secretary only", async () => {
      // A second member of the same branch with an account.
      const [m] = await queryRows<{ id: string }>(
        t.services.db,
        sql`select id from member where org_id = ${branchId} and user_id is null limit 1`,
      );
      const { token: peer } = await accountFor(t, admin, m!.id, 'dangyuan2');
      assert.equal((await get(`/learn-attempts/${daily.id}`, peer)).status, 404);
      assert.equal((await post(`/learn-attempts/${daily.id}/submit`, peer, { answers: {} })).status, 404);
      assert.equal((await get(`/learn-attempts/${daily.id}`, secretary)).status, 200);
      assert.equal((await get(`/learn-attempts/${daily.id}`, secretary2)).status, 404);
      const rec = await get(`/members/${(await get('/members/me', member)).body.id}/learning`, secretary2);
      assert.equal(rec.status, 404);
    });

    it('grades on the server with explanations, once, and awards a point per correct answer', async () => {
      const right = await rightAnswers(t.services.db, daily);
      const answers = Object.fromEntries(daily.questions.map((q, i) => [q.id, i < 3 ? right[q.id]! : wrongAnswer(q)]));
      const r = await post(`/learn-attempts/${daily.id}/submit`, member, { answers });
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.score, 60);
      assert.equal(r.body.results.filter((x: { correct: boolean }) => x.correct).length, 3);
      assert.ok(r.body.results.every((x: { explanation: string }) => x.explanation.length > 0));
      assert.equal(r.body.points, 3);
      const again = await post(`/learn-attempts/${daily.id}/submit`, member, { answers });
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /已经交卷/);
    });

    it('runs an exam: open now, attempts limited, a pass earns its points once, results by subtree', async () => {
      const exams = (await get('/learn/exams', member)).body.items;
      const exam = exams.find((e: { title: string }) => e.title === '2026 年党章党规知识测试');
      assert.ok(exam);
      const a = (await post(`/learn-exams/${exam.id}/attempts`, member)).body as Attempt;
      assert.equal(a.questions.length, 10);
      assert.ok(a.deadline);
      const resumed = (await post(`/learn-exams/${exam.id}/attempts`, member)).body;
      assert.equal(resumed.id, a.id, 'an attempt under way is resumed, not restarted');
      const answers = await rightAnswers(t.services.db, a);
      const r = await post(`/learn-attempts/${a.id}/submit`, member, { answers });
      assert.equal(r.body.score, 100);
      assert.equal(r.body.passed, true);
      assert.equal(r.body.points, 5);
      const more = await post(`/learn-exams/${exam.id}/attempts`, member);
      assert.equal(more.status, 409);
      assert.match(more.body.error.message, /已通过/);
      const res = (await get(`/learn-exams/${exam.id}/results?pageSize=200`, secretary)).body;
      assert.ok(res.items.length > 0);
      // A branch secretary sees their branch only: its own members and its 党小组's.
      const ids: string[] = res.items.map((x: { attemptId: string }) => x.attemptId);
      const [outside] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from learn_attempt a join org o on o.id = a.org_id
            where a.id in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})
            and o.path not like (select path from org where id = ${branchId}) || '%'`,
      );
      assert.equal(outside!.n, 0, 'a branch secretary sees their branch only');
      assert.equal((await get(`/learn-exams/${exam.id}/results`, member)).status, 403);
    });

    it('counts answers arriving after the time plus grace as none given', async () => {
      const qs = await queryRows<{ id: string }>(t.services.db, sql`select id from learn_question limit 2`);
      const e = await post('/learn/exams', secretary, {
        orgId: branchId,
        title: '支部小测',
        questionIds: qs.map((q) => q.id),
        passScore: 50,
        minutes: 1,
        opensOn: '2000-01-01',
        closesOn: '2099-12-31',
      });
      assert.equal(e.status, 201, e.raw);
      const a = (await post(`/learn-exams/${e.body.id}/attempts`, member)).body as Attempt;
      later(3 * 60_000);
      const answers = await rightAnswers(t.services.db, a);
      const r = await post(`/learn-attempts/${a.id}/submit`, member, { answers });
      assert.equal(r.body.score, 0);
    });

    it('draws the day’s practice from the categories chosen nearest on the member’s line (每日一练的题目范围)', async () => {
      const peer = await t.login('dangyuan2', MEMBER_ACCOUNT_PASSWORD);
      const setPractice = (token: string, body: unknown) => put('/learn/practice-setting', token, body);
      const categoriesOf = async (a: Attempt) =>
        (
          await queryRows<{ category: string }>(
            t.services.db,
            sql`select category from learn_question where id in (${sql.join(
              a.questions.map((q) => sql`${q.id}`),
              sql`, `,
            )})`,
          )
        ).map((r) => r.category);
      const again = async () => {
        await t.services.db.execute(
          sql`delete from learn_attempt where kind = 'daily' and user_id = (select id from app_user where username = 'dangyuan2')`,
        );
        const a = await post('/learn/daily', peer);
        assert.equal(a.status, 200, a.raw);
        return a.body as Attempt;
      };
      const none = await get('/learn/practice-setting', peer);
      assert.equal(none.status, 200, none.raw);
      assert.deepEqual(none.body.effective, { categories: null, fromOrgId: null, fromOrgName: null });
      assert.match(none.body.note, /不打卡、不排名、不催促/);

      // The group committee chooses 党史 for its whole subtree.
      const group = await setPractice(zuzhibu, { orgId: rootId, categories: ['党史'] });
      assert.equal(group.status, 200, group.raw);
      assert.deepEqual(group.body.categories, ['党史']);
      const a1 = await again();
      assert.equal(a1.questions.length, 5);
      assert.deepEqual([...new Set(await categoriesOf(a1))], ['党史'], 'only 党史 questions');
      // The branch chooses 理论: the nearest choice wins for its members.
      assert.equal((await setPractice(secretary, { orgId: branchId, categories: ['理论'] })).status, 200);
      const mine = (await get('/learn/practice-setting', peer)).body;
      assert.deepEqual(mine.effective, { categories: ['理论'], fromOrgId: branchId, fromOrgName: '第一发电厂党支部' });
      const a2 = await again();
      assert.ok(a2.questions.length >= 3, 'the 理论 questions on the line');
      assert.deepEqual([...new Set(await categoriesOf(a2))], ['理论']);
      // Who may set it, and bad input.
      assert.equal((await setPractice(peer, { orgId: branchId, categories: ['党章'] })).status, 403, 'not a member');
      assert.equal(
        (await setPractice(secretary2, { orgId: branchId, categories: ['党章'] })).status,
        403,
        'not another subsidiary',
      );
      assert.equal(
        (await get(`/learn/practice-setting?orgId=${rootId}`, peer)).status,
        403,
        'a member reads only their own org’s setting',
      );
      const bad = await setPractice(secretary, { orgId: branchId, categories: ['八卦'] });
      assert.equal(bad.status, 400, bad.raw);
      assert.match(bad.raw, /分类须为/);
      const empty = await setPractice(secretary, { orgId: branchId, categories: [] });
      assert.equal(empty.status, 400, empty.raw);
      assert.match(empty.raw, /请至少选一个分类，或清除设置/);
      // Cleared: the committee's choice applies again.
      const cleared = await setPractice(secretary, { orgId: branchId, categories: null });
      assert.equal(cleared.status, 200, cleared.raw);
      assert.deepEqual(cleared.body.effective.categories, ['党史']);
      assert.equal(cleared.body.effective.fromOrgId, rootId);
      const [audit] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from audit_log where action = 'learn.practice.setting'`,
      );
      assert.equal(audit!.n, 3);
      assert.equal((await setPractice(zuzhibu, { orgId: rootId, categories: null })).status, 200);
    });

    it('validates questions with Chinese field messages', async () => {
      const r = await post('/learn/questions', secretary, {
        orgId: branchId,
        kind: 'single',
        stem: '一道坏题目',
        options: ['甲', '乙'],
        answer: [3],
      });
      assert.equal(r.status, 400);
      assert.match(r.raw, /正确答案须是已有选项/);
      const ok = await post('/learn/questions', secretary, {
        orgId: branchId,
        kind: 'judge',
        stem: '支部的新题目',
        options: ['正确', '错误'],
        answer: [0],
      });
      assert.equal(ok.status, 201);
      assert.equal((await post(`/learn-questions/${ok.body.id}/retire`, secretary)).status, 200);
      assert.equal((await post(`/learn-questions/${ok.body.id}/retire`, secretary2)).status, 404);
    });
  });

  describe('media files', () => {
    let itemId: string;
    const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(2000, 7)]);
    before(async () => {
      // The test app has no data folder; give it one for the file store.
      (t.services.config as { dataDir: string }).dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-learn-'));
      itemId = (await post('/learn/items', secretary, { orgId: branchId, kind: 'video', title: '支部上传的视频' })).body
        .id;
    });

    it('accepts an MP4 by its bytes and serves it in ranges', async () => {
      const up = await t.request({
        method: 'POST',
        url: `/api/v1/learn-items/${itemId}/files?role=video`,
        token: secretary,
        ...multipartFile(MP4, 'clip.txt'),
      });
      assert.equal(up.status, 201, up.raw);
      assert.equal(up.body.mime, 'video/mp4');
      const r = await t.request({
        method: 'GET',
        url: `/api/v1/learn-items/${itemId}/files/${up.body.id}`,
        token: member,
        headers: { range: 'bytes=4-11' },
      });
      assert.equal(r.status, 206);
      assert.equal(r.headers['content-range'], `bytes 4-11/${MP4.length}`);
      assert.equal(r.raw, 'ftypmp42');
      const bad = await t.request({
        method: 'GET',
        url: `/api/v1/learn-items/${itemId}/files/${up.body.id}`,
        token: member,
        headers: { range: 'bytes=99999-' },
      });
      assert.equal(bad.status, 416);
    });

    it('refuses a non-video as a video and a video on an article, in Chinese', async () => {
      const r = await t.request({
        method: 'POST',
        url: `/api/v1/learn-items/${itemId}/files?role=video`,
        token: secretary,
        ...multipartFile(Buffer.from('%PDF-1.7 not a video'), 'x.mp4'),
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'NOT_A_VIDEO');
      const art = (await post('/learn/items', secretary, { orgId: branchId, kind: 'article', title: '一篇百科' })).body
        .id;
      const v = await t.request({
        method: 'POST',
        url: `/api/v1/learn-items/${art}/files?role=video`,
        token: secretary,
        ...multipartFile(MP4, 'a.mp4'),
      });
      assert.equal(v.status, 422);
    });
  });

  describe('to-do and participation', () => {
    it("lists the member's required course until it is completed", async () => {
      const todo = (await get('/learn/me/todo', member)).body.items;
      const course = todo.find((x: { title: string }) => x.title === '《中国共产党章程》逐章导读');
      assert.ok(course, JSON.stringify(todo));
      assert.ok(course.days > 0);
      await post(`/learn-items/${course.id}/progress`, member, { seconds: 0 });
      later(45 * 60_000);
      // A course's first lesson is text: read to its end (TEXT_READ_RULE) over 45 minutes.
      await post(`/learn-items/${course.id}/progress`, member, { seconds: 45 * 60, position: 100 });
      const after = (await get('/learn/me/todo', member)).body.items;
      assert.ok(!after.some((x: { id: string }) => x.id === course.id));
    });

    it('counts members with learning this month over all members of the subtree', async () => {
      const p = (await get(`/learn/participation?orgId=${branchId}`, secretary)).body;
      const [n] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from member m join org o on o.id = m.org_id
        where o.path like (select path from org where id = ${branchId}) || '%' and m.left_at is null`,
      );
      assert.equal(p.members, n!.n);
      assert.ok(p.learners >= 2 && p.learners <= p.members, JSON.stringify(p));
      assert.equal(p.rate, Math.round((p.learners / p.members) * 1000) / 1000);
      assert.equal((await get(`/learn/participation?orgId=${branchId}`, member)).status, 403);
    });

    it("puts the member's own records, answers and points in their personal-data copy", async () => {
      const r = await t.request({ method: 'POST', url: '/api/v1/me/personal-data', token: member });
      assert.equal(r.status, 200);
      const data = JSON.parse(r.raw);
      assert.ok(data.learning.records.some((x: { title: string }) => x.title === '《中国共产党章程》逐章导读'));
      assert.ok(
        data.learning.attempts.some((x: { kind: string; answers: unknown }) => x.kind === 'daily' && x.answers),
      );
      assert.ok(data.learning.points.length >= 3);
    });
  });
});
