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
      r.body.items.find((x: { category: string; kind: string }) => x.category === c && x.kind === k)?.count ?? 0;
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
    assert.deepEqual(r.body.draw, { categories: ['党史', '理论'], counts: { single: 6, multi: 0, judge: 2 } });
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
    const keys = await queryRows<{ id: string; answer: number[] }>(
      t.services.db,
      sql`select id, answer from learn_question where id in (${sql.join(
        second.body.questions.map((q: { id: string }) => sql`${q.id}`),
        sql`, `,
      )})`,
    );
    const answers = Object.fromEntries(keys.map((k, i) => [k.id, i < 6 ? k.answer : [9]]));
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
