/**
 * 宣传 in the browser (issue 19): the 书记 of 第一发电厂党支部 drafts an article in the block editor (paragraph,
 * heading, list, link) and submits it; 电力公司党委's manager (the org above's reviewer) approves it in the
 * review queue; it appears on the public portal (no login, a phone page with an Open Graph card) and on a
 * member's 390px phone home and article page. A 必读 notice waits in the member's to-dos until read, and
 * the secretary sees who has not read it. Photographed at 1280 and 390.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { itWithShots, noOverflow, startE2e, type E2e } from './harness';

const TITLE = '第一发电厂党支部开展技能比武';

describe('宣传 in the browser', () => {
  let e: E2e;
  let articleId = '';
  before(async () => {
    e = await startE2e();
  });
  after(() => e.close());
  const it = itWithShots(() => e, 'media');

  it('an editor drafts and submits an article in the block editor', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.getByRole('menuitem', { name: /宣传/ }).click();
    await page.waitForURL('**/media');
    await page.getByRole('tab', { name: '稿件管理' }).click();
    await page.getByRole('button', { name: '撰写文章' }).click();
    await page.waitForURL('**/media/new');
    await page.getByPlaceholder('文章标题').fill(TITLE);
    await page.getByLabel('在门户公开').click();
    await page.getByLabel('段落 1').fill('支部组织青年党员开展岗位技能比武，以赛促学。');
    await page.getByRole('button', { name: '+ 小标题' }).click();
    await page.getByLabel('小标题 2').fill('比武项目');
    await page.getByRole('button', { name: '+ 列表' }).click();
    await page.getByLabel('列表 3').fill('设备巡检\n故障排查\n安全规程问答');
    await page.getByRole('button', { name: '+ 链接' }).click();
    await page.getByLabel('链接文字 4').fill('共产党员网');
    await page.getByLabel('链接地址 4').fill('https://www.12371.cn/');
    await page.getByRole('button', { name: /预\s*览/ }).click();
    await page.locator('.xf-article-body ul li', { hasText: '故障排查' }).waitFor();
    await e.shot(page, 'media-editor-1280');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.waitForURL(/\/media\/articles\/[0-9a-f-]+$/);
    articleId = page.url().split('/').pop()!;
    await page.getByText('等待发电运营党总支审核').waitFor();
    await e.shot(page, 'media-submitted-1280');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the manager of the org above approves it from the review queue', async () => {
    const page = await e.page(1280);
    await e.login(page, 'dianli');
    await page.goto('/media?tab=review');
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`**/media/articles/${articleId}`);
    await e.shot(page, 'media-review-1280');
    await page.getByRole('button', { name: '通过并发布' }).click();
    await page.getByText('门户页面（可分享）').waitFor();
    assert.deepEqual(e.pageErrors, []);
  });

  it('appears on the public portal, readable on a phone, with an Open Graph card', async () => {
    const list = await (await fetch(`${e.server.url}/api/v1/public/articles?pageSize=200`)).json();
    const item = list.items.find((x: { id: string }) => x.id === articleId);
    assert.ok(item, 'on the portal list');
    const page = await e.page(390);
    await page.goto(new URL(item.url).pathname + new URL(item.url).search);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), TITLE);
    assert.equal(await page.locator('article li').count(), 3);
    assert.equal(await page.locator('article a[href="https://www.12371.cn/"]').count(), 1);
    await noOverflow(page, 'the portal article at 390px');
    await e.shot(page, 'media-portal-article-390');
    await page.getByRole('link', { name: '更多文章' }).click();
    await page.getByText(TITLE).waitFor();
    await e.shot(page, 'media-portal-list-390');
  });

  it('a member sees it on the phone home and reads it; the 必读 notice leaves their to-dos once read', async () => {
    const page = await e.page(390);
    await e.login(page, 'dangyuan');
    await page.getByText('必读：关于开展党章专题学习的通知').waitFor();
    await page.locator('.xf-home-card', { hasText: '新闻动态' }).getByText(TITLE).waitFor();
    await noOverflow(page, 'the home page at 390px');
    await e.shot(page, 'media-home-390');
    await page.locator('.xf-home-card', { hasText: '新闻动态' }).getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await noOverflow(page, 'the article page at 390px');
    await e.shot(page, 'media-article-390');
    await page.goto('/');
    await page.getByRole('link', { name: '必读：关于开展党章专题学习的通知' }).click();
    await page.getByText('本通知为必读通知', { exact: false }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.goto('/');
    // Read: it leaves 现在要办 (the member home, issue 24).
    await page.locator('.xf-now-card[aria-busy=false]').waitFor();
    assert.equal(await page.getByTestId('now-item').filter({ hasText: '必读：关于开展党章专题学习的通知' }).count(), 0);
    await page.goto('/media');
    await page.getByText(TITLE).first().waitFor();
    await noOverflow(page, 'the news feed at 390px');
    await e.shot(page, 'media-feed-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('the secretary sees who has not read the 必读 notice, paged', async () => {
    const page = await e.page(1280);
    await e.login(page, 'shuji');
    await page.goto('/media');
    await page.getByRole('link', { name: /关于开展党章专题学习的通知/ }).click();
    const card = page.locator('.ant-card', { hasText: '未读人员' });
    await card.getByText(/名党员中 \d+ 人未读/).waitFor();
    assert.equal(
      await card.getByRole('cell', { name: '陈志远', exact: true }).count(),
      0,
      'the member who read it is not listed',
    );
    await e.shot(page, 'media-unread-1280');
    await page.goto('/media?tab=manage');
    await page.getByText(TITLE).waitFor();
    await e.shot(page, 'media-manage-1280');
    // The editor fits a phone too.
    const phone = await e.page(390);
    await e.login(phone, 'shuji');
    await phone.goto('/media/new');
    await phone.getByRole('button', { name: '+ 图片' }).click();
    await phone.getByText('先保存草稿，再上传图片').first().waitFor();
    await noOverflow(phone, 'the editor at 390px');
    await e.shot(phone, 'media-editor-390');
    assert.deepEqual(e.pageErrors, []);
  });

  it('an administrator adds a channel that the branches below can publish in', async () => {
    const page = await e.page(1280);
    await e.login(page, 'zuzhibu');
    await page.goto('/media?tab=manage');
    await page.getByRole('button', { name: '添加栏目' }).click();
    await page.getByLabel('栏目名称').fill('理论学习');
    await page
      .getByRole('button', { name: /添\s*加/ })
      .last()
      .click();
    await page.getByText('已添加栏目“理论学习”').waitFor();
    const phone = await e.page(390);
    await e.login(phone, 'dangyuan');
    await phone.goto('/media');
    await phone.getByText('理论学习', { exact: true }).waitFor();
    assert.deepEqual(e.pageErrors, []);
  });
});
