/**
 * 支部在线, surveys (满意度测评, 下考上) and votes over HTTP: who takes part, one answer and one
 * ballot per person under concurrent requests, windows, answers of the wrong type, employees with
 * one-time codes, anonymous results that cannot be tied to a person, and vote results that equal
 * the ballots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { now, setClock } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { assertNoIdentity, download, memberAccounts, xlsxText } from './test-helpers';

const iso = (offsetMs: number) => new Date(now().getTime() + offsetMs).toISOString();
const HOUR = 3600_000;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);

describe('支部在线, surveys and votes API', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let admin: string, shuji: string, shuji2: string, dangyuan: string, jijian: string, dianli: string, shenji: string;
  let branch: string, lab: string, power: string;
  let voters: Awaited<ReturnType<typeof memberAccounts>>;
  /** The caller's notices of a kind, once the event processors have run. */
  const notices = async (token: string, kind: string) => {
    await t.services.jobs.settle();
    await t.services.jobs.settle();
    const r = await get('/notifications?pageSize=200', token);
    assert.equal(r.status, 200, r.raw);
    return (r.body.items as { kind: string; title: string; body: string; link: string | null }[]).filter(
      (n) => n.kind === kind,
    );
  };

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, dangyuan, jijian, dianli, shenji] = await signIn(
      t,
      'admin',
      'shuji',
      'shuji2',
      'dangyuan',
      'jijian',
      'dianli',
      'shenji',
    );
    branch = await t.orgId('第一发电厂党支部');
    lab = await t.orgId('研发中心党支部');
    power = await t.orgId('华夏电力有限公司党委');
    voters = await memberAccounts(t, '第一发电厂党支部', 'voter', ['投票人甲', '投票人乙', '投票人丙', '投票人丁']);
  });
  after(() => {
    setClock(null);
    return t.close();
  });

  describe('支部在线', () => {
    it('lets members of the branch talk with @mentions and attachments, and managers pin, lock and hide', async () => {
      const forums = await get('/voice/forums', dangyuan);
      assert.deepEqual(forums.body.items, [{ orgId: branch, orgName: '第一发电厂党支部' }]);
      const people = await get(`/voice/mentionable?orgId=${branch}`, dangyuan);
      const shujiUser = people.body.items.find((p: { name: string }) => p.name === '张建国（书记）');
      assert.ok(shujiUser, JSON.stringify(people.body));
      const made = await post('/voice/threads', dangyuan, {
        orgId: branch,
        title: '学习心得交流',
        body: '请书记指导。',
        mentions: [shujiUser.userId],
      });
      assert.equal(made.status, 201, made.raw);
      // The picker lists the secretary by the account's label; a mention shown in the thread names the person
      // by their member record (张建国 is a member of the branch), as the thread names every member.
      assert.deepEqual(made.body.mentions, [{ userId: shujiUser.userId, name: '张建国' }]);
      const id = made.body.id;
      // The one @mentioned hears of it through notify — where, not what: the notice carries no title or text.
      const told = await notices(shuji, 'voice.mentioned');
      assert.equal(told.length, 1, JSON.stringify(told));
      assert.equal(told[0]!.link, `/voice/forum/${id}`);
      assert.match(told[0]!.body, /第一发电厂党支部支部在线的话题中提到了您/);
      assert.ok(!`${told[0]!.title}${told[0]!.body}`.includes('学习心得'), 'no content in the notice');
      assert.equal((await notices(dangyuan, 'voice.mentioned')).length, 0, 'the author is not told');

      const outsider = (
        await queryRows<{ id: string }>(t.services.db, sql`select id from app_user where username = 'shuji2'`)
      )[0]!.id;
      const bad = await post(`/voice-threads/${id}/posts`, dangyuan, {
        body: '@别的支部',
        mentions: [outsider],
      });
      assert.equal(bad.status, 422);
      assert.match(bad.body.error.message, /提醒的人不在本支部/);

      const file = multipartFile(PNG, '现场.png');
      const up = await t.request({
        method: 'POST',
        url: `/api/v1/voice-threads/${id}/attachments`,
        token: dangyuan,
        body: file.body,
        headers: file.headers,
      });
      assert.equal(up.status, 201, up.raw);
      const got = await download(t, `/api/v1/voice-attachments/${up.body.id}`, voters[0]!.token);
      assert.equal(got.status, 200);
      assert.deepEqual(Buffer.from(got.body), PNG);
      const notMine = await t.request({
        method: 'POST',
        url: `/api/v1/voice-threads/${id}/attachments`,
        token: voters[0]!.token,
        body: file.body,
        headers: file.headers,
      });
      assert.equal(notMine.status, 403, 'only the author or a moderator attaches');

      const reply = await post(`/voice-threads/${id}/posts`, voters[0]!.token, { body: '我也有同感。' });
      assert.equal(reply.status, 200, reply.raw);
      const postId = reply.body.posts.at(-1).id;

      // Another branch's secretary and the admin-less outsiders see nothing of it.
      assert.equal((await get(`/voice-threads/${id}`, shuji2)).status, 404);
      assert.equal((await get(`/voice/threads?orgId=${branch}`, shuji2)).status, 403);
      assert.equal((await get(`/voice-attachments/${up.body.id}`, shuji2)).status, 404);

      assert.equal(
        (await post(`/voice-posts/${postId}/moderate`, dangyuan, { hidden: true, reason: '无关' })).status,
        403,
      );
      const noReason = await post(`/voice-posts/${postId}/moderate`, shuji, { hidden: true });
      assert.equal(noReason.status, 422);
      assert.equal(
        (await post(`/voice-posts/${postId}/moderate`, shuji, { hidden: true, reason: '含个人信息' })).status,
        200,
      );
      const seen = await get(`/voice-threads/${id}`, dangyuan);
      assert.equal(seen.body.posts.at(-1).body, '（该回复已被管理员隐藏）');
      const modSeen = await get(`/voice-threads/${id}`, shuji);
      assert.equal(modSeen.body.posts.at(-1).body, '我也有同感。');

      const locked = await post(`/voice-threads/${id}/moderate`, shuji, { pinned: true, locked: true });
      assert.equal(locked.body.pinned, true);
      const late = await post(`/voice-threads/${id}/posts`, dangyuan, { body: '还能回复吗' });
      assert.equal(late.status, 409);
      assert.match(late.body.error.message, /已锁定/);
      const list = await get(`/voice/threads?orgId=${branch}`, dangyuan);
      assert.equal(list.body.items[0].id, id, 'pinned first');
      await post(`/voice-threads/${id}/moderate`, shuji, { hidden: true, reason: '已转线下讨论' });
      const hiddenList = await get(`/voice/threads?orgId=${branch}`, dangyuan);
      assert.ok(
        !hiddenList.body.items.some((x: { id: string }) => x.id === id),
        'a hidden thread leaves members’ list',
      );
    });
  });

  describe('surveys', () => {
    const questions = [
      { id: 'q1', type: 'rating', title: '组织生活质量', required: true, weight: 60 },
      { id: 'q2', type: 'rating', title: '联系服务群众', required: true, weight: 40 },
      { id: 'q3', type: 'single', title: '最需要改进', required: true, options: ['学习形式', '活动时间'] },
      {
        id: 'q4',
        type: 'multiple',
        title: '喜欢的活动',
        required: false,
        options: ['党课', '参观', '志愿服务'],
        maxChoices: 2,
      },
      { id: 'q5', type: 'text', title: '其他建议', required: false },
    ];
    const answers = (a: number, b: number, text?: string) => [
      { q: 'q1', score: a },
      { q: 'q2', score: b },
      { q: 'q3', choice: 0 },
      { q: 'q4', choices: [0, 2] },
      ...(text ? [{ q: 'q5', text }] : []),
    ];
    let id: string;

    it('builds, publishes and collects one anonymous answer per person, refusing answers of the wrong type', async () => {
      const bad = await post('/voice/surveys', shuji, {
        orgId: branch,
        kind: 'satisfaction',
        title: '满意度测评',
        opensAt: iso(-HOUR),
        closesAt: iso(-2 * HOUR),
        questions: [{ id: 'q1', type: 'single', title: '只有一个选项', options: ['是'] }],
      });
      assert.equal(bad.status, 400);
      const messages = bad.body.error.details.map((d: { message: string }) => d.message).join('；');
      assert.match(messages, /结束时间须晚于开始时间/);
      assert.match(messages, /至少需要 2 个选项/);

      const input = {
        orgId: branch,
        kind: 'satisfaction',
        title: '支部工作满意度测评',
        anonymous: true,
        audienceRoles: ['member'],
        allowCodes: true,
        opensAt: iso(-HOUR),
        closesAt: iso(24 * HOUR),
        questions,
      };
      const made = await post('/voice/surveys', shuji, input);
      assert.equal(made.status, 201, made.raw);
      id = made.body.id;
      assert.equal(made.body.state, 'draft');
      assert.equal(
        (await post(`/voice-surveys/${id}/responses`, dangyuan, { answers: answers(5, 5) })).status,
        404,
        'a draft is nobody’s to answer',
      );
      const pub = await post(`/voice-surveys/${id}/publish`, shuji);
      assert.equal(pub.body.state, 'open');
      // Its audience (members of the branch) hears of it; the publisher, not in the audience, does not.
      const heard = (await notices(dangyuan, 'voice.poll.published')).filter((n) => n.link === `/voice/surveys/${id}`);
      assert.equal(heard.length, 1, 'one notice per published survey');
      assert.match(heard[0]!.title, /【问卷】第一发电厂党支部发布了「支部工作满意度测评」/);
      assert.equal(
        (await notices(shuji, 'voice.poll.published')).filter((n) => n.link === `/voice/surveys/${id}`).length,
        0,
      );
      assert.equal(
        (await notices(shuji2, 'voice.poll.published')).filter((n) => n.link === `/voice/surveys/${id}`).length,
        0,
        'another branch is not the audience',
      );
      const { orgId: _org, ...definition } = input;
      const edit = await put(`/voice-surveys/${id}`, shuji, { ...definition, title: '改标题' });
      assert.equal(edit.status, 409);
      assert.match(edit.body.error.message, /已发布的问卷不能再修改题目/);

      const open = await get('/voice/surveys/open', dangyuan);
      assert.ok(open.body.items.some((s: { id: string; canAnswer: boolean }) => s.id === id && s.canAnswer));
      const wrong = await post(`/voice-surveys/${id}/responses`, dangyuan, {
        answers: [
          { q: 'q1', text: '很好' },
          { q: 'q2', score: 9 },
          { q: 'q3', choice: 5 },
        ],
      });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.body.error.message, '第 1 题是评分题，请打分');
      assert.deepEqual(
        wrong.body.error.details.map((d: { message: string }) => d.message),
        ['第 1 题是评分题，请打分', '第 2 题的分数须为 1–5', '第 3 题的选项不存在'],
      );
      const tooMany = await post(`/voice-surveys/${id}/responses`, dangyuan, {
        answers: [...answers(5, 5).slice(0, 3), { q: 'q4', choices: [0, 1, 2] }],
      });
      assert.match(tooMany.body.error.message, /第 4 题最多选择 2 项/);

      const ok = await post(`/voice-surveys/${id}/responses`, dangyuan, {
        answers: answers(5, 4, '希望多组织现场教学'),
      });
      assert.equal(ok.status, 201, ok.raw);
      const twice = await post(`/voice-surveys/${id}/responses`, dangyuan, { answers: answers(1, 1) });
      assert.equal(twice.status, 409);
      assert.match(twice.body.error.message, /每人只能提交一次/);

      // Two answers raced from one person: the register's primary key lets exactly one through.
      const raced = await Promise.all(
        [0, 1].map(() => post(`/voice-surveys/${id}/responses`, voters[0]!.token, { answers: answers(4, 4) })),
      );
      assert.deepEqual(raced.map((r) => r.status).sort(), [201, 409]);

      // Outside the audience: another branch's member is not asked; the secretary (not a member role here) neither.
      assert.equal((await post(`/voice-surveys/${id}/responses`, shuji2, { answers: answers(3, 3) })).status, 404);
      const sec = await post(`/voice-surveys/${id}/responses`, shuji, { answers: answers(3, 3) });
      assert.equal(sec.status, 403);
      assert.match(sec.body.error.message, /不在本问卷的参与范围内/);
    });

    it('takes employees’ answers with one-time codes and refuses a reused one', async () => {
      const made = await post('/voice/code-batches', shuji, {
        orgId: branch,
        purpose: 'survey',
        surveyId: id,
        count: 2,
      });
      assert.equal(made.status, 201, made.raw);
      const [c1, c2] = made.body.codes;
      const info = await post('/public/voice/code', undefined, { orgId: branch, code: c1 });
      assert.equal(info.body.survey.id, id);
      assert.equal(info.body.survey.questions.length, 5);
      const send = (code: string, a = answers(3, 2, '职工：食堂需要改进')) =>
        post(`/public/voice/surveys/${id}/responses`, undefined, { orgId: branch, code, answers: a });
      assert.equal((await send(c1)).status, 201);
      const reused = await send(c1);
      assert.equal(reused.status, 422);
      assert.match(reused.body.error.message, /已经使用过/);
      const wrongType = await send(c2, [{ q: 'q1', choice: 1 }] as never);
      assert.equal(wrongType.status, 422);
      assert.match(wrongType.body.error.message, /第 1 题是评分题/);
      assert.equal((await send(c2)).status, 201, 'the code was not used by the refused answer');
      const opinionCode = (await post('/voice/code-batches', shuji, { orgId: branch, purpose: 'opinion', count: 1 }))
        .body.codes[0];
      const wrongPurpose = await send(opinionCode);
      assert.equal(wrongPurpose.status, 422);
      assert.match(wrongPurpose.body.error.message, /不能用于这份问卷/);
    });

    it('shows anonymous results only after the end, without a person or a time, texts only from 3 answers on', async () => {
      const early = await get(`/voice-surveys/${id}/results`, shuji);
      assert.equal(early.status, 409);
      assert.match(early.body.error.message, /结束后才公布结果/);
      assert.equal((await get(`/voice-surveys/${id}/results`, dangyuan)).status, 403, 'members do not read results');
      const closed = await post(`/voice-surveys/${id}/close`, shuji);
      assert.equal(closed.body.state, 'ended');
      const late = await post(`/voice-surveys/${id}/responses`, voters[1]!.token, { answers: answers(5, 5) });
      assert.equal(late.status, 409);
      assert.match(late.body.error.message, /已结束/);

      const res = await get(`/voice-surveys/${id}/results`, shuji);
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.responses, 4);
      const q1 = res.body.questions[0];
      // q1: 5 and 4 from members, 3 and 3 from the employees' codes; q2: 4, 4, 2, 2.
      assert.deepEqual(q1.distribution, [0, 0, 2, 1, 1]);
      assert.equal(q1.average, 3.75);
      assert.equal(res.body.questions[1].average, 3);
      // (60·3.75/5 + 40·3/5) / 100 = 0.69
      assert.equal(res.body.score, 69);
      assert.deepEqual(res.body.questions[2].options, [
        { label: '学习形式', count: 4 },
        { label: '活动时间', count: 0 },
      ]);
      const texts = res.body.questions[4];
      assert.equal(texts.answered, 3);
      assert.equal(texts.texts.length, 3);
      assert.ok(texts.texts.includes('希望多组织现场教学'));
      assert.equal(res.body.respondents, undefined, 'an anonymous survey lists nobody');

      const people = [
        (
          await queryRows<{ userId: string; username: string; name: string; memberId: string }>(
            t.services.db,
            sql`select u.id as "userId", u.username, m.name, m.id as "memberId" from app_user u join member m on m.user_id = u.id where u.username = 'dangyuan'`,
          )
        )[0]!,
        { ...voters[0]!, memberId: voters[0]!.memberId },
      ];
      const exported = await download(t, `/api/v1/voice-surveys/${id}/export`, shuji);
      assert.equal(exported.status, 200);
      const sheet = await xlsxText(exported.body);
      assert.match(sheet, /希望多组织现场教学/);
      const audit = (await get(`/audit?pageSize=100&q=${id}`, admin)).body.items.filter(
        (e: { action: string }) => e.action === 'voice.survey.respond',
      );
      assert.equal(audit.length, 4, 'the register: who answered');
      assert.equal(
        audit.filter((e: { actorId: string | null }) => e.actorId === null).length,
        2,
        'the two employees’ codes are no one',
      );
      for (const p of people) {
        assertNoIdentity('results', res.raw, p);
        assertNoIdentity('export', sheet, p);
        for (const e of audit)
          assert.ok(!JSON.stringify(e.after ?? {}).includes('现场教学'), 'the register holds no answers');
      }
      for (const v of Object.values(res.body)) if (typeof v === 'string') assert.ok(!/T\d\d:\d\d/.test(v));
    });

    it('withholds anonymous text answers while fewer than three gave one', async () => {
      const made = await post('/voice/surveys', shuji, {
        orgId: branch,
        kind: 'survey',
        title: '小范围问卷',
        opensAt: iso(-HOUR),
        closesAt: iso(HOUR),
        questions: [{ id: 'a', type: 'text', title: '想说的话', required: true }],
      });
      await post(`/voice-surveys/${made.body.id}/publish`, shuji);
      for (const v of voters.slice(0, 2))
        assert.equal(
          (
            await post(`/voice-surveys/${made.body.id}/responses`, v.token, {
              answers: [{ q: 'a', text: `只有两人 ${v.name}` }],
            })
          ).status,
          201,
        );
      await post(`/voice-surveys/${made.body.id}/close`, shuji);
      const res = await get(`/voice-surveys/${made.body.id}/results`, shuji);
      assert.deepEqual(res.body.questions[0].texts, []);
      assert.equal(res.body.questions[0].textsWithheld, true);
      const sheet = await xlsxText((await download(t, `/api/v1/voice-surveys/${made.body.id}/export`, shuji)).body);
      assert.ok(!sheet.includes('只有两人'));
    });

    it('names respondents of a named survey and shows its results while open', async () => {
      const made = await post('/voice/surveys', shuji, {
        orgId: branch,
        kind: 'survey',
        title: '实名调查',
        anonymous: false,
        opensAt: iso(-HOUR),
        closesAt: iso(HOUR),
        questions: [{ id: 'a', type: 'single', title: '参加吗', options: ['参加', '不参加'] }],
      });
      await post(`/voice-surveys/${made.body.id}/publish`, shuji);
      await post(`/voice-surveys/${made.body.id}/responses`, dangyuan, { answers: [{ q: 'a', choice: 0 }] });
      const res = await get(`/voice-surveys/${made.body.id}/results`, shuji);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.respondents, ['陈志远']);
      const data = await download(t, '/api/v1/me/personal-data', dangyuan);
      const mine = JSON.parse(data.text).voice.surveys.find((s: { surveyId: string }) => s.surveyId === made.body.id);
      assert.deepEqual(mine.answers, [{ q: 'a', choice: 0 }]);
    });

    it('gives the assessment module the 下考上 score of an org from the demo’s ended round', async () => {
      const res = await get(`/voice/rating-up?orgId=${power}`, dianli);
      assert.equal(res.status, 200, res.raw);
      const round = res.body.items[0];
      assert.equal(round.orgName, '华夏电力有限公司党委');
      assert.equal(round.responses, 32);
      assert.equal(round.indicators.length, 4);
      assert.ok(round.score > 60 && round.score <= 100, String(round.score));
      assert.equal((await get(`/voice/rating-up?orgId=${power}`, shuji)).status, 403);
    });
  });

  describe('votes', () => {
    const candidates = [
      { name: '机组检修攻坚', summary: '第一发电厂' },
      { name: '新能源安全联创', summary: '新能源项目部' },
      { name: '营销红马甲', summary: '电力营销' },
    ];
    const create = (over: Record<string, unknown> = {}) =>
      post('/voice/votes', shuji, {
        orgId: branch,
        kind: 'highlight',
        title: '亮点工程评选',
        maxChoices: 2,
        audienceRoles: ['member'],
        opensAt: iso(-HOUR),
        closesAt: iso(HOUR),
        candidates,
        ...over,
      });

    it('shows results equal to the ballots, after the end, with one secret ballot per person', async () => {
      const made = await create();
      assert.equal(made.status, 201, made.raw);
      const id = made.body.id;
      const c = made.body.candidates.map((x: { id: string }) => x.id);
      await post(`/voice-votes/${id}/publish`, shuji);
      const ballots: [string, string[]][] = [
        [dangyuan, [c[0], c[1]]],
        [jijian, [c[0]]],
        [voters[0]!.token, [c[1], c[2]]],
        [voters[1]!.token, [c[0], c[2]]],
        [voters[2]!.token, [c[2]]],
      ];
      for (const [token, choices] of ballots) {
        const r = await post(`/voice-votes/${id}/ballots`, token, { choices });
        assert.equal(r.status, 201, r.raw);
        assert.equal(r.body.voted, true);
      }
      const twice = await post(`/voice-votes/${id}/ballots`, dangyuan, { choices: [c[2]] });
      assert.equal(twice.status, 409);
      assert.match(twice.body.error.message, /每人只能投一次/);
      const raced = await Promise.all(
        [0, 1].map(() => post(`/voice-votes/${id}/ballots`, voters[3]!.token, { choices: [c[1]] })),
      );
      assert.deepEqual(raced.map((r) => r.status).sort(), [201, 409]);
      ballots.push([voters[3]!.token, [c[1]]]);

      const hidden = await get(`/voice-votes/${id}/results`, dangyuan);
      assert.equal(hidden.status, 409);
      assert.match(hidden.body.error.message, /投票结束后公布结果/);
      assert.equal((await get(`/voice-votes/${id}/results`, shuji)).status, 409, 'nor to managers while open');
      await post(`/voice-votes/${id}/close`, shuji);
      const res = await get(`/voice-votes/${id}/results`, dangyuan);
      assert.equal(res.status, 200, res.raw);
      const expected = new Map<string, number>();
      for (const [, choices] of ballots) for (const x of choices) expected.set(x, (expected.get(x) ?? 0) + 1);
      assert.equal(res.body.ballots, ballots.length);
      assert.equal(
        res.body.marks,
        ballots.reduce((s, [, ch]) => s + ch.length, 0),
      );
      for (const r of res.body.candidates) assert.equal(r.votes, expected.get(r.id) ?? 0, r.name);
      assert.equal(
        res.body.candidates.reduce((s: number, r: { votes: number }) => s + r.votes, 0),
        res.body.marks,
      );
      const [register] = await queryRows<{ n: number }>(
        t.services.db,
        sql`select count(*)::int as n from voice_voter where vote_id = ${id}`,
      );
      assert.equal(register!.n, res.body.ballots, 'as many ballots as people in the register');
      // A ballot carries no voter and no time.
      const cols = await queryRows<{ column_name: string }>(
        t.services.db,
        sql`select column_name from information_schema.columns where table_name = 'voice_ballot'`,
      );
      assert.deepEqual(cols.map((x) => x.column_name).sort(), ['id', 'tenant_id', 'vote_id']);
      const late = await post(`/voice-votes/${id}/ballots`, voters[1]!.token, { choices: [c[0]] });
      assert.equal(late.status, 409);
      assert.match(late.body.error.message, /投票已结束/);
      const data = JSON.parse((await download(t, '/api/v1/me/personal-data', dangyuan)).text).voice.votes;
      assert.ok(data.some((v: { voteId: string; choices: string }) => v.voteId === id && /无记名/.test(v.choices)));
    });

    it('refuses ballots outside the window, the audience or the rules, with a Chinese message', async () => {
      const upcoming = await create({ opensAt: iso(HOUR), closesAt: iso(2 * HOUR) });
      await post(`/voice-votes/${upcoming.body.id}/publish`, shuji);
      const early = await post(`/voice-votes/${upcoming.body.id}/ballots`, dangyuan, {
        choices: [upcoming.body.candidates[0].id],
      });
      assert.equal(early.status, 409);
      assert.match(early.body.error.message, /尚未开始/);

      const made = await create({ visibility: 'after_vote', maxChoices: 1 });
      const id = made.body.id;
      const c = made.body.candidates.map((x: { id: string }) => x.id);
      await post(`/voice-votes/${id}/publish`, shuji);
      const tooMany = await post(`/voice-votes/${id}/ballots`, dangyuan, { choices: [c[0], c[1]] });
      assert.equal(tooMany.status, 422);
      assert.match(tooMany.body.error.message, /最多选择 1 个候选/);
      const foreignCandidate = await post(`/voice-votes/${id}/ballots`, dangyuan, {
        choices: [upcoming.body.candidates[0].id],
      });
      assert.equal(foreignCandidate.status, 422);
      assert.match(foreignCandidate.body.error.message, /不属于本次投票/);
      const dup = await post(`/voice-votes/${id}/ballots`, dangyuan, { choices: [c[0], c[0]] });
      assert.equal(dup.status, 422);
      assert.equal(
        (await post(`/voice-votes/${id}/ballots`, shuji2, { choices: [c[0]] })).status,
        404,
        'another branch is not asked',
      );
      const sec = await post(`/voice-votes/${id}/ballots`, shuji, { choices: [c[0]] });
      assert.equal(sec.status, 403);
      assert.match(sec.body.error.message, /不在本次投票的投票人范围内/);
      // `after_vote`: a voter sees the tally once they voted; managers still only after the end.
      assert.equal((await get(`/voice-votes/${id}/results`, dangyuan)).status, 409);
      await post(`/voice-votes/${id}/ballots`, dangyuan, { choices: [c[1]] });
      const seen = await get(`/voice-votes/${id}/results`, dangyuan);
      assert.equal(seen.status, 200);
      assert.equal(seen.body.ballots, 1);
      assert.equal((await get(`/voice-votes/${id}/results`, shuji)).status, 409);
      assert.equal((await get(`/voice-votes/${id}`, shenji)).status, 200, 'the auditor reads the vote');
      assert.equal((await get(`/voice-votes/${id}`, shuji2)).status, 404);
      void lab;
    });
  });
});
