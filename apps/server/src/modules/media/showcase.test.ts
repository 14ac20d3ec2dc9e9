/**
 * 典型 (身边人身边事), 党员先锋岗 and 党建品牌 through the real HTTP stack on the demo enterprise. They are articles of a
 * kind: the same review by the org above, files and portal. A story names members of the writing org's roll (their
 * records); a 党建品牌 is one per org, its body made from its fields, and shown across the group.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paragraphs } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
  'hex',
);

type Brief = {
  id: string;
  title: string;
  kind: string;
  channel: string;
  status?: string;
  honorees: { memberId: string; name: string; orgName: string; post: string }[];
};

describe('media: 典型, 党员先锋岗 and 党建品牌', () => {
  let t: TestApp;
  let zuzhibu: string; // org_admin of the group committee (reviews anything)
  let shuji: string; // secretary, 第一发电厂党支部
  let shuji2: string; // secretary, 研发中心党支部
  let dianli: string; // org_admin, 华夏电力有限公司党委 (above 发电运营党总支, the branch's review org)
  let member: string; // dangyuan 陈志远, 第一发电厂党支部
  let branchId: string;
  let rdId: string;
  let colleague: { id: string; name: string }; // a member of 第一发电厂党支部 other than 陈志远
  let outsider: { id: string; name: string }; // a member of 研发中心党支部

  before(async () => {
    t = await startTestApp();
    [zuzhibu, shuji, shuji2, dianli, member] = await signIn(t, 'zuzhibu', 'shuji', 'shuji2', 'dianli', 'dangyuan');
    branchId = await t.orgId('第一发电厂党支部');
    rdId = await t.orgId('研发中心党支部');
    const mates = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select id, name from member where org_id = ${branchId} and left_at is null and name not in ('陈志远', '张建国') order by name desc, id limit 1`,
    );
    const others = await queryRows<{ id: string; name: string }>(
      t.services.db,
      sql`select id, name from member where org_id = ${rdId} and left_at is null order by id limit 1`,
    );
    assert.ok(mates[0] && others[0], 'the demo has members in both branches');
    colleague = mates[0];
    outsider = others[0];
  });
  after(() => t.close());

  const { get, post, patch } = api(() => t);
  const story = (over: Record<string, unknown> = {}) => ({
    orgId: branchId,
    kind: 'pioneer',
    channel: '基层动态',
    title: '先锋岗：检修一线的带头人',
    body: paragraphs('在检修一线亮身份、作表率。'),
    honorees: [{ memberId: colleague.id, post: '检修班党员先锋岗' }],
    ...over,
  });

  it('files a 党员先锋岗 story naming a member of the branch, publishes it only after the org above approves, and shows name, branch and post in the showcase', async () => {
    // Refusals first: a 先锋岗 needs a post, a story needs a member, the member must be on the writing org's roll, once.
    const noPost = await post('/media/articles', shuji, story({ honorees: [{ memberId: colleague.id }] }));
    assert.equal(noPost.status, 400, noPost.raw);
    assert.match(noPost.body.error.message + JSON.stringify(noPost.body.error.details), /岗位名称/);
    const nobody = await post('/media/articles', shuji, story({ kind: 'story', honorees: [] }));
    assert.equal(nobody.status, 400, nobody.raw);
    assert.match(JSON.stringify(nobody.body.error), /至少一名典型人物/);
    const foreign = await post('/media/articles', shuji, story({ honorees: [{ memberId: outsider.id, post: '岗' }] }));
    assert.equal(foreign.status, 422, foreign.raw);
    assert.match(foreign.body.error.message, /第一发电厂党支部及下级组织的在册党员/);
    const twice = await post(
      '/media/articles',
      shuji,
      story({
        honorees: [
          { memberId: colleague.id, post: '岗' },
          { memberId: colleague.id, post: '岗' },
        ],
      }),
    );
    assert.equal(twice.status, 422, twice.raw);
    const script = await post(
      '/media/articles',
      shuji,
      story({ honorees: [{ memberId: colleague.id, post: '<img src=x onerror=alert(1)>' }] }),
    );
    assert.equal(script.status, 400, script.raw);
    assert.match(JSON.stringify(script.body.error), /岗位名称内容不能包含脚本/);
    const onNews = await post(
      '/media/articles',
      shuji,
      story({ kind: 'news', honorees: [{ memberId: colleague.id, post: '' }] }),
    );
    assert.equal(onNews.status, 400, onNews.raw);
    assert.equal((await post('/media/articles', member, story())).status, 403, 'a member writes no story');

    const made = await post('/media/articles', shuji, story());
    assert.equal(made.status, 201, made.raw);
    const a = made.body;
    assert.equal(a.kind, 'pioneer');
    assert.equal(a.channel, '党员先锋岗', 'the kind fixes the channel (the 基层动态 asked for is not taken)');
    assert.deepEqual(a.honorees, [
      { memberId: colleague.id, name: colleague.name, orgName: '第一发电厂党支部', post: '检修班党员先锋岗' },
    ]);
    // A draft is nobody's but the keepers': not the colleague's branch-mate, not the showcase.
    assert.equal((await get(`/media-articles/${a.id}`, member)).status, 404);
    const before = (await get('/media/articles?kind=pioneer&pageSize=200', member)).body.items as Brief[];
    assert.ok(!before.some((x) => x.id === a.id), 'a draft is not in the showcase');
    // The same review as any article: submitted to the org above, the writer may not approve it.
    const sub = await post(`/media-articles/${a.id}/submit`, shuji);
    assert.equal(sub.status, 200, sub.raw);
    assert.equal(sub.body.reviewOrgName, '发电运营党总支');
    assert.equal(
      (await post(`/media-articles/${a.id}/review`, shuji, { approve: true })).status,
      404,
      'the branch does not review itself',
    );
    assert.ok(
      ((await get('/media/review-queue?pageSize=200', dianli)).body.items as Brief[]).some(
        (x) => x.id === a.id && x.kind === 'pioneer',
      ),
      'in the reviewer’s queue with its kind',
    );
    const ok = await post(`/media-articles/${a.id}/review`, dianli, { approve: true });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.status, 'published');

    const showcase = (await get('/media/articles?kind=pioneer&pageSize=200', member)).body.items as Brief[];
    const shown = showcase.find((x) => x.id === a.id);
    assert.ok(shown, 'published: in the 先锋岗 showcase of a member of the branch');
    // Name, branch and post only — nothing else of the member record.
    assert.deepEqual(Object.keys(shown.honorees[0]!).sort(), ['memberId', 'name', 'orgName', 'post']);
    assert.ok(
      !((await get('/media/articles?kind=story&pageSize=200', member)).body.items as Brief[]).some(
        (x) => x.id === a.id,
      ),
      'not among the 身边人身边事',
    );
    assert.ok(
      ((await get('/media/articles?pageSize=200', member)).body.items as Brief[]).some((x) => x.id === a.id),
      'and in the news feed',
    );
    // The demo's stories: 陈志远 at his 先锋岗, a colleague's 身边人身边事.
    assert.ok(
      showcase.some((x) => x.honorees.some((h) => h.name === '陈志远' && h.post.includes('先锋岗'))),
      'the demo 先锋岗 of 陈志远',
    );
    const stories = (await get('/media/articles?kind=story&pageSize=200', member)).body.items as Brief[];
    assert.ok(
      stories.some((x) => x.channel === '身边人身边事' && x.honorees.length === 1),
      'the demo 身边人身边事 story',
    );

    // Editing after a rejection: the honorees are replaced (and checked again).
    const b = (
      await post('/media/articles', shuji, story({ kind: 'story', honorees: [{ memberId: colleague.id, post: '' }] }))
    ).body;
    assert.equal(
      (await patch(`/media-articles/${b.id}`, shuji, { honorees: [{ memberId: outsider.id, post: '' }] })).status,
      422,
    );
    const me = await t.memberId('dangyuan');
    const swapped = await patch(`/media-articles/${b.id}`, shuji, {
      honorees: [
        { memberId: me, post: '' },
        { memberId: colleague.id, post: '' },
      ],
    });
    assert.equal(swapped.status, 200, swapped.raw);
    assert.deepEqual(
      swapped.body.honorees.map((h: { name: string }) => h.name),
      ['陈志远', colleague.name],
    );
    assert.equal(
      (
        await patch(`/media-articles/${b.id}`, shuji, {
          brand: { slogan: 'x', idea: 'y', practices: ['z'], results: [], photoFileIds: [] },
        })
      ).status,
      422,
      'a story has no brand',
    );
    const [audit] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from audit_log where entity_id = ${b.id} and action = 'media.article.update'`,
    );
    assert.equal(audit!.n, 1, 'the change of honorees is audited');
  });

  it('lists the stories naming a member on their record for the branch’s managers, not for another member nor another branch', async () => {
    const mine = await get(`/members/${colleague.id}/media-honors?pageSize=50`, shuji);
    assert.equal(mine.status, 200, mine.raw);
    assert.ok(
      (mine.body.items as Brief[]).every((x) => x.honorees.some((h) => h.memberId === colleague.id)),
      'only stories naming the member',
    );
    assert.ok((mine.body.items as Brief[]).length >= 1, 'the story of the previous test (or the demo)');
    assert.equal(
      (await get(`/members/${colleague.id}/media-honors`, member)).status,
      403,
      'a member reaches no other member’s record',
    );
    assert.equal(
      (await get(`/members/${colleague.id}/media-honors`, shuji2)).status,
      404,
      'another branch’s 书记 finds nothing',
    );
  });

  it('gives a member their own published honours for 我的记录: no draft, no other member’s story', async () => {
    const self = (await get('/members/me', member)).body as { id: string };
    const draft = await post(
      '/media/articles',
      shuji,
      story({ title: '先锋岗草稿：陈志远', honorees: [{ memberId: self.id, post: '值长' }] }),
    );
    assert.equal(draft.status, 201, draft.raw);
    const mine = await get('/media/me/honors?pageSize=50', member);
    assert.equal(mine.status, 200, mine.raw);
    const items = mine.body.items as Brief[];
    assert.ok(items.length >= 1, 'the demo’s 先锋岗 story of 陈志远');
    assert.ok(
      items.every((x) => x.status === 'published' && x.honorees.some((h) => h.memberId === self.id)),
      'only published stories naming the caller',
    );
    assert.ok(!items.some((x) => x.id === draft.body.id), 'not the draft');
    assert.equal(mine.body.total, items.length);
    // An account with no member record has no honours (and no error).
    const none = await get('/media/me/honors', zuzhibu);
    assert.equal(none.status, 200, none.raw);
    assert.ok(Array.isArray(none.body.items));
  });

  it('keeps one 党建品牌 per org, builds its body from its fields and photos, and shows the published ones across the group', async () => {
    // The demo: 第一发电厂党支部's 光耀先锋 (public) and 雄安项目部党支部's 建功雄安, seen from another subsidiary's branch.
    const gallery = await get('/media/brands?pageSize=50', shuji2);
    assert.equal(gallery.status, 200, gallery.raw);
    const names = (gallery.body.items as { title: string; brand: { slogan: string } }[]).map((x) => x.title);
    assert.ok(names.includes('光耀先锋') && names.includes('建功雄安'), names.join(','));
    const guang = (gallery.body.items as { id: string; title: string }[]).find((x) => x.title === '光耀先锋')!;
    const detail = await get(`/media-articles/${guang.id}`, shuji2);
    assert.equal(
      detail.status,
      200,
      `a brand of another subsidiary’s branch is readable across the group: ${detail.raw}`,
    );
    assert.equal(detail.body.brand.slogan, '光耀先锋，电亮万家');
    assert.equal((await get(`/media-articles/${guang.id}`, member)).status, 200);
    assert.ok(
      !((await get('/media/articles?pageSize=200', member)).body.items as Brief[]).some((x) => x.kind === 'brand'),
      'brands are not in the news feed',
    );
    // One per org.
    const second = await post('/media/articles', shuji, {
      orgId: branchId,
      kind: 'brand',
      channel: '党建品牌',
      title: '第二个品牌',
      body: paragraphs(''),
      brand: { slogan: '口号', idea: '理念', practices: ['做法'], results: [], photoFileIds: [] },
    });
    assert.equal(second.status, 409, second.raw);
    assert.match(second.body.error.message, /已有党建品牌/);
    assert.equal(
      (await post('/media/channels', zuzhibu, { orgId: await t.orgId('华夏电力有限公司党委'), name: '党建品牌' }))
        .status,
      409,
      'no admin channel takes a kind’s name',
    );

    // 研发中心党支部 makes its brand: refusals, then fields → body, photos of its own only.
    const bad = await post('/media/articles', shuji2, {
      orgId: rdId,
      kind: 'brand',
      channel: 'x',
      title: '创新先锋',
      body: paragraphs(''),
      brand: { slogan: '<script>alert(1)</script>', idea: '理念', practices: ['做法'], results: [], photoFileIds: [] },
    });
    assert.equal(bad.status, 400, bad.raw);
    const empty = await post('/media/articles', shuji2, {
      orgId: rdId,
      kind: 'brand',
      channel: 'x',
      title: '创新先锋',
      body: paragraphs(''),
      brand: { slogan: '创新', idea: '理念', practices: [], results: [], photoFileIds: [] },
    });
    assert.equal(empty.status, 400, empty.raw);
    assert.match(JSON.stringify(empty.body.error), /至少写一条主要做法/);
    const brand = {
      slogan: '创新引领，党建铸魂',
      idea: '把党建融入研发全过程。',
      practices: ['党员攻关项目', '技术骨干结对'],
      results: ['取得专利多项'],
      photoFileIds: [] as string[],
    };
    const made = await post('/media/articles', shuji2, {
      orgId: rdId,
      kind: 'brand',
      channel: 'x',
      title: '创新先锋',
      body: paragraphs(''),
      brand,
    });
    assert.equal(made.status, 201, made.raw);
    const id = made.body.id as string;
    assert.equal(made.body.channel, '党建品牌');
    assert.equal(made.body.summary, '创新引领，党建铸魂', 'the slogan is the summary');
    const text = JSON.stringify(made.body.body);
    for (const s of ['品牌理念', '把党建融入研发全过程。', '主要做法', '党员攻关项目', '工作成效', '取得专利多项'])
      assert.ok(text.includes(s), `the body shows ${s}`);
    const { body: form, headers } = multipartFile(PNG, 'brand.png');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/media-articles/${id}/files`,
      payload: form,
      headers: { ...headers, authorization: `Bearer ${shuji2}` },
    });
    assert.equal(up.statusCode, 201, up.body);
    const fileId = JSON.parse(up.body).id as string;
    const withPhoto = await patch(`/media-articles/${id}`, shuji2, { brand: { ...brand, photoFileIds: [fileId] } });
    assert.equal(withPhoto.status, 200, withPhoto.raw);
    assert.ok(
      withPhoto.body.body.blocks.some(
        (b: { type: string; fileId?: string }) => b.type === 'image' && b.fileId === fileId,
      ),
      'the photo is in the body',
    );
    const strange = await patch(`/media-articles/${id}`, shuji2, { brand: { ...brand, photoFileIds: [guang.id] } });
    assert.equal(strange.status, 422, 'a photo must be a file of this brand');
    const direct = await patch(`/media-articles/${id}`, shuji2, { body: paragraphs('直接改正文') });
    assert.equal(direct.status, 422, direct.raw);
    assert.match(direct.body.error.message, /由品牌内容生成/);
    // Reviewed like an article; not in the gallery before.
    assert.ok(
      !((await get('/media/brands?pageSize=50', member)).body.items as { id: string }[]).some((x) => x.id === id),
      'a draft brand is not in the gallery',
    );
    assert.equal((await post(`/media-articles/${id}/submit`, shuji2)).status, 200);
    const ok = await post(`/media-articles/${id}/review`, zuzhibu, { approve: true });
    assert.equal(ok.status, 200, ok.raw);
    assert.ok(
      ((await get('/media/brands?pageSize=50', member)).body.items as { id: string }[]).some((x) => x.id === id),
      'published: in the gallery of a member of another subsidiary',
    );
    const photo = await t.app.inject({
      method: 'GET',
      url: `/api/v1/media-articles/${id}/files/${fileId}`,
      headers: { authorization: `Bearer ${member}` },
    });
    assert.equal(photo.statusCode, 200, 'its photo is readable across the group too');
  });

  it('puts a public brand on the portal with its fields, and of a public 先锋岗 story never the member record it is linked to', async () => {
    const list = await get('/public/articles?pageSize=200');
    assert.equal(list.status, 200, list.raw);
    const guang = (list.body.items as { title: string; channel: string; url: string; id: string }[]).find(
      (x) => x.title === '光耀先锋',
    );
    assert.ok(guang, 'the demo brand is on the portal');
    assert.equal(guang.channel, '党建品牌');
    const page = await t.app.inject({ method: 'GET', url: new URL(guang.url).pathname + new URL(guang.url).search });
    assert.equal(page.statusCode, 200);
    for (const s of ['光耀先锋，电亮万家', '品牌理念', '设立安全生产党员先锋岗和党员责任区', '连续安全生产 1000 天'])
      assert.ok(page.body.includes(s), `the portal page shows ${s}`);
    assert.ok(
      !(list.body.items as { title: string }[]).some((x) => x.title === '建功雄安'),
      'a brand not marked public is not on the portal',
    );

    // A public 先锋岗 story whose text does not name the member: the portal shows the text, not the linked record.
    const a = (
      await post(
        '/media/articles',
        shuji,
        story({
          title: '门户先锋岗',
          isPublic: true,
          body: paragraphs('一线岗位上的党员先锋。'),
          honorees: [{ memberId: colleague.id, post: '门户测试岗位' }],
        }),
      )
    ).body;
    assert.equal((await post(`/media-articles/${a.id}/submit`, shuji)).status, 200);
    assert.equal((await post(`/media-articles/${a.id}/review`, dianli, { approve: true })).status, 200);
    const list2 = await get('/public/articles?pageSize=200');
    const item = (list2.body.items as { id: string; url: string }[]).find((x) => x.id === a.id);
    assert.ok(item, 'the public story is on the portal');
    const html = (await t.app.inject({ method: 'GET', url: new URL(item.url).pathname + new URL(item.url).search }))
      .body;
    assert.ok(html.includes('一线岗位上的党员先锋。'), 'its text is there');
    for (const leak of [colleague.id, colleague.name, '门户测试岗位'])
      assert.ok(
        !html.includes(leak) && !list2.raw.includes(leak),
        `the portal shows nothing of the linked member record (${leak})`,
      );
  });

  it('copies the stories naming a member into their personal data', async () => {
    const copy = await post('/me/personal-data', member, {});
    assert.equal(copy.status, 200, copy.raw);
    const honors = JSON.parse(copy.raw).member.mediaHonors as { title: string; kind: string; post: string }[];
    assert.ok(
      honors.some((h) => h.kind === 'pioneer' && h.post === '锅炉检修班安全生产党员先锋岗'),
      JSON.stringify(honors),
    );
  });
});
