/**
 * Comments on lectures (the recording) and on 微视频征集 entries (the video): the article comments' rules on two more
 * subjects — shown at once or held on a sensitive word, decided by the record keepers of the subject's own org
 * (the lecture's host, the campaign's org), listed in the same 评论审核 queue with a link to the page, reached only
 * through the subject's reading lookup (another branch: 404), in the author's personal-data copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { now } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { personalComments } from './comments';

describe('comments on lectures and contest entries', () => {
  let t: TestApp;
  let dianli: string; // org_admin of 华夏电力有限公司党委: hosts the demo lecture
  let shuji: string; // secretary, 第一发电厂党支部: the demo campaign's org
  let shuji2: string; // secretary, 研发中心党支部 (another branch under 华夏电力)
  let member: string; // dangyuan 陈志远, 第一发电厂党支部
  let other: string; // jijian 熊浩, the same branch
  let lecture: string; // the demo's published lecture of 华夏电力有限公司党委
  let contest: string; // the demo campaign of 第一发电厂党支部
  let entry: string; // one of its demo entries
  let entryTitle: string;

  const { get, post } = api(() => t);

  before(async () => {
    t = await startTestApp();
    [dianli, shuji, shuji2, member, other] = await signIn(t, 'dianli', 'shuji', 'shuji2', 'dangyuan', 'jijian');
    const lectures = (await get('/media/lectures?pageSize=50', member)).body;
    lecture = lectures.items.find((l: { title: string }) => l.title === '学习贯彻党的二十届三中全会精神专题党课').id;
    const contests = (await get('/media/contests?pageSize=50', member)).body;
    contest = contests.items.find((c: { title: string }) => c.title === '「我身边的共产党员」微视频征集').id;
    const entries = (await get(`/media-contests/${contest}/entries?pageSize=50`, member)).body;
    entry = entries.items[0].id;
    entryTitle = entries.items[0].title;
    assert.ok(lecture && contest && entry, 'the demo lecture, campaign and entry');
  });
  after(() => t.close());

  it('takes a comment on a contest entry, holds one with a sensitive word for the campaign org’s keepers', async () => {
    const shown = await post(`/media-contest-entries/${entry}/comments`, member, { text: '拍得真好，很受教育！' });
    assert.equal(shown.status, 201, shown.raw);
    assert.equal(shown.body.status, 'shown');
    assert.equal(shown.body.subjectKind, 'entry');
    assert.equal(shown.body.subjectId, entry);
    const held = await post(`/media-contest-entries/${entry}/comments`, other, { text: '评论区有人拉人去网络赌场' });
    assert.equal(held.status, 201, held.raw);
    assert.equal(held.body.status, 'held');
    // Another member sees the shown one, not the held one; its author sees 待审核.
    const seen = (await get(`/media-contest-entries/${entry}/comments?pageSize=50`, member)).body;
    assert.ok(
      seen.items.some((c: { id: string }) => c.id === shown.body.id),
      'the shown comment is listed',
    );
    assert.ok(
      !seen.items.some((c: { id: string }) => c.id === held.body.id),
      'the held one is not listed to another member',
    );
    const own = (await get(`/media-contest-entries/${entry}/comments?pageSize=50`, other)).body;
    assert.equal(
      own.items.find((c: { id: string }) => c.id === held.body.id)?.status,
      'held',
      'its author sees it as held',
    );
    // The campaign org's secretary has it in the queue (with what it is on and the page) and a notice.
    const queue = (await get(`/media/comment-queue?orgId=${await t.orgId('第一发电厂党支部')}&pageSize=200`, shuji))
      .body;
    const q = queue.items.find((c: { id: string }) => c.id === held.body.id);
    assert.ok(q, 'in the branch secretary’s queue');
    assert.deepEqual(
      [q.subjectKind, q.subjectTitle, q.subjectLink],
      ['entry', entryTitle, `/media/contests/${contest}`],
    );
    assert.deepEqual(q.hits, ['网络赌场']);
    const [n] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from notification where kind = 'media.comment.held' and title like '%有评论待审核%' and body like ${`%微视频作品《${entryTitle}》%`}`,
    );
    assert.ok((n?.n ?? 0) >= 1, 'a held-comment notice naming the entry');
    // Another branch's secretary can neither read nor decide; a member cannot decide.
    assert.equal((await get(`/media-contest-entries/${entry}/comments`, shuji2)).status, 404);
    assert.equal((await post(`/media-contest-entries/${entry}/comments`, shuji2, { text: '越界' })).status, 404);
    assert.equal((await post(`/media-comments/${held.body.id}/decide`, shuji2, { approve: true })).status, 404);
    assert.equal((await post(`/media-comments/${held.body.id}/decide`, member, { approve: true })).status, 403);
    const ok = await post(`/media-comments/${held.body.id}/decide`, shuji, { approve: true });
    assert.equal(ok.status, 200, ok.raw);
    const after = (await get(`/media-contest-entries/${entry}/comments?pageSize=50`, member)).body;
    assert.ok(
      after.items.some((c: { id: string }) => c.id === held.body.id),
      'approved: now listed to others',
    );
    // Script is refused as on articles.
    const bad = await post(`/media-contest-entries/${entry}/comments`, member, { text: '<script>alert(1)</script>' });
    assert.equal(bad.status, 400, bad.raw);
  });

  it('takes comments on a published lecture, moderated by the hosting org; a draft lecture takes none', async () => {
    const c = await post(`/media-lectures/${lecture}/comments`, member, { text: '讲得透彻，回放还要再看一遍。' });
    assert.equal(c.status, 201, c.raw);
    assert.equal(c.body.subjectKind, 'lecture');
    const held = await post(`/media-lectures/${lecture}/comments`, other, { text: '有人在群里卖毒品' });
    assert.equal(held.body.status, 'held', held.raw);
    // The branch secretary does not moderate the committee's lecture (outside his org: 404); the committee's admin does.
    assert.equal(
      (await post(`/media-comments/${held.body.id}/decide`, shuji, { approve: false, reason: '无关' })).status,
      404,
    );
    const rej = await post(`/media-comments/${held.body.id}/decide`, dianli, { approve: false, reason: '与讲座无关' });
    assert.equal(rej.status, 200, rej.raw);
    const own = (await get(`/media-lectures/${lecture}/comments?pageSize=50`, other)).body;
    assert.equal(
      own.items.find((x: { id: string }) => x.id === held.body.id)?.reason,
      '与讲座无关',
      'the author sees the reason',
    );
    // The lecture's own page counts the comments the caller sees.
    const list = (await get(`/media-lectures/${lecture}/comments?pageSize=50`, member)).body;
    assert.equal(list.total, 1, 'the member sees only the shown one');
    // A draft lecture of the committee: its keeper reads it but cannot comment (409 in Chinese).
    const start = new Date(now().getTime() + 3 * 86_400_000);
    const draft = await post('/media/lectures', dianli, {
      orgId: await t.orgId('华夏电力有限公司党委'),
      title: '草稿讲座',
      speaker: '主讲人',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
    });
    assert.equal(draft.status, 201, draft.raw);
    const refused = await post(`/media-lectures/${draft.body.id}/comments`, dianli, { text: '先评论' });
    assert.equal(refused.status, 409, refused.raw);
    assert.match(refused.body.error.message, /讲座尚未发布，不能评论/);
    // Another branch's member reaches the committee's lecture too (it is on his line); the foreign probe is in authz.test.
  });

  it('puts the comments on lectures and entries into the author’s personal-data copy', async () => {
    const [u] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from app_user where username = 'dangyuan'`,
    );
    const mine = await personalComments(t.services.db, t.tenantId, u!.id);
    assert.ok(
      mine.some((c) => c.on === '微视频作品' && c.subjectTitle === entryTitle && c.text.includes('拍得真好')),
      'the entry comment',
    );
    assert.ok(
      mine.some((c) => c.on === '讲座' && c.subjectTitle === '学习贯彻党的二十届三中全会精神专题党课'),
      'the lecture comment',
    );
    const copy = await post('/me/personal-data', member, {});
    assert.equal(copy.status, 200, copy.raw.slice(0, 200));
    assert.ok(copy.raw.includes('拍得真好'), 'in the downloaded copy');
  });
});
