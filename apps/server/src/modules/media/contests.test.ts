/**
 * 微视频征集 through the real HTTP stack on the demo enterprise: a campaign of 第一发电厂党支部, a member's video
 * within the submit window (type and size checks), judges scoring independently, the trimmed mean, one public vote
 * per member per day (the shared clock moved a day), and 「发布到学习」 making learn items in one step.
 * Day-independent: every date is relative to the shared clock's today.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, now, setClock, todayInChina, trimmedMean } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';

const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(2000, 7)]);
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);
const DAY = 86_400_000;

describe('media: 微视频征集', () => {
  let t: TestApp;
  let shuji: string; // secretary of 第一发电厂党支部, member 张建国
  let shuji2: string; // secretary of 研发中心党支部
  let member: string; // dangyuan 陈志远
  let jijian: string; // the branch's 纪检委员 (a member)
  let branchId: string;
  const judgeIds: Record<string, string> = {}; // username → member id
  let outsiderMember: string;
  let mates: { id: string; orgId: string; name: string }[] = [];

  const { get, post, put } = api(() => t);
  const upload = async (contestId: string, token: string, file: Buffer, name: string, title = '我的作品') => {
    const { body, headers } = multipartFile(file, name);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/media-contests/${contestId}/entries?title=${encodeURIComponent(title)}&minutes=2`,
      payload: body,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    return { status: r.statusCode, body: JSON.parse(r.body), raw: r.body };
  };
  const campaign = (over: Record<string, unknown> = {}) => ({
    orgId: branchId,
    title: '安全生产微视频征集',
    rules: '拍摄身边的安全生产故事，每人 1 件。',
    submitFrom: todayInChina(),
    submitTo: addDays(todayInChina(), 3),
    rubric: [
      { name: '主题思想', max: 40 },
      { name: '艺术表现', max: 30 },
      { name: '技术质量', max: 30 },
    ],
    dropHighest: 0,
    dropLowest: 0,
    publicVote: true,
    winnerCount: 1,
    judgeMemberIds: [judgeIds.shuji, judgeIds.jijian],
    ...over,
  });
  /** Entries of branch-mates without accounts, written directly (they cannot sign in to submit). */
  const seedEntries = async (contestId: string, n: number) => {
    const ids: string[] = [];
    for (const m of mates.slice(0, n)) {
      const [row] = await queryRows<{ id: string }>(
        t.services.db,
        sql`insert into media_contest_entry (tenant_id, contest_id, member_id, org_id, author_name, title, submitted_at)
            values (${t.tenantId}, ${contestId}, ${m.id}, ${m.orgId}, ${m.name}, ${`${m.name}的作品`}, ${now().toISOString()}::timestamptz) returning id`,
      );
      ids.push(row!.id);
    }
    await afterLocalWrite(t.services.db);
    return ids;
  };

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, member, jijian] = await signIn(t, 'shuji', 'shuji2', 'dangyuan', 'jijian');
    branchId = await t.orgId('第一发电厂党支部');
    const rows = await queryRows<{ username: string; id: string }>(
      t.services.db,
      sql`select u.username, m.id from member m join app_user u on u.id = m.user_id where u.username in ('shuji', 'dangyuan', 'jijian', 'shuji2')`,
    );
    for (const r of rows) judgeIds[r.username] = r.id;
    assert.ok(
      judgeIds.shuji && judgeIds.dangyuan && judgeIds.jijian && judgeIds.shuji2,
      `demo accounts with member records: ${JSON.stringify(judgeIds)}`,
    );
    outsiderMember = judgeIds.shuji2!;
    mates = await queryRows<{ id: string; orgId: string; name: string }>(
      t.services.db,
      sql`select id, org_id as "orgId", name from member where org_id = ${branchId} and user_id is null and left_at is null and suspended_on is null order by id limit 3`,
    );
    assert.equal(mates.length, 3, 'three branch-mates without accounts');
  });
  after(() => t.close());

  it('computes the trimmed mean as configured (shared rule)', () => {
    assert.deepEqual(trimmedMean([90, 60, 30], 1, 1), { mean: 60, dropped: [2, 0] });
    assert.deepEqual(trimmedMean([80, 80, 10], 1, 1).mean, 80);
    assert.deepEqual(trimmedMean([80, 70], 1, 1).mean, null);
    assert.deepEqual(trimmedMean([80, 70, 71], 0, 0).mean, 73.67);
    assert.deepEqual(trimmedMean([80, 70, 71], 1, 0), { mean: 70.5, dropped: [0] });
  });

  it('refuses a campaign with judges outside the subtree, too few judges, bad drops, dates or script, in Chinese', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ judgeMemberIds: [judgeIds.shuji, outsiderMember] }, 422, /评委须为本组织（含下级）在册的党员/],
      [{ judgeMemberIds: [judgeIds.shuji] }, 400, /请至少选 2 位评委/],
      [{ judgeMemberIds: [judgeIds.shuji, judgeIds.shuji] }, 422, /同一位评委只能选一次/],
      [{ dropHighest: 2 }, 400, /去掉最高分的个数须为 0 或 1/],
      [{ submitTo: addDays(todayInChina(), -1), submitFrom: addDays(todayInChina(), -3) }, 422, /征集截止日期已过/],
      [{ submitFrom: addDays(todayInChina(), 5) }, 422, /截止日期不能早于开始日期/],
      [{ rules: '<script>alert(1)</script>' }, 400, /不能包含脚本/],
      [{ rubric: [{ name: '主题', max: 0 }] }, 400, /满分至少 1 分/],
    ];
    const wrong: string[] = [];
    for (const [over, status, message] of cases) {
      const r = await post('/media/contests', shuji, campaign(over));
      if (r.status !== status || !message.test(r.body?.error?.message ?? ''))
        wrong.push(`${JSON.stringify(over)} → ${r.status} ${r.raw.slice(0, 200)}`);
    }
    assert.deepEqual(wrong, []);
    // Another branch's secretary cannot create one for this branch; a member cannot create one at all.
    assert.equal((await post('/media/contests', shuji2, campaign())).status, 403);
    assert.equal((await post('/media/contests', member, campaign())).status, 403);
  });

  let contestA = '';
  let entryA = '';
  it('lets a member of the subtree submit one video within the window; checks type, membership and the window', async () => {
    const c = await post('/media/contests', shuji, campaign());
    assert.equal(c.status, 201, c.raw);
    contestA = c.body.id;
    assert.equal(c.body.phase, 'collecting');
    assert.deepEqual(c.body.judges.map((j: { name: string }) => j.name).slice(0, 1), ['张建国']);
    const seen = await get(`/media-contests/${contestA}`, member);
    assert.equal(seen.status, 200, seen.raw);
    assert.equal(seen.body.canSubmit, true, 'the member may submit');
    assert.equal(seen.body.isJudge, false);

    const png = await upload(contestA, member, PNG, 'fake.mp4');
    assert.equal(png.status, 400, png.raw);
    assert.match(png.body.error.message, /视频须为 MP4 或 WebM 格式/);
    const script = await upload(contestA, member, MP4, 'a.mp4', '<script>x</script>');
    assert.equal(script.status, 400, script.raw);
    const ok = await upload(contestA, member, MP4, '夜班.mp4', '守护光明');
    assert.equal(ok.status, 201, ok.raw);
    entryA = ok.body.id;
    assert.equal(ok.body.mine, true);
    assert.equal(ok.body.hasVideo, true);
    const twice = await upload(contestA, member, MP4, 'again.mp4');
    assert.equal(twice.status, 409, twice.raw);
    assert.match(twice.body.error.message, /每人每次征集限交 1 件/);
    // Another branch: the campaign is not there for them.
    assert.equal((await upload(contestA, shuji2, MP4, 'x.mp4')).status, 404);
    // The video plays for the branch.
    const video = await t.app.inject({
      method: 'GET',
      url: `/api/v1/media-contest-entries/${entryA}/video`,
      headers: { authorization: `Bearer ${jijian}`, range: 'bytes=4-11' },
    });
    assert.equal(video.statusCode, 206, video.body);
    assert.equal(video.body, 'ftypmp42');

    // After the window (the shared clock four days on): refused. A fresh login, the idle timeout counts on that clock too.
    setClock(new Date(now().getTime() + 4 * DAY));
    try {
      const late = await upload(contestA, await t.login('shuji'), MP4, 'late.mp4');
      assert.equal(late.status, 409, late.raw);
      assert.match(late.body.error.message, /不在作品征集时间内/);
    } finally {
      setClock(new Date(now().getTime() - 4 * DAY));
    }
  });

  it('keeps judges independent: no one else’s scores before one’s own, one score each (409 twice), edits by PUT, limits', async () => {
    assert.ok(entryA, 'the previous test made the entry');
    // 纪检委员 (a judge) cannot see 张建国's scores before scoring himself.
    const first = await post(`/media-contest-entries/${entryA}/scores`, shuji, { scores: [35, 25, 20] });
    assert.equal(first.status, 201, first.raw);
    assert.equal(first.body.items.length, 1);
    const peek = await get(`/media-contest-entries/${entryA}/scores`, jijian);
    assert.equal(peek.status, 403, peek.raw);
    assert.match(peek.body.error.message, /请先提交您自己的评分/);
    const list = await get(`/media-contests/${contestA}/entries`, jijian);
    assert.equal(list.body.items[0].myScores, null, 'a judge sees only his own scores in the list');
    assert.ok(!list.raw.includes('[35,25,20]'), 'nor another judge’s');
    // Limits: beyond the item's maximum, wrong count.
    const over = await post(`/media-contest-entries/${entryA}/scores`, jijian, { scores: [41, 10, 10] });
    assert.equal(over.status, 422, over.raw);
    assert.match(over.body.error.message, /「主题思想」满分 40 分/);
    assert.equal((await post(`/media-contest-entries/${entryA}/scores`, jijian, { scores: [10, 10] })).status, 422);
    // Not a judge: the member who submitted, another secretary's branch.
    assert.equal((await post(`/media-contest-entries/${entryA}/scores`, member, { scores: [1, 1, 1] })).status, 403);
    assert.equal((await post(`/media-contest-entries/${entryA}/scores`, shuji2, { scores: [1, 1, 1] })).status, 404);
    const mine = await post(`/media-contest-entries/${entryA}/scores`, jijian, { scores: [30, 20, 20] });
    assert.equal(mine.status, 201, mine.raw);
    assert.deepEqual(
      mine.body.items.map((i: { judgeName: string; total: number; mine: boolean }) => [i.total, i.mine]),
      [
        [80, false],
        [70, true],
      ],
    );
    const again = await post(`/media-contest-entries/${entryA}/scores`, jijian, { scores: [1, 1, 1] });
    assert.equal(again.status, 409, again.raw);
    assert.match(again.body.error.message, /每位评委对每件作品只评一次/);
    const edit = await put(`/media-contest-entries/${entryA}/scores`, jijian, { scores: [32, 20, 20] });
    assert.equal(edit.status, 200, edit.raw);
    assert.equal(edit.body.items.find((i: { mine: boolean }) => i.mine).total, 72);
    // Members see the scores only after the results are published.
    assert.equal((await get(`/media-contest-entries/${entryA}/scores`, member)).status, 403);
  });

  it('ranks by the trimmed mean of the judges’ totals: highest and lowest dropped as configured; too few scores unranked', async () => {
    const judges = [judgeIds.shuji, judgeIds.dangyuan, judgeIds.jijian];
    const c = await post(
      '/media/contests',
      shuji,
      campaign({
        title: '技术攻关微视频征集',
        rubric: [{ name: '综合', max: 100 }],
        dropHighest: 1,
        dropLowest: 1,
        judgeMemberIds: judges,
        winnerCount: 1,
      }),
    );
    assert.equal(c.status, 201, c.raw);
    const [e1, e2, e3] = await seedEntries(c.body.id, 3);
    const score = async (token: string, entry: string, v: number) => {
      const r = await post(`/media-contest-entries/${entry}/scores`, token, { scores: [v] });
      assert.equal(r.status, 201, r.raw);
    };
    // e1: 90, 60, 30 → 60 (plain mean 60); e2: 80, 80, 10 → 80 (plain mean 56.67); e3: two scores only → unranked.
    await score(shuji, e1!, 90);
    await score(member, e1!, 60);
    await score(jijian, e1!, 30);
    await score(shuji, e2!, 80);
    await score(member, e2!, 80);
    await score(jijian, e2!, 10);
    await score(shuji, e3!, 99);
    await score(member, e3!, 98);
    const r = await get(`/media-contests/${c.body.id}/results`, shuji);
    assert.equal(r.status, 200, r.raw);
    const rows = r.body.items as {
      entryId: string;
      rank: number | null;
      final: number | null;
      winner: boolean;
      judgeTotals: { total: number | null; dropped: boolean }[];
    }[];
    assert.deepEqual(
      rows.map((x) => [x.entryId, x.rank, x.final, x.winner]),
      [
        [e2, 1, 80, true],
        [e1, 2, 60, false],
        [e3, null, null, false],
      ],
    );
    assert.deepEqual(
      rows[1]!.judgeTotals.map((j) => [j.total, j.dropped]),
      [
        [90, true],
        [60, false],
        [30, true],
      ],
    );
    assert.match(r.body.rule, /去掉1 个最高分和1 个最低分后的平均分/);
    // The member (a judge here, not a manager) sees no results before they are published.
    assert.equal((await get(`/media-contests/${c.body.id}/results`, member)).status, 403);
    contestB = c.body.id;
    winnerB = e2!;
  });
  let contestB = '';
  let winnerB = '';

  it('takes one public vote per member per day per campaign (the Beijing day of the shared clock)', async () => {
    assert.ok(entryA && contestB, 'earlier tests made the campaigns');
    const v1 = await post(`/media-contest-entries/${entryA}/vote`, jijian);
    assert.equal(v1.status, 200, v1.raw);
    assert.equal(v1.body.votes, 1);
    const v2 = await post(`/media-contest-entries/${entryA}/vote`, jijian);
    assert.equal(v2.status, 409, v2.raw);
    assert.match(v2.body.error.message, /每人每天限投 1 票/);
    // Another campaign the same day: its own vote.
    const [other] = (await get(`/media-contests/${contestB}/entries`, jijian)).body.items as { id: string }[];
    assert.equal((await post(`/media-contest-entries/${other!.id}/vote`, jijian)).status, 200);
    // Not a member of the subtree: 404 (another branch) — and a keeper without a member record here cannot vote.
    assert.equal((await post(`/media-contest-entries/${entryA}/vote`, shuji2)).status, 404);
    // The next day (clock moved a day): one more vote.
    setClock(new Date(now().getTime() + DAY));
    try {
      const tok = await t.login('jijian');
      const next = await post(`/media-contest-entries/${entryA}/vote`, tok);
      assert.equal(next.status, 200, next.raw);
      assert.equal(next.body.votes, 2);
      assert.equal((await post(`/media-contest-entries/${entryA}/vote`, tok)).status, 409);
    } finally {
      setClock(new Date(now().getTime() - DAY));
    }
    const [row] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from media_contest_vote where entry_id = ${entryA}`,
    );
    assert.equal(row!.n, 2, 'two votes in two days');
  });

  it('「发布到学习」 publishes the winners to the learning library in one step and fixes the results', async () => {
    assert.ok(contestA && entryA, 'earlier tests made the campaign and entry');
    assert.equal((await post(`/media-contests/${contestA}/publish`, member)).status, 403);
    assert.equal((await post(`/media-contests/${contestA}/publish`, shuji2)).status, 404);
    const pub = await post(`/media-contests/${contestA}/publish`, shuji);
    assert.equal(pub.status, 200, pub.raw);
    assert.equal(pub.body.status, 'published');
    const win = pub.body.items.find((r: { entryId: string }) => r.entryId === entryA);
    assert.equal(win.rank, 1);
    assert.equal(win.final, 76, '(80 + 72) / 2');
    assert.ok(win.learnItemId, 'a learn item was made');
    // In the learning library for the branch's member: a video with the entry's file.
    const item = await get(`/learn-items/${win.learnItemId}`, member);
    assert.equal(item.status, 200, item.raw);
    assert.equal(item.body.kind, 'video');
    assert.equal(item.body.title, '守护光明');
    assert.equal(item.body.hasVideo, true);
    const file = item.body.files[0];
    const bytes = await t.app.inject({
      method: 'GET',
      url: `/api/v1/learn-items/${win.learnItemId}/files/${file.id}`,
      headers: { authorization: `Bearer ${member}`, range: 'bytes=4-11' },
    });
    assert.equal(bytes.body, 'ftypmp42');
    const learnList = await get('/learn/items?kind=video&pageSize=200', member);
    assert.ok(
      learnList.body.items.some((i: { id: string }) => i.id === win.learnItemId),
      'listed in the member’s learning library',
    );
    // Fixed: no more scores, votes, entries; no second publish. Members now see results and scores.
    assert.equal((await put(`/media-contest-entries/${entryA}/scores`, jijian, { scores: [1, 1, 1] })).status, 409);
    assert.equal((await post(`/media-contest-entries/${entryA}/vote`, member)).status, 409);
    assert.equal((await upload(contestA, jijian, MP4, 'late.mp4')).status, 409);
    assert.equal((await post(`/media-contests/${contestA}/publish`, shuji)).status, 409);
    assert.equal((await get(`/media-contests/${contestA}/results`, member)).status, 200);
    assert.equal((await get(`/media-contest-entries/${entryA}/scores`, member)).status, 200);
    // Campaign B: the trimmed-mean winner (no video file: written directly) becomes a learn item too.
    const b = await post(`/media-contests/${contestB}/publish`, shuji);
    assert.equal(b.status, 200, b.raw);
    const bw = b.body.items.filter((r: { learnItemId: string | null }) => r.learnItemId);
    assert.deepEqual(
      bw.map((r: { entryId: string }) => r.entryId),
      [winnerB],
    );
    const audit = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where entity_id = ${contestA}`,
    );
    assert.ok(
      audit.some((a) => a.action === 'media.contest.publish'),
      'the publishing is audited',
    );
  });

  it('puts a person’s entries, votes and scores in their personal-data copy', async () => {
    const copy = await post('/me/personal-data', member, {});
    assert.equal(copy.status, 200, copy.raw);
    const data = JSON.parse(copy.raw);
    const c = data.mediaContest;
    assert.ok(
      c.entries.some((e: { title: string }) => e.title === '守护光明'),
      JSON.stringify(c),
    );
    assert.ok(c.scores.length >= 3, 'his scores as a judge of the second campaign');
    assert.ok(
      data.member.mediaContestEntries.some((e: { title: string }) => e.title === '守护光明'),
      'in the member part too',
    );
    const judge = JSON.parse((await post('/me/personal-data', jijian, {})).raw);
    assert.equal(judge.mediaContest.votes.length, 3, 'the 纪检委员’s three votes');
  });
});
