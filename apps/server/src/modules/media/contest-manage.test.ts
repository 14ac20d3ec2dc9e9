/**
 * 微视频征集 notices through the notify module: a new campaign reaches the members of its org's subtree (with its
 * dates), 「提醒评委」 reaches only the judges with unscored entries (once a day each), and publishing the results
 * reaches the members; changing a campaign after creation (what may change once collecting or scoring started) and
 * withdrawing it (撤销, with a notice). Day-independent: dates come from the shared clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, now, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { afterLocalWrite } from '../../platform/cache';
import { queryRows } from '../../platform/db';
import { api, startTestApp, type TestApp, signIn } from '../../testing/harness';

describe('media: 微视频征集 notices', () => {
  let t: TestApp;
  const { post, patch } = api(() => t);
  let shuji: string; // secretary of 第一发电厂党支部 (张建国), a judge below
  let shuji2: string; // secretary of 研发中心党支部
  let member: string; // dangyuan 陈志远, a member of the branch (not a judge here)
  let jijian: string; // 熊浩, the branch's 纪检委员, a judge below
  let branchId: string;
  let contestId: string;
  let entries: string[] = [];
  const ids: Record<string, string> = {}; // username → member id / user id

  const notices = (kind: string, username: string) =>
    queryRows<{ title: string; body: string; link: string }>(
      t.services.db,
      sql`select n.title, n.body, n.link from notification n join app_user u on u.id = n.user_id
          where n.kind = ${kind} and u.username = ${username} and n.link like ${`%${contestId}%`}`,
    );

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, member, jijian] = await signIn(t, 'shuji', 'shuji2', 'dangyuan', 'jijian');
    branchId = await t.orgId('第一发电厂党支部');
    for (const r of await queryRows<{ username: string; id: string }>(
      t.services.db,
      sql`select u.username, m.id from member m join app_user u on u.id = m.user_id where u.username in ('shuji', 'jijian', 'dangyuan')`,
    ))
      ids[r.username] = r.id;
    assert.ok(ids.shuji && ids.jijian && ids.dangyuan, 'the judges’ member records');
  });
  after(() => t.close());

  it('tells the members of the subtree about a new campaign, with its dates', async () => {
    const from = todayInChina();
    const to = addDays(from, 3);
    const res = await post('/media/contests', shuji, {
      orgId: branchId,
      title: '节能降耗微视频征集',
      rules: '拍摄身边的节能故事，每人 1 件。',
      submitFrom: from,
      submitTo: to,
      rubric: [
        { name: '主题思想', max: 50 },
        { name: '艺术表现', max: 50 },
      ],
      dropHighest: 0,
      dropLowest: 0,
      publicVote: false,
      winnerCount: 1,
      judgeMemberIds: [ids.shuji, ids.jijian],
    });
    assert.equal(res.status, 201, res.raw);
    contestId = res.body.id;
    const mine = await notices('media.contest.open', 'dangyuan');
    assert.equal(mine.length, 1, 'the member has the campaign notice');
    assert.match(mine[0]!.body, new RegExp(`节能降耗微视频征集.*${from} 至 ${to}`));
    assert.equal(mine[0]!.link, `/media/contests/${contestId}`);
    assert.equal((await notices('media.contest.open', 'shuji2')).length, 0, 'not another branch’s secretary');
  });

  it('「提醒评委」 reaches only the judges with unscored entries, once a day; others cannot send it', async () => {
    assert.ok(contestId, 'the previous test made the campaign');
    const mates = await queryRows<{ id: string; orgId: string; name: string }>(
      t.services.db,
      sql`select id, org_id as "orgId", name from member where org_id = ${branchId} and user_id is null and left_at is null and suspended_on is null order by id limit 2`,
    );
    entries = [];
    for (const m of mates) {
      const [row] = await queryRows<{ id: string }>(
        t.services.db,
        sql`insert into media_contest_entry (tenant_id, contest_id, member_id, org_id, author_name, title, submitted_at)
            values (${t.tenantId}, ${contestId}, ${m.id}, ${m.orgId}, ${m.name}, ${`${m.name}的作品`}, ${now().toISOString()}::timestamptz) returning id`,
      );
      entries.push(row!.id);
    }
    await afterLocalWrite(t.services.db);
    // 张建国 scores both, 熊浩 one: only 熊浩 is reminded, of one entry.
    for (const e of entries)
      assert.equal((await post(`/media-contest-entries/${e}/scores`, shuji, { scores: [40, 40] })).status, 201);
    assert.equal((await post(`/media-contest-entries/${entries[0]}/scores`, jijian, { scores: [30, 30] })).status, 201);
    assert.equal((await post(`/media-contests/${contestId}/remind-judges`, member)).status, 403, 'a member');
    assert.equal(
      (await post(`/media-contests/${contestId}/remind-judges`, shuji2)).status,
      404,
      'another branch’s secretary',
    );
    const r = await post(`/media-contests/${contestId}/remind-judges`, shuji);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.reminded, 1);
    const got = await notices('media.contest.remind', 'jijian');
    assert.equal(got.length, 1);
    assert.match(got[0]!.body, /还有 1 件作品您尚未评分/);
    assert.equal((await notices('media.contest.remind', 'shuji')).length, 0, 'not the judge who scored everything');
    // The same day again: no second notice.
    assert.equal((await post(`/media-contests/${contestId}/remind-judges`, shuji)).status, 200);
    assert.equal((await notices('media.contest.remind', 'jijian')).length, 1, 'once a day');
  });

  it('tells the members when the results are published; no reminder after that', async () => {
    assert.equal(entries.length, 2, 'the previous test made the entries');
    const pub = await post(`/media-contests/${contestId}/publish`, shuji);
    assert.equal(pub.status, 200, pub.raw);
    const mine = await notices('media.contest.results', 'dangyuan');
    assert.equal(mine.length, 1, 'the member has the results notice');
    assert.match(mine[0]!.body, /节能降耗微视频征集.*评审结果已公布，1 件优秀作品已发布到「学习教育」/);
    const late = await post(`/media-contests/${contestId}/remind-judges`, shuji);
    assert.equal(late.status, 409, late.raw);
    assert.match(late.body.error.message, /结果已经发布/);
  });

  it('changes a campaign under rules: rubric before scoring only, no removing a judge who scored, no moving a started start', async () => {
    assert.ok(contestId, 'the first test made the (now published) campaign');
    const today = todayInChina();
    const made = await post('/media/contests', shuji, {
      orgId: branchId,
      title: '岗位建功微视频征集',
      rules: '拍摄岗位建功故事。',
      submitFrom: today,
      submitTo: addDays(today, 3),
      rubric: [
        { name: '主题思想', max: 50 },
        { name: '艺术表现', max: 50 },
      ],
      dropHighest: 0,
      dropLowest: 0,
      publicVote: true,
      winnerCount: 1,
      judgeMemberIds: [ids.shuji, ids.jijian],
    });
    assert.equal(made.status, 201, made.raw);
    const id = made.body.id as string;
    const url = `/media-contests/${id}`;
    assert.equal((await patch(url, member, { title: '改标题' })).status, 403, 'a member');
    assert.equal((await patch(url, shuji2, { title: '改标题' })).status, 404, 'another branch’s secretary');
    // Before any score: the rubric, the end date and the title change.
    const r1 = await patch(url, shuji, {
      rubric: [
        { name: '主题思想', max: 60 },
        { name: '技术质量', max: 40 },
      ],
      submitTo: addDays(today, 5),
      title: '岗位建功微视频征集（延期）',
    });
    assert.equal(r1.status, 200, r1.raw);
    assert.deepEqual(r1.body.rubric, [
      { name: '主题思想', max: 60 },
      { name: '技术质量', max: 40 },
    ]);
    assert.equal(r1.body.submitTo, addDays(today, 5));
    // Collecting began today: the start date stays; bad dates and script are refused in Chinese.
    const moved = await patch(url, shuji, { submitFrom: addDays(today, 1) });
    assert.equal(moved.status, 409, moved.raw);
    assert.match(moved.body.error.message, /开始日期不能再改/);
    const early = await patch(url, shuji, { submitTo: addDays(today, -1) });
    assert.equal(early.status, 422, early.raw);
    assert.equal((await patch(url, shuji, { rules: '<script>alert(1)</script>' })).status, 400);
    // A judge scores: the rubric and the drops are fixed, the judge who scored stays; adding a judge is fine.
    const [mate] = await queryRows<{ id: string; orgId: string; name: string }>(
      t.services.db,
      sql`select id, org_id as "orgId", name from member where org_id = ${branchId} and user_id is null and left_at is null and suspended_on is null order by id limit 1`,
    );
    const [entry] = await queryRows<{ id: string }>(
      t.services.db,
      sql`insert into media_contest_entry (tenant_id, contest_id, member_id, org_id, author_name, title, submitted_at)
          values (${t.tenantId}, ${id}, ${mate!.id}, ${mate!.orgId}, ${mate!.name}, '作品', ${now().toISOString()}::timestamptz) returning id`,
    );
    await afterLocalWrite(t.services.db);
    assert.equal((await post(`/media-contest-entries/${entry!.id}/scores`, shuji, { scores: [50, 30] })).status, 201);
    const rubric = await patch(url, shuji, { rubric: [{ name: '主题思想', max: 100 }] });
    assert.equal(rubric.status, 409, rubric.raw);
    assert.match(rubric.body.error.message, /评委已开始评分，评分细则和计分方法/);
    assert.equal((await patch(url, shuji, { dropHighest: 1 })).status, 409, 'the drops too');
    assert.equal(
      (
        await patch(url, shuji, {
          rubric: [
            { name: '主题思想', max: 60 },
            { name: '技术质量', max: 40 },
          ],
        })
      ).status,
      200,
      'the same rubric is no change',
    );
    const removed = await patch(url, shuji, { judgeMemberIds: [ids.jijian, ids.dangyuan] });
    assert.equal(removed.status, 409, removed.raw);
    assert.match(removed.body.error.message, /张建国已经评分，不能移出评委/);
    const added = await patch(url, shuji, { judgeMemberIds: [ids.shuji, ids.jijian, ids.dangyuan] });
    assert.equal(added.status, 200, added.raw);
    assert.deepEqual(
      added.body.judges.map((j: { name: string }) => j.name),
      ['张建国', '熊浩', '陈志远'],
    );
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where action = 'media.contest.update' and entity_id = ${id}`,
    );
    assert.equal(audit!.n, 3, 'each change audited');

    // 撤销: a reason is required; then nothing more is taken, the members are told, and it cannot change.
    assert.equal((await post(`${url}/withdraw`, member, { reason: '调整' })).status, 403);
    const noReason = await post(`${url}/withdraw`, shuji, { reason: ' ' });
    assert.equal(noReason.status, 400, noReason.raw);
    const w = await post(`${url}/withdraw`, shuji, { reason: '活动安排调整，另行通知' });
    assert.equal(w.status, 200, w.raw);
    assert.deepEqual([w.body.status, w.body.phase, w.body.canSubmit], ['withdrawn', 'withdrawn', false]);
    const told = await queryRows<{ body: string }>(
      t.services.db,
      sql`select n.body from notification n join app_user u on u.id = n.user_id where n.kind = 'media.contest.withdrawn' and u.username = 'dangyuan' and n.link = ${`/media/contests/${id}`}`,
    );
    assert.equal(told.length, 1, 'the member is told');
    assert.match(told[0]!.body, /撤销理由：活动安排调整，另行通知/);
    for (const [res, what] of [
      [await post(`/media-contest-entries/${entry!.id}/vote`, member), 'vote'],
      [await post(`/media-contest-entries/${entry!.id}/scores`, jijian, { scores: [40, 30] }), 'score'],
      [await patch(url, shuji, { title: '再改' }), 'change'],
      [await post(`${url}/withdraw`, shuji, { reason: '再撤' }), 'withdraw twice'],
      [await post(`${url}/publish`, shuji), 'publish'],
    ] as const)
      assert.equal(res.status, 409, `${what}: ${res.raw}`);
    // The published campaign of the first test cannot change or be withdrawn.
    const late = await patch(`/media-contests/${contestId}`, shuji, { title: '改一下标题' });
    assert.equal(late.status, 409, late.raw);
    assert.match(late.body.error.message, /结果已公布/);
    assert.equal((await post(`/media-contests/${contestId}/withdraw`, shuji, { reason: '撤销' })).status, 409);
  });
});
