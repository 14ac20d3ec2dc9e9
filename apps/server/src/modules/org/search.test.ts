import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, adminToken, startTestApp, type TestApp } from '../../testing/harness';

type Hit = { id: string; name: string; kind: string; trail: string };

describe('finding an org by typing (issue 16 item 4)', () => {
  let t: TestApp;
  const { get, post } = api(() => t);
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  after(() => t.close());

  const search = async (token: string, query: string) => {
    const r = await get(`/orgs/search?${query}`, token);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { items: Hit[]; total: number };
  };

  it('finds 华夏电力有限公司党委 by part of its name, and by its pinyin initials whole or in part', async () => {
    const zuzhibu = await t.login('zuzhibu');
    for (const q of ['电力', 'hxdl', 'dl', 'HXDL']) {
      const r = await search(zuzhibu, `q=${encodeURIComponent(q)}`);
      assert.ok(
        r.items.some((o) => o.name === '华夏电力有限公司党委'),
        `「${q}」 finds it`,
      );
    }
    // A name that starts with the query comes before one that only contains it.
    const first = await search(zuzhibu, `q=${encodeURIComponent('第一')}`);
    assert.ok(first.items[0]!.name.startsWith('第一'));
  });

  it('names where a hit sits, and keeps to kinds asked for', async () => {
    const r = await search(admin, `q=${encodeURIComponent('第一党小组')}&kinds=group`);
    assert.ok(r.total >= 2, 'every branch has a 第一党小组');
    assert.ok(r.items.every((o) => o.kind === 'group'));
    assert.ok(r.items.some((o) => o.trail.includes('第一发电厂党支部')));
    const branches = await search(admin, `q=dyfdc&kinds=branch,general_branch`);
    assert.deepEqual(
      branches.items.map((o) => o.name),
      ['第一发电厂党支部'],
    );
  });

  it("searches only inside the caller's own subtree", async () => {
    const shuji = await t.login('shuji');
    const r = await search(shuji, `q=${encodeURIComponent('党支部')}`);
    assert.deepEqual(
      r.items.map((o) => o.name),
      ['第一发电厂党支部'],
    );
    const power = await t.orgId('研发中心党支部');
    const out = await get(`/orgs/search?q=x&orgId=${power}`, shuji);
    assert.equal(out.status, 403);
  });

  it('refuses an empty query with a Chinese message', async () => {
    const r = await get('/orgs/search?q=%20', admin);
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /请输入组织名称或拼音首字母/);
  });

  it('sees an org created a moment ago', async () => {
    const parent = await t.orgId('华夏电力有限公司党委');
    const c = await post('/orgs', admin, { parentId: parent, name: '光伏电站党支部', kind: 'branch' });
    assert.equal(c.status, 201);
    const r = await search(admin, 'q=gfdz');
    assert.deepEqual(
      r.items.map((o) => o.name),
      ['光伏电站党支部'],
    );
  });
});
