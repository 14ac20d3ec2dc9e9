/**
 * 意见建议 and 党务信箱 over HTTP: the answer loop, routing and scope, overdue tracking, anonymity
 * (sealed and not kept) proven against every answer, export, audit entry and list order, 查询码,
 * one-time codes for employees, the public routes' rate limit, and letters that only their two
 * ends can read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { assertNoIdentity, download, memberAccounts, xlsxText, type Identity } from './test-helpers';

describe('意见建议 API', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let shuji: string,
    shuji2: string,
    dangyuan: string,
    dianli: string,
    admin: string,
    shenji: string,
    zuzhibu: string,
    jijian: string;
  let branch: string, power: string, lab: string, materials: string;
  let anon: Identity & { token: string };
  const submit = (token: string, over: Record<string, unknown> = {}) =>
    post('/voice/opinions', token, {
      orgId: branch,
      category: 'suggestion',
      title: '建议增加夜班补学',
      body: '夜班同志参加不了主题党日，建议提供补学。',
      ...over,
    });

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, dangyuan, dianli, shenji, zuzhibu, jijian] = await signIn(
      t,
      'admin',
      'shuji',
      'shuji2',
      'dangyuan',
      'dianli',
      'shenji',
      'zuzhibu',
      'jijian',
    );
    branch = await t.orgId('第一发电厂党支部');
    power = await t.orgId('华夏电力有限公司党委');
    lab = await t.orgId('研发中心党支部');
    materials = await t.orgId('华夏新材料有限公司党委');
    const [a] = await memberAccounts(t, '第一发电厂党支部', 'anon', ['甄匿名']);
    anon = { ...a!, token: a!.token };
  });
  after(() => {
    setClock(null);
    return t.close();
  });

  it('a member posts a suggestion, the secretary assigns and answers it, the member rates the answer and the board shows it without a name', async () => {
    const targets = await get('/voice/opinion-targets', dangyuan);
    assert.deepEqual(
      targets.body.items.map((x: { orgName: string }) => x.orgName),
      ['华夏能源集团党委', '华夏电力有限公司党委', '发电运营党总支', '第一发电厂党支部'],
    );
    const sent = await submit(dangyuan, { allowPublic: true });
    assert.equal(sent.status, 201, sent.raw);
    assert.equal(sent.body.receipt, null, 'a named item has no 查询码');
    assert.equal(sent.body.dueOn, addDays(todayInChina(), 15));
    const id = sent.body.id;

    const queue = await get(`/voice/opinions?orgId=${branch}&status=submitted`, shuji);
    const row = queue.body.items.find((x: { id: string }) => x.id === id);
    assert.equal(row.authorName, '陈志远');

    const hs = await get(`/voice/handlers?orgId=${branch}`, shuji);
    const me = hs.body.items.find((h: { name: string }) => h.name === '张建国（书记）');
    assert.ok(me, JSON.stringify(hs.body));
    const assigned = await post(`/voice-opinions/${id}/assign`, shuji, { userId: me.userId });
    assert.equal(assigned.status, 200, assigned.raw);
    assert.equal(assigned.body.status, 'assigned');

    const early = await post(`/voice-opinions/${id}/rate`, dangyuan, { rating: 5 });
    assert.equal(early.status, 409);
    assert.match(early.body.error.message, /答复后才能评价/);

    const answered = await post(`/voice-opinions/${id}/answer`, shuji, {
      answer: '已安排每月补学一次。',
      publish: true,
    });
    assert.equal(answered.status, 200, answered.raw);
    assert.equal(answered.body.status, 'answered');
    // The answer is signed with the answerer's member name (displayName: the member record's name, else the
    // account's): 张建国 (shuji) is a member of the branch, so '张建国', not the account label '张建国（书记）'.
    assert.equal(answered.body.answeredBy, '张建国');
    // The named author gets a notice through notify(): the org and the day, not the answer itself
    // (an e-mail or SMS copy leaves the platform), and no group robot posts it.
    const notices = (await get('/notifications?pageSize=50', dangyuan)).body.items.filter(
      (n: { kind: string }) => n.kind === 'voice.opinion.answered',
    );
    assert.equal(notices.length, 1, 'one notice of the answer');
    assert.equal(notices[0].title, '【意见建议】您提交的意见建议已答复');
    assert.match(notices[0].body, /第一发电厂党支部已答复您于 .+ 提交的意见建议/);
    assert.ok(!JSON.stringify(notices[0]).includes('已安排每月补学一次'), 'the answer stays behind the login');
    assert.equal(notices[0].link, '/voice/my?tab=mine');
    const robots = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from notify_delivery where kind = 'voice.opinion.answered' and robot_id is not null`,
    );
    assert.equal(robots[0]!.n, 0);

    const bad = await post(`/voice-opinions/${id}/rate`, dangyuan, { rating: 6 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /满意度须为 1–5/);
    const rated = await post(`/voice-opinions/${id}/rate`, dangyuan, { rating: 4, comment: '落实得快' });
    assert.equal(rated.status, 200, rated.raw);
    assert.equal(rated.body.status, 'closed');
    assert.deepEqual(
      rated.body.steps.map((s: { action: string }) => s.action),
      ['assigned', 'answered', 'rated'],
    );
    const again = await post(`/voice-opinions/${id}/rate`, dangyuan, { rating: 5 });
    assert.equal(again.status, 409);

    // Only the author rates: the secretary's attempt is "no such item" for them as a rater.
    const byOther = await post(`/voice-opinions/${id}/rate`, jijian, { rating: 1 });
    assert.equal(byOther.status, 404);

    const boardSeen = await get('/voice/board', jijian);
    const onBoard = boardSeen.body.items.find((x: { id: string }) => x.id === id);
    assert.ok(onBoard, 'the published answer is on the board of a member of the branch');
    assert.equal(onBoard.authorName, null, 'the board never names the submitter');
    assert.equal(onBoard.ratingComment, null);
    const other = await get('/voice/board', shuji2);
    assert.ok(!other.body.items.some((x: { id: string }) => x.id === id), 'another branch does not see it');
  });

  it('routes only to the member’s own org or one above; another branch’s item is no record for them', async () => {
    const r = await submit(dangyuan, { orgId: lab });
    assert.equal(r.status, 403);
    assert.match(r.body.error.message, /本人所在的党组织或其上级/);
    const up = await submit(dangyuan, { orgId: power, title: '给公司党委的建议' });
    assert.equal(up.status, 201);
    // The author reaches their item at the committee above from their own org.
    const own = await get(`/voice-opinions/${up.body.id}`, dangyuan);
    assert.equal(own.status, 200);
    assert.equal(own.body.mine, true);
    // A secretary of another subtree and another member do not.
    assert.equal((await get(`/voice-opinions/${up.body.id}`, shuji2)).status, 404);
    assert.equal((await get(`/voice-opinions/${up.body.id}`, jijian)).status, 404);
    // The branch secretary does not manage the committee's items.
    assert.equal((await post(`/voice-opinions/${up.body.id}/answer`, shuji, { answer: '越权答复' })).status, 404);
    const answered = await post(`/voice-opinions/${up.body.id}/answer`, dianli, { answer: '公司党委已研究。' });
    assert.equal(answered.status, 200, answered.raw);
    // Transfer down to a branch the committee manages, and not to one it does not.
    const down = await submit(dangyuan, { orgId: power, title: '请转给支部' });
    assert.equal((await post(`/voice-opinions/${down.body.id}/transfer`, dianli, { orgId: lab })).status, 403);
    const moved = await post(`/voice-opinions/${down.body.id}/transfer`, dianli, {
      orgId: branch,
      note: '由支部答复',
    });
    assert.equal(moved.status, 200, moved.raw);
    const seen = await get(`/voice-opinions/${down.body.id}`, shuji);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.orgName, '第一发电厂党支部');
    assert.match(seen.body.steps.at(-1).note, /转办至 第一发电厂党支部：由支部答复/);
  });

  it('counts an unanswered item overdue the day after its answer period ends', async () => {
    const r = await submit(dangyuan, { title: '逾期测试' });
    const due = r.body.dueOn;
    const list = async () =>
      (await get(`/voice/opinions?orgId=${branch}&overdue=true&pageSize=200`, shuji)).body.items.map(
        (x: { id: string }) => x.id,
      );
    setClock(due);
    assert.ok(!(await list()).includes(r.body.id), 'not overdue on the due day');
    setClock(addDays(due, 1));
    const overdue = await list();
    assert.ok(overdue.includes(r.body.id), 'overdue the day after');
    const overview = await get(`/voice/overview?orgId=${branch}`, shuji);
    assert.equal(overview.body.overdueOpinions, overdue.length, 'the dashboard figure counts the same items');
    const answered = await post(`/voice-opinions/${r.body.id}/answer`, shuji, { answer: '迟到的答复。' });
    assert.equal(answered.body.overdue, false, 'an answered item is no longer overdue');
    setClock(null);
  });

  it('keeps an anonymous item’s author out of every answer, export and audit entry managers read; the auditor reads the sealed identity with a reason, logged', async () => {
    const sent = await submit(anon.token, { anonymous: true, title: '匿名：食堂价格偏高', allowPublic: true });
    assert.equal(sent.status, 201, sent.raw);
    assert.match(sent.body.receipt, /^[23456789A-HJKMNP-Z]{12}$/);
    const id = sent.body.id;
    const ans = await post(`/voice-opinions/${id}/answer`, shuji, { answer: '已与后勤沟通。', publish: true });
    assert.equal(ans.status, 200);
    // The anonymous author (sealed mode) hears of the answer in their own inbox only: one notice without the item's id,
    // title or text (notices.test.ts proves no delivery, audit entry or manager's answer links them). (Other modules
    // may notify the same account meanwhile — the earlier test moved the clock past a scheduled article's time.)
    const told = await queryRows<{ kind: string; link: string | null }>(
      t.services.db,
      sql`select kind, link from notification where user_id = ${anon.userId} and (kind like 'voice.%' or link like ${`%${id}%`})`,
    );
    assert.deepEqual(
      told,
      [{ kind: 'voice.opinion.answered.anonymous', link: '/voice/my?tab=mine' }],
      'one inbox notice, no link to the item',
    );

    const answers = [
      ['sent', JSON.stringify(sent.body)],
      ['queue', (await get(`/voice/opinions?orgId=${branch}&pageSize=200`, shuji)).raw],
      ['queue (admin)', (await get('/voice/opinions?pageSize=200', admin)).raw],
      ['detail', (await get(`/voice-opinions/${id}`, shuji)).raw],
      ['detail (admin)', (await get(`/voice-opinions/${id}`, admin)).raw],
      ['board', (await get('/voice/board', dangyuan)).raw],
      ['mine', (await get('/voice/opinions/mine', anon.token)).raw],
      ['overview', (await get('/voice/overview', admin)).raw],
      ['audit (admin)', (await get('/audit?pageSize=200&entityType=voice_opinion', admin)).raw],
      ['audit (auditor)', (await get('/audit?pageSize=200&entityType=voice_opinion', shenji)).raw],
      ['export', await xlsxText((await download(t, '/api/v1/voice/opinions/export', admin)).body)],
    ];
    for (const [what, text] of answers) assertNoIdentity(what!, text!, anon);
    assert.ok(
      !JSON.parse(answers[6]![1]!).items.some((x: { id: string }) => x.id === id),
      'not among the author’s own items',
    );

    const audit = (await get(`/audit?pageSize=200&q=${id}`, admin)).body.items.filter(
      (e: { entityId: string }) => e.entityId === id,
    );
    const submitted = audit.find((e: { action: string }) => e.action === 'voice.opinion.submit');
    assert.equal(submitted.actorId, null);
    assert.equal(submitted.actorName, '匿名');
    assert.equal(submitted.requestId, null);

    // The author's personal-data copy does not link them to it either.
    const mine = await download(t, '/api/v1/me/personal-data', anon.token);
    assert.equal(mine.status, 200);
    assert.ok(!mine.text.includes('匿名：食堂价格偏高'));

    // The auditor — and only the auditor — reads the sealed identity, with a reason, and the read is logged.
    for (const token of [admin, zuzhibu, shuji])
      assert.equal((await post(`/voice-opinions/${id}/identity`, token, { reason: '核查举报线索' })).status, 403);
    const noReason = await post(`/voice-opinions/${id}/identity`, shenji, { reason: '查' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body.error.message, /请写明查阅事由/);
    const who = await post(`/voice-opinions/${id}/identity`, shenji, { reason: '核查恶意诽谤线索' });
    assert.equal(who.status, 200, who.raw);
    assert.deepEqual(who.body, { name: '甄匿名', username: 'anon1', reason: '核查恶意诽谤线索' });
    const read = (await get(`/audit?pageSize=50&action=voice.identity.read`, admin)).body.items;
    assert.equal(read.length, 1);
    assert.equal(read[0].actorName, 'shenji');
    assert.equal(read[0].entityId, id);
    assertNoIdentity('the read’s audit entry', JSON.stringify(read[0]), anon);

    // The author follows and rates it with the 查询码 alone.
    const byReceipt = await post('/public/voice/receipt', undefined, {
      receipt: sent.body.receipt.toLowerCase(),
    });
    assert.equal(byReceipt.status, 200, byReceipt.raw);
    assert.equal(byReceipt.body.answer, '已与后勤沟通。');
    const rated = await post('/public/voice/receipt/rate', undefined, { receipt: sent.body.receipt, rating: 3 });
    assert.equal(rated.status, 200, rated.raw);
    assert.equal(rated.body.rating, 3);
    const wrong = await post('/public/voice/receipt', undefined, { receipt: 'ABCDEFGHJKMN' });
    assert.equal(wrong.status, 404);
    assert.match(wrong.body.error.message, /查询码不正确/);
  });

  it('keeps no identity at all where the org chose full anonymity', async () => {
    const [m] = await memberAccounts(t, '研发中心党支部', 'none', ['全匿名']);
    // 研发中心 is under 新材料公司党委, whose setting is `none`.
    const s = await get(`/voice/settings?orgId=${lab}`, shuji2);
    assert.equal(s.body.anonymity, 'none');
    assert.equal(s.body.inheritedFrom, '华夏新材料有限公司党委');
    const sent = await submit(m!.token, { orgId: lab, anonymous: true });
    assert.equal(sent.status, 201);
    const [kept] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from voice_identity where opinion_id = ${sent.body.id}`,
    );
    assert.equal(kept!.n, 0);
    const who = await post(`/voice-opinions/${sent.body.id}/identity`, shenji, { reason: '核查恶意诽谤线索' });
    assert.equal(who.status, 422);
    assert.match(who.body.error.message, /完全匿名/);
    const detail = await get(`/voice-opinions/${sent.body.id}`, shuji2);
    assert.equal(detail.body.identityKept, false);
    assert.equal(
      (await put('/voice/settings', shuji2, { orgId: lab, anonymity: 'sealed', answerDays: 10 })).status,
      403,
    );
    const saved = await put('/voice/settings', zuzhibu, { orgId: materials, anonymity: 'none', answerDays: 20 });
    assert.equal(saved.status, 200, saved.raw);
    assert.equal(saved.body.answerDays, 20);
  });

  it('lists anonymous items of a day in an order unrelated to when they came in', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 12; i++)
      ids.push(
        (await submit(anon.token, { anonymous: true, title: `顺序测试 ${String(i).padStart(2, '0')}` })).body.id,
      );
    const listed = (await get(`/voice/opinions?orgId=${branch}&q=顺序测试&pageSize=50`, shuji)).body.items.map(
      (x: { id: string }) => x.id,
    );
    assert.equal(listed.length, 12);
    assert.notDeepEqual(listed, ids, 'not in submission order');
    assert.notDeepEqual(listed, [...ids].reverse(), 'not in reverse submission order');
    // Nor does anything in an item carry a time finer than its day.
    const one = (await get(`/voice-opinions/${ids[0]}`, shuji)).body;
    for (const [k, v] of Object.entries(one))
      if (typeof v === 'string') assert.ok(!/T\d\d:\d\d/.test(v), `${k} carries a time: ${v}`);
  });

  it('takes an employee’s opinion once per one-time code, through the org’s public link', async () => {
    const made = await post('/voice/code-batches', shuji, {
      orgId: branch,
      purpose: 'opinion',
      count: 3,
      note: '运行部职工',
    });
    assert.equal(made.status, 201, made.raw);
    const [c1, c2] = made.body.codes as string[];
    assert.match(c1!, /^[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}$/);
    // Codes are shown once: the audit entry and the batch list hold the count only.
    const audit = (await get('/audit?pageSize=20&entityType=voice_code_batch', admin)).raw;
    assert.ok(!audit.includes(c1!) && !audit.includes(c1!.replace(/-/g, '')));
    const info = await post('/public/voice/code', undefined, { orgId: branch, code: c1 });
    assert.equal(info.status, 200, info.raw);
    assert.equal(info.body.purpose, 'opinion');
    assert.equal(info.body.orgName, '第一发电厂党支部');

    const body = {
      orgId: branch,
      category: 'opinion',
      title: '职工：班组休息室空调坏了',
      body: '集控楼二层休息室空调坏了两周。',
      anonymous: false,
      name: '职工小李',
      contact: '13800001234',
    };
    const sent = await post('/public/voice/opinions', undefined, { ...body, code: c1 });
    assert.equal(sent.status, 201, sent.raw);
    assert.match(sent.body.receipt, /^[23456789A-HJKMNP-Z]{12}$/);
    const reused = await post('/public/voice/opinions', undefined, { ...body, code: c1 });
    assert.equal(reused.status, 422);
    assert.match(reused.body.error.message, /已经使用过/);
    const forged = await post('/public/voice/opinions', undefined, { ...body, code: 'AAAA-BBBB-CCCC' });
    assert.equal(forged.status, 422);
    assert.match(forged.body.error.message, /参与码不正确/);
    const wrongOrg = await post('/public/voice/opinions', undefined, { ...body, orgId: power, code: c2 });
    assert.equal(wrongOrg.status, 422, 'a code opens only its own org’s link');
    const bad = await post('/public/voice/opinions', undefined, { ...body, title: '', code: c2 });
    assert.equal(bad.status, 400);
    // A failed submission does not use the code up.
    const ok2 = await post('/public/voice/opinions', undefined, {
      ...body,
      code: c2!.toLowerCase().replace(/-/g, ' '),
    });
    assert.equal(ok2.status, 201, ok2.raw);

    const detail = await get(`/voice-opinions/${sent.body.id}`, shuji);
    assert.equal(detail.body.authorName, '职工小李');
    assert.equal(detail.body.channel, 'code');
    assert.equal(detail.body.contact, '13800001234');
    const batches = await get(`/voice/code-batches?orgId=${branch}`, shuji);
    const b = batches.body.items.find((x: { id: string }) => x.id === made.body.batch.id);
    assert.equal(b.used, 2);
    assert.equal(b.count, 3);
  });

  it('uses a code once even when two submissions race', async () => {
    const made = await post('/voice/code-batches', shuji, { orgId: branch, purpose: 'opinion', count: 1 });
    const body = {
      orgId: branch,
      category: 'opinion',
      title: '并发测试',
      body: '同一个参与码同时提交两次。',
      anonymous: true,
      code: made.body.codes[0],
    };
    const results = await Promise.all([0, 1].map(() => post('/public/voice/opinions', undefined, body)));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 422]);
  });

  it('answers a flood of public requests from one address with 429 in Chinese', async () => {
    const limited = await startTestApp({ demo: false, publicRatePerMin: 5 });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++)
        codes.push(
          await limited.request({
            method: 'POST',
            url: '/api/v1/public/voice/code',
            body: { orgId: limited.rootOrgId, code: 'AAAA-BBBB-CCCC' },
          }),
        );
      assert.deepEqual(
        codes.map((r) => r.status),
        [422, 422, 422, 422, 422, 429],
      );
      assert.equal(codes[5]!.body.error.code, 'RATE_LIMITED');
      assert.match(codes[5]!.body.error.message, /请求过于频繁/);
    } finally {
      await limited.close();
    }
  });
});

describe('党务信箱 API', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string,
    shuji2: string,
    dangyuan: string,
    admin: string,
    shenji: string,
    zuzhibu: string,
    jijian: string,
    dianli: string;
  let branch: string, lab: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, dangyuan, shenji, zuzhibu, jijian, dianli] = await signIn(
      t,
      'admin',
      'shuji',
      'shuji2',
      'dangyuan',
      'shenji',
      'zuzhibu',
      'jijian',
      'dianli',
    );
    branch = await t.orgId('第一发电厂党支部');
    lab = await t.orgId('研发中心党支部');
  });
  after(() => t.close());

  it('lets only the sender and the addressed 纪检委员 read a letter — every route answers 404 to the admin, the org department, the auditor and the secretary', async () => {
    const targets = (await get('/voice/letter-targets', dangyuan)).body.items;
    assert.ok(
      targets.some(
        (x: { orgName: string; position: string; available: boolean }) =>
          x.orgName === '第一发电厂党支部' && x.position === '纪检委员' && x.available,
      ),
    );
    const sent = await post('/voice/letters', dangyuan, {
      orgId: branch,
      position: '纪检委员',
      subject: '反映一个问题',
      body: '某班组长在物资领用中有不规范行为，请核实。',
    });
    assert.equal(sent.status, 201, sent.raw);
    const id = sent.body.id;

    const outsiders = { admin, zuzhibu, shenji, shuji, shuji2, dianli };
    for (const [who, token] of Object.entries(outsiders)) {
      assert.equal((await get(`/voice-letters/${id}`, token)).status, 404, `${who} reads`);
      assert.equal((await post(`/voice-letters/${id}/messages`, token, { body: '插话' })).status, 404, `${who} writes`);
      assert.equal((await post(`/voice-letters/${id}/close`, token)).status, 404, `${who} closes`);
      const inbox = (await get('/voice/letters/inbox', token)).body;
      assert.ok(!inbox.items.some((x: { id: string }) => x.id === id), `${who}'s inbox`);
    }
    // Nor does the audit log carry a word of it.
    const audit = (await get('/audit?pageSize=50&entityType=voice_letter', admin)).raw;
    assert.ok(!audit.includes('反映一个问题') && !audit.includes('物资领用') && !audit.includes('纪检委员'));
    const [stored] = await queryRows<{ subject_enc: string }>(
      t.services.db,
      sql`select subject_enc from voice_letter where id = ${id}`,
    );
    assert.ok(stored!.subject_enc.startsWith('v2.'), 'encrypted at rest');

    const inbox = await get('/voice/letters/inbox', jijian);
    assert.equal(inbox.body.unread, 1);
    // The addressee hears of it through notify(): no subject, no sender, no content; nobody else does.
    const notices = (await get('/notifications?pageSize=50', jijian)).body.items.filter(
      (n: { kind: string }) => n.kind === 'voice.letter.received',
    );
    assert.equal(notices.length, 1, JSON.stringify(notices));
    assert.equal(notices[0].body, '第一发电厂党支部纪检委员信箱收到一封新来信，请登录系统查看。');
    assert.equal(notices[0].link, `/voice/letters/${id}`);
    for (const token of [shuji, admin, zuzhibu])
      assert.ok(
        !(await get('/notifications?pageSize=50', token)).body.items.some(
          (n: { link: string | null }) => n.link === `/voice/letters/${id}`,
        ),
      );
    const noticeTexts = await queryRows<{ t: string }>(
      t.services.db,
      sql`select title || body as t from notification where kind = 'voice.letter.received'`,
    );
    for (const x of noticeTexts) assert.ok(!/反映一个问题|物资领用|陈志远/.test(x.t), x.t);
    const read = await get(`/voice-letters/${id}`, jijian);
    assert.equal(read.status, 200, read.raw);
    assert.equal(read.body.status, 'read');
    assert.equal(read.body.messages[0].body, '某班组长在物资领用中有不规范行为，请核实。');
    const reply = await post(`/voice-letters/${id}/messages`, jijian, {
      body: '已收到，将按程序核实，注意为你保密。',
    });
    assert.equal(reply.body.status, 'replied');
    const mine = await get(`/voice-letters/${id}`, dangyuan);
    assert.equal(mine.body.mine, true);
    assert.equal(mine.body.messages.length, 2);
    assert.equal((await post(`/voice-letters/${id}/close`, dangyuan)).status, 403, 'the sender does not close it');
    const closed = await post(`/voice-letters/${id}/close`, jijian);
    assert.equal(closed.body.status, 'closed');
    const late = await post(`/voice-letters/${id}/messages`, dangyuan, { body: '补充' });
    assert.equal(late.status, 409);
    assert.match(late.body.error.message, /已办结/);
  });

  it('gives a letter to the 书记 to the branch secretary, and refuses one to a position nobody holds', async () => {
    const sent = await post('/voice/letters', dangyuan, {
      orgId: branch,
      position: '书记',
      subject: '请假说明',
      body: '下周主题党日我出差，申请补学。',
    });
    assert.equal(sent.status, 201);
    assert.equal((await get(`/voice-letters/${sent.body.id}`, shuji)).status, 200);
    assert.equal(
      (await get(`/voice-letters/${sent.body.id}`, jijian)).status,
      404,
      'the 纪检委员 does not read the 书记’s letters',
    );
    const sentList = await get('/voice/letters/sent', dangyuan);
    assert.ok(
      sentList.body.items.some(
        (x: { id: string; subject: string }) => x.id === sent.body.id && x.subject === '请假说明',
      ),
    );
    const vacant = (await get('/voice/letter-targets', dangyuan)).body.items.find(
      (x: { available: boolean }) => !x.available,
    );
    assert.ok(vacant, 'the demo has a position nobody with an account holds');
    const nobody = await post('/voice/letters', dangyuan, {
      orgId: vacant.orgId,
      position: vacant.position,
      subject: '测试',
      body: '没有收信人账号的组织。',
    });
    assert.equal(nobody.status, 422);
    assert.match(nobody.body.error.message, new RegExp(`暂无可以收信的${vacant.position}账号`));
    const foreign = await post('/voice/letters', dangyuan, {
      orgId: lab,
      position: '书记',
      subject: '测试',
      body: '写给别的支部。',
    });
    assert.equal(foreign.status, 403);
  });
});
