/**
 * 随机组卷: an exam defined as counts per type drawn from categories. Each learner gets their own paper,
 * drawn on the server by a seed of learner and exam (the same on every start and attempt), stored with
 * the attempt, graded on the server; a rule asking more than the bank holds is refused in Chinese.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setClock, type Attempt } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import ExcelJS from 'exceljs';
import { adminToken, multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { accountFor } from '../../testing/accounts';
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

  const { get, post, patch } = api(() => t);
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
    [member, secretary, secretary2] = await signIn(t, 'dangyuan', 'shuji', 'shuji2');
    branchId = await t.orgId('第一发电厂党支部');
    const [m] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branchId} and user_id is null limit 1`,
    );
    peer = (await accountFor(t, admin, m!.id, 'dangyuan2')).token;
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

  describe('题库 Excel import (all or nothing, duplicates by normalised stem)', () => {
    /** A sheet from the template the server hands out, its example rows replaced by `rows`. */
    const sheet = async (rows: string[][]) => {
      const tpl = await t.app.inject({
        method: 'GET',
        url: '/api/v1/learn/questions/import-template',
        headers: { authorization: `Bearer ${secretary}` },
      });
      assert.equal(tpl.statusCode, 200, tpl.body);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
      const out = new ExcelJS.Workbook();
      const ws = out.addWorksheet('题目');
      ws.addRow((wb.worksheets[0]!.getRow(1).values as string[]).slice(1));
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await out.xlsx.writeBuffer());
    };
    const upload = (file: Buffer, token = secretary, query = `?orgId=${branchId}`) => {
      const { body: payload, headers } = multipartFile(file);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/learn/questions/import${query}`,
        payload,
        headers: { ...headers, authorization: `Bearer ${token}` },
      });
    };
    const count = async () =>
      (await queryRows<{ n: number }>(t.services.db, sql`select count(*)::int as n from learn_question`))[0]!.n;
    //        题型      分类    难度   题干                                  A       B       C      D   E   F   答案   解析  出处
    const good = [
      [
        '单选题',
        '党规',
        '易',
        '导入题：党小组会一般多久召开一次？',
        '每周',
        '每月',
        '每季度',
        '每年',
        '',
        '',
        'B',
        '一般每月一次。',
        '支部工作条例',
      ],
      [
        '多选',
        '理论',
        '难',
        '导入题：下列属于党的优良作风的有？',
        '理论联系实际',
        '密切联系群众',
        '批评与自我批评',
        '脱离群众',
        '',
        '',
        'A,B,C',
        '',
        '',
      ],
      ['判断题', '党章', '', '导入题：党员有退党的自由。', '', '', '', '', '', '', '对', '', '中国共产党章程 第九条'],
      [
        '填空题',
        '党史',
        '中',
        '导入题：遵义会议于 ____ 年 1 月召开，地点在 ____。',
        '',
        '',
        '',
        '',
        '',
        '',
        '1935/一九三五|遵义',
        '',
        '',
      ],
    ];

    it('hands out the template to keepers only, and refuses a file that is not .xlsx in Chinese', async () => {
      const tpl = await get('/learn/questions/import-template', secretary);
      assert.equal(tpl.status, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(
        (
          await t.app.inject({
            method: 'GET',
            url: '/api/v1/learn/questions/import-template',
            headers: { authorization: `Bearer ${secretary}` },
          })
        ).rawPayload as unknown as ArrayBuffer,
      );
      assert.deepEqual((wb.worksheets[0]!.getRow(1).values as string[]).slice(1), [
        '题型',
        '分类',
        '难度',
        '题干',
        '选项A',
        '选项B',
        '选项C',
        '选项D',
        '选项E',
        '选项F',
        '答案',
        '解析',
        '出处',
      ]);
      assert.equal((await get('/learn/questions/import-template', member)).status, 403);
      const notXlsx = await upload(Buffer.from('题型,题干\n单选题,哪一年？'));
      assert.equal(notXlsx.statusCode, 400, notXlsx.body);
      assert.match(notXlsx.body, /请上传 .xlsx 格式的 Excel 文件/);
    });

    it('writes nothing when any row is bad, and names every row and column, duplicates included', async () => {
      const before = await count();
      const file = await sheet([
        good[0]!,
        ['问答题', '', '', '导入题：一道题型不对的题', '', '', '', '', '', '', 'A', '', ''],
        ['单选题', '', '', '导入题：答案不是字母的题？', '甲', '乙', '', '', '', '', '甲', '', ''],
        ['填空题', '', '', '导入题：两个空 ____ 和 ____', '', '', '', '', '', '', '只有一个空的答案', '', ''],
        ['单选题', '', '很难', '导入题：难度不对的题？', '甲', '乙', '', '', '', '', 'A', '', ''],
        ['单选题', '', '', '导入题：党小组会一般多久召开一次?', '每周', '每月', '', '', '', '', 'B', '', ''],
        // The demo's question, with half-width punctuation and spaces: the same stem.
        ['单选题', '', '', '党支部党员大会 一般多长时间召开一次?', '每月', '每季度', '', '', '', '', 'B', '', ''],
      ]);
      const r = await upload(file);
      assert.equal(r.statusCode, 422, r.body);
      const body = JSON.parse(r.body);
      assert.equal(body.error.code, 'IMPORT_INVALID');
      assert.match(body.error.message, /导入失败：共 6 处错误，未导入任何题目。第一处：第 3 行「题型」/);
      assert.deepEqual(
        body.error.details.map((d: { row: number; field: string }) => [d.row, d.field]),
        [
          [3, '题型'],
          [4, '答案'],
          [5, '题干'],
          [6, '难度'],
          [7, '题干'],
          [8, '题干'],
        ],
        JSON.stringify(body.error.details),
      );
      const msg = (row: number) => body.error.details.find((d: { row: number }) => d.row === row).message;
      assert.match(msg(5), /题干中有 2 个空.*答案有 1 个空/);
      assert.equal(msg(7), '与第 2 行的题干重复');
      assert.equal(msg(8), '题库中已有相同题干的题目（华夏能源集团党委）');
      assert.equal(await count(), before, 'nothing written');
    });

    it('imports every kind in one go into the branch bank, with difficulty, keys and an audit entry', async () => {
      const before = await count();
      const r = await upload(await sheet(good));
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(JSON.parse(r.body), { imported: 4 });
      assert.equal(await count(), before + 4);
      const list = (await get(`/learn/questions?orgId=${branchId}&q=${encodeURIComponent('导入题')}`, secretary)).body;
      const byKind = Object.fromEntries(list.items.map((q: { kind: string }) => [q.kind, q]));
      assert.deepEqual(byKind.single.answer, [1]);
      assert.equal(byKind.single.difficulty, '易');
      assert.deepEqual(byKind.multi.answer, [0, 1, 2]);
      assert.equal(byKind.multi.difficulty, '难');
      assert.deepEqual(byKind.judge.options, ['正确', '错误']);
      assert.deepEqual(byKind.judge.answer, [0]);
      assert.equal(byKind.judge.difficulty, '中', 'an empty 难度 is 中');
      assert.deepEqual(byKind.fill.accepted, [['1935', '一九三五'], ['遵义']]);
      assert.ok(list.items.every((q: { orgName: string }) => q.orgName === '第一发电厂党支部'));
      const [audit] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from audit_log where action = 'learn.question.import'`,
      );
      assert.equal(audit!.n, 1);
      // The same file again: every stem is in the bank now.
      const again = await upload(await sheet(good));
      assert.equal(again.statusCode, 422, again.body);
      assert.equal(JSON.parse(again.body).error.details.length, 4);
    });

    it('runs a background import whose progress can be followed, and keeps it to keepers of the subtree', async () => {
      const rows = Array.from({ length: 30 }, (_, i) => [
        '判断题',
        '业务',
        '易',
        `后台导入题第 ${i + 1} 道：说法正确。`,
        '',
        '',
        '',
        '',
        '',
        '',
        '正确',
        '',
        '',
      ]);
      const r = await upload(await sheet(rows), secretary, `?orgId=${branchId}&async=true`);
      assert.equal(r.statusCode, 202, r.body);
      const { jobId } = JSON.parse(r.body);
      let job;
      for (let i = 0; i < 300; i++) {
        job = (await get(`/jobs/${jobId}`, secretary)).body;
        if (job.status === 'done' || job.status === 'failed') break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(job.status, 'done', JSON.stringify(job.error));
      assert.deepEqual(job.result, { imported: 30 });
      assert.equal(job.progress, 30);
      assert.equal(job.total, 30);
      assert.equal((await upload(await sheet([good[0]!]), member)).statusCode, 403, 'a member cannot import');
      assert.equal(
        (await upload(await sheet([good[0]!]), secretary2)).statusCode,
        403,
        'another subsidiary cannot import into this branch',
      );
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

  it('edits a question with the checks of adding one; a question already answered keeps its stem, options and key', async () => {
    const editQuestion = (id: string, body: unknown, token = secretary) => patch(`/learn-questions/${id}`, token, body);
    const base = {
      orgId: branchId,
      kind: 'single',
      category: '其他',
      difficulty: '易',
      stem: '支部编辑题：党的基层组织是？',
      options: ['党支部', '党小组'],
      answer: [0],
    };
    const c = await post('/learn/questions', secretary, base);
    assert.equal(c.status, 201, c.raw);
    const id = c.body.id as string;
    // Not answered yet: anything may change, checked as on adding (Chinese 400s); it stays in its org's bank (the
    // body names no org).
    const { orgId: _org, ...fields } = base;
    const bad = await editQuestion(id, { ...fields, kind: 'fill', accepted: [] });
    assert.equal(bad.status, 400, bad.raw);
    assert.match(bad.raw, /请写出每个空的正确答案/);
    assert.equal((await editQuestion(id, { ...fields, options: ['党支部'] })).status, 400);
    assert.equal((await editQuestion(id, base)).status, 400, 'no org in the body: a question is not moved');
    const edited = {
      ...fields,
      stem: '支部编辑题：党的基层组织是什么？',
      options: ['党委', '党支部', '党小组'],
      answer: [1],
      explanation: '党章第五章。',
    };
    const ok = await editQuestion(id, edited);
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual([ok.body.stem, ok.body.options, ok.body.answer], [edited.stem, edited.options, [1]]);
    // Only the keepers over the question's org: a member by role, another subsidiary's secretary not at all.
    assert.equal((await editQuestion(id, edited, member)).status, 403);
    assert.equal((await editQuestion(id, edited, secretary2)).status, 404);
    assert.equal((await editQuestion(randomUUID(), edited)).status, 404);

    // Answered in a finished attempt: its stem, options and key stay; the attempt's answers and score too.
    const e = await post('/learn/exams', secretary, {
      ...exam(undefined, { title: '支部编辑题小测', passScore: 100 }),
      draw: undefined,
      questionIds: [id],
    });
    assert.equal(e.status, 201, e.raw);
    const a = (await post(`/learn-exams/${e.body.id}/attempts`, member)).body as Attempt;
    const done = await post(`/learn-attempts/${a.id}/submit`, member, {
      answers: await rightAnswers(t.services.db, a),
    });
    assert.equal(done.body.score, 100, done.raw);
    for (const change of [
      { answer: [2] },
      { stem: '支部编辑题：党的基层组织是哪一级？' },
      { options: ['党委', '党支部', '团支部'] },
    ]) {
      const r = await editQuestion(id, { ...edited, ...change });
      assert.equal(r.status, 409, r.raw);
      assert.equal(r.body.error.code, 'QUESTION_IN_USE');
      assert.match(r.body.error.message, /已用于 1 份答卷.*不能再改.*解析、出处、分类和难度仍可修改/);
    }
    const notes = await editQuestion(id, {
      ...edited,
      explanation: '党章第五章第三十条。',
      source: '中国共产党章程',
      difficulty: '中',
    });
    assert.equal(notes.status, 200, notes.raw);
    const review = (await get(`/learn-attempts/${a.id}`, member)).body as Attempt;
    assert.equal(review.score, 100, 'the score stays');
    const res = review.results!.find((x) => x.id === id)!;
    assert.deepEqual([res.correct, res.explanation, res.source], [true, '党章第五章第三十条。', '中国共产党章程']);
    assert.deepEqual(
      res.chosen.map((i) => res.options[i]),
      ['党支部'],
      'the answer given is the option it was',
    );
    const audits = await queryRows<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      t.services.db,
      sql`select before, after from audit_log where entity_id = ${id} and action = 'learn.question.update' order by id`,
    );
    assert.equal(audits.length, 2, 'each edit audited');
    assert.deepEqual(Object.keys(audits[1]!.after).sort(), ['difficulty', 'explanation', 'source']);
    // A retired question is not edited.
    assert.equal((await post(`/learn-questions/${id}/retire`, secretary)).status, 200);
    const retired = await editQuestion(id, edited);
    assert.equal(retired.status, 409);
    assert.match(retired.body.error.message, /已停用/);
  });
});
