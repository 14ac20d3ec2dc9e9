/**
 * 随机组卷: an exam defined as counts per type drawn from categories. Each learner gets their own paper,
 * drawn on the server by a seed of learner and exam (the same on every start and attempt), stored with
 * the attempt, graded on the server; a rule asking more than the bank holds is refused in Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setClock, type Attempt } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { adminToken, startTestApp, type TestApp } from '../../testing/harness';
import { rightAnswers } from './test-helpers';

describe('learn: random papers by category', () => {
  let t: TestApp;
  let member: string; // dangyuan, 第一发电厂党支部
  let peer: string; // another member of the same branch, given an account here
  let secretary: string; // shuji, 第一发电厂党支部
  let secretary2: string; // shuji2, another subsidiary
  let branchId: string;
  let examId: string;
  let first: Attempt;

  const get = (url: string, token: string) => t.request({ method: 'GET', url: `/api/v1${url}`, token });
  const post = (url: string, token: string, body: unknown = {}) =>
    t.request({ method: 'POST', url: `/api/v1${url}`, token, body });
  const exam = (draw: unknown, extra: Record<string, unknown> = {}) => ({
    orgId: branchId,
    title: '支部随机测试',
    draw,
    passScore: 60,
    minutes: 30,
    maxAttempts: 3,
    opensOn: '2000-01-01',
    closesOn: '2099-12-31',
    ...extra,
  });
  const categoriesOf = async (ids: string[]) =>
    (
      await queryRows<{ id: string; category: string; kind: string }>(
        t.services.db,
        sql`select id, category, kind from learn_question where id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      )
    ).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

  before(async () => {
    t = await startTestApp();
    const admin = await adminToken(t);
    member = await t.login('dangyuan');
    secretary = await t.login('shuji');
    secretary2 = await t.login('shuji2');
    branchId = await t.orgId('第一发电厂党支部');
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branchId} and user_id is null limit 1`,
    );
    const u = await post('/users', admin, {
      username: 'dangyuan2',
      password: 'Xianfeng@2026',
      roles: [{ role: 'member', orgId: branchId }],
    });
    assert.equal(u.status, 201, u.raw);
    await t.services.db.execute(sql`update member set user_id = ${u.body.id} where id = ${m!.id}`);
    await t.services.db.execute(sql`update app_user set must_change_password = false where id = ${u.body.id}`);
    peer = await t.login('dangyuan2', 'Xianfeng@2026');
    // The branch's own bank: 12 党史 single choice, 5 理论 true/false, 3 业务 multiple choice.
    const add = async (category: string, kind: string, n: number) => {
      for (let i = 1; i <= n; i++) {
        const judge = kind === 'judge';
        const r = await post('/learn/questions', secretary, {
          orgId: branchId,
          kind,
          category,
          stem: `支部${category}题第 ${i} 题（${kind}）`,
          options: judge ? ['正确', '错误'] : ['甲', '乙', '丙', '丁'],
          answer: kind === 'multi' ? [0, 2] : [i % 2],
        });
        assert.equal(r.status, 201, r.raw);
        assert.equal(r.body.category, category, 'the question keeps its category');
      }
    };
    await add('党史', 'single', 12);
    await add('理论', 'judge', 5);
    await add('业务', 'multi', 3);
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  it('counts the bank a draw can use per category and type, for readers only', async () => {
    const r = await get(`/learn/questions/counts?orgId=${branchId}`, secretary);
    assert.equal(r.status, 200, r.raw);
    const n = (c: string, k: string) =>
      r.body.items
        .filter((x: { category: string; kind: string }) => x.category === c && x.kind === k)
        .reduce((sum: number, x: { count: number }) => sum + x.count, 0);
    // The demo's group bank (党史 2 single, 1 judge, 1 multi; 理论 2 single, 1 judge) plus the branch's own.
    assert.equal(n('党史', 'single'), 14, JSON.stringify(r.body.items));
    assert.equal(n('理论', 'judge'), 6, JSON.stringify(r.body.items));
    assert.equal(n('业务', 'multi'), 3, JSON.stringify(r.body.items));
    assert.equal((await get('/learn/questions/counts', member)).status, 403, 'a member does not read the bank');
    assert.equal(
      (await get(`/learn/questions/counts?orgId=${branchId}`, secretary2)).status,
      403,
      'another subsidiary is refused',
    );
  });

  it('refuses a rule asking more than the bank holds, with a Chinese 422 naming the type and the numbers', async () => {
    const r = await post(
      '/learn/exams',
      secretary,
      exam({ categories: ['党史', '理论'], counts: { single: 30, judge: 2 } }),
    );
    assert.equal(r.status, 422, r.raw);
    assert.equal(r.body.error.code, 'BANK_TOO_SMALL');
    assert.match(r.body.error.message, /题库题目不足：「党史、理论」的单选题只有 16 道，不够抽取 30 道/);
    assert.deepEqual(
      r.body.error.details.map((d: { field: string }) => d.field),
      ['draw.counts.single'],
    );
    const none = await post('/learn/exams', secretary, exam({ categories: ['业务'], counts: { single: 1 } }));
    assert.equal(none.status, 422, none.raw);
    assert.match(none.body.error.message, /「业务」的单选题只有 0 道/);
    const both = await post(
      '/learn/exams',
      secretary,
      exam({ categories: ['党史'], counts: { single: 1 } }, { questionIds: [] }),
    );
    assert.equal(both.status, 201, 'empty questionIds with a draw is a draw');
    const neither = await post('/learn/exams', secretary, exam(undefined));
    assert.equal(neither.status, 400, neither.raw);
    assert.match(neither.raw, /二者选一/);
    const badCat = await post('/learn/exams', secretary, exam({ categories: ['八卦'], counts: { single: 1 } }));
    assert.equal(badCat.status, 400, badCat.raw);
    assert.match(badCat.raw, /分类须为/);
  });

  it('draws the counts per type from the named categories only, without keys', async () => {
    const r = await post(
      '/learn/exams',
      secretary,
      exam({ categories: ['党史', '理论'], counts: { single: 6, judge: 2 } }),
    );
    assert.equal(r.status, 201, r.raw);
    assert.equal(r.body.questionCount, 8);
    assert.deepEqual(r.body.draw, { categories: ['党史', '理论'], counts: { single: 6, multi: 0, judge: 2, fill: 0 } });
    examId = r.body.id;
    const a = await post(`/learn-exams/${examId}/attempts`, member);
    assert.equal(a.status, 200, a.raw);
    first = a.body;
    assert.equal(first.questions.length, 8);
    assert.ok(
      first.questions.every((q) => !('answer' in q)),
      'no answer key before submission',
    );
    assert.ok(!/"answer"/.test(a.raw), 'no answer key anywhere in the reply');
    const rows = await categoriesOf(first.questions.map((q) => q.id));
    assert.deepEqual(
      rows.map((q) => q.kind),
      ['single', 'single', 'single', 'single', 'single', 'single', 'judge', 'judge'],
    );
    assert.ok(
      rows.every((q) => q.category === '党史' || q.category === '理论'),
      JSON.stringify(rows),
    );
    assert.equal(new Set(rows.map((q) => q.id)).size, 8, 'no question twice');
  });

  it('shows the same paper on reload and resume', async () => {
    const again = await post(`/learn-exams/${examId}/attempts`, member);
    assert.equal(again.body.id, first.id, 'the open attempt resumes');
    const view = await get(`/learn-attempts/${first.id}`, member);
    assert.deepEqual(
      view.body.questions.map((q: { id: string }) => q.id),
      first.questions.map((q) => q.id),
    );
  });

  it("gives another member a different paper, and keeps each paper out of the other member's reach", async () => {
    const b = await post(`/learn-exams/${examId}/attempts`, peer);
    assert.equal(b.status, 200, b.raw);
    assert.equal(b.body.questions.length, 8);
    assert.notDeepEqual(
      b.body.questions.map((q: { id: string }) => q.id),
      first.questions.map((q) => q.id),
      'two members draw differently (6 of 14 singles, 2 of 7 true/false)',
    );
    assert.equal(
      (await get(`/learn-attempts/${first.id}`, peer)).status,
      404,
      'a member cannot read another member’s paper',
    );
    assert.equal(
      (await post(`/learn-attempts/${first.id}/submit`, peer, { answers: {} })).status,
      404,
      'nor hand it in',
    );
    assert.equal((await get(`/learn-attempts/${first.id}`, secretary2)).status, 404, 'nor can another subsidiary');
    assert.equal((await get(`/learn-attempts/${first.id}`, secretary)).status, 200, 'the branch secretary can');
  });

  it('grades on the server, and draws the same paper again for the next attempt of the same member', async () => {
    const fail = await post(`/learn-attempts/${first.id}/submit`, member, { answers: {} });
    assert.equal(fail.status, 200, fail.raw);
    assert.equal(fail.body.score, 0);
    assert.equal(fail.body.passed, false);
    const second = await post(`/learn-exams/${examId}/attempts`, member);
    assert.equal(second.status, 200, second.raw);
    assert.notEqual(second.body.id, first.id, 'a new attempt');
    assert.deepEqual(
      second.body.questions.map((q: { id: string }) => q.id),
      first.questions.map((q) => q.id),
      'reproducible per member and exam',
    );
    const right = await rightAnswers(t.services.db, second.body);
    const answers = Object.fromEntries(
      (second.body as Attempt).questions.map((q, i) => [q.id, i < 6 ? right[q.id]! : [9]]),
    );
    const r = await post(`/learn-attempts/${second.body.id}/submit`, member, { answers });
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.score, 75, '6 of 8 right');
    assert.equal(r.body.passed, true);
    assert.equal(r.body.results.length, 8);
  });

  it('never draws a retired question', async () => {
    const [q] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from learn_question where stem = '支部理论题第 1 题（judge）'`,
    );
    assert.equal((await post(`/learn-questions/${q!.id}/retire`, secretary)).status, 200);
    const r = await post(
      '/learn/exams',
      secretary,
      exam({ categories: ['理论'], counts: { judge: 5 } }, { title: '理论判断' }),
    );
    assert.equal(r.status, 201, r.raw);
    const a = await post(`/learn-exams/${r.body.id}/attempts`, peer);
    assert.equal(a.body.questions.length, 5);
    assert.ok(!a.body.questions.some((x: { id: string }) => x.id === q!.id), 'the retired question is not drawn');
    const more = await post('/learn/exams', secretary, exam({ categories: ['理论'], counts: { judge: 6 } }));
    assert.equal(more.status, 422, 'only 5 usable true/false questions are left');
  });

  describe('fill-in questions, difficulty and shuffled options', () => {
    const question = (extra: Record<string, unknown>) =>
      post('/learn/questions', secretary, { orgId: branchId, ...extra });
    let fillId: string;
    const hardIds: string[] = [];

    it('takes a fill-in question with accepted answers per blank, refusing bad ones in Chinese', async () => {
      const bad = [
        [
          { kind: 'fill', stem: '支部填空：党的最高理想是____。', accepted: [['共产主义'], ['x']] },
          /题干中有 1 个空.*答案有 2 个空/,
        ],
        [{ kind: 'fill', stem: '支部填空：党的最高理想是____。', accepted: [] }, /请写出每个空的正确答案/],
        [
          { kind: 'fill', stem: '支部填空：党的最高理想是____。', accepted: [['共产主义']], options: ['甲', '乙'] },
          /填空题没有选项/,
        ],
        [{ kind: 'single', stem: '支部单选：一道没有选项的题', answer: [0] }, /至少两个选项/],
        [
          { kind: 'single', stem: '支部单选：难度写错的题', options: ['甲', '乙'], answer: [0], difficulty: '很难' },
          /难度须为 易、中、难 之一/,
        ],
        [
          {
            kind: 'judge',
            stem: '支部判断：答案写成空的题',
            options: ['正确', '错误'],
            accepted: [['正确']],
            answer: [0],
          },
          /只有填空题按空写答案/,
        ],
      ] as const;
      for (const [body, message] of bad) {
        const r = await question(body);
        assert.equal(r.status, 400, r.raw);
        assert.match(r.raw, message);
      }
      const ok = await question({
        kind: 'fill',
        category: '党章',
        difficulty: '难',
        stem: '支部填空：党的最高理想和最终目标是实现____；党的根本宗旨是（ ）。',
        accepted: [['共产主义'], ['全心全意为人民服务', '全心全意为人民群众服务']],
        explanation: '党章总纲。',
        source: '中国共产党章程 总纲',
      });
      assert.equal(ok.status, 201, ok.raw);
      assert.equal(ok.body.difficulty, '难');
      assert.deepEqual(ok.body.accepted, [['共产主义'], ['全心全意为人民服务', '全心全意为人民群众服务']]);
      assert.deepEqual(ok.body.options, []);
      fillId = ok.body.id;
      for (let i = 1; i <= 3; i++) {
        const h = await question({
          kind: 'single',
          category: '党章',
          difficulty: '难',
          stem: `支部难题之${i}：下列说法正确的是？`,
          options: [`对的${i}`, '错的甲', '错的乙', '错的丙'],
          answer: [0],
        });
        assert.equal(h.status, 201, h.raw);
        hardIds.push(h.body.id);
      }
    });

    it('keeps every key out of every reply before submission, grades blanks without full-/half-width or spaces', async () => {
      const e = await post('/learn/exams', secretary, {
        ...exam(undefined, { title: '支部填空小测' }),
        draw: undefined,
        questionIds: [fillId, ...hardIds],
      });
      assert.equal(e.status, 201, e.raw);
      const a = await post(`/learn-exams/${e.body.id}/attempts`, member);
      assert.equal(a.status, 200, a.raw);
      const fill = (a.body as Attempt).questions.find((q) => q.id === fillId)!;
      assert.equal(fill.blanks, 2);
      assert.deepEqual(fill.options, []);
      const before = [
        a,
        await get(`/learn-attempts/${a.body.id}`, member),
        await get(`/learn-exams/${e.body.id}`, member),
        await get('/learn/exams?pageSize=100', member),
        await post(`/learn-exams/${e.body.id}/attempts`, member),
      ];
      for (const r of before) {
        assert.equal(r.status, 200, r.raw);
        for (const key of ['"answer"', '"accepted"', '共产主义', '全心全意', '"explanation"', '党章总纲'])
          assert.ok(!r.raw.includes(key), `${key} in a reply before submission: ${r.raw.slice(0, 300)}`);
      }
      const right = await rightAnswers(t.services.db, a.body);
      const answers = { ...right, [fillId]: [' 共产 主义 ', '全心全意为人民群众服务'], [hardIds[0]!]: [9] };
      const wrongShape = await post(`/learn-attempts/${a.body.id}/submit`, member, {
        answers: { ...answers, [fillId]: [0, 1] },
      });
      assert.equal(wrongShape.status, 422, wrongShape.raw);
      assert.match(wrongShape.body.error.message, /答案格式不对/);
      const r = await post(`/learn-attempts/${a.body.id}/submit`, member, { answers });
      assert.equal(r.status, 200, r.raw);
      assert.equal(
        r.body.score,
        75,
        'the blanks with spaces and the second accepted answer count; one single is wrong',
      );
      const res = (r.body as Attempt).results!.find((x) => x.id === fillId)!;
      assert.equal(res.correct, true);
      assert.deepEqual(res.filled, [' 共产 主义 ', '全心全意为人民群众服务']);
      assert.deepEqual(res.accepted[0], ['共产主义']);
      assert.equal(res.source, '中国共产党章程 总纲');
      assert.equal(res.explanation, '党章总纲。');
      assert.equal(res.difficulty, '难');
      const wrong = (r.body as Attempt).results!.find((x) => x.id === hardIds[0])!;
      assert.equal(wrong.correct, false);
      assert.equal(wrong.options[wrong.answer[0]!], '对的1', 'the key points at the right option in the order shown');
    });

    it('grades full-width digits and letters like half-width ones', async () => {
      const q = await question({
        kind: 'fill',
        category: '党史',
        stem: '支部填空：遵义会议召开于____年，简称 ____ 会议。',
        accepted: [['1935'], ['zunyi']],
      });
      assert.equal(q.status, 201, q.raw);
      const e = await post('/learn/exams', secretary, {
        ...exam(undefined, { title: '支部全角小测' }),
        draw: undefined,
        questionIds: [q.body.id],
      });
      const a = await post(`/learn-exams/${e.body.id}/attempts`, member);
      const r = await post(`/learn-attempts/${a.body.id}/submit`, member, {
        answers: { [q.body.id]: ['１９３５', 'ＺＵＮＹＩ'] },
      });
      assert.equal(r.status, 200, r.raw);
      assert.equal(r.body.score, 100, '１９３５ is 1935, ＺＵＮＹＩ is zunyi');
    });

    it('shows the options in a new order on each attempt, remembered per attempt, and grades through it', async () => {
      const e = await post('/learn/exams', secretary, {
        ...exam(undefined, { title: '支部乱序小测', passScore: 100 }),
        draw: undefined,
        questionIds: hardIds,
      });
      assert.equal(e.status, 201, e.raw);
      const orders: string[][][] = [];
      for (let k = 0; k < 2; k++) {
        const a = (await post(`/learn-exams/${e.body.id}/attempts`, peer)).body as Attempt;
        const again = (await get(`/learn-attempts/${a.id}`, peer)).body as Attempt;
        assert.deepEqual(again.questions, a.questions, 'a reload shows the same order');
        orders.push(a.questions.map((q) => q.options));
        for (const q of a.questions)
          assert.deepEqual(
            [...q.options].sort(),
            [`对的${hardIds.indexOf(q.id) + 1}`, '错的丙', '错的乙', '错的甲'].sort(),
          );
        const wrong = await post(`/learn-attempts/${a.id}/submit`, peer, {
          answers: Object.fromEntries(a.questions.map((q) => [q.id, [q.options.indexOf('错的甲')]])),
        });
        assert.equal(wrong.body.score, 0, 'the index of a wrong option is wrong, whatever its place');
      }
      // 3 questions of 4 options in the same order twice by chance: (1/24)^3.
      assert.notDeepEqual(orders[0], orders[1], 'two attempts show the options in different orders');
      const a = (await post(`/learn-exams/${e.body.id}/attempts`, peer)).body as Attempt;
      const r = await post(`/learn-attempts/${a.id}/submit`, peer, { answers: await rightAnswers(t.services.db, a) });
      assert.equal(r.body.score, 100);
      assert.equal(r.body.passed, true);
    });

    it('draws by category and difficulty, and says when the bank has too few of a difficulty', async () => {
      const short = await post(
        '/learn/exams',
        secretary,
        exam({ categories: ['党章'], difficulties: ['难'], counts: { single: 5 } }),
      );
      assert.equal(short.status, 422, short.raw);
      assert.match(short.body.error.message, /「党章」难度为「难」的单选题只有 4 道，不够抽取 5 道/);
      const counts = await get(`/learn/questions/counts?orgId=${branchId}`, secretary);
      const hard = counts.body.items.filter(
        (c: { category: string; difficulty: string }) => c.category === '党章' && c.difficulty === '难',
      );
      assert.deepEqual(
        hard.map((c: { kind: string; count: number }) => [c.kind, c.count]).sort(),
        [
          ['fill', 1],
          ['single', 4],
        ],
        '3 of the branch, 1 of the demo',
      );
      const r = await post(
        '/learn/exams',
        secretary,
        exam({ categories: ['党章'], difficulties: ['难'], counts: { single: 4, fill: 1 } }, { title: '党章难题' }),
      );
      assert.equal(r.status, 201, r.raw);
      assert.equal(r.body.questionCount, 5);
      const a = await post(`/learn-exams/${r.body.id}/attempts`, member);
      assert.equal(a.status, 200, a.raw);
      const rows = await queryRows<{ difficulty: string; kind: string }>(
        t.services.db,
        sql`select difficulty, kind from learn_question where id in (${sql.join(
          (a.body as Attempt).questions.map((q) => sql`${q.id}`),
          sql`, `,
        )})`,
      );
      assert.equal(rows.length, 5);
      assert.ok(
        rows.every((q) => q.difficulty === '难'),
        JSON.stringify(rows),
      );
      assert.equal(rows.filter((q) => q.kind === 'fill').length, 1);
      const badLevel = await post(
        '/learn/exams',
        secretary,
        exam({ categories: ['党章'], difficulties: ['超难'], counts: { single: 1 } }),
      );
      assert.equal(badLevel.status, 400, badLevel.raw);
      assert.match(badLevel.raw, /难度须为/);
    });
  });

  it('migration 0063: a question has a difficulty (中 unless given), fill-in keys and option orders have columns', async () => {
    const rows = await queryRows<{ difficulty: string; n: number }>(
      t.services.db,
      sql`select difficulty, count(*)::int as n from learn_question where stem like '支部%题第 % 题（%）' group by difficulty`,
    );
    assert.deepEqual(rows, [{ difficulty: '中', n: 20 }], 'questions made without one are of middle difficulty');
    const [cols] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from information_schema.columns
          where (table_name = 'learn_question' and column_name = 'accepted')
             or (table_name = 'learn_attempt' and column_name = 'option_orders')`,
    );
    assert.equal(cols!.n, 2);
  });
});
