// @fixed-days: the commitment year (tools/test.mjs runs this file under each fixed clock).
/**
 * 承诺践诺 (issue 21): a member and a branch publish next year's commitments; the branch's members see them, only
 * the owner reports progress and evidence; the year-end review opens on 1 December of that year — the member's by
 * the branch's 书记, the branch's by the org above — and a reviewed commitment no longer changes. Bad input is a
 * Chinese 4xx. Years and the review day come from the shared clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs, setClock, todayInChina, type CommitBrief } from '@xianfeng/shared';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
  Buffer.alloc(16),
]);

describe('承诺践诺 (yearly commitments)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let shuji: string;
  let shuji2: string;
  let dangyuan: string;
  let jijian: string;
  let dianli: string;
  let branch: string;
  let mine = '';
  let ours = '';
  const year = Number(todayInChina().slice(0, 4)) + 1;
  const clockAt = nowMs();
  const realAt = Date.now();
  const restore = () => setClock(new Date(clockAt + (Date.now() - realAt)));
  const items = [
    { text: '带头开展技术革新', measure: '提出合理化建议 3 条' },
    { text: '参加志愿服务', measure: '全年不少于 24 小时' },
  ];

  before(async () => {
    t = await startTestApp();
    [shuji, shuji2, dangyuan, jijian, dianli] = await signIn(t, 'shuji', 'shuji2', 'dangyuan', 'jijian', 'dianli');
    branch = await t.orgId('第一发电厂党支部');
    t.services.config.dataDir = (await import('node:fs')).mkdtempSync('/tmp/xf-commit-');
  });
  after(async () => {
    restore();
    await t.close();
  });

  it('publishes a member’s and a branch’s commitments; refuses a past year, a second one and a member speaking for the org', async () => {
    const past = await post('/supervise/commitments', dangyuan, { year: year - 2, items });
    assert.equal(past.status, 422, past.raw);
    assert.match(past.body.error.message, /只能作出 \d{4} 年或 \d{4} 年的承诺/);
    const empty = await post('/supervise/commitments', dangyuan, { year, items: [] });
    assert.equal(empty.status, 400, empty.raw);
    assert.match(empty.body.error.message, /至少填写一项承诺/);
    const made = await post('/supervise/commitments', dangyuan, { year, items });
    assert.equal(made.status, 201, made.raw);
    mine = made.body.id;
    assert.equal(made.body.ownerName, '陈志远');
    assert.deepEqual(made.body.can, { report: true, review: false });
    const twice = await post('/supervise/commitments', dangyuan, { year, items });
    assert.equal(twice.status, 409, twice.raw);
    assert.match(twice.body.error.message, /承诺已经作出/);
    const asOrg = await post('/supervise/commitments', dangyuan, { orgId: branch, year, items });
    assert.equal(asOrg.status, 403, asOrg.raw);
    const org = await post('/supervise/commitments', shuji, {
      orgId: branch,
      year,
      items: [{ text: '三会一课按期召开', measure: '全年无缺项' }],
    });
    assert.equal(org.status, 201, org.raw);
    ours = org.body.id;
    assert.equal(org.body.ownerName, '第一发电厂党支部');
    const foreign = await post('/supervise/commitments', shuji2, { orgId: branch, year, items });
    assert.equal(foreign.status, 403, foreign.raw);
  });

  it('shows them to the branch’s members; only the owner reports progress and evidence; another branch sees nothing', async () => {
    const list = await get(`/supervise/commitments?year=${year}&pageSize=200`, jijian);
    assert.equal(list.status, 200, list.raw);
    const ids = (list.body.items as CommitBrief[]).map((c) => c.id);
    assert.ok(ids.includes(mine) && ids.includes(ours), 'a member of the branch sees both');
    assert.equal(ids[0], ours, 'the org’s own first');
    assert.equal((await get(`/supervise-commitments/${mine}`, jijian)).status, 200);
    const other = await post(`/supervise-commitments/${mine}/progress`, jijian, {
      itemIndex: 0,
      percent: 90,
      note: '替别人报告',
    });
    assert.equal(other.status, 403, other.raw);
    assert.match(other.body.error.message, /只有作出承诺的党员本人/);
    assert.equal((await get(`/supervise-commitments/${mine}`, shuji2)).status, 404);
    assert.equal((await get(`/supervise/commitments?year=${year}&orgId=${branch}`, shuji2)).status, 403);

    const wrongItem = await post(`/supervise-commitments/${mine}/progress`, dangyuan, {
      itemIndex: 5,
      percent: 10,
      note: '无此项',
    });
    assert.equal(wrongItem.status, 422, wrongItem.raw);
    const tooMuch = await post(`/supervise-commitments/${mine}/progress`, dangyuan, {
      itemIndex: 0,
      percent: 120,
      note: '超出',
    });
    assert.equal(tooMuch.status, 400, tooMuch.raw);
    assert.match(tooMuch.body.error.message, /0–100/);
    const p = await post(`/supervise-commitments/${mine}/progress`, dangyuan, {
      itemIndex: 1,
      percent: 50,
      note: '已参加志愿服务 12 小时',
    });
    assert.equal(p.status, 200, p.raw);
    assert.equal(p.body.percent, 25, 'the average of the items');
    const text = await t.request({
      method: 'POST',
      url: `/api/v1/supervise-commitments/${mine}/files`,
      token: dangyuan,
      ...multipartFile(Buffer.from('plain text'), 'a.txt'),
    });
    assert.equal(text.status, 400, text.raw);
    const png = await t.request({
      method: 'POST',
      url: `/api/v1/supervise-commitments/${mine}/files`,
      token: dangyuan,
      ...multipartFile(PNG, '志愿服务.png'),
    });
    assert.equal(png.status, 201, png.raw);
    const notMine = await t.request({
      method: 'POST',
      url: `/api/v1/supervise-commitments/${mine}/files`,
      token: jijian,
      ...multipartFile(PNG, 'x.png'),
    });
    assert.equal(notMine.status, 403, notMine.raw);
  });

  it('reviews at year end: not before 1 December, the member’s by the branch, the branch’s by the org above; then closed', async () => {
    const early = await post(`/supervise-commitments/${mine}/review`, shuji, {
      rating: 'excellent',
      comment: '好',
    });
    assert.equal(early.status, 422, early.raw);
    assert.match(early.body.error.message, /年终评议从 \d{4}-12-01 开始/);
    try {
      setClock(`${year}-12-02`);
      assert.equal(
        (
          await post(`/supervise-commitments/${mine}/review`, dangyuan, {
            rating: 'excellent',
            comment: '自评',
          })
        ).status,
        403,
      );
      const own = await post(`/supervise-commitments/${ours}/review`, shuji, {
        rating: 'excellent',
        comment: '自评',
      });
      assert.equal(own.status, 403, own.raw);
      assert.match(own.body.error.message, /不能评议自己的承诺/);
      const bad = await post(`/supervise-commitments/${mine}/review`, shuji, {
        rating: 'perfect',
        comment: '好',
      });
      assert.equal(bad.status, 400, bad.raw);
      const reviewed = await post(`/supervise-commitments/${mine}/review`, shuji, {
        rating: 'good',
        comment: '较好地完成了承诺事项。',
      });
      assert.equal(reviewed.status, 200, reviewed.raw);
      assert.equal(reviewed.body.rating, 'good');
      assert.deepEqual(reviewed.body.can, { report: false, review: false });
      assert.equal(
        (
          await post(`/supervise-commitments/${ours}/review`, dianli, {
            rating: 'excellent',
            comment: '按期召开。',
          })
        ).status,
        200,
      );
      const late = await post(`/supervise-commitments/${mine}/progress`, dangyuan, {
        itemIndex: 0,
        percent: 100,
        note: '补报',
      });
      assert.equal(late.status, 409, late.raw);
      assert.match(late.body.error.message, /已完成年终评议/);
      assert.equal(
        (await post(`/supervise-commitments/${mine}/review`, shuji, { rating: 'excellent', comment: '再评' })).status,
        409,
      );
    } finally {
      restore();
    }
  });

  it('puts the member’s commitments with progress and rating in their personal-data copy', async () => {
    const copy = await post('/me/personal-data', dangyuan, {});
    assert.equal(copy.status, 200, copy.raw);
    const list = JSON.parse(copy.raw).member.commitments as {
      year: number;
      rating: string | null;
      files: string[];
      progress: unknown[];
    }[];
    const c = list.find((x) => x.year === year);
    assert.ok(c);
    assert.equal(c.rating, '良好');
    assert.deepEqual(c.files, ['志愿服务.png']);
    assert.equal(c.progress.length, 1);
  });
});
